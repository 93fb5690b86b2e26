// @vitest-environment jsdom
// The cluster under review stays in view until Done, whatever the decisions do to its star: after "Make
// representative" and then "Not a duplicate" between the new representative and the old one (which stays linked
// via the third copy, and leaves once parted from that one too), the view still shows the rebuilt cluster. Checked against the real cluster builder and
// against a real catalogue.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildClusters, type ClusterDecisions, type ClusterImage } from '../../../src-main/core/duplicates/cluster-graph';
import type { DuplicateDecision } from '../../../src-shared/api/duplicates';
import { DuplicatesView } from '../../../src-renderer/views/duplicates/duplicates-view';
import { anchorAfterDecision } from '../../../src-renderer/views/duplicates/review-anchor';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../fixtures/temp-library';
import { makeVariant } from '../../fixtures/variants';
import { renderWithLibrary } from './render-app';

describe('anchorAfterDecision against the star clustering', () => {
  // Three copies of one photo, 1 the best: one star around 1.
  const images: ClusterImage[] = [1, 2, 3].map((id) => ({ id, quality: 100 - id, width: 100, height: 100 }));
  const edges = [
    { a: 1, b: 2, distance: 0 },
    { a: 1, b: 3, distance: 0 },
    { a: 2, b: 3, distance: 0 },
  ];
  const decisions: ClusterDecisions = { notDuplicate: [], merges: [], representatives: [] };
  const rebuild = () => buildClusters(images, edges, decisions, () => 0);
  const record = (d: DuplicateDecision) => {
    if (d.action === 'set_representative') decisions.representatives.push(d.imageId);
    if (d.action === 'not_duplicate') decisions.notDuplicate.push([d.imageA, d.imageB]);
  };

  it('anchors on an image each decision leaves in the cluster, where the first anchor would be lost', () => {
    let [star] = rebuild();
    expect(star!.representative).toBe(1);
    const firstAnchor = star!.representative;
    let anchor = firstAnchor;
    for (const decision of [
      { action: 'set_representative', imageId: 2 },
      { action: 'not_duplicate', imageA: 2, imageB: 1 },
      { action: 'not_duplicate', imageA: 1, imageB: 3 },
      { action: 'keep', imageId: 3 },
    ] satisfies DuplicateDecision[]) {
      anchor = anchorAfterDecision(decision, star!.representative);
      record(decision);
      star = rebuild().find((c) => c.members.includes(anchor));
      expect(star, `cluster of image ${anchor} after ${decision.action}`).toBeDefined();
      // Parted from the representative only, 1 stays through its match with 3.
      if (decisions.notDuplicate.length === 1) expect(star!.linkedVia).toEqual([3, null, null]);
    }
    expect(star!.members).toEqual([2, 3]);
    // The image the view used to keep as its anchor (the representative at the first decision) is out.
    expect(rebuild().some((c) => c.members.includes(firstAnchor))).toBe(false);
  });
});

describe('DuplicatesView keeps the cluster under review', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(async () => {
    lib = openTempLibrary();
    const photos = path.join(lib.dir, '..', `${path.basename(lib.dir)}-three`);
    mkdirSync(photos, { recursive: true });
    const original = await makePhoto(41, { width: 640, height: 480 });
    writeFileSync(path.join(photos, 'original.jpg'), original);
    writeFileSync(path.join(photos, 'resized.jpg'), await makeVariant(original, 'resize'));
    writeFileSync(path.join(photos, 'flipped.jpg'), await makeVariant(original, 'flip'));
    await ingestAndWait(lib.lib, [photos]);
  });
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('after Make representative and Not a duplicate with the old representative', async () => {
    const [cluster] = (await lib.lib.invoke('duplicates.clusters', {})).clusters;
    expect(cluster!.members).toHaveLength(3);
    const oldRep = cluster!.representative;
    renderWithLibrary(lib.lib, <DuplicatesView />);
    const idOf = (testId: string) => Number(screen.getByTestId(testId).getAttribute('data-image-id'));
    await screen.findByTestId('card-member');
    const chosen = idOf('card-member');
    fireEvent.keyDown(window, { key: 'r' });
    await waitFor(() => expect(idOf('card-representative')).toBe(chosen));
    // The old representative is now a member; bring it into the compare view and separate it.
    while (idOf('card-member') !== oldRep) {
      const before = idOf('card-member');
      fireEvent.keyDown(window, { key: 'ArrowRight' });
      await waitFor(() => expect(idOf('card-member')).not.toBe(before));
    }
    fireEvent.keyDown(window, { key: 'n' });
    const third = cluster!.members.map((m) => m.imageId).find((id) => id !== oldRep && id !== chosen)!;
    // It still matches the third copy, so it stays, linked via that one.
    await waitFor(() =>
      expect(screen.getByTestId('card-member').querySelector('[data-field="match"]')!.textContent).toContain(`linked via #${third}`),
    );
    // Parted from the third copy too, it leaves: the anchor (the new representative) keeps the cluster in view.
    await lib.lib.invoke('duplicates.decide', { action: 'not_duplicate', imageA: oldRep, imageB: third });
    await waitFor(() => expect(idOf('card-member')).toBe(third));
    expect(idOf('card-representative')).toBe(chosen);
    expect(screen.queryByText('This cluster no longer exists')).toBeNull();
    const stored = await lib.lib.invoke('duplicates.clusters', { containing: chosen });
    expect(stored.clusters[0]!.members.map((m) => m.imageId).sort()).toEqual([chosen, third].sort());
    // Rebuilt twice, the cluster kept its id (and so its place in the review queue).
    expect(stored.clusters[0]!.id).toBe(cluster!.id);
    expect(screen.getByRole('region', { name: `Cluster ${cluster!.id}` })).toBeDefined();
  });
});

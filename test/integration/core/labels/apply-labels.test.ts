// labels.apply: a bulk decision applied to each image it can apply to, the others left as is with the reason.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { recordSourceClaim } from '../../../../src-main/core/labels/record-source-claim';
import { describeApplyReport } from '../../../../src-renderer/views/library/apply-report';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../../fixtures/temp-library';

let lib: Library;
let cleanup: () => Promise<void>;
let ids: number[];

beforeAll(async () => {
  const opened = openTempLibrary();
  ({ lib, cleanup } = opened);
  const photos = path.join(opened.dir, '..', `${path.basename(opened.dir)}-photos`);
  mkdirSync(photos, { recursive: true });
  for (const seed of [61, 62, 63, 64, 65])
    writeFileSync(path.join(photos, `p${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
  await ingestAndWait(lib, [photos]);
  ids = (lib.db.prepare(`SELECT id FROM image ORDER BY id`).pluck().all() as number[]).slice(0, 5);
  for (const id of ids.slice(0, 4))
    recordSourceClaim(lib.db, id, { taxon: 'Russula emetica', rank: 'species', evidence: { source: 'test' } });
}, 120_000);

afterAll(async () => cleanup?.());

describe('labels.apply', () => {
  it('verifies what it can, leaves the already verified and the unlabelled as they are, and says so', async () => {
    await lib.invoke('labels.set', { imageIds: [ids[0]!], state: 'human_verified' });
    const report = await lib.invoke('labels.apply', { imageIds: ids, state: 'human_verified' });
    expect(report.applied).toEqual(ids.slice(1, 4));
    expect(report.skipped.map((s) => [s.imageId, s.state])).toEqual([
      [ids[0], 'human_verified'],
      [ids[4], null],
    ]);
    expect(report.skipped[0]!.reason).toMatch(/cannot go from human_verified to human_verified/);
    expect(describeApplyReport(report, 'human_verified')).toBe(
      '3 verified, 1 already human verified, 1 unlabelled (needs a taxon) left as is',
    );
    const states = lib.db
      .prepare(`SELECT state FROM label WHERE image_id IN (${ids.slice(0, 4).join(',')})`)
      .pluck()
      .all();
    expect(states).toEqual(['human_verified', 'human_verified', 'human_verified', 'human_verified']);
  });

  it('still stops on an image that does not exist only for that image', async () => {
    const report = await lib.invoke('labels.apply', {
      imageIds: [999_999, ids[4]!],
      state: 'human_verified',
      taxon: 'Lactarius deliciosus',
    });
    expect(report.applied).toEqual([ids[4]]);
    expect(report.skipped).toMatchObject([{ imageId: 999_999, state: null, reason: expect.stringMatching(/999999 does not exist/) }]);
  });
});

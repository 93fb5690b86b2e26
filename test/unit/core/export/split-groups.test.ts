// The split: deterministic for a seed, independent of row order, groups never straddle splits, stratified.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SelectedRow } from '../../../../src-main/core/export/select-images';
import { assignSplits, groupRows, SPLIT_NAMES } from '../../../../src-main/core/export/split-groups';
import { seededRandom } from '../../../fixtures/synthetic-photos';

function makeRows(count: number, seed: number): SelectedRow[] {
  const rnd = seededRandom(seed);
  const labels = ['Amanita muscaria', 'Boletus edulis', 'Cantharellus cibarius', 'Morchella esculenta', 'Russula emetica'];
  return Array.from({ length: count }, (_, i) => {
    const sha = createHash('sha256').update(`${seed}:${i}`).digest('hex');
    const l = Math.floor(rnd() * labels.length);
    const label = labels[l]!;
    return {
      imageId: i + 1,
      sha256: sha,
      taxon: label,
      label,
      rank: 'species',
      labelState: 'human_verified',
      qualityScore: 50,
      width: 100,
      height: 100,
      format: 'jpeg',
      license: 'CC0-1.0',
      attribution: null,
      sourceUrl: null,
      // Photos of one observation or cluster show one taxon, as in real catalogues.
      observationGroup: rnd() < 0.3 ? `obs-${l}-${Math.floor(rnd() * (count / 30))}` : null,
      clusterId: rnd() < 0.2 ? l * count + Math.floor(rnd() * (count / 40)) : null,
      representativeId: null,
      perceptualHash: '0000000000000000',
    } satisfies SelectedRow;
  });
}

const splitBySha = (rows: SelectedRow[], splitOf: Uint8Array) => new Map(rows.map((r, i) => [r.sha256, splitOf[i]!]));

describe('assignSplits', () => {
  const rows = makeRows(3000, 1);

  it('is deterministic for a seed and independent of the order rows arrive in', () => {
    const a = assignSplits(rows, [80, 10, 10], 42);
    const shuffled = [...rows].reverse();
    const b = assignSplits(shuffled, [80, 10, 10], 42);
    expect(splitBySha(shuffled, b.splitOf)).toEqual(splitBySha(rows, a.splitOf));
    const again = assignSplits(rows, [80, 10, 10], 42);
    expect(Array.from(again.splitOf)).toEqual(Array.from(a.splitOf));
  });

  it('changes with the seed', () => {
    const a = assignSplits(rows, [80, 10, 10], 1);
    const b = assignSplits(rows, [80, 10, 10], 2);
    const differing = a.splitOf.filter((s, i) => s !== b.splitOf[i]).length;
    expect(differing).toBeGreaterThan(100);
  });

  it('keeps every cluster and observation group in one split', () => {
    const { splitOf } = assignSplits(rows, [70, 15, 15], 9);
    const splitOfCluster = new Map<number, number>();
    const splitOfObservation = new Map<string, number>();
    rows.forEach((row, i) => {
      if (row.clusterId !== null) {
        expect(splitOfCluster.get(row.clusterId) ?? splitOf[i]).toBe(splitOf[i]);
        splitOfCluster.set(row.clusterId, splitOf[i]!);
      }
      if (row.observationGroup) {
        expect(splitOfObservation.get(row.observationGroup) ?? splitOf[i]).toBe(splitOf[i]);
        splitOfObservation.set(row.observationGroup, splitOf[i]!);
      }
    });
    expect(splitOfCluster.size).toBeGreaterThan(50);
    expect(splitOfObservation.size).toBeGreaterThan(50);
  });

  it('joins extra links (near-duplicate pairs) transitively', () => {
    const { groupOf } = groupRows(rows.slice(0, 10), [
      [0, 5],
      [5, 9],
    ]);
    expect(groupOf[0]).toBe(groupOf[9]);
  });

  it('stratifies each class near the requested shares', () => {
    const { splitOf } = assignSplits(rows, [80, 10, 10], 3);
    const byLabel = new Map<string, number[]>();
    rows.forEach((row, i) => {
      const counts = byLabel.get(row.label) ?? [0, 0, 0];
      counts[splitOf[i]!]!++;
      byLabel.set(row.label, counts);
    });
    for (const counts of byLabel.values()) {
      const total = counts[0]! + counts[1]! + counts[2]!;
      expect(counts[0]! / total).toBeGreaterThan(0.75);
      expect(counts[0]! / total).toBeLessThan(0.85);
      expect(counts[1]! / total).toBeGreaterThan(0.06);
      expect(counts[2]! / total).toBeGreaterThan(0.06);
    }
  });

  it('never puts anything in a split with a 0% share', () => {
    const { splitOf } = assignSplits(rows, [90, 0, 10], 5);
    expect(splitOf.filter((s) => SPLIT_NAMES[s] === 'val').length).toBe(0);
    expect(splitOf.filter((s) => SPLIT_NAMES[s] === 'test').length).toBeGreaterThan(0);
  });
});

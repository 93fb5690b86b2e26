// The split: deterministic for a seed, independent of row order, groups never straddle splits, stratified.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SelectedRow } from '../../../../src-main/core/export/select-images';
import { classesNotInEverySplit } from '../../../../src-main/core/export/plan-export';
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

/** `photosPerGroup[c][k]` photos in group k of class c; each group is one observation (or one lone photo). */
function longTailRows(photosPerGroup: number[][], tag: string): SelectedRow[] {
  const rows: SelectedRow[] = [];
  photosPerGroup.forEach((groups, c) => {
    const label = `Genus${Math.floor(c / 3)} species${c}`;
    groups.forEach((photos, k) => {
      for (let p = 0; p < photos; p++) {
        const sha = createHash('sha256').update(`${tag}:${c}:${k}:${p}`).digest('hex');
        rows.push({
          imageId: rows.length + 1,
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
          observationGroup: photos > 1 ? `${tag}-obs-${c}-${k}` : null,
          clusterId: null,
          representativeId: null,
          perceptualHash: '0000000000000000',
        });
      }
    });
  });
  return rows;
}

function shareOfSplits(splitOf: Uint8Array): number[] {
  const counts = [0, 0, 0];
  for (const s of splitOf) counts[s]!++;
  return counts.map((n) => n / splitOf.length);
}

function expectNoGroupInTwoSplits(rows: SelectedRow[], splitOf: Uint8Array): void {
  const splitOfGroup = new Map<string, number>();
  rows.forEach((row, i) => {
    const key = row.observationGroup ?? row.sha256;
    expect(splitOfGroup.get(key) ?? splitOf[i]).toBe(splitOf[i]);
    splitOfGroup.set(key, splitOf[i]!);
  });
}

describe('assignSplits on long-tail classes', () => {
  it('gives val and test 8-12 % each for 52 classes of 2 groups, without leakage, the same for the same seed', () => {
    const rnd = seededRandom(52);
    for (const [name, rows] of [
      [
        'single photos',
        longTailRows(
          Array.from({ length: 52 }, () => [1, 1]),
          'single',
        ),
      ],
      [
        'observations of 1-3 photos',
        longTailRows(
          Array.from({ length: 52 }, () => [1 + Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 3)]),
          'obs',
        ),
      ],
    ] as const) {
      for (const seed of [1, 42, 1234]) {
        const a = assignSplits(rows, [80, 10, 10], seed);
        const [, val, test] = shareOfSplits(a.splitOf);
        expect(val, `${name}, seed ${seed}`).toBeGreaterThanOrEqual(0.08);
        expect(val, `${name}, seed ${seed}`).toBeLessThanOrEqual(0.12);
        expect(test, `${name}, seed ${seed}`).toBeGreaterThanOrEqual(0.08);
        expect(test, `${name}, seed ${seed}`).toBeLessThanOrEqual(0.12);
        expectNoGroupInTwoSplits(rows, a.splitOf);
        expect(Array.from(assignSplits([...rows].reverse(), [80, 10, 10], seed).splitOf).reverse()).toEqual(Array.from(a.splitOf));
      }
    }
  });

  it('fills val and test from 101 photos of 52 species at 80/10/10 (issue 14: was 101/0/0)', () => {
    const rnd = seededRandom(101);
    const counts = Array.from({ length: 52 }, () => 1);
    for (let extra = 101 - 52; extra > 0;) {
      const c = Math.floor(rnd() * 52);
      if (counts[c]! < 3) {
        counts[c]!++;
        extra--;
      }
    }
    const rows = longTailRows(
      counts.map((n) => Array.from({ length: n }, () => 1)),
      'mo',
    );
    expect(rows.length).toBe(101);
    const { splitOf } = assignSplits(rows, [80, 10, 10], 42);
    const shares = shareOfSplits(splitOf);
    expect(splitOf.filter((s) => s === 1).length).toBeGreaterThan(0);
    expect(splitOf.filter((s) => s === 2).length).toBeGreaterThan(0);
    shares.forEach((share, s) => expect(Math.abs(share - [0.8, 0.1, 0.1][s]!)).toBeLessThanOrEqual(0.03));
  });

  it('stays within 3 points of the asked shares on Zipf-like class sizes for many seeds and ratios', () => {
    const rnd = seededRandom(7);
    const photosPerGroup = Array.from({ length: 300 }, (_, c) =>
      Array.from({ length: Math.max(1, Math.round(40 / (c + 1))) }, () => (rnd() < 0.7 ? 1 : 2 + Math.floor(rnd() * 3))),
    );
    const rows = longTailRows(photosPerGroup, 'zipf');
    for (const ratios of [
      [80, 10, 10],
      [70, 15, 15],
      [60, 20, 20],
      [90, 0, 10],
    ] as [number, number, number][]) {
      for (const seed of [3, 4, 5]) {
        const { splitOf } = assignSplits(rows, ratios, seed);
        const shares = shareOfSplits(splitOf);
        shares.forEach((share, s) =>
          expect(Math.abs(share - ratios[s]! / 100), `${ratios.join('/')} seed ${seed}`).toBeLessThanOrEqual(0.03),
        );
        expectNoGroupInTwoSplits(rows, splitOf);
      }
    }
  });

  it('keeps each class in every split as far as its groups allow', () => {
    const rows = longTailRows(
      Array.from({ length: 40 }, (_, c) => Array.from({ length: 5 + (c % 8) }, () => 1)),
      'strat',
    );
    const { splitOf } = assignSplits(rows, [60, 20, 20], 11);
    const perClass = new Map<string, number[]>();
    rows.forEach((row, i) => {
      const counts = perClass.get(row.label) ?? [0, 0, 0];
      counts[splitOf[i]!]!++;
      perClass.set(row.label, counts);
    });
    // Five or more groups at 60/20/20 give every split a quota of at least one whole group.
    for (const [label, counts] of perClass)
      expect(
        counts.every((n) => n > 0),
        label,
      ).toBe(true);
  });

  it('sends classes under --min-groups-for-eval to train only and lists them', () => {
    const rows = longTailRows([[1], [1, 1], [1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], 'min');
    const a = assignSplits(rows, [60, 20, 20], 5, [], { minGroupsForEval: 3 });
    expect(a.trainOnlyClasses).toEqual(['Genus0 species0', 'Genus0 species1']);
    expect(a.groupsPerClass.get('Genus0 species1')).toBe(2);
    rows.forEach((row, i) => {
      if (a.trainOnlyClasses.includes(row.label)) expect(SPLIT_NAMES[a.splitOf[i]!]).toBe('train');
    });
  });

  it('lists the classes absent from a split that was asked for', () => {
    const perClass = { 'B b': { train: 1, val: 0, test: 0 }, 'A a': { train: 3, val: 1, test: 1 }, 'C c': { train: 1, val: 1, test: 0 } };
    const groups = new Map([
      ['B b', 1],
      ['A a', 5],
      ['C c', 2],
    ]);
    expect(classesNotInEverySplit(perClass, [80, 10, 10], groups)).toEqual([
      { taxon: 'B b', groups: 1, missing: ['val', 'test'] },
      { taxon: 'C c', groups: 2, missing: ['test'] },
    ]);
    expect(classesNotInEverySplit(perClass, [90, 10, 0], groups)).toEqual([{ taxon: 'B b', groups: 1, missing: ['val'] }]);
  });
});

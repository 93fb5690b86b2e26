// The set join must report exactly the pairs brute force finds, each once, whatever plan it runs.
import { describe, expect, it } from 'vitest';
import { chunkRadii, hammingJoin, planJoin, type HashColumns, type JoinPlan } from '../../../../src-main/core/duplicates/hamming-join';
import { JoinWorkers, shareChunks } from '../../../../src-main/core/duplicates/parallel-join';
import { hamming64 } from '../../../../src-main/core/duplicates/popcount';
import { nearCopyHashes as hashes } from '../../../fixtures/near-hashes';
import { assembleWat, generatedPathOf, watFiles } from '../../../tools/assemble-wasm';
import { readFileSync } from 'node:fs';
import path from 'node:path';

function bruteForce(left: HashColumns, right: HashColumns | null, t: number): string[] {
  const other = right ?? left;
  const out: string[] = [];
  for (let i = 0; i < left.hi.length; i++)
    for (let j = right ? 0 : i + 1; j < other.hi.length; j++)
      if (hamming64(left.hi[i]!, left.lo[i]!, other.hi[j]!, other.lo[j]!) <= t) out.push(`${i}:${j}`);
  return out.sort();
}

function joined(left: HashColumns, right: HashColumns | null, t: number, plan?: JoinPlan): string[] {
  const other = right ?? left;
  const out: string[] = [];
  hammingJoin(
    left,
    right,
    t,
    (i, j, d) => {
      expect(d).toBe(hamming64(left.hi[i]!, left.lo[i]!, other.hi[j]!, other.lo[j]!));
      if (!right) expect(i).toBeLessThan(j);
      out.push(`${i}:${j}`);
    },
    plan,
  );
  return out.sort();
}

/** The plan a million-hash join would use, forced onto a small set. */
const largePlan = (t: number) => planJoin(1_000_000, 1_000_000, t, true);

describe('hammingJoin', () => {
  it.each([0, 3, 6, 10, 13, 16])('self-join finds every pair within %i exactly once (chunked)', (t) => {
    const set = hashes(1200, 11 + t);
    const expected = bruteForce(set, null, t);
    expect(expected.length).toBeGreaterThan(t === 0 ? 10 : 50);
    expect(largePlan(t).chunks.length).toBeGreaterThanOrEqual(4);
    expect(joined(set, null, t, largePlan(t))).toEqual(expected);
  });

  it.each([0, 6, 10, 16])('two-set join finds every pair within %i exactly once (chunked)', (t) => {
    const right = hashes(1500, 21 + t);
    const left = hashes(700, 31 + t, right);
    const expected = bruteForce(left, right, t);
    expect(expected.length).toBeGreaterThan(t === 0 ? 10 : 50);
    expect(joined(left, right, t, largePlan(t))).toEqual(expected);
  });

  it('scans small sets pair by pair and chunks large ones', () => {
    expect(planJoin(40, 40, 10, true).chunks).toEqual([]);
    const set = hashes(300, 5);
    expect(joined(set, null, 10)).toEqual(bruteForce(set, null, 10));
    const large = planJoin(1_000_000, 1_000_000, 10, true);
    expect(large.chunks.map((c) => c.width).reduce((a, b) => a + b)).toBe(64);
    expect(large.chunks.reduce((s, c) => s + c.radius + 1, 0)).toBe(11);
  });

  it('resumes when one bucket pair yields more hits than the kernel collects per call', () => {
    // 500 copies of one hash: 124,750 pairs, all in one bucket of every chunk.
    const n = 500;
    const set = { hi: new Uint32Array(n).fill(0xdeadbeef), lo: new Uint32Array(n).fill(0x12345678) };
    set.lo[7] = 0x12345679;
    let count = 0;
    const seen = new Set<number>();
    hammingJoin(
      set,
      null,
      10,
      (i, j) => {
        count++;
        seen.add(i * n + j);
      },
      largePlan(10),
    );
    expect(count).toBe((n * (n - 1)) / 2);
    expect(seen.size).toBe(count);
  });

  it('splits threshold + 1 over the chunks (pigeonhole)', () => {
    for (const t of [0, 1, 4, 10, 32]) for (const m of [4, 5]) expect(chunkRadii(t, m).reduce((s, r) => s + r + 1, 0)).toBe(t + 1);
  });
});

describe('JoinWorkers', () => {
  it('finds on worker threads exactly the pairs the single-threaded join finds', async () => {
    const workers = new JoinWorkers(2, 0);
    try {
      const right = hashes(6000, 41);
      const left = hashes(3000, 42, right);
      for (const [l, r] of [
        [left, right],
        [left, null],
      ] as const) {
        const expected: string[] = [];
        hammingJoin(l, r, 10, (i, j, d) => expected.push(`${i}:${j}:${d}`));
        const got: string[] = [];
        const plan = await workers.join(l, r, 10, (i, j, d) => got.push(`${i}:${j}:${d}`));
        expect(plan.chunks.length).toBeGreaterThanOrEqual(4);
        expect(got.sort()).toEqual(expected.sort());
        expect(got.length).toBeGreaterThan(50);
      }
    } finally {
      await workers.close();
    }
  });

  it('shares chunks out by cost, largest first, to the least loaded thread', () => {
    expect(shareChunks([5, 1, 4, 2], 2)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(shareChunks([3, 0, 3], 4)).toEqual([[0], [2]]);
  });
});

describe('WebAssembly kernels', () => {
  it.each(watFiles().map((file) => path.basename(file)))(
    'the committed module of %s is assembled from its current source',
    async (name) => {
      const wat = watFiles().find((file) => path.basename(file) === name)!;
      expect(readFileSync(generatedPathOf(wat), 'utf8'), 'run `npm run wasm`').toBe(await assembleWat(wat));
    },
  );
});

// The leakage check: near-duplicate pairs that ended up in different splits, recomputed from the stored
// fingerprints after the split, independently of the clusters the split was built from. The hash join only
// proposes pairs; a pair is a leak when the confirmation clustering uses accepts it (see confirm-leaks.ts), so
// two different photographs whose hashes happen to collide are not moved. The join proposes what clustering's
// does: hash pairs within the threshold, and the wide gates' pairs (content-only-gate.ts: upright pictures a few
// bits further, off-centre windows), so a copy only a wide gate finds (an overlaid or off-centre cropped copy)
// counts as a leak when the content check accepts it, as it joins the cluster.
import type { Db } from '../catalog/database';
import { blob, integer, rawRowChecker } from '../catalog/row-columns';
import { parseFingerprint, type Fingerprint } from '../imaging/fingerprint';
import { candidateGates, NO_WIDE_GATES, withinUprightKey, type CandidateGates } from '../duplicates/content-only-gate';
import type { JoinPlan } from '../duplicates/hamming-join';
import type { ImagePairs, OwnedHashes } from '../duplicates/image-pair-join';
import type { JoinWorkers } from '../duplicates/parallel-join';
import { TaggedHashColumns } from '../duplicates/tagged-hash-columns';
import { parseHexHash } from '../duplicates/popcount';
import type { SelectedRow } from './select-images';
import { SPLIT_NAMES } from './split-groups';

/**
 * What a stored hash describes: the whole picture (any flip/rotation), a region of it (crop, thumbnail), the
 * upright whole picture of a row with a fingerprint (also a whole picture; the wide gates join it) or one of its
 * off-centre windows. A row without a current fingerprint has one WHOLE hash and no part in the wide gates: only
 * the content check decides their pairs, and it needs the fingerprint.
 */
export const WHOLE = 0;
export const REGION = 1;
export const UPRIGHT = 2;
export const OFF_CENTRE = 3;

/**
 * Per row, every 64-bit hash the duplicates fingerprint holds (8 flips/rotations of the whole image, the first
 * upright, then its regions and off-centre windows), or just the perceptual hash for images without a current
 * fingerprint; `kind` says which. Flat arrays: row r owns entries start[r] .. start[r + 1).
 */
export interface RowHashes {
  start: Uint32Array;
  hi: Uint32Array;
  lo: Uint32Array;
  kind: Uint8Array;
  /**
   * Per row, the edge hash of its upright picture (Fingerprint.edges words 0-1; 0 without a fingerprint): the upright
   * gate's key. Absent: the upright join's pairs all go to the confirmer, which applies the key itself (confirmPair).
   */
  uprightEdges?: { hi: Uint32Array; lo: Uint32Array };
}

const checkFingerprintRow = rawRowChecker('fingerprint', [
  ['id', integer],
  ['fingerprint', blob],
]);

export function loadRowHashes(db: Db, rows: readonly SelectedRow[]): RowHashes {
  const rowOfImage = new Map<number, number>();
  rows.forEach((row, r) => rowOfImage.set(row.imageId, r));
  // One pass over the images that have a fingerprint at all, rather than a lookup per exported row.
  // Only the hashes are kept: the DCT coefficients of a parsed fingerprint are ten times their size.
  const fingerprints = new Map<number, Pick<Fingerprint, 'dihedral' | 'regions' | 'offCentre'>>();
  const uprightEdges = { hi: new Uint32Array(rows.length), lo: new Uint32Array(rows.length) };
  const stored = db.prepare(`SELECT id, fingerprint FROM image WHERE fingerprint IS NOT NULL`).raw();
  for (const row of stored.iterate()) {
    const [id, bytes] = checkFingerprintRow(row);
    const r = rowOfImage.get(id);
    if (r === undefined) continue;
    const parsed = parseFingerprint(bytes);
    if (!parsed) continue;
    fingerprints.set(r, { dihedral: parsed.dihedral, regions: parsed.regions, offCentre: parsed.offCentre });
    uprightEdges.hi[r] = parsed.edges[0] ?? 0;
    uprightEdges.lo[r] = parsed.edges[1] ?? 0;
  }
  const start = new Uint32Array(rows.length + 1);
  const columns = new TaggedHashColumns();
  for (let r = 0; r < rows.length; r++) {
    const fingerprint = fingerprints.get(r);
    if (fingerprint) {
      for (let k = 0; k < fingerprint.dihedral.length; k += 2)
        columns.push(fingerprint.dihedral[k]!, fingerprint.dihedral[k + 1]!, k === 0 ? UPRIGHT : WHOLE);
      for (let k = 0; k < fingerprint.regions.length; k += 2) columns.push(fingerprint.regions[k]!, fingerprint.regions[k + 1]!, REGION);
      for (let k = 0; k < fingerprint.offCentre.length; k += 2)
        columns.push(fingerprint.offCentre[k]!, fingerprint.offCentre[k + 1]!, OFF_CENTRE);
    } else {
      const [h, l] = parseHexHash(rows[r]!.perceptualHash);
      columns.push(h, l, WHOLE);
    }
    start[r + 1] = columns.length;
  }
  return { start, ...columns.columns(), kind: columns.tagColumn(), uprightEdges };
}

export interface LeakPair {
  /** Row indices, a < b. */
  a: number;
  b: number;
  distance: number;
}

export interface LeakageReport {
  threshold: number;
  /** Confirmed pairs across splits (every hash-near pair when no confirmer was given). */
  pairs: LeakPair[];
  /** Hash-near pairs across splits that the confirmation turned down (different photographs). */
  rejected: number;
  /** How each split was compared with the earlier ones: chunk widths of the join (empty = every pair compared). */
  joins: { splits: string; chunks: number[] }[];
}

/** The hashes of some rows, each with its row (owner), by what they describe (`all` = whole + regions). */
interface RowLists {
  whole: OwnedHashes;
  all: OwnedHashes;
  regions: OwnedHashes;
  upright: OwnedHashes;
  offCentre: OwnedHashes;
}

/** Whether two rows (a < b) whose hashes are near are copies of each other; null counts every near pair. */
export type LeakConfirmer = ((a: number, b: number) => boolean) | null;

/** Keeps, per confirmed pair of rows in different splits, the smallest distance found. */
class LeakCollector {
  private readonly best = new Map<number, LeakPair>();
  /** Hash-near pairs across splits the confirmer turned down. */
  private readonly turnedDown = new Set<number>();
  constructor(
    private readonly splitOf: Uint8Array,
    private readonly confirm: LeakConfirmer,
  ) {}

  add(pairs: ImagePairs): void {
    for (let k = 0; k < pairs.left.length; k++) {
      const a = pairs.left[k]!;
      const b = pairs.right[k]!;
      if (this.splitOf[a] === this.splitOf[b]) continue;
      const distance = pairs.distance[k]!;
      const key = a * this.splitOf.length + b;
      const known = this.best.get(key);
      if (known) {
        if (distance < known.distance) known.distance = distance;
        continue;
      }
      if (this.turnedDown.has(key)) continue;
      if (this.confirm && !this.confirm(a, b)) {
        this.turnedDown.add(key);
        continue;
      }
      this.best.set(key, { a, b, distance });
    }
  }

  get rejected(): number {
    return this.turnedDown.size;
  }

  pairs(): LeakPair[] {
    return [...this.best.values()].sort((x, y) => x.a - y.a || x.b - y.b);
  }
}

/**
 * Pairs of rows with a whole-image hash of one within the threshold of a whole-image or region hash of the other
 * (as the duplicates domain judges copies: region against region is two photos of a similar centre, not a copy).
 * Two joins, whole x everything and regions x whole, so region pairs are never compared at all (they were a
 * filter on the hits of one join of everything, ~60 % of its work on fingerprints with 25 regions). Then the wide
 * gates' joins, as DuplicateIndex.forEachCandidatePair runs them, each with one hash per row on at least one side
 * and both ways round, since `some` and `other` are different rows; the upright join's pairs held to the upright key
 * (pHash + edge hash of the upright pictures) as DuplicateIndex holds them, before any reaches the confirmer.
 */
async function joinRows(
  some: RowLists,
  other: RowLists,
  threshold: number,
  gates: CandidateGates,
  workers: JoinWorkers,
  collector: LeakCollector,
  uprightEdges: RowHashes['uprightEdges'],
): Promise<JoinPlan[]> {
  const joins: [OwnedHashes, OwnedHashes, number, boolean][] = [
    [some.whole, other.all, threshold, false],
    [some.regions, other.whole, threshold, false],
  ];
  const whole = threshold + gates.wholeMargin;
  if (gates.wholeMargin > 0) joins.push([some.whole, other.upright, whole, false], [some.upright, other.whole, whole, false]);
  if (gates.uprightMargin > 0) joins.push([some.upright, other.upright, threshold + gates.uprightMargin, true]);
  if (gates.offCentre) joins.push([some.upright, other.offCentre, threshold, false], [some.offCentre, other.upright, threshold, false]);
  const plans: JoinPlan[] = [];
  for (const [left, right, within, upright] of joins) {
    if (left.hi.length === 0 || right.hi.length === 0) continue;
    const pairs = await workers.joinImagePairs(left, right, within, true);
    collector.add(upright && uprightEdges ? withinUprightKey(pairs, gates, uprightEdges) : pairs);
    plans.push(pairs.plan);
  }
  return plans;
}

/** The gates in force: the wide ones only with a confirmer, since their pairs are for the content check to decide. */
function gatesFor(threshold: number, confirm: LeakConfirmer): CandidateGates {
  return confirm ? candidateGates(threshold) : NO_WIDE_GATES;
}

/**
 * Every near-duplicate pair across splits, from the hashes alone: the rows of each split joined with the rows
 * of all later splits, so each pair of splits is compared once and the largest split (train) once in all. The
 * repair runs it on the first split, and the report again, independently, on the final one.
 */
export async function findCrossSplitLeaks(
  hashes: RowHashes,
  splitOf: Uint8Array,
  threshold: number,
  workers: JoinWorkers,
  confirm: LeakConfirmer,
  gates: CandidateGates = gatesFor(threshold, confirm),
): Promise<LeakageReport> {
  const collector = new LeakCollector(splitOf, confirm);
  const joins: LeakageReport['joins'] = [];
  for (let s = 0; s + 1 < SPLIT_NAMES.length; s++) {
    const earlier = rowLists(
      hashes,
      rowsWhere(splitOf, (x) => x === s),
    );
    const later = rowLists(
      hashes,
      rowsWhere(splitOf, (x) => x > s),
    );
    if (earlier.all.hi.length === 0 || later.all.hi.length === 0) continue;
    const plans = await joinRows(later, earlier, threshold, gates, workers, collector, hashes.uprightEdges);
    joins.push({ splits: `${SPLIT_NAMES.slice(s + 1).join('+')} x ${SPLIT_NAMES[s]}`, chunks: plans[0]?.chunks.map((c) => c.width) ?? [] });
  }
  return { threshold, pairs: collector.pairs(), rejected: collector.rejected, joins };
}

/** Leaking pairs that involve `rows` under `splitOf`: those rows joined with every row. */
export async function leaksInvolving(
  hashes: RowHashes,
  rows: readonly number[],
  splitOf: Uint8Array,
  threshold: number,
  workers: JoinWorkers,
  confirm: LeakConfirmer,
  gates: CandidateGates = gatesFor(threshold, confirm),
): Promise<LeakPair[]> {
  const collector = new LeakCollector(splitOf, confirm);
  const all = rowLists(
    hashes,
    rowsWhere(splitOf, () => true),
  );
  const some = rowLists(
    hashes,
    [...new Set(rows)].sort((a, b) => a - b),
  );
  await joinRows(some, all, threshold, gates, workers, collector, hashes.uprightEdges);
  return collector.pairs();
}

function rowsWhere(splitOf: Uint8Array, keep: (split: number) => boolean): number[] {
  const rows: number[] = [];
  for (let r = 0; r < splitOf.length; r++) if (keep(splitOf[r]!)) rows.push(r);
  return rows;
}

function rowLists(hashes: RowHashes, rows: readonly number[]): RowLists {
  const count = [0, 0, 0, 0];
  for (const r of rows) for (let e = hashes.start[r]!; e < hashes.start[r + 1]!; e++) count[hashes.kind[e]!]!++;
  const make = (n: number): OwnedHashes => ({ hi: new Uint32Array(n), lo: new Uint32Array(n), owner: new Int32Array(n) });
  // An upright picture is a whole picture too: it goes to both lists.
  const lists = [make(count[WHOLE]! + count[UPRIGHT]!), make(count[REGION]!), make(count[UPRIGHT]!), make(count[OFF_CENTRE]!)];
  const at = [0, 0, 0, 0];
  const put = (list: number, r: number, e: number) => {
    const p = at[list]!++;
    lists[list]!.hi[p] = hashes.hi[e]!;
    lists[list]!.lo[p] = hashes.lo[e]!;
    lists[list]!.owner[p] = r;
  };
  for (const r of rows) {
    for (let e = hashes.start[r]!; e < hashes.start[r + 1]!; e++) {
      const kind = hashes.kind[e]!;
      put(kind === UPRIGHT ? WHOLE : kind, r, e);
      if (kind === UPRIGHT) put(UPRIGHT, r, e);
    }
  }
  const [whole, regions, upright, offCentre] = lists as [OwnedHashes, OwnedHashes, OwnedHashes, OwnedHashes];
  const all: OwnedHashes = {
    hi: concat(new Uint32Array(whole.hi.length + regions.hi.length), whole.hi, regions.hi),
    lo: concat(new Uint32Array(whole.lo.length + regions.lo.length), whole.lo, regions.lo),
    owner: concat(new Int32Array(whole.owner.length + regions.owner.length), whole.owner, regions.owner),
  };
  return { whole, regions, all, upright, offCentre };
}

function concat<T extends Uint32Array | Int32Array>(out: T, a: T, b: T): T {
  out.set(a);
  out.set(b, a.length);
  return out;
}

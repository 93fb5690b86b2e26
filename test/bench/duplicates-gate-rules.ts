// bench:duplicates, the wide candidate gates (issue 14, content-only-gate.ts): which gates, past "some hash pair
// within the threshold", bring copies to the content check, at what cost in candidates of distinct photos and in
// join work. Every rule here shares the content check and the hash bypass; only the gate differs, so one content
// check per pair answers them all. Chosen on speciesOfHalf('tune'), reported on 'eval'.
import { DEFAULT_DUPLICATE_THRESHOLD, UPRIGHT_WHOLE_MARGIN, WHOLE_PICTURE_MARGIN } from '../../src-shared/defaults';
import {
  candidateGates,
  contentOnlyGate,
  NO_WIDE_GATES,
  offCentreDistance,
  UPRIGHT_KEY_OFF,
  uprightEdgeDistance,
  uprightWholeDistance,
  type CandidateGates,
} from '../../src-main/core/duplicates/content-only-gate';
import { planJoin } from '../../src-main/core/duplicates/hamming-join';
import type { Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { OFF_CENTRE_WINDOWS } from '../../src-main/core/imaging/off-centre-windows';

const T = DEFAULT_DUPLICATE_THRESHOLD;

/** The gate sets compared; the product's (candidateGates) first, the v4 rule second (the baseline of the factors). */
export const GATE_RULES: readonly { name: string; gates: CandidateGates }[] = [
  { name: 'ours (v5)', gates: candidateGates(T) },
  { name: 'v4: flips to 14', gates: { ...NO_WIDE_GATES, wholeMargin: WHOLE_PICTURE_MARGIN } },
  { name: 'ours + flips to 14 (v4 + v5)', gates: { ...candidateGates(T), wholeMargin: WHOLE_PICTURE_MARGIN } },
  { name: 'v4 + off-centre windows', gates: { ...NO_WIDE_GATES, wholeMargin: WHOLE_PICTURE_MARGIN, offCentre: true } },
  { name: 'v4 + upright to 16', gates: { ...NO_WIDE_GATES, wholeMargin: WHOLE_PICTURE_MARGIN, uprightMargin: UPRIGHT_WHOLE_MARGIN } },
  { name: 'windows + upright to 14 only', gates: { ...NO_WIDE_GATES, uprightMargin: UPRIGHT_WHOLE_MARGIN - 2, offCentre: true } },
  { name: 'windows only (no upright gate)', gates: { ...NO_WIDE_GATES, offCentre: true } },
  // Issue 19/14: the upright gate held to a 128-bit key over the upright pictures (pHash + edge hash), as the main
  // join's pairs are (EDGE_KEY_THRESHOLD), at its margin of 16 and wider ones.
  { name: 'v5 before the upright key', gates: { ...candidateGates(T), uprightKey: UPRIGHT_KEY_OFF } },
  ...[28, 36, 40].map((key) => ({ name: `upright to 16, key <= ${key}`, gates: { ...candidateGates(T), uprightKey: key } })),
  ...[32, 36, 40].map((key) => ({
    name: `upright to 18, key <= ${key}`,
    gates: { ...candidateGates(T), uprightMargin: 8, uprightKey: key },
  })),
];

export interface GateVerdicts {
  /** Confirmed under each rule. */
  confirmed: boolean[];
  /** A candidate (reaches the content check or the hash rules) under each rule. */
  candidate: boolean[];
  /**
   * When only the upright gate (pictures within 18 bits, any key) could bring the pair: their pHash and edge-hash
   * distances, and whether the content check accepts it (the data the upright key is chosen from).
   */
  uprightOnly: { distance: number; edge: number; accepted: boolean } | null;
}

/**
 * `withinThreshold`: the pair is confirmed at the threshold alone (pixels, or content check or bypass within T);
 * `ordinary`: it is a candidate without a wide gate (pixels, or hashes within T inside the edge key);
 * `contentOnly`: the content check accepts it.
 */
export function gateVerdicts(
  a: Fingerprint,
  b: Fingerprint,
  withinThreshold: boolean,
  ordinary: boolean,
  contentOnly: boolean,
): GateVerdicts {
  const gates = GATE_RULES.map((r) => contentOnlyGate(a, b, T, r.gates) !== null);
  const distance = uprightWholeDistance(a, b);
  const onlyUpright = !withinThreshold && !ordinary && distance <= T + 8 && offCentreDistance(a, b) > T;
  return {
    confirmed: gates.map((g) => withinThreshold || (contentOnly && g)),
    candidate: gates.map((g) => ordinary || g),
    uprightOnly: onlyUpright ? { distance, edge: uprightEdgeDistance(a, b), accepted: contentOnly } : null,
  };
}

export interface GateTally {
  pairs: number;
  confirmed: number[];
  candidates: number[];
  /** GateVerdicts.uprightOnly of the pairs that have one. */
  uprightOnly: { distance: number; edge: number; accepted: boolean }[];
}

export const gateTally = (): GateTally => ({
  pairs: 0,
  confirmed: GATE_RULES.map(() => 0),
  candidates: GATE_RULES.map(() => 0),
  uprightOnly: [],
});

export function countGates(t: GateTally, v: GateVerdicts): void {
  t.pairs++;
  if (v.uprightOnly) t.uprightOnly.push(v.uprightOnly);
  v.confirmed.forEach((yes, k) => (t.confirmed[k]! += yes ? 1 : 0));
  v.candidate.forEach((yes, k) => (t.candidates[k]! += yes ? 1 : 0));
}

/**
 * The join's own cost model (planJoin: bucket probes plus expected comparisons) for a library of `n` images with
 * `targets` whole-and-region hashes each: the region join, then each wide gate's join as the index runs them.
 */
export function joinCost(gates: CandidateGates, n: number, targets: number): number {
  let cost = planJoin(8 * n, targets * n, T, false).estimatedCost;
  if (gates.wholeMargin > 0) cost += planJoin(8 * n, n, T + gates.wholeMargin, false).estimatedCost;
  if (gates.uprightMargin > 0) cost += planJoin(n, n, T + gates.uprightMargin, true).estimatedCost;
  if (gates.offCentre) cost += planJoin(n, OFF_CENTRE_WINDOWS * n, T, false).estimatedCost;
  return cost;
}

/** Per rule: recall of the classes the gates are for and the lowest class, false pairs, candidates, join cost. */
export function printGateRules(perClass: Map<string, GateTally>, distinct: GateTally, disguised: GateTally, targets: number): void {
  console.log(
    `candidate gates (every set with v5's edge key on pairs within the threshold; content check decides past the threshold; join cost by planJoin at 1M images with ${targets.toFixed(1)} targets per image, vs the v4 rule):`,
  );
  const v4Cost = joinCost(GATE_RULES[1]!.gates, 1_000_000, targets);
  for (const [k, rule] of GATE_RULES.entries()) {
    const recall = (kind: string) => {
      const c = perClass.get(kind);
      return c ? `${c.confirmed[k]}/${c.pairs}` : '-';
    };
    let lowest = { kind: '', at: 2 };
    for (const [kind, c] of perClass) if (c.confirmed[k]! / c.pairs < lowest.at) lowest = { kind, at: c.confirmed[k]! / c.pairs };
    console.log(
      `  ${rule.name.padEnd(30)} crop-20-30 ${recall('crop-20-30').padEnd(6)} watermark ${recall('watermark').padEnd(6)} caption ${recall('caption').padEnd(6)} ` +
        `lowest ${lowest.kind} ${(100 * lowest.at).toFixed(1)}%   false pairs ${distinct.confirmed[k]} + ${disguised.confirmed[k]}   ` +
        `candidates: ${distinct.candidates[k]} of ${distinct.pairs} distinct pairs, ${disguised.candidates[k]} of ${disguised.pairs} copy-vs-other view   ` +
        `join cost x${(joinCost(rule.gates, 1_000_000, targets) / v4Cost).toFixed(3)}`,
    );
  }
  printUprightOnly(perClass, distinct, disguised);
}

/**
 * The pairs only the upright gate (within 18 bits) can bring, as (pHash distance, edge-hash distance): the copies the
 * content check accepts, per class, against the pairs of distinct photos and copy-vs-other-view, accepted or not (each
 * a content check when proposed), so the upright key can be read off.
 */
function printUprightOnly(perClass: Map<string, GateTally>, distinct: GateTally, disguised: GateTally): void {
  const show = (list: GateTally['uprightOnly']) =>
    list
      .map((p) => [p.distance, p.edge, p.distance + p.edge] as const)
      .sort((x, y) => x[2] - y[2])
      .map(([d, e, k]) => `${d}+${e}=${k}`)
      .join(' ');
  console.log('pairs only the upright gate (within 18) can bring, as pHash + edge = key:');
  for (const [kind, c] of perClass) {
    const accepted = c.uprightOnly.filter((p) => p.accepted);
    if (accepted.length > 0) console.log(`  copies ${kind.padEnd(18)} ${show(accepted)}`);
  }
  for (const [name, t] of [
    ['distinct photos', distinct],
    ['copy vs other view', disguised],
  ] as const) {
    const keys = t.uprightOnly.map((p) => p.distance + p.edge).sort((x, y) => x - y);
    const under = (k: number) => keys.filter((x) => x <= k).length;
    console.log(
      `  ${name.padEnd(25)} ${keys.length} pairs (${t.uprightOnly.filter((p) => p.accepted).length} accepted); key <= 24/28/32/36/40/44: ` +
        [24, 28, 32, 36, 40, 44].map(under).join('/') +
        `; within 16 bits: ${t.uprightOnly.filter((p) => p.distance <= T + UPRIGHT_WHOLE_MARGIN).length}`,
    );
  }
}

// bench:duplicates, the wide candidate gates (issue 14, content-only-gate.ts): which gates, past "some hash pair
// within the threshold", bring copies to the content check, at what cost in candidates of distinct photos and in
// join work. Every rule here shares the content check and the hash bypass; only the gate differs, so one content
// check per pair answers them all. Chosen on speciesOfHalf('tune'), reported on 'eval'.
import { DEFAULT_DUPLICATE_THRESHOLD, UPRIGHT_WHOLE_MARGIN, WHOLE_PICTURE_MARGIN } from '../../src-shared/defaults';
import { candidateGates, contentOnlyGate, NO_WIDE_GATES, type CandidateGates } from '../../src-main/core/duplicates/content-only-gate';
import { planJoin } from '../../src-main/core/duplicates/hamming-join';
import type { Fingerprint } from '../../src-main/core/imaging/fingerprint';
import { OFF_CENTRE_WINDOWS } from '../../src-main/core/imaging/off-centre-windows';

const T = DEFAULT_DUPLICATE_THRESHOLD;

/** The gate sets compared; the product's (candidateGates) first, the v4 rule second (the baseline of the factors). */
export const GATE_RULES: readonly { name: string; gates: CandidateGates }[] = [
  { name: 'ours (v5)', gates: candidateGates(T) },
  { name: 'v4: flips to 14', gates: { ...NO_WIDE_GATES, wholeMargin: WHOLE_PICTURE_MARGIN } },
  { name: 'ours + flips to 14 (v4 + v5)', gates: { ...candidateGates(T), wholeMargin: WHOLE_PICTURE_MARGIN } },
  { name: 'v4 + off-centre windows', gates: { wholeMargin: WHOLE_PICTURE_MARGIN, uprightMargin: 0, offCentre: true } },
  { name: 'v4 + upright to 16', gates: { wholeMargin: WHOLE_PICTURE_MARGIN, uprightMargin: UPRIGHT_WHOLE_MARGIN, offCentre: false } },
  { name: 'windows + upright to 14 only', gates: { wholeMargin: 0, uprightMargin: UPRIGHT_WHOLE_MARGIN - 2, offCentre: true } },
];

export interface GateVerdicts {
  /** Confirmed under each rule. */
  confirmed: boolean[];
  /** A candidate (reaches the content check or the hash rules) under each rule. */
  candidate: boolean[];
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
  return {
    confirmed: gates.map((g) => withinThreshold || (contentOnly && g)),
    candidate: gates.map((g) => ordinary || g),
  };
}

export interface GateTally {
  pairs: number;
  confirmed: number[];
  candidates: number[];
}

export const gateTally = (): GateTally => ({ pairs: 0, confirmed: GATE_RULES.map(() => 0), candidates: GATE_RULES.map(() => 0) });

export function countGates(t: GateTally, v: GateVerdicts): void {
  t.pairs++;
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
}

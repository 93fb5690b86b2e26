// Which image keeps the cluster under review in view after a decision: one the decision cannot take out of it.
// Clusters are stars (issue 14), so any member but the centre can leave: "Not a duplicate" between the centre and a
// member takes that member out, even when the member was the representative at an earlier decision. The view
// therefore re-anchors on every decision, never on the image it first anchored on.
import type { DuplicateDecision } from '../../../src-shared/api/duplicates';

/** `representative`: the centre of the cluster under review when the decision is taken. */
export function anchorAfterDecision(decision: DuplicateDecision, representative: number): number {
  // The new representative is the centre of the rebuilt star; otherwise the centre stays the centre: a pair
  // separated from it, a member kept, another cluster merged in or the cluster resolved never move it out.
  return decision.action === 'set_representative' ? decision.imageId : representative;
}

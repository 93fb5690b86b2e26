// Which error a view shows: only that of the action the user took last, so the next success clears an old banner.

export interface ActionState {
  /** What the banner says before the error ("Import did not start"). */
  title: string;
  error: unknown;
  /** When the action was last submitted (react-query's mutation submittedAt); 0 when never. */
  submittedAt: number;
}

/** The last submitted action's error with its title, or null when that action has not failed. */
export function latestActionError(actions: ActionState[]): { title: string; error: unknown } | null {
  let latest: ActionState | null = null;
  for (const action of actions) if (action.submittedAt > 0 && (!latest || action.submittedAt >= latest.submittedAt)) latest = action;
  return latest && latest.error ? { title: latest.title, error: latest.error } : null;
}

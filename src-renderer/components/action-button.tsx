// The button of an action: the same perform as its key, its key shown beside the label.
import { isEnabled, keyHintOf, type Action } from '../app/actions';

export function ActionButton<C>({
  action,
  ctx,
  className,
  pressed,
}: {
  action: Action<C>;
  ctx: C;
  className?: string;
  /** For a toggle (100 %): whether it is on, told to assistive technology. */
  pressed?: boolean;
}) {
  const hint = keyHintOf(action as Action<unknown>);
  return (
    <button
      type="button"
      className={className}
      data-action={action.id}
      disabled={!isEnabled(action, ctx)}
      aria-pressed={pressed}
      title={`${action.label} (${hint})`}
      onClick={() => action.perform(ctx)}
    >
      {action.label} <kbd>{hint}</kbd>
    </button>
  );
}

// Actions as data, as Excalidraw's ActionManager has them: each is written once (label, keys, when, perform) and
// both its key and its button run it. Whether the user is typing is decided here and nowhere else.

export interface Action<C> {
  id: string;
  /** The button's text. */
  label: string;
  /** KeyboardEvent.key values that run it, lower-cased ('k', 'enter', 'arrowright', ' '). */
  keys: readonly string[];
  /** How the key is shown beside the label; defaults to the first key. */
  keyHint?: string;
  /** Whether it can run now; a disabled action's key does nothing and its button is greyed. */
  enabled?: (ctx: C) => boolean;
  perform: (ctx: C) => void;
}

/** Input types that take arrow keys and letters as text; sliders, checkboxes and buttons do not. */
const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'number',
  'password',
  'url',
  'tel',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
]);

/** True when a key pressed in `target` is the user typing (text fields and lists opt out of the action keys). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Partial<HTMLElement>).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName === 'INPUT') return TEXT_INPUT_TYPES.has((el as HTMLInputElement).type || 'text');
  return false;
}

export function isEnabled<C>(action: Action<C>, ctx: C): boolean {
  return action.enabled ? action.enabled(ctx) : true;
}

export function keyHintOf(action: Action<unknown>): string {
  if (action.keyHint) return action.keyHint;
  const key = action.keys[0] ?? '';
  const named: Record<string, string> = {
    arrowleft: '←',
    arrowright: '→',
    arrowup: '↑',
    arrowdown: '↓',
    enter: 'Enter',
    escape: 'Esc',
    ' ': 'Space',
  };
  return named[key] ?? key.toUpperCase();
}

/**
 * The action a key press runs, or null: modified keys (Ctrl/Cmd/Alt, the shell's shortcuts) and typing never run
 * one, and a disabled action lets the key through.
 */
export function actionForKey<C>(
  actions: readonly Action<C>[],
  ctx: C,
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>,
): Action<C> | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return null;
  const key = event.key.toLowerCase();
  return actions.find((a) => a.keys.includes(key) && isEnabled(a, ctx)) ?? null;
}

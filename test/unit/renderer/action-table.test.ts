// @vitest-environment jsdom
// The action table: a key runs the enabled action it names, never while typing or with a modifier held.
import { describe, expect, it } from 'vitest';
import { actionForKey, isTypingTarget, keyHintOf, type Action } from '../../../src-renderer/app/actions';

interface Ctx {
  log: string[];
  canKeep: boolean;
}
const actions: Action<Ctx>[] = [
  { id: 'keep', label: 'Keep', keys: ['k'], enabled: (c) => c.canKeep, perform: (c) => c.log.push('keep') },
  { id: 'next', label: 'Next', keys: ['arrowright'], perform: (c) => c.log.push('next') },
];
const key = (k: string, target: EventTarget | null = document.body, mods: Partial<KeyboardEvent> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
  ...mods,
});

describe('actionForKey', () => {
  it('finds the action whatever element has focus, except text fields', () => {
    const ctx = { log: [], canKeep: true };
    const button = document.createElement('button');
    const range = Object.assign(document.createElement('input'), { type: 'range' });
    expect(actionForKey(actions, ctx, key('K', button))?.id).toBe('keep');
    expect(actionForKey(actions, ctx, key('ArrowRight', range))?.id).toBe('next');
    const text = Object.assign(document.createElement('input'), { type: 'text' });
    expect(actionForKey(actions, ctx, key('k', text))).toBeNull();
    expect(actionForKey(actions, ctx, key('k', document.createElement('textarea')))).toBeNull();
    expect(actionForKey(actions, ctx, key('k', document.body, { ctrlKey: true }))).toBeNull();
  });

  it('lets the key through when the action is disabled', () => {
    expect(actionForKey(actions, { log: [], canKeep: false }, key('k'))).toBeNull();
  });

  it('decides typing in one place and shows key hints', () => {
    expect(isTypingTarget(Object.assign(document.createElement('input'), { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(document.createElement('select'))).toBe(true);
    expect(keyHintOf(actions[1] as Action<unknown>)).toBe('→');
    expect(keyHintOf(actions[0] as Action<unknown>)).toBe('K');
  });
});

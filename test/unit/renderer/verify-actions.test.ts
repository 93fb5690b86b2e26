// @vitest-environment jsdom
// The Verify view's keys and buttons come from one table: A D G E U Z and the arrows run its actions, in either case,
// never with a modifier, while typing or while the taxon editor is open.
import { describe, expect, it } from 'vitest';
import { actionForKey } from '../../../src-renderer/app/actions';
import { VERIFY_ACTIONS, type VerifyContext } from '../../../src-renderer/views/verify/verify-actions';

function context(overrides: Partial<VerifyContext> = {}): { ctx: VerifyContext; calls: string[] } {
  const calls: string[] = [];
  const ctx: VerifyContext = {
    hasCurrent: true,
    hasTaxon: true,
    editing: false,
    canUndo: true,
    accept: () => calls.push('accept'),
    dispute: () => calls.push('dispute'),
    coarser: () => calls.push('coarser'),
    edit: () => calls.push('edit'),
    move: (d) => calls.push(`move${d}`),
    undo: () => calls.push('undo'),
    zoom: () => calls.push('zoom'),
    ...overrides,
  };
  return { ctx, calls };
}

const press = (ctx: VerifyContext, key: string, mods: Partial<KeyboardEvent> = {}, target: EventTarget = document.body) => {
  const action = actionForKey(VERIFY_ACTIONS, ctx, { key, ctrlKey: false, metaKey: false, altKey: false, target, ...mods });
  action?.perform(ctx);
  return action?.id ?? null;
};

describe('verify actions', () => {
  it('maps A D G E U Z and the arrows, in either case, whichever button has focus', () => {
    const { ctx, calls } = context();
    const keys = ['a', 'D', 'g', 'E', 'u', 'Z', 'ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'];
    const ids = keys.map((k) => press(ctx, k, {}, document.createElement('button')));
    expect(ids).toEqual(['accept', 'dispute', 'genus', 'edit', 'undo', 'zoom', 'next', 'next', 'previous', 'previous']);
    expect(calls).toEqual(['accept', 'dispute', 'coarser', 'edit', 'undo', 'zoom', 'move1', 'move1', 'move-1', 'move-1']);
  });

  it('leaves other keys, modified keys and typing alone', () => {
    const { ctx, calls } = context();
    expect(press(ctx, 'x')).toBeNull();
    expect(press(ctx, 'a', { ctrlKey: true })).toBeNull();
    expect(press(ctx, 'u', { metaKey: true })).toBeNull();
    expect(press(ctx, 'a', {}, Object.assign(document.createElement('input'), { type: 'text' }))).toBeNull();
    expect(calls).toEqual([]);
  });

  it('decides nothing while the taxon editor is open, without a photo, or at genus without a taxon', () => {
    const editing = context({ editing: true });
    expect(['a', 'd', 'g', 'e', 'u', 'z', 'ArrowRight'].map((k) => press(editing.ctx, k))).toEqual(Array(7).fill(null));
    const empty = context({ hasCurrent: false, hasTaxon: false });
    expect(press(empty.ctx, 'a')).toBeNull();
    // Undo needs no photo on screen: only something to undo.
    expect(press(empty.ctx, 'u')).toBe('undo');
    expect(press(context({ canUndo: false }).ctx, 'u')).toBeNull();
    expect(press(context({ hasTaxon: false }).ctx, 'g')).toBeNull();
    expect(editing.calls).toEqual([]);
    expect(empty.calls).toEqual(['undo']);
  });

  it('gives every action a distinct key', () => {
    const keys = VERIFY_ACTIONS.flatMap((a) => a.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

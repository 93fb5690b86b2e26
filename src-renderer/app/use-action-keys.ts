// A view's one keyboard handler: runs the view's action table for every key, whichever button has focus.
import { useEffect, useRef } from 'react';
import { actionForKey, type Action } from './actions';

export function useActionKeys<C>(actions: readonly Action<C>[], ctx: C): void {
  // The latest table and context, so the listener is added once and never sees a stale cluster or member.
  const latest = useRef({ actions, ctx });
  useEffect(() => {
    latest.current = { actions, ctx };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { actions: table, ctx: current } = latest.current;
      const action = actionForKey(table, current, event);
      if (!action) return;
      // Capture phase plus preventDefault: a focused button must not also take Enter or Space as its own click.
      event.preventDefault();
      event.stopPropagation();
      action.perform(current);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

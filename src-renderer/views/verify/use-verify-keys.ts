// Keyboard of the verify view: A accept, D dispute, G coarser rank, E edit taxon, arrows move, U undo, Z loupe.
import { useEffect } from 'react';

export interface VerifyKeyActions {
  accept(): void;
  dispute(): void;
  coarser(): void;
  edit(): void;
  move(delta: number): void;
  undo(): void;
  /** Toggles the loupe between fit and 100 %. */
  zoom(): void;
}

export function handleVerifyKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, actions: VerifyKeyActions): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  switch (event.key.toLowerCase()) {
    case 'a':
      actions.accept();
      return true;
    case 'd':
      actions.dispute();
      return true;
    case 'g':
      actions.coarser();
      return true;
    case 'e':
      actions.edit();
      return true;
    case 'u':
      actions.undo();
      return true;
    case 'z':
      actions.zoom();
      return true;
    case 'arrowright':
    case 'arrowdown':
      actions.move(1);
      return true;
    case 'arrowleft':
    case 'arrowup':
      actions.move(-1);
      return true;
    default:
      return false;
  }
}

/** Listens on the window while `enabled`; keys typed into a text field are left alone. */
export function useVerifyKeys(actions: VerifyKeyActions, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (handleVerifyKey(event, actions)) event.preventDefault();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [actions, enabled]);
}

// The Verify view's action table: each decision, move and toggle once, for its key and its button alike.
import type { Action } from '../../app/actions';

export interface VerifyContext {
  /** A photo is shown (the queue is not empty). */
  hasCurrent: boolean;
  /** The shown photo has a taxon to take to its genus. */
  hasTaxon: boolean;
  /** The taxon editor is open: its field takes the keys, and a click elsewhere must not decide behind it. */
  editing: boolean;
  canUndo: boolean;
  accept: () => void;
  dispute: () => void;
  coarser: () => void;
  edit: () => void;
  move: (delta: number) => void;
  undo: () => void;
  /** Toggles the loupe between fit and 100 %. */
  zoom: () => void;
}

const onPhoto = (c: VerifyContext) => c.hasCurrent && !c.editing;

export const VERIFY_ACTIONS: readonly Action<VerifyContext>[] = [
  { id: 'accept', label: 'Accept', keys: ['a'], enabled: onPhoto, perform: (c) => c.accept() },
  { id: 'dispute', label: 'Dispute', keys: ['d'], enabled: onPhoto, perform: (c) => c.dispute() },
  { id: 'genus', label: 'Genus', keys: ['g'], enabled: (c) => onPhoto(c) && c.hasTaxon, perform: (c) => c.coarser() },
  { id: 'edit', label: 'Edit', keys: ['e'], enabled: onPhoto, perform: (c) => c.edit() },
  { id: 'previous', label: 'Previous', keys: ['arrowleft', 'arrowup'], enabled: onPhoto, perform: (c) => c.move(-1) },
  { id: 'next', label: 'Next', keys: ['arrowright', 'arrowdown'], enabled: onPhoto, perform: (c) => c.move(1) },
  { id: 'undo', label: 'Undo', keys: ['u'], enabled: (c) => c.canUndo && !c.editing, perform: (c) => c.undo() },
  { id: 'zoom', label: '100 %', keys: ['z'], enabled: onPhoto, perform: (c) => c.zoom() },
];

export function verifyAction(id: string): Action<VerifyContext> {
  const action = VERIFY_ACTIONS.find((a) => a.id === id);
  if (!action) throw new Error(`no verify action "${id}"`);
  return action;
}

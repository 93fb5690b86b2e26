// Verify view UI state: position in the queue, optimistic decisions not yet confirmed, and the undo stack.
import { create } from 'zustand';
import type { LabelState } from '../../src-shared/model';

export interface Decision {
  state: LabelState;
  taxon: string;
  /** 'pending' until the API confirms; 'failed' keeps the error next to the photo. */
  status: 'pending' | 'saved' | 'failed';
  error?: string;
}

interface VerifyState {
  index: number;
  decisions: Record<number, Decision>;
  undoStack: number[];
  taxonFilter: string;
  includeDisputed: boolean;
  move(delta: number, length: number): void;
  decide(imageId: number, decision: Omit<Decision, 'status'>): void;
  settle(imageId: number, status: 'saved' | 'failed', error?: string): void;
  /** Removes the latest decision and returns its image id, or null when there is nothing to undo. */
  popUndo(): number | null;
  setTaxonFilter(taxon: string): void;
  setIncludeDisputed(on: boolean): void;
}

export const useVerifyStore = create<VerifyState>((set, get) => ({
  index: 0,
  decisions: {},
  undoStack: [],
  taxonFilter: '',
  includeDisputed: true,
  move(delta, length) {
    const index = Math.max(0, Math.min(length - 1, get().index + delta));
    set({ index });
  },
  decide(imageId, decision) {
    set({ decisions: { ...get().decisions, [imageId]: { ...decision, status: 'pending' } }, undoStack: [...get().undoStack, imageId] });
  },
  settle(imageId, status, error) {
    const current = get().decisions[imageId];
    if (!current) return;
    set({ decisions: { ...get().decisions, [imageId]: { ...current, status, ...(error ? { error } : {}) } } });
  },
  popUndo() {
    const stack = [...get().undoStack];
    const imageId = stack.pop();
    if (imageId === undefined) return null;
    const decisions = { ...get().decisions };
    delete decisions[imageId];
    set({ undoStack: stack, decisions });
    return imageId;
  },
  setTaxonFilter(taxonFilter) {
    set({ taxonFilter, index: 0 });
  },
  setIncludeDisputed(includeDisputed) {
    set({ includeDisputed, index: 0 });
  },
}));

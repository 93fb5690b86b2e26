// Paths dropped onto the window, waiting for the curator to press Import (UI state shared by the shell and the view).
import { create } from 'zustand';

interface ImportState {
  pendingPaths: string[];
  setPendingPaths(paths: string[]): void;
  addPendingPaths(paths: string[]): void;
}

export const useImportStore = create<ImportState>((set, get) => ({
  pendingPaths: [],
  setPendingPaths: (pendingPaths) => set({ pendingPaths }),
  addPendingPaths: (paths) => set({ pendingPaths: [...new Set([...get().pendingPaths, ...paths])] }),
}));

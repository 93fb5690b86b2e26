// Which view is showing (UI state), mirrored in location.hash so reload and the app menu land on the same view.
import { create } from 'zustand';

export const VIEWS = [
  'import',
  'library',
  'detail',
  'verify',
  'duplicates',
  'search',
  'export',
  'sync',
  'dashboard',
  'diagnostics',
] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  /** The image of the detail view, or the query image of a search. */
  imageId: number | null;
}

export function parseHash(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  const known = (VIEWS as readonly string[]).includes(view ?? '') ? (view as ViewName) : 'library';
  const imageId = id && /^\d+$/.test(id) ? Number(id) : null;
  return { view: known, imageId };
}

export function routeHash(route: Route): string {
  return `#/${route.view}${route.imageId ? `/${route.imageId}` : ''}`;
}

interface RouteState extends Route {
  go(view: ViewName, imageId?: number | null): void;
  syncFromHash(hash: string): void;
}

export const useRoute = create<RouteState>((set) => ({
  view: 'library',
  imageId: null,
  go(view, imageId = null) {
    const route = { view, imageId };
    set(route);
    if (typeof location !== 'undefined' && location.hash !== routeHash(route)) location.hash = routeHash(route);
  },
  syncFromHash(hash) {
    set(parseHash(hash));
  },
}));

// Which view the window opens on: Import while the library holds no photographs (a first start), else the renderer's own.
import type { ApiHost } from '../host/api-host';

export type FirstView = 'import' | null;

export async function firstView(library: Pick<ApiHost, 'invoke'>): Promise<FirstView> {
  const stats = await library.invoke('stats.get', {});
  return stats.images === 0 ? 'import' : null;
}

/** The renderer's route for a view, as location.hash holds it (without the '#'). */
export function viewHash(view: Exclude<FirstView, null>): string {
  return `/${view}`;
}

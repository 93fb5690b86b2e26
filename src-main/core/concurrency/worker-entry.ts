// Finds a worker entry: the bundled .js next to the built main, or the .ts source run through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

export interface WorkerEntry {
  url: URL;
  /** workerData fields the bootstrap needs (empty for a built entry). */
  bootstrapData: Record<string, string>;
}

export type WorkerName = 'decode-worker' | 'embed-worker';

export function resolveWorkerEntry(name: WorkerName): WorkerEntry {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Built by electron-vite: every worker entry sits beside the main bundle (out/main/<name>.js).
  const candidates = [path.join(here, `${name}.js`), path.join(here, '..', `${name}.js`)];
  for (const built of candidates) {
    if (existsSync(built)) return { url: pathToFileURL(built), bootstrapData: {} };
  }
  const source = path.resolve(here, '../../workers', `${name}.ts`);
  if (!existsSync(source)) throw new Error(`worker entry ${name} not found (looked in ${candidates.join(', ')} and ${source})`);
  return {
    url: pathToFileURL(path.resolve(here, '../../workers/ts-bootstrap.mjs')),
    bootstrapData: { __entry: pathToFileURL(source).href },
  };
}

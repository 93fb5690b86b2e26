// Finds and starts a worker entry: the bundled .js next to the built main; from source, the build in out/main when it
// is newer than every source file (it starts ~2x faster), else the .ts source run through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WorkerEntry {
  url: URL;
  /** workerData fields the bootstrap needs (empty for a built entry). */
  bootstrapData: Record<string, string>;
}

export type WorkerName = 'decode-worker' | 'embed-worker' | 'hamming-worker' | 'display-worker' | 'library-host';

const here = path.dirname(fileURLToPath(import.meta.url));

export function resolveWorkerEntry(name: WorkerName): WorkerEntry {
  // Inside the built app: every worker entry sits beside the main bundle (out/main/<name>.js).
  const candidates = [path.join(here, `${name}.js`), path.join(here, '..', `${name}.js`)];
  for (const built of candidates) {
    if (existsSync(built)) return { url: pathToFileURL(built), bootstrapData: {} };
  }
  const source = path.resolve(here, '../../workers', `${name}.ts`);
  if (!existsSync(source)) throw new Error(`worker entry ${name} not found (looked in ${candidates.join(', ')} and ${source})`);
  const fresh = freshBuildOf(name);
  if (fresh) return { url: pathToFileURL(fresh), bootstrapData: {} };
  return {
    url: pathToFileURL(path.resolve(here, '../../workers/ts-bootstrap.mjs')),
    bootstrapData: { __entry: pathToFileURL(source).href },
  };
}

/**
 * Starts a worker without the tsx loader that `tsx` or `node --import tsx` put in the parent's options: a built
 * entry is plain JavaScript and the source entry's bootstrap registers tsx itself, so the inherited loader only
 * slows each worker's start (30-60 ms measured per worker, on the critical path of every job).
 */
export function startWorker(url: URL, workerData: Record<string, unknown>, parentExecArgv = process.execArgv): Worker {
  const execArgv = withoutTsxLoader(parentExecArgv);
  if (execArgv.length === parentExecArgv.length) return new Worker(url, { workerData });
  try {
    return new Worker(url, { workerData, execArgv });
  } catch (err) {
    // Options that only a process can take (V8 heap sizes, --title) are refused when given explicitly, though
    // tolerated when inherited: then the worker inherits everything, as it would without this function.
    if ((err as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw err;
    return new Worker(url, { workerData });
  }
}

const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** The Node options without any loader flag (--import, --require, --loader) whose value is tsx. */
export function withoutTsxLoader(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  const isTsx = (value: string) => /(^|[/\\])tsx([/\\]|$)/.test(value);
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (LOADER_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : (execArgv[i + 1] ?? '');
      if (isTsx(value)) {
        if (eq < 0) i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}

const repoRoot = path.resolve(here, '../../..');
const newestSourceMs = new Map<string, number>();

/** out/main/<name>.js from `npm run build`, if no source file it is built from changed after it. */
export function freshBuildOf(name: WorkerName, root = repoRoot): string | null {
  const built = path.join(root, 'out', 'main', `${name}.js`);
  if (!existsSync(built)) return null;
  if (!newestSourceMs.has(root))
    newestSourceMs.set(root, Math.max(newestMtime(path.join(root, 'src-main')), newestMtime(path.join(root, 'src-shared'))));
  return statSync(built).mtimeMs > newestSourceMs.get(root)! ? built : null;
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|mjs|json)$/.test(entry.name)) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

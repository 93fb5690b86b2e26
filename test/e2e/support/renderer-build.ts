// Makes sure out/renderer exists: builds it once if missing, and says clearly what to run when that fails.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './serve-process';

export const RENDERER_INDEX = path.join(REPO_ROOT, 'out/renderer/index.html');

export function ensureRendererBuilt(): void {
  if (existsSync(RENDERER_INDEX)) return;
  try {
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    });
  } catch (err) {
    throw new Error(
      `the renderer is not built (${RENDERER_INDEX} missing) and building it failed; run "npm run build" first.\n${(err as Error).message}`,
    );
  }
  if (!existsSync(RENDERER_INDEX))
    throw new Error(`"electron-vite build" did not produce ${RENDERER_INDEX}; run "npm run build" and check its output`);
}

// The record a demo folder keeps of what it was built with, so that a reused folder is checked, not trusted:
// an empty or half-built folder (a build that was interrupted) or one edited since does not pass.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Written last by buildDemoFolder; not a photo, so the demo ingests the folders beside it (demoPhotoPaths). */
export const DEMO_MANIFEST = 'sporeprint-demo.json';
const BUILT_BY = 'sporeprint demo';

interface DemoManifest {
  builtBy: typeof BUILT_BY;
  /** Relative path (with /) -> sha256 of every file the build wrote. */
  contents: Record<string, string>;
}

export type DemoFolderState = { state: 'missing' | 'empty' | 'valid' } | { state: 'invalid'; reason: string };

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

export function writeDemoManifest(root: string, files: string[]): void {
  const contents = Object.fromEntries(files.map((f) => [path.relative(root, f).split(path.sep).join('/'), sha256Of(f)]));
  const manifest: DemoManifest = { builtBy: BUILT_BY, contents };
  writeFileSync(path.join(root, DEMO_MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
}

/** Whether a folder can hold a new demo (missing or empty), is a complete unchanged demo, or is something else. */
export function demoFolderState(root: string): DemoFolderState {
  if (!existsSync(root)) return { state: 'missing' };
  if (!statSync(root).isDirectory()) return { state: 'invalid', reason: 'it is a file, not a folder' };
  if (readdirSync(root).length === 0) return { state: 'empty' };
  const file = path.join(root, DEMO_MANIFEST);
  if (!existsSync(file))
    return { state: 'invalid', reason: `it has no ${DEMO_MANIFEST}: not a demo folder, or one whose build was interrupted` };
  let manifest: DemoManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as DemoManifest;
  } catch {
    return { state: 'invalid', reason: `${DEMO_MANIFEST} is not valid JSON` };
  }
  if (manifest.builtBy !== BUILT_BY || typeof manifest.contents !== 'object' || manifest.contents === null)
    return { state: 'invalid', reason: `${DEMO_MANIFEST} was not written by sporeprint demo` };
  for (const [relative, sha256] of Object.entries(manifest.contents)) {
    const full = path.join(root, ...relative.split('/'));
    if (!existsSync(full)) return { state: 'invalid', reason: `${relative} is missing` };
    if (sha256Of(full) !== sha256) return { state: 'invalid', reason: `${relative} changed since the demo was built` };
  }
  return { state: 'valid' };
}

/** What the demo ingests: everything in its folder but the manifest. */
export function demoPhotoPaths(root: string): string[] {
  return readdirSync(root)
    .filter((name) => name !== DEMO_MANIFEST)
    .sort()
    .map((name) => path.join(root, name));
}

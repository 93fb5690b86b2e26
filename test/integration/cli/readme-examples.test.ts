// Runs the README's CLI examples as written: every fenced `sporeprint ...`, `npx sporeprint ...` and
// `npm run cli -- ...` line, in README order, against a demo library in a temp folder (the README's /tmp paths and
// ~/ paths, ~/Photos/Fungi being the demo photos, are mapped there). Commands that need a server or run until interrupted (serve, sync without
// --status, fetch-hq, model install) are parsed with their options and --help, so a renamed option still fails.
// Also checks the README's config.json example against the settings schema.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../../src-main/cli/command';
import { runCli } from '../../../src-main/cli/main';
import { CONFIG_KEYS, loadConfig } from '../../../src-main/core/config';
import { makeTempDir } from '../../fixtures/temp-library';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** Shell words of one command line: double- and single-quoted words kept whole. */
export function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The argument lists of every sporeprint invocation in the README's shell blocks, in order. */
export function readmeCliExamples(text: string): { line: string; argv: string[] }[] {
  const out: { line: string; argv: string[] }[] = [];
  for (const block of text.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      for (const part of line.split('&&').map((p) => p.trim())) {
        const m = /^(?:npx sporeprint|sporeprint|npm run cli --)(?:\s+(.*))?$/.exec(part);
        if (m) out.push({ line: part, argv: shellWords(m[1] ?? '') });
      }
    }
  }
  return out;
}

/** Why an example is only parsed (with --help), or null when it runs. */
function onlyParsed(argv: string[]): string | null {
  const words = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--library');
  const [command, action] = words;
  if (command === 'serve') return 'runs until interrupted';
  if (command === 'fetch-hq') return 'needs iNaturalist, GBIF and Commons';
  if (command === 'model' && action === 'install') return 'downloads a model';
  if (command === 'sync' && !argv.includes('--status')) return "needs the lab's PostgreSQL";
  return null;
}

let root: string;
let cleanup: () => void;
const saved = { library: process.env.SPOREPRINT_LIBRARY, tmp: process.env.TMPDIR };
beforeAll(() => {
  ({ dir: root, cleanup } = makeTempDir('sporeprint-readme-'));
  // The demo's default photo folder lives in the temp folder: this test's own.
  process.env.TMPDIR = root;
  process.env.SPOREPRINT_LIBRARY = path.join(root, 'sporeprint-demo');
});
afterAll(() => {
  for (const [key, value] of [
    ['SPOREPRINT_LIBRARY', saved.library],
    ['TMPDIR', saved.tmp],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  cleanup();
});

function mapPaths(arg: string): string {
  if (arg === '~/Photos/Fungi') return path.join(root, 'sporeprint-demo-photos');
  if (arg === 'out/renderer') return path.join(root, 'renderer');
  // Any other home path (an export folder, say) lands in the test's own folder, never in a literal "~" here.
  if (arg.startsWith('~/')) return path.join(root, 'home', arg.slice(2));
  return arg.startsWith('/tmp/') ? path.join(root, arg.slice('/tmp/'.length)) : arg;
}

describe('the README', () => {
  it('has CLI examples covering the commands a newcomer starts with', () => {
    const commands = new Set(
      readmeCliExamples(readme).map((e) => e.argv.find((a, i) => !a.startsWith('-') && e.argv[i - 1] !== '--library')),
    );
    for (const name of ['demo', 'ingest', 'stats', 'search', 'label', 'history', 'export', 'duplicates', 'doctor'])
      expect(commands).toContain(name);
  });

  it('runs every fenced sporeprint command as written, each exiting 0', async () => {
    const examples = readmeCliExamples(readme);
    expect(examples.length).toBeGreaterThan(10);
    mkdirSync(path.join(root, 'renderer'));
    // The README's `taxa import-checklist /tmp/fungi-checklist.txt`: a regional list, one name per line.
    writeFileSync(path.join(root, 'fungi-checklist.txt'), '# regional checklist\nAmanita pantherina (DC.) Krombh.\nRussula emetica\n');
    writeFileSync(path.join(root, 'renderer', 'index.html'), '<!doctype html>');
    const failures: string[] = [];
    for (const example of examples) {
      const out: string[] = [];
      const io: CommandIo = { out: (l) => out.push(l), err: (l) => out.push(l), interactive: false };
      const argv = example.argv.map(mapPaths);
      const parsedOnly = onlyParsed(argv);
      const code = await runCli(parsedOnly ? [...argv, '--help'] : argv, io);
      if (code !== 0) failures.push(`${example.line}\n  exit ${code}: ${out.slice(-3).join('\n  ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('has a config.json example whose every key is a setting, which the settings schema accepts', () => {
    const block = /\*\*Settings\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const example = JSON.parse(block![1]!) as Record<string, unknown>;
    for (const key of Object.keys(example)) expect(CONFIG_KEYS as string[]).toContain(key);
    const dir = path.join(root, 'config-example');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'config.json'), block![1]!);
    const config = loadConfig(dir, {});
    expect(config).toMatchObject({ IMAGE_MAX_SIZE_MB: 80, DUPLICATE_THRESHOLD: 8, SPOREPRINT_CURATOR: 'A. Curator' });
  });
});

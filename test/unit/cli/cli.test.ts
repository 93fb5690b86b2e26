// The CLI as a user runs it: ingest with --dry-run (writes nothing), --json events, --limit, stats, errors.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';
import { captureCli } from '../../fixtures/capture-cli';

let photos: string;
let root: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ dir: root, cleanup } = makeTempDir('sporeprint-cli-'));
  photos = path.join(root, 'photos', 'Russula emetica');
  mkdirSync(photos, { recursive: true });
  for (let i = 0; i < 5; i++) writeFileSync(path.join(photos, `r${i}.jpg`), await makePhoto(300 + i, { width: 400, height: 300 }));
  writeFileSync(path.join(photos, 'notes.txt'), 'not a photo');
});
afterAll(() => cleanup());

const cli = (...argv: string[]) => captureCli(argv);

describe('sporeprint CLI', () => {
  it('prints usage for no command and exits 2 for an unknown one', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.err.join('\n')).toMatch(/usage: sporeprint/);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('')).toMatch(/unknown command "frobnicate"/);
  });

  it('--dry-run reports the plan and writes nothing to the library', async () => {
    const library = path.join(root, 'lib-dry');
    const run = await cli('--library', library, 'ingest', path.dirname(photos), '--dry-run', '--json');
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.out[0]!);
    expect(plan).toMatchObject({ event: 'plan', scanned: 6, toProcess: 5, wouldReject: { UNSUPPORTED_FORMAT: 1 } });
    const stats = await cli('--library', library, 'stats', '--json');
    expect(JSON.parse(stats.out.join('\n'))).toMatchObject({ images: 0, locations: 0 });
    expect(existsSync(path.join(library, 'derivatives'))).toBe(false);
  });

  it('--json prints progress events and a final summary; --limit caps the files', async () => {
    const library = path.join(root, 'lib-json');
    const run = await cli('--library', library, 'ingest', path.dirname(photos), '--json', '--limit', '3', '--workers', '1');
    expect(run.code).toBe(0);
    const events = run.out.map((l) => JSON.parse(l) as { event: string });
    // Files are taken in path order: notes.txt, r0.jpg, r1.jpg.
    expect(events.at(-1)).toMatchObject({ event: 'done', status: 'completed', scanned: 3, added: 2, rejected: 1 });
    expect(events.some((e) => e.event === 'progress')).toBe(true);
    const full = await cli('--library', library, 'ingest', path.dirname(photos), '--json');
    expect(JSON.parse(full.out.at(-1)!)).toMatchObject({ added: 3, unchanged: 3, rejected: 0 });
  });

  it('stats lists rejected files with their reasons', async () => {
    const stats = await cli('--library', path.join(root, 'lib-json'), 'stats');
    const text = stats.out.join('\n');
    expect(text).toMatch(/images\s+5/);
    expect(text).toMatch(/UNSUPPORTED_FORMAT\s+.*notes\.txt: not a JPEG/);
  });

  it('reports a missing folder as an error naming it', async () => {
    const run = await cli('--library', path.join(root, 'lib-json'), 'ingest', path.join(root, 'nope'));
    expect(run.code).toBe(1);
    expect(run.err.join('')).toMatch(/NOT_FOUND.*nope: no such file or folder/);
  });
});

describe('sporeprint --verbose', () => {
  it('prints debug lines on stderr and keeps them in the library log; without it, neither', async () => {
    const library = path.join(root, 'lib-verbose');
    const quiet = await cli('--library', library, 'ingest', path.dirname(photos), '--json', '--workers', '1');
    expect(quiet.err.join('\n')).not.toMatch(/debug/);
    const loud = await cli('--library', library, '--verbose', 'ingest', path.dirname(photos), '--json', '--workers', '1');
    expect(loud.code).toBe(0);
    const err = loud.err.join('\n');
    expect(err).toMatch(/^info library opened as its owner/m);
    expect(err).toMatch(/^debug ingest\.start answered in \d+ ms$/m);
    expect(err).toMatch(/^info job 2 \(ingest\) completed$/m);
    const log = readFileSync(path.join(library, 'logs', 'sporeprint.log'), 'utf8');
    const messages = log
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toContain('job 1 (ingest) started');
    expect(messages).toContain('ingest.start answered in ' + /ingest\.start answered in (\d+) ms/.exec(err)![1] + ' ms');
    expect(messages.filter((m) => m.startsWith('ingest.start answered'))).toHaveLength(1);
  });
});

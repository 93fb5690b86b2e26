// What a newcomer meets first: dry runs and failed first commands leave no trace, --library mistakes are clear
// errors, every usage error exits 2, every command's --help describes each option and its default.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src-main/cli/commands';
import { GLOBAL_OPTIONS } from '../../../src-main/cli/help-text';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';
import { captureCliText } from '../../fixtures/capture-cli';

let root: string;
let photos: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ dir: root, cleanup } = makeTempDir('sporeprint-newcomer-'));
  photos = path.join(root, 'photos', 'Amanita muscaria');
  mkdirSync(photos, { recursive: true });
  for (let i = 0; i < 3; i++) writeFileSync(path.join(photos, `a${i}.jpg`), await makePhoto(40 + i, { width: 320, height: 240 }));
});
afterAll(() => cleanup());

const cli = (...argv: string[]) => captureCliText(argv);

describe('a dry run and a failed first command leave no trace', () => {
  it('ingest --dry-run plans against an empty library and creates no folder', async () => {
    const library = path.join(root, 'never', 'made');
    const run = await cli('--library', library, 'ingest', path.dirname(photos), '--dry-run', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ event: 'plan', toProcess: 3 });
    expect(existsSync(path.join(root, 'never'))).toBe(false);
  });

  it('stats of a library that does not exist shows it empty and creates nothing', async () => {
    const library = path.join(root, 'no-stats-lib');
    const run = await cli('--library', library, 'stats', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ images: 0 });
    expect(existsSync(library)).toBe(false);
  });

  it('a failed first ingest removes the library it created, and only what it created', async () => {
    const fresh = path.join(root, 'fresh', 'lib');
    const failed = await cli('--library', fresh, 'ingest', path.join(root, 'nonexistent'));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/NOT_FOUND.*nonexistent: no such file or folder/);
    expect(existsSync(path.join(root, 'fresh'))).toBe(false);

    const existing = path.join(root, 'existing');
    mkdirSync(existing);
    writeFileSync(path.join(existing, 'notes.txt'), 'mine');
    expect((await cli('--library', existing, 'ingest', path.join(root, 'nonexistent'))).code).toBe(1);
    expect(readdirSync(existing)).toEqual(['notes.txt']);
  });

  it('a failure on a library that already has a catalogue keeps it', async () => {
    const library = path.join(root, 'kept');
    expect((await cli('--library', library, 'ingest', path.dirname(photos), '--json')).code).toBe(0);
    expect((await cli('--library', library, 'ingest', path.join(root, 'nonexistent'))).code).toBe(1);
    const stats = await cli('--library', library, 'stats', '--json');
    expect(JSON.parse(stats.out)).toMatchObject({ images: 3 });
  });
});

describe('--library mistakes', () => {
  it('a file given as the library is a usage error naming it', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    for (const command of ['stats', 'ingest']) {
      const run = await cli('--library', file, command, path.dirname(photos));
      expect(run.code).toBe(2);
      expect(run.err).toContain(`${file} is a file, not a folder`);
      expect(run.err).not.toMatch(/EEXIST|ENOTDIR|\n\s+at /);
    }
    // doctor takes it and reports what is wrong with it, with the fix.
    const doctor = await cli('--library', file, 'doctor', '--json');
    expect(JSON.parse(doctor.out)).toMatchObject({
      checks: expect.arrayContaining([expect.objectContaining({ name: 'folder', status: 'error' })]),
    });
    // A path under a file cannot be made either: a clear error, not a stack trace.
    const under = await cli('--library', path.join(file, 'lib'), 'ingest', path.dirname(photos));
    expect(under.code).toBe(2);
    expect(under.err).toMatch(/a part of its path is a file/);
  });

  it('--library with no value is a usage error, wherever it stands', async () => {
    for (const argv of [['--library'], ['stats', '--library'], ['--library', 'stats']]) {
      const run = await cli(...argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err).toMatch(/usage: sporeprint/);
    }
  });

  it('says which library a command reads when none was given', async () => {
    const saved = process.env.SPOREPRINT_LIBRARY;
    process.env.SPOREPRINT_LIBRARY = path.join(root, 'from-env');
    try {
      const stats = await cli('stats');
      expect(stats.code).toBe(0);
      expect(stats.err).toContain(`library ${path.join(root, 'from-env')} ($SPOREPRINT_LIBRARY)`);
      const search = await cli('search', '--image', '1');
      expect(search.err).toContain(`library ${path.join(root, 'from-env')}`);
      // Given explicitly, it is not repeated.
      expect((await cli('--library', path.join(root, 'from-env'), 'stats')).err).toBe('');
    } finally {
      if (saved === undefined) delete process.env.SPOREPRINT_LIBRARY;
      else process.env.SPOREPRINT_LIBRARY = saved;
    }
  });
});

describe('usage errors exit 2 in every command', () => {
  it('an unknown option exits 2 for each command, naming the command', async () => {
    for (const command of COMMANDS) {
      const run = await cli('--library', path.join(root, 'usage-lib'), command.name, '--no-such-option');
      expect(run.code, command.name).toBe(2);
      expect(run.err).toContain(`usage: sporeprint ${command.name}`);
    }
    expect(existsSync(path.join(root, 'usage-lib'))).toBe(false);
  });

  it('bad values and missing arguments exit 2 before the library is opened', async () => {
    const library = path.join(root, 'bad-values-lib');
    const cases: string[][] = [
      ['ingest'],
      ['ingest', '.', '--limit', 'ten'],
      ['ingest', '.', '--workers', '0'],
      ['export'],
      ['export', 'out', '--split', '80/20'],
      ['export', 'out', '--seed', 'x'],
      ['fetch-hq'],
      ['fetch-hq', '--missing-hq', '--per-taxon', '-1'],
      ['import-dwca'],
      ['duplicates', '--threshold', '99'],
      ['label'],
      ['label', '1', '--state', 'source_claimed'],
      ['history'],
      ['model', 'frobnicate'],
      ['model', 'use'],
      ['search'],
      ['search', '--text', 'x', '--limit', '0'],
      ['search', '--text', 'x', '--min-quality', 'high'],
      ['suggest', '--image', 'photo.jpg'],
      ['serve', '--port', '70000'],
    ];
    for (const argv of cases) {
      const run = await cli('--library', library, ...argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err, argv.join(' ')).toMatch(/usage: sporeprint/);
    }
    expect(existsSync(library)).toBe(false);
  });
});

describe('--help', () => {
  it('every command lists each of its options and the global ones, each with a description and a default', async () => {
    for (const command of COMMANDS) {
      const help = await cli(command.name, '--help');
      expect(help.code, command.name).toBe(0);
      const lines = help.out.split('\n');
      for (const [name, option] of Object.entries({ ...command.options, ...GLOBAL_OPTIONS })) {
        const line = lines.find((l) => new RegExp(`^\\s+--${name}[ ,]`).test(l));
        expect(line, `${command.name} --${name}`).toBeDefined();
        // The option, then at least two words of description, then its default.
        expect(line, `${command.name} --${name}`).toMatch(/^\s+--\S+.*\s{2}\S+ \S+.* \(default: .+\)$/);
        expect(option.description.trim().length, `${command.name} --${name}`).toBeGreaterThan(8);
      }
    }
  });

  it('the usage line of each command names each of its options', () => {
    for (const command of COMMANDS)
      for (const name of Object.keys(command.options)) expect(command.usage, `${command.name} --${name}`).toContain(`--${name}`);
  });

  it('sporeprint --help lists every command and exits 0', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.out).toContain(`  ${command.name} `);
  });
});

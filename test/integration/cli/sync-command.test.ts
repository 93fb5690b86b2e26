// `sporeprint sync` as a user runs it against a real PostgreSQL: missing schema, dry run, push, status, refused password.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../../src-main/core/library';
import { claimLabels, insertImages } from '../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../fixtures/pg-database';
import { makeTempDir } from '../../fixtures/temp-library';
import { captureCliText } from '../../fixtures/capture-cli';

const cli = (...argv: string[]) => captureCliText(argv);

describe.skipIf(!hasPostgres)(`sporeprint sync${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let library: string;
  let cleanup: () => void;

  beforeAll(async () => {
    target = await createTempDatabase();
    const tmp = makeTempDir('sporeprint-cli-sync-');
    cleanup = tmp.cleanup;
    library = path.join(tmp.dir, 'lib');
    const lib = Library.open(library, { env: {} });
    const ids = insertImages(lib.db, 'cli', 40);
    claimLabels(lib.db, ids.slice(0, 10), 'Suillus luteus');
    await lib.close();
  });
  afterAll(async () => {
    cleanup?.();
    await target?.drop();
  });

  it('explains a missing schema and how to create it', async () => {
    const run = await cli('--library', library, 'sync', '--pg', target.url);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/no sync schema .*--init-schema/);
  });

  it('refuses a URL with a password', async () => {
    const run = await cli('--library', library, 'sync', '--pg', target.url.replace('postgres@', 'postgres:hunter2@'));
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/carries a password/);
    expect(run.err).not.toContain('hunter2');
  });

  it('--dry-run with --init-schema writes nothing, then a real run pushes and --status reports', async () => {
    const dry = await cli('--library', library, 'sync', '--pg', target.url, '--init-schema', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/40 images would be pushed; the media schema would be created/);
    const run = await cli('--library', library, 'sync', '--pg', target.url, '--init-schema');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/pushed 40 images .* \(10 label events\)/);
    const status = await cli('--library', library, 'sync', '--status', '--json');
    expect(JSON.parse(status.out)).toMatchObject({ url: target.url, pending: 0, disputes: 0 });
    // The URL is remembered (without a password), so the next run needs no --pg.
    const again = await cli('--library', library, 'sync', '--json');
    expect(JSON.parse(again.out.split('\n').at(-1)!)).toMatchObject({ status: 'completed', pushed: 0 });
  });
});

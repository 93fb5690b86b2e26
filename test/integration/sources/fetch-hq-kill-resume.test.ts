// `sporeprint fetch-hq` killed with SIGKILL mid-download resumes from its checkpoint in the catalogue:
// the same job continues, finished downloads are not fetched again, and no partial file is ingested.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Library } from '../../../src-main/core/library';
import { startFakeSources, type FakeSources } from '../../fixtures/fake-sources';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src-main/cli/bin.mjs');
const TAXON = 'Morchella esculenta';
const PHOTOS = 5;
let fake: FakeSources;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  const photos = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => makePhoto(40 + i, { width: 1600, height: 1200 })));
  fake = await startFakeSources({
    inat: photos.map((bytes, i) => ({
      id: 50 + i,
      taxon: TAXON,
      photos: [{ id: 500 + i, bytes, width: 1600, height: 1200, license: 'cc-by' }],
    })),
    gbif: [],
    commons: [],
  });
  tmp = makeTempDir('sporeprint-fetch-kill-');
});
afterAll(async () => {
  await fake.server.close();
  tmp.cleanup();
});

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

it('resumes the same job after a kill without downloading finished files again', async () => {
  const library = path.join(tmp.dir, 'lib');
  const taxaFile = path.join(tmp.dir, 'taxa.txt');
  writeFileSync(taxaFile, `# taxa to fill\n${TAXON}\n`);
  // The fourth photo never answers: the CLI is killed while it waits for it.
  const hangPath = fake.inatPhotoPath(503);
  fake.server.fault(hangPath, { kind: 'hang' });
  const child = spawn(
    process.execPath,
    [BIN, '--library', library, 'fetch-hq', '--taxa', taxaFile, '--sources', 'inat', '--per-taxon', String(PHOTOS), '--json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...fake.env, SOURCE_TIMEOUT_MS: '60000' },
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!fake.server.requests.some((r) => r.path === hangPath)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the CLI never reached the fourth download: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await exited;

  const lib = Library.open(library, { env: fake.env });
  try {
    const [interrupted] = lib.jobs.list('fetch-hq', 5);
    expect(interrupted!.status).toBe('interrupted');
    const before = lib.db.prepare(`SELECT status, count(*) AS n FROM source_fetch GROUP BY status ORDER BY status`).all();
    expect(before).toEqual([
      { status: 'downloaded', n: 3 },
      { status: 'planned', n: 2 },
    ]);
    expect(lib.db.prepare(`SELECT count(*) FROM image`).pluck().get()).toBe(0);

    const { jobId } = await lib.invoke('sources.fetchHq', { taxa: [TAXON], sources: ['inat'], perTaxon: PHOTOS });
    expect(jobId).toBe(interrupted!.id);
    const job = await lib.waitForJob(jobId);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ ingested: PHOTOS, planned: PHOTOS, failed: 0 });
    // Each photo was downloaded exactly once, except the one cut off by the kill.
    for (let i = 0; i < PHOTOS; i++) {
      const n = fake.server.requests.filter((r) => r.path === fake.inatPhotoPath(500 + i)).length;
      expect(n).toBe(i === 3 ? 2 : 1);
    }
    // The species search ran once: the resumed job works from its stored plan.
    expect(fake.server.requests.filter((r) => r.path === '/inat/v1/observations')).toHaveLength(1);
    expect(lib.db.prepare(`SELECT count(*) FROM image WHERE observation_group LIKE 'inat:%'`).pluck().get()).toBe(PHOTOS);
    expect(walk(path.join(library, 'originals')).filter((f) => f.endsWith('.part'))).toEqual([]);
  } finally {
    await lib.close();
  }
});

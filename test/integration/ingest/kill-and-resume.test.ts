// A run killed with SIGKILL at any moment and re-run ends with exactly the catalogue and derivative files
// of an uninterrupted run: no duplicate rows, no missing rows, no orphan or partial files, and the work that
// follows a commit (descriptor vectors, near-duplicate clusters) done for every image, not only the last run's.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeVariant } from '../../fixtures/variants';
import { makeTempDir } from '../../fixtures/temp-library';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src-main/cli/bin.mjs');
const cleanups: (() => void)[] = [];
let photos: string;

beforeAll(async () => {
  const tmp = makeTempDir('sporeprint-kill-');
  cleanups.push(tmp.cleanup);
  photos = tmp.dir;
  for (let i = 0; i < 24; i++) {
    const dir = path.join(photos, i % 2 ? 'Cantharellus cibarius' : 'Morchella esculenta');
    mkdirSync(dir, { recursive: true });
    const bytes = await makePhoto(500 + i, { width: 700 + 40 * i, height: 500 + 20 * i, format: i % 3 ? 'jpeg' : 'png' });
    writeFileSync(path.join(dir, `p${i}.${i % 3 ? 'jpg' : 'png'}`), bytes);
    if (i % 6 === 0) writeFileSync(path.join(dir, `p${i}-copy.${i % 3 ? 'jpg' : 'png'}`), bytes);
    // Near-duplicates: both halves of a pair may be committed before a kill, so the run that finishes never sees them.
    if (i % 4 === 1) writeFileSync(path.join(dir, `p${i}-smaller.jpg`), await makeVariant(bytes, 'resize'));
  }
  writeFileSync(path.join(photos, 'broken.jpg'), 'not an image');
});
afterAll(() => cleanups.forEach((c) => c()));

/** Runs `sporeprint ingest --json`; kills it with SIGKILL after `killAfter` progress lines if given. */
function runIngest(library: string, killAfter?: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--library', library, 'ingest', photos, '--json', '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = 0;
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines += chunk.split('\n').filter((l) => l.includes('"progress"')).length;
      if (killAfter !== undefined && !killed && lines >= killAfter) {
        killed = child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ killed, code }));
  });
}

function snapshot(library: string) {
  const db = new Database(path.join(library, 'catalog.db'), { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).all();
    return {
      images: q(
        `SELECT sha256, perceptual_hash, format, width, height, file_size, quality_score, is_hq, license FROM image ORDER BY sha256`,
      ),
      locations: q(`SELECT l.path, i.sha256, l.size FROM location l JOIN image i ON i.id = l.image_id ORDER BY l.path`),
      labels: q(`SELECT i.sha256, taxon, rank, state FROM label JOIN image i ON i.id = label.image_id ORDER BY i.sha256`),
      labelEvents: q(`SELECT i.sha256, action, to_taxon FROM label_event e JOIN image i ON i.id = e.image_id ORDER BY i.sha256, e.id`),
      rejected: q(`SELECT path, code FROM rejected_file ORDER BY path`),
      vectors: q(
        `SELECT i.sha256, v.model_id, hex(v.vector) AS vector FROM image_vector v JOIN image i ON i.id = v.image_id ORDER BY i.sha256, v.model_id`,
      ),
      clusters: q(
        `SELECT representative, group_concat(member, ' ') AS members FROM (
           SELECT c.id, r.sha256 AS representative, i.sha256 AS member FROM cluster c
             JOIN cluster_member m ON m.cluster_id = c.id JOIN image i ON i.id = m.image_id
             JOIN image r ON r.id = c.representative_id ORDER BY c.id, i.sha256)
          GROUP BY id ORDER BY representative`,
      ),
      files: listFiles(path.join(library, 'derivatives')),
    };
  } finally {
    db.close();
  }
}

function listFiles(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(`${rel}:${statSync(path.join(root, rel)).size}`);
  }
  return out.sort();
}

describe('kill and resume', () => {
  it('ends with exactly the catalogue and files of an uninterrupted run', async () => {
    const reference = makeTempDir('sporeprint-ref-');
    const resumed = makeTempDir('sporeprint-resumed-');
    cleanups.push(reference.cleanup, resumed.cleanup);

    expect((await runIngest(reference.dir)).code).toBe(0);
    const expected = snapshot(reference.dir);
    expect(expected.images.length).toBe(30);
    expect(expected.locations.length).toBe(34);
    expect(expected.vectors.length).toBe(30);
    expect(expected.clusters.length).toBe(6);

    // Kill at several depths: during start-up, early, mid-way; then let a run finish.
    let kills = 0;
    for (const killAfter of [1, 2, 4, 7, 11]) {
      const run = await runIngest(resumed.dir, killAfter);
      if (run.killed) kills++;
      else expect(run.code).toBe(0);
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    expect((await runIngest(resumed.dir)).code).toBe(0);

    const actual = snapshot(resumed.dir);
    expect(actual.files.filter((f) => f.startsWith('.tmp/') && !f.endsWith('/'))).toEqual([]);
    expect({ ...actual, files: actual.files.filter((f) => !f.startsWith('.tmp')) }).toEqual({
      ...expected,
      files: expected.files.filter((f) => !f.startsWith('.tmp')),
    });
  });
});

// An ingest while another connection keeps writing labels (the UI labelling photos, a second thread): the ingest's
// per-file transaction reads before it writes, so begun deferred it failed with "database is locked" whenever the
// other writer held the lock at its first write; begun IMMEDIATE it waits for the lock and every file lands.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_FILE } from '../../../../src-main/core/library-paths';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';

/** Labels every image again and again, each round in one transaction that holds the write lock ~15 ms. */
const LABEL_WRITER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { timeout: 5000 });
const stop = new Int32Array(workerData.stop);
const ids = db.prepare('SELECT image_id FROM label').pluck().all();
const update = db.prepare("UPDATE label SET note = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE image_id = ?");
let rounds = 0;
parentPort.postMessage('started');
while (Atomics.load(stop, 0) === 0) {
  db.exec('BEGIN IMMEDIATE');
  for (const id of ids) update.run('round ' + rounds, id);
  const until = Date.now() + 15;
  while (Date.now() < until);
  db.exec('COMMIT');
  rounds++;
  Atomics.wait(stop, 0, 0, 2);
}
db.close();
parentPort.postMessage(rounds);
`;

describe('ingest beside another connection writing labels', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let lib: ReturnType<typeof openTempLibrary>;

  async function photos(folder: string, seeds: number[]): Promise<string> {
    mkdirSync(folder, { recursive: true });
    for (const seed of seeds) writeFileSync(path.join(folder, `${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    return folder;
  }

  beforeAll(async () => {
    temp = makeTempDir();
    lib = openTempLibrary();
    // Labelled images for the other connection to relabel.
    const first = await ingestAndWait(lib.lib, [await photos(path.join(temp.dir, 'Amanita muscaria'), [1, 2, 3, 4, 5, 6])], { workers: 1 });
    expect(first.status).toBe('completed');
  });
  afterAll(async () => {
    await lib?.cleanup();
    temp?.cleanup();
  });

  it('commits every file while the labels are being rewritten', async () => {
    const folder = await photos(
      path.join(temp.dir, 'Russula emetica'),
      Array.from({ length: 20 }, (_, i) => 100 + i),
    );
    const stop = new SharedArrayBuffer(4);
    const writer = new Worker(LABEL_WRITER, {
      eval: true,
      workerData: { sqlite: createRequire(import.meta.url).resolve('better-sqlite3'), file: path.join(lib.dir, CATALOG_FILE), stop },
    });
    const rounds = new Promise<number>((resolve, reject) => {
      writer.on('message', (m: unknown) => typeof m === 'number' && resolve(m));
      writer.once('error', reject);
    });
    await new Promise((resolve) => writer.once('message', resolve));
    let job;
    try {
      job = await ingestAndWait(lib.lib, [folder], { workers: 1 });
    } finally {
      Atomics.store(new Int32Array(stop), 0, 1);
      Atomics.notify(new Int32Array(stop), 0);
    }
    expect(await rounds).toBeGreaterThan(5);
    await writer.terminate();
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'completed', result: { added: 20 } });
    expect((await lib.lib.invoke('stats.get', {})).images).toBe(26);
  });
});

// The Detail view's first step after each kind of write a curator's session makes (a label decision, a quality
// re-score, an ingest batch appending images, a deletion, a write to another table), at evenly spaced depths:
// images.neighbours now (its rank checkpoints repaired from the write's logged images) against the code before
// (ranks-before.ts: checkpoints of one catalogue version, walked again from the listing's start), same rows, same
// run. Each write is undone after its step (untimed), so a kept catalogue is left as it was found; every place is
// checked against a count of the rows before the image.
import { imageNeighboursSchema, type ImageQuery } from '../../../src-shared/api/catalog';
import type { Db } from '../../../src-main/core/catalog/database';
import { imageNeighbours } from '../../../src-main/core/catalog/image-neighbours';
import { listImages, SORT_KEYS } from '../../../src-main/core/catalog/image-pages';
import { rankIndexFates } from '../../../src-main/core/catalog/listing-ranks';
import { shaFor } from '../../fixtures/catalog-rows';
import { neighboursBefore } from './neighbours-before';
import { neighboursWithVersionedRanks } from './ranks-before';
import { seededRandom } from '../../fixtures/synthetic-photos';

type StepQuery = Omit<ImageQuery, 'offset' | 'limit' | 'after' | 'ids'>;

/** One kind of write: `apply` changes the catalogue (avoiding the stepped image), `undo` puts it back. */
export interface Write {
  kind: string;
  apply(avoid: number): void;
  undo(): void;
}

/** Rows appended by the ingest write (an ingest commits its images in batches). */
const INGEST_BATCH = 100;

function cpuMs<T>(run: () => T): { cpu: number; value: T } {
  const c = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(c);
  return { cpu: (used.user + used.system) / 1000, value };
}

/** Deterministic image ids spread over the catalogue (a mulberry32 stream over the id range). */
function idPicker(db: Db): (avoid: number) => number {
  const maxId = Number(db.prepare('SELECT max(id) FROM image').pluck().get());
  const exists = db.prepare('SELECT 1 FROM image WHERE id = ?').pluck();
  const next = seededRandom(19);
  return (avoid) => {
    for (;;) {
      const id = 1 + Math.floor(next() * maxId);
      if (id !== avoid && exists.get(id)) return id;
    }
  };
}

export function writes(db: Db): Write[] {
  const pick = idPicker(db);
  const label = db.prepare(
    `INSERT INTO label (image_id, taxon, rank, state, author) VALUES (@id, @taxon, 'species', @state, 'bench')
     ON CONFLICT (image_id) DO UPDATE SET taxon = excluded.taxon, state = excluded.state, author = excluded.author`,
  );
  let labelled: { image_id: number; taxon: string; state: string } | undefined;
  let rescored: { id: number; quality_score: number } | undefined;
  let appended: number[] = [];
  let deleted: { image: Record<string, unknown>; labels: Record<string, unknown>[]; locations: Record<string, unknown>[] } | undefined;
  const insertRow = (table: string, row: Record<string, unknown>) =>
    db
      .prepare(
        `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
          .map((k) => `@${k}`)
          .join(', ')})`,
      )
      .run(row);
  let batch = 0;
  return [
    {
      kind: 'a label decision',
      apply(avoid) {
        const id = pick(avoid);
        labelled = db.prepare('SELECT image_id, taxon, state FROM label WHERE image_id = ?').get(id) as typeof labelled;
        if (!labelled) return this.apply(avoid);
        label.run({ id, taxon: 'Amanita phalloides', state: labelled.state === 'human_verified' ? 'disputed' : 'human_verified' });
      },
      undo: () => label.run({ id: labelled!.image_id, taxon: labelled!.taxon, state: labelled!.state }),
    },
    {
      kind: 'a quality re-score',
      apply(avoid) {
        rescored = db.prepare('SELECT id, quality_score FROM image WHERE id = ?').get(pick(avoid)) as typeof rescored;
        db.prepare('UPDATE image SET quality_score = ? WHERE id = ?').run((rescored!.quality_score + 37) % 100, rescored!.id);
      },
      undo: () => db.prepare('UPDATE image SET quality_score = ? WHERE id = ?').run(rescored!.quality_score, rescored!.id),
    },
    {
      kind: `an ingest of ${INGEST_BATCH}`,
      apply() {
        const image = db.prepare(
          `INSERT INTO image (sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution,
             quality_sharpness, quality_noise, quality_colour, is_hq, license)
           VALUES (?, '0000000000000000', 'jpeg', ?, ?, ?, ?, 0.5, 0.5, 0.5, 0.5, 0, 'CC-BY')`,
        );
        const location = db.prepare(`INSERT INTO location (image_id, path, size, mtime_ms) VALUES (?, ?, 1000, 0)`);
        batch++;
        db.transaction(() => {
          appended = [];
          for (let n = 0; n < INGEST_BATCH; n++) {
            const id = Number(
              image.run(shaFor(`bench-ingest-${batch}-${n}`), 900 + n, 700, 60_000 + n * 4099, (n * 13) % 100).lastInsertRowid,
            );
            location.run(id, `/bench/ingest-${batch}-${n}.jpg`);
            if (n % 5 !== 4) label.run({ id, taxon: 'Boletus edulis', state: 'source_claimed' });
            appended.push(id);
          }
        })();
      },
      undo: () => db.transaction(() => appended.forEach((id) => db.prepare('DELETE FROM image WHERE id = ?').run(id)))(),
    },
    {
      kind: 'a deletion',
      apply(avoid) {
        const id = pick(avoid);
        deleted = {
          image: db.prepare('SELECT * FROM image WHERE id = ?').get(id) as Record<string, unknown>,
          labels: db.prepare('SELECT * FROM label WHERE image_id = ?').all(id) as Record<string, unknown>[],
          locations: db.prepare('SELECT * FROM location WHERE image_id = ?').all(id) as Record<string, unknown>[],
        };
        db.prepare('DELETE FROM image WHERE id = ?').run(id);
      },
      undo: () =>
        db.transaction(() => {
          insertRow('image', deleted!.image);
          deleted!.labels.forEach((r) => insertRow('label', r));
          deleted!.locations.forEach((r) => insertRow('location', r));
        })(),
    },
    {
      kind: 'a write to another table',
      apply: () =>
        db
          .prepare(`INSERT INTO setting (key, value) VALUES ('bench-steps', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
          .run(String(performance.now())),
      undo: () => undefined,
    },
  ];
}

export interface StepAfterWriteResult {
  query: string;
  write: string;
  /** CPU ms of the first step after the write, per depth on average: now, and the code before. */
  nowCpuMs: number;
  beforeCpuMs: number;
  /** Ranks whose checkpoints were rebuilt (not repaired) in the product's steps: 0 unless the log could not tell. */
  rebuilt: number;
}

export function measureStepsAfterWrites(db: Db, label: string, query: StepQuery, depths = 10): StepAfterWriteResult[] {
  const q = imageNeighboursSchema.parse({ ...query, id: 1 });
  const total = listImages(db, { ...q, offset: 0, limit: 1 }).total;
  const keyOf = db.prepare(`SELECT ${SORT_KEYS[q.sort]} FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE i.id = ?`).pluck();
  const images: number[] = [];
  for (let d = 1; d <= depths; d++)
    images.push(listImages(db, { ...q, offset: Math.floor(((total - 201) * d) / depths), limit: 1 }).items[0]!.id);
  const now = (id: number) => imageNeighbours(db, { ...q, id });
  const before = (id: number) => neighboursWithVersionedRanks(db, { ...q, id });
  // The count of the rows before the image (neighbours-before.ts), independent of any checkpoint.
  const expected = (id: number) => neighboursBefore(db, query, keyOf.get(id) as string | number, id).position;
  const results: StepAfterWriteResult[] = [];
  for (const write of writes(db)) {
    const sums = { now: 0, before: 0, rebuilt: 0 };
    for (const id of images) {
      now(id); // the checkpoints reach this depth before the write, as after a curator's earlier steps
      for (const path of ['now', 'before'] as const) {
        write.apply(id);
        listImages(db, { ...q, offset: 0, limit: 200 }); // the grid's page counts the filter again: both paths need it
        const fates = rankIndexFates(db).built;
        const step = cpuMs(() => (path === 'now' ? now : before)(id));
        if (path === 'now') sums.rebuilt += rankIndexFates(db).built - fates;
        sums[path] += step.cpu;
        const want = expected(id);
        if (step.value.position !== want)
          throw new Error(`${label}, ${write.kind}: ${path} placed ${id} at ${step.value.position}, not ${want}`);
        write.undo();
        now(id); // untimed: the undo's repair
      }
    }
    const per = (ms: number) => +(ms / depths).toFixed(2);
    results.push({ query: label, write: write.kind, nowCpuMs: per(sums.now), beforeCpuMs: per(sums.before), rebuilt: sums.rebuilt });
  }
  return results;
}

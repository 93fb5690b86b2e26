// Builds a library of N catalogue rows for the grid bench: a few real ingested photos, cloned in SQL,
// each clone with its own content address whose thumbnail and large derivative are symlinks to a real one, and
// every CLUSTER_EVERY-th clone starting a stored duplicate cluster of three, for the compare view.
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { derivativeRelativePath } from '../../../src-main/core/library-paths';
import { Library } from '../../../src-main/core/library';
import { makePhoto } from '../../fixtures/synthetic-photos';

const SEED_PHOTOS = 12;
/** One cluster of three clones per this many rows (1k clusters at 100k rows). */
const CLUSTER_EVERY = 100;
const CLUSTER_SIZE = 3;
const TAXA = [
  'Amanita muscaria',
  'Boletus edulis',
  'Trametes versicolor',
  'Cantharellus cibarius',
  'Russula emetica',
  'Mycena galericulata',
];

function cloneSha(n: number): string {
  // Hashing spreads clones over the derivatives/xx/ shards the way real content does.
  return createHash('sha256').update(`grid-bench-clone-${n}`).digest('hex');
}

export async function buildGridLibrary(dir: string, rows: number): Promise<Library> {
  const photos = path.join(dir, 'photos');
  mkdirSync(photos, { recursive: true });
  for (let seed = 1; seed <= SEED_PHOTOS; seed++)
    writeFileSync(path.join(photos, `p${seed}.jpg`), await makePhoto(seed, { width: 480, height: 360 }));
  const lib = Library.open(path.join(dir, 'library'), { env: {} });
  const { jobId } = await lib.invoke('ingest.start', { paths: [photos], workers: 2 });
  const job = await lib.waitForJob(jobId);
  if (job.status !== 'completed') throw new Error(`seed ingest ${job.status}: ${job.error ?? ''}`);
  const seeds = lib.db
    .prepare(
      `SELECT i.id, i.sha256, l.path, l.size, l.mtime_ms AS mtimeMs FROM image i
       JOIN location l ON l.id = (SELECT min(id) FROM location WHERE image_id = i.id) ORDER BY i.id`,
    )
    .all() as { id: number; sha256: string; path: string; size: number; mtimeMs: number }[];
  const cloneImage = lib.db.prepare(
    `INSERT INTO image (sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution, quality_sharpness,
       quality_noise, quality_colour, is_hq, license, created_at)
     SELECT @sha, perceptual_hash, format, width, height, file_size, @quality, quality_resolution, quality_sharpness, quality_noise,
       quality_colour, is_hq, 'CC-BY', @created FROM image WHERE id = @seed`,
  );
  // Each clone's location is a link to its seed's photo with the seed's size and mtime, so the loupe's 100 % can
  // serve it as an original (an unchanged catalogued file), as it does for ingested photos.
  const clonePhotos = path.join(dir, 'clone-photos');
  mkdirSync(clonePhotos, { recursive: true });
  const addLocation = lib.db.prepare(`INSERT INTO location (image_id, path, size, mtime_ms) VALUES (?, ?, ?, ?)`);
  const addLabel = lib.db.prepare(`INSERT INTO label (image_id, taxon, rank, state) VALUES (?, ?, 'species', 'source_claimed')`);
  const clones = rows - seeds.length;
  lib.db.transaction(() => {
    for (let n = 0; n < clones; n++) {
      const seed = seeds[n % seeds.length]!;
      const created = new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString();
      const id = Number(cloneImage.run({ sha: cloneSha(n), quality: (n * 37) % 100, created, seed: seed.id }).lastInsertRowid);
      const clonePath = path.join(clonePhotos, `${n}.jpg`);
      symlinkSync(seed.path, clonePath);
      addLocation.run(id, clonePath, seed.size, seed.mtimeMs);
      addLabel.run(id, TAXA[n % TAXA.length]);
    }
  })();
  for (let n = 0; n < clones; n++) {
    const seed = seeds[n % seeds.length]!;
    for (const size of ['thumb', 'large'] as const) {
      const link = path.join(lib.dir, derivativeRelativePath(cloneSha(n), size, 'jpeg'));
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.join(lib.dir, derivativeRelativePath(seed.sha256, size, 'jpeg')), link);
    }
  }
  storeClusters(lib, seeds.length + 1, clones);
  return lib;
}

/** Stored clusters over the clones (ids after the seeds), and the threshold they count as built at. */
function storeClusters(lib: Library, firstCloneId: number, clones: number): void {
  const addCluster = lib.db.prepare(`INSERT INTO cluster (representative_id, threshold, weakest_link, resolved) VALUES (?, 10, 4, 0)`);
  const addMember = lib.db.prepare(`INSERT INTO cluster_member (image_id, cluster_id, distance) VALUES (?, ?, ?)`);
  const setting = lib.db.prepare(`INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)`);
  lib.db.transaction(() => {
    for (let n = 0; n + CLUSTER_SIZE <= clones; n += CLUSTER_EVERY) {
      const ids = Array.from({ length: CLUSTER_SIZE }, (_, i) => firstCloneId + n + i);
      const clusterId = Number(addCluster.run(ids[0]).lastInsertRowid);
      ids.forEach((id, i) => addMember.run(id, clusterId, i === 0 ? 0 : 2 + i));
    }
    // The clusters are the ones in force at the default threshold: the view lists them instead of previewing.
    setting.run('duplicate_threshold', String(lib.config.DUPLICATE_THRESHOLD));
    setting.run('duplicate_threshold_configured', String(lib.config.DUPLICATE_THRESHOLD));
  })();
}

// One model's HNSW index (hnswlib-node, inner product on unit vectors) kept consistent with the catalogue:
// verified at open (file checksum, count and id checksum), rebuilt from stored vectors when it disagrees.
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import hnswlib from 'hnswlib-node';
import type { Db } from '../catalog/database';
import { SerialQueue } from '../concurrency/serial-queue';
import { SporeprintError } from '../errors';
import { catalogueDigest, idDigest, iterateVectors, type IdDigest } from './vector-store';

// Read at each use, not destructured here: the CLI bundle loads the addon on first use (see build-cli.ts), and
// a destructuring at import time would load it for every command that opens a library.
type Hnsw = InstanceType<typeof hnswlib.HierarchicalNSW>;

export interface IndexParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

// efConstruction 100 halves build time against 200 with no recall loss measured on clustered 512-d data.
// efSearch 256: at 1M vectors ef 128 gave recall@10 0.970, ef 256 0.993 at p95 2.8 ms (bench:search --million).
export const DEFAULT_INDEX_PARAMS: IndexParams = { m: 16, efConstruction: 100, efSearch: 256 };

interface IndexMeta {
  version: 3;
  modelId: string;
  dim: number;
  params: IndexParams;
  /** Labels marked deleted in the graph (hnswlib keeps them in its id list). */
  deleted: number[];
  fileSize: number;
  fileCrc32: number;
  /** Digest of the live ids in the file, compared with the catalogue's at open. */
  ids: IdDigest;
}

export interface Neighbour {
  imageId: number;
  /** Cosine similarity (vectors are unit length). */
  score: number;
}

export type OpenOutcome = 'loaded' | 'created' | 'rebuilt';

/**
 * CRC-32 of the whole file, read in large chunks. Enough to catch truncation and bit rot (it is not a
 * defence against tampering), and several times cheaper than a cryptographic hash on a 200 MB index.
 */
function crc32File(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let crc = 0;
    createReadStream(file, { highWaterMark: 8 << 20 })
      .on('data', (chunk) => (crc = zlib.crc32(chunk as Buffer, crc)))
      .on('error', reject)
      .on('end', () => resolve(crc));
  });
}

function sameDigest(a: IdDigest, b: IdDigest): boolean {
  return a.count === b.count && a.checksum === b.checksum;
}

export class VectorIndex {
  private readonly deleted = new Set<number>();
  private dirty = false;
  private readonly saves = new SerialQueue();
  /** False for a read-only library: the index lives in memory only. */
  private persist = true;

  private constructor(
    readonly modelId: string,
    readonly dim: number,
    readonly file: string,
    private readonly params: IndexParams,
    private index: Hnsw,
    /** How this instance came to be; tests and the CLI report it. */
    readonly outcome: OpenOutcome,
    /** Why a rebuild happened, when it did. */
    readonly rebuildReason: string | null,
  ) {
    index.setEf(params.efSearch);
  }

  /** Loads the saved index when it matches the catalogue, otherwise rebuilds it from stored vectors and saves. */
  static async open(
    db: Db,
    file: string,
    modelId: string,
    dim: number,
    params: IndexParams = DEFAULT_INDEX_PARAMS,
    options: { persist?: boolean } = {},
  ): Promise<VectorIndex> {
    const checked = await VectorIndex.verify(db, file, modelId, dim);
    if (typeof checked !== 'string') {
      const vi = new VectorIndex(modelId, dim, file, checked.meta.params, checked.index, 'loaded', null);
      for (const id of checked.meta.deleted) vi.deleted.add(id);
      vi.persist = options.persist ?? true;
      return vi;
    }
    const problem = checked;
    const built = VectorIndex.build(
      db,
      file,
      modelId,
      dim,
      params,
      problem === 'missing' ? 'created' : 'rebuilt',
      problem === 'missing' ? null : problem,
    );
    built.persist = options.persist ?? true;
    await built.save();
    return built;
  }

  /** The loaded index when the files on disk are a faithful copy of the catalogue's vectors, else the reason. */
  private static async verify(db: Db, file: string, modelId: string, dim: number): Promise<string | { index: Hnsw; meta: IndexMeta }> {
    const metaFile = `${file}.meta.json`;
    if (!existsSync(file) && !existsSync(metaFile)) return 'missing';
    if (!existsSync(file) || !existsSync(metaFile)) return 'index or its metadata file is missing';
    let meta: IndexMeta;
    try {
      meta = JSON.parse(readFileSync(metaFile, 'utf8')) as IndexMeta;
    } catch {
      return 'metadata file is unreadable';
    }
    if (meta.version !== 3 || meta.modelId !== modelId || meta.dim !== dim) return 'metadata is for another model or dimension';
    // A truncated file is refused before hnswlib sees it. The CRC runs alongside the (threaded) read, and a
    // mismatch discards what was read before any search could walk a damaged graph.
    if (statSync(file).size !== meta.fileSize) return 'index file is damaged (size differs from the one saved)';
    const index = new hnswlib.HierarchicalNSW('ip', dim);
    const [crc, read] = await Promise.all([
      crc32File(file),
      index.readIndex(file, true).then(
        () => null,
        (err: Error) => err.message,
      ),
    ]);
    if (crc !== meta.fileCrc32) return 'index file is damaged (checksum mismatch)';
    if (read !== null) return `index file is unreadable (${read})`;
    // The CRC ties the file to this metadata, so the digest saved with it is the digest of the file's live ids.
    if (!sameDigest(meta.ids, catalogueDigest(db, modelId))) return 'index does not match the catalogue (count or id checksum)';
    return { index, meta };
  }

  private static build(
    db: Db,
    file: string,
    modelId: string,
    dim: number,
    params: IndexParams,
    outcome: OpenOutcome,
    reason: string | null,
  ): VectorIndex {
    const { count } = catalogueDigest(db, modelId);
    const index = new hnswlib.HierarchicalNSW('ip', dim);
    index.initIndex({
      maxElements: Math.max(1024, Math.ceil(count * 1.25)),
      m: params.m,
      efConstruction: params.efConstruction,
      randomSeed: 100,
      allowReplaceDeleted: true,
    });
    for (const { imageId, vector } of iterateVectors(db, modelId)) index.addPoint(Array.from(vector), imageId);
    const vi = new VectorIndex(modelId, dim, file, params, index, outcome, reason);
    vi.dirty = true;
    return vi;
  }

  get size(): number {
    return this.index.getCurrentCount() - this.deleted.size;
  }

  add(items: { imageId: number; vector: Float32Array }[]): void {
    for (const { imageId, vector } of items) {
      if (vector.length !== this.dim)
        throw new SporeprintError(
          'INDEX_ERROR',
          `vector for image ${imageId} has ${vector.length} dimensions, index ${this.modelId} has ${this.dim}`,
        );
      if (this.index.getCurrentCount() >= this.index.getMaxElements())
        this.index.resizeIndex(Math.ceil(this.index.getMaxElements() * 1.5) + 1024);
      this.index.addPoint(Array.from(vector), imageId, this.deleted.has(imageId));
      this.deleted.delete(imageId);
    }
    if (items.length) this.dirty = true;
  }

  remove(imageIds: number[]): void {
    const present = new Set(this.index.getIdsList());
    for (const id of imageIds) {
      if (!present.has(id) || this.deleted.has(id)) continue;
      this.index.markDelete(id);
      this.deleted.add(id);
      this.dirty = true;
    }
  }

  /** The ef a search for k neighbours walks the graph with: the default (or the one asked for), at least k. */
  efFor(k: number, ef?: number): number {
    return Math.max(ef ?? this.params.efSearch, Math.min(k, this.size));
  }

  /**
   * Nearest neighbours by cosine similarity. With `filter`, hnswlib skips non-matching ids during the
   * graph walk, and ef grows with k so that the result still holds k matches when enough exist.
   */
  search(query: Float32Array, k: number, filter?: (imageId: number) => boolean, ef?: number): Neighbour[] {
    if (query.length !== this.dim)
      throw new SporeprintError('INDEX_ERROR', `query has ${query.length} dimensions, index ${this.modelId} has ${this.dim}`);
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    this.index.setEf(this.efFor(n, ef));
    const result = filter ? this.index.searchKnn(Array.from(query), n, filter) : this.index.searchKnn(Array.from(query), n);
    return result.neighbors.map((imageId, i) => ({ imageId, score: 1 - result.distances[i]! })).sort((a, b) => b.score - a.score);
  }

  /**
   * Writes the index to a temp file, renames it into place, then the metadata the same way. Saves are queued:
   * two jobs finishing at once (two ingests in one library) would otherwise write and rename one temp file twice.
   */
  save(): Promise<void> {
    return this.saves.run(() => this.writeFiles());
  }

  private async writeFiles(): Promise<void> {
    if (!this.dirty || !this.persist) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    await this.index.writeIndex(tmp);
    const meta: IndexMeta = {
      version: 3,
      modelId: this.modelId,
      dim: this.dim,
      params: this.params,
      deleted: [...this.deleted],
      fileSize: statSync(tmp).size,
      fileCrc32: await crc32File(tmp),
      ids: idDigest(this.index.getIdsList().filter((id) => !this.deleted.has(id))),
    };
    // A crash between the two renames leaves index and metadata disagreeing, which open() detects and repairs.
    renameSync(tmp, this.file);
    writeFileSync(`${this.file}.meta.json.tmp`, JSON.stringify(meta));
    renameSync(`${this.file}.meta.json.tmp`, `${this.file}.meta.json`);
    this.dirty = false;
  }

  /** Deletes the files of an index (model removal). */
  static removeFiles(file: string): void {
    for (const f of [file, `${file}.meta.json`]) rmSync(f, { force: true });
  }
}

// Per-library HNSW indexes, one per model, opened (verified or rebuilt) on first use and saved at close.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { LibraryContext } from '../library-context';
import { INDEX_DIR } from '../library-paths';
import { SporeprintError } from '../errors';
import { VectorIndex } from './hnsw-index';
import { getModel } from './vector-store';

/** index/<readable id>-<hash>.hnsw: readable for humans, unique for ids that differ only in punctuation. */
export function indexFile(libraryDir: string, modelId: string): string {
  const readable = modelId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(modelId).digest('hex').slice(0, 8);
  return path.join(libraryDir, INDEX_DIR, `${readable}-${hash}.hnsw`);
}

export class IndexRegistry {
  private readonly open = new Map<string, Promise<VectorIndex>>();

  constructor(private readonly ctx: LibraryContext) {}

  get(modelId: string): Promise<VectorIndex> {
    let index = this.open.get(modelId);
    if (!index) {
      const model = getModel(this.ctx.db, modelId);
      if (!model) return Promise.reject(new SporeprintError('MODEL_MISSING', `no vectors are stored for model ${modelId}`));
      // A read-only library builds a missing or outdated index in memory and never writes it.
      index = VectorIndex.open(this.ctx.db, indexFile(this.ctx.dir, modelId), modelId, model.vectorSize, undefined, {
        persist: !this.ctx.readOnly,
      });
      this.open.set(modelId, index);
      index.catch(() => this.open.delete(modelId));
    }
    return index;
  }

  /** Forgets (and deletes the files of) a model's index. */
  async drop(modelId: string): Promise<void> {
    const index = this.open.get(modelId);
    this.open.delete(modelId);
    if (index) await index.catch(() => undefined);
    VectorIndex.removeFiles(indexFile(this.ctx.dir, modelId));
  }

  async saveAll(): Promise<void> {
    for (const index of this.open.values()) await (await index).save();
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const index of all)
      await index.then(
        (i) => i.save(),
        () => undefined,
      );
  }
}

export function indexes(ctx: LibraryContext): IndexRegistry {
  return ctx.service(
    'vector.indexes',
    () => new IndexRegistry(ctx),
    (r) => r.closeAll(),
  );
}

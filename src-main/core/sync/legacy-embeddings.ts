// Servers first set up by an older Sporeprint kept one vector per image in media.image (embedding, embedding_model):
// --init-schema moves those vectors into media.image_embedding, one row per (image, model), and drops the old columns.
import type { ClientBase } from 'pg';
import type { EmbeddingStorage } from './server-ddl';

export interface LegacyMove {
  /** Vectors moved into media.image_embedding. */
  moved: number;
  /** Vectors left in media.image.embedding: another size than the one their model is registered with. */
  kept: number;
}

// A vector saved without a model name (possible in that layout) still gets a model, named so a curator can tell.
export const UNNAMED_LEGACY_MODEL = 'legacy-unnamed';

/** Inside the init transaction, after the tables exist; a no-op on a server without the old column. */
export async function moveLegacyEmbeddings(client: ClientBase, storage: EmbeddingStorage): Promise<LegacyMove> {
  const columns = await client.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
     WHERE table_schema = 'media' AND table_name = 'image' AND column_name IN ('embedding', 'embedding_model')`,
  );
  const names = new Set(columns.rows.map((r) => r.name));
  if (!names.has('embedding')) return { moved: 0, kept: 0 };
  const modelOf = names.has('embedding_model') ? `COALESCE(i.embedding_model, $1)` : `$1::text`;
  // ::real[] reads both old types (pgvector casts vector to real[]); the target type is the server's storage.
  const legacy = `SELECT i.sha256, ${modelOf} AS model, cardinality(i.embedding::real[]) AS dim, i.embedding::real[] AS v, i.first_client
                  FROM media.image i WHERE i.embedding IS NOT NULL`;
  // Each model takes its most common size (unless already registered); its HNSW index is created by the trigger.
  await client.query(
    `INSERT INTO media.embedding_model (model, dim)
     SELECT DISTINCT ON (model) model, dim FROM (${legacy}) l GROUP BY model, dim ORDER BY model, count(*) DESC, dim
     ON CONFLICT (model) DO NOTHING`,
    [UNNAMED_LEGACY_MODEL],
  );
  // A vector already in the per-model table was pushed later than the old column's: that one stays.
  const moved = await client.query(
    `INSERT INTO media.image_embedding (image_sha256, model, dim, embedding, client_id)
     SELECT l.sha256, l.model, l.dim, l.v${storage === 'vector' ? '::vector' : ''}, l.first_client
     FROM (${legacy}) l JOIN media.embedding_model m ON m.model = l.model AND m.dim = l.dim
     ON CONFLICT (image_sha256, model) DO NOTHING`,
    [UNNAMED_LEGACY_MODEL],
  );
  const left = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (${legacy}) l
     WHERE NOT EXISTS (SELECT 1 FROM media.embedding_model m WHERE m.model = l.model AND m.dim = l.dim)`,
    [UNNAMED_LEGACY_MODEL],
  );
  const kept = left.rows[0]!.n;
  // Only once every vector has a place: a vector of an unregistered size keeps the old column for the DBA to decide.
  if (kept === 0) await client.query(`ALTER TABLE media.image DROP COLUMN embedding, DROP COLUMN IF EXISTS embedding_model`);
  return { moved: moved.rowCount ?? 0, kept };
}

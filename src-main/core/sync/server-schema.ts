// The lab server's schema: --init-schema creates and repairs it, and every push first checks what it will write.
import type { ClientBase } from 'pg';
import { SporeprintError } from '../errors';
import {
  CONSTRAINTS,
  createTableSql,
  INDEXES,
  PRELUDE,
  repairColumnsSql,
  REQUIRED_VIEWS,
  SERVER_RULES,
  serverTables,
  VECTOR_INDEX_FUNCTION,
  VIEWS,
  type EmbeddingStorage,
} from './server-ddl';
import { moveLegacyEmbeddings, type LegacyMove } from './legacy-embeddings';
import { isRetryable } from './retryable';
import { createCuratorRole } from './server-role';

export type { EmbeddingStorage } from './server-ddl';

export interface ServerSchemaInfo {
  embeddingStorage: EmbeddingStorage;
  /** Constraints added by a repair that rows written before them break (left NOT VALID for the DBA). */
  unvalidated: string[];
  /** What init moved from the old single-vector column (media.image.embedding); none on a check alone. */
  legacyVectors?: LegacyMove;
}

const REQUIRED_TRIGGERS = ['label_event_append_only', 'label_event_no_truncate', 'image_no_label_downgrade'];

/**
 * Creates whatever is missing and repairs older tables (ADD COLUMN IF NOT EXISTS, constraints, triggers, views);
 * safe on a populated server. A dropped connection is thrown as is, so the caller retries the whole (idempotent) run.
 */
export interface InitOptions {
  createRole?: string;
  /** The storage a server without one takes (SYNC_EMBEDDING_STORAGE); a server keeps the one it has. Default auto. */
  embeddingStorage?: EmbeddingStorage | 'auto';
}

export async function initServerSchema(client: ClientBase, options: InitOptions = {}): Promise<ServerSchemaInfo> {
  const unvalidated: string[] = [];
  let legacy: LegacyMove = { moved: 0, kept: 0 };
  const vectorAvailable = (await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`)).rowCount! > 0;
  await client.query('BEGIN');
  try {
    // A transaction-level lock: two curators running --init-schema at once must not race on CREATE TYPE.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('sporeprint.init-schema'))`);
    await client.query(PRELUDE);
    const storage = await chooseStorage(client, vectorAvailable, options.embeddingStorage ?? 'auto');
    if (storage === 'vector') await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query(`INSERT INTO media.sync_server (embedding_storage) VALUES ($1) ON CONFLICT DO NOTHING`, [storage]);
    for (const table of serverTables(storage)) {
      await client.query(createTableSql(table));
      await client.query(repairColumnsSql(table));
    }
    // Float vectors do not compress: skip pglz's attempt and store them out of line directly.
    await client.query(`ALTER TABLE media.image_embedding ALTER COLUMN embedding SET STORAGE EXTERNAL`);
    const sizeCheck = storage === 'vector' ? 'vector_dims(embedding) = dim' : 'array_ndims(embedding) = 1 AND cardinality(embedding) = dim';
    const constraints = [...CONSTRAINTS, { table: 'image_embedding', name: 'image_embedding_size', definition: `CHECK (${sizeCheck})` }];
    const existing = new Set(
      (
        await client.query<{ name: string }>(
          `SELECT c.conname AS name FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'media'`,
        )
      ).rows.map((r) => r.name),
    );
    for (const c of constraints.filter((c) => !existing.has(c.name))) {
      await client.query(`ALTER TABLE media.${c.table} ADD CONSTRAINT ${c.name} ${c.definition} NOT VALID`);
      // Validate where the rows allow it; a legacy row that breaks it must not block the repair.
      await client.query('SAVEPOINT validate');
      try {
        await client.query(`ALTER TABLE media.${c.table} VALIDATE CONSTRAINT ${c.name}`);
        await client.query('RELEASE SAVEPOINT validate');
      } catch (err) {
        if (isRetryable(err)) throw err;
        await client.query('ROLLBACK TO SAVEPOINT validate');
        unvalidated.push(`media.${c.table}.${c.name}`);
      }
    }
    await client.query(INDEXES);
    await client.query(SERVER_RULES);
    await client.query(VIEWS);
    if (storage === 'vector') await client.query(VECTOR_INDEX_FUNCTION);
    legacy = await moveLegacyEmbeddings(client, storage);
    if (options.createRole) await createCuratorRole(client, options.createRole);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (isRetryable(err)) throw err;
    throw new SporeprintError('SYNC_FAILED', `could not create the sync schema: ${(err as Error).message}`);
  }
  const info = await checkServerSchema(client);
  return { ...info, unvalidated, legacyVectors: legacy };
}

/** The storage fixed at the first init; a server from before that record keeps the type of its embedding column. */
async function chooseStorage(client: ClientBase, vectorAvailable: boolean, wanted: EmbeddingStorage | 'auto'): Promise<EmbeddingStorage> {
  const recorded = await client.query<{ s: EmbeddingStorage }>(`SELECT embedding_storage AS s FROM media.sync_server`);
  if (recorded.rows[0]) return recorded.rows[0].s;
  const column = await client.query<{ udt: string }>(
    `SELECT udt_name AS udt FROM information_schema.columns
     WHERE table_schema = 'media' AND table_name = 'image_embedding' AND column_name = 'embedding'`,
  );
  if (column.rows[0]) return column.rows[0].udt === 'vector' ? 'vector' : 'real[]';
  if (wanted === 'vector' && !vectorAvailable) {
    throw new SporeprintError(
      'SYNC_FAILED',
      'SYNC_EMBEDDING_STORAGE is vector but the server has no pgvector extension (install postgresql-<major>-pgvector or build pgvector, or use auto)',
    );
  }
  if (wanted === 'auto') return vectorAvailable ? 'vector' : 'real[]';
  return wanted;
}

/** Fails with SCHEMA_MISSING, naming every missing relation, column and rule, unless a push can write everything. */
export async function checkServerSchema(client: ClientBase): Promise<ServerSchemaInfo> {
  const relations = new Set(
    (
      await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'media'`,
      )
    ).rows.map((r) => r.name),
  );
  const storageRow = relations.has('sync_server')
    ? (await client.query<{ s: EmbeddingStorage }>(`SELECT embedding_storage AS s FROM media.sync_server`)).rows[0]
    : undefined;
  const storage: EmbeddingStorage = storageRow?.s ?? 'real[]';
  const columns = await client.query<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'media'`,
  );
  const present = new Set(columns.rows.map((r) => `${r.t}.${r.c}`));
  const triggers = new Set(
    (
      await client.query<{ name: string }>(
        `SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'media' AND NOT t.tgisinternal`,
      )
    ).rows.map((r) => r.name),
  );
  const missing: string[] = [];
  for (const table of serverTables(storage)) {
    if (!relations.has(table.name)) {
      missing.push(`media.${table.name}`);
      continue;
    }
    for (const c of table.columns) if (!present.has(`${table.name}.${c.name}`)) missing.push(`media.${table.name}.${c.name}`);
  }
  for (const view of REQUIRED_VIEWS) if (!relations.has(view)) missing.push(`media.${view}`);
  for (const trigger of REQUIRED_TRIGGERS) if (!triggers.has(trigger)) missing.push(`trigger ${trigger}`);
  if (missing.length > 0) {
    const none = !relations.has('image');
    throw new SporeprintError(
      'SCHEMA_MISSING',
      none
        ? `the server has no sync schema (missing ${missing.join(', ')}); run sync with --init-schema to create it`
        : `the server's sync schema is incomplete (missing ${missing.join(', ')}); run sync with --init-schema to repair it`,
    );
  }
  return { embeddingStorage: storage, unvalidated: [] };
}

// The MINDEX-compatible target schema on the lab's PostgreSQL: creation (--init-schema) and the check before a push.
import type { ClientBase } from 'pg';
import { DEFAULT_LICENSE_ALLOW_LIST, HQ_MIN_LONG_EDGE, HQ_MIN_SCORE } from '../../../src-shared/defaults';
import { SporeprintError } from '../errors';

/** How the server stores embeddings: pgvector where the extension exists, a plain real[] otherwise. */
export type EmbeddingStorage = 'vector' | 'real[]';

export interface ServerSchemaInfo {
  embeddingStorage: EmbeddingStorage;
}

const REQUIRED_RELATIONS = ['image', 'label_event', 'license_allow_list', 'training_general', 'training_hq', 'training_verified'];

const allowListValues = DEFAULT_LICENSE_ALLOW_LIST.map((l) => `('${l.replace(/'/g, "''")}')`).join(', ');

/** Everything but the embedding column, whose type depends on the extension; each statement is idempotent. */
const BASE_DDL = /* sql */ `
CREATE SCHEMA IF NOT EXISTS media;
DO $$ BEGIN
  CREATE TYPE media.label_state AS ENUM ('source_claimed', 'model_suggested', 'human_verified', 'disputed');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
-- Every label change on the server takes the next value, so clients pull "what changed since N".
CREATE SEQUENCE IF NOT EXISTS media.label_seq;
CREATE TABLE IF NOT EXISTS media.image (
  -- text with a length check rather than char(n): lookups by text[] parameters then use the index.
  sha256             text PRIMARY KEY CHECK (length(sha256) = 64),
  perceptual_hash    text NOT NULL CHECK (length(perceptual_hash) = 16),
  width              integer NOT NULL,
  height             integer NOT NULL,
  format             text NOT NULL,
  file_size          bigint NOT NULL,
  quality_score      real NOT NULL,
  quality_resolution real NOT NULL,
  quality_sharpness  real NOT NULL,
  quality_noise      real NOT NULL,
  quality_colour     real NOT NULL,
  is_hq              boolean NOT NULL,
  license            text,
  attribution        text,
  source_url         text,
  -- sha256 of the cluster representative when a client holds this image as a redundant near-duplicate.
  duplicate_of       text,
  taxon              text,
  rank               text,
  label_state        media.label_state,
  label_author       text,
  label_client       text,
  label_updated_at   timestamptz,
  -- Bumped on every label change; a client's decision made against an older revision may be a conflict.
  label_rev          integer NOT NULL DEFAULT 0,
  label_seq          bigint NOT NULL DEFAULT 0,
  embedding_model    text,
  first_client       text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS image_label_seq ON media.image (label_seq);
CREATE INDEX IF NOT EXISTS image_taxon ON media.image (taxon);
CREATE INDEX IF NOT EXISTS image_perceptual_hash ON media.image (perceptual_hash);
CREATE TABLE IF NOT EXISTS media.label_event (
  id              bigserial PRIMARY KEY,
  image_sha256    text NOT NULL REFERENCES media.image (sha256),
  client_id       text NOT NULL,
  -- The event's id in the client's catalogue; NULL for events the server writes (disputes).
  client_event_id bigint,
  at              timestamptz NOT NULL,
  author          text,
  action          text NOT NULL,
  from_state      media.label_state,
  to_state        media.label_state,
  from_taxon      text,
  to_taxon        text,
  rank            text,
  note            text,
  evidence        jsonb,
  received_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_id, client_event_id)
);
CREATE INDEX IF NOT EXISTS label_event_image ON media.label_event (image_sha256, id);
-- The audit trail is append-only: nobody rewrites history, not even a buggy client.
CREATE OR REPLACE FUNCTION media.label_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'media.label_event is append-only';
END $$;
DROP TRIGGER IF EXISTS label_event_append_only ON media.label_event;
CREATE TRIGGER label_event_append_only BEFORE UPDATE OR DELETE ON media.label_event
  FOR EACH ROW EXECUTE FUNCTION media.label_event_append_only();
CREATE TABLE IF NOT EXISTS media.license_allow_list (value text PRIMARY KEY);
INSERT INTO media.license_allow_list (value) VALUES ${allowListValues} ON CONFLICT DO NOTHING;
-- Same result as the catalogue's SQL function: bits that differ between two 16-hex-digit hashes.
CREATE OR REPLACE FUNCTION media.hamming_distance(a text, b text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT length(replace((('x' || a)::bit(64) # ('x' || b)::bit(64))::text, '0', ''))
$$;
CREATE OR REPLACE VIEW media.training_general AS
SELECT i.sha256, i.taxon, i.rank, i.label_state, i.label_author, i.label_updated_at, i.quality_score, i.width,
       i.height, i.format, i.is_hq, i.license, i.attribution, i.source_url
FROM media.image i
WHERE i.label_state IS NOT NULL AND i.label_state <> 'disputed' AND i.duplicate_of IS NULL;
CREATE OR REPLACE VIEW media.training_hq AS
SELECT t.* FROM media.training_general t
WHERE t.quality_score >= ${HQ_MIN_SCORE}
  AND greatest(t.width, t.height) >= ${HQ_MIN_LONG_EDGE}
  AND EXISTS (
    SELECT 1 FROM media.license_allow_list a
    WHERE t.license = a.value OR t.license ~ ('^' || a.value || '-[0-9]\\.[0-9]$')
  );
CREATE OR REPLACE VIEW media.training_verified AS
SELECT t.* FROM media.training_general t WHERE t.label_state = 'human_verified';
`;

/** Creates whatever is missing; safe to run on a populated server (used by --init-schema). */
export async function initServerSchema(client: ClientBase): Promise<ServerSchemaInfo> {
  const vectorAvailable = (await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`)).rowCount! > 0;
  await client.query('BEGIN');
  try {
    // A transaction-level lock: two curators running --init-schema at once must not race on CREATE TYPE.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('sporeprint.init-schema'))`);
    if (vectorAvailable) await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query(BASE_DDL);
    const existing = await embeddingColumnType(client);
    if (!existing) {
      const type = vectorAvailable ? 'vector' : 'real[]';
      await client.query(`ALTER TABLE media.image ADD COLUMN embedding ${type}`);
      // Float vectors do not compress: skip pglz's attempt and store them out of line directly.
      await client.query(`ALTER TABLE media.image ALTER COLUMN embedding SET STORAGE EXTERNAL`);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new SporeprintError('SYNC_FAILED', `could not create the sync schema: ${(err as Error).message}`);
  }
  return checkServerSchema(client);
}

/** Fails with SCHEMA_MISSING (naming what is absent) unless the target schema is complete. */
export async function checkServerSchema(client: ClientBase): Promise<ServerSchemaInfo> {
  const found = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'media' AND c.relname = ANY($1)`,
    [REQUIRED_RELATIONS],
  );
  const present = new Set(found.rows.map((r) => r.name));
  const missing = REQUIRED_RELATIONS.filter((r) => !present.has(r));
  const embedding = missing.includes('image') ? null : await embeddingColumnType(client);
  if (missing.length > 0 || !embedding) {
    const what = [...missing.map((m) => `media.${m}`), ...(embedding || missing.includes('image') ? [] : ['media.image.embedding'])];
    throw new SporeprintError(
      'SCHEMA_MISSING',
      `the server has no sync schema (missing ${what.join(', ')}); run sync with --init-schema to create it`,
    );
  }
  return { embeddingStorage: embedding };
}

async function embeddingColumnType(client: ClientBase): Promise<EmbeddingStorage | null> {
  const res = await client.query<{ udt: string }>(
    `SELECT udt_name AS udt FROM information_schema.columns WHERE table_schema = 'media' AND table_name = 'image' AND column_name = 'embedding'`,
  );
  const udt = res.rows[0]?.udt;
  if (udt === undefined) return null;
  return udt === 'vector' ? 'vector' : 'real[]';
}

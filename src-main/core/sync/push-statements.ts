// The push's SQL: per-connection staging tables filled by COPY, and the one statement that merges a batch by the rules.

// TEMP and ON COMMIT DELETE ROWS: not WAL-logged, private to the connection, emptied by every COMMIT or ROLLBACK.
export const CREATE_STAGING = /* sql */ `
CREATE TEMP TABLE IF NOT EXISTS sync_stage_image (
  sha256 text, known boolean, phash text, width integer, height integer, format text, file_size bigint,
  q real, qr real, qs real, qn real, qc real, qa real, is_hq boolean, license text, attribution text, source_url text,
  duplicate_of text, source text, thumb_path text, small_path text, medium_path text, large_path text,
  label_changed boolean, taxon text, rank text, label_state text, label_author text, label_client text,
  label_updated_at text, label_rev integer
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS sync_stage_event (
  sha256 text, client_event_id bigint, at text, author text, action text, from_state text, to_state text,
  from_taxon text, to_taxon text, rank text, note text, evidence text
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS sync_stage_embedding (sha256 text, embedding real[]) ON COMMIT DELETE ROWS;`;

export const COPY_IMAGES = `COPY pg_temp.sync_stage_image FROM STDIN (FORMAT binary)`;
export const COPY_EVENTS = `COPY pg_temp.sync_stage_event FROM STDIN (FORMAT binary)`;
export const COPY_EMBEDDINGS = `COPY pg_temp.sync_stage_embedding FROM STDIN (FORMAT binary)`;
/** Columns of sync_stage_image, in COPY order. */
export const STAGE_IMAGE_FIELDS = 31;
export const STAGE_EVENT_FIELDS = 12;

// duplicate_of is written only once its representative is on the server (this batch or earlier); until then the
// claim keeps it and FILL_PENDING_DUPLICATES sets it when the representative arrives.
const RESOLVED_DUPLICATE = `CASE WHEN s.duplicate_of IS NULL
       OR EXISTS (SELECT 1 FROM media.image r WHERE r.sha256 = s.duplicate_of)
       OR EXISTS (SELECT 1 FROM pg_temp.sync_stage_image r WHERE r.sha256 = s.duplicate_of) THEN s.duplicate_of END`;

// Fields curators claim: a push fills them where the server has none, never replaces a value, and flags a difference.
const CLAIMED = ['license', 'attribution', 'source_url'] as const;
const RESOLVABLE = [...CLAIMED, 'duplicate_of'] as const;
const FIRST_WINS = ['source', 'thumb_path', 'small_path', 'medium_path', 'large_path'] as const;
const MEASURED = [
  ['perceptual_hash', 'phash'],
  ['width', 'width'],
  ['height', 'height'],
  ['format', 'format'],
  ['file_size', 'file_size'],
  ['quality_score', 'q'],
  ['quality_resolution', 'qr'],
  ['quality_sharpness', 'qs'],
  ['quality_noise', 'qn'],
  ['quality_colour', 'qc'],
  ['is_hq', 'is_hq'],
] as const;
/**
 * The value shown: the server's, unless it is empty or no other curator claims it (this client correcting its own
 * claim); a NULL never replaces it.
 */
const shownClaim = (c: string) => `CASE WHEN res.${c} IS NOT NULL THEN o.${c} WHEN o.${c} IS NULL THEN s.${c}
      WHEN s.${c} IS NOT NULL AND NOT (o.${c} = ANY (COALESCE(others.${c}, '{}'))) THEN s.${c}
      ELSE o.${c} END AS ${c}`;
// duplicate_of follows the cluster decisions of the curator(s) who claim it: a client whose own claim set it may
// clear it (a new representative, a 'keep'), while another client's NULL never does.
/**
 * Curators disagree on a field when their non-null claims (this push's included) hold more than one value. Once a
 * curator resolved the field, only what was claimed after that (this push's claim if it changed) is set against the
 * value chosen.
 */
const disagreement = (c: string) => `CASE WHEN res.${c} IS NULL
      THEN (SELECT count(DISTINCT v) FROM unnest(COALESCE(others.${c}, '{}') || s.${c}) v) > 1
      ELSE (SELECT count(DISTINCT v) FROM unnest(COALESCE(others.${c}_later, '{}') || o.${c}
              || CASE WHEN s.${c} IS DISTINCT FROM mine.${c} OR mine.claimed_at > res.${c} THEN s.${c} END) v) > 1 END`;
// Measured, but only by quality v2: a library still at v1 sends NULL, which never clears another curator's value.
const ARTEFACTS = 'quality_artefacts';
const LABEL = ['taxon', 'rank', 'label_author', 'label_client', 'label_rev'] as const;
const UPDATED = [
  ...MEASURED.map(([c]) => c),
  ARTEFACTS,
  ...CLAIMED,
  'duplicate_of',
  ...FIRST_WINS,
  'claim_conflict',
  ...LABEL,
  'label_state',
  'label_updated_at',
];

/**
 * One batch, one statement: new images inserted, known ones updated only where something differs, each client's
 * claims upserted, events appended (a re-sent event is a no-op), vectors stored per (image, model).
 * $1 client id, $2 claim author, $3 embedding model, $4 its size.
 */
export const MERGE_BATCH = (embeddingCast: string) => /* sql */ `
WITH ins AS (
  INSERT INTO media.image (sha256, ${MEASURED.map(([c]) => c).join(', ')}, ${ARTEFACTS}, ${CLAIMED.join(', ')}, duplicate_of, ${FIRST_WINS.join(', ')},
    ${LABEL.join(', ')}, label_state, label_updated_at, label_seq, first_client)
  SELECT s.sha256, ${MEASURED.map(([, v]) => `s.${v}`).join(', ')}, s.qa, ${CLAIMED.map((c) => `s.${c}`).join(', ')}, ${RESOLVED_DUPLICATE},
    ${FIRST_WINS.map((c) => `s.${c}`).join(', ')}, ${LABEL.map((c) => `s.${c}`).join(', ')}, s.label_state::media.label_state,
    s.label_updated_at::timestamptz, CASE WHEN s.label_changed THEN nextval('media.label_seq') ELSE 0 END, $1
  FROM pg_temp.sync_stage_image s WHERE NOT s.known
  RETURNING 1
), merged AS (
  SELECT s.sha256, s.label_changed,
    ${MEASURED.map(([c, v]) => `s.${v} AS ${c}`).join(', ')},
    COALESCE(s.qa, o.${ARTEFACTS}) AS ${ARTEFACTS},
    ${CLAIMED.map(shownClaim).join(', ')},
    CASE WHEN res.duplicate_of IS NOT NULL OR o.duplicate_of = ANY (COALESCE(others.duplicate_of, '{}')) THEN o.duplicate_of
      ELSE ${RESOLVED_DUPLICATE} END AS duplicate_of,
    ${FIRST_WINS.map((c) => `COALESCE(o.${c}, s.${c}) AS ${c}`).join(', ')},
    ${RESOLVABLE.map(disagreement).join(' OR ')} AS claim_conflict,
    ${LABEL.map((c) => `CASE WHEN s.label_changed THEN s.${c} ELSE o.${c} END AS ${c}`).join(', ')},
    CASE WHEN s.label_changed THEN s.label_state::media.label_state ELSE o.label_state END AS label_state,
    CASE WHEN s.label_changed THEN s.label_updated_at::timestamptz ELSE o.label_updated_at END AS label_updated_at
  FROM pg_temp.sync_stage_image s JOIN media.image o ON o.sha256 = s.sha256
  -- When each field was resolved by a curator (sync resolve), if it was.
  LEFT JOIN LATERAL (
    SELECT ${RESOLVABLE.map((c) => `max(r.resolved_at) FILTER (WHERE r.field = '${c}') AS ${c}`).join(', ')}
    FROM media.claim_resolution r WHERE r.image_sha256 = s.sha256
  ) res ON true
  LEFT JOIN LATERAL (
    SELECT ${RESOLVABLE.map((c) => `array_agg(c.${c}) FILTER (WHERE c.${c} IS NOT NULL) AS ${c}`).join(', ')},
      ${RESOLVABLE.map((c) => `array_agg(c.${c}) FILTER (WHERE c.${c} IS NOT NULL AND c.claimed_at > res.${c}) AS ${c}_later`).join(', ')}
    FROM media.image_claim c WHERE c.image_sha256 = s.sha256 AND c.client_id <> $1
  ) others ON true
  LEFT JOIN media.image_claim mine ON mine.image_sha256 = s.sha256 AND mine.client_id = $1
  WHERE s.known
), upd AS (
  UPDATE media.image t SET ${UPDATED.map((c) => `${c} = n.${c}`).join(', ')},
    label_seq = CASE WHEN n.label_changed THEN nextval('media.label_seq') ELSE t.label_seq END,
    updated_at = now()
  FROM merged n
  WHERE t.sha256 = n.sha256
    AND (n.label_changed OR (${UPDATED.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${UPDATED.map((c) => `n.${c}`).join(', ')}))
  RETURNING 1
), claims AS (
  INSERT INTO media.image_claim AS c (image_sha256, client_id, author, license, attribution, source_url, duplicate_of)
  SELECT s.sha256, $1, $2, s.license, s.attribution, s.source_url, s.duplicate_of
  FROM pg_temp.sync_stage_image s
  WHERE num_nonnulls(s.license, s.attribution, s.source_url, s.duplicate_of) > 0
     OR (s.known AND EXISTS (SELECT 1 FROM media.image_claim e WHERE e.image_sha256 = s.sha256 AND e.client_id = $1))
  ON CONFLICT (image_sha256, client_id) DO UPDATE SET author = EXCLUDED.author, license = EXCLUDED.license,
    attribution = EXCLUDED.attribution, source_url = EXCLUDED.source_url, duplicate_of = EXCLUDED.duplicate_of, claimed_at = now()
  WHERE (c.author, c.license, c.attribution, c.source_url, c.duplicate_of)
        IS DISTINCT FROM (EXCLUDED.author, EXCLUDED.license, EXCLUDED.attribution, EXCLUDED.source_url, EXCLUDED.duplicate_of)
  RETURNING 1
), ev AS (
  INSERT INTO media.label_event (image_sha256, client_id, client_event_id, at, author, action, from_state, to_state,
                                 from_taxon, to_taxon, rank, note, evidence)
  SELECT e.sha256, $1, e.client_event_id, e.at::timestamptz, e.author, e.action, e.from_state::media.label_state,
         e.to_state::media.label_state, e.from_taxon, e.to_taxon, e.rank, e.note, e.evidence::jsonb
  FROM pg_temp.sync_stage_event e
  ON CONFLICT (client_id, client_event_id) DO NOTHING
  RETURNING 1
), emb AS (
  INSERT INTO media.image_embedding AS x (image_sha256, model, dim, embedding, client_id)
  SELECT v.sha256, $3::text, $4::int, v.embedding${embeddingCast}, $1 FROM pg_temp.sync_stage_embedding v
  ON CONFLICT (image_sha256, model) DO UPDATE SET embedding = EXCLUDED.embedding, client_id = EXCLUDED.client_id, updated_at = now()
  WHERE x.embedding IS DISTINCT FROM EXCLUDED.embedding
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated,
       (SELECT count(*) FROM claims)::int AS claims, (SELECT count(*) FROM ev)::int AS events,
       (SELECT count(*) FROM emb)::int AS embeddings`;

/** Images whose claimed representative arrived in this batch ($1, their sha256s) get their duplicate_of (the first claim's). */
export const FILL_PENDING_DUPLICATES = /* sql */ `
UPDATE media.image m SET duplicate_of = c.duplicate_of, updated_at = now()
FROM (SELECT DISTINCT ON (c.image_sha256) c.image_sha256, c.duplicate_of
      FROM media.image_claim c WHERE c.duplicate_of = ANY ($1::text[])
      ORDER BY c.image_sha256, c.claimed_at, c.client_id) c
WHERE m.sha256 = c.image_sha256 AND m.duplicate_of IS NULL AND m.sha256 <> c.duplicate_of`;

/** Registers a model's size on first use; the returned size is the one the server holds. */
export const REGISTER_MODEL = /* sql */ `
WITH added AS (INSERT INTO media.embedding_model (model, dim) VALUES ($1, $2) ON CONFLICT (model) DO NOTHING RETURNING dim)
SELECT dim FROM added UNION ALL SELECT dim FROM media.embedding_model WHERE model = $1`;

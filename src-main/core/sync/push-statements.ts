// The push's SQL: per-connection staging tables filled by COPY, and the one statement that merges a batch by the rules.

// TEMP and ON COMMIT DELETE ROWS: not WAL-logged, private to the connection, emptied by every COMMIT or ROLLBACK. Only
// images the server already holds are staged; their events go straight into the server's tables after the merge.
// sync_server_known holds what the read of the server's rows (server-rows.ts) found under the push lock: every column
// the merge weighs (the source and paths only as has_paths), this client's claim and the other curators' claims in
// aggregate, so the merge joins it instead of probing media.image and media.image_claim again for each staged row.
export const CREATE_STAGING = /* sql */ `
CREATE TEMP TABLE IF NOT EXISTS sync_stage_known (
  sha256 text, phash text, width integer, height integer, format text, file_size bigint,
  q real, qr real, qs real, qn real, qc real, qa real, is_hq boolean, license text, attribution text, source_url text,
  duplicate_of text, source text, thumb_path text, small_path text, medium_path text, large_path text,
  label_changed boolean, taxon text, rank text, label_state text, label_author text, label_client text,
  label_updated_at text, label_rev integer
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS sync_stage_embedding (sha256 text, embedding real[]) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS sync_server_known (
  n integer, sha256 text,
  taxon text, rank text, label_state media.label_state, label_author text, label_client text, label_rev integer,
  label_seq float8, has_paths boolean,
  has_claim boolean, claim_author text, claim_license text, claim_attribution text, claim_source_url text, claim_duplicate_of text,
  perceptual_hash text, width integer, height integer, format text, file_size bigint, quality_score real,
  quality_resolution real, quality_sharpness real, quality_noise real, quality_colour real, is_hq boolean,
  quality_artefacts real, license text, attribution text, source_url text, duplicate_of text,
  claim_conflict boolean, label_updated_at timestamptz,
  license_lo text, license_hi text, license_shown boolean, attribution_lo text, attribution_hi text, attribution_shown boolean,
  source_url_lo text, source_url_hi text, source_url_shown boolean,
  duplicate_of_lo text, duplicate_of_hi text, duplicate_of_shown boolean
) ON COMMIT DELETE ROWS;`;

export const COPY_IMAGES = `COPY pg_temp.sync_stage_known FROM STDIN (FORMAT binary)`;
export const COPY_EMBEDDINGS = `COPY pg_temp.sync_stage_embedding FROM STDIN (FORMAT binary)`;
/** Columns of sync_stage_known, in COPY order. */
export const STAGE_IMAGE_FIELDS = 30;

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

// Per image, the other curators' claims: for each field their least and greatest value (they agree when equal) and
// whether one of them claims the value shown. $2 is this client's id in the read.
const othersAggregates = (c: string) => `min(c.${c}) FILTER (WHERE c.client_id <> $2) AS ${c}_lo,
      max(c.${c}) FILTER (WHERE c.client_id <> $2) AS ${c}_hi, bool_or(c.${c} = i.${c}) FILTER (WHERE c.client_id <> $2) AS ${c}_shown`;
// This client's own claim: at most one row per (image, client), so max() is that row's value.
const MY_CLAIM = ['author', 'license', 'attribution', 'source_url', 'duplicate_of'] as const;
// Only for an image with a resolved field: the others' values claimed after the resolution, and this client's claim.
const resolvedAggregates = (
  c: string,
) => `array_agg(c.${c}) FILTER (WHERE c.client_id <> $1 AND c.${c} IS NOT NULL AND c.claimed_at > res.${c}) AS ${c}_later,
      max(c.${c}) FILTER (WHERE c.client_id = $1) AS mine_${c}`;
/**
 * The value shown: the server's, unless it is empty or no other curator claims it (this client correcting its own
 * claim); a NULL never replaces it.
 */
const shownClaim = (c: string) => `CASE WHEN res.${c} IS NOT NULL THEN o.${c} WHEN o.${c} IS NULL THEN s.${c}
      WHEN s.${c} IS NOT NULL AND NOT coalesce(o.${c}_shown, false) THEN s.${c}
      ELSE o.${c} END AS ${c}`;
/**
 * Curators disagree on a field when their non-null claims (this push's included) hold more than one value: the others
 * disagree among themselves (least <> greatest) or this push's value differs from theirs. Once a curator resolved the
 * field, only what was claimed after that (this push's claim if it changed) is set against the value chosen.
 */
const disagreement = (c: string) => `CASE WHEN res.${c} IS NULL
      THEN o.${c}_lo IS DISTINCT FROM o.${c}_hi OR (s.${c} IS NOT NULL AND o.${c}_lo IS NOT NULL AND s.${c} <> o.${c}_lo)
      ELSE (SELECT count(DISTINCT v) FROM unnest(COALESCE(kr.${c}_later, '{}') || o.${c}
              || CASE WHEN s.${c} IS DISTINCT FROM kr.mine_${c} OR kr.mine_claimed_at > res.${c} THEN s.${c} END) v) > 1 END`;
// duplicate_of is written only once its representative is on the server (this batch's new images were copied before
// the merge; staged images are on it already); until then the claim keeps it and FILL_PENDING_DUPLICATES sets it when
// the representative arrives.
const RESOLVED_DUPLICATE = `CASE WHEN s.duplicate_of IS NULL OR rep.present THEN s.duplicate_of END`;
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
/** Rewritten by the merge and judged on the read's copy; the source and paths only by has_paths (first push wins). */
const COMPARED = UPDATED.filter((c) => !(FIRST_WINS as readonly string[]).includes(c));
/** The columns of media.image the read keeps for the merge besides what the plan weighs (the paths are ~60% of a row). */
const IMAGE_READ = [...new Set([...LABEL, 'label_state', 'label_seq', ...COMPARED])];

/**
 * Read under the push lock, for the keys of a batch ($1, sorted by the caller: consecutive probes then walk neighbouring
 * index pages; $2 this client's id): the server's row of each image it holds and the claims on it, kept in
 * sync_server_known for the merge; returned to the client are the label columns the plan weighs. Each key is probed
 * (OFFSET 0 keeps the subquery from being flattened into a join; the claims' aggregate is a probe per row of its own):
 * with `sha256 = ANY` the planner scanned and hashed both whole tables up to ~100k images
 * (5,000 keys), ~1.6x the probes' CPU there. One probe of the claims serves both this client's claim and the others'
 * (the merge probed them a second time). A row names its key by position in $1, not by its 64-digit sha256, which the
 * client holds already.
 */
export const READ_SERVER_ROWS = /* sql */ `
INSERT INTO pg_temp.sync_server_known (n, sha256, ${IMAGE_READ.join(', ')}, has_paths, has_claim,
  ${MY_CLAIM.map((c) => `claim_${c}`).join(', ')}, ${RESOLVABLE.map((c) => `${c}_lo, ${c}_hi, ${c}_shown`).join(', ')})
SELECT k.n::int, k.sha256, ${IMAGE_READ.map((c) => (c === 'label_seq' ? 'i.label_seq::float8' : `i.${c}`)).join(', ')},
  i.source IS NOT NULL AND i.thumb_path IS NOT NULL AND i.small_path IS NOT NULL AND i.medium_path IS NOT NULL
    AND i.large_path IS NOT NULL,
  coalesce(c.has_claim, false), ${MY_CLAIM.map((c) => `c.claim_${c}`).join(', ')},
  ${RESOLVABLE.map((c) => `c.${c}_lo, c.${c}_hi, c.${c}_shown`).join(', ')}
FROM unnest($1::text[]) WITH ORDINALITY AS k (sha256, n)
CROSS JOIN LATERAL (SELECT ${[...IMAGE_READ, ...FIRST_WINS].map((c) => `i.${c}`).join(', ')} FROM media.image i WHERE i.sha256 = k.sha256 OFFSET 0) i
CROSS JOIN LATERAL (
  SELECT bool_or(c.client_id = $2) AS has_claim,
    ${MY_CLAIM.map((c) => `max(c.${c}) FILTER (WHERE c.client_id = $2) AS claim_${c}`).join(', ')},
    ${RESOLVABLE.map(othersAggregates).join(',\n    ')}
  FROM media.image_claim c WHERE c.image_sha256 = k.sha256) c
RETURNING n, taxon, rank, label_state, label_author, label_client, label_rev, label_seq, has_paths`;

/**
 * One statement per batch for the images the server holds: each updated only where something differs (label, measures,
 * claims shown, conflict flag), this client's existing claims updated where they changed, vectors stored per (image,
 * model), this client's first claims written. Its events are copied after it (push-batch.ts). The rules weigh the
 * claims as they were before this push: the server's rows and the others' claims are those READ_SERVER_ROWS kept under
 * the push lock (FILL_PENDING_DUPLICATES_KEEPING_READ keeps their duplicate_of current). Whether a row differs is
 * judged on that copy, so media.image is probed only for the rows rewritten (it was probed twice for every staged row:
 * the row read, then the UPDATE's target).
 * $1 client id, $2 claim author, $3 embedding model, $4 its size.
 */
export const MERGE_BATCH = (embeddingCast: string) => /* sql */ `
WITH res AS (
  -- When each field was resolved by a curator (sync resolve), if it was: few images, so one grouped pass.
  SELECT r.image_sha256, ${RESOLVABLE.map((c) => `max(r.resolved_at) FILTER (WHERE r.field = '${c}') AS ${c}`).join(', ')}
  FROM media.claim_resolution r WHERE r.image_sha256 IN (SELECT sha256 FROM pg_temp.sync_stage_known)
  GROUP BY r.image_sha256
), merged AS MATERIALIZED (
  -- MATERIALIZED: only the rows that differ reach the UPDATE's join, which probes media.image for each of them.
  SELECT m.sha256, m.label_changed, ${UPDATED.map((c) => `m.${c}`).join(', ')}
  FROM (
    SELECT s.sha256, s.label_changed,
      ${MEASURED.map(([c, v]) => `s.${v} AS ${c}`).join(', ')},
      COALESCE(s.qa, o.${ARTEFACTS}) AS ${ARTEFACTS},
      ${CLAIMED.map(shownClaim).join(', ')},
      CASE WHEN res.duplicate_of IS NOT NULL OR coalesce(o.duplicate_of_shown, false) THEN o.duplicate_of
        ELSE ${RESOLVED_DUPLICATE} END AS duplicate_of,
      -- Staged only where the server lacks one of them; the UPDATE keeps what it holds (COALESCE).
      ${FIRST_WINS.map((c) => `s.${c}`).join(', ')},
      ${RESOLVABLE.map(disagreement).join(' OR ')} AS claim_conflict,
      ${LABEL.map((c) => `CASE WHEN s.label_changed THEN s.${c} ELSE o.${c} END AS ${c}`).join(', ')},
      CASE WHEN s.label_changed THEN s.label_state::media.label_state ELSE o.label_state END AS label_state,
      CASE WHEN s.label_changed THEN s.label_updated_at::timestamptz ELSE o.label_updated_at END AS label_updated_at,
      o.has_paths, ${COMPARED.map((c) => `o.${c} AS was_${c}`).join(', ')}
    FROM pg_temp.sync_stage_known s
    JOIN pg_temp.sync_server_known o ON o.sha256 = s.sha256
    -- OFFSET 0 keeps it a probe of the key per staged row: a join would hash the whole table (the staging has no
    -- statistics), as the planner did for media.image up to ~100k rows, at ~3x the probes' CPU.
    LEFT JOIN LATERAL (SELECT true AS present FROM media.image r WHERE r.sha256 = s.duplicate_of OFFSET 0) rep ON true
    LEFT JOIN res ON res.image_sha256 = s.sha256
    LEFT JOIN LATERAL (
      SELECT ${RESOLVABLE.map(resolvedAggregates).join(',\n        ')},
        max(c.claimed_at) FILTER (WHERE c.client_id = $1) AS mine_claimed_at
      FROM media.image_claim c WHERE res.image_sha256 IS NOT NULL AND c.image_sha256 = s.sha256
    ) kr ON true
  ) m
  WHERE m.label_changed OR NOT m.has_paths
    OR (${COMPARED.map((c) => `m.was_${c}`).join(', ')}) IS DISTINCT FROM (${COMPARED.map((c) => `m.${c}`).join(', ')})
), upd AS (
  UPDATE media.image t SET ${COMPARED.map((c) => `${c} = n.${c}`).join(', ')},
    ${FIRST_WINS.map((c) => `${c} = COALESCE(t.${c}, n.${c})`).join(', ')},
    label_seq = CASE WHEN n.label_changed THEN nextval('media.label_seq') ELSE t.label_seq END,
    updated_at = now()
  FROM merged n
  WHERE t.sha256 = n.sha256
  RETURNING 1
), claim_keys AS (
  -- This client's claim on each staged image as the read found it: rewritten where any part differs (even to all
  -- NULL: the curator cleared it), written where there was none and it names something. After the rules above, which
  -- weigh the claims held before this push (a statement's parts all see the rows as they were when it began).
  SELECT s.sha256, s.license, s.attribution, s.source_url, s.duplicate_of, o.has_claim
  FROM pg_temp.sync_stage_known s JOIN pg_temp.sync_server_known o ON o.sha256 = s.sha256
  WHERE CASE WHEN o.has_claim
    THEN (o.claim_author, o.claim_license, o.claim_attribution, o.claim_source_url, o.claim_duplicate_of)
         IS DISTINCT FROM ($2, s.license, s.attribution, s.source_url, s.duplicate_of)
    ELSE s.license IS NOT NULL OR s.attribution IS NOT NULL OR s.source_url IS NOT NULL OR s.duplicate_of IS NOT NULL END
), claims AS (
  -- The changed claims' keys as one array: each is probed in the claims' key (a join could hash the whole table).
  UPDATE media.image_claim c SET author = $2, license = k.license, attribution = k.attribution, source_url = k.source_url,
    duplicate_of = k.duplicate_of, claimed_at = now()
  FROM claim_keys k
  WHERE c.client_id = $1 AND c.image_sha256 = ANY ((SELECT array_agg(sha256) FROM claim_keys WHERE has_claim)::text[])
    AND k.sha256 = c.image_sha256
  RETURNING 1
), first_claims AS (
  INSERT INTO media.image_claim (image_sha256, client_id, author, license, attribution, source_url, duplicate_of)
  SELECT k.sha256, $1, $2, k.license, k.attribution, k.source_url, k.duplicate_of FROM claim_keys k WHERE NOT k.has_claim
  RETURNING 1
), emb AS (
  INSERT INTO media.image_embedding AS x (image_sha256, model, dim, embedding, client_id)
  SELECT v.sha256, $3::text, $4::int, v.embedding${embeddingCast}, $1 FROM pg_temp.sync_stage_embedding v
  ON CONFLICT (image_sha256, model) DO UPDATE SET embedding = EXCLUDED.embedding, client_id = EXCLUDED.client_id, updated_at = now()
  WHERE x.embedding IS DISTINCT FROM EXCLUDED.embedding
  RETURNING 1
)
SELECT (SELECT count(*) FROM upd)::int AS updated, (SELECT count(*) FROM claims)::int AS claims,
       (SELECT count(*) FROM first_claims)::int AS first_claims, (SELECT count(*) FROM emb)::int AS embeddings`;

// Images whose claimed representative arrived in this batch ($1, their sha256s) get their duplicate_of (the first
// claim's). Each new sha256 is probed in the claims' duplicate_of index (OFFSET 0): with `= ANY` the planner, with no
// statistics for image_claim, scanned the whole table once per batch (~10 ms a batch at 100k claims, growing with the
// server), where almost every probe finds nothing. For a batch with no image the server held before it.
export const FILL_PENDING_DUPLICATES = /* sql */ `
UPDATE media.image m SET duplicate_of = c.duplicate_of, updated_at = now()
FROM (SELECT DISTINCT ON (c.image_sha256) c.image_sha256, c.duplicate_of
      FROM unnest($1::text[]) AS k (sha256)
      CROSS JOIN LATERAL (SELECT c.image_sha256, c.duplicate_of, c.claimed_at, c.client_id
                          FROM media.image_claim c WHERE c.duplicate_of = k.sha256 OFFSET 0) c
      ORDER BY c.image_sha256, c.claimed_at, c.client_id) c
WHERE m.sha256 = c.image_sha256 AND m.duplicate_of IS NULL AND m.sha256 <> c.duplicate_of`;

/**
 * FILL_PENDING_DUPLICATES for a batch that also merges images the server held: one of them may be an image filled, so its
 * row in sync_server_known, which the merge weighs, takes the new value too ($2: this client's id, for whether another
 * curator claims the value now shown).
 */
export const FILL_PENDING_DUPLICATES_KEEPING_READ = /* sql */ `
WITH filled AS (${FILL_PENDING_DUPLICATES}
  RETURNING m.sha256, m.duplicate_of
)
UPDATE pg_temp.sync_server_known o SET duplicate_of = f.duplicate_of,
  duplicate_of_shown = EXISTS (SELECT 1 FROM media.image_claim c
                               WHERE c.image_sha256 = f.sha256 AND c.client_id <> $2 AND c.duplicate_of = f.duplicate_of)
FROM filled f WHERE o.sha256 = f.sha256`;

/** Registers a model's size on first use; the returned size is the one the server holds. */
export const REGISTER_MODEL = /* sql */ `
WITH added AS (INSERT INTO media.embedding_model (model, dim) VALUES ($1, $2) ON CONFLICT (model) DO NOTHING RETURNING dim)
SELECT dim FROM added UNION ALL SELECT dim FROM media.embedding_model WHERE model = $1`;

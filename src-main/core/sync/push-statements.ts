// The push's named statements: one batch of rows as unnest()ed arrays, inserted, updated only where different, and its events.

// The batch as one set of rows; the vectors travel as one binary real[] sliced per row by slot.
const BATCH_ROWS = /* sql */ `
WITH u AS (
  SELECT r.*, CASE WHEN r.emb_slot IS NULL THEN NULL
                   ELSE ($27::real[])[(r.emb_slot - 1) * $28::int + 1 : r.emb_slot * $28::int] END AS embedding
  FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::bigint[], $7::real[], $8::real[], $9::real[],
              $10::real[], $11::real[], $12::bool[], $13::text[], $14::text[], $15::text[], $16::text[],
              $17::text[], $18::text[], $19::media.label_state[], $20::text[], $21::text[], $22::timestamptz[], $23::int[],
              $24::bool[], $25::int[], $26::text[])
    AS r(sha256, phash, width, height, format, file_size, q, qr, qs, qn, qc, is_hq, license, attribution, source_url,
         duplicate_of, taxon, rank, label_state, label_author, label_client, label_updated_at, label_rev, label_changed,
         emb_slot, embedding_model)
)`;

// New images: a plain INSERT (the push lock keeps other Sporeprint clients out, so no speculative insertion).
export const INSERT_IMAGES = (embeddingCast: string) => /* sql */ `${BATCH_ROWS}
INSERT INTO media.image (
  sha256, perceptual_hash, width, height, format, file_size, quality_score, quality_resolution, quality_sharpness,
  quality_noise, quality_colour, is_hq, license, attribution, source_url, duplicate_of,
  taxon, rank, label_state, label_author, label_client, label_updated_at, label_rev, label_seq,
  embedding, embedding_model, first_client)
SELECT u.sha256, u.phash, u.width, u.height, u.format, u.file_size, u.q, u.qr, u.qs, u.qn, u.qc, u.is_hq,
       u.license, u.attribution, u.source_url, u.duplicate_of,
       u.taxon, u.rank, u.label_state, u.label_author, u.label_client, u.label_updated_at, u.label_rev,
       CASE WHEN u.label_changed THEN nextval('media.label_seq') ELSE 0 END,
       u.embedding${embeddingCast}, u.embedding_model, $29
FROM u`;

// Known images: rewritten only when something differs, so pushing twice leaves the server untouched.
export const UPDATE_IMAGES = (embeddingCast: string) => /* sql */ `${BATCH_ROWS}
UPDATE media.image AS t SET
  perceptual_hash = u.phash, width = u.width, height = u.height, format = u.format, file_size = u.file_size,
  quality_score = u.q, quality_resolution = u.qr, quality_sharpness = u.qs, quality_noise = u.qn, quality_colour = u.qc,
  is_hq = u.is_hq, license = u.license, attribution = u.attribution, source_url = u.source_url, duplicate_of = u.duplicate_of,
  taxon = CASE WHEN u.label_changed THEN u.taxon ELSE t.taxon END,
  rank = CASE WHEN u.label_changed THEN u.rank ELSE t.rank END,
  label_state = CASE WHEN u.label_changed THEN u.label_state ELSE t.label_state END,
  label_author = CASE WHEN u.label_changed THEN u.label_author ELSE t.label_author END,
  label_client = CASE WHEN u.label_changed THEN u.label_client ELSE t.label_client END,
  label_updated_at = CASE WHEN u.label_changed THEN u.label_updated_at ELSE t.label_updated_at END,
  label_rev = CASE WHEN u.label_changed THEN u.label_rev ELSE t.label_rev END,
  label_seq = CASE WHEN u.label_changed THEN nextval('media.label_seq') ELSE t.label_seq END,
  embedding = COALESCE(u.embedding${embeddingCast}, t.embedding),
  embedding_model = CASE WHEN u.embedding IS NOT NULL THEN u.embedding_model ELSE t.embedding_model END,
  updated_at = now()
FROM u
WHERE t.sha256 = u.sha256
  AND (u.label_changed
   OR (t.perceptual_hash, t.width, t.height, t.format, t.file_size, t.quality_score, t.quality_resolution,
       t.quality_sharpness, t.quality_noise, t.quality_colour, t.is_hq, t.license, t.attribution, t.source_url, t.duplicate_of)
      IS DISTINCT FROM
      (u.phash, u.width, u.height, u.format, u.file_size, u.q, u.qr, u.qs, u.qn, u.qc, u.is_hq, u.license, u.attribution,
       u.source_url, u.duplicate_of)
   OR (u.embedding IS NOT NULL
       AND (t.embedding IS DISTINCT FROM u.embedding${embeddingCast} OR t.embedding_model IS DISTINCT FROM u.embedding_model)))`;

export const INSERT_EVENTS = /* sql */ `
INSERT INTO media.label_event (image_sha256, client_id, client_event_id, at, author, action, from_state, to_state,
                               from_taxon, to_taxon, rank, note, evidence)
SELECT u.sha256, $1, u.client_event_id, u.at, u.author, u.action, u.from_state::media.label_state,
       u.to_state::media.label_state, u.from_taxon, u.to_taxon, u.rank, u.note, u.evidence::jsonb
FROM unnest($2::text[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
            $10::text[], $11::text[], $12::text[], $13::text[])
  AS u(sha256, client_event_id, at, author, action, from_state, to_state, from_taxon, to_taxon, rank, note, evidence)
ON CONFLICT (client_id, client_event_id) DO NOTHING`;

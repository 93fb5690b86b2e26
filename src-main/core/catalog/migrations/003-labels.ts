// Model suggestions per image, the licence allow-list setting and the training views over labels and clusters.
// Views cannot take parameters, so the allow-list lives in `setting` (a JSON array of licence families or
// exact ids); labels/license-allow-list.ts keeps it in step with the library's LICENSE_ALLOW_LIST setting.
import { DEFAULT_LICENSE_ALLOW_LIST, HQ_MIN_LONG_EDGE, HQ_MIN_SCORE } from '../../../../src-shared/defaults';
import type { Migration } from './index';

const defaultAllowList = JSON.stringify(DEFAULT_LICENSE_ALLOW_LIST).replace(/'/g, "''");

export const labelsMigration: Migration = {
  name: '003-labels',
  sql: /* sql */ `
CREATE TABLE label_suggestion (
  image_id   INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  model_id   TEXT NOT NULL,
  taxon      TEXT NOT NULL,
  score      REAL NOT NULL,
  position   INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (image_id, model_id, position)
);

INSERT OR IGNORE INTO setting (key, value) VALUES ('license_allow_list', '${defaultAllowList}');

-- Every usable labelled image, one per duplicate cluster: images in no cluster, each cluster's representative,
-- and members the curator marked "keep". Disputed labels are not training labels.
CREATE VIEW training_general AS
SELECT i.id AS image_id, i.sha256, l.taxon, l.rank, l.state AS label_state, l.author AS label_author,
       l.updated_at AS label_updated_at, i.quality_score, i.width, i.height, i.format, i.is_hq, i.license,
       i.attribution, i.source_url, i.observation_group, cm.cluster_id,
       (SELECT MIN(path) FROM location WHERE image_id = i.id) AS primary_path
FROM image i
JOIN label l ON l.image_id = i.id AND l.state <> 'disputed'
LEFT JOIN cluster_member cm ON cm.image_id = i.id
LEFT JOIN cluster c ON c.id = cm.cluster_id
WHERE cm.image_id IS NULL
   OR c.representative_id = i.id
   OR EXISTS (SELECT 1 FROM duplicate_decision d WHERE d.action = 'keep' AND d.image_a = i.id);

-- Licence ids keep their version (CC-BY-SA-3.0) while the allow-list holds families (CC-BY-SA) or exact ids.
CREATE VIEW training_hq AS
SELECT t.* FROM training_general t
WHERE t.quality_score >= ${HQ_MIN_SCORE}
  AND max(t.width, t.height) >= ${HQ_MIN_LONG_EDGE}
  AND EXISTS (
    SELECT 1 FROM setting s, json_each(s.value) a
    WHERE s.key = 'license_allow_list' AND (t.license = a.value OR t.license GLOB a.value || '-[0-9].[0-9]')
  );

CREATE VIEW training_verified AS
SELECT t.* FROM training_general t WHERE t.label_state = 'human_verified';

-- Each non-representative cluster member beside its representative, for review and reporting.
CREATE VIEW potential_duplicates AS
SELECT c.id AS cluster_id, c.representative_id, cm.image_id, cm.distance, c.weakest_link, c.threshold,
       c.resolved, hamming_distance(r.perceptual_hash, i.perceptual_hash) AS phash_distance,
       EXISTS (SELECT 1 FROM duplicate_decision d WHERE d.action = 'keep' AND d.image_a = cm.image_id) AS kept
FROM cluster c
JOIN cluster_member cm ON cm.cluster_id = c.id AND cm.image_id <> c.representative_id
JOIN image i ON i.id = cm.image_id
JOIN image r ON r.id = c.representative_id;

CREATE VIEW quality_distribution AS
SELECT min(CAST(i.quality_score / 10 AS INTEGER), 9) * 10 AS bucket_start,
       min(CAST(i.quality_score / 10 AS INTEGER), 9) * 10 + 10 AS bucket_end,
       count(*) AS images,
       sum(i.is_hq) AS hq_images,
       count(l.image_id) AS labelled,
       sum(CASE WHEN l.state = 'human_verified' THEN 1 ELSE 0 END) AS verified
FROM image i LEFT JOIN label l ON l.image_id = i.id
GROUP BY bucket_start;
`,
};

// Near-duplicate clusters (materialised at the current threshold) and the curator's decisions on them.
// Decisions are keyed by image ids, not cluster ids, so they survive re-clustering and re-ingest.
import type { Migration } from './index';

export const duplicatesMigration: Migration = {
  name: '002-duplicates',
  sql: /* sql */ `
CREATE TABLE cluster (
  id                INTEGER PRIMARY KEY,
  representative_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  threshold         INTEGER NOT NULL,
  weakest_link      INTEGER NOT NULL,
  resolved          INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cluster_member (
  image_id   INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
  cluster_id INTEGER NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
  distance   INTEGER NOT NULL
);
CREATE INDEX cluster_member_cluster ON cluster_member(cluster_id);

CREATE TABLE duplicate_decision (
  id      INTEGER PRIMARY KEY,
  action  TEXT NOT NULL CHECK (action IN ('not_duplicate','keep','merge','set_representative','resolve')),
  image_a INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  image_b INTEGER REFERENCES image(id) ON DELETE CASCADE,
  at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX duplicate_decision_a ON duplicate_decision(image_a);
CREATE INDEX duplicate_decision_b ON duplicate_decision(image_b);
`,
};

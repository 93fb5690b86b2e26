// Quality version 2 (issue 14): the compression-artefact component and the version of the formulas that scored each
// image; images left at version 1 are re-scored by the next ingest or `sporeprint rescore-quality`.
import type { Migration } from './index';

export const qualityVersionMigration: Migration = {
  name: '013-quality-version',
  sql: /* sql */ `
ALTER TABLE image ADD COLUMN quality_artefacts REAL NOT NULL DEFAULT 100;
ALTER TABLE image ADD COLUMN quality_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX image_quality_version ON image(quality_version);
`,
};

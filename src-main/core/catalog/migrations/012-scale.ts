// Indexes that let the grid page by keyset on every sort key (issue 19): file size and resolution had none, so
// each page sorted the whole library. Quality and id already have one (image_quality, the rowid).
import type { Migration } from './index';

export const scaleMigration: Migration = {
  name: '012-scale',
  sql: /* sql */ `
CREATE INDEX image_file_size ON image(file_size);
CREATE INDEX image_resolution ON image(max(width, height));
`,
};

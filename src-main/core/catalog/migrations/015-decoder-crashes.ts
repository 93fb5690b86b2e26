// How often a file crashed the decode worker on unchanged bytes (issue 13): a failure like any other until it
// happened DECODER_CRASH_LIMIT times, then the file is rejected instead of retried forever.
import type { Migration } from './index';

export const decoderCrashesMigration: Migration = {
  name: '015-decoder-crashes',
  sql: /* sql */ `
ALTER TABLE ingest_failure ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
`,
};

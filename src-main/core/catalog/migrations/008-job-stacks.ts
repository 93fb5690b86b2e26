// A failed job keeps the stack of its error, not only its message: what a curator can send us, beside the log.
import type { Migration } from './index';

export const jobStacksMigration: Migration = {
  name: '008-job-stacks',
  sql: /* sql */ `
ALTER TABLE job ADD COLUMN error_stack TEXT;
`,
};

// A member the curator parted from its representative but another member still links ("linked via" that member).
import type { Migration } from './index';

export const clusterLinksMigration: Migration = {
  name: '019-cluster-links',
  sql: /* sql */ `
-- NULL for a member that matches its representative without a curator's "not a duplicate" between them.
ALTER TABLE cluster_member ADD COLUMN linked_via INTEGER REFERENCES image(id) ON DELETE SET NULL;
`,
};

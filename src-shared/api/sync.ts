// Contract of push-sync to the lab's central PostgreSQL.
import { z } from 'zod';
import { method, returns } from './define';

export interface SyncStatus {
  url: string | null;
  lastSyncAt: string | null;
  pending: number;
  disputes: number;
}

export const syncApi = {
  'sync.status': method(z.object({}), returns<SyncStatus>()),
  'sync.start': method(
    z.object({
      /** postgres:// URL without a password; the password comes from PGPASSWORD, ~/.pgpass or the keychain. */
      url: z.string().min(1).optional(),
      initSchema: z.boolean().default(false),
      dryRun: z.boolean().default(false),
    }),
    returns<{ jobId: number }>(),
  ),
} as const;

// Contract of push-sync to the lab's central PostgreSQL.
import { z } from 'zod';
import type { LabelState } from '../model';
import { method, returns } from './define';

/** One field of one image where curators pushed different non-null values; the server shows the first. */
export interface SyncConflict {
  imageId: number;
  sha256: string;
  field: 'license' | 'attribution' | 'source_url' | 'duplicate_of';
  shown: string | null;
  claims: { client: string; author: string | null; value: string }[];
}

/** A label decision in the library's history: who made it, and from which library ('this library' or a server client id). */
export interface SyncDecision {
  imageId: number;
  at: string;
  action: string;
  taxon: string | null;
  state: LabelState | null;
  author: string | null;
  client: string;
}

export interface SyncStatus {
  url: string | null;
  lastSyncAt: string | null;
  pending: number;
  disputes: number;
  /** As of the last sync. */
  conflicts: SyncConflict[];
  /** The latest human decisions and pulled server labels, newest first. */
  decisions: SyncDecision[];
}

export const syncApi = {
  'sync.status': method(z.object({}), returns<SyncStatus>()),
  'sync.start': method(
    z.object({
      /** postgres:// URL without a password; the password comes from PGPASSWORD, ~/.pgpass or the keychain. */
      url: z.string().min(1).optional(),
      initSchema: z.boolean().default(false),
      dryRun: z.boolean().default(false),
      /** With initSchema: create (or re-grant) this least-privilege curator role, then stop without pushing. */
      createRole: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a role name is lower-case letters, digits and _ (at most 63)')
        .optional(),
    }),
    returns<{ jobId: number }>(),
  ),
} as const;

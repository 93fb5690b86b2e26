// Contract of push-sync to the lab's central PostgreSQL.
import * as z from 'zod';
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

export const CLAIM_FIELDS = ['license', 'attribution', 'source_url', 'duplicate_of'] as const;

/** A curator's choice between conflicting claims, recorded on the server (sync resolve); its value is shown from then on. */
export interface SyncResolution {
  imageId: number;
  sha256: string;
  field: SyncConflict['field'];
  value: string | null;
  /** The client that resolved it, and its curator. */
  client: string;
  author: string | null;
  resolvedAt: string;
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
  /** Conflicts curators resolved, as of the last sync (or resolve). */
  resolutions: SyncResolution[];
  /** The latest human decisions and pulled server labels, newest first. */
  decisions: SyncDecision[];
}

export const syncApi = {
  'sync.status': method(() => z.object({}), returns<SyncStatus>()),
  'sync.start': method(
    () =>
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
  /** Resolves a conflict on the server: one claimant's value (take: its client id, a prefix of it, or its curator) or a typed value. */
  'sync.resolve': method(
    () =>
      z
        .object({
          url: z.string().min(1).optional(),
          /** The image: its id in this library or its sha256. */
          image: z.union([z.number().int().positive(), z.string().regex(/^[0-9a-f]{64}$/, 'an image id or a 64-hex-digit sha256')]),
          field: z.enum(CLAIM_FIELDS),
          take: z.string().min(1).optional(),
          value: z.string().min(1).optional(),
        })
        .refine((i) => (i.take === undefined) !== (i.value === undefined), 'give exactly one of take (a claimant) and value'),
    returns<SyncResolution>(),
  ),
} as const;

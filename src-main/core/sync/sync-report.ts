// What sync --status and the Sync view list: conflicting claims found by the last sync, and who decided what.
import * as z from 'zod';
import type { SyncConflict, SyncDecision, SyncResolution } from '../../../src-shared/api/sync';
import { LABEL_STATES } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { parseJsonColumn, parseRows } from '../catalog/parse-rows';

const conflictRow = z.object({
  image_id: z.number().int(),
  sha256: z.string(),
  field: z.enum(['license', 'attribution', 'source_url', 'duplicate_of'] satisfies SyncConflict['field'][]),
  shown: z.string().nullable(),
  claims_json: z.string(),
});
const claims = z.array(z.object({ client: z.string(), author: z.string().nullable(), value: z.string() })) satisfies z.ZodType<
  SyncConflict['claims']
>;

export function listConflicts(db: Db): SyncConflict[] {
  const rows = db
    .prepare(
      `SELECT c.image_id, i.sha256, c.field, c.shown, c.claims_json FROM sync_conflict c JOIN image i ON i.id = c.image_id
       ORDER BY c.image_id, c.field`,
    )
    .all();
  return parseRows(conflictRow, rows, 'sync conflict').map((r) => ({
    imageId: r.image_id,
    sha256: r.sha256,
    field: r.field,
    shown: r.shown,
    claims: parseJsonColumn(claims, r.claims_json, 'sync_conflict.claims_json'),
  }));
}

const resolutionRow = z.object({
  image_id: z.number().int(),
  sha256: z.string(),
  field: z.enum(['license', 'attribution', 'source_url', 'duplicate_of'] satisfies SyncResolution['field'][]),
  value: z.string().nullable(),
  client: z.string(),
  author: z.string().nullable(),
  resolved_at: z.string(),
});

/** Conflicts a curator resolved on the server, newest first. */
export function listResolutions(db: Db): SyncResolution[] {
  const rows = parseRows(
    resolutionRow,
    db
      .prepare(
        `SELECT r.image_id, i.sha256, r.field, r.value, r.client, r.author, r.resolved_at FROM sync_resolution r
         JOIN image i ON i.id = r.image_id ORDER BY r.resolved_at DESC, r.image_id, r.field`,
      )
      .all(),
    'sync_resolution',
  );
  return rows.map((r) => ({
    imageId: r.image_id,
    sha256: r.sha256,
    field: r.field,
    value: r.value,
    client: r.client,
    author: r.author,
    resolvedAt: r.resolved_at,
  }));
}

const decisionRow = z.object({
  image_id: z.number().int(),
  at: z.string(),
  action: z.string(),
  to_taxon: z.string().nullable(),
  to_state: z.enum(LABEL_STATES).nullable(),
  author: z.string().nullable(),
  client: z.string().nullable(),
});

/** Human decisions made here and labels pulled from the server (which name the client that wrote them). */
export function listDecisions(db: Db, limit: number): SyncDecision[] {
  const rows = db
    .prepare(
      `SELECT image_id, at, action, to_taxon, to_state, author,
              CASE WHEN action = 'sync' THEN json_extract(evidence_json, '$.client') END AS client
       FROM label_event WHERE action IN ('verify', 'dispute', 'undo', 'sync')
       ORDER BY id DESC LIMIT ?`,
    )
    .all(limit);
  return parseRows(decisionRow, rows, 'label decision').map((r) => ({
    imageId: r.image_id,
    at: r.at,
    action: r.action,
    taxon: r.to_taxon,
    state: r.to_state,
    author: r.author,
    client: r.action === 'sync' ? (r.client ?? 'server') : 'this library',
  }));
}

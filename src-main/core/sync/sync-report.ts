// What sync --status and the Sync view list: conflicting claims found by the last sync, and who decided what.
import type { SyncConflict, SyncDecision, SyncResolution } from '../../../src-shared/api/sync';
import type { LabelState } from '../../../src-shared/model';
import type { Db } from '../catalog/database';

interface ConflictRow {
  image_id: number;
  sha256: string;
  field: SyncConflict['field'];
  shown: string | null;
  claims_json: string;
}

export function listConflicts(db: Db): SyncConflict[] {
  const rows = db
    .prepare(
      `SELECT c.image_id, i.sha256, c.field, c.shown, c.claims_json FROM sync_conflict c JOIN image i ON i.id = c.image_id
       ORDER BY c.image_id, c.field`,
    )
    .all() as ConflictRow[];
  return rows.map((r) => ({
    imageId: r.image_id,
    sha256: r.sha256,
    field: r.field,
    shown: r.shown,
    claims: JSON.parse(r.claims_json) as SyncConflict['claims'],
  }));
}

interface ResolutionRow {
  image_id: number;
  sha256: string;
  field: SyncResolution['field'];
  value: string | null;
  client: string;
  author: string | null;
  resolved_at: string;
}

/** Conflicts a curator resolved on the server, newest first. */
export function listResolutions(db: Db): SyncResolution[] {
  const rows = db
    .prepare(
      `SELECT r.image_id, i.sha256, r.field, r.value, r.client, r.author, r.resolved_at FROM sync_resolution r
       JOIN image i ON i.id = r.image_id ORDER BY r.resolved_at DESC, r.image_id, r.field`,
    )
    .all() as ResolutionRow[];
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

interface DecisionRow {
  image_id: number;
  at: string;
  action: string;
  to_taxon: string | null;
  to_state: LabelState | null;
  author: string | null;
  client: string | null;
}

/** Human decisions made here and labels pulled from the server (which name the client that wrote them). */
export function listDecisions(db: Db, limit: number): SyncDecision[] {
  const rows = db
    .prepare(
      `SELECT image_id, at, action, to_taxon, to_state, author,
              CASE WHEN action = 'sync' THEN json_extract(evidence_json, '$.client') END AS client
       FROM label_event WHERE action IN ('verify', 'dispute', 'undo', 'sync')
       ORDER BY id DESC LIMIT ?`,
    )
    .all(limit) as DecisionRow[];
  return rows.map((r) => ({
    imageId: r.image_id,
    at: r.at,
    action: r.action,
    taxon: r.to_taxon,
    state: r.to_state,
    author: r.author,
    client: r.action === 'sync' ? (r.client ?? 'server') : 'this library',
  }));
}

// Mirrors the server's label into the catalogue (disputes, other curators' decisions) without marking it for push.
import type { LabelState } from '../../../src-shared/model';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../catalog/database';

export interface ServerLabelState {
  taxon: string | null;
  rank: string | null;
  state: LabelState | null;
  author: string | null;
  /** The client id that wrote the label on the server (shown as who decided). */
  client?: string | null;
  rev: number;
}

interface LocalLabelRow {
  image_id: number;
  taxon: string;
  rank: string;
  state: LabelState;
  author: string | null;
  note: string | null;
  evidence_json: string | null;
  updated_at: string;
}

// Prepared once per catalogue: a push mirrors every image of every batch through here.
const cache = new WeakMap<Db, { label: Statement; serverRev: Statement }>();
function statements(db: Db) {
  let s = cache.get(db);
  if (!s) {
    s = {
      label: db.prepare(`SELECT * FROM label WHERE image_id = ?`),
      serverRev: db.prepare(
        `INSERT INTO sync_image (image_id, server_rev) VALUES (?, ?) ON CONFLICT (image_id) DO UPDATE SET server_rev = excluded.server_rev`,
      ),
    };
    cache.set(db, s);
  }
  return s;
}

/**
 * Must run inside a catalogue transaction. Writes happen under sync_pull_guard so the change triggers stay quiet,
 * and the 'sync' event keeps the previous label so the curator can see (and undo) what the server changed.
 * Returns whether the local label changed.
 */
export function applyServerLabel(db: Db, imageId: number, server: ServerLabelState): boolean {
  const local = statements(db).label.get(imageId) as LocalLabelRow | undefined;
  let changed = false;
  if (server.state !== null && server.taxon !== null && server.rank !== null) {
    const same = local && local.taxon === server.taxon && local.rank === server.rank && local.state === server.state;
    if (!same) {
      db.prepare(`INSERT INTO sync_pull_guard (active) VALUES (1)`).run();
      try {
        const evidence = JSON.stringify({ source: 'server', client: server.client ?? null });
        db.prepare(
          `INSERT INTO label (image_id, taxon, rank, state, author, note, evidence_json, updated_at)
           VALUES (?, ?, ?, ?, ?, NULL, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
           ON CONFLICT (image_id) DO UPDATE SET taxon = excluded.taxon, rank = excluded.rank, state = excluded.state,
             author = excluded.author, note = NULL, evidence_json = excluded.evidence_json, updated_at = excluded.updated_at`,
        ).run(imageId, server.taxon, server.rank, server.state, server.author, evidence);
        db.prepare(
          `INSERT INTO label_event (image_id, author, action, from_state, to_state, from_taxon, to_taxon, rank, note, evidence_json, previous_json)
           VALUES (?, ?, 'sync', ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          imageId,
          server.author,
          local?.state ?? null,
          server.state,
          local?.taxon ?? null,
          server.taxon,
          server.rank,
          server.state === 'disputed' ? 'curators disagree on the server; see the history' : 'label from the shared catalogue',
          evidence,
          local ? JSON.stringify(local) : null,
        );
      } finally {
        db.prepare(`DELETE FROM sync_pull_guard`).run();
      }
      changed = true;
    }
  }
  statements(db).serverRev.run(imageId, server.rev);
  return changed;
}

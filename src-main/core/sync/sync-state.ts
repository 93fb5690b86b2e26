// The catalogue's record of the sync target: this client's id, cursors, last URL and last success.
import { randomUUID } from 'node:crypto';
import type { Db } from '../catalog/database';
import { parseOptionalText } from '../catalog/parse-rows';

export type SyncStateKey = 'client_id' | 'push_cursor' | 'pull_cursor' | 'url' | 'last_sync_at' | 'target';

export function readSyncState(db: Db, key: SyncStateKey): string | undefined {
  return parseOptionalText(db.prepare(`SELECT value FROM sync_state WHERE key = ?`).pluck().get(key), `sync state ${key}`);
}

export function writeSyncState(db: Db, key: SyncStateKey, value: string): void {
  db.prepare(`INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value);
}

/** A stable random id for this library: the server tells clients' events and decisions apart by it. */
export function clientId(db: Db): string {
  const existing = readSyncState(db, 'client_id');
  if (existing) return existing;
  const id = randomUUID();
  writeSyncState(db, 'client_id', id);
  return id;
}

/**
 * Cursors belong to one server (its system identifier and database): pushing to a different one starts from zero
 * again, otherwise the new server would silently miss everything pushed to the old one. A library that recorded
 * its target as host:port/database (before identities) adopts the identity when that address still matches.
 */
export function switchTarget(db: Db, target: string, address?: string): boolean {
  const previous = readSyncState(db, 'target');
  if (previous === target) return false;
  if (previous !== undefined && previous === address) {
    writeSyncState(db, 'target', target);
    return false;
  }
  db.transaction(() => {
    if (previous !== undefined) {
      db.prepare(`DELETE FROM sync_image`).run();
      writeSyncState(db, 'push_cursor', '0');
      writeSyncState(db, 'pull_cursor', '0');
    }
    writeSyncState(db, 'target', target);
  })();
  return previous !== undefined;
}

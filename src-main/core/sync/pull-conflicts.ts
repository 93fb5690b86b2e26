// Pulls the server's list of conflicting claims for this library's images into the catalogue (sync --status, Sync view).
import type { ClientBase } from 'pg';
import type { Db } from '../catalog/database';
import { parseOptionalId } from '../catalog/parse-rows';

interface ConflictRow {
  image_sha256: string;
  field: string;
  shown: string | null;
  claims: { client: string; author: string | null; value: string }[];
}

/** Replaces the local list with the server's; returns how many of this library's images have a conflict. */
export async function pullConflicts(client: ClientBase, db: Db): Promise<number> {
  const res = await client.query<ConflictRow>(
    `SELECT image_sha256, field, min(shown) AS shown,
            json_agg(json_build_object('client', client_id, 'author', author, 'value', claimed) ORDER BY claimed_at, client_id) AS claims
     FROM media.claim_conflict GROUP BY image_sha256, field ORDER BY image_sha256, field`,
  );
  const findImage = db.prepare(`SELECT id FROM image WHERE sha256 = ?`).pluck();
  const insert = db.prepare(`INSERT INTO sync_conflict (image_id, field, shown, claims_json) VALUES (?, ?, ?, ?)`);
  const images = new Set<number>();
  db.transaction(() => {
    db.prepare(`DELETE FROM sync_conflict`).run();
    for (const row of res.rows) {
      const local = parseOptionalId(findImage.get(row.image_sha256), 'image by content hash');
      if (local === undefined) continue;
      insert.run(local, row.field, row.shown, JSON.stringify(row.claims));
      images.add(local);
    }
  })();
  return images.size;
}

interface ResolutionRow {
  image_sha256: string;
  field: string;
  value: string | null;
  client_id: string;
  author: string | null;
  resolved_at: Date;
}

/** Replaces the local list of resolved conflicts with the server's, for this library's images; returns how many. */
export async function pullResolutions(client: ClientBase, db: Db): Promise<number> {
  const res = await client.query<ResolutionRow>(
    `SELECT image_sha256, field, value, client_id, author, resolved_at FROM media.claim_resolution ORDER BY image_sha256, field`,
  );
  const findImage = db.prepare(`SELECT id FROM image WHERE sha256 = ?`).pluck();
  const insert = db.prepare(`INSERT INTO sync_resolution (image_id, field, value, client, author, resolved_at) VALUES (?, ?, ?, ?, ?, ?)`);
  let n = 0;
  db.transaction(() => {
    db.prepare(`DELETE FROM sync_resolution`).run();
    for (const row of res.rows) {
      const local = parseOptionalId(findImage.get(row.image_sha256), 'image by content');
      if (local === undefined) continue;
      insert.run(local, row.field, row.value, row.client_id, row.author, row.resolved_at.toISOString());
      n++;
    }
  })();
  return n;
}

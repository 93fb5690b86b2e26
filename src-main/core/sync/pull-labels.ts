// Pulls the server's label state for this library's images (changes since the pull cursor), so curators see disputes.
import type { ClientBase } from 'pg';
import type { LabelState } from '../../../src-shared/model';
import * as z from 'zod';
import type { Db } from '../catalog/database';
import { parseRow } from '../catalog/parse-rows';
import { mirrorServerLabel } from './apply-server-label';
import { pushCursor } from './local-changes';
import { readSyncState, writeSyncState } from './sync-state';

export interface PullOutcome {
  seen: number;
  changed: number;
  disputes: number;
  /** Server labels the catalogue could not hold, each with its reason (the local label was kept). */
  refused: string[];
}

interface PulledRow {
  sha256: string;
  taxon: string | null;
  rank: string | null;
  label_state: LabelState | null;
  label_author: string | null;
  label_client: string | null;
  label_rev: number;
  label_seq: string;
}

const localImage = z.object({ id: z.number().int(), seq: z.number().int().nullable() });

/**
 * Pages through label changes in server order; the cursor moves after each page is applied locally. Labels this
 * client wrote itself (including disputes it raised) were mirrored locally when pushed, so they are skipped.
 */
export async function pullLabels(
  client: ClientBase,
  db: Db,
  clientId: string,
  pageSize: number,
  signal?: AbortSignal,
): Promise<PullOutcome> {
  const outcome: PullOutcome = { seen: 0, changed: 0, disputes: 0, refused: [] };
  const findLocal = db.prepare(`SELECT i.id, sc.seq FROM image i LEFT JOIN sync_change sc ON sc.image_id = i.id WHERE i.sha256 = ?`);
  for (;;) {
    signal?.throwIfAborted();
    const cursor = readSyncState(db, 'pull_cursor') ?? '0';
    const page = await client.query<PulledRow>(
      `SELECT sha256, taxon, rank, label_state, label_author, label_client, label_rev, label_seq FROM media.image
       WHERE label_seq > $1::bigint AND label_client IS DISTINCT FROM $3 ORDER BY label_seq LIMIT $2`,
      [cursor, pageSize, clientId],
    );
    if (page.rows.length === 0) break;
    const pending = pushCursor(db);
    db.transaction(() => {
      for (const row of page.rows) {
        const local = parseRow(localImage, findLocal.get(row.sha256), 'image by content hash');
        if (!local) continue;
        outcome.seen++;
        // A local change not pushed yet is resolved against the server on the next push, not overwritten here.
        if (local.seq !== null && local.seq > pending) continue;
        const { changed, refused } = mirrorServerLabel(db, local.id, {
          taxon: row.taxon,
          rank: row.rank,
          state: row.label_state,
          author: row.label_author,
          client: row.label_client,
          rev: row.label_rev,
        });
        if (refused) outcome.refused.push(refused);
        if (changed) outcome.changed++;
        if (changed && row.label_state === 'disputed') outcome.disputes++;
      }
      writeSyncState(db, 'pull_cursor', page.rows.at(-1)!.label_seq);
    })();
    if (page.rows.length < pageSize) break;
  }
  return outcome;
}

// Pulls the server's label state for this library's images (changes since the pull cursor), so curators see disputes.
import type { ClientBase } from 'pg';
import type { LabelState } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { integer, objectRowChecker } from '../catalog/row-columns';
import { mirrorServerLabel } from './apply-server-label';
import { pushCursor } from './local-changes';
import { readSyncState, writeSyncState } from './sync-state';

export interface PullOutcome {
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

// Checked column by column rather than by zod: a pull after a large push reads every image it labelled.
const checkLocalImage = objectRowChecker('image to mirror a server label on', { n: integer, id: integer });

/**
 * Of a page of server labels ($1: [sha256, rev, taxon, rank, state] each), the local images that take them: this
 * library holds the image, has no change of it pending (those are resolved against the server on the next push, not
 * overwritten here: $2 is the push cursor), and is not already in step (a push just read this revision and recorded
 * it; mirroring would write nothing). One statement per page: a pull after a large push pages through every image it
 * labelled, and a lookup per row cost ~10 us of this process each.
 */
const LOCALS_TO_MIRROR = /* sql */ `
SELECT CAST(j.key AS INTEGER) AS n, i.id
FROM json_each(?) j
JOIN image i ON i.sha256 = json_extract(j.value, '$[0]')
LEFT JOIN sync_change sc ON sc.image_id = i.id
LEFT JOIN sync_image si ON si.image_id = i.id
LEFT JOIN label l ON l.image_id = i.id
WHERE (sc.seq IS NULL OR sc.seq <= ?)
  AND NOT (si.server_rev IS json_extract(j.value, '$[1]') AND l.taxon IS json_extract(j.value, '$[2]')
           AND l.rank IS json_extract(j.value, '$[3]') AND l.state IS json_extract(j.value, '$[4]'))
ORDER BY n`;

/**
 * Pages through label changes in server order; the cursor moves after each page is applied locally. Labels this
 * client wrote itself (including disputes it raised) were mirrored locally when pushed, so they are skipped, and so
 * are those in `inStep` (label_seq values the push just found the catalogue holding: looking them up here found
 * nothing to do, ~4 us each of this process).
 */
export async function pullLabels(
  client: ClientBase,
  db: Db,
  clientId: string,
  pageSize: number,
  signal?: AbortSignal,
  inStep: ReadonlySet<number> = new Set(),
): Promise<PullOutcome> {
  const outcome: PullOutcome = { changed: 0, disputes: 0, refused: [] };
  const localsToMirror = db.prepare(LOCALS_TO_MIRROR);
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
    const rows = inStep.size > 0 ? page.rows.filter((r) => !inStep.has(Number(r.label_seq))) : page.rows;
    db.transaction(() => {
      const keys = JSON.stringify(rows.map((r) => [r.sha256, r.label_rev, r.taxon, r.rank, r.label_state]));
      for (const local of rows.length > 0 ? localsToMirror.all(keys, pending).map(checkLocalImage) : []) {
        const row = rows[local.n]!;
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

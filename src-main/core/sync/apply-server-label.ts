// Mirrors the server's label into the catalogue (disputes, other curators' decisions) without marking it for push.
// The server's label columns are free text any SQL client can write, so a label is checked on its way in: one the
// catalogue cannot hold (a rank outside TAXON_RANKS, a state without a taxon) is refused with the reason, not stored
// to fail later where a label row is parsed.
import * as z from 'zod';
import { LABEL_STATES, TAXON_RANKS } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { cachedStatement } from '../catalog/statement-cache';
import { appendLabelEvent, readLabelRow, writeLabel } from '../labels/label-repository';

export interface ServerLabelState {
  taxon: string | null;
  rank: string | null;
  state: string | null;
  author: string | null;
  /** The client id that wrote the label on the server (shown as who decided). */
  client?: string | null;
  rev: number;
}

export interface MirrorOutcome {
  /** Whether the local label changed. */
  changed: boolean;
  /** Why the server's label was not taken (the local label and its base revision stay as they were), else null. */
  refused: string | null;
}

const serverLabel = z.object({
  taxon: z.string().regex(/\S/, 'a label needs a taxon'),
  rank: z.enum(TAXON_RANKS, { error: (i) => `rank ${JSON.stringify(i.input)} is not one of ${TAXON_RANKS.join(', ')}` }),
  state: z.enum(LABEL_STATES, { error: (i) => `state ${JSON.stringify(i.input)} is not one of ${LABEL_STATES.join(', ')}` }),
});

// Prepared once per catalogue (cachedStatement): a push mirrors every image of every batch through here.
const SET_SERVER_REV = `INSERT INTO sync_image (image_id, server_rev) VALUES (?, ?) ON CONFLICT (image_id) DO UPDATE SET server_rev = excluded.server_rev`;

/**
 * Must run inside a catalogue transaction. Writes happen under sync_pull_guard so the change triggers stay quiet,
 * and the 'sync' event keeps the previous label so the curator can see (and undo) what the server changed. A server
 * without a label (state NULL) only moves the base revision.
 */
export function mirrorServerLabel(db: Db, imageId: number, server: ServerLabelState): MirrorOutcome {
  let changed = false;
  if (server.state !== null) {
    const parsed = serverLabel.safeParse(server);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((i) => i.message).join('; ');
      return {
        changed: false,
        refused: `image ${imageId}: the server's label (${server.taxon ?? 'no taxon'}, rev ${server.rev}) was not taken: ${reasons}`,
      };
    }
    const label = parsed.data;
    const local = readLabelRow(db, imageId);
    const same = local && local.taxon === label.taxon && local.rank === label.rank && local.state === label.state;
    if (!same) {
      db.prepare(`INSERT INTO sync_pull_guard (active) VALUES (1)`).run();
      try {
        const evidence = JSON.stringify({ source: 'server', client: server.client ?? null });
        writeLabel(db, imageId, { ...label, author: server.author, note: null, evidenceJson: evidence });
        appendLabelEvent(db, {
          imageId,
          author: server.author,
          action: 'sync',
          previous: local,
          toState: label.state,
          toTaxon: label.taxon,
          rank: label.rank,
          note: label.state === 'disputed' ? 'curators disagree on the server; see the history' : 'label from the shared catalogue',
          evidenceJson: evidence,
        });
      } finally {
        db.prepare(`DELETE FROM sync_pull_guard`).run();
      }
      changed = true;
    }
  }
  cachedStatement(db, SET_SERVER_REV).run(imageId, server.rev);
  return { changed, refused: null };
}

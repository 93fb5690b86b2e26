// The server's rows for a batch's images, read under the push lock: the label columns the plan weighs, returned to the
// client, and everything the merge weighs (this client's claim, the others' claims), kept on the server for it.
import type { ClientBase } from 'pg';
import { LABEL_STATES } from '../../../src-shared/model';
import { rowShapeError } from '../catalog/parse-rows';
import { boolean, integer, nullable, oneOf, rawRowChecker, text } from '../catalog/row-columns';
import type { ServerRow } from './plan-image';
import { READ_SERVER_ROWS } from './push-statements';

/** The server's row for an image: its label, where it stands in the server's change order, whether it has the paths. */
export interface ServerImageRow extends ServerRow {
  /** The label's place in the server's change order (label_seq): a pull that meets it again knows this label. */
  label_seq: number;
  /** Whether the server holds the image's source and all four derivative paths (the first push's stay). */
  has_paths: boolean;
}

// Checked column by column: a merging push reads a row per image of every batch.
const checkServerRow = rawRowChecker('server image row', [
  ['n', integer],
  ['taxon', nullable(text)],
  ['rank', nullable(text)],
  ['label_state', nullable(oneOf(LABEL_STATES))],
  ['label_author', nullable(text)],
  ['label_client', nullable(text)],
  ['label_rev', integer],
  // float8 on the wire (a bigint would come as a string): exact up to 2^53, far beyond any sequence a server reaches.
  ['label_seq', integer],
  ['has_paths', boolean],
] as const);

/**
 * The server's rows for those of `keys` it holds, by sha256, also kept in sync_server_known for the merge (the
 * caller creates the staging tables first). Rows come as arrays (pg's row objects, and the 64-digit key decoded again
 * per row, were most of the ~0.25 s of client CPU a 100k-image merge spent receiving them). This client's claims are
 * not sent back: the merge decides what to write for them from the copy it keeps.
 */
export async function readServerRows(client: ClientBase, keys: string[], clientId: string): Promise<Map<string, ServerImageRow>> {
  const res = await client.query<unknown[]>({ text: READ_SERVER_ROWS, values: [keys, clientId], rowMode: 'array' });
  const rows = new Map<string, ServerImageRow>();
  for (const raw of res.rows) {
    const r = checkServerRow(raw);
    const sha256 = keys[r[0] - 1];
    if (sha256 === undefined) throw rowShapeError('server image row', 'n', `no key at ${r[0]}`);
    rows.set(sha256, {
      sha256,
      taxon: r[1],
      rank: r[2],
      label_state: r[3],
      label_author: r[4],
      label_client: r[5],
      label_rev: r[6],
      label_seq: r[7],
      has_paths: r[8],
    });
  }
  return rows;
}

// This client's claims on images the server already holds, decided from the claim the server has for it: absent (a
// new claim, copied straight into media.image_claim), unchanged (nothing to write) or changed (updated by the merge).
import type { LocalImageRow } from './local-changes';
import type { ClientBase } from 'pg';
import { LABEL_STATES } from '../../../src-shared/model';
import { rowShapeError } from '../catalog/parse-rows';
import { boolean, integer, nullable, oneOf, rawRowChecker, text } from '../catalog/row-columns';
import type { ServerRow } from './plan-image';
import { READ_SERVER_ROWS } from './push-statements';

/** The server's row for an image, with this client's claim on it (claim_* are null when it has none). */
export interface ServerImageRow extends ServerRow {
  /** The label's place in the server's change order (label_seq): a pull that meets it again knows this label. */
  label_seq: number;
  /** Whether the server holds the image's source and all four derivative paths (the first push's stay). */
  has_paths: boolean;
  has_claim: boolean;
  claim_author: string | null;
  claim_license: string | null;
  claim_attribution: string | null;
  claim_source_url: string | null;
  claim_duplicate_of: string | null;
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
  ['has_claim', boolean],
  ['claim_author', nullable(text)],
  ['claim_license', nullable(text)],
  ['claim_attribution', nullable(text)],
  ['claim_source_url', nullable(text)],
  ['claim_duplicate_of', nullable(text)],
] as const);

/**
 * The server's rows for those of `keys` it holds, by sha256, also kept in sync_server_known for the merge (the
 * caller creates the staging tables first). Rows come as arrays (pg's row objects, and the 64-digit
 * key decoded again per row, were most of the ~0.25 s of client CPU a 100k-image merge spent receiving them).
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
      has_claim: r[9],
      claim_author: r[10],
      claim_license: r[11],
      claim_attribution: r[12],
      claim_source_url: r[13],
      claim_duplicate_of: r[14],
    });
  }
  return rows;
}

export type ClaimChange = 'none' | 'insert' | 'update';

/**
 * What this push does with its claim on a known image (claims are what the library holds, signed by its curator):
 * a first claim is written only when it names something; an existing one is rewritten when any part differs, even
 * to all NULL (the curator cleared it), as the merge's rules expect.
 */
export function claimChange(image: LocalImageRow, server: ServerImageRow, curator: string | null): ClaimChange {
  if (!server.has_claim) {
    const names = image.license !== null || image.attribution !== null || image.source_url !== null || image.duplicate_of !== null;
    return names ? 'insert' : 'none';
  }
  const same =
    server.claim_author === curator &&
    server.claim_license === image.license &&
    server.claim_attribution === image.attribution &&
    server.claim_source_url === image.source_url &&
    server.claim_duplicate_of === image.duplicate_of;
  return same ? 'none' : 'update';
}

// This client's claims on images the server already holds, decided from the claim the server has for it: absent (a
// new claim, copied straight into media.image_claim), unchanged (nothing to write) or changed (updated by the merge).
import type { LocalImageRow } from './local-changes';
import type { ServerRow } from './plan-image';

/** The server's row for an image, with this client's claim on it (claim_* are null when it has none). */
export interface ServerImageRow extends ServerRow {
  has_claim: boolean;
  claim_author: string | null;
  claim_license: string | null;
  claim_attribution: string | null;
  claim_source_url: string | null;
  claim_duplicate_of: string | null;
}

/**
 * Read under the push lock: the label columns the plan weighs, and this client's claim. $1 sha256s (sorted by the
 * caller: consecutive probes then walk neighbouring index pages), $2 client id.
 * Each key is probed (OFFSET 0 keeps the subqueries from being flattened into a join): with `sha256 = ANY` the
 * planner scanned and hashed both whole tables up to ~100k images (5,000 keys), ~1.6x the probes' CPU there. The
 * subqueries name their columns: `SELECT *` formed every column of each row only to drop most of them.
 */
export const SERVER_ROWS = /* sql */ `
SELECT i.sha256, i.taxon, i.rank, i.label_state, i.label_author, i.label_client, i.label_rev,
       c.client_id IS NOT NULL AS has_claim, c.author AS claim_author, c.license AS claim_license,
       c.attribution AS claim_attribution, c.source_url AS claim_source_url, c.duplicate_of AS claim_duplicate_of
FROM unnest($1::text[]) AS k (sha256)
CROSS JOIN LATERAL (
  SELECT i.sha256, i.taxon, i.rank, i.label_state, i.label_author, i.label_client, i.label_rev
  FROM media.image i WHERE i.sha256 = k.sha256 OFFSET 0) i
LEFT JOIN LATERAL (
  SELECT c.client_id, c.author, c.license, c.attribution, c.source_url, c.duplicate_of
  FROM media.image_claim c WHERE c.image_sha256 = i.sha256 AND c.client_id = $2 OFFSET 0) c ON true`;

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

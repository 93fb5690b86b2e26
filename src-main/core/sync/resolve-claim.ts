// `sync resolve`: a curator settles a conflict between claims on the server. The choice is recorded in
// media.claim_resolution, shown in media.image, and the conflict leaves media.claim_conflict until someone claims
// something else after it.
import type { ClientBase } from 'pg';
import pg from 'pg';
import type { SyncResolution } from '../../../src-shared/api/sync';
import { SporeprintError } from '../errors';
import { PUSH_LOCK } from './push-batch';

export type ClaimField = SyncResolution['field'];

export interface ResolveRequest {
  sha256: string;
  field: ClaimField;
  /** A claimant: its client id, a prefix of it (as sync --status prints), or its curator's name. */
  take?: string;
  value?: string;
  clientId: string;
  curator: string | null;
}

export interface ServerResolution {
  sha256: string;
  field: ClaimField;
  value: string | null;
  client: string;
  author: string | null;
  resolvedAt: string;
}

interface ClaimRow {
  client_id: string;
  author: string | null;
  value: string | null;
}

/** One transaction under the push lock, so no push merges the image halfway through. */
export async function resolveClaimOnServer(client: ClientBase, req: ResolveRequest): Promise<ServerResolution> {
  // The field comes from a fixed list (the contract's enum); quoted all the same.
  const column = pg.escapeIdentifier(req.field);
  await client.query('BEGIN');
  try {
    await client.query(PUSH_LOCK);
    const image = await client.query(`SELECT 1 FROM media.image WHERE sha256 = $1`, [req.sha256]);
    if (image.rowCount === 0) throw new SporeprintError('NOT_FOUND', `image ${req.sha256} is not on the server; push it first`);
    const value = req.value ?? (await claimantValue(client, req, column));
    await client.query(
      `INSERT INTO media.claim_resolution (image_sha256, field, value, client_id, author) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (image_sha256, field) DO UPDATE SET value = EXCLUDED.value, client_id = EXCLUDED.client_id,
         author = EXCLUDED.author, resolved_at = now()`,
      [req.sha256, req.field, value, req.clientId, req.curator],
    );
    await client.query(`UPDATE media.image SET ${column} = $2, updated_at = now() WHERE sha256 = $1`, [req.sha256, value]);
    // The flag stays up only while another field of the image is still in conflict.
    await client.query(
      `UPDATE media.image SET claim_conflict = EXISTS (SELECT 1 FROM media.claim_conflict v WHERE v.image_sha256 = $1)
       WHERE sha256 = $1`,
      [req.sha256],
    );
    const row = await client.query<{ resolved_at: Date }>(
      `SELECT resolved_at FROM media.claim_resolution WHERE image_sha256 = $1 AND field = $2`,
      [req.sha256, req.field],
    );
    await client.query('COMMIT');
    return {
      sha256: req.sha256,
      field: req.field,
      value,
      client: req.clientId,
      author: req.curator,
      resolvedAt: row.rows[0]!.resolved_at.toISOString(),
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** The value one claimant pushed for the field; an unknown or ambiguous claimant is an error listing them all. */
async function claimantValue(client: ClientBase, req: ResolveRequest, column: string): Promise<string> {
  const claims = await client.query<ClaimRow>(
    `SELECT client_id, author, ${column} AS value FROM media.image_claim
     WHERE image_sha256 = $1 AND ${column} IS NOT NULL ORDER BY claimed_at, client_id`,
    [req.sha256],
  );
  const take = req.take!;
  const matches = claims.rows.filter(
    (c) => c.client_id === take || c.author === take || (take.length >= 4 && c.client_id.startsWith(take)),
  );
  const claimants = claims.rows.map((c) => `${c.client_id.slice(0, 8)} (${c.author ?? 'unknown curator'}): ${c.value}`).join('; ');
  if (matches.length === 0) {
    throw new SporeprintError(
      'INVALID_INPUT',
      claims.rows.length === 0
        ? `no curator claims a ${req.field} for image ${req.sha256}`
        : `no claimant "${take}" for the ${req.field} of image ${req.sha256}; the claims are ${claimants}`,
    );
  }
  const values = new Set(matches.map((m) => m.value));
  if (values.size > 1) {
    throw new SporeprintError(
      'INVALID_INPUT',
      `"${take}" names several claimants with different values (${claimants}); use a longer client id`,
    );
  }
  return matches[0]!.value!;
}

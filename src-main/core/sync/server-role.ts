// `--init-schema --create-role NAME`: a login role with exactly the grants a push needs, and nothing that rewrites history.
import pg, { type ClientBase } from 'pg';
import { SporeprintError } from '../errors';
import { IMAGE_TABLE } from './server-ddl';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// Columns a push may change on an image it did not create; the key, MINDEX id and first pusher stay as written.
const IMAGE_UPDATABLE = IMAGE_TABLE.columns.map((c) => c.name).filter((c) => !['sha256', 'id', 'first_client', 'created_at'].includes(c));

export function validateRoleName(name: string): string {
  if (!ROLE_NAME.test(name)) {
    throw new SporeprintError(
      'INVALID_INPUT',
      `role name "${name}" must be lower-case letters, digits and _ (at most 63, not starting with a digit)`,
    );
  }
  return name;
}

/**
 * The grants, as statements (the README prints the same list for DBAs who prefer SQL). No DELETE, no TRUNCATE, no
 * ownership: the role cannot drop or disable the server's triggers, so their rules hold for it.
 */
export function curatorRoleGrants(role: string, database: string): string[] {
  const r = pg.escapeIdentifier(validateRoleName(role));
  return [
    `GRANT CONNECT, TEMPORARY ON DATABASE ${pg.escapeIdentifier(database)} TO ${r}`,
    `GRANT USAGE ON SCHEMA media TO ${r}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA media TO ${r}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA media TO ${r}`,
    `GRANT INSERT ON media.image, media.image_claim, media.image_embedding, media.embedding_model, media.label_event TO ${r}`,
    `GRANT UPDATE (${IMAGE_UPDATABLE.join(', ')}) ON media.image TO ${r}`,
    `GRANT UPDATE (author, license, attribution, source_url, duplicate_of, claimed_at) ON media.image_claim TO ${r}`,
    `GRANT UPDATE (embedding, client_id, updated_at) ON media.image_embedding TO ${r}`,
    `GRANT INSERT, UPDATE (value, client_id, author, resolved_at) ON media.claim_resolution TO ${r}`,
    `GRANT EXECUTE ON FUNCTION media.hamming_distance(text, text) TO ${r}`,
  ];
}

/** Creates the role (LOGIN, no password: the DBA sets one) when absent, then grants; inside the init transaction. */
export async function createCuratorRole(client: ClientBase, role: string): Promise<void> {
  validateRoleName(role);
  const exists = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role]);
  if (exists.rowCount === 0) await client.query(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN`);
  const db = await client.query<{ name: string }>(`SELECT current_database() AS name`);
  for (const statement of curatorRoleGrants(role, db.rows[0]!.name)) await client.query(statement);
}

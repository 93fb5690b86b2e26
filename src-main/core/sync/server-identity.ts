// Which server a library syncs with: the cluster's system identifier plus the database, whatever the URL says.
import type { ClientBase } from 'pg';

/**
 * `localhost`, `127.0.0.1` and a DNS alias reach the same cluster; the identifier pg_control_system() reports is
 * fixed at initdb, so cursors survive a change of spelling and reset only for a really different server.
 */
export async function serverIdentity(client: ClientBase): Promise<string> {
  const res = await client.query<{ id: string; db: string }>(
    `SELECT system_identifier::text AS id, current_database() AS db FROM pg_control_system()`,
  );
  const row = res.rows[0]!;
  return `pg:${row.id}/${row.db}`;
}

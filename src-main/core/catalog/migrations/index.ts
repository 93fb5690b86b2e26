// Versioned migrations: PRAGMA user_version is the number of migrations applied, in this order.
// Append only; never edit a migration that has shipped. Each domain owns the SQL of its own file.
import type { Db } from '../database';
import { foundationMigration } from './001-foundation';
import { duplicatesMigration } from './002-duplicates';
import { labelsMigration } from './003-labels';
import { vectorsMigration } from './004-vectors';
import { syncMigration } from './005-sync';
import { sourcesMigration } from './006-sources';
import { followupsMigration } from './007-followups';

export interface Migration {
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  foundationMigration,
  duplicatesMigration,
  labelsMigration,
  vectorsMigration,
  syncMigration,
  sourcesMigration,
  followupsMigration,
];

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`catalogue schema version ${current} is newer than this Sporeprint (${MIGRATIONS.length}); update the app`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    const migration = MIGRATIONS[version]!;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

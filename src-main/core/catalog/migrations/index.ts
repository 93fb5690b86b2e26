// Versioned migrations: PRAGMA user_version is the number of migrations applied, in this order.
// Append only; never edit a migration that has shipped. Each domain owns the SQL of its own file.
import type { Db } from '../database';
import { parseCount } from '../parse-rows';
import { foundationMigration } from './001-foundation';
import { duplicatesMigration } from './002-duplicates';
import { labelsMigration } from './003-labels';
import { vectorsMigration } from './004-vectors';
import { syncMigration } from './005-sync';
import { sourcesMigration } from './006-sources';
import { followupsMigration } from './007-followups';
import { jobStacksMigration } from './008-job-stacks';
import { ingestFailuresMigration } from './009-ingest-failures';
import { licencesMigration } from './010-licences';
import { syncClaimsMigration } from './011-sync-claims';
import { scaleMigration } from './012-scale';
import { qualityVersionMigration } from './013-quality-version';
import { contentCheckMigration } from './014-content-check';
import { decoderCrashesMigration } from './015-decoder-crashes';
import { taxonChecklistMigration } from './016-taxon-checklist';
import { syncQualityArtefactsMigration } from './017-sync-quality-artefacts';
import { syncResolutionsMigration } from './018-sync-resolutions';
import { clusterLinksMigration } from './019-cluster-links';
import { followUpIndexesMigration } from './020-follow-up-indexes';
import { vectorRowsMigration } from './021-vector-rows';

/** A migration is SQL, or code where it must work in steps (021 moves a table's rows a batch at a time). */
export type Migration = ({ name: string; sql: string } | { name: string; apply: (db: Db, tell?: (what: string) => void) => void }) & {
  /**
   * For a migration whose time grows with the library: what it is about to do to this catalogue (a sentence), or null
   * when there is nothing to tell. It runs before the migration, so whoever opens the library can say why it waits;
   * a long `apply` may then tell how far it is through the same channel.
   */
  announce?: (db: Db) => string | null;
};

export const MIGRATIONS: Migration[] = [
  foundationMigration,
  duplicatesMigration,
  labelsMigration,
  vectorsMigration,
  syncMigration,
  sourcesMigration,
  followupsMigration,
  jobStacksMigration,
  ingestFailuresMigration,
  licencesMigration,
  syncClaimsMigration,
  scaleMigration,
  qualityVersionMigration,
  contentCheckMigration,
  decoderCrashesMigration,
  taxonChecklistMigration,
  syncQualityArtefactsMigration,
  syncResolutionsMigration,
  clusterLinksMigration,
  followUpIndexesMigration,
  vectorRowsMigration,
];

/**
 * Applies what is missing, one migration per IMMEDIATE transaction that reads the version itself: two processes
 * creating one library at once take turns, and the second finds the first's work done instead of repeating it
 * ("table image already exists" when the version was read before the transaction). `target` stops at an older
 * version: tests and benches build a catalogue as an older app left it, to migrate it.
 */
export function migrate(db: Db, target = MIGRATIONS.length, onMigrating?: (what: string) => void): void {
  const step = db.transaction((): boolean => {
    const current = schemaVersion(db);
    if (current > MIGRATIONS.length) {
      throw new Error(`catalogue schema version ${current} is newer than this Sporeprint (${MIGRATIONS.length}); update the app`);
    }
    if (current >= target) return false;
    const migration = MIGRATIONS[current]!;
    const what = onMigrating && migration.announce?.(db);
    if (what) onMigrating?.(what);
    applyMigration(db, migration, what ? onMigrating : undefined);
    db.pragma(`user_version = ${current + 1}`);
    return true;
  }).immediate;
  while (step()) {
    // one migration applied; the next transaction reads the version again
  }
}

/**
 * One migration's work, with no transaction or version of its own (migrate() wraps it in both); `tell` hears its
 * progress when it announced itself.
 */
export function applyMigration(db: Db, migration: Migration, tell?: (what: string) => void): void {
  if ('sql' in migration) db.exec(migration.sql);
  else migration.apply(db, tell);
}

export function schemaVersion(db: Db): number {
  return parseCount(db.pragma('user_version', { simple: true }), 'user_version');
}

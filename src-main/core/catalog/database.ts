// Opens the catalogue (SQLite in WAL mode, foreign keys on) and brings its schema up to date.
import Database from 'better-sqlite3';
import { normalizeLicense } from '../../../src-shared/licenses';
import { hammingDistanceHex } from './hamming';
import { migrate } from './migrations';
import { sqliteNativeBinding } from './native-binding';

export type Db = Database.Database;

export function openCatalog(file: string, options: { readonly?: boolean } = {}): Db {
  // Electron started from a checkout loads its own build of the binary; Node and packaged apps use the default.
  const db = new Database(file, { readonly: options.readonly ?? false, nativeBinding: sqliteNativeBinding() });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  registerFunctions(db);
  if (!options.readonly) {
    beginImmediateByDefault(db);
    migrate(db);
  }
  return db;
}

/**
 * Makes `db.transaction(fn)()` begin IMMEDIATE, i.e. take the write lock at BEGIN and wait for it (busy_timeout).
 * A deferred transaction that reads before it writes holds a snapshot; if another connection commits meanwhile,
 * its first write fails at once with SQLITE_BUSY_SNAPSHOT ("database is locked"), which no busy timeout can
 * help. Every catalogue transaction writes, so every one starts IMMEDIATE; `.deferred` stays available.
 */
function beginImmediateByDefault(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn) => transaction(fn).immediate) as Db['transaction'];
}

/** SQL functions the views and queries rely on. */
function registerFunctions(db: Db): void {
  db.function('hamming_distance', { deterministic: true }, (a: unknown, b: unknown) =>
    typeof a === 'string' && typeof b === 'string' ? hammingDistanceHex(a, b) : null,
  );
  // Migration 009 normalises stored licences with the same code the app uses (one vocabulary, not a SQL copy).
  db.function('normalize_license', { deterministic: true }, (raw: unknown) => (typeof raw === 'string' ? normalizeLicense(raw).id : null));
}

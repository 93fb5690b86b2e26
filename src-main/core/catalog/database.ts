// Opens the catalogue (SQLite in WAL mode, foreign keys on) and brings its schema up to date.
import Database from 'better-sqlite3';
import { normalizeLicense } from '../../../src-shared/licenses';
import { hammingDistanceHex } from './hamming';
import { migrate } from './migrations';
import { sqliteNativeBinding } from './native-binding';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Stops at this schema version instead of the newest: tests and benches build a catalogue as an older app left it. */
  migrateTo?: number;
  /** Told what a migration that takes long on a large library is about to do, before it starts. */
  onMigrating?: (what: string) => void;
}

export function openCatalog(file: string, options: OpenOptions = {}): Db {
  // Electron started from a checkout loads its own build of the binary; Node and packaged apps use the default.
  const db = new Database(file, { readonly: options.readonly ?? false, nativeBinding: sqliteNativeBinding() });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!options.readonly) enableWal(db);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  registerFunctions(db);
  if (!options.readonly) {
    beginImmediateByDefault(db);
    migrate(db, options.migrateTo, options.onMigrating);
  }
  return db;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Switches a new catalogue to WAL, waiting out other processes doing the same. Two connections that both read the
 * header (SHARED lock) and then both ask for the EXCLUSIVE lock the switch needs would deadlock, so SQLite fails one
 * at once with SQLITE_BUSY without calling the busy handler; the loser simply tries again until the winner is done.
 */
function enableWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 5 + Math.random() * 20);
    }
  }
}

function isBusy(err: unknown): boolean {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('SQLITE_BUSY');
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

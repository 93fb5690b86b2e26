// Opens the catalogue (SQLite in WAL mode, foreign keys on) and brings its schema up to date.
import Database from 'better-sqlite3';
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
  if (!options.readonly) migrate(db);
  return db;
}

/** SQL functions the views and queries rely on. */
function registerFunctions(db: Db): void {
  db.function('hamming_distance', { deterministic: true }, (a: unknown, b: unknown) =>
    typeof a === 'string' && typeof b === 'string' ? hammingDistanceHex(a, b) : null,
  );
}

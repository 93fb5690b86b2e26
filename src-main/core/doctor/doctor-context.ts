// What the diagnostics look at: the runtime, the checkout or app around it, the library, and how to report a check.
import type { DoctorCheck, DoctorSection, DoctorStatus } from '../../../src-shared/api/doctor';
import type { Db } from '../catalog/database';
import type { NativeRuntime } from '../catalog/native-binding';
import type { PasswordProvider } from '../sync/pg-connection';

export interface DoctorContext {
  runtime: NativeRuntime;
  env: NodeJS.ProcessEnv;
  /** The library folder (absolute). */
  libraryDir: string;
  /** Packages are resolved from here, as the app resolves them (a file of the checkout or of the app). */
  from: string;
  /**
   * The source checkout when run from it (the CLI): then the contributor's checks run too (Electron binary, the
   * Electron build of better-sqlite3, Chromium, the tests' PostgreSQL, the UI build). Null inside the app.
   */
  checkoutRoot: string | null;
  /** The library's open catalogue (in the app); null: read from disk, read-only, never created or migrated. */
  db: Db | null;
  /** Where the sync check gets a password (the app's keychain); undefined: PGPASSWORD or ~/.pgpass. */
  password?: PasswordProvider;
  now: () => Date;
  /** Upper bound for each network or child-process check. */
  timeoutMs: number;
}

export function check(section: DoctorSection, name: string, status: DoctorStatus, detail: string, fix?: string): DoctorCheck {
  return fix ? { section, name, status, detail, fix } : { section, name, status, detail };
}

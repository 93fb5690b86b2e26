// Contract of the diagnostics (`sporeprint doctor`, Help > Diagnostics): what this machine runs and what is missing.
import * as z from 'zod';
import { method, returns } from './define';

export const DOCTOR_SECTIONS = ['runtime', 'native modules', 'browser tests', 'postgresql', 'library', 'models'] as const;
export type DoctorSection = (typeof DOCTOR_SECTIONS)[number];

/** ok: works; warn: one way of running Sporeprint is not ready; error: the runtime asked about cannot work; skipped: not checked here. */
export type DoctorStatus = 'ok' | 'warn' | 'error' | 'skipped';

export interface DoctorCheck {
  section: DoctorSection;
  /** What was checked, e.g. "better-sqlite3 for Electron 45.4.1 (ABI 150, linux-x64)". */
  name: string;
  status: DoctorStatus;
  /** What was found: a version, a path, or why it failed. */
  detail: string;
  /** The command (or step) that fixes a warn or error. */
  fix?: string;
}

export interface DoctorReport {
  /** The library the checks were made for. */
  library: string;
  checks: DoctorCheck[];
  errors: number;
  warnings: number;
}

export const doctorApi = {
  /** Runs every check; reads only (never writes to the library or the machine). */
  'diagnostics.get': method(() => z.object({}), returns<DoctorReport>()),
} as const;

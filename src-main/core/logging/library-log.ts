// The library's log: JSON lines (pino) in <library>/logs/sporeprint.log, rotated by size, written by the process that
// owns the library; with --verbose the same lines, debug included, are echoed in words (to stderr).
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { LOGS_DIR } from '../library-paths';

/** What the library logs through: pino's levels, so a log with nowhere to write is four no-ops and loads no pino. */
export type Logger = Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error'>;

const ignore = () => undefined;
const SILENT: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

export const LOG_FILE = 'sporeprint.log';
/** sporeprint.log is rotated at 10 MB into sporeprint.log.1 ... .5: at most ~60 MB of history. */
export const LOG_ROTATE_SIZE = '10M';
export const LOG_ROTATIONS = 5;

export interface LogOptions {
  /** Debug lines too, in the file and the echo. */
  verbose?: boolean;
  /** Where echoed lines go, one sentence each (the CLI's stderr); echoing happens only with `verbose`. */
  echo?: (line: string) => void;
  /** Rotation other than 10 MB x 5 (tests rotate at a few kilobytes). */
  rotation?: { size: string; keep: number };
}

export interface LibraryLog {
  readonly log: Logger;
  /** The log folder, or null when nothing is written to disk (a read-only library, a reader beside its owner). */
  readonly dir: string | null;
  /** Waits until every line is on disk, then closes the file. */
  close(): Promise<void>;
}

export function logFolder(libraryDir: string): string {
  return path.join(libraryDir, LOGS_DIR);
}

/** A log for a library: into its logs/ folder when `toFile`, echoed when verbose, silent otherwise. */
export function openLibraryLog(libraryDir: string, toFile: boolean, options: LogOptions = {}): LibraryLog {
  const level = options.verbose ? 'debug' : 'info';
  const streams: { level: 'debug' | 'info'; stream: DestinationStream }[] = [];
  let file: RotatingFileStream | null = null;
  const dir = toFile ? logFolder(libraryDir) : null;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const rotation = options.rotation ?? { size: LOG_ROTATE_SIZE, keep: LOG_ROTATIONS };
    file = createStream(LOG_FILE, { path: dir, size: rotation.size, rotate: rotation.keep });
    // A log that cannot be written (disk full) must never take the library down with it.
    file.on('error', () => undefined);
    streams.push({ level, stream: file });
  }
  if (options.verbose && options.echo) streams.push({ level: 'debug', stream: echoStream(options.echo) });
  const log =
    streams.length === 0
      ? SILENT
      : pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
  return {
    log,
    dir,
    close: () =>
      new Promise<void>((resolve) => {
        if (!file) return resolve();
        file.end(() => resolve());
      }),
  };
}

/**
 * Appends one error line the way pino writes it, for a thread that has no logger of its own on this file: the routing
 * thread noting that the library's thread died (which owned the logger), so nothing else writes it at that moment.
 */
export function appendErrorLine(libraryDir: string, msg: string, err?: { message: string; stack?: string }): void {
  const file = path.join(logFolder(libraryDir), LOG_FILE);
  if (!existsSync(path.dirname(file))) return;
  const line = { level: 50, time: new Date().toISOString(), pid: process.pid, ...(err ? { err } : {}), msg };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** JSON lines back into one readable line each: "debug library opened ...", with an error's stack below it. */
function echoStream(echo: (line: string) => void): DestinationStream {
  return {
    write(line: string) {
      try {
        const { level, msg, err } = JSON.parse(line) as { level: number; msg?: string; err?: { stack?: string } };
        echo(`${LEVELS[level] ?? level} ${msg ?? ''}${err?.stack ? `\n${err.stack}` : ''}`);
      } catch {
        echo(line.trimEnd());
      }
    },
  };
}

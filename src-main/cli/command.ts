// The shape of a CLI command: its options (node:util parseArgs), help text, and what it runs.
import type { ParseArgsConfig } from 'node:util';
import type { Library } from '../core/library';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal (progress bars) or a pipe/log (plain lines). */
  interactive: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Commands that need no library (e.g. help) set this false. */
  needsLibrary?: boolean;
  run(lib: Library, args: { values: Record<string, unknown>; positionals: string[] }, io: CommandIo): Promise<number>;
}

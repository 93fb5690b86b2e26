// The shape of a CLI command: its options (node:util parseArgs), help text, and what it runs.
import type { ParseArgsConfig } from 'node:util';
import type { Library } from '../core/library';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal (progress bars) or a pipe/log (plain lines). */
  interactive: boolean;
}

export type CommandArgs = { values: Record<string, unknown>; positionals: string[] };

interface CommandInfo {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
}

/** A command over an opened library (created and migrated if needed). */
export interface Command extends CommandInfo {
  needsLibrary?: true;
  run(lib: Library, args: CommandArgs, io: CommandIo): Promise<number>;
}

/** A command that must not open the library (e.g. `doctor`, which has to work when the catalogue cannot open). */
export interface LibraryFreeCommand extends CommandInfo {
  needsLibrary: false;
  run(libraryDir: string, args: CommandArgs, io: CommandIo): Promise<number>;
}

export type AnyCommand = Command | LibraryFreeCommand;

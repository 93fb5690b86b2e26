// The shape of a CLI command: its options (node:util parseArgs), help text, and what it runs.
import type { ParseArgsConfig } from 'node:util';
import type { Library } from '../core/library';
import type { LibraryAccess } from '../core/library-open';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal (progress bars) or a pipe/log (plain lines). */
  interactive: boolean;
}

export interface ParsedArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

interface CommandBase {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
}

/** A command run on the library the CLI opens for it. */
export interface LibraryCommand extends CommandBase {
  /**
   * How the library is opened: 'write' (the default) makes this process its owner; 'read' opens the catalogue
   * read-only beside whichever process owns it (stats, search, listing duplicates, an export dry run).
   */
  access?: LibraryAccess | ((args: ParsedArgs) => LibraryAccess);
  run(lib: Library, args: ParsedArgs, io: CommandIo): Promise<number>;
}

/** A command given the library folder, not an opened library: serve opens it in its own worker thread, doctor inspects it without opening it. */
export interface FolderCommand extends CommandBase {
  opensLibraryItself: true;
  run(dir: string, args: ParsedArgs, io: CommandIo): Promise<number>;
}

export type Command = LibraryCommand | FolderCommand;

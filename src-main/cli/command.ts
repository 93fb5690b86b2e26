// The shape of a CLI command: its options (each with a one-line description and its default), help text, and what it runs.
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

/** A flag: off unless given. */
export interface FlagOption {
  type: 'boolean';
  short?: string;
  /** One line for `--help`, saying what the flag does. */
  description: string;
}

/** An option that takes a value. `--help` prints `--name VALUE  description (default: ...)`. */
export interface ValueOption {
  type: 'string';
  short?: string;
  multiple?: boolean;
  /** The placeholder shown in help, e.g. N, DIR, FILE. */
  value: string;
  description: string;
  /** What applies when the option is not given, in words ("all cores", "none", "10"). */
  default: string;
}

export type OptionSpec = FlagOption | ValueOption;

interface CommandBase {
  name: string;
  summary: string;
  usage: string;
  /** Every option, described: a new option without a description or a default does not compile. */
  options: Record<string, OptionSpec>;
  /**
   * Checks the arguments before the library is opened (so a wrong command line creates nothing): throws UsageError
   * for bad arguments, or another error for a condition such as a missing file.
   */
  check?(args: ParsedArgs): void;
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
  /** Takes any --library path as it is, a file included (doctor reports what is wrong with it instead of refusing it). */
  diagnosesLibraryPath?: true;
  run(dir: string, args: ParsedArgs, io: CommandIo): Promise<number>;
}

export type Command = LibraryCommand | FolderCommand;

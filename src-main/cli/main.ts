// `sporeprint`: the command-line client of the core. Parses arguments, opens the library, prints.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultLibraryDir } from '../core/config';
import { SporeprintError } from '../core/errors';
import { Library } from '../core/library';
import type { Command, CommandIo, ParsedArgs } from './command';
import { COMMANDS } from './commands';
import { commandHelp, GLOBAL_OPTIONS, mainHelp, parseArgsOptions } from './help-text';
import { libraryTraces } from './library-traces';
import { UsageError } from './usage-error';

/** Exit codes: 0 done, 1 failed, 2 bad arguments (decided here only, see exitCodeOf), 75 library in use. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** EX_TEMPFAIL of sysexits.h: try again later. */
export const EXIT_LIBRARY_IN_USE = 75;

/** The exit code and the words for an error a command ended with. */
function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return EXIT_USAGE;
  if (err instanceof SporeprintError) {
    if (err.code === 'LIBRARY_IN_USE') return EXIT_LIBRARY_IN_USE;
    // The API refused the command's input against its schema: the arguments were wrong.
    if (err.code === 'INVALID_INPUT' && err.issues?.length) return EXIT_USAGE;
  }
  return EXIT_FAILED;
}

function describeError(err: unknown): string {
  if (err instanceof SporeprintError) return `error (${err.code}): ${err.message}`;
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

/** Index of the command word: the first argument that is neither an option nor the value of a global option. */
function commandIndexOf(argv: string[]): number {
  const takesValue = new Set(Object.entries(GLOBAL_OPTIONS).flatMap(([n, o]) => (o.type === 'string' ? [`--${n}`] : [])));
  return argv.findIndex((a, i) => !a.startsWith('-') && !(i > 0 && takesValue.has(argv[i - 1]!)));
}

export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const commandIndex = commandIndexOf(argv);
  const name = commandIndex >= 0 ? argv[commandIndex] : undefined;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    if (name === undefined && argv.length > 0 && argv.every((a) => a === '--help' || a === '-h')) {
      io.out(mainHelp(COMMANDS));
      return 0;
    }
    io.err(
      name !== undefined ? `unknown command "${name}"` : argv.length ? `no command given (after ${argv.join(' ')})` : 'no command given',
    );
    io.err(mainHelp(COMMANDS));
    return EXIT_USAGE;
  }
  const rest = [...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)];
  let parsed;
  try {
    const options = parseArgsOptions({ ...GLOBAL_OPTIONS, ...command.options });
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\nusage: sporeprint ${command.usage}\n(sporeprint ${command.name} --help lists every option)`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.out(commandHelp(command));
    return 0;
  }
  const given = typeof parsed.values.library === 'string' ? parsed.values.library : undefined;
  const dir = path.resolve(given ?? defaultLibraryDir());
  const args: ParsedArgs = { values: parsed.values, positionals: parsed.positionals };
  try {
    if (given !== undefined && !('diagnosesLibraryPath' in command)) checkLibraryArgument(given, dir);
    command.check?.(args);
    if ('opensLibraryItself' in command) return await command.run(dir, args, io);
    return await runOnLibrary(command, dir, given === undefined, args, io);
  } catch (err) {
    io.err(describeError(err));
    const code = exitCodeOf(err);
    if (code === EXIT_USAGE) io.err(`usage: sporeprint ${command.usage}\n(sporeprint ${command.name} --help lists every option)`);
    return code;
  }
}

async function runOnLibrary(
  command: Exclude<Command, { opensLibraryItself: true }>,
  dir: string,
  implicit: boolean,
  args: ParsedArgs,
  io: CommandIo,
) {
  const access = typeof command.access === 'function' ? command.access(args) : (command.access ?? 'write');
  // Which library a command works on is never a surprise: say so when no --library was given.
  if (implicit)
    io.err(`library ${dir} (${process.env.SPOREPRINT_LIBRARY ? '$SPOREPRINT_LIBRARY' : 'the default; --library DIR picks another'})`);
  // A first command that fails leaves no library behind (and a reader never creates one).
  const traces = libraryTraces(dir);
  let code = EXIT_FAILED;
  let lib: Library | undefined;
  // Only a library this process owned for the whole run, and left without images, is taken away: never one that
  // another process holds (a LIBRARY_IN_USE failure on a new library must not remove the owner's files).
  let removable = false;
  try {
    const verbose = args.values.verbose === true;
    lib = Library.open(dir, { access, app: 'cli', log: { verbose, echo: io.err }, onMigrating: (what) => io.err(`sporeprint: ${what}`) });
    code = await command.run(lib, args, io);
    return code;
  } finally {
    if (lib) {
      removable = code !== 0 && traces.isNew && lib.lockInfo !== null && (await lib.invoke('stats.get', {})).images === 0;
      await lib.close();
    }
    if (removable) traces.removeNew();
  }
}

/** `--library` must name a folder (or a path where one can be made). */
function checkLibraryArgument(given: string, dir: string): void {
  if (given.trim() === '') throw new UsageError('--library needs a folder');
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UsageError(`--library ${given}: ${dir} is a file, not a folder (a library is a folder, created when missing)`);
  let existing = dir;
  while (!existsSync(existing)) existing = path.dirname(existing);
  if (!statSync(existing).isDirectory())
    throw new UsageError(`--library ${given}: ${dir} cannot be created: a part of its path is a file, not a folder`);
}

const isMain = process.argv[1] && /(?:main\.ts|bin\.mjs|sporeprint(?:\.c?js)?)$/.test(process.argv[1]);
if (isMain) {
  const io: CommandIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: Boolean(process.stderr.isTTY),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}

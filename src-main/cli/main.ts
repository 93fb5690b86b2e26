// `sporeprint`: the command-line client of the core. Parses arguments, opens the library, prints.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultLibraryDir } from '../core/config';
import { SporeprintError } from '../core/errors';
import { Library } from '../core/library';
import type { Command, CommandIo, ParsedArgs } from './command';
import { COMMANDS } from './commands';

/** Exit codes besides 0 (done), 1 (failed) and 2 (bad arguments); EX_TEMPFAIL of sysexits.h: try again later. */
export const EXIT_LIBRARY_IN_USE = 75;

const GLOBAL_OPTIONS = {
  library: { type: 'string' as const },
  verbose: { type: 'boolean' as const, short: 'v' },
  help: { type: 'boolean' as const, short: 'h' },
};

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: sporeprint [--library DIR] [--verbose] <command> [options]',
    '',
    'The library defaults to $SPOREPRINT_LIBRARY or the per-user app-data folder.',
    '--verbose prints debug lines (also written to <library>/logs/ by the process that owns the library).',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "sporeprint <command> --help shows a command's options.",
  ].join('\n');
}

export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const commandIndex = argv.findIndex((a, i) => !a.startsWith('-') && argv[i - 1] !== '--library');
  const name = commandIndex >= 0 ? argv[commandIndex] : undefined;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    if (name) io.err(`unknown command "${name}"\n`);
    io.out(usage());
    return name ? 2 : 0;
  }
  const rest = [...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)];
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\nusage: sporeprint ${command.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`usage: sporeprint ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  const dir = typeof parsed.values.library === 'string' ? parsed.values.library : defaultLibraryDir();
  const args: ParsedArgs = { values: parsed.values, positionals: parsed.positionals };
  try {
    if ('opensLibraryItself' in command) return await command.run(path.resolve(dir), args, io);
    const verbose = parsed.values.verbose === true;
    const lib = Library.open(dir, { access: accessOf(command, args), app: 'cli', log: { verbose, echo: io.err } });
    try {
      return await command.run(lib, args, io);
    } finally {
      await lib.close();
    }
  } catch (err) {
    io.err(err instanceof SporeprintError ? `error (${err.code}): ${err.message}` : `error: ${(err as Error).message}`);
    return err instanceof SporeprintError && err.code === 'LIBRARY_IN_USE' ? EXIT_LIBRARY_IN_USE : 1;
  }
}

function accessOf(command: Exclude<Command, { opensLibraryItself: true }>, args: ParsedArgs) {
  return typeof command.access === 'function' ? command.access(args) : (command.access ?? 'write');
}

const isMain = process.argv[1] && /(?:main\.ts|bin\.mjs|sporeprint(?:\.js)?)$/.test(process.argv[1]);
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

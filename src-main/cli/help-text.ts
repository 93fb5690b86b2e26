// What `sporeprint --help` and `sporeprint <command> --help` print: every option with its description and default.
import type { Command, OptionSpec } from './command';

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  library: {
    type: 'string',
    value: 'DIR',
    description: 'the library folder (created when missing)',
    default: '$SPOREPRINT_LIBRARY, else the per-user app-data folder',
  },
  verbose: { type: 'boolean', short: 'v', description: 'print debug lines on stderr (kept in <library>/logs/ too)' },
  help: { type: 'boolean', short: 'h', description: 'show the options of a command and exit' },
};

/** The options as node:util parseArgs takes them (without the help texts). */
export function parseArgsOptions(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.type === 'string' && o.multiple ? { multiple: true } : {}) },
    ]),
  );
}

/** One line per option: `--name VALUE, -x  description (default: ...)`, aligned. */
export function describeOptions(options: Record<string, OptionSpec>): string[] {
  const heads = Object.entries(options).map(([name, o]) => {
    const value = o.type === 'string' ? ` ${o.value}${o.multiple ? ' ...' : ''}` : '';
    return `--${name}${value}${o.short ? `, -${o.short}` : ''}`;
  });
  const width = Math.max(0, ...heads.map((h) => h.length));
  return Object.values(options).map((o, i) => {
    const fallback = o.type === 'string' ? o.default : 'off';
    return `  ${heads[i]!.padEnd(width)}  ${o.description} (default: ${fallback})`;
  });
}

export function commandHelp(command: Command): string {
  const own = Object.keys(command.options).length ? ['', 'options:', ...describeOptions(command.options)] : [];
  return [
    `usage: sporeprint ${command.usage}`,
    '',
    command.summary,
    ...own,
    '',
    'global options:',
    ...describeOptions(GLOBAL_OPTIONS),
  ].join('\n');
}

export function mainHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: sporeprint [--library DIR] [--verbose] <command> [options]',
    '',
    'global options:',
    ...describeOptions(GLOBAL_OPTIONS),
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "sporeprint <command> --help lists a command's options. Exit codes: 0 done, 1 failed, 2 bad arguments, 75 library in use.",
  ].join('\n');
}

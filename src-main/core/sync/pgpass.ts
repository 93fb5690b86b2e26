// Looks a password up in a libpq password file (PGPASSFILE or ~/.pgpass), as psql would.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PgpassTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Splits one line on unescaped colons; `\:` and `\\` are literal. */
export function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      current += line[++i]!;
    } else if (ch === ':') {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}

/** The password of the first matching line (`*` matches anything), like libpq. */
export function findPgpassPassword(text: string, target: PgpassTarget): string | undefined {
  const wanted = [target.host, String(target.port), target.database, target.user];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const fields = splitPgpassLine(raw);
    if (fields.length < 5) continue;
    const matches = wanted.every((value, i) => fields[i] === '*' || fields[i] === value || (i === 0 && isLocalAlias(fields[i]!, value)));
    if (matches) return fields.slice(4).join(':');
  }
  return undefined;
}

export function lookupPgpass(target: PgpassTarget, env: NodeJS.ProcessEnv): string | undefined {
  const file = env.PGPASSFILE ?? path.join(env.HOME ?? os.homedir(), '.pgpass');
  let text: string;
  try {
    // libpq ignores a password file others can read; so do we, on systems with POSIX permissions.
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no password file is the normal case
  }
  return findPgpassPassword(text, target);
}

function isLocalAlias(field: string, host: string): boolean {
  // libpq matches "localhost" for Unix-socket connections; loopback addresses are the TCP equivalent here.
  return field === 'localhost' && (host === '127.0.0.1' || host === '::1');
}

// Migration files are numbered by the schema version they bring the catalogue to, and applied in that order.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../src-main/core/catalog/migrations';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../src-main/core/catalog/migrations');

describe('migrations', () => {
  it('has one file per schema version, named NNN-<name>.ts with NNN its position in the list', () => {
    const files = readdirSync(folder)
      .filter((f) => /^\d{3}-.+\.ts$/.test(f))
      .sort();
    expect(files.map((f) => f.replace(/\.ts$/, ''))).toEqual(MIGRATIONS.map((m) => m.name));
    MIGRATIONS.forEach((m, i) => expect(Number(m.name.slice(0, 3)), m.name).toBe(i + 1));
  });
});

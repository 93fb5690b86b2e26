// Several processes creating one new library at the same instant: each reads the schema version inside the
// migration's own IMMEDIATE transaction, so none applies a migration another already applied ("table image
// already exists"); all end with the same, complete schema. The switch to WAL
// races too (SQLite refuses one of two SHARED-to-EXCLUSIVE upgrades at once, without waiting): 30 rounds catch it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../../src-main/core/catalog/database';
import { MIGRATIONS, schemaVersion } from '../../../../src-main/core/catalog/migrations';
import { runTogether } from '../../../fixtures/start-together';
import { makeTempDir } from '../../../fixtures/temp-library';

const PROCESSES = 3;
const ROUNDS = 30;

describe('processes creating one new catalogue at once', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (temp = makeTempDir()));
  afterAll(() => temp?.cleanup());

  it(`all succeed, ${ROUNDS} rounds of ${PROCESSES} processes`, async () => {
    const files = Array.from({ length: ROUNDS }, (_, round) => path.join(temp.dir, `round-${round}.db`));
    const goDir = path.join(temp.dir, 'go');
    mkdirSync(goDir);
    const outputs = await runTogether('test/fixtures/open-catalog-process.ts', files, { count: PROCESSES, rounds: ROUNDS, goDir });
    const outcomes = outputs.flat().map((line) => JSON.parse(line) as { file: string; outcome: string });
    expect(outcomes).toHaveLength(PROCESSES * ROUNDS);
    expect(outcomes.filter((o) => o.outcome !== 'ok')).toEqual([]);
    for (const file of files) {
      const db = openCatalog(file);
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
      expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'image'`).pluck().get()).toBe(1);
      db.close();
    }
  });
});

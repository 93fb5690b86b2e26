// The catalogue connection: write transactions take the write lock when they begin (IMMEDIATE), so one that reads
// first can no longer fail with "database is locked" (SQLITE_BUSY_SNAPSHOT) because another connection wrote.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog, type Db } from '../../../../src-main/core/catalog/database';
import { makeTempDir } from '../../../fixtures/temp-library';

describe('openCatalog transactions', () => {
  const open: { close(): void }[] = [];
  let temp: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    temp?.cleanup();
  });

  function twoConnections(): { catalog: Db; other: Database.Database } {
    temp = makeTempDir();
    const file = path.join(temp.dir, 'catalog.db');
    const catalog = openCatalog(file);
    // The other writer: a second connection, as another thread or process would hold (no waiting, to see the lock).
    const other = new Database(file, { timeout: 0 });
    open.push(catalog, other);
    return { catalog, other };
  }

  it('a transaction that reads before it writes commits although another connection wrote in between', () => {
    const { catalog, other } = twoConnections();
    const insertJob = (db: { prepare: Db['prepare'] }, kind: string) =>
      db.prepare(`INSERT INTO job (kind, status, params_json) VALUES (?, 'running', '{}')`).run(kind);
    let otherWrite: string | null = null;
    catalog.transaction(() => {
      catalog.prepare('SELECT count(*) FROM job').pluck().get();
      // With a deferred transaction this write succeeded and ours then failed with SQLITE_BUSY_SNAPSHOT.
      try {
        insertJob(other, 'export');
        otherWrite = 'committed';
      } catch (err) {
        otherWrite = (err as { code?: string }).code ?? String(err);
      }
      insertJob(catalog, 'ingest');
    })();
    expect(otherWrite).toBe('SQLITE_BUSY');
    expect(catalog.prepare('SELECT kind FROM job').pluck().all()).toEqual(['ingest']);
  });

  it('keeps the explicit variants and nests as savepoints', () => {
    const { catalog } = twoConnections();
    const outer = catalog.transaction(() => {
      catalog.transaction(() => catalog.prepare(`INSERT INTO setting (key, value) VALUES ('a', '1')`).run())();
      return catalog.inTransaction;
    });
    expect(outer()).toBe(true);
    expect(typeof outer.deferred).toBe('function');
    expect(typeof outer.exclusive).toBe('function');
    expect(catalog.prepare(`SELECT value FROM setting WHERE key = 'a'`).pluck().get()).toBe('1');
  });
});

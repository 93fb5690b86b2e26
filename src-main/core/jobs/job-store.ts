// SQL for the job table and its per-item checkpoint.
import * as z from 'zod';
import type { Job, JobKind, JobStatus } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { parseJsonColumn, parseRow, parseRows, parseTexts } from '../catalog/parse-rows';

const jobRow = z.object({
  id: z.number().int(),
  kind: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted'] satisfies JobStatus[]),
  params_json: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  error: z.string().nullable(),
  error_stack: z.string().nullable(),
  result_json: z.string().nullable(),
  started_at: z.string(),
  updated_at: z.string(),
});
type JobRow = z.output<typeof jobRow>;
const JOB_COLUMNS = Object.keys(jobRow.shape).join(', ');

const ITEM_STATUSES = ['pending', 'done', 'skipped', 'rejected', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
const itemCount = z.object({ status: z.enum(ITEM_STATUSES), n: z.number().int() });
const interruptedJob = z.object({ id: z.number().int(), params_json: z.string() });

export class JobStore {
  private readonly insertJob;
  private readonly updateProgress;
  private readonly finishJob;
  private readonly selectJob;
  private readonly insertItem;
  private readonly setItem;

  /** `private`: this connection reads the catalogue read-only, so its jobs go to tables of its own (see below). */
  constructor(
    private readonly db: Db,
    options: { private?: boolean } = {},
  ) {
    if (options.private) createPrivateJobTables(db);
    this.insertJob = db.prepare(`INSERT INTO job (kind, status, params_json) VALUES (?, 'running', ?)`);
    this.updateProgress = db.prepare(`UPDATE job SET done = ?, total = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`);
    this.finishJob = db.prepare(
      `UPDATE job SET status = ?, error = ?, error_stack = ?, result_json = ?, done = ?, total = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
    );
    this.selectJob = db.prepare(`SELECT ${JOB_COLUMNS} FROM job WHERE id = ?`);
    this.insertItem = db.prepare(`INSERT OR IGNORE INTO job_item (job_id, key, status) VALUES (?, ?, 'pending')`);
    this.setItem = db.prepare(`UPDATE job_item SET status = ?, detail = ? WHERE job_id = ? AND key = ?`);
  }

  create(kind: JobKind, params: unknown): number {
    return Number(this.insertJob.run(kind, JSON.stringify(params)).lastInsertRowid);
  }

  reopen(id: number): void {
    this.db.prepare(`UPDATE job SET status = 'running', error = NULL, error_stack = NULL WHERE id = ?`).run(id);
  }

  progress(id: number, done: number, total: number): void {
    this.updateProgress.run(done, total, id);
  }

  finish(
    id: number,
    status: JobStatus,
    done: number,
    total: number,
    failure: { message: string; stack: string | null } | null,
    result: unknown,
  ): void {
    this.finishJob.run(
      status,
      failure?.message ?? null,
      failure?.stack ?? null,
      result === undefined || result === null ? null : JSON.stringify(result),
      done,
      total,
      id,
    );
  }

  row(id: number): JobRow | undefined {
    return parseRow(jobRow, this.selectJob.get(id), 'job');
  }

  params<T>(id: number): T | undefined {
    const row = this.row(id);
    return row ? (JSON.parse(row.params_json) as T) : undefined;
  }

  list(kind: string | undefined, limit: number): JobRow[] {
    const rows = kind
      ? this.db.prepare(`SELECT ${JOB_COLUMNS} FROM job WHERE kind = ? ORDER BY id DESC LIMIT ?`).all(kind, limit)
      : this.db.prepare(`SELECT ${JOB_COLUMNS} FROM job ORDER BY id DESC LIMIT ?`).all(limit);
    return parseRows(jobRow, rows, 'job');
  }

  /**
   * The newest job of a kind left unfinished by a crash or kill, with the given parameters. Never a running one:
   * the owner marks what a dead process left running as interrupted when it opens, so a running job is live.
   */
  findInterrupted(kind: JobKind, paramsKey: (params: unknown) => string, key: string): number | undefined {
    const rows = this.db
      .prepare(`SELECT id, params_json FROM job WHERE kind = ? AND status IN ('interrupted','cancelled') ORDER BY id DESC`)
      .all(kind);
    return parseRows(interruptedJob, rows, 'interrupted job').find((r) => paramsKey(JSON.parse(r.params_json)) === key)?.id;
  }

  /** Called at open: whatever was running when the process died is now interrupted. */
  markRunningInterrupted(): void {
    this.db.prepare(`UPDATE job SET status = 'interrupted' WHERE status = 'running'`).run();
  }

  addItems(id: number, keys: Iterable<string>): void {
    this.db.transaction(() => {
      for (const key of keys) this.insertItem.run(id, key);
    })();
  }

  setItemStatus(id: number, key: string, status: ItemStatus, detail: string | null = null): void {
    this.setItem.run(status, detail, id, key);
  }

  itemsWithStatus(id: number, status: ItemStatus): string[] {
    return parseTexts(
      this.db.prepare(`SELECT key FROM job_item WHERE job_id = ? AND status = ? ORDER BY key`).pluck().all(id, status),
      'job items',
    );
  }

  countItems(id: number): Record<ItemStatus, number> {
    const counts: Record<ItemStatus, number> = { pending: 0, done: 0, skipped: 0, rejected: 0, failed: 0 };
    const rows = this.db.prepare(`SELECT status, count(*) AS n FROM job_item WHERE job_id = ? GROUP BY status`).all(id);
    for (const row of parseRows(itemCount, rows, 'job item count')) counts[row.status] = row.n;
    return counts;
  }

  toJob(row: JobRow, rate = 0): Job {
    const remaining = row.total - row.done;
    return {
      id: row.id,
      kind: row.kind as JobKind,
      status: row.status,
      done: row.done,
      total: row.total,
      rate,
      etaSeconds: row.status === 'running' && rate > 0 ? remaining / rate : null,
      error: row.error,
      errorStack: row.error_stack ?? null,
      createdAt: row.started_at,
      updatedAt: row.updated_at,
      result: row.result_json ? parseJsonColumn(z.record(z.string(), z.unknown()).nullable(), row.result_json, 'job.result_json') : null,
      ...pathsOf(row),
    };
  }
}

/**
 * A read-only connection (a reader beside the owner, a read-only library) records its jobs (an export, a dry run)
 * in TEMP tables of the same shape: SQLite resolves the unqualified names job and job_item to them first, so the
 * store's statements run unchanged and the catalogue is never written. They start with the catalogue's job history.
 */
function createPrivateJobTables(db: Db): void {
  db.exec(/* sql */ `
CREATE TEMP TABLE job (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running','completed','failed','cancelled','interrupted')),
  params_json TEXT NOT NULL,
  done        INTEGER NOT NULL DEFAULT 0,
  total       INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  error_stack TEXT,
  result_json TEXT,
  started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE TEMP TABLE job_item (
  job_id  INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  status  TEXT NOT NULL CHECK (status IN ('pending','done','skipped','rejected','failed')),
  detail  TEXT,
  PRIMARY KEY (job_id, key)
) WITHOUT ROWID;
INSERT INTO temp.job (id, kind, status, params_json, done, total, error, error_stack, result_json, started_at, updated_at)
  SELECT id, kind, status, params_json, done, total, error, error_stack, result_json, started_at, updated_at FROM main.job;
`);
}

/** An ingest's folders from its parameters (other kinds have none), checked rather than cast: params_json is free-form. */
function pathsOf(row: JobRow): { paths?: string[] } {
  if (row.kind !== 'ingest') return {};
  const params = JSON.parse(row.params_json) as { paths?: unknown };
  const paths = params.paths;
  return Array.isArray(paths) && paths.every((p): p is string => typeof p === 'string') ? { paths } : {};
}

// CPU time a benchmark step costs: this process's (process.cpuUsage) plus that of the PostgreSQL backends serving the
// step's database. On a loaded machine the wall clock mostly measures the queue for a core; CPU time does not. The
// backends are found in pg_stat_activity and read from /proc, so the server figure exists only for a server on this
// machine (Linux); elsewhere it is null and only the client's is reported.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';

export interface StepCpu<T> {
  result: T;
  seconds: number;
  clientSeconds: number;
  /** null when the server's processes cannot be read here (another machine, or no /proc). */
  serverSeconds: number | null;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Cumulative CPU seconds of a PostgreSQL process, or null when it is gone or not PostgreSQL's. */
export function processSeconds(pid: number): number | null {
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) return null;
    // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/**
 * Runs `fn`, watching the backends connected to `database` (on the server `adminUrl` names) every 50 ms; a backend's
 * CPU counts from the step's start, or from its connection if it connected during the step.
 */
export async function measureStep<T>(adminUrl: string, database: string, fn: () => Promise<T>): Promise<StepCpu<T>> {
  const local = LOCAL_HOSTS.has(new URL(adminUrl).hostname);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const start = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async (atStart: boolean) => {
    const rows = (await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [database])).rows;
    for (const { pid } of rows) {
      const s = processSeconds(pid);
      if (s === null) continue;
      if (!start.has(pid)) start.set(pid, atStart ? s : 0);
      last.set(pid, s);
    }
  };
  let watching = local;
  try {
    if (local) await sample(true);
    const watcher = (async () => {
      while (watching) {
        await new Promise((r) => setTimeout(r, 50));
        if (watching) await sample(false);
      }
    })();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let result: T;
    try {
      result = await fn();
    } finally {
      watching = false;
      await watcher;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    // Backends still connected (a baseline's own client) are read once more; those that left were read within 50 ms.
    if (local) await sample(false);
    let server = 0;
    for (const [pid, s] of last) server += s - start.get(pid)!;
    return { result, seconds, clientSeconds: (cpu.user + cpu.system) / 1e6, serverSeconds: local && last.size > 0 ? server : null };
  } finally {
    await admin.end();
  }
}

// The keychain's path into a sync: the library worker asks the routing thread for the password of the target it
// connects to. The test PostgreSQL trusts local connections and so never asks for a password; a gate in front of
// it demands one and records what arrived, then relays to the real server, which does the sync.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/model';
import type { PasswordProvider } from '../../../src-main/core/sync/pg-connection';
import { LibraryClient } from '../../../src-main/host/library-client';
import { openPasswordGate, type PasswordGate } from '../../fixtures/password-gate';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../fixtures/pg-database';
import { makeTempDir } from '../../fixtures/temp-library';

type Target = Parameters<PasswordProvider>[0];

async function finishedJob(client: LibraryClient, jobId: number): Promise<Job> {
  for (;;) {
    const job = await client.invoke('jobs.get', { id: jobId });
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!hasPostgres)(`LibraryClient password provider${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let gate: PasswordGate;
  let gatedUrl: string;
  let expected: Target;
  let temp: ReturnType<typeof makeTempDir>;
  const clients: LibraryClient[] = [];
  const savedPgPassword = process.env.PGPASSWORD;
  const open = async (name: string, passwordProvider?: PasswordProvider) => {
    // The worker copies this process's environment when it starts.
    const client = await LibraryClient.open(path.join(temp.dir, name), passwordProvider ? { passwordProvider } : {});
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    target = await createTempDatabase('sporeprint_keychain');
    const real = new URL(target.url);
    gate = await openPasswordGate({ host: real.hostname, port: Number(real.port || 5432) });
    const gated = new URL(target.url);
    gated.port = String(gate.port);
    gatedUrl = gated.toString();
    expected = { host: gated.hostname, port: gate.port, database: target.name, user: decodeURIComponent(gated.username) };
    temp = makeTempDir();
  });
  afterEach(() => {
    if (savedPgPassword === undefined) delete process.env.PGPASSWORD;
    else process.env.PGPASSWORD = savedPgPassword;
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await gate?.close();
    temp?.cleanup();
    await target?.drop();
  });

  it('asks the routing thread for the password of the target sync.start connects to, and sends that password', async () => {
    process.env.PGPASSWORD = 'from-the-environment';
    const asked: Target[] = [];
    const client = await open('with-keychain', async (t) => {
      asked.push(t);
      return 'from-the-keychain';
    });
    const seenBefore = gate.passwords.length;
    const { jobId } = await client.invoke('sync.start', { url: gatedUrl, initSchema: true });
    const job = await finishedJob(client, jobId);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(asked.length).toBeGreaterThan(0);
    for (const t of asked) expect(t).toEqual(expected);
    // The keychain wins over PGPASSWORD, and what it answered is what reached the server.
    expect(gate.passwords.slice(seenBefore)).toEqual(asked.map(() => 'from-the-keychain'));
    // The password never lands in the library: not in the job record, not in the stored status.
    expect(JSON.stringify(await client.invoke('jobs.list', { kind: 'sync' }))).not.toContain('from-the-keychain');
    expect(JSON.stringify(await client.invoke('sync.status', {}))).not.toContain('from-the-keychain');
  });

  it('falls through to PGPASSWORD when the keychain has nothing for the target', async () => {
    process.env.PGPASSWORD = 'from-the-environment';
    let asked = 0;
    const empty = await open('empty-keychain', () => {
      asked++;
      return undefined;
    });
    const seenBefore = gate.passwords.length;
    const job = await finishedJob(empty, (await empty.invoke('sync.start', { url: gatedUrl, dryRun: true })).jobId);
    expect(job.status).toBe('completed');
    expect(asked).toBeGreaterThan(0);
    expect(gate.passwords.slice(seenBefore)).toEqual(Array.from({ length: asked }, () => 'from-the-environment'));
  });

  it('fails the sync in words when the keychain errs, without trying another password', async () => {
    const locked = await open('locked-keychain', () => {
      throw new Error('the keychain is locked');
    });
    const seenBefore = gate.passwords.length;
    const job = await finishedJob(locked, (await locked.invoke('sync.start', { url: gatedUrl, dryRun: true })).jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/cannot read the sync password: the keychain is locked/);
    expect(gate.passwords.slice(seenBefore)).toEqual([]);
  });

  it('without the option (serve, CLI) the worker keeps PGPASSWORD / ~/.pgpass', async () => {
    process.env.PGPASSWORD = 'serve-environment';
    const plain = await open('no-keychain');
    const seenBefore = gate.passwords.length;
    const job = await finishedJob(plain, (await plain.invoke('sync.start', { url: gatedUrl, dryRun: true })).jobId);
    expect(job.status).toBe('completed');
    expect(gate.passwords.slice(seenBefore).length).toBeGreaterThan(0);
    expect(new Set(gate.passwords.slice(seenBefore))).toEqual(new Set(['serve-environment']));
  });
});

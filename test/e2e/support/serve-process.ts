// Runs the real `sporeprint serve` CLI as a child process and reads the URL from its first line of output.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOKEN_HEADER } from '../../../src-shared/transport';
import type { ApiInput, ApiMethod, ApiOutput } from '../../../src-shared/api';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  /** Calls the API the way the HTTP transport does (token header), for test setup and checks. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** Polls jobs.get until the job is no longer running, and returns it. */
  waitForJob(jobId: number): Promise<ApiOutput<'jobs.get'>>;
  stop(): Promise<void>;
}

export async function startServe(libraryDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const tsx = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
  const child = spawn(process.execPath, [tsx, 'src-main/cli/main.ts', '--library', libraryDir, 'serve', '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 60 s; stderr:\n${stderr}`)), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing a URL; stderr:\n${stderr}`)));
  });
  const parsed = new URL(firstLine);
  const token = parsed.searchParams.get('token');
  if (!token || parsed.hostname !== '127.0.0.1') throw new Error(`first line of serve is not a tokenised 127.0.0.1 URL: ${firstLine}`);
  const server: ServeProcess = {
    url: firstLine,
    origin: parsed.origin,
    token,
    child,
    async call(method, input) {
      const response = await fetch(`${parsed.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(input),
      });
      const body = (await response.json()) as { value?: unknown; error?: { message: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.value as never;
    },
    async waitForJob(jobId) {
      for (;;) {
        const job = await server.call('jobs.get', { id: jobId });
        if (job.status !== 'running') return job;
        await new Promise((r) => setTimeout(r, 300));
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  return server;
}

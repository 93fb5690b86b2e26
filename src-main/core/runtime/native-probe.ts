// Loads every native module the app needs and says what loaded: in this process, or inside another runtime's binary
// (Electron run as Node) to check the binaries built for it before the app ever starts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const NATIVE_MODULES = ['better-sqlite3', 'sharp', 'hnswlib-node', 'onnxruntime-node'] as const;
export type NativeModuleName = (typeof NATIVE_MODULES)[number];

export interface ModuleLoad {
  ok: boolean;
  /** What loaded (e.g. "SQLite 3.50.4"), or the first line of why not. */
  detail: string;
}

export interface ProbeResult {
  runtime: { node: string; electron: string | null; abi: string };
  modules: Record<NativeModuleName, ModuleLoad>;
}

// Plain JavaScript on purpose: it also runs inside the Electron binary, which loads no TypeScript. `req` resolves
// packages the way the app does; `sqliteBinding` is the better-sqlite3 binary chosen for the runtime (or none).
const PROBE_BODY = `
  const result = { runtime: { node: process.versions.node, electron: process.versions.electron || null, abi: process.versions.modules }, modules: {} };
  const probe = (name, check) => {
    try {
      result.modules[name] = { ok: true, detail: String(check()) };
    } catch (err) {
      const message = String((err && err.message) || err).replace(/\\s+/g, ' ').trim();
      result.modules[name] = { ok: false, detail: message.length > 400 ? message.slice(0, 400) + '...' : message };
    }
  };
  probe('better-sqlite3', () => {
    const Database = req('better-sqlite3');
    const db = new Database(':memory:', sqliteBinding ? { nativeBinding: sqliteBinding } : {});
    try {
      return 'SQLite ' + db.prepare('SELECT sqlite_version() AS v').get().v;
    } finally {
      db.close();
    }
  });
  probe('sharp', () => 'libvips ' + req('sharp').versions.vips);
  probe('hnswlib-node', () => {
    const { HierarchicalNSW } = req('hnswlib-node');
    const index = new HierarchicalNSW('ip', 2);
    index.initIndex(1);
    return 'index built';
  });
  probe('onnxruntime-node', () => {
    const ort = req('onnxruntime-node');
    return 'onnxruntime-node ' + ort.env.versions.node + ' (' + ort.listSupportedBackends().map((b) => b.name).join(', ') + ')';
  });
  return result;
`;

type ProbeFunction = (req: NodeJS.Require, sqliteBinding: string | undefined) => ProbeResult;

/** Loads the modules in this process, resolving them from `from`. */
export function probeHere(from: string, sqliteBinding: string | undefined): ProbeResult {
  const probe = new Function('req', 'sqliteBinding', PROBE_BODY) as ProbeFunction;
  return probe(createRequire(from), sqliteBinding);
}

/**
 * Loads the modules inside `executable` (an Electron binary, run as Node through ELECTRON_RUN_AS_NODE), resolving
 * them from `from`. Rejects when the binary cannot run or prints no result.
 */
export async function probeIn(
  executable: string,
  from: string,
  sqliteBinding: string | undefined,
  timeoutMs = 60_000,
): Promise<ProbeResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-probe-'));
  const script = path.join(dir, 'probe.cjs');
  writeFileSync(
    script,
    `const req = require('node:module').createRequire(process.argv[2]);\n` +
      `const result = (function (req, sqliteBinding) {${PROBE_BODY}})(req, process.argv[3] || undefined);\n` +
      `process.stdout.write(JSON.stringify(result));\n`,
  );
  try {
    const { code, stdout, stderr } = await run(executable, [script, from, sqliteBinding ?? ''], timeoutMs);
    if (code !== 0) throw new Error(`${executable} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    return JSON.parse(stdout) as ProbeResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(executable: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

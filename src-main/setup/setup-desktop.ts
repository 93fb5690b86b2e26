// `npm run setup:desktop`: everything `npm start` needs beyond `npm ci`, in one command: Electron's binary, and
// better-sqlite3 built for Electron's ABI kept apart from Node's build; then every native module is loaded inside
// Electron to prove it. Online it downloads from GitHub releases (or the mirrors set in the environment);
// `--offline DIR` takes the same two files from a folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findSqlitePackage } from '../core/catalog/native-binding';
import { findElectronPackage } from '../core/runtime/electron-package';
import { NATIVE_MODULES, probeIn } from '../core/runtime/native-probe';
import { atLeast, NODE_FOR_DESKTOP } from '../core/runtime/node-versions';
import { electronZipName, fetchElectron } from './fetch-electron';
import { fetchElectronSqlite, sqliteTarballName } from './fetch-electron-sqlite';
import { serveOfflineFolder, type OfflineMirror } from './offline-mirror';
import type { StepOutput } from './run-step';

export interface SetupOptions {
  /** The checkout: its node_modules gets the downloads. */
  root: string;
  env: NodeJS.ProcessEnv;
  /** Fetch again even what is present. */
  force: boolean;
  /** A folder holding the two files instead of the network. */
  offline?: string;
  out: StepOutput;
}

export async function setupDesktop(options: SetupOptions): Promise<number> {
  const { out } = options;
  const from = path.join(options.root, 'package.json');
  const electron = findElectronPackage(from, options.env);
  if (!electron) {
    out.line(`the electron package is not installed in ${options.root}: run npm ci first`);
    return 1;
  }
  const target = { abi: electron.abi, platform: process.platform, arch: process.arch };
  const sqlite = findSqlitePackage(from);
  out.line(`Desktop setup for Electron ${electron.version} (ABI ${electron.abi}, ${target.platform}-${target.arch})`);
  if (!atLeast(process.versions.node, NODE_FOR_DESKTOP)) {
    out.line(
      `  note: Node ${process.versions.node}; electron's installer declares Node ${NODE_FOR_DESKTOP}+: if a step fails, run it with Node ${NODE_FOR_DESKTOP}+`,
    );
  }
  let env = options.env;
  let mirror: OfflineMirror | null = null;
  if (options.offline) {
    const dir = path.resolve(options.offline);
    if (!existsSync(dir)) {
      out.line(
        `--offline ${dir}: no such folder (it should hold ${electronZipName(electron.version, target.platform, target.arch)} and ${sqliteTarballName(sqlite, target)})`,
      );
      return 2;
    }
    mirror = await serveOfflineFolder(dir);
    // The same installers as online, pointed at the folder: Electron's zip is still checked against the package's checksums.
    env = { ...env, ELECTRON_MIRROR: mirror.url, ELECTRON_CUSTOM_DIR: 'v{{ version }}', npm_config_better_sqlite3_local_prebuilds: dir };
  }
  try {
    const installed = await fetchElectron(electron, {
      from,
      env,
      force: options.force,
      out,
      offline: options.offline && path.resolve(options.offline),
    });
    const binding = await fetchElectronSqlite(sqlite, electron.version, target, { env, force: options.force, out });
    out.line('  loading every native module inside Electron (run as Node):');
    const result = await probeIn(installed.binary, from, binding);
    const problems: string[] = [];
    if (result.runtime.electron !== electron.version || result.runtime.abi !== electron.abi) {
      problems.push(
        `the binary reports Electron ${result.runtime.electron ?? 'none'} (ABI ${result.runtime.abi}), not ${electron.version} (ABI ${electron.abi})`,
      );
    }
    for (const name of NATIVE_MODULES) {
      const load = result.modules[name];
      out.line(`    ${load.ok ? 'ok    ' : 'FAILED'} ${name}: ${load.detail}`);
      if (!load.ok) problems.push(`${name} does not load inside Electron`);
    }
    if (problems.length > 0) {
      out.line(`setup incomplete: ${problems.join('; ')}. npm run cli -- doctor lists each fix.`);
      return 1;
    }
    out.line('Ready: npm start (or npm run dev for hot reload). The CLI and the tests keep using Node and its own builds.');
    return 0;
  } catch (err) {
    out.line(`setup failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await mirror?.close();
  }
}

const USAGE = 'usage: npm run setup:desktop [-- --force] [-- --offline DIR]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { force: { type: 'boolean' }, offline: { type: 'string' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(
      `${USAGE}\n  --force        fetch again what is already present\n  --offline DIR  take Electron's zip and better-sqlite3's Electron tarball from DIR\n`,
    );
    return 0;
  }
  const root = values.root ? path.resolve(values.root) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  return setupDesktop({
    root,
    env: process.env,
    force: values.force === true,
    offline: values.offline,
    out: { line: (text) => process.stdout.write(`${text}\n`) },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

// Native modules per runtime: loaded in this process with the binaries the app would choose, and, from a checkout,
// inside the Electron binary (run as Node) with the Electron build of better-sqlite3.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DoctorCheck } from '../../../src-shared/api/doctor';
import {
  electronSqliteBinding,
  findSqlitePackage,
  SETUP_DESKTOP_COMMAND,
  sqliteNativeBinding,
  SQLITE_BINARY,
} from '../catalog/native-binding';
import { SporeprintError } from '../errors';
import type { ElectronPackage } from '../runtime/electron-package';
import { NATIVE_MODULES, probeHere, probeIn, type NativeModuleName, type ProbeResult } from '../runtime/native-probe';
import { check, type DoctorContext } from './doctor-context';

const SECTION = 'native modules';

/** The N-API modules load in every runtime; a rebuild fixes a broken install of one. */
function rebuildFix(name: NativeModuleName): string {
  return `npm rebuild ${name}`;
}

function probeChecks(
  runtimeName: string,
  result: ProbeResult,
  fixFor: (name: NativeModuleName) => string,
  skip: NativeModuleName[] = [],
): DoctorCheck[] {
  return NATIVE_MODULES.filter((name) => !skip.includes(name)).map((name) => {
    const load = result.modules[name];
    return load.ok
      ? check(SECTION, `${name} for ${runtimeName}`, 'ok', `loads: ${load.detail}`)
      : check(SECTION, `${name} for ${runtimeName}`, 'error', `does not load: ${load.detail}`, fixFor(name));
  });
}

/** This process's runtime: every module loaded here, better-sqlite3 from the binary the catalogue opener picks. */
function currentRuntimeChecks(ctx: DoctorContext, nodeVersion: string): DoctorCheck[] {
  const { runtime } = ctx;
  const runtimeName = runtime.electron ? `Electron ${runtime.electron} (ABI ${runtime.abi})` : `Node ${nodeVersion} (ABI ${runtime.abi})`;
  const sqlite = findSqlitePackage(ctx.from);
  let binding: string | undefined;
  let missing: SporeprintError | null = null;
  try {
    binding = sqliteNativeBinding(runtime, () => sqlite);
  } catch (err) {
    if (!(err instanceof SporeprintError)) throw err;
    missing = err;
  }
  const result = probeHere(ctx.from, binding);
  const sqliteFile = binding ?? path.join(sqlite.dir, 'build', 'Release', SQLITE_BINARY);
  const checks = probeChecks(runtimeName, result, (name) =>
    name === 'better-sqlite3' && runtime.electron ? `${SETUP_DESKTOP_COMMAND} -- --force` : rebuildFix(name),
  );
  const index = checks.findIndex((c) => c.name.startsWith('better-sqlite3'));
  checks[index] = missing
    ? check(SECTION, `better-sqlite3 for ${runtimeName}`, 'error', missing.message, SETUP_DESKTOP_COMMAND)
    : { ...checks[index]!, detail: `${checks[index]!.detail} (${sqliteFile})` };
  return checks;
}

/** From a checkout under Node: the Electron build of better-sqlite3, and every module loaded inside Electron. */
async function electronChecks(ctx: DoctorContext, electron: ElectronPackage): Promise<DoctorCheck[]> {
  const { runtime } = ctx;
  const target = { abi: electron.abi, platform: runtime.platform, arch: runtime.arch };
  const runtimeName = `Electron ${electron.version} (ABI ${electron.abi}, ${runtime.platform}-${runtime.arch})`;
  const file = electronSqliteBinding(findSqlitePackage(ctx.from), target);
  const checks: DoctorCheck[] = [];
  const present = existsSync(file);
  if (!present) {
    checks.push(check(SECTION, `better-sqlite3 for ${runtimeName}`, 'warn', `missing: ${file}`, SETUP_DESKTOP_COMMAND));
  }
  if (!electron.installed) {
    if (present) {
      const kib = Math.round(statSync(file).size / 1024);
      checks.push(
        check(
          SECTION,
          `better-sqlite3 for ${runtimeName}`,
          'skipped',
          `present (${kib} KiB, ${file}); not loaded: the Electron binary is missing`,
        ),
      );
    }
    checks.push(
      check(SECTION, `native modules under ${runtimeName}`, 'skipped', 'not loaded: the Electron binary is missing', SETUP_DESKTOP_COMMAND),
    );
    return checks;
  }
  let result: ProbeResult;
  try {
    result = await probeIn(electron.binary, ctx.from, present ? file : undefined, ctx.timeoutMs);
  } catch (err) {
    checks.push(
      check(
        SECTION,
        `native modules under ${runtimeName}`,
        'error',
        `the Electron binary did not run: ${(err as Error).message}`,
        `${SETUP_DESKTOP_COMMAND} -- --force`,
      ),
    );
    return checks;
  }
  const loaded = probeChecks(
    runtimeName,
    result,
    (name) => (name === 'better-sqlite3' ? `${SETUP_DESKTOP_COMMAND} -- --force` : rebuildFix(name)),
    present ? [] : ['better-sqlite3'],
  );
  return [
    ...checks,
    ...loaded.map((c) => (c.name.startsWith('better-sqlite3') && c.status === 'ok' ? { ...c, detail: `${c.detail} (${file})` } : c)),
  ];
}

export async function nativeChecks(ctx: DoctorContext, nodeVersion: string, electron: ElectronPackage | null): Promise<DoctorCheck[]> {
  const checks = currentRuntimeChecks(ctx, nodeVersion);
  if (ctx.runtime.electron) {
    checks.push(check(SECTION, 'native modules for Node', 'skipped', 'checked from a checkout: npx sporeprint doctor'));
  } else if (ctx.checkoutRoot && electron) {
    checks.push(...(await electronChecks(ctx, electron)));
  }
  return checks;
}

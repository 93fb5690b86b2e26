// What each Node version runs: the CLI and tests from 20.19, the desktop toolchain from 22.12, every package's engines from 22.13.
import { describe, expect, it } from 'vitest';
import type { DoctorContext } from '../../../../src-main/core/doctor/doctor-context';
import { runtimeChecks } from '../../../../src-main/core/doctor/runtime-checks';
import type { ElectronPackage } from '../../../../src-main/core/runtime/electron-package';

const ctx = (checkoutRoot: string | null, electron?: string): DoctorContext => ({
  runtime: { electron, abi: '115', platform: 'linux', arch: 'x64', execPath: '/usr/bin/node' },
  env: {},
  libraryDir: '/lib',
  from: '/src/package.json',
  checkoutRoot,
  db: null,
  now: () => new Date(),
  timeoutMs: 1000,
});
const missing: ElectronPackage = {
  dir: '/src/node_modules/electron',
  version: '45.4.1',
  abi: '150',
  binary: '/src/node_modules/electron/dist/electron',
  installed: false,
};

describe('runtimeChecks', () => {
  it('grades Node by what each part of Sporeprint declares', () => {
    const status = (version: string) => runtimeChecks(ctx('/src'), version, missing)[0]!;
    expect(status('20.18.0')).toMatchObject({ status: 'error', fix: 'install Node 22.13+ (e.g. nvm install 22)' });
    expect(status('20.20.2')).toMatchObject({ status: 'warn' });
    expect(status('20.20.2').detail).toContain('declares Node 22.12+');
    expect(status('22.12.0')).toMatchObject({ status: 'warn' });
    expect(status('22.12.0').detail).toContain('jsdom and eslint-visitor-keys');
    expect(status('22.13.0').status).toBe('ok');
    expect(status('24.1.0').status).toBe('ok');
  });

  it('outside a checkout only the CLI minimum matters and Electron is not looked for', () => {
    const checks = runtimeChecks(ctx(null), '20.20.2', null);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.status).toBe('ok');
  });

  it('a missing Electron binary is a warning whose fix is the setup command', () => {
    const electron = runtimeChecks(ctx('/src'), '22.13.0', missing)[1]!;
    expect(electron).toMatchObject({ name: 'Electron 45.4.1 (ABI 150)', status: 'warn', fix: 'npm run setup:desktop' });
    expect(runtimeChecks(ctx('/src'), '22.13.0', { ...missing, installed: true })[1]!.status).toBe('ok');
  });

  it('inside the app, Electron is the runtime', () => {
    expect(runtimeChecks(ctx(null, '45.4.1'), '22.20.0', null)).toEqual([
      { section: 'runtime', name: 'Electron 45.4.1 (ABI 115)', status: 'ok', detail: 'running, with Node 22.20.0 inside' },
    ]);
  });
});

// Node and Electron: versions, ABIs, what each part of Sporeprint needs, and whether Electron's binary is downloaded.
import type { DoctorCheck } from '../../../src-shared/api/doctor';
import { SETUP_DESKTOP_COMMAND } from '../catalog/native-binding';
import type { ElectronPackage } from '../runtime/electron-package';
import { atLeast, NODE_FOR_CLI, NODE_FOR_DESKTOP, NODE_RECOMMENDED } from '../runtime/node-versions';
import { check, type DoctorContext } from './doctor-context';

export function runtimeChecks(ctx: DoctorContext, nodeVersion: string, electron: ElectronPackage | null): DoctorCheck[] {
  const { runtime } = ctx;
  if (runtime.electron) {
    return [check('runtime', `Electron ${runtime.electron} (ABI ${runtime.abi})`, 'ok', `running, with Node ${nodeVersion} inside`)];
  }
  const checks: DoctorCheck[] = [];
  const node = `Node ${nodeVersion} (ABI ${runtime.abi})`;
  if (!atLeast(nodeVersion, NODE_FOR_CLI)) {
    checks.push(
      check(
        'runtime',
        node,
        'error',
        `the CLI, serve and the tests need Node ${NODE_FOR_CLI}+`,
        `install Node ${NODE_RECOMMENDED}+ (e.g. nvm install 22)`,
      ),
    );
  } else if (ctx.checkoutRoot && !atLeast(nodeVersion, NODE_FOR_DESKTOP)) {
    checks.push(
      check(
        'runtime',
        node,
        'warn',
        `fine for the CLI, serve and the tests; the desktop toolchain (electron 45, @electron/get, @electron/rebuild) declares Node ${NODE_FOR_DESKTOP}+ (npm ci warns EBADENGINE)`,
        `use Node ${NODE_RECOMMENDED}+ (e.g. nvm install 22): the desktop toolchain's ${NODE_FOR_DESKTOP}+, and npm ci without EBADENGINE`,
      ),
    );
  } else if (ctx.checkoutRoot && !atLeast(nodeVersion, NODE_RECOMMENDED)) {
    checks.push(
      check(
        'runtime',
        node,
        'warn',
        `runs everything; jsdom and eslint-visitor-keys (test and lint tools) declare Node ${NODE_RECOMMENDED}+ (npm ci warns EBADENGINE)`,
        `use Node ${NODE_RECOMMENDED}+ (e.g. nvm install 22)`,
      ),
    );
  } else {
    checks.push(
      check(
        'runtime',
        node,
        'ok',
        ctx.checkoutRoot ? 'runs the CLI, serve, the tests and the desktop toolchain' : 'runs the CLI, serve and the tests',
      ),
    );
  }
  if (!ctx.checkoutRoot) return checks;
  if (!electron) {
    checks.push(
      check('runtime', 'Electron', 'skipped', 'the electron package is not installed (a production install runs the CLI and serve only)'),
    );
  } else if (electron.installed) {
    checks.push(check('runtime', `Electron ${electron.version} (ABI ${electron.abi})`, 'ok', `binary at ${electron.binary}`));
  } else {
    checks.push(
      check(
        'runtime',
        `Electron ${electron.version} (ABI ${electron.abi})`,
        'warn',
        `binary missing at ${electron.binary}: npm ci installs the package only, the binary is downloaded separately; npm start cannot launch`,
        SETUP_DESKTOP_COMMAND,
      ),
    );
  }
  return checks;
}

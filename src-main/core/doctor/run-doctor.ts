// `sporeprint doctor` and Help > Diagnostics: every check, in the order a reader fixes them (runtime first).
import type { DoctorReport } from '../../../src-shared/api/doctor';
import { findElectronPackage } from '../runtime/electron-package';
import { browserChecks } from './browser-checks';
import type { DoctorContext } from './doctor-context';
import { libraryChecks } from './library-checks';
import { nativeChecks } from './native-checks';
import { postgresChecks } from './postgres-checks';
import { runtimeChecks } from './runtime-checks';

export async function runDoctor(ctx: DoctorContext, nodeVersion = process.versions.node): Promise<DoctorReport> {
  // Only a checkout has the electron package; inside the app Electron is the runtime itself.
  const electron = ctx.checkoutRoot && !ctx.runtime.electron ? findElectronPackage(ctx.from, ctx.env, ctx.runtime.platform) : null;
  const library = libraryChecks(ctx);
  const checks = [
    ...runtimeChecks(ctx, nodeVersion, electron),
    ...(await nativeChecks(ctx, nodeVersion, electron)),
    ...(await browserChecks(ctx)),
    ...(await postgresChecks(ctx, library.syncUrl)),
    ...library.checks,
  ];
  return {
    library: ctx.libraryDir,
    checks,
    errors: checks.filter((c) => c.status === 'error').length,
    warnings: checks.filter((c) => c.status === 'warn').length,
  };
}

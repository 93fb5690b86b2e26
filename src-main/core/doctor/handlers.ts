// diagnostics.get over an open library: the doctor's checks as the app sees them (its runtime, its catalogue, its keychain).
import type { Handlers } from '../handler-types';
import { currentRuntime } from '../catalog/native-binding';
import { syncPasswordProvider } from '../sync/handlers';
import { runDoctor } from './run-doctor';

export const doctorHandlers: Handlers<'diagnostics.get'> = {
  'diagnostics.get': (ctx) =>
    runDoctor({
      runtime: currentRuntime(),
      env: process.env,
      libraryDir: ctx.dir,
      from: import.meta.url,
      // Contributor checks (Electron download, Chromium, tests' PostgreSQL) belong to `sporeprint doctor` in a checkout.
      checkoutRoot: null,
      db: ctx.db,
      password: syncPasswordProvider(ctx),
      now: () => new Date(),
      timeoutMs: 5000,
    }),
};

// What the browser tests and `serve` need from a checkout: Debian's Chromium (driven by playwright-core) and the UI build.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DoctorCheck } from '../../../src-shared/api/doctor';
import { check, type DoctorContext } from './doctor-context';

/** Where the browser tests look for Chromium (test/e2e/support/browser.ts). */
export function chromiumPath(env: NodeJS.ProcessEnv): string {
  return env.SPOREPRINT_CHROMIUM ?? '/usr/bin/chromium';
}

function versionOf(executable: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(executable, ['--version'], { timeout: timeoutMs }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
  });
}

export async function browserChecks(ctx: DoctorContext): Promise<DoctorCheck[]> {
  if (!ctx.checkoutRoot) return [];
  const checks: DoctorCheck[] = [];
  const chromium = chromiumPath(ctx.env);
  if (!existsSync(chromium)) {
    checks.push(
      check(
        'browser tests',
        'Chromium',
        'warn',
        `not found at ${chromium}: the browser tests skip`,
        'apt-get install chromium (or set SPOREPRINT_CHROMIUM to a Chromium binary)',
      ),
    );
  } else {
    try {
      checks.push(check('browser tests', 'Chromium', 'ok', `${await versionOf(chromium, ctx.timeoutMs)} (${chromium})`));
    } catch (err) {
      checks.push(
        check(
          'browser tests',
          'Chromium',
          'error',
          `${chromium} does not run: ${(err as Error).message}`,
          'apt-get install --reinstall chromium',
        ),
      );
    }
  }
  const index = path.join(ctx.checkoutRoot, 'out', 'renderer', 'index.html');
  checks.push(
    existsSync(index)
      ? check('browser tests', 'UI build', 'ok', `${index} (served by sporeprint serve, loaded by npm start)`)
      : check('browser tests', 'UI build', 'warn', `${index} is missing: sporeprint serve and the browser tests need it`, 'npm run build'),
  );
  return checks;
}

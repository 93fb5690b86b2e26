// `sporeprint doctor`: what this machine runs and what is missing for the CLI, serve, the desktop app and the tests.
// Opens no library (it must work when the catalogue cannot open) and writes nothing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCTOR_SECTIONS, type DoctorReport } from '../../../src-shared/api/doctor';
import { currentRuntime } from '../../core/catalog/native-binding';
import type { FolderCommand } from '../command';

/**
 * The checkout this CLI runs from, or null: three folders up from its source (src-main/cli/commands), two from
 * the built bundle (out/cli).
 */
export function checkoutRootOf(file: string): string | null {
  for (const up of ['../../..', '../..']) {
    const root = path.resolve(path.dirname(file), up);
    const manifest = path.join(root, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'sporeprint') return root;
  }
  return null;
}

const MARK = { ok: 'ok', warn: 'WARN', error: 'ERROR', skipped: 'skip' } as const;

export function formatDoctorReport(report: DoctorReport): string[] {
  const lines = [`library ${report.library}`];
  for (const section of DOCTOR_SECTIONS) {
    const checks = report.checks.filter((c) => c.section === section);
    if (checks.length === 0) continue;
    lines.push('', section);
    for (const c of checks) {
      lines.push(`  ${MARK[c.status].padEnd(5)} ${c.name}: ${c.detail}`);
      if (c.fix) lines.push(`        fix: ${c.fix}`);
    }
  }
  const problems = [
    `${report.errors} error${report.errors === 1 ? '' : 's'}`,
    `${report.warnings} warning${report.warnings === 1 ? '' : 's'}`,
  ];
  lines.push('', report.errors + report.warnings === 0 ? 'no problems found' : problems.join(', '));
  return lines;
}

export const doctorCommand: FolderCommand = {
  name: 'doctor',
  summary: 'check Node/Electron, native modules per runtime, Chromium, PostgreSQL, the library and its lock, models',
  usage: 'doctor [--json]',
  options: { json: { type: 'boolean', description: 'print the report as JSON' } },
  opensLibraryItself: true,
  diagnosesLibraryPath: true,
  async run(libraryDir, { values }, io) {
    const checkoutRoot = checkoutRootOf(fileURLToPath(import.meta.url));
    // Imported here: the checks reach into every domain, which no other command should compile at start-up.
    const { runDoctor } = await import('../../core/doctor/run-doctor');
    const report = await runDoctor({
      runtime: currentRuntime(),
      env: process.env,
      libraryDir,
      from: checkoutRoot ? path.join(checkoutRoot, 'package.json') : import.meta.url,
      checkoutRoot,
      db: null,
      now: () => new Date(),
      timeoutMs: 10_000,
    });
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of formatDoctorReport(report)) io.out(line);
    // Warnings are ways of running Sporeprint that are not ready here; errors break this runtime.
    return report.errors > 0 ? 1 : 0;
  },
};

// `sporeprint export <out-dir>`: writes a curated, leak-free, licence-compliant training set.
import type { ExportOptions, ExportPlan } from '../../../src-shared/api/export';
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';

function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${String(raw)}"`);
  return n;
}

/** "80/10/10" (or "80,10,10") to the three split percentages. */
export function parseSplit(text: string): [number, number, number] {
  const parts = text.split(/[/,:]/).map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0))
    throw new Error(`--split must look like 80/10/10, got "${text}"`);
  return parts as [number, number, number];
}

export function exportOptionsFromArgs(values: Record<string, unknown>, outDir: string): ExportOptions {
  const formats = (values.format as string[] | undefined)?.flatMap((f) => f.split(',')).map((f) => f.trim());
  const licenses =
    typeof values.licenses === 'string'
      ? values.licenses
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean)
      : undefined;
  const seed = numberOption(values, 'seed');
  const minPerClass = numberOption(values, 'min-per-class');
  const maxPerClass = numberOption(values, 'max-per-class');
  const minGroupsForEval = numberOption(values, 'min-groups-for-eval');
  return {
    outDir,
    ...(values.view !== undefined ? { view: values.view as ExportOptions['view'] } : {}),
    ...(formats ? { formats: formats as ExportOptions['formats'] } : {}),
    ...(typeof values.split === 'string' ? { split: parseSplit(values.split) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values.size !== undefined ? { size: values.size as ExportOptions['size'] } : {}),
    ...(licenses ? { licenses } : {}),
    ...(minPerClass !== undefined ? { minPerClass } : {}),
    ...(maxPerClass !== undefined ? { maxPerClass } : {}),
    ...(minGroupsForEval !== undefined ? { minGroupsForEval } : {}),
    ...(values['taxon-rank'] !== undefined ? { taxonRank: values['taxon-rank'] as ExportOptions['taxonRank'] } : {}),
    allDuplicates: values['all-duplicates'] === true,
    dryRun: values['dry-run'] === true,
    stampTime: values.timestamp === true,
  };
}

export const exportCommand: LibraryCommand = {
  name: 'export',
  // A dry run only reads; an export reads the catalogue in several steps, so it owns the library meanwhile.
  access: ({ values }) => (values['dry-run'] === true ? 'read' : 'write'),
  summary: 'export a curated training set (leak-free splits, licences, attribution, datasheet)',
  usage:
    'export <out-dir> [--view training_hq|training_general|training_verified] [--format imagefolder|csv|jsonl|hf ...] [--split 80/10/10] ' +
    '[--seed N] [--size original|large|medium] [--licenses LIST] [--min-per-class N] [--min-groups-for-eval N] [--max-per-class N] [--taxon-rank species|genus] ' +
    '[--all-duplicates] [--timestamp] [--dry-run] [--json]',
  options: {
    view: { type: 'string' },
    format: { type: 'string', multiple: true },
    split: { type: 'string' },
    seed: { type: 'string' },
    size: { type: 'string' },
    licenses: { type: 'string' },
    'min-per-class': { type: 'string' },
    'max-per-class': { type: 'string' },
    'min-groups-for-eval': { type: 'string' },
    'taxon-rank': { type: 'string' },
    'all-duplicates': { type: 'boolean' },
    timestamp: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(lib, { values, positionals }, io) {
    if (positionals.length !== 1) throw new Error('export needs exactly one output folder');
    const options = exportOptionsFromArgs(values, positionals[0]!);
    const json = values.json === true;
    if (options.dryRun) {
      const plan = await lib.invoke('export.plan', options);
      io.out(json ? JSON.stringify({ event: 'plan', ...plan }) : describePlan(plan));
      return 0;
    }
    const job = await followJob(lib, () => lib.invoke('export.start', options), 'export', json, io);
    const r = (job.result ?? {}) as {
      outDir?: string;
      images?: number;
      fingerprint?: string;
      perSplit?: Record<string, number>;
    } & Partial<ExportPlan>;
    if (json) io.out(jobDoneEvent(job));
    else if (job.status === 'completed') {
      io.out(`exported ${r.images} images to ${r.outDir}`);
      io.out(
        `splits: ${Object.entries(r.perSplit ?? {})
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
      );
      io.out(`fingerprint ${r.fingerprint}; near-duplicate pairs across splits: ${r.leakagePairs}`);
      if (r.trainOnlyClasses && r.classesNotInEverySplit)
        for (const line of splitCoverageLines({ trainOnlyClasses: r.trainOnlyClasses, classesNotInEverySplit: r.classesNotInEverySplit }))
          io.out(line);
    } else io.err(`export ${job.status}${job.error ? `: ${job.error}` : ''}; nothing was written`);
    return job.status === 'completed' ? 0 : 1;
  },
};

function describePlan(plan: ExportPlan): string {
  const lines = [
    'dry run: nothing was written',
    `${plan.images} images in ${plan.classes} classes: ${Object.entries(plan.perSplit)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `left out: licence ${plan.excludedByLicense}, missing attribution ${plan.excludedMissingAttribution}, coarser rank ${plan.excludedCoarserRank}, ` +
      `duplicates ${plan.duplicatesDropped}, over --max-per-class ${plan.cappedByMaxPerClass}`,
    `near-duplicate pairs across splits: ${plan.leakagePairs}`,
  ];
  if (plan.excludedClasses.length)
    lines.push(`classes under --min-per-class: ${plan.excludedClasses.map((c) => `${c.taxon} (${c.images})`).join(', ')}`);
  lines.push(...splitCoverageLines(plan));
  return lines.join('\n');
}

/** What the split could not honour: classes kept in train by choice, and classes too small for every split. */
export function splitCoverageLines(plan: Pick<ExportPlan, 'trainOnlyClasses' | 'classesNotInEverySplit'>): string[] {
  const lines: string[] = [];
  if (plan.trainOnlyClasses.length)
    lines.push(
      `train only (under --min-groups-for-eval): ${plan.trainOnlyClasses.map((c) => `${c.taxon} (${c.groups} groups)`).join(', ')}`,
    );
  if (plan.classesNotInEverySplit.length)
    lines.push(
      `${plan.classesNotInEverySplit.length} classes not in every split (too few groups): ` +
        plan.classesNotInEverySplit.map((c) => `${c.taxon} (${c.groups}; no ${c.missing.join('/')})`).join(', '),
    );
  return lines;
}

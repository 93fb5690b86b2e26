// `sporeprint export <out-dir>`: writes a curated, leak-free, licence-compliant training set.
import path from 'node:path';
import type { ExportOptions, ExportPlan } from '../../../src-shared/api/export';
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';
import { integerOption, UsageError } from '../usage-error';

/** "80/10/10" (or "80,10,10") to the three split percentages. */
export function parseSplit(text: string): [number, number, number] {
  const parts = text.split(/[/,:]/).map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0))
    throw new UsageError(`--split must look like 80/10/10, got "${text}"`);
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
  const seed = integerOption(values, 'seed', Number.MIN_SAFE_INTEGER);
  const minPerClass = integerOption(values, 'min-per-class', 1);
  const maxPerClass = integerOption(values, 'max-per-class', 1);
  const minGroupsForEval = integerOption(values, 'min-groups-for-eval', 1);
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
    view: {
      type: 'string',
      value: 'VIEW',
      description: 'which images: training_verified (human-verified), training_hq (HQ), training_general (all usable)',
      default: 'training_verified',
    },
    format: {
      type: 'string',
      multiple: true,
      value: 'FORMAT',
      description: 'imagefolder, csv, jsonl or hf; repeat or separate by commas for several',
      default: 'imagefolder,csv',
    },
    split: { type: 'string', value: 'T/V/T', description: 'train/validation/test percentages adding up to 100', default: '80/10/10' },
    seed: { type: 'string', value: 'N', description: 'seed of the split (the same seed gives the same split)', default: '42' },
    size: { type: 'string', value: 'SIZE', description: 'image size written: original, large (1280) or medium (640)', default: 'original' },
    licenses: {
      type: 'string',
      value: 'LIST',
      description: 'licences allowed, comma-separated (e.g. CC0,CC-BY)',
      default: 'LICENSE_ALLOW_LIST: CC0,PD,CC-BY,CC-BY-SA',
    },
    'min-per-class': { type: 'string', value: 'N', description: 'leave out classes with fewer images', default: '1' },
    'min-groups-for-eval': {
      type: 'string',
      value: 'N',
      description: 'classes with fewer groups (clusters, observations) go to train only, listed in the summary and datasheet',
      default: 'a class appears in validation/test when it has the groups for it',
    },
    'max-per-class': { type: 'string', value: 'N', description: 'keep at most N images per class (the best first)', default: 'no cap' },
    'taxon-rank': { type: 'string', value: 'RANK', description: 'class by species or by genus', default: 'species' },
    'all-duplicates': { type: 'boolean', description: 'keep every member of a near-duplicate cluster, not only its representative' },
    timestamp: { type: 'boolean', description: 'write the export time into the datasheet (without it, exports reproduce byte for byte)' },
    'dry-run': { type: 'boolean', description: 'print what would be exported and write nothing' },
    json: { type: 'boolean', description: 'print progress and the summary as JSON lines' },
  },
  check: ({ values, positionals }) => void exportOptionsFromArgs(values, outDirOf(positionals)),
  async run(lib, { values, positionals }, io) {
    const options = exportOptionsFromArgs(values, outDirOf(positionals));
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
      for (const line of describeLeftOut(r)) io.out(line);
      if (r.trainOnlyClasses && r.classesNotInEverySplit)
        for (const line of splitCoverageLines({ trainOnlyClasses: r.trainOnlyClasses, classesNotInEverySplit: r.classesNotInEverySplit }))
          io.out(line);
    } else io.err(`export ${job.status}${job.error ? `: ${job.error}` : ''}; nothing was written`);
    return job.status === 'completed' ? 0 : 1;
  },
};

function outDirOf(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`export needs exactly one output folder, got ${positionals.length}`);
  // The API takes full paths only; on the command line a relative one means the user's working folder.
  return path.resolve(positionals[0]!);
}

function describePlan(plan: ExportPlan): string {
  const lines = [
    'dry run: nothing was written',
    `${plan.images} images in ${plan.classes} classes: ${Object.entries(plan.perSplit)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `near-duplicate pairs across splits: ${plan.leakagePairs}`,
    ...describeLeftOut(plan),
  ];
  if (plan.excludedClasses.length)
    lines.push(`classes under --min-per-class: ${plan.excludedClasses.map((c) => `${c.taxon} (${c.images})`).join(', ')}`);
  lines.push(...splitCoverageLines(plan));
  return lines.join('\n');
}

/** Every rule that removed images, each with what to do; when nothing is exported, why first. */
export function describeLeftOut(r: Partial<Pick<ExportPlan, 'leftOut' | 'emptyReason' | 'catalogued'>>): string[] {
  const lines: string[] = [];
  if (r.emptyReason) lines.push(`nothing exported: ${r.emptyReason}`);
  const rules = r.leftOut ?? [];
  if (rules.length === 0) lines.push('left out: nothing');
  else {
    lines.push(`left out (${r.catalogued ?? '?'} catalogued):`);
    for (const rule of rules) lines.push(`  ${rule.rule.replace(/_/g, ' ')}: ${rule.images} - ${rule.hint}`);
  }
  return lines;
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

// The export's README.md datasheet: filters, counts, quality, licences, catalogue snapshot, fingerprint.
import type { ExportPlan } from '../../../src-shared/api/export';
import type { ManifestEntry } from './manifest';
import type { ExportDesign } from './plan-export';
import { compareStrings } from './select-images';
import { SPLIT_NAMES } from './split-groups';

export interface DatasheetInput {
  design: ExportDesign;
  plan: ExportPlan;
  entries: readonly ManifestEntry[];
  fingerprint: string;
  files: readonly string[];
  /** Only when the caller asked for it: a timestamp makes two otherwise identical exports differ. */
  exportedAt?: string | undefined;
}

function qualityStats(values: number[]): string {
  if (values.length === 0) return '- | - | - | -';
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return [sorted[0]!, median, mean, sorted[sorted.length - 1]!].map((v) => v.toFixed(1)).join(' | ');
}

export function renderDatasheet({ design, plan, entries, fingerprint, files, exportedAt }: DatasheetInput): string {
  const o = design.options;
  const s = design.snapshot;
  const lines: string[] = [
    '# Sporeprint training set',
    '',
    `Dataset fingerprint (sha256 of manifest.jsonl as written with \`--format jsonl\`): \`${fingerprint}\``,
    '',
    `${plan.images} images in ${plan.classes} classes: ${SPLIT_NAMES.map((n) => `${n} ${plan.perSplit[n] ?? 0}`).join(', ')}.`,
    ...(exportedAt ? ['', `Exported at ${exportedAt}.`] : []),
    '',
    '## Filters',
    '',
    `- view: ${o.view} (${s.viewSource === 'view' ? 'catalogue view' : 'built-in definition over the base tables'})`,
    `- class rank: ${o.taxonRank}; rows labelled at a coarser rank left out: ${plan.excludedCoarserRank}`,
    `- licences allowed: ${design.licenses.join(', ')}; left out for a licence outside it: ${plan.excludedByLicense}; for no known licence: ${plan.excludedLicenseUnknown}`,
    `- left out for a missing attribution their licence requires: ${plan.excludedMissingAttribution}`,
    `- duplicates: ${o.allDuplicates ? 'all cluster members exported (kept in one split)' : `one image per duplicate cluster; ${plan.duplicatesDropped} members left out`}`,
    `- classes: at least ${o.minPerClass}${o.maxPerClass !== undefined ? `, at most ${o.maxPerClass} (best quality kept; ${plan.cappedByMaxPerClass} left out)` : ''} images`,
    `- split ${o.split.join('/')} (train/val/test), seed ${o.seed}, stratified by class (largest remainder across classes), grouped by duplicate cluster and observation`,
    `- classes with fewer than ${o.minGroupsForEval} groups go to train only: ${plan.trainOnlyClasses.length}`,
    `- file size: ${o.size}; formats: ${o.formats.join(', ')}`,
    '',
  ];
  lines.push(`### Left out (${plan.catalogued} images catalogued)`, '');
  if (plan.leftOut.length === 0) lines.push('Nothing: every catalogued image is in this export.', '');
  else {
    lines.push('| Rule | Images | What it means |', '| --- | --- | --- |');
    for (const r of plan.leftOut) lines.push(`| ${r.rule.replace(/_/g, ' ')} | ${r.images} | ${r.hint.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  if (plan.emptyReason) lines.push(`**Nothing was exported**: ${plan.emptyReason}`, '');
  if (plan.excludedClasses.length) {
    lines.push('### Classes left out (fewer images than --min-per-class)', '', '| Class | Images |', '| --- | --- |');
    for (const c of plan.excludedClasses) lines.push(`| ${c.taxon} | ${c.images} |`);
    lines.push('');
  }
  if (plan.trainOnlyClasses.length) {
    lines.push('### Classes in train only (fewer groups than --min-groups-for-eval)', '', '| Class | Groups |', '| --- | --- |');
    for (const c of plan.trainOnlyClasses) lines.push(`| ${c.taxon} | ${c.groups} |`);
    lines.push('');
  }
  if (plan.classesNotInEverySplit.length) {
    lines.push(
      '### Classes not in every split',
      '',
      'Groups (a duplicate cluster or an observation) never straddle splits, so a class with fewer groups than splits',
      'cannot appear in all of them.',
      '',
      '| Class | Groups | Missing from |',
      '| --- | --- | --- |',
    );
    for (const c of plan.classesNotInEverySplit) lines.push(`| ${c.taxon} | ${c.groups} | ${c.missing.join(', ')} |`);
    lines.push('');
  }
  lines.push(
    '## Images per class and split',
    '',
    `| Class | ${SPLIT_NAMES.join(' | ')} | total |`,
    `| --- |${' --- |'.repeat(SPLIT_NAMES.length + 1)}`,
  );
  for (const label of Object.keys(plan.perClass).sort(compareStrings)) {
    const counts = plan.perClass[label]!;
    const total = SPLIT_NAMES.reduce((n, name) => n + (counts[name] ?? 0), 0);
    lines.push(`| ${label} | ${SPLIT_NAMES.map((n) => counts[n] ?? 0).join(' | ')} | ${total} |`);
  }
  lines.push('', '## Quality (0-100)', '', '| Split | min | median | mean | max |', '| --- | --- | --- | --- | --- |');
  for (const name of SPLIT_NAMES)
    lines.push(`| ${name} | ${qualityStats(entries.filter((e) => e.split === name).map((e) => e.quality))} |`);
  lines.push(`| all | ${qualityStats(entries.map((e) => e.quality))} |`);

  const licences = new Map<string, number>();
  for (const e of entries) licences.set(e.license, (licences.get(e.license) ?? 0) + 1);
  lines.push('', '## Licences', '', '| Licence | Images |', '| --- | --- |');
  for (const [id, n] of [...licences].sort((a, b) => compareStrings(a[0], b[0]))) lines.push(`| ${id} | ${n} |`);
  lines.push('', 'Credits for every image are in ATTRIBUTION.md and ATTRIBUTION.csv.');

  lines.push(
    '',
    '## Catalogue snapshot',
    '',
    `- schema version ${s.schemaVersion}; ${s.images} images, ${s.labelled} labelled; ${s.viewRows} rows in ${o.view}`,
    `- content digest of those rows: ${s.rowsDigest}`,
    '',
    '## Leakage',
    '',
    `Near-duplicate pairs across splits, recomputed after the split from the stored duplicate fingerprints (the whole image`,
    `under 8 flips/rotations, and its regions) or perceptual hashes, at the library threshold of ${design.duplicateThreshold} bits:`,
    `**${design.leakage.pairs.length}** confirmed as copies (details in leakage.json); ${design.leakage.rejected} pairs whose hashes were near`,
    `were checked and found to be different photographs, so they were left where they are.`,
    `Confirmed near-duplicate pairs outside any cluster that the first split put apart and that were then moved into one split: ${design.regroupedPairs} (${design.movedRows} images moved).`,
    '',
    '## Files',
    '',
    ...files.map((f) => `- ${f}`),
    '',
    '## Reproduce',
    '',
    'The same catalogue state and options reproduce this export byte for byte:',
    '',
    '```',
    reproduceCommand(design),
    '```',
    '',
  );
  return lines.join('\n');
}

function reproduceCommand(design: ExportDesign): string {
  const o = design.options;
  const parts = [
    'sporeprint export <out-dir>',
    `--view ${o.view}`,
    ...o.formats.map((f) => `--format ${f}`),
    `--split ${o.split.join('/')}`,
    `--seed ${o.seed}`,
    `--size ${o.size}`,
  ];
  parts.push(`--licenses ${design.licenses.join(',')}`, `--min-per-class ${o.minPerClass}`, `--taxon-rank ${o.taxonRank}`);
  if (o.maxPerClass !== undefined) parts.push(`--max-per-class ${o.maxPerClass}`);
  if (o.minGroupsForEval > 1) parts.push(`--min-groups-for-eval ${o.minGroupsForEval}`);
  if (o.allDuplicates) parts.push('--all-duplicates');
  return parts.join(' ');
}

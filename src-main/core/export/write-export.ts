// Writes a designed export atomically: everything goes to a hidden sibling folder renamed into place at the
// end, so a failure or a cancel never leaves a half export behind.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportPlan, ExportResult } from '../../../src-shared/api/export';
import { SporeprintError } from '../errors';
import { throwIfCancelled } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import { assertAttributionComplete, attributionCsvLines, attributionMarkdownLines } from './attribution';
import { renderDatasheet } from './datasheet';
import {
  buildManifest,
  datasetFingerprint,
  hfMetadataLines,
  manifestCsvLines,
  manifestJsonlLines,
  plannedFiles,
  type WrittenFile,
} from './manifest';
import type { ExportDesign } from './plan-export';
import { readSourceBytes } from './source-files';
import { SPLIT_NAMES } from './split-groups';
import { writeLines } from './write-lines';

/** Files copied at once: enough to overlap reads and writes, few enough to leave the 2 cores to others. */
const COPY_CONCURRENCY = 4;

export interface WriteProgress {
  signal: AbortSignal;
  progress(done: number, total: number): void;
}

/** Refuses to replace a non-empty folder: an export never silently mixes with or destroys older files. */
export async function assertOutDirFree(outDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new SporeprintError('EXPORT_FAILED', 'export destination is a file, not a folder', outDir);
    throw err;
  }
  if (entries.length > 0)
    throw new SporeprintError('EXPORT_FAILED', 'export folder already exists and is not empty; choose a new folder or remove it', outDir);
}

export function partialDirFor(outDir: string, jobId: number): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.partial-${process.pid}-${jobId}`);
}

export async function writeExport(
  ctx: LibraryContext,
  design: ExportDesign,
  plan: ExportPlan,
  jobId: number,
  job: WriteProgress,
): Promise<ExportResult> {
  const outDir = path.resolve(design.options.outDir);
  await assertOutDirFree(outDir);
  await mkdir(path.dirname(outDir), { recursive: true });
  const temp = partialDirFor(outDir, jobId);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  try {
    const planned = plannedFiles(design);
    const total = planned.length + 1;
    job.progress(0, total);
    const written = new Map<string, WrittenFile>();
    let next = 0;
    let done = 0;
    const createdDirs = new Set<string>();
    let failed = false;
    const copyNext = async (): Promise<void> => {
      while (next < planned.length && !failed) {
        throwIfCancelled(job.signal);
        const item = planned[next++]!;
        const source = await readSourceBytes(ctx.db, ctx.dir, item.row, design.options.size);
        const target = path.join(temp, item.file);
        const dir = path.dirname(target);
        if (!createdDirs.has(dir)) {
          await mkdir(dir, { recursive: true });
          createdDirs.add(dir);
        }
        await writeFile(target, source.bytes);
        written.set(item.file, { sha256: source.sha256, width: source.width, height: source.height });
        job.progress(++done, total);
      }
    };
    // Every copier must have stopped before the folder is removed, or a late write would recreate it.
    const copiers = await Promise.allSettled(
      Array.from({ length: Math.min(COPY_CONCURRENCY, planned.length) }, () =>
        copyNext().catch((err: unknown) => {
          failed = true;
          throw err;
        }),
      ),
    );
    const firstFailure = copiers.find((c): c is PromiseRejectedResult => c.status === 'rejected');
    if (firstFailure) throw firstFailure.reason;
    throwIfCancelled(job.signal);

    const entries = buildManifest(design, planned, (file) => written.get(file)!);
    assertAttributionComplete(entries);
    const formats = new Set(design.options.formats);
    let fingerprint: string;
    if (formats.has('jsonl')) {
      // Hash the canonical manifest as it is written rather than serialising it twice.
      const hash = createHash('sha256');
      await writeLines(path.join(temp, 'manifest.jsonl'), manifestJsonlLines(entries), (chunk) => hash.update(chunk));
      fingerprint = hash.digest('hex');
    } else fingerprint = datasetFingerprint(entries);
    const files = new Map<string, Iterable<string>>();
    if (formats.has('csv')) files.set('manifest.csv', manifestCsvLines(entries));
    if (formats.has('hf')) {
      for (const split of SPLIT_NAMES) {
        if (entries.some((e) => e.split === split)) files.set(`${split}/metadata.jsonl`, hfMetadataLines(entries, split));
      }
    }
    files.set('ATTRIBUTION.md', attributionMarkdownLines(entries));
    files.set('ATTRIBUTION.csv', attributionCsvLines(entries));
    files.set('leakage.json', [leakageJson(design, entries)]);
    const listed = [...files.keys(), ...(formats.has('jsonl') ? ['manifest.jsonl'] : []), 'README.md'].sort();
    const exportedAt = design.options.stampTime ? new Date().toISOString() : undefined;
    files.set('README.md', [renderDatasheet({ design, plan, entries, fingerprint, files: listed, exportedAt })]);
    for (const [name, lines] of files) await writeLines(path.join(temp, name), lines);

    throwIfCancelled(job.signal);
    // An empty destination folder (e.g. made by a file dialog) is replaced; assertOutDirFree ran first.
    await rmdir(outDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(temp, outDir);
    job.progress(total, total);
    return {
      outDir,
      images: entries.length,
      fingerprint,
      perSplit: plan.perSplit,
      leakagePairs: design.leakage.pairs.length,
      files: listed,
      trainOnlyClasses: plan.trainOnlyClasses,
      classesNotInEverySplit: plan.classesNotInEverySplit,
    };
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

function leakageJson(design: ExportDesign, entries: readonly { file: string; sourceSha256: string }[]): string {
  const fileOf = new Map(entries.map((e) => [e.sourceSha256, e.file]));
  const rows = design.selection.rows;
  return `${JSON.stringify(
    {
      threshold: design.duplicateThreshold,
      method:
        'multi-index Hamming join of each split with the later ones, over the duplicates fingerprints (8 flips/rotations and regions) or perceptual hashes; each pair the join proposes is confirmed as clustering confirms it (content check, curator decisions)',
      crossSplitPairs: design.leakage.pairs.length,
      hashNearPairsNotCopies: design.leakage.rejected,
      regroupedPairs: design.regroupedPairs,
      movedImages: design.movedRows,
      pairs: design.leakage.pairs.map((p) => ({
        a: fileOf.get(rows[p.a]!.sha256),
        b: fileOf.get(rows[p.b]!.sha256),
        distance: p.distance,
      })),
    },
    null,
    2,
  )}\n`;
}

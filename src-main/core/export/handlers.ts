// API handlers of dataset export: a dry-run plan (counts only) and the export job.
import path from 'node:path';
import type { ExportOptionsParsed } from '../../../src-shared/api/export';
import type { Handlers } from '../handler-types';
import type { LibraryContext } from '../library-context';
import { designExport, summarizeDesign, type DesignSettings } from './plan-export';
import { removeKilledExportPartials } from './partial-folders';
import { assertOutDirFree, writeExport } from './write-export';

/** --licenses overrides the library allow-list; names are matched case-insensitively against ids/families. */
function settingsFor(ctx: LibraryContext, options: ExportOptionsParsed): DesignSettings {
  const licenses = (options.licenses ?? ctx.config.LICENSE_ALLOW_LIST).map((l) => l.trim().toUpperCase()).filter(Boolean);
  return { licenses, duplicateThreshold: ctx.config.DUPLICATE_THRESHOLD };
}

export const exportHandlers: Handlers<'export.plan' | 'export.start'> = {
  'export.plan': async (ctx, input) => summarizeDesign(await designExport(ctx.db, input, settingsFor(ctx, input))),
  'export.start': async (ctx, input) => {
    const options = { ...input, outDir: path.resolve(input.outDir) };
    // Fail before starting a job when the destination is unusable, so the caller sees it at once.
    await assertOutDirFree(options.outDir);
    const jobId = ctx.jobs.start('export', options, async (job) => {
      const design = await designExport(ctx.db, options, settingsFor(ctx, options));
      const plan = summarizeDesign(design);
      if (options.dryRun) return { ...plan, dryRun: true };
      await removeKilledExportPartials(ctx.jobs.store, options.outDir);
      const result = await writeExport(ctx, design, plan, job.jobId, job);
      // What was left out travels with the result, so every caller can say it, not only a dry run.
      return { ...result, leftOut: plan.leftOut, emptyReason: plan.emptyReason, catalogued: plan.catalogued };
    });
    return { jobId };
  },
};

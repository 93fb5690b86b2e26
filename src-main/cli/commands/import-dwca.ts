// `sporeprint import-dwca`: imports the images of a Darwin Core Archive with their taxa, licences and credits.
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';
import { UsageError } from '../usage-error';

export const importDwcaCommand: LibraryCommand = {
  name: 'import-dwca',
  summary: 'import the images of a Darwin Core Archive (zip or folder)',
  usage: 'import-dwca <archive.zip|folder> [--media-root DIR] [--download] [--json]',
  options: {
    'media-root': {
      type: 'string',
      value: 'DIR',
      description: 'folder that relative media paths of the archive start from',
      default: 'the archive folder',
    },
    download: { type: 'boolean', description: 'download remote media (without it they are counted, not fetched)' },
    json: { type: 'boolean', description: 'print progress and the summary as JSON lines' },
  },
  check: ({ positionals }) => {
    if (positionals.length !== 1) throw new UsageError('import-dwca needs exactly one archive (zip file or folder)');
  },
  async run(lib, { values, positionals }, io) {
    const json = values.json === true;
    const job = await followJob(
      lib,
      () =>
        lib.invoke('sources.importDwca', {
          path: positionals[0]!,
          ...(typeof values['media-root'] === 'string' ? { mediaRoot: values['media-root'] } : {}),
          download: values.download === true,
        }),
      'import-dwca',
      json,
      io,
    );
    const r = (job.result ?? {}) as Record<string, unknown>;
    if (json) io.out(jobDoneEvent(job));
    else if (job.status === 'completed') {
      io.out(
        `${r.occurrences} occurrences, ${r.mediaRecords} images: local ${r.local} (new ${r.localAdded}), downloaded and ingested ${r.ingested}, duplicates ${r.duplicates}, rejected ${r.rejected}, failed ${r.failed}, missing ${r.missing}`,
      );
      if (Number(r.remoteSkipped) > 0) io.out(`${r.remoteSkipped} remote images not fetched (use --download)`);
      if (Number(r.skippedRows) > 0) {
        io.out(`${r.skippedRows} row(s) skipped:`);
        for (const s of (r.skipped ?? []) as { file: string; row: number; reason: string }[])
          io.out(`  ${s.file} row ${s.row}: ${s.reason}`);
      }
    } else io.err(`import-dwca ${job.status}${job.error ? `: ${job.error}` : ''} (run again to resume)`);
    return job.status === 'completed' ? 0 : 1;
  },
};

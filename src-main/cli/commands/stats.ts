// `sporeprint stats`: what the library holds.
import type { LibraryCommand } from '../command';

export const statsCommand: LibraryCommand = {
  name: 'stats',
  summary: 'counts of images, locations, rejected files, files to retry, HQ, label states, formats, quality',
  usage: 'stats [--json]',
  options: { json: { type: 'boolean', description: 'print the counts and every rejected file as JSON' } },
  access: 'read',
  async run(lib, { values }, io) {
    const stats = await lib.invoke('stats.get', {});
    if (values.json) {
      const rejected = await lib.invoke('rejected.list', { limit: 1000 });
      io.out(JSON.stringify({ ...stats, rejectedFiles: rejected.items }, null, 2));
      return 0;
    }
    const kv = (o: Record<string, number>) =>
      Object.entries(o)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none';
    io.out(`images        ${stats.images} (${stats.hq} HQ)`);
    io.out(`locations     ${stats.locations}`);
    io.out(`formats       ${kv(stats.formats)}`);
    io.out(`label states  ${kv(stats.labelStates)}`);
    io.out(`duplicates    ${stats.duplicateImages} images in ${stats.duplicateClusters} clusters`);
    io.out(`rejected      ${kv(stats.rejected)}`);
    // Not rejections: faults around the files (full disk, permission, I/O), tried again by the next ingest.
    io.out(`to retry      ${kv(stats.failed)}`);
    if (stats.derivativesUnrecoverable)
      io.out(`derivatives   ${stats.derivativesUnrecoverable} image(s) miss derivative files and their original is gone`);
    io.out('quality       ' + stats.qualityHistogram.map((n, i) => `${i * 10}-${i * 10 + 9}:${n}`).join(' '));
    const rejected = await lib.invoke('rejected.list', { limit: 50 });
    for (const file of rejected.items) io.out(`  rejected ${file.code}  ${file.path}: ${file.message}`);
    if (rejected.total > rejected.items.length) io.out(`  ... and ${rejected.total - rejected.items.length} more (--json lists all)`);
    return 0;
  },
};

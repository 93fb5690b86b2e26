// `sporeprint demo`: builds a demo photo folder and ingests it, so a fresh install has something to show.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoFolder } from '../../core/demo/build-demo-folder';
import type { LibraryCommand } from '../command';
import { followJob } from '../run-job';
import { statsCommand } from './stats';

export const demoCommand: LibraryCommand = {
  name: 'demo',
  summary: 'build a demo folder of synthetic fungal photos and ingest it',
  usage: 'demo [--photos DIR] [--json]',
  options: {
    photos: {
      type: 'string',
      value: 'DIR',
      description: 'where to build the demo photos (must be missing or empty, or a demo folder built before)',
      default: 'a new folder in the temp folder',
    },
    json: { type: 'boolean', description: 'print ingest progress and the summary as JSON lines' },
  },
  async run(lib, { values }, io) {
    const folder = path.resolve(typeof values.photos === 'string' ? values.photos : path.join(os.tmpdir(), 'sporeprint-demo-photos'));
    if (!existsSync(folder)) {
      const demo = await buildDemoFolder(folder);
      io.out(`demo folder: ${folder} (${demo.photos} photos in taxon folders, CSV sidecars, near-duplicates, 3 broken files)`);
    } else io.out(`demo folder: ${folder} (already there)`);
    const job = await followJob(lib, () => lib.invoke('ingest.start', { paths: [folder] }), 'ingest', values.json === true, io);
    if (job.status !== 'completed') {
      io.err(`ingest ${job.status}: ${job.error ?? ''}`);
      return 1;
    }
    io.out(`library: ${lib.dir}`);
    await statsCommand.run(lib, { values: {}, positionals: [] }, io);
    io.out(`\nnext: npm run build && npm run cli -- --library ${lib.dir} serve   (prints the URL of the curation UI)`);
    return 0;
  },
};

// `sporeprint demo`: builds a demo photo folder and ingests it, so a fresh install has something to show.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoFolderState, demoPhotoPaths } from '../../core/demo/demo-manifest';
import type { CommandIo, LibraryCommand } from '../command';
import { followJob } from '../run-job';
import { UsageError } from '../usage-error';
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
  check: ({ values }) => {
    if (typeof values.photos !== 'string') return;
    const found = demoFolderState(path.resolve(values.photos));
    if (found.state === 'invalid')
      throw new UsageError(`--photos ${values.photos} cannot hold the demo: ${found.reason}; give a new or empty folder`);
  },
  async run(lib, { values }, io) {
    const folder = await demoPhotos(typeof values.photos === 'string' ? path.resolve(values.photos) : null, io);
    const job = await followJob(
      lib,
      () => lib.invoke('ingest.start', { paths: demoPhotoPaths(folder) }),
      'ingest',
      values.json === true,
      io,
    );
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

/**
 * The demo photos: built in the given folder, or in the shared temp one; reused only when its manifest checks out
 * (a folder that merely exists may be empty, half-built or edited). A default folder that fails is replaced by a new one.
 */
async function demoPhotos(given: string | null, io: CommandIo): Promise<string> {
  let folder = given ?? path.join(os.tmpdir(), 'sporeprint-demo-photos');
  const found = demoFolderState(folder);
  if (found.state === 'valid') {
    io.out(`demo folder: ${folder} (built before; every file checked against its manifest)`);
    return folder;
  }
  if (found.state === 'invalid') {
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-demo-photos-'));
    io.err(`${folder} is not a complete demo folder (${found.reason}); building a new one in ${fresh}`);
    folder = fresh;
  }
  // Imported here: drawing the photos needs sharp, which no other command should load at start-up.
  const { buildDemoFolder } = await import('../../core/demo/build-demo-folder');
  const demo = await buildDemoFolder(folder);
  io.out(`demo folder: ${folder} (${demo.photos} photos in taxon folders, CSV sidecars, near-duplicates, 3 broken files)`);
  return folder;
}

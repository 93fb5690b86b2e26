// `sporeprint embed`: backfills missing vectors (descriptor and the active model), resumable.
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';

export const embedCommand: LibraryCommand = {
  name: 'embed',
  summary: 'compute missing image vectors for search (descriptor and the active CLIP model)',
  usage: 'embed [--model ID] [--json]',
  options: {
    model: {
      type: 'string',
      value: 'ID',
      description: 'embed with this installed model only',
      default: 'the descriptor and the active model',
    },
    json: { type: 'boolean', description: 'print progress and the summary as JSON lines' },
  },
  async run(lib, { values }, io) {
    const json = values.json === true;
    const modelId = typeof values.model === 'string' ? values.model : undefined;
    const job = await followJob(lib, () => lib.invoke('embed.start', modelId ? { modelId } : {}), 'embed', json, io);
    const result = (job.result ?? {}) as {
      models?: Record<string, { embedded: number; failed: number; errors: { imageId: number; error: string }[] }>;
      clipModel?: string | null;
    };
    if (json) {
      io.out(jobDoneEvent(job));
    } else if (job.status === 'completed') {
      for (const [id, r] of Object.entries(result.models ?? {})) {
        io.out(`${id}: embedded ${r.embedded}${r.failed ? `, failed ${r.failed}` : ''}`);
        for (const e of r.errors) io.err(`  image ${e.imageId}: ${e.error}`);
      }
      if (!result.clipModel)
        io.out(
          'no CLIP model is active, so only the built-in descriptor was computed; text search needs `sporeprint model install Xenova/clip-vit-base-patch32` or `sporeprint model import <folder>`',
        );
    } else {
      io.err(`embed ${job.status}${job.error ? `: ${job.error}` : ''} (run again to resume)`);
    }
    return job.status === 'completed' ? 0 : 1;
  },
};

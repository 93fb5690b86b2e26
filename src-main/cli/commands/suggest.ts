// `sporeprint suggest`: zero-shot taxon suggestions with the active CLIP model over the library's taxa.
import { SporeprintError } from '../../core/errors';
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';

export const suggestCommand: LibraryCommand = {
  name: 'suggest',
  summary: 'suggest taxa for images (zero-shot CLIP over the library taxa and an optional list file)',
  usage: 'suggest [--vocabulary FILE] [--top K] [--image ID ...] [--json]',
  options: {
    vocabulary: { type: 'string' },
    top: { type: 'string' },
    image: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run(lib, { values }, io) {
    const json = values.json === true;
    const ids = ((values.image as string[] | undefined) ?? []).map((s) => {
      if (!/^\d+$/.test(s)) throw new SporeprintError('INVALID_INPUT', `--image takes an image id, got "${s}"`);
      return Number(s);
    });
    const input = {
      ...(ids.length ? { imageIds: ids } : {}),
      ...(typeof values.vocabulary === 'string' ? { vocabularyFile: values.vocabulary } : {}),
      ...(values.top !== undefined ? { topK: Number(values.top) } : {}),
    };
    const job = await followJob(lib, () => lib.invoke('labels.suggest', input), 'suggest', json, io);
    const r = (job.result ?? {}) as Record<string, unknown>;
    if (json) io.out(jobDoneEvent(job));
    else if (job.status === 'completed') {
      io.out(
        `${String(r.modelId)}: suggested for ${String(r.suggested)} images over ${String(r.taxa)} taxa; ${String(r.labelsUpdated)} labels now model_suggested (source claims and human decisions are kept)`,
      );
    } else io.err(`suggest ${job.status}${job.error ? `: ${job.error}` : ''}`);
    return job.status === 'completed' ? 0 : 1;
  },
};

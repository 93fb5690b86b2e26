// `sporeprint suggest`: zero-shot taxon suggestions with the active CLIP model over the library's taxa.
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';
import { integerOption, UsageError } from '../usage-error';

export const suggestCommand: LibraryCommand = {
  name: 'suggest',
  summary: 'suggest taxa for images (zero-shot CLIP over the library taxa and an optional list file)',
  usage: 'suggest [--vocabulary FILE] [--top K] [--image ID ...] [--json]',
  options: {
    vocabulary: {
      type: 'string',
      value: 'FILE',
      description: 'more taxa to choose from, one per line',
      default: "only the library's taxa",
    },
    top: { type: 'string', value: 'K', description: 'suggestions kept per image (1-20)', default: '5' },
    image: {
      type: 'string',
      multiple: true,
      value: 'ID',
      description: 'only this image (repeat for several)',
      default: 'every image not human_verified',
    },
    json: { type: 'boolean', description: 'print progress and the summary as JSON lines' },
  },
  check: ({ values }) => void suggestInputOf(values),
  async run(lib, { values }, io) {
    const json = values.json === true;
    const input = suggestInputOf(values);
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

function suggestInputOf(values: Record<string, unknown>) {
  const ids = ((values.image as string[] | undefined) ?? []).map((s) => {
    if (!/^\d+$/.test(s)) throw new UsageError(`--image takes an image id, got "${s}"`);
    return Number(s);
  });
  const topK = integerOption(values, 'top', 1, 20);
  return {
    ...(ids.length ? { imageIds: ids } : {}),
    ...(typeof values.vocabulary === 'string' ? { vocabularyFile: values.vocabulary } : {}),
    ...(topK !== undefined ? { topK } : {}),
  };
}

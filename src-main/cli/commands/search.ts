// `sporeprint search --text "..." | --image FILE`: ranked hits with score, paths, thumbnail, taxon, state.
import { LABEL_STATES, type LabelState, type SearchHit } from '../../../src-shared/model';
import path from 'node:path';
import type { LibraryCommand } from '../command';
import { integerOption, numberOption, UsageError } from '../usage-error';

export const searchCommand: LibraryCommand = {
  name: 'search',
  access: 'read',
  summary: 'find images by text (needs a CLIP model) or by a similar image',
  usage: 'search --text "..." | --image FILE|ID [--model ID] [--limit N] [--label-state S] [--taxon T] [--min-quality Q] [--hq] [--json]',
  options: {
    text: { type: 'string', value: 'TEXT', description: 'describe the picture (needs an active CLIP model)', default: 'none' },
    image: {
      type: 'string',
      value: 'FILE|ID',
      description: 'a photo file, or the id of an image in the library, to find similar ones',
      default: 'none',
    },
    model: { type: 'string', value: 'ID', description: 'the model whose vectors --image compares', default: 'the built-in descriptor' },
    limit: { type: 'string', value: 'N', description: 'at most N hits (1-500)', default: '20' },
    'label-state': { type: 'string', value: 'S', description: 'only images whose label is in this state', default: 'any' },
    taxon: { type: 'string', value: 'T', description: 'only images labelled with this taxon', default: 'any' },
    'min-quality': { type: 'string', value: 'Q', description: 'only images of quality score Q (0-100) or more', default: '0' },
    hq: { type: 'boolean', description: 'only high-quality (HQ) images' },
    json: { type: 'boolean', description: 'print the hits as JSON' },
  },
  check: ({ values }) => void searchFiltersOf(values),
  async run(lib, { values }, io) {
    const text = typeof values.text === 'string' ? values.text : undefined;
    const image = typeof values.image === 'string' ? values.image : undefined;
    const filters = searchFiltersOf(values);
    const modelId = typeof values.model === 'string' ? { modelId: values.model } : {};
    let hits: SearchHit[];
    if (text !== undefined) hits = await lib.invoke('search.text', { text, ...filters });
    // A bare number is an image id of the library; anything else is a file to compare against.
    else if (/^\d+$/.test(image!)) hits = await lib.invoke('search.image', { imageId: Number(image), ...modelId, ...filters });
    else hits = await lib.invoke('search.image', { path: image!, ...modelId, ...filters });
    if (values.json === true) {
      io.out(
        JSON.stringify(
          hits.map((h) => ({ ...h, thumbPath: path.resolve(lib.dir, h.thumbPath) })),
          null,
          2,
        ),
      );
      return 0;
    }
    if (hits.length === 0) io.out('no matching images');
    for (const [i, h] of hits.entries()) {
      io.out(
        `${String(i + 1).padStart(3)}. ${h.score.toFixed(3)}  #${h.imageId}  ${h.taxon ?? '(no taxon)'} [${h.labelState ?? 'unlabelled'}] q${h.qualityScore.toFixed(0)}  ${h.paths[0] ?? ''}${h.paths.length > 1 ? ` (+${h.paths.length - 1})` : ''}`,
      );
      // Absolute, so that the path can be opened from wherever the command ran.
      io.out(`      thumb ${path.resolve(lib.dir, h.thumbPath)}`);
    }
    return 0;
  },
};

/** The query's filters, checked before the library is opened. */
function searchFiltersOf(values: Record<string, unknown>) {
  if ((values.text === undefined) === (values.image === undefined))
    throw new UsageError('give exactly one of --text "..." or --image FILE|ID');
  const state = values['label-state'];
  if (state !== undefined && !LABEL_STATES.includes(state as LabelState))
    throw new UsageError(`--label-state must be one of ${LABEL_STATES.join(', ')}`);
  const limit = integerOption(values, 'limit', 1, 500);
  const minQuality = numberOption(values, 'min-quality', 0, 100);
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(state !== undefined ? { labelState: state as LabelState } : {}),
    ...(typeof values.taxon === 'string' ? { taxon: values.taxon } : {}),
    ...(minQuality !== undefined ? { minQuality } : {}),
    ...(values.hq === true ? { hq: true } : {}),
  };
}

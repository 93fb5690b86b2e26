// `sporeprint search --text "..." | --image FILE`: ranked hits with score, paths, thumbnail, taxon, state.
import { LABEL_STATES, type LabelState, type SearchHit } from '../../../src-shared/model';
import { SporeprintError } from '../../core/errors';
import type { LibraryCommand } from '../command';

export const searchCommand: LibraryCommand = {
  name: 'search',
  access: 'read',
  summary: 'find images by text (needs a CLIP model) or by a similar image',
  usage: 'search --text "..." | --image FILE|ID [--model ID] [--limit N] [--label-state S] [--taxon T] [--min-quality Q] [--json]',
  options: {
    text: { type: 'string' },
    image: { type: 'string' },
    model: { type: 'string' },
    limit: { type: 'string' },
    'label-state': { type: 'string' },
    taxon: { type: 'string' },
    'min-quality': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(lib, { values }, io) {
    const text = typeof values.text === 'string' ? values.text : undefined;
    const image = typeof values.image === 'string' ? values.image : undefined;
    if ((text === undefined) === (image === undefined))
      throw new SporeprintError('INVALID_INPUT', 'give exactly one of --text "..." or --image FILE');
    const state = values['label-state'];
    if (state !== undefined && !LABEL_STATES.includes(state as LabelState)) {
      throw new SporeprintError('INVALID_INPUT', `--label-state must be one of ${LABEL_STATES.join(', ')}`);
    }
    const filters = {
      ...(values.limit !== undefined ? { limit: Number(values.limit) } : {}),
      ...(state !== undefined ? { labelState: state as LabelState } : {}),
      ...(typeof values.taxon === 'string' ? { taxon: values.taxon } : {}),
      ...(values['min-quality'] !== undefined ? { minQuality: Number(values['min-quality']) } : {}),
    };
    const modelId = typeof values.model === 'string' ? { modelId: values.model } : {};
    let hits: SearchHit[];
    if (text !== undefined) hits = await lib.invoke('search.text', { text, ...filters });
    // A bare number is an image id of the library; anything else is a file to compare against.
    else if (/^\d+$/.test(image!)) hits = await lib.invoke('search.image', { imageId: Number(image), ...modelId, ...filters });
    else hits = await lib.invoke('search.image', { path: image!, ...modelId, ...filters });
    if (values.json === true) {
      io.out(JSON.stringify(hits, null, 2));
      return 0;
    }
    if (hits.length === 0) io.out('no matching images');
    for (const [i, h] of hits.entries()) {
      io.out(
        `${String(i + 1).padStart(3)}. ${h.score.toFixed(3)}  #${h.imageId}  ${h.taxon ?? '(no taxon)'} [${h.labelState ?? 'unlabelled'}] q${h.qualityScore.toFixed(0)}  ${h.paths[0] ?? ''}${h.paths.length > 1 ? ` (+${h.paths.length - 1})` : ''}`,
      );
      io.out(`      thumb ${h.thumbPath}`);
    }
    return 0;
  },
};

// `sporeprint label` and `sporeprint history`: a human label decision on one image, and its audit trail.
import { LABEL_STATES, TAXON_RANKS, type Label, type LabelEvent, type TaxonRank } from '../../../src-shared/model';
import type { Library } from '../../core/library';
import type { CommandIo, LibraryCommand } from '../command';
import { describeLicenseEvent } from './license';

const HUMAN_STATES = ['human_verified', 'disputed'] as const;

function describe(label: Label | null): string {
  if (!label) return 'unlabelled';
  const by = label.author ? ` by ${label.author}` : '';
  return `${label.taxon} (${label.rank}) ${label.state}${by}${label.note ? ` - ${label.note}` : ''}`;
}

export const labelCommand: LibraryCommand = {
  name: 'label',
  summary: 'verify or dispute the label of an image (by id, path or sha256); --undo reverts the last change',
  usage: `label <image-id|path> (--state ${HUMAN_STATES.join('|')} [--taxon T] [--rank R] [--note N] [--author A] | --undo) [--json]`,
  options: {
    state: { type: 'string' },
    taxon: { type: 'string' },
    rank: { type: 'string' },
    note: { type: 'string' },
    author: { type: 'string' },
    undo: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(lib, { values, positionals }, io) {
    const id = await resolveImageArgument(lib, positionals, this.usage, io);
    if (id === null) return 2;
    if (values.undo) {
      const label = await lib.invoke('labels.undo', { imageId: id });
      io.out(values.json ? JSON.stringify(label) : `#${id} restored: ${describe(label)}`);
      return 0;
    }
    const state = values.state as string | undefined;
    if (!state || !(HUMAN_STATES as readonly string[]).includes(state)) {
      const other =
        state && (LABEL_STATES as readonly string[]).includes(state) ? ` (${state} is set by sources and models, not by hand)` : '';
      io.err(`--state must be one of ${HUMAN_STATES.join(', ')}${other}`);
      return 2;
    }
    const rank = values.rank as string | undefined;
    if (rank !== undefined && !(TAXON_RANKS as readonly string[]).includes(rank)) {
      io.err(`--rank must be one of ${TAXON_RANKS.join(', ')}`);
      return 2;
    }
    const [label] = await lib.invoke('labels.set', {
      imageIds: [id],
      state: state as (typeof HUMAN_STATES)[number],
      taxon: values.taxon as string | undefined,
      rank: rank as TaxonRank | undefined,
      note: values.note as string | undefined,
      author: values.author as string | undefined,
    });
    io.out(values.json ? JSON.stringify(label) : `#${id} ${describe(label ?? null)}`);
    return 0;
  },
};

function describeEvent(e: LabelEvent): string {
  const from = e.fromState ? `${e.fromTaxon ?? '?'} ${e.fromState}` : 'unlabelled';
  const to = e.toState ? `${e.toTaxon ?? '?'}${e.rank ? ` (${e.rank})` : ''} ${e.toState}` : 'unlabelled';
  const who = e.author ? ` by ${e.author}` : '';
  const evidence = e.evidence
    ? ` [${Object.entries(e.evidence)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')}]`
    : '';
  return `${e.at}  ${e.action.padEnd(7)} ${from} -> ${to}${who}${e.note ? ` - ${e.note}` : ''}${evidence}`;
}

export const historyCommand: LibraryCommand = {
  name: 'history',
  access: 'read',
  summary: 'the label and licence audit trail of an image (by id, path or sha256)',
  usage: 'history <image-id|path> [--json]',
  options: { json: { type: 'boolean' } },
  async run(lib, { values, positionals }, io) {
    const id = await resolveImageArgument(lib, positionals, this.usage, io);
    if (id === null) return 2;
    const events = await lib.invoke('labels.history', { imageId: id });
    const licenseEvents = await lib.invoke('licenses.history', { imageId: id });
    if (values.json) {
      io.out(JSON.stringify(events));
      return 0;
    }
    if (events.length === 0) io.out(`#${id} has no label history`);
    else for (const e of events) io.out(describeEvent(e));
    const detail = await lib.invoke('images.get', { id });
    io.out(`licence now: ${detail.license ?? 'none'}${detail.attribution ? `, credit ${detail.attribution}` : ''}`);
    for (const e of licenseEvents) io.out(describeLicenseEvent(e));
    return 0;
  },
};

/** The image named by the first argument (id, path or sha256), or null after printing the usage. */
async function resolveImageArgument(lib: Library, positionals: string[], usage: string, io: CommandIo): Promise<number | null> {
  const ref = positionals[0];
  if (!ref) {
    io.err(`give an image id or path\nusage: sporeprint ${usage}`);
    return null;
  }
  return (await lib.invoke('images.resolve', { ref })).id;
}

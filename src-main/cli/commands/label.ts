// `sporeprint label` and `sporeprint history`: a human label decision on one image, and its audit trail.
import { LABEL_STATES, TAXON_RANKS, type Label, type LabelEvent, type TaxonRank } from '../../../src-shared/model';
import type { LibraryCommand } from '../command';
import { UsageError } from '../usage-error';
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
    state: { type: 'string', value: 'STATE', description: 'human_verified or disputed', default: 'none (required unless --undo)' },
    taxon: { type: 'string', value: 'T', description: 'the taxon decided on', default: "the current label's taxon" },
    rank: { type: 'string', value: 'R', description: 'rank of the taxon (species, genus, ...)', default: "the current label's rank" },
    note: { type: 'string', value: 'N', description: 'a note kept in the audit trail', default: 'none' },
    author: { type: 'string', value: 'A', description: 'who decided, kept in the audit trail', default: 'none' },
    undo: { type: 'boolean', description: "revert the last change of this image's label" },
    json: { type: 'boolean', description: 'print the label as JSON' },
  },
  check: ({ values, positionals }) => {
    imageArgument(positionals);
    if (values.undo !== true) humanDecisionOf(values);
  },
  async run(lib, { values, positionals }, io) {
    const id = (await lib.invoke('images.resolve', { ref: imageArgument(positionals) })).id;
    if (values.undo) {
      const label = await lib.invoke('labels.undo', { imageId: id });
      io.out(values.json ? JSON.stringify(label) : `#${id} restored: ${describe(label)}`);
      return 0;
    }
    const { state, rank } = humanDecisionOf(values);
    const [label] = await lib.invoke('labels.set', {
      imageIds: [id],
      state,
      taxon: values.taxon as string | undefined,
      rank,
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
  options: { json: { type: 'boolean', description: 'print the events as JSON' } },
  check: ({ positionals }) => void imageArgument(positionals),
  async run(lib, { values, positionals }, io) {
    const id = (await lib.invoke('images.resolve', { ref: imageArgument(positionals) })).id;
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

/** The one image reference (id, path or sha256) a command takes. */
function imageArgument(positionals: string[]): string {
  if (positionals.length !== 1)
    throw new UsageError(`give one image id, path or sha256${positionals.length ? `, got ${positionals.length}` : ''}`);
  return positionals[0]!;
}

/** The state and rank of a decision made by hand, checked against what a person may set. */
function humanDecisionOf(values: Record<string, unknown>): { state: (typeof HUMAN_STATES)[number]; rank: TaxonRank | undefined } {
  const state = values.state as string | undefined;
  if (!state || !(HUMAN_STATES as readonly string[]).includes(state)) {
    const other =
      state && (LABEL_STATES as readonly string[]).includes(state) ? ` (${state} is set by sources and models, not by hand)` : '';
    throw new UsageError(`--state must be one of ${HUMAN_STATES.join(', ')}${other}`);
  }
  const rank = values.rank as string | undefined;
  if (rank !== undefined && !(TAXON_RANKS as readonly string[]).includes(rank))
    throw new UsageError(`--rank must be one of ${TAXON_RANKS.join(', ')}`);
  return { state: state as (typeof HUMAN_STATES)[number], rank: rank as TaxonRank | undefined };
}

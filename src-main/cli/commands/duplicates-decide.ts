// `sporeprint duplicates decide`: the curator's decisions of the Duplicates view, from the command line.
import type { DuplicateDecision } from '../../../src-shared/api/duplicates';
import type { Library } from '../../core/library';
import type { CommandIo, ParsedArgs } from '../command';

export const DECIDE_USAGE = 'duplicates decide <image> keep|not-duplicate --of <image>|merge --of <image>|representative|done';

/** Each word the user types, and the decision it records about the image (and `--of`, where a pair is meant). */
const ACTIONS = {
  keep: { pair: false, describe: 'stays a separate training image although it is in a cluster' },
  'not-duplicate': { pair: true, describe: 'is a different photograph from --of (only that pair is separated)' },
  merge: { pair: true, describe: "joins its cluster with --of's cluster" },
  representative: { pair: false, describe: 'becomes the representative of its cluster' },
  done: { pair: false, describe: 'marks its cluster reviewed as it stands' },
} as const;
type ActionWord = keyof typeof ACTIONS;

function isActionWord(word: string | undefined): word is ActionWord {
  return word !== undefined && Object.prototype.hasOwnProperty.call(ACTIONS, word);
}

function decisionOf(word: ActionWord, imageId: number, other: number | null): DuplicateDecision {
  switch (word) {
    case 'keep':
      return { action: 'keep', imageId };
    case 'representative':
      return { action: 'set_representative', imageId };
    case 'done':
      return { action: 'resolve', imageId };
    case 'not-duplicate':
      return { action: 'not_duplicate', imageA: imageId, imageB: other! };
    case 'merge':
      return { action: 'merge', imageA: imageId, imageB: other! };
  }
}

/** Runs `duplicates decide ...` (positionals start after "decide"); 2 for a usage error. */
export async function runDecide(lib: Library, { values, positionals }: ParsedArgs, io: CommandIo): Promise<number> {
  const [ref, word, extra] = positionals;
  const usage = () => {
    io.err(`usage: sporeprint ${DECIDE_USAGE}`);
    for (const [name, a] of Object.entries(ACTIONS)) io.err(`  ${name.padEnd(15)} the image ${a.describe}`);
  };
  if (!ref || !isActionWord(word) || extra !== undefined) {
    io.err(
      !ref
        ? 'give the image to decide on (id, path or sha256)'
        : `unknown decision "${word ?? ''}"${extra ? ` or extra word "${extra}"` : ''}`,
    );
    usage();
    return 2;
  }
  const ofRef = typeof values.of === 'string' ? values.of : undefined;
  if (ACTIONS[word].pair !== (ofRef !== undefined)) {
    io.err(ACTIONS[word].pair ? `${word} needs --of <image>: the other image of the pair` : `${word} takes no --of`);
    usage();
    return 2;
  }
  const imageId = (await lib.invoke('images.resolve', { ref })).id;
  const other = ofRef === undefined ? null : (await lib.invoke('images.resolve', { ref: ofRef })).id;
  await lib.invoke('duplicates.decide', decisionOf(word, imageId, other));
  const cluster = (await lib.invoke('duplicates.clusters', { containing: imageId })).clusters[0];
  const where = cluster
    ? `cluster ${cluster.id} now has ${cluster.members.length} images, representative #${cluster.representative}${cluster.resolved ? ', resolved' : ''}`
    : 'it is in no cluster now';
  if (values.json) io.out(JSON.stringify({ imageId, other, decision: word, cluster: cluster ?? null }));
  else io.out(`#${imageId} ${word}${other === null ? '' : ` of #${other}`}: saved; ${where}`);
  return 0;
}

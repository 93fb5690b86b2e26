// `sporeprint duplicates`: near-duplicate clusters, each with its representative and every member's distance;
// `--threshold N` puts a new threshold in force (a re-clustering job), `--preview` only looks; `decide` records decisions.
import type { DuplicateCluster } from '../../../src-shared/model';
import type { Library } from '../../core/library';
import type { CommandIo, LibraryCommand } from '../command';
import { followJob } from '../run-job';
import { integerOption } from '../usage-error';
import { DECIDE_USAGE, runDecide } from './duplicates-decide';

const PAGE = 10_000;

export const duplicatesCommand: LibraryCommand = {
  name: 'duplicates',
  summary: 'near-duplicate clusters; --threshold N re-clusters and keeps N (--preview only looks); decide records a decision',
  usage: `duplicates [--threshold N [--preview]] [--json]\n       sporeprint ${DECIDE_USAGE} [--json]`,
  options: {
    threshold: {
      type: 'string',
      value: 'N',
      description: 'Hamming distance (0-32) under which two images are candidates; puts N in force by re-clustering',
      default: 'the threshold in force, at first DUPLICATE_THRESHOLD (10)',
    },
    preview: { type: 'boolean', description: 'with --threshold: show the clusters at N without saving anything' },
    of: {
      type: 'string',
      value: 'IMAGE',
      description: 'decide: the other image of the pair (not-duplicate) or cluster (merge)',
      default: 'none',
    },
    json: { type: 'boolean', description: 'print the clusters as JSON' },
  },
  // Listing and previews read; a decision or a threshold put in force needs the owner's write access.
  access: ({ values, positionals }) =>
    positionals[0] === 'decide' || (values.threshold !== undefined && values.preview !== true) ? 'write' : 'read',
  check: ({ values }) => void integerOption(values, 'threshold', 0, 32),
  async run(lib, args, io) {
    const { values, positionals } = args;
    if (positionals[0] === 'decide') return runDecide(lib, { values, positionals: positionals.slice(1) }, io);
    if (positionals.length > 0) {
      io.err(`unknown argument "${positionals[0]}"\nusage: sporeprint ${this.usage}`);
      return 2;
    }
    const threshold = integerOption(values, 'threshold', 0, 32);
    if (threshold !== undefined && values.preview !== true) {
      const job = await followJob(lib, () => lib.invoke('duplicates.applyThreshold', { threshold }), 'clustering', false, io);
      if (job.status !== 'completed') {
        io.err(`re-clustering at threshold ${threshold} ${job.status}${job.error ? `: ${job.error}` : ''}`);
        return 1;
      }
    }
    const { clusters, threshold: used, preview } = await allClusters(lib, threshold);
    if (values.json) {
      // The specified shape: one object with the clusters only.
      const out = {
        clusters: clusters.map((c) => ({
          id: c.id,
          representative: c.representative,
          members: c.members.map((m) => ({ image_id: m.imageId, paths: m.paths, distance: m.distance, quality: m.quality })),
        })),
      };
      io.out(JSON.stringify(out));
      return 0;
    }
    io.out(`${clusters.length} clusters at threshold ${used}${preview ? ' (preview: nothing saved)' : ''}`);
    for (const c of clusters) printCluster(c, io);
    return 0;
  },
};

async function allClusters(lib: Library, threshold: number | undefined) {
  const clusters: DuplicateCluster[] = [];
  let used = threshold ?? 0;
  let preview = false;
  for (let offset = 0; ; offset += PAGE) {
    const page = await lib.invoke('duplicates.clusters', { threshold, offset, limit: PAGE, includeResolved: true });
    used = page.threshold;
    preview = page.preview;
    clusters.push(...page.clusters);
    if (offset + page.clusters.length >= page.total) break;
  }
  return { clusters, threshold: used, preview };
}

function printCluster(c: DuplicateCluster, io: CommandIo): void {
  const name = c.id > 0 ? `cluster ${c.id}` : 'preview cluster';
  io.out(`${name}: ${c.members.length} images, weakest link ${c.weakestLink}${c.resolved ? ', resolved' : ''}`);
  for (const m of c.members) {
    const role = m.imageId === c.representative ? 'representative' : `distance ${m.distance}`;
    const label = m.taxon ? `, ${m.taxon}` : '';
    io.out(
      `  #${m.imageId} ${role}, quality ${m.quality.toFixed(0)}${label}${m.decision === 'keep' ? ', keep' : ''}  ${m.paths.join(', ')}`,
    );
  }
}

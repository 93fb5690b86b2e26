// `sporeprint duplicates`: near-duplicate clusters, each with its representative and every member's distance.
import type { DuplicateCluster } from '../../../src-shared/model';
import type { LibraryCommand } from '../command';
import { integerOption } from '../usage-error';

const PAGE = 10_000;

export const duplicatesCommand: LibraryCommand = {
  name: 'duplicates',
  summary: 'near-duplicate clusters (re-clusters when --threshold differs from the last run)',
  usage: 'duplicates [--threshold N] [--json]',
  options: {
    threshold: {
      type: 'string',
      value: 'N',
      description: 'Hamming distance (0-32) under which two images are candidates; another value re-clusters',
      default: 'the last threshold used, at first DUPLICATE_THRESHOLD (10)',
    },
    json: { type: 'boolean', description: 'print the clusters as JSON' },
  },
  // Listing reads; another threshold re-clusters, which needs the owner's write access.
  access: ({ values }) => (values.threshold === undefined ? 'read' : 'write'),
  check: ({ values }) => void integerOption(values, 'threshold', 0, 32),
  async run(lib, { values }, io) {
    let threshold = integerOption(values, 'threshold', 0, 32);
    const clusters: DuplicateCluster[] = [];
    let usedThreshold = threshold ?? 0;
    for (let offset = 0; ; offset += PAGE) {
      const page = await lib.invoke('duplicates.clusters', { threshold, offset, limit: PAGE, includeResolved: true });
      usedThreshold = page.threshold;
      threshold = page.threshold;
      clusters.push(...page.clusters);
      if (offset + page.clusters.length >= page.total) break;
    }
    if (values.json) {
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
    io.out(`${clusters.length} clusters at threshold ${usedThreshold}`);
    for (const c of clusters) {
      io.out(`cluster ${c.id}: ${c.members.length} images, weakest link ${c.weakestLink}${c.resolved ? ', resolved' : ''}`);
      for (const m of c.members) {
        const role = m.imageId === c.representative ? 'representative' : `distance ${m.distance}`;
        io.out(`  #${m.imageId} ${role}, quality ${m.quality.toFixed(0)}${m.decision === 'keep' ? ', keep' : ''}  ${m.paths.join(', ')}`);
      }
    }
    return 0;
  },
};

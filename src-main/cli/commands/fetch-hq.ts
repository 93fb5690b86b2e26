// `sporeprint fetch-hq`: fills taxa lacking HQ images from iNaturalist, GBIF and Wikimedia Commons.
import { readFile } from 'node:fs/promises';
import { SOURCE_NAMES } from '../../../src-shared/api/sources';
import type { LibraryCommand } from '../command';
import { followJob, jobDoneEvent } from '../run-job';
import { integerOption, UsageError } from '../usage-error';

type SourceName = (typeof SOURCE_NAMES)[number];

export const fetchHqCommand: LibraryCommand = {
  name: 'fetch-hq',
  summary: 'download openly licensed HQ photos for taxa that lack them',
  usage:
    'fetch-hq [--taxa FILE | --missing-hq] [--sources inat,gbif,commons] [--limit N] [--per-taxon K] [--licenses LIST] [--dry-run] [--no-resume] [--json]',
  options: {
    taxa: { type: 'string', value: 'FILE', description: 'the taxa to fill, one per line (a CSV: its first column)', default: 'none' },
    'missing-hq': { type: 'boolean', description: "fill the library's taxa that have no HQ image" },
    sources: {
      type: 'string',
      value: 'LIST',
      description: 'where to look, comma-separated: inat, gbif, commons',
      default: 'inat,gbif,commons',
    },
    limit: { type: 'string', value: 'N', description: 'download at most N photos in all', default: 'no limit' },
    'per-taxon': { type: 'string', value: 'K', description: 'photos wanted per taxon', default: '3' },
    licenses: {
      type: 'string',
      value: 'LIST',
      description: 'licences accepted, comma-separated',
      default: 'LICENSE_ALLOW_LIST: CC0,PD,CC-BY,CC-BY-SA',
    },
    'dry-run': { type: 'boolean', description: 'list the photos that would be fetched and download nothing' },
    'no-resume': { type: 'boolean', description: 'start over instead of resuming an interrupted run' },
    json: { type: 'boolean', description: 'print progress and the summary as JSON lines' },
  },
  check: ({ values }) => {
    if (values.taxa === undefined && values['missing-hq'] !== true) throw new UsageError('fetch-hq needs --taxa FILE or --missing-hq');
    sourcesOf(values);
    integerOption(values, 'limit', 1);
    integerOption(values, 'per-taxon', 1);
  },
  async run(lib, { values }, io) {
    const taxa = typeof values.taxa === 'string' ? await readTaxaFile(values.taxa) : undefined;
    const sources = sourcesOf(values);
    const json = values.json === true;
    const dryRun = values['dry-run'] === true;
    const job = await followJob(
      lib,
      () =>
        lib.invoke('sources.fetchHq', {
          ...(taxa ? { taxa } : { missingHq: true }),
          ...(sources ? { sources: sources as SourceName[] } : {}),
          ...(values.limit !== undefined ? { limit: integerOption(values, 'limit', 1) } : {}),
          ...(values['per-taxon'] !== undefined ? { perTaxon: integerOption(values, 'per-taxon', 1) } : {}),
          ...(typeof values.licenses === 'string' ? { licenses: list(values.licenses) } : {}),
          dryRun,
          resume: values['no-resume'] !== true,
        }),
      'fetch-hq',
      json,
      io,
    );
    const r = (job.result ?? {}) as Record<string, unknown>;
    if (json) io.out(jobDoneEvent(job));
    else if (job.status === 'completed') {
      const candidates = (r.candidates ?? []) as {
        taxon: string;
        source: string;
        url: string;
        width: number | null;
        height: number | null;
        license: string;
      }[];
      if (dryRun) {
        io.out(
          `dry run: nothing was downloaded; ${candidates.length} photos would be fetched for ${r.taxa} ${r.taxa === 1 ? 'taxon' : 'taxa'}`,
        );
        for (const c of candidates) io.out(`  ${c.taxon}\t${c.source}\t${c.width ?? '?'}x${c.height ?? '?'}\t${c.license}\t${c.url}`);
      } else
        io.out(
          `${r.taxa} taxa: planned ${r.planned}, ingested ${r.ingested}, duplicates ${r.duplicates}, near-duplicates ${r.nearDuplicates}, rejected ${r.rejected}, failed ${r.failed}`,
        );
      for (const [source, message] of Object.entries((r.sourceErrors ?? {}) as Record<string, string>)) io.err(`${source}: ${message}`);
    } else io.err(`fetch-hq ${job.status}${job.error ? `: ${job.error}` : ''} (run again to resume)`);
    return job.status === 'completed' ? 0 : 1;
  },
};

function sourcesOf(values: Record<string, unknown>): string[] | undefined {
  const sources = typeof values.sources === 'string' ? list(values.sources) : undefined;
  for (const s of sources ?? [])
    if (!(SOURCE_NAMES as readonly string[]).includes(s)) throw new UsageError(`unknown source "${s}" (known: ${SOURCE_NAMES.join(', ')})`);
  return sources;
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** One taxon per line; blank lines, # comments and a header row ignored; a CSV's first column is the name. */
async function readTaxaFile(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new Error(`${file}: cannot read the taxa list (${err.message})`);
  });
  const taxa = text
    .split(/\r?\n/)
    .map((line) => line.split(/[,\t]/)[0]!.trim())
    .filter((line) => line && !line.startsWith('#'))
    // A CSV export's header row is not a taxon.
    .filter((line, i) => i > 0 || !/^(taxon|scientific_?name|name|species)$/i.test(line));
  if (taxa.length === 0) throw new Error(`${file}: the taxa list is empty`);
  return taxa;
}

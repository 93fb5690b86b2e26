// One contender of the Darwin Core Archive benchmark, run in a fresh process so that its peak RSS is its own.
// usage: tsx dwca-contender.ts <baseline|whole-read|streaming|import-job> <archive.zip>
// Prints JSON: rows of the core table, records joined (media with their occurrence), wall and CPU seconds, peak RSS.
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createInflateRaw } from 'node:zlib';
import { unzipSync } from 'fflate';
import { Library } from '../../src-main/core/library';
import { openArchive } from '../../src-main/core/sources/dwca/archive-files';
import { parseDelimited } from '../../src-main/core/sources/dwca/delimited-text';
import { readMediaRecords } from '../../src-main/core/sources/dwca/media-records';
import { readZipDirectory } from '../../src-main/core/sources/dwca/zip-reader';
import { makeTempDir } from '../fixtures/temp-library';

const TABLES = ['occurrence.txt', 'multimedia.txt'];
const [mode, zip] = process.argv.slice(2);
if (!mode || !zip) throw new Error('usage: dwca-contender <mode> <archive.zip>');

/** The strong simple baseline: each table's entry inflated by zlib from its byte range, split into lines and cells. */
async function baseline(): Promise<{ rows: number; records: number }> {
  const members = await readZipDirectory(zip!);
  let rows = 0;
  let coreRows = 0;
  for (const name of TABLES) {
    const member = members.find((m) => m.name === name)!;
    const handle = await open(zip!, 'r');
    const local = Buffer.alloc(30);
    await handle.read(local, 0, 30, member.localHeaderOffset);
    await handle.close();
    const start = member.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const lines = createInterface({
      input: createReadStream(zip!, { start, end: start + member.compressedSize - 1 }).pipe(createInflateRaw()),
      crlfDelay: Infinity,
    });
    let header = true;
    for await (const line of lines) {
      if (header) {
        header = false;
        continue;
      }
      if (line.split('\t').length > 1) rows++;
    }
    if (name === TABLES[0]) coreRows = rows;
  }
  return { rows: coreRows, records: 0 };
}

/** The method before streaming: the zip read whole, each table inflated whole, every core row kept in a map. */
async function wholeRead(): Promise<{ rows: number; records: number }> {
  const bytes = new Uint8Array(await readFile(zip!));
  const layout = { fieldsTerminatedBy: '\t', linesTerminatedBy: '\n', fieldsEnclosedBy: '', ignoreHeaderLines: 1 };
  const tables = TABLES.map((name) =>
    parseDelimited(Buffer.from(unzipSync(bytes, { filter: (f) => f.name === name })[name]!).toString('utf8'), layout),
  );
  const core = new Map(tables[0]!.map((cells) => [cells[0]!, cells]));
  const records = tables[1]!.filter((cells) => core.has(cells[0]!)).length;
  return { rows: tables[0]!.length, records };
}

async function streaming(): Promise<{ rows: number; records: number }> {
  let rows = 0;
  const { records } = await readMediaRecords(await openArchive(zip!), (table, n) => (rows += table === TABLES[0] ? n : 0));
  return { rows, records: records.length };
}

/** The whole import-dwca job through the API, without --download (remote photos are counted, not fetched). */
async function importJob(): Promise<{ rows: number; records: number }> {
  const { dir, cleanup } = makeTempDir('sporeprint-bench-dwca-');
  const lib = Library.open(path.join(dir, 'library'), { env: {} });
  try {
    const { jobId } = await lib.invoke('sources.importDwca', { path: zip! });
    const job = await lib.waitForJob(jobId);
    if (job.status !== 'completed') throw new Error(`import-dwca ${job.status}: ${JSON.stringify(job.error)}`);
    const result = job.result as { occurrences: number; mediaRecords: number };
    return { rows: result.occurrences, records: result.mediaRecords };
  } finally {
    await lib.close();
    cleanup();
  }
}

const run = { baseline, 'whole-read': wholeRead, streaming, 'import-job': importJob }[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
const started = performance.now();
const cpu = process.cpuUsage();
const counted = await run();
const used = process.cpuUsage(cpu);
process.stdout.write(
  JSON.stringify({
    ...counted,
    seconds: (performance.now() - started) / 1000,
    // All threads of the process (zlib inflates on libuv's pool): steadier than wall time on a shared machine.
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
);

// The Detail view's previous / next step, in-process: images.neighbours (both neighbours and the image's place in
// the listing) for images at evenly spaced depths, against one keyset page of the grid (the same listing's page
// of 200 after a cursor) measured on the same rows, and the place as it was counted before (every step counting
// the rows before the image: neighbours-before.ts). Three cases for the product: the first step at a depth just
// after the catalogue changed (its rank checkpoints walked down to that depth), the same steps again (walked
// already), and 50 consecutive steps with the arrow key from the middle of the listing.
import { performance } from 'node:perf_hooks';
import { imageNeighboursSchema, imageQuerySchema, type ImageQuery } from '../../../src-shared/api/catalog';
import type { Db } from '../../../src-main/core/catalog/database';
import { imageNeighbours } from '../../../src-main/core/catalog/image-neighbours';
import { listImages, SORT_KEYS } from '../../../src-main/core/catalog/image-pages';
import { neighboursBefore } from './neighbours-before';

export interface DetailStepResult {
  query: string;
  depths: number;
  /** ms per step (wall), and CPU ms per step. */
  firstAfterChangeMs: number;
  beforeFirstAfterChangeMs: number;
  againMs: number;
  beforeMs: number;
  arrowStepMs: number;
  keysetPageMs: number;
  firstAfterChangeCpuMs: number;
  beforeFirstAfterChangeCpuMs: number;
  againCpuMs: number;
  beforeCpuMs: number;
}

type StepQuery = Omit<ImageQuery, 'offset' | 'limit' | 'after' | 'ids'>;

function timed<T>(run: () => T): { ms: number; cpuMs: number; value: T } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = run();
  const ms = performance.now() - t;
  const used = process.cpuUsage(c);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

export function measureDetailSteps(db: Db, label: string, query: StepQuery, depths = 10): DetailStepResult {
  const q = imageQuerySchema.parse({ ...query, limit: 200 });
  const total = listImages(db, q).total;
  const bump = db.prepare(
    `INSERT INTO setting (key, value) VALUES ('bench-detail-steps', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const keyOf = db.prepare(`SELECT ${SORT_KEYS[q.sort]} FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE i.id = ?`).pluck();
  const sums = { first: 0, firstCpu: 0, oldFirst: 0, oldFirstCpu: 0, again: 0, againCpu: 0, before: 0, beforeCpu: 0, page: 0 };
  const steps: { image: number; previous: number; offset: number; cursor: NonNullable<ReturnType<typeof listImages>['next']> }[] = [];
  for (let d = 1; d <= depths; d++) {
    const offset = Math.floor(((total - 201) * d) / depths);
    const [before, image] = listImages(db, { ...q, offset: offset - 1, limit: 2 }).items;
    steps.push({ image: image!.id, previous: before!.id, offset, cursor: listImages(db, { ...q, offset: offset - 1, limit: 1 }).next! });
  }
  const step = (id: number) => imageNeighbours(db, imageNeighboursSchema.parse({ ...query, id }));
  const oldStep = (id: number) => neighboursBefore(db, query, keyOf.get(id) as string | number, id);
  // A write to another table moves the catalogue version: the filter's count goes (the checkpoints stay: see
  // steps-after-writes.ts for writes that move images). The grid's next page counts the filter again (untimed:
  // both paths need it), then the step is timed.
  const afterChange = () => {
    bump.run(String(performance.now()));
    listImages(db, q);
  };
  for (const s of steps) {
    afterChange();
    const first = timed(() => step(s.image));
    sums.first += first.ms;
    sums.firstCpu += first.cpuMs;
    // The step must be right, not only fast.
    if (first.value.previous !== s.previous || first.value.position !== s.offset + 1)
      throw new Error(`${label}: images.neighbours of the image at ${s.offset} is wrong (${JSON.stringify(first.value)})`);
    afterChange();
    const old = timed(() => oldStep(s.image));
    sums.oldFirst += old.ms;
    sums.oldFirstCpu += old.cpuMs;
    if (old.value.position !== s.offset + 1) throw new Error(`${label}: the previous count at ${s.offset} is wrong`);
  }
  // The same steps again, the catalogue unchanged: both paths as a curator stepping around one place meets them.
  for (const s of steps) step(s.image);
  for (const s of steps) {
    const again = timed(() => step(s.image));
    sums.again += again.ms;
    sums.againCpu += again.cpuMs;
    if (again.value.position !== s.offset + 1) throw new Error(`${label}: second step at ${s.offset} is wrong`);
    const old = timed(() => oldStep(s.image));
    sums.before += old.ms;
    sums.beforeCpu += old.cpuMs;
    sums.page += timed(() => listImages(db, { ...q, after: s.cursor })).ms;
  }
  // The arrow key through the listing from its middle: each step the next image's neighbours and place.
  const middle = steps[Math.floor(depths / 2)]!;
  let id = middle.image;
  let position = middle.offset + 1;
  const arrow = timed(() => {
    for (let n = 0; n < 50; n++) {
      const r = step(id);
      if (r.position !== position++ || r.next === null) throw new Error(`${label}: arrow step ${n} is wrong`);
      id = r.next;
    }
  });
  const per = (ms: number) => +(ms / depths).toFixed(2);
  return {
    query: label,
    depths,
    firstAfterChangeMs: per(sums.first),
    beforeFirstAfterChangeMs: per(sums.oldFirst),
    againMs: per(sums.again),
    beforeMs: per(sums.before),
    arrowStepMs: +(arrow.ms / 50).toFixed(2),
    keysetPageMs: per(sums.page),
    firstAfterChangeCpuMs: per(sums.firstCpu),
    beforeFirstAfterChangeCpuMs: per(sums.oldFirstCpu),
    againCpuMs: per(sums.againCpu),
    beforeCpuMs: per(sums.beforeCpu),
  };
}

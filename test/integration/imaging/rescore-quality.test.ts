// A library scored by older quality formulas is re-scored: by the explicit job (original, else derivative) and by
// the next ingest; the stored version, components and HQ flag match what a fresh ingest computes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { countOutdatedQuality } from '../../../src-main/core/imaging/rescore-quality';
import { QUALITY_VERSION } from '../../../src-shared/defaults';
import { makePhoto, renderPhotoRaw } from '../../fixtures/synthetic-photos';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface QualityRow {
  id: number;
  quality_score: number;
  quality_sharpness: number;
  quality_noise: number;
  quality_artefacts: number;
  quality_version: number;
}

describe('re-scoring quality after the formulas changed', () => {
  it('brings every image to the current version, from the original or else the derivative, and on the next ingest', async () => {
    const { dir: folder, cleanup } = makeTempDir('sporeprint-rescore-');
    cleanups.push(cleanup);
    mkdirSync(folder, { recursive: true });
    const raw = await renderPhotoRaw(4401, 800, 600);
    // A heavily compressed JPEG: the new artefact component must see its blocks again after the re-score.
    writeFileSync(path.join(folder, 'blocky.jpg'), await sharp(raw.data, { raw }).jpeg({ quality: 10 }).toBuffer());
    writeFileSync(path.join(folder, 'clean.jpg'), await makePhoto(4402, { width: 800, height: 600 }));
    writeFileSync(path.join(folder, 'moved-away.jpg'), await makePhoto(4403, { width: 800, height: 600 }));
    const { lib, cleanup: close } = openTempLibrary();
    cleanups.push(close);
    expect((await lib.waitForJob((await lib.invoke('ingest.start', { paths: [folder] })).jobId)).status).toBe('completed');
    const read = () =>
      lib.db
        .prepare(`SELECT id, quality_score, quality_sharpness, quality_noise, quality_artefacts, quality_version FROM image ORDER BY id`)
        .all() as QualityRow[];
    const fresh = read();
    expect(fresh.every((r) => r.quality_version === QUALITY_VERSION)).toBe(true);
    const blocky = fresh.reduce((a, b) => (b.quality_artefacts < a.quality_artefacts ? b : a));
    expect(blocky.quality_artefacts).toBeLessThan(60);

    // What a library of version 1 looks like: old scores, no artefact component.
    const downgrade = () =>
      lib.db.prepare(`UPDATE image SET quality_version = 1, quality_artefacts = 100, quality_score = 1, quality_sharpness = 1`).run();
    downgrade();
    rmSync(path.join(folder, 'moved-away.jpg'));
    expect(countOutdatedQuality(lib.db)).toBe(3);
    const job = await lib.waitForJob((await lib.invoke('quality.rescore', {})).jobId);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ fromOriginal: 2, fromDerivative: 1, skipped: 0 });
    const rescored = read();
    expect(countOutdatedQuality(lib.db)).toBe(0);
    for (const [i, row] of rescored.entries()) {
      expect(row.quality_version).toBe(QUALITY_VERSION);
      // From the original the score is the ingest's (libvips may resample a pixel differently off the decode worker);
      // from the derivative (re-encoded at JPEG/WebP quality) it is close.
      expect(Math.abs(row.quality_score - fresh[i]!.quality_score)).toBeLessThan(i < 2 ? 0.5 : 8);
    }
    expect(rescored.find((r) => r.id === blocky.id)!.quality_artefacts).toBeLessThan(60);

    // The next ingest (here of a folder with nothing new) catches up too.
    downgrade();
    const { dir: empty, cleanup: cleanEmpty } = makeTempDir('sporeprint-rescore-empty-');
    cleanups.push(cleanEmpty);
    mkdirSync(empty, { recursive: true });
    writeFileSync(path.join(empty, 'new.jpg'), await makePhoto(4404, { width: 640, height: 480 }));
    const ingest = await lib.waitForJob((await lib.invoke('ingest.start', { paths: [empty] })).jobId);
    expect(ingest.status).toBe('completed');
    expect(ingest.result).toMatchObject({ qualityRescored: { fromOriginal: 2, fromDerivative: 1, skipped: 0 } });
    expect(countOutdatedQuality(lib.db)).toBe(0);
    const detail = await lib.invoke('images.get', { id: blocky.id });
    expect(detail.quality.artefacts).toBeLessThan(60);
    expect(detail.qualityScore).toBe(read().find((r) => r.id === blocky.id)!.quality_score);
  });
});

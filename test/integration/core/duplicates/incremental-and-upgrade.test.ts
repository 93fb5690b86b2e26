// Incremental clustering after a second ingest equals a full re-clustering; old fingerprints are upgraded.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Library } from '../../../../src-main/core/library';
import { FINGERPRINT_VERSION, parseFingerprint } from '../../../../src-main/core/imaging/fingerprint';
import { reclusterAll } from '../../../../src-main/core/duplicates/recluster';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { makeVariant } from '../../../fixtures/variants';
import { ingestAndWait, makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function memberships(lib: Library): Promise<string[]> {
  const { clusters } = await lib.invoke('duplicates.clusters', { limit: 10_000, includeResolved: true });
  return clusters
    .map((c) =>
      c.members
        .map((m) => m.imageId)
        .sort((a, b) => a - b)
        .join(','),
    )
    .sort();
}

async function openLibrary(dir: string): Promise<Library> {
  const lib = Library.open(dir, { env: {} });
  cleanups.push(() => lib.close());
  return lib;
}

describe('incremental clustering', () => {
  it('adds copies ingested later to existing clusters exactly as a full re-clustering would', async () => {
    const photos = makeTempDir('sporeprint-incr-');
    const libDir = makeTempDir('sporeprint-incr-lib-');
    cleanups.push(photos.cleanup, libDir.cleanup);
    mkdirSync(path.join(photos.dir, 'first'));
    mkdirSync(path.join(photos.dir, 'second'));
    const a = await makePhoto(11, { width: 800, height: 600 });
    const b = await makePhoto(12, { width: 800, height: 600 });
    writeFileSync(path.join(photos.dir, 'first', 'a.jpg'), a);
    writeFileSync(path.join(photos.dir, 'first', 'a-flip.jpg'), await makeVariant(a, 'flip'));
    writeFileSync(path.join(photos.dir, 'first', 'b.jpg'), b);
    writeFileSync(path.join(photos.dir, 'second', 'a-crop.jpg'), await makeVariant(a, 'crop-20'));
    writeFileSync(path.join(photos.dir, 'second', 'b-thumb.jpg'), await makeVariant(b, 'square-thumb'));
    writeFileSync(path.join(photos.dir, 'second', 'c.jpg'), await makePhoto(13, { width: 800, height: 600 }));

    const lib = await openLibrary(libDir.dir);
    await ingestAndWait(lib, [path.join(photos.dir, 'first')]);
    expect(await memberships(lib)).toHaveLength(1);
    await ingestAndWait(lib, [path.join(photos.dir, 'second')]);
    const incremental = await memberships(lib);
    expect(incremental).toHaveLength(2);
    expect(incremental.map((m) => m.split(',').length).sort()).toEqual([2, 3]);
    await reclusterAll(lib, 10);
    expect(await memberships(lib)).toEqual(incremental);
  }, 120_000);
});

describe('fingerprint upgrade', () => {
  it('recomputes outdated fingerprints from the stored 320 px derivative and clusters them', async () => {
    const photos = makeTempDir('sporeprint-upgrade-');
    const libDir = makeTempDir('sporeprint-upgrade-lib-');
    cleanups.push(photos.cleanup, libDir.cleanup);
    const a = await makePhoto(21, { width: 800, height: 600 });
    writeFileSync(path.join(photos.dir, 'a.jpg'), a);
    writeFileSync(path.join(photos.dir, 'a-rot.jpg'), await makeVariant(a, 'rotate-90'));
    writeFileSync(path.join(photos.dir, 'other.jpg'), await makePhoto(22, { width: 800, height: 600 }));
    let lib = await openLibrary(libDir.dir);
    await ingestAndWait(lib, [photos.dir]);
    // Make it look like a catalogue written by fingerprint version 1, before clusters existed.
    lib.db.prepare(`UPDATE image SET fingerprint = zeroblob(64), fingerprint_version = 1`).run();
    lib.db.prepare(`DELETE FROM cluster`).run();
    lib.db.prepare(`DELETE FROM setting WHERE key = 'duplicate_threshold'`).run();
    await lib.close();

    lib = await openLibrary(libDir.dir);
    // Reading clusters is a pure read (it never upgrades or saves); re-clustering (the next ingest, or Apply
    // threshold) upgrades the outdated fingerprints first.
    await reclusterAll(lib, 10);
    expect(await memberships(lib)).toHaveLength(1);
    const rows = lib.db.prepare(`SELECT fingerprint, fingerprint_version AS version FROM image`).all() as {
      fingerprint: Buffer;
      version: number;
    }[];
    expect(rows.every((r) => r.version === FINGERPRINT_VERSION && parseFingerprint(r.fingerprint) !== null)).toBe(true);
    // The decoded original is gone, so the exact-pixel digest is unknown rather than wrong.
    expect(rows.every((r) => parseFingerprint(r.fingerprint)!.pixelDigest === null)).toBe(true);
  }, 120_000);
});

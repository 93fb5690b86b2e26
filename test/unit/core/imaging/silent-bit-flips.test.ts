// Silent bit flips (issue 13): one flipped bit in a JPEG or WebP that libvips decodes without a warning. Copies of
// real ../shared/data photos get one random bit flipped each (fixed seed); counted: refused by the libvips-only
// decode (before) and by decodeUpright, which also walks a baseline JPEG's coded data (now). Every intact
// shared-data photo must decode as before (false rejections = 0). Prints the figures.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeStrictly, decodeUpright } from '../../../../src-main/core/imaging/decode';
import { checkJpegEntropy } from '../../../../src-main/core/imaging/jpeg-entropy-check';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath, speciesOfHalf } from '../../../fixtures/shared-data';

const EDGE = 1600;

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

async function refusal(bytes: Buffer, decode: typeof decodeUpright, file: string): Promise<string | null> {
  return decode(bytes, EDGE, file).then(
    () => null,
    (err: Error) => err.message,
  );
}

async function pixels(bytes: Buffer): Promise<Buffer | null> {
  return sharp(bytes, { failOn: 'none' })
    .resize(64, 64, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer()
    .catch(() => null);
}

describe.skipIf(!hasSharedData)('silent bit flips', () => {
  it('no intact shared-data photo is refused, in any format, nor its JPEG re-encodings', async () => {
    const files = [
      ...readdirSync(sharedDataPath('photos')).map((name) => sharedDataPath('photos', name)),
      ...readdirSync(sharedDataPath('hq')).map((name) => sharedDataPath('hq', name)),
      ...readdirSync(sharedDataPath('mushroom-observer'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) =>
          readdirSync(sharedDataPath('mushroom-observer', e.name))
            .filter((name) => name.endsWith('.webp'))
            .map((name) => sharedDataPath('mushroom-observer', e.name, name)),
        ),
    ];
    const falseRejections: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      const before = await refusal(bytes, decodeStrictly, file);
      const now = await refusal(bytes, decodeUpright, file);
      // truncated.jpg is broken on purpose: refused before and now alike.
      if (now !== before) falseRejections.push(`${path.basename(file)}: ${now}`);
    }
    // sharp's and mozjpeg's encoders, 4:2:0 and 4:4:4: the entropy walk finds all of them consistent.
    const reencoded: string[] = [];
    for (const code of speciesOfHalf('eval').slice(0, 25)) {
      const source = readFileSync(sharedDataPath('mushroom-observer', code, 'image_0.webp'));
      for (const options of [{}, { mozjpeg: true }, { quality: 95, chromaSubsampling: '4:4:4' }]) {
        const fault = checkJpegEntropy(await sharp(source).jpeg(options).toBuffer());
        if (fault) reencoded.push(`${code} ${JSON.stringify(options)}: ${fault.reason}`);
      }
    }
    console.log(
      `intact: ${files.length} shared-data files and 75 JPEG re-encodings, false rejections ${falseRejections.length + reencoded.length}`,
    );
    expect(files.length).toBeGreaterThan(300);
    expect(falseRejections).toEqual([]);
    expect(reencoded).toEqual([]);
  }, 600_000);

  it('refuses more bit-flipped JPEGs than libvips alone, each with a reason naming the file', async () => {
    const next = random(20261205);
    const sources: { kind: string; name: string; bytes: Buffer }[] = [
      ...readdirSync(sharedDataPath('hq')).map((name) => ({
        kind: 'jpeg (hq originals)',
        name,
        bytes: readFileSync(sharedDataPath('hq', name)),
      })),
    ];
    for (const code of speciesOfHalf('eval').slice(0, 40)) {
      const webp = readFileSync(sharedDataPath('mushroom-observer', code, 'image_0.webp'));
      sources.push({ kind: 'jpeg (re-encoded)', name: `${code}.jpg`, bytes: await sharp(webp).jpeg().toBuffer() });
      sources.push({ kind: 'webp (originals)', name: `${code}.webp`, bytes: webp });
    }
    const table: Record<string, { flipped: number; before: number; now: number; newlyDamaged: number }> = {};
    const unnamed: string[] = [];
    for (const source of sources) {
      const clean = await pixels(source.bytes);
      const copies = source.kind.startsWith('jpeg (hq') ? 4 : 2;
      for (let k = 0; k < copies; k++) {
        const bytes = Buffer.from(source.bytes);
        bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
        const file = `/flipped/${k}-${source.name}`;
        const before = await refusal(bytes, decodeStrictly, file);
        const now = await refusal(bytes, decodeUpright, file);
        const row = (table[source.kind] ??= { flipped: 0, before: 0, now: 0, newlyDamaged: 0 });
        row.flipped++;
        if (before) row.before++;
        if (now) row.now++;
        if (now && !now.startsWith(`${file}: damaged image data`) && !now.startsWith(`${file}: cannot`)) unnamed.push(now);
        if (now && !before) {
          // Newly refused: the lenient decode shows other pixels than the intact file (real damage, not a quirk).
          const shown = await pixels(bytes);
          if (!shown || !clean || !shown.equals(clean)) row.newlyDamaged++;
        }
      }
    }
    console.log('one random bit flipped per copy (fixed seed); refused by the libvips decode alone (before) and by decodeUpright (now)');
    for (const [kind, r] of Object.entries(table))
      console.log(
        `  ${kind.padEnd(20)} ${r.flipped} copies: refused before ${r.before}, now ${r.now} (accepted ${r.flipped - r.before} -> ${r.flipped - r.now}); newly refused with changed pixels ${r.newlyDamaged}/${r.now - r.before}`,
      );
    const jpeg = Object.entries(table).filter(([kind]) => kind.startsWith('jpeg'));
    expect(jpeg.reduce((n, [, r]) => n + r.now, 0)).toBeGreaterThan(jpeg.reduce((n, [, r]) => n + r.before, 0));
    for (const r of Object.values(table)) expect(r.newlyDamaged).toBe(r.now - r.before);
    expect(unnamed).toEqual([]);
  }, 600_000);
});

if (!hasSharedData) console.warn(SHARED_DATA_SKIP_REASON);

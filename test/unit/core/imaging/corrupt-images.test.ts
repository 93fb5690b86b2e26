// Visibly corrupt files are refused, fine ones kept (issue 13 part 6): a fuzz corpus of byte-flipped and
// truncated copies of real photographs, made here by code, decoded as ingest decodes them. Prints the figures.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../../../src-main/core/imaging/analyze-image';
import { decodeUpright, saysPixelsAreDamaged, SHARP_INPUT } from '../../../../src-main/core/imaging/decode';
import { checkJpegEntropy } from '../../../../src-main/core/imaging/jpeg-entropy-check';
import { pngBomb } from '../../../fixtures/messy-folder';
import { hasSharedData, SHARED_DATA_SKIP_REASON, sharedDataPath, speciesOfHalf } from '../../../fixtures/shared-data';
import { makeTempDir } from '../../../fixtures/temp-library';

const FORMATS = ['jpeg', 'png', 'webp'] as const;
/**
 * Visibly corrupt: a mean absolute difference (0-255) from the clean decode of at least 2 over the picture, or a
 * damaged patch (at least 1% of the pixel values off by more than 32: a grey band at the bottom, a shifted block).
 */
const VISIBLE_MEAN_DIFF = 2;
const PATCH_DIFF = 32;
const PATCH_SHARE = 0.01;

function isVisiblyCorrupt(shown: Buffer | null, reference: Buffer): boolean {
  if (!shown) return true;
  let sum = 0;
  let off = 0;
  for (let i = 0; i < shown.length; i++) {
    const d = Math.abs(shown[i]! - reference[i]!);
    sum += d;
    if (d > PATCH_DIFF) off++;
  }
  return sum / shown.length >= VISIBLE_MEAN_DIFF || off / shown.length >= PATCH_SHARE;
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** The picture as a lenient decoder shows it (failOn none), 128 px square, or null when nothing decodes. */
async function lenientPixels(bytes: Buffer): Promise<Buffer | null> {
  try {
    return await sharp(bytes, { failOn: 'none' }).resize(128, 128, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  } catch {
    return null;
  }
}

async function accepted(decode: () => Promise<unknown>): Promise<boolean> {
  return decode().then(
    () => true,
    () => false,
  );
}

/** The rule before this change: one decode that fails on libvips errors only. */
async function decodedByOldRule(bytes: Buffer): Promise<boolean> {
  return accepted(() => sharp(bytes, SHARP_INPUT).rotate().resize(1600, 1600, { fit: 'inside' }).raw().toBuffer());
}

describe.skipIf(!hasSharedData)('corrupt image detection on a fuzz corpus', () => {
  it('refuses damaged data the old rule accepted, and keeps every file that still shows the clean picture', async () => {
    const species = speciesOfHalf('eval').slice(0, 12);
    const table: Record<
      string,
      { visiblyBad: number; badAccepted: number; badAcceptedOld: number; fine: number; fineRefused: number; fineLost: number }
    > = {};
    const damagedButAccepted: string[] = [];
    for (const [s, code] of species.entries()) {
      const source = readFileSync(sharedDataPath('mushroom-observer', code, 'image_0.webp'));
      for (const format of FORMATS) {
        const clean = format === 'webp' ? source : await sharp(source)[format]().toBuffer();
        const reference = (await lenientPixels(clean))!;
        const next = random(1000 * s + format.length);
        for (let k = 0; k < 10; k++) {
          const kind = k % 2 === 0 ? 'truncated' : 'flipped';
          let bytes = Buffer.from(clean);
          if (kind === 'truncated') bytes = bytes.subarray(0, Math.floor(bytes.length * (0.3 + 0.69 * next())));
          else for (let j = 0; j < 5; j++) bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
          const visiblyCorrupt = isVisiblyCorrupt(await lenientPixels(bytes), reference);
          const isAccepted = await accepted(() => decodeUpright(bytes, 1600));
          const row = (table[`${format} ${kind}`] ??= {
            visiblyBad: 0,
            badAccepted: 0,
            badAcceptedOld: 0,
            fine: 0,
            fineRefused: 0,
            fineLost: 0,
          });
          if (visiblyCorrupt) {
            row.visiblyBad++;
            if (isAccepted) row.badAccepted++;
            if (await decodedByOldRule(bytes)) row.badAcceptedOld++;
          } else {
            row.fine++;
            if (!isAccepted) row.fineRefused++;
            // Refused now but decoded by the old rule: a file this change would lose, unless its JPEG coded data is
            // provably inconsistent (like a PNG's CRC: damaged bytes, however little of the picture they change).
            if (!isAccepted && (await decodedByOldRule(bytes)) && !checkJpegEntropy(bytes)) row.fineLost++;
          }
          if (isAccepted) {
            // Whatever is kept must not carry a decoder message about damaged data.
            const warnings: string[] = [];
            const pipeline = sharp(bytes, { failOn: 'none' });
            pipeline.on('warning', (w: string) => warnings.push(w));
            await pipeline.raw().toBuffer();
            if (warnings.some(saysPixelsAreDamaged)) damagedButAccepted.push(`${code} ${format} ${kind}: ${warnings.join(' / ')}`);
          }
        }
      }
    }
    console.log(
      'fuzz corpus (12 eval species x 3 formats x 10 mutations): visibly corrupt = mean |diff| >= 2 vs the clean decode or >= 1% of values off by > 32; ' +
        'fine = below (a truncation, a CRC fault or inconsistent JPEG coded data may still look fine: those are refused)',
    );
    for (const [key, r] of Object.entries(table))
      console.log(
        `  ${key.padEnd(16)} visibly corrupt ${r.visiblyBad}: accepted now ${r.badAccepted} (before ${r.badAcceptedOld}); fine ${r.fine}: refused ${r.fineRefused} (newly ${r.fineLost})`,
      );
    const total = Object.values(table).reduce(
      (t, r) => ({
        bad: t.bad + r.visiblyBad,
        now: t.now + r.badAccepted,
        before: t.before + r.badAcceptedOld,
        fine: t.fine + r.fine,
        refused: t.refused + r.fineRefused,
        lost: t.lost + r.fineLost,
      }),
      { bad: 0, now: 0, before: 0, fine: 0, refused: 0, lost: 0 },
    );
    console.log(
      `  total: visibly corrupt ${total.bad}, accepted ${total.now} (before ${total.before}); fine ${total.fine}, refused ${total.refused} (newly ${total.lost})`,
    );
    expect(damagedButAccepted).toEqual([]);
    expect(total.lost).toBe(0);
    expect(total.now).toBeLessThan(total.before);
  }, 240_000);
});

describe.skipIf(!hasSharedData)('real photographs', () => {
  it('every file of ../shared/data/photos and the eval half decodes now exactly when it decoded before', async () => {
    const files = [
      ...readdirSync(sharedDataPath('photos')).map((name) => sharedDataPath('photos', name)),
      ...speciesOfHalf('eval').flatMap((code) =>
        readdirSync(sharedDataPath('mushroom-observer', code))
          .filter((name) => name.endsWith('.webp'))
          .map((name) => sharedDataPath('mushroom-observer', code, name)),
      ),
    ];
    const differs: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      const before = await decodedByOldRule(bytes);
      const now = await accepted(() => decodeUpright(bytes, 1600));
      if (before !== now) differs.push(`${path.basename(file)}: before ${before}, now ${now}`);
    }
    expect(files.length).toBeGreaterThan(100);
    expect(differs).toEqual([]);
  }, 240_000);
});

describe('decoder warnings', () => {
  it('keeps a PNG whose only fault is an ancillary chunk with a bad CRC (a benign warning)', async () => {
    const png = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#884422' } })
      .png()
      .toBuffer();
    const text = Buffer.concat([Buffer.from('tEXt'), Buffer.from('Comment\0hello')]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length - 4);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((crc32(text) ^ 1) >>> 0);
    // After the signature (8 bytes) and IHDR (25 bytes).
    const withBadText = Buffer.concat([png.subarray(0, 33), length, text, crc, png.subarray(33)]);
    const image = await decodeUpright(withBadText, 1600);
    expect([image.width, image.height]).toEqual([200, 150]);
  });
});

describe('header checks before decoding', () => {
  it('refuses a 32 x 3,000,000 image for its aspect ratio, from the header', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      await expect(analyzeImage(pngBomb(32, 3_000_000), 'a'.repeat(64), dir, path.join(dir, 'strip.png'))).rejects.toMatchObject({
        code: 'EXTREME_ASPECT_RATIO',
        message: expect.stringMatching(/32x3000000 has an aspect ratio of 1:93750, beyond the 1:50 limit/),
      });
      // A wide panorama is still a photograph.
      const panorama = await sharp({ create: { width: 2000, height: 100, channels: 3, background: '#336699' } })
        .jpeg()
        .toBuffer();
      await expect(analyzeImage(panorama, 'b'.repeat(64), dir, path.join(dir, 'pano.jpg'))).resolves.toMatchObject({ width: 2000 });
    } finally {
      cleanup();
    }
  });
});

if (!hasSharedData) console.warn(SHARED_DATA_SKIP_REASON);

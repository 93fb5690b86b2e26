// Builds a small, realistic-looking demo folder: taxon-named folders, a CSV sidecar with licences,
// near-duplicate copies (resized, flipped, cropped) and a few broken files, so every feature has material.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { writeDemoManifest } from './demo-manifest';
import { makePhoto } from './synthetic-photos';

const TAXA = [
  'Amanita muscaria',
  'Boletus edulis',
  'Cantharellus cibarius',
  'Morchella esculenta',
  'Trametes versicolor',
  'Pleurotus ostreatus',
];
const LICENSES = ['CC BY 4.0', 'CC BY-SA 3.0', 'CC0 1.0', 'CC BY-NC 4.0'];

export interface DemoFolder {
  root: string;
  photos: number;
}

/** Builds the demo into `root` (missing or empty); the manifest written last marks the build complete. */
export async function buildDemoFolder(root: string, photosPerTaxon = 4): Promise<DemoFolder> {
  let photos = 0;
  const written: string[] = [];
  const write = (file: string, bytes: Buffer | string) => {
    writeFileSync(file, bytes);
    written.push(file);
  };
  for (const [t, taxon] of TAXA.entries()) {
    const dir = path.join(root, taxon);
    mkdirSync(dir, { recursive: true });
    const rows = ['file,scientific_name,license,photographer,source_url,observation_id'];
    for (let i = 0; i < photosPerTaxon; i++) {
      const seed = 1000 + t * 50 + i;
      const large = i === 0;
      const bytes = await makePhoto(seed, { width: large ? 2400 : 900 + 37 * i, height: large ? 1600 : 700 + 23 * i });
      const name = `IMG_${seed}.jpg`;
      write(path.join(dir, name), bytes);
      rows.push(
        `${name},${taxon},${LICENSES[(t + i) % LICENSES.length]},Demo Photographer ${t + 1},https://example.org/obs/${seed},obs-${t}-${Math.floor(i / 2)}`,
      );
      photos++;
      if (i === 1) {
        // Curators' folders are full of these: an exported copy, a mirrored one, a cropped one.
        write(path.join(dir, `IMG_${seed}_small.jpg`), await sharp(bytes).resize(480).jpeg({ quality: 80 }).toBuffer());
        write(path.join(dir, `IMG_${seed}_flipped.jpg`), await sharp(bytes).flop().jpeg({ quality: 88 }).toBuffer());
        photos += 2;
      }
    }
    write(path.join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
  }
  const misc = path.join(root, 'unsorted');
  mkdirSync(misc, { recursive: true });
  write(path.join(misc, 'scan-notes.jpg'), 'not a photo: field notes saved with the wrong extension\n');
  write(path.join(misc, 'empty.jpg'), Buffer.alloc(0));
  const whole = await makePhoto(4242, { width: 1200, height: 900 });
  write(path.join(misc, 'interrupted-copy.jpg'), whole.subarray(0, whole.length >> 1));
  writeDemoManifest(root, written);
  return { root, photos };
}

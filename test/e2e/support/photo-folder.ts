// Builds the messy folder the end-to-end test imports: taxon folders, a near-duplicate, a broken file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeVariant } from '../../fixtures/variants';

export const E2E_TAXA: Record<string, number[]> = {
  'Amanita muscaria': [1, 2, 3, 4],
  'Boletus edulis': [10, 11, 12],
  'Trametes versicolor': [20, 21],
};

export interface PhotoFolder {
  root: string;
  /** Distinct photographs written (the near-duplicate counts as one more image). */
  images: number;
  brokenFile: string;
  /** A photo whose exact bytes are in the folder, for image search. */
  queryPhoto: string;
}

export async function writePhotoFolder(root: string): Promise<PhotoFolder> {
  let images = 0;
  let queryPhoto = '';
  for (const [taxon, seeds] of Object.entries(E2E_TAXA)) {
    const dir = path.join(root, taxon);
    mkdirSync(dir, { recursive: true });
    // A sidecar gives every photo an allowed licence and an attribution, so the export has something to write.
    const rows = seeds.map((seed) => `IMG_${seed}.jpg,CC-BY,Test Photographer ${seed}`);
    writeFileSync(path.join(dir, 'photos.csv'), ['file,license,attribution', ...rows].join('\n') + '\n');
    for (const seed of seeds) {
      const file = path.join(dir, `IMG_${seed}.jpg`);
      writeFileSync(file, await makePhoto(seed, { width: 640, height: 480 }));
      images++;
      if (!queryPhoto) queryPhoto = file;
    }
  }
  // A resized copy of the first Amanita: the duplicates view must show it in a cluster.
  const original = await makePhoto(1, { width: 640, height: 480 });
  writeFileSync(path.join(root, 'Amanita muscaria', 'IMG_1-small.jpg'), await makeVariant(original, 'resize'));
  images++;
  const brokenFile = path.join(root, 'Boletus edulis', 'broken.jpg');
  writeFileSync(brokenFile, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400, 7)]));
  writeFileSync(path.join(root, 'notes.txt'), 'field notes, not a photo\n');
  return { root, images, brokenFile, queryPhoto };
}

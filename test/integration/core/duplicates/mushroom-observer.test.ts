// Real photographs through the whole confirmation (hash candidates, then the content check): thumbnails join their
// photo, distinct photos of one species never merge (hard negatives).
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../../../src-shared/defaults';
import { confirmPair, type PairSubject } from '../../../../src-main/core/duplicates/confirm-candidates';
import { pairSubjectOfBytes } from '../../../fixtures/fingerprint-of';
import { hasSharedData, sharedDataPath } from '../../../fixtures/shared-data';
import { makeVariant, VARIANTS } from '../../../fixtures/variants';

interface SpeciesFiles {
  code: string;
  photos: { bytes: Buffer; fp: PairSubject }[];
  thumb: PairSubject;
}

const T = DEFAULT_DUPLICATE_THRESHOLD;
const same = (a: PairSubject, b: PairSubject) => confirmPair(a, b, T) !== null;
const species: SpeciesFiles[] = [];

describe.skipIf(!hasSharedData)('mushroom-observer near-duplicates', () => {
  beforeAll(async () => {
    const root = sharedDataPath('mushroom-observer');
    const codes = readdirSync(root)
      .filter((d) => existsSync(path.join(root, d, 'metadata.json')))
      .sort();
    for (const code of codes) {
      const photos = [];
      for (const name of ['image_0.webp', 'image_1.webp']) {
        const file = path.join(root, code, name);
        if (!existsSync(file)) continue;
        const bytes = readFileSync(file);
        photos.push({ bytes, fp: await pairSubjectOfBytes(bytes) });
      }
      species.push({ code, photos, thumb: await pairSubjectOfBytes(readFileSync(path.join(root, code, 'thumb.webp'))) });
    }
  }, 300_000);

  it('never merges the two different photographs of a species', () => {
    const merged = species.filter(
      (s) => s.photos.length === 2 && !s.photos[0]!.bytes.equals(s.photos[1]!.bytes) && same(s.photos[0]!.fp, s.photos[1]!.fp),
    );
    expect(merged.map((s) => s.code)).toEqual([]);
  }, 120_000);

  it('joins each thumbnail to exactly one photo of its species (both when they are byte-identical)', () => {
    const joinedToNone: string[] = [];
    const joinedToBoth: string[] = [];
    for (const s of species) {
      const matches = s.photos.filter((p) => same(s.thumb, p.fp)).length;
      const identical = s.photos.length === 2 && s.photos[0]!.bytes.equals(s.photos[1]!.bytes);
      if (matches === 0) joinedToNone.push(s.code);
      if (matches === 2 && !identical) joinedToBoth.push(s.code);
    }
    expect(joinedToBoth).toEqual([]);
    // armsin's thumbnail shows a third photograph (checked by eye), so it must match neither.
    expect(joinedToNone).toEqual(['armsin']);
  }, 300_000);

  it('merges nothing across species', () => {
    const all = species.flatMap((s) => [...s.photos.map((p) => ({ code: s.code, fp: p.fp })), { code: s.code, fp: s.thumb }]);
    const wrong: string[] = [];
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++)
        if (all[i]!.code !== all[j]!.code && same(all[i]!.fp, all[j]!.fp)) wrong.push(`${all[i]!.code}~${all[j]!.code}`);
    expect(wrong).toEqual([]);
  }, 300_000);

  it.each(VARIANTS)(
    'recognises the %s copy of real photos and keeps it apart from the other photo',
    async (variant) => {
      for (const s of species.filter((x) => x.photos.length === 2 && !x.photos[0]!.bytes.equals(x.photos[1]!.bytes)).slice(0, 6)) {
        const copy = await pairSubjectOfBytes(await makeVariant(s.photos[0]!.bytes, variant));
        expect(same(copy, s.photos[0]!.fp), `${s.code} ${variant}`).toBe(true);
        expect(same(copy, s.photos[1]!.fp), `${s.code} ${variant} vs the other photo`).toBe(false);
      }
    },
    120_000,
  );
});

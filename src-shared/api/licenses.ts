// Contract of licences and credit: set (by hand or "my photos" default), undo, history and the vocabulary.
import * as z from 'zod';
import type { LicenseFamily } from '../licenses';
import { method, returns } from './define';

const id = z.number().int().positive();

/** Which images: ids, and/or paths of catalogued images or folders (every image catalogued under a folder). */
const targets = {
  imageIds: z.array(id).max(100_000).optional(),
  paths: z.array(z.string().min(1)).max(10_000).optional(),
};
const someTarget = (t: { imageIds?: number[] | undefined; paths?: string[] | undefined }) =>
  (t.imageIds?.length ?? 0) + (t.paths?.length ?? 0) > 0;

export const licenseSetSchema = z
  .object({
    ...targets,
    /** Any spelling the vocabulary reads (CC-BY-4.0, "CC BY 4.0", a deed URL); unknown text is refused. */
    license: z.string().trim().min(1).max(300).optional(),
    attribution: z.string().trim().min(1).max(500).optional(),
    sourceUrl: z.string().trim().url().max(2000).optional(),
    /** Use the library's "my photos" default (licence + name) for what is not given explicitly. */
    mine: z.boolean().default(false),
    /** Only images that have no licence yet (never replaces one a sidecar or source gave). */
    onlyMissing: z.boolean().default(false),
    author: z.string().trim().min(1).max(200).optional(),
    note: z.string().max(2000).optional(),
  })
  .refine(someTarget, { message: 'name at least one image or folder' })
  .refine((s) => s.license !== undefined || s.mine, { message: 'give a licence (or use the "my photos" default)' });

export interface LicenseState {
  imageId: number;
  license: string | null;
  attribution: string | null;
  sourceUrl: string | null;
}

export interface LicenseSetResult {
  /** Groups this command's events; empty commands have none. */
  changeId: number | null;
  license: string;
  attribution: string | null;
  /** Images the targets named. */
  images: number;
  changed: number;
  /** Already exactly so, or skipped by onlyMissing. */
  unchanged: number;
  /** Changed images whose licence needs a credit line that none of them has yet: they stay out of exports. */
  missingAttribution: number;
}

export interface LicenseEvent {
  id: number;
  imageId: number;
  changeId: number;
  at: string;
  author: string | null;
  action: 'set' | 'ingest' | 'normalize' | 'undo';
  from: { license: string | null; attribution: string | null; sourceUrl: string | null };
  to: { license: string | null; attribution: string | null; sourceUrl: string | null };
  note: string | null;
}

export interface MyPhotosDefault {
  license: string;
  attribution: string;
}

export interface LicenseVocabulary {
  /** Ids offered for picking, most open first. */
  pickable: string[];
  families: { family: LicenseFamily; description: string; allowed: boolean }[];
  allowList: string[];
  myPhotos: MyPhotosDefault | null;
}

export const licensesApi = {
  'licenses.set': method(() => licenseSetSchema, returns<LicenseSetResult>()),
  /** Undoes the newest licence change of each image named (repeat to walk further back). */
  'licenses.undo': method(
    () => z.object(targets).refine(someTarget, { message: 'name at least one image or folder' }),
    returns<{ undone: number; images: LicenseState[] }>(),
  ),
  'licenses.history': method(() => z.object({ imageId: id }), returns<LicenseEvent[]>()),
  'licenses.vocabulary': method(() => z.object({}), returns<LicenseVocabulary>()),
  /** Stores the "my photos" default; applied only where the user asks (license set --mine, ingest --mine, the UI). */
  'licenses.setMyPhotos': method(
    () => z.object({ license: z.string().trim().min(1).max(300), attribution: z.string().trim().min(1).max(500) }),
    returns<MyPhotosDefault>(),
  ),
} as const;

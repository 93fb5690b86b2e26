// Which embedding models a library knows: presets, installed CLIP folders, the descriptor, and the active one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelInfo } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { readSetting, writeSetting } from '../catalog/setting-repository';
import { SporeprintError } from '../errors';
import { MODELS_DIR } from '../library-paths';
import { getModel, listModels, type ModelRow } from '../vector/vector-store';
import { detectDtype } from './clip-dtype';
import { DESCRIPTOR_MODEL_ID, DESCRIPTOR_SIZE } from './descriptor-provider';

export interface ModelPreset {
  id: string;
  vectorSize: number;
  description: string;
}

export const MODEL_PRESETS: ModelPreset[] = [
  { id: 'Xenova/clip-vit-base-patch32', vectorSize: 512, description: 'CLIP ViT-B/32, the default: fast on a CPU' },
  { id: 'Xenova/clip-vit-base-patch16', vectorSize: 512, description: 'CLIP ViT-B/16: finer detail, about 4x slower' },
];

const ACTIVE_SETTING = 'embed.active_model';
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

export function assertModelId(id: string): void {
  if (!MODEL_ID.test(id) || id.includes('..')) {
    throw new SporeprintError('INVALID_INPUT', `"${id}" is not a valid model id (use owner/name or name: letters, digits, . _ -)`);
  }
}

/** Library-relative folder of a local model: models/<owner>/<name>, the hub layout. */
export function modelRelativeDir(id: string): string {
  assertModelId(id);
  return path.posix.join(MODELS_DIR, id);
}

export function getActiveModelSetting(db: Db): string | null {
  return readSetting(db, ACTIVE_SETTING) ?? null;
}

export function setActiveModelSetting(db: Db, id: string): void {
  writeSetting(db, ACTIVE_SETTING, id);
}

/** An installed local CLIP model: registered in the catalogue and its folder still holds a vision model. */
export function installedClip(db: Db, libraryDir: string, id: string): (ModelRow & { absoluteDir: string }) | undefined {
  const row = getModel(db, id);
  if (!row || row.kind !== 'clip' || !row.path) return undefined;
  const absoluteDir = path.join(libraryDir, row.path);
  return detectDtype(absoluteDir) ? { ...row, absoluteDir } : undefined;
}

/**
 * The active text/image CLIP model id, or null: the one chosen with `model use`, else CLIP_MODEL from the
 * settings when it is installed. The descriptor is never "active"; it is always computed.
 */
export function activeClipModelId(db: Db, libraryDir: string, configured: string): string | null {
  const chosen = getActiveModelSetting(db);
  if (chosen && chosen !== DESCRIPTOR_MODEL_ID && installedClip(db, libraryDir, chosen)) return chosen;
  if (installedClip(db, libraryDir, configured)) return configured;
  return null;
}

export function noModelError(what: string): SporeprintError {
  return new SporeprintError(
    'MODEL_MISSING',
    `${what} needs a CLIP model and none is installed. Run \`sporeprint model install Xenova/clip-vit-base-patch32\` (online) or \`sporeprint model import <folder>\` (offline)`,
  );
}

export function listModelInfo(db: Db, libraryDir: string, configured: string): ModelInfo[] {
  const active = activeClipModelId(db, libraryDir, configured);
  const rows = new Map(listModels(db).map((r) => [r.id, r]));
  const out: ModelInfo[] = [
    {
      id: DESCRIPTOR_MODEL_ID,
      kind: 'descriptor',
      vectorSize: DESCRIPTOR_SIZE,
      installed: true,
      active: active === null,
      path: null,
      vectorCount: rows.get(DESCRIPTOR_MODEL_ID)?.vectorCount ?? 0,
    },
  ];
  for (const row of rows.values()) {
    if (row.id === DESCRIPTOR_MODEL_ID) continue;
    const installed = row.kind === 'clip' ? installedClip(db, libraryDir, row.id) !== undefined : true;
    out.push({
      id: row.id,
      kind: row.kind,
      vectorSize: row.vectorSize,
      installed,
      active: row.id === active,
      path: row.path,
      vectorCount: row.vectorCount,
    });
  }
  for (const preset of MODEL_PRESETS) {
    if (rows.has(preset.id)) continue;
    out.push({
      id: preset.id,
      kind: 'clip',
      vectorSize: preset.vectorSize,
      installed: false,
      active: false,
      path: existsSync(path.join(libraryDir, modelRelativeDir(preset.id))) ? modelRelativeDir(preset.id) : null,
      vectorCount: 0,
    });
  }
  return out;
}

// The library: its folder, catalogue schema, owner lock, settings and installed models, read without changing any.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DoctorCheck } from '../../../src-shared/api/doctor';
import { openCatalog, type Db } from '../catalog/database';
import { MIGRATIONS, schemaVersion } from '../catalog/migrations';
import { loadConfig, type Config } from '../config';
import { listModelInfo, MODEL_PRESETS } from '../embed/model-catalog';
import { CATALOG_FILE } from '../library-paths';
import { readSyncState } from '../sync/sync-state';
import { check, type DoctorContext } from './doctor-context';
import { lockOwnerCheck } from './lock-owner';

export interface LibraryFindings {
  checks: DoctorCheck[];
  /** The sync target to check: configured, else the last one used. */
  syncUrl: string | undefined;
}

function folderCheck(dir: string): DoctorCheck {
  if (!existsSync(dir)) return check('library', 'folder', 'ok', `${dir} (not created yet: the first start creates it)`);
  if (!statSync(dir).isDirectory())
    return check('library', 'folder', 'error', `${dir} is a file, not a folder`, 'pass a folder with --library (or SPOREPRINT_LIBRARY)');
  try {
    accessSync(dir, constants.R_OK | constants.W_OK);
    return check('library', 'folder', 'ok', dir);
  } catch {
    return check(
      'library',
      'folder',
      'error',
      `${dir} is not writable`,
      `give your user write access to ${dir}, or pick another with --library`,
    );
  }
}

function modelChecks(db: Db, dir: string, config: Config): DoctorCheck[] {
  const models = listModelInfo(db, dir, config.CLIP_MODEL);
  const clips = models.filter((m) => m.kind === 'clip' && m.installed);
  const active = models.find((m) => m.active);
  const checks = [check('models', 'built-in descriptor', 'ok', 'similar-image search works without a model')];
  if (clips.length === 0) {
    checks.push(
      check(
        'models',
        'CLIP models',
        'warn',
        'none installed: text search and taxon suggestions need one',
        `sporeprint model install ${MODEL_PRESETS[0]!.id} (online) or sporeprint model import <folder> (offline)`,
      ),
    );
  } else {
    for (const model of clips) {
      checks.push(
        check(
          'models',
          model.id,
          'ok',
          `${model.vectorSize}-d, ${model.vectorCount} vectors${model.id === active?.id ? ', active' : ''} (${model.path})`,
        ),
      );
    }
  }
  return checks;
}

export function libraryChecks(ctx: DoctorContext): LibraryFindings {
  const dir = ctx.libraryDir;
  const checks = [folderCheck(dir), lockOwnerCheck(dir, ctx.now())];
  let config: Config;
  try {
    config = loadConfig(dir, ctx.env);
  } catch (err) {
    checks.push(
      check(
        'library',
        'settings',
        'error',
        (err as Error).message,
        `fix ${path.join(dir, 'config.json')} or the environment variable named`,
      ),
    );
    return { checks, syncUrl: undefined };
  }
  const file = path.join(dir, CATALOG_FILE);
  if (!ctx.db && !existsSync(file)) {
    checks.push(check('library', 'catalogue', 'ok', `${file} (not created yet)`));
    checks.push(check('models', 'models', 'skipped', 'no catalogue yet'));
    return { checks, syncUrl: config.SPOREPRINT_PG_URL };
  }
  let db: Db;
  try {
    // Read-only: the diagnostics never migrate or create a catalogue.
    db = ctx.db ?? openCatalog(file, { readonly: true });
  } catch (err) {
    checks.push(
      check('library', 'catalogue', 'error', `${file} cannot be opened: ${(err as Error).message}`, 'see the native modules above'),
    );
    return { checks, syncUrl: config.SPOREPRINT_PG_URL };
  }
  try {
    const version = schemaVersion(db);
    const latest = MIGRATIONS.length;
    checks.push(
      version > latest
        ? check(
            'library',
            'catalogue',
            'error',
            `${file}: schema ${version} is newer than this Sporeprint (${latest})`,
            'update Sporeprint',
          )
        : check(
            'library',
            'catalogue',
            'ok',
            `${file}: schema ${version}${version < latest ? ` (brought to ${latest} when next opened)` : ''}`,
          ),
    );
    let syncUrl = config.SPOREPRINT_PG_URL;
    if (version >= latest) {
      syncUrl ??= readSyncState(db, 'url');
      checks.push(...modelChecks(db, dir, config));
    } else {
      checks.push(check('models', 'models', 'skipped', 'the catalogue is upgraded first'));
    }
    return { checks, syncUrl };
  } finally {
    if (!ctx.db) db.close();
  }
}

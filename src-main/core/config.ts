// Settings: defaults, then the library's config.json, then environment variables (highest).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import {
  DEFAULT_CLIP_MODEL,
  DEFAULT_DUPLICATE_THRESHOLD,
  DEFAULT_IMAGE_BATCH_SIZE,
  DEFAULT_IMAGE_TARGET_SIZE,
  DEFAULT_LICENSE_ALLOW_LIST,
  DEFAULT_MAX_FILE_MB,
} from '../../src-shared/defaults';
import { SporeprintError } from './errors';

export const CONFIG_FILE = 'config.json';

const configSchema = z.object({
  IMAGE_MAX_SIZE_MB: z.coerce.number().positive().default(DEFAULT_MAX_FILE_MB),
  IMAGE_EMBEDDING_PROVIDER: z.enum(['local', 'remote', 'ollama', 'descriptor']).default('local'),
  CLIP_MODEL: z.string().min(1).default(DEFAULT_CLIP_MODEL),
  CLIP_ENDPOINT: z.string().url().optional(),
  IMAGE_BATCH_SIZE: z.coerce.number().int().positive().default(DEFAULT_IMAGE_BATCH_SIZE),
  IMAGE_TARGET_SIZE: z.coerce.number().int().positive().default(DEFAULT_IMAGE_TARGET_SIZE),
  DUPLICATE_THRESHOLD: z.coerce.number().int().min(0).max(32).default(DEFAULT_DUPLICATE_THRESHOLD),
  LICENSE_ALLOW_LIST: z
    .union([
      z.array(z.string()),
      z.string().transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .default([...DEFAULT_LICENSE_ALLOW_LIST]),
  /** Base URL of a model hub mirror for `model install` (none is reachable offline). */
  HF_ENDPOINT: z.string().url().default('https://huggingface.co'),
  INAT_API_URL: z.string().url().default('https://api.inaturalist.org/v1'),
  GBIF_API_URL: z.string().url().default('https://api.gbif.org/v1'),
  COMMONS_API_URL: z.string().url().default('https://commons.wikimedia.org/w/api.php'),
  /** Online sources (fetch-hq, import-dwca --download): politeness and robustness settings. */
  SOURCE_MIN_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  SOURCE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  SOURCE_MAX_RETRIES: z.coerce.number().int().min(0).default(4),
  SOURCE_BACKOFF_MS: z.coerce.number().int().min(0).default(1000),
  SOURCE_BREAKER_THRESHOLD: z.coerce.number().int().positive().default(5),
  SOURCE_USER_AGENT: z.string().min(1).optional(),
  SPOREPRINT_PG_URL: z.string().optional(),
  /** Sync TLS: disable, require (encrypt, no verification), verify-full (CA + host name; CA file optional). */
  SPOREPRINT_PG_SSL: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
  SPOREPRINT_PG_SSL_CA: z.string().min(1).optional(),
  /** Who signs this library's human decisions on the server when a label carries no author. */
  SPOREPRINT_CURATOR: z.string().min(1).optional(),
  SYNC_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5000),
  SYNC_MAX_RETRIES: z.coerce.number().int().min(0).default(5),
  SYNC_BACKOFF_MS: z.coerce.number().int().min(0).default(500),
  /** Which embedding model's vectors go to the server's single embedding column (default: the most used). */
  SYNC_EMBEDDING_MODEL: z.string().min(1).optional(),
  /**
   * How a new sync server stores vectors, decided by the first --init-schema: auto (pgvector where the extension can be
   * created, else real[]), vector (pgvector or an error) or real[] (no extension).
   */
  SYNC_EMBEDDING_STORAGE: z.enum(['auto', 'vector', 'real[]']).default('auto'),
});

export type Config = z.infer<typeof configSchema>;
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof Config)[];

export function loadConfig(libraryDir: string, env: NodeJS.ProcessEnv = process.env): Config {
  const file = path.join(libraryDir, CONFIG_FILE);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new SporeprintError('INVALID_INPUT', `config is not valid JSON (${(err as Error).message})`, file);
    }
  }
  const fromEnv = Object.fromEntries(CONFIG_KEYS.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const parsed = configSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SporeprintError('INVALID_INPUT', `invalid settings (${detail})`, file);
  }
  return parsed.data;
}

/** The per-user data folder Electron's app.getPath('userData') would use for "Sporeprint". */
export function defaultLibraryDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SPOREPRINT_LIBRARY) return path.resolve(env.SPOREPRINT_LIBRARY);
  const home = os.homedir();
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? path.join(home, '.config'));
  return path.join(appData, 'Sporeprint');
}

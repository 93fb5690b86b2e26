// Builds the HTTP client and resolver of each source from the library's settings.
import type { Config } from '../config';
import type { LibraryContext } from '../library-context';
import { HttpClient } from '../net/http-client';
import { APP_VERSION } from '../version';
import type { Resolver, SourceName } from './candidate';
import { CommonsResolver } from './commons-resolver';
import { GbifResolver } from './gbif-resolver';
import { InatResolver } from './inat-resolver';

const SERVICE_NAMES: Record<SourceName | 'dwca', string> = {
  inat: 'iNaturalist',
  gbif: 'GBIF',
  commons: 'Wikimedia Commons',
  dwca: 'Darwin Core media host',
};

/** APIs ask clients to identify themselves and give a way to reach the operator. */
export function userAgentOf(config: Config): string {
  return config.SOURCE_USER_AGENT ?? `Sporeprint/${APP_VERSION} (fungal photo dataset curation; https://github.com/sporeprint/sporeprint)`;
}

export function createHttpClient(config: Config, source: SourceName | 'dwca'): HttpClient {
  return new HttpClient({
    name: SERVICE_NAMES[source],
    userAgent: userAgentOf(config),
    idleTimeoutMs: config.SOURCE_TIMEOUT_MS,
    maxRetries: config.SOURCE_MAX_RETRIES,
    backoffBaseMs: config.SOURCE_BACKOFF_MS,
    backoffMaxMs: Math.max(config.SOURCE_BACKOFF_MS * 32, config.SOURCE_BACKOFF_MS),
    minIntervalMs: config.SOURCE_MIN_INTERVAL_MS,
    breakerThreshold: config.SOURCE_BREAKER_THRESHOLD,
    breakerCoolDownMs: 5 * 60_000,
    maxBytes: config.IMAGE_MAX_SIZE_MB * 1024 * 1024,
  });
}

/**
 * The library's client for a source: one per library, so its rate limit and circuit breaker hold across
 * jobs (two fetches at once still send one request per interval; a source found down stays paused).
 */
export function sourceClient(ctx: LibraryContext, source: SourceName | 'dwca'): HttpClient {
  return ctx.service(`sources.http.${source}`, () => createHttpClient(ctx.config, source));
}

export function createResolver(config: Config, source: SourceName, http: HttpClient): Resolver {
  switch (source) {
    case 'inat':
      return new InatResolver(config.INAT_API_URL, http);
    case 'gbif':
      return new GbifResolver(config.GBIF_API_URL, http);
    case 'commons':
      return new CommonsResolver(config.COMMONS_API_URL, http);
  }
}

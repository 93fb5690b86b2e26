// Fuzzes a real `sporeprint serve` process with odd paths, cookies, headers and methods (seeded, bounded): every
// request gets an answer, none a 5xx, and the process is alive and answering at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_HEADER, tokenCookieName } from '../../../src-shared/transport';
import { startServe, type ServeProcess } from '../../e2e/support/serve-process';
import { rawRequest } from '../../fixtures/raw-http';
import { makeTempDir } from '../../fixtures/temp-library';
import { seededRandom } from '../../fixtures/synthetic-photos';

const REQUESTS = 1200;
const PARALLEL = 8;

const PATH_PIECES = [
  '/',
  '//',
  '///',
  '/api/',
  '/media/',
  '/events',
  '/assets/',
  '/index.html',
  'derivatives/',
  'ab/',
  'thumb.jpg',
  'library.info',
  'stats.get',
  'images.list',
  'nope.nothing',
  '..',
  '%2e%2e',
  '%2f',
  '%5c',
  '\\',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%00',
  '%ff',
  '%C3%A9',
  '%F0%9F%8D%84',
  '?',
  '?token=',
  '&',
  '#',
  ';',
  '@',
  ':',
  '~',
  '*',
  'é',
  '\u00ff',
  'a'.repeat(300),
];
const COOKIE_VALUES = ['%E0%A4%A', '%', '', '=', '"quoted"', 'a;b', '%ZZ', '\u00e9', 'x'.repeat(2000)];
const HEADER_NAMES = ['x-sporeprint-token', 'cookie', 'host', 'referer', 'origin', 'accept', 'range', 'if-none-match', 'x-odd', 'Host'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'BREW', 'get'];
const SAFE_METHODS = ['library.info', 'stats.get', 'images.list', 'images.get', 'images.resolve', 'rejected.list', 'jobs.list', 'nope'];

describe('serve under fuzzed requests', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let serve: ServeProcess;
  let stderr = '';

  beforeAll(async () => {
    temp = makeTempDir();
    serve = await startServe(`${temp.dir}/library`);
    serve.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  });
  afterAll(async () => {
    await serve?.stop();
    temp?.cleanup();
  });

  it(`answers ${REQUESTS} fuzzed requests without a 5xx and stays up`, async () => {
    const port = Number(new URL(serve.origin).port);
    const next = seededRandom(20_13);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const cookieName = tokenCookieName(port);

    const oneRequest = () => {
      let target = '';
      for (let n = 1 + Math.floor(next() * 5); n > 0; n--) target += pick(PATH_PIECES);
      if (next() < 0.8 && !target.startsWith('/')) target = `/${target}`;
      if (next() < 0.2) target = `/api/${pick(SAFE_METHODS)}${next() < 0.5 ? pick(PATH_PIECES) : ''}`;
      if (next() < 0.3) target += `${target.includes('?') ? '&' : '?'}token=${next() < 0.5 ? serve.token : pick(COOKIE_VALUES)}`;
      // A valid event stream never ends by design; everything else must end with an answer.
      if (/^\/events(\?|$)/.test(target)) target = `/events/${target.slice(7)}`;
      const headers: [string, string][] = [];
      if (next() < 0.5) headers.push([TOKEN_HEADER, next() < 0.6 ? serve.token : pick(COOKIE_VALUES)]);
      if (next() < 0.5)
        headers.push(['cookie', `${cookieName}=${next() < 0.3 ? serve.token : pick(COOKIE_VALUES)}; other=${pick(COOKIE_VALUES)}`]);
      for (let n = Math.floor(next() * 3); n > 0; n--) headers.push([pick(HEADER_NAMES), pick(COOKIE_VALUES) + pick(PATH_PIECES)]);
      if (next() < 0.1) headers.push(['host', pick(['evil.example', '127.0.0.1', `localhost:${port}`, ''])]);
      const method = pick(METHODS);
      const body = method === 'POST' ? pick(['{}', '{', '[]', 'null', '{"id":-1}', '{"ref":"%E0"}', '{"limit":1e400}', '']) : undefined;
      return { method, target, headers, ...(body !== undefined ? { body } : {}) };
    };

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (sent < REQUESTS) {
          sent++;
          const request = oneRequest();
          const response = await rawRequest(port, request, 30_000);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 0 || response.status >= 500)
            failures.push(`${response.status} for ${JSON.stringify(request).slice(0, 300)}`);
        }
      }),
    );
    expect(failures).toEqual([]);
    // The fuzz reached past the guard: some requests were refused by it, some were routed and refused as malformed.
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(serve.child.exitCode).toBeNull();
    expect((await serve.call('library.info', {})).path).toBe(`${temp.dir}/library`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

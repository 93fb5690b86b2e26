// `sporeprint serve`: the API, its events and the built renderer over HTTP on 127.0.0.1, guarded by a per-run token.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { API_EVENT_NAMES, isApiMethod, type ApiInput } from '../../src-shared/api';
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_MEDIA_PREFIX,
  HTTP_ORIGINAL_PREFIX,
  TOKEN_QUERY,
  tokenCookieName,
  type EventEnvelope,
} from '../../src-shared/transport';
import { SporeprintError, toErrorPayload } from '../core/errors';
import type { ApiHost } from '../host/api-host';
import { parseByteRange, parseOriginalId } from './byte-range';
import { resolveDerivativeFile } from './derivative-file';
import { httpStatusOf, HttpRefusal } from './http-status';
import { readJsonBody } from './json-body';
import { checkRequest } from './request-guard';
import { decodePercent, parseRequestTarget, type RequestTarget } from './request-target';
import { readStaticFile } from './static-files';

export interface ServeOptions {
  port?: number;
  rendererDir: string;
  /** Tests pass a fixed token; normally a fresh random one per run. */
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: includes the token. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers with the error's status and its payload (capped in size); a reply already under way is cut instead. */
function sendError(res: ServerResponse, err: unknown, report?: (err: unknown) => void): void {
  const status = httpStatusOf(err);
  // A real fault (not a user's error) goes to the library's log with its stack.
  if (status >= 500) report?.(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A refused body is not read further: the connection closes after the answer.
  if (status === 413) res.setHeader('connection', 'close');
  sendJson(res, status, { error: toErrorPayload(err) });
}

export async function startServer(host: ApiHost, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  let port = 0;

  const unsubscribe = API_EVENT_NAMES.map((event) =>
    host.on(event, (payload) => {
      const envelope = { event, payload } as EventEnvelope;
      const frame = `event: message\ndata: ${JSON.stringify(envelope)}\n\n`;
      for (const res of streams) res.write(frame);
    }),
  );

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return sendError(res, new HttpRefusal(405, 'API calls are POST'));
    if (!isApiMethod(name)) return sendError(res, new SporeprintError('NOT_FOUND', `unknown method ${name}`));
    try {
      const input = await readJsonBody(req);
      // Library.invoke validates the input against the contract's zod schema before anything runs.
      const value = await host.invoke(name, input as ApiInput<typeof name>);
      sendJson(res, 200, { value: value ?? null });
    } catch (err) {
      sendError(res, err);
    }
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    // A client gone mid-write must not surface as an unhandled stream error.
    res.on('error', () => streams.delete(res));
  }

  function handleMedia(res: ServerResponse, relative: string): void {
    const file = resolveDerivativeFile(host.dir, relative);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': file.contentType,
      'content-length': file.size,
      'cache-control': 'private, max-age=86400, immutable',
    });
    // pipeline, not pipe: a file removed or unreadable after the stat ends this reply instead of the process.
    pipeline(createReadStream(file.absolutePath), res, () => undefined);
  }

  /** By image id only: the library picks the file among that image's catalogued locations (or its conversion). */
  async function handleOriginal(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    try {
      const id = parseOriginalId(rest);
      if (id === null)
        throw new SporeprintError('INVALID_INPUT', `an original is asked for by image id (a number), not "${rest.slice(0, 80)}"`);
      const file = await host.invoke('images.original', { id });
      const range = parseByteRange(req.headers.range, file.size);
      const headers = {
        ...SECURITY_HEADERS,
        'content-type': file.contentType,
        'accept-ranges': 'bytes',
        // Private: the bytes are the curator's photo; not immutable, as the file behind an id can be re-ingested.
        'cache-control': 'private, max-age=300',
      };
      if (range === 'unsatisfiable') {
        res.writeHead(416, { ...headers, 'content-range': `bytes */${file.size}` });
        return void res.end();
      }
      const { start, end } = range ?? { start: 0, end: file.size - 1 };
      res.writeHead(range ? 206 : 200, {
        ...headers,
        'content-length': end - start + 1,
        ...(range ? { 'content-range': `bytes ${start}-${end}/${file.size}` } : {}),
      });
      if (req.method === 'HEAD' || file.size === 0) return void res.end();
      pipeline(createReadStream(file.path, { start, end }), res, () => undefined);
    } catch (err) {
      sendError(res, err, (fault) => host.report?.(fault, `GET original ${rest.slice(0, 80)}`));
    }
  }

  function handleStatic(res: ServerResponse, pathname: string, tokenFromQuery: boolean): void {
    const file = readStaticFile(options.rendererDir, pathname);
    if (!file) {
      const hint = pathname === '/' ? ` (renderer not built at ${options.rendererDir}: run npm run build)` : '';
      return sendError(res, new SporeprintError('NOT_FOUND', `${pathname} not found${hint}`));
    }
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      'content-type': file.contentType,
      'content-length': file.body.length,
    };
    if (file.contentType.startsWith('text/html')) headers['content-security-policy'] = RENDERER_CSP;
    // The page was opened with ?token=: remember it so the page's own asset, image and event requests pass.
    if (tokenFromQuery) headers['set-cookie'] = `${tokenCookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
    res.writeHead(200, headers);
    res.end(file.body);
  }

  function route(req: IncomingMessage, res: ServerResponse, target: RequestTarget): void {
    const verdict = checkRequest(req, target, port, token);
    if (!verdict.ok) return sendJson(res, verdict.status, { error: { code: 'INVALID_INPUT', message: verdict.reason } });
    const { pathname } = target;
    if (pathname.startsWith(HTTP_API_PREFIX)) return void handleApi(req, res, pathname.slice(HTTP_API_PREFIX.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, new HttpRefusal(405, 'method not allowed'));
    if (pathname === HTTP_EVENTS_PATH) return handleEvents(req, res);
    if (pathname.startsWith(HTTP_ORIGINAL_PREFIX))
      return void handleOriginal(req, res, decodePercent(pathname.slice(HTTP_ORIGINAL_PREFIX.length), 'the original path'));
    if (pathname.startsWith(HTTP_MEDIA_PREFIX))
      return handleMedia(res, decodePercent(pathname.slice(HTTP_MEDIA_PREFIX.length), 'the media path'));
    return handleStatic(res, decodePercent(pathname, 'the request path'), verdict.tokenFrom === 'query');
  }

  const server: Server = createServer((req, res) => {
    // Every request is answered, whatever it holds: a malformed one with 400 in words, a fault with 500.
    try {
      route(req, res, parseRequestTarget(req.url));
    } catch (err) {
      // The library logs its own failures; a fault here is the glue's, logged through the host.
      sendError(res, err, (fault) => host.report?.(fault, `${req.method ?? '?'} ${(req.url ?? '').slice(0, 200)}`));
    }
  });
  // A request the HTTP parser itself refuses (bad bytes, oversized headers) is answered without reaching route().
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify({ error: { code: 'INVALID_INPUT', message: `malformed HTTP request (${err.code ?? 'parse error'})` } });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}?${TOKEN_QUERY}=${encodeURIComponent(token)}`,
    port,
    token,
    async close() {
      for (const off of unsubscribe) off();
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

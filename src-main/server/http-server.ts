// `sporeprint serve`: the API, its events and the built renderer over HTTP on 127.0.0.1, guarded by a per-run token.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_EVENT_NAMES, isApiMethod, type ApiInput } from '../../src-shared/api';
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_MEDIA_PREFIX,
  TOKEN_QUERY,
  tokenCookieName,
  type EventEnvelope,
} from '../../src-shared/transport';
import { SporeprintError, toErrorPayload } from '../core/errors';
import type { ApiHost } from '../host/api-host';
import { resolveDerivativeFile } from './derivative-file';
import { checkRequest } from './request-guard';
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

const MAX_BODY_BYTES = 64 * 1024 * 1024;
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

function sendError(res: ServerResponse, status: number, err: unknown): void {
  sendJson(res, status, { error: toErrorPayload(err) });
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SporeprintError('INVALID_INPUT', `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (err) {
    throw new SporeprintError('INVALID_INPUT', `request body is not JSON: ${(err as Error).message}`);
  }
}

function statusFor(code: string): number {
  if (code === 'INVALID_INPUT' || code === 'INVALID_TRANSITION') return 400;
  if (code === 'NOT_FOUND') return 404;
  return 500;
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
    if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'API calls are POST' } });
    if (!isApiMethod(name)) return sendError(res, 404, new SporeprintError('NOT_FOUND', `unknown method ${name}`));
    try {
      const input = await readJsonBody(req);
      // Library.invoke validates the input against the contract's zod schema before anything runs.
      const value = await host.invoke(name, input as ApiInput<typeof name>);
      sendJson(res, 200, { value: value ?? null });
    } catch (err) {
      const payload = toErrorPayload(err);
      sendJson(res, statusFor(payload.code), { error: payload });
    }
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  function handleMedia(res: ServerResponse, relative: string): void {
    try {
      const file = resolveDerivativeFile(host.dir, relative);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': file.contentType,
        'content-length': file.size,
        'cache-control': 'private, max-age=86400, immutable',
      });
      createReadStream(file.absolutePath).pipe(res);
    } catch (err) {
      const payload = toErrorPayload(err);
      sendJson(res, statusFor(payload.code), { error: payload });
    }
  }

  function handleStatic(res: ServerResponse, url: URL, tokenFromQuery: boolean): void {
    const file = readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      const hint = url.pathname === '/' ? ` (renderer not built at ${options.rendererDir}: run npm run build)` : '';
      return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `${url.pathname} not found${hint}` } });
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

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const verdict = checkRequest(req, url, port, token);
    if (!verdict.ok) return sendJson(res, verdict.status, { error: { code: 'INVALID_INPUT', message: verdict.reason } });
    if (url.pathname.startsWith(HTTP_API_PREFIX)) return void handleApi(req, res, url.pathname.slice(HTTP_API_PREFIX.length));
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'method not allowed' } });
    if (url.pathname === HTTP_EVENTS_PATH) return handleEvents(req, res);
    if (url.pathname.startsWith(HTTP_MEDIA_PREFIX))
      return handleMedia(res, decodeURIComponent(url.pathname.slice(HTTP_MEDIA_PREFIX.length)));
    return handleStatic(res, url, verdict.tokenFrom === 'query');
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

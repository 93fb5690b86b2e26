// `setup:desktop --offline DIR`: serves the files downloaded elsewhere to Electron's own installer on 127.0.0.1, so an
// offline setup takes the same path (and the same checksum check against the electron package) as an online one.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface OfflineMirror {
  url: string;
  close(): Promise<void>;
}

/** Answers GET <anything>/<file> with DIR/<file>; nothing else is readable. */
export async function serveOfflineFolder(dir: string): Promise<OfflineMirror> {
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname.split('/').pop() ?? '');
    const file = path.join(dir, name);
    if (req.method !== 'GET' || !name || name.startsWith('.') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end(`not in ${dir}: ${name}`);
      return;
    }
    res.writeHead(200, { 'content-length': statSync(file).size, 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

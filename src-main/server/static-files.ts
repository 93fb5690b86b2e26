// Serves the built renderer (out/renderer) as static files, never anything outside that folder.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** `pathname` is the URL path, already percent-decoded; "/" is index.html (client routing uses the hash). */
export function readStaticFile(rootDir: string, pathname: string): StaticFile | null {
  const root = path.resolve(rootDir);
  const wanted = pathname === '/' || pathname === '' ? '/index.html' : pathname;
  if (wanted.includes('\0')) return null;
  const absolute = path.resolve(root, '.' + path.posix.normalize(wanted));
  if (absolute !== root && !absolute.startsWith(root + path.sep)) return null;
  if (!existsSync(absolute) || !statSync(absolute).isFile()) return null;
  return { body: readFileSync(absolute), contentType: TYPES[path.extname(absolute)] ?? 'application/octet-stream' };
}

/** Where `npm run build` puts the renderer, seen from this source file (src-main/server) or from the bundled main (out/main). */
export function defaultRendererDir(): string {
  const fromDir = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(fromDir, '../../out/renderer'), path.resolve(fromDir, '../renderer')];
  return candidates.find((c) => existsSync(path.join(c, 'index.html'))) ?? candidates[0]!;
}

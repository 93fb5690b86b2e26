// The sporeprint-media:// protocol: serves derivative images of the open library, and an image's original by image
// id (sporeprint-media://original/<id>, chosen by the library among that image's locations), nothing else.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { MEDIA_ORIGINAL_HOST, MEDIA_PROTOCOL } from '../../src-shared/transport';
import { toErrorPayload } from '../core/errors';
import type { ApiHost } from '../host/api-host';
import { resolveDerivativeFile } from '../server/derivative-file';
import { originalResponse } from '../server/original-response';

/** Must run before app ready: the scheme is standard and secure so <img> may load it under the CSP. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
}

/** sporeprint-media://derivatives/ab/<sha>/thumb.jpg -> <library>/derivatives/ab/<sha>/thumb.jpg, validated. */
export function handleMediaProtocol(host: ApiHost): void {
  const libraryDir = host.dir;
  protocol.handle(MEDIA_PROTOCOL, async (request) => {
    try {
      const url = new URL(request.url);
      if (url.host === MEDIA_ORIGINAL_HOST)
        return await originalResponse(host, decodeURIComponent(url.pathname.replace(/^\//, '')), request.headers.get('range'));
      const relative = decodeURIComponent(url.host + url.pathname);
      const file = resolveDerivativeFile(libraryDir, relative);
      return new Response(await readFile(file.absolutePath), { headers: { 'content-type': file.contentType } });
    } catch (err) {
      const payload = toErrorPayload(err);
      return new Response(payload.message, { status: payload.code === 'NOT_FOUND' ? 404 : 400 });
    }
  });
}

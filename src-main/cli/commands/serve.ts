// `sporeprint serve`: the UI in a browser, over the same API, on 127.0.0.1 only; runs until interrupted.
import path from 'node:path';
import { startServer } from '../../server/http-server';
import { LibraryClient } from '../../host/library-client';
import { defaultRendererDir } from '../../server/static-files';
import type { Command } from '../command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the UI and the API on 127.0.0.1 (first line printed: the URL to open, token included)',
  usage: 'serve [--port N] [--renderer DIR]',
  options: { port: { type: 'string' }, renderer: { type: 'string' } },
  async run(lib, { values }, io) {
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`--port must be an integer 0-65535, got "${String(values.port)}"`);
      return 2;
    }
    const rendererDir = typeof values.renderer === 'string' ? path.resolve(values.renderer) : defaultRendererDir();
    // Requests are answered by a worker that owns the library, so a slow query never stalls images or events.
    const host = await LibraryClient.open(lib.dir);
    const server = await startServer(host, { port, rendererDir });
    io.out(server.openUrl);
    io.err(`library ${lib.dir}; renderer ${rendererDir}; Ctrl-C stops`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await host.close();
    return 0;
  },
};

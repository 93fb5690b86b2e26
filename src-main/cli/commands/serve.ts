// `sporeprint serve`: the UI in a browser, over the same API, on 127.0.0.1 only; runs until interrupted.
import path from 'node:path';
import type { FolderCommand } from '../command';
import { integerOption } from '../usage-error';

export const serveCommand: FolderCommand = {
  name: 'serve',
  summary: 'serve the UI and the API on 127.0.0.1 (first line printed: the URL to open, token included)',
  usage: 'serve [--port N] [--renderer DIR]',
  options: {
    port: { type: 'string', value: 'N', description: 'port on 127.0.0.1', default: 'a free port' },
    renderer: {
      type: 'string',
      value: 'DIR',
      description: 'the built UI to serve (npm run build makes it)',
      default: 'out/renderer of this checkout',
    },
  },
  // The library is opened once, by the worker that owns it for the server; the CLI itself does not open it.
  opensLibraryItself: true,
  check: ({ values }) => void integerOption(values, 'port', 0, 65535),
  async run(dir, { values }, io) {
    // Imported here, not at the top: every other command would load the HTTP server and the host at start-up.
    const [{ startServer }, { LibraryClient }, { defaultRendererDir }] = await Promise.all([
      import('../../server/http-server'),
      import('../../host/library-client'),
      import('../../server/static-files'),
    ]);
    const port = integerOption(values, 'port', 0, 65535) ?? 0;
    const rendererDir = typeof values.renderer === 'string' ? path.resolve(values.renderer) : defaultRendererDir();
    // Requests are answered by a worker that owns the library, so a slow query never stalls images or events.
    const host = await LibraryClient.open(path.resolve(dir), {
      app: 'serve',
      verbose: values.verbose === true,
      // Before the URL: a large catalogue's update may take minutes, and the user should know why nothing is printed.
      onMigrating: (what) => io.err(`sporeprint: ${what}`),
    });
    const server = await startServer(host, { port, rendererDir });
    // Listening before the URL is printed: whoever reads it may stop us at once, and a SIGTERM with no listener yet
    // would end the process without closing the library (its lock left behind).
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.out(server.openUrl);
    io.err(`library ${host.dir}; renderer ${rendererDir}; Ctrl-C stops`);
    // The server stays up when the library's thread dies: the page shows why and offers to reopen it.
    host.on('library.status', (status) =>
      io.err(status.running ? 'library reopened' : `${status.reason ?? 'the library stopped'}; the page offers to reopen it`),
    );
    await stopped;
    await server.close();
    await host.close();
    return 0;
  },
};

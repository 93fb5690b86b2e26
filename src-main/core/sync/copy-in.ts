// COPY ... FROM STDIN on a node-postgres client: the whole payload is sent as CopyData, then CopyDone.
// A minimal submittable (the protocol pg-copy-streams speaks) for payloads already built in memory, one batch at a time.
import type { Writable } from 'node:stream';
import type { ClientBase } from 'pg';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  stream: Writable;
}

// CopyData messages are bounded by the server's message size limit; 1 MiB chunks keep each well below it.
const CHUNK = 1 << 20;

/**
 * Runs one COPY FROM STDIN with `payload` as its data; resolves with the number of rows the server copied.
 * `whileServerWorks` runs once the payload has left this process (the socket drained), as the server copies it.
 */
export function copyIn(client: ClientBase, sql: string, payload: Buffer, whileServerWorks?: () => void): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let rows = 0;
    const submittable = {
      submit(connection: CopyConnection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: CopyConnection) {
        for (let at = 0; at < payload.length; at += CHUNK) connection.sendCopyFromChunk(payload.subarray(at, at + CHUNK));
        connection.endCopyFrom();
        if (!whileServerWorks) return;
        const socket = connection.stream;
        // Synchronous work would hold back whatever the socket still buffers: wait until it is written.
        if (socket.writableNeedDrain) socket.once('drain', whileServerWorks);
        else whileServerWorks();
      },
      handleCommandComplete(message: { text?: string }) {
        rows = Number(/^COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
      },
      // pg detaches the query before passing an error on (ReadyForQuery will not reach it): settle here.
      handleError(err: Error) {
        reject(err);
      },
      handleReadyForQuery() {
        resolve(rows);
      },
      handleEmptyQuery() {},
      handleRowDescription() {},
      handleDataRow() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    (client as unknown as { query(s: typeof submittable): void }).query(submittable);
  });
}

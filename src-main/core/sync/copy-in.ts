// COPY ... FROM STDIN on a node-postgres client: the whole payload is sent as CopyData, then CopyDone.
// A minimal submittable (the protocol pg-copy-streams speaks) for payloads already built in memory, one batch at a time.
import type { Writable } from 'node:stream';
import type { ClientBase } from 'pg';

interface CopyConnection {
  query(text: string): void;
  endCopyFrom(): void;
  stream: Writable;
}

// CopyData messages are bounded by the server's message size limit; 1 MiB chunks keep each well below it.
const CHUNK = 1 << 20;
const COPY_DATA = 0x64; // 'd'

/**
 * Writes `payload` as CopyData messages: each a 5-byte header (type, length) followed by a slice of the payload itself.
 * pg's sendCopyFromChunk copied every chunk into its message writer and out again (two copies of the payload, and a
 * fresh 1 MiB buffer per chunk: ~0.1 s of a 100k-image push).
 */
function sendCopyData(stream: Writable, payload: Buffer): void {
  stream.cork();
  for (let at = 0; at < payload.length; at += CHUNK) {
    const chunk = payload.subarray(at, at + CHUNK);
    const header = Buffer.allocUnsafe(5);
    header[0] = COPY_DATA;
    header.writeInt32BE(chunk.length + 4, 1);
    stream.write(header);
    stream.write(chunk);
  }
  stream.uncork();
}

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
        // As pg's own writes: nothing is sent on a connection that is no longer writable (its error comes through pg).
        if (connection.stream.writable) sendCopyData(connection.stream, payload);
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

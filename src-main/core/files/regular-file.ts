// Reads a file a caller named only when it is a regular file of bounded size: /dev/zero would never end, a FIFO
// would block the thread for good, and neither is a photo, a vocabulary or a model.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { open, type FileHandle } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { SporeprintError } from '../errors';

/** What a stat says a path is, in words for an error message. */
export function kindOfFile(stat: Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refuse(file: string, what: string, stat: Stats): SporeprintError {
  return new SporeprintError('INVALID_INPUT', `${what} is ${kindOfFile(stat)}, not a regular file`, file);
}

function tooLarge(file: string, what: string, size: number, maxBytes: number): SporeprintError {
  return new SporeprintError(
    'FILE_TOO_LARGE',
    `${what} is ${(size / 1048576).toFixed(1)} MB, over the ${maxBytes / 1048576} MB limit`,
    file,
  );
}

function unreadable(file: string, what: string, err: unknown): SporeprintError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SporeprintError('NOT_FOUND', `${what} does not exist`, file);
  return new SporeprintError('UNREADABLE', `cannot read ${what} (${(err as Error).message})`, file);
}

// O_NONBLOCK: opening a FIFO returns at once (then fstat refuses it) instead of waiting for a writer.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Opens `file` when it is a regular file of at most `maxBytes`, closing it again when it is not. */
async function openChecked(file: string, what: string, maxBytes: number): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    throw unreadable(file, what, err);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw refuse(file, what, stat);
    if (stat.size > maxBytes) throw tooLarge(file, what, stat.size, maxBytes);
    return { handle, size: stat.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The bytes of `file`; a FIFO, device, socket or folder is refused, as is a file over `maxBytes`. */
export async function readRegularFile(file: string, what: string, maxBytes: number): Promise<Buffer> {
  const { handle, size } = await openChecked(file, what, maxBytes);
  try {
    // Read what the stat promised, plus one byte to notice a file still growing past the limit.
    const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > maxBytes) throw tooLarge(file, what, filled, maxBytes);
      if (filled === buffer.length) break;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * Opens `file` for streaming when it is a regular file of at most `maxBytes`; the stream fails with
 * FILE_TOO_LARGE should the file grow past the limit while it is read. The caller closes the handle.
 */
export async function openRegularFile(file: string, what: string, maxBytes: number): Promise<{ handle: FileHandle; stream: Readable }> {
  const { handle } = await openChecked(file, what, maxBytes);
  let seen = 0;
  const source = handle.createReadStream({ autoClose: false, start: 0 });
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(tooLarge(file, what, seen, maxBytes));
      else done(null, chunk);
    },
  });
  source.on('error', (err) => capped.destroy(err));
  return { handle, stream: source.pipe(capped) };
}

/** readRegularFile for synchronous callers. */
export function readRegularFileSync(file: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw unreadable(file, what, err);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse(file, what, stat);
    if (stat.size > maxBytes) throw tooLarge(file, what, stat.size, maxBytes);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > maxBytes) throw tooLarge(file, what, filled, maxBytes);
      if (filled === buffer.length) break;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** Throws unless `file` (symlinks followed) is a regular file; for files handed on to a library that opens them itself. */
export function assertRegularFile(file: string, what: string): void {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (err) {
    throw unreadable(file, what, err);
  }
  if (!stat.isFile()) throw refuse(file, what, stat);
}

/**
 * Throws unless everything under `folder` (symlinks followed) is a folder or a regular file: a copied model folder
 * must not carry a FIFO, a device or a link to one into the library. Stops at `maxEntries` entries.
 */
export function assertRegularFilesOnly(folder: string, what: string, maxEntries = 10_000): void {
  let seen = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (++seen > maxEntries) throw new SporeprintError('INVALID_INPUT', `${what} holds more than ${maxEntries} files`, folder);
      let stat: Stats;
      try {
        stat = statSync(file);
      } catch (err) {
        throw unreadable(file, `a file in ${what}`, err);
      }
      if (stat.isDirectory()) walk(file);
      else if (!stat.isFile()) throw refuse(file, `a file in ${what}`, stat);
    }
  };
  walk(folder);
}

// Random access to a zip file without reading it whole: the central directory is read from the end of the
// file, and each member is streamed from its own byte range through zlib, so a multi-gigabyte Darwin Core
// Archive costs a directory's worth of memory, not the archive's. Every read opens the file for itself and
// closes it when done, so an archive needs no closing.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { SporeprintError } from '../../errors';

export interface ZipMember {
  name: string;
  /** Bytes stored in the zip (compressed). */
  compressedSize: number;
  /** Bytes once inflated, as the directory states them. */
  size: number;
  method: number;
  flags: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65535. */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
const STORED = 0;
const DEFLATED = 8;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

const broken = (file: string, what: string) => new SporeprintError('INVALID_INPUT', `not a readable zip archive (${what})`, file);

async function withFile<T>(file: string, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  const handle = await open(file, 'r');
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

/** Reads the central directory of the zip `file` (zip64 included). */
export function readZipDirectory(file: string): Promise<ZipMember[]> {
  return withFile(file, async (handle) => directoryOf(handle, (await handle.stat()).size, file));
}

async function directoryOf(handle: FileHandle, fileSize: number, file: string): Promise<ZipMember[]> {
  const tailStart = Math.max(0, fileSize - EOCD_SEARCH_BYTES);
  const tail = await readAt(handle, tailStart, fileSize - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken(file, 'no end of central directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  // Zip64: the 32-bit fields are saturated and the real values sit in the zip64 end record.
  if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE) {
    const recordOffset = Number(tail.readBigUInt64LE(eocd - 20 + 8));
    const record = await readAt(handle, recordOffset, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw broken(file, 'bad zip64 end record');
    count = Number(record.readBigUInt64LE(32));
    directorySize = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  if (directoryOffset + directorySize > fileSize) throw broken(file, 'central directory past the end of the file');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const members: ZipMember[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw broken(file, `central directory entry ${n + 1} is damaged`);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const member: ZipMember = {
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
    };
    readZip64Extra(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), member);
    members.push(member);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** The zip64 extra field holds, in this order, only the values whose 32-bit field is saturated. */
function readZip64Extra(extra: Buffer, member: ZipMember): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = field + 8 <= at + 4 + length ? Number(extra.readBigUInt64LE(field)) : null;
        field += 8;
        return value;
      };
      if (member.size === 0xffffffff) member.size = next() ?? member.size;
      if (member.compressedSize === 0xffffffff) member.compressedSize = next() ?? member.compressedSize;
      if (member.localHeaderOffset === 0xffffffff) member.localHeaderOffset = next() ?? member.localHeaderOffset;
      return;
    }
    at += 4 + length;
  }
}

/**
 * Streams one member, inflated. Fails (with the archive's path) when the member inflates past `maxBytes` or past
 * the size its directory entry states: a directory can lie about a bomb.
 */
export async function streamZipMember(file: string, member: ZipMember, maxBytes: number): Promise<Readable> {
  if (member.flags & 0x1) throw new SporeprintError('INVALID_INPUT', `zip member ${member.name} is encrypted`, file);
  if (member.method !== STORED && member.method !== DEFLATED)
    throw new SporeprintError(
      'INVALID_INPUT',
      `zip member ${member.name} uses compression method ${member.method}; only stored and deflated members are read`,
      file,
    );
  if (member.compressedSize === 0) return Readable.from([]);
  const local = await withFile(file, (handle) => readAt(handle, member.localHeaderOffset, 30));
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw broken(file, `local header of ${member.name} is damaged`);
  const dataStart = member.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = createReadStream(file, {
    start: dataStart,
    end: dataStart + member.compressedSize - 1,
    highWaterMark: 256 * 1024,
  });
  const limit = Math.min(maxBytes, member.size);
  let seen = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit)
        done(
          new SporeprintError(
            'INVALID_INPUT',
            seen > member.size
              ? `zip member ${member.name} inflates past the ${member.size} bytes its directory entry states`
              : `zip member ${member.name} expands past the ${maxBytes} byte limit`,
            file,
          ),
        );
      else done(null, chunk);
    },
  });
  const forward = (err: Error) =>
    capped.destroy(
      err instanceof SporeprintError
        ? err
        : new SporeprintError('INVALID_INPUT', `zip member ${member.name} cannot be inflated (${err.message})`, file),
    );
  raw.on('error', forward);
  if (member.method === STORED) return raw.pipe(capped);
  // Larger pieces than zlib's 16 KB: fewer hops through the stream and the parser per megabyte.
  const inflate = createInflateRaw({ chunkSize: 128 * 1024 });
  inflate.on('error', forward);
  return raw.pipe(inflate).pipe(capped);
}

/** A member read whole into memory (meta.xml, one photo), under `maxBytes`. */
export async function readZipMember(file: string, member: ZipMember, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await streamZipMember(file, member, maxBytes)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

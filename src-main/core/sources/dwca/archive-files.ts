// Uniform access to a Darwin Core Archive given as a .zip or as an unpacked folder: small members read whole,
// the core and extension tables streamed (a GBIF download's occurrence table runs to gigabytes).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DWCA_MAX_EXPANDED_BYTES, DWCA_MAX_EXPANSION_RATIO, DWCA_MAX_MEMBER_BYTES } from '../../../../src-shared/defaults';
import { SporeprintError } from '../../errors';
import { kindOfFile, openRegularFile } from '../../files/regular-file';
import { readZipDirectory, readZipMember, streamZipMember, type ZipMember } from './zip-reader';

export interface ArchiveFiles {
  /** The archive as given (zip file or folder), for messages. */
  readonly origin: string;
  readonly isZip: boolean;
  /** A file of the archive by its path relative to the archive root, read whole, or null when absent. */
  read(relative: string): Promise<Buffer | null>;
  /** A file of the archive streamed (a data table), or null when absent. */
  stream(relative: string): Promise<Readable | null>;
  /** Folder against which relative media paths resolve when the archive is a folder. */
  readonly folder: string | null;
}

export interface ArchiveLimits {
  maxExpandedBytes: number;
  /** Largest member read whole into memory; streamed tables are bounded by maxExpandedBytes instead. */
  maxMemberBytes: number;
  maxExpansionRatio: number;
}

const DEFAULT_LIMITS: ArchiveLimits = {
  maxExpandedBytes: DWCA_MAX_EXPANDED_BYTES,
  maxMemberBytes: DWCA_MAX_MEMBER_BYTES,
  maxExpansionRatio: DWCA_MAX_EXPANSION_RATIO,
};

/**
 * Checks a zip's directory before anything is inflated: total expanded size and each member's expansion ratio.
 * Streams then check the real size too (a directory can lie).
 */
function checkZipDirectory(entries: ZipMember[], limits: ArchiveLimits, file: string): void {
  let total = 0;
  for (const e of entries) {
    total += e.size;
    // Tiny members compress oddly (a 10-byte stored header): the ratio only means something above 1 MB.
    if (e.size > 1024 * 1024 && e.size > Math.max(1, e.compressedSize) * limits.maxExpansionRatio)
      throw new SporeprintError(
        'INVALID_INPUT',
        `zip member ${e.name} expands ${Math.round(e.size / Math.max(1, e.compressedSize))}x (${e.compressedSize} to ${e.size} bytes), over the ${limits.maxExpansionRatio}x limit: refused as a zip bomb`,
        file,
      );
  }
  if (total > limits.maxExpandedBytes)
    throw new SporeprintError(
      'INVALID_INPUT',
      `zip expands to ${total} bytes in all, over the ${limits.maxExpandedBytes} byte limit`,
      file,
    );
}

const overMemberLimit = (name: string, size: number, limits: ArchiveLimits, file: string) =>
  new SporeprintError('INVALID_INPUT', `zip member ${name} expands to ${size} bytes, over the ${limits.maxMemberBytes} byte limit`, file);

export async function openArchive(origin: string, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<ArchiveFiles> {
  const absolute = path.resolve(origin);
  const info = await stat(absolute).catch(() => null);
  if (!info) throw new SporeprintError('NOT_FOUND', 'no such archive file or folder', absolute);
  // /dev/zero, a FIFO or a socket would be read forever.
  if (!info.isDirectory() && !info.isFile())
    throw new SporeprintError(
      'INVALID_INPUT',
      `not a regular file or folder (${kindOfFile(info)}): give a .zip or an unpacked archive folder`,
      absolute,
    );
  return info.isDirectory() ? openFolder(absolute, limits) : openZip(absolute, limits);
}

function openFolder(absolute: string, limits: ArchiveLimits): ArchiveFiles {
  /** The member's path, or null when it is absent or would be outside the archive (meta.xml names it). */
  const memberPath = async (relative: string) => {
    const file = path.resolve(absolute, relative);
    if (!file.startsWith(absolute + path.sep)) return null;
    const member = await stat(file).catch(() => null);
    if (!member) return null;
    if (!member.isFile()) throw new SporeprintError('INVALID_INPUT', `archive member is not a regular file (${kindOfFile(member)})`, file);
    return { file, size: member.size };
  };
  return {
    origin: absolute,
    isZip: false,
    folder: absolute,
    read: async (relative) => {
      const member = await memberPath(relative);
      if (!member) return null;
      if (member.size > limits.maxMemberBytes)
        throw new SporeprintError(
          'INVALID_INPUT',
          `archive member is ${member.size} bytes, over the ${limits.maxMemberBytes} byte limit`,
          member.file,
        );
      return readFile(member.file).catch(() => null);
    },
    stream: async (relative) => {
      const member = await memberPath(relative);
      if (!member) return null;
      const { handle, stream } = await openRegularFile(member.file, 'archive member', limits.maxExpandedBytes);
      stream.once('close', () => void handle.close());
      return stream;
    },
  };
}

async function openZip(absolute: string, limits: ArchiveLimits): Promise<ArchiveFiles> {
  const directory = await readZipDirectory(absolute);
  checkZipDirectory(directory, limits, absolute);
  const byName = new Map(directory.map((e) => [e.name, e]));
  // Some tools zip the archive inside a top folder; paths in meta.xml are relative to meta.xml itself.
  const metaKey = directory.map((e) => e.name).find((k) => k === 'meta.xml' || k.endsWith('/meta.xml'));
  const prefix = metaKey ? metaKey.slice(0, -'meta.xml'.length) : '';
  const memberOf = (relative: string) => byName.get(prefix + relative.replace(/\\/g, '/').replace(/^\.\//, '')) ?? null;
  return {
    origin: absolute,
    isZip: true,
    folder: null,
    read: async (relative) => {
      const member = memberOf(relative);
      if (!member) return null;
      if (member.size > limits.maxMemberBytes) throw overMemberLimit(member.name, member.size, limits, absolute);
      return readZipMember(absolute, member, limits.maxMemberBytes);
    },
    stream: async (relative) => {
      const member = memberOf(relative);
      return member ? streamZipMember(absolute, member, limits.maxExpandedBytes) : null;
    },
  };
}

// Uniform access to a Darwin Core Archive given as a .zip or as an unpacked folder.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { DWCA_MAX_EXPANDED_BYTES, DWCA_MAX_EXPANSION_RATIO, DWCA_MAX_MEMBER_BYTES } from '../../../../src-shared/defaults';
import { SporeprintError } from '../../errors';
import { kindOfFile } from '../../files/regular-file';

export interface ArchiveFiles {
  /** The archive as given (zip file or folder), for messages. */
  readonly origin: string;
  readonly isZip: boolean;
  /** A file of the archive by its path relative to the archive root, or null when absent. */
  read(relative: string): Promise<Buffer | null>;
  /** Folder against which relative media paths resolve when the archive is a folder. */
  readonly folder: string | null;
}

export interface ArchiveLimits {
  maxExpandedBytes: number;
  maxMemberBytes: number;
  maxExpansionRatio: number;
}

const DEFAULT_LIMITS: ArchiveLimits = {
  maxExpandedBytes: DWCA_MAX_EXPANDED_BYTES,
  maxMemberBytes: DWCA_MAX_MEMBER_BYTES,
  maxExpansionRatio: DWCA_MAX_EXPANSION_RATIO,
};

interface ZipEntry {
  name: string;
  size: number;
  originalSize: number;
}

/**
 * Checks a zip's directory before anything is inflated: total expanded size, each member's size and its
 * expansion ratio. Then inflates only the members asked for, each on demand, and checks the real size too
 * (a directory can lie).
 */
function checkZipDirectory(entries: ZipEntry[], limits: ArchiveLimits, file: string): void {
  let total = 0;
  for (const e of entries) {
    total += e.originalSize;
    if (e.originalSize > limits.maxMemberBytes)
      throw new SporeprintError(
        'INVALID_INPUT',
        `zip member ${e.name} expands to ${e.originalSize} bytes, over the ${limits.maxMemberBytes} byte limit`,
        file,
      );
    // Tiny members compress oddly (a 10-byte stored header): the ratio only means something above 1 MB.
    if (e.originalSize > 1024 * 1024 && e.originalSize > Math.max(1, e.size) * limits.maxExpansionRatio)
      throw new SporeprintError(
        'INVALID_INPUT',
        `zip member ${e.name} expands ${Math.round(e.originalSize / Math.max(1, e.size))}x (${e.size} to ${e.originalSize} bytes), over the ${limits.maxExpansionRatio}x limit: refused as a zip bomb`,
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
  if (info.isDirectory()) {
    return {
      origin: absolute,
      isZip: false,
      folder: absolute,
      read: async (relative) => {
        const file = path.resolve(absolute, relative);
        // meta.xml names files inside the archive; never read outside it.
        if (!file.startsWith(absolute + path.sep)) return null;
        const member = await stat(file).catch(() => null);
        if (!member) return null;
        if (!member.isFile())
          throw new SporeprintError('INVALID_INPUT', `archive member is not a regular file (${kindOfFile(member)})`, file);
        if (member.size > limits.maxMemberBytes)
          throw new SporeprintError(
            'INVALID_INPUT',
            `archive member is ${member.size} bytes, over the ${limits.maxMemberBytes} byte limit`,
            file,
          );
        return readFile(file).catch(() => null);
      },
    };
  }
  const zip = new Uint8Array(await readFile(absolute));
  const directory: ZipEntry[] = [];
  try {
    // The filter sees each member's directory entry; returning false lists it without inflating it.
    unzipSync(zip, {
      filter: (f) => {
        directory.push({ name: f.name, size: f.size, originalSize: f.originalSize });
        return false;
      },
    });
  } catch (err) {
    throw new SporeprintError('INVALID_INPUT', `not a readable zip archive (${(err as Error).message})`, absolute);
  }
  checkZipDirectory(directory, limits, absolute);
  const names = new Set(directory.map((e) => e.name));
  // Some tools zip the archive inside a top folder; paths in meta.xml are relative to meta.xml itself.
  const metaKey = directory.map((e) => e.name).find((k) => k === 'meta.xml' || k.endsWith('/meta.xml'));
  const prefix = metaKey ? metaKey.slice(0, -'meta.xml'.length) : '';
  return {
    origin: absolute,
    isZip: true,
    folder: null,
    read: async (relative) => {
      const key = prefix + relative.replace(/\\/g, '/').replace(/^\.\//, '');
      if (!names.has(key)) return null;
      let data: Uint8Array | undefined;
      try {
        data = unzipSync(zip, { filter: (f) => f.name === key })[key];
      } catch (err) {
        throw new SporeprintError('INVALID_INPUT', `zip member ${key} cannot be inflated (${(err as Error).message})`, absolute);
      }
      if (!data) return null;
      if (data.byteLength > limits.maxMemberBytes)
        throw new SporeprintError('INVALID_INPUT', `zip member ${key} expands past the ${limits.maxMemberBytes} byte limit`, absolute);
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    },
  };
}

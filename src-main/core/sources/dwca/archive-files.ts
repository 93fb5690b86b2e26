// Uniform access to a Darwin Core Archive given as a .zip or as an unpacked folder.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { SporeprintError } from '../../errors';

export interface ArchiveFiles {
  /** The archive as given (zip file or folder), for messages. */
  readonly origin: string;
  readonly isZip: boolean;
  /** A file of the archive by its path relative to the archive root, or null when absent. */
  read(relative: string): Promise<Buffer | null>;
  /** Folder against which relative media paths resolve when the archive is a folder. */
  readonly folder: string | null;
}

export async function openArchive(origin: string): Promise<ArchiveFiles> {
  const absolute = path.resolve(origin);
  const info = await stat(absolute).catch(() => null);
  if (!info) throw new SporeprintError('NOT_FOUND', 'no such archive file or folder', absolute);
  if (info.isDirectory()) {
    return {
      origin: absolute,
      isZip: false,
      folder: absolute,
      read: async (relative) => {
        const file = path.resolve(absolute, relative);
        // meta.xml names files inside the archive; never read outside it.
        if (!file.startsWith(absolute + path.sep)) return null;
        return readFile(file).catch(() => null);
      },
    };
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await readFile(absolute)));
  } catch (err) {
    throw new SporeprintError('INVALID_INPUT', `not a readable zip archive (${(err as Error).message})`, absolute);
  }
  // Some tools zip the archive inside a top folder; paths in meta.xml are relative to meta.xml itself.
  const metaKey = Object.keys(entries).find((k) => k === 'meta.xml' || k.endsWith('/meta.xml'));
  const prefix = metaKey ? metaKey.slice(0, -'meta.xml'.length) : '';
  return {
    origin: absolute,
    isZip: true,
    folder: null,
    read: async (relative) => {
      const key = prefix + relative.replace(/\\/g, '/').replace(/^\.\//, '');
      const data = entries[key];
      return data ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : null;
    },
  };
}

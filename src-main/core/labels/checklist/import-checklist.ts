// Imports a checklist into the library, from a file the library's machine can read or from bytes the app uploaded:
// refuses what is not a text checklist with a sentence naming the file.
import path from 'node:path';
import type { ChecklistImport } from '../../../../src-shared/api/taxa';
import { CHECKLIST_UPLOAD_MAX_BYTES } from '../../../../src-shared/defaults';
import type { Db } from '../../catalog/database';
import { SporeprintError } from '../../errors';
import { readRegularFileSync } from '../../files/regular-file';
import { parseChecklist } from './parse-checklist';
import { replaceChecklist } from './checklist-store';

/** Every described fungus is ~150k names (~5 MB with authorship); a file far beyond that is not a checklist. */
const MAX_CHECKLIST_BYTES = 64 * 1024 * 1024;

/** `given` is an absolute path; the list is kept under `name` when given, else under that path. */
export function importChecklistFile(db: Db, given: string, name?: string): ChecklistImport {
  if (!path.isAbsolute(given)) throw new SporeprintError('INVALID_INPUT', 'the checklist must be a full path, not a relative one', given);
  const file = path.normalize(given);
  return importChecklistBytes(db, readRegularFileSync(file, 'the checklist', MAX_CHECKLIST_BYTES), file, name ?? file);
}

/** A file the user picked in the app, kept under its file name (a re-upload of that name replaces it). */
export function importUploadedChecklist(db: Db, fileName: string, contentBase64: string): ChecklistImport {
  // base64 decodes to 3 bytes per 4 characters: the size is known before decoding.
  const size = Math.floor((contentBase64.length * 3) / 4) - (contentBase64.match(/=+$/)?.[0].length ?? 0);
  if (size > CHECKLIST_UPLOAD_MAX_BYTES)
    throw new SporeprintError(
      'FILE_TOO_LARGE',
      `is ${(size / 1048576).toFixed(1)} MB, over the ${CHECKLIST_UPLOAD_MAX_BYTES / 1048576} MB limit for a checklist picked in the app (import a larger one by its path: sporeprint taxa import-checklist FILE)`,
      fileName,
    );
  return importChecklistBytes(db, Buffer.from(contentBase64, 'base64'), fileName, fileName);
}

/** `file` names the source in errors; `name` is what the list is kept under. */
function importChecklistBytes(db: Db, bytes: Buffer, file: string, name: string): ChecklistImport {
  if (bytes.length === 0) throw new SporeprintError('EMPTY_FILE', 'is empty: expected one scientific name per line', file);
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])))
    throw new SporeprintError(
      'UNSUPPORTED_FORMAT',
      'is a zip archive (a Darwin Core Archive?): unpack it and import its taxon file (e.g. taxon.txt)',
      file,
    );
  if (bytes.includes(0)) throw new SporeprintError('UNSUPPORTED_FORMAT', 'is not a text file (it holds NUL bytes)', file);
  const parsed = parseChecklist(bytes.toString('utf8'));
  if (parsed.names.length === 0)
    throw new SporeprintError(
      'UNSUPPORTED_FORMAT',
      'holds no taxon names: expected one scientific name per line, or a Darwin Core taxon file whose header names a scientificName column',
      file,
    );
  replaceChecklist(db, name, parsed.names);
  return { file: name, format: parsed.format, names: parsed.names.length, skipped: parsed.skipped, skippedLines: parsed.skippedLines };
}

// Imports a checklist file into the library: refuses what is not a text checklist with a sentence naming the file.
import path from 'node:path';
import type { ChecklistImport } from '../../../../src-shared/api/taxa';
import type { Db } from '../../catalog/database';
import { SporeprintError } from '../../errors';
import { readRegularFileSync } from '../../files/regular-file';
import { parseChecklist } from './parse-checklist';
import { replaceChecklist } from './checklist-store';

/** Every described fungus is ~150k names (~5 MB with authorship); a file far beyond that is not a checklist. */
const MAX_CHECKLIST_BYTES = 64 * 1024 * 1024;

export function importChecklist(db: Db, given: string): ChecklistImport {
  if (!path.isAbsolute(given)) throw new SporeprintError('INVALID_INPUT', 'the checklist must be a full path, not a relative one', given);
  const file = path.normalize(given);
  const bytes = readRegularFileSync(file, 'the checklist', MAX_CHECKLIST_BYTES);
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
  replaceChecklist(db, file, parsed.names);
  return { file, format: parsed.format, names: parsed.names.length, skipped: parsed.skipped, skippedLines: parsed.skippedLines };
}

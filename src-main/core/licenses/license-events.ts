// The licence audit trail: one row per change of one image's licence, credit or source URL, with what it replaced.
import * as z from 'zod';
import type { LicenseEvent, LicenseState } from '../../../src-shared/api/licenses';
import type { Db } from '../catalog/database';
import { parseCount, parseJsonColumn, parseRow, parseRows } from '../catalog/parse-rows';

export type LicenseFields = Omit<LicenseState, 'imageId'>;
export type LicenseAction = LicenseEvent['action'];

const licenseFields = z.object({
  license: z.string().nullable(),
  attribution: z.string().nullable(),
  sourceUrl: z.string().nullable(),
}) satisfies z.ZodType<LicenseFields>;

const eventRow = z.object({
  id: z.number().int(),
  image_id: z.number().int(),
  change_id: z.number().int(),
  at: z.string(),
  author: z.string().nullable(),
  action: z.enum(['set', 'ingest', 'normalize', 'undo'] satisfies LicenseAction[]),
  license: z.string().nullable(),
  attribution: z.string().nullable(),
  source_url: z.string().nullable(),
  previous_json: z.string(),
  undoes: z.number().int().nullable(),
  note: z.string().nullable(),
});
type EventRow = z.output<typeof eventRow>;
/** A snapshot may predate a field (older rows lack sourceUrl): a missing one reads as null. */
const previousFields = licenseFields.partial();

export function readLicenseFields(db: Db, imageId: number): LicenseFields | undefined {
  const row = db.prepare(`SELECT license, attribution, source_url AS sourceUrl FROM image WHERE id = ?`).get(imageId);
  return parseRow(licenseFields, row, 'image licence');
}

/** A new change id, one per command, so the rows one `license set <folder>` wrote stay recognisable together. */
export function nextLicenseChangeId(db: Db): number {
  return parseCount(db.prepare(`SELECT coalesce(max(change_id), 0) + 1 FROM license_event`).pluck().get(), 'next licence change id') || 1;
}

export interface LicenseChange {
  imageId: number;
  changeId: number;
  author: string | null;
  action: LicenseAction;
  before: LicenseFields;
  after: LicenseFields;
  undoes?: number | null;
  note?: string | null;
}

/** Writes the image's new fields and the event that records them, in the caller's transaction. */
export function applyLicenseChange(db: Db, c: LicenseChange): void {
  db.prepare(
    `UPDATE image SET license = ?, attribution = ?, source_url = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
  ).run(c.after.license, c.after.attribution, c.after.sourceUrl, c.imageId);
  db.prepare(
    `INSERT INTO license_event (image_id, change_id, author, action, license, attribution, source_url, previous_json, undoes, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    c.imageId,
    c.changeId,
    c.author,
    c.action,
    c.after.license,
    c.after.attribution,
    c.after.sourceUrl,
    JSON.stringify(c.before),
    c.undoes ?? null,
    c.note ?? null,
  );
}

export function sameLicenseFields(a: LicenseFields, b: LicenseFields): boolean {
  return a.license === b.license && a.attribution === b.attribution && a.sourceUrl === b.sourceUrl;
}

export function readLicenseEvents(db: Db, imageId: number): LicenseEvent[] {
  const rows = db
    .prepare(
      `SELECT id, image_id, change_id, at, author, action, license, attribution, source_url, previous_json, undoes, note
       FROM license_event WHERE image_id = ? ORDER BY id`,
    )
    .all(imageId);
  return parseRows(eventRow, rows, 'licence event').map(eventFromRow);
}

export function eventFromRow(row: EventRow): LicenseEvent {
  const before = parseLicenseSnapshot(row.previous_json);
  return {
    id: row.id,
    imageId: row.image_id,
    changeId: row.change_id,
    at: row.at,
    author: row.author,
    action: row.action,
    from: { license: before.license ?? null, attribution: before.attribution ?? null, sourceUrl: before.sourceUrl ?? null },
    to: { license: row.license, attribution: row.attribution, sourceUrl: row.source_url },
    note: row.note,
  };
}

/** Newest events first, for undo: the raw rows with the link an undo keeps to what it cancelled. */
export function readUndoCandidates(db: Db, imageId: number): EventRow[] {
  const rows = db
    .prepare(
      `SELECT id, image_id, change_id, at, author, action, license, attribution, source_url, previous_json, undoes, note
       FROM license_event WHERE image_id = ? ORDER BY id DESC`,
    )
    .all(imageId);
  return parseRows(eventRow, rows, 'licence event');
}

/** The fields an event replaced (license_event.previous_json), for the history and for undo. */
export function parseLicenseSnapshot(json: string): Partial<LicenseFields> {
  return parseJsonColumn(previousFields, json, 'license_event.previous_json');
}
export type { EventRow as LicenseEventRow };

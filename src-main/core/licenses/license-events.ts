// The licence audit trail: one row per change of one image's licence, credit or source URL, with what it replaced.
import type { LicenseEvent, LicenseState } from '../../../src-shared/api/licenses';
import type { Db } from '../catalog/database';

export type LicenseFields = Omit<LicenseState, 'imageId'>;
export type LicenseAction = LicenseEvent['action'];

interface EventRow {
  id: number;
  image_id: number;
  change_id: number;
  at: string;
  author: string | null;
  action: LicenseAction;
  license: string | null;
  attribution: string | null;
  source_url: string | null;
  previous_json: string;
  undoes: number | null;
  note: string | null;
}

export function readLicenseFields(db: Db, imageId: number): LicenseFields | undefined {
  return db.prepare(`SELECT license, attribution, source_url AS sourceUrl FROM image WHERE id = ?`).get(imageId) as
    LicenseFields | undefined;
}

/** A new change id, one per command, so the rows one `license set <folder>` wrote stay recognisable together. */
export function nextLicenseChangeId(db: Db): number {
  return (db.prepare(`SELECT coalesce(max(change_id), 0) + 1 FROM license_event`).pluck().get() as number) || 1;
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
    .all(imageId) as EventRow[];
  return rows.map(eventFromRow);
}

/** Rows are parsed once here: previous_json is written only by applyLicenseChange. */
export function eventFromRow(row: EventRow): LicenseEvent {
  const before = JSON.parse(row.previous_json) as LicenseFields;
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
  return db
    .prepare(
      `SELECT id, image_id, change_id, at, author, action, license, attribution, source_url, previous_json, undoes, note
       FROM license_event WHERE image_id = ? ORDER BY id DESC`,
    )
    .all(imageId) as EventRow[];
}
export type { EventRow as LicenseEventRow };

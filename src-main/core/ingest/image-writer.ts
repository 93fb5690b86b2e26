// Writes images and their locations; one image per unique content, one location per file path.
import type { ImageAnalysis } from '../imaging/analyze-image';
import type { Db } from '../catalog/database';
import { parseOptionalId } from '../catalog/parse-rows';

export interface ImageProvenance {
  license: string | null;
  attribution: string | null;
  sourceUrl: string | null;
  observationGroup: string | null;
}

export class ImageWriter {
  private readonly insert;
  private readonly bySha;
  private readonly upsertLoc;
  private readonly fillProvenance;
  private readonly insertMatchThumbnail;

  constructor(db: Db) {
    this.insert = db.prepare(`
      INSERT INTO image (sha256, perceptual_hash, fingerprint, fingerprint_version, format, width, height, file_size,
        quality_score, quality_resolution, quality_sharpness, quality_noise, quality_colour, quality_artefacts, quality_version, is_hq,
        license, attribution, source_url, observation_group, captured_at, camera_make, camera_model, gps_lat, gps_lon, exif_json)
      VALUES (@sha256, @phash, @fingerprint, @fingerprintVersion, @format, @width, @height, @fileSize,
        @score, @resolution, @sharpness, @noise, @colour, @artefacts, @qualityVersion, @isHq,
        @license, @attribution, @sourceUrl, @observationGroup, @capturedAt, @cameraMake, @cameraModel, @gpsLat, @gpsLon, @exifJson)`);
    this.insertMatchThumbnail = db.prepare(
      `INSERT INTO match_thumbnail (image_id, version, data) VALUES (?, ?, ?)
       ON CONFLICT(image_id) DO UPDATE SET version = excluded.version, data = excluded.data`,
    );
    this.bySha = db.prepare(`SELECT id FROM image WHERE sha256 = ?`).pluck();
    this.upsertLoc = db.prepare(`
      INSERT INTO location (image_id, path, size, mtime_ms) VALUES (?, ?, ?, ?)
      ON CONFLICT(path) DO UPDATE SET image_id = excluded.image_id, size = excluded.size, mtime_ms = excluded.mtime_ms,
        last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`);
    // Provenance from a later copy only fills gaps; it never overwrites what an earlier source said. A licence
    // nobody could read (UNKNOWN) is a gap too: a copy, or a corrected sidecar, that names one fills it.
    this.fillProvenance = db.prepare(`
      UPDATE image SET license = CASE WHEN license IS NULL OR (license = 'UNKNOWN' AND @license IS NOT NULL) THEN @license ELSE license END,
        attribution = coalesce(attribution, @attribution),
        source_url = coalesce(source_url, @sourceUrl), observation_group = coalesce(observation_group, @observationGroup),
        updated_at = CASE WHEN (license IS NULL AND @license IS NOT NULL) OR (license = 'UNKNOWN' AND @license <> 'UNKNOWN')
          OR (attribution IS NULL AND @attribution IS NOT NULL)
          OR (source_url IS NULL AND @sourceUrl IS NOT NULL) OR (observation_group IS NULL AND @observationGroup IS NOT NULL)
          THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') ELSE updated_at END
      WHERE id = @id`);
  }

  findIdBySha(sha256: string): number | undefined {
    return parseOptionalId(this.bySha.get(sha256), 'image id by content');
  }

  insertImage(sha256: string, fileSize: number, a: ImageAnalysis, provenance: ImageProvenance): number {
    const result = this.insert.run({
      sha256,
      phash: a.perceptualHash,
      fingerprint: Buffer.from(a.fingerprint),
      fingerprintVersion: a.fingerprintVersion,
      format: a.format,
      width: a.width,
      height: a.height,
      fileSize,
      score: a.qualityScore,
      ...a.quality,
      qualityVersion: a.qualityVersion,
      isHq: a.isHq ? 1 : 0,
      ...provenance,
      ...a.exif,
      exifJson: a.exifJson,
    });
    const id = Number(result.lastInsertRowid);
    this.insertMatchThumbnail.run(id, a.matchThumbnail[0] ?? 0, Buffer.from(a.matchThumbnail));
    return id;
  }

  addProvenance(imageId: number, provenance: ImageProvenance): void {
    this.fillProvenance.run({ id: imageId, ...provenance });
  }

  upsertLocation(imageId: number, path: string, size: number, mtimeMs: number): void {
    this.upsertLoc.run(imageId, path, size, mtimeMs);
  }
}

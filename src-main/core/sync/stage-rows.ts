// Binary COPY payloads for the push's staging tables, which MERGE_BATCH merges into the server's tables by the rules.
import { derivativeRelativePath } from '../library-paths';
import { SporeprintError } from '../errors';
import { BinaryCopyWriter } from './copy-binary';
import type { LocalEventRow, LocalImageRow } from './local-changes';
import { labelUpdatedAt, type ImagePlan } from './plan-image';
import { STAGE_IMAGE_FIELDS } from './push-statements';

/** One image of a batch with the push's decision for it and whether the server already holds it. */
export interface PlannedImage {
  image: LocalImageRow;
  plan: ImagePlan;
  known: boolean;
  /** The server holds the image's source and derivative paths, which the merge keeps (first push wins). */
  serverHasPaths: boolean;
}

/** An event to append: the client's own (with its id) or a dispute the push writes for the server. */
export interface OutgoingEvent {
  sha: string;
  e: LocalEventRow;
  fromClient: boolean;
}

/**
 * The columns a staging row and a new media.image row share, in the same order in both: what the library measured
 * (hash, size, quality) and its claims (licence, credit, source URL). One writer, so a new column is added once.
 */
export function writeMeasuresAndClaims(w: BinaryCopyWriter, i: LocalImageRow): BinaryCopyWriter {
  return w
    .text(i.perceptual_hash)
    .int4(i.width)
    .int4(i.height)
    .text(i.format)
    .int8(i.file_size)
    .float4(i.quality_score)
    .float4(i.quality_resolution)
    .float4(i.quality_sharpness)
    .float4(i.quality_noise)
    .float4(i.quality_colour)
    .float4(i.quality_artefacts)
    .bool(i.is_hq === 1)
    .text(i.license)
    .text(i.attribution)
    .text(i.source_url);
}

/** The image's source and its derivative paths, the columns both rows carry after duplicate_of. */
export function writeSourceAndPaths(w: BinaryCopyWriter, i: LocalImageRow): BinaryCopyWriter {
  return w
    .text(i.source)
    .text(derivativeRelativePath(i.sha256, 'thumb', 'jpeg'))
    .text(derivativeRelativePath(i.sha256, 'small', 'jpeg'))
    .text(derivativeRelativePath(i.sha256, 'medium', 'jpeg'))
    .text(derivativeRelativePath(i.sha256, 'large', 'jpeg'));
}

/**
 * Images the server holds, with what the library measured and claims and the push's label decision. The source and
 * derivative paths go only where the server lacks one: the merge keeps the server's (COALESCE), so they were ~60% of
 * the payload's bytes (and of building it) for nothing once the first push wrote them.
 */
export function stageImages(rows: PlannedImage[]): Buffer {
  // About 700 bytes a row with the four derivative paths: sized once, not grown by copying.
  const w = new BinaryCopyWriter(rows.length * 800);
  for (const { image: i, plan: p, serverHasPaths } of rows) {
    w.row(STAGE_IMAGE_FIELDS).text(i.sha256);
    writeMeasuresAndClaims(w, i).text(i.duplicate_of);
    if (serverHasPaths) w.text(null).text(null).text(null).text(null).text(null);
    else writeSourceAndPaths(w, i);
    w.bool(p.labelChanged)
      .text(p.taxon)
      .text(p.rank)
      .text(p.state)
      .text(p.author)
      .text(p.labelClient)
      .text(labelUpdatedAt(i, p))
      .int4(p.rev);
  }
  return w.finish();
}

/** The vectors of `images` as real[] rows; null when none has one. */
export function stageEmbeddings(images: LocalImageRow[], vectors: Map<number, Buffer>): Buffer | null {
  const w = new BinaryCopyWriter(vectorPayloadBytes(vectors, 80));
  for (const image of images) {
    const v = vectors.get(image.id);
    if (v) w.row(2).text(image.sha256).float4ArrayOfBytes(v);
  }
  return w.rows > 0 ? w.finish() : null;
}

/**
 * Room for `vectors` in a COPY payload, each with `otherBytes` for its other fields: a real[] takes two bytes per byte
 * stored (a length per value), sized once rather than doubled and copied as it grows (~0.4 s of a 20k push at 512-d).
 */
export function vectorPayloadBytes(vectors: Map<number, Buffer>, otherBytes: number): number {
  let bytes = 64;
  for (const v of vectors.values()) bytes += 2 * v.byteLength + 24 + otherBytes;
  return bytes;
}

/** The one size of a batch's vectors (the server registers it per model); null when the batch has none. */
export function vectorSize(model: string, vectors: Map<number, Buffer>): number | null {
  let dim: number | null = null;
  for (const v of vectors.values()) {
    const size = v.byteLength / 4;
    if (dim !== null && size !== dim) {
      throw new SporeprintError('SYNC_FAILED', `embeddings of ${model} have mixed sizes (${size} and ${dim})`);
    }
    dim = size;
  }
  return dim;
}

// Every threshold and size the product uses, in one place so that docs, code and tests agree.

/** Derivative long edges in pixels; the thumbnail is a square crop. Never upscaled. */
export const DERIVATIVE_SIZES = { thumb: 150, small: 320, medium: 640, large: 1280 } as const;
export type DerivativeSize = keyof typeof DERIVATIVE_SIZES;
export const DERIVATIVE_NAMES = Object.keys(DERIVATIVE_SIZES) as DerivativeSize[];
export const DERIVATIVE_FORMATS = ['jpeg', 'webp'] as const;
export type DerivativeFormat = (typeof DERIVATIVE_FORMATS)[number];
export const JPEG_QUALITY = 90;
export const WEBP_QUALITY = 85;

/** Validation limits; IMAGE_MAX_SIZE_MB overrides the file size limit. */
export const DEFAULT_MAX_FILE_MB = 50;
export const MIN_DIMENSION_PX = 32;
/** Decompression-bomb guard: more pixels than this is refused before decoding. */
export const MAX_PIXELS = 120_000_000;
/** Widest width:height (or height:width) accepted; 32 x 3,000,000 is a strip, not a photograph. */
export const MAX_ASPECT_RATIO = 50;
/** Crashes of the decode worker on one file's unchanged bytes after which ingest rejects the file (issue 13). */
export const DECODER_CRASH_LIMIT = 3;
/** Largest sidecar (CSV/JSON beside photos) read; a bigger one is reported and skipped. */
export const SIDECAR_MAX_BYTES = 16 * 1024 * 1024;

/** Quality: weights of the components of the 0-100 score. */
export const QUALITY_WEIGHTS = { resolution: 0.3, sharpness: 0.3, noise: 0.2, colour: 0.2 } as const;
/** Long edge at which the resolution component is full. */
export const FULL_RESOLUTION_PX = 1600;
/** Long edge of the grey image that sharpness and noise are measured on, so they compare across sizes. */
export const ANALYSIS_LONG_EDGE = 512;
/**
 * Laplacian variance (noise part removed) that earns full sharpness marks; the score is logarithmic,
 * ln(1 + v) / ln(1 + full), because real photos span v ~ 50 (soft) to ~ 4000 (crisp foliage).
 */
export const SHARPNESS_FULL_VARIANCE = 10000;
/** Side of the square tiles (at the analysis size) sharpness is measured on; the sharpest share of them counts. */
export const SHARPNESS_TILE_PX = 64;
export const SHARPNESS_TOP_TILE_SHARE = 0.25;
/** Blockiness (compression-artefacts.ts) up to which an image counts as clean, and at which artefacts score 0. */
export const ARTEFACT_BLOCKINESS_CLEAN = 0.25;
export const ARTEFACT_BLOCKINESS_ZERO = 1;
/** Mean luma (0-255) under which the exposure part falls in proportion (underexposed frames). */
export const DARK_MEAN_LUMA_FULL = 60;
/** Version of the quality formulas; images scored by an older version are re-scored (see rescore-quality.ts). */
export const QUALITY_VERSION = 2;
/** Noise is estimated per tile of this side (at the analysis size); this percentile of the tile estimates counts. */
export const NOISE_TILE_PX = 32;
export const NOISE_TILE_PERCENTILE = 0.1;
/** Noise sigma (grey levels, 0-255) at which the noise component reaches zero. */
export const NOISE_SIGMA_ZERO = 12;
/** Mean HSV saturation giving full colour marks. */
export const SATURATION_FULL = 0.25;
/** Fraction of clipped pixels (each end) at which the exposure part reaches zero. */
export const CLIPPED_FRACTION_ZERO = 0.15;

/** High-quality cut-offs (MINDEX is_hq). */
export const HQ_MIN_LONG_EDGE = 1600;
export const HQ_MIN_SCORE = 70;

/** Near-duplicate defaults. */
export const DEFAULT_DUPLICATE_THRESHOLD = 10;
/**
 * A candidate pair within the Hamming threshold is a duplicate only if the DCT coefficients behind the two hashes
 * correlate at least this well: copies (crops, flips, brightness, thumbnails) measure >= 0.98, distinct photos of
 * one species that happen to share a hash neighbourhood <= 0.94 on the mushroom-observer set.
 */
export const MIN_DUPLICATE_CORRELATION = 0.96;
/**
 * The stricter bar for matches through a one-sided crop window (16 per image, so more chances for a look-alike):
 * cuts within ~2% of a window measure >= 0.987, distinct photos at most 0.967 on the mushroom-observer set.
 */
export const MIN_SIDE_CROP_CORRELATION = 0.985;

/**
 * The content check every candidate pair passes before it is a duplicate (duplicates/verify): keypoints must agree
 * under one rotation + scale + shift (optionally mirrored), and then, aligned, the textured 16 px blocks of the two
 * 128 px grey renditions must correlate in fine detail (band-passed) at CONTENT_BLOCK_CORRELATION or better in at
 * least CONTENT_MIN_BLOCK_SHARE of the blocks. Tuned on speciesOfHalf('tune'): copies keep >= 0.68 of their blocks
 * (a caption band costs its blocks), two shots of one scene seconds apart <= 0.50.
 */
export const CONTENT_MIN_INLIERS = 12;
export const CONTENT_BLOCK_CORRELATION = 0.9;
export const CONTENT_MIN_BLOCK_SHARE = 0.6;
export const CONTENT_MIN_BLOCKS = 4;
/**
 * A candidate this close in hash space whose DCT coefficients also correlate is a copy without the content check
 * (at 128 px the check misses some thumbnails, tight crops and turned copies of real photos); above it, the content
 * check decides. Chosen on speciesOfHalf('tune') with `npm run bench:duplicates -- --content-only --half tune`
 * (its bypass sweep): recall rises up to 8 (rotations at 4, a caption copy at 8) while no value up to 9 adds a
 * false pair to the content check's own; 10 adds one, and issue 14's look-alikes were at 10-12.
 */
export const CONTENT_BYPASS_DISTANCE = 8;
/**
 * Not in force since fingerprint v5 (content-only-gate.ts: candidateGates): the v4 rule's margin, kept as an option of
 * CandidateGates and measured beside the product's gates in bench:duplicates. It read:
 * Whole pictures (under any flip or quarter turn) this many bits past the default threshold are candidates too (in
 * proportion at other thresholds: none at 0, so a strict slider stays strict), decided by the content check alone: an overlay (a watermark across the middle, a logo) moves the whole-picture hash 12-18
 * bits while the keypoints and most 16 px blocks still agree. Only the whole picture gets the margin, not the ~30
 * region targets: one more join of 8 flips x 1 hash per image, ~0.19 of the region join's work by the cost model.
 * Chosen on speciesOfHalf('tune'): at 4, watermarked copies found rise from 45 to 49 of 50; distinct photos whose
 * whole pictures lie within 14 bits add 4 candidates to 6 (4,851 pairs) and the content check rejects all of them.
 */
export const WHOLE_PICTURE_MARGIN = 4;
/**
 * The two upright whole pictures (no flip) this many bits past the default threshold are candidates too, decided by
 * the content check alone: a watermark or logo can move the whole hash 16 bits, and one hash pair per image pair
 * at 16 bits costs far less in the join than the 8 flips of WHOLE_PICTURE_MARGIN would at 16. Chosen on
 * speciesOfHalf('tune') (300 watermarked copies, 6 per photo): found 283 -> 290; at 8 (18 bits) 295, but distinct
 * photos within 18 bits rise from 2 to 16 of 4,851 pairs. pHashes hold 32 set bits each, so distances are even.
 */
export const UPRIGHT_WHOLE_MARGIN = 6;
/**
 * The upright gate's pairs must also be within this many bits of the upright pictures' 128-bit key (pHash + edge hash
 * of dihedral[0]; in proportion at other thresholds), issue 19/14: an overlay moves the pHash but leaves most edges
 * where they were, while two different photographs 16 pHash bits apart rarely share their edges. Chosen on
 * speciesOfHalf('tune') (`npm run bench:duplicates -- --content-only --half tune --content-species 50`): the 4
 * watermarked copies only the upright gate brings have keys 12, 22, 22, 24, every pair of distinct photos it brings
 * is past 40; 32 leaves 8 bits over the largest copy, since 4 copies are a small sample (on eval the largest is 30,
 * and 28 would lose a watermark). On the scale corpus's 30,000 views it keeps 747 of the 93,847 pairs that came only
 * through the upright gate, both planted copies among them (10,000 views: 84 of 10,223).
 */
export const UPRIGHT_KEY_THRESHOLD = 32;
/**
 * Fingerprint v5 (issue 19): a hash pair within the threshold is a candidate only when
 * the 128-bit key of pHash + edge hash (imaging/edge-hash.ts) is within this many bits too (in proportion at other
 * thresholds; the content-only gates of content-only-gate.ts do not read it). Chosen on speciesOfHalf('tune') with `npm run
 * bench:duplicates -- --candidate-rules --half tune`: the smallest value keeping every copy the product confirms
 * (22 loses a watermarked copy); it leaves 17 of 55,798 pairs of a copy and another species' photo, not 139. Alone
 * (under v4's gates) it lost 4 of 50 off-centre crops on eval; beside the content-only gates those crops come in
 * through the off-centre windows, and eval recall is unchanged (README, *More bits per target*).
 */
export const EDGE_KEY_THRESHOLD = 24;

/** Licences allowed into training sets unless the user overrides the list. */
export const DEFAULT_LICENSE_ALLOW_LIST = ['CC0', 'PD', 'CC-BY', 'CC-BY-SA'] as const;

/** Embedding defaults (env overrides: IMAGE_BATCH_SIZE, IMAGE_TARGET_SIZE, CLIP_MODEL). */
export const DEFAULT_IMAGE_BATCH_SIZE = 10;
export const DEFAULT_IMAGE_TARGET_SIZE = 224;
export const DEFAULT_CLIP_MODEL = 'Xenova/clip-vit-base-patch32';

/** Progress events are emitted at most this often per job. */
export const PROGRESS_INTERVAL_MS = 100;

/** A failed download (truncated, not an image, a server error) is not asked for again before this back-off,
 * which doubles with each failed attempt up to the maximum. */
export const FAILED_DOWNLOAD_BACKOFF_HOURS = 1;
export const FAILED_DOWNLOAD_BACKOFF_MAX_HOURS = 24 * 30;

/** Darwin Core Archive zips (issue 13): caps checked from the zip's directory before anything is inflated. */
export const DWCA_MAX_EXPANDED_BYTES = 16 * 1024 * 1024 * 1024;
/** Largest single member inflated into memory (meta.xml, a core or extension table, one photo). */
export const DWCA_MAX_MEMBER_BYTES = 1024 * 1024 * 1024;
/** Real tables compress 5-20x and photos ~1x; a zip bomb is 1000x. */
export const DWCA_MAX_EXPANSION_RATIO = 200;

/** A checklist uploaded from the browser travels base64-encoded in one API call, so it is capped below the body limit. */
export const CHECKLIST_UPLOAD_MAX_BYTES = 32 * 1024 * 1024;
/** The file types the Checklists panel's picker offers: a list of names or a Darwin Core taxon file. */
export const CHECKLIST_FILE_TYPES = ['.txt', '.tsv', '.csv', '.tab'] as const;

/** Formats a browser (and Electron) shows as they are; the loupe's 100 % gets the others converted (TIFF, HEIF). */
export const BROWSER_IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif'] as const;
/** The largest original converted for 100 % (a TIFF scan beyond it would take seconds and hundreds of MB). */
export const ORIGINAL_DISPLAY_MAX_PIXELS = 60_000_000;
/** Converted originals are kept for the next look, up to this many bytes; the least recently shown go first. */
export const ORIGINAL_DISPLAY_CACHE_BYTES = 1024 * 1024 * 1024;

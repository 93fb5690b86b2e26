// Domain types shared by main and renderer: what an image, a label, a cluster, a job and a hit are.

export const LABEL_STATES = ['source_claimed', 'model_suggested', 'human_verified', 'disputed'] as const;
export type LabelState = (typeof LABEL_STATES)[number];

export const TAXON_RANKS = ['kingdom', 'phylum', 'class', 'order', 'family', 'genus', 'species', 'subspecies', 'variety', 'form'] as const;
export type TaxonRank = (typeof TAXON_RANKS)[number];

export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Codes of every domain error; glue turns them into words. */
export const ERROR_CODES = [
  'UNSUPPORTED_FORMAT',
  'FILE_TOO_LARGE',
  'EMPTY_FILE',
  'TOO_SMALL',
  'TOO_MANY_PIXELS',
  'CORRUPT_IMAGE',
  'UNREADABLE',
  'NOT_FOUND',
  'INVALID_INPUT',
  'INVALID_TRANSITION',
  'MODEL_MISSING',
  'MODEL_INVALID',
  'PROVIDER_UNAVAILABLE',
  'INDEX_ERROR',
  'EXPORT_FAILED',
  'SYNC_FAILED',
  'SCHEMA_MISSING',
  'SOURCE_FAILED',
  'CANCELLED',
  /** A native module (e.g. better-sqlite3 for Electron's ABI) is not installed for this runtime. */
  'NATIVE_MODULE_MISSING',
  /** Another process owns the library (library.lock names it); see the README's "One owner per library". */
  'LIBRARY_IN_USE',
  /** The catalogue or its folder cannot be written, or this process opened it read-only beside its owner. */
  'LIBRARY_READ_ONLY',
  /** The thread that owned the library died; the app offers to reopen it. */
  'LIBRARY_STOPPED',
  'INTERNAL',
  /** The disk holding the library (or a temp folder) is full or over quota: the run stops, nothing is rejected. */
  'DISK_FULL',
  /** A file system call around a file failed (permission, I/O error, vanished, too many open files): retried later. */
  'IO_FAILED',
  /** Width and height differ more than MAX_ASPECT_RATIO to 1 (e.g. 32 x 3,000,000): refused from the header. */
  'EXTREME_ASPECT_RATIO',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface QualityComponents {
  resolution: number;
  sharpness: number;
  noise: number;
  colour: number;
  /** Compression artefacts (JPEG blockiness), 100 = none; shares the noise weight (the worse of the two counts). */
  artefacts: number;
}

export interface Label {
  taxon: string;
  rank: TaxonRank;
  state: LabelState;
  author: string | null;
  updatedAt: string;
  note: string | null;
  evidence: LabelEvidence | null;
}

export interface LabelEvidence {
  source?: string;
  modelId?: string;
  score?: number;
  /** For a verification at a coarser rank: the taxon the source claimed. */
  claimedTaxon?: string;
}

export interface LabelEvent {
  id: number;
  imageId: number;
  at: string;
  author: string | null;
  action: 'claim' | 'suggest' | 'verify' | 'dispute' | 'undo' | 'sync';
  fromState: LabelState | null;
  toState: LabelState | null;
  fromTaxon: string | null;
  toTaxon: string | null;
  rank: TaxonRank | null;
  note: string | null;
  evidence: LabelEvidence | null;
}

export interface ImageSummary {
  id: number;
  sha256: string;
  width: number;
  height: number;
  format: ImageFormat;
  fileSize: number;
  qualityScore: number;
  isHq: boolean;
  license: string | null;
  taxon: string | null;
  labelState: LabelState | null;
  clusterId: number | null;
  /** Library-relative path of the 150px thumbnail (JPEG). */
  thumbPath: string;
  /** The 320 px and 640 px renditions (JPEG), for tiles larger than a thumbnail. */
  smallPath: string;
  mediumPath: string;
  primaryPath: string;
}

export interface ImageLocation {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  firstSeenAt: string;
}

export interface ExifSummary {
  capturedAt: string | null;
  cameraMake: string | null;
  cameraModel: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
}

export interface ImageDetail extends ImageSummary {
  phash: string;
  quality: QualityComponents;
  attribution: string | null;
  sourceUrl: string | null;
  observationGroup: string | null;
  exif: ExifSummary;
  locations: ImageLocation[];
  label: Label | null;
  history: LabelEvent[];
  suggestions: TaxonSuggestion[];
  derivatives: Record<string, string>;
  createdAt: string;
}

export interface TaxonSuggestion {
  taxon: string;
  score: number;
  modelId: string;
}

export interface RejectedFile {
  path: string;
  code: ErrorCode;
  message: string;
  size: number;
  at: string;
}

export type JobKind =
  | 'ingest'
  | 'embed'
  | 'suggest'
  | 'model-install'
  | 'export'
  | 'sync'
  | 'fetch-hq'
  | 'import-dwca'
  /** Re-clusters the library at a new duplicate threshold and makes it the one in force. */
  | 'duplicates-threshold'
  /** Re-scores images scored by an older quality formula. */
  | 'quality-rescore';
export type JobStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface Job {
  id: number;
  kind: JobKind;
  status: JobStatus;
  done: number;
  total: number;
  /** Items per second over the run so far. */
  rate: number;
  etaSeconds: number | null;
  error: string | null;
  /** The failure's stack, for a report (the log has it too). */
  errorStack: string | null;
  createdAt: string;
  updatedAt: string;
  /** Kind-specific outcome, e.g. counts of added/skipped/rejected for an ingest. */
  result: Record<string, unknown> | null;
  /** The folders and files an ingest reads (absolute); what the UI shows, and what a Resume starts again with. */
  paths?: string[];
}

/** Why two photos were judged near-duplicates: what the UI shows beside a cluster member. */
export interface MatchExplanation {
  /** How the member maps onto the representative, e.g. "identity", "mirror", "rotate 90", "crop 78% (top-left)". */
  transform: string;
  /** Hamming distance of the candidate hashes under that transform. */
  distance: number;
  /** Name of the content-agreement measure that confirmed the pair, e.g. "keypoint inliers" or "block correlation". */
  measure: string;
  /** Its value, on the scale `measure` states (see `detail`). */
  agreement: number;
  /** One sentence a curator can read, e.g. "41 of 52 keypoints agree under a 0.8x scale". */
  detail?: string;
}

export interface ClusterMember {
  imageId: number;
  paths: string[];
  /** Distance to the representative in the fingerprint space. */
  distance: number;
  quality: number;
  width: number;
  height: number;
  thumbPath: string;
  decision: 'keep' | null;
  /** Why this member matched the representative (null for the representative itself). */
  match?: MatchExplanation | null;
  /**
   * The member that keeps this one in the cluster after the curator said it is not a duplicate of the
   * representative (it still has confirmed matches to both); null when it matches the representative unparted.
   */
  linkedVia?: number | null;
  /** What a curator checks before merging or keeping: the label, the licence and the file's size in bytes. */
  taxon: string | null;
  labelState: LabelState | null;
  license: string | null;
  fileSize: number;
  /** Library-relative path of the 1280px derivative the compare view and its loupe show. */
  largePath: string;
}

export interface DuplicateCluster {
  id: number;
  representative: number;
  members: ClusterMember[];
  /** The largest distance on the path that joined the weakest member. */
  weakestLink: number;
  resolved: boolean;
}

export interface SearchHit {
  imageId: number;
  score: number;
  paths: string[];
  thumbPath: string;
  taxon: string | null;
  labelState: LabelState | null;
  qualityScore: number;
}

export interface ModelInfo {
  id: string;
  kind: 'clip' | 'descriptor' | 'remote';
  vectorSize: number;
  installed: boolean;
  active: boolean;
  path: string | null;
  vectorCount: number;
}

export interface LibraryStats {
  images: number;
  locations: number;
  rejected: Record<string, number>;
  hq: number;
  labelStates: Record<string, number>;
  formats: Record<string, number>;
  /** Ten buckets of width 10 over the 0-100 quality score. */
  qualityHistogram: number[];
  taxa: { taxon: string; images: number; hq: number }[];
  duplicateClusters: number;
  duplicateImages: number;
  /**
   * Files an ingest could not finish for a reason around them (full disk, permission, I/O error, vanished,
   * crashed worker), by errno or code: not rejections, the next ingest tries them again.
   */
  failed: Record<string, number>;
  /** Images whose derivative files are missing and whose original is nowhere to be read (found by `ingest`). */
  derivativesUnrecoverable: number;
}

/** Where the next page of images.list starts: the sort key and id of the last image shown (keyset paging). */
export interface ImagePageCursor {
  key: number | string;
  id: number;
}

// The layers inside core, written down once and enforced by test/unit/core/layers.test.ts (as VS Code's
// code-layering rules are): a folder imports its own files, the shared files at core's top level, infrastructure,
// and the feature domains listed BEFORE it. Nothing inside a folder imports the facade (library.ts and what
// assembles it). A new folder must be added here, or the test fails.

/** Database, jobs, threads, files, network, logging: no feature domain is imported from these. */
export const INFRASTRUCTURE = ['catalog', 'concurrency', 'files', 'jobs', 'logging', 'net', 'runtime'] as const;

/** Feature domains, lowest first: each may import only those before it (never one after it: no cycles). */
export const FEATURES = [
  'vector', // the HNSW index and vector maths
  'imaging', // decode once: hashes, fingerprints, quality, derivatives, descriptor, EXIF
  'duplicates', // candidate search, clusters, decisions over imaging's fingerprints
  'labels', // label states, transitions, audit, suggestions
  'licenses', // one licence vocabulary; licence changes by hand (set, undo, history) and the "my photos" default
  'images', // the images as the API lists and details them (with their labels)
  'embed', // embedding models, search, zero-shot suggestions
  'ingest', // scanning, validation, the resumable ingest job
  'export', // dataset writers, splits, attribution
  'sync', // PostgreSQL push and pull
  'sources', // HQ photos from iNaturalist, GBIF, Commons; Darwin Core Archives (ingests what it fetches)
  'doctor', // what this machine runs; reads every part above without opening a library
  'demo', // the demo photo folder
] as const;

/** Top-level files that assemble the domains into the library: only other top-level files import them. */
export const FACADE = ['library.ts', 'library-open.ts', 'domain-hooks.ts', 'method-access.ts', 'method-handlers.ts', 'layers.ts'] as const;

// Which API methods only read the library (allowed where it is read-only) and which change it. Every method is
// listed: a new one does not compile until it is classified, so a write can never slip through a read-only library.
import type { ApiMethod } from '../../src-shared/api';

export type MethodAccess = 'read' | 'write';

export const METHOD_ACCESS: Record<ApiMethod, MethodAccess> = {
  'library.info': 'read',
  'library.reopen': 'read',
  'stats.get': 'read',
  'diagnostics.get': 'read',
  'rejected.list': 'read',
  'images.list': 'read',
  'images.get': 'read',
  'images.resolve': 'read',
  'ingest.plan': 'read',
  'ingest.start': 'write',
  // A reader's jobs live in its own connection (jobs/job-store.ts), so following or cancelling them writes nothing.
  'jobs.get': 'read',
  'jobs.list': 'read',
  'jobs.cancel': 'read',
  // Reads the stored clusters, or previews another threshold in memory without saving it.
  'duplicates.clusters': 'read',
  'duplicates.decide': 'write',
  // An export writes only its destination, outside the library.
  'export.plan': 'read',
  'export.start': 'read',
  'labels.set': 'write',
  'labels.undo': 'write',
  'labels.history': 'read',
  'labels.queue': 'read',
  'labels.neighbours': 'read',
  'labels.taxa': 'read',
  'labels.suggest': 'write',
  'search.text': 'read',
  'search.image': 'read',
  'models.list': 'read',
  'models.use': 'write',
  'models.import': 'write',
  'models.install': 'write',
  'models.remove': 'write',
  'embed.start': 'write',
  'sources.missingHq': 'read',
  'sources.fetchHq': 'write',
  'sources.importDwca': 'write',
  'sync.status': 'read',
  'sync.start': 'write',
  'sync.resolve': 'write',
  'licenses.set': 'write',
  'licenses.undo': 'write',
  'licenses.history': 'read',
  'licenses.vocabulary': 'read',
  'licenses.setMyPhotos': 'write',
  'duplicates.applyThreshold': 'write',
  'quality.rescore': 'write',
  'labels.apply': 'write',
};

// Which domain module implements each API method, loaded on the first call of one of its methods: `sporeprint stats`
// then compiles the catalogue's queries, not the sync, export, search and sources code it never runs (half the CLI's
// start-up went to compiling one bundle of every domain).
import type { ApiMethod } from '../../src-shared/api';
import type { Handler } from './handler-types';

const MODULES = {
  library: () => import('./images/library-handlers').then((m) => m.libraryHandlers),
  images: () => import('./images/handlers').then((m) => m.imagesHandlers),
  ingest: () => import('./ingest/handlers').then((m) => m.ingestHandlers),
  duplicates: () => import('./duplicates/handlers').then((m) => m.duplicatesHandlers),
  labels: () => import('./labels/handlers').then((m) => m.labelsHandlers),
  taxa: () => import('./labels/checklist/handlers').then((m) => m.taxaHandlers),
  jobs: () => import('./jobs/handlers').then((m) => m.jobHandlers),
  sources: () => import('./sources/handlers').then((m) => m.sourcesHandlers),
  export: () => import('./export/handlers').then((m) => m.exportHandlers),
  sync: () => import('./sync/handlers').then((m) => m.syncHandlers),
  search: () => import('./embed/handlers').then((m) => m.searchHandlers),
  doctor: () => import('./doctor/handlers').then((m) => m.doctorHandlers),
  licenses: () => import('./licenses/handlers').then((m) => m.licensesHandlers),
  quality: () => import('./imaging/handlers').then((m) => m.qualityHandlers),
};

type ModuleName = keyof typeof MODULES;
type MethodsOf<N extends ModuleName> = keyof Awaited<ReturnType<(typeof MODULES)[N]>>;
/** The module whose handlers include M: an entry below naming a module without that method does not compile. */
type ModuleOf<M extends ApiMethod> = { [N in ModuleName]: M extends MethodsOf<N> ? N : never }[ModuleName];

/** Every contract method, with its module: a method without an implementation does not compile. */
const METHOD_MODULE: { [M in ApiMethod]: ModuleOf<M> } = {
  'library.info': 'library',
  'library.reopen': 'library',
  'stats.get': 'library',
  'rejected.list': 'library',
  'images.list': 'images',
  'images.get': 'images',
  'images.resolve': 'images',
  'images.neighbours': 'images',
  'images.licenses': 'images',
  'images.original': 'images',
  'ingest.plan': 'ingest',
  'ingest.start': 'ingest',
  'jobs.get': 'jobs',
  'jobs.list': 'jobs',
  'jobs.cancel': 'jobs',
  'duplicates.clusters': 'duplicates',
  'duplicates.decide': 'duplicates',
  'duplicates.applyThreshold': 'duplicates',
  'export.plan': 'export',
  'export.start': 'export',
  'labels.set': 'labels',
  'labels.undo': 'labels',
  'labels.history': 'labels',
  'labels.queue': 'labels',
  'labels.neighbours': 'labels',
  'labels.taxa': 'labels',
  'labels.suggest': 'search',
  'labels.apply': 'labels',
  'taxa.complete': 'taxa',
  'taxa.importChecklist': 'taxa',
  'taxa.uploadChecklist': 'taxa',
  'taxa.checklists': 'taxa',
  'search.text': 'search',
  'search.image': 'search',
  'models.list': 'search',
  'models.use': 'search',
  'models.import': 'search',
  'models.install': 'search',
  'models.remove': 'search',
  'embed.start': 'search',
  'sources.missingHq': 'sources',
  'sources.fetchHq': 'sources',
  'sources.importDwca': 'sources',
  'sync.status': 'sync',
  'sync.start': 'sync',
  'sync.resolve': 'sync',
  'licenses.set': 'licenses',
  'licenses.undo': 'licenses',
  'licenses.history': 'licenses',
  'licenses.vocabulary': 'licenses',
  'licenses.setMyPhotos': 'licenses',
  'diagnostics.get': 'doctor',
  'quality.rescore': 'quality',
};

const loading = new Map<ModuleName, Promise<Record<string, unknown>>>();

/** The implementation of a method, importing its domain module the first time (once per process). */
export async function handlerOf<M extends ApiMethod>(method: M): Promise<Handler<M>> {
  const name: ModuleName = METHOD_MODULE[method];
  let handlers = loading.get(name);
  if (!handlers) {
    // A failed import is not remembered: the next call tries again and reports its own error.
    handlers = (MODULES[name]() as Promise<Record<string, unknown>>).catch((err: unknown) => {
      loading.delete(name);
      throw err;
    });
    loading.set(name, handlers);
  }
  return (await handlers)[method] as Handler<M>;
}

/** The module names, for the test that checks each one implements exactly the methods listed for it. */
export const HANDLER_MODULES = MODULES;
export const METHOD_MODULES: Readonly<Record<ApiMethod, ModuleName>> = METHOD_MODULE;

// Search: text to image and image to image (dropped or picked file, or an image of the library), the CLI's filters,
// the query image beside the results, and results that always belong to the query and filters shown.
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { SearchHit } from '../../../src-shared/model';
import { useTransport } from '../../app/api-context';
import { ApiError } from '../../app/api-error';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { ThumbCard } from '../../components/thumb-card';
import { useRoute } from '../../state/route-store';
import { ModelsPanel } from './models-panel';
import { QueryImage } from './query-image';
import { SearchFilterBar } from './search-filter-bar';
import './search-view.css';
import {
  describeFilters,
  describeQuery,
  emptyQueryProblem,
  requestKey,
  searchCall,
  type SearchFilters,
  type SearchRequest,
} from './search-request';

async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

let nextSeq = 1;

export function SearchView() {
  const transport = useTransport();
  const routeImageId = useRoute((s) => s.imageId);
  const go = useRoute((s) => s.go);
  const [text, setText] = useState('');
  const [dragging, setDragging] = useState(false);
  const [request, setRequest] = useState<SearchRequest | null>(null);
  const [filters, setFilters] = useState<SearchFilters>({});
  const [emptyNote, setEmptyNote] = useState<string | null>(null);
  const [modelsOpen, setModelsOpen] = useState(false);
  const modelsPanel = useRef<HTMLDetailsElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // The query and the filters are the key: another query or filter never shows the previous one's results, even
  // for a moment, and a failed query shows none.
  const results = useQuery<SearchHit[], Error>({
    queryKey: ['search', ...requestKey(request), filters],
    queryFn: () => {
      const call = searchCall(request!, filters);
      return call.method === 'search.text' ? transport.invoke(call.method, call.input) : transport.invoke(call.method, call.input);
    },
    enabled: request !== null,
  });

  // An image named by the address (#/search/<id>, "Find similar" in Detail) is the query, as soon as it changes.
  const [routeSeen, setRouteSeen] = useState<number | null>(null);
  if (routeImageId !== routeSeen) {
    setRouteSeen(routeImageId);
    if (routeImageId !== null) {
      setEmptyNote(null);
      setRequest({ kind: 'image', imageId: routeImageId, seq: 0 });
    }
  }

  /** A new query replaces the one the address names (#/search/<id>), so a reload does not bring the old one back. */
  const leaveRouteImage = () => {
    if (routeImageId !== null) go('search');
  };

  const searchText = () => {
    const problem = emptyQueryProblem(text);
    setEmptyNote(problem);
    if (problem) {
      setRequest(null);
      return;
    }
    leaveRouteImage();
    setRequest({ kind: 'text', text: text.trim(), seq: nextSeq++ });
  };

  const searchFile = async (file: File | undefined) => {
    if (!file) return;
    const bytesBase64 = await fileToBase64(file);
    leaveRouteImage();
    setEmptyNote(null);
    setRequest({ kind: 'bytes', bytesBase64, name: file.name, mimeType: file.type, seq: nextSeq++ });
  };

  const openModels = () => {
    setModelsOpen(true);
    modelsPanel.current?.scrollIntoView({ block: 'nearest' });
    modelsPanel.current?.querySelector('summary')?.focus();
  };

  const modelMissing = results.error instanceof ApiError && results.error.code === 'MODEL_MISSING';
  const filterWords = describeFilters(filters);

  return (
    <div className="search-view">
      <ModelsPanel ref={modelsPanel} open={modelsOpen} onOpenChange={setModelsOpen} />
      <form
        className="row search-bar"
        onSubmit={(e) => {
          e.preventDefault();
          searchText();
        }}
      >
        <input
          aria-label="Search text"
          type="search"
          placeholder="Describe the photo: “orange gills on a pine stump”"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoFocus
        />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="image-drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          e.stopPropagation();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          setDragging(false);
          void searchFile(e.dataTransfer.files[0]);
        }}
      >
        Drop a photo here to find similar ones, or{' '}
        <button type="button" onClick={() => fileInput.current?.click()}>
          pick a file
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="image/*"
          hidden
          aria-label="Search image file"
          onChange={(e) => {
            void searchFile(e.target.files?.[0]);
            // The same file picked again is a new search.
            e.target.value = '';
          }}
        />
      </div>
      <SearchFilterBar filters={filters} onChange={setFilters} />
      {emptyNote ? (
        <div className="info-note" role="status" data-testid="empty-query">
          {emptyNote}
        </div>
      ) : null}
      {modelMissing ? (
        <div className="error-note" role="alert" data-testid="model-missing">
          <strong>Text search needs a CLIP model, and none is active in this library.</strong>{' '}
          <button type="button" className="link" onClick={openModels}>
            Open the Models panel
          </button>{' '}
          to import or choose one, then embed the library. Searching by photo works without one.
          <div className="hint">{results.error?.message}</div>
        </div>
      ) : (
        <ErrorNote error={results.error} title="Search failed" />
      )}
      {request && request.kind !== 'text' ? <QueryImage query={request} /> : null}
      {results.isFetching && !results.data ? <p className="loading">searching…</p> : null}
      {request && results.data ? (
        <p className="grid-status" data-testid="search-summary">
          {results.data.length} results for {describeQuery(request)}
          {filterWords ? ` (${filterWords})` : ''}
        </p>
      ) : null}
      {results.data?.length === 0 ? (
        <EmptyState title="No matches">
          {filterWords
            ? 'Nothing matches these filters: loosen them, or try other words.'
            : 'Try other words, or check that embeddings exist for this library.'}
        </EmptyState>
      ) : null}
      {!request && !emptyNote ? (
        <EmptyState title="Search your photographs">
          Type what you are looking for, or drop a photo. Search runs on this computer with the library&apos;s embedding model.
        </EmptyState>
      ) : null}
      <div className="result-grid" aria-label="Search results">
        {results.data?.map((hit) => (
          <ThumbCard
            key={hit.imageId}
            item={{
              id: hit.imageId,
              thumbPath: hit.thumbPath,
              taxon: hit.taxon,
              labelState: hit.labelState,
              qualityScore: hit.qualityScore,
              score: hit.score,
            }}
            onOpen={() => go('detail', hit.imageId)}
            onClick={() => go('detail', hit.imageId)}
          />
        ))}
      </div>
    </div>
  );
}

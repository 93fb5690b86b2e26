// Search: text to image and image to image (dropped or picked file, or an image of the library); results with scores.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../src-shared/model';
import { useTransport } from '../../app/api-context';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { ThumbCard } from '../../components/thumb-card';
import { useRoute } from '../../state/route-store';
import { ModelsPanel } from './models-panel';

type SearchRequest =
  { kind: 'text'; text: string } | { kind: 'bytes'; bytesBase64: string; name: string } | { kind: 'image'; imageId: number };

async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function SearchView() {
  const transport = useTransport();
  const routeImageId = useRoute((s) => s.imageId);
  const go = useRoute((s) => s.go);
  const [text, setText] = useState('');
  const [dragging, setDragging] = useState(false);
  const [last, setLast] = useState<SearchRequest | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const search = useMutation<SearchHit[], Error, SearchRequest>({
    mutationFn: (request) => {
      setLast(request);
      if (request.kind === 'text') return transport.invoke('search.text', { text: request.text, limit: 60 });
      if (request.kind === 'image') return transport.invoke('search.image', { imageId: request.imageId, limit: 60 });
      return transport.invoke('search.image', { bytesBase64: request.bytesBase64, limit: 60 });
    },
  });
  const { mutate } = search;
  useEffect(() => {
    if (routeImageId !== null) mutate({ kind: 'image', imageId: routeImageId });
  }, [routeImageId, mutate]);

  const searchFile = async (file: File | undefined) => {
    if (!file) return;
    search.mutate({ kind: 'bytes', bytesBase64: await fileToBase64(file), name: file.name });
  };

  return (
    <div className="search-view">
      <ModelsPanel />
      <form
        className="row search-bar"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) search.mutate({ kind: 'text', text: text.trim() });
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
          onChange={(e) => void searchFile(e.target.files?.[0])}
        />
      </div>
      <ErrorNote error={search.error} title="Search failed" />
      {search.isPending ? <p className="loading">searching…</p> : null}
      {last && search.data ? (
        <p className="grid-status" data-testid="search-summary">
          {search.data.length} results for{' '}
          {last.kind === 'text' ? `“${last.text}”` : last.kind === 'bytes' ? last.name : `image ${last.imageId}`}
        </p>
      ) : null}
      {search.data?.length === 0 ? (
        <EmptyState title="No matches">Try other words, or check that embeddings exist for this library.</EmptyState>
      ) : null}
      {!last ? (
        <EmptyState title="Search your photographs">
          Type what you are looking for, or drop a photo. Search runs on this computer with the library&apos;s embedding model.
        </EmptyState>
      ) : null}
      <div className="result-grid" aria-label="Search results">
        {search.data?.map((hit) => (
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

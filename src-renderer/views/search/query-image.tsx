// The photo a search by image compares against, shown beside the results so the user sees what was asked.
import { useApi, useTransport } from '../../app/api-context';
import type { SearchQuery } from './search-request';

/** A library image: its thumbnail and what it is labelled. */
function LibraryQueryImage({ imageId }: { imageId: number }) {
  const { mediaUrl } = useTransport();
  const image = useApi('images.get', { id: imageId });
  if (!image.data) return null;
  return (
    <figure className="query-image" data-testid="query-image" data-image-id={imageId}>
      <img src={mediaUrl(image.data.thumbPath)} alt={`query: image ${imageId}`} />
      <figcaption>
        Similar to image {imageId}
        {image.data.label ? ` · ${image.data.label.taxon}` : ''}
      </figcaption>
    </figure>
  );
}

/** A dropped or picked file, shown from the bytes the search sends (a data: URL): nothing else is read or kept. */
function FileQueryImage({ name, mimeType, bytesBase64 }: { name: string; mimeType: string; bytesBase64: string }) {
  return (
    <figure className="query-image" data-testid="query-image">
      <img src={`data:${mimeType || 'image/jpeg'};base64,${bytesBase64}`} alt={`query: ${name}`} />
      <figcaption>Similar to {name}</figcaption>
    </figure>
  );
}

export function QueryImage({ query }: { query: Exclude<SearchQuery, { kind: 'text' }> }) {
  return query.kind === 'bytes' ? <FileQueryImage {...query} /> : <LibraryQueryImage imageId={query.imageId} />;
}

// The search view's query and filters: what reaches the contract, what the summary line says, an empty query in words.
import { describe, expect, it } from 'vitest';
import { api } from '../../../src-shared/api';
import {
  describeFilters,
  describeQuery,
  emptyQueryProblem,
  requestKey,
  searchCall,
  SEARCH_LIMIT,
} from '../../../src-renderer/views/search/search-request';

describe('search requests', () => {
  it('sends only the filters that are set, in the shape the contract accepts', () => {
    const text = searchCall({ kind: 'text', text: 'orange cap' }, { taxon: '  Amanita ', minQuality: 0, labelState: 'human_verified' });
    expect(text).toEqual({
      method: 'search.text',
      input: { text: 'orange cap', limit: SEARCH_LIMIT, taxon: 'Amanita', labelState: 'human_verified' },
    });
    const image = searchCall({ kind: 'image', imageId: 7 }, { hq: false, minQuality: 55, taxon: ' ' });
    expect(image).toEqual({ method: 'search.image', input: { imageId: 7, limit: SEARCH_LIMIT, minQuality: 55, hq: false } });
    expect(() => api['search.image'].input.parse(image.input)).not.toThrow();
    expect(() => api['search.text'].input.parse(text.input)).not.toThrow();
    const bytes = searchCall({ kind: 'bytes', bytesBase64: 'AAAA', name: 'q.jpg', mimeType: 'image/jpeg' }, { hq: true });
    expect(bytes.input).toEqual({ bytesBase64: 'AAAA', limit: SEARCH_LIMIT, hq: true });
  });

  it('says what was searched for, with which filters', () => {
    expect(describeQuery({ kind: 'text', text: 'gills' })).toBe('“gills”');
    expect(describeQuery({ kind: 'image', imageId: 3 })).toBe('image 3');
    expect(describeFilters({})).toBe('');
    expect(describeFilters({ labelState: 'source_claimed', taxon: 'Boletus', minQuality: 60, hq: true })).toBe(
      'source claimed, taxon Boletus, quality ≥ 60, HQ only',
    );
  });

  it('keys a request by what it asks, never by the photo bytes', () => {
    const bytes = { kind: 'bytes' as const, bytesBase64: 'x'.repeat(1000), name: 'q.jpg', mimeType: 'image/jpeg', seq: 4 };
    expect(JSON.stringify(requestKey(bytes))).not.toContain('xxxx');
    expect(requestKey(bytes)).not.toEqual(requestKey({ ...bytes, seq: 5 }));
    expect(requestKey({ kind: 'image', imageId: 1, seq: 0 })).not.toEqual(requestKey({ kind: 'image', imageId: 2, seq: 0 }));
  });

  it('says so when the query is empty', () => {
    expect(emptyQueryProblem('   ')).toMatch(/^Type what you are looking for first/);
    expect(emptyQueryProblem('amanita')).toBeNull();
  });
});

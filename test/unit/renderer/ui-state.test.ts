// UI state and pure helpers of the renderer: routes, verify genus, verify and library stores, export form mapping, error words.
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, errorText } from '../../../src-renderer/app/api-error';
import { useLibraryStore } from '../../../src-renderer/state/library-store';
import { parseHash, routeHash } from '../../../src-renderer/state/route-store';
import { useVerifyStore } from '../../../src-renderer/state/verify-store';
import { toExportOptions } from '../../../src-renderer/views/export/export-view';
import { coarserTaxon } from '../../../src-renderer/views/verify/verify-view';
import { exportOptionsSchema } from '../../../src-shared/api/export';

describe('routes', () => {
  it('round-trips views and image ids through the hash and falls back to the library', () => {
    expect(parseHash('#/detail/42')).toEqual({ view: 'detail', imageId: 42 });
    expect(routeHash({ view: 'detail', imageId: 42 })).toBe('#/detail/42');
    expect(parseHash('#/verify')).toEqual({ view: 'verify', imageId: null });
    expect(parseHash('#/nonsense/x')).toEqual({ view: 'library', imageId: null });
    expect(parseHash('')).toEqual({ view: 'library', imageId: null });
  });
});

describe('verify genus', () => {
  it('verifies at genus rank from a binomial', () => {
    expect(coarserTaxon('Amanita muscaria')).toBe('Amanita');
    expect(coarserTaxon(' Boletus  edulis var. x')).toBe('Boletus');
  });
});

describe('verify store', () => {
  beforeEach(() => useVerifyStore.setState({ index: 0, decisions: {}, undoStack: [] }));
  it('records optimistic decisions, settles them and undoes the latest first', () => {
    const s = useVerifyStore.getState();
    s.decide(7, { state: 'human_verified', taxon: 'A b' });
    s.decide(9, { state: 'disputed', taxon: 'C d' });
    expect(useVerifyStore.getState().decisions[7]!.status).toBe('pending');
    useVerifyStore.getState().settle(7, 'saved');
    useVerifyStore.getState().settle(9, 'failed', 'disk full');
    expect(useVerifyStore.getState().decisions[9]).toMatchObject({ status: 'failed', error: 'disk full' });
    expect(useVerifyStore.getState().popUndo()).toBe(9);
    expect(useVerifyStore.getState().decisions[9]).toBeUndefined();
    expect(useVerifyStore.getState().popUndo()).toBe(7);
    expect(useVerifyStore.getState().popUndo()).toBeNull();
  });
  it('keeps the position inside the queue', () => {
    useVerifyStore.getState().move(-1, 3);
    expect(useVerifyStore.getState().index).toBe(0);
    useVerifyStore.getState().move(5, 3);
    expect(useVerifyStore.getState().index).toBe(2);
  });
});

describe('library store selection', () => {
  beforeEach(() => useLibraryStore.getState().resetFilters());
  it('selects one, toggles, and extends a range over the visible order', () => {
    const order = [10, 11, 12, 13, 14];
    const s = useLibraryStore.getState();
    s.select(11, 'one');
    useLibraryStore.getState().select(14, 'range', order);
    expect([...useLibraryStore.getState().selected].sort()).toEqual([11, 12, 13, 14]);
    useLibraryStore.getState().select(12, 'toggle');
    expect(useLibraryStore.getState().selected.has(12)).toBe(false);
  });
  it('clears the selection when a filter changes, and drops empty filters', () => {
    useLibraryStore.getState().select(3, 'one');
    useLibraryStore.getState().setFilter('taxon', 'Amanita');
    expect(useLibraryStore.getState().selected.size).toBe(0);
    useLibraryStore.getState().setFilter('taxon', undefined);
    expect('taxon' in useLibraryStore.getState().filters).toBe(false);
  });
});

describe('export form', () => {
  it('produces options the contract accepts', () => {
    const options = toExportOptions({
      outDir: ' /tmp/out ',
      view: 'training_hq',
      formats: ['csv'],
      split: '70/20/10',
      seed: 7,
      size: 'large',
      licenses: 'CC0, CC-BY',
      minPerClass: 3,
      minGroupsForEval: 2,
      taxonRank: 'genus',
      allDuplicates: false,
    });
    const parsed = exportOptionsSchema.parse(options);
    expect(parsed).toMatchObject({
      outDir: '/tmp/out',
      split: [70, 20, 10],
      licenses: ['CC0', 'CC-BY'],
      taxonRank: 'genus',
      minGroupsForEval: 2,
    });
    expect(() =>
      exportOptionsSchema.parse(
        toExportOptions({
          outDir: 'x',
          view: 'training_hq',
          formats: ['csv'],
          split: '50/20/10',
          seed: 1,
          size: 'original',
          licenses: '',
          minPerClass: 1,
          minGroupsForEval: 1,
          taxonRank: 'species',
          allDuplicates: false,
        }),
      ),
    ).toThrow(/add up to 100/);
  });
});

describe('errorText', () => {
  it('says in words what went wrong, with a hint for the error code', () => {
    expect(errorText(new ApiError({ code: 'MODEL_MISSING', message: 'no CLIP model' }))).toBe(
      'no CLIP model. No embedding model is installed for this library.',
    );
    expect(errorText(new Error('boom'))).toBe('boom');
  });
});

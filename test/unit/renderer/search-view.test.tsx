// @vitest-environment jsdom
// The search view over a real library through the desktop (IPC) transport: an empty query is said in words, and a
// text search with no CLIP model says so with a link that opens the Models panel.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SearchView } from '../../../src-renderer/views/search/search-view';
import { openTempLibrary } from '../../fixtures/temp-library';
import { renderWithLibrary } from './render-app';

describe('SearchView', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  beforeAll(() => {
    lib = openTempLibrary();
    // jsdom has no layout: scrolling the Models panel into view is a no-op here.
    Element.prototype.scrollIntoView = () => undefined;
  });
  afterEach(() => cleanup());
  afterAll(async () => lib?.cleanup());

  it('says so when the query is empty, and sends nothing', async () => {
    renderWithLibrary(lib.lib, <SearchView />);
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect((await screen.findByTestId('empty-query')).textContent).toMatch(/^Type what you are looking for first/);
    expect(screen.queryByTestId('search-summary')).toBeNull();
  });

  it('says a text search needs a model and opens the Models panel from the link', async () => {
    const { container } = renderWithLibrary(lib.lib, <SearchView />);
    fireEvent.change(screen.getByLabelText('Search text'), { target: { value: 'orange cap' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const note = await screen.findByTestId('model-missing');
    expect(note.textContent).toMatch(/^Text search needs a CLIP model, and none is active in this library\./);
    expect(note.textContent).toContain('sporeprint model install');
    const panel = container.querySelector<HTMLDetailsElement>('details.models-panel')!;
    expect(panel.open).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Open the Models panel' }));
    await waitFor(() => expect(panel.open).toBe(true));
    // A generic "Search failed" banner is not shown beside the sentence.
    expect(screen.queryByText(/^Search failed/)).toBeNull();
  });
});

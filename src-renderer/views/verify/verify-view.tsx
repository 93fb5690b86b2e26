// Verify: the queue one photo at a time in a loupe, source claim and model suggestions, other verified photos of the
// taxon; Edit taxon completes from the catalogue and imported checklists; keyboard first, optimistic.
import { useMemo, useState } from 'react';
import type { ImageSummary, LabelState } from '../../../src-shared/model';
import { useApi, useTransport } from '../../app/api-context';
import { errorText } from '../../app/api-error';
import { keyHintOf, type Action } from '../../app/actions';
import { useActionKeys } from '../../app/use-action-keys';
import { ActionButton } from '../../components/action-button';
import { largeDerivativeSize } from '../../components/derivative-size';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { formatLabelState } from '../../components/format';
import { SyncedLoupe, type LoupeZoom } from '../../components/synced-loupe';
import { useVerifyStore } from '../../state/verify-store';
import { ChecklistPanel } from './checklist-panel';
import { coarserTaxon } from './genus-check';
import { TaxonEditor } from './taxon-editor';
import { verifyAction, VERIFY_ACTIONS, type VerifyContext } from './verify-actions';

export { coarserTaxon };

/** The keys in one line above the queue, from the table (the buttons show theirs too). */
const KEY_HINTS = VERIFY_ACTIONS.map((a) => `${keyHintOf(a as Action<unknown>)} ${a.label.toLowerCase()}`).join(' · ');

export function VerifyView() {
  const transport = useTransport();
  const { index, decisions, undoStack, taxonFilter, includeDisputed, move, decide, settle, popUndo, setTaxonFilter, setIncludeDisputed } =
    useVerifyStore();
  const states: LabelState[] = includeDisputed ? ['source_claimed', 'model_suggested', 'disputed'] : ['source_claimed', 'model_suggested'];
  // The queue is a snapshot: decided items stay in place so arrows and undo keep their meaning.
  const queue = useApi('labels.queue', { states, limit: 500, ...(taxonFilter ? { taxon: taxonFilter } : {}) }, { staleTime: Infinity });
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);
  const current: ImageSummary | undefined = items[Math.min(index, Math.max(0, items.length - 1))];
  const detail = useApi('images.get', { id: current?.id ?? 1 }, { enabled: Boolean(current) });
  const claimed = current?.taxon ?? null;
  const neighbours = useApi(
    'labels.neighbours',
    { taxon: claimed ?? '-', excludeImageId: current?.id, limit: 6 },
    { enabled: Boolean(claimed) },
  );
  const [editing, setEditing] = useState(false);
  // The photo shown at 100 %, if any: each photo opens fitted, as 100 % of the last one says nothing about this one.
  const [zoomedId, setZoomedId] = useState<number | null>(null);
  const zoom: LoupeZoom = current && zoomedId === current.id ? 'actual' : 'fit';
  const [checklistsOpen, setChecklistsOpen] = useState(false);
  const [undoError, setUndoError] = useState<string | null>(null);

  const actions = useMemo(() => {
    const apply = (state: 'human_verified' | 'disputed', extra: { taxon?: string; rank?: 'genus' } = {}) => {
      if (!current) return;
      const id = current.id;
      decide(id, { state, taxon: extra.taxon ?? current.taxon ?? '' });
      // The card stands for its duplicate cluster: its copies get the same decision (those that can take it).
      const copies = queue.data?.copies[String(id)] ?? [];
      transport.invoke('labels.apply', { imageIds: [id, ...copies], state, ...extra }).then(
        (report) => {
          const refused = report.skipped.find((s) => s.imageId === id);
          if (refused) settle(id, 'failed', refused.reason);
          else settle(id, 'saved');
        },
        (err: unknown) => settle(id, 'failed', errorText(err)),
      );
      move(1, items.length);
    };
    return {
      accept: () => apply('human_verified'),
      dispute: () => apply('disputed'),
      coarser: () => {
        if (current?.taxon) apply('human_verified', { taxon: coarserTaxon(current.taxon), rank: 'genus' });
      },
      edit: () => setEditing(true),
      zoom: () => {
        if (current) setZoomedId((z) => (z === current.id ? null : current.id));
      },
      move: (delta: number) => move(delta, items.length),
      undo: () => {
        const id = popUndo();
        if (id === null) return;
        const position = items.findIndex((i) => i.id === id);
        if (position >= 0) move(position - useVerifyStore.getState().index, items.length);
        transport.invoke('labels.undo', { imageId: id }).then(
          () => setUndoError(null),
          (err: unknown) => setUndoError(errorText(err)),
        );
      },
      saveEdit: (taxon: string) => {
        setEditing(false);
        if (taxon.trim()) apply('human_verified', { taxon: taxon.trim() });
      },
    };
  }, [current, items, transport, decide, settle, move, popUndo, queue.data]);
  const ctx: VerifyContext = {
    ...actions,
    hasCurrent: Boolean(current),
    hasTaxon: Boolean(current?.taxon),
    editing,
    canUndo: undoStack.length > 0,
  };
  useActionKeys(VERIFY_ACTIONS, ctx);
  const button = (id: string, pressed?: boolean) => <ActionButton action={verifyAction(id)} ctx={ctx} pressed={pressed} />;

  const taxa = useApi('labels.taxa', {});
  const filterBar = (
    <div className="verify-filters row">
      <label>
        Taxon
        <select aria-label="Queue taxon" value={taxonFilter} onChange={(e) => setTaxonFilter(e.target.value)}>
          <option value="">all</option>
          {(taxa.data ?? []).map((t) => (
            <option key={t.taxon} value={t.taxon}>
              {t.taxon} ({t.images - t.verified} to check)
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={includeDisputed} onChange={(e) => setIncludeDisputed(e.target.checked)} /> include disputed
      </label>
      <button
        type="button"
        title="Fetch the queue again: decided photos leave it"
        onClick={() => {
          setTaxonFilter(taxonFilter);
          void queue.refetch();
        }}
      >
        Reload queue
      </button>
      <button type="button" aria-expanded={checklistsOpen} onClick={() => setChecklistsOpen((o) => !o)}>
        Checklists…
      </button>
      <span className="hint">{KEY_HINTS}</span>
    </div>
  );
  const checklists = checklistsOpen ? <ChecklistPanel onClose={() => setChecklistsOpen(false)} /> : null;
  if (queue.error) return <ErrorNote error={queue.error} title="Verify queue unavailable" />;
  if (!queue.data) return <p className="loading">loading…</p>;
  if (!current)
    return (
      <>
        {filterBar}
        {checklists}
        <EmptyState title="Nothing to verify">
          Every label in this queue has a human decision. Import more photos, or widen the queue filters.
        </EmptyState>
      </>
    );
  const decision = decisions[current.id];
  const decidedCount = items.filter((i) => decisions[i.id]).length;
  // Decided against the whole queue of the current filter, also the part beyond the loaded page.
  const remaining = Math.max(0, queue.data.total - decidedCount);
  const copyCount = queue.data.copies[String(current.id)]?.length ?? 0;
  const state = decision?.state ?? current.labelState;
  const shownTaxon = decision?.taxon ?? current.taxon;
  const large = detail.data?.derivatives['large.jpeg'] ?? detail.data?.derivatives.large ?? null;
  return (
    <div className="verify-view">
      {filterBar}
      {checklists}
      <div className="verify-main">
        <div className="verify-photo" data-image-id={current.id}>
          {large ? (
            <SyncedLoupe
              images={[
                {
                  src: transport.mediaUrl(large),
                  label: `${shownTaxon ?? 'no claim'} · #${current.id} · ${current.width}×${current.height}`,
                  imageId: current.id,
                  ...largeDerivativeSize(current),
                  original: { src: transport.originalUrl(current.id), width: current.width, height: current.height },
                },
              ]}
              zoom={zoom}
              mode="side"
              onZoomChange={(z) => setZoomedId(z === 'actual' ? current.id : null)}
            />
          ) : (
            <p className="loading">loading…</p>
          )}
        </div>
        <aside className="verify-side">
          <p className="counter" data-testid="verify-position">
            {Math.min(index, items.length - 1) + 1} / {items.length}
            {queue.data.total > items.length ? ` (of ${queue.data.total})` : ''}
          </p>
          <p className="counter" data-testid="verify-progress">
            {decidedCount} decided · {remaining} remaining in this queue
          </p>
          {copyCount > 0 || detail.data?.observationGroup ? (
            <p className="counter" data-testid="verify-group">
              {copyCount > 0 ? `+${copyCount} duplicate cop${copyCount === 1 ? 'y' : 'ies'} decided with it` : ''}
              {copyCount > 0 && detail.data?.observationGroup ? ' · ' : ''}
              {detail.data?.observationGroup ? `observation ${detail.data.observationGroup}` : ''}
            </p>
          ) : null}
          <h2 data-testid="verify-taxon">{shownTaxon ?? 'no claim'}</h2>
          <p className={`state-${state ?? 'none'}`} data-testid="verify-state">
            {formatLabelState(state)}
            {decision ? ` · ${decision.status}` : ''}
          </p>
          {decision?.status === 'failed' ? <div className="error-note">{decision.error}</div> : null}
          {undoError ? <div className="error-note">Undo failed: {undoError}</div> : null}
          {editing ? (
            <TaxonEditor key={current.id} claimed={current.taxon} onSave={actions.saveEdit} onCancel={() => setEditing(false)} />
          ) : null}
          <h3>Source claim</h3>
          <p>{detail.data?.label?.evidence?.source ?? detail.data?.locations[0]?.path ?? '—'}</p>
          <h3>Model suggestions</h3>
          {detail.data && detail.data.suggestions.length === 0 ? (
            <p className="hint">none yet (run suggestions from the CLI or after embedding)</p>
          ) : null}
          <ul>
            {detail.data?.suggestions.map((s) => (
              <li key={`${s.modelId}-${s.taxon}`}>
                {s.taxon} <span className="score">{s.score.toFixed(3)}</span>
              </li>
            ))}
          </ul>
          <div className="row">
            {button('accept')}
            {button('dispute')}
            {button('genus')}
            {button('edit')}
            {button('undo')}
            {button('zoom', zoom === 'actual')}
          </div>
          <div className="row">
            {button('previous')}
            {button('next')}
          </div>
        </aside>
      </div>
      <section className="neighbours">
        <h3>Other verified photos of {claimed ?? 'this taxon'}, for comparison</h3>
        <ErrorNote error={neighbours.error} />
        {neighbours.data?.length === 0 ? <p className="hint">No verified photos of this taxon yet.</p> : null}
        <div className="neighbour-strip">
          {neighbours.data?.map((n) => (
            <img
              key={n.id}
              data-image-id={n.id}
              src={transport.mediaUrl(n.thumbPath)}
              alt={`${n.taxon ?? ''} #${n.id}`}
              title={`#${n.id} · ${n.width}×${n.height}`}
              width={120}
              height={120}
            />
          ))}
        </div>
      </section>
    </div>
  );
}

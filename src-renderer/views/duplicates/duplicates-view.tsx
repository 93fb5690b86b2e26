// Duplicates: one cluster under review until Done, its representative and one member side by side at full width
// with a synced loupe, flicker and difference; cards with what to check; a strip of all members; a merge picker
// that shows both clusters; a threshold preview that saves nothing. Keys and buttons run one action table.
import { keepPreviousData } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { DuplicateCluster } from '../../../src-shared/model';
import { useApi, useApiMutation, useTransport } from '../../app/api-context';
import { useActionKeys } from '../../app/use-action-keys';
import { ActionButton } from '../../components/action-button';
import { largeDerivativeSize } from '../../components/derivative-size';
import { EmptyState } from '../../components/empty-state';
import { ErrorNote } from '../../components/error-note';
import { SyncedLoupe, type LoupeImage, type LoupeMode, type LoupeZoom } from '../../components/synced-loupe';
import { actionById, DUPLICATE_ACTIONS, type DuplicatesContext } from './duplicates-actions';
import { MemberCard } from './member-card';
import { MemberStrip } from './member-strip';
import { MergePicker } from './merge-picker';
import { anchorAfterDecision } from './review-anchor';
import { ThresholdBar } from './threshold-bar';
import { useDebounced } from '../../app/use-debounced';

const QUEUE_SIZE = 60;

export function DuplicatesView() {
  const { mediaUrl, originalUrl } = useTransport();
  const [draft, setDraft] = useState<number | null>(null);
  const threshold = useDebounced(draft, 300);
  const thresholdInput = threshold === null ? {} : { threshold };
  const inForce = useApi('duplicates.clusters', { limit: 1 });
  const queue = useApi('duplicates.clusters', { ...thresholdInput, limit: QUEUE_SIZE }, { placeholderData: keepPreviousData });
  const [pinned, setPinned] = useState<number | null>(null);
  const [leftBehind, setLeftBehind] = useState<ReadonlySet<number>>(new Set());
  const [cursorId, setCursorId] = useState<number | null>(null);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [zoom, setZoom] = useState<LoupeZoom>('fit');
  const [mode, setMode] = useState<LoupeMode>('side');
  const decide = useApiMutation('duplicates.decide');

  // The first cluster not yet left behind; once the curator acts on it, it is pinned by an image each decision
  // leaves in it (see review-anchor.ts), so it stays under review while decisions rebuild it (a new representative,
  // a member gone, a new cluster id), until Done or Skip.
  const candidate = queue.data?.clusters.find((c) => !c.members.some((m) => leftBehind.has(m.imageId))) ?? null;
  const current = useApi(
    'duplicates.clusters',
    { ...thresholdInput, containing: pinned ?? 1, includeResolved: true },
    { enabled: pinned !== null },
  );
  // Until the pinned read arrives, the queue's copy of the same cluster stands in.
  const cluster: DuplicateCluster | null = pinned !== null && current.data ? (current.data.clusters[0] ?? null) : candidate;
  const others = useMemo(() => (cluster ? cluster.members.filter((m) => m.imageId !== cluster.representative) : []), [cluster]);
  const member = others.find((m) => m.imageId === cursorId) ?? others[0] ?? null;
  const representative = cluster?.members.find((m) => m.imageId === cluster.representative) ?? null;
  const previewing = queue.data?.preview === true;

  const nextCluster = useCallback(
    (resolved: boolean) => {
      void resolved;
      if (cluster) setLeftBehind((prev) => new Set([...prev, ...cluster.members.map((m) => m.imageId)]));
      setPinned(null);
      setCursorId(null);
      setPickerOpen(false);
      setMode('side');
    },
    [cluster],
  );
  const moveMember = useCallback(
    (step: number) => {
      if (others.length === 0) return;
      const at = Math.max(
        0,
        others.findIndex((m) => m.imageId === member?.imageId),
      );
      setCursorId(others[Math.min(others.length - 1, Math.max(0, at + step))]!.imageId);
    },
    [others, member],
  );

  const ctx: DuplicatesContext = {
    cluster,
    member,
    canDecide: !previewing,
    busy: decide.isPending,
    pickerOpen,
    zoom,
    mode,
    decide: (decision) => {
      if (cluster) setPinned(anchorAfterDecision(decision, cluster.representative));
      decide.mutate(decision);
    },
    moveMember,
    nextCluster,
    setPickerOpen,
    setZoom,
    setMode,
  };
  useActionKeys(DUPLICATE_ACTIONS, ctx);

  const loupeImages = useMemo((): LoupeImage[] => {
    const out: LoupeImage[] = [];
    if (representative)
      out.push({
        src: mediaUrl(representative.largePath),
        label: `representative #${representative.imageId}`,
        imageId: representative.imageId,
        ...largeDerivativeSize(representative),
        original: { src: originalUrl(representative.imageId), width: representative.width, height: representative.height },
      });
    if (member)
      out.push({
        src: mediaUrl(member.largePath),
        label: `member #${member.imageId}`,
        imageId: member.imageId,
        ...largeDerivativeSize(member),
        original: { src: originalUrl(member.imageId), width: member.width, height: member.height },
      });
    return out;
  }, [representative, member, mediaUrl, originalUrl]);

  const shownThreshold = draft ?? queue.data?.threshold ?? inForce.data?.threshold ?? 0;
  const working = (draft !== null && draft !== threshold) || (queue.isFetching && queue.isPlaceholderData);
  const unresolved = queue.data?.unresolved ?? 0;
  const onApplied = useCallback(() => setDraft(null), []);
  const button = (id: string, className?: string) => <ActionButton action={actionById(id)} ctx={ctx} className={className} />;

  return (
    <div className="duplicates-view">
      <div className="row toolbar">
        <ThresholdBar
          shown={shownThreshold}
          inForce={inForce.data?.threshold ?? null}
          previewing={previewing}
          working={working}
          onChange={(value) => {
            // Another threshold means other clusters: start again from the first.
            setDraft(value);
            setPinned(null);
            setLeftBehind(new Set());
          }}
          onApplied={onApplied}
        />
        <span data-testid="clusters-left">{queue.data ? `${unresolved} cluster${unresolved === 1 ? '' : 's'} left` : ''}</span>
      </div>
      <ErrorNote error={queue.error ?? current.error} title="Clusters unavailable" />
      <ErrorNote error={decide.error} title="Decision not saved" />
      {queue.data && !cluster && pinned === null ? (
        leftBehind.size > 0 && queue.data.clusters.length > 0 ? (
          <EmptyState title="Every cluster was skipped">
            <button type="button" onClick={() => setLeftBehind(new Set())}>
              Start again from the first
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No duplicate clusters left">
            At this threshold every near-duplicate group has been reviewed. Raise the threshold to look for looser matches.
          </EmptyState>
        )
      ) : null}
      {pinned !== null && current.data && !cluster ? (
        <EmptyState title="This cluster no longer exists">
          Its last pair was separated.{' '}
          <button type="button" onClick={() => nextCluster(false)}>
            Next cluster
          </button>
        </EmptyState>
      ) : null}
      {cluster ? (
        <section
          className={`compare-view${previewing ? ' preview' : ''}`}
          aria-label={`Cluster ${cluster.id}`}
          data-cluster-id={cluster.id}
        >
          <div className="row compare-header">
            <span data-testid="cluster-summary">
              {cluster.members.length} pictures · weakest link {cluster.weakestLink}
              {cluster.resolved ? ' · resolved' : ''}
              {member ? ` · member ${others.indexOf(member) + 1} of ${others.length}` : ''}
            </span>
            <span className="row">
              {button('zoom')}
              {button('flicker')}
              {button('difference')}
            </span>
          </div>
          <SyncedLoupe images={loupeImages} zoom={zoom} mode={mode} onZoomChange={setZoom} />
          <div className="compare-cards">
            {representative ? (
              <MemberCard
                member={representative}
                isRepresentative
                representativeTaxon={representative.taxon}
                testId="card-representative"
              />
            ) : null}
            {member ? (
              <MemberCard
                member={member}
                isRepresentative={false}
                representativeTaxon={representative?.taxon ?? null}
                testId="card-member"
              />
            ) : null}
          </div>
          <div className="row decision-bar">
            {button('previous-member')}
            {button('next-member')}
            {button('keep')}
            {button('not-duplicate')}
            {button('make-representative')}
            {button('merge')}
            {button('skip')}
            {button('done', 'primary')}
            {previewing ? <span className="hint">Apply the threshold to decide on these clusters.</span> : null}
          </div>
          <MemberStrip cluster={cluster} currentId={member?.imageId ?? null} onSelect={setCursorId} />
          {pickerOpen ? (
            <MergePicker
              current={cluster}
              candidates={queue.data?.clusters ?? []}
              onClose={() => setPickerOpen(false)}
              onMerge={(other) => {
                ctx.decide({ action: 'merge', imageA: cluster.representative, imageB: other.representative });
                setPickerOpen(false);
              }}
            />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

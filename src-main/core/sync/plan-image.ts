// What a push does with one image's label, decided from the server's row and the client's label and new events.
import type { LabelState } from '../../../src-shared/model';
import type { LocalEventRow, LocalImageRow } from './local-changes';
import { resolveLabel, type Resolution, type ServerLabel } from './resolve-label';

/** The server's label columns for an image, read under the push lock. */
export interface ServerRow {
  sha256: string;
  taxon: string | null;
  rank: string | null;
  label_state: LabelState | null;
  label_author: string | null;
  label_client: string | null;
  label_rev: number;
}

export interface PlanContext {
  clientId: string;
  curator: string | null;
}

export interface ImagePlan {
  resolution: Resolution;
  labelChanged: boolean;
  taxon: string | null;
  rank: string | null;
  state: LabelState | null;
  author: string | null;
  labelClient: string | null;
  rev: number;
  disputeEvent: LocalEventRow | null;
}

export function planImage(
  image: LocalImageRow,
  server: ServerRow | null,
  events: LocalEventRow[],
  knownIds: Set<number>,
  ctx: PlanContext,
): ImagePlan {
  const serverLabel: ServerLabel | null = server
    ? {
        taxon: server.taxon,
        rank: server.rank,
        state: server.label_state,
        author: server.label_author,
        client: server.label_client,
        rev: server.label_rev,
      }
    : null;
  const author = image.author ?? (image.state === 'human_verified' || image.state === 'disputed' ? ctx.curator : null);
  const newEvents = events.filter((e) => !knownIds.has(e.id));
  const resolution = resolveLabel(
    serverLabel,
    (image.state && image.taxon && image.rank) || newEvents.length > 0
      ? {
          taxon: image.taxon,
          rank: image.rank,
          state: image.state,
          author,
          clientId: ctx.clientId,
          baseRev: image.server_rev,
          hasNewEvents: newEvents.length > 0,
          undo: newEvents.at(-1)?.action === 'undo',
        }
      : null,
  );
  const rev = server?.label_rev ?? 0;
  const unchanged: ImagePlan = {
    resolution,
    labelChanged: false,
    taxon: server?.taxon ?? null,
    rank: server?.rank ?? null,
    state: server?.label_state ?? null,
    author: server?.label_author ?? null,
    labelClient: server?.label_client ?? null,
    rev,
    disputeEvent: null,
  };
  if (resolution.outcome === 'keep') return unchanged;
  if (resolution.outcome === 'take') {
    return {
      resolution,
      labelChanged: true,
      taxon: image.taxon,
      rank: image.rank,
      state: image.state,
      author,
      labelClient: ctx.clientId,
      rev: rev + 1,
      disputeEvent: null,
    };
  }
  // The displayed taxon stays the first decision's; both decisions live in label_event.
  return {
    ...unchanged,
    labelChanged: true,
    state: 'disputed',
    // The dispute is this client's write: every other client pulls it, this one mirrors it right after COMMIT.
    labelClient: ctx.clientId,
    rev: rev + 1,
    disputeEvent: {
      id: 0,
      image_id: image.id,
      at: new Date().toISOString(),
      author,
      action: 'dispute',
      from_state: server?.label_state ?? null,
      to_state: 'disputed',
      from_taxon: server?.taxon ?? null,
      to_taxon: image.taxon,
      rank: image.rank,
      note: resolution.note,
      evidence_json: null,
    },
  };
}

/** When the server's label changed: the client's time for a label it takes, now for a dispute, none when kept. */
export function labelUpdatedAt(image: LocalImageRow, plan: ImagePlan): string | null {
  if (!plan.labelChanged) return null;
  return plan.resolution.outcome === 'take' ? image.label_updated_at : new Date().toISOString();
}

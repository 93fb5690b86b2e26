// The conflict rules: what the server's label becomes when a client pushes its own. Never downgrades a human decision.
import type { LabelState } from '../../../src-shared/model';

export interface ServerLabel {
  taxon: string | null;
  rank: string | null;
  state: LabelState | null;
  author: string | null;
  /** The client id that wrote the current label. */
  client: string | null;
  rev: number;
}

export interface ClientLabel {
  /** All three null: the client has no label (e.g. it undid the claim that made one). */
  taxon: string | null;
  rank: string | null;
  state: LabelState | null;
  author: string | null;
  clientId: string;
  /** The server revision this client last saw for the image (null: never synced it). */
  baseRev: number | null;
  /** Whether the push carries label events the server has not stored yet (a re-push carries none). */
  hasNewEvents: boolean;
  /** Whether the newest unpushed event is an undo (the curator took back their own last decision). */
  undo: boolean;
}

export type Resolution =
  | { outcome: 'keep'; reason: 'no-client-label' | 'already-applied' | 'same' | 'human-on-server' | 'agreement' | 'already-disputed' }
  | { outcome: 'take' }
  | { outcome: 'dispute'; note: string };

export function isHumanState(state: LabelState | null): boolean {
  return state === 'human_verified' || state === 'disputed';
}

export function resolveLabel(server: ServerLabel | null, client: ClientLabel | null): Resolution {
  if (!client) return { outcome: 'keep', reason: 'no-client-label' };
  if (client.state === null) {
    // Only the client that wrote the server's label, undoing it unchallenged, may clear it.
    const ownUndo = client.undo && server?.state != null && server.client === client.clientId && client.baseRev === server.rev;
    return ownUndo ? { outcome: 'take' } : { outcome: 'keep', reason: 'no-client-label' };
  }
  if (!server || server.state === null) return { outcome: 'take' };
  const same = server.taxon === client.taxon && server.rank === client.rank && server.state === client.state;
  if (same) return { outcome: 'keep', reason: 'same' };
  // A re-push (after a dropped connection, or a forced full push) must change nothing.
  if (!client.hasNewEvents) return { outcome: 'keep', reason: 'already-applied' };
  // Undoing one's own decision that nobody has touched since is the curator's call, even back to a claim.
  if (client.undo && server.client === client.clientId && client.baseRev === server.rev) return { outcome: 'take' };
  if (!isHumanState(client.state)) {
    // Source claims and model suggestions never replace a human decision.
    return isHumanState(server.state) ? { outcome: 'keep', reason: 'human-on-server' } : { outcome: 'take' };
  }
  if (!isHumanState(server.state)) return { outcome: 'take' };
  if (server.state === 'disputed') {
    // Deciding after having seen the dispute resolves it; a decision made without seeing it joins it.
    return client.baseRev === server.rev ? { outcome: 'take' } : { outcome: 'keep', reason: 'already-disputed' };
  }
  if (client.state === 'human_verified' && server.taxon === client.taxon && server.rank === client.rank) {
    return { outcome: 'keep', reason: 'agreement' };
  }
  // A curator (or library) revising its own decision is not a disagreement.
  const sameCurator = server.client === client.clientId || (server.author !== null && server.author === client.author);
  if (sameCurator && client.baseRev === server.rev) return { outcome: 'take' };
  const theirs = `${server.taxon ?? '?'} (${server.author ?? 'unknown curator'})`;
  const ours =
    client.state === 'disputed'
      ? `a dispute by ${client.author ?? 'unknown curator'}`
      : `${client.taxon} (${client.author ?? 'unknown curator'})`;
  return { outcome: 'dispute', note: `conflicting human decisions: ${theirs} vs ${ours}` };
}

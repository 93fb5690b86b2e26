// The conflict rules as a table: what the server's label becomes for each server/client combination.
import { describe, expect, it } from 'vitest';
import { resolveLabel, type ClientLabel, type ServerLabel } from '../../../../src-main/core/sync/resolve-label';

const server = (over: Partial<ServerLabel> = {}): ServerLabel => ({
  taxon: 'Amanita muscaria',
  rank: 'species',
  state: 'human_verified',
  author: 'ana',
  client: 'lib-a',
  rev: 3,
  ...over,
});
const client = (over: Partial<ClientLabel> = {}): ClientLabel => ({
  taxon: 'Amanita pantherina',
  rank: 'species',
  state: 'human_verified',
  author: 'ben',
  clientId: 'lib-b',
  baseRev: null,
  hasNewEvents: true,
  undo: false,
  ...over,
});

describe('resolveLabel', () => {
  it('takes any label where the server has none', () => {
    expect(resolveLabel(null, client({ state: 'source_claimed' }))).toEqual({ outcome: 'take' });
    expect(resolveLabel(server({ state: null, taxon: null }), client({ state: 'model_suggested', hasNewEvents: false }))).toEqual({
      outcome: 'take',
    });
  });

  it('keeps the server label when the client has none or pushes nothing new', () => {
    expect(resolveLabel(server(), null)).toMatchObject({ outcome: 'keep', reason: 'no-client-label' });
    expect(resolveLabel(server({ state: 'source_claimed' }), client({ hasNewEvents: false }))).toMatchObject({
      outcome: 'keep',
      reason: 'already-applied',
    });
  });

  it.each(['source_claimed', 'model_suggested'] as const)('never lets a %s label replace a human decision', (state) => {
    expect(resolveLabel(server(), client({ state, baseRev: 3 }))).toMatchObject({ outcome: 'keep', reason: 'human-on-server' });
    expect(resolveLabel(server({ state: 'disputed' }), client({ state, baseRev: 3 }))).toMatchObject({
      outcome: 'keep',
      reason: 'human-on-server',
    });
  });

  it('lets a newer unverified label or any human decision replace an unverified one', () => {
    expect(resolveLabel(server({ state: 'source_claimed' }), client({ state: 'model_suggested' }))).toEqual({ outcome: 'take' });
    expect(resolveLabel(server({ state: 'model_suggested' }), client())).toEqual({ outcome: 'take' });
  });

  it('disputes two curators’ different decisions and names both', () => {
    const r = resolveLabel(server(), client());
    expect(r.outcome).toBe('dispute');
    expect(r.outcome === 'dispute' && r.note).toMatch(/Amanita muscaria \(ana\).*Amanita pantherina \(ben\)/);
    // Even when the second curator had seen the first decision: disagreement between curators is a dispute.
    expect(resolveLabel(server(), client({ baseRev: 3 })).outcome).toBe('dispute');
    expect(resolveLabel(server(), client({ state: 'disputed', taxon: 'Amanita muscaria' })).outcome).toBe('dispute');
  });

  it('accepts agreement, a curator revising their own decision, and the resolution of a seen dispute', () => {
    expect(resolveLabel(server(), client({ taxon: 'Amanita muscaria' }))).toMatchObject({ outcome: 'keep', reason: 'same' });
    expect(
      resolveLabel(server(), client({ taxon: 'Amanita muscaria', rank: 'species', state: 'human_verified', author: 'ben' })),
    ).toMatchObject({ outcome: 'keep' });
    expect(resolveLabel(server(), client({ author: 'ana', clientId: 'lib-a', baseRev: 3 }))).toEqual({ outcome: 'take' });
    expect(resolveLabel(server({ state: 'disputed' }), client({ baseRev: 3 }))).toEqual({ outcome: 'take' });
    expect(resolveLabel(server({ state: 'disputed' }), client({ baseRev: 2 }))).toMatchObject({
      outcome: 'keep',
      reason: 'already-disputed',
    });
  });

  it("lets a curator undo their own unchallenged decision, but not anyone else's", () => {
    const undo = { state: 'source_claimed' as const, taxon: 'Amanita muscaria', undo: true, baseRev: 3 };
    expect(resolveLabel(server({ client: 'lib-b' }), client(undo))).toEqual({ outcome: 'take' });
    expect(resolveLabel(server({ client: 'lib-a' }), client(undo))).toMatchObject({ outcome: 'keep', reason: 'human-on-server' });
    expect(resolveLabel(server({ client: 'lib-b', rev: 4 }), client(undo))).toMatchObject({ outcome: 'keep', reason: 'human-on-server' });
  });

  it('clears the server label only when its own writer undoes it, unchallenged', () => {
    const cleared = { state: null, taxon: null, rank: null, undo: true, baseRev: 3 };
    expect(resolveLabel(server({ state: 'source_claimed', client: 'lib-b' }), client(cleared))).toEqual({ outcome: 'take' });
    expect(resolveLabel(server({ state: 'source_claimed', client: 'lib-a' }), client(cleared))).toMatchObject({ outcome: 'keep' });
    expect(resolveLabel(server({ state: 'source_claimed', client: 'lib-b' }), client({ ...cleared, undo: false }))).toMatchObject({
      outcome: 'keep',
    });
    expect(resolveLabel(null, client(cleared))).toMatchObject({ outcome: 'keep' });
  });

  it('treats a stale revision of the same curator from another library as a conflict', () => {
    expect(resolveLabel(server(), client({ author: 'ana', baseRev: 1 })).outcome).toBe('dispute');
  });
});

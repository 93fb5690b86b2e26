// One claim in the Sync view's conflict list with its "Take this value" action: resolves the conflict on the server
// (sync.resolve, as `sporeprint sync resolve --take`) by the claimant's full client id, so two curators with the same
// name or a shared id prefix never pick the wrong claim.
import type { SyncConflict } from '../../../src-shared/api/sync';

export type Claim = SyncConflict['claims'][number];

export interface TakeClaimRequest {
  imageId: number;
  field: SyncConflict['field'];
  client: string;
}

export function TakeClaim({
  conflict,
  claim,
  label,
  busy,
  onTake,
}: {
  conflict: SyncConflict;
  claim: Claim;
  label: string;
  busy: boolean;
  onTake: (request: TakeClaimRequest) => void;
}) {
  return (
    <li>
      {label}{' '}
      <button
        type="button"
        disabled={busy}
        aria-label={`Take ${claim.value} for the ${conflict.field} of image ${conflict.imageId}`}
        onClick={() => onTake({ imageId: conflict.imageId, field: conflict.field, client: claim.client })}
      >
        Take this value
      </button>
    </li>
  );
}

// Actions on the multi-selection: verify, dispute, verify under a corrected taxon (each applies to the images it
// can apply to and reports the rest in words), or give a licence and credit.
import { useState } from 'react';
import { useApiMutation } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { LicenseEditor } from '../../components/license-editor';
import { useLibraryStore } from '../../state/library-store';
import { describeApplyReport } from './apply-report';

export function BulkActions() {
  const selected = useLibraryStore((s) => s.selected);
  const clear = useLibraryStore((s) => s.clearSelection);
  const setLabels = useApiMutation('labels.apply');
  const [taxon, setTaxon] = useState('');
  if (selected.size === 0) return null;
  const imageIds = [...selected];
  return (
    <div className="bulk-actions" role="toolbar" aria-label="Bulk actions">
      <span>{selected.size} selected</span>
      <button type="button" onClick={() => setLabels.mutate({ imageIds, state: 'human_verified' })}>
        Verify
      </button>
      <button type="button" onClick={() => setLabels.mutate({ imageIds, state: 'disputed' })}>
        Dispute
      </button>
      <input aria-label="Set taxon" placeholder="Set taxon…" value={taxon} onChange={(e) => setTaxon(e.target.value)} />
      <button
        type="button"
        disabled={!taxon.trim()}
        onClick={() => setLabels.mutate({ imageIds, state: 'human_verified', taxon: taxon.trim() })}
      >
        Verify as taxon
      </button>
      <button type="button" onClick={clear}>
        Clear selection
      </button>
      {setLabels.isPending ? <span>saving…</span> : null}
      {setLabels.isSuccess ? (
        <span role="status" data-testid="bulk-report" title={setLabels.data.skipped.map((s) => s.reason).join('\n')}>
          {describeApplyReport(setLabels.data, setLabels.variables.state)}
        </span>
      ) : null}
      <ErrorNote error={setLabels.error} title="Labelling failed" />
      <LicenseEditor imageIds={imageIds} />
    </div>
  );
}

// The taxon checklists Edit taxon completes from: which are imported, and a field to import another (a file on the
// machine that runs the library: one name per line, or a Darwin Core taxon file).
import { useState } from 'react';
import type { ChecklistImport } from '../../../src-shared/api/taxa';
import { useApi, useApiMutation } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';

function importReport(r: ChecklistImport): string {
  const what = r.format === 'darwin-core' ? 'Darwin Core taxon file' : 'list';
  const skipped =
    r.skipped > 0
      ? `; ${r.skipped} line${r.skipped === 1 ? '' : 's'} without a scientific name left out (line ${r.skippedLines.join(', ')}${r.skipped > r.skippedLines.length ? ', …' : ''})`
      : '';
  return `${r.names} name${r.names === 1 ? '' : 's'} imported from the ${what}${skipped}`;
}

export function ChecklistPanel({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState('');
  const checklists = useApi('taxa.checklists', {});
  // Not every query refreshed afterwards: the verify queue is a snapshot the curator is walking through.
  const importer = useApiMutation('taxa.importChecklist', { invalidate: false });
  return (
    <section className="panel checklist-panel" aria-label="Taxon checklists">
      <h2>Taxon checklists</h2>
      <p className="hint">Edit taxon (E) completes names from the catalogue and from these lists.</p>
      {checklists.data?.length === 0 ? <p className="hint">No checklist imported yet.</p> : null}
      <ul data-testid="checklists">
        {checklists.data?.map((c) => (
          <li key={c.file}>
            {c.file} · {c.names} names
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (file.trim()) importer.mutate({ path: file.trim() }, { onSuccess: () => void checklists.refetch() });
        }}
      >
        <label>
          Checklist file
          <input
            aria-label="Checklist file"
            placeholder="/full/path/to/checklist.txt or taxon.txt"
            value={file}
            onChange={(e) => setFile(e.target.value)}
            size={48}
          />
        </label>
        <button type="submit" disabled={importer.isPending || !file.trim()}>
          Import checklist
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </form>
      {importer.data && !importer.isPending ? (
        <p className="info-note" data-testid="checklist-report">
          {importReport(importer.data)}
        </p>
      ) : null}
      <ErrorNote error={importer.error} title="Checklist not imported" />
    </section>
  );
}

// The taxon checklists Edit taxon completes from: which are imported, and two ways to import another (one name per
// line, or a Darwin Core taxon file): a file picked here, sent over the API, or a full path on the machine that runs
// the library.
import { useState, type ChangeEvent } from 'react';
import type { ChecklistImport } from '../../../src-shared/api/taxa';
import { CHECKLIST_FILE_TYPES, CHECKLIST_UPLOAD_MAX_BYTES } from '../../../src-shared/defaults';
import { useApi, useApiMutation } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { formatBytes } from '../../components/format';

/** Why a picked file is not sent, in words naming it; null when it may be. The server checks the same again. */
export function pickedFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty: a checklist holds one scientific name per line.`;
  if (file.size > CHECKLIST_UPLOAD_MAX_BYTES)
    return `${file.name} is ${formatBytes(file.size)}, over the ${formatBytes(CHECKLIST_UPLOAD_MAX_BYTES)} a picked checklist may be; import it by its full path instead.`;
  const ext = /\.[^.]+$/.exec(file.name.toLowerCase())?.[0] ?? '';
  if (!(CHECKLIST_FILE_TYPES as readonly string[]).includes(ext))
    return `${file.name} is not a checklist file: pick a text file of names or a Darwin Core taxon file (${CHECKLIST_FILE_TYPES.join(', ')}).`;
  return null;
}

/** The file's bytes as base64, in chunks (a spread of millions of bytes into one call overflows the stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

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
  const uploader = useApiMutation('taxa.uploadChecklist', { invalidate: false });
  const [pickProblem, setPickProblem] = useState<string | null>(null);
  const [lastUsed, setLastUsed] = useState<'upload' | 'path' | null>(null);
  const onPick = async (e: ChangeEvent<HTMLInputElement>) => {
    const picked = e.target.files?.[0];
    // The same file picked again must fire another change.
    e.target.value = '';
    if (!picked) return;
    setLastUsed('upload');
    const problem = pickedFileProblem(picked);
    setPickProblem(problem);
    if (problem) return;
    let contentBase64: string;
    try {
      contentBase64 = await base64Of(picked);
    } catch (err) {
      setPickProblem(`${picked.name} could not be read: ${(err as Error).message}`);
      return;
    }
    uploader.mutate({ fileName: picked.name, contentBase64 }, { onSuccess: () => void checklists.refetch() });
  };
  const active = lastUsed === 'upload' ? uploader : importer;
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
      <div className="row">
        <label>
          Pick a checklist file
          <input
            type="file"
            aria-label="Pick a checklist file"
            accept={CHECKLIST_FILE_TYPES.join(',')}
            disabled={uploader.isPending}
            onChange={(e) => void onPick(e)}
          />
        </label>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setLastUsed('path');
          setPickProblem(null);
          if (file.trim()) importer.mutate({ path: file.trim() }, { onSuccess: () => void checklists.refetch() });
        }}
      >
        <label>
          Or its full path
          <input
            aria-label="Checklist file path"
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
      {active.data && !active.isPending && !pickProblem ? (
        <p className="info-note" data-testid="checklist-report">
          {importReport(active.data)}
        </p>
      ) : null}
      {pickProblem ? (
        <p className="error-note" role="alert" data-testid="checklist-pick-problem">
          {pickProblem}
        </p>
      ) : (
        <ErrorNote error={active.error} title="Checklist not imported" />
      )}
    </section>
  );
}

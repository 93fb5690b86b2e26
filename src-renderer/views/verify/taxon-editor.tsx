// Edit taxon: a name field completing from the catalogue's taxa and the imported checklists (↑/↓ pick, Enter takes
// the highlighted name or what was typed, Escape cancels), warning when the new genus differs from the claim (an
// unknown genus typed to the end is warned about on the first Enter, and saved on the second).
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../app/api-context';
import { ErrorNote } from '../../components/error-note';
import { useDebounced } from '../../app/use-debounced';
import { genusChangeWarning } from './genus-check';

export function TaxonEditor({
  claimed,
  onSave,
  onCancel,
}: {
  claimed: string | null;
  onSave: (taxon: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(claimed ?? '');
  const [highlight, setHighlight] = useState(-1);
  // A first Enter on a name of another genus shows the warning instead of saving; the second saves.
  const [confirming, setConfirming] = useState(false);
  const query = useDebounced(value.trim(), 120);
  const completions = useApi(
    'taxa.complete',
    { query: query || '-', limit: 8 },
    { enabled: query.length > 0, placeholderData: keepPreviousData },
  );
  // Nothing to offer when the only completion is what was typed.
  const options = (completions.data ?? []).filter((n) => n.name !== value.trim());
  const shown = value.trim() === '' ? [] : options;
  // The warning waits for a whole genus word (a space after it, or a known name), not "Bol" on the way to "Boletus".
  const typed = value.trim().toLowerCase();
  const genusTyped = /\s/.test(typed) || (completions.data ?? []).some((n) => n.name.toLowerCase() === typed);
  const genusChange = genusChangeWarning(claimed, value);
  const warning = genusChange && (genusTyped || confirming) ? genusChange : null;
  const choose = (name: string) => {
    setValue(name);
    setHighlight(-1);
    setConfirming(false);
  };
  return (
    <form
      className="taxon-editor"
      onSubmit={(e) => {
        e.preventDefault();
        const picked = shown[highlight];
        if (picked) choose(picked.name);
        else if (genusChange && !warning) setConfirming(true);
        else onSave(value);
      }}
    >
      <input
        aria-label="Edit taxon"
        role="combobox"
        aria-expanded={shown.length > 0}
        aria-controls="taxon-options"
        aria-autocomplete="list"
        autoFocus
        autoComplete="off"
        value={value}
        onChange={(e) => choose(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          else if (e.key === 'ArrowDown' && shown.length > 0) {
            e.preventDefault();
            setHighlight((h) => (h + 1) % shown.length);
          } else if (e.key === 'ArrowUp' && shown.length > 0) {
            e.preventDefault();
            setHighlight((h) => (h <= 0 ? shown.length - 1 : h - 1));
          }
        }}
      />
      {shown.length > 0 ? (
        <ul id="taxon-options" role="listbox" aria-label="Known taxa" className="taxon-options">
          {shown.map((n, i) => (
            <li
              key={n.name}
              role="option"
              aria-selected={i === highlight}
              className={i === highlight ? 'highlighted' : undefined}
              // Before the field's blur: a click picks the name instead of closing the list.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(n.name);
              }}
            >
              <span className="taxon">{n.name}</span>{' '}
              <span className="hint">{n.source === 'catalogue' ? 'in the catalogue' : 'checklist'}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorNote error={completions.error} title="Names unavailable" />
      {warning ? (
        <div className="warning-note" role="alert" data-testid="genus-warning">
          {warning}
        </div>
      ) : null}
      <button type="submit">Verify as this taxon</button>
    </form>
  );
}

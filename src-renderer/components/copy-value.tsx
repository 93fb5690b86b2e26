// A long value (hash, path, URL, credit) that wraps instead of overflowing, with a button that copies it whole.
import { useState } from 'react';

export function CopyValue({ value, label }: { value: string; label: string }) {
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; reason: string } | null>(null);
  const copy = () => {
    // The clipboard needs a secure context: the app's window and serve's 127.0.0.1 page both are.
    if (!navigator.clipboard) {
      setOutcome({ ok: false, reason: 'this page has no clipboard access (it is not a secure context)' });
      return;
    }
    navigator.clipboard.writeText(value).then(
      () => setOutcome({ ok: true }),
      (err: unknown) => setOutcome({ ok: false, reason: err instanceof Error ? err.message : String(err) }),
    );
  };
  return (
    <span className="copy-value">
      <span className="long-value">{value}</span>
      <button type="button" className="copy-button" aria-label={`Copy ${label}`} title={`Copy ${label}`} onClick={copy}>
        Copy
      </button>
      {outcome?.ok ? (
        <span className="hint" role="status">
          copied
        </span>
      ) : null}
      {outcome && !outcome.ok ? (
        <span className="error-note" role="alert">
          Could not copy: {outcome.reason}
        </span>
      ) : null}
    </span>
  );
}

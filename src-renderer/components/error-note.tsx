// An error shown where it happened, in words.
import { errorText } from '../app/api-error';

export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {errorText(error)}
    </div>
  );
}

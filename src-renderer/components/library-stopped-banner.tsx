// Says that the library's thread stopped (a crash), why, and offers to reopen it: the host that owned the thread
// starts a new one on library.reopen. Shown from the library.status event, or from a call that found it stopped.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../app/api-error';
import { useApi, useTransport } from '../app/api-context';
import { ErrorNote } from './error-note';

export function LibraryStoppedBanner() {
  const transport = useTransport();
  const client = useQueryClient();
  const info = useApi('library.info', {});
  const [reason, setReason] = useState<string | null>(null);
  const [reopening, setReopening] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(
    () => transport.on('library.status', (status) => setReason(status.running ? null : (status.reason ?? 'the library stopped'))),
    [transport],
  );
  // A page opened after the thread died learns it from its first call.
  const stoppedBeforeWeLooked = info.error instanceof ApiError && info.error.code === 'LIBRARY_STOPPED' ? info.error.message : null;
  const shown = reason ?? stoppedBeforeWeLooked;
  if (shown === null) return null;

  const reopen = async () => {
    setReopening(true);
    setFailure(null);
    try {
      await transport.invoke('library.reopen', {});
      setReason(null);
      await client.invalidateQueries();
    } catch (err) {
      setFailure(err);
    } finally {
      setReopening(false);
    }
  };
  return (
    <div className="error-note library-stopped" role="alert" aria-label="Library stopped">
      <strong>Library stopped: </strong>
      {shown}{' '}
      <button type="button" onClick={() => void reopen()} disabled={reopening}>
        {reopening ? 'Reopening…' : 'Reopen'}
      </button>
      <ErrorNote error={failure} title="Could not reopen" />
    </div>
  );
}

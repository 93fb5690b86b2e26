// The sync password in the desktop app: saved in the OS keychain through the preload, never sent through the library API.
import { useState } from 'react';
import type { SporeprintBridge, SyncPasswordReply } from '../../../src-shared/transport';
import { ApiError } from '../../app/api-error';
import { ErrorNote } from '../../components/error-note';

export type KeychainBridge = Required<Pick<SporeprintBridge, 'setSyncPassword' | 'forgetSyncPassword'>>;

/** The keychain half of the preload bridge, or null in the browser (serve), where it does not exist. */
export function keychainBridge(bridge: Partial<SporeprintBridge> | undefined): KeychainBridge | null {
  const { setSyncPassword, forgetSyncPassword } = bridge ?? {};
  return setSyncPassword && forgetSyncPassword ? { setSyncPassword, forgetSyncPassword } : null;
}

export function SyncPasswordField({ bridge, url }: { bridge: KeychainBridge | null; url: string }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!bridge)
    return (
      <p className="hint">
        The database password comes from PGPASSWORD or ~/.pgpass on the machine running <code>sporeprint serve</code>.
      </p>
    );

  const run = async (call: () => Promise<SyncPasswordReply>, verb: string) => {
    setBusy(true);
    setDone(null);
    setError(null);
    try {
      const reply = await call();
      if (!reply.ok) throw new ApiError(reply.error);
      setPassword('');
      setDone(`${verb} for ${reply.key}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel form-grid"
      aria-label="Sync password"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => bridge.setSyncPassword(url, password), 'Saved in the system keychain');
      }}
    >
      <label>
        Database password (saved in the system keychain, never in the library)
        <input
          aria-label="Database password"
          type="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <div className="row">
        <button type="submit" disabled={busy || !url || !password}>
          Save
        </button>
        <button type="button" disabled={busy || !url} onClick={() => void run(() => bridge.forgetSyncPassword(url), 'Forgotten')}>
          Forget
        </button>
        {url ? null : <span className="hint">enter the PostgreSQL URL first</span>}
      </div>
      {done ? <p role="status">{done}</p> : null}
      <ErrorNote error={error} title="Keychain" />
    </form>
  );
}

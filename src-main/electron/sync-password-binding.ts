// The keychain channel: the renderer saves or forgets a sync password; only the app's renderer is answered.
import { ipcMain } from 'electron';
import * as z from 'zod';
import { IPC_SYNC_PASSWORD_CHANNEL, type SyncPasswordReply, type SyncPasswordRequest } from '../../src-shared/transport';
import { SporeprintError, toErrorPayload } from '../core/errors';
import { parseTargetUrl } from '../core/sync/pg-connection';
import { keychainKey, type SyncKeychain } from './keychain';

const url = z.string().min(1).max(2048);
const requestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('set'), url, password: z.string().min(1).max(4096) }).strict(),
  z.object({ action: z.literal('forget'), url }).strict(),
]) satisfies z.ZodType<SyncPasswordRequest>;

/** Parses and applies one request; errors come back as data because Electron flattens thrown errors. */
export function applySyncPasswordRequest(keychain: SyncKeychain, input: unknown, env: NodeJS.ProcessEnv): SyncPasswordReply {
  try {
    const parsed = requestSchema.safeParse(input);
    if (!parsed.success)
      // The issues name fields only: zod never echoes the password back.
      throw new SporeprintError(
        'INVALID_INPUT',
        `invalid sync password request: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'} ${i.message}`).join('; ')}`,
      );
    const request = parsed.data;
    // The same parse the sync job makes, so the key matches; a URL carrying a password is refused here too.
    const { host, port, database, user } = parseTargetUrl(request.url, env);
    const target = { host, port, database, user };
    if (request.action === 'set') keychain.setPassword(target, request.password);
    else keychain.forgetPassword(target);
    return { ok: true, key: keychainKey(target) };
  } catch (err) {
    return { ok: false, error: toErrorPayload(err) };
  }
}

export function bindSyncPassword(keychain: SyncKeychain, rendererUrlPrefix: string, env: NodeJS.ProcessEnv = process.env): () => void {
  const prefix = rendererUrlPrefix.endsWith('/') ? rendererUrlPrefix : `${rendererUrlPrefix}/`;
  ipcMain.handle(IPC_SYNC_PASSWORD_CHANNEL, (event, input: unknown): SyncPasswordReply => {
    if (!(event.senderFrame?.url ?? '').startsWith(prefix))
      return { ok: false, error: toErrorPayload(new SporeprintError('INVALID_INPUT', 'keychain call from an untrusted frame')) };
    return applySyncPasswordRequest(keychain, input, env);
  });
  return () => ipcMain.removeHandler(IPC_SYNC_PASSWORD_CHANNEL);
}

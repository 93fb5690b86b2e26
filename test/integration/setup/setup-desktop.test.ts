// `npm run setup:desktop` end to end in a scratch checkout: electron's real installer (@electron/get) and the real
// prebuild-install, fed from a folder (--offline) or a mirror on 127.0.0.1 (the online path with ELECTRON_MIRROR).
// The "Electron" they install is a stand-in (Node reporting Electron's version and ABI): Electron cannot run here.
import { existsSync, readFileSync, statSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronSqliteBinding } from '../../../src-main/core/catalog/native-binding';
import { desktopInstructions, desktopReadiness } from '../../../src-main/setup/check-desktop';
import { serveOfflineFolder } from '../../../src-main/setup/offline-mirror';
import { setupDesktop, type SetupOptions } from '../../../src-main/setup/setup-desktop';
import { makeScratchCheckout, type ScratchCheckout } from '../../fixtures/scratch-checkout';

const require = createRequire(import.meta.url);
const nodeBuild = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

async function setup(checkout: ScratchCheckout, extra: Partial<SetupOptions> = {}): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await setupDesktop({ root: checkout.root, env: checkout.env, force: false, out: { line: (l) => lines.push(l) }, ...extra });
  return { code, text: lines.join('\n') };
}

function electronBuildOf(checkout: ScratchCheckout): string {
  return electronSqliteBinding(
    { dir: path.join(checkout.root, 'node_modules', 'better-sqlite3'), version: checkout.sqliteVersion },
    { abi: checkout.electronAbi, platform: process.platform, arch: process.arch },
  );
}

describe.skipIf(process.platform === 'win32')('npm run setup:desktop', () => {
  let checkout: ScratchCheckout;
  const nodeBuildMtime = statSync(nodeBuild).mtimeMs;
  beforeAll(() => {
    checkout = makeScratchCheckout();
  });
  afterAll(() => checkout?.cleanup());

  it('before it runs, npm start names both missing files, the command, and what to download for offline', () => {
    const readiness = desktopReadiness(checkout.root, checkout.env);
    expect(readiness.missing).toHaveLength(2);
    expect(readiness.missing[0]).toContain(path.join(checkout.root, 'node_modules', 'electron', 'dist', 'electron'));
    expect(readiness.missing[1]).toContain(electronBuildOf(checkout));
    const text = desktopInstructions(readiness).join('\n');
    expect(text).toContain('npm run setup:desktop');
    expect(text).toContain(
      `https://github.com/electron/electron/releases/download/v${checkout.electronVersion}/${path.basename(checkout.electronZip)}`,
    );
    expect(text).toContain(
      `https://github.com/WiseLibs/better-sqlite3/releases/download/v${checkout.sqliteVersion}/${path.basename(checkout.sqliteTarball)}`,
    );
  });

  it('--offline places Electron and better-sqlite3 for Electron beside Node\'s build, then loads every native module inside "Electron"', async () => {
    const { code, text } = await setup(checkout, { offline: checkout.downloads });
    expect(code, text).toBe(0);
    const dist = path.join(checkout.root, 'node_modules', 'electron', 'dist');
    expect(existsSync(path.join(dist, 'electron'))).toBe(true);
    expect(readFileSync(path.join(checkout.root, 'node_modules', 'electron', 'path.txt'), 'utf8')).toBe('electron');
    const placed = electronBuildOf(checkout);
    expect(readFileSync(placed).equals(readFileSync(nodeBuild))).toBe(true);
    for (const name of ['better-sqlite3', 'sharp', 'hnswlib-node', 'onnxruntime-node']) expect(text).toMatch(new RegExp(`ok\\s+${name}: `));
    expect(text).toMatch(/ok\s+better-sqlite3: SQLite 3\./);
    expect(text).toContain('Ready: npm start');
    expect(desktopReadiness(checkout.root, checkout.env).missing).toEqual([]);
    // Node's own build (what the CLI and the tests load) is never written.
    expect(statSync(nodeBuild).mtimeMs).toBe(nodeBuildMtime);
  });

  it('a second run keeps what is there and checks it again', async () => {
    const { code, text } = await setup(checkout);
    expect(code, text).toBe(0);
    expect(text).toContain('Electron binary: present');
    expect(text).toContain('for Electron: present');
    expect(text).toContain('Ready: npm start');
  });

  it('--force fetches both again through mirrors set in the environment (the online path)', async () => {
    const mirror = await serveOfflineFolder(checkout.downloads);
    try {
      const env = { ...checkout.env, ELECTRON_MIRROR: mirror.url, npm_config_better_sqlite3_binary_host: mirror.url.replace(/\/$/, '') };
      rmSync(electronBuildOf(checkout));
      const { code, text } = await setup(checkout, { env, force: true });
      expect(code, text).toBe(0);
      expect(text).toContain(`downloading ${mirror.url}v${checkout.electronVersion}/${path.basename(checkout.electronZip)}`);
      expect(text).toContain(`downloading ${mirror.url}v${checkout.sqliteVersion}/${path.basename(checkout.sqliteTarball)}`);
      expect(existsSync(electronBuildOf(checkout))).toBe(true);
    } finally {
      await mirror.close();
    }
  });

  it('refuses an Electron zip that does not match the electron package checksums', async () => {
    const tampered = makeScratchCheckout();
    try {
      appendFileSync(tampered.electronZip, 'tampered');
      const { code, text } = await setup(tampered, { offline: tampered.downloads });
      expect(code).toBe(1);
      expect(text).toContain("Electron's binary could not be fetched");
      expect(existsSync(path.join(tampered.root, 'node_modules', 'electron', 'dist', 'electron'))).toBe(false);
    } finally {
      tampered.cleanup();
    }
  });

  it('without the better-sqlite3 tarball, names the file and where its binary goes', async () => {
    const partial = makeScratchCheckout();
    try {
      rmSync(partial.sqliteTarball);
      writeFileSync(path.join(partial.downloads, 'README.txt'), 'only the zip');
      const { code, text } = await setup(partial, { offline: partial.downloads });
      expect(code).toBe(1);
      expect(text).toContain(path.basename(partial.sqliteTarball));
      expect(text).toContain(electronBuildOf(partial));
      expect(desktopReadiness(partial.root, partial.env).missing).toHaveLength(1);
    } finally {
      partial.cleanup();
    }
  });
});

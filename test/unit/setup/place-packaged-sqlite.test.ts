// Packaging puts better-sqlite3's Electron build into the packed app (electron-builder's afterPack hook) instead of
// rebuilding node_modules in place: checked on packed-app layouts made here, with a scratch checkout's build.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronSqliteBinding } from '../../../src-main/core/catalog/native-binding';
import { packagedSqliteBinary, placeElectronSqlite, type PackedApp } from '../../../src-main/setup/place-packaged-sqlite';
import { makeScratchCheckout, type ScratchCheckout } from '../../fixtures/scratch-checkout';
import { makeTempDir } from '../../fixtures/temp-library';

const require = createRequire(import.meta.url);
const nodeBuild = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const host = { platform: process.platform, arch: process.arch };

function packedApp(dir: string, platform = host.platform as string, arch = host.arch as string): PackedApp {
  const app = { appOutDir: path.join(dir, `${platform}-${arch}-unpacked`), platform, arch, productFilename: 'Sporeprint' };
  const binary = packagedSqliteBinary(app);
  mkdirSync(path.dirname(binary), { recursive: true });
  writeFileSync(binary, 'the Node build electron-builder copied');
  return app;
}

describe('placeElectronSqlite', () => {
  let checkout: ScratchCheckout;
  let out: ReturnType<typeof makeTempDir>;
  let electronBuild: string;
  beforeAll(() => {
    checkout = makeScratchCheckout();
    out = makeTempDir('sporeprint-packed-');
    electronBuild = electronSqliteBinding(
      { dir: path.join(checkout.root, 'node_modules', 'better-sqlite3'), version: checkout.sqliteVersion },
      { abi: checkout.electronAbi, ...host },
    );
  });
  afterAll(() => {
    checkout?.cleanup();
    out?.cleanup();
  });

  it('refuses while setup:desktop has not fetched the Electron build', () => {
    expect(() => placeElectronSqlite(packedApp(out.dir), checkout.root, host)).toThrow(/run npm run setup:desktop first/);
  });

  it("replaces the packed app's better-sqlite3 binary with the Electron build", () => {
    mkdirSync(path.dirname(electronBuild), { recursive: true });
    copyFileSync(nodeBuild, electronBuild);
    const app = packedApp(out.dir);
    const placed = placeElectronSqlite(app, checkout.root, host);
    expect(placed).toBe(
      path.join(
        app.appOutDir,
        'resources',
        'app.asar.unpacked',
        'node_modules',
        'better-sqlite3',
        'build',
        'Release',
        'better_sqlite3.node',
      ),
    );
    expect(readFileSync(placed).equals(readFileSync(electronBuild))).toBe(true);
  });

  it('knows the macOS layout and refuses a platform or arch this machine did not build native modules for', () => {
    expect(packagedSqliteBinary({ appOutDir: '/dist/mac-arm64', platform: 'darwin', arch: 'arm64', productFilename: 'Sporeprint' })).toBe(
      path.join(
        '/dist/mac-arm64',
        'Sporeprint.app',
        'Contents',
        'Resources',
        'app.asar.unpacked',
        'node_modules',
        'better-sqlite3',
        'build',
        'Release',
        'better_sqlite3.node',
      ),
    );
    const otherArch = host.arch === 'arm64' ? 'x64' : 'arm64';
    expect(() => placeElectronSqlite(packedApp(out.dir, host.platform, otherArch), checkout.root, host)).toThrow(
      /package on a .*-(arm64|x64) machine/,
    );
  });

  it("electron-builder's hook module loads and maps its context (arch enum, platform) onto the same placement", async () => {
    // Run as electron-builder would: import the .mjs in a plain Node process and call its default export.
    const hook = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src-main/setup/after-pack.mjs');
    const context = {
      appOutDir: path.join(out.dir, 'hook'),
      electronPlatformName: host.platform,
      arch: host.arch === 'arm64' ? 1 : 3,
      packager: { appInfo: { productFilename: 'Sporeprint' } },
    };
    const script = `import(${JSON.stringify(hook)}).then((m) => m.default(${JSON.stringify(context)})).catch((e) => { console.error(e.message); process.exit(3); })`;
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['-e', script], (err, _stdout, stderr) =>
        resolve({ code: err ? (child.exitCode ?? 1) : 0, stderr }),
      );
    });
    expect(code).toBe(3);
    // Arch 1 is x64 and 3 is arm64 in builder-util's enum: the other arch than this machine's, so it is refused.
    expect(stderr).toContain(`packaging for ${host.platform}-${host.arch === 'arm64' ? 'x64' : 'arm64'}`);
  });
});

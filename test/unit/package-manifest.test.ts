// The install policy in package.json: every dependency with an install script has a decision in allowScripts (npm
// 11.16+ otherwise ends `npm ci` with a notice), and onnxruntime-node's CUDA download stays denied both ways: by
// allowScripts (npm 11.16+) and by its own skip setting in .npmrc (older npm, which ignores allowScripts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean }>;
};

describe('install policy', () => {
  it('every package with an install script is approved or denied in allowScripts', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    const undecided = withScripts.filter((name) => typeof manifest.allowScripts?.[name] !== 'boolean');
    expect(undecided).toEqual([]);
  });

  it("denies onnxruntime-node's install script (its CUDA download from NuGet)", () => {
    expect(manifest.allowScripts?.['onnxruntime-node']).toBe(false);
  });

  it('.npmrc skips the download for npm versions that ignore allowScripts, and sets nothing else unknown to npm', () => {
    const settings = readFileSync(path.join(root, '.npmrc'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('=').map((part) => part.trim()) as [string, string]);
    expect(settings).toContainEqual(['onnxruntime-node-install', 'skip']);
    expect(settings.map(([key]) => key).filter((key) => !['fund', 'audit', 'onnxruntime-node-install'].includes(key))).toEqual([]);
  });
});

// The install policy in package.json: every dependency with an install script has a decision in allowScripts (npm
// 11.16+ otherwise ends `npm ci` with a notice), and onnxruntime-node's CUDA download stays denied. .npmrc holds only
// settings npm knows (npm 11 warns about any other key and will stop reading it).
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

  it('.npmrc sets nothing npm does not know', () => {
    const keys = readFileSync(path.join(root, '.npmrc'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('=')[0]!.trim());
    // npm's own settings only; a tool's key here (e.g. onnxruntime-node-install) makes every npm command warn.
    expect(keys.filter((key) => !['fund', 'audit'].includes(key))).toEqual([]);
  });
});

// electron-vite: builds main (plus worker entries), the CommonJS sandboxed preload, and the renderer into out/.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
const at = (...parts: string[]) => resolve(root, ...parts);

// Worker threads load these by name beside the main bundle (core/concurrency/worker-entry.ts).
const WORKERS = ['decode-worker', 'embed-worker', 'hamming-worker', 'display-worker', 'library-host'].filter((name) => existsSync(at('src-main/workers', `${name}.ts`)));

// Native modules are never bundled: they are loaded from node_modules (rebuilt for Electron by electron-builder).
const NATIVE = ['better-sqlite3', 'sharp', 'hnswlib-node', 'onnxruntime-node', '@huggingface/transformers'];

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      externalizeDeps: { include: NATIVE },
      rollupOptions: {
        input: {
          index: at('src-main/electron/main.ts'),
          ...Object.fromEntries(WORKERS.map((name) => [name, at('src-main/workers', `${name}.ts`)])),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload cannot require anything but electron: bundle it whole, as CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: at('src-main/electron/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: at('out/renderer'),
      rollupOptions: { input: { index: at('src-renderer/index.html') } },
    },
  },
});

// Types of code-cache.cjs (plain JavaScript, so bin.mjs can load it without TypeScript).
import type * as vm from 'node:vm';

type CodeCacheOutcome = 'used' | 'rejected by V8' | 'off' | Exclude<CodeCacheReason, null>;
type CodeCacheReason = 'missing' | 'unreadable' | 'malformed' | 'runtime' | 'stale' | 'corrupt' | null;

declare function codeCachePathOf(bundle: string): string;
declare function readCodeCache(cachePath: string, source: Uint8Array): { data: Buffer | null; reason: CodeCacheReason };
declare function runBundle(
  bundle: string,
  options?: { argv?: string[]; cachePath?: string },
): { script: vm.Script; sourceBytes: Buffer; outcome: CodeCacheOutcome };
declare function writeCodeCache(cachePath: string, script: vm.Script, sourceBytes: Uint8Array): void;

export { codeCachePathOf, readCodeCache, runBundle, writeCodeCache, type CodeCacheOutcome, type CodeCacheReason };

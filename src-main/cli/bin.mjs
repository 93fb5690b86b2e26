#!/usr/bin/env node
// The `sporeprint` executable: runs the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');

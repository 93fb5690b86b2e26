// Enforces the layers declared in src-main/core/layers.ts over every import in src-main/core: infrastructure never
// imports a feature domain, features import only those below them, nothing imports the facade, core imports no glue.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FACADE, FEATURES, INFRASTRUCTURE } from '../../../src-main/core/layers';

const core = fileURLToPath(new URL('../../../src-main/core', import.meta.url));
const srcMain = path.dirname(core);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|tsx)$/.test(name) ? [full] : [];
  });
}

interface Edge {
  file: string;
  specifier: string;
  target: string;
}

/** Every static, dynamic and type import of a file, resolved when relative. */
export function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => ({
    file,
    specifier,
    target: specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : specifier,
  }));
}

/** The folder of core a path is in ('' for core's top-level files), or null outside core. */
function folderOf(p: string): string | null {
  const relative = path.relative(core, p);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const parts = relative.split(path.sep);
  return parts.length === 1 ? '' : parts[0]!;
}

const infrastructure = new Set<string>(INFRASTRUCTURE);
const featureRank = new Map<string, number>(FEATURES.map((f, i) => [f, i]));

/** Why an import breaks the layers, or null when it is allowed. */
function violation(from: string, to: string): string | null {
  if (from === '' || from === to) return null;
  if (infrastructure.has(from)) return infrastructure.has(to) ? null : `infrastructure ${from} imports feature ${to}`;
  if (infrastructure.has(to)) return null;
  const a = featureRank.get(from)!;
  const b = featureRank.get(to);
  if (b === undefined) return `${to} is not declared in core/layers.ts`;
  return b < a ? null : `feature ${from} imports ${to}, which is not below it in core/layers.ts`;
}

const files = sourceFiles(core);
const edges = files.flatMap(importsOf);

describe('layers inside src-main/core', () => {
  it('declares every folder of core exactly once', () => {
    const folders = readdirSync(core).filter((n) => statSync(path.join(core, n)).isDirectory());
    const declared = [...INFRASTRUCTURE, ...FEATURES];
    expect(new Set(declared).size).toBe(declared.length);
    expect([...folders].sort()).toEqual([...declared].sort());
  });

  it('every import follows the declared layers', () => {
    const broken: string[] = [];
    for (const e of edges) {
      const from = folderOf(e.file)!;
      const to = folderOf(e.target);
      if (to === null) continue;
      if (from !== '' && to === '' && (FACADE as readonly string[]).includes(path.basename(e.target) + '.ts'))
        broken.push(`${path.relative(core, e.file)} imports the facade ${e.specifier}`);
      const why = to === '' ? null : violation(from, to);
      if (why) broken.push(`${path.relative(core, e.file)} -> ${e.specifier}: ${why}`);
    }
    expect(broken).toEqual([]);
  });

  it('infrastructure folders do not import each other in a circle', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const from = folderOf(e.file);
      const to = folderOf(e.target);
      if (!from || !to || from === to || !infrastructure.has(from)) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (trail.includes(node)) return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('core imports no glue: not electron, the CLI, the server or the host', () => {
    const glue = ['cli', 'electron', 'server', 'host'].map((g) => path.join(srcMain, g) + path.sep);
    const broken = edges
      .filter((e) => e.specifier === 'electron' || glue.some((g) => e.target.startsWith(g)))
      .map((e) => `${path.relative(core, e.file)} -> ${e.specifier}`);
    expect(broken).toEqual([]);
  });

  it('catches a forbidden import (the check itself works)', () => {
    expect(violation('catalog', 'labels')).toMatch(/infrastructure catalog imports feature labels/);
    expect(violation('imaging', 'duplicates')).toMatch(/not below it/);
    expect(violation('duplicates', 'imaging')).toBeNull();
    // Dynamic imports count: the facade loads each domain's handlers with import().
    const sample = importsOf(path.join(core, 'method-handlers.ts')).map((e) => e.specifier);
    expect(sample).toContain('./images/handlers');
  });
});

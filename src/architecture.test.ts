import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of ARCHITECTURE.md that a lint rule cannot see: no cycle anywhere, no plugin
 * implementation importing a sibling, test support imported by tests only. And a check that the
 * lint boundaries themselves catch what they must.
 */
const src = resolve(import.meta.dirname);
const root = resolve(src, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === '__fixtures__' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import (type-only ones too: a cycle of types is still a cycle), resolved. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    graph.set(
      file,
      importedFiles
        .map((i) => i.fileName)
        .filter((name) => name.startsWith('.'))
        .map((name) => resolve(dirname(file), name))
        .filter((target) => known.has(target)),
    );
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indexOf.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return found;
}

/** Folders whose subfolders are implementations of one contract (docs/adr/0011). */
export const pluginFamilies = [
  'readers/test-results',
  'readers/events',
  'ci',
  'exporters',
  'store/dialects',
  'cli/render',
  'readers/webhooks',

  'sources',

  'readers/evidence',
  'gates',
  'readers/coverage',
  'actions',
];

/** Tests and the conformance suites they call (`*-conformance.ts` registers `it` blocks). */
const isTestCode = (file: string) => file.endsWith('.test.ts') || file.endsWith('-conformance.ts');
const rel = (path: string) => relative(src, path).split(sep).join('/');
const files = sourceFiles(src);
const graph = importGraph(files);

describe('the import graph of src/', () => {
  it('has no cycle', () => {
    expect(cycles(graph).map((c) => c.map(rel).sort())).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const a = join(src, 'a.ts');
    const b = join(src, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ).map((c) => c.map(rel).sort()),
    ).toEqual([['a.ts', 'b.ts']]);
  });

  it('has no plugin implementation importing a sibling implementation', () => {
    const crossings: string[] = [];
    for (const [file, targets] of graph) {
      for (const family of pluginFamilies) {
        const implementation = (path: string) => {
          const inside = rel(path).slice(family.length + 1);
          return rel(path).startsWith(`${family}/`) && inside.includes('/')
            ? inside.split('/')[0]
            : undefined;
        };
        const own = implementation(file);
        if (own === undefined) continue;
        for (const target of targets) {
          const other = implementation(target);
          if (other !== undefined && other !== own) crossings.push(`${rel(file)} → ${rel(target)}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it('lets only tests, benchmarks and test support import src/testing', () => {
    const leaks = [...graph]
      .filter(([file]) => !isTestCode(file) && !rel(file).startsWith('testing/'))
      .flatMap(([file, targets]) =>
        targets.filter((t) => rel(t).startsWith('testing/')).map((t) => `${rel(file)} → ${rel(t)}`),
      );
    expect(leaks).toEqual([]);
  });

  it('lets only tests import a conformance suite', () => {
    const leaks = [...graph]
      .filter(([file]) => !file.endsWith('.test.ts'))
      .flatMap(([file, targets]) =>
        targets.filter((t) => t.endsWith('-conformance.ts')).map((t) => `${rel(file)} → ${rel(t)}`),
      );
    expect(leaks).toEqual([]);
  });
});

describe('the lint boundaries (eslint.config.js)', () => {
  const eslint = new ESLint({
    cwd: root,
    // The boundary rules need no type information: lint the probes without the type checker.
    overrideConfig: [
      {
        files: ['**/*.ts'],
        ...tseslint.configs.disableTypeChecked,
        languageOptions: { parserOptions: { projectService: false, project: null } },
      },
    ],
  });
  const violations = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(src, file) });
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
      .map((m) => m.ruleId);
  };

  it.each([
    ['core/lib/probe.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;"],
    ['core/lib/probe.ts', "import { readFileSync } from 'fs';\nvoid readFileSync;"],
    ['core/lib/probe.ts', "import { Kysely } from 'kysely';\nvoid Kysely;"],
    [
      'core/lib/probe.ts',
      "import { openStore } from '../../store/open-store.ts';\nvoid openStore;",
    ],
    ['core/lib/probe.ts', 'export const at = Date.now();'],
    ['core/lib/probe.ts', 'export const at = new Date();'],
    ['core/lib/probe.ts', 'export const r = Math.random();'],
    ['core/lib/probe.ts', "export const env = process.env['X'];"],
    ['readers/test-results/probe.ts', "import type { Store } from '../../store/open-store.ts';"],
    ['server/probe.ts', "import { runCli } from '../cli/main.ts';\nvoid runCli;"],
    [
      'server/probe.ts',
      "import { insertDeliveryEvents } from '../store/repositories/delivery/delivery-event.repository.ts';\nvoid insertDeliveryEvents;",
    ],
    ['app/probe.ts', "import { buildServer } from '../server/build-server.ts';\nvoid buildServer;"],
    [
      'app/probe.ts',
      "import { openTestStore } from '../testing/open-test-store.ts';\nvoid openTestStore;",
    ],
    [
      'readers/test-results/probe-conformance.ts',
      "import type { Store } from '../../store/open-store.ts';",
    ],
  ])('refuses %s: %s', async (file, code) => {
    expect(await violations(file, code)).not.toEqual([]);
  });

  it.each([
    ['core/lib/probe.ts', "import { z } from 'zod';\nexport const at = new Date(0);\nvoid z;"],
    ['app/probe.ts', "import { openStore } from '../store/open-store.ts';\nvoid openStore;"],
    [
      'ci/probe-conformance.ts',
      "import { skippedCases } from '../testing/skipped-cases.ts';\nvoid skippedCases;",
    ],
  ])('accepts %s: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});

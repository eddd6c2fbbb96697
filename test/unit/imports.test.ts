// The import graph of src/ and webview/ has no cycle (type-only imports included), so the protocol
// imports nothing from a core file that imports the protocol, and no module sees a half-initialised
// neighbour. Reads the sources, resolves relative specifiers, and searches for a cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' ? [] : sources(p);
    return /\.ts$/.test(n) && !/\.d\.ts$/.test(n) ? [p] : [];
  });
}

function resolveSpec(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const c of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(c)) return c;
  return undefined;
}

/** The import graph; `types: false` leaves out `import type` / `export type` (erased at run time). */
function graph(types = true): Map<string, string[]> {
  const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'webview'))];
  const g = new Map<string, string[]>();
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(re)) {
      if (!types && /^\s*(?:import|export)\s+type\s/.test(m[0])) continue;
      const r = resolveSpec(f, m[1] ?? m[2] ?? m[3]);
      if (r) deps.add(r);
    }
    g.set(f, [...deps]);
  }
  return g;
}

function findCycle(g: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 1);
    stack.push(n);
    for (const d of g.get(n) ?? []) {
      if (state.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (!state.has(d)) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of g.keys()) {
    if (state.has(n)) continue;
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

/**
 * Folders with cycles inside them that are being untangled: edges inside one of these folders are
 * left out of the strict test below (the whole graph is checked by the test after it). None now.
 */
const PENDING: string[] = [];
const inPending = (f: string): string | undefined => PENDING.find((d) => dirname(f) === d);

test('the import graph of src/ and webview/ has no cycle (type-only imports included), outside the pending folders', () => {
  const full = graph();
  assert.ok(full.size > 50, `only ${full.size} files read`);
  const g = new Map([...full].map(([f, deps]) => [f, deps.filter((d) => !inPending(f) || inPending(f) !== inPending(d))]));
  const cycle = findCycle(g);
  assert.equal(cycle, undefined, `import cycle: ${cycle?.map((f) => relative(ROOT, f)).join(' → ')}`);
});

test('the whole import graph has no cycle', () => {
  const g = graph();
  assert.ok(g.size > 50, `only ${g.size} files read`);
  const cycle = findCycle(g);
  assert.equal(cycle, undefined, `import cycle: ${cycle?.map((f) => relative(ROOT, f)).join(' → ')}`);
});

test('src/protocol.ts imports nothing that imports the protocol', () => {
  const g = graph();
  const protocol = join(ROOT, 'src', 'protocol.ts');
  const seen = new Set<string>();
  const todo = [...(g.get(protocol) ?? [])];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    assert.notEqual(f, protocol, 'the protocol reaches itself');
    todo.push(...(g.get(f) ?? []));
  }
  // And the check can fail: a graph with a planted cycle is caught.
  assert.ok(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])));
});

// Issue 16 (activation under 50 ms): what the extension host loads at activation is what esbuild
// reaches from its entry by static imports. The readers (YAML, TOML, JSONC, CSV, the log, eval and
// config parsers) run in the workers; the host reaches them only by import() when a user asks for
// what needs them (an eval file judged on the host, a sweep exported as CSV). Loading them made
// activation ~20 ms slower (bench/activation.mjs: 251 → 131 KB, CPU 37 → 23 ms).
test('the extension host bundle reaches no reader by static import', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const r = await esbuild.build({
    entryPoints: [join(ROOT, 'src', 'extension', 'extension.ts')], bundle: true, platform: 'node', format: 'cjs',
    mainFields: ['module', 'main'], external: ['vscode'], write: false, metafile: true, absWorkingDir: ROOT, logLevel: 'silent',
  });
  const inputs = r.metafile.inputs;
  const from = new Map<string, string>();
  const queue = ['src/extension/extension.ts'];
  const seen = new Set(queue);
  while (queue.length) {
    const f = queue.shift()!;
    for (const im of inputs[f]?.imports ?? []) {
      if (im.kind === 'dynamic-import' || seen.has(im.path)) continue;
      seen.add(im.path); from.set(im.path, f); queue.push(im.path);
    }
  }
  const chain = (p: string) => { const c = [p]; while (from.has(c[c.length - 1])) c.push(from.get(c[c.length - 1])!); return c.join(' <- '); };
  const banned = [/^node_modules\/(yaml|papaparse|smol-toml|jsonc-parser)\//, /^src\/core\/(logs\/(parse|runs|wandb|tfeventsRead)|evals\/read|config\/readers)\.ts$/];
  const reached = [...seen].filter((p) => banned.some((b) => b.test(p)));
  assert.deepEqual(reached.map(chain), []);
  // The check sees real imports: the workers' bundle does reach the readers.
  assert.ok(Object.keys(inputs).some((p) => /^node_modules\/papaparse\//.test(p)), 'papaparse is in the bundle, behind import()');
});

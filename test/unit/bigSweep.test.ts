/**
 * Sweep tables of many rows: the fits and the notes about them must not overflow the stack
 * (`Math.min(...values)` throws past about 120,000 values: a 250,000-row sweep fitted with the run
 * law failed with "Maximum call stack size exceeded"), and Kaplan's 400 starts, screened on a
 * subsample of a long table, must reach the optimum that every start on every row reaches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fitKaplan, fittedParams, kaplanLoss } from '../../src/core/fit';
import { KAPLAN_SCREEN_ROWS } from '../../src/core/fit/kaplan';
import { mulberry32, normal } from '../../src/core/fit/rng';
import { extent } from '../../src/core/downsample';
import { isCancelled } from '../../src/core/cancel';
import { analyzeFile } from '../../src/core/pipeline';
import { MAX_SWEEP_DRAWN, sweepForChart } from '../../src/core/analyze';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { tmpDir } from './tmpUtil';

/** A seeded sweep: 40 model sizes × 60 token counts (jittered), the loss of `law` with log-normal noise. */
function sweep(rows: number, seed: number, law: 'chinchilla' | 'kaplan'): { N: number[]; D: number[]; L: number[] } {
  const rng = mulberry32(seed);
  const N: number[] = [], D: number[] = [], L: number[] = [];
  for (let i = 0; i < rows; i++) {
    const n = 1e7 * Math.pow(10, (3 * Math.floor(rng() * 40)) / 40);
    const d = 1e9 * Math.pow(10, (3 * Math.floor(rng() * 60)) / 60) * (1 + 1e-4 * rng());
    const l = law === 'chinchilla' ? 1.8 + 480 / n ** 0.34 + 2000 / d ** 0.37 : kaplanLoss({ Nc: 8.8e13, Dc: 5.4e13, alphaN: 0.076, alphaD: 0.095 }, n, d);
    N.push(n); D.push(d); L.push(l * Math.exp(0.02 * normal(rng)));
  }
  return { N, D, L };
}

test('extent: the smallest and largest of 300,000 values, NaN skipped, where Math.min(...values) overflows the stack', () => {
  const rng = mulberry32(3);
  const v = Float64Array.from({ length: 300_000 }, () => rng() * 10 - 5);
  v[1234] = NaN;
  assert.throws(() => Math.min(...v), RangeError);
  let lo = Infinity, hi = -Infinity;
  for (const x of v) if (!Number.isNaN(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  assert.deepEqual(extent(v), [lo, hi]);
  assert.deepEqual(extent([]), [Infinity, -Infinity]);
});

test('a sweep table of 150,000 rows is fitted with the run law and with Kaplan\'s, with no stack overflow', async () => {
  const { N, D, L } = sweep(150_000, 7, 'chinchilla');
  const dir = tmpDir('sl-bigsweep-');
  const file = path.join(dir, 'sweep.csv');
  fs.writeFileSync(file, 'params,tokens,loss\n' + N.map((n, i) => `${n},${D[i]},${L[i]}`).join('\n') + '\n');
  const run = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, law: 'run', bootstrap: 0 });
  assert.ok(run.state.fit, run.state.fitError);
  const warning = run.state.problems.find((p) => /single-run law on a sweep of 40 model sizes/.test(p.message));
  assert.ok(warning, run.state.problems.map((p) => p.message).join('\n'));
  assert.match(warning.message, /N from 10M to 8\.41B/);
  const kaplan = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, law: 'kaplan', bootstrap: 0 });
  assert.ok(kaplan.state.fit, kaplan.state.fitError);
  assert.equal(kaplan.state.fit.law, 'kaplan');
  // The chart is sent every k-th run (k = 8 here), with the total: not 4 × 150,000 numbers.
  const drawn = kaplan.state.sweep!;
  const k = Math.ceil(150_000 / MAX_SWEEP_DRAWN);
  assert.equal(drawn.total, 150_000);
  assert.equal(drawn.N.length, Math.ceil(150_000 / k));
  assert.ok(drawn.N.length <= MAX_SWEEP_DRAWN);
  for (const j of [0, 1, 777, drawn.N.length - 1]) {
    assert.equal(drawn.N[j], N[j * k]);
    assert.equal(drawn.loss[j], L[j * k]);
  }
  assert.ok(kaplan.state.fit.n! >= 150_000 - 5, `the fit uses every row (but the dropped highest losses): ${kaplan.state.fit.n}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a sweep table of a few hundred rows is sent to the chart whole', async () => {
  const { N, D, L } = sweep(300, 8, 'chinchilla');
  const dir = tmpDir('sl-smallsweep-');
  const file = path.join(dir, 'sweep.csv');
  fs.writeFileSync(file, 'params,tokens,loss\n' + N.map((n, i) => `${n},${D[i]},${L[i]}`).join('\n') + '\n');
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.sweep!.N.length, 300);
  assert.equal(a.state.sweep!.total, undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Kaplan: the starts screened on every k-th row of a long table reach the optimum of every start on every row', () => {
  for (const [law, seed] of [['chinchilla', 11], ['kaplan', 12]] as const) {
    const rows = Math.round(1.5 * KAPLAN_SCREEN_ROWS);
    const { N, D, L } = sweep(rows, seed, law);
    const grid = fitKaplan(N, D, L, { bootstrap: 0, strategy: 'grid' });
    const fast = fitKaplan(N, D, L, { bootstrap: 0 });
    assert.ok(!grid.messages.some((m) => /screened/.test(m)), grid.messages.join('\n'));
    assert.ok(fast.messages.some((m) => m.includes(`screened on ${Math.ceil(rows / 2).toLocaleString('en-US')} evenly spaced of the ${rows.toLocaleString('en-US')} rows`)), fast.messages.join('\n'));
    assert.ok(Math.abs(fast.objective - grid.objective) <= 1e-10 * grid.objective, `${law}: objective ${fast.objective} vs ${grid.objective}`);
    const g = fittedParams(grid), f = fittedParams(fast);
    for (const k of ['alphaN', 'alphaD', 'Nc', 'Dc'] as const) {
      assert.ok(Math.abs(f[k]! - g[k]!) <= 1e-5 * Math.abs(g[k]!), `${law} ${k}: ${f[k]} vs ${g[k]}`);
    }
  }
});

test('Kaplan: a cancelled fit stops with the core\'s cancellation error', () => {
  const { N, D, L } = sweep(3000, 13, 'kaplan');
  const ac = new AbortController();
  ac.abort();
  assert.throws(() => fitKaplan(N, D, L, { bootstrap: 0, signal: ac.signal }), (e) => isCancelled(e));
});

test('a long table of several sweeps: every k-th row of each group is drawn, so a group of a few rows keeps a point', () => {
  // 60,000 rows of one sweep and 5 of another, interleaved near the end: a stride over the whole table
  // (k = 4) kept 1 of the 5, and could keep none.
  const n = 60_005;
  const group = Array.from({ length: n }, (_, i) => (i >= 50_000 && i % 3 === 1 && i < 50_015 ? 1 : 0));
  const col = Array.from({ length: n }, (_, i) => i + 1);
  const drawn = sweepForChart({ N: col, D: col, C: col, loss: col }, group);
  assert.equal(drawn.total, n);
  assert.ok(drawn.N.length <= MAX_SWEEP_DRAWN + 2, `${drawn.N.length} drawn`);
  const small = drawn.group!.filter((g) => g === 1).length;
  assert.equal(small, 2, 'the 5-row group: its 1st and 5th rows (every 4th of its own)');
  // Rows stay in table order, each row's values together.
  for (let j = 0; j < drawn.N.length; j++) assert.equal(drawn.loss[j], drawn.N[j]);
  for (let j = 1; j < drawn.N.length; j++) assert.ok(drawn.N[j] > drawn.N[j - 1]);
});

// The full 4,500-start Chinchilla grid on worker threads: same optimum as on one thread, the
// fast exp/log of its kernel, cancellation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chinchillaGrid, ChinchillaObjective, fitChinchilla, fittedParams, LAW_INFO, mulberry32 } from '../../src/core/fit';
import { expFast, logNear1 } from '../../src/core/fit/huber';
import { gridWorkerFile, runGrid } from '../../src/core/fit/gridParallel';
import { Cancelled } from '../../src/core/cancel';
import { tmpDir } from './tmpUtil';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

/** The replication data with the 5 highest-loss points dropped, as N, D, L. */
function chinchillaData(): { N: number[]; D: number[]; L: number[] } {
  const lines = readFileSync(join(FIXTURES, 'chinchilla_svg_extracted.csv'), 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  const iN = head.indexOf('Model Size'), iC = head.indexOf('Training FLOP'), iL = head.indexOf('loss');
  const rows = lines.slice(1).map((l) => l.split(','));
  const N = rows.map((r) => Number(r[iN]));
  return { N, D: rows.map((r, i) => Number(r[iC]) / (6 * N[i])), L: rows.map((r) => Number(r[iL])) };
}

function objective(): ChinchillaObjective {
  const { N, D, L } = chinchillaData();
  const keep = L.map((_, i) => i).sort((p, q) => L[p] - L[q]).slice(0, L.length - 5);
  return new ChinchillaObjective(
    Float64Array.from(keep, (i) => Math.log(N[i])), Float64Array.from(keep, (i) => Math.log(D[i])),
    Float64Array.from(keep, (i) => Math.log(L[i])),
  );
}

test('the helper entry is built next to the grid module', () => {
  assert.ok(gridWorkerFile(), 'gridWorker.js missing next to gridParallel.js');
});

test('the parallel full grid gives the single-thread grid optimum on the Chinchilla data', () => {
  const { N, D, L } = chinchillaData();
  const one = fitChinchilla(N, D, L, { dropHighestLoss: 5, bootstrap: 0, strategy: 'grid', threads: 1 });
  const two = fitChinchilla(N, D, L, { dropHighestLoss: 5, bootstrap: 0, strategy: 'grid', threads: 2 });
  assert.ok(one.messages.some((m) => m.includes('on 1 thread(s)')), one.messages.join('; '));
  assert.ok(two.messages.some((m) => m.includes('on 2 thread(s)')), `helper did not run: ${two.messages.join('; ')}`);
  // Per-start results do not depend on the thread that ran them: the very same optimum.
  assert.equal(two.objective, one.objective);
  for (const k of LAW_INFO.chinchilla.params) assert.equal(fittedParams(two)[k], fittedParams(one)[k], k);
  // And it is the published replication optimum (scipy's full grid reaches 0.0010182740).
  assert.ok(one.objective <= 0.0010183, `objective ${one.objective}`);
  const p = fittedParams(one);
  assert.ok(Math.abs(p.alpha - 0.347) <= 0.003 && Math.abs(p.beta - 0.367) <= 0.003);
});

test('every grid start is run on exactly one thread, with identical end points', () => {
  const obj = objective();
  const starts = chinchillaGrid().subarray(0, 5 * 600);
  const a = runGrid(obj, starts, { threads: 1 });
  const b = runGrid(obj, starts, { threads: 2 });
  assert.equal(b.threads, 2);
  assert.equal(b.rerun, 0);
  assert.equal(b.evaluations, a.evaluations);
  assert.deepEqual(Array.from(b.f), Array.from(a.f));
  assert.deepEqual(Array.from(b.x), Array.from(a.x));
  assert.ok(a.f.every((f) => Number.isFinite(f) && f > 0));
});

test('a cancelled grid throws the one cancellation error', () => {
  const ctl = new AbortController();
  ctl.abort();
  assert.throws(() => runGrid(objective(), chinchillaGrid(), { threads: 2, signal: ctl.signal }), Cancelled);
});

test('the grid kernel\'s exp and log agree with Math.exp and Math.log', () => {
  const rng = mulberry32(7);
  let expErr = 0, logErr = 0;
  for (let i = 0; i < 200000; i++) {
    const x = -699 + 1398 * rng();
    expErr = Math.max(expErr, Math.abs(expFast(x) / Math.exp(x) - 1));
    const z = 0.5 + 1.5 * rng();
    logErr = Math.max(logErr, Math.abs(logNear1(z) - Math.log(z)));
  }
  assert.ok(expErr < 5e-16, `exp relative error ${expErr}`);
  assert.ok(logErr < 3e-16, `log absolute error ${logErr}`);
  assert.equal(logNear1(1), 0);
  assert.equal(expFast(0), 1);
  // The objective with them is the exact one to ~1e-15 relative.
  const obj = objective();
  const th = Float64Array.of(6.2, 7.7, 0.6, 0.35, 0.37);
  const g1 = new Float64Array(5), g2 = new Float64Array(5);
  const f1 = obj.fg(th, g1);
  obj.approxExp = true;
  const f2 = obj.fg(th, g2);
  assert.ok(Math.abs(f2 - f1) <= 1e-14 * f1, `${f1} vs ${f2}`);
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(g2[j] - g1[j]) <= 1e-12 * Math.max(1e-6, Math.abs(g1[j])), `g[${j}]`);
});

test('a helper that hangs on a claimed start, or fails to load, does not change the result', () => {
  const obj = objective();
  // Enough starts (~1 s) that the helper is up before this thread has claimed them all.
  const starts = chinchillaGrid().subarray(0, 5 * 2000);
  const ref = runGrid(obj, starts, { threads: 1 });
  const dir = tmpDir('grid-helper-');
  // Claims one start (slot 0 of the control block is the claim counter) and never finishes it.
  const hang = join(dir, 'hang.js');
  writeFileSync(hang, `const { workerData } = require('node:worker_threads');
Atomics.add(new Int32Array(workerData.ctl), 0, 1);
for (;;) {}
`);
  const broken = join(dir, 'broken.js');
  writeFileSync(broken, 'throw new Error("cannot load");\n');
  try {
    for (const workerFile of [hang, broken]) {
      const r = runGrid(obj, starts, { threads: 2, workerFile, patienceMs: 300 });
      assert.equal(r.threads, 1, workerFile);
      assert.equal(r.rerun, workerFile === hang ? 1 : 0, workerFile);
      assert.deepEqual(Array.from(r.f), Array.from(ref.f), workerFile);
      assert.deepEqual(Array.from(r.x), Array.from(ref.x), workerFile);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

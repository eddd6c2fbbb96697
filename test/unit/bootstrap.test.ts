// The one bootstrap helper: exact jump-ahead of the seeded generator, the same rows on any number
// of threads, and the intervals of the sequential implementation it replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitChinchilla, fitKaplan, intervalOf } from '../../src/core/fit';
import { runBootstrap } from '../../src/core/fit/bootstrap';
import { mulberry32, mulberry32At, resampleCounts } from '../../src/core/fit/rng';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

function chinchillaData(): { N: number[]; D: number[]; L: number[] } {
  const lines = readFileSync(join(FIXTURES, 'chinchilla_svg_extracted.csv'), 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const N = rows.map((r) => Number(r[head.indexOf('Model Size')]));
  const C = rows.map((r) => Number(r[head.indexOf('Training FLOP')]));
  return { N, D: N.map((n, i) => C[i] / (6 * n)), L: rows.map((r) => Number(r[head.indexOf('loss')])) };
}

test('mulberry32At(seed, k) continues exactly where k draws of mulberry32(seed) leave off', () => {
  for (const seed of [0, 42, 2147483647]) {
    const r = mulberry32(seed);
    for (let k = 0; k <= 100000; k++) {
      const v = r();
      if (k % 9973 === 0 || k < 5) assert.equal(mulberry32At(seed, k)(), v, `seed ${seed}, skip ${k}`);
    }
  }
});

test('runBootstrap: resample r sees the numbers a sequential loop would give it', () => {
  const n = 50, B = 30;
  const seq = mulberry32(9);
  const counts = new Float64Array(n);
  const expected: number[][] = [];
  for (let r = 0; r < B; r++) { resampleCounts(seq, counts); expected.push(Array.from(counts.subarray(0, 4))); }
  const run = runBootstrap({
    resamples: B, seed: 9, drawsPerResample: n, width: 4, threads: 1,
    refit: (rng, out) => { resampleCounts(rng, counts); out.set(counts.subarray(0, 4)); return true; },
  });
  assert.deepEqual(run.rows.map((x) => Array.from(x)), expected);
});

test('Chinchilla bootstrap: the same intervals on one thread and on two', () => {
  const { N, D, L } = chinchillaData();
  const one = fitChinchilla(N, D, L, { dropHighestLoss: 5, bootstrap: 400, seed: 42, threads: 1 });
  const two = fitChinchilla(N, D, L, { dropHighestLoss: 5, bootstrap: 400, seed: 42, threads: 2 });
  assert.deepEqual(two.ci, one.ci);
  assert.deepEqual(two.curves, one.curves);
});

test('Chinchilla bootstrap: the intervals of the sequential VarPro-restarted bootstrap it replaced', () => {
  // 400 resamples, seed 42, printed by the implementation before the shared helper (main at
  // 0cd08d9: every resample refitted from a variable-projection start and the optimum, one thread).
  const before: Record<string, [number, number]> = {
    E: [1.7708733158083247, 1.8653598810392449], A: [286.79161433735413, 709.7129717615809],
    B: [1139.555915515592, 5317.456672291467], alpha: [0.3169987823001396, 0.37053834863257107],
    beta: [0.33524002615254844, 0.41108962213896394],
  };
  const { N, D, L } = chinchillaData();
  const r = fitChinchilla(N, D, L, { dropHighestLoss: 5, bootstrap: 400, seed: 42 });
  for (const [k, [lo, hi]] of Object.entries(before)) {
    const [a, b] = intervalOf(r, k)!;
    assert.ok(Math.abs(a - lo) <= 1e-4 * Math.abs(lo) && Math.abs(b - hi) <= 1e-4 * Math.abs(hi), `${k}: [${a}, ${b}] vs [${lo}, ${hi}]`);
  }
});

test('Kaplan bootstrap (on helper threads when there are cores): reproducible run to run', () => {
  const { N, D, L } = chinchillaData();
  const one = fitKaplan(N, D, L, { bootstrap: 300, seed: 5 });
  const ci = one.ci.alphaN!;
  assert.ok(Number.isFinite(ci[0]) && ci[0] < ci[1]);
  // fitKaplan has no thread option: the rows do not depend on which thread refitted them, so a
  // second run (helpers start or not depending on the cores) gives the same answer.
  const again = fitKaplan(N, D, L, { bootstrap: 300, seed: 5 });
  assert.deepEqual(again.ci, one.ci);
});

test('Kaplan bootstrap, refits preconditioned by the Hessian at the optimum: the intervals of the plain L-BFGS refits it replaced', () => {
  // 400 resamples, seed 42, printed by the implementation before (main at 5293f9e: every refit's
  // L-BFGS in the parameters themselves, from the full-data optimum). The preconditioned refits stop
  // at the same minimum to within the solver's tolerance (about 5e-8 relative on these).
  const before: Record<string, [number, number]> = {
    alphaN: [0.06591818298625167, 0.09509365385724551], alphaD: [0.11724427716113901, 0.3026877802505865],
    Nc: [8738298682008.71, 763994489944559.6], Dc: [48366532356.38379, 23995460069920.516],
  };
  const { N, D, L } = chinchillaData();
  const r = fitKaplan(N, D, L, { bootstrap: 400, seed: 42 });
  for (const [k, [lo, hi]] of Object.entries(before)) {
    const [a, b] = intervalOf(r, k)!;
    assert.ok(Math.abs(a - lo) <= 1e-6 * Math.abs(lo) && Math.abs(b - hi) <= 1e-6 * Math.abs(hi), `${k}: [${a}, ${b}] vs [${lo}, ${hi}]`);
  }
});

// Sweeps the issue found mishandled: distinct model sizes counted robustly, a flat sweep refused
// with a reason (never R² = 1), options a law ignores said so, never silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSweep, distinctSizes } from '../../src/core/fit/sweep';
import { paramsFor } from '../../src/core/fit/types';
import { mulberry32 } from '../../src/core/fit/rng';
import { chinchillaLoss, REPLICATION_LAW } from '../../src/core/fit/laws';
import type { SweepTable } from '../../src/core/dataset';

function table(N: number[], D: number[], loss: number[]): SweepTable {
  return {
    N: Float64Array.from(N), D: Float64Array.from(D), C: Float64Array.from(N, (n, i) => 6 * n * D[i]),
    loss: Float64Array.from(loss), lines: Uint32Array.from(N, (_, i) => i + 2), tokensGiven: true,
  };
}

test('3,000 runs with every model size distinct (1e7–1e10) are many sizes, not one', () => {
  const rng = mulberry32(3);
  const N: number[] = [], D: number[] = [], L: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const n = Math.pow(10, 7 + 3 * rng());
    const d = Math.pow(10, 9 + 2 * rng());
    N.push(n); D.push(d); L.push(chinchillaLoss(REPLICATION_LAW, n, d) * (1 + 0.003 * (rng() - 0.5)));
  }
  // Neighbouring sizes are < 1e-3 apart in log N: chaining them would make one size.
  assert.ok(distinctSizes(N) > 1000, `distinct sizes: ${distinctSizes(N)}`);
  const r = fitSweep(table(N, D, L), { bootstrap: 0 });
  assert.equal(r.law, 'chinchilla');
  const { alpha } = paramsFor(r, 'chinchilla')!;
  assert.ok(Math.abs(alpha - REPLICATION_LAW.alpha) < 0.02, `alpha = ${alpha}`);
  // Sizes within 0.1 % are one size (rounding in a table), whatever their order.
  assert.equal(distinctSizes([1e9, 1.0005e9, 0.9999e9, 1e9]), 1);
});

test('a flat sweep (every loss equal) gives no law and says why, never R² = 1', () => {
  const N = [1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9];
  const D = N.map((n) => 20 * n);
  for (const law of ['auto', 'chinchilla', 'kaplan', 'isoflop', 'run'] as const) {
    const r = fitSweep(table(N, D, N.map(() => 3.1)), { law, bootstrap: 0 });
    assert.deepEqual(r.params, {}, `${law}: ${JSON.stringify(r.params)}`);
    assert.ok(!(r.r2 === 1), `${law}: R² ${r.r2}`);
    assert.match(r.messages.join(' '), /losses are equal/);
  }
  const same = fitSweep(table([1e8, 1e8, 1e8], [2e9, 2e9, 2e9], [3, 3.1, 3.2]), { bootstrap: 0 });
  assert.deepEqual(same.params, {});
  assert.match(same.messages.join(' '), /same model size and the same token count/);
});

test('drop-highest-loss: applied by Kaplan (and said), refused by isoFLOP with a reason', () => {
  const rng = mulberry32(5);
  const N: number[] = [], D: number[] = [], L: number[] = [];
  for (const n of [5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9]) for (const d of [1e9, 3e9, 1e10, 3e10]) {
    N.push(n); D.push(d); L.push(chinchillaLoss(REPLICATION_LAW, n, d) * (1 + 0.002 * (rng() - 0.5)));
  }
  const k = fitSweep(table(N, D, L), { law: 'kaplan', dropHighestLoss: 3, bootstrap: 0 });
  const k0 = fitSweep(table(N, D, L), { law: 'kaplan', bootstrap: 0 });
  assert.equal(k.n, k0.n - 3);
  assert.ok(k.messages.some((m) => /dropped the 3 highest-loss/.test(m)), k.messages.join('; '));
  const iso = fitSweep(table(N, D, L), { law: 'isoflop', dropHighestLoss: 3, bootstrap: 0 });
  assert.ok(iso.messages.some((m) => /drop-highest-loss \(3\) was not applied/.test(m)), iso.messages.join('; '));
});

test('drop-highest-loss larger than a small sweep: said so, not "no rows"', () => {
  const N = [1e8, 1e8, 1e8, 1e8, 1e8], D = [1e9, 2e9, 4e9, 8e9, 1.6e10];
  const L = D.map((d) => 2 + 400 / Math.pow(d, 0.3));
  for (const law of ['auto', 'kaplan', 'chinchilla'] as const) {
    const r = fitSweep(table(N, D, L), { law, dropHighestLoss: 5, bootstrap: 0 });
    assert.deepEqual(r.params, {}, law);
    assert.match(r.messages.join(' '), /the sweep has 5 rows and the 5 highest-loss ones are to be dropped first.*none would be left/, law);
  }
  // Three rows left: fitted (the run law on one model size), with the drop said.
  const ok = fitSweep(table([...N, 1e8, 1e8, 1e8], [...D, 3.2e10, 6.4e10, 1.28e11], [...L, ...[3.2e10, 6.4e10, 1.28e11].map((d) => 2 + 400 / Math.pow(d, 0.3))]), { dropHighestLoss: 5, bootstrap: 0 });
  assert.ok(ok.messages.some((m) => /dropped the 5 highest-loss/.test(m)), ok.messages.join('; '));
});

test('a sweep row whose 6·N·D overflows (a corrupt 1e300 in a cell) is left out and said, with its line', async () => {
  const { parseLogText } = await import('../../src/core/logs');
  const { analyze } = await import('../../src/core/pipeline');
  const { DEFAULT_ANALYZE_OPTIONS } = await import('../../src/core/options');
  for (const withFlops of [false, true]) {
    const rows = [withFlops ? 'params,tokens,flops,loss' : 'params,tokens,loss'];
    for (const n of [1e8, 2e8, 4e8, 8e8, 1.6e9]) {
      for (const r of [5, 10, 20, 40, 80]) {
        const loss = chinchillaLoss(REPLICATION_LAW, n, n * r).toFixed(5);
        rows.push(withFlops ? `${n},${n * r},${6 * n * n * r},${loss}` : `${n},${n * r},${loss}`);
      }
    }
    // Line 8 of the file: its tokens corrupted (the FLOPs column, when there is one, still finite).
    rows[7] = rows[7].replace(/^([^,]+),[^,]+,/, '$1,1e300,');
    const log = parseLogText(rows.join('\n') + '\n', 'sweep.csv', {});
    const fit = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 }).state.fit!;
    const said = fit.messages.join('\n');
    assert.match(said, /1 of 25 rows left out: .*FLOPs beyond a 64-bit float \(the first at line 8\)/, said);
    assert.equal(fit.n, 24);
    assert.ok(Number.isFinite(fit.optimal?.tokensPerParam), `tokens per parameter ${fit.optimal?.tokensPerParam}`);
    assert.doesNotMatch(said, /Infinity|NaN/);
  }
});

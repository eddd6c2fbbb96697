// Inference-time compute: pass@k (Chen et al. 2021), its forecasts (Brown et al. 2024; Schaeffer
// et al. 2025), thinking-budget logistic fits and the think-or-train comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backtestPassK, betaPassK, digamma, fitBetaBinomial, fitBudgetCurve, fitPowerLawPassK, lbeta, lgamma, logisticAccuracy,
  passAtKCurve, passAtKProblem, powerLawPassK, thinkOrTrain, tokensForAccuracy, computeOptimalTokens, analyzePassK,
} from '../../src/core/evals';
import { syntheticEval, truePassAtK, sampleBeta } from '../../src/core/evals/synthetic';
import { mulberry32, normal } from '../../src/core/fit/rng';
import { REPLICATION_LAW } from '../../src/core/fit/laws';
import { allocate } from '../../src/core/fit/allocation';

const near = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} ± ${tol}`);

test('log Γ and ψ match known values', () => {
  near(lgamma(0.5), 0.5 * Math.log(Math.PI), 1e-13, 'lgamma(1/2)');
  near(lgamma(1), 0, 1e-14, 'lgamma(1)');
  near(lgamma(10), Math.log(362880), 1e-12, 'lgamma(10)');
  near(lgamma(0.1), 2.252712651734206, 1e-12, 'lgamma(0.1)');
  // Stirling at a large argument: log Γ(x) ≈ (x−½)log x − x + ½log 2π + 1/(12x).
  const x = 1e6;
  near(lgamma(x), (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x), 1e-6, 'lgamma(1e6)');
  near(digamma(1), -0.5772156649015329, 1e-12, 'ψ(1) = −γ');
  near(digamma(0.5), -0.5772156649015329 - 2 * Math.log(2), 1e-12, 'ψ(1/2)');
  for (const z of [0.03, 0.7, 3.2, 40, 900]) {
    const h = 1e-5 * Math.max(1, z);
    near(digamma(z), (lgamma(z + h) - lgamma(z - h)) / (2 * h), 1e-5 * Math.max(1, Math.abs(digamma(z))), `ψ(${z}) vs dlogΓ`);
  }
  near(lbeta(2, 3), Math.log(1 / 12), 1e-13, 'B(2,3) = 1/12');
});

/** Fraction of the k-subsets of n attempts (c of them successes) holding at least one success. */
function bruteForcePassAtK(n: number, c: number, k: number): number {
  let hit = 0, all = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0, good = false;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) { bits++; if (i < c) good = true; }
    if (bits !== k) continue;
    all++;
    if (good) hit++;
  }
  return hit / all;
}

test('the pass@k estimator equals brute-force enumeration of k-subsets', () => {
  for (let n = 1; n <= 10; n++) {
    for (let c = 0; c <= n; c++) {
      for (let k = 1; k <= n; k++) {
        near(passAtKProblem(n, c, k), bruteForcePassAtK(n, c, k), 1e-12, `n=${n} c=${c} k=${k}`);
      }
    }
  }
  // The mean over problems is the curve.
  const curve = passAtKCurve([5, 5, 5], [0, 1, 3], { ks: [1, 2, 5] });
  near(curve.points[1].value, (0 + bruteForcePassAtK(5, 1, 2) + bruteForcePassAtK(5, 3, 2)) / 3, 1e-12, 'mean pass@2');
  assert.deepEqual(curve.points.map((p) => p.k), [1, 2, 5]);
});

test('pass@k stays exact in log space for thousands of attempts (product and log Γ paths agree)', () => {
  // Exact by BigInt: C(n−c, k)/C(n, k) for n = 2000, c = 300, k = 40.
  const choose = (n: bigint, k: bigint): bigint => { let r = 1n; for (let i = 1n; i <= k; i++) r = (r * (n - k + i)) / i; return r; };
  const n = 2000, c = 300, k = 40;
  const num = choose(BigInt(n - c), BigInt(k)), den = choose(BigInt(n), BigInt(k));
  const scale = 10n ** 30n;
  const ratio = Number((num * scale) / den) / 1e30;
  near(passAtKProblem(n, c, k), 1 - ratio, 1e-12, 'n=2000 c=300 k=40 (log Γ path)');
  // Around the switch between forms the curve is continuous.
  let logFail = 0;
  for (let i = 5000 - 257 + 1; i <= 5000; i++) logFail += Math.log1p(-10 / i);
  near(passAtKProblem(5000, 257, 10), 1 - Math.exp(logFail), 1e-12, 'c=257 (log Γ) vs the product form');
  assert.ok(Number.isFinite(passAtKProblem(100000, 50000, 60000)));
  assert.equal(passAtKProblem(10, 10, 1), 1);
  assert.equal(passAtKProblem(10, 0, 10), 0);
});

test('bootstrap intervals over problems bracket the estimate and are reproducible', () => {
  const rng = mulberry32(3);
  const s = syntheticEval(rng, 120, 32, 0.5, 2);
  const a = passAtKCurve(s.n, s.c, { bootstrap: 300, seed: 9 });
  const b = passAtKCurve(s.n, s.c, { bootstrap: 300, seed: 9 });
  assert.equal(a.points.length, 32);
  assert.deepEqual(a.points, b.points);
  for (const p of a.points) {
    assert.ok(p.lo <= p.value && p.value <= p.hi, `k=${p.k}: ${p.lo} ≤ ${p.value} ≤ ${p.hi}`);
    assert.ok(p.hi - p.lo < 0.25);
  }
  // Monotone in k.
  for (let i = 1; i < a.points.length; i++) assert.ok(a.points[i].value >= a.points[i - 1].value);
  // Unequal attempts: k stops at the fewest.
  const u = passAtKCurve([4, 10], [1, 5]);
  assert.equal(u.kMax, 4);
  assert.match(u.notes.join(' '), /between 4 and 10 attempts/);
  assert.throws(() => passAtKCurve([3], [4]), /0 ≤ c ≤ n/);
});

test('Beta-distributed success probabilities: α and β recovered, pass@k at 10× the sampled k within 2 points', () => {
  const cases = [
    { alpha: 0.3, beta: 2.0, seed: 1 },
    { alpha: 0.8, beta: 5.0, seed: 2 },
    { alpha: 0.15, beta: 0.6, seed: 3 },
  ];
  for (const t of cases) {
    const rng = mulberry32(t.seed);
    const n = 100;
    const s = syntheticEval(rng, 2000, n, t.alpha, t.beta);
    const f = fitBetaBinomial(s.n, s.c);
    near(f.alpha, t.alpha, 0.12 * t.alpha, `α (${JSON.stringify(t)})`);
    near(f.beta, t.beta, 0.15 * t.beta, `β (${JSON.stringify(t)})`);
    assert.equal(f.atBound, false);
    for (const k of [10 * n]) {
      const want = truePassAtK(s.p, k);
      const population = betaPassK(t, k);
      near(betaPassK(f, k), want, 0.02, `pass@${k} vs the problems' truth`);
      near(betaPassK(f, k), population, 0.02, `pass@${k} vs the population truth`);
    }
  }
});

test('Beta forecast from few attempts: 20 per problem forecast pass@200 within 2 points', () => {
  const rng = mulberry32(11);
  const s = syntheticEval(rng, 3000, 20, 0.4, 3);
  const r = analyzePassK(s.n, s.c, { bootstrap: 0, forecastTo: 200 });
  const beta = r.forecasts.find((f) => f.law === 'beta');
  assert.ok(beta);
  const at200 = beta.at.find((p) => p.k === 200);
  assert.ok(at200);
  near(at200.value, truePassAtK(s.p, 200), 0.02, 'pass@200');
  assert.deepEqual(beta.at.map((p) => p.k), [20, 40, 100, 200]);
});

test('power law −log pass@k = a·k^(−b) is recovered from its own curve', () => {
  const truth = { a: 2.5, b: 0.35 };
  const pts = Array.from({ length: 200 }, (_, i) => ({ k: i + 1, value: powerLawPassK(truth, i + 1) }));
  const f = fitPowerLawPassK(pts);
  assert.ok(f);
  near(f.a, truth.a, 1e-9, 'a');
  near(f.b, truth.b, 1e-9, 'b');
  near(f.r2, 1, 1e-12, 'R²');
  assert.equal(fitPowerLawPassK(pts.slice(0, 2)), undefined);
  // Points at pass@k = 1 or 0 carry no information for the line.
  assert.equal(fitPowerLawPassK([{ k: 1, value: 0 }, { k: 2, value: 1 }, { k: 3, value: 1 }]), undefined);
});

test('backtest: fitted on k ≤ n/4, scored above; the Beta law wins on Beta data', () => {
  const rng = mulberry32(21);
  const s = syntheticEval(rng, 800, 64, 0.3, 1.5);
  const curve = passAtKCurve(s.n, s.c);
  const bt = backtestPassK(s.n, s.c, curve.points, { seed: 5 });
  assert.ok(bt);
  assert.equal(bt.fitK, 16);
  assert.deepEqual(bt.scored, [17, 64]);
  const beta = bt.scores.find((x) => x.law === 'beta');
  const power = bt.scores.find((x) => x.law === 'power');
  assert.ok(beta && power);
  assert.equal(beta.points.length, 48);
  assert.ok(beta.rmse < 0.02, `beta backtest rmse ${beta.rmse}`);
  assert.ok(Number.isFinite(power.rmse));
  // Too few attempts: no backtest rather than a meaningless one.
  assert.equal(backtestPassK([8, 8], [1, 2], passAtKCurve([8, 8], [1, 2]).points), undefined);
  // analyzePassK picks the law with the smaller backtest error as the forecast.
  const r = analyzePassK(s.n, s.c, { bootstrap: 0 });
  const best = [...(r.backtest?.scores ?? [])].sort((a, b) => a.rmse - b.rmse)[0];
  assert.equal(r.forecast?.law, best.law);
});

test('a Beta fit the data cannot support says so', () => {
  assert.throws(() => fitBetaBinomial([10, 10], [0, 0]), /no attempt succeeded/);
  assert.throws(() => fitBetaBinomial([10, 10], [10, 10]), /every attempt succeeded/);
  const r = analyzePassK(Int32Array.of(10, 10), Int32Array.of(0, 0), { bootstrap: 0 });
  assert.match(r.errors.join(' '), /no attempt succeeded/);
});

test('logistic thinking-budget fit recovers floor, ceiling, slope and midpoint', () => {
  const truth = { floor: 0.06, ceiling: 0.82, slope: 1.4, mid: Math.log(3000) };
  const rng = mulberry32(4);
  const tokens: number[] = [], acc: number[] = [];
  for (let e = 6; e <= 17; e += 0.5) {
    for (let rep = 0; rep < 3; rep++) {
      const t = 2 ** e;
      tokens.push(t);
      acc.push(logisticAccuracy(truth, t) + 0.004 * normal(rng));
    }
  }
  const f = fitBudgetCurve(tokens, acc);
  near(f.params.floor, truth.floor, 0.01, 'floor');
  near(f.params.ceiling, truth.ceiling, 0.01, 'ceiling');
  near(f.params.slope, truth.slope, 0.08, 'slope');
  near(f.params.mid, truth.mid, 0.05, 'mid');
  assert.ok(f.r2 > 0.99);
  // Inversion.
  near(tokensForAccuracy(truth, logisticAccuracy(truth, 5000)), 5000, 1e-6, 'tokensForAccuracy');
  assert.equal(tokensForAccuracy(truth, 0.9), Infinity);
  assert.equal(tokensForAccuracy(truth, 0.05), 0);
  assert.throws(() => fitBudgetCurve([100, 200, 100], [0.1, 0.2, 0.1]), /at least 3 different token budgets/);
});

test('train bigger or think longer: the cheapest model and where the answer flips', () => {
  const curve = (mid: number) => ({ floor: 0, ceiling: 0.9, slope: 1, mid: Math.log(mid) });
  const cands = [
    { model: 'small', params: 1e9, trainTokens: 1e12, curve: curve(80000) },
    { model: 'medium', params: 7e9, trainTokens: 2e12, curve: curve(1000) },
    { model: 'large', params: 70e9, trainTokens: 2e12, curve: curve(100) },
  ];
  const r = thinkOrTrain(cands, { targetAccuracy: 0.6, queries: 1e9, promptTokens: 500, law: REPLICATION_LAW, lawSource: 'replication' });
  // By hand: thinking tokens at 0.6 = mid·(q/(1−q)) with q = 0.6/0.9 → ×2.
  for (const row of r.rows) {
    const c = cands.find((x) => x.model === row.model)!;
    near(row.thinkingTokens, 2 * Math.exp(c.curve.mid), 1e-6, `${row.model} thinking`);
    near(row.trainFlops, 6 * c.params * c.trainTokens, 1, 'train');
    near(row.flopsPerQuery, 2 * c.params * (500 + row.thinkingTokens), 1, 'per query');
  }
  // Lines T + Q·q cross where the envelope flips; check each flip equalises the two totals.
  assert.equal(r.segments[0].model, 'small');
  // Per query: small 2e9·(500+160000), medium 1.4e10·(500+2000), large 1.4e11·(500+200): large never pays off.
  assert.equal(r.flips.length, 1);
  assert.deepEqual([r.flips[0].from, r.flips[0].to], ['small', 'medium']);
  assert.equal(r.cheapest, 'medium');
  for (const f of r.flips) {
    const a = r.rows.find((x) => x.model === f.from)!, b = r.rows.find((x) => x.model === f.to)!;
    near(a.trainFlops + f.queries * a.flopsPerQuery, b.trainFlops + f.queries * b.flopsPerQuery, 1e-9 * a.trainFlops, 'totals equal at the flip');
  }
  const totals = r.rows.map((x) => x.totalFlops);
  assert.equal(r.cheapest, r.rows[totals.indexOf(Math.min(...totals))].model);
  // Few queries: the cheapest to train wins.
  const few = thinkOrTrain(cands, { targetAccuracy: 0.6, queries: 1, promptTokens: 500, law: REPLICATION_LAW, lawSource: 'replication' });
  assert.equal(few.cheapest, 'small');
  // A model whose ceiling is under the target is out.
  const hard = thinkOrTrain(cands, { targetAccuracy: 0.95, queries: 1, law: REPLICATION_LAW, lawSource: 'replication' });
  assert.equal(hard.cheapest, undefined);
  assert.ok(hard.rows.every((x) => !x.reachable));
  // A curve that barely rises reaches the target only at ~1e286 tokens a query: over 1e15 queries its
  // cost is beyond a 64-bit float, so it is out of reach (never the cheapest, never an Infinity total).
  const flat = thinkOrTrain([...cands, { model: 'flat', params: 1e9, trainTokens: 1e12, curve: { floor: 0.1, ceiling: 0.9, slope: 0.003, mid: 10 } }],
    { targetAccuracy: 0.8, queries: 1e15, law: REPLICATION_LAW, lawSource: 'replication' });
  const row = flat.rows.find((x) => x.model === 'flat')!;
  assert.ok(Number.isFinite(row.thinkingTokens) && row.thinkingTokens > 1e280, `thinking ${row.thinkingTokens}`);
  assert.equal(row.reachable, false);
  assert.ok(flat.cheapest !== 'flat' && flat.segments.every((s) => s.model !== 'flat'));
  // Without a table's tokens: the compute-optimal D for N under the law.
  const D = computeOptimalTokens(REPLICATION_LAW, 7e9);
  near(allocate(REPLICATION_LAW, 6 * 7e9 * D).N, 7e9, 7e9 * 1e-9, 'compute-optimal N at 6ND');
});

test('synthetic Beta sampler has the right mean and variance', () => {
  const rng = mulberry32(99);
  const a = 0.4, b = 1.6;
  let s = 0, s2 = 0;
  const m = 40000;
  for (let i = 0; i < m; i++) { const x = sampleBeta(rng, a, b); s += x; s2 += x * x; }
  const mean = s / m, v = s2 / m - mean * mean;
  near(mean, a / (a + b), 0.005, 'mean');
  near(v, (a * b) / ((a + b) ** 2 * (a + b + 1)), 0.003, 'variance');
});

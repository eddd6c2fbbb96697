// Every law recovers known parameters from seeded synthetic data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chinchillaLoss, fitChinchilla, fitIsoflop, fitKaplan, fitRunCurve, fitSweep, fittedParams, kaplanLoss, allocate, fitPowerLaw, paramsFor } from '../../src/core/fit';
import { mulberry32, normal } from '../../src/core/fit/rng';

const near = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want} ± ${rel * 100}%`);

test('run law L(D) = E + B/D^β: recovery, extrapolation band covering the truth', () => {
  const rng = mulberry32(1);
  const truth = { E: 2.1, B: 60, beta: 0.28 };
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const d = 1e7 * Math.pow(1000, i / 399);
    x.push(d);
    y.push((truth.E + truth.B * Math.pow(d, -truth.beta)) * (1 + 0.003 * normal(rng)));
  }
  const r = fitRunCurve(x, y, { bootstrap: 100, seed: 3, skipFraction: 0, targetTokens: 1e11 });
  assert.equal(r.law, 'run');
  const rp = paramsFor(r, 'power')!;
  near(rp.E, truth.E, 0.03, 'E');
  near(rp.beta, truth.beta, 0.08, 'beta');
  assert.ok(r.r2 > 0.99);
  const want = truth.E + truth.B * Math.pow(1e11, -truth.beta);
  assert.ok(r.prediction);
  near(r.prediction.loss, want, 0.01, 'prediction');
  assert.ok(r.prediction.lo < r.prediction.loss && r.prediction.loss < r.prediction.hi);
  assert.ok(r.prediction.hi - r.prediction.lo < 0.1);
  const ext = r.curves.find((c) => c.kind === 'extrapolation');
  assert.ok(ext && ext.lo && ext.hi && ext.x[ext.x.length - 1] === 1e11);
  // The same law against steps: x is whatever the log gives.
  const steps = x.map((d) => d / 4096);
  const rs = fitRunCurve(steps, y, { bootstrap: 0, skipFraction: 0, xKind: 'step' });
  assert.equal(rs.xKind, 'step');
  const sp = paramsFor(rs, 'power')!;
  near(sp.beta, rp.beta, 1e-4, 'beta vs steps');
  near(sp.B, rp.B * Math.pow(4096, -rp.beta), 1e-3, 'B vs steps');
});

test('run law: warm-up is skipped and noisy real-looking curves fit', () => {
  const rng = mulberry32(5);
  const x: number[] = [], y: number[] = [];
  const law = (t: number) => 1.9 + 30 * Math.pow(t, -0.25);
  for (let s = 1; s <= 3000; s++) {
    const tokens = s * 5e5;
    // Warm-up over the first 10%: the loss sits far below the law before joining it.
    const warm = s < 300 ? -1.5 * (1 - s / 300) : 0;
    y.push(law(tokens) + warm + 0.02 * normal(rng));
    x.push(tokens);
  }
  const r = fitRunCurve(x, y, { bootstrap: 50, skipFraction: 0.1, targetTokens: 1.5e10 });
  assert.equal(r.n, 2700);
  assert.equal(r.dropped, 300);
  assert.ok(r.messages.some((m) => /warm-up/.test(m)));
  assert.ok(r.prediction);
  assert.ok(Math.abs(r.prediction.loss - law(1.5e10)) < 0.03, `prediction ${r.prediction.loss} vs ${law(1.5e10)}`);
  assert.ok(r.prediction.lo <= r.prediction.loss && r.prediction.loss <= r.prediction.hi);
  // Without skipping, the warm-up drags the fit away from the law.
  const bad = fitRunCurve(x, y, { bootstrap: 0, skipFraction: 0, targetTokens: 1.5e10 });
  assert.ok(bad.prediction && Math.abs(bad.prediction.loss - law(1.5e10)) > Math.abs(r.prediction.loss - law(1.5e10)));
});

test('Chinchilla law: recovery from a seeded synthetic sweep', () => {
  const rng = mulberry32(11);
  const p = { E: 1.7, A: 420, B: 1600, alpha: 0.33, beta: 0.36 };
  const N: number[] = [], D: number[] = [], L: number[] = [];
  for (let i = 0; i < 10; i++) {
    const n = 3e7 * Math.pow(10, (i * 2.5) / 9);
    for (const tpp of [2, 5, 10, 20, 40, 80, 160]) {
      N.push(n); D.push(n * tpp);
      L.push(chinchillaLoss(p, n, n * tpp) * Math.exp(0.002 * normal(rng)));
    }
  }
  const r = fitChinchilla(N, D, L, { bootstrap: 40, seed: 2 });
  const q = fittedParams(r);
  near(q.E, p.E, 0.03, 'E');
  near(q.alpha, p.alpha, 0.06, 'alpha');
  near(q.beta, p.beta, 0.06, 'beta');
  assert.ok(r.ci.alpha![0] < r.ci.alpha![1]);
  const opt = allocate(p, 1e22);
  assert.ok(r.optimal);
  near(r.optimal.a, opt.a, 0.05, 'a');
  // fitSweep auto picks Chinchilla for several model sizes.
  const s = fitSweep({ N: Float64Array.from(N), D: Float64Array.from(D), C: Float64Array.from(N, (n, i) => 6 * n * D[i]), loss: Float64Array.from(L), lines: new Uint32Array(N.length) }, { bootstrap: 0, budget: 1e22 });
  assert.equal(s.law, 'chinchilla');
  assert.ok(s.allocation && s.allocation.budget === 1e22);
});

test('isoFLOP: recovers a = β/(α+β) from parabolas of a known law, with and without a budget column', () => {
  const rng = mulberry32(21);
  const p = { E: 1.8, A: 480, B: 2100, alpha: 0.35, beta: 0.37 };
  const N: number[] = [], D: number[] = [], L: number[] = [], C: number[] = [];
  for (const budget of [1e18, 3e18, 1e19, 3e19, 1e20, 3e20]) {
    const nOpt = allocate(p, budget).N;
    for (let k = -4; k <= 4; k++) {
      const n = nOpt * Math.pow(10, k * 0.15);
      N.push(n); D.push(budget / (6 * n)); C.push(budget);
      L.push(chinchillaLoss(p, n, budget / (6 * n)) + 0.002 * normal(rng));
    }
  }
  const want = p.beta / (p.alpha + p.beta);
  const r = fitIsoflop(N, D, L, { budgets: C, bootstrap: 50 });
  const q = fittedParams(r);
  assert.ok(Math.abs(q.a - want) < 0.03, `a ${q.a} vs ${want}`);
  assert.ok(Math.abs(q.a + q.b - 1) < 1e-9);
  assert.equal(q.budgets, 6);
  assert.ok(r.ci.a![0] <= q.a && q.a <= r.ci.a![1]);
  const r2 = fittedParams(fitIsoflop(N, D, L, { bootstrap: 0 }));
  assert.equal(r2.budgets, 6);
  assert.ok(Math.abs(r2.a - q.a) < 1e-6);
});

test('Kaplan: joint L(N,D) and single power laws recover their parameters', () => {
  const rng = mulberry32(31);
  const p = { Nc: 8.8e13, Dc: 5.4e13, alphaN: 0.076, alphaD: 0.095 };
  const N: number[] = [], D: number[] = [], L: number[] = [];
  for (let i = 0; i < 8; i++) {
    const n = 1e6 * Math.pow(10, (i * 3) / 7);
    for (let j = 0; j < 8; j++) {
      const d = 1e8 * Math.pow(10, (j * 3) / 7);
      N.push(n); D.push(d); L.push(kaplanLoss(p, n, d) * Math.exp(0.002 * normal(rng)));
    }
  }
  const r = fitKaplan(N, D, L, { bootstrap: 30 });
  assert.equal(r.law, 'kaplan');
  const q = fittedParams(r);
  near(q.alphaN, p.alphaN, 0.05, 'alphaN');
  near(q.alphaD, p.alphaD, 0.05, 'alphaD');
  near(Math.log(q.Nc), Math.log(p.Nc), 0.02, 'log Nc');
  near(Math.log(q.Dc), Math.log(p.Dc), 0.02, 'log Dc');
  assert.ok(r.r2 > 0.99);
  assert.ok(q.alphaC !== undefined && Number.isFinite(q.alphaC) && q.alphaC > 0);
  const x = [1e6, 1e7, 1e8, 1e9];
  const pl = fitPowerLaw(x, x.map((n) => Math.pow(8.8e13 / n, 0.076)));
  assert.ok(!('error' in pl));
  if (!('error' in pl)) { near(pl.alpha, 0.076, 1e-9, 'alphaN'); near(pl.xc, 8.8e13, 1e-6, 'Nc'); }
});

/**
 * Forecasting pass@k beyond the sampled k, two ways:
 *  - Power law (Brown et al. 2024, "Large Language Monkeys: Scaling Inference Compute with
 *    Repeated Sampling", arXiv 2407.21787): −log pass@k ≈ a·k^(−b), a straight line in
 *    log(−log pass@k) against log k, fitted to the estimated curve with weights 1/k (every decade
 *    of k counts the same).
 *  - Distributional (Schaeffer et al. 2025, "How Do Large Language Monkeys Get Their Power
 *    (Laws)?", arXiv 2502.17578): each problem's single-attempt success probability p ~ Beta(α, β),
 *    fitted by beta-binomial maximum likelihood on the problems' (n, c); then
 *      pass@k = 1 − E[(1 − p)^k] = 1 − B(α, β + k) / B(α, β).
 * Backtest: both are fitted on k ≤ n/4 (each problem's attempts subsampled without replacement to
 * n/4, seeded) and scored on the estimated pass@k for the larger k.
 */
import { Lbfgs } from '../fit/lbfgs';
import { mulberry32, type Rng } from '../fit/rng';
import { foldCounts, passAtKCurve, type PassAtKPoint } from './passk';
import { digamma, lbeta } from './special';

// ------------------------------------------------------------------------------------ power law

export interface PowerLawPassK {
  a: number;
  b: number;
  /** R² of the weighted line in log(−log pass@k) vs log k. */
  r2: number;
  /** Points the line was fitted to. */
  used: number;
  kRange: [number, number];
}

/** pass@k = exp(−a·k^(−b)). */
export function powerLawPassK(p: { a: number; b: number }, k: number): number {
  return Math.exp(-p.a * Math.pow(k, -p.b));
}

/**
 * Weighted least squares of y = log(−log pass@k) on x = log k over the points with 0 < pass@k < 1
 * and k ≤ kMaxFit. Undefined when fewer than 3 such points.
 */
export function fitPowerLawPassK(points: ReadonlyArray<{ k: number; value: number }>, kMaxFit = Infinity): PowerLawPassK | undefined {
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, used = 0, kLo = Infinity, kHi = 0;
  const xs: number[] = [], ys: number[] = [], ws: number[] = [];
  for (const p of points) {
    if (!(p.k <= kMaxFit && p.value > 0 && p.value < 1)) continue;
    const x = Math.log(p.k);
    const y = Math.log(-Math.log(p.value));
    if (!Number.isFinite(y)) continue;
    const w = 1 / p.k;
    sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y;
    xs.push(x); ys.push(y); ws.push(w);
    used++;
    kLo = Math.min(kLo, p.k); kHi = Math.max(kHi, p.k);
  }
  if (used < 3) return undefined;
  const mx = sx / sw, my = sy / sw;
  const vxx = sxx / sw - mx * mx;
  if (!(vxx > 0)) return undefined;
  const slope = (sxy / sw - mx * my) / vxx;
  const icpt = my - slope * mx;
  let ssr = 0, sst = 0;
  for (let i = 0; i < used; i++) {
    const r = ys[i] - (icpt + slope * xs[i]);
    ssr += ws[i] * r * r;
    sst += ws[i] * (ys[i] - my) * (ys[i] - my);
  }
  return { a: Math.exp(icpt), b: -slope, r2: sst > 0 ? 1 - ssr / sst : 1, used, kRange: [kLo, kHi] };
}

// ----------------------------------------------------------------------------- beta-binomial

export interface BetaFit {
  alpha: number;
  beta: number;
  /** Beta-binomial log-likelihood (without the constant binomial coefficients). */
  logLik: number;
  problems: number;
  /** Mean single-attempt success probability α/(α+β). */
  mean: number;
  /** The optimum ran into the box on log α or log β: the data barely identify the distribution. */
  atBound: boolean;
}

/** pass@k under p ~ Beta(α, β): 1 − B(α, β+k)/B(α, β). */
export function betaPassK(p: { alpha: number; beta: number }, k: number): number {
  return -Math.expm1(lbeta(p.alpha, p.beta + k) - lbeta(p.alpha, p.beta));
}

/** log α and log β are kept in this box (α, β in about [6e-6, 1.6e5]). */
const LOG_BOUND = 12;

/**
 * Beta-binomial maximum likelihood of (α, β) from problems attempted n_i times with c_i successes.
 * L-BFGS on (log α, log β) with the analytic gradient (digamma), from a moment start and a few fixed
 * ones. Throws when the data cannot identify a Beta (no success or no failure anywhere).
 */
export function fitBetaBinomial(n: ArrayLike<number>, c: ArrayLike<number>): BetaFit {
  const P = n.length;
  if (P === 0) throw new Error('no problems');
  const t = foldCounts(n, c);
  const U = t.n.length;
  const w = new Float64Array(U);
  for (let i = 0; i < P; i++) w[t.of[i]] += 1;
  let anySuccess = false, anyFailure = false;
  for (let u = 0; u < U; u++) { if (t.c[u] > 0) anySuccess = true; if (t.c[u] < t.n[u]) anyFailure = true; }
  if (!anySuccess) throw new Error('no attempt succeeded on any problem: the success distribution cannot be fitted');
  if (!anyFailure) throw new Error('every attempt succeeded on every problem: the success distribution cannot be fitted');
  const W = P;
  // Negative mean log-likelihood and its gradient in (log α, log β), plus a soft wall at the box.
  const fg = (x: Float64Array, g: Float64Array): number => {
    const a = Math.exp(x[0]), b = Math.exp(x[1]);
    const lb0 = lbeta(a, b);
    const psiAB = digamma(a + b), psiA = digamma(a), psiB = digamma(b);
    let f = 0, ga = 0, gb = 0;
    for (let u = 0; u < U; u++) {
      const nu = t.n[u], cu = t.c[u], wu = w[u];
      f -= wu * (lbeta(cu + a, nu - cu + b) - lb0);
      const psiN = digamma(nu + a + b);
      ga -= wu * (digamma(cu + a) - psiN - psiA + psiAB);
      gb -= wu * (digamma(nu - cu + b) - psiN - psiB + psiAB);
    }
    f /= W; ga = (ga / W) * a; gb = (gb / W) * b;
    for (let j = 0; j < 2; j++) {
      const over = Math.abs(x[j]) - LOG_BOUND;
      if (over <= 0) continue;
      f += over * over;
      if (j === 0) ga += 2 * over * Math.sign(x[j]);
      else gb += 2 * over * Math.sign(x[j]);
    }
    g[0] = ga; g[1] = gb;
    return f;
  };
  // Moment start from the per-problem rates.
  let m = 0, v = 0;
  for (let i = 0; i < P; i++) m += c[i] / n[i];
  m /= P;
  for (let i = 0; i < P; i++) v += (c[i] / n[i] - m) ** 2;
  v /= Math.max(1, P - 1);
  const mm = Math.min(0.99, Math.max(0.01, m));
  const s = v > 0 ? Math.max(0.05, mm * (1 - mm) / v - 1) : 10;
  const starts: [number, number][] = [[mm * s, (1 - mm) * s], [0.5, 0.5], [1, 1], [0.1, 1], [mm, 1 - mm], [0.05, 5]];
  const opt = new Lbfgs(2, { gtol: 1e-10, ftol: 1e-14, fmin: 1e-9 });
  let best: { x: Float64Array; f: number } | undefined;
  for (const [a0, b0] of starts) {
    const x = Float64Array.of(Math.log(a0), Math.log(b0));
    const r = opt.minimize(fg, x);
    if (Number.isFinite(r.f) && (!best || r.f < best.f)) best = { x, f: r.f };
  }
  if (!best) throw new Error('the beta-binomial fit did not converge');
  const alpha = Math.exp(best.x[0]), beta = Math.exp(best.x[1]);
  const atBound = Math.abs(best.x[0]) >= LOG_BOUND - 0.5 || Math.abs(best.x[1]) >= LOG_BOUND - 0.5;
  let logLik = 0;
  for (let u = 0; u < U; u++) logLik += w[u] * (lbeta(t.c[u] + alpha, t.n[u] - t.c[u] + beta) - lbeta(alpha, beta));
  return { alpha, beta, logLik, problems: P, mean: alpha / (alpha + beta), atBound };
}

// ----------------------------------------------------------------------------------- backtest

/** c' successes among m of n attempts drawn without replacement (c of them successes). */
export function subsampleSuccesses(rng: Rng, n: number, c: number, m: number): number {
  let left = n, good = c, got = 0;
  for (let j = 0; j < m; j++) {
    if (rng() * left < good) { got++; good--; }
    left--;
  }
  return got;
}

export type ForecastLaw = 'beta' | 'power';

export interface BacktestScore {
  law: ForecastLaw;
  /** Root-mean-square and largest absolute error of pass@k over the scored k (0–1 scale). */
  rmse: number;
  maxAbs: number;
  points: { k: number; actual: number; predicted: number }[];
  /** Why this law could not be backtested. */
  error?: string;
}

export interface Backtest {
  /** Attempts per problem kept for fitting (k ≤ fitK). */
  fitK: number;
  /** The scored k range. */
  scored: [number, number];
  scores: BacktestScore[];
}

/**
 * Fit both laws as if only `fraction`·n attempts per problem had been made, then compare their
 * pass@k with the full-data estimate at every k of `curve` above the fitted range.
 */
export function backtestPassK(
  n: ArrayLike<number>, c: ArrayLike<number>, curve: ReadonlyArray<PassAtKPoint>,
  opts: { fraction?: number; seed?: number } = {},
): Backtest | undefined {
  const P = n.length;
  let kMax = Infinity;
  for (let i = 0; i < P; i++) kMax = Math.min(kMax, n[i]);
  const fitK = Math.floor(kMax * (opts.fraction ?? 0.25));
  const scoredPts = curve.filter((p) => p.k > fitK && p.k <= kMax);
  if (fitK < 3 || scoredPts.length === 0) return undefined;
  const rng = mulberry32(opts.seed ?? 42);
  const nSub = new Int32Array(P).fill(fitK);
  const cSub = new Int32Array(P);
  for (let i = 0; i < P; i++) cSub[i] = subsampleSuccesses(rng, n[i], c[i], fitK);
  const score = (law: ForecastLaw, predict: ((k: number) => number) | string): BacktestScore => {
    if (typeof predict === 'string') return { law, rmse: NaN, maxAbs: NaN, points: [], error: predict };
    let ss = 0, mx = 0;
    const points = scoredPts.map((p) => {
      const predicted = predict(p.k);
      const e = predicted - p.value;
      ss += e * e; mx = Math.max(mx, Math.abs(e));
      return { k: p.k, actual: p.value, predicted };
    });
    return { law, rmse: Math.sqrt(ss / points.length), maxAbs: mx, points };
  };
  let beta: BacktestScore;
  try {
    const f = fitBetaBinomial(nSub, cSub);
    beta = score('beta', (k) => betaPassK(f, k));
  } catch (e) {
    beta = score('beta', e instanceof Error ? e.message : String(e));
  }
  const sub = passAtKCurve(nSub, cSub);
  const pl = fitPowerLawPassK(sub.points);
  const power = score('power', pl ? (k) => powerLawPassK(pl, k) : 'fewer than 3 points with 0 < pass@k < 1 in the fitted range');
  return { fitK, scored: [scoredPts[0].k, scoredPts[scoredPts.length - 1].k], scores: [beta, power] };
}

/** k values for a forecast: kMax·{1, 2, 5, 10, 20, 50, …} up to `to`, and `to` itself. */
export function forecastKs(kMax: number, to: number): number[] {
  const ks = new Set<number>();
  for (let d = 1; d * kMax <= to; d *= 10) for (const m of [1, 2, 5]) if (m * d * kMax <= to) ks.add(m * d * kMax);
  ks.add(Math.round(to));
  return [...ks].sort((a, b) => a - b);
}

/**
 * pass@k from repeated samples: the unbiased estimator of Chen et al. (2021, "Evaluating Large
 * Language Models Trained on Code", arXiv 2107.03374, §2.1):
 *   pass@k = mean over problems of 1 − C(n−c, k) / C(n, k)
 * where a problem was attempted n times and solved c times. The ratio of binomials is computed
 * in log space (a product of (1 − k/i) for small c, log Γ otherwise), so n in the thousands does
 * not overflow. Intervals: percentile bootstrap over problems (seeded).
 */
import { mulberry32, percentile, resampleCounts } from '../fit/rng';
import { logChoose } from './special';
import { Cancelled } from '../cancel';

/** c at or below this uses the exact product form; above it log Γ. */
const PRODUCT_MAX_C = 256;

/** Unbiased pass@k of one problem attempted n times with c successes (needs 1 ≤ k ≤ n). */
export function passAtKProblem(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n && c >= 0 && c <= n)) return NaN;
  if (c === 0) return 0;
  if (n - c < k) return 1;
  let logFail: number;
  if (c <= PRODUCT_MAX_C) {
    // C(n−c, k)/C(n, k) = ∏_{i=n−c+1}^{n} (1 − k/i)
    logFail = 0;
    for (let i = n - c + 1; i <= n; i++) logFail += Math.log1p(-k / i);
  } else {
    logFail = logChoose(n - c, k) - logChoose(n, k);
  }
  return -Math.expm1(logFail);
}

/** Problems' (n, c) pairs folded into distinct pairs with multiplicities (many problems share a pair). */
export interface CountTable {
  /** Distinct attempts per problem. */
  n: Int32Array;
  /** Distinct successes per problem. */
  c: Int32Array;
  /** Which distinct pair each problem has. */
  of: Int32Array;
}

export function foldCounts(n: ArrayLike<number>, c: ArrayLike<number>): CountTable {
  const key = new Map<number, number>();
  const un: number[] = [], uc: number[] = [];
  const of = new Int32Array(n.length);
  for (let i = 0; i < n.length; i++) {
    const k = n[i] * 4294967296 + c[i];
    let u = key.get(k);
    if (u === undefined) { u = un.length; key.set(k, u); un.push(n[i]); uc.push(c[i]); }
    of[i] = u;
  }
  return { n: Int32Array.from(un), c: Int32Array.from(uc), of };
}

/** Every k ≤ kMax when that is at most `dense`; else 1…dense then about 200 log-spaced k up to kMax. */
export function defaultKs(kMax: number, dense = 1024): number[] {
  const ks: number[] = [];
  if (kMax <= dense) { for (let k = 1; k <= kMax; k++) ks.push(k); return ks; }
  for (let k = 1; k <= 100; k++) ks.push(k);
  const steps = 200;
  for (let i = 1; i <= steps; i++) {
    const k = Math.round(100 * Math.pow(kMax / 100, i / steps));
    if (k > ks[ks.length - 1]) ks.push(k);
  }
  if (ks[ks.length - 1] !== kMax) ks.push(kMax);
  return ks;
}

export interface PassAtKPoint {
  k: number;
  value: number;
  /** Bootstrap percentile interval over problems (NaN without bootstrap). */
  lo: number;
  hi: number;
}

export interface PassAtKOptions {
  /** k values (default: defaultKs of the smallest n). */
  ks?: number[];
  /** Bootstrap resamples of the problems (0 = none). */
  bootstrap?: number;
  seed?: number;
  /** Interval level (default 0.95). */
  level?: number;
  signal?: AbortSignal;
}

export interface PassAtKCurve {
  points: PassAtKPoint[];
  problems: number;
  /** Largest k estimable for every problem: the smallest n. */
  kMax: number;
  /** Total attempts and successes. */
  attempts: number;
  successes: number;
  notes: string[];
}

function abortIf(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Cancelled();
}

/** pass@k for each k with bootstrap intervals over problems. */
export function passAtKCurve(n: ArrayLike<number>, c: ArrayLike<number>, opts: PassAtKOptions = {}): PassAtKCurve {
  const P = n.length;
  if (P === 0) throw new Error('no problems with attempts');
  if (c.length !== P) throw new Error('n and c differ in length');
  let kMax = Infinity, nMax = 0, attempts = 0, successes = 0;
  for (let i = 0; i < P; i++) {
    if (!(Number.isInteger(n[i]) && n[i] >= 1 && Number.isInteger(c[i]) && c[i] >= 0 && c[i] <= n[i])) {
      throw new Error(`problem ${i + 1}: needs whole numbers 0 ≤ c ≤ n, n ≥ 1 (got n = ${n[i]}, c = ${c[i]})`);
    }
    kMax = Math.min(kMax, n[i]);
    nMax = Math.max(nMax, n[i]);
    attempts += n[i];
    successes += c[i];
  }
  const notes: string[] = [];
  if (nMax !== kMax) notes.push(`problems have between ${kMax} and ${nMax} attempts: pass@k is estimated for k ≤ ${kMax}, the fewest attempts of any problem`);
  const ks = (opts.ks ?? defaultKs(kMax)).filter((k) => Number.isInteger(k) && k >= 1 && k <= kMax);
  const t = foldCounts(n, c);
  const U = t.n.length;
  const K = ks.length;
  // table[u·K + j] = pass@k_j of distinct pair u.
  const table = new Float64Array(U * K);
  for (let u = 0; u < U; u++) for (let j = 0; j < K; j++) table[u * K + j] = passAtKProblem(t.n[u], t.c[u], ks[j]);
  const weights = new Float64Array(U);
  for (let i = 0; i < P; i++) weights[t.of[i]] += 1;
  const mean = (w: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let u = 0; u < U; u++) {
      const wu = w[u];
      if (wu === 0) continue;
      const row = u * K;
      for (let j = 0; j < K; j++) out[j] += wu * table[row + j];
    }
    for (let j = 0; j < K; j++) out[j] /= P;
  };
  const est = new Float64Array(K);
  mean(weights, est);
  const B = opts.bootstrap ?? 0;
  const lo = new Float64Array(K).fill(NaN), hi = new Float64Array(K).fill(NaN);
  if (B > 0 && P >= 2) {
    const level = opts.level ?? 0.95;
    const rng = mulberry32(opts.seed ?? 42);
    const counts = new Float64Array(P);
    const wb = new Float64Array(U);
    const draws = new Float64Array(B * K);
    const row = new Float64Array(K);
    for (let b = 0; b < B; b++) {
      if ((b & 31) === 0) abortIf(opts.signal);
      resampleCounts(rng, counts);
      wb.fill(0);
      for (let i = 0; i < P; i++) wb[t.of[i]] += counts[i];
      mean(wb, row);
      draws.set(row, b * K);
    }
    const col = new Float64Array(B);
    for (let j = 0; j < K; j++) {
      for (let b = 0; b < B; b++) col[b] = draws[b * K + j];
      lo[j] = percentile(col, (1 - level) / 2);
      hi[j] = percentile(col, 1 - (1 - level) / 2);
    }
  } else if (B > 0) {
    notes.push('one problem only: no interval over problems');
  }
  const points = ks.map((k, j) => ({ k, value: est[j], lo: lo[j], hi: hi[j] }));
  return { points, problems: P, kMax, attempts, successes, notes };
}

/**
 * Chinchilla Approach 3: L(N, D) = E + A/N^α + B/D^β fitted as in Hoffmann et al. (2022) and the
 * Besiroglu et al. (2024) replication: sum of Huber_δ (δ = 1e-3) of log residuals, L-BFGS with the
 * analytic gradient, lowest objective over the starts.
 *
 * Start strategies:
 *  - 'grid': the published 4,500-start grid α, β ∈ {0, .5, …, 2}, e ∈ {−1, −.5, …, 1}, a, b ∈ {0, 5, …, 25},
 *    every start run with L-BFGS to scipy's default stopping rule, spread over worker threads
 *    (gridParallel.ts; still a synchronous call), then the 5 best end points polished tightly.
 *  - 'fast' (default): variable projection screen. For fixed (α, β) the model is linear in (E, A, B) ≥ 0,
 *    so a 3-variable non-negative least-squares problem on the loss gives the best (E, A, B) for every
 *    (α, β) on a 0.05-spaced grid; the Huber objective is evaluated at each, and L-BFGS runs from the
 *    few best local minima of that surface. Tests and the benchmark check it reaches the grid's optimum.
 */
import { ChinchillaObjective, HUBER_DELTA } from './huber';
import { Lbfgs, LbfgsOptions } from './lbfgs';
import { GRID_LBFGS, runGrid } from './gridParallel';
import { allocate } from './allocation';
import type { ChinchillaParams } from './laws';
import { chinchillaLoss } from './laws';
import { percentile, resampleCounts, type Rng } from './rng';
import { runBootstrap } from './bootstrap';
import { warmRefit } from './precondition';
import { checkAbort, Curve, failedReport, FitOptions, ReportOf } from './types';

export const DEFAULT_SEED = 42;
export const DEFAULT_BOOTSTRAP = 200;
export const DEFAULT_CI_LEVEL = 0.95;

/** The 4,500 starts (a, b, e, α, β), in the order of itertools.product over the published grid. */
export function chinchillaGrid(): Float64Array {
  const out = new Float64Array(4500 * 5);
  let k = 0;
  for (let ia = 0; ia <= 5; ia++)
    for (let ib = 0; ib <= 5; ib++)
      for (let ie = 0; ie <= 4; ie++)
        for (let ial = 0; ial <= 4; ial++)
          for (let ibe = 0; ibe <= 4; ibe++) {
            out[k++] = 5 * ia;
            out[k++] = 5 * ib;
            out[k++] = -1 + 0.5 * ie;
            out[k++] = 0.5 * ial;
            out[k++] = 0.5 * ibe;
          }
  return out;
}

export interface ThetaFit {
  /** (a, b, e, α, β) */
  theta: Float64Array;
  objective: number;
  /** L-BFGS runs made. */
  starts: number;
  evaluations: number;
  /** Threads that ran the grid phase (strategy 'grid' only). */
  threads?: number;
}

export function thetaToParams(t: ArrayLike<number>): ChinchillaParams {
  return { E: Math.exp(t[2]), A: Math.exp(t[0]), B: Math.exp(t[1]), alpha: t[3], beta: t[4] };
}

/** Tight tolerances for the Chinchilla fits (objective values are ~1e-3). */
export const CHINCHILLA_LBFGS: Partial<LbfgsOptions> = { gtol: 1e-12, ftol: 1e-12, fmin: 1e-9 };

/** Runs L-BFGS from every start (rows of 5) and keeps the lowest objective. */
export function minimizeFromStarts(
  obj: ChinchillaObjective, starts: Float64Array, opts: { signal?: AbortSignal; onProgress?: (f: number) => void } = {},
  solver = new Lbfgs(5, CHINCHILLA_LBFGS),
): ThetaFit {
  const fg = (x: Float64Array, g: Float64Array) => obj.fg(x, g);
  const x = new Float64Array(5);
  const best = new Float64Array(5);
  let bestF = Infinity;
  let evals = 0;
  const count = starts.length / 5;
  for (let s = 0; s < count; s++) {
    if ((s & 63) === 0) {
      checkAbort(opts.signal);
      opts.onProgress?.(s / count);
    }
    for (let j = 0; j < 5; j++) x[j] = starts[5 * s + j];
    const r = solver.minimize(fg, x);
    evals += r.evaluations;
    if (r.f < bestF && Number.isFinite(r.f)) {
      bestF = r.f;
      best.set(x);
    }
  }
  return { theta: best, objective: bestF, starts: count, evaluations: evals };
}

export { GRID_LBFGS } from './gridParallel';

/**
 * Runs every start with the grid tolerances (scipy's L-BFGS-B defaults) on this thread and, when
 * `threads` > 1, on worker threads too; returns the end points of the `keep` lowest objectives
 * (rows of 5, ties in start order: the same whatever the thread count).
 */
export function topFromStarts(
  obj: ChinchillaObjective, starts: Float64Array, keep: number,
  opts: { signal?: AbortSignal; onProgress?: (f: number) => void; threads?: number } = {},
): { starts: Float64Array; evaluations: number; threads: number } {
  const run = runGrid(obj, starts, { signal: opts.signal, onProgress: opts.onProgress, threads: opts.threads, lbfgs: GRID_LBFGS });
  const order: number[] = [];
  for (let s = 0; s < run.f.length; s++) if (Number.isFinite(run.f[s])) order.push(s);
  order.sort((p, q) => run.f[p] - run.f[q] || p - q);
  const top = order.slice(0, keep);
  const out = new Float64Array(top.length * 5);
  top.forEach((s, j) => out.set(run.x.subarray(5 * s, 5 * s + 5), 5 * j));
  return { starts: out, evaluations: run.evaluations, threads: run.threads };
}

/** Points the start screen ranks a big sweep on. */
const SCREEN_SAMPLE = 8192;

/** The objective on every k-th point (about `m` of them), in order. */
function stridedObjective(obj: ChinchillaObjective, m: number): ChinchillaObjective {
  const k = Math.ceil(obj.n / m);
  const pick = (v: Float64Array) => Float64Array.from({ length: Math.ceil(obj.n / k) }, (_, j) => v[j * k]);
  return new ChinchillaObjective(pick(obj.lN), pick(obj.lD), pick(obj.lL), obj.delta);
}

const VP_STEP = 0.05;
const VP_COUNT = 40; // exponents 0.05 … 2.00

/**
 * Variable-projection screen: non-negative least squares of (E, A, B) for every (α, β) on the
 * grid, ranked by the Huber objective; returns up to `keep` starts (rows of 5) from the best local
 * minima of that surface (or of the least-squares surface, cheaper, for bootstrap refits).
 */
export function varProStarts(obj: ChinchillaObjective, keep = 4, rankBy: 'huber' | 'sse' = 'huber'): Float64Array {
  const { n, lN, lD, lL } = obj;
  const w = obj.weights;
  const K = VP_COUNT;
  // Powers N^-α and D^-β per grid exponent, and their α-only / β-only weighted sums.
  const U = new Float64Array(K * n), V = new Float64Array(K * n);
  const y = new Float64Array(n);
  let s1 = 0, sy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i];
    y[i] = Math.exp(lL[i]);
    s1 += wi;
    sy += wi * y[i];
    syy += wi * y[i] * y[i];
  }
  const su = new Float64Array(K), suu = new Float64Array(K), suy = new Float64Array(K);
  const sv = new Float64Array(K), svv = new Float64Array(K), svy = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const ex = VP_STEP * (k + 1);
    let a1 = 0, a2 = 0, a3 = 0, b1 = 0, b2 = 0, b3 = 0;
    for (let i = 0; i < n; i++) {
      const wi = w === null ? 1 : w[i];
      const u = Math.exp(-ex * lN[i]);
      const v = Math.exp(-ex * lD[i]);
      U[k * n + i] = u;
      V[k * n + i] = v;
      a1 += wi * u; a2 += wi * u * u; a3 += wi * u * y[i];
      b1 += wi * v; b2 += wi * v * v; b3 += wi * v * y[i];
    }
    su[k] = a1; suu[k] = a2; suy[k] = a3;
    sv[k] = b1; svv[k] = b2; svy[k] = b3;
  }
  const huber = new Float64Array(K * K);
  const coef = new Float64Array(K * K * 3);
  const c = new Float64Array(4);
  const th = new Float64Array(5);
  const gs = new Float64Array(5);
  // Many points per model size (big sweeps): Σ w u v = Σ over sizes of u(size) · Σ_{its points} w v.
  const { uN, nIdx } = obj;
  const G = uN.length;
  const grouped = G * 4 <= n;
  let UG: Float64Array | undefined, VG: Float64Array | undefined;
  if (grouped) {
    UG = new Float64Array(K * G);
    VG = new Float64Array(K * G);
    for (let k = 0; k < K; k++) {
      const ex = VP_STEP * (k + 1);
      for (let q = 0; q < G; q++) UG[k * G + q] = Math.exp(-ex * uN[q]);
      const vo = k * n, go = k * G;
      for (let i = 0; i < n; i++) VG[go + nIdx[i]] += (w === null ? 1 : w[i]) * V[vo + i];
    }
  }
  // The Huber surface is only ranked: evaluated with expFast/logNear1 where the objective allows,
  // and for a big unweighted sweep on an evenly strided sample of SCREEN_SAMPLE points (the
  // L-BFGS runs from the chosen starts use every point).
  const rankObj = rankBy === 'huber' && w === null && n > 2 * SCREEN_SAMPLE ? stridedObjective(obj, SCREEN_SAMPLE) : obj;
  const approx = rankObj.approxExp;
  rankObj.approxExp = true;
  for (let ka = 0; ka < K; ka++) {
    for (let kb = 0; kb < K; kb++) {
      let suv = 0;
      const uo = ka * n, vo = kb * n;
      if (UG && VG) for (let q = 0; q < G; q++) suv += UG[ka * G + q] * VG[kb * G + q];
      else if (w === null) for (let i = 0; i < n; i++) suv += U[uo + i] * V[vo + i];
      else for (let i = 0; i < n; i++) suv += w[i] * U[uo + i] * V[vo + i];
      // Normal equations for y ≈ E + A u + B v.
      nnls3(s1, su[ka], sv[kb], suu[ka], suv, svv[kb], sy, suy[ka], svy[kb], syy, c);
      const floor = 1e-10 * (sy / s1);
      th[0] = Math.log(Math.max(c[1], floor));
      th[1] = Math.log(Math.max(c[2], floor));
      th[2] = Math.log(Math.max(c[0], floor));
      th[3] = VP_STEP * (ka + 1);
      th[4] = VP_STEP * (kb + 1);
      const idx = ka * K + kb;
      huber[idx] = rankBy === 'huber' ? rankObj.fg(th, gs) : c[3];
      coef[3 * idx] = th[0];
      coef[3 * idx + 1] = th[1];
      coef[3 * idx + 2] = th[2];
    }
  }
  rankObj.approxExp = approx;
  // Local minima of the Huber surface over the 8-neighbourhood, best first.
  const minima: number[] = [];
  for (let ka = 0; ka < K; ka++) {
    for (let kb = 0; kb < K; kb++) {
      const v = huber[ka * K + kb];
      if (!Number.isFinite(v)) continue;
      let isMin = true;
      for (let da = -1; da <= 1 && isMin; da++)
        for (let db = -1; db <= 1; db++) {
          if (da === 0 && db === 0) continue;
          const a = ka + da, b = kb + db;
          if (a < 0 || b < 0 || a >= K || b >= K) continue;
          if (huber[a * K + b] < v) { isMin = false; break; }
        }
      if (isMin) minima.push(ka * K + kb);
    }
  }
  minima.sort((p, q) => huber[p] - huber[q]);
  const chosen = minima.slice(0, keep);
  const out = new Float64Array(chosen.length * 5);
  chosen.forEach((idx, j) => {
    out[5 * j] = coef[3 * idx];
    out[5 * j + 1] = coef[3 * idx + 1];
    out[5 * j + 2] = coef[3 * idx + 2];
    out[5 * j + 3] = VP_STEP * (Math.floor(idx / K) + 1);
    out[5 * j + 4] = VP_STEP * ((idx % K) + 1);
  });
  return out;
}

/**
 * Non-negative least squares for 3 unknowns from the normal equations
 * M = [[s11, s12, s13], [s12, s22, s23], [s13, s23, s33]], r = (r1, r2, r3), Σy² = syy:
 * the feasible active set with the lowest residual (exact for 3 variables). Result in out.
 */
export function nnls3(
  s11: number, s12: number, s13: number, s22: number, s23: number, s33: number,
  r1: number, r2: number, r3: number, syy: number, out: Float64Array,
): void {
  let best = Infinity;
  let b0 = 0, b1 = 0, b2 = 0;
  const consider = (x0: number, x1: number, x2: number) => {
    if (!(x0 >= 0 && x1 >= 0 && x2 >= 0)) return;
    // SSE = syy − 2 xᵀr + xᵀ M x
    const sse = syy - 2 * (x0 * r1 + x1 * r2 + x2 * r3)
      + x0 * (s11 * x0 + s12 * x1 + s13 * x2) + x1 * (s12 * x0 + s22 * x1 + s23 * x2)
      + x2 * (s13 * x0 + s23 * x1 + s33 * x2);
    if (sse < best) { best = sse; b0 = x0; b1 = x1; b2 = x2; }
  };
  // Full 3×3 by Cramer's rule.
  const det = s11 * (s22 * s33 - s23 * s23) - s12 * (s12 * s33 - s23 * s13) + s13 * (s12 * s23 - s22 * s13);
  if (Math.abs(det) > 1e-300) {
    const x0 = (r1 * (s22 * s33 - s23 * s23) - s12 * (r2 * s33 - s23 * r3) + s13 * (r2 * s23 - s22 * r3)) / det;
    const x1 = (s11 * (r2 * s33 - s23 * r3) - r1 * (s12 * s33 - s23 * s13) + s13 * (s12 * r3 - r2 * s13)) / det;
    const x2 = (s11 * (s22 * r3 - r2 * s23) - s12 * (s12 * r3 - r2 * s13) + r1 * (s12 * s23 - s22 * s13)) / det;
    consider(x0, x1, x2);
  }
  const two = (a11: number, a12: number, a22: number, q1: number, q2: number): [number, number] => {
    const d = a11 * a22 - a12 * a12;
    if (Math.abs(d) <= 1e-300) return [NaN, NaN];
    return [(q1 * a22 - a12 * q2) / d, (a11 * q2 - a12 * q1) / d];
  };
  const [p0, p1] = two(s11, s12, s22, r1, r2);
  consider(p0, p1, 0);
  const [q0, q2] = two(s11, s13, s33, r1, r3);
  consider(q0, 0, q2);
  const [w1, w2] = two(s22, s23, s33, r2, r3);
  consider(0, w1, w2);
  if (s11 > 0) consider(r1 / s11, 0, 0);
  if (s22 > 0) consider(0, r2 / s22, 0);
  if (s33 > 0) consider(0, 0, r3 / s33);
  consider(0, 0, 0);
  out[0] = b0; out[1] = b1; out[2] = b2;
  if (out.length > 3) out[3] = best;
}

/** Minimises the objective with the chosen start strategy. */
export function minimizeChinchilla(
  obj: ChinchillaObjective, strategy: 'fast' | 'grid',
  opts: {
    signal?: AbortSignal; onProgress?: (f: number) => void; extraStarts?: Float64Array; screenKeep?: number;
    screenRank?: 'huber' | 'sse'; threads?: number;
  } = {},
  solver?: Lbfgs,
): ThetaFit {
  if (strategy === 'grid') {
    // Every start with scipy's default L-BFGS-B tolerances (spread over `threads` threads), then the
    // best few polished tightly.
    const top = topFromStarts(obj, chinchillaGrid(), 5, opts);
    const polished = minimizeFromStarts(obj, top.starts, {}, solver);
    polished.starts = 4500;
    polished.evaluations += top.evaluations;
    polished.threads = top.threads;
    return polished;
  }
  let starts = varProStarts(obj, opts.screenKeep ?? 4, opts.screenRank ?? 'huber');
  if (opts.extraStarts && opts.extraStarts.length > 0) {
    const s = new Float64Array(starts.length + opts.extraStarts.length);
    s.set(starts);
    s.set(opts.extraStarts, starts.length);
    starts = s;
  }
  return minimizeFromStarts(obj, starts, opts, solver);
}

/** What a bootstrap refit of the Chinchilla law needs (posted to helper threads as is). */
export interface ChinchillaRefitPayload { lN: Float64Array; lD: Float64Array; lL: Float64Array; delta: number; theta: Float64Array }

/**
 * One resample's refit: pairs-bootstrap multiplicities as weights, L-BFGS from the full-data
 * optimum `theta`; writes (a, b, e, α, β).
 */
export function chinchillaRefit(p: ChinchillaRefitPayload): (rng: Rng, out: Float64Array) => boolean {
  const obj = new ChinchillaObjective(p.lN, p.lD, p.lL, p.delta);
  const counts = new Float64Array(p.lN.length);
  // expFast/logNear1 (errors below 5e-16, far under the stopping rule), as in the grid phase.
  obj.approxExp = true;
  const solver = new Lbfgs(5, CHINCHILLA_LBFGS);
  const fg = (x: Float64Array, g: Float64Array) => obj.fg(x, g);
  // Steps scaled by the full-data Hessian at the optimum (precondition.ts): ~8 evaluations a refit, not ~60.
  obj.weights = null;
  const refit = warmRefit(fg, p.theta, solver);
  obj.weights = counts;
  return (rng, out) => {
    resampleCounts(rng, counts);
    return Number.isFinite(refit(out));
  };
}

export interface ChinchillaFitOptions extends FitOptions {
  /** Names of the points, for messages only. */
  lines?: ArrayLike<number>;
  /**
   * Threads for strategy 'grid' (the 4,500 starts) and for the bootstrap, this one included
   * (default: the number of cores, at most 8; 1 = this thread only). The result does not depend on it.
   */
  threads?: number;
}

/** Fits L(N, D) = E + A/N^α + B/D^β to a sweep (one row per run). Never throws for bad data. */
export function fitChinchilla(
  N: ArrayLike<number>, D: ArrayLike<number>, L: ArrayLike<number>, opts: ChinchillaFitOptions = {},
): ReportOf<'chinchilla'> {
  const messages: string[] = [];
  const total = Math.min(N.length, D.length, L.length);
  if (N.length !== D.length || N.length !== L.length) {
    messages.push(`columns have different lengths (${N.length}, ${D.length}, ${L.length}); using the first ${total} rows`);
  }
  let idx: number[] = [];
  let bad = 0;
  for (let i = 0; i < total; i++) {
    if (N[i] > 0 && D[i] > 0 && L[i] > 0 && Number.isFinite(N[i]) && Number.isFinite(D[i]) && Number.isFinite(L[i])) idx.push(i);
    else bad++;
  }
  if (bad > 0) messages.push(`dropped ${bad} row(s) with missing or non-positive N, D or loss`);
  const drop = Math.max(0, Math.floor(opts.dropHighestLoss ?? 0));
  if (drop > 0) {
    if (drop >= idx.length) {
      return { ...failedReport('chinchilla', 0, total, ''), messages: [...messages, `cannot drop the ${drop} highest-loss points: only ${idx.length} valid point(s)`] };
    }
    const byLoss = idx.slice().sort((p, q) => L[q] - L[p]);
    const gone = new Set(byLoss.slice(0, drop));
    idx = idx.filter((i) => !gone.has(i));
    messages.push(`dropped the ${drop} highest-loss point(s)`);
  }
  const n = idx.length;
  const dropped = total - n;
  const fail = (m: string): ReportOf<'chinchilla'> => ({ ...failedReport('chinchilla', n, dropped, m), messages: [...messages, m] });
  if (n < 6) {
    return fail( `too few points for L(N,D) = E + A/N^α + B/D^β: ${n} valid, need at least 6 (5 parameters)`);
  }
  const lN = Float64Array.from(idx, (i) => Math.log(N[i]));
  const lD = Float64Array.from(idx, (i) => Math.log(D[i]));
  const lL = Float64Array.from(idx, (i) => Math.log(L[i]));
  const distinctN = countDistinct(lN, 1e-3);
  const distinctD = countDistinct(lD, 1e-3);
  if (distinctN < 2) {
    return fail('one model size only: L(N,D) needs runs at several model sizes (use the single-run law for one model)');
  }
  if (distinctD < 2) {
    return fail('one token count only: L(N,D) needs runs trained on different numbers of tokens');
  }
  if (distinctN < 4) messages.push(`only ${distinctN} model sizes: α and A are poorly determined`);
  if (n < 20) messages.push(`only ${n} points: expect wide intervals`);

  const obj = new ChinchillaObjective(lN, lD, lL, HUBER_DELTA);
  const strategy = opts.strategy ?? 'fast';
  const solver = new Lbfgs(5, CHINCHILLA_LBFGS);
  const B = Math.max(0, Math.floor(opts.bootstrap ?? DEFAULT_BOOTSTRAP));
  const progress = opts.onProgress;
  const mainShare = strategy === 'grid' ? 0.8 : 0.2;
  const best = minimizeChinchilla(obj, strategy, {
    signal: opts.signal,
    threads: opts.threads,
    onProgress: progress && ((f) => progress((B > 0 ? mainShare : 1) * f)),
  }, solver);
  if (!Number.isFinite(best.objective)) {
    return fail('the optimiser found no finite objective: check the data for extreme values');
  }
  const params = thetaToParams(best.theta);
  const report: ReportOf<'chinchilla'> = {
    law: 'chinchilla', n, dropped,
    params: { ...params },
    ci: {},
    objective: best.objective,
    r2: r2Log(lL, (i) => predictLog(best.theta, lN[i], lD[i])),
    messages,
    curves: [],
  };
  if (strategy === 'grid') {
    messages.push(`full grid: 4,500 starts, each run with L-BFGS to convergence, on ${best.threads ?? 1} thread(s)`);
  }
  if (params.alpha <= 0 || params.beta <= 0) {
    messages.push(`fitted exponents are not positive (α = ${fmt(params.alpha)}, β = ${fmt(params.beta)}): the data do not show a power-law decrease`);
  }
  // Bootstrap (pairs): resample the points, refit warm-started from the full-data optimum.
  let boot: Float64Array[] = [];
  if (B > 0) {
    const payload: ChinchillaRefitPayload = { lN, lD, lL, delta: HUBER_DELTA, theta: Float64Array.from(best.theta) };
    const run = runBootstrap({
      resamples: B, seed: opts.seed ?? DEFAULT_SEED, drawsPerResample: n, width: 5,
      refit: chinchillaRefit(payload), job: { law: 'chinchilla', payload: { ...payload } },
      costPerResample: n * 40, threads: opts.threads, signal: opts.signal,
      onProgress: progress && ((f) => progress(mainShare + (1 - mainShare) * f)),
    });
    boot = run.rows;
    const level = opts.ciLevel ?? DEFAULT_CI_LEVEL;
    const qlo = (1 - level) / 2, qhi = 1 - qlo;
    const col = (f: (t: Float64Array) => number) => boot.map(f);
    const names: [keyof typeof report.ci, (t: Float64Array) => number][] = [
      ['E', (t) => Math.exp(t[2])], ['A', (t) => Math.exp(t[0])], ['B', (t) => Math.exp(t[1])],
      ['alpha', (t) => t[3]], ['beta', (t) => t[4]],
      ['a', (t) => t[4] / (t[3] + t[4])], ['b', (t) => t[3] / (t[3] + t[4])],
    ];
    for (const [name, f] of names) {
      const v = col(f);
      report.ci[name] = [percentile(v, qlo), percentile(v, qhi)];
    }
    messages.push(`${Math.round(level * 100)}% bootstrap percentile intervals from ${boot.length} resamples (seed ${opts.seed ?? DEFAULT_SEED})`);
  }
  progress?.(1);
  // Compute-optimal allocation.
  let maxC = 0, minC = Infinity;
  for (let i = 0; i < n; i++) {
    const c = 6 * Math.exp(lN[i] + lD[i]);
    if (c > maxC) maxC = c;
    if (c < minC) minC = c;
  }
  if (params.alpha > 0 && params.beta > 0) {
    const C = opts.budget && opts.budget > 0 ? opts.budget : maxC;
    const al = allocate(params, C);
    report.optimal = { a: al.a, b: al.b, G: al.G, tokensPerParam: al.tokensPerParam };
    if (!(opts.budget && opts.budget > 0)) messages.push(`tokens per parameter at the largest budget in the data, C = ${C.toExponential(2)} FLOPs`);
    if (opts.budget && opts.budget > 0) {
      report.allocation = { budget: C, N: al.N, D: al.D, loss: al.loss, tokensPerParam: al.tokensPerParam };
    }
    report.curves = chinchillaCurves(params, lN, minC, Math.max(maxC, C), boot, opts.ciLevel ?? DEFAULT_CI_LEVEL);
  }
  return report;
}

function chinchillaCurves(p: ChinchillaParams, lN: Float64Array, minC: number, maxC: number, boot: Float64Array[], level: number): Curve[] {
  const curves: Curve[] = [];
  const xs = logspace(minC, maxC, 60);
  const frontier: Curve = { name: 'compute-optimal frontier', kind: 'frontier', x: xs, y: xs.map((c) => allocate(p, c).loss) };
  if (boot.length > 0) {
    const lo: number[] = [], hi: number[] = [];
    const bp = boot.map(thetaToParams).filter((q) => q.alpha > 0 && q.beta > 0);
    for (const c of xs) {
      const v = bp.map((q) => allocate(q, c).loss);
      lo.push(percentile(v, (1 - level) / 2));
      hi.push(percentile(v, (1 + level) / 2));
    }
    frontier.lo = lo;
    frontier.hi = hi;
  }
  curves.push(frontier);
  // Fitted loss vs compute for a few model sizes spread over the data.
  const sorted = Float64Array.from(lN).sort();
  const picks = new Set<number>();
  for (const q of [0, 0.2, 0.4, 0.6, 0.8, 1]) picks.add(sorted[Math.round(q * (sorted.length - 1))]);
  for (const l of picks) {
    const Nv = Math.exp(l);
    curves.push({ name: `N = ${Nv.toExponential(2)}`, kind: 'fit', x: xs, y: xs.map((c) => chinchillaLoss(p, Nv, c / (6 * Nv))) });
  }
  return curves;
}

export function predictLog(t: ArrayLike<number>, ln: number, ld: number): number {
  const t1 = t[0] - t[3] * ln, t2 = t[1] - t[4] * ld, e = t[2];
  const m = Math.max(t1, t2, e);
  return m + Math.log(Math.exp(t1 - m) + Math.exp(t2 - m) + Math.exp(e - m));
}

/** R² of log loss given the predicted log loss per point; NaN when the loss does not vary. */
export function r2Log(lL: ArrayLike<number>, pred: (i: number) => number): number {
  const n = lL.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += lL[i];
  mean /= n;
  let ssr = 0, sst = 0;
  for (let i = 0; i < n; i++) {
    ssr += (lL[i] - pred(i)) ** 2;
    sst += (lL[i] - mean) ** 2;
  }
  // No R² where the loss does not vary beyond rounding (a flat log gave sst ≈ 1e-32 and so R² = 1).
  return sst > 1e-24 * n * (1 + mean * mean) ? 1 - ssr / sst : NaN;
}

/**
 * Distinct values: sorted values more than `tol` above the first value of the current cluster start
 * a new one (comparing with the previous value instead would chain a dense spread into one cluster).
 */
export function countDistinct(v: Float64Array, tol: number): number {
  const s = Float64Array.from(v).sort();
  let c = s.length > 0 ? 1 : 0;
  let start = s[0];
  for (let i = 1; i < s.length; i++) if (s[i] - start > tol) { c++; start = s[i]; }
  return c;
}

export function logspace(a: number, b: number, k: number): number[] {
  if (!(a > 0) || !(b > 0)) return [];
  if (a === b) return [a];
  const la = Math.log(a), lb = Math.log(b);
  return Array.from({ length: k }, (_, i) => Math.exp(la + ((lb - la) * i) / (k - 1)));
}

export function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x);
}

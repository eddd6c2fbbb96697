/**
 * Loss curves that know their learning-rate schedule.
 *
 * 1. The scaling law with LR annealing (Tissue et al. 2024, "Scaling Law with Learning Rate
 *    Annealing", arXiv 2408.11029): L(s) = L0 + A·S1(s)^(−α) − C·S2(s), where S1(s) = Σ_{i≤s} η_i is
 *    the forward area (the area under the LR curve) and S2(s) = Σ_{i≤s} m_i the annealing area with
 *    momentum, m_i = λ·m_{i−1} + (η_{i−1} − η_i); λ is chosen by least squares from LAMBDA_GRID (the
 *    paper's default 0.999 and the range 0.99–0.999 it reports as working), or given.
 *    The momentum starts after warm-up: the LR's rise is not annealing. η is relative to its peak, so
 *    S1 counts steps at peak LR and A, C absorb the LR's scale.
 *    Fit: for a fixed α the law is linear in (L0, A, C) ≥ 0, solved exactly (all active sets of a
 *    3-variable non-negative least squares); α is profiled over [0.01, 3] by scan + golden section.
 *    Deterministic, free of start values.
 *
 * 2. The multi-power law (Luo et al., ICLR 2025, arXiv 2503.12811):
 *    L(t) = L0 + A·(S1(t) + S_W)^(−α) − LD(t),
 *    LD(t) = B Σ_{k=1..t} (η_{k−1} − η_k)·G(η_k^(−γ)·S_k(t)), G(x) = 1 − (C·x + 1)^(−β),
 *    S_k(t) = Σ_{τ=k..t} η_τ, S_W the warm-up's area (here inside S1, which counts every step).
 *    Fit: (L0, A, B) ≥ 0 exactly for given (α, β, γ, C); the four are searched by Nelder–Mead on
 *    their logarithms from a few seeded starts. The decay steps are grouped into ≤ 256 chunks.
 */
import { minimize1d } from './allocation';
import type { LrSchedule } from './schedule';
import type { LrAnnealingParams, MultiPowerParams } from './types';

export type { LrAnnealingParams, MultiPowerParams };

export const DEFAULT_LAMBDA = 0.999;
/**
 * The decay factors λ a fit chooses from (by least squares on the fitted points): Tissue et al. 2024
 * use 0.999 and report 0.99–0.999 as working. On this repository's bench (bench/extrapolation.mjs)
 * 0.999 fixed over-credits annealing: a long momentum makes S2 at a cut a small part of its final
 * value, so a C fitted there multiplies at the end (−26% on a real LoRA run from 50%, −11% on the
 * synthetic cosine runs whose loss lags the LR by 400 steps).
 */
export const LAMBDA_GRID: readonly number[] = [0.99, 0.995, 0.999];

export interface Areas {
  /** S1[s] = Σ_{i=1..s} η_i. */
  S1: Float64Array;
  /** S2[s] = Σ_{i=1..s} m_i. */
  S2: Float64Array;
}

export function annealingAreas(sched: LrSchedule, lambda = DEFAULT_LAMBDA): Areas {
  const n = sched.total + 1;
  const S1 = new Float64Array(n), S2 = new Float64Array(n);
  let m = 0;
  for (let s = 1; s < n; s++) {
    const eta = sched.lr[s];
    S1[s] = S1[s - 1] + eta;
    if (s > sched.warmup) m = lambda * m + (sched.lr[s - 1] - eta);
    S2[s] = S2[s - 1] + m;
  }
  return { S1, S2 };
}

/** Value of a cumulative array at a fractional step (linear interpolation, clamped). */
export function areaAt(a: Float64Array, step: number): number {
  const last = a.length - 1;
  const s = Math.min(last, Math.max(0, step));
  const i = Math.floor(s);
  return i >= last ? a[last] : a[i] + (a[i + 1] - a[i]) * (s - i);
}


export function lrAnnealingLoss(p: LrAnnealingParams, S1: number, S2: number): number {
  return p.L0 + p.A * Math.pow(Math.max(S1, 1e-12), -p.alpha) - p.C * S2;
}

/**
 * Non-negative weighted least squares y ≈ Σ_j c_j f_j for up to 3 features (rows of F, length n):
 * every active set is tried, the best feasible solution kept. Returns the SSE and writes c.
 */
export function nnlsSmall(F: Float64Array[], y: ArrayLike<number>, w: ArrayLike<number>, c: Float64Array): number {
  const k = F.length;
  const G = new Float64Array(k * k), b = new Float64Array(k);
  let yy = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const yi = y[i];
    yy += wi * yi * yi;
    for (let p = 0; p < k; p++) {
      const fp = F[p][i] * wi;
      b[p] += fp * yi;
      for (let q = p; q < k; q++) G[p * k + q] += fp * F[q][i];
    }
  }
  for (let p = 0; p < k; p++) for (let q = 0; q < p; q++) G[p * k + q] = G[q * k + p];
  let best = yy;
  c.fill(0);
  const x = new Float64Array(k);
  for (let mask = 1; mask < 1 << k; mask++) {
    const idx: number[] = [];
    for (let p = 0; p < k; p++) if (mask & (1 << p)) idx.push(p);
    const m = idx.length;
    // Solve the m×m system by Gaussian elimination with partial pivoting.
    const M = new Float64Array(m * (m + 1));
    for (let r = 0; r < m; r++) {
      for (let q = 0; q < m; q++) M[r * (m + 1) + q] = G[idx[r] * k + idx[q]];
      M[r * (m + 1) + m] = b[idx[r]];
    }
    let ok = true;
    for (let col = 0; col < m && ok; col++) {
      let piv = col;
      for (let r = col + 1; r < m; r++) if (Math.abs(M[r * (m + 1) + col]) > Math.abs(M[piv * (m + 1) + col])) piv = r;
      const pv = M[piv * (m + 1) + col];
      if (!(Math.abs(pv) > 1e-300)) { ok = false; break; }
      if (piv !== col) for (let q = 0; q <= m; q++) { const t = M[col * (m + 1) + q]; M[col * (m + 1) + q] = M[piv * (m + 1) + q]; M[piv * (m + 1) + q] = t; }
      for (let r = 0; r < m; r++) {
        if (r === col) continue;
        const f = M[r * (m + 1) + col] / pv;
        if (f !== 0) for (let q = col; q <= m; q++) M[r * (m + 1) + q] -= f * M[col * (m + 1) + q];
      }
    }
    if (!ok) continue;
    x.fill(0);
    let feasible = true;
    for (let r = 0; r < m; r++) {
      const v = M[r * (m + 1) + m] / M[r * (m + 1) + r];
      if (!(v >= 0) || !Number.isFinite(v)) { feasible = false; break; }
      x[idx[r]] = v;
    }
    if (!feasible) continue;
    // SSE = yy − 2 bᵀx + xᵀGx
    let sse = yy;
    for (let p = 0; p < k; p++) {
      sse -= 2 * b[p] * x[p];
      for (let q = 0; q < k; q++) sse += x[p] * G[p * k + q] * x[q];
    }
    if (sse < best - 1e-15 * Math.max(1, yy)) { best = sse; c.set(x); }
  }
  return Math.max(0, best);
}

/** Points of a curve prepared for a schedule-aware fit (binned, with their areas). */
export interface SchedulePoints {
  step: Float64Array;
  y: Float64Array;
  w: Float64Array;
  S1: Float64Array;
  S2: Float64Array;
}

export function schedulePoints(step: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, areas: Areas): SchedulePoints {
  const n = step.length;
  const out: SchedulePoints = {
    step: Float64Array.from(step), y: Float64Array.from(y), w: Float64Array.from(w),
    S1: new Float64Array(n), S2: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) { out.S1[i] = areaAt(areas.S1, step[i]); out.S2[i] = areaAt(areas.S2, step[i]); }
  return out;
}

/** Search ranges of the schedule-aware laws' shape parameters, as logarithms (α for both laws; β, γ, C of the multi-power law). */
export const SHAPE_LOG_BOUNDS = {
  alpha: [Math.log(0.01), Math.log(3)], beta: [-6, 3], gamma: [-6, 2], C: [-8, 6],
} as const satisfies Record<string, readonly [number, number]>;
const [LOG_ALPHA_LO, LOG_ALPHA_HI] = SHAPE_LOG_BOUNDS.alpha;

/**
 * Fits the LR-annealing law; `w` overrides the points' weights (bootstrap), `bracket` narrows the
 * search (bootstrap), `nearAlpha` starts it at a previous optimum (live refit: same answer as cold).
 */
export function fitLrAnnealing(
  p: SchedulePoints, w: ArrayLike<number> = p.w, bracket?: [number, number], nearAlpha?: number, lambda = DEFAULT_LAMBDA,
): { params: LrAnnealingParams; sse: number; evaluations: number } {
  const n = p.y.length;
  const ones = new Float64Array(n).fill(1);
  const f1 = new Float64Array(n);
  const f2 = Float64Array.from(p.S2, (v) => -v);
  const c = new Float64Array(3);
  // Features scaled to O(1) for the normal equations.
  let s2max = 0;
  for (let i = 0; i < n; i++) s2max = Math.max(s2max, Math.abs(f2[i]));
  const s2scale = s2max > 0 ? 1 / s2max : 1;
  if (s2max > 0) for (let i = 0; i < n; i++) f2[i] *= s2scale;
  let s1min = Infinity;
  for (let i = 0; i < n; i++) if (p.S1[i] > 0) s1min = Math.min(s1min, p.S1[i]);
  if (!Number.isFinite(s1min)) s1min = 1;
  const useC = s2max > 0;
  let evaluations = 0;
  const sseAt = (la: number, out?: Float64Array): number => {
    evaluations++;
    const a = Math.exp(la);
    for (let i = 0; i < n; i++) f1[i] = Math.pow(Math.max(p.S1[i], 1e-12) / s1min, -a);
    const sse = nnlsSmall(useC ? [ones, f1, f2] : [ones, f1], p.y, w, out ?? c);
    return sse;
  };
  const lo = bracket ? bracket[0] : LOG_ALPHA_LO, hi = bracket ? bracket[1] : LOG_ALPHA_HI;
  const near = !bracket && nearAlpha !== undefined && nearAlpha > 0 ? Math.log(nearAlpha) : undefined;
  const la = minimize1d((t) => sseAt(t), lo, hi, bracket ? 30 : 120, near);
  const sol = new Float64Array(3);
  const sse = sseAt(la, sol);
  const alpha = Math.exp(la);
  return {
    params: { L0: sol[0], A: sol[1] * Math.pow(s1min, alpha), alpha, C: useC ? sol[2] * s2scale : 0, lambda },
    sse, evaluations,
  };
}

// ---------------------------------------------------------------------------------------------
// Multi-power law.


/** The decays of a schedule, grouped: per chunk the LR drop, the LR at its end, and its end step. */
export interface DecayChunks {
  drop: Float64Array;
  eta: Float64Array;
  end: Float64Array;
}

export function decayChunks(sched: LrSchedule, maxChunks = 256): DecayChunks {
  const T = sched.total;
  let totalDrop = 0;
  for (let s = Math.max(1, sched.warmup + 1); s <= T; s++) totalDrop += Math.max(0, sched.lr[s - 1] - sched.lr[s]);
  const drop: number[] = [], eta: number[] = [], end: number[] = [];
  if (totalDrop <= 0) return { drop: new Float64Array(0), eta: new Float64Array(0), end: new Float64Array(0) };
  const per = totalDrop / maxChunks;
  let acc = 0;
  for (let s = Math.max(1, sched.warmup + 1); s <= T; s++) {
    const d = sched.lr[s - 1] - sched.lr[s];
    if (d <= 0) continue;
    acc += d;
    if (acc >= per || s === T) { drop.push(acc); eta.push(Math.max(sched.lr[s], 1e-6)); end.push(s); acc = 0; }
  }
  if (acc > 0) { drop.push(acc); eta.push(Math.max(sched.lr[T], 1e-6)); end.push(T); }
  return { drop: Float64Array.from(drop), eta: Float64Array.from(eta), end: Float64Array.from(end) };
}

/** LD(t)/B at each point: Σ_k drop_k·G(η_k^−γ·(S1(t) − S1(k) + η_k)). */
function lossDrop(S1t: number, chunks: DecayChunks, S1: Float64Array, t: number, C: number, beta: number, gamma: number): number {
  let ld = 0;
  for (let k = 0; k < chunks.end.length; k++) {
    const e = chunks.end[k];
    if (e > t) break;
    const Sk = S1t - S1[e] + chunks.eta[k];
    ld += chunks.drop[k] * (1 - Math.pow(C * Math.pow(chunks.eta[k], -gamma) * Sk + 1, -beta));
  }
  return ld;
}

export function multiPowerLoss(p: MultiPowerParams, step: number, areas: Areas, chunks: DecayChunks): number {
  const S1t = areaAt(areas.S1, step);
  return p.L0 + p.A * Math.pow(Math.max(S1t, 1e-12), -p.alpha) - p.B * lossDrop(S1t, chunks, areas.S1, step, p.C, p.beta, p.gamma);
}

/** exp of a log-parameter clamped to [lo, hi] (logarithms). */
function clampLog(t: number, [lo, hi]: readonly [number, number]): number {
  return Math.exp(Math.min(hi, Math.max(lo, t)));
}

/** Nelder–Mead minimisation (deterministic), for the multi-power law's four shape parameters. */
function nelderMead(f: (x: number[]) => number, x0: number[], step: number, maxEval: number): { x: number[]; f: number } {
  const d = x0.length;
  let simplex = [x0.slice()];
  for (let i = 0; i < d; i++) { const v = x0.slice(); v[i] += step; simplex.push(v); }
  let fs = simplex.map(f);
  let evals = d + 1;
  while (evals < maxEval) {
    const order = fs.map((_, i) => i).sort((a, b) => fs[a] - fs[b]);
    simplex = order.map((i) => simplex[i]); fs = order.map((i) => fs[i]);
    if (Math.abs(fs[d] - fs[0]) <= 1e-10 * (Math.abs(fs[0]) + 1e-12)) break;
    const cen = new Array(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cen[j] += simplex[i][j] / d;
    const at = (t: number) => cen.map((c, j) => c + t * (simplex[d][j] - c));
    const xr = at(-1), fr = f(xr); evals++;
    if (fr < fs[0]) {
      const xe = at(-2), fe = f(xe); evals++;
      if (fe < fr) { simplex[d] = xe; fs[d] = fe; } else { simplex[d] = xr; fs[d] = fr; }
    } else if (fr < fs[d - 1]) {
      simplex[d] = xr; fs[d] = fr;
    } else {
      const xc = fr < fs[d] ? at(-0.5) : at(0.5), fc = f(xc); evals++;
      if (fc < Math.min(fr, fs[d])) { simplex[d] = xc; fs[d] = fc; } else {
        for (let i = 1; i <= d; i++) { simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j])); fs[i] = f(simplex[i]); evals++; }
      }
    }
  }
  let b = 0;
  for (let i = 1; i < fs.length; i++) if (fs[i] < fs[b]) b = i;
  return { x: simplex[b], f: fs[b] };
}

/**
 * Fits the multi-power law to prepared points (at most a few hundred bins): Nelder–Mead from three
 * fixed starts. (Not from a previous optimum: where the data leave its four shape parameters
 * loosely determined, a search started there drifted along the flat valley to a slightly worse
 * objective and a prediction 3% away from the cold fit's.)
 */
export function fitMultiPower(
  p: SchedulePoints, areas: Areas, chunks: DecayChunks, maxEval = 400, start?: Pick<MultiPowerParams, 'alpha' | 'beta' | 'gamma' | 'C'>,
): { params: MultiPowerParams; sse: number; evaluations: number } {
  const n = p.y.length;
  const ones = new Float64Array(n).fill(1);
  const f1 = new Float64Array(n), f2 = new Float64Array(n);
  const c = new Float64Array(3);
  let s1min = Infinity;
  for (let i = 0; i < n; i++) if (p.S1[i] > 0) s1min = Math.min(s1min, p.S1[i]);
  if (!Number.isFinite(s1min)) s1min = 1;
  const hasDecay = chunks.end.length > 0;
  const unpack = (x: number[]) => ({
    alpha: clampLog(x[0], SHAPE_LOG_BOUNDS.alpha), beta: clampLog(x[1], SHAPE_LOG_BOUNDS.beta),
    gamma: clampLog(x[2], SHAPE_LOG_BOUNDS.gamma), C: clampLog(x[3], SHAPE_LOG_BOUNDS.C),
  });
  let evaluations = 0;
  const sseAt = (x: number[], out: Float64Array): number => {
    evaluations++;
    const q = unpack(x);
    for (let i = 0; i < n; i++) {
      f1[i] = Math.pow(Math.max(p.S1[i], 1e-12) / s1min, -q.alpha);
      f2[i] = hasDecay ? -lossDrop(p.S1[i], chunks, areas.S1, p.step[i], q.C, q.beta, q.gamma) : 0;
    }
    return nnlsSmall(hasDecay ? [ones, f1, f2] : [ones, f1], p.y, p.w, out);
  };
  const starts = [[Math.log(0.5), Math.log(0.5), Math.log(0.5), Math.log(2)], [Math.log(0.3), Math.log(1), Math.log(0.3), Math.log(0.5)], [Math.log(1), Math.log(0.3), Math.log(1), Math.log(5)]];
  // A bootstrap refit starts at the full-data optimum (`start`) with a smaller simplex: from the
  // generic starts its few evaluations ended far from it, and the intervals then missed the estimate.
  const from = start && [start.alpha, start.beta, start.gamma, start.C].every((v) => v > 0)
    ? [[Math.log(start.alpha), Math.log(start.beta), Math.log(start.gamma), Math.log(start.C)]] : undefined;
  let best: { x: number[]; f: number } | undefined;
  for (const s of from ?? (hasDecay ? starts : starts.slice(0, 1))) {
    const r = nelderMead((x) => sseAt(x, c), s, from ? 0.25 : 0.7, maxEval);
    if (!best || r.f < best.f) best = r;
  }
  const sol = new Float64Array(3);
  const sse = sseAt(best!.x, sol);
  const q = unpack(best!.x);
  return { params: { L0: sol[0], A: sol[1] * Math.pow(s1min, q.alpha), alpha: q.alpha, B: hasDecay ? sol[2] : 0, C: q.C, beta: q.beta, gamma: q.gamma }, sse, evaluations };
}

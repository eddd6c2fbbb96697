/**
 * Kaplan et al. (2020), "Scaling Laws for Neural Language Models":
 *   L(N) = (N_c/N)^α_N,  L(D) = (D_c/D)^α_D,  L(C) = (C_c/C)^α_C,
 *   L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D.
 * Single power laws are straight lines in log-log space (ordinary least squares on log L).
 * The joint law is fitted by least squares on log L with L-BFGS (analytic gradient) from a small
 * grid of starts; L(C) is fitted on the compute frontier (runs with a lower loss than every
 * cheaper run), as in the paper.
 */
import { Lbfgs } from './lbfgs';
import { percentile, resampleCounts, type Rng } from './rng';
import { runBootstrap } from './bootstrap';
import { warmRefit } from './precondition';
import { extent } from '../downsample';

const KAPLAN_LBFGS = { gtol: 1e-12, ftol: 1e-13, fmin: 1e-12 };
import { countDistinct, DEFAULT_BOOTSTRAP, DEFAULT_CI_LEVEL, DEFAULT_SEED, logspace } from './chinchilla';
import { linearFit } from './isoflop';
import { checkAbort, failedReport, FitOptions, ReportOf, type KaplanFitParams, type KaplanParams } from './types';

export type { KaplanParams };

export function kaplanLoss(p: KaplanParams, N: number, D: number): number {
  return Math.pow(Math.pow(p.Nc / N, p.alphaN / p.alphaD) + p.Dc / D, p.alphaD);
}

/** L(x) = (x_c/x)^α fitted as a line in log-log space. */
export function fitPowerLaw(x: ArrayLike<number>, L: ArrayLike<number>): { xc: number; alpha: number; r2: number; n: number } | { error: string } {
  const lx: number[] = [], ll: number[] = [];
  for (let i = 0; i < Math.min(x.length, L.length); i++) {
    if (x[i] > 0 && L[i] > 0 && Number.isFinite(x[i]) && Number.isFinite(L[i])) { lx.push(Math.log(x[i])); ll.push(Math.log(L[i])); }
  }
  if (lx.length < 2 || countDistinct(Float64Array.from(lx), 1e-9) < 2) return { error: `a power law needs at least 2 distinct positive x values; got ${lx.length} point(s)` };
  const f = linearFit(lx, ll);
  const alpha = -f.slope;
  // log L = α log x_c − α log x  →  log x_c = intercept / α
  return { xc: Math.exp(f.intercept / alpha), alpha, r2: f.r2, n: lx.length };
}

class KaplanObjective {
  weights: Float64Array | null = null;
  constructor(readonly lN: Float64Array, readonly lD: Float64Array, readonly lL: Float64Array) {}
  fg(x: ArrayLike<number>, g: Float64Array | null): number {
    const aN = x[0], aD = x[1], lNc = x[2], lDc = x[3];
    if (!(aD > 1e-8) || !(aN > 1e-8)) return NaN;
    const p = aN / aD;
    const { lN, lD, lL, weights } = this;
    let f = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    for (let i = 0; i < lN.length; i++) {
      const w = weights === null ? 1 : weights[i];
      if (w === 0) continue;
      const dn = lNc - lN[i];
      const t1 = p * dn, t2 = lDc - lD[i];
      // s = log(e^t1 + e^t2) with one exp: max + log1p(e^−|t1 − t2|); w1 = e^t1 / (e^t1 + e^t2).
      const d = t1 - t2;
      const e = Math.exp(d > 0 ? -d : d);
      const s = (d > 0 ? t1 : t2) + Math.log1p(e);
      const big = 1 / (1 + e), small = e * big;
      const w1 = d > 0 ? big : small, w2 = d > 0 ? small : big;
      const r = aD * s - lL[i];
      f += 0.5 * w * r * r;
      const wr = w * r;
      g0 += wr * w1 * dn;
      g1 += wr * (s - w1 * t1);
      g2 += wr * w1 * aN;
      g3 += wr * aD * w2;
    }
    if (g) { g[0] = g0; g[1] = g1; g[2] = g2; g[3] = g3; }
    return f;
  }
}

function kaplanStarts(): Float64Array {
  const al = [0.03, 0.07, 0.15, 0.3, 0.6];
  const lc = [15, 25, 35, 45];
  const out: number[] = [];
  for (const a of al) for (const b of al) for (const c of lc) for (const d of lc) out.push(a, b, c, d);
  return Float64Array.from(out);
}

function minimizeKaplan(obj: KaplanObjective, starts: Float64Array, solver: Lbfgs, signal?: AbortSignal): { x: Float64Array; f: number; ends: Array<{ x: Float64Array; f: number }> } {
  const fg = (x: Float64Array, g: Float64Array) => obj.fg(x, g);
  const x = new Float64Array(4);
  let best = new Float64Array(4), bestF = Infinity;
  const ends: Array<{ x: Float64Array; f: number }> = [];
  for (let s = 0; s < starts.length / 4; s++) {
    if ((s & 15) === 0) checkAbort(signal);
    for (let j = 0; j < 4; j++) x[j] = starts[4 * s + j];
    const r = solver.minimize(fg, x);
    if (!Number.isFinite(r.f)) continue;
    ends.push({ x: Float64Array.from(x), f: r.f });
    if (r.f < bestF) { bestF = r.f; best = Float64Array.from(x); }
  }
  return { x: best, f: bestF, ends };
}

/**
 * Rows above which the default ('fast') strategy runs the 400 starts on an evenly spaced subsample of
 * this many rows, then polishes the KAPLAN_SCREEN_KEEP best end points on every row: a start costs
 * its L-BFGS run times the rows, and on every row 400 of them took 6 s at 5,000 rows and 100 s at
 * 80,000 here. End points that agree to 1e-6 (relative) are polished once. `strategy: 'grid'` runs every
 * start on every row.
 */
export const KAPLAN_SCREEN_ROWS = 1000;
const KAPLAN_SCREEN_KEEP = 8;

/**
 * The least-squares optimum of the Kaplan law on log L (θ = α_N, α_D, ln N_c, ln D_c): every start on
 * every row, or (`screenRows` below the row count) the starts screened on every k-th row first.
 */
export function kaplanOptimum(
  lN: Float64Array, lD: Float64Array, lL: Float64Array,
  opts: { screenRows?: number; signal?: AbortSignal } = {},
): { x: Float64Array; f: number; screened?: number; polished?: number } {
  const obj = new KaplanObjective(lN, lD, lL);
  const solver = new Lbfgs(4, KAPLAN_LBFGS);
  const n = lN.length;
  const screenRows = opts.screenRows ?? Infinity;
  if (!(n > screenRows)) {
    const r = minimizeKaplan(obj, kaplanStarts(), solver, opts.signal);
    return { x: r.x, f: r.f };
  }
  const k = Math.ceil(n / screenRows);
  const pick = (a: Float64Array) => Float64Array.from({ length: Math.ceil(n / k) }, (_, j) => a[j * k]);
  const screen = minimizeKaplan(new KaplanObjective(pick(lN), pick(lD), pick(lL)), kaplanStarts(), solver, opts.signal);
  const keep: Array<{ x: Float64Array; f: number }> = [];
  for (const e of screen.ends.sort((a, b) => a.f - b.f)) {
    if (keep.length >= KAPLAN_SCREEN_KEEP) break;
    if (!keep.some((q) => q.x.every((v, j) => Math.abs(v - e.x[j]) <= 1e-6 * Math.max(1, Math.abs(v))))) keep.push(e);
  }
  const polished = minimizeKaplan(obj, Float64Array.from(keep.flatMap((e) => Array.from(e.x))), solver, opts.signal);
  return { x: polished.x, f: polished.f, screened: Math.ceil(n / k), polished: keep.length };
}

/** Fits the joint Kaplan law L(N, D) and L(C) on the compute frontier. */
/** What a bootstrap refit of the Kaplan law needs (posted to helper threads as is). */
export interface KaplanRefitPayload { lN: Float64Array; lD: Float64Array; lL: Float64Array; theta: Float64Array }

/**
 * One resample's refit: pairs-bootstrap weights, L-BFGS from the full-data optimum; writes θ. Its
 * steps are scaled by the full-data Hessian at the optimum (precondition.ts, as Chinchilla's refits):
 * the same minimum by a shorter path (α_N with ln N_c and α_D with ln D_c move together).
 */
export function kaplanRefit(p: KaplanRefitPayload): (rng: Rng, out: Float64Array) => boolean {
  const obj = new KaplanObjective(p.lN, p.lD, p.lL);
  const counts = new Float64Array(p.lN.length);
  const solver = new Lbfgs(4, KAPLAN_LBFGS);
  const fg = (x: Float64Array, g: Float64Array) => obj.fg(x, g);
  const refit = warmRefit(fg, p.theta, solver);
  obj.weights = counts;
  return (rng, out) => {
    resampleCounts(rng, counts);
    return Number.isFinite(refit(out));
  };
}

export function fitKaplan(N: ArrayLike<number>, D: ArrayLike<number>, L: ArrayLike<number>, opts: FitOptions = {}): ReportOf<'kaplan'> {
  const messages: string[] = [];
  const total = Math.min(N.length, D.length, L.length);
  const idx: number[] = [];
  for (let i = 0; i < total; i++) {
    if (N[i] > 0 && D[i] > 0 && L[i] > 0 && Number.isFinite(N[i]) && Number.isFinite(D[i]) && Number.isFinite(L[i])) idx.push(i);
  }
  if (idx.length < total) messages.push(`dropped ${total - idx.length} row(s) with missing or non-positive N, D or loss`);
  const n = idx.length;
  const dropped = total - n;
  const fail = (m: string) => ({ ...failedReport('kaplan', n, dropped, m), messages: [...messages, m] });
  if (n < 5) return fail(`too few points for Kaplan's L(N,D): ${n} valid, need at least 5`);
  const lN = Float64Array.from(idx, (i) => Math.log(N[i]));
  const lD = Float64Array.from(idx, (i) => Math.log(D[i]));
  const lL = Float64Array.from(idx, (i) => Math.log(L[i]));
  if (countDistinct(lN, 1e-3) < 2) return fail('one model size only: L(N,D) needs runs at several model sizes');
  if (countDistinct(lD, 1e-3) < 2) return fail('one token count only: L(N,D) needs runs on different numbers of tokens');
  const best = kaplanOptimum(lN, lD, lL, { screenRows: opts.strategy === 'grid' ? Infinity : KAPLAN_SCREEN_ROWS, signal: opts.signal });
  if (!Number.isFinite(best.f)) return fail('the optimiser found no finite objective for the Kaplan law');
  if (best.screened) messages.push(`the 400 starts screened on ${best.screened.toLocaleString('en-US')} evenly spaced of the ${n.toLocaleString('en-US')} rows, the best ${best.polished} distinct end point(s) polished on every row (strategy 'grid' runs every start on every row)`);
  const t = best.x;
  const p: KaplanParams = { alphaN: t[0], alphaD: t[1], Nc: Math.exp(t[2]), Dc: Math.exp(t[3]) };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += lL[i];
  mean /= n;
  let ssr = 0, sst = 0;
  for (let i = 0; i < n; i++) {
    ssr += (lL[i] - Math.log(kaplanLoss(p, Math.exp(lN[i]), Math.exp(lD[i])))) ** 2;
    sst += (lL[i] - mean) ** 2;
  }
  const params: KaplanFitParams = { ...p };
  const report: ReportOf<'kaplan'> = {
    law: 'kaplan', n, dropped, params, ci: {}, objective: best.f, r2: sst > 0 ? 1 - ssr / sst : NaN, messages, curves: [],
  };
  // L(C) on the compute frontier.
  const C = idx.map((i) => 6 * N[i] * D[i]);
  const order = C.map((_, j) => j).sort((a, b) => C[a] - C[b]);
  const fx: number[] = [], fy: number[] = [];
  let bestL = Infinity;
  for (const j of order) {
    const l = L[idx[j]];
    if (l < bestL) { bestL = l; fx.push(C[j]); fy.push(l); }
  }
  const pc = fitPowerLaw(fx, fy);
  if ('error' in pc) messages.push(`L(C) not fitted: ${pc.error}`);
  else {
    params.Cc = pc.xc;
    params.alphaC = pc.alpha;
    report.curves.push({ name: 'L(C) on the compute frontier', kind: 'frontier', x: logspace(fx[0], fx[fx.length - 1], 40), y: logspace(fx[0], fx[fx.length - 1], 40).map((c) => Math.pow(pc.xc / c, pc.alpha)) });
  }
  const nBoot = Math.max(0, Math.floor(opts.bootstrap ?? DEFAULT_BOOTSTRAP));
  if (nBoot > 0) {
    const payload: KaplanRefitPayload = { lN, lD, lL, theta: Float64Array.from(t) };
    const run = runBootstrap({
      resamples: nBoot, seed: opts.seed ?? DEFAULT_SEED, drawsPerResample: n, width: 4,
      refit: kaplanRefit(payload), job: { law: 'kaplan', payload: { ...payload } },
      costPerResample: n * 40, signal: opts.signal, onProgress: opts.onProgress,
    });
    const rows = run.rows.map((x) => [x[0], x[1], Math.exp(x[2]), Math.exp(x[3])]);
    const level = opts.ciLevel ?? DEFAULT_CI_LEVEL;
    const q = (1 - level) / 2;
    (['alphaN', 'alphaD', 'Nc', 'Dc'] as const).forEach((k, j) => {
      const v = rows.map((r) => r[j]);
      report.ci[k] = [percentile(v, q), percentile(v, 1 - q)];
    });
    messages.push(`${Math.round(level * 100)}% bootstrap percentile intervals from ${rows.length} resamples (warm-started; seed ${opts.seed ?? DEFAULT_SEED})`);
  }
  // Fitted curves: loss vs D for a few model sizes.
  const sorted = Float64Array.from(lN).sort();
  const [lDmin, lDmax] = extent(lD);
  const dmin = Math.exp(lDmin), dmax = Math.exp(lDmax);
  for (const qq of [0, 0.5, 1]) {
    const Nv = Math.exp(sorted[Math.round(qq * (sorted.length - 1))]);
    const xs = logspace(dmin, dmax, 40);
    report.curves.push({ name: `N = ${Nv.toExponential(2)}`, kind: 'fit', x: xs, y: xs.map((d) => kaplanLoss(p, Nv, d)) });
  }
  opts.onProgress?.(1);
  return report;
}

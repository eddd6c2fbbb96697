/**
 * One training run: L(x) = E + B/x^β with E ≥ 0, B ≥ 0, where x is tokens (or steps, or FLOPs —
 * the same law, x being what the log gives).
 *
 * Fitting choice: least squares on the loss itself (not its log), by variable projection: for a fixed
 * β the model is linear in (E, B), solved exactly with the non-negativity constraints; the profile
 * sum of squares is scanned over log β ∈ [1e-3, 5] and refined by golden section. Deterministic and
 * free of start values. Long curves are first averaged into ≤ 1000 consecutive bins (weights = counts)
 * so the fit and the bootstrap stay fast; objective and R² are computed on the raw points.
 *
 * Band: moving-block bootstrap (blocks of ⌈n^(1/3)⌉ consecutive bins, seeded), which keeps the
 * autocorrelation of a real loss curve; percentile band of the refitted curves.
 */
import { blockResampleCounts, percentile } from './rng';
import { runBootstrap } from './bootstrap';
import { minimize1d } from './allocation';
import { DEFAULT_BOOTSTRAP, DEFAULT_CI_LEVEL, DEFAULT_SEED, logspace } from './chinchilla';
import { Curve, failedReport, FitOptions, FitReport } from './types';

export interface RunParams {
  E: number;
  B: number;
  beta: number;
}

export const DEFAULT_SKIP_FRACTION = 0.1;
const MAX_BINS = 1000;

export function runLoss(p: RunParams, x: number): number {
  return p.E + p.B * Math.pow(x, -p.beta);
}

/** Profile least squares of L = E + B (x/xs)^−β over (E, B) ≥ 0 at a given β, weighted. */
function profile(
  lx: Float64Array, y: Float64Array, w: Float64Array, beta: number, out?: Float64Array,
): number {
  let s1 = 0, su = 0, suu = 0, sy = 0, suy = 0, syy = 0;
  for (let i = 0; i < lx.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const u = Math.exp(-beta * lx[i]);
    const yi = y[i];
    s1 += wi; su += wi * u; suu += wi * u * u; sy += wi * yi; suy += wi * u * yi; syy += wi * yi * yi;
  }
  let E: number, B: number;
  const det = s1 * suu - su * su;
  E = det > 0 ? (sy * suu - su * suy) / det : NaN;
  B = det > 0 ? (s1 * suy - su * sy) / det : NaN;
  if (!(E >= 0 && B >= 0)) {
    // Boundary solutions: E = 0 or B = 0, whichever fits better.
    const B0 = suu > 0 ? Math.max(0, suy / suu) : 0;
    const sse0 = syy - 2 * B0 * suy + B0 * B0 * suu;
    const E1 = s1 > 0 ? Math.max(0, sy / s1) : 0;
    const sse1 = syy - 2 * E1 * sy + E1 * E1 * s1;
    if (sse0 <= sse1) { E = 0; B = B0; } else { E = E1; B = 0; }
  }
  if (out) { out[0] = E; out[1] = B; }
  return syy - 2 * (E * sy + B * suy) + E * E * s1 + 2 * E * B * su + B * B * suu;
}

/** Fits (E, B, β) on log x already divided by the scale; B is returned in scaled units. */
function solve(lx: Float64Array, y: Float64Array, w: Float64Array, bracket?: [number, number]): RunParams {
  const lo = bracket ? bracket[0] : Math.log(1e-3);
  const hi = bracket ? bracket[1] : Math.log(5);
  const lb = minimize1d((t) => profile(lx, y, w, Math.exp(t)), lo, hi, bracket ? 40 : 160);
  const beta = Math.exp(lb);
  const c = new Float64Array(2);
  profile(lx, y, w, beta, c);
  return { E: c[0], B: c[1], beta };
}

export interface RunFitOptions extends FitOptions {
  xKind?: 'tokens' | 'step' | 'flops';
}

/** Fits L(x) = E + B/x^β to one run's curve and extrapolates to opts.targetTokens (default 10× the last x). */
export function fitRunCurve(x: ArrayLike<number>, loss: ArrayLike<number>, opts: RunFitOptions = {}): FitReport {
  const messages: string[] = [];
  const xKind = opts.xKind ?? 'tokens';
  const total = Math.min(x.length, loss.length);
  const idx: number[] = [];
  for (let i = 0; i < total; i++) {
    if (x[i] > 0 && loss[i] > 0 && Number.isFinite(x[i]) && Number.isFinite(loss[i])) idx.push(i);
  }
  const bad = total - idx.length;
  if (bad > 0) messages.push(`dropped ${bad} point(s) with missing or non-positive ${xKind} or loss`);
  idx.sort((p, q) => x[p] - x[q]);
  const skip = Math.min(0.9, Math.max(0, opts.skipFraction ?? DEFAULT_SKIP_FRACTION));
  const nSkip = Math.floor(idx.length * skip);
  if (nSkip > 0) messages.push(`ignored the first ${nSkip} point(s) (${Math.round(skip * 100)}% warm-up)`);
  const used = idx.slice(nSkip);
  const n = used.length;
  const dropped = total - n;
  const fail = (m: string) => ({ ...failedReport('run', n, dropped, m), xKind, messages: [...messages, m] });
  if (n < 4) return fail(`too few points for L = E + B/x^β: ${n} usable after warm-up, need at least 4`);
  const xs = used.map((i) => x[i]);
  const ys = used.map((i) => loss[i]);
  let distinct = 1;
  for (let i = 1; i < n; i++) if (xs[i] > xs[i - 1] * (1 + 1e-9)) distinct++;
  if (distinct < 3) return fail(`the curve has only ${distinct} distinct ${xKind} value(s); need at least 3`);
  if (xs[n - 1] / xs[0] < 1.5) messages.push(`the fitted range spans only ${(xs[n - 1] / xs[0]).toFixed(2)}× in ${xKind}: extrapolation is unreliable`);

  // Bin consecutive points (equal counts) when the curve is long.
  const nb = Math.min(n, MAX_BINS);
  const lxB = new Float64Array(nb), yB = new Float64Array(nb), wB = new Float64Array(nb);
  const scale = xs[n - 1];
  for (let b = 0; b < nb; b++) {
    const from = Math.floor((b * n) / nb), to = Math.floor(((b + 1) * n) / nb);
    let sx = 0, sy = 0;
    for (let i = from; i < to; i++) { sx += Math.log(xs[i] / scale); sy += ys[i]; }
    const c = to - from;
    lxB[b] = sx / c; yB[b] = sy / c; wB[b] = c;
  }
  const toParams = (q: RunParams): RunParams => ({ E: q.E, B: q.B * Math.pow(scale, q.beta), beta: q.beta });
  const fitScaled = solve(lxB, yB, wB);
  const p = toParams(fitScaled);
  let sse = 0, mean = 0;
  const ly = ys.map(Math.log);
  for (let i = 0; i < n; i++) { sse += (ys[i] - runLoss(p, xs[i])) ** 2; mean += ly[i]; }
  mean /= n;
  let ssr = 0, sst = 0;
  for (let i = 0; i < n; i++) { ssr += (ly[i] - Math.log(runLoss(p, xs[i]))) ** 2; sst += (ly[i] - mean) ** 2; }
  const report: FitReport = {
    law: 'run', n, dropped, xKind,
    params: { E: p.E, B: p.B, beta: p.beta },
    ci: {}, objective: sse, r2: sst > 0 ? 1 - ssr / sst : NaN, messages, curves: [],
  };
  if (p.B === 0) messages.push('the loss does not decrease over the fitted range: no power law to fit');
  else if (p.E === 0) messages.push('E is at its bound 0: the curve shows no floor yet (pure power law)');
  if (p.beta > 4.9 || p.beta < 0.0011) messages.push(`β = ${p.beta.toPrecision(3)} is at the edge of the search range`);

  const target = opts.targetTokens && opts.targetTokens > 0 ? opts.targetTokens : 10 * xs[n - 1];
  const xFit = logspace(xs[0], xs[n - 1], 80);
  const xExt = target > xs[n - 1] ? logspace(xs[n - 1], target, 40) : [target];
  xExt[xExt.length - 1] = target;
  const B = Math.max(0, Math.floor(opts.bootstrap ?? DEFAULT_BOOTSTRAP));
  const boot: RunParams[] = [];
  if (B > 0 && p.B > 0) {
    const counts = new Float64Array(nb);
    const w = new Float64Array(nb);
    const block = Math.ceil(Math.cbrt(nb));
    const lb = Math.log(fitScaled.beta);
    const bracket: [number, number] = [Math.max(Math.log(1e-3), lb - 2.5), Math.min(Math.log(5), lb + 2.5)];
    // At most MAX_BINS points and a 1-D search per resample: cheap, so on this thread only.
    const run = runBootstrap({
      resamples: B, seed: opts.seed ?? DEFAULT_SEED, drawsPerResample: Math.ceil(nb / Math.min(nb, block)), width: 3,
      signal: opts.signal, onProgress: opts.onProgress,
      refit: (rng, out) => {
        blockResampleCounts(rng, counts, block);
        for (let i = 0; i < nb; i++) w[i] = counts[i] * wB[i];
        const q = toParams(solve(lxB, yB, w, bracket));
        out[0] = q.E; out[1] = q.B; out[2] = q.beta;
        return true;
      },
    });
    for (const x of run.rows) boot.push({ E: x[0], B: x[1], beta: x[2] });
    const level = opts.ciLevel ?? DEFAULT_CI_LEVEL;
    const qlo = (1 - level) / 2, qhi = 1 - qlo;
    for (const k of ['E', 'B', 'beta'] as const) {
      const v = boot.map((q) => q[k]);
      report.ci[k] = [percentile(v, qlo), percentile(v, qhi)];
    }
    const at = (xv: number) => boot.map((q) => runLoss(q, xv));
    const pv = at(target);
    report.prediction = { tokens: target, loss: runLoss(p, target), lo: percentile(pv, qlo), hi: percentile(pv, qhi) };
    const ext: Curve = {
      name: `extrapolation to ${target.toExponential(2)}`, kind: 'extrapolation', x: xExt, y: xExt.map((v) => runLoss(p, v)),
      lo: xExt.map((v) => percentile(at(v), qlo)), hi: xExt.map((v) => percentile(at(v), qhi)),
    };
    report.curves.push({ name: 'fit', kind: 'fit', x: xFit, y: xFit.map((v) => runLoss(p, v)) }, ext);
    messages.push(`${Math.round(level * 100)}% moving-block bootstrap band from ${B} resamples (seed ${opts.seed ?? DEFAULT_SEED})`);
  } else {
    const yl = runLoss(p, target);
    report.prediction = { tokens: target, loss: yl, lo: NaN, hi: NaN };
    report.curves.push(
      { name: 'fit', kind: 'fit', x: xFit, y: xFit.map((v) => runLoss(p, v)) },
      { name: `extrapolation to ${target.toExponential(2)}`, kind: 'extrapolation', x: xExt, y: xExt.map((v) => runLoss(p, v)) },
    );
  }
  opts.onProgress?.(1);
  return report;
}

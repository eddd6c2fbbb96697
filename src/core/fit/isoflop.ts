/**
 * Chinchilla Approach 2 (isoFLOP profiles): group runs by compute budget, fit a parabola of loss in
 * log N per budget and take its minimum N*; when the table has a tokens column, fit a parabola of
 * loss in log D too and take its minimum D* (else D* = C/(6N*), which forces a + b = 1). Then
 * log N* = a log C + const and log D* = b log C + const by ordinary least squares: a and b are each
 * fitted from the data. Stratified bootstrap (points resampled within each budget) gives intervals
 * for a and b.
 */
import { percentile } from './rng';
import { runBootstrap } from './bootstrap';
import { extent } from '../downsample';
import { DEFAULT_BOOTSTRAP, DEFAULT_CI_LEVEL, DEFAULT_SEED } from './chinchilla';
import { Curve, failedReport, FitOptions, ReportOf } from './types';

export interface IsoflopGroup {
  budget: number;
  /** Row indices (into the input arrays) of the group. */
  rows: number[];
}

/**
 * Groups rows by budget: the given per-row budgets (equal within 1e-6 relative), else C = 6ND
 * clustered in log10 with gaps wider than 0.05 decades separating budgets.
 */
export function groupByBudget(N: ArrayLike<number>, D: ArrayLike<number>, budget?: ArrayLike<number>, rows?: number[]): IsoflopGroup[] {
  const idx = rows ?? Array.from({ length: N.length }, (_, i) => i);
  const c = (i: number) => (budget ? budget[i] : 6 * N[i] * D[i]);
  const sorted = idx.filter((i) => c(i) > 0 && Number.isFinite(c(i))).sort((p, q) => c(p) - c(q));
  const groups: IsoflopGroup[] = [];
  // Given budgets are grouped exactly, unless they look like per-run FLOPs (mostly distinct values).
  let exact = !!budget;
  if (budget && sorted.length > 0) {
    let distinct = 1;
    for (let k = 1; k < sorted.length; k++) if (Math.log(c(sorted[k]) / c(sorted[k - 1])) > 1e-6) distinct++;
    if (distinct > sorted.length / 2) exact = false;
  }
  const tol = exact ? 1e-6 : 0.05 * Math.LN10;
  let cur: number[] = [];
  let prev = NaN;
  const flush = () => {
    if (cur.length === 0) return;
    let s = 0;
    for (const i of cur) s += Math.log(c(i));
    groups.push({ budget: exact ? c(cur[0]) : Math.exp(s / cur.length), rows: cur });
    cur = [];
  };
  for (const i of sorted) {
    const l = Math.log(c(i));
    if (cur.length > 0 && l - prev > tol) flush();
    cur.push(i);
    prev = l;
  }
  flush();
  return groups;
}

interface Vertex { x: number; y: number; c2: number; c1: number; c0: number; mean: number }

/** Weighted least-squares parabola y = c0 + c1 t + c2 t², t = x − mean(x); its vertex. */
function parabola(xs: number[], ys: number[], w?: number[]): Vertex | undefined {
  let sw = 0, sx = 0;
  for (let i = 0; i < xs.length; i++) { const wi = w ? w[i] : 1; sw += wi; sx += wi * xs[i]; }
  if (sw === 0) return undefined;
  const mean = sx / sw;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, r0 = 0, r1 = 0, r2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    const t = xs[i] - mean, t2 = t * t, y = ys[i];
    s0 += wi; s1 += wi * t; s2 += wi * t2; s3 += wi * t2 * t; s4 += wi * t2 * t2;
    r0 += wi * y; r1 += wi * t * y; r2 += wi * t2 * y;
  }
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  if (!(Math.abs(det) > 1e-300)) return undefined;
  const c0 = (r0 * (s2 * s4 - s3 * s3) - s1 * (r1 * s4 - s3 * r2) + s2 * (r1 * s3 - s2 * r2)) / det;
  const c1 = (s0 * (r1 * s4 - s3 * r2) - r0 * (s1 * s4 - s3 * s2) + s2 * (s1 * r2 - r1 * s2)) / det;
  const c2 = (s0 * (s2 * r2 - r1 * s3) - s1 * (s1 * r2 - r1 * s2) + r0 * (s1 * s3 - s2 * s2)) / det;
  const t = -c1 / (2 * c2);
  return { x: mean + t, y: c0 + c1 * t + c2 * t * t, c0, c1, c2, mean };
}

/** OLS y = slope x + intercept, with R² and the residual sum of squares. */
export function linearFit(x: number[], y: number[]): { slope: number; intercept: number; r2: number; sse: number } {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); syy += (y[i] - my) ** 2; }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - intercept - slope * x[i]) ** 2;
  return { slope, intercept, r2: syy > 0 ? 1 - sse / syy : NaN, sse };
}

export interface IsoflopOptions extends FitOptions {
  /** Per-row compute budgets (a budget column); otherwise C = 6ND bucketed. */
  budgets?: ArrayLike<number>;
  /**
   * D is the table's own tokens column (not C/(6N)): the optimal tokens per budget then come from a
   * parabola in log D, and b is fitted from them.
   */
  tokensGiven?: boolean;
}

interface Minimum { budget: number; N: number; D: number; loss: number; vertex: Vertex; xs: number[]; dFromTokens: boolean }

function minima(groups: IsoflopGroup[], lN: number[], L: ArrayLike<number>, weights: number[] | undefined, messages: string[] | undefined, lD?: number[]): Minimum[] {
  const out: Minimum[] = [];
  for (const g of groups) {
    const xs = g.rows.map((i) => lN[i]);
    const ys = g.rows.map((i) => L[i]);
    const w = weights ? g.rows.map((i) => weights[i]) : undefined;
    const distinct = new Set(xs.filter((_, j) => !w || w[j] > 0).map((v) => v.toFixed(6))).size;
    if (distinct < 3) {
      messages?.push(`budget ${g.budget.toExponential(2)}: ${distinct} model size(s), need at least 3 for a parabola; skipped`);
      continue;
    }
    const v = parabola(xs, ys, w);
    if (!v || !(v.c2 > 0)) {
      messages?.push(`budget ${g.budget.toExponential(2)}: the loss is not convex in log N (no minimum); skipped`);
      continue;
    }
    const [lo, hi] = extent(xs);
    if (v.x < lo || v.x > hi) {
      messages?.push(`budget ${g.budget.toExponential(2)}: the parabola's minimum lies outside the sampled model sizes; skipped`);
      continue;
    }
    const N = Math.exp(v.x);
    let D = g.budget / (6 * N);
    let dFromTokens = false;
    if (lD) {
      const ds = g.rows.map((i) => lD[i]);
      const vd = parabola(ds, ys, w);
      const [dLo, dHi] = extent(ds);
      if (vd && vd.c2 > 0 && vd.x >= dLo && vd.x <= dHi) {
        D = Math.exp(vd.x);
        dFromTokens = true;
      }
    }
    out.push({ budget: g.budget, N, D, loss: v.y, vertex: v, xs, dFromTokens });
  }
  return out;
}

/** Approach 2 on a sweep: N, D, loss per run, optional per-row budgets. */
export function fitIsoflop(N: ArrayLike<number>, D: ArrayLike<number>, L: ArrayLike<number>, opts: IsoflopOptions = {}): ReportOf<'isoflop'> {
  const messages: string[] = [];
  const total = Math.min(N.length, D.length, L.length);
  const B = opts.budgets;
  const valid: number[] = [];
  for (let i = 0; i < total; i++) {
    const ok = N[i] > 0 && D[i] > 0 && L[i] > 0 && Number.isFinite(N[i]) && Number.isFinite(D[i]) && Number.isFinite(L[i]) &&
      (!B || (B[i] > 0 && Number.isFinite(B[i])));
    if (ok) valid.push(i);
  }
  if (valid.length < total) messages.push(`dropped ${total - valid.length} row(s) with missing or non-positive values`);
  const lN = Array.from({ length: total }, (_, i) => Math.log(N[i]));
  const groups = groupByBudget(N, D, B, valid);
  if (!B) messages.push(`budgets from C = 6ND, grouped into ${groups.length} bucket(s)`);
  const lD = opts.tokensGiven ? Array.from({ length: total }, (_, i) => Math.log(D[i])) : undefined;
  const mins = minima(groups, lN, L, undefined, messages, lD);
  const usedRows = new Set<number>();
  for (const g of groups) if (mins.some((m) => m.budget === g.budget)) for (const i of g.rows) usedRows.add(i);
  const n = usedRows.size;
  const dropped = total - n;
  if (mins.length < 2) {
    return { ...failedReport('isoflop', n, dropped, `isoFLOP needs at least 2 budgets with a usable parabola (≥ 3 model sizes each); found ${mins.length}`), messages: [...messages, `isoFLOP needs at least 2 budgets with a usable parabola (≥ 3 model sizes each); found ${mins.length}`] };
  }
  if (mins.length < 3) messages.push('only 2 budgets: the exponents are exact through 2 points, with no check of the fit');
  if (lD) {
    const fromTokens = mins.filter((m) => m.dFromTokens).length;
    messages.push(`optimal tokens D* from a parabola of the loss in log D (the tokens column) at ${fromTokens} of ${mins.length} budgets${fromTokens < mins.length ? ', C/(6N*) at the others' : ''}: a and b are fitted independently`);
  } else {
    messages.push('no tokens column: D* = C/(6N*), so b = 1 − a by construction');
  }
  const lc = mins.map((m) => Math.log(m.budget));
  const fN = linearFit(lc, mins.map((m) => Math.log(m.N)));
  const fD = linearFit(lc, mins.map((m) => Math.log(m.D)));
  const a = fN.slope, b = fD.slope;
  const N0 = Math.exp(fN.intercept), D0 = Math.exp(fD.intercept);
  const report: ReportOf<'isoflop'> = {
    law: 'isoflop', n, dropped,
    params: { a, b, N0, D0, budgets: mins.length },
    ci: {}, objective: fN.sse, r2: fN.r2, messages, curves: [],
  };
  const maxC = extent(mins.map((m) => m.budget))[1];
  const C = opts.budget && opts.budget > 0 ? opts.budget : maxC;
  const Nc = N0 * Math.pow(C, a), Dc = D0 * Math.pow(C, b);
  report.optimal = { a, b, G: N0 * Math.pow(6, a), tokensPerParam: Dc / Nc };
  if (opts.budget && opts.budget > 0) {
    const fl = linearFit(lc, mins.map((m) => Math.log(m.loss)));
    report.allocation = { budget: C, N: Nc, D: Dc, loss: Math.exp(fl.intercept + fl.slope * Math.log(C)), tokensPerParam: Dc / Nc };
    messages.push('allocation loss from a power law through the isoFLOP minima');
  } else {
    messages.push(`tokens per parameter at the largest budget, C = ${C.toExponential(2)} FLOPs`);
  }
  // Stratified bootstrap of a and b.
  const nBoot = Math.max(0, Math.floor(opts.bootstrap ?? DEFAULT_BOOTSTRAP));
  if (nBoot > 0) {
    const w = new Array<number>(total).fill(0);
    const usable = groups.filter((g) => mins.some((m) => m.budget === g.budget));
    // Parabola fits per budget: cheap, so on this thread only.
    const run = runBootstrap({
      resamples: nBoot, seed: opts.seed ?? DEFAULT_SEED, drawsPerResample: usable.reduce((s, g) => s + g.rows.length, 0), width: 2,
      signal: opts.signal,
      refit: (rng, out) => {
        w.fill(0);
        for (const g of usable) for (let k = 0; k < g.rows.length; k++) w[g.rows[Math.floor(rng() * g.rows.length)]] += 1;
        const m = minima(usable, lN, L, w, undefined, lD);
        if (m.length < 2) return false;
        const x = m.map((q) => Math.log(q.budget));
        out[0] = linearFit(x, m.map((q) => Math.log(q.N))).slope;
        out[1] = linearFit(x, m.map((q) => Math.log(q.D))).slope;
        return true;
      },
    });
    const as = run.rows.map((x) => x[0]), bs = run.rows.map((x) => x[1]);
    const level = opts.ciLevel ?? DEFAULT_CI_LEVEL;
    const qlo = (1 - level) / 2;
    report.ci.a = [percentile(as, qlo), percentile(as, 1 - qlo)];
    report.ci.b = [percentile(bs, qlo), percentile(bs, 1 - qlo)];
    messages.push(`${Math.round(level * 100)}% stratified bootstrap intervals from ${as.length} resamples (seed ${opts.seed ?? DEFAULT_SEED})`);
  }
  const curves: Curve[] = [];
  for (const m of mins) {
    const [lo, hi] = extent(m.xs);
    const x: number[] = [], y: number[] = [];
    for (let k = 0; k <= 30; k++) {
      const l = lo + ((hi - lo) * k) / 30;
      const t = l - m.vertex.mean;
      x.push(Math.exp(l));
      y.push(m.vertex.c0 + m.vertex.c1 * t + m.vertex.c2 * t * t);
    }
    curves.push({ name: `C = ${m.budget.toExponential(2)}`, kind: 'isoflop', x, y });
  }
  curves.push({ name: 'isoFLOP minima', kind: 'frontier', x: mins.map((m) => m.N), y: mins.map((m) => m.loss) });
  report.curves = curves;
  return report;
}

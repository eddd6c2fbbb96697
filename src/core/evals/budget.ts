/**
 * Thinking-budget curves: accuracy against the log of the thinking (or generated) tokens per query,
 * one logistic with a floor and a ceiling per model:
 *   acc(t) = floor + (ceiling − floor) · σ(slope · (ln t − mid)),   σ(z) = 1/(1 + e^(−z))
 * (the S-shaped accuracy-vs-log-compute curves of test-time scaling reports, e.g. OpenAI o1 2024,
 * Muennighoff et al. 2025 "s1"). Least squares with L-BFGS on unconstrained parameters
 * floor = σ(u0), ceiling = floor + (1 − floor)·σ(u1), slope = e^(u2), mid = u3 — so
 * 0 ≤ floor ≤ ceiling ≤ 1 and slope > 0 hold by construction.
 */
import { Lbfgs } from '../fit/lbfgs';
import { extent } from '../downsample';

export interface LogisticParams {
  floor: number;
  ceiling: number;
  /** Per unit of ln(tokens). */
  slope: number;
  /** ln(tokens) at the midpoint between floor and ceiling. */
  mid: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function logisticAccuracy(p: LogisticParams, tokens: number): number {
  return p.floor + (p.ceiling - p.floor) * sigmoid(p.slope * (Math.log(tokens) - p.mid));
}

/** Tokens per query at which the curve reaches `target` (Infinity when it never does, 0 when the floor does). */
export function tokensForAccuracy(p: LogisticParams, target: number): number {
  if (target <= p.floor) return 0;
  if (target >= p.ceiling) return Infinity;
  const q = (target - p.floor) / (p.ceiling - p.floor);
  return Math.exp(p.mid + Math.log(q / (1 - q)) / p.slope);
}

export interface BudgetFit {
  params: LogisticParams;
  /** Points used. */
  n: number;
  rmse: number;
  r2: number;
  /** Range of tokens seen (the curve is drawn, and trusted, only near it). */
  tokenRange: [number, number];
  notes: string[];
}

function fromTheta(u: ArrayLike<number>): LogisticParams {
  const floor = sigmoid(u[0]);
  return { floor, ceiling: floor + (1 - floor) * sigmoid(u[1]), slope: Math.exp(u[2]), mid: u[3] };
}

/** Fits the logistic to (tokens, accuracy) points; accuracy as a fraction in [0, 1]. */
export function fitBudgetCurve(tokens: ArrayLike<number>, accuracy: ArrayLike<number>): BudgetFit {
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i], a = accuracy[i];
    if (t > 0 && Number.isFinite(t) && a >= 0 && a <= 1) { xs.push(Math.log(t)); ys.push(a); }
  }
  const n = xs.length;
  const notes: string[] = [];
  const levels = new Set(xs).size;
  if (levels < 3) throw new Error(`a thinking-budget curve needs at least 3 different token budgets (got ${levels})`);
  if (levels < 5) notes.push(`only ${levels} token budgets for 4 parameters: floor and ceiling are poorly determined`);
  const [xMin, xMax] = extent(xs);
  const span = Math.max(1e-6, xMax - xMin);
  // Scale for the fit: z = (x − xMin)/span keeps the slope and midpoint of order one.
  const zs = xs.map((x) => (x - xMin) / span);
  const r = new Float64Array(n);
  const fg = (u: Float64Array, g: Float64Array): number => {
    const F = sigmoid(u[0]), s1 = sigmoid(u[1]), k = Math.exp(u[2]), m = u[3];
    const C = F + (1 - F) * s1;
    let f = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
    for (let i = 0; i < n; i++) {
      const s = sigmoid(k * (zs[i] - m));
      const pred = F + (C - F) * s;
      const ri = pred - ys[i];
      r[i] = ri;
      f += 0.5 * ri * ri;
      const dF = 1 - s, dC = s, ds = (C - F) * s * (1 - s);
      g0 += ri * (dF * F * (1 - F) + dC * F * (1 - F) * (1 - s1));
      g1 += ri * dC * (1 - F) * s1 * (1 - s1);
      g2 += ri * ds * (zs[i] - m) * k;
      g3 -= ri * ds * k;
    }
    // A faint pull keeps u0, u1 finite when the data sit on a bound (floor 0 or ceiling 1).
    const ridge = 1e-9;
    f += 0.5 * ridge * (u[0] * u[0] + u[1] * u[1]);
    g[0] = g0 + ridge * u[0]; g[1] = g1 + ridge * u[1]; g[2] = g2; g[3] = g3;
    return f;
  };
  const [yMin, yMax] = extent(ys);
  const logit = (p: number) => Math.log(p / (1 - p));
  const f0 = Math.min(0.98, Math.max(0.001, yMin * 0.9));
  const c0 = Math.min(0.999, Math.max(f0 + 0.01, yMax + (1 - yMax) * 0.1));
  const u1 = logit(Math.min(0.999, Math.max(0.001, (c0 - f0) / (1 - f0))));
  const opt = new Lbfgs(4, { gtol: 1e-12, ftol: 1e-15, fmin: 1e-12, maxIterations: 2000 });
  let best: { u: Float64Array; f: number } | undefined;
  const g = new Float64Array(4);
  for (const slope of [2, 6, 15]) {
    for (const mid of [0.2, 0.5, 0.8]) {
      for (const [uf, uc] of [[logit(f0), u1], [logit(0.01), logit(0.98)]]) {
        const u = Float64Array.of(uf, uc, Math.log(slope), mid);
        const res = opt.minimize(fg, u);
        if (Number.isFinite(res.f) && (!best || res.f < best.f)) best = { u, f: res.f };
      }
    }
  }
  if (!best) throw new Error('the logistic budget fit did not converge');
  fg(best.u, g);
  const pz = fromTheta(best.u);
  // Back to ln(tokens): z = (x − xMin)/span → slope_x = slope_z/span, mid_x = xMin + mid_z·span.
  const params: LogisticParams = { floor: pz.floor, ceiling: pz.ceiling, slope: pz.slope / span, mid: xMin + pz.mid * span };
  let ss = 0, st = 0;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  for (let i = 0; i < n; i++) { ss += r[i] * r[i]; st += (ys[i] - my) ** 2; }
  if (params.mid < xMin || params.mid > xMax) {
    notes.push('the midpoint of the curve lies outside the measured budgets: the floor or the ceiling is an extrapolation');
  }
  return { params, n, rmse: Math.sqrt(ss / n), r2: st > 0 ? 1 - ss / st : 1, tokenRange: [Math.exp(xMin), Math.exp(xMax)], notes };
}

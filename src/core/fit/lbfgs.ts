/**
 * L-BFGS (Nocedal & Wright 2006, Alg. 7.4/7.5) with a strong-Wolfe line search
 * (Alg. 3.5/3.6, safeguarded cubic interpolation in the zoom phase).
 * Allocation-free per iteration: one `Lbfgs` instance owns all work arrays and can be reused
 * for many starts of the same dimension.
 */

/** f(x) with its gradient written into g. Must not keep x or g. */
export type ObjectiveGradient = (x: Float64Array, g: Float64Array) => number;

export interface LbfgsOptions {
  /** Number of correction pairs kept. */
  memory: number;
  maxIterations: number;
  maxEvaluations: number;
  /** Stop when max |g_i| ≤ gtol. */
  gtol: number;
  /** Stop when (f_prev − f) ≤ ftol · max(|f_prev|, |f|, fmin). */
  ftol: number;
  /** Floor of the scale in the ftol test (objective values near 0). */
  fmin: number;
  /** Sufficient decrease (Armijo) constant. */
  c1: number;
  /** Curvature constant (strong Wolfe). */
  c2: number;
  /**
   * Zoom safeguard: a trial step stays at least this fraction of the bracket away from its ends
   * (0.1 is the textbook value; smaller lets the cubic step cut a far too long first trial faster).
   */
  zoomGuard: number;
}

export const DEFAULT_LBFGS_OPTIONS: Readonly<LbfgsOptions> = Object.freeze({
  memory: 10,
  maxIterations: 3000,
  maxEvaluations: 20000,
  gtol: 1e-11,
  ftol: 1e-12,
  fmin: 1e-12,
  c1: 1e-4,
  c2: 0.9,
  zoomGuard: 0.1,
});

export type StopReason = 'gtol' | 'ftol' | 'maxIterations' | 'maxEvaluations' | 'lineSearch' | 'nonFinite';

export interface LbfgsResult {
  f: number;
  iterations: number;
  evaluations: number;
  reason: StopReason;
}

export class Lbfgs {
  readonly n: number;
  readonly opts: LbfgsOptions;
  private readonly S: Float64Array[];
  private readonly Y: Float64Array[];
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  private readonly d: Float64Array;
  private readonly g: Float64Array;
  private readonly xt: Float64Array;
  private readonly gt: Float64Array;
  private evals = 0;

  constructor(n: number, opts: Partial<LbfgsOptions> = {}) {
    this.n = n;
    this.opts = { ...DEFAULT_LBFGS_OPTIONS, ...opts };
    const m = this.opts.memory;
    this.S = Array.from({ length: m }, () => new Float64Array(n));
    this.Y = Array.from({ length: m }, () => new Float64Array(n));
    this.rho = new Float64Array(m);
    this.alpha = new Float64Array(m);
    this.d = new Float64Array(n);
    this.g = new Float64Array(n);
    this.xt = new Float64Array(n);
    this.gt = new Float64Array(n);
  }

  /** Minimises fg from x (updated in place to the minimiser found). */
  minimize(fg: ObjectiveGradient, x: Float64Array): LbfgsResult {
    const { n, S, Y, rho, alpha, d, g, xt, gt } = this;
    const o = this.opts;
    const m = o.memory;
    this.evals = 1;
    let f = fg(x, g);
    if (!Number.isFinite(f) || !allFinite(g)) return { f, iterations: 0, evaluations: 1, reason: 'nonFinite' };
    let stored = 0; // number of valid pairs
    let head = 0; // index of the next slot to write
    let iter = 0;
    let resetOnce = false;
    while (true) {
      if (maxAbs(g) <= o.gtol) return { f, iterations: iter, evaluations: this.evals, reason: 'gtol' };
      if (iter >= o.maxIterations) return { f, iterations: iter, evaluations: this.evals, reason: 'maxIterations' };
      if (this.evals >= o.maxEvaluations) return { f, iterations: iter, evaluations: this.evals, reason: 'maxEvaluations' };
      // Two-loop recursion: d = −H g.
      for (let i = 0; i < n; i++) d[i] = -g[i];
      let k = head;
      for (let j = 0; j < stored; j++) {
        k = (k - 1 + m) % m;
        const a = rho[k] * dot(S[k], d, n);
        alpha[k] = a;
        axpy(-a, Y[k], d, n);
      }
      let step0: number;
      if (stored > 0) {
        const last = (head - 1 + m) % m;
        const gamma = dot(S[last], Y[last], n) / dot(Y[last], Y[last], n);
        for (let i = 0; i < n; i++) d[i] *= gamma;
        step0 = 1;
      } else {
        const gn = Math.sqrt(dot(g, g, n));
        step0 = Math.min(1, 1 / gn);
      }
      for (let j = 0; j < stored; j++) {
        const b = rho[k] * dot(Y[k], d, n);
        axpy(alpha[k] - b, S[k], d, n);
        k = (k + 1) % m;
      }
      let dphi0 = dot(g, d, n);
      if (!(dphi0 < 0)) {
        // Not a descent direction (numerical trouble): restart from steepest descent.
        for (let i = 0; i < n; i++) d[i] = -g[i];
        stored = 0;
        dphi0 = dot(g, d, n);
        step0 = Math.min(1, 1 / Math.sqrt(-dphi0));
        if (!(dphi0 < 0)) return { f, iterations: iter, evaluations: this.evals, reason: 'gtol' };
      }
      const fPrev = f;
      const step = this.lineSearch(fg, x, f, dphi0, step0);
      if (step <= 0) {
        if (stored > 0 && !resetOnce) {
          // Retry once with steepest descent before giving up.
          stored = 0;
          resetOnce = true;
          continue;
        }
        return { f, iterations: iter, evaluations: this.evals, reason: 'lineSearch' };
      }
      resetOnce = false;
      // xt, gt hold the accepted point. Store s = xt − x, y = gt − g.
      const s = S[head];
      const y = Y[head];
      for (let i = 0; i < n; i++) {
        s[i] = xt[i] - x[i];
        y[i] = gt[i] - g[i];
        x[i] = xt[i];
        g[i] = gt[i];
      }
      f = this.ft;
      const sy = dot(s, y, n);
      if (sy > 1e-300 * Math.max(1, dot(y, y, n))) {
        rho[head] = 1 / sy;
        head = (head + 1) % m;
        if (stored < m) stored++;
      }
      iter++;
      if (fPrev - f <= o.ftol * Math.max(Math.abs(fPrev), Math.abs(f), o.fmin)) {
        return { f, iterations: iter, evaluations: this.evals, reason: 'ftol' };
      }
    }
  }

  private ft = NaN;
  private at = NaN;

  /** Evaluates at x + a d into xt/gt; returns φ(a) and stores φ'(a) in this.dphit. */
  private dphit = NaN;
  private phi(fg: ObjectiveGradient, x: Float64Array, a: number): number {
    const { n, d, xt, gt } = this;
    for (let i = 0; i < n; i++) xt[i] = x[i] + a * d[i];
    this.evals++;
    const f = fg(xt, gt);
    this.ft = f;
    this.at = a;
    this.dphit = dot(gt, d, n);
    return f;
  }

  /**
   * Strong-Wolfe line search along this.d. Returns the accepted step (> 0) with xt, gt, ft
   * holding that point, or 0 when no acceptable step with a decrease was found.
   */
  private lineSearch(fg: ObjectiveGradient, x: Float64Array, f0: number, dphi0: number, a1: number): number {
    const { c1, c2 } = this.opts;
    let aPrev = 0;
    let fPrev = f0;
    let dPrev = dphi0;
    let a = a1;
    for (let i = 0; i < 40; i++) {
      let fa = this.phi(fg, x, a);
      let da = this.dphit;
      let shrink = 0;
      while ((!Number.isFinite(fa) || !Number.isFinite(da)) && shrink < 60) {
        // Step ran into overflow: back off towards the last good point.
        a = aPrev + (a - aPrev) * 0.1;
        fa = this.phi(fg, x, a);
        da = this.dphit;
        shrink++;
      }
      if (!Number.isFinite(fa)) return 0;
      if (fa > f0 + c1 * a * dphi0 || (i > 0 && fa >= fPrev)) {
        return this.zoom(fg, x, f0, dphi0, aPrev, fPrev, dPrev, a, fa, da);
      }
      if (Math.abs(da) <= -c2 * dphi0) return a;
      if (da >= 0) return this.zoom(fg, x, f0, dphi0, a, fa, da, aPrev, fPrev, dPrev);
      // Extrapolate: cubic step clamped to [a + 1.1(a − aPrev)... 4a].
      const lo = a + 1.1 * (a - aPrev);
      const hi = a + 4 * (a - aPrev);
      let next = cubicMin(aPrev, fPrev, dPrev, a, fa, da);
      if (!Number.isFinite(next) || next < lo || next > hi) next = hi;
      aPrev = a;
      fPrev = fa;
      dPrev = da;
      a = next;
    }
    // Very long steps keep decreasing: accept the last one if it decreased.
    return this.ft < f0 ? this.at : 0;
  }

  private zoom(
    fg: ObjectiveGradient, x: Float64Array, f0: number, dphi0: number,
    aLo: number, fLo: number, dLo: number, aHi: number, fHi: number, dHi: number,
  ): number {
    const { c1, c2, zoomGuard } = this.opts;
    for (let j = 0; j < 60; j++) {
      const width = aHi - aLo;
      let a = cubicMin(aLo, fLo, dLo, aHi, fHi, dHi);
      const lo = Math.min(aLo, aHi) + zoomGuard * Math.abs(width);
      const hi = Math.max(aLo, aHi) - zoomGuard * Math.abs(width);
      if (!Number.isFinite(a) || a < lo || a > hi) a = 0.5 * (aLo + aHi);
      if (Math.abs(width) <= 1e-16 * Math.max(1, Math.abs(aLo))) break;
      const fa = this.phi(fg, x, a);
      const da = this.dphit;
      if (!Number.isFinite(fa) || fa > f0 + c1 * a * dphi0 || fa >= fLo) {
        aHi = a;
        fHi = Number.isFinite(fa) ? fa : Infinity;
        dHi = Number.isFinite(da) ? da : NaN;
      } else {
        if (Math.abs(da) <= -c2 * dphi0) return a;
        if (da * (aHi - aLo) >= 0) {
          aHi = aLo;
          fHi = fLo;
          dHi = dLo;
        }
        aLo = a;
        fLo = fa;
        dLo = da;
      }
    }
    // Interval collapsed: take the best point seen if it gives a sufficient decrease.
    if (aLo > 0 && fLo < f0) {
      if (this.at !== aLo) this.phi(fg, x, aLo);
      return aLo;
    }
    return 0;
  }
}

/** Minimiser of the cubic interpolating (a, fa, da) and (b, fb, db); NaN when none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return NaN;
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  const den = db - da + 2 * d2;
  if (den === 0) return NaN;
  return b - (b - a) * (db + d2 - d1) / den;
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] += a * x[i];
}

function maxAbs(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) {
    const v = Math.abs(g[i]);
    if (v > m) m = v;
  }
  return m;
}

function allFinite(g: Float64Array): boolean {
  for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return false;
  return true;
}

/**
 * The Chinchilla Approach 3 objective (Hoffmann et al. 2022; Besiroglu et al. 2024):
 *   θ = (a, b, e, α, β),  log L̂ = logsumexp(a − α log N, b − β log D, e)
 *   f(θ) = Σ_i w_i · Huber_δ(log L̂_i − log L_i),  Huber_δ(r) = r²/2 (|r| ≤ δ), δ(|r| − δ/2) otherwise
 * (scipy.special.huber's definition), with its analytic gradient. w_i are bootstrap
 * multiplicities (1 for a plain fit). No allocation per evaluation.
 */
export const HUBER_DELTA = 1e-3;

// exp by table: x = (64m + j)·ln2/64 + r, |r| < ln2/64, exp(x) = 2^m · 2^(j/64) · P6(r).
const EXP_TAB = Float64Array.from({ length: 64 }, (_, j) => Math.pow(2, j / 64));
const POW2_MIN = -1074;
const POW2 = Float64Array.from({ length: 1024 - POW2_MIN }, (_, i) => Math.pow(2, i + POW2_MIN));
const EXP_K = 64 / Math.LN2;
// ln2/64 in two parts (fdlibm's ln2_hi, ln2_lo over 64): k·hi is exact for |k| < 2^20.
const EXP_LN2_64_HI = 6.93147180369123816490e-01 / 64;
const EXP_LN2_64_LO = 1.90821492927058770002e-10 / 64;

// log by table on [1/2, 2]: z = c_j (1 + t), c_j = 1/2 + j/256 (exact), |t| ≤ 1/256, log1p(t) by its series.
const LOG_TAB = Float64Array.from({ length: 385 }, (_, j) => Math.log(0.5 + j / 256));
const LOG_INV = Float64Array.from({ length: 385 }, (_, j) => 1 / (0.5 + j / 256));

/**
 * log(z) for 1/2 ≤ z ≤ 2 (NaN outside) with an absolute error below 3e-16, about twice as fast as
 * Math.log in V8; grid phase only, like expFast.
 */
export function logNear1(z: number): number {
  const j = ((z - 0.5) * 256 + 0.5) | 0;
  const t = (z - (0.5 + j * 0.00390625)) * LOG_INV[j];
  return LOG_TAB[j] + t * (1 + t * (-0.5 + t * (1 / 3 + t * (-0.25 + t * (0.2 - t / 6)))));
}

/**
 * exp(x) for −700 < x < 700 with a relative error below 5e-16 (2 ulp; Math.exp is within
 * 1 ulp), about 1.6× faster than Math.exp in V8. Used only by the grid phase (`approxExp`), whose
 * stopping rule (relative decrease 2.2e-9, |g| ≤ 1e-5) is far coarser; the final polish and every
 * reported objective use Math.exp.
 */
export function expFast(x: number): number {
  // k = x·64/ln2 truncated (an int32: no −0, no float indexing), so |r| < ln2/64.
  const k = (x * EXP_K) | 0;
  const r = (x - k * EXP_LN2_64_HI) - k * EXP_LN2_64_LO;
  const j = k & 63;
  const m = k >> 6;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  return EXP_TAB[j] * p * POW2[m - POW2_MIN];
}

export class ChinchillaObjective {
  readonly n: number;
  readonly lN: Float64Array;
  readonly lD: Float64Array;
  readonly lL: Float64Array;
  readonly delta: number;
  /** Multiplicity of each point; null = all ones. */
  weights: Float64Array | null = null;
  /** Use expFast in the unweighted fast path (grid phase only; see expFast). */
  approxExp = false;
  private readonly minLN: number;
  private readonly maxLN: number;
  private readonly minLD: number;
  private readonly maxLD: number;
  /** 1/L per point (for logNear1). */
  private readonly invL: Float64Array;
  /** Distinct log N values, the index of each point's, and a scratch row for exp(a − α log N). */
  readonly uN: Float64Array;
  readonly nIdx: Int32Array;
  private readonly expN: Float64Array;
  /** Gradient scratch for value-only calls. */
  private readonly gScratch = new Float64Array(5);

  constructor(lN: Float64Array, lD: Float64Array, lL: Float64Array, delta = HUBER_DELTA) {
    this.n = lN.length;
    this.lN = lN;
    this.lD = lD;
    this.lL = lL;
    this.delta = delta;
    let a = Infinity, b = -Infinity, c = Infinity, d = -Infinity;
    for (let i = 0; i < this.n; i++) {
      if (lN[i] < a) a = lN[i];
      if (lN[i] > b) b = lN[i];
      if (lD[i] < c) c = lD[i];
      if (lD[i] > d) d = lD[i];
    }
    this.minLN = a;
    this.maxLN = b;
    this.minLD = c;
    this.maxLD = d;
    const seen = new Map<number, number>();
    this.nIdx = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) {
      let k = seen.get(lN[i]);
      if (k === undefined) { k = seen.size; seen.set(lN[i], k); }
      this.nIdx[i] = k;
    }
    this.uN = Float64Array.from(seen.keys());
    this.invL = Float64Array.from(lL, (v) => Math.exp(-v));
    this.expN = new Float64Array(this.uN.length);
  }

  /** Objective value only. */
  value(x: ArrayLike<number>): number {
    return this.fg(x, null);
  }

  /** Objective and gradient (written into g when given). */
  fg(x: ArrayLike<number>, g: Float64Array | null): number {
    const a = x[0], b = x[1], e = x[2], al = x[3], be = x[4];
    const { n, lN, lD, lL, delta, weights } = this;
    // Bounds of the exponents over all points decide whether the unshifted fast path is safe.
    const t1max = a - al * (al >= 0 ? this.minLN : this.maxLN);
    const t2max = b - be * (be >= 0 ? this.minLD : this.maxLD);
    const fast = e > -600 && e < 600 && t1max < 600 && t2max < 600;
    const ue = Math.exp(e);
    if (fast) {
      // expFast needs arguments above −700 (its power-of-two table); the fast path keeps them below 600.
      if (this.approxExp && a - al * (al >= 0 ? this.maxLN : this.minLN) > -700
        && b - be * (be >= 0 ? this.maxLD : this.minLD) > -700) return this.fgApprox(a, b, ue, al, be, g ?? this.gScratch, weights);
      // Values only (the variable-projection screen) and bootstrap weights take the fast path too.
      return this.fgFast(a, b, ue, al, be, g ?? this.gScratch, weights);
    }
    let f = 0, ga = 0, gb = 0, ge = 0, gal = 0, gbe = 0;
    const halfDelta = 0.5 * delta;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i];
      if (w === 0) continue;
      const ln = lN[i], ld = lD[i];
      const t1 = a - al * ln;
      const t2 = b - be * ld;
      let u1: number, u2: number, u3: number, lse: number;
      if (fast) {
        u1 = Math.exp(t1);
        u2 = Math.exp(t2);
        u3 = ue;
        const s = u1 + u2 + u3;
        lse = Math.log(s);
        const inv = 1 / s;
        u1 *= inv; u2 *= inv; u3 *= inv;
      } else {
        let m = t1 > t2 ? t1 : t2;
        if (e > m) m = e;
        u1 = Math.exp(t1 - m);
        u2 = Math.exp(t2 - m);
        u3 = Math.exp(e - m);
        const s = u1 + u2 + u3;
        lse = m + Math.log(s);
        const inv = 1 / s;
        u1 *= inv; u2 *= inv; u3 *= inv;
      }
      const r = lse - lL[i];
      let dr: number;
      if (r > delta) {
        f += w * delta * (r - halfDelta);
        dr = w * delta;
      } else if (r < -delta) {
        f += w * delta * (-r - halfDelta);
        dr = -w * delta;
      } else {
        f += w * 0.5 * r * r;
        dr = w * r;
      }
      const d1 = dr * u1, d2 = dr * u2;
      ga += d1;
      gal -= d1 * ln;
      gb += d2;
      gbe -= d2 * ld;
      ge += dr * u3;
    }
    if (g !== null) {
      g[0] = ga; g[1] = gb; g[2] = ge; g[3] = gal; g[4] = gbe;
    }
    return f;
  }

  /**
   * The common case (no overflow risk): exp(a − α log N) once per distinct model size, one exp and
   * one log per point, with bootstrap multiplicities when given (points drawn 0 times skipped; an
   * unweighted point counts 1, exactly). Same values as the general loop.
   */
  private fgFast(a: number, b: number, ue: number, al: number, be: number, g: Float64Array, weights: Float64Array | null): number {
    const { n, lN, lD, lL, delta, uN, nIdx, expN } = this;
    for (let k = 0; k < uN.length; k++) expN[k] = Math.exp(a - al * uN[k]);
    let f = 0, ga = 0, gb = 0, ge = 0, gal = 0, gbe = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i];
      if (w === 0) continue;
      const ld = lD[i];
      const u1 = expN[nIdx[i]];
      const u2 = Math.exp(b - be * ld);
      const s = u1 + u2 + ue;
      const r = Math.log(s) - lL[i];
      // Huber without branches on the residual's regime: dr = clip(r, ±δ) is Huber'(r), and
      // dr·(r − dr/2) is r²/2 inside and δ(|r| − δ/2) outside.
      const dr = r > delta ? delta : r < -delta ? -delta : r;
      f += w * dr * (r - 0.5 * dr);
      const q = (w * dr) / s;
      const d1 = q * u1, d2 = q * u2;
      ga += d1;
      gal += d1 * lN[i];
      gb += d2;
      gbe += d2 * ld;
      ge += q;
    }
    gal = -gal;
    gbe = -gbe;
    ge *= ue;
    g[0] = ga; g[1] = gb; g[2] = ge; g[3] = gal; g[4] = gbe;
    return f;
  }

  /**
   * fgFast with expFast and logNear1 (grid phase, variable-projection screen, bootstrap refits;
   * arguments checked by fg), with bootstrap multiplicities when given.
   */
  private fgApprox(a: number, b: number, ue: number, al: number, be: number, g: Float64Array, weights: Float64Array | null): number {
    const { n, lN, lD, lL, delta, uN, nIdx, expN, invL } = this;
    for (let k = 0; k < uN.length; k++) expN[k] = expFast(a - al * uN[k]);
    let f = 0, ga = 0, gb = 0, ge = 0, gal = 0, gbe = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i];
      if (w === 0) continue;
      const ld = lD[i];
      const u1 = expN[nIdx[i]];
      const u2 = expFast(b - be * ld);
      const s = u1 + u2 + ue;
      const z = s * invL[i];
      const r = z >= 0.5 && z <= 2 ? logNear1(z) : Math.log(s) - lL[i];
      const dr = r > delta ? delta : r < -delta ? -delta : r;
      f += w * dr * (r - 0.5 * dr);
      const q = (w * dr) / s;
      const d1 = q * u1, d2 = q * u2;
      ga += d1;
      gal += d1 * lN[i];
      gb += d2;
      gbe += d2 * ld;
      ge += q;
    }
    g[0] = ga; g[1] = gb; g[2] = ge * ue; g[3] = -gal; g[4] = -gbe;
    return f;
  }
}

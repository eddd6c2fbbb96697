/**
 * Seeded synthetic evals with a known truth, for the tests and the sample files: per-problem
 * success probabilities drawn from Beta(α, β), attempts drawn from them.
 */
import { normal, type Rng } from '../fit/rng';

/** Gamma(shape, 1) deviate: Marsaglia & Tsang (2000), with the U^(1/shape) boost below shape 1. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = rng();
    while (u <= 0) u = rng();
    return sampleGamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = normal(rng); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(α, β) deviate as X/(X + Y) with X ~ Gamma(α), Y ~ Gamma(β). */
export function sampleBeta(rng: Rng, alpha: number, beta: number): number {
  const x = sampleGamma(rng, alpha);
  const y = sampleGamma(rng, beta);
  return x + y > 0 ? x / (x + y) : 0;
}

export interface SyntheticEval {
  /** True per-problem success probabilities. */
  p: Float64Array;
  /** attempts[i][j] = attempt j of problem i succeeded. */
  attempts: Uint8Array[];
  n: Int32Array;
  c: Int32Array;
}

/** `problems` problems with p ~ Beta(α, β), each attempted `n` times. */
export function syntheticEval(rng: Rng, problems: number, n: number, alpha: number, beta: number): SyntheticEval {
  const p = new Float64Array(problems);
  const attempts: Uint8Array[] = [];
  const nn = new Int32Array(problems).fill(n);
  const cc = new Int32Array(problems);
  for (let i = 0; i < problems; i++) {
    p[i] = sampleBeta(rng, alpha, beta);
    const a = new Uint8Array(n);
    for (let j = 0; j < n; j++) { a[j] = rng() < p[i] ? 1 : 0; cc[i] += a[j]; }
    attempts.push(a);
  }
  return { p, attempts, n: nn, c: cc };
}

/** The problems' own pass@k: mean of 1 − (1 − p_i)^k (what a perfect forecast would say for them). */
export function truePassAtK(p: ArrayLike<number>, k: number): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += -Math.expm1(k * Math.log1p(-Math.min(p[i], 1 - 1e-300)));
  return s / p.length;
}

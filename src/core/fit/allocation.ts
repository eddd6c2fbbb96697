/**
 * Compute-optimal allocation from a fitted Chinchilla law, and two variants:
 *  - Hoffmann et al. (2022): minimise L(N, D) subject to C = 6ND:
 *      G = (αA/(βB))^(1/(α+β)), N_opt = G (C/6)^a, D_opt = G⁻¹ (C/6)^b, a = β/(α+β), b = α/(α+β).
 *  - Inference-aware (Sardana et al. 2023, "Beyond Chinchilla-Optimal"): for a target loss ℓ and an
 *    expected D_inf inference tokens, minimise 6N·D_tr + 2N·D_inf over N with D_tr chosen so that
 *    L(N, D_tr) = ℓ.
 *  - Repeated data (Muennighoff et al. 2023, "Scaling Data-Constrained Language Models"):
 *      D' = U_D + U_D R_D* (1 − e^(−R_D/R_D*)),  N' = U_N + U_N R_N* (1 − e^(−R_N/R_N*)).
 */
import type { ChinchillaParams } from './laws';
import { chinchillaLoss } from './laws';

export interface Allocation {
  budget: number;
  N: number;
  D: number;
  loss: number;
  tokensPerParam: number;
  /** N_opt ∝ C^a */
  a: number;
  /** D_opt ∝ C^b */
  b: number;
  G: number;
}

/** Compute-optimal N and D for a budget of C FLOPs (C = 6ND). */
export function allocate(p: ChinchillaParams, C: number): Allocation {
  const s = p.alpha + p.beta;
  const a = p.beta / s;
  const b = p.alpha / s;
  const G = Math.pow((p.alpha * p.A) / (p.beta * p.B), 1 / s);
  const N = G * Math.pow(C / 6, a);
  const D = Math.pow(C / 6, b) / G;
  return { budget: C, N, D, loss: chinchillaLoss(p, N, D), tokensPerParam: D / N, a, b, G };
}

export interface InferenceAwareOptions {
  /** Expected inference tokens over the model's lifetime. */
  inferenceTokens: number;
  /** Target loss ℓ; default: the loss of the Chinchilla-optimal model for `budget`. */
  targetLoss?: number;
  /** Training budget C defining the default target loss. */
  budget?: number;
}

export interface InferenceAwareAllocation {
  /** Parameters minimising training + inference FLOPs at the target loss. */
  N: number;
  /** Training tokens for N to reach the target loss. */
  D: number;
  loss: number;
  tokensPerParam: number;
  trainFlops: number;
  inferenceFlops: number;
  totalFlops: number;
  /** The Chinchilla-optimal model reaching the same loss, with its total FLOPs including inference. */
  chinchilla: { N: number; D: number; trainFlops: number; totalFlops: number };
  /** 1 − total/chinchilla.total */
  savedFraction: number;
}

/** Training tokens for N parameters to reach loss ℓ (Infinity when N alone cannot reach it). */
export function tokensForLoss(p: ChinchillaParams, N: number, loss: number): number {
  const gap = loss - p.E - p.A / Math.pow(N, p.alpha);
  return gap > 0 ? Math.pow(p.B / gap, 1 / p.beta) : Infinity;
}

/** Sardana et al. (2023): numerically minimises 6N·D_tr(N) + 2N·D_inf over log N. */
export function inferenceAwareAllocation(p: ChinchillaParams, o: InferenceAwareOptions): InferenceAwareAllocation {
  let loss = o.targetLoss;
  if (loss === undefined) {
    if (!(o.budget && o.budget > 0)) throw new Error('inference-aware allocation needs a target loss or a training budget');
    loss = allocate(p, o.budget).loss;
  }
  if (!(loss > p.E)) throw new Error(`target loss ${loss} is not above the irreducible loss E = ${p.E}`);
  if (!(o.inferenceTokens >= 0)) throw new Error('inference tokens must be ≥ 0');
  const Dinf = o.inferenceTokens;
  const cost = (lnN: number) => {
    const N = Math.exp(lnN);
    const D = tokensForLoss(p, N, loss as number);
    return 6 * N * D + 2 * N * Dinf;
  };
  // Smallest N able to reach ℓ with infinite data: A/N^α < ℓ − E.
  const lnNmin = Math.log(p.A / (loss - p.E)) / p.alpha;
  // Chinchilla-optimal model for this loss: minimise 6 N D_tr(N) (D_inf = 0).
  const train = (lnN: number) => { const N = Math.exp(lnN); return 6 * N * tokensForLoss(p, N, loss as number); };
  const lnChin = minimize1d(train, lnNmin + 1e-9, lnNmin + 60);
  const lnOpt = minimize1d(cost, lnNmin + 1e-9, lnNmin + 60);
  const N = Math.exp(lnOpt);
  const D = tokensForLoss(p, N, loss);
  const Nc = Math.exp(lnChin);
  const Dc = tokensForLoss(p, Nc, loss);
  const chinTotal = 6 * Nc * Dc + 2 * Nc * Dinf;
  const total = 6 * N * D + 2 * N * Dinf;
  return {
    N, D, loss, tokensPerParam: D / N,
    trainFlops: 6 * N * D, inferenceFlops: 2 * N * Dinf, totalFlops: total,
    chinchilla: { N: Nc, D: Dc, trainFlops: 6 * Nc * Dc, totalFlops: chinTotal },
    savedFraction: 1 - total / chinTotal,
  };
}

/**
 * Minimum of a unimodal-ish function on [lo, hi]: a 200-point scan, then golden-section refinement.
 * `near` (a previous minimum, e.g. before the data grew): the scan visits only the grid points around
 * it, widening while the best is at the window's edge, then refines exactly as the whole scan would —
 * the same answer, to the bit, whenever the scan's best point lies in one descent from `near`.
 */
export function minimize1d(f: (x: number) => number, lo: number, hi: number, scan = 200, near?: number): number {
  let bestI = 0, bestF = Infinity;
  const step = (hi - lo) / scan;
  if (near !== undefined && Number.isFinite(near) && step > 0) {
    const W = 4;
    const c = Math.min(scan, Math.max(0, Math.round((near - lo) / step)));
    let a = Math.max(0, c - W), b = Math.min(scan, c + W);
    const seen = new Map<number, number>();
    const at = (i: number) => { let v = seen.get(i); if (v === undefined) { v = f(lo + i * step); seen.set(i, v); } return v; };
    for (;;) {
      bestF = Infinity;
      for (let i = a; i <= b; i++) { const v = at(i); if (v < bestF) { bestF = v; bestI = i; } }
      if (bestI === a && a > 0) a = Math.max(0, a - 2 * W);
      else if (bestI === b && b < scan) b = Math.min(scan, b + 2 * W);
      else break;
    }
  } else {
    for (let i = 0; i <= scan; i++) {
      const v = f(lo + i * step);
      if (v < bestF) { bestF = v; bestI = i; }
    }
  }
  let a = lo + Math.max(0, bestI - 1) * step;
  let b = lo + Math.min(scan, bestI + 1) * step;
  const gr = (Math.sqrt(5) - 1) / 2;
  let c = b - gr * (b - a), d = a + gr * (b - a);
  let fc = f(c), fd = f(d);
  for (let it = 0; it < 200 && b - a > 1e-12 * Math.max(1, Math.abs(a)); it++) {
    if (fc < fd) { b = d; d = c; fd = fc; c = b - gr * (b - a); fc = f(c); }
    else { a = c; c = d; fc = fd; d = a + gr * (b - a); fd = f(d); }
  }
  return (a + b) / 2;
}

/** Muennighoff et al. (2023) fitted constants. */
export const R_D_STAR = 15.387;
export const R_N_STAR = 5.309;

export interface RepeatedDataOptions {
  /** Parameters N of the model trained. */
  N: number;
  /** Total training tokens D (all epochs). */
  tokens: number;
  /** Unique tokens U_D available. */
  uniqueTokens: number;
  rDStar?: number;
  rNStar?: number;
}

export interface RepeatedDataResult {
  epochs: number;
  /** Repetitions beyond the first epoch, R_D = D/U_D − 1. */
  RD: number;
  /** Effective data D'. */
  effectiveTokens: number;
  /** Compute-optimal parameters for U_D unique tokens (U_N = min of that and N). */
  uniqueParams: number;
  RN: number;
  /** Effective parameters N'. */
  effectiveParams: number;
  /** L(N', D') */
  loss: number;
  /** L(N, D) as if all tokens were unique. */
  lossUnique: number;
}

/** Effective data and parameters and the loss with repeated data (Muennighoff et al. 2023, eq. 5–6). */
export function repeatedDataLoss(p: ChinchillaParams, o: RepeatedDataOptions): RepeatedDataResult {
  const { N, tokens, uniqueTokens } = o;
  if (!(N > 0 && tokens > 0 && uniqueTokens > 0)) throw new Error('repeated-data loss needs positive N, tokens and unique tokens');
  const rD = o.rDStar ?? R_D_STAR;
  const rN = o.rNStar ?? R_N_STAR;
  const UD = Math.min(uniqueTokens, tokens);
  const RD = tokens / UD - 1;
  const Dp = UD + UD * rD * (1 - Math.exp(-RD / rD));
  // U_N: the compute-optimal model size for U_D tokens, N_opt = G (G U_D)^(a/b), capped at N.
  const al = allocate(p, 6e20);
  const UNopt = al.G * Math.pow(al.G * UD, al.a / al.b);
  const UN = Math.min(UNopt, N);
  const RN = N / UN - 1;
  const Np = UN + UN * rN * (1 - Math.exp(-RN / rN));
  return {
    epochs: tokens / UD, RD, effectiveTokens: Dp, uniqueParams: UN, RN, effectiveParams: Np,
    loss: chinchillaLoss(p, Np, Dp), lossUnique: chinchillaLoss(p, N, tokens),
  };
}

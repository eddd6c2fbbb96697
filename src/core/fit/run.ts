/**
 * One training run's loss curve, and how far its extrapolation can be trusted.
 *
 * Laws (src/core/fit/lrlaw.ts for the two schedule-aware ones):
 * - `power`: L(x) = E + B/x^β, x = tokens, steps or FLOPs (whatever the log gives). Least squares on
 *   the loss by variable projection (exact (E, B) ≥ 0 for each β, β profiled over [1e-3, 5]).
 * - `passes`: on a run that repeats its data (a few planned passes, the fitted range already past the
 *   start of a second), L = E + B/x^β − D·k with k the passes completed: the training loss drops at
 *   each new pass (memorisation), which no law in x follows. D ≥ 0 is fitted with (E, B) exactly.
 * - `lr-annealing`: Tissue et al. 2024, L(s) = L0 + A·S1^(−α) − C·S2, against the LR schedule.
 * - `multi-power`: Luo et al. 2025, against the LR schedule.
 * With a schedule (the log's LR column, or a config's plan) the warm-up skipped is exactly the
 * schedule's warm-up and the prediction is made at the end of training as planned.
 *
 * Backtests: every law is refitted on the first 25/50/75% of the fitted steps and scored on the
 * loss at the last fitted point (mean of the final window of points, against the model's mean over
 * the same points). `auto` picks the law with the smallest mean absolute backtest error.
 *
 * Band: a moving-block bootstrap of the refits (blocks of ⌈n^(1/3)⌉ consecutive bins, seeded),
 * widened by what the backtests showed on this run: the worst backtest error per e-fold of horizon,
 * scaled to the prediction's horizon. When the data cannot support the extrapolation — the fitted
 * floor above losses the run already reached, a window too short, or an LR decay ahead that the
 * fitted range never saw — the report says so (`trust.supported` false, reasons) and the band is
 * widened to what is still known rather than drawn narrow.
 */
import { blockResampleCounts, percentile } from './rng';
import { normalQuantile } from '../stats';
import { runBootstrap } from './bootstrap';
import { minimize1d } from './allocation';
import { DEFAULT_BOOTSTRAP, DEFAULT_CI_LEVEL, DEFAULT_SEED, logspace, r2Log } from './chinchilla';
import { formatAt, formatInteger, formatNumber, formatPercent, formatSignedPercent, plural } from '../format';
import {
  annealingAreas, Areas, decayChunks, DecayChunks, LAMBDA_GRID, fitLrAnnealing, fitMultiPower, lrAnnealingLoss, areaAt,
  multiPowerLoss, schedulePoints, SHAPE_LOG_BOUNDS,
} from './lrlaw';
import { extendSchedule, SCHEDULE_REACH, type LrSchedule } from './schedule';
import { earlyPlateau } from './plateau';
import { BacktestEntry, BACKTEST_FRACTIONS, finalWindow, prefixEnd, startsLate } from './backtest';
import { checkAbort, Curve, failedReport, FitOptions, LawFit, paramValue, ReportOf, RunLawFit, RunLawName, type LrAnnealingParams, type MultiPowerParams, type PassesParams, type PowerParams } from './types';

/** The power law's parameters (E, B, β). */
export type RunParams = PowerParams;

export const DEFAULT_SKIP_FRACTION = 0.1;
const MAX_BINS = 1000;
/** The multi-power law is fitted on at most this many bins (its loss-drop term costs bins × chunks). */
const MPL_BINS = 80;
/** The schedule-aware laws have four parameters: fewer points than this and only the power law is fitted. */
const MIN_SCHEDULE_POINTS = 8;
/**
 * auto's parsimony rule: a schedule-aware law is preferred to the power law only when its prediction
 * at the target is more than this many linearised standard errors from the power law's (≈ 95%).
 * Measured on bench/extrapolation.mjs: 2 and 3 choose the same laws on all 30 curves; 1 does not
 * catch the TinyLM run from 50% (1.7 standard errors).
 */
const OCCAM_Z = 2;
/**
 * The passes law is fitted on runs of at most this many planned passes: over many short passes the
 * drop at each is a slope in steps (the 30-epoch fixture logs one point a pass), not a step.
 */
const MAX_PASSES_LAW = 10;
/** Points (bins) in each of two passes before the drop between them is fitted. */
const MIN_PASS_POINTS = 3;

/**
 * The pass over the data a step is in (0: the first), at most the last planned one (a run of 4.64
 * passes has a fifth, partial one). A step counts the steps done: the first pass is steps 1 … perPass
 * (its last logged loss, at step perPass, is the first pass's).
 */
function passOf(step: number, perPass: number, count: number): number {
  return Math.min(Math.ceil(count - 1e-9) - 1, passesBegun(step, perPass));
}

/** Passes completed by `step` (steps 1 … perPass are the first pass: 0), with no planned last pass. */
export function passesBegun(step: number, perPass: number): number {
  return Math.max(0, Math.ceil(step / perPass - 1e-9) - 1);
}

/** Whether at least two passes each hold MIN_PASS_POINTS bins of weight: the drop between them is identified. */
function passesSeen(k: ArrayLike<number>, w: ArrayLike<number>): boolean {
  const per = new Map<number, number>();
  for (let i = 0; i < k.length; i++) if (w[i] > 0) per.set(k[i], (per.get(k[i]) ?? 0) + 1);
  let enough = 0;
  for (const c of per.values()) if (c >= MIN_PASS_POINTS) enough++;
  return enough >= 2;
}

export function runLoss(p: RunParams, x: number): number {
  return p.E + p.B * Math.pow(x, -p.beta);
}

/** Objective evaluations of the run fits so far (fitRunCurve reports its own count). */
let evaluations = 0;

/** Profile least squares of L = E + B (x/xs)^−β (times mul[i], when given) over (E, B) ≥ 0 at a given β, weighted. */
function profile(
  lx: Float64Array, y: Float64Array, w: ArrayLike<number>, beta: number, out?: Float64Array, mul?: Float64Array,
): number {
  evaluations++;
  let s1 = 0, su = 0, suu = 0, sy = 0, suy = 0, syy = 0;
  for (let i = 0; i < lx.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    // (mul: a factor of each point's B term, the passes law's ρ^k.)
    const u = mul ? mul[i] * Math.exp(-beta * lx[i]) : Math.exp(-beta * lx[i]);
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

/**
 * Profile least squares of L = E + B·u − D·k (u = (x/xs)^−β) over (E, B, D) ≥ 0 at a given β,
 * weighted: the normal equations of every subset of the three columns, the best feasible solution.
 */
function profilePasses(
  lx: Float64Array, k: Float64Array, y: Float64Array, w: ArrayLike<number>, beta: number, out?: Float64Array,
): number {
  evaluations++;
  // Columns 1, u, −k: their weighted cross products G and their products with y, r.
  const G = new Float64Array(9), r = new Float64Array(3);
  let syy = 0;
  for (let i = 0; i < lx.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const c0 = 1, c1 = Math.exp(-beta * lx[i]), c2 = -k[i], yi = y[i];
    G[0] += wi; G[1] += wi * c1; G[2] += wi * c2; G[4] += wi * c1 * c1; G[5] += wi * c1 * c2; G[8] += wi * c2 * c2;
    r[0] += wi * c0 * yi; r[1] += wi * c1 * yi; r[2] += wi * c2 * yi; syy += wi * yi * yi;
  }
  G[3] = G[1]; G[6] = G[2]; G[7] = G[5];
  let best = Infinity;
  const c = new Float64Array(3), bestC = new Float64Array(3);
  for (let mask = 1; mask < 8; mask++) {
    const S = [0, 1, 2].filter((j) => mask & (1 << j));
    if (!solveSmall(G, r, S, c)) continue;
    if (S.some((j) => !(c[j] >= 0))) continue;
    let sse = syy;
    for (const a of S) { sse -= 2 * c[a] * r[a]; for (const b of S) sse += c[a] * c[b] * G[a * 3 + b]; }
    if (sse < best) { best = sse; bestC.fill(0); for (const j of S) bestC[j] = c[j]; }
  }
  if (!Number.isFinite(best)) { best = syy; bestC.fill(0); }
  if (out) { out[0] = bestC[0]; out[1] = bestC[1]; out[2] = bestC[2]; }
  return best;
}

/** Solves G[S,S]·c[S] = r[S] (G 3×3, row-major) by Gaussian elimination; false when (near) singular. */
function solveSmall(G: Float64Array, r: Float64Array, S: number[], c: Float64Array): boolean {
  const m = S.length;
  const A = S.map((a) => [...S.map((b) => G[a * 3 + b]), r[a]]);
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let i = col + 1; i < m; i++) if (Math.abs(A[i][col]) > Math.abs(A[piv][col])) piv = i;
    if (!(Math.abs(A[piv][col]) > 1e-12 * Math.max(1e-300, Math.abs(G[S[col] * 4])))) return false;
    [A[col], A[piv]] = [A[piv], A[col]];
    for (let i = col + 1; i < m; i++) {
      const f = A[i][col] / A[col][col];
      for (let j = col; j <= m; j++) A[i][j] -= f * A[col][j];
    }
  }
  for (let i = m - 1; i >= 0; i--) {
    let v = A[i][m];
    for (let j = i + 1; j < m; j++) v -= A[i][j] * c[S[j]];
    c[S[i]] = v / A[i][i];
  }
  return true;
}

/** Search range of the power law's β, as logarithms (the fit, its warm-started bracket, predictionSE's bound test). */
const BETA_LOG_BOUNDS = [Math.log(1e-3), Math.log(5)] as const;

/** The bracket of log β a bootstrap refit searches: around the full-data fit's β, within the bounds. */
function betaBracket(beta: number): [number, number] {
  const lb = Math.log(beta);
  return [Math.max(BETA_LOG_BOUNDS[0], lb - 2.5), Math.min(BETA_LOG_BOUNDS[1], lb + 2.5)];
}

/** Fits (E, B, β) on log x already divided by the scale; B is returned in scaled units. */
function solve(lx: Float64Array, y: Float64Array, w: ArrayLike<number>, bracket?: [number, number], nearBeta?: number): RunParams {
  const [lo, hi] = bracket ?? BETA_LOG_BOUNDS;
  const near = !bracket && nearBeta !== undefined && nearBeta > 0 ? Math.log(nearBeta) : undefined;
  const lb = minimize1d((t) => profile(lx, y, w, Math.exp(t)), lo, hi, bracket ? 40 : 160, near);
  const beta = Math.exp(lb);
  const c = new Float64Array(2);
  profile(lx, y, w, beta, c);
  return { E: c[0], B: c[1], beta };
}

export interface RunFitOptions extends FitOptions {
  xKind?: 'tokens' | 'step' | 'flops';
  /** Optimizer step of each point (aligned with x); needed by the schedule-aware laws. */
  steps?: ArrayLike<number>;
  /** The run's LR schedule (from the log's LR column or a config); enables the schedule-aware laws. */
  schedule?: LrSchedule;
  /** Which single-run law: 'auto' (smallest backtest error) or one of them. Default 'auto'. */
  runLaw?: 'auto' | RunLawName;
  /** Fit only a prefix: a fraction (0, 1) of the last step (or x), or a step (≥ 1). The rest is held out. */
  fitUntil?: number;
  /** Predict at this step (default: the schedule's planned end, or the target in x). */
  targetStep?: number;
  /** λ of the annealing momentum (default: chosen by least squares from LAMBDA_GRID, 0.99–0.999). */
  lambda?: number;
  /**
   * A previous fit of this curve (the same log before it grew; its report's `candidates`): each
   * law's fit starts from its optimum there instead of searching from scratch (live refit). Give it
   * only for the same series, axis and options; the result equals a cold fit's within tolerance.
   */
  warm?: ReadonlyArray<RunLawFit>;
  /** With a schedule, also skip the first `skipFraction` of the points (the user asked for it); default: the warm-up only. */
  skipOverSchedule?: boolean;
  /** Passes over the training data the run is planned for, and where that is said (more than one: repeated data). */
  epochs?: { count: number; source: string; stepsPerPass?: number };
  /**
   * The curve is a held-out (evaluation) loss: on repeated data memorisation does not lower it (no
   * drop at each pass, no band open below), but overfitting can raise it (the band is open above
   * once the first pass is behind).
   */
  heldOutLoss?: boolean;
  /**
   * The run's planned last step when its log states it (trainer_state.json `max_steps`, `step N/T`
   * lines) and where: without a schedule, the target (not 10× the last point).
   */
  plannedEnd?: { steps: number; source: string };
  /**
   * The step after which the run trains without data augmentation (Ultralytics' `close_mosaic`,
   * YOLOX's `no_aug_epochs`) and where that is planned: the loss changes there in a way no law fitted
   * before it can foresee.
   */
  augmentOff?: { step: number; what: string; source: string };
  /**
   * What says the LR is cut by a callback when a metric stalls (Keras' ReduceLROnPlateau, log.run.lrCuts):
   * without a known plan, the LR can fall at any later epoch.
   */
  lrCuts?: string;
  /** Why the run's losses are no learning curve: a reinforcement-learning run (logs/rl.ts), said as a trust reason. */
  rl?: string;
  /**
   * The loss is NaN or infinite from `step` to the log's end (RunMeta.nonFiniteTails), `text` saying
   * where: the run diverged. A target at or past it is no end this run reached: a trust reason; one
   * before it (a prefix fit's) a note.
   */
  diverged?: { step?: number; text: string };
  /**
   * Changes of the optimizer or its LR that the run's own printed arguments plan or allow and that lower
   * the loss by an amount nothing before them shows (AWD-LSTM's switch to averaged SGD, its `when`
   * epochs' LR ÷ 10): at `step` when planned; without one, at any later epoch (not when it came already,
   * at `happened`, within the fitted range).
   */
  changesAhead?: Array<{ step?: number; happened?: number; what: string; source: string }>;
  /**
   * Leave out an early plateau (the loss falls slowly, then much faster: a bend no run law can follow;
   * see plateau.ts). Default true; off when the user set the skip.
   */
  plateauSkip?: boolean;
}

/** A fitted law (its parameters typed by the law), able to predict at an (x, step) pair. */
type Model = RunLawFit & {
  predict(x: number, step: number): number;
  /** The same law with other parameter values (for the linearised prediction error). */
  withParams(q: Record<string, number>): (x: number, step: number) => number;
};

/** Bins of consecutive points: mean x, mean step, mean loss, count. */
interface Bins {
  x: Float64Array;
  s: Float64Array;
  y: Float64Array;
  w: Float64Array;
}

function makeBins(xs: number[], ss: number[] | undefined, ys: number[], maxBins: number): Bins {
  const n = xs.length;
  const nb = Math.min(n, maxBins);
  const b: Bins = { x: new Float64Array(nb), s: new Float64Array(nb), y: new Float64Array(nb), w: new Float64Array(nb) };
  for (let k = 0; k < nb; k++) {
    const from = Math.floor((k * n) / nb), to = Math.floor(((k + 1) * n) / nb);
    let sx = 0, sl = 0, sy = 0;
    for (let i = from; i < to; i++) { sx += Math.log(xs[i]); sl += ss ? ss[i] : 0; sy += ys[i]; }
    const c = to - from;
    b.x[k] = Math.exp(sx / c); b.s[k] = sl / c; b.y[k] = sy / c; b.w[k] = c;
  }
  return b;
}

function subBins(b: Bins, upto: number): Bins {
  return { x: b.x.subarray(0, upto), s: b.s.subarray(0, upto), y: b.y.subarray(0, upto), w: b.w.subarray(0, upto) };
}

/** Merges consecutive bins down to at most `max` (weighted means). */
function coarsen(b: Bins, w: ArrayLike<number>, max: number): Bins {
  const n = b.y.length;
  if (n <= max) return { ...b, w: Float64Array.from(w) };
  const out: Bins = { x: new Float64Array(max), s: new Float64Array(max), y: new Float64Array(max), w: new Float64Array(max) };
  for (let k = 0; k < max; k++) {
    const from = Math.floor((k * n) / max), to = Math.floor(((k + 1) * n) / max);
    let sw = 0, sx = 0, ss = 0, sy = 0, cnt = 0, sxu = 0, ssu = 0;
    for (let i = from; i < to; i++) {
      sw += w[i]; sx += w[i] * Math.log(b.x[i]); ss += w[i] * b.s[i]; sy += w[i] * b.y[i];
      cnt++; sxu += Math.log(b.x[i]); ssu += b.s[i];
    }
    out.w[k] = sw;
    out.x[k] = Math.exp(sw > 0 ? sx / sw : sxu / cnt); out.s[k] = sw > 0 ? ss / sw : ssu / cnt; out.y[k] = sw > 0 ? sy / sw : 0;
  }
  return out;
}

interface LawContext {
  schedule?: LrSchedule;
  areas?: Areas;
  /** The areas for each decay factor λ the LR-annealing fit chooses from. */
  areasByLambda?: Map<number, Areas>;
  chunks?: DecayChunks;
}

/**
 * Fits one law to bins with weights `w`. `warm`: the full-data model of a bootstrap (its refits
 * search a bracket around it); `from`: the optimum of a previous fit of this curve before it grew
 * (live refit: the search starts there and ends where the cold search would — minimize1d's `near`).
 */
type Fitter = (b: Bins, w: ArrayLike<number>, warm?: Model, from?: RunLawFit) => Model;

function powerFitter(): Fitter {
  return (b, w, warm, from) => {
    const scale = b.x[b.x.length - 1];
    const lx = Float64Array.from(b.x, (v) => Math.log(v / scale));
    const bracket = warm?.law === 'power' ? betaBracket(warm.params.beta) : undefined;
    const q = solve(lx, b.y, w, bracket, from?.law === 'power' ? from.params.beta : undefined);
    const p: RunParams = { E: q.E, B: q.B * Math.pow(scale, q.beta), beta: q.beta };
    return {
      law: 'power', params: { E: p.E, B: p.B, beta: p.beta }, predict: (x: number) => runLoss(p, x),
      withParams: (q) => (x: number) => runLoss(q as unknown as RunParams, x),
    };
  };
}

/** The passes law's loss at x and step s (count: the planned passes). */
export function passesLoss(q: PassesParams, x: number, s: number, count: number): number {
  const k = passOf(s, q.stepsPerPass, count);
  return q.E + q.B * Math.pow(x, -q.beta) * (q.keep === 1 ? 1 : Math.pow(q.keep, k)) - q.D * k;
}

/** Search range of the passes law's ρ (the reducible loss kept at each pass), as logarithms. */
const KEEP_LOG_BOUNDS = [Math.log(0.01), 0] as const;

/**
 * The power law with a drop at each new pass over the data (k = passOf(step)): a fixed drop D, or,
 * where the floor of the run's last planned pass, E − D·k, is below zero (which a loss cannot go),
 * a fraction 1 − ρ of the reducible loss B/x^β at each pass (E then a floor no pass goes below).
 * On bins (or bootstrap weights) where fewer than two passes hold MIN_PASS_POINTS points the drop is
 * not identified and D = 0, ρ = 1 (the power law itself).
 */
function passesFitter(perPass: number, count: number): Fitter {
  const lastPass = Math.ceil(count - 1e-9) - 1;
  return (b, w, warm, from) => {
    const nb = b.x.length;
    const scale = b.x[nb - 1];
    const lx = Float64Array.from(b.x, (v) => Math.log(v / scale));
    const k = Float64Array.from(b.s, (s) => passOf(s, perPass, count));
    if (!passesSeen(k, w)) k.fill(0);
    const bracket = warm?.law === 'passes' ? betaBracket(warm.params.beta) : undefined;
    const [lo, hi] = bracket ?? BETA_LOG_BOUNDS;
    const near = !bracket && from?.law === 'passes' && from.params.beta > 0 ? Math.log(from.params.beta) : undefined;
    // A bootstrap refit keeps the form of the full-data fit it resamples (the band is that model's).
    const warmFraction = warm?.law === 'passes' && warm.params.keep < 1;
    let p: PassesParams | undefined;
    if (!warmFraction) {
      const beta = Math.exp(minimize1d((t) => profilePasses(lx, k, b.y, w, Math.exp(t)), lo, hi, bracket ? 40 : 160, near));
      const c = new Float64Array(3);
      profilePasses(lx, k, b.y, w, beta, c);
      p = { E: c[0], B: c[1] * Math.pow(scale, beta), beta, D: c[2], keep: 1, stepsPerPass: perPass };
    }
    // The floor of the last planned pass, E − D·k: below zero, the law says a long enough pass would
    // take the loss below zero.
    if (!p || (warm?.law !== 'passes' && p.D > 0 && !(p.E - p.D * lastPass >= 0))) {
      const mul = new Float64Array(nb);
      const setKeep = (keep: number) => { for (let i = 0; i < nb; i++) mul[i] = Math.pow(keep, k[i]); };
      const bestBeta = (keep: number) => { setKeep(keep); return minimize1d((t) => profile(lx, b.y, w, Math.exp(t), undefined, mul), lo, hi, bracket ? 30 : 80); };
      const lk = minimize1d((t) => { const lbk = bestBeta(Math.exp(t)); return profile(lx, b.y, w, Math.exp(lbk), undefined, mul); }, KEEP_LOG_BOUNDS[0], KEEP_LOG_BOUNDS[1], bracket ? 15 : 40);
      const keep = Math.exp(lk);
      const beta = Math.exp(bestBeta(keep));
      const q = new Float64Array(2);
      profile(lx, b.y, w, beta, q, mul);
      p = { E: q[0], B: q[1] * Math.pow(scale, beta), beta, D: 0, keep, stepsPerPass: perPass };
    }
    const at = (q: PassesParams) => (x: number, s: number) => passesLoss(q, x, s, count);
    return { law: 'passes', params: { ...p }, predict: at(p), withParams: (q) => at(q as unknown as PassesParams) };
  };
}

/** The LR-annealing law, its λ the one (of those given) whose fit has the least squared error; bootstrap refits choose again. */
function lrFitter(ctx: Required<Pick<LawContext, 'areasByLambda'>>): Fitter {
  return (b, w, warm, from) => {
    let bracket: [number, number] | undefined;
    if (warm && warm.law === 'lr-annealing') { const la = Math.log(warm.params.alpha); bracket = [Math.max(Math.log(0.01), la - 1.5), Math.min(Math.log(3), la + 1.5)]; }
    let best: { params: LrAnnealingParams; sse: number; areas: Areas } | undefined;
    for (const [lambda, areas] of ctx.areasByLambda) {
      const pts = schedulePoints(b.s, b.y, w, areas);
      const near = from?.law === 'lr-annealing' && from.params.lambda === lambda ? from.params.alpha : undefined;
      const { params, sse, evaluations: e } = fitLrAnnealing(pts, w, bracket, near, lambda);
      evaluations += e;
      if (!best || sse < best.sse * (1 - 1e-12)) best = { params, sse, areas };
    }
    const { params, areas } = best!;
    return {
      law: 'lr-annealing', params: { ...params },
      predict: (_x, s) => lrAnnealingLoss(params, areaAt(areas.S1, s), areaAt(areas.S2, s)),
      withParams: (q) => (_x, s) => lrAnnealingLoss(q as unknown as LrAnnealingParams, areaAt(areas.S1, s), areaAt(areas.S2, s)),
    };
  };
}

function mplFitter(ctx: Required<Pick<LawContext, 'areas' | 'chunks'>>): Fitter {
  // A live refit does not start from the previous optimum (`from` is ignored): see fitMultiPower.
  return (b, w, warm) => {
    const c = coarsen(b, w, MPL_BINS);
    const pts = schedulePoints(c.s, c.y, c.w, ctx.areas);
    const { params, evaluations: e } = fitMultiPower(pts, ctx.areas, ctx.chunks, warm ? 60 : 200, warm?.law === 'multi-power' ? warm.params : undefined);
    evaluations += e;
    const { areas, chunks } = ctx;
    return {
      law: 'multi-power', params: { ...params }, predict: (_x, s) => multiPowerLoss(params, s, areas, chunks),
      withParams: (q) => (_x, s) => multiPowerLoss(q as unknown as MultiPowerParams, s, areas, chunks),
    };
  };
}

const LAW_TEXT: Record<RunLawName, string> = {
  power: 'L = E + B/x^β',
  passes: 'L = E + ρ^k·B/x^β − D·k (k: passes over the data completed)',
  'lr-annealing': 'L = L0 + A·S1^(−α) − C·S2 (Tissue et al. 2024)',
  'multi-power': 'multi-power law (Luo et al. 2025)',
};

/**
 * Fits one run's curve and extrapolates it: to the end of the planned schedule when one is known,
 * else to opts.targetTokens (x units), else to 10× the last x.
 */
export function fitRunCurve(x: ArrayLike<number>, loss: ArrayLike<number>, opts: RunFitOptions = {}): ReportOf<'run'> {
  const evaluations0 = evaluations;
  const messages: string[] = [];
  const xKind = opts.xKind ?? 'tokens';
  const total = Math.min(x.length, loss.length);
  const stepsIn = opts.steps && opts.steps.length >= total ? opts.steps : undefined;
  const idx: number[] = [];
  for (let i = 0; i < total; i++) {
    if (x[i] > 0 && loss[i] > 0 && Number.isFinite(x[i]) && Number.isFinite(loss[i]) && (!stepsIn || Number.isFinite(stepsIn[i]))) idx.push(i);
  }
  const bad = total - idx.length;
  if (bad > 0) messages.push(`dropped ${bad} point(s) with missing or non-positive ${xKind} or loss`);
  idx.sort((p, q) => x[p] - x[q]);
  const spikes = isolatedSpikes(idx, loss);
  let spikeReport: { x: number[]; loss: number[] } | undefined;
  /** Spikes only in the run's first quarter: where the start settles (the x of the point SPIKE_WINDOW after the last). */
  let unstableTo: { x: number; last: number; count: number } | undefined;
  if (spikes.length > 0) {
    const lastAt = idx.indexOf(spikes[spikes.length - 1]);
    if (lastAt < idx.length * UNSTABLE_START_SHARE) unstableTo = { x: x[idx[Math.min(idx.length - 1, lastAt + SPIKE_WINDOW)]], last: x[spikes[spikes.length - 1]], count: spikes.length };
    const at = x[spikes[0]];
    messages.push(`left out ${plural(spikes.length, 'isolated spike')}: a loss over ${SPIKE_RATIO}× the median of its ${SPIKE_WINDOW * 2} neighbours (a corrupt or overflowed value; the first, ${formatNumber(loss[spikes[0]], 6)}, at ${xKind} ${formatNumber(at, 6)}), which would pull the whole fit`);
    spikeReport = { x: spikes.slice(0, MAX_SPIKES_REPORTED).map((i) => x[i]), loss: spikes.slice(0, MAX_SPIKES_REPORTED).map((i) => loss[i]) };
    const out = new Set(spikes);
    let w = 0;
    for (const i of idx) if (!out.has(i)) idx[w++] = i;
    idx.length = w;
  }
  // Steps of each point: given, or x itself when x is the step.
  const stepOf = (i: number): number | undefined => (stepsIn ? stepsIn[i] : xKind === 'step' ? x[i] : undefined);
  let sched = opts.schedule;
  if (sched && stepOf(idx[0] ?? 0) === undefined) {
    messages.push('the LR schedule needs the step of each point: fitted without it');
    sched = undefined;
  }
  // The schedule must cover every point and the target; beyond its end the LR is held (and said so).
  // An end nothing states (the LR column alone, constant so far or still above a fifth of its peak at
  // the last step; no plan, no stated last step): the run may go on, so the target is 10× the last
  // step, as without a schedule, with the LR there taken as its last value.
  let endUnstated = false;
  // A stated planned end past the steps an LR schedule is built to (SCHEDULE_REACH: timm's 310 epochs
  // of 10,009 iterations plan 3.1 M): the target, the schedule held at its last LR up to its reach.
  const endBeyondReach = opts.plannedEnd && opts.plannedEnd.steps > SCHEDULE_REACH ? opts.plannedEnd.steps : 0;
  if (sched) {
    let need = 0;
    for (const i of idx) need = Math.max(need, stepOf(i)!);
    const lastStep = need;
    if (opts.targetStep && opts.targetStep > 0) need = Math.max(need, opts.targetStep);
    else if (!(opts.targetTokens && opts.targetTokens > 0) && !(opts.fitUntil && opts.fitUntil > 0) && endBeyondReach) need = Math.max(need, endBeyondReach);
    else if (!(opts.targetTokens && opts.targetTokens > 0) && !(opts.fitUntil && opts.fitUntil > 0) && !sched.planned && !sched.plannedEnd &&
      sched.total <= lastStep && (sched.kind === 'constant' || (sched.kind === 'logged' && lrAtStep(sched, lastStep) > 0.2))) {
      endUnstated = true;
      need = Math.max(need, 10 * lastStep);
    }
    if (need > sched.total) sched = extendSchedule(sched, Math.ceil(need));
  }
  // Warm-up: exactly the schedule's when it is known, else a fraction of the points.
  let used: number[];
  /** With a schedule, the share of the points (%) skipped past the warm-up because the run repeats its data. */
  let extraSkip = 0;
  /** An early plateau left out: its points, and the step (else x) of its last. */
  let plateau: { points: number; to: number } | undefined;
  /** The log ends inside its LR warm-up: fewer than 4 points after it (said instead of "too few points"). */
  let inWarmup = '';
  if (sched) {
    // Exactly the warm-up, and the run's first logged point: it holds the initial transient (and
    // trainers such as Hugging Face's log the mean loss since step 0 there).
    const w = sched.warmup;
    used = idx.filter((i, k) => k > 0 && stepOf(i)! > w);
    // (Only when the log's last point is inside the warm-up: a log past it with too few points after it,
    // 12 of a real DPO console's 17 losses printed as 0.0 and left out, is not "inside its warm-up".)
    const lastIn = idx.length > 0 ? stepOf(idx[idx.length - 1])! : NaN;
    if (used.length < 4 && idx.length >= 4 && lastIn <= w) {
      const last = Math.round(lastIn);
      inWarmup = `the log ends inside its LR warm-up: ${plural(used.length, 'point')} of ${idx.length} after it (${w > last ? `the warm-up runs to step ${Math.round(w)}, the log to step ${last}` : `the LR still rises at the log's last step, ${last}`}), and a loss-curve law needs at least 4 there; fit it again once the run is past its warm-up`;
    }
    messages.push(w > 0
      ? `skipped the warm-up: ${idx.length - used.length} point(s) up to step ${Math.max(w, stepOf(idx[0]) ?? 0)} (warm-up from the LR schedule, and the first logged point)`
      : `skipped the first logged point (step ${stepOf(idx[0])}); the LR schedule has no warm-up`);
    const skip = Math.min(0.9, Math.max(0, opts.skipFraction ?? DEFAULT_SKIP_FRACTION));
    const nSkip = Math.floor(idx.length * skip);
    // A run over repeated data skips that share of its points too, unless asked not to (skip 0): its
    // first pass falls faster than the later ones (it learns what it will memorise), which pulls a
    // power law fitted through it. Measured on the bench's real logs (README, fourteenth session):
    // the median error from half the run on those with an LR fell from 11.8% to 8.7%, and on none of
    // the single-pass runs did anything change.
    const repeated = !!opts.epochs && opts.epochs.count > 1;
    if ((opts.skipOverSchedule || repeated) && nSkip > 0) {
      const later = new Set(idx.slice(nSkip));
      const before = used.length;
      used = used.filter((i) => later.has(i));
      if (before > used.length && !opts.skipOverSchedule) extraSkip = Math.round(skip * 100);
      messages.push(before > used.length
        ? opts.skipOverSchedule
          ? `skipped the first ${Math.round(skip * 100)}% of the points as asked: ${before - used.length} more point(s), up to step ${stepOf(idx[nSkip - 1])}`
          : `skipped the first ${Math.round(skip * 100)}% of the points too: ${before - used.length} more point(s), up to step ${stepOf(idx[nSkip - 1])}, as the run makes ${fmtNum(opts.epochs!.count)} passes over its data and its first falls faster than the later ones (set the skip to 0 for the warm-up only)`
        : `the first ${Math.round(skip * 100)}% of the points ${opts.skipOverSchedule ? 'asked to be skipped' : 'skipped on repeated data'} end before the warm-up does: the warm-up is skipped`);
    } else if (skip > 0) {
      messages.push(`"skip first ${Math.round(skip * 100)}%" not applied: the LR schedule's warm-up is skipped instead (set the skip for this run to skip more)`);
    }
  } else {
    const skip = Math.min(0.9, Math.max(0, opts.skipFraction ?? DEFAULT_SKIP_FRACTION));
    const nSkip = Math.floor(idx.length * skip);
    if (nSkip > 0) messages.push(`ignored the first ${nSkip} point(s) (${Math.round(skip * 100)}% warm-up)`);
    used = idx.slice(nSkip);
  }
  // Prefix fit (--fit-until): the rest is held out and scored.
  let heldOut: number[] = [];
  let prefixCut = NaN;
  // (Every point inside the warm-up: the cut is still placed, on the whole log, to say so.)
  if (opts.fitUntil !== undefined && opts.fitUntil > 0 && idx.length > 0) {
    const lastU = used.length > 0 ? used[used.length - 1] : idx[idx.length - 1];
    const cut = opts.fitUntil < 1 ? prefixEnd(opts.fitUntil, stepOf(idx[0]) ?? x[idx[0]], stepOf(lastU) ?? x[lastU]) : opts.fitUntil;
    prefixCut = cut;
    if (used.length > 0) {
      const keep = used.filter((i) => (stepOf(i) ?? x[i]) <= cut);
      heldOut = used.slice(keep.length);
      used = keep;
      messages.push(`fitted up to ${stepOf(lastU) !== undefined ? 'step' : xKind} ${fmtNum(cut)}; ${heldOut.length} later point(s) held out`);
    }
  }
  // An early plateau in the fitted range: its points left out (the law cannot bend that way).
  if (opts.plateauSkip !== false && used.length > 0) {
    const u = used;
    const p = earlyPlateau(u.length, (k) => x[u[k]], (k) => loss[u[k]], sched ? (k) => lrAtStep(sched!, stepOf(u[k])!) : undefined);
    if (p) {
      const last = u[p.from - 1], lastStep = stepOf(last);
      plateau = { points: p.from, to: lastStep ?? x[last] };
      messages.push(`skipped an early plateau: ${p.from} more point(s), up to ${lastStep !== undefined ? 'step' : xKind} ${fmtNum(plateau.to)}, where the loss fell slowly (log–log slope ${p.slopeStart.toFixed(2)}) before falling far faster (${p.slopeSteepest.toFixed(2)}), a bend no run law can follow (to keep them: set this run's skip, or turn off the setting scalingLens.fit.skipEarlyPlateau; CLI --no-plateau-skip)`);
      used = used.slice(p.from);
    }
  }
  // An unstable start (spikes in the first quarter only, a real RNN's exploding first epochs): the
  // losses between and just after them are not yet the curve's either (36× and 13× the loss around
  // them), and a least-squares fit follows them. The fit starts past the last spike's neighbours.
  if (unstableTo && opts.plateauSkip !== false && used.length > 0) {
    const keep = used.filter((i) => x[i] > unstableTo!.x);
    if (keep.length < used.length && keep.length >= Math.max(4, used.length / 2)) {
      const gone = used.length - keep.length;
      messages.push(`skipped an unstable start: ${gone} more point(s), up to ${stepOf(used[gone - 1]) !== undefined ? 'step' : xKind} ${fmtNum(stepOf(used[gone - 1]) ?? x[used[gone - 1]])}, where the loss spiked (${plural(unstableTo.count, 'spike')} left out, the last at ${xKind} ${fmtNum(unstableTo.last)}) and had not yet settled on its curve (to keep them: set this run's skip, or turn off the setting scalingLens.fit.skipEarlyPlateau; CLI --no-plateau-skip)`);
      used = keep;
    }
  }
  const n = used.length;
  const dropped = total - n - heldOut.length;
  const fail = (m: string) => ({ ...failedReport('run', n, dropped, m), xKind, messages: [...messages, m] });
  // A prefix cut inside the LR warm-up (the LR known up to the cut still rises there, or its warm-up ends after it).
  const cutStep = Number.isFinite(prefixCut) && idx.length && stepOf(idx[0]) !== undefined ? prefixCut : undefined;
  // (Or the warm-up, as the LR known up to the cut shows it, leaves fewer than 4 of the points before the cut.)
  const warmupTook = sched && cutStep !== undefined &&
    idx.filter((i) => stepOf(i)! <= cutStep).length >= 4 && idx.filter((i, k) => k > 0 && stepOf(i)! <= cutStep && stepOf(i)! > sched!.warmup).length < 4;
  if (n < 4 && sched && cutStep !== undefined && (sched.warmup >= cutStep || warmupTook)) {
    return fail(`fitted up to step ${fmtNum(cutStep)}, inside the LR warm-up (${sched.warmup > cutStep ? `it runs to step ${Math.round(sched.warmup)}` : 'the LR still rises there'}): ${plural(n, 'point')} after it, and a loss-curve law needs at least 4; fit a longer part of the run`);
  }
  if (n < 4) return fail(inWarmup && !(opts.fitUntil && opts.fitUntil > 0) ? inWarmup : `too few points for a loss-curve law: ${n} usable after warm-up, need at least 4`);
  const xs = used.map((i) => x[i]);
  const ys = used.map((i) => loss[i]);
  const ss = sched ? used.map((i) => stepOf(i)!) : undefined;
  let distinct = 1;
  for (let i = 1; i < n; i++) if (xs[i] > xs[i - 1] * (1 + 1e-9)) distinct++;
  if (distinct < 3) return fail(`the curve has only ${distinct} distinct ${xKind} value(s); need at least 3`);
  const reasons: string[] = [];
  if (xs[n - 1] / xs[0] < 1.5) {
    const m = `the fitted range spans only ${(xs[n - 1] / xs[0]).toFixed(2)}× in ${xKind}: extrapolation is unreliable`;
    messages.push(m); reasons.push(m);
  }

  // x ↔ step: x = ratio · step when both are known (tokens or FLOPs per step are constant).
  let ratio = 1;
  if (ss || stepsIn) {
    const r = used.map((i, k) => xs[k] / Math.max(stepOf(i) ?? NaN, 1e-12)).filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
    ratio = r.length ? r[Math.floor(r.length / 2)] : 1;
  }
  const stepToX = (s: number) => (xKind === 'step' ? s : s * ratio);
  const xToStep = (v: number) => (xKind === 'step' ? v : v / ratio);

  // Each bin's step: the schedule's, or the log's steps when every point has one (the passes law).
  const stepsKnown = !ss && used.every((i) => stepOf(i) !== undefined);
  const sUsed = ss ?? (stepsKnown ? used.map((i) => stepOf(i)!) : undefined);
  const bins = makeBins(xs, sUsed, ys, MAX_BINS);
  const nb = bins.y.length;
  // Passes over the data: their length in steps, from the planned end and the planned passes, else
  // as the log's epoch showed it (the step over the epoch once a whole pass was logged).
  const planTotal = opts.plannedEnd?.steps ?? (sched?.planned ? sched.total : undefined);
  let passCount = opts.epochs && opts.epochs.count > 1 ? opts.epochs.count : 0;
  const perPass = passCount > 0 && (ss || stepsKnown)
    ? planTotal && planTotal > 0 ? planTotal / passCount : opts.epochs?.stepsPerPass && opts.epochs.stepsPerPass > 0 ? opts.epochs.stepsPerPass : 0
    : 0;
  // A prefix fit scored at a later step than its passes so far reach (an epoch column read up to the
  // cut, with no plan): the run went on to that step, so its passes are at least those by then.
  const scoredAt = heldOut.length > 0 ? stepOf(heldOut[heldOut.length - 1]) : undefined;
  if (perPass > 0 && scoredAt !== undefined) passCount = Math.max(passCount, passesBegun(scoredAt, perPass) + 1);

  // Candidate laws.
  const ctx: LawContext = {};
  const fitters = new Map<RunLawName, Fitter>();
  const wanted = opts.runLaw ?? 'auto';
  if (wanted === 'auto' || wanted === 'power') fitters.set('power', powerFitter());
  // The drop at each new pass, when the fitted range shows one (a few planned passes, points on both sides of a start).
  if ((wanted === 'auto' && !opts.heldOutLoss) || wanted === 'passes') {
    const can = perPass > 0 && passCount <= MAX_PASSES_LAW && passesSeen(Float64Array.from(bins.s, (v) => passOf(v, perPass, passCount)), bins.w);
    if (can) fitters.set('passes', passesFitter(perPass, passCount));
    else if (wanted === 'passes') {
      messages.push(`the passes law needs a run that repeats its data over at most ${MAX_PASSES_LAW} planned passes, their length in steps (a planned end over the passes planned, or a logged epoch past one pass), and at least ${MIN_PASS_POINTS} fitted points in each of two passes${passCount > MAX_PASSES_LAW ? passCount > (opts.epochs?.count ?? 0) ? ` (by the pass length logged, ${formatInteger(Math.round(perPass))} steps, the held-out end at step ${formatInteger(scoredAt!)} lies in pass ${fmtNum(passCount)})` : ` (this run plans ${fmtNum(passCount)})` : ''}: fitted L = E + B/x^β instead`);
      fitters.set('power', powerFitter());
    }
  }
  const fewForSchedule = sched && nb < MIN_SCHEDULE_POINTS;
  if (fewForSchedule && wanted !== 'power') {
    messages.push(`${nb} point(s) are too few for the schedule-aware laws (4 parameters; need ${MIN_SCHEDULE_POINTS}): fitted L = E + B/x^β`);
  }
  if (sched && !fewForSchedule && (wanted === 'auto' || wanted === 'lr-annealing' || wanted === 'multi-power')) {
    ctx.schedule = sched;
    const lambdas = opts.lambda !== undefined ? [opts.lambda] : LAMBDA_GRID;
    ctx.areasByLambda = new Map(lambdas.map((l) => [l, annealingAreas(sched, l)]));
    ctx.areas = ctx.areasByLambda.get(lambdas[lambdas.length - 1])!;
    if (wanted === 'auto' || wanted === 'lr-annealing') fitters.set('lr-annealing', lrFitter({ areasByLambda: ctx.areasByLambda }));
    if (wanted === 'auto' || wanted === 'multi-power') {
      ctx.chunks = decayChunks(sched, 64);
      // Without any LR decay in the fitted range the multi-power law is the LR law without annealing.
      const sawDecay = decayIn(sched, ss![0], ss![n - 1]) > 0.02;
      if (wanted === 'multi-power' || sawDecay) fitters.set('multi-power', mplFitter({ areas: ctx.areas, chunks: ctx.chunks }));
    }
  } else if (wanted !== 'auto' && wanted !== 'power' && wanted !== 'passes' && !fewForSchedule) {
    messages.push(`the ${wanted} law needs the run's LR schedule (an LR column in the log, or a config with the schedule): fitted L = E + B/x^β instead`);
    fitters.set('power', powerFitter());
  }
  if (fitters.size === 0) fitters.set('power', powerFitter());

  // Backtests of each candidate on the fitted range.
  const win = finalWindow(n);
  const actualEnd = mean(ys.slice(n - win));
  const endX = xs.slice(n - win), endS = sUsed ? sUsed.slice(n - win) : endX.map(xToStep);
  const lastAxis = ss ? ss[n - 1] : xs[n - 1];
  const firstAxis = ss ? ss[0] : xs[0];
  const lateStart = startsLate(ss ? stepOf(idx[0]) ?? x[idx[0]] : x[idx[0]], lastAxis);
  /** A law's mean over the last fitted points against the loss there, and 2 standard errors of that mean (relative). */
  const endMissOf = (m: Model) => {
    const f = endX.map((v, k) => m.predict(v, endS[k]));
    const fit = mean(f), signed = (fit - actualEnd) / actualEnd;
    const tol = (2 * windowSE(ys.slice(n - win), f)) / actualEnd;
    return { fit, signed, miss: Math.abs(signed), tol, misses: Math.abs(signed) > tol };
  };
  const candidates: Array<{ law: RunLawName; model: Model; backtest: BacktestEntry[]; score: number; ghosts: Curve[]; excluded?: boolean }> = [];
  // Live refit: the one-parameter searches (power, LR annealing) start from the optimum before the
  // log grew, their backtests from the new optimum; multi-power stays cold.
  const fromOf = (law: RunLawName): RunLawFit | undefined => {
    if (law === 'multi-power') return undefined;
    const c = opts.warm?.find((w) => w.law === law);
    return c && Object.keys(c.params).length > 0 && Object.values(c.params).every(Number.isFinite) ? c : undefined;
  };
  // The prefixes backtested: where each cut falls and how many bins it keeps. Two cuts that keep the
  // same bins are one fit (a log with a gap, as a console pasted with `...` for iterations 200 to 992:
  // its 25, 50 and 75% were one fit of the same points counted three times): the later is dropped, said.
  const cuts: Array<{ f: number; cut: number; upto: number; twins: number[] }> = [];
  for (const f of BACKTEST_FRACTIONS) {
    // (Late by the log's first point, not the fitted range's: a warm-up skipped is no late start.)
    const cut = lateStart ? firstAxis + f * (lastAxis - firstAxis) : f * lastAxis;
    let upto = 0;
    while (upto < nb && (ss ? bins.s[upto] : bins.x[upto]) <= cut) upto++;
    if (upto < 4 || upto >= nb || cut <= firstAxis) continue;
    const twin = cuts.find((c) => c.upto === upto);
    if (twin) twin.twins.push(f);
    else cuts.push({ f, cut, upto, twins: [] });
  }
  const pct = (f: number) => `${Math.round(f * 100)}%`;
  for (const c of cuts) {
    if (c.twins.length) messages.push(`backtests: the prefixes of ${[c.f, ...c.twins].map(pct).join(', ')} hold the same points (none logged between their cuts): one fit, counted once, as ${pct(c.f)}`);
  }
  let warmed = 0;
  for (const [law, fitter] of fitters) {
    checkAbort(opts.signal);
    const from = fromOf(law);
    if (from) warmed++;
    const model = fitter(bins, bins.w, undefined, from);
    const backtest: BacktestEntry[] = [];
    const ghosts: Curve[] = [];
    for (const { f, cut, upto } of cuts) {
      const m = fitter(subBins(bins, upto), bins.w.subarray(0, upto), undefined, from ? model : undefined);
      const predicted = mean(endX.map((v, k) => m.predict(v, endS[k])));
      backtest.push({
        fitFraction: f, ...(cut !== f * lastAxis ? { axisFraction: cut / lastAxis } : {}), horizon: ss ? ss[n - 1] : xs[n - 1], horizonKind: ss ? 'step' : xKind,
        predicted, actual: actualEnd, errorPct: (100 * (predicted - actualEnd)) / actualEnd,
        floorAboveLater: floorAbove(m, actualEnd, endS[endS.length - 1]),
      });
      const gx = logspace(ss ? stepToX(cut) : cut, xs[n - 1], 30);
      ghosts.push({ name: `backtest: fitted on the first ${Math.round(f * 100)}%`, kind: 'backtest', x: gx, y: gx.map((v) => m.predict(v, xToStep(v))) });
    }
    const score = backtest.length ? mean(backtest.map((b) => Math.abs(b.errorPct))) : Infinity;
    candidates.push({ law, model, backtest, score, ghosts });
  }
  // A schedule-aware fit whose shape parameters sit at the edge of their search range is not
  // identified by this curve (its extrapolation is whatever the bound makes it): auto leaves it out.
  if (wanted === 'auto') {
    for (const c of candidates) {
      const edge = atBounds(c.model);
      if (edge.length && candidates.some((o) => o !== c && !o.excluded)) {
        c.excluded = true;
        messages.push(`auto: the ${c.law} fit has ${edge.join(', ')} at the edge of its search range (not identified by this curve): left out`);
      }
    }
  }
  const tgtGuess = opts.targetStep && opts.targetStep > 0 ? opts.targetStep : heldOut.length ? stepOf(heldOut[heldOut.length - 1]) : endBeyondReach && !(opts.targetTokens && opts.targetTokens > 0) ? endBeyondReach : sched?.total;
  // A law that predicts a loss of zero or less at the target has broken down there: auto leaves it out.
  if (wanted === 'auto' && sched && tgtGuess !== undefined) {
    for (const c of candidates) {
      const v = c.model.predict(stepToX(tgtGuess), tgtGuess);
      if (!(v > 0) && candidates.some((o) => o !== c && !o.excluded)) {
        c.excluded = true;
        messages.push(`auto: the ${c.law} fit predicts a loss of ${Number.isFinite(v) ? fmtNum(v) : 'n/a'} at step ${Math.round(tgtGuess)} (not a loss): left out`);
      }
    }
  }
  // The schedule-aware laws read the LR's areas up to the schedule's end, built to SCHEDULE_REACH steps
  // at most: past it their predictions stop moving (a real timm run planned to 3.1 M steps had its
  // lr-annealing prediction the same at 1 M and 3.1 M). Auto leaves them out when the target lies past it.
  if (sched && tgtGuess !== undefined && tgtGuess > sched.total + 0.5) {
    const aware = candidates.filter((c) => followsLr(c.law) && !c.excluded);
    const past = `the target, step ${formatInteger(Math.round(tgtGuess))}, lies past the ${formatInteger(sched.total)} steps the LR schedule is built to, where`;
    if (wanted === 'auto' && aware.length && candidates.some((c) => !followsLr(c.law) && !c.excluded)) {
      for (const c of aware) c.excluded = true;
      messages.push(`auto: ${past} ${aware.map((c) => `the ${c.law} law's`).join(' and ')} ${aware.length > 1 ? 'predictions stop' : 'prediction stops'} moving: left out`);
    } else if (wanted !== 'auto' && followsLr(wanted as RunLawName)) {
      messages.push(`${past} the ${wanted} law's prediction stops moving: it is the schedule's end's, not the target's`);
    }
  }
  // A known LR decay between the last fitted point and the target: the power law in x cannot follow
  // it, whatever its backtests on the fitted range (short horizons, little decay) say; auto leaves it
  // out when a schedule-aware law is left whose own backtests are not far worse (at most 3× the power
  // law's mean error + 1 point): a prior about the decay does not outweigh a law that missed this run.
  // The prior is what the two papers measured: language models trained on fresh data. On a run that
  // repeats its data the loss also measures memorisation, that evidence does not carry over, and the
  // backtests decide alone.
  // Before any LR decay the schedule-aware laws cannot estimate what a decay ahead gains (C, or the
  // multi-power law's drop term, fits to the noise): extrapolated through it they count the slower
  // progress of a lower LR (their forward area grows slower) and none of its gain. The power law in x
  // assumes neither; auto takes it, and the band stays open below for the decay (see decayAhead).
  if (wanted === 'auto' && sched && tgtGuess !== undefined && sched.futureKnown && candidates.some((c) => c.law === 'power' && !c.excluded) &&
      decayIn(sched, Math.max(sched.warmup, firstAxis), lastAxis) < 0.05 && lrAtStep(sched, lastAxis) - lrAtStep(sched, tgtGuess) > 0.1) {
    const aware = candidates.filter((c) => followsLr(c.law) && !c.excluded);
    for (const c of aware) c.excluded = true;
    if (aware.length) messages.push(`auto: the fitted range saw no LR decay, so ${aware.map((c) => `the ${c.law} law`).join(' and ')} cannot tell what the decay of ${Math.round(100 * (lrAtStep(sched, lastAxis) - lrAtStep(sched, tgtGuess)))}% of the peak ahead will gain, only that it slows progress: left out for L = E + B/x^β`);
  }
  const powerScore = candidates.find((c) => c.law === 'power')?.score ?? Infinity;
  const bestAware = Math.min(...candidates.filter((c) => followsLr(c.law) && !c.excluded).map((c) => c.score));
  const repeatsData = !!opts.epochs && opts.epochs.count > 1;
  if (wanted === 'auto' && sched && tgtGuess !== undefined && candidates.some((c) => followsLr(c.law) && !c.excluded) && sched.futureKnown &&
      lrAtStep(sched, lastAxis) - lrAtStep(sched, tgtGuess) > 0.1 && !(bestAware > 3 * powerScore + 1)) {
    const k = candidates.findIndex((c) => c.law === 'power');
    if (k >= 0 && repeatsData) {
      messages.push(`auto: the LR decays by ${Math.round(100 * (lrAtStep(sched, lastAxis) - lrAtStep(sched, tgtGuess)))}% of its peak ahead, but the run repeats its data: L = E + B/x^β is kept and the backtests decide`);
    } else if (k >= 0) {
      candidates[k].excluded = true;
      messages.push(`auto: the LR decays by ${Math.round(100 * (lrAtStep(sched, lastAxis) - lrAtStep(sched, tgtGuess)))}% of its peak ahead, which L = E + B/x^β cannot follow: left out`);
    }
  }
  // auto: smallest backtest error; ties (or no backtest) keep the schedule-aware law, then the drop
  // at each pass, then the power law (the parsimony rules below then weigh each against the power law).
  const order: RunLawName[] = ['lr-annealing', 'multi-power', 'passes', 'power'];
  // (No backtest, NaN: after every scored law, before every law left out. A NaN in the comparison
  // had kept a left-out law first: a real OpenNMT-py cut whose only laws with a backtest-free power
  // law beside them were left out for predicting a loss below zero, and auto took one of them.)
  const rank = (c: typeof candidates[number]) => (c.excluded ? Infinity : Number.isFinite(c.score) ? c.score : Number.MAX_VALUE);
  candidates.sort((a, b) => (rank(a) === rank(b) ? order.indexOf(a.law) - order.indexOf(b.law) : rank(a) - rank(b)));
  // Parsimony: the backtests score only horizons inside the fitted range, and the prior above (a
  // known decay ahead leaves the power law out) rests on the schedule-aware laws having measured the
  // LR's effect on this curve. On a noisy curve they have not: their prediction at the target moves
  // by more than it differs from the power law's (W&B TinyLM from 50%: the LR-annealing law −11.5%,
  // 1.7 standard errors from the power law's −1.8%). When no other law left in (schedule-aware, or
  // the drop at each pass) predicts a loss at the target more than OCCAM_Z linearised standard errors
  // from the power law's, the data cannot tell the laws apart there and auto takes the simpler law.
  /** Why auto took the law it took: the smallest backtest error, the simpler law, or the law that meets the end. */
  let why: 'backtests' | 'simpler' | 'end' = 'backtests';
  if (wanted === 'auto' && tgtGuess !== undefined && candidates[0].law !== 'power') {
    const pw = candidates.find((c) => c.law === 'power');
    const aware = candidates.filter((c) => c.law !== 'power' && !c.excluded);
    const tx = stepToX(tgtGuess);
    const pp = pw ? pw.model.predict(tx, tgtGuess) : NaN;
    if (pw && pp > 0 && aware.length) {
      const apart = aware.map((c) => ({ c, v: c.model.predict(tx, tgtGuess), se: predictionSE(c.model, bins, tx, tgtGuess) }));
      if (!apart.some((a) => Math.abs(a.v - pp) > OCCAM_Z * a.se)) {
        pw.excluded = false;
        candidates.splice(candidates.indexOf(pw), 1);
        candidates.unshift(pw);
        why = 'simpler';
        // (A standard error that cannot be computed, a singular Jacobian, is said as such, not "± Infinity".)
        const said = apart.map((a) => `${a.c.law} ${fmtNum(a.v)} ${Number.isFinite(a.se) ? `± ${fmtNum(a.se)}` : '(its standard error cannot be computed)'}`).join(', ');
        messages.push(`auto: no ${aware.every((c) => followsLr(c.law)) ? 'schedule-aware law' : 'other law'}'s prediction at step ${Math.round(tgtGuess)} is more than ${OCCAM_Z} standard errors from L = E + B/x^β's (${fmtNum(pp)}; ${said}): this curve cannot tell them apart there, the simpler law is taken`);
      }
    }
  }
  // Fit on the fitted range: a schedule-aware law that describes the curve no better than the power
  // law (a weighted squared error on the same bins at least as large, with more parameters) has not
  // shown the LR's effect on this curve, whatever its backtests: auto takes the simpler law. (The
  // shipped sample, a power law in tokens logged with a cosine LR: the LR-annealing law won the
  // backtests 0.95% to 1.50% with L0 at its bound 0 and α = 0.08; the power law fits better and
  // recovers E = 1.97, β = 0.292 of the true 2 and 0.3.)
  if (wanted === 'auto' && candidates[0].law !== 'power') {
    const pw = candidates.find((c) => c.law === 'power');
    const sseOf = (m: Model) => {
      let v = 0;
      for (let i = 0; i < nb; i++) v += bins.w[i] * (bins.y[i] - m.predict(bins.x[i], bins.s[i])) ** 2;
      return v;
    };
    const aware = candidates[0];
    const [sa, sp] = pw ? [sseOf(aware.model), sseOf(pw.model)] : [NaN, NaN];
    if (pw && sp <= sa) {
      pw.excluded = false;
      candidates.splice(candidates.indexOf(pw), 1);
      candidates.unshift(pw);
      why = 'simpler';
      messages.push(`auto: the ${aware.law} fit describes the fitted range no better than L = E + B/x^β (squared error ${fmtNum(sa)} against ${fmtNum(sp)}, with more parameters): it has not shown ${followsLr(aware.law) ? "the LR's effect on this curve" : 'a drop at the new pass'}, the simpler law is taken`);
    }
  }
  // The end of the fitted range: a law whose fit misses the mean loss of its last points by more than
  // the noise of that mean gives way to the best-ranked law left in that meets it (nanochat fitted
  // whole: E + B/x^β ends 1.9% above its logged warm-down, the LR-annealing law meets it) — unless
  // that law's backtests are an order of magnitude worse (more than 10× the first's mean error + 1
  // point): a law that meets the end by bending away after it (the buffered Trainer console from
  // 75%: the multi-power law, 928% in its backtests, against 14%) is not the better extrapolation.
  // (The synthetic cosine run from 50%, 16.7% against 4.2%, is: −0.6% at its end against +6.0%.)
  if (wanted === 'auto') {
    const e0 = endMissOf(candidates[0].model);
    if (e0.misses) {
      const s0 = candidates[0].score;
      const alt = candidates.slice(1).find((c) => !c.excluded && !endMissOf(c.model).misses && !(c.score > 10 * s0 + 1));
      if (alt) {
        messages.push(`auto: the ${candidates[0].law} fit misses the mean of the last ${win} fitted losses by ${(100 * e0.miss).toFixed(2)}% (more than 2 standard errors of that mean, ${(100 * e0.tol).toFixed(2)}%); the ${alt.law} fit meets it and is taken`);
        candidates.splice(candidates.indexOf(alt), 1);
        candidates.unshift(alt);
        why = 'end';
      }
    }
  }
  const chosen = candidates[0];
  const model = chosen.model;

  // Fit statistics on the points themselves.
  let sse = 0;
  const pred = xs.map((v, k) => model.predict(v, ss ? ss[k] : xToStep(v)));
  for (let i = 0; i < n; i++) sse += (ys[i] - pred[i]) ** 2;
  const r2 = r2Log(ys.map(Math.log), (k) => Math.log(Math.max(pred[k], 1e-12)));
  const report: ReportOf<'run'> = {
    ...runFitOf(model), n, dropped, ...(heldOut.length ? { heldOut: heldOut.length } : {}), xKind, objective: sse, r2, messages, curves: [],
    backtest: chosen.backtest.slice(),
    work: { evaluations: 0, warmStarted: warmed },
    candidates: candidates.map((c) => candidateOf(c.model, Number.isFinite(c.score) ? c.score : NaN)),
  };
  if (wanted === 'auto' && candidates.length > 1) {
    const among = candidates.some((c) => c.excluded) ? ' of the laws not left out' : '';
    const scores = candidates.map((c) => `${c.law} ${Number.isFinite(c.score) ? c.score.toFixed(2) + '%' : 'n/a'}${c.excluded ? ' (left out)' : ''}`);
    messages.push(why === 'end'
      ? `auto: ${LAW_TEXT[chosen.law]} taken as the law that meets the end of the fitted range (backtest errors: ${scores.join(', ')})`
      : why === 'simpler'
        ? `auto: ${LAW_TEXT[chosen.law]} taken as the simpler law (backtest errors: ${scores.join(', ')})`
        : candidates.every((c) => c === chosen || c.excluded)
          ? `auto: ${LAW_TEXT[chosen.law]} taken as the only law not left out (backtest errors: ${scores.join(', ')})`
          : `auto: ${LAW_TEXT[chosen.law]} has the smallest backtest error${among} (${scores.join(', ')})`);
  }
  if (plateau) report.plateau = plateau;
  if (spikeReport) report.spikes = spikeReport;
  if (sched) {
    report.schedule = { source: sched.source, kind: sched.kind, warmup: sched.warmup, total: sched.total, futureKnown: sched.futureKnown, ...(extraSkip > 0 ? { skipPercent: extraSkip } : {}),
      ...(endBeyondReach && sched.total >= SCHEDULE_REACH ? { reachOnly: true } : {}) };
  }
  if (model.law === 'passes') {
    const p = model.params, at = bins.s[nb - 1], k = passOf(at, p.stepsPerPass, passCount);
    const where = `fitted where the curve enters pass ${k + 1} (${Math.round(p.stepsPerPass)} steps a pass)`;
    messages.push(p.keep < 1
      ? `the drop at each new pass over the data: ${(100 * (1 - p.keep)).toFixed(1)}% of the loss above the floor E = ${fmtNum(p.E)} (ρ = ${fmtNum(p.keep)} kept), ${where}; a fixed drop at each pass would have put the floor of the run's last planned pass below zero, which a loss cannot go; taken as the same fraction at each pass ahead, which the run's later passes may not keep`
      : `the drop at each new pass over the data: D = ${fmtNum(p.D)} (${(100 * p.D / Math.max(1e-300, model.predict(bins.x[nb - 1], at))).toFixed(1)}% of the loss at step ${Math.round(at)}), ${where}; taken as the same at each pass ahead, which the run's later passes may not keep`);
  }
  if (model.law === 'power' || model.law === 'passes') {
    const p = model.params;
    if (p.B === 0) messages.push('the loss does not decrease over the fitted range: no power law to fit');
    else if (p.E === 0) messages.push('E is at its bound 0: the curve shows no floor yet (pure power law)');
    if (p.beta > 4.9 || p.beta < 0.0011) messages.push(`β = ${p.beta.toPrecision(3)} is at the edge of the search range`);
  } else if (model.params.A === 0) {
    messages.push('the loss does not decrease with the forward area: no power law to fit');
  }

  // Target: the planned end of the schedule; else the requested x; else the last held-out point; else 10× x.
  let targetStep: number | undefined;
  let targetX: number;
  if (opts.targetStep && opts.targetStep > 0) {
    targetStep = opts.targetStep; targetX = stepToX(targetStep);
  } else if (opts.targetTokens && opts.targetTokens > 0) {
    targetX = opts.targetTokens; targetStep = ss || xKind === 'step' ? xToStep(targetX) : undefined;
  } else if (heldOut.length > 0) {
    const li = heldOut[heldOut.length - 1];
    targetX = x[li]; targetStep = stepOf(li);
  } else if (sched && endBeyondReach > sched.total) {
    targetStep = endBeyondReach; targetX = stepToX(targetStep);
  } else if (sched && sched.total > (ss ? ss[n - 1] : 0)) {
    targetStep = sched.total; targetX = stepToX(targetStep);
  } else if (sched) {
    targetStep = ss![n - 1]; targetX = xs[n - 1];
  } else if (opts.plannedEnd && stepOf(used[n - 1]) !== undefined && opts.plannedEnd.steps > stepOf(used[n - 1])!) {
    // The x of a step: steps are x, or tokens per step are known (else 10× the last x, below).
    targetStep = opts.plannedEnd.steps; targetX = stepToX(targetStep);
  } else if (opts.plannedEnd && stepOf(used[n - 1]) !== undefined) {
    // The run reached its planned end (a YOLO results.txt's `9/9`): nothing ahead to predict, so the
    // fit at its last point (in-sample), not a 10× no training went on to.
    targetStep = stepOf(used[n - 1]); targetX = xs[n - 1];
  } else {
    targetX = 10 * xs[n - 1]; targetStep = xKind === 'step' ? targetX : undefined;
  }
  if (endUnstated) {
    messages.push(`the end of training is not stated (the LR column alone, ${sched?.kind === 'constant' ? 'constant so far' : 'still near its peak'}; no config, max_steps or "step N/T" gives the last step): extrapolated to 10× the last step`);
  }
  if (sched && targetStep !== undefined && targetStep > sched.total && followsLr(chosen.law)) {
    messages.push(`the schedule ends at step ${sched.total}: the LR after it is taken as its last value`);
  }
  const tStep = targetStep ?? xToStep(targetX);
  const point = model.predict(targetX, tStep);

  // --fit-until: the held-out error at the last logged point.
  if (heldOut.length > 0) {
    const k = finalWindow(heldOut.length + n);
    const tail = heldOut.slice(Math.max(0, heldOut.length - k));
    const actual = mean(tail.map((i) => loss[i]));
    const predicted = mean(tail.map((i) => model.predict(x[i], stepOf(i) ?? xToStep(x[i]))));
    const lastAll = (stepOf(heldOut[heldOut.length - 1]) ?? x[heldOut[heldOut.length - 1]]);
    // The fitted range's end on the same axis (its steps when known: lastAxis is x when no schedule
    // gave the fitted points steps, and was divided by a step: "fitted on 6553600% of the run").
    const endU = stepOf(used[n - 1]) ?? x[used[n - 1]];
    const axisF = endU / lastAll;
    // (Of the logged span, for a log that starts late: LATE_START.)
    const firstAll = stepOf(idx[0]) ?? x[idx[0]];
    const f = startsLate(firstAll, lastAll) ? (endU - firstAll) / (lastAll - firstAll) : axisF;
    report.backtest!.push({
      fitFraction: f, ...(f !== axisF ? { axisFraction: axisF } : {}), horizon: lastAll, horizonKind: stepOf(heldOut[0]) !== undefined ? 'step' : xKind,
      predicted, actual, errorPct: (100 * (predicted - actual)) / actual, heldOut: true,
    });
    messages.push(`held-out error at the last logged point: ${formatSignedPercent((100 * (predicted - actual)) / actual)} (fitted on ${Math.round(f * 100)}% of ${f !== axisF ? `the logged steps: the log starts at ${fmtNum(firstAll)}` : 'the run'})`);
  }

  // Why the extrapolation may not be supported.
  // The floor: E (for the passes law, less the drops of the passes begun by the last fitted point), or L0.
  const floor = model.law === 'power' ? model.params.E : model.law === 'passes' ? model.predict(Infinity, bins.s[nb - 1]) : model.params.L0;
  const reached = minSmoothed(ys);
  const floorHigh = floor > reached && (model.law === 'power' || model.law === 'passes' || !(model.params.C > 0 || (model.law === 'multi-power' && model.params.B > 0)));
  if (floorHigh) {
    reasons.push(`the fitted floor ${fmtNum(floor)} is above the loss the run already reached (${fmtNum(reached)})`);
  }
  let decayAhead = 0;
  if (sched && tStep > lastAxis) {
    const seen = decayIn(sched, Math.max(sched.warmup, firstAxis), lastAxis);
    const ahead = lrAtStep(sched, lastAxis) - lrAtStep(sched, Math.min(tStep, sched.total));
    if (ahead > 0.1 && seen < 0.05) {
      decayAhead = ahead;
      reasons.push(`the LR decays by ${Math.round(ahead * 100)}% of its peak after step ${Math.round(lastAxis)}, a decay the fitted range never saw: how much it will lower the loss cannot be estimated from this log`);
    }
    if (!sched.futureKnown) {
      reasons.push(sched.plannedEnd
        ? `the LR after step ${Math.round(lastAxis)} is not known (the run's planned end, step ${sched.plannedEnd}, is; the LR's shape is not): taken as its last value`
        : `the LR after step ${Math.round(lastAxis)} is not known (no planned schedule): taken as its last value`);
    }
  } else if (!sched && (chosen.law === 'power' || chosen.law === 'passes') && !(opts.targetTokens && opts.targetTokens > 0) && heldOut.length === 0) {
    const end = opts.plannedEnd;
    messages.push(end && targetX === xs[n - 1]
      ? `the run reached its planned end, step ${end.steps} (${end.source}): fitted at its last point, with nothing ahead to predict`
      : end && targetStep === end.steps
        ? `no LR schedule known: predicted at the run's planned end, step ${end.steps} (${end.source}), as if the LR went on as so far; a decay of the LR before then would lower the loss below this (an LR column or a config with the schedule would tell)`
        : 'no LR schedule known: extrapolated to 10× the last point (an LR column or a config with the schedule would predict the end of training)');
  }
  // Passes over the data that start after the fitted range, when all of it is in the first pass: at
  // each the training loss drops by an amount a first pass cannot tell (5–10% at the boundary in the
  // real fine-tunes of test/fixtures, and falling faster after it).
  let passesAhead = 0, secondPassAt = 0;
  if (opts.rl) reasons.push(opts.rl);
  // A run that diverged (a real ColossalAI DreamBooth: NaN from step 15 of 20): the law fitted before it
  // says where a healthy run would have gone, not where this one went.
  if (opts.diverged) (opts.diverged.step === undefined || !(tStep < opts.diverged.step) ? reasons : messages).push(opts.diverged.text);
  if (opts.epochs && opts.epochs.count > 1) {
    reasons.push(`the run makes ${fmtNum(opts.epochs.count)} passes over its data (${opts.epochs.source}): repeated data changes the curve (memorisation, overfitting) in ways none of these laws models`);
    const total = opts.plannedEnd?.steps ?? (sched?.planned ? sched.total : undefined);
    const spe = total && total > 0 ? total / opts.epochs.count : 0;
    if (spe > 0 && lastAxis < spe && (ss || xKind === 'step')) {
      for (let j = 1; j < opts.epochs.count && j * spe < tStep; j++) passesAhead++;
      secondPassAt = Math.round(spe);
      if (passesAhead > 0) {
        reasons.push(opts.heldOutLoss
          ? `the fitted range is all in the first pass over the data; the second starts at step ${secondPassAt}, after which a held-out loss can stop falling or rise (overfitting) by an amount the first pass cannot tell`
          : `the fitted range is all in the first pass over the data; the second starts at step ${secondPassAt}, where the training loss drops by an amount the first pass cannot tell`);
      }
    }
  }
  // Augmentation that stops after the fitted range (the last epochs of a detector's run): the
  // training loss falls then, by an amount nothing before it shows (a real YOLOX run's total loss
  // about 45% over its last 15 of 300 epochs, a YOLOv8 run's box loss about 8% over its last 10 of
  // 100); its held-out loss rose about 4% (less regularisation). Said; the band is open below from
  // there for a training loss.
  let augmentAt = Infinity;
  const aug = opts.augmentOff;
  if (aug && (ss || xKind === 'step') && aug.step > 0) {
    if (aug.step >= lastAxis && tStep > aug.step) {
      augmentAt = aug.step;
      reasons.push(opts.heldOutLoss
        ? `${aug.what} stops after step ${Math.round(aug.step)} (${aug.source}): the held-out loss can change then by an amount the fitted range cannot show (a YOLOv8 run's validation box loss rose about 4% over its last 10 of 100 epochs)`
        : `${aug.what} stops after step ${Math.round(aug.step)} (${aug.source}): the training loss falls then, by an amount the fitted range cannot show (a YOLOX run's fell about 45% over its last 15 of 300 epochs)`);
    } else if (aug.step < lastAxis && aug.step > firstAxis) {
      messages.push(`the fitted range goes past step ${Math.round(aug.step)}, where ${aug.what} stops (${aug.source}): the loss changes there in a way none of these laws models`);
    }
  }
  // An LR cut when a metric stalls (Keras' ReduceLROnPlateau), with no plan known: constant so far or
  // not, it can fall at any later epoch, and the loss with it, by an amount nothing fitted shows (a
  // real Keras CNN on MNIST: its validation loss fell 2.5× over two halvings in its last 13 of 30
  // epochs, where the band from its first half reached 2× too high). The band is open below from the
  // last fitted point.
  // The target on the axis the run's points are placed on (its steps, else x), and that axis' kind in words.
  const targetAxis = ss || xKind === 'step' ? tStep : targetX;
  const axisKind = ss || xKind === 'step' ? 'step' : xKind;
  let cutsFrom = Infinity;
  if (opts.lrCuts && !sched?.futureKnown && targetAxis > lastAxis) {
    cutsFrom = lastAxis;
    reasons.push(`the LR can be cut at any later epoch: ${opts.lrCuts}; a cut lowers the loss by an amount the fitted range cannot show (a Keras CNN on MNIST: its validation loss fell 2.5× over two halvings in its last 13 of 30 epochs)`);
  }
  // A switch to averaged SGD, planned or when the validation stalls, and a planned LR cut: the band is
  // open below from there (a real Fast Weight Memory LSTM's training loss fell 8% and its averaged
  // model's validation loss 0.4% over the 134 epochs after its planned switch, where the bands from
  // half-way stopped above the truth).
  let changeFrom = Infinity;
  for (const c of opts.changesAhead ?? []) {
    if (c.step === undefined) {
      if (c.happened !== undefined && c.happened <= lastAxis) continue;
      if (targetAxis > lastAxis) {
        changeFrom = Math.min(changeFrom, lastAxis);
        reasons.push(`${c.what} can come at any later epoch (${c.source}): the loss falls then by an amount the fitted range cannot show`);
      }
    } else if (c.step >= lastAxis && targetAxis > c.step) {
      changeFrom = Math.min(changeFrom, c.step);
      reasons.push(`${c.what} after ${formatAt(axisKind, c.step)} (${c.source}): the loss falls then by an amount the fitted range cannot show`);
    } else if (c.step < lastAxis && c.step > firstAxis) {
      messages.push(`the fitted range goes past ${formatAt(axisKind, c.step)}, where ${c.what} (${c.source}): the loss changes there in a way none of these laws models`);
    }
  }
  // A law chosen by the user (auto leaves such a fit out) that predicts a loss of zero or less at the
  // target has broken down before it: said, and no band (the lr-annealing law on a real nnU-Net log
  // from 30%: −0.371, "[0, 0.352]" around it, where the run reached 0.301).
  const belowZero = !(point > 0);
  if (belowZero) reasons.push(`the ${chosen.law} law predicts a loss of ${Number.isFinite(point) ? fmtNum(point) : 'n/a'} at the target, not a loss: it breaks down before it`);
  const horizonRatio = (tStep > 0 && lastAxis > 0) ? Math.max(1, targetAxis / lastAxis) : 1;
  if (horizonRatio > 10) reasons.push(`the target is ${Number.isFinite(horizonRatio) ? horizonRatio.toFixed(0) : formatNumber(horizonRatio)}× beyond the last fitted point`);
  if (chosen.backtest.length === 0 && horizonRatio > 1.0001) reasons.push('too few points for backtests: no measured error to size the band');
  if (Number.isFinite(chosen.score) && chosen.score > 3) reasons.push(`refitted on shorter prefixes, this law missed this run's later loss by ${chosen.score.toFixed(1)}% on average`);

  // Band: bootstrap percentile ∪ the backtests' error scaled to this horizon.
  const level = opts.ciLevel ?? DEFAULT_CI_LEVEL;
  const qlo = (1 - level) / 2, qhi = 1 - qlo;
  const B = Math.max(0, Math.floor(opts.bootstrap ?? DEFAULT_BOOTSTRAP));
  const fitter = fitters.get(chosen.law)!;
  const boot: Model[] = [];
  if (B > 0 && !(model.law === 'power' && model.params.B === 0)) {
    const counts = new Float64Array(nb);
    const w = new Float64Array(nb);
    const block = Math.ceil(Math.cbrt(nb));
    const reps = chosen.law === 'multi-power' ? Math.min(B, 20) : B;
    // The one bootstrap loop (src/core/fit/bootstrap.ts), on this thread: the refits close over the schedule.
    runBootstrap({
      resamples: reps, seed: opts.seed ?? DEFAULT_SEED, drawsPerResample: Math.ceil(nb / Math.min(nb, block)), width: 1,
      signal: opts.signal, onProgress: opts.onProgress,
      refit: (rng) => {
        blockResampleCounts(rng, counts, block);
        for (let i = 0; i < nb; i++) w[i] = counts[i] * bins.w[i];
        boot.push(fitter(bins, w, model));
        return true;
      },
    });
    report.ci = intervals(model, boot, qlo, qhi);
  }
  // How the law meets the run's end: its mean over the final window of fitted points against the
  // loss there. A miss larger than the noise of that mean (2 standard errors, autocorrelation
  // included), than the bootstrap's spread there and than the band at the target is a bend the law
  // does not follow that the band does not cover (nanochat's warm-down fitted whole with
  // E + B/x^β: 2.787 against 2.735, band ±0.9%): said, and the band widened by it.
  const { fit: endFit, signed: endMiss, tol: tol0 } = endMissOf(model);
  let endTol = tol0;
  if (boot.length > 0) {
    const v = boot.map((q) => mean(endX.map((xv, k) => q.predict(xv, endS[k]))));
    endTol = Math.max(endTol, (percentile(v, qhi) - percentile(v, qlo)) / 2 / actualEnd);
  }
  // The truth a band is held to is the mean of the run's last logged losses (finalWindow of them), and
  // they scatter around the curve: the band spans ±z standard errors of such a mean, its spread read
  // from the residuals of the fitted range's last points (lag-1 autocorrelation included). A band of
  // the curve alone missed it on short horizons (bench/extrapolation.mjs from 90% of each real run:
  // 17 of 87 bands missed, by 0.1% to 10%: detectron2's, MMSeg's and icefall's noisy last losses).
  const tailN = Math.min(n, Math.max(win, 40));
  const tailS = sUsed ? sUsed.slice(n - tailN) : xs.slice(n - tailN).map(xToStep);
  const tailSE = windowSE(ys.slice(n - tailN), xs.slice(n - tailN).map((v, k) => model.predict(v, tailS[k])));
  const noise = Number.isFinite(tailSE) ? normalQuantile(qhi) * tailSE * Math.sqrt(tailN / win) : 0;
  // The relative gap the band must span, on the side of the losses logged there, at and after the last
  // fitted point (of the law's own value there).
  const endRel = Math.abs(endFit - actualEnd) / endFit;
  let missesEnd = false, widenEnd = false;
  // Relative error per e-fold of horizon, worst over the backtests, times 1.5 (three backtests are few).
  let perFold = 0;
  for (const b of chosen.backtest) {
    if (b.heldOut) continue;
    const folds = Math.log(1 / (b.axisFraction ?? b.fitFraction));
    if (folds > 0) perFold = Math.max(perFold, Math.abs(b.errorPct) / 100 / folds);
  }
  const folds = Math.log(horizonRatio);
  const widen = 1.5 * perFold * folds;
  const repeated = !!opts.epochs && opts.epochs.count > 1 && tStep > lastAxis;
  // A new pass over repeated data after the fitted range: at its start the training loss can fall by
  // any amount (memorisation). Real Trainer states fell 200× (CodeBERT, ViT: ten epochs each, from
  // their midpoints) and 4× (a Qwen3-8B LoRA, nine epochs) where the law and the rule above put the
  // band's lower end within 2× of the prediction: the band is open to 0 from the next pass's start.
  // A pass's length in steps: as the passes law takes it, else the run's end over its passes (the last
  // logged step of a prefix fit, or the planned end: a YOLOv8 run in MLflow logs one step per epoch).
  const runEnd = heldOut.length > 0 ? stepOf(heldOut[heldOut.length - 1]) : planTotal;
  const stepsPerPass = perPass > 0 ? perPass : repeated && runEnd !== undefined && runEnd > lastAxis ? runEnd / opts.epochs!.count : 0;
  const nextPass = repeated && stepsPerPass > 0 && (ss || xKind === 'step') ? Math.ceil(lastAxis / stepsPerPass - 1e-9) * stepsPerPass : Infinity;
  const evalLoss = !!opts.heldOutLoss;
  const openBelow = !evalLoss && nextPass < tStep && nextPass < Math.max(opts.epochs!.count, passCount) * stepsPerPass - 1e-9;
  // A held-out loss on repeated data is not lowered by memorisation but can turn up at any later pass
  // (overfitting): the real fine-tunes' evaluation losses of bench/extrapolation.mjs ended 1.1× to
  // 2.5× above their lowest, where the law (a falling curve) and the band missed 10 times in 32. The
  // band is open above from the end of the first pass (or the last fitted point, when later).
  const aboveFrom = repeated && evalLoss ? Math.max(lastAxis, stepsPerPass > 0 && (ss || xKind === 'step') ? stepsPerPass : 0) : Infinity;
  const openAbove = aboveFrom < targetAxis;
  const bandAt = (xv: number, sv: number): [number, number] => {
    const c = model.predict(xv, sv);
    let lo = c, hi = c;
    if (boot.length > 0) {
      const v = boot.map((q) => q.predict(xv, sv));
      lo = Math.min(lo, percentile(v, qlo)); hi = Math.max(hi, percentile(v, qhi));
    }
    const svAxis = ss || xKind === 'step' ? sv : xv;
    if (noise > 0 && svAxis > lastAxis) { lo = Math.min(lo, c - noise); hi = Math.max(hi, c + noise); }
    const f = lastAxis > 0 && svAxis > lastAxis ? 1.5 * perFold * Math.log(svAxis / lastAxis) : 0;
    // In ratio both ways (a loss is positive): a backtest error of 196% reaches down to c / 2.96, not below 0.
    lo = Math.min(lo, c / (1 + f)); hi = Math.max(hi, c * (1 + f));
    if (decayAhead > 0 && sv > lastAxis) {
      // The decay's gain is unknown: the band reaches down by up to 10% of the loss, scaled by how much of the decay is behind.
      const done = sched ? Math.max(0, lrAtStep(sched, lastAxis) - lrAtStep(sched, Math.min(sv, sched.total))) / decayAhead : 1;
      lo = Math.min(lo, c * (1 - 0.1 * done));
    }
    if (floorHigh && sv > lastAxis) lo = Math.min(lo, Math.min(reached, c) / (1 + 0.5 * f) - (c - Math.min(reached, c)));
    if (widenEnd && svAxis >= lastAxis) {
      // Beyond the end by the same ratio; at the last fitted point itself, up to the losses logged there.
      const at = svAxis <= lastAxis * (1 + 1e-9);
      if (actualEnd > endFit) hi = Math.max(hi, c * (1 + endRel), at ? actualEnd : -Infinity);
      else lo = Math.min(lo, c * (1 - endRel), at ? actualEnd : Infinity);
    }
    if (!evalLoss && passesAhead > 0 && sv > secondPassAt) {
      // 10% below for each new pass begun by `sv` (at most half the loss), beyond the rest of the
      // band: the drop at a new pass comes on top of the law's own error, not instead of it.
      const k = Math.min(passesAhead, Math.floor(sv / secondPassAt - 1e-9));
      lo = Math.min(lo, c) * (1 - Math.min(0.5, 0.1 * k));
    }
    if (repeated && sv > lastAxis && c < reached) {
      // Repeated data: the law's further fall is not trusted either way — the loss may stop falling
      // (stay at what it reached) or fall as far again in ratio (memorisation; a held-out loss fell
      // so on a SmolLM QLoRA whose LR decayed to 0): c²/reached, above 0.
      hi = Math.max(hi, reached);
      lo = Math.min(lo, (c * c) / reached);
    }
    if (openBelow && sv > nextPass) lo = 0;
    if (!evalLoss && sv > augmentAt) lo = 0;
    if (svAxis > cutsFrom) lo = 0;
    if (svAxis > changeFrom) lo = 0;
    if (openAbove && svAxis > aboveFrom) hi = Infinity;
    // A loss is not below zero (the floor-above-the-losses widening can reach past it: a real CodeBERT
    // state fitted to 95%, its floor 0.0062 above the 0.0002 it reached, had a band down to −0.0096).
    return [Math.max(0, lo), hi];
  };
  // The miss counts when the band at the target would not already span it.
  const banded = B > 0 || widen > 0 || decayAhead > 0 || repeated || passesAhead > 0 || augmentAt < Infinity || cutsFrom < Infinity || changeFrom < Infinity;
  const [lo0, hi0] = banded ? bandAt(targetX, tStep) : [point, point];
  // The band spans at least the gap at the end (the truth there is known); the gap is a reason not to
  // trust the law only when it is also larger than the noise of the last points' mean.
  const spans = actualEnd > endFit ? hi0 >= point * (1 + endRel) : lo0 <= point * (1 - endRel);
  missesEnd = Number.isFinite(endMiss) && !spans && Math.abs(endMiss) > endTol;
  widenEnd = Number.isFinite(endRel) && !spans && (banded || missesEnd);
  if (missesEnd) {
    reasons.push(`the fitted law misses the last ${win} fitted losses by ${endMiss > 0 ? '+' : ''}${(100 * endMiss).toFixed(2)}% (${fmtNum(endFit)} against ${fmtNum(actualEnd)}), more than the band spans: the curve bends at its end in a way this law does not follow`);
  }
  const [lo1, hi1] = widenEnd ? bandAt(targetX, tStep) : banded ? [lo0, hi0] : [NaN, NaN];
  // No backtest inside the fitted range (too few points): nothing measured how far this law extrapolates,
  // and a band from resampling alone claims what the data cannot support (a real TRL run fitted on its
  // first 4 points: ±3%, the truth 23% lower). None is drawn, unless it is already open below (a
  // training loss on repeated data, whose upper end is the loss already reached). Open above only (a
  // held-out loss on repeated data) is not enough: its lower end would still be resampling's alone (a
  // real ConvNeXt-V2 fine-tune's validation loss fitted on 4 points: [1.236, ∞], the truth 1.2285).
  const unmeasured = banded && chosen.backtest.every((b) => b.heldOut) && horizonRatio > 1.0001 && lo1 > 0;
  // Open both ways (down to 0 and without bound above: a held-out loss on repeated data whose LR can
  // be cut) says nothing an interval could: none is drawn, and the reasons say why.
  const bothWays = !unmeasured && banded && !(lo1 > 0) && hi1 === Infinity;
  const [lo, hi] = unmeasured || bothWays || belowZero ? [NaN, NaN] : [lo1, hi1];
  // In-sample: the target inside the fitted range (a finished run fitted whole), nothing extrapolated.
  const inSample = !(targetX > xs[n - 1]);
  report.prediction = { tokens: targetX, step: targetStep, loss: point, lo, hi };
  if (inSample) report.prediction.inSample = true;
  const bandWords = `${Math.round(level * 100)}% ${boot.length > 0 ? `moving-block bootstrap (${boot.length} resamples, seed ${opts.seed ?? DEFAULT_SEED})` : 'band without a bootstrap'}${widen > 0 ? `, widened by the backtests' error (+${formatPercent(100 * widen)} / −${formatPercent(Number.isFinite(widen) ? (100 * widen) / (1 + widen) : 100)} at the target, in ratio)` : ''}${noise > 0 && horizonRatio > 1.0001 ? `, at least ±${fmtNum(noise)} for the scatter of ${win === 1 ? 'the last logged loss' : `a mean of the last ${win} logged losses`} around the curve` : ''}${decayAhead > 0 ? ', open below by up to 10% for the LR decay ahead' : ''}${passesAhead > 0 && !evalLoss ? `, open below by a further 10% for each pass over the data begun after the fitted range (${passesAhead} by the target)` : ''}${repeated && point < reached ? `, widened for the repeated data: from the loss already reached (${fmtNum(reached)}) down to as far again below the prediction, in ratio` : ''}${openBelow ? `, open below to 0 from step ${Math.round(nextPass)}, where a new pass over the data begins: a training loss on repeated data can fall by any amount at each (real fine-tunes fell 4× to 200× over their last passes)` : ''}${openAbove ? `, open above from ${formatAt(axisKind, aboveFrom)}${aboveFrom > lastAxis ? ', where the first pass over the data ends' : ''}: a held-out loss on repeated data can turn up at any later pass (overfitting; real fine-tunes' evaluation losses ended 1.1× to 2.5× above their lowest)` : ''}${widenEnd ? `, widened ${actualEnd > endFit ? 'up' : 'down'} by the law's miss at the end of the fitted range (${(100 * endRel).toFixed(2)}%)` : ''}${augmentAt < Infinity && !evalLoss && !(openBelow && nextPass <= augmentAt) ? `, open below to 0 from step ${Math.round(augmentAt)}, where augmentation stops` : ''}${cutsFrom < Infinity ? `, open below to 0 after ${formatAt(axisKind, cutsFrom)}, where the LR can be cut` : ''}${changeFrom < cutsFrom ? `, open below to 0 after ${formatAt(axisKind, changeFrom)}, where the optimizer or its LR changes` : ''}`;
  report.trust = {
    supported: reasons.length === 0,
    reasons,
    band: belowZero ? `none: the prediction is not a loss (${bandWords})` : unmeasured ? 'none: too few points for backtests, so nothing measured how far this law extrapolates (a band from resampling alone would claim more than the data supports)' : bothWays ? `none: open both ways (down to 0 and without bound above), so no interval says more than the point: ${bandWords}` : bandWords,
  };
  if (boot.length > 0 || widen > 0 || repeated || widenEnd || augmentAt < Infinity || cutsFrom < Infinity || changeFrom < Infinity) messages.push(unmeasured || bothWays || belowZero ? `no band: ${report.trust.band.slice(6)}` : `${report.trust.band}`);
  for (const r of reasons) messages.push(`cannot be trusted: ${r}`);

  // Curves: the fit over the fitted range, the extrapolation with its band, the backtests' ghosts.
  const xFit = logspace(xs[0], xs[n - 1], 80);
  report.curves.push({ name: `fit (${chosen.law})`, kind: 'fit', x: xFit, y: xFit.map((v) => model.predict(v, xToStep(v))) });
  // In-sample: no curve says "extrapolation"; the value and its band are the prediction's.
  const xEnd = targetX;
  if (!inSample) {
    const xExt = logspace(xs[n - 1], xEnd, 40);
    xExt[xExt.length - 1] = xEnd;
    const ext: Curve = {
      name: `extrapolation to ${formatAt(xKind, xEnd)}`, kind: 'extrapolation', x: xExt,
      y: xExt.map((v, k) => (k === xExt.length - 1 ? point : model.predict(v, xToStep(v)))),
    };
    if (Number.isFinite(lo)) {
      const bands = xExt.map((v, k) => (k === xExt.length - 1 ? [lo, hi] : bandAt(v, xToStep(v))));
      ext.lo = bands.map((b) => b[0]); ext.hi = bands.map((b) => b[1]);
    }
    report.curves.push(ext);
  }
  report.curves.push(...chosen.ghosts);
  report.work!.evaluations = evaluations - evaluations0;
  opts.onProgress?.(1);
  return report;
}

/** The laws that follow the LR schedule. */
function followsLr(law: RunLawName): boolean {
  return law === 'lr-annealing' || law === 'multi-power';
}

/** A law fitted on a prefix already had its floor (E, or L0 without any decay term) above the loss reached later. */
function floorAbove(m: Model, actualEnd: number, endStep: number): boolean {
  if (m.law === 'power') return m.params.E > actualEnd;
  if (m.law === 'passes') return m.predict(Infinity, endStep) > actualEnd;
  return m.params.L0 > actualEnd && !(m.params.C > 0 || (m.law === 'multi-power' && m.params.B > 0));
}

/** The report's law part for the chosen model: law 'run', its run law, a copy of its parameters, no intervals yet. */
function runFitOf(m: Model): Extract<LawFit, { law: 'run' }> {
  switch (m.law) {
    case 'power': return { law: 'run', runLaw: m.law, params: { ...m.params }, ci: {} };
    case 'passes': return { law: 'run', runLaw: m.law, params: { ...m.params }, ci: {} };
    case 'lr-annealing': return { law: 'run', runLaw: m.law, params: { ...m.params }, ci: {} };
    case 'multi-power': return { law: 'run', runLaw: m.law, params: { ...m.params }, ci: {} };
  }
}

/** A candidate law of the report: its name, backtest error and a copy of its parameters (in that order, as in the JSON). */
function candidateOf(m: Model, backtestErrorPct: number): RunLawFit & { backtestErrorPct: number } {
  switch (m.law) {
    case 'power': return { law: m.law, backtestErrorPct, params: { ...m.params } };
    case 'passes': return { law: m.law, backtestErrorPct, params: { ...m.params } };
    case 'lr-annealing': return { law: m.law, backtestErrorPct, params: { ...m.params } };
    case 'multi-power': return { law: m.law, backtestErrorPct, params: { ...m.params } };
  }
}

/** Percentile intervals of each of the model's fitted parameters over the bootstrap refits (same law); the passes law's steps per pass is given, not fitted. */
function intervals(model: Model, boot: readonly Model[], qlo: number, qhi: number): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const k of Object.keys(model.params)) {
    if (model.law === 'passes' && k === 'stepsPerPass') continue;
    const v = boot.map((q) => paramValue(q, k) ?? NaN);
    out[k] = [percentile(v, qlo), percentile(v, qhi)];
  }
  return out;
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : NaN;
}

/**
 * Standard error of the mean residual (y − f) over a window of consecutive points, inflated for the
 * lag-1 autocorrelation of the residuals (a smoothed loss, an EMA, is strongly autocorrelated).
 */
function windowSE(y: ArrayLike<number>, f: ArrayLike<number>): number {
  const k = Math.min(y.length, f.length);
  if (k < 2) return Infinity;
  const r = Array.from({ length: k }, (_, i) => y[i] - f[i]);
  const m = mean(r);
  const c = r.map((v) => v - m);
  let v = 0;
  for (const e of c) v += e * e;
  return Math.sqrt(v / (k - 1) / k) * Math.sqrt(lag1Inflation(c));
}

/**
 * Variance inflation (1 + ρ)/(1 − ρ) for the lag-1 autocorrelation ρ of residuals taken as given
 * (ρ clamped to [0, 0.95]): how much a sum of correlated residuals varies more than independent ones.
 */
function lag1Inflation(r: ArrayLike<number>): number {
  let r0 = 0, r1 = 0;
  for (let i = 0; i < r.length; i++) { r0 += r[i] * r[i]; if (i > 0) r1 += r[i] * r[i - 1]; }
  const rho = r0 > 0 ? Math.max(0, Math.min(0.95, r1 / r0)) : 0;
  return (1 + rho) / (1 - rho);
}

/** A loss this many times the median of its neighbours is a spike no law can follow (fp16 overflow writes 65504). */
const SPIKE_RATIO = 100;
/** Isolated spikes a report lists (the chart marks them; the message counts them all). */
const MAX_SPIKES_REPORTED = 100;
/** Neighbours on each side that a spike is judged against. */
const SPIKE_WINDOW = 5;

/**
 * Points (indices into `loss`, in the order of `idx`, sorted by x) whose loss is over SPIKE_RATIO× the
 * median of up to SPIKE_WINDOW neighbours on each side: one corrupt value (1e300, an overflow) would
 * otherwise pull a least-squares fit of every other point. It must also be above every loss before it:
 * a real spike is a few times the loss around it, or (a loss near 0 after memorisation) far below where
 * the run began; a steep early fall is gradual from one point to the next. Linear: only a point over
 * SPIKE_RATIO× a next point is checked against its window.
 */
function isolatedSpikes(idx: readonly number[], loss: ArrayLike<number>): number[] {
  // Spikes in a cluster (a real RNN's first epochs: 2e13, 2.4e8, 3.7e4 among losses of 50) hide one
  // another: a spike's neighbours are spikes too, so their median is high. Judged again against the
  // neighbours left once the first found are out, until none is found (a few passes: each is linear).
  const out: number[] = [];
  let rest: readonly number[] = idx;
  for (let pass = 0; pass < SPIKE_PASSES; pass++) {
    const found = spikesOnce(rest, loss);
    if (!found.length) break;
    out.push(...found);
    const gone = new Set(found);
    rest = rest.filter((i) => !gone.has(i));
  }
  if (out.length < 2) return out;
  const at = new Map<number, number>();
  idx.forEach((i, k) => at.set(i, k));
  return out.sort((a, b) => at.get(a)! - at.get(b)!);
}

/** Spikes all within this share of the points make the start unstable: the fit starts past them. */
const UNSTABLE_START_SHARE = 0.25;
/** Passes of isolatedSpikes: each judges the points against the neighbours the passes before left. */
const SPIKE_PASSES = 4;

function spikesOnce(idx: readonly number[], loss: ArrayLike<number>): number[] {
  const out: number[] = [];
  const m = idx.length;
  let highest = -Infinity;
  for (let k = 0; k < m; k++) {
    const v = loss[idx[k]];
    const prev = k > 0 ? loss[idx[k - 1]] : Infinity, next = k + 1 < m ? loss[idx[k + 1]] : Infinity;
    // Above every loss before it too: a classifier's loss near 0 late in training jumps 100× for a
    // batch (0.0001 → 0.05, the real CodeBERT fine-tune), but never above where the run began.
    if (!(v > SPIKE_RATIO * Math.min(prev, next)) || !(v > highest)) { highest = Math.max(highest, v); continue; }
    const around: number[] = [];
    for (let j = Math.max(0, k - SPIKE_WINDOW); j <= Math.min(m - 1, k + SPIKE_WINDOW); j++) if (j !== k) around.push(loss[idx[j]]);
    if (around.length >= 2 && v > SPIKE_RATIO * percentile(around, 0.5)) out.push(idx[k]);
    else highest = Math.max(highest, v);
  }
  return out;
}

/** Lowest loss reached, smoothed over windows of ~2% of the points (noise does not count as reached). */
function minSmoothed(ys: number[]): number {
  // Each window summed afresh (k ≤ 25): a running sum that adds then subtracts one 1e300 loss loses
  // every other value in between, and its windows came out 0 or negative.
  const k = finalWindow(ys.length);
  let best = Infinity;
  for (let i = k - 1; i < ys.length; i++) {
    let s = 0;
    for (let j = i - k + 1; j <= i; j++) s += ys[j];
    best = Math.min(best, s / k);
  }
  return best;
}

/**
 * The forward-area exponent α of a schedule-aware fit at (within 1% of) an end of its search range
 * [0.01, 3]: the power-law part of the curve is then not identified (the multi-power law's decay
 * shape β, γ at their ends is a legitimate limit — a loss that follows the LR at once — and is kept).
 */
function atBounds(m: Model): string[] {
  if (m.law === 'power' || m.law === 'passes') return [];
  const near = (v: number, lo: number, hi: number) => Math.abs(Math.log(v / lo)) < 0.01 || Math.abs(Math.log(v / hi)) < 0.01;
  const { alpha } = m.params;
  return near(alpha, 0.01, 3) ? [`α = ${alpha.toPrecision(3)}`] : [];
}

function lrAtStep(s: LrSchedule, step: number): number {
  const i = Math.min(s.total, Math.max(0, Math.round(step)));
  return s.lr[i];
}

/** Total LR drop (relative to the peak) between two steps, ignoring rises. */
function decayIn(s: LrSchedule, from: number, to: number): number {
  let d = 0;
  const a = Math.max(1, Math.round(from) + 1), b = Math.min(s.total, Math.round(to));
  for (let i = a; i <= b; i++) d += Math.max(0, s.lr[i - 1] - s.lr[i]);
  return d;
}

function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  return Math.abs(v) >= 1e5 ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

/**
 * Linearised standard error of a fitted law's prediction at (x, step): the Jacobian of the law on
 * the fitted bins with respect to the logarithms of its free parameters (those not 0 and not at a
 * search bound; λ is chosen from a grid and held), the residual variance of the bin means (count
 * weights), inflated for lag-1 autocorrelation of the residuals. Infinity when the parameters are
 * not identified (singular normal matrix).
 */
function predictionSE(m: Model, b: Bins, x: number, step: number): number {
  const fixed = boundKeys(m);
  const keys = Object.keys(m.params).filter((k) => !fixed.includes(k) && (paramValue(m, k) ?? 0) > 0);
  const nb = b.y.length, p = keys.length;
  if (nb <= p + 1) return Infinity;
  const base = m.params as unknown as Record<string, number>;
  const f0 = new Float64Array(nb);
  for (let i = 0; i < nb; i++) f0[i] = m.predict(b.x[i], b.s[i]);
  const J: Float64Array[] = [], g = new Float64Array(p);
  const h = 1e-5;
  keys.forEach((k, j) => {
    const up = m.withParams({ ...base, [k]: base[k] * Math.exp(h) }), dn = m.withParams({ ...base, [k]: base[k] * Math.exp(-h) });
    const col = new Float64Array(nb);
    for (let i = 0; i < nb; i++) col[i] = (up(b.x[i], b.s[i]) - dn(b.x[i], b.s[i])) / (2 * h);
    J.push(col);
    g[j] = (up(x, step) - dn(x, step)) / (2 * h);
  });
  // Residual variance of a bin mean × its count, and the lag-1 autocorrelation of the scaled residuals.
  const scaled = new Float64Array(nb);
  let wsse = 0;
  for (let i = 0; i < nb; i++) { scaled[i] = (b.y[i] - f0[i]) * Math.sqrt(b.w[i]); wsse += scaled[i] ** 2; }
  const sigma2 = wsse / (nb - p);
  const infl = lag1Inflation(scaled);
  // Normal matrix JᵀWJ and its solve by Cholesky.
  const A = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let c = a; c < p; c++) {
    let v = 0;
    for (let i = 0; i < nb; i++) v += b.w[i] * J[a][i] * J[c][i];
    A[a * p + c] = A[c * p + a] = v;
  }
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) {
    let v = A[i * p + j];
    for (let k = 0; k < j; k++) v -= L[i * p + k] * L[j * p + k];
    if (i === j) { if (!(v > 1e-12 * A[i * p + i])) return Infinity; L[i * p + i] = Math.sqrt(v); } else L[i * p + j] = v / L[j * p + j];
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) { let v = g[i]; for (let k = 0; k < i; k++) v -= L[i * p + k] * z[k]; z[i] = v / L[i * p + i]; }
  let q = 0;
  for (let i = 0; i < p; i++) q += z[i] * z[i];
  return Math.sqrt(sigma2 * infl * q);
}

/** Parameters at (within 1e-6 of) an end of their search range, or not searched (λ): held in predictionSE. */
function boundKeys(m: Model): string[] {
  const at = (v: number, [lo, hi]: readonly [number, number]) => Math.abs(Math.log(v) - lo) < 1e-6 || Math.abs(Math.log(v) - hi) < 1e-6;
  switch (m.law) {
    case 'power': return at(m.params.beta, BETA_LOG_BOUNDS) ? ['beta'] : [];
    // (Of the two drops, the one not fitted: ρ = 1 with a fixed drop, D = 0 with a fraction.)
    case 'passes': return [
      'stepsPerPass', m.params.keep < 1 ? 'D' : 'keep',
      ...(at(m.params.beta, BETA_LOG_BOUNDS) ? ['beta'] : []), ...(m.params.keep < 1 && at(m.params.keep, KEEP_LOG_BOUNDS) ? ['keep'] : []),
    ];
    case 'lr-annealing': return ['lambda', ...(at(m.params.alpha, SHAPE_LOG_BOUNDS.alpha) ? ['alpha'] : [])];
    case 'multi-power': return (['alpha', 'beta', 'gamma', 'C'] as const).filter((k) => at(m.params[k], SHAPE_LOG_BOUNDS[k]));
  }
}

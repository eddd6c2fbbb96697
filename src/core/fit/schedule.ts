/**
 * Learning-rate schedules of a training run, step by step: from the log's own LR column, or (when the
 * log has none, or to know what comes after its last line) from the planned schedule a training config
 * states — warm-up, decay type, total steps, minimum LR — as Hugging Face TrainingArguments, nanoGPT
 * (and the modded-nanogpt speedrun scripts), LLM Foundry (Composer) and torchtitan write them.
 *
 * LRs are kept relative to their peak (peak = 1): the LR-aware laws only need the shape, and their
 * amplitudes absorb the scale. Pure: no I/O; config text is scanned, never executed.
 */

import { mmcvSchedule, mmengineSchedule, openmmlabEpochs, xtunerEpochs } from './mmengine';
import { detectron2Schedule } from './detectron2';
import { caffeSolverSchedule } from './caffe';
import { transformerXlSchedule, yoloxSchedule, yoloxTable } from './printedPlans';
import { openNmtSchedule } from './opennmt';
import { paddleSegSchedule } from './paddleseg';
import { formatInteger, formatNumber } from '../format';
import { lineOf, lineSpans } from '../lines';
import { NO_EPOCH_LIMIT } from '../logs/epochs';
import { baseName } from '../logs/collector';

export type DecayKind = 'constant' | 'linear' | 'cosine' | 'sqrt' | 'wsd' | 'inverse_sqrt' | 'multistep' | 'poly';

/** A schedule as a config plans it (LR relative to the peak). */
export interface PlannedSchedule {
  /** Optimizer steps the run is configured for. */
  totalSteps: number;
  warmupSteps: number;
  decay: DecayKind;
  /** Final LR over peak LR (0 when the schedule decays to zero). */
  minRatio: number;
  /** WSD: steps of the final decay (the stable phase runs until totalSteps − decaySteps). */
  decaySteps?: number;
  /** WSD: the final decay's shape when it is not linear (torchtitan's decay_type with a decay_ratio). */
  decayShape?: 'sqrt' | 'cosine';
  /** Cosine/linear: the step where the decay ends (nanoGPT's lr_decay_iters), default totalSteps. */
  decayEnd?: number;
  /** The keys it came from, in words. */
  source: string;
  /** The LR over its peak at every step 0..totalSteps, when the plan is a sequence of schedulers (MMEngine's param_scheduler). */
  curve?: Float64Array;
}

/** The LR at every step 0..total, relative to its peak. */
export interface LrSchedule {
  /** lr[s] = LR at step s over the peak LR, s = 0..total. */
  lr: Float64Array;
  /** The planned (or inferred) last step. */
  total: number;
  /** Steps of warm-up (0 when none was seen or planned). */
  warmup: number;
  /** Last step whose LR the log itself gives (undefined when the whole schedule is planned). */
  lastLogged?: number;
  /** The LR after the last logged step is known (a config's plan or a recognised shape), not assumed. */
  futureKnown: boolean;
  kind: DecayKind | 'logged';
  /** Where the schedule came from, in words. */
  source: string;
  /** The run's planned last step when the log states it (trainer_state.json max_steps) but not the LR's shape. */
  plannedEnd?: number;
  /** The schedule follows a plan (a config beside the log, the log's printed script): its end is stated. */
  planned?: boolean;
  /**
   * An inverse square root read from the LR column (no end of its own): c in LR/peak = c/√step, fitted
   * to the LRs logged after the peak. Past `total` the LR goes on falling so (extendSchedule).
   */
  invSqrt?: number;
}

/** Most steps a schedule array holds (8 MB); longer runs are rejected as implausible for per-step LRs. */
const MAX_STEPS = 1_000_000;
/** The steps an LR schedule is built to (MAX_STEPS): a run planned past them still has its end. */
export const SCHEDULE_REACH = MAX_STEPS;
/** Most steps a stated planned end is taken at (a timm run of 310 epochs of 10,009 iterations plans 3.1 M). */
const MAX_PLANNED_STEPS = 1e12;

/** LR over peak at `step` of a planned schedule. */
export function plannedLr(p: PlannedSchedule, step: number): number {
  if (p.curve) return p.curve[Math.min(p.curve.length - 1, Math.max(0, Math.round(step)))];
  const w = Math.max(0, p.warmupSteps);
  if (step < w) return (step + 1) / w;
  const T = p.totalSteps;
  const m = Math.min(1, Math.max(0, p.minRatio));
  switch (p.decay) {
    case 'constant': case 'multistep': case 'poly': return 1;
    case 'inverse_sqrt': return Math.sqrt(Math.max(1, w) / Math.max(1, step));
    case 'wsd': {
      const d = Math.max(1, Math.min(T - w, p.decaySteps ?? Math.round(0.2 * (T - w))));
      const start = T - d;
      if (step < start) return 1;
      return m + (1 - m) * decayed(p.decayShape ?? 'linear', Math.min(1, (step - start) / d));
    }
    case 'linear':
    case 'sqrt':
    case 'cosine': {
      const end = Math.max(w + 1, p.decayEnd ?? T);
      const t = Math.min(1, Math.max(0, (step - w) / (end - w)));
      return m + (1 - m) * decayed(p.decay, t);
    }
  }
}

/** A decay's LR over its start at the fraction t ∈ [0, 1] of it (torchtitan's three shapes). */
function decayed(shape: 'linear' | 'sqrt' | 'cosine', t: number): number {
  return shape === 'linear' ? 1 - t : shape === 'sqrt' ? 1 - Math.sqrt(t) : 0.5 * (1 + Math.cos(Math.PI * t));
}

export function plannedSchedule(p: PlannedSchedule): LrSchedule {
  const total = Math.min(MAX_STEPS, Math.max(1, Math.round(p.totalSteps)));
  const lr = new Float64Array(total + 1);
  for (let s = 0; s <= total; s++) lr[s] = plannedLr(p, s);
  return { lr, total, warmup: Math.max(0, Math.round(p.warmupSteps)), futureKnown: true, kind: p.decay, source: p.source, planned: true };
}

/**
 * Whether an LR (relative to its peak, by step) is still rising at its last point: the peak is its
 * last value and was reached no longer ago than the rise's own stairs last (an LR stepped once every
 * few logged steps, as gradient accumulation steps it: a real LitGPT run cut inside its warm-up had
 * its last stair of 16 steps read as "warm-up to 1,264, then constant"), or, on a smooth rise, only at
 * its last point. The warm-up is then not over (a prefix fit says so instead of fitting a stair).
 */
function stillRising(rel: ReadonlyArray<readonly [number, number]>): boolean {
  const n = rel.length;
  if (n < 3 || rel[n - 1][1] < 0.999) return false;
  let k = n - 1;
  while (k > 0 && rel[k - 1][1] >= 0.999) k--;
  if (k === 0) return false;
  // The stairs of the rise: from the start of each run of equal values to the start of the next.
  const stairs: number[] = [];
  let a = 0;
  for (let i = 1; i <= k; i++) {
    if (rel[i][1] !== rel[a][1]) { if (i - a >= 2) stairs.push(rel[i][0] - rel[a][0]); a = i; }
  }
  if (stairs.length < 3) return k === n - 1 && rel[k - 1][1] < rel[k][1];
  stairs.sort((x, y) => x - y);
  const stair = stairs[stairs.length >> 1];
  return rel[n - 1][0] - rel[k][0] < stair;
}

/**
 * The plan's LR, over its peak, at the log's highest logged LR (at `peakStep`) when the log starts
 * after the plan's warm-up, or that LR lies inside the plan's warm-up, and that is below 0.9 (a run resumed late in its decay: a real MMDetection
 * 2.x run resumed at step 21,472 of 35,136 logged at most 3.357e-05 of its peak 1e-4); else 1. The
 * log's LR over its own peak is this far below the plan's peak: read as 1 there, a plan that matched
 * it had differed by 42% of the peak.
 */
function lateLevel(p: PlannedSchedule, first: number, peakStep: number, risingTo?: number): number {
  // A log cut (or stopped) inside the plan's warm-up, its LR still at its highest at its last step
  // (`risingTo`): that is the warm-up's LR there, not the plan's peak (a real OpenNMT-py console cut
  // at step 5,700 of its 8,000-step noam warm-up logged at most 0.0007, 71% of the 0.00099 it
  // reached at 8,000; read as the peak, the plan had differed from it by 17% of the peak and been
  // refused). (A log whose LR fell after its highest, as YOLO's does within its warm-up, is not one.)
  if (risingTo !== undefined && risingTo < Math.max(0, p.warmupSteps)) {
    const at = plannedLr(p, risingTo);
    return at > 0 && at < 0.9 ? at : 1;
  }
  if (!(first > Math.max(0, p.warmupSteps))) return 1;
  const at = plannedLr(p, peakStep);
  return at > 0 && at < 0.9 ? at : 1;
}

/**
 * Why a log's LR column is too coarse to read a schedule's shape from: its values are all written to
 * d decimals and 10^−d is at least 5% of its highest (3e-05, 2e-05, 1e-05, 0.0); else undefined.
 */
function coarseLr(step: ArrayLike<number>, lr: ArrayLike<number>, least = 0): string | undefined {
  let peak = 0;
  for (let i = 0; i < Math.min(step.length, lr.length); i++) if (usableLr(step[i], lr[i]) && lr[i] > peak) peak = lr[i];
  if (!(peak > 0)) return undefined;
  for (let d = 0; d <= 8; d++) {
    const q = 10 ** d;
    let whole = true;
    for (let i = 0; i < Math.min(step.length, lr.length) && whole; i++) {
      if (!usableLr(step[i], lr[i])) continue;
      const x = lr[i] * q;
      if (Math.abs(x - Math.round(x)) > 1e-6 * Math.max(1, x)) whole = false;
    }
    if (!whole) continue;
    if (1 / q < 0.05 * peak || d < least) return undefined;
    return `its values are written to ${d} decimals, a step of ${formatNumber(1 / q)} against its highest ${formatNumber(peak)} (${Math.round((100 / q) / peak)}% of it)`;
  }
  return undefined;
}

/** Whether the LR column's last usable value (by step) is 0 after a value above it. */
function endsAtZero(step: ArrayLike<number>, lr: ArrayLike<number>): boolean {
  let lastStep = -Infinity, last = NaN, above = false;
  for (let i = 0; i < Math.min(step.length, lr.length); i++) {
    if (!usableLr(step[i], lr[i])) continue;
    if (lr[i] > 0) above = true;
    if (step[i] >= lastStep) { lastStep = step[i]; last = lr[i]; }
  }
  return above && last === 0;
}

/** A logged (step, LR) pair a schedule can be read from. */
const usableLr = (s: number, v: number): boolean => Number.isFinite(s) && s >= 0 && Number.isFinite(v) && v >= 0;

/** Whether the log's LR column holds usable values at one step only (scheduleFromLog reads no schedule from it). */
function oneLoggedLr(steps: ArrayLike<number>, lrs: ArrayLike<number>): boolean {
  let first = NaN;
  for (let i = 0; i < Math.min(steps.length, lrs.length); i++) {
    if (!usableLr(steps[i], lrs[i])) continue;
    if (Number.isNaN(first)) first = steps[i];
    else if (steps[i] !== first) return false;
  }
  return !Number.isNaN(first);
}

/**
 * The schedule from a log's LR column (`steps`, `lrs` aligned, NaN = not logged at that row). Between
 * logged points the LR is interpolated linearly. After the last logged point it follows `planned`
 * when given; else a shape recognised in the logged LR (constant, linear or cosine decay) is
 * continued; else the last LR is held and `futureKnown` is false. Undefined when no LR is usable.
 */
export function scheduleFromLog(
  steps: ArrayLike<number>, lrs: ArrayLike<number>, opts: { planned?: PlannedSchedule; total?: number; endBeyond?: { steps: number; source: string } } = {},
): LrSchedule | undefined {
  const m = Math.min(steps.length, lrs.length);
  // Past MAX_STEPS there is no per-step schedule: said before anything proportional to the log is built.
  let sorted = true, prev = -Infinity;
  for (let i = 0; i < m; i++) {
    const s = steps[i], v = lrs[i];
    if (!usableLr(s, v)) continue;
    if (s > MAX_STEPS) return undefined;
    if (s < prev) sorted = false;
    prev = s;
  }
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < m; i++) {
    const s = steps[i], v = lrs[i];
    if (usableLr(s, v)) pts.push([s, v]);
  }
  if (!sorted) pts.sort((a, b) => a[0] - b[0]);
  const u: Array<[number, number]> = [];
  for (const p of pts) if (u.length === 0 || p[0] > u[u.length - 1][0]) u.push(p); else u[u.length - 1] = p;
  // One logged value shows no schedule (a warm-up, a decay): without a plan there is none to take (a
  // real Lightning run whose LR monitor logged once, at step 0, inside a warm-up, read "no warm-up").
  if (u.length === 0 || (u.length === 1 && !opts.planned)) return undefined;
  let peak = 0, peakStep = 0;
  for (const [s, v] of u) if (v > peak) { peak = v; peakStep = s; }
  if (!(peak > 0)) return undefined;
  const first = u[0][0], last = u[u.length - 1][0];
  if (last > MAX_STEPS) return undefined;
  // (A log that starts late in the plan's decay, a resumed run's: its LR over the plan's peak, as the plan says at its highest.)
  const level = opts.planned ? lateLevel(opts.planned, first, peakStep, u[u.length - 1][1] >= peak ? last : undefined) : 1;
  const rel = u.map(([s, v]) => [s, (v / peak) * level] as [number, number]);

  // Warm-up: the LR rises to its peak from a clearly lower first value.
  let warmup = 0;
  let switched = '';
  if (rel[0][1] < 0.9 && peakStep > first) {
    // (Within rounding of 99%: a real PaddleDetection log's printed 0.000099 of its 0.000100 is
    // 0.98999… in floating point, and its warm-up had run on a log line, 200 steps, past its end.)
    const reach = rel.find(([, v]) => v >= 0.99 - 1e-9);
    warmup = reach ? reach[0] : peakStep;
    if (!opts.planned && stillRising(rel)) warmup = last;
    // An LR held at its first value for most of the run and then raised is no warm-up: the run
    // changed its optimizer or restarted (AWD-LSTM's switch to averaged SGD, its printed LR 0.001 →
    // 2.0 at epoch 766 of 900, had made 85% of a real run a "warm-up" skipped from the fit).
    const v0 = rel[0][1];
    let k = 0;
    while (k + 1 < rel.length && Math.abs(rel[k + 1][1] - v0) <= 1e-6 * v0) k++;
    if (k + 1 >= 5 && rel[k][0] - first > 0.5 * (last - first) && warmup > rel[k][0]) {
      switched = `; the LR held at ${formatNumber(v0 * peak)} to step ${rel[k][0]}, then rose ${v0 > 0 && Number.isFinite(1 / v0) ? `${Number((1 / v0).toPrecision(3))}×` : `to ${formatNumber(peak)}`}: a change of optimizer or a restart, not a warm-up`;
      warmup = 0;
    }
  }
  const planned = opts.planned;
  let future: ((s: number) => number) | undefined;
  let kind: LrSchedule['kind'] = 'logged';
  let total = Math.max(last, Math.round(opts.total ?? 0), planned ? Math.round(planned.totalSteps) : 0);
  let note = '';
  let invSqrt: number | undefined;
  if (planned) {
    // The plan's shape, scaled so it meets the last logged LR.
    const at = plannedLr(planned, last);
    const scale = at > 0 ? rel[rel.length - 1][1] / at : 1;
    future = (s) => plannedLr(planned, s) * (Number.isFinite(scale) && scale > 0 ? scale : 1);
    kind = planned.decay;
    if (planned.warmupSteps > 0) warmup = Math.round(planned.warmupSteps);
    note = `, then as planned (${planned.source})`;
  } else {
    const post = rel.filter(([s]) => s >= Math.max(peakStep, warmup));
    let shape = recogniseDecay(post, opts.total, warmup > 0);
    // A decay with an end (a line or a cosine to zero) read from the first few percent of its fall, with
    // nothing planning the end, is a guess far beyond what was logged: icefall's Eden (a real run's LR
    // 0.05 → 0.049 from step 501 to 1,451, a power of the step that never reaches zero) had been read as
    // a line to zero at step 54,480, 56× the logged decay beyond its end. Said as a decay begun whose
    // shape and end are not told. (A real TinyLM run's cosine, 7% down at 30% of the run, ends 5× its
    // logged decay beyond, and is read right.)
    const fell = post.length > 0 ? 1 - post[post.length - 1][1] / level : 0;
    const span = post.length > 1 ? post[post.length - 1][0] - post[0][0] : 0;
    if (shape && shape.end !== undefined && !(opts.total && opts.total > 0) && shape.end - last > MAX_DECAY_REACH * span) {
      note = `; falling (by ${fmtFloor(fell)} of its peak by step ${last}): ${opts.endBeyond ? "too little to tell the decay's shape" : "too little to tell the decay's shape or where it ends, and nothing in the log or a config beside it plans the end"}`;
      shape = undefined;
    }
    if (shape) {
      kind = shape.kind;
      future = shape.lr;
      if (shape.invSqrt !== undefined) invSqrt = shape.invSqrt;
      if (shape.end !== undefined && !(opts.total && opts.total > 0)) total = Math.max(total, Math.round(shape.end));
      note = shape.kind === 'constant' ? ' (constant so far)' : `, ${shape.kind} decay${shape.floor ? ` to ${fmtFloor(shape.floor)} of the peak` : ''}${shape.fromStart ? ` from step 0 (at ${Number((100 * shape.fromStart).toPrecision(3))}% of the logged peak; the warm-up took its first steps, as in timm's CosineLRScheduler)` : ''} continued${shape.end === undefined && !(opts.total && opts.total > 0) ? '' : ` to step ${Math.round(shape.end ?? total)}`}`;
    }
  }
  if (total > MAX_STEPS) total = last;
  const lr = new Float64Array(total + 1);
  let j = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= first) {
      lr[s] = planned && s < first ? Math.min(1, plannedLr(planned, s)) : rel[0][1];
      if (!planned && warmup > 0 && s < first) lr[s] = rel[0][1] * Math.max(0, s + 1) / (first + 1);
    } else if (s <= last) {
      while (j + 1 < rel.length && rel[j + 1][0] < s) j++;
      const [s0, v0] = rel[j], [s1, v1] = rel[Math.min(j + 1, rel.length - 1)];
      lr[s] = s1 > s0 ? v0 + ((v1 - v0) * (s - s0)) / (s1 - s0) : v1;
    } else {
      lr[s] = future ? Math.max(0, future(s)) : rel[rel.length - 1][1];
    }
  }
  // A constant LR "so far" says nothing of a decay to come: the future is an assumption. A run that
  // ended before its next log line was due (max_steps 8712, logged every 5 steps up to 8710) has no
  // future to speak of: the few steps left hold the last LR.
  const spacing = u.length > 1 ? last - u[u.length - 2][0] : 0;
  const endsWithinInterval = total - last <= spacing && total - last <= 0.01 * total;
  const futureKnown = total <= last || endsWithinInterval || !!planned || (kind !== 'logged' && kind !== 'constant');
  return {
    lr, total, warmup, lastLogged: last, futureKnown, kind, ...(planned ? { planned: true } : {}), ...(invSqrt !== undefined ? { invSqrt } : {}),
    source: `the log's LR column (${u.length} values, steps ${first}–${last})${note}${switched}`,
  };
}

const RECOGNISE_POINTS = 4096;
/** How far beyond the last logged LR (in lengths of the logged decay) a decay's end read from its shape alone may lie. */
const MAX_DECAY_REACH = 10;

/** A floor over the peak in words: `10%`, `2.5%`. */
function fmtFloor(m: number): string {
  return `${Number((100 * m).toPrecision(2))}%`;
}

/**
 * Constant, linear-to-zero, cosine-to-zero or inverse-square-root (from the peak) decay, when the
 * logged points fit one closely. With the run's planned end known (`plannedEnd`, past the last point), a linear or cosine
 * decay that reaches zero there is tried first: early in a long cosine the points are nearly straight,
 * and a line through them ends far past the plan (a real PaddleOCR run at epoch 42 of 500: a line to
 * step 3.6 M, where its cosine ends at 728 k). After a warm-up (`warmedUp`) with the end planned, a
 * cosine from step 0 to that end whose start the warm-up took (timm's) is tried too.
 */
function recogniseDecay(all: Array<[number, number]>, plannedEnd?: number, warmedUp = false): { kind: DecayKind; lr: (s: number) => number; end?: number; floor?: number; fromStart?: number; invSqrt?: number } | undefined {
  if (all.length < 3) return undefined;
  let lo = Infinity, hi = -Infinity;
  for (const [, v] of all) { if (v < lo) lo = v; if (v > hi) hi = v; }
  // The shape is judged on at most RECOGNISE_POINTS points spread evenly, first and last included
  // (a log of 10^6 LR values: bounded time, and no spread of a huge array).
  const post = all.length <= RECOGNISE_POINTS ? all
    : Array.from({ length: RECOGNISE_POINTS }, (_, k) => all[Math.round((k * (all.length - 1)) / (RECOGNISE_POINTS - 1))]);
  if (hi - lo <= 0.01 * hi) return { kind: 'constant', lr: () => post[post.length - 1][1] };
  const n = post.length;
  const rms = (f: (s: number) => number) => Math.sqrt(post.reduce((acc, [s, v]) => acc + (f(s) - v) ** 2, 0) / n);
  const tol = 0.01;
  const s0 = post[0][0], sLast = post[n - 1][0];
  if (plannedEnd !== undefined && plannedEnd > sLast && post[0][1] > 0) {
    const P = plannedEnd, v0 = post[0][1];
    const lin = (s: number) => (s >= P ? 0 : v0 * (1 - (s - s0) / (P - s0)));
    const cos = (s: number) => (s >= P ? 0 : v0 * 0.5 * (1 + Math.cos((Math.PI * (s - s0)) / (P - s0))));
    const eLin = rms(lin), eCos = rms(cos);
    // A cosine to a floor at the planned end (Megatron's min_lr: a real run at iteration 344 of 500
    // had its cosine to zero continued to step 535). Taken over a line or a cosine to zero that also
    // pass when it is far closer, by the rule below without a planned end: the same run cut at
    // iteration 172 fits a cosine to zero within 1% of the peak, yet its LRs, printed to 7 digits, are
    // a cosine to 10% — to zero, the LR at 344 was guessed at 27% of the peak where the run had 34%.
    const fl = cosineFloor(post, s0, v0, P);
    const eBest = Math.min(eLin, eCos);
    // After a warm-up (`warmedUp`: the LR rose to its peak), a cosine over the whole run, from step 0
    // to the planned end, whose first steps the warm-up took (timm's CosineLRScheduler with its default
    // warmup_prefix off, as DeiT, TransReID and SOLIDER-REID build it): after the warm-up the cosine is
    // already under way, below the LR it started from (the base LR, which the warm-up never reached).
    // Its start over the logged peak, by least squares, at least 1. A real SOLIDER-REID console (120
    // epochs, warm-up 20: its LR 7.60e-4 at epoch 19, 7.47e-4 at 20, 6.35e-4 at 36, 1.60e-6 at 120,
    // the cosine from 8e-4 over all 120 epochs) had been read as a line to zero from 30% of the run,
    // and as no shape from 50%, its LR held at its last value to the end. (Without a warm-up there is
    // nothing to take the cosine's start; its free start would fit a short stretch of another shape: a
    // real PaddleSeg run resumed at 20% of its polynomial decay.)
    const whole = warmedUp ? cosineFromStart(post, P) : undefined;
    if (whole && whole.a >= 1 && whole.rms < tol && whole.rms < eBest && !(fl.m >= 0.05 && fl.rms < whole.rms)) {
      return { kind: 'cosine', lr: whole.lr, end: P, fromStart: whole.a };
    }
    if (fl.m >= 0.05 && fl.rms < tol && eBest >= 0.001 && fl.rms < 0.25 * eBest) return { kind: 'cosine', lr: fl.lr, end: P, floor: fl.m };
    if (eBest < tol) return eCos <= eLin ? { kind: 'cosine', lr: cos, end: P } : { kind: 'linear', lr: lin, end: P };
    if (fl.rms < tol) return { kind: 'cosine', lr: fl.lr, end: P, floor: fl.m };
  }
  // Linear: least squares v = a + b s.
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const [s, v] of post) { sx += s; sy += v; sxx += s * s; sxy += s * v; }
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const a = (sy - b * sx) / n;
  const linRms = b < 0 ? rms((s) => a + b * s) : Infinity;
  // Cosine from the first post-peak point s0 (LR 1 there) to zero at T: scan T.
  let bestT = NaN, best = Infinity;
  for (let k = 1; k <= 400; k++) {
    const T = sLast + ((sLast - s0) * k) / 40;
    const e = rms(cosineDown(s0, T));
    if (e < best) { best = e; bestT = T; }
  }
  // Inverse square root from the peak (fairseq's inverse_sqrt, OpenNMT-py's noam, T5's rsqrt): it
  // never reaches zero, so no end; taken when it is closer than a line or a cosine.
  const invRms = s0 > 0 ? rms((s) => Math.sqrt(s0 / Math.max(s, s0))) : Infinity;
  if (invRms < tol && invRms < linRms && invRms < best) {
    // Continued as c/√step, c by least squares over the logged points (v = c·s^-½): anchored on the
    // LRs the log gives, not on the peak's step alone (its peak may fall between two logged points).
    const c = scaleFit(post, (s) => 1 / Math.sqrt(s)) ?? Math.sqrt(s0);
    return { kind: 'inverse_sqrt', lr: (s) => Math.min(1, c / Math.sqrt(Math.max(s, 1))), invSqrt: c };
  }
  // The start of a cosine is nearly straight: both may pass, the closer one is the schedule.
  if (linRms < tol && !(best < linRms)) {
    const end = -a / b;
    return { kind: 'linear', lr: (s) => Math.max(0, a + b * s), end };
  }
  // A cosine to a floor (nanoGPT's min_lr = max_lr / 10, Megatron's min_lr): taken over the cosine to
  // zero only when it is much closer (early in a run both fit, and the floor is not yet told). A real
  // build-nanogpt run logged to its last step, flat at its floor from step 4,997, had been read as a
  // cosine to zero at 6,247 and extrapolated past its end.
  let flBest: { rms: number; lr: (s: number) => number; end: number; m: number } | undefined;
  for (let k = 1; k <= 400; k++) {
    const T = s0 + ((sLast - s0) * (20 + k)) / 40;
    const f = cosineFloor(post, s0, 1, T);
    if (!flBest || f.rms < flBest.rms) flBest = { rms: f.rms, lr: f.lr, end: T, m: f.m };
  }
  // Its end refined within a step of the scan either side (the floor would otherwise absorb the grid's error).
  if (flBest) {
    const grid = (sLast - s0) / 40, T0 = flBest.end;
    for (let k = -20; k <= 20; k++) {
      const T = T0 + (grid * k) / 20;
      if (T <= s0) continue;
      const f = cosineFloor(post, s0, 1, T);
      if (f.rms < flBest.rms) flBest = { rms: f.rms, lr: f.lr, end: T, m: f.m };
    }
  }
  // The floor is judged against the cosine to zero with its end refined as the floor's is: on the scan's
  // grid alone the cosine to zero misses exact LRs by the grid's error, which a floor of a few percent
  // absorbs (the real llm.c run's 2%, its cosine to zero). Refined, a floor of 5% and more that is 4×
  // closer is the LRs' own: a real TinyLM W&B run (its LRs to 16 digits, a cosine from 5e-4 to 5e-5)
  // cut at half its steps fits a cosine to 9.9% ending at step 107,191 (it ends at 107,123) 23× closer
  // than any cosine to zero, whose best (ending at 112,580, 0.05% of the peak off) had been taken.
  let bestFine = best;
  if (flBest && flBest.m >= 0.05) {
    const grid = (sLast - s0) / 40;
    for (let k = -20; k <= 20; k++) {
      const T = bestT + (grid * k) / 20;
      if (T <= sLast) continue;
      bestFine = Math.min(bestFine, rms(cosineDown(s0, T)));
    }
  }
  if (flBest && flBest.m >= 0.05 && flBest.rms < tol && flBest.rms < 0.25 * Math.min(bestFine, linRms)) return { kind: 'cosine', lr: flBest.lr, end: flBest.end, floor: flBest.m };
  if (best < tol) {
    const T = bestT;
    return { kind: 'cosine', lr: cosineDown(s0, T), end: T };
  }
  return undefined;
}

/**
 * The cosine from 1 at s0 down to 0 at T, and 0 after it: the shape an LR column's cosine is scanned,
 * refined and continued with (to zero, or under a floor).
 */
function cosineDown(s0: number, T: number): (s: number) => number {
  return (s) => (s >= T ? 0 : 0.5 * (1 + Math.cos((Math.PI * (s - s0)) / (T - s0))));
}

/**
 * The least-squares k of v ≈ offset(s) + k·g(s) over the points: Σ(v − offset)·g / Σg² (undefined when
 * every g is 0). The one-parameter fits of an LR column's shapes: an inverse square root's c, a cosine's
 * start, a cosine's floor.
 */
function scaleFit(pts: ReadonlyArray<readonly [number, number]>, g: (s: number) => number, offset?: (s: number) => number): number | undefined {
  let num = 0, den = 0;
  for (const [s, v] of pts) { const k = g(s); num += (v - (offset ? offset(s) : 0)) * k; den += k * k; }
  return den > 0 ? num / den : undefined;
}

/**
 * The cosine from step 0 down to zero at P, started at `a` times the peak (least squares over the
 * points, which lie after the warm-up): its RMS over them, a and the curve.
 */
function cosineFromStart(post: ReadonlyArray<readonly [number, number]>, P: number): { rms: number; a: number; lr: (s: number) => number } {
  const c = (s: number) => (s >= P ? 0 : 0.5 * (1 + Math.cos((Math.PI * Math.max(0, s)) / P)));
  const a = scaleFit(post, c) ?? 0;
  let se = 0;
  for (const [s, v] of post) se += (a * c(s) - v) ** 2;
  return { rms: post.length ? Math.sqrt(se / post.length) : Infinity, a, lr: (s) => a * c(s) };
}

/**
 * The cosine from `v0` at s0 down to a floor m at T (held at m after it), m ≤ 0.5 by least squares:
 * the model v = v0·c(s) + m·(1 − c(s)) is linear in m. Its RMS over the points, m and the curve.
 */
function cosineFloor(post: ReadonlyArray<readonly [number, number]>, s0: number, v0: number, T: number): { rms: number; m: number; lr: (s: number) => number } {
  const c = cosineDown(s0, T);
  const fit = scaleFit(post, (s) => 1 - c(s), (s) => v0 * c(s));
  const m = fit !== undefined ? Math.min(0.5, Math.max(0, fit)) : 0;
  let se = 0;
  for (const [s, v] of post) { const k = c(s); se += (v0 * k + m * (1 - k) - v) ** 2; }
  return { rms: Math.sqrt(se / post.length), m, lr: (s) => { const k = c(s); return v0 * k + m * (1 - k); } };
}

/** Per-step LR of `sched` at fractional steps (clamped to the schedule). */
export function lrAt(sched: LrSchedule, step: number): number {
  const s = Math.min(sched.total, Math.max(0, step));
  const i = Math.floor(s);
  return i >= sched.total ? sched.lr[sched.total] : sched.lr[i] + (sched.lr[i + 1] - sched.lr[i]) * (s - i);
}

// ---------------------------------------------------------------------------------------------
// Planned schedules from config text (YAML, TOML, JSON, Python): keys scanned line by line.

/**
 * A line of a config or of a printed argument dump: an optional `--` or quote, the key (words joined by
 * dots), an optional Python type (`lr: float = 3e-4`), then `:`, `=` or Megatron's leaders
 * (`train_iters ........ 500`), then the value; group 1 the key, 3 the value.
 */
export const KEY_LINE_RE = /^\s*(?:--)?["']?([A-Za-z_][A-Za-z0-9_-]*(?:\.+[A-Za-z0-9_-]+)*)["']?\s*(?::\s*[A-Za-z_](?=([\w.[\], ]*))\2\s*(?==))?(?:[:=]|\.{3,}(?= ))\s*(.*)$/;

/** key → last numeric or string value seen on a `key: value` / `key = value` / `"key": value` line. */
function scanKeys(text: string, wanted: ReadonlySet<string>): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  // The sections a line sits in: YAML/JSON keys opening a block (by indent), a TOML `[table]`. Only a
  // bare `name` needs them: LLM Foundry's `scheduler:` block says `name: cosine_with_warmup`, and its
  // `model:`, `tokenizer:` and `optimizer:` blocks have a `name` too (the last one, the optimizer's, had won).
  const open: Array<{ indent: number; key: string }> = [];
  let table = '';
  for (const [start, end, line] of lineSpans(text, 4_000_000)) {
    if (end - start <= 400) {
      // (MaxText prints its config `Config param steps: 30`.)
      const l = text.startsWith('Config param ', start) ? text.slice(start + 13, end) : text.slice(start, end);
      // (Megatron prints its arguments `  train_iters ........ 500`.)
      // (Linear: the key's dots only between its words, so Megatron's leaders are not also the key's; the
      // type of `lr: float = 3e-4` taken whole (a lookahead and its backreference); one run of blanks
      // before the separator. The earlier pattern backtracked quadratically: 0.5 ms a line of 400 dots.)
      const m = KEY_LINE_RE.exec(l);
      if (m) {
        const key = m[1].toLowerCase().replace(/-/g, '_');
        const short = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key;
        const indent = l.length - l.trimStart().length;
        while (open.length && open[open.length - 1].indent >= indent) open.pop();
        if (wanted.has(short)) {
          let v = m[3];
          const hash = v.indexOf(' #');
          if (hash >= 0) v = v.slice(0, hash);
          // (GPT-NeoX pads its printed arguments on both sides: `  warmup ....... 0.01.......default`.)
          v = v.trim();
          // (The dots found back from the word, not by a pattern: `\.{3,}word$` backtracks over a run of dots.)
          const padWord = v.endsWith('updated') || v.endsWith('default') ? 7 : 0;
          if (padWord) {
            let d = v.length - padWord;
            while (d > 0 && v.charCodeAt(d - 1) === 46) d--;
            if (v.length - padWord - d >= 3) v = v.slice(0, d);
          }
          v = v.replace(/,$/, '').trim().replace(/^["']|["']$/g, '');
          // (A dataclass printed one field a line, as the Trainer and TRL print their TrainingArguments /
          // SFTConfig / GRPOConfig: `lr_scheduler_type=SchedulerType.CONSTANT_WITH_WARMUP,`, an enum's repr,
          // read as its value; `warmup_steps=None,` is a field left unset, as a one-line dump's is.)
          v = reprValue(v);
          const section = key !== short ? key.slice(0, key.lastIndexOf('.')) : open.length ? open[open.length - 1].key : table;
          if (v !== '' && !/[(){}]/.test(v) && (short !== 'name' || /sched/.test(section))) out.set(short, { value: v, line });
        }
        const rest = m[3].trim();
        if (rest === '' || rest === '{' || rest.startsWith('#')) open.push({ indent, key });
      } else {
        const t = /^\s*\[\s*([A-Za-z_][\w.-]*)\s*\]\s*(?:#|$)/.exec(l);
        if (t) { table = t[1].toLowerCase(); open.length = 0; }
        else dumpPairs(l, wanted, line, out);
      }
    }
    else if (end - start <= MAX_DUMP_CHARS) dumpPairs(text.slice(start, end), wanted, line, out);
  }
  return out;
}

/**
 * The repr of a Hugging Face enum, as a printed TrainingArguments shows its fields
 * (`SchedulerType.CONSTANT_WITH_WARMUP`, `IntervalStrategy.STEPS`): group 1 the member's name, whose
 * lower case is its value (but REDUCE_ON_PLATEAU's, `reduce_lr_on_plateau`). Anchored, bounded: linear.
 */
export const HF_ENUM_RE = /^(?:SchedulerType|IntervalStrategy|SaveStrategy|HubStrategy|OptimizerNames)\.([A-Z][A-Z0-9_]{0,60})$/;

/** A printed field's value as its config would state it: an enum's repr as its value, `None` as unset (''). */
function reprValue(v: string): string {
  if (v === 'None') return '';
  const en = HF_ENUM_RE.exec(v);
  return en ? (en[1] === 'REDUCE_ON_PLATEAU' ? 'reduce_lr_on_plateau' : en[1].toLowerCase()) : v;
}

/** The longest one-line argument dump read (fairseq's Namespace runs to ~10 KB). */
const MAX_DUMP_CHARS = 200_000;
/**
 * One pair of an argument dump printed on one line: argparse's `Namespace(max_update=100000,
 * lr_scheduler='inverse_sqrt', lr=[0.0005], …)` (fairseq, many scripts) or a dict's repr
 * `{…, 'max_update': 400000, …}` (hydra's). Groups: 1 the key, 2 the value (a list's first element,
 * quotes dropped). A key must follow `(`, `,` or `{` and a space at most: linear.
 */
const DUMP_PAIR_RE = /[(,{]\s?'?([A-Za-z_]\w{0,60})'?(?:=|:\s)\[?'?([-+\w.]{1,60})/g;
/** hydra's scheduler: `'lr_scheduler': {'_name': 'polynomial_decay', …}`; OLMo's `SchedulerConfig(name='cosine_with_warmup', …)`. */
const DUMP_SCHEDULER_RE = /'lr_scheduler':\s\{'_name':\s'(\w{1,60})'|SchedulerConfig\(name='(\w{1,60})'/;
/**
 * A config printed as words then `key=value` pairs: `Training config: lr=0.0003, warmup=500,
 * steps=165000` (a real hand-written loop's console, 2026, whose planned end had been guessed from its
 * LR at 173,763). Its length is what the caller passes (400 characters at most). The pairs are read
 * as a dump's, from after the colon.
 */
const PRINTED_CONFIG_RE = /^[ \t]{0,8}(?:[A-Za-z][\w-]{0,30}[ \t]){0,3}config(?:uration)?[ \t]{0,4}:[ \t]{0,4}(?=[A-Za-z_]\w{0,60}=[-+\w.])/i;
function dumpPairs(l: string, wanted: ReadonlySet<string>, line: number, out: Map<string, { value: string; line: number }>): void {
  const printed = l.length <= 400 ? PRINTED_CONFIG_RE.exec(l) : null;
  if (printed) l = `(${l.slice(printed[0].length)}`;
  // (A dataclass's repr too: OLMo prints `TrainConfig(…, scheduler=SchedulerConfig(…), max_duration=7630, …)`.)
  // (And a Python config's one-line dict: MMEngine's `train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=300, val_interval=10)`.)
  else if (!l.includes('Namespace(') && !l.includes("'_name':") && !l.includes('Config(') && !l.includes('dict(')) return;
  DUMP_PAIR_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DUMP_PAIR_RE.exec(l))) {
    const key = m[1].toLowerCase();
    const v = reprValue(m[2]);
    if (wanted.has(key) && key !== 'name' && v !== '') out.set(key, { value: v, line });
  }
  const sch = DUMP_SCHEDULER_RE.exec(l);
  if (sch) out.set('lr_scheduler', { value: sch[1] ?? sch[2], line });
}

const SCHEDULE_KEYS = new Set([
  'max_steps', 'max_iters', 'num_iterations', 'train_iters', 'total_steps', 'num_train_steps', 'train_steps', 'max_train_steps', 'steps',
  'max_duration', 'lr_decay_iters', 'warmup_steps', 'warmup_iters', 'num_warmup_steps', 'lr_warmup_steps', 't_warmup', 'warmup_ratio',
  'warmup', 'lr_scheduler_type', 'lr_scheduler', 'scheduler', 'name', 'decay_type', 'decay_ratio', 'decay_lr', 'cooldown_iters',
  'warmdown_iters', 'cooldown_frac', 'cooldown_steps', 'decay_steps', 'min_lr', 'learning_rate', 'lr', 'alpha_f', 'lr_min',
  'min_lr_rate', 'min_lr_ratio', 'final_lr_ratio', 'warmdown_ratio', 'final_lr_frac', 'min_lr_factor',
  // MaxText's (printed `Config param …: …`): warm-up and cosine over learning_rate_schedule_steps.
  'learning_rate_schedule_steps', 'warmup_steps_fraction', 'cosine_learning_rate_final_fraction',
  // torchtune's (a recipe runs `epochs` × `max_steps_per_epoch` steps when that is set).
  'max_steps_per_epoch', 'epochs',
  // The Trainer's passes, its plan when max_steps is -1.
  'num_train_epochs',
  // fairseq's.
  'max_update', 'warmup_updates', 'total_num_update', 'end_learning_rate', 'power',
  // Megatron's.
  'lr_warmup_iters', 'lr_decay_style', 'lr_wsd_decay_iters',
]);

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^([+-]?[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)(ba|sp|tok|ep)?$/.exec(v.trim());
  if (!m || (m[2] && m[2] !== 'ba')) return undefined;
  const x = Number(m[1].replace(/_/g, ''));
  return Number.isFinite(x) ? x : undefined;
}

/**
 * torchtune's scheduler, as its resolved config (printed at the top of its log) names it by the
 * builder: `lr_scheduler:` then, indented under it, `_component_: torchtune.training.lr_schedulers.
 * get_cosine_schedule_with_warmup` and `num_warmup_steps: 100` (another block's `warmup_steps`, the
 * profiler's, is not the LR's).
 */
function torchtuneScheduler(text: string): { builder: string; warmup?: number } | undefined {
  const at = /^([ \t]*)lr_scheduler:[ \t]*\r?$/m.exec(text);
  if (!at) return undefined;
  const lines = text.slice(at.index + at[0].length + 1, at.index + at[0].length + 1 + 4096).split('\n');
  let builder: string | undefined, warmup: number | undefined;
  for (const l of lines) {
    const m = /^([ \t]+)([\w.]{1,80}):[ \t]*(\S{0,200})/.exec(l);
    if (!m || m[1].length <= at[1].length) break;
    if (m[2] === '_component_') builder = /\.?(get_\w{1,60}_schedule\w{0,40})$/.exec(m[3].trim())?.[1];
    else if (m[2] === 'num_warmup_steps') warmup = num(m[3]);
  }
  return builder ? { builder, warmup } : undefined;
}

/** A torchtitan toml: its `[lr_scheduler]` and `[training]` tables. */
function torchtitanToml(text: string): boolean {
  return /^\[lr_scheduler\][ \t]*(?:#|\r?$)/m.test(text) && /^\[training\][ \t]*(?:#|\r?$)/m.test(text);
}

/**
 * torchtitan's trainer prints its plan when it starts, `Trainer is initialized with local batch size 8,
 * global batch size 16, gradient accumulation steps 2, sequence length 2048, total steps 2500 (warmup
 * 500)` (a real console, 2026), and `Training starts at step 6501` on a resumed run; its toml is not
 * printed. Groups: 1 the total steps, 2 the warm-up.
 */
const TORCHTITAN_PLAN_RE = /Trainer is initialized with [^\n]{0,300}?total steps (\d{1,9}) \(warmup (\d{1,9})\)/;

/**
 * The plan torchtitan's console printed (TORCHTITAN_PLAN_RE): the steps and the warm-up it states,
 * decaying as torchtitan's LRScheduler does by default (linearly to 0 from the end of the warm-up),
 * which the console does not print: said so. Taken only when no config gives a plan.
 */
export function torchtitanBannerSchedule(text: string, fileName = 'the log'): PlannedSchedule | undefined {
  const m = TORCHTITAN_PLAN_RE.exec(text);
  if (!m) return undefined;
  const total = Number(m[1]), warmup = Number(m[2]);
  if (!(total > 0 && total <= MAX_STEPS)) return undefined;
  const line = lineOf(text, m.index);
  return {
    totalSteps: total, warmupSteps: Math.min(total, warmup), decay: 'linear', minRatio: 0,
    source: `${fileName}, line ${line}: torchtitan's "total steps ${total} (warmup ${warmup})"; its decay is not printed: torchtitan's default assumed, linear to 0 from the end of the warm-up`,
  };
}

/**
 * The planned schedule a config (or a training script printed at the top of a log) states, or
 * undefined when it does not say how many steps the run has.
 */
export function scheduleFromConfigText(text: string, fileName = 'config', opts: { plannedEnd?: { steps: number; source: string } } = {}): PlannedSchedule | undefined {
  const k = scanKeys(text, SCHEDULE_KEYS);
  const get = (...names: string[]) => { for (const n of names) { const e = k.get(n); if (e) return { n, ...e }; } return undefined; };
  let totalE = get('max_steps', 'num_iterations', 'max_iters', 'train_iters', 'total_steps', 'num_train_steps', 'train_steps', 'max_train_steps', 'max_duration', 'max_update', 'steps');
  let total = num(totalE?.value);
  let totalSaid = totalE && `${totalE.n}=${totalE.value}`;
  // The Trainer's `max_steps=-1` (its default, as its printed TrainingArguments / SFTConfig state it):
  // the run is `num_train_epochs` passes, whose steps the Trainer counts when it starts; what the log
  // states of them (its banner's "Total optimization steps = 1,320", trainer_state.json's max_steps)
  // is the plan's end (a real open-r1 SFT console printed max_steps=-1, num_train_epochs=3 and
  // lr_scheduler_type=SchedulerType.CONSTANT_WITH_WARMUP, and its LR's shape had been "not known").
  const hfEpochsE = totalE?.n === 'max_steps' && total !== undefined && total <= 0 ? get('num_train_epochs') : undefined;
  if (hfEpochsE && opts.plannedEnd && (num(hfEpochsE.value) ?? 0) > 0 && opts.plannedEnd.steps > 0) {
    total = opts.plannedEnd.steps;
    totalSaid = `max_steps=${totalE!.value} (line ${totalE!.line}), so num_train_epochs=${hfEpochsE.value} (line ${hfEpochsE.line}): ${opts.plannedEnd.steps} steps, as ${opts.plannedEnd.source} says`;
  }
  // torchtune's resolved config (printed at the top of its log): `epochs` × `max_steps_per_epoch`.
  const perEpochE = !totalE ? get('max_steps_per_epoch') : undefined;
  const perEpoch = num(perEpochE?.value);
  if (perEpochE && perEpoch && perEpoch > 0) {
    const epochsE = get('epochs');
    const epochs = num(epochsE?.value);
    if (epochsE && epochs && epochs >= 1 && Number.isInteger(epochs)) {
      totalE = perEpochE;
      total = perEpoch * epochs;
      totalSaid = `epochs=${epochsE.value} × max_steps_per_epoch=${perEpochE.value}`;
    }
  }
  if (!totalE || !total || total <= 0 || total > MAX_STEPS) return undefined;
  const used: string[] = [totalSaid!];
  const warmE = get('warmup_steps', 'warmup_iters', 'num_warmup_steps', 'lr_warmup_steps', 't_warmup', 'warmup_updates', 'lr_warmup_iters', 'warmup');
  let warmup = num(warmE?.value) ?? 0;
  if (warmE && num(warmE.value) !== undefined) used.push(`${warmE.n}=${warmE.value}`);
  // GPT-NeoX's `warmup` is a fraction of train_iters (its default 0.01): a value below 1 is no count of steps.
  if (warmE?.n === 'warmup' && warmup > 0 && warmup < 1) { warmup = Math.round(warmup * total); used[used.length - 1] += ` (a fraction of ${totalE.n}, as GPT-NeoX means it)`; }
  const ratioE = get('warmup_ratio');
  if (!warmup && ratioE && num(ratioE.value) !== undefined) {
    // As each trainer counts it: Hugging Face's Trainer rounds up (TrainingArguments.get_warmup_steps:
    // math.ceil(num_training_steps * warmup_ratio)); NeMo's schedulers (CosineAnnealing, WarmupPolicy, …)
    // round down (int(warmup_ratio * max_steps)); nanochat rounds (round(warmup_ratio * num_iterations)).
    const w = num(ratioE.value)! * total;
    const nemo = /^[ \t]*name:[ \t]*["']?[A-Za-z]*(Annealing|Policy)["']?[ \t]*$/m.test(text);
    warmup = nemo ? Math.floor(w) : totalE.n === 'num_iterations' ? Math.round(w) : Math.ceil(w);
    used.push(`warmup_ratio=${ratioE.value}`);
  }
  // MaxText: the warm-up is a fraction of learning_rate_schedule_steps (-1: of steps), the cosine ends there.
  const mtE = get('learning_rate_schedule_steps');
  const mtSteps = num(mtE?.value);
  const mtSpan = mtSteps !== undefined && mtSteps > 0 ? mtSteps : total;
  const mtWarmE = get('warmup_steps_fraction');
  if (!warmup && mtWarmE && num(mtWarmE.value) !== undefined) { warmup = Math.round(num(mtWarmE.value)! * mtSpan); used.push(`warmup_steps_fraction=${mtWarmE.value}`); }
  let decay: DecayKind = 'cosine';
  let decaySteps: number | undefined;
  let decayEnd: number | undefined;
  let typeE: { n: string; value: string } | undefined = get('lr_scheduler_type', 'decay_type', 'lr_scheduler', 'lr_decay_style', 'scheduler', 'name');
  // A torchtitan toml names its decay `decay_type` ([lr_scheduler]) and nothing else.
  if (torchtitanToml(text)) typeE = get('decay_type');
  const tune = torchtuneScheduler(text);
  if (tune) {
    typeE = { n: 'lr_scheduler._component_', value: tune.builder };
    if (tune.warmup !== undefined) {
      warmup = tune.warmup;
      const i = used.findIndex((u) => /^(warmup|num_warmup|lr_warmup|t_warmup)/.test(u));
      if (i >= 0) used.splice(i, 1);
      used.push(`lr_scheduler.num_warmup_steps=${tune.warmup}`);
    }
  }
  const t = (typeE?.value ?? '').toLowerCase();
  // A scheduler driven by the metric (the Trainer's reduce_lr_on_plateau, PyTorch's ReduceLROnPlateau)
  // plans no LR ahead: not read as a decay (the LR is then held at its last logged value, said so).
  if (/plateau/.test(t)) return undefined;
  let named = false;
  const cool = get('cooldown_iters', 'warmdown_iters', 'cooldown_steps', 'decay_steps', 'lr_wsd_decay_iters');
  const coolFrac = get('cooldown_frac', 'warmdown_ratio', 'decay_ratio');
  const decayLr = get('decay_lr');
  if (cool && num(cool.value) !== undefined) {
    decay = 'wsd'; decaySteps = num(cool.value); used.push(`${cool.n}=${cool.value}`);
  } else if (coolFrac && num(coolFrac.value) !== undefined) {
    // modded-nanogpt's cooldown_frac, nanochat's warmdown_ratio (both of the whole run), torchtitan's
    // decay_ratio (of the steps after warm-up; decay_type is then the decay's shape).
    decay = 'wsd'; decaySteps = Math.round(num(coolFrac.value)! * (total - (coolFrac.n === 'decay_ratio' ? warmup : 0))); used.push(`${coolFrac.n}=${coolFrac.value}`);
  } else if (/stable|wsd|trapez/.test(t)) {
    decay = 'wsd'; named = true;
  } else if (/inverse_sqrt|inv_sqrt|rsqrt|inverse-square-root/.test(t)) {
    decay = 'inverse_sqrt'; named = true;
  } else if (/^constant|constant_with_warmup|^fixed$/.test(t)) {
    decay = 'constant'; named = true;
  } else if (/^poly/.test(t) && (num(get('power')?.value) ?? 1) === 1) {
    // fairseq's polynomial_decay at its default power 1: linear to end_learning_rate at total_num_update.
    decay = 'linear'; named = true;
    const endU = num(get('total_num_update')?.value);
    if (endU && endU > 0) { decayEnd = endU; used.push(`total_num_update=${endU}`); }
  } else if (/linear/.test(t)) {
    decay = 'linear'; named = true;
  } else if (t === 'sqrt') {
    // torchtitan's decay_type "sqrt": 1 − √progress from the end of the warm-up.
    decay = 'sqrt'; named = true;
  } else if (/cos/.test(t)) {
    decay = 'cosine'; named = true;
  } else if (decayLr && /^(false|0|no)$/i.test(decayLr.value)) {
    decay = 'constant';
  } else if (!t && torchtitanToml(text)) {
    // torchtitan's LRScheduler decays linearly from the end of the warm-up (decay_type "linear",
    // decay_ratio None) unless its toml says otherwise.
    decay = 'linear';
    used.push("decay_type not stated: torchtitan's default, linear from the end of the warm-up");
  }
  // torchtitan's decay_type with a decay_ratio is the shape of the WSD's final decay.
  let decayShape: 'sqrt' | 'cosine' | undefined;
  if (decay === 'wsd' && typeE?.n === 'decay_type') {
    if (t === 'sqrt') decayShape = 'sqrt';
    else if (/cos/.test(t)) decayShape = 'cosine';
    if (decayShape || t === 'linear') named = true;
  }
  // (A type named that none of the shapes here is, a step decay: said, not passed off as its cosine.
  // A bare `name` is read only inside a scheduler's section: see scanKeys.)
  if (typeE && t && !named && !cool && !coolFrac) used.push(`${typeE.n}=${typeE.value} (not a shape read here: cosine assumed)`);
  else if (typeE && t) used.push(`${typeE.n}=${typeE.value}`);
  else if (decayLr) used.push(`decay_lr=${decayLr.value}`);
  else if (decay === 'cosine' && mtE) used.push("MaxText's schedule (linear warm-up, then cosine)");
  else if (decay === 'cosine') used.push('decay type not stated: cosine assumed');
  const endE = get('lr_decay_iters');
  if (endE && num(endE.value)) { decayEnd = num(endE.value); used.push(`lr_decay_iters=${endE.value}`); }
  else if (mtE && mtSteps !== undefined && mtSteps > 0) { decayEnd = mtSteps; used.push(`learning_rate_schedule_steps=${mtE.value}`); }
  let minRatio = decay === 'wsd' || decay === 'linear' ? 0 : 0;
  const ratio = get('alpha_f', 'lr_min', 'min_lr_factor', 'min_lr_rate', 'min_lr_ratio', 'final_lr_ratio', 'final_lr_frac', 'cosine_learning_rate_final_fraction');
  const minLr = get('min_lr', 'end_learning_rate');
  const peakLr = get('learning_rate', 'lr');
  if (ratio && num(ratio.value) !== undefined) { minRatio = num(ratio.value)!; used.push(`${ratio.n}=${ratio.value}`); }
  else if (minLr && peakLr && num(minLr.value) !== undefined && num(peakLr.value)) {
    minRatio = num(minLr.value)! / num(peakLr.value)!; used.push(`min_lr=${minLr.value}`, `${peakLr.n}=${peakLr.value}`);
  }
  if (!(minRatio >= 0 && minRatio <= 1)) minRatio = 0;
  return {
    totalSteps: total, warmupSteps: Math.max(0, Math.min(total, warmup)), decay, minRatio, decaySteps, decayEnd, ...(decayShape ? { decayShape } : {}),
    source: `${fileName}: ${used.join(', ')}`,
  };
}

const TIMM_KEYS: ReadonlySet<string> = new Set(['sched', 'epochs', 'cooldown_epochs', 'warmup_epochs', 'lr', 'min_lr', 'sched_on_updates', 'decay_epochs']);

/**
 * timm's `args.yaml` (pytorch-image-models' train.py writes it beside its per-epoch `summary.csv`):
 * the LR planned in epochs. Read only for its default, `sched: cosine` (timm's CosineLRScheduler:
 * `warmup_epochs` of linear warm-up, a cosine to `min_lr` at epoch `epochs`, then `cooldown_epochs`
 * at `min_lr`; the run trains `epochs + cooldown_epochs`); any other scheduler (step, multistep,
 * plateau, poly, tanh) is not guessed, nor a schedule stepped on updates (`sched_on_updates: true`).
 */
export function timmSchedule(text: string, fileName = 'args.yaml', firstEpoch = 0): PlannedSchedule | undefined {
  const k = scanKeys(text, TIMM_KEYS);
  const sched = k.get('sched')?.value.replace(/^['"]|['"]$/g, '').toLowerCase();
  const epochs = num(k.get('epochs')?.value);
  if (sched !== 'cosine' || !epochs || !(epochs >= 1) || !k.has('warmup_epochs') && !k.has('cooldown_epochs') && !k.has('decay_epochs')) return undefined;
  if (/^true$/i.test(k.get('sched_on_updates')?.value ?? '')) return undefined;
  const cool = num(k.get('cooldown_epochs')?.value) ?? 0;
  const warm = num(k.get('warmup_epochs')?.value) ?? 0;
  const lr = num(k.get('lr')?.value), minLr = num(k.get('min_lr')?.value);
  const used = [`sched=cosine`, `epochs=${epochs}`, ...(cool ? [`cooldown_epochs=${cool}`] : []), `warmup_epochs=${warm}`];
  let minRatio = 0;
  if (lr && lr > 0 && minLr !== undefined && minLr >= 0 && minLr <= lr) { minRatio = minLr / lr; used.push(`min_lr=${k.get('min_lr')!.value}`, `lr=${k.get('lr')!.value}`); }
  // timm's epochs are counted from 0 in its summary.csv: the last is epochs + cooldown − 1.
  const total = epochs + Math.max(0, cool) - (firstEpoch === 0 ? 1 : 0);
  if (total > MAX_STEPS || total < 1) return undefined;
  return {
    totalSteps: total, warmupSteps: Math.max(0, Math.min(epochs, warm)), decay: 'cosine', minRatio, decayEnd: epochs,
    source: `${fileName}: ${used.join(', ')} (timm, in epochs)`,
  };
}

const YOLO_HYP_KEYS: ReadonlySet<string> = new Set(['lr0', 'lrf', 'warmup_epochs', 'box', 'obj', 'cls', 'anchor_t', 'epochs', 'cos_lr', 'linear_lr', 'hyp']);

/**
 * YOLO's LR plan in epochs, from its hyperparameters (`lr0`, `lrf`, `warmup_epochs` with `box`/`cls`
 * beside them: YOLOv5's and YOLOv7's `hyp.yaml`, Ultralytics' `args.yaml`) and its epochs (the same
 * file's, else an `opt.yaml` among `others` with `epochs` and `hyp`): the LR over its peak at epoch x
 * is YOLOv5's `one_cycle`, (1 − cos(πx/epochs))/2 from 1 down to `lrf`, or with `linear_lr: true` (and
 * in Ultralytics and YOLOv5 from v6.1, whose opt.yaml has `cos_lr`, unless `cos_lr: true`) 1 − x/epochs down to `lrf`; stepped once an epoch from epoch
 * 0, under a linear warm-up of `warmup_epochs` (YOLO warms up over iterations: at least that many
 * epochs, more on a dataset of few batches); YOLOv5 steps it at each epoch's end, so after its warm-up
 * epoch x trains at lf(x − 1). Only for a log whose axis is its epochs (a results.txt
 * or results.csv), counted from `firstEpoch`.
 */
export function yoloSchedule(text: string, fileName: string, others: ReadonlyArray<{ text: string; file: string }> = [], firstEpoch = 0): PlannedSchedule | undefined {
  const k = scanKeys(text, YOLO_HYP_KEYS);
  const lr0 = num(k.get('lr0')?.value), lrf = num(k.get('lrf')?.value), warm = num(k.get('warmup_epochs')?.value);
  if (!(lr0 && lr0 > 0) || lrf === undefined || !(lrf >= 0 && lrf <= 1) || warm === undefined || !(warm >= 0) || !(k.has('box') || k.has('cls') || k.has('anchor_t'))) return undefined;
  const ultralytics = k.has('cos_lr');
  let epochs = num(k.get('epochs')?.value), epochsFrom = fileName;
  let linear = ultralytics ? !/^true$/i.test(k.get('cos_lr')!.value) : /^true$/i.test(k.get('linear_lr')?.value ?? '');
  if (!epochs) {
    for (const o of others) {
      const ok = scanKeys(o.text, YOLO_HYP_KEYS);
      const e = num(ok.get('epochs')?.value);
      if (!e || !ok.has('hyp')) continue;
      epochs = e;
      epochsFrom = baseName(o.file);
      if (ok.has('linear_lr')) linear = /^true$/i.test(ok.get('linear_lr')!.value);
      // YOLOv5 from v6.1: linear unless `cos_lr: true` (its opt.yaml has no linear_lr).
      else if (ok.has('cos_lr')) linear = !/^true$/i.test(ok.get('cos_lr')!.value);
      break;
    }
  }
  if (!epochs || !(epochs >= 1) || !Number.isInteger(epochs)) return undefined;
  const total = epochs - (firstEpoch === 0 ? 1 : 0);
  if (total > MAX_STEPS || total < 1) return undefined;
  const w = Math.min(epochs, warm);
  const lf = (x: number) => {
    const t = Math.min(1, Math.max(0, x / epochs));
    return lrf + (1 - lrf) * (linear ? 1 - t : (1 + Math.cos(Math.PI * t)) / 2);
  };
  // YOLOv5 (and YOLOv7, its fork; not Ultralytics, whose results.csv logs lf(epoch)): its warm-up
  // raises each iteration's LR towards lr0 × lf(epoch) over warmup_epochs × the epoch's batches, so
  // an epoch ends at (x + 1)/w of it, and the epoch in which the warm-up ends at lf(x); after it the
  // LambdaLR is stepped at each epoch's end from last_epoch = −1, so epoch x trains (and logs) lf(x − 1).
  // (A real YOLOv5 results.csv, 50 epochs, warmup_epochs 3, lrf 0.01, linear: its LRs 0.0033121,
  // 0.0065139, 0.0095836, then 0.009406 at epochs 3 and 4, … 0.000496 at epoch 49: lr0 × lf(48).)
  const yolov5 = !ultralytics && firstEpoch === 0;
  const curve = new Float64Array(total + 1);
  for (let s = 0; s <= total; s++) {
    const x = s - (firstEpoch === 0 ? 0 : 1);
    if (yolov5) curve[s] = x < Math.floor(w) ? lf(x) * Math.min(1, (x + 1) / w) : x === Math.floor(w) ? lf(x) : lf(x - 1);
    else curve[s] = x < w ? lf(x) * ((x + 1) / Math.max(1, w + 1)) : lf(x);
  }
  return {
    totalSteps: total, warmupSteps: w, decay: linear ? 'linear' : 'cosine', minRatio: lrf, decayEnd: epochs, curve,
    source: `${fileName}: lr0=${k.get('lr0')!.value}, lrf=${k.get('lrf')!.value}, warmup_epochs=${k.get('warmup_epochs')!.value}${epochsFrom === fileName ? `, epochs=${epochs}` : `; ${epochsFrom}: epochs=${epochs}`} (YOLO: ${linear ? 'linear' : 'one-cycle cosine'} to lrf × lr0, stepped each epoch${yolov5 ? ' at its end: epoch x trains at lf(x − 1)' : ''}; warm-up of at least ${w} epochs)`,
  };
}

/**
 * The schedule of a parsed log: its LR column (every row that has a step and an LR), continued by
 * the first config text that plans one; else that plan alone. `texts` are configs beside the log or
 * the log's own head (a training script printed before the first metric line).
 */
export function scheduleForLog(
  log: { columns: Array<{ name: string; role: string }>; data: Record<string, Float64Array>; format?: string; run?: { params?: [string, string][]; epochsLogged?: PassesLogged } },
  texts: Array<{ text: string; file: string }> = [],
  opts: { lrUntil?: number } = {},
): { schedule?: LrSchedule; planned?: PlannedSchedule; note?: string } {
  const col = (role: string) => {
    const c = log.columns.find((x) => x.role === role && Object.prototype.hasOwnProperty.call(log.data, x.name));
    return c ? log.data[c.name] : undefined;
  };
  // The x the run's curves use (toRunCurves): the step, else the epoch (a table of one row per epoch:
  // YOLO's results.csv, Keras' CSVLogger).
  const step = col('step') ?? col('epoch');
  const byEpoch = !col('step') && !!col('epoch');
  let lr = col('lr');
  // A prefix fit knows the LR only as far as the run had logged it by then.
  if (lr && step && opts.lrUntil !== undefined) {
    const until = opts.lrUntil;
    lr = Float64Array.from(lr, (v, i) => (step[i] <= until ? v : NaN));
  }
  let end = plannedEndOfLog(log);
  let lastStep = 0;
  let firstStep = Infinity;
  if (step) for (let i = 0; i < step.length; i++) { if (step[i] > lastStep) lastStep = step[i]; if (step[i] < firstStep) firstStep = step[i]; }
  // The first plan that is consistent with the log: one that ends before the log's last step is another run's.
  let planned: PlannedSchedule | undefined;
  const notes: string[] = [];
  // A config's plan first; torchtitan's console states its steps and warm-up, not its decay: its plan
  // only when no config gave one.
  const fromConfig = (t: { text: string; file: string }): PlannedSchedule | undefined => {
    const name = baseName(t.file);
    // (timm's plan is in epochs: only for a log whose axis is its epochs, as its summary.csv.)
    const p: PlannedSchedule | undefined = mmengineSchedule(t.text, name, log.run?.epochsLogged?.stepsPerPass, end) ?? mmcvSchedule(t.text, name, log.run?.epochsLogged?.stepsPerPass) ?? detectron2Schedule(t.text, name) ?? caffeSolverSchedule(t.text, name) ?? openNmtSchedule(t.text, name) ?? paddleSegSchedule(t.text, name) ??
      // (The plans YOLOX's and Transformer-XL's consoles print: on a log whose axis is its steps.)
      (byEpoch ? undefined : yoloxSchedule(t.text, name, log.run?.epochsLogged?.stepsPerPass) ?? transformerXlSchedule(t.text, name, log.run?.epochsLogged?.stepsPerPass)) ??
      scheduleFromConfigText(t.text, name, { plannedEnd: end }) ??
      (byEpoch ? timmSchedule(t.text, name, firstStep) ?? yoloSchedule(t.text, name, texts, firstStep) : undefined);
    // A run that went a few steps past its plan (OLMo's real 1B run: 7,640 steps of max_duration=7630)
    // is still this plan's: its LR stays at the plan's end after it.
    if (p && p.totalSteps < lastStep && lastStep <= 1.01 * p.totalSteps) {
      return { ...p, decayEnd: p.decayEnd ?? p.totalSteps, totalSteps: lastStep, source: `${p.source} (the log goes on to step ${lastStep}: the LR held at its end after step ${p.totalSteps})` };
    }
    return p;
  };
  const fromBanner = (t: { text: string; file: string }): PlannedSchedule | undefined => torchtitanBannerSchedule(t.text, baseName(t.file));
  for (const read of [fromConfig, fromBanner]) {
    for (const t of texts) {
      const p = read(t);
      if (!p) continue;
      if (p.totalSteps < lastStep) { notes.push(`${p.source}: ends before the log's last step ${lastStep}, not used for the LR schedule`); continue; }
      const miss = lr && step ? planMismatch(p, step, lr) : 0;
      if (miss > 0.1) { notes.push(`${p.source}: differs from the log's LR column by ${Math.round(100 * miss)}% of the peak, not used for the LR schedule`); continue; }
      planned = p;
      break;
    }
    if (planned) break;
  }
  let note = notes.length ? notes.slice(0, 2).join('; ') + (notes.length > 2 ? `; ${notes.length - 2} more config(s) not used` : '') : undefined;
  if (!end && !planned) end = epochEndOfConfigs(texts, log.run?.epochsLogged, lastStep);
  // A plan that matches an LR column written too coarsely to show its shape (MMCV's log.json rounds
  // to 5 decimals: a real resumed run's 3.357e-05 … 1.188e-06 logged as 3e-05 … 0.0): the plan's LR.
  // (A smooth decay only: a step schedule's 0.01, 0.005 are exact at 3 decimals.)
  const smooth = !!planned && planned.decay !== 'constant' && planned.decay !== 'multistep';
  const coarse = planned && smooth && lr && step ? coarseLr(step, lr) : undefined;
  if (planned && coarse) return { schedule: { ...plannedSchedule(planned), source: `${planned.source}; not the log's LR column: ${coarse}` }, planned, note };
  // (Without a plan, the column is what there is: said where it ends at 0 written to 5 decimals or
  // more, as MMCV's log.json rounds, so its 0.0 is not read as an LR of zero.)
  const rough = !planned && lr && step && endsAtZero(step, lr) ? coarseLr(step, lr, 5) : undefined;
  if (rough) note = [note, `the log's LR column is coarse: ${rough}; a 0 in it is any LR below half that step`].filter(Boolean).join('; ');
  // A planned end past the steps a schedule is built to (timm's 310 epochs of 10,009 iterations): the
  // LR column's schedule stops short of it; the end is still stated, said as such.
  const beyond = !end && !planned ? plannedEndOfLog(log, MAX_PLANNED_STEPS) : undefined;
  if (lr && step) {
    const s = scheduleFromLog(step, lr, { planned, total: planned ? undefined : end?.steps, endBeyond: beyond });
    if (s && end && !planned) {
      s.source += `; planned end step ${end.steps} (${end.source})`;
      s.plannedEnd = end.steps;
    } else if (s && beyond) {
      s.source += `; planned end step ${beyond.steps} (${beyond.source}), past the ${formatInteger(MAX_STEPS)} steps an LR schedule is built to`;
      s.plannedEnd = beyond.steps;
    }
    if (s) return { schedule: s, planned, note };
  }
  if (planned) return { schedule: plannedSchedule(planned), planned, note: lr ? 'the LR column has no usable values' : note };
  if (lr && step && oneLoggedLr(step, lr)) {
    return { note: ['the LR column holds one logged value: it shows no schedule (a warm-up, a decay), so none is taken from it', ...(note ? [note] : [])].join('; ') };
  }
  return { note };
}

/** A config's planned epochs (MMEngine's `train_cfg = dict(max_epochs=300, …)`, Keras' and timm's `epochs`). */
const EPOCH_CONFIG_KEYS: ReadonlySet<string> = new Set(['max_epochs', 'num_epochs', 'num_train_epochs', 'epochs', 'n_epochs', 'total_epochs']);

/** The first epoch count a config beside the log plans (a real count, not sys.maxsize) that `fits`, and where it is said. */
function epochsOfConfigs(texts: Array<{ text: string; file: string }>, fits: (epochs: number) => boolean): { count: number; source: string } | undefined {
  for (const t of texts) {
    const k = scanKeys(t.text, EPOCH_CONFIG_KEYS);
    for (const n of EPOCH_CONFIG_KEYS) {
      const e = k.get(n);
      const v = num(e?.value);
      if (e && v !== undefined && v >= 1 && v < NO_EPOCH_LIMIT && fits(v)) return { count: v, source: `${n} = ${e.value} in ${baseName(t.file)}` };
    }
    const o = openmmlabEpochs(t.text);
    if (o && o.count < NO_EPOCH_LIMIT && fits(o.count)) return { count: o.count, source: `${o.key} in ${baseName(t.file)}` };
  }
  return undefined;
}

/**
 * The planned last step from a config that states epochs, not steps, and the steps an epoch takes
 * as the log's epoch column showed them: MMEngine's resolved `vis_data/config.py` beside its
 * `scalars.json` (`max_epochs=300`; 2 iterations an epoch in a real run), Keras' and timm's `epochs`.
 */
function epochEndOfConfigs(texts: Array<{ text: string; file: string }>, seen: PassesLogged | undefined, lastStep: number): { steps: number; source: string } | undefined {
  const per = seen?.stepsPerPass;
  if (!per || !(per > 0)) return undefined;
  const c = epochsOfConfigs(texts, (v) => Math.round(v * per) >= lastStep && Math.round(v * per) <= MAX_STEPS);
  return c && { steps: Math.round(c.count * per), source: `${c.source} × ${Number(per.toPrecision(4))} steps an epoch, from the log's epoch column` };
}

/** Keys of a run's own record (trainer_state.json top level, W&B/MLflow params) that state its planned last step. */
const END_KEYS = ['max_steps', 'max_iters', 'num_iterations', 'train_iters', 'total_steps', 'num_train_steps', 'train_steps', 'max_train_steps'];

/**
 * The planned last step a log states about itself, without a schedule shape: a Hugging Face
 * trainer_state.json's `max_steps` (the Trainer computes it from `num_train_epochs` when it was not
 * set), else `num_train_epochs` × the steps per epoch so far (`global_step` / `epoch`); a run
 * folder's logged params (`max_steps`, `max_iters`, …); a text log's step lines (`step 100/21400`).
 */
export function plannedEndOfLog(log: { format?: string; run?: { params?: [string, string][]; plannedSteps?: { steps: number; source: string } } }, reach = MAX_STEPS): { steps: number; source: string } | undefined {
  // (`reach`: the most steps taken; past MAX_STEPS no per-step LR schedule is built to the end, but
  // the end is the run's: the fit predicts there, the LR held past the schedule, said.)
  const limit = Math.min(reach, MAX_PLANNED_STEPS);
  const params = new Map(log.run?.params ?? []);
  const file = log.format === 'trainer_state' ? 'trainer_state.json' : 'the run\'s logged params';
  for (const k of END_KEYS) {
    const v = Number(params.get(k));
    if (Number.isFinite(v) && v > 0 && v <= limit) return { steps: Math.round(v), source: `${k} = ${params.get(k)} in ${file}` };
  }
  const epochs = Number(params.get('num_train_epochs')), epoch = Number(params.get('epoch')), gs = Number(params.get('global_step'));
  if (epochs > 0 && epoch > 0 && gs > 0) {
    const steps = Math.round((epochs * gs) / epoch);
    if (steps > 0 && steps <= limit) return { steps, source: `num_train_epochs = ${epochs} × ${(gs / epoch).toFixed(1)} steps per epoch (global_step / epoch) in ${file}` };
  }
  const printed = log.run?.plannedSteps;
  if (printed && printed.steps > 0 && printed.steps <= limit) return { ...printed };
  return undefined;
}

const EPOCH_KEYS = ['num_train_epochs', 'epochs', 'num_epochs', 'max_epochs', 'n_epochs'];

/** (Defined with the log readers, which read it too.) */
export { NO_EPOCH_LIMIT };

/** Passes over the data a run makes, where that is said, and the steps a pass takes when known. */
type PassesLogged = { count: number; source: string; stepsPerPass?: number };

/** The passes over its data a run is planned for, when its own record says (trainer_state.json, logged params). */
export function plannedEpochsOfLog(log: { file?: string; format?: string; run?: { params?: [string, string][]; epochsLogged?: PassesLogged; plannedSteps?: { steps: number; source: string } } }, texts: Array<{ text: string; file: string }> = []): PassesLogged | undefined {
  const params = new Map(log.run?.params ?? []);
  const file = log.format === 'trainer_state' ? 'trainer_state.json' : 'the run\'s logged params';
  const per = log.run?.epochsLogged?.stepsPerPass;
  for (const k of EPOCH_KEYS) {
    const v = Number(params.get(k));
    if (Number.isFinite(v) && v > 0 && v < NO_EPOCH_LIMIT) return { count: v, source: `${k} = ${params.get(k)} in ${file}`, ...(per ? { stepsPerPass: per } : {}) };
  }
  // Else the log's own epoch column (LLaMA-Factory's trainer_log.jsonl, Lightning's metrics.csv), or
  // the epochs a config beside it plans when the run is not through them yet (MMEngine's config.py).
  const seen = log.run?.epochsLogged;
  if (!seen || !(seen.count > 0)) {
    // XTuner's TrainLoop logs `Iter(train) [  10/2000]`, no epoch: its passes are its config's
    // max_epochs, each the planned iterations over them, as its schedule reads them (a real InternVL
    // QLoRA run's 8 × 250 had planned its LR, yet it had been fitted as if it saw its data once).
    const end = plannedEndOfLog(log);
    if (end) {
      for (const t of texts) {
        const x = xtunerEpochs(t.text, end.steps);
        if (x) return { count: x.count, source: `max_epochs = ${x.count} in ${baseName(t.file)}, XTuner's TrainLoop: ${end.source} over them`, stepsPerPass: x.per };
      }
    }
    return undefined;
  }
  // The log's own head (the config a text log printed, and its runner's `max: 36 epochs`) says what
  // this launch ran: a config beside it that plans more is an edit made later (a real MMDetection 2.x
  // work dir's htc_swin_b.py said max_epochs=42 beside a finished log of 36).
  const own = log.file === undefined ? [] : texts.filter((t) => baseName(t.file) === baseName(log.file!));
  if (own.length && epochsOfConfigs(own, (v) => v === seen.count)) return { ...seen };
  const planned = epochsOfConfigs(texts, (v) => v > seen.count);
  return planned ? { ...planned, ...(seen.stepsPerPass ? { stepsPerPass: seen.stepsPerPass } : {}) } : { ...seen };
}

/**
 * The schedule continued to `total` steps, holding its last LR. Far past a schedule's end that is an
 * assumption (`futureKnown` false); a few steps past the end of a known schedule (at most 5% of its
 * length: a decay's end recognised from the LR column to within its rounding, a plan that ends a
 * few steps before the log does) it is what schedulers do, and the schedule stays known. An inverse
 * square root read from the LR column has no end: it goes on falling as c/√step (a real SpeechBrain
 * Noam run cut at epoch 30 had its LR held at 6.45e-4 to epoch 100, where it logged 3.53e-4).
 */
export function extendSchedule(s: LrSchedule, total: number): LrSchedule {
  const t = Math.min(MAX_STEPS, Math.round(total));
  if (t <= s.total) return s;
  const lr = new Float64Array(t + 1);
  lr.set(s.lr);
  const c = s.invSqrt;
  if (c !== undefined && c > 0) {
    for (let k = s.total + 1; k <= t; k++) lr[k] = Math.min(1, c / Math.sqrt(k));
    return { ...s, lr, total: t, source: `${s.source}; after step ${s.total}, falling on as 1/√step (${formatNumber(c / Math.sqrt(t), 3)} of the peak at step ${t})` };
  }
  lr.fill(s.lr[s.total], s.total + 1);
  const known = s.futureKnown && t <= 1.05 * s.total;
  return { ...s, lr, total: t, futureKnown: known, source: `${s.source}; LR held at its last value after step ${s.total}` };
}

/** RMS difference (relative to the peak) between a plan and the LR a log logged. */
function planMismatch(p: PlannedSchedule, step: ArrayLike<number>, lr: ArrayLike<number>): number {
  let peak = 0, peakStep = 0, first = Infinity, last = -Infinity, atLast = 0;
  for (let i = 0; i < Math.min(step.length, lr.length); i++) {
    if (!Number.isFinite(lr[i]) || !Number.isFinite(step[i])) continue;
    if (lr[i] > peak) { peak = lr[i]; peakStep = step[i]; }
    if (step[i] < first) first = step[i];
    if (step[i] >= last) { last = step[i]; atLast = lr[i]; }
  }
  if (!(peak > 0)) return 0;
  const level = lateLevel(p, first, peakStep, atLast >= peak ? last : undefined);
  let se = 0, n = 0;
  const w = p.curve ? 0 : p.warmupSteps;
  for (let i = 0; i < Math.min(step.length, lr.length); i++) {
    if (!Number.isFinite(lr[i]) || !Number.isFinite(step[i])) continue;
    const v = (lr[i] / peak) * level;
    let d = Math.abs(v - plannedLr(p, step[i]));
    // Within the warm-up, trainers differ by one step in what they log (Megatron logs iteration 1 at
    // 1/w of the peak, the plan here (1+1)/w): a real 15-iteration run's printed plan, which gives all
    // its other LRs exactly, had been refused for its first.
    if (step[i] <= w) d = Math.min(d, Math.abs(v - plannedLr(p, step[i] - 1)), Math.abs(v - plannedLr(p, step[i] + 1)));
    se += d * d;
    n++;
  }
  return n ? Math.sqrt(se / n) : 0;
}

const LR_SCHEDULER_KEY: ReadonlySet<string> = new Set(['lr_scheduler']);
/** timm's `args.yaml` (`--sched plateau`: its PlateauLRScheduler cuts the LR by `decay_rate` when the eval metric stalls). */
const TIMM_PLATEAU_RE = /^sched:[ \t]*(['"]?)plateau\1$/;
/** A scheduler that cuts the LR when a metric stalls, named as configs write it (HF, PyTorch/Lightning, MMEngine). */
const PLATEAU_RE = /\b(?:reduce_lr_on_plateau|reduce_on_plateau|ReduceLROnPlateau|ReduceOnPlateauLR)\b/i;

/**
 * A config beside the log that drives the LR by a metric (the Trainer's `lr_scheduler_type:
 * reduce_lr_on_plateau`, a Lightning `class_path: torch.optim.lr_scheduler.ReduceLROnPlateau`,
 * MMEngine's `ReduceOnPlateauLR`, timm's `sched: plateau`, fairseq's printed `lr_scheduler=
 * 'reduce_lr_on_plateau'`; a printed script that calls it): the LR can be cut at any later
 * epoch, by an amount no plan says. Said as where it is written; undefined when no text says so.
 * Comment and import lines are not read; a line over 4 KB is read only as a one-line argument dump
 * (its `lr_scheduler`), up to MAX_DUMP_CHARS (a linear scan either way).
 */
export function lrCutsOfConfigs(texts: ReadonlyArray<{ text: string; file: string }>): string | undefined {
  for (const t of texts) {
    const name = baseName(t.file);
    for (const [at, end, n] of lineSpans(t.text)) {
      if (end - at <= 4096) {
        const line = t.text.slice(at, end).trim().replace(/,$/, '');
        // (Not a comment, nor a script's import of it: `from torch.optim.lr_scheduler import …, ReduceLROnPlateau`.)
        const m = /^(?:#|\/\/|from\s|import\s)/.test(line) ? null : PLATEAU_RE.exec(line) ?? TIMM_PLATEAU_RE.exec(line);
        // (Quoted unless the line holds quotes of its own: AllenNLP's `"type": "reduce_on_plateau"`.)
        if (m) return `${line.length > 120 ? m[0] : line.includes('"') ? line : `"${line}"`} in ${name} (line ${n}) cuts the LR when a metric stalls`;
      } else if (end - at <= MAX_DUMP_CHARS) {
        // A one-line argument dump (fairseq's Namespace runs to 4–10 KB, hydra's config dict too): its
        // scheduler by name, read pair by pair.
        const k = new Map<string, { value: string; line: number }>();
        dumpPairs(t.text.slice(at, end), LR_SCHEDULER_KEY, n, k);
        const v = k.get('lr_scheduler')?.value;
        if (v !== undefined && PLATEAU_RE.test(v)) return `lr_scheduler = ${v} in ${name}'s printed arguments (line ${n}) cuts the LR when a metric stalls`;
      }
    }
  }
  return undefined;
}

/**
 * What an AWD-LSTM-style script (Salesforce's awd-lstm-lm and the many built on it) plans for its
 * optimizer, as the arguments it prints (`Namespace(…, nonmono=5, optimizer='sgd', when=[-1], …)`) say:
 * NT-ASGD switches SGD to averaged SGD when the validation loss has not improved for `nonmono` epochs
 * (at an epoch no plan says); Fast Weight Memory's variant switches after a fixed epoch (`asgdtime`,
 * SGD or Adam); and the LR is divided by 10 after each epoch in `when`. Each lowers the loss by an
 * amount no law fitted before it can show. Undefined when the printed arguments have no `nonmono` (not
 * such a script) or plan none of these.
 */
export interface OptimizerChanges {
  /** The switch to averaged SGD comes after this epoch (planned: `asgdtime` + 1). */
  switchAfterEpoch?: number;
  /** The switch comes when the validation loss stalls (NT-ASGD), at any later epoch. */
  switchWhenStalls?: boolean;
  /** Epochs after which the LR is divided by 10 (`when`), ascending. */
  lrDivEpochs: number[];
  /** The printed arguments it was read from, in words. */
  source: string;
}

const AWD_KEYS: ReadonlySet<string> = new Set(['nonmono', 'optimizer', 'asgdtime']);
/** `when=[25, 35]` in a printed Namespace (a list of epochs; linear). */
const AWD_WHEN_RE = /[(,]\s?when=\[([-\d, ]{0,200})\]/;

/** The first AWD-LSTM-style printed Namespace's changes in the texts (OptimizerChanges), or undefined. */
export function optimizerChangesOfTexts(texts: ReadonlyArray<{ text: string; file: string }>): OptimizerChanges | undefined {
  for (const t of texts) {
    if (!t.text.includes('nonmono=')) continue;
    // The printed Namespace's own line (`Args: Namespace(…)` too), read pair by pair (linear).
    for (const [at, end, n] of lineSpans(t.text, 4_000_000)) {
      if (end - at <= MAX_DUMP_CHARS) {
        const l = t.text.slice(at, end);
        if (l.includes('nonmono=') && l.includes('Namespace(')) {
          const c = awdChanges(l, n, baseName(t.file));
          if (c !== null) return c;
        }
      }
    }
  }
  return undefined;
}

/** One printed Namespace's changes (undefined: none planned or possible; null: not an AWD-LSTM one). */
function awdChanges(l: string, n: number, name: string): OptimizerChanges | undefined | null {
  const k = new Map<string, { value: string; line: number }>();
  dumpPairs(l, AWD_KEYS, n, k);
  const nonmono = k.get('nonmono'), opt = k.get('optimizer');
  if (!nonmono || !opt) return null;
  const optimizer = opt.value.toLowerCase();
  const asgdtime = num(k.get('asgdtime')?.value);
  const when = AWD_WHEN_RE.exec(l)?.[1].split(',').map((v) => Number(v.trim())).filter((v) => Number.isInteger(v) && v > 0).sort((a, b) => a - b) ?? [];
  const out: OptimizerChanges = { lrDivEpochs: [...new Set(when)], source: '' };
  const said: string[] = [`optimizer='${opt.value}'`];
  if (asgdtime !== undefined && asgdtime > 0 && Number.isInteger(asgdtime) && (optimizer === 'sgd' || optimizer === 'adam')) {
    out.switchAfterEpoch = asgdtime + 1;
    said.push(`asgdtime=${asgdtime}`);
  } else if (optimizer === 'sgd') {
    out.switchWhenStalls = true;
    said.push(`nonmono=${nonmono.value}`);
  }
  if (out.lrDivEpochs.length) said.push(`when=[${out.lrDivEpochs.join(', ')}]`);
  if (out.switchAfterEpoch === undefined && !out.switchWhenStalls && !out.lrDivEpochs.length) return undefined;
  out.source = `${said.join(', ')} in ${name}'s printed arguments (line ${n})`;
  return out;
}

/** Where a run plans to stop its data augmentation before its end, in epochs. */
export interface AugmentationOff {
  /** The epochs planned, and the last epochs trained without augmentation. */
  epochs: number;
  epochsOff: number;
  /** What stops (`mosaic augmentation`), and where that is planned (the keys and file). */
  what: string;
  source: string;
}

const AUGMENT_KEYS: ReadonlySet<string> = new Set(['close_mosaic', 'mosaic', 'epochs', 'no_aug_epochs', 'max_epoch']);

/**
 * The last epochs a detector's run trains without augmentation, as its own record or a config beside
 * it plans them: Ultralytics' `close_mosaic` (mosaic off for the last N of `epochs`; in its args.yaml
 * and the params its MLflow and W&B callbacks log), YOLOX's `no_aug_epochs` of `max_epoch` (the
 * experiment table its train_log.txt prints before training, or `self.no_aug_epochs = 15` in an exp
 * file). The training loss falls when augmentation stops (a real YOLOX run's total loss by about 45%
 * over its last 15 of 300 epochs; a YOLOv8 run's box loss by about 8% over its last 10 of 100), a
 * change no law fitted before it can foresee. None when augmentation is off throughout (`mosaic: 0`)
 * or nothing plans it.
 */
export function augmentationOffOfLog(log: { run?: { params?: [string, string][] } }, texts: ReadonlyArray<{ text: string; file: string }> = []): AugmentationOff | undefined {
  const make = (epochs: number | undefined, off: number | undefined, what: string, source: string): AugmentationOff | undefined =>
    epochs !== undefined && off !== undefined && Number.isInteger(epochs) && Number.isInteger(off) && off >= 1 && off < epochs && epochs < NO_EPOCH_LIMIT
      ? { epochs, epochsOff: off, what, source } : undefined;
  const ULTRA = 'mosaic augmentation (Ultralytics)', YOLOX = 'mosaic and mixup augmentation (YOLOX)';
  // YOLOX's trainer turns augmentation off when `self.epoch + 1 == max_epoch - no_aug_epochs` (before_epoch,
  // its epoch counted from 0): from the epoch it prints as max_epoch − no_aug_epochs, one more than
  // no_aug_epochs (a real train_log.txt prints "No mosaic aug now!" after "start train epoch285" of 300).
  const yoloxOff = (epochs: number | undefined, off: number | undefined, source: string) =>
    epochs !== undefined && off !== undefined ? make(epochs, off + 1, YOLOX, `${source}: off from epoch ${epochs - off} of ${epochs}, as YOLOX's trainer counts`) : undefined;
  // Ultralytics' logged params (MLflow, W&B): own entries only (a param named `__proto__` is just a name).
  const params = new Map(log.run?.params ?? []);
  if (params.has('close_mosaic')) {
    const mosaic = num(params.get('mosaic'));
    if (mosaic === undefined || mosaic > 0) {
      const a = make(num(params.get('epochs')), num(params.get('close_mosaic')), ULTRA, `close_mosaic = ${params.get('close_mosaic')} of epochs = ${params.get('epochs')} in the run's logged params`);
      if (a) return a;
    }
  }
  for (const t of texts) {
    const name = baseName(t.file);
    const k = scanKeys(t.text, AUGMENT_KEYS);
    if (k.has('close_mosaic')) {
      const mosaic = num(k.get('mosaic')?.value);
      if (mosaic !== undefined && !(mosaic > 0)) continue;
      const a = make(num(k.get('epochs')?.value), num(k.get('close_mosaic')!.value), ULTRA, `close_mosaic = ${k.get('close_mosaic')!.value} of epochs = ${k.get('epochs')?.value} in ${name}`);
      if (a) return a;
    }
    if (k.has('no_aug_epochs')) {
      const a = yoloxOff(num(k.get('max_epoch')?.value), num(k.get('no_aug_epochs')!.value), `no_aug_epochs = ${k.get('no_aug_epochs')!.value} of max_epoch = ${k.get('max_epoch')?.value} in ${name}`);
      if (a) return a;
    }
    // YOLOX's printed table (printedPlans' reader, the one the LR plan is read from); the last one
    // printed is the run's (a log of several launches prints one each).
    const table = t.text.includes('no_aug_epochs') ? yoloxTable(t.text) : undefined;
    const noAug = table?.get('no_aug_epochs')?.value, maxEpoch = table?.get('max_epoch')?.value;
    const a = yoloxOff(num(maxEpoch), num(noAug), `no_aug_epochs = ${noAug} of max_epoch = ${maxEpoch} in ${name}'s printed experiment`);
    if (a) return a;
  }
  return undefined;
}

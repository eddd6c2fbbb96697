/**
 * A held-out loss that has turned up: the lowest evaluation is behind, and every one of the last few
 * stays clearly above it. Descriptive, not a forecast: what the log shows has happened. With the
 * training loss over the same steps it is told apart: the training loss fell (overfitting: the best
 * checkpoint is behind) or rose too (the run diverged).
 *
 * Measured on the real logs of test/fixtures (every eval series with at least 5 points): it fires on
 * the held-out losses that rose 3–130% after their lowest (a LoRA SFT over 5 passes, CodeBERT and ViT
 * classifiers over 10, a 30-epoch fine-tune, fairseq IWSLT'14 after epoch 36), not on those within
 * 1.5% of it (llm.c, the speedruns, a character LSTM that early stopping ended, a 200-epoch RNN).
 */
import type { RunCurve } from './dataset';
import { formatInteger, formatNumber } from './format';
import { seriesColumn, WHOLE_LOSS } from './logs/convert';
import type { ParsedLog } from './logs/types';
import { median } from './stats';

/** Evaluations after the lowest one, at least, before a rise is read. */
export const OVERFIT_TAIL = 3;
/** Evaluations in the series, at least. */
export const OVERFIT_MIN_POINTS = 5;

export interface HeldOutRise {
  series: string;
  /** The lowest held-out loss, its step, and its index in the curve. */
  best: number;
  bestStep: number;
  bestIndex: number;
  /** Evaluations after it, and the mean of the last OVERFIT_TAIL as a fraction above it. */
  after: number;
  rise: number;
  /** The last evaluation: its step and source line. */
  lastStep: number;
  line: number;
  /** The training loss's relative change between the two steps (negative: it fell), when a training loss was logged there. */
  trainChange?: number;
  trainSeries?: string;
}

/** Mean of a curve's finite losses whose step lies within [from, to]. */
function meanBetween(c: RunCurve, from: number, to: number): number {
  let s = 0, k = 0;
  for (let i = 0; i < c.step.length; i++) {
    if (c.step[i] >= from && c.step[i] <= to && Number.isFinite(c.loss[i])) { s += c.loss[i]; k++; }
  }
  return k > 0 ? s / k : NaN;
}

/** The training loss around a step: the mean of its points from halfway back to the previous evaluation up to the step. */
function trainAround(train: RunCurve, step: number, prevStep: number): number {
  const v = meanBetween(train, step - Math.max(0, (step - prevStep) / 2), step);
  return Number.isFinite(v) ? v : meanBetween(train, -Infinity, step);
}

/**
 * The rise of a held-out loss above its lowest, when the last OVERFIT_TAIL evaluations all stay
 * above it by more than `minRise` (a fraction) and by more than twice the series' typical change
 * between evaluations (its noise: a noisy series must rise further). Undefined otherwise.
 */
export function heldOutRise(evalCurve: RunCurve, minRise: number, train?: RunCurve): HeldOutRise | undefined {
  const n = evalCurve.loss.length;
  if (!(minRise > 0) || n < OVERFIT_MIN_POINTS) return undefined;
  const y = evalCurve.loss;
  let m = 0;
  for (let i = 1; i < n; i++) if (y[i] < y[m]) m = i;
  const after = n - 1 - m;
  if (after < OVERFIT_TAIL || !(y[m] > 0)) return undefined;
  const steps: number[] = [];
  for (let i = 1; i < n; i++) steps.push(Math.abs(y[i] - y[i - 1]) / Math.max(1e-300, Math.abs(y[i - 1])));
  const noise = median(steps);
  const need = Math.max(minRise, 2 * noise);
  let tail = 0;
  for (let i = n - OVERFIT_TAIL; i < n; i++) {
    if (!(y[i] > y[m] * (1 + need))) return undefined;
    tail += y[i];
  }
  const out: HeldOutRise = {
    series: evalCurve.series, best: y[m], bestStep: evalCurve.step[m], bestIndex: m, after,
    rise: tail / OVERFIT_TAIL / y[m] - 1, lastStep: evalCurve.step[n - 1], line: evalCurve.lines[n - 1],
  };
  if (train) {
    const at = trainAround(train, out.bestStep, m > 0 ? evalCurve.step[m - 1] : -Infinity);
    const last = trainAround(train, out.lastStep, evalCurve.step[n - 2]);
    if (Number.isFinite(at) && Number.isFinite(last) && at > 0) { out.trainChange = last / at - 1; out.trainSeries = train.series; }
  }
  return out;
}

/** The finding's words: what rose, by how much since when, and what the training loss did meanwhile. */
export function heldOutRiseMessage(r: HeldOutRise): string {
  const what = `"${r.series}" has risen ${formatNumber(100 * r.rise, 3)}% above its lowest (${formatNumber(r.best, 4)} at step ${formatInteger(r.bestStep)}) over the ${r.after} evaluations since`;
  if (r.trainChange === undefined) return `${what}; no training loss is logged at those steps to tell overfitting from a diverging run.`;
  const pct = formatNumber(100 * Math.abs(r.trainChange), 3);
  return r.trainChange < 0
    ? `${what}, while the training loss "${r.trainSeries}" fell ${pct}%: the run is overfitting. The best held-out loss was at step ${formatInteger(r.bestStep)}: a checkpoint near it generalises better than the last.`
    : `${what}, and the training loss "${r.trainSeries}" rose ${pct}% too: the run is diverging (an LR too high, or a bad batch), not only overfitting.`;
}

/**
 * Every run of a log whose held-out loss has turned up: per run (a curve's suffix after its column
 * name), its principal eval series (the most points; the whole loss before its parts, then the first
 * column) beside its principal training loss. The one selection for the panel, the CLI and the Runs view.
 */
export function heldOutRises(log: Pick<ParsedLog, 'columns'>, curves: readonly RunCurve[], minRise: number): HeldOutRise[] {
  if (!(minRise > 0)) return [];
  const role = new Map(log.columns.map((c) => [c.name, c.role as string]));
  const order = new Map(log.columns.map((c, i) => [c.name, i]));
  const baseOf = (c: RunCurve): string => seriesColumn(role, c.series);
  const better = (a: RunCurve, b: RunCurve | undefined): boolean => {
    if (!b) return true;
    if (a.loss.length !== b.loss.length) return a.loss.length > b.loss.length;
    const wa = WHOLE_LOSS.test(baseOf(a)), wb = WHOLE_LOSS.test(baseOf(b));
    if (wa !== wb) return wa;
    return (order.get(baseOf(a)) ?? 0) < (order.get(baseOf(b)) ?? 0);
  };
  const pick = new Map<string, { ev?: RunCurve; tr?: RunCurve }>();
  for (const c of curves) {
    const base = baseOf(c), r = role.get(base);
    if (r !== 'eval_loss' && r !== 'loss') continue;
    const key = c.series.slice(base.length);
    const p = pick.get(key) ?? {};
    if (r === 'eval_loss' ? better(c, p.ev) : better(c, p.tr)) p[r === 'eval_loss' ? 'ev' : 'tr'] = c;
    pick.set(key, p);
  }
  const out: HeldOutRise[] = [];
  for (const { ev, tr } of pick.values()) {
    const r = ev && heldOutRise(ev, minRise, tr);
    if (r && r.line > 0) out.push(r);
  }
  return out;
}

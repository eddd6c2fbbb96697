/**
 * The learning-rate schedule of a run, from its logged learning rate: whether its intermediate
 * points are valid points of a sweep.
 *
 * - constant: after warm-up the rate stays within ±5 % of its peak. Every later point is the loss of
 *   a constant-rate run of that length, so each is a valid (N, D, loss) point.
 * - wsd (warmup-stable-decay): the rate holds at its peak, then falls below half of it only in the
 *   last part of the run (≤ 40 %). Points of the stable phase are constant-rate points as above;
 *   the points after the decay started are not (the decay lowers the loss by itself).
 * - decay (cosine, linear, inverse-sqrt…): the rate falls through the run, so a point mid-run is
 *   neither a finished run of that length nor a constant-rate one: only the final point counts.
 * - unknown: no learning rate logged.
 */

export type ScheduleKind = 'constant' | 'wsd' | 'decay' | 'unknown';

export interface Schedule {
  kind: ScheduleKind;
  /** Index (into the given arrays) of the first point after warm-up (rate ≥ 95 % of the peak). */
  warmupEnd: number;
  /** Index after the last point of the constant phase (constant: the length; wsd: where the decay starts). */
  stableEnd: number;
  /** In words, for the runs view and the CLI. */
  description: string;
}

const NEAR_PEAK = 0.95;

/** Classifies a schedule from the learning rate at each logged point (NaN where not logged). */
export function classifySchedule(lr: ArrayLike<number> | undefined): Schedule {
  const n = lr?.length ?? 0;
  let peak = 0;
  let logged = 0;
  for (let i = 0; i < n; i++) {
    const v = lr![i];
    if (Number.isFinite(v) && v > 0) { logged++; if (v > peak) peak = v; }
  }
  if (!lr || logged < 3 || !(peak > 0)) return { kind: 'unknown', warmupEnd: 0, stableEnd: 0, description: 'no learning rate logged: only the final point is used' };
  let warmupEnd = -1;
  for (let i = 0; i < n; i++) if (lr[i] >= NEAR_PEAK * peak) { warmupEnd = i; break; }
  // The end of the phase at the peak: the first logged point after warm-up below 95 % of the peak.
  let stableEnd = n;
  for (let i = warmupEnd; i < n; i++) {
    const v = lr[i];
    if (Number.isFinite(v) && v < NEAR_PEAK * peak) { stableEnd = i; break; }
  }
  if (stableEnd === n) return { kind: 'constant', warmupEnd, stableEnd, description: 'constant learning rate after warm-up: every later point is a valid sweep point' };
  let last = NaN;
  for (let i = n - 1; i >= 0; i--) if (Number.isFinite(lr[i])) { last = lr[i]; break; }
  const decayShare = (n - stableEnd) / Math.max(1, n - warmupEnd);
  const stableShare = (stableEnd - warmupEnd) / Math.max(1, n - warmupEnd);
  if (last < 0.5 * peak && decayShare <= 0.4 && stableShare >= 0.3) {
    return { kind: 'wsd', warmupEnd, stableEnd, description: `warmup-stable-decay: the stable phase (${Math.round(100 * stableShare)}% of the run) gives valid sweep points; the decay does not` };
  }
  return { kind: 'decay', warmupEnd, stableEnd, description: 'the learning rate decays through the run: only the final point is a valid sweep point' };
}

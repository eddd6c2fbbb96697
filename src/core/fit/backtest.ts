/**
 * Backtests of a single-run fit: refit on a prefix of the run, predict the rest, compare. The loss
 * compared is the mean over the final window of points (≈2% of them, 1–25), so one noisy batch does
 * not decide the score; the prediction is the model's mean over the same points.
 */

/** Prefixes (fractions of the last fitted step) every single-run fit is backtested on. */
export const BACKTEST_FRACTIONS: readonly number[] = [0.25, 0.5, 0.75];

/**
 * A log whose first point is past this share of its last (a resumed run's console: steps 6,501 to 7,500)
 * is cut by its logged span, not from step 0: a prefix of 25% "of the run" would end before its first
 * point, and a real torchtitan log of 1,000 points had no backtest at all.
 */
export const LATE_START = 0.2;

/** Whether an axis logged from `first` to `last` starts late (LATE_START): its prefixes are of its span. */
export function startsLate(first: number, last: number): boolean {
  return first > LATE_START * last;
}

/** Where a prefix of fraction `f` ends on an axis logged from `first` to `last` (see LATE_START). */
export function prefixEnd(f: number, first: number, last: number): number {
  return startsLate(first, last) ? first + f * (last - first) : f * last;
}

export interface BacktestEntry {
  /** The prefix fitted, as a fraction of the last step (or x) of the range scored (of the logged span, for a log that starts late: LATE_START). */
  fitFraction: number;
  /** For a log that starts late: the prefix's end over the last step (or x), the horizon's ratio the band's widening counts in. */
  axisFraction?: number;
  /** Where the prediction was scored: the last point's step (or x). */
  horizon: number;
  horizonKind: 'step' | 'tokens' | 'flops';
  predicted: number;
  actual: number;
  /** 100·(predicted − actual)/actual. */
  errorPct: number;
  /** The prefix fit's floor (E or L0) was already above the loss reached later. */
  floorAboveLater?: boolean;
  /** From --fit-until: the points after the prefix were held out of the main fit. */
  heldOut?: boolean;
}

/** Points in the final window of a curve of n points. */
export function finalWindow(n: number): number {
  return Math.max(1, Math.min(25, Math.round(0.02 * n), n));
}

/**
 * An early plateau in a run's loss curve: the loss falls slowly at first, then much faster, as a
 * sequence-to-sequence model does before it learns to attend, or any run that breaks out of a
 * plateau. None of the run laws can bend that way: E + B/x^β falls most steeply (in log–log) at its
 * first point and ever less after, and the LR-aware laws add only the schedule's decay to it. A fit
 * through the plateau is pulled flat there and misses the rest, so the points up to the end of the
 * curve's steepest early fall are left out.
 *
 * Read on the median of log loss in bins of equal width in log x, so that per-step noise cannot make
 * a steepening of its own; only in the first half of the fitted range (in log x), where a schedule's
 * decay has not begun to steepen the curve.
 */

import { percentile } from './rng';

/** Bins across the fitted range (equal in log x). */
const BINS = 10;
/** The plateau's slope (d ln L / d ln x) at most this far from 0, and the fall after it at least this steep. */
const FLAT = 0.1;
const STEEP = -0.5;
/** At least this many points, and this many kept after the skip. */
const MIN_POINTS = 24;
const MIN_KEPT = 12;
/** The fitted range must span at least this factor in x (each bin then spans 1.35× or more). */
const MIN_RANGE = 20;
/** At most this many points of a bin read for its medians (evenly spaced). */
const SAMPLE = 1001;

export interface Plateau {
  /** Index of the first point kept. */
  from: number;
  /** The slopes (d ln L / d ln x) at the start and at the steepest early fall. */
  slopeStart: number;
  slopeSteepest: number;
}

/**
 * Where an early plateau ends, when the curve has one: point k at `xAt(k)` (ascending, positive) with
 * the loss `yAt(k)`, k < n. `lrAt(k)`, when given, is the LR of point k over its peak: no point is
 * skipped where the LR has already fallen below 90% of its peak (a steepening there is the schedule's).
 * Bounded work whatever n (a 12.8M-row log): bin edges by bisection, each bin's medians on at most
 * SAMPLE points evenly spaced in it. (Only once a plateau is found, the LR of each point before its end
 * is read.)
 */
export function earlyPlateau(n: number, xAt: (k: number) => number, yAt: (k: number) => number, lrAt?: (k: number) => number): Plateau | undefined {
  // Over a short range (in x) the bins are too narrow for their slopes to rise above per-step noise.
  if (n < MIN_POINTS || !(xAt(0) > 0) || !(xAt(n - 1) >= MIN_RANGE * xAt(0))) return undefined;
  const lo = Math.log(xAt(0));
  const width = (Math.log(xAt(n - 1)) - lo) / BINS;
  if (!(width > 0)) return undefined;
  /** The first point at or past x = e^v (bisection on the ascending x). */
  const firstFrom = (v: number) => {
    const t = Math.exp(v);
    let a = 0, b = n;
    while (a < b) { const m = (a + b) >> 1; if (xAt(m) < t) a = m + 1; else b = m; }
    return a;
  };
  // Median log x and log loss of each bin with at least 2 points; the index of its first point.
  const bx: number[] = [], by: number[] = [], first: number[] = [];
  let k = 0;
  for (let b = 0; b < BINS && k < n; b++) {
    const start = k;
    k = b === BINS - 1 ? n : Math.max(start, firstFrom(lo + (b + 1) * width));
    const count = k - start;
    if (count < 2) continue;
    const take = Math.min(count, SAMPLE);
    const lx: number[] = [], ly: number[] = [];
    for (let j = 0; j < take; j++) {
      const i = start + Math.floor((j * count) / take);
      const y = yAt(i);
      if (!(y > 0) || !Number.isFinite(y)) return undefined;
      lx.push(Math.log(xAt(i))); ly.push(Math.log(y));
    }
    bx.push(percentile(lx, 0.5)); by.push(percentile(ly, 0.5)); first.push(start);
  }
  if (bx.length < 4) return undefined;
  const slope = (j: number) => (by[j + 1] - by[j]) / (bx[j + 1] - bx[j]);
  const s0 = slope(0);
  const half = lo + (BINS / 2) * width;
  let best = -1, sBest = 0;
  for (let j = 1; j + 1 < bx.length && bx[j] < half; j++) {
    const s = slope(j);
    if (s < sBest) { sBest = s; best = j; }
  }
  // A plateau: flat at the start (the loss changes by under 10% over a factor e in x), then a fall at
  // least 5× as steep (a loss that halves or more over a factor 4 in x).
  if (best < 0 || Math.abs(s0) > FLAT || !(sBest <= STEEP)) return undefined;
  // Keep the points past the steepest pair: its later bin still holds the bend out of the fall.
  if (best + 2 >= bx.length) return undefined;
  const from = first[best + 2];
  if (n - from < MIN_KEPT) return undefined;
  if (lrAt) for (let i = 0; i < from; i++) if (lrAt(i) < 0.9) return undefined;
  return { from, slopeStart: s0, slopeSteepest: sBest };
}

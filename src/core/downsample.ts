/**
 * Fewer points for a chart, its shape kept: the runs' compare chart and a single run's chart (whose
 * fit uses every point) draw what this keeps, so a long log never ships millions of points to the
 * webview through the extension host.
 */

/**
 * The smallest and largest of the values, NaN skipped ([Infinity, −Infinity] when none): a loop, where
 * `Math.min(...values)` throws "Maximum call stack size exceeded" past about 120,000 values (a sweep
 * table of 250,000 rows did).
 */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Default bucket count per run: at most 2·this points each. */
export const DEFAULT_BUCKETS = 1000;

/**
 * Indices to keep of a series of n points: per bucket the lowest and highest y (spikes survive), plus
 * the first and last point. Bucket edges are half uniform in index, half geometric (so the start of
 * a curve, stretched by a log axis, keeps its detail). Returns all indices when n ≤ 2·buckets.
 */
export function downsampleIndices(y: ArrayLike<number>, buckets = DEFAULT_BUCKETS): number[] {
  const n = y.length;
  if (n <= 2 * buckets) return Array.from({ length: n }, (_, i) => i);
  const edges = new Set<number>([0, n]);
  const half = Math.max(1, buckets >> 1);
  for (let k = 1; k < half; k++) {
    edges.add(Math.round((k * n) / half));
    edges.add(Math.min(n, Math.round(Math.pow(n, k / half))));
  }
  const e = [...edges].sort((a, b) => a - b);
  const keep: number[] = [];
  for (let b = 0; b + 1 < e.length; b++) {
    const lo = e[b], hi = e[b + 1];
    if (hi <= lo) continue;
    let iMin = -1, iMax = -1;
    for (let i = lo; i < hi; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) continue;
      if (iMin < 0 || v < y[iMin]) iMin = i;
      if (iMax < 0 || v > y[iMax]) iMax = i;
    }
    if (iMin < 0) continue;
    if (iMin === iMax) keep.push(iMin);
    else keep.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
  }
  if (keep[0] !== 0) keep.unshift(0);
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  return keep;
}

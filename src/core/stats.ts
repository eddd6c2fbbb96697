/** Small statistics shared by the readers and the run views (pure, no imports). */

/** The median of the values (the mean of the middle two for an even count); NaN when there are none. The input is not reordered. */
export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Number formatting shared by the core's messages, the extension (hovers, status bar) and the
 * webviews (pure: no Node, no DOM).
 */

/** `digits` significant digits; exponent form for very large or small magnitudes (1.23e21). */
export function formatNumber(v: number | undefined, digits = 4, grouping = false): string {
  if (v === undefined || !Number.isFinite(v)) return v === undefined ? '—' : v === Infinity ? '∞' : v === -Infinity ? '−∞' : String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(Math.max(1, digits - 2)).replace('e+', 'e');
  const r = Number(v.toPrecision(digits));
  return grouping ? r.toLocaleString('en-US', { maximumFractionDigits: 6 }) : r.toString();
}

/** A count with a unit suffix: 124M, 2.62B, 12.3k. */
export function formatCount(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const s = (x: number) => Number(x.toPrecision(3)).toString();
  if (a >= 1e12) return `${s(v / 1e12)}T`;
  if (a >= 1e9) return `${s(v / 1e9)}B`;
  if (a >= 1e6) return `${s(v / 1e6)}M`;
  if (a >= 1e3) return `${s(v / 1e3)}k`;
  return s(v);
}

/** A point on a run's axis in words: `step 19.6k`, `2.62B tokens`, `1e21 FLOPs` (an x with no unit: the count alone). */
export function formatAt(kind: string | undefined, x: number): string {
  if (kind === 'step') return `step ${formatCount(x)}`;
  const unit = kind === 'tokens' ? ' tokens' : kind === 'flops' ? ' FLOPs' : kind === 'params' ? ' parameters' : '';
  return `${formatCount(x)}${unit}`;
}

/**
 * The name of a run fit's value at its target: `Loss at step 19.6k` for an extrapolation, `Fitted loss at
 * step 21.4k (last logged)` when the target is inside the fitted range (a finished run fitted whole), so
 * an in-sample value is not read as a prediction. `withStep`: also name the step when x is not steps
 * (`Loss at 11.2B tokens (step 21.4k)`).
 */
export function lossAtLabel(kind: string | undefined, p: { tokens: number; step?: number; inSample?: boolean }, withStep = false): string {
  const notes = [withStep && p.step !== undefined && kind !== 'step' ? `step ${formatCount(p.step)}` : '', p.inSample ? 'last logged' : ''].filter(Boolean);
  return `${p.inSample ? 'Fitted loss' : 'Loss'} at ${formatAt(kind, p.tokens)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/**
 * The LR schedule a run fit used, in one line: `LR schedule: cosine, warm-up 692 steps, ends at step
 * 19596 — <where it came from>` (`count` formats the step counts: as is in the CLI, compact in the panel).
 */
export function scheduleLine(s: { kind: string; warmup: number; total: number; source: string }, count: (n: number) => string = String): string {
  return `LR schedule: ${s.kind}, warm-up ${count(s.warmup)} steps, ends at step ${count(s.total)} — ${s.source}`;
}

/** `1 problem`, `2 problems`: a count and its noun, plural unless the count is 1 (`shown`: the count as written, default as is). */
export function plural(n: number, noun: string, shown: string = String(n)): string {
  return `${shown} ${noun}${n === 1 ? '' : 's'}`;
}

/** A whole number with thousands separators: 124,337,664. */
export function formatInteger(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return v === undefined ? '—' : String(v);
  return Math.round(v).toLocaleString('en-US');
}

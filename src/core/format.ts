/**
 * Number formatting shared by the core's messages, the extension (hovers, status bar) and the
 * webviews (pure: no Node, no DOM).
 */

/** `digits` significant digits; exponent form for very large or small magnitudes (1.23e21); — for no number (undefined, NaN: an R² of a loss that never varies). */
export function formatNumber(v: number | undefined, digits = 4, grouping = false): string {
  if (v === undefined || !Number.isFinite(v)) return v === Infinity ? '∞' : v === -Infinity ? '−∞' : '—';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(Math.max(1, digits - 2)).replace('e+', 'e');
  const r = Number(v.toPrecision(digits));
  return grouping ? r.toLocaleString('en-US', { maximumFractionDigits: 6 }) : r.toString();
}

/** A percentage's size without its sign (1.23%), in exponent form when huge (2.17e308%), ∞ past a 64-bit float. */
export function formatPercent(v: number): string {
  const a = Math.abs(v);
  return `${a === Infinity ? '∞' : a >= 1e6 ? a.toExponential(2).replace('e+', 'e') : a.toFixed(2)}%`;
}

/** A signed error in percent (+1.23%, -0.50%): formatPercent with its sign; — for none. */
export function formatSignedPercent(v: number): string {
  return Number.isNaN(v) ? '—' : `${v >= 0 ? '+' : '-'}${formatPercent(v)}`;
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
  if (kind === 'step' || kind === 'epoch') return `${kind} ${formatCount(x)}`;
  const unit = kind === 'tokens' ? ' tokens' : kind === 'flops' ? ' FLOPs' : kind === 'params' ? ' parameters' : '';
  return `${formatCount(x)}${unit}`;
}

/**
 * The name of a run fit's value at its target: `Loss at step 19.6k` for an extrapolation, `Fitted loss at
 * step 21.4k (last logged)` when the target is inside the fitted range (a finished run fitted whole), so
 * an in-sample value is not read as a prediction. `withStep`: also name the step when x is not steps
 * (`Loss at 11.2B tokens (step 21.4k)`).
 */
/**
 * A prediction's band as text: `lo – hi`; `lo – ∞` when it is open above; undefined when no band was
 * drawn (too few points for backtests). Its ends may arrive as null (a NaN or an Infinity that went
 * through JSON): a missing lower end is no band, a missing upper end with a lower one is open above.
 */
export function bandText(lo: number | null | undefined, hi: number | null | undefined, fmt: (v: number) => string): string | undefined {
  if (typeof lo !== 'number' || !Number.isFinite(lo)) return undefined;
  return typeof hi === 'number' && Number.isFinite(hi) ? `${fmt(lo)} – ${fmt(hi)}` : `${fmt(lo)} – ∞`;
}

export function lossAtLabel(kind: string | undefined, p: { tokens: number; step?: number; inSample?: boolean }, withStep = false, stepUnit: StepUnit = 'step'): string {
  const notes = [withStep && p.step !== undefined && kind !== 'step' && kind !== 'epoch' ? `${stepUnit} ${formatCount(p.step)}` : '', p.inSample ? 'last logged' : ''].filter(Boolean);
  return `${p.inSample ? 'Fitted loss' : 'Loss'} at ${formatAt(kind, p.tokens)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/**
 * The LR schedule a run fit used, in one line: `LR schedule: cosine, warm-up 692 steps, ends at step
 * 19596 — <where it came from>` ("built up to step 1000000" when a planned end lies past the steps a
 * schedule is built to; `count` formats the step counts: as is in the CLI, compact in the panel).
 */
export function scheduleLine(s: { kind: string; warmup: number; total: number; source: string; reachOnly?: boolean }, count: (n: number) => string = String, stepUnit: StepUnit = 'step'): string {
  // (A planned end past the steps a schedule is built to: `total` is that reach, not the run's end.)
  const end = s.reachOnly ? `built up to ${stepUnit} ${count(s.total)} (the most an LR schedule is built to)` : `ends at ${stepUnit} ${count(s.total)}`;
  return `LR schedule: ${s.kind}, warm-up ${count(s.warmup)} ${stepUnit}s, ${end} — ${s.source}`;
}

/**
 * What a run's "step" counts: its optimizer steps, or its epochs when the log is a table of one row per
 * epoch with no step column (Keras' CSVLogger, YOLO's results.csv, timm's summary.csv).
 */
export type StepUnit = 'step' | 'epoch';

/** The name of a run's x axis: `epoch` for the step axis of a log whose steps are its epochs, else the kind. */
export function axisName<K extends string>(kind: K, stepUnit: StepUnit | undefined): K | 'epoch' {
  return kind === 'step' && stepUnit === 'epoch' ? 'epoch' : kind;
}

// A quoted span (a series or column name, a pattern such as "step N/T"): kept as written. Then the
// phrases that name the step itself (the "tokens per step" setting, a step column, steps per epoch),
// kept; then a word "step" or "steps" (not max_steps, step_loss), rewritten.
const STEP_WORDS = /("[^"\n]*"|`[^`\n]*`|“[^”\n]*”)|(tokens per step|\bsteps? columns?\b|steps here are its epochs|\bsteps? per (?:epoch|pass)\b)|\b([Ss])tep(s?)\b/g;

/**
 * A run's message with its steps called epochs (a log whose steps are its epochs): `the LR after step
 * 29` → `the LR after epoch 29`. Quoted names and the phrases that name the step itself are kept.
 */
export function epochWords(text: string): string {
  return text.replace(STEP_WORDS, (m, quoted?: string, kept?: string, s?: string, pl?: string) => (quoted || kept ? m : `${s === 'S' ? 'E' : 'e'}poch${pl ?? ''}`));
}

/** "18,750 of 150,000 drawn (1 in 8)": the part of a sweep table a chart draws (every k-th row). */
export function drawnShare(shown: number, total: number): string {
  return `${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} drawn (1 in ${Math.ceil(total / shown)})`;
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

/** From a ParsedLog to the fitting core's shapes: run curves and sweep tables. */
import type { RunCurve, SweepTable } from '../dataset';
import type { ColumnRole, ParsedLog } from './types';
import { own } from './collector';

// Tables keyed by column names (user text) are read through own(): a column `constructor` that was
// not kept must not find Object's constructor.
function colOf(log: ParsedLog, role: ColumnRole): Float64Array | undefined {
  const c = log.columns.find((x) => x.role === role && own(log.data, x.name));
  return c ? own(log.data, c.name) : undefined;
}

/** A loss column that is the whole loss, not one of its terms (`total_loss`, `loss`, `train/loss`, `lm_loss`, `train/CrossEntropyLoss`). */
// (Not a part of a detector's or a mixture's loss named like one: YOLOv5's `box_loss` and `val_box_loss`
// before its totals `loss` and `val_loss`, `cls_loss`, `obj_loss`, `dfl_loss`, `mask_loss`, `aux_loss`, `z_loss`, …)
export const WHOLE_LOSS = /^(?:[\w-]{0,20}[/_])?(?<!(?:^|[/_])(?:box|bbox|obj|cls|dfl|mask|rpn|reg|seg|aux|kl|z|lb|router|giou|iou|l1|ctc|kd)[/_])(?:total[_/ ]?loss|loss|lm[_ ]loss|cross_?entropy_?loss|ce[_ ]loss)$/i;

/**
 * The column a run curve's series is of: its name, or for a log split by a run column (`name (run)`)
 * the longest prefix before a ` (` that is a column. Looked up by its prefixes, so a file with
 * 100,000 series costs 100,000 lookups, not one scan of every column per series.
 */
export function seriesColumn(columns: { has(name: string): boolean }, series: string): string {
  if (columns.has(series)) return series;
  for (let i = series.indexOf(' ('); i >= 0; i = series.indexOf(' (', i + 1)) if (columns.has(series.slice(0, i))) return series.slice(0, i);
  return series;
}

/**
 * The loss columns (training or held-out) without one finite value: a run that diverged to NaN from
 * its start, or a column of blanks. Said as such where "no loss series" would name a loss it found.
 */
export function hollowLossColumns(log: ParsedLog): string[] {
  const out: string[] = [];
  for (const c of log.columns) {
    if (c.role !== 'loss' && c.role !== 'eval_loss') continue;
    const v = log.data[c.name];
    let finite = false;
    if (v) for (let i = 0; i < v.length && !finite; i++) finite = Number.isFinite(v[i]);
    if (!finite) out.push(c.name);
  }
  return out;
}

/** "…" has no finite value (NaN, infinite or missing in every row: did the run diverge?), for the columns of hollowLossColumns. */
export function hollowLossText(names: readonly string[]): string {
  const listed = names.slice(0, 5).map((n) => `"${n.length > 60 ? `${n.slice(0, 60)}…` : n}"`).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  return `${listed} ${names.length === 1 ? 'has' : 'have'} no finite value: NaN, infinite or missing in every row (did the run diverge?)`;
}

/**
 * One curve per loss / eval-loss series (and per run when a run column splits the rows), with the
 * points where that series has a finite value. Tokens come from a tokens column, else
 * step × tokensPerStep when given.
 */
export function toRunCurves(log: ParsedLog, opts: { tokensPerStep?: number } = {}): RunCurve[] {
  const step = colOf(log, 'step') ?? colOf(log, 'epoch');
  const tokens = colOf(log, 'tokens');
  const flops = colOf(log, 'flops');
  const runCol = log.columns.find((c) => c.role === 'run' && own(log.labels, c.name));
  const runs = runCol ? own(log.labels, runCol.name) : undefined;
  const tps = opts.tokensPerStep && opts.tokensPerStep > 0 ? opts.tokensPerStep : undefined;
  const out: RunCurve[] = [];
  const groups = new Map<string, number[]>();
  if (runs) runs.forEach((r, i) => { const g = groups.get(r); if (g) g.push(i); else groups.set(r, [i]); });
  // Rows of each run (undefined: every row). Typed loops: a live log of 10^7 rows is converted on every refit.
  const all: Array<[string, number[] | undefined]> = runs ? [...groups.entries()] : [['', undefined]];
  for (const c of log.columns) {
    if (c.role !== 'loss' && c.role !== 'eval_loss') continue;
    const y = own(log.data, c.name);
    if (!y) continue;
    for (const [run, rows] of all) {
      const count = rows ? rows.length : log.rows;
      const picked = new Uint32Array(count);
      let k = 0;
      for (let j = 0; j < count; j++) {
        const i = rows ? rows[j] : j;
        if (Number.isFinite(y[i]) && (!step || Number.isFinite(step[i]))) picked[k++] = i;
      }
      if (k === 0) continue;
      const keep = picked.subarray(0, k);
      const lines = new Uint32Array(k);
      for (let j = 0; j < k; j++) lines[j] = log.lines[keep[j]];
      const curve: RunCurve = {
        series: run && all.length > 1 ? `${c.name} (${run})` : c.name,
        step: step ? gather(step, keep) : Float64Array.from(keep, (i) => i + 1),
        loss: gather(y, keep),
        lines,
      };
      if (run && all.length > 1) curve.run = run;
      if (tokens) curve.tokens = gather(tokens, keep);
      else if (tps && step) { const t = gather(step, keep); for (let j = 0; j < k; j++) t[j] *= tps; curve.tokens = t; }
      if (flops) curve.flops = gather(flops, keep);
      out.push(curve);
    }
  }
  return out;
}

/** src[keep[j]] for each j. */
function gather(src: ArrayLike<number>, keep: Uint32Array): Float64Array {
  const out = new Float64Array(keep.length);
  for (let j = 0; j < keep.length; j++) out[j] = src[keep[j]];
  return out;
}

/** Decades between a stray value and every other row's (10^6: no sweep leaves such a gap). */
const STRAY_DECADES = 6;
/** Stray rows are at most this share of the table (a handful of bad cells, not a second experiment). */
const STRAY_SHARE = 0.05;

/**
 * Indices of `values` (positive) that stray: split at gaps of over STRAY_DECADES in log10, the
 * rows outside the largest group, when they are at most STRAY_SHARE of all (at least one row of 20)
 * and the largest group holds over half. A sweep's sizes, tokens and losses are spread evenly over a
 * few decades; a value a million times from every other is in other units or corrupt, and one such
 * row would pull the whole fit. Empty when nothing strays (or fewer than 5 rows).
 */
export function strayRows(values: readonly number[]): Set<number> {
  const n = values.length;
  const out = new Set<number>();
  if (n < 5) return out;
  const order = values.map((_, k) => k).sort((a, b) => values[a] - values[b]);
  const lg = order.map((k) => Math.log10(values[k]));
  // Groups between gaps: [start, end) in sorted order; the largest kept.
  let best = [0, 0], start = 0;
  for (let p = 1; p <= n; p++) {
    if (p === n || lg[p] - lg[p - 1] > STRAY_DECADES) {
      if (p - start > best[1] - best[0]) best = [start, p];
      start = p;
    }
  }
  const rest = n - (best[1] - best[0]);
  if (rest === 0 || rest > Math.max(1, Math.floor(STRAY_SHARE * n)) || 2 * (best[1] - best[0]) <= n) return out;
  for (let p = 0; p < n; p++) if (p < best[0] || p >= best[1]) out.add(order[p]);
  return out;
}

/** A sweep column strayRows looks at: its name in notes, and its value at a row. */
export type StrayColumn = [NonNullable<SweepTable['strays']>['column'], (row: number) => number];

/**
 * `keep` (row indices) without the rows that stray in any of `columns` (strayRows, column by
 * column), and what was left out: the rows' lines, and the first one found (its line, column, value).
 */
export function dropStrays(keep: number[], columns: readonly StrayColumn[], lines: ArrayLike<number>): { keep: number[]; strays?: SweepTable['strays'] } {
  let strays: SweepTable['strays'];
  for (const [column, at] of columns) {
    const out = strayRows(keep.map(at));
    if (out.size === 0) continue;
    const first = keep.find((_, k) => out.has(k))!;
    if (!strays) strays = { lines: [], line: lines[first], column, value: at(first) };
    for (const k of out) strays.lines.push(lines[keep[k]]);
    keep = keep.filter((_, k) => !out.has(k));
  }
  if (strays) strays.lines.sort((a, b) => a - b);
  return { keep, strays };
}

/**
 * A sweep row the fits can use: N and D finite and positive, a finite loss, and 6·N·D (the fits
 * compute it) within a 64-bit float: a corrupt 1e300 in a cell would make the largest budget infinite.
 */
export function sweepRowUsable(N: number, D: number, loss: number): boolean {
  return N > 0 && Number.isFinite(N) && D > 0 && Number.isFinite(D) && Number.isFinite(loss) && Number.isFinite(6 * N * D);
}

/**
 * The sweep table of a log with parameters N, a loss and tokens D or FLOPs C (D = C/(6N) when only
 * C is given, C = 6ND when only D). Rows missing any of them, or whose C overflows, are left out
 * (src/core/sweepColumns.ts says how many). Undefined when the log
 * lacks the columns. `loss` names the loss column (default: the training loss, else an eval loss).
 */
export function toSweep(log: ParsedLog, opts: { loss?: string } = {}): SweepTable | undefined {
  const N = colOf(log, 'params');
  const D = colOf(log, 'tokens');
  const C = colOf(log, 'flops');
  // The loss column chosen (src/core/sweepColumns.ts), else the training loss, else an eval loss.
  const L = (opts.loss !== undefined ? own(log.data, opts.loss) : undefined) ?? colOf(log, 'loss') ?? colOf(log, 'eval_loss');
  if (!N || !L || (!D && !C)) return undefined;
  const usable: number[] = [];
  for (let i = 0; i < log.rows; i++) {
    const n = N[i], l = L[i];
    const d = D ? D[i] : C ? C[i] / (6 * n) : NaN;
    if (sweepRowUsable(n, d, l)) usable.push(i);
  }
  // Stray values (a tokens cell in billions among raw counts, a corrupt 1e300): left out, said.
  // (Tokens as given, else the FLOPs they come from: the cell to look at.)
  const dOrC: StrayColumn = D ? ['D', (i) => D[i]] : ['C', (i) => (C as Float64Array)[i]];
  const { keep, strays } = dropStrays(usable, [['N', (i) => N[i]], dOrC, ['loss', (i) => L[i]]], log.lines);
  const runCol = log.columns.find((c) => c.role === 'run' && own(log.labels, c.name));
  const table: SweepTable = {
    N: Float64Array.from(keep, (i) => N[i]),
    D: Float64Array.from(keep, (i) => (D ? D[i] : (C as Float64Array)[i] / (6 * N[i]))),
    C: Float64Array.from(keep, (i) => (C && Number.isFinite(C[i]) ? C[i] : 6 * N[i] * (D as Float64Array)[i])),
    loss: Float64Array.from(keep, (i) => L[i]),
    lines: Uint32Array.from(keep, (i) => log.lines[i]),
    tokensGiven: !!D,
    ...(strays ? { strays } : {}),
  };
  const step = colOf(log, 'step');
  const lr = colOf(log, 'lr');
  if (step) table.step = Float64Array.from(keep, (i) => step[i]);
  if (lr) table.lr = Float64Array.from(keep, (i) => lr[i]);
  if (runCol) {
    const labels = own(log.labels, runCol.name) as string[];
    table.runIds = keep.map((i) => labels[i]);
  }
  return table;
}

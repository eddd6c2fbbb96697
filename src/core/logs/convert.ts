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
  const all = runs ? [...groups.entries()] : [['', Array.from({ length: log.rows }, (_, i) => i)] as [string, number[]]];
  for (const c of log.columns) {
    if (c.role !== 'loss' && c.role !== 'eval_loss') continue;
    const y = own(log.data, c.name);
    if (!y) continue;
    for (const [run, rows] of all) {
      const keep = rows.filter((i) => Number.isFinite(y[i]) && (!step || Number.isFinite(step[i])));
      if (keep.length === 0) continue;
      const curve: RunCurve = {
        series: run && all.length > 1 ? `${c.name} (${run})` : c.name,
        step: Float64Array.from(keep, (i) => (step ? step[i] : i + 1)),
        loss: Float64Array.from(keep, (i) => y[i]),
        lines: Uint32Array.from(keep, (i) => log.lines[i]),
      };
      if (tokens) curve.tokens = Float64Array.from(keep, (i) => tokens[i]);
      else if (tps && step) curve.tokens = Float64Array.from(keep, (i) => step[i] * tps);
      if (flops) curve.flops = Float64Array.from(keep, (i) => flops[i]);
      out.push(curve);
    }
  }
  return out;
}

/**
 * The sweep table of a log with parameters N, a loss and tokens D or FLOPs C (D = C/(6N) when only
 * C is given, C = 6ND when only D). Rows missing any of them are left out. Undefined when the log
 * lacks the columns. `loss` names the loss column (default: the training loss, else an eval loss).
 */
export function toSweep(log: ParsedLog, opts: { loss?: string } = {}): SweepTable | undefined {
  const N = colOf(log, 'params');
  const D = colOf(log, 'tokens');
  const C = colOf(log, 'flops');
  // The loss column chosen (src/core/sweepColumns.ts), else the training loss, else an eval loss.
  const L = (opts.loss !== undefined ? own(log.data, opts.loss) : undefined) ?? colOf(log, 'loss') ?? colOf(log, 'eval_loss');
  if (!N || !L || (!D && !C)) return undefined;
  const keep: number[] = [];
  for (let i = 0; i < log.rows; i++) {
    const n = N[i], l = L[i];
    const d = D ? D[i] : C ? C[i] / (6 * n) : NaN;
    if (n > 0 && Number.isFinite(n) && Number.isFinite(l) && d > 0 && Number.isFinite(d)) keep.push(i);
  }
  const runCol = log.columns.find((c) => c.role === 'run' && own(log.labels, c.name));
  const table: SweepTable = {
    N: Float64Array.from(keep, (i) => N[i]),
    D: Float64Array.from(keep, (i) => (D ? D[i] : (C as Float64Array)[i] / (6 * N[i]))),
    C: Float64Array.from(keep, (i) => (C && Number.isFinite(C[i]) ? C[i] : 6 * N[i] * (D as Float64Array)[i])),
    loss: Float64Array.from(keep, (i) => L[i]),
    lines: Uint32Array.from(keep, (i) => log.lines[i]),
    tokensGiven: !!D,
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

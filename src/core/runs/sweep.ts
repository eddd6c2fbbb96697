/**
 * From run folders to a sweep: one (N, D, final loss) row per usable run, or whole curves where the
 * schedule makes intermediate points valid (constant or warmup-stable-decay learning rate); the
 * table as a parsed sweep log, so it is fitted by the same analysis entry as a sweep CSV; and the
 * table exported as CSV with each row's source path.
 */
import Papa from 'papaparse';
import type { ColumnInfo, ParsedLog } from '../logs';
import { groupByBudget } from '../fit/isoflop';
import type { AssembledSweep, RunInfo, SweepRow } from './types';
import { plural } from '../format';

export type SweepPoints = 'final' | 'curves';

export interface AssembleOptions {
  /** 'final': one row per run; 'curves': also the valid intermediate points of constant/WSD runs. */
  points?: SweepPoints;
}

export function assembleSweep(runs: RunInfo[], opts: AssembleOptions = {}): AssembledSweep {
  const points = opts.points ?? 'final';
  const rows: SweepRow[] = [];
  const excluded: AssembledSweep['excluded'] = [];
  const notes: string[] = [];
  let curveRuns = 0;
  let finalOnly = 0;
  for (const r of runs) {
    if (!r.usable || !r.params || r.tokens === undefined || r.loss === undefined) {
      excluded.push({ run: r.rel, reason: r.problems.find((p) => /left out of fits/.test(p)) ?? r.problems[0] ?? 'model size, tokens or loss unknown' });
      continue;
    }
    const N = r.params.active;
    const base = { run: r.rel, source: r.log, N, totalParams: r.params.total };
    if (points === 'curves' && r.curvePoints && r.curvePoints.tokens.length > 0) {
      curveRuns++;
      const cp = r.curvePoints;
      for (let i = 0; i < cp.tokens.length; i++) {
        rows.push({ ...base, line: cp.lines[i], D: cp.tokens[i], C: 6 * N * cp.tokens[i], loss: cp.loss[i], step: cp.step[i], point: 'curve' });
      }
      // A WSD run's decayed end is not a constant-rate point; a constant run's last point is already in.
      continue;
    }
    if (points === 'curves') finalOnly++;
    rows.push({ ...base, line: 0, D: r.tokens, C: 6 * N * r.tokens, loss: r.loss, step: r.steps, point: 'final' });
  }
  if (points === 'curves') {
    notes.push(`${plural(curveRuns, 'run')} with a constant or warmup-stable-decay learning rate gave intermediate points (stable phase, ≥ 10% of the final tokens, ≤ 16 log-spaced); ${plural(finalOnly, 'other run')} gave the final point only.`);
  }
  return { rows, excluded, notes };
}

/** The distinct model sizes of a sweep (relative tolerance 0.1 %). */
export function distinctSizes(rows: SweepRow[]): number {
  const sizes = [...new Set(rows.map((r) => r.N))].sort((a, b) => a - b);
  let n = 0;
  let prev = -Infinity;
  for (const s of sizes) { if (s > prev * 1.001) n++; prev = s; }
  return n;
}

/**
 * Budgets repeat when at least two compute budgets (6ND within 0.05 decades) each hold ≥ 3 model
 * sizes: isoFLOP profiles, which Chinchilla's Approach 2 fits.
 */
export function budgetsRepeat(rows: SweepRow[]): boolean {
  const groups = groupByBudget(rows.map((r) => r.N), rows.map((r) => r.D));
  return groups.filter((g) => distinctSizes(g.rows.map((i) => rows[i])) >= 3).length >= 2;
}

/** Line in the exported CSV of row i (header on line 1). */
const csvLine = (i: number) => i + 2;

/**
 * The sweep as a parsed sweep log (columns params, tokens, flops, loss, run), whose line numbers are
 * those of the exported CSV, so the analysis entry fits it exactly as it would fit that CSV.
 */
export function sweepAsLog(rows: SweepRow[], name = 'runs-sweep.csv'): ParsedLog {
  const col = (name: string, role: ColumnInfo['role'], reason: string): ColumnInfo => ({ name, role, confidence: 1, reason, numeric: role !== 'run' });
  const n = rows.length;
  return {
    file: name,
    format: 'csv',
    kind: 'sweep',
    rows: n,
    columns: [
      col('run', 'run', 'run folder'),
      col('params', 'params', 'model parameters from the run\'s config (active for MoE)'),
      col('tokens', 'tokens', 'tokens trained, from the run\'s log'),
      col('flops', 'flops', '6·N·D'),
      col('loss', 'loss', 'final loss of the run'),
    ],
    data: {
      params: Float64Array.from(rows, (r) => r.N),
      tokens: Float64Array.from(rows, (r) => r.D),
      flops: Float64Array.from(rows, (r) => r.C),
      loss: Float64Array.from(rows, (r) => r.loss),
    },
    // One label per row only when each run is one row: a run label shared by many rows would split
    // the table into per-run groups, which a sweep across runs is not.
    labels: rows.every((r) => r.point === 'final') ? { run: rows.map((r) => r.run) } : undefined,
    lines: Uint32Array.from(rows, (_, i) => csvLine(i)),
    problems: [],
    stats: { bytes: 0, rowsRead: n, dropped: 0, superseded: 0, segments: 1 },
  };
}

export { rowAtLine } from './saved';

/** The assembled table as CSV, one row per point with its source path (formula-like cells escaped). */
export function sweepCsv(rows: SweepRow[]): string {
  return Papa.unparse({
    fields: ['run', 'params', 'params_total', 'tokens', 'flops', 'loss', 'tokens_per_param', 'step', 'point', 'source', 'source_line'],
    data: rows.map((r) => [r.run, r.N, r.totalParams, r.D, r.C, r.loss, r.D / r.N, r.step ?? '', r.point, r.source, r.line || '']),
  }, { escapeFormulae: true, newline: '\n' }) + '\n';
}

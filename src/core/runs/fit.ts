/**
 * Fit across runs: the runs' assembled sweep, fitted by the one analysis entry that fits a sweep
 * table (the same law, options and report as a sweep CSV gives), plus the isoFLOP fit when budgets
 * repeat. Used by the CLI (`scaling-lens sweep`), the extension's worker and the tests.
 */
import { analyze as analyzeLog, type AnalyzeContext } from '../pipeline';
import { DEFAULT_ANALYZE_OPTIONS, type AnalyzeOptions } from '../options';
import type { Problem } from '../dataset';
import type { LogState } from '../../protocol';
import { assembleSweep, budgetsRepeat, sweepAsLog, type SweepPoints } from './sweep';
import type { AssembledSweep, RunInfo } from './types';
import { plural } from '../format';

export type RunsLaw = 'auto' | 'chinchilla' | 'isoflop' | 'kaplan';

export interface RunsFitOptions extends Partial<Omit<AnalyzeOptions, 'law'>> {
  law?: RunsLaw;
  points?: SweepPoints;
  /** Name the assembled table is shown under. */
  name?: string;
}

export interface RunsFit {
  sweep: AssembledSweep;
  /** The analysis of the assembled table (the law asked for; auto = Chinchilla Approach 3). */
  state: LogState;
  findings: Problem[];
  /** With law auto, when budgets repeat: the isoFLOP (Approach 2) analysis of the same table. */
  isoflop?: LogState;
  problems: string[];
}

/** The pipeline's defaults; the assembled table is one sweep (its run labels are runs, not groups). */
export const RUNS_FIT_DEFAULTS: AnalyzeOptions = { ...DEFAULT_ANALYZE_OPTIONS, groupBy: 'none' };

export function fitRuns(runs: RunInfo[], opts: RunsFitOptions = {}, ctx: AnalyzeContext = {}): RunsFit {
  const sweep = assembleSweep(runs, { points: opts.points });
  const problems: string[] = [...sweep.notes];
  for (const e of sweep.excluded) problems.push(`${e.run}: ${e.reason}`);
  const { law: lawOpt, points: _p, name, ...rest } = opts;
  void _p;
  const law = lawOpt ?? 'auto';
  const base: AnalyzeOptions = { ...RUNS_FIT_DEFAULTS, ...rest, law: law === 'auto' ? 'chinchilla' : law };
  const log = sweepAsLog(sweep.rows, name);
  if (sweep.rows.length < 5 && (law === 'auto' || law === 'chinchilla')) {
    problems.push(`Only ${plural(sweep.rows.length, 'usable point')}: the Chinchilla law has 5 parameters, so at least 5 runs (better 8 or more, over several sizes) are needed.`);
  }
  const { state, findings } = analyzeLog(log, base, ctx);
  const out: RunsFit = { sweep, state, findings, problems };
  // isoFLOP profiles from final points only: intermediate points of one run are not a profile.
  if (law === 'auto' && sweep.rows.length >= 6 && sweep.rows.every((r) => r.point === 'final') && budgetsRepeat(sweep.rows)) {
    out.isoflop = analyzeLog(log, { ...base, law: 'isoflop' }, { signal: ctx.signal }).state;
  }
  return out;
}

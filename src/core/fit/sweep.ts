/** A sweep table (one row per run) → the chosen law. */
import type { SweepTable } from '../dataset';
import { countDistinct, fitChinchilla, type ChinchillaFitOptions } from './chinchilla';
import { fitIsoflop } from './isoflop';
import { fitKaplan } from './kaplan';
import { fitRunCurve } from './run';
import { failedReport, FitReport } from './types';

export interface SweepFitOptions extends ChinchillaFitOptions {
  /** Per-row compute budgets for isoFLOP grouping (a budget column); default: sweep.C. */
  budgets?: ArrayLike<number>;
}

/**
 * Fits a sweep. law 'auto' → chinchilla when there are ≥ 2 model sizes; with one model size the
 * final losses vs tokens are fitted with the single-run law L(D) = E + B/D^β.
 */
export function fitSweep(sweep: SweepTable, opts: SweepFitOptions = {}): FitReport {
  const law = opts.law ?? 'auto';
  const n = sweep.N.length;
  if (n === 0) return failedReport(law === 'auto' ? 'chinchilla' : law, 0, 0, 'the sweep has no rows');
  switch (law) {
    case 'chinchilla':
      return fitChinchilla(sweep.N, sweep.D, sweep.loss, opts);
    case 'isoflop':
      return fitIsoflop(sweep.N, sweep.D, sweep.loss, { ...opts, budgets: opts.budgets ?? sweep.C, tokensGiven: sweep.tokensGiven });
    case 'kaplan':
      return fitKaplan(sweep.N, sweep.D, sweep.loss, opts);
    case 'run': {
      const r = fitRunCurve(sweep.D, sweep.loss, { ...opts, skipFraction: opts.skipFraction ?? 0, xKind: 'tokens' });
      r.messages.unshift('single-run law fitted to the final loss vs training tokens of the sweep');
      return r;
    }
    case 'auto': {
      const valid = Array.from(sweep.N).filter((v) => v > 0 && Number.isFinite(v)).map(Math.log);
      if (countDistinct(Float64Array.from(valid), 1e-3) >= 2) return fitChinchilla(sweep.N, sweep.D, sweep.loss, opts);
      const r = fitRunCurve(sweep.D, sweep.loss, { ...opts, skipFraction: opts.skipFraction ?? 0, xKind: 'tokens' });
      r.messages.unshift('one model size only: fitted L(D) = E + B/D^β to the final losses instead of L(N,D)');
      return r;
    }
    default:
      return failedReport('chinchilla', 0, n, `unknown law '${String(law)}'`);
  }
}

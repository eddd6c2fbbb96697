/** A sweep table (one row per run) → the chosen law. */
import type { SweepTable } from '../dataset';
import { countDistinct, fitChinchilla, type ChinchillaFitOptions } from './chinchilla';
import { fitIsoflop } from './isoflop';
import { fitKaplan } from './kaplan';
import { fitRunCurve } from './run';
import { failedReport, FitReport } from './types';
import { plural } from '../format';

export interface SweepFitOptions extends ChinchillaFitOptions {
  /** Per-row compute budgets for isoFLOP grouping (a budget column); default: sweep.C. */
  budgets?: ArrayLike<number>;
}

/** Distinct model sizes: sizes within 0.1% of a cluster's smallest count as one (never chained). */
export function distinctSizes(N: ArrayLike<number>): number {
  const valid = Array.from(N).filter((v) => v > 0 && Number.isFinite(v)).map(Math.log);
  return countDistinct(Float64Array.from(valid), 1e-3);
}

/** Why a sweep cannot give a law (every loss equal, or one size and one token count), else undefined. */
export function degenerate(sweep: SweepTable): string | undefined {
  let lo = Infinity, hi = -Infinity, n = 0;
  for (const v of sweep.loss) if (Number.isFinite(v) && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); n++; }
  if (n >= 2 && hi - lo <= 1e-9 * hi) {
    return `all ${n} losses are equal (${hi}): a flat sweep has no trend to fit, so no law (and no goodness of fit) is reported`;
  }
  const d = Array.from(sweep.D).filter((v) => v > 0 && Number.isFinite(v)).map(Math.log);
  if (n >= 2 && distinctSizes(sweep.N) < 2 && countDistinct(Float64Array.from(d), 1e-3) < 2) {
    return 'every run has the same model size and the same token count: nothing varies to fit a law to';
  }
  return undefined;
}

function dropHighest(s: SweepTable, k: number): SweepTable {
  const order = Array.from(s.loss.keys()).sort((a, b) => s.loss[b] - s.loss[a]);
  const gone = new Set(order.slice(0, k));
  const idx = Array.from(s.loss.keys()).filter((i) => !gone.has(i));
  const pick = (a: Float64Array) => Float64Array.from(idx, (i) => a[i]);
  const t: SweepTable = { N: pick(s.N), D: pick(s.D), C: pick(s.C), loss: pick(s.loss), lines: Uint32Array.from(idx, (i) => s.lines[i]), tokensGiven: s.tokensGiven };
  if (s.runIds) t.runIds = idx.map((i) => s.runIds![i]);
  return t;
}

/**
 * Fits a sweep. law 'auto' → chinchilla when there are ≥ 2 model sizes; with one model size the
 * final losses vs tokens are fitted with the single-run law L(D) = E + B/D^β.
 */
export function fitSweep(sweep: SweepTable, opts: SweepFitOptions = {}): FitReport {
  const law = opts.law ?? 'auto';
  const n = sweep.N.length;
  if (n === 0) return failedReport(law === 'auto' ? 'chinchilla' : law, 0, 0, 'the sweep has no rows');
  const flat = degenerate(sweep);
  if (flat) return failedReport(law === 'auto' ? 'chinchilla' : law, 0, n, flat);
  const drop = Math.max(0, Math.floor(opts.dropHighestLoss ?? 0));
  if (drop > 0 && law !== 'isoflop' && n - drop < 3) {
    const left = n - drop <= 0 ? 'none would be left' : `only ${n - drop} would be left`;
    return failedReport(law === 'auto' ? 'chinchilla' : law, 0, n, `the sweep has ${plural(n, 'row')} and the ${drop} highest-loss ones are to be dropped first (drop-highest-loss): ${left} to fit; lower the drop (the scalingLens.fit.dropHighestLoss setting, --drop-highest-loss)`);
  }
  if (drop > 0 && (law === 'kaplan' || law === 'run' || (law === 'auto' && distinctSizes(sweep.N) < 2))) {
    // Kaplan and the run law take the drop as Chinchilla does: the K highest losses leave the table.
    const r = fitSweep(dropHighest(sweep, drop), { ...opts, dropHighestLoss: 0 });
    r.dropped += Math.min(drop, n);
    r.messages.unshift(`dropped the ${Math.min(drop, n)} highest-loss point(s)`);
    return r;
  }
  if (drop > 0 && law === 'isoflop') {
    const r = fitSweep(sweep, { ...opts, dropHighestLoss: 0 });
    r.messages.unshift(`drop-highest-loss (${drop}) was not applied: an isoFLOP profile needs every run of a budget (the highest losses are its parabola's arms)`);
    return r;
  }
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
      if (distinctSizes(sweep.N) >= 2) return fitChinchilla(sweep.N, sweep.D, sweep.loss, opts);
      const r = fitRunCurve(sweep.D, sweep.loss, { ...opts, skipFraction: opts.skipFraction ?? 0, xKind: 'tokens' });
      r.messages.unshift('one model size only: fitted L(D) = E + B/D^β to the final losses instead of L(N,D)');
      return r;
    }
    default:
      return failedReport('chinchilla', 0, n, `unknown law '${String(law)}'`);
  }
}

/** A parsed log → the right fit: a sweep table goes to fitSweep, a run's curve to fitRunCurve. */
import type { ParsedLog } from '../logs';
import { toRunCurves, toSweep } from '../logs/convert';
import { fitRunCurve } from './run';
import { fitSweep } from './sweep';
import { failedReport, FitOptions, FitReport } from './types';

export interface FitLogOptions extends FitOptions {
  /** Loss series (column name) of a run to fit; default the first loss column. */
  series?: string;
  /** Tokens per optimizer step, when the log has steps but no tokens. */
  tokensPerStep?: number;
  /** Run fits: which x to use when several are logged (default tokens, else FLOPs, else steps). */
  xKind?: 'tokens' | 'step' | 'flops';
}

export function fitLog(log: ParsedLog, opts: FitLogOptions = {}): FitReport {
  const law = opts.law ?? 'auto';
  const wantsSweep = law === 'chinchilla' || law === 'isoflop' || law === 'kaplan' || (law === 'auto' && log.kind === 'sweep');
  if (wantsSweep) {
    const sweep = toSweep(log);
    if (!sweep) {
      return failedReport(law === 'auto' ? 'chinchilla' : law, 0, log.rows,
        'no sweep table in this log: a sweep needs a parameters column, a loss column and a tokens or FLOPs column');
    }
    return fitSweep(sweep, opts);
  }
  const curves = toRunCurves(log, { tokensPerStep: opts.tokensPerStep });
  if (curves.length === 0) return failedReport('run', 0, log.rows, 'no loss series found in this log');
  let curve = curves[0];
  if (opts.series !== undefined) {
    const found = curves.find((c) => c.series === opts.series);
    if (!found) {
      return failedReport('run', 0, log.rows, `no loss series '${opts.series}' in this log (found: ${curves.map((c) => c.series).join(', ')})`);
    }
    curve = found;
  } else {
    const lossCols = new Set(log.columns.filter((c) => c.role === 'loss').map((c) => c.name));
    // Among training-loss series, the one with the most points (per-step rather than per-epoch).
    const train = curves.filter((c) => lossCols.has(c.series) || [...lossCols].some((n) => c.series.startsWith(`${n} (`)));
    curve = (train.length > 0 ? train : curves).reduce((a, b) => (b.loss.length > a.loss.length ? b : a));
  }
  let xKind = opts.xKind ?? (curve.tokens ? 'tokens' : curve.flops ? 'flops' : 'step');
  let x: Float64Array | undefined = xKind === 'tokens' ? curve.tokens : xKind === 'flops' ? curve.flops : curve.step;
  const messages: string[] = [];
  if (!x) {
    messages.push(`no ${xKind} column for series '${curve.series}': fitted against steps`);
    xKind = 'step';
    x = curve.step;
  } else if (xKind === 'step' && !opts.xKind) {
    messages.push('no tokens column and no tokens per step: fitted against steps (set tokens per step for token counts)');
  }
  const r = fitRunCurve(x, curve.loss, { ...opts, xKind });
  r.messages.unshift(`series '${curve.series}' vs ${xKind}`, ...messages);
  if (curves.length > 1) r.messages.push(`${curves.length} loss series in the log; fitted '${curve.series}'`);
  return r;
}

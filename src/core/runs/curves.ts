/**
 * Curves of several runs on one chart: each run's loss against tokens, FLOPs (6·N·D, N = active
 * parameters) and steps, downsampled so that 30 runs and a million points stay interactive, and each
 * run's own fit on request (the single-run analysis of its log, as the run's own chart panel gets).
 */
import { analyze } from '../pipeline';
import type { AnalyzeOptions } from '../options';
import { parseLogFile, toRunCurves, withTailFacts, type ParsedLog } from '../logs';
import type { FitView } from '../../protocol';
import { mainCurve } from './discover';
import { RUNS_FIT_DEFAULTS } from './fit';
import type { RunInfo } from './types';

// The shapes live in the protocol (they cross to the webview); re-exported here for the core.
import type { CompareAxis, CompareCurve, CompareData } from '../../protocol';
import { isCancelled } from '../cancel';
import { DEFAULT_BUCKETS, downsampleIndices } from '../downsample';
import { stepUnitOf } from '../logs/epochs';
export type { CompareAxis, CompareCurve, CompareData } from '../../protocol';

export { DEFAULT_BUCKETS, downsampleIndices } from '../downsample';

/** Tokens per step the run's tokens were computed with (tokens = steps × this), when they were. */
function tokensPerStepOf(run: RunInfo): number | undefined {
  if (run.tokens === undefined || !run.steps || !run.tokensSource?.startsWith('steps ×')) return undefined;
  return run.tokens / run.steps;
}

export interface CompareOptions {
  buckets?: number;
  signal?: AbortSignal;
  /** Parsed logs by path, reused across calls (the worker keeps one). */
  parse?: (file: string) => Promise<ParsedLog>;
}

export async function compareCurves(runs: RunInfo[], opts: CompareOptions = {}): Promise<CompareData> {
  const parse = opts.parse ?? ((f: string) => parseLogFile(f, { signal: opts.signal }));
  const curves: CompareCurve[] = [];
  let total = 0, shown = 0;
  for (const run of runs) {
    if (opts.signal?.aborted) break;
    const base: CompareCurve = { rel: run.rel, log: run.log, params: run.params, tokensPerParam: run.tokensPerParam, loss: run.loss, series: run.lossSeries ?? 'loss', points: 0, x: {}, y: [] };
    let log: ParsedLog;
    try {
      log = await parse(run.log);
    } catch (e) {
      if (isCancelled(e)) throw e;
      curves.push({ ...base, problem: (e as Error).message });
      continue;
    }
    const tps = tokensPerStepOf(run);
    const all = toRunCurves(log, { tokensPerStep: tps });
    const c = all.find((x) => x.series === run.lossSeries) ?? mainCurve(log, all);
    if (!c) { curves.push({ ...base, problem: 'no loss series' }); continue; }
    const keep = downsampleIndices(c.loss, opts.buckets ?? DEFAULT_BUCKETS);
    total += c.loss.length;
    shown += keep.length;
    const pick = (a: ArrayLike<number>) => keep.map((i) => a[i]);
    const x: CompareCurve['x'] = { step: pick(c.step) };
    if (c.tokens) x.tokens = pick(c.tokens);
    const N = run.params?.active;
    if (c.flops) x.flops = pick(c.flops);
    else if (c.tokens && N) x.flops = keep.map((i) => 6 * N * c.tokens![i]);
    curves.push({ ...base, series: c.series, points: c.loss.length, x, y: pick(c.loss), ...(stepUnitOf(log) ? { stepUnit: 'epoch' as const } : {}) });
  }
  const axes: CompareAxis[] = ['tokens', 'flops', 'step'];
  const drawable = curves.filter((c) => !c.problem);
  return { curves, totalPoints: total, shownPoints: shown, commonAxes: axes.filter((a) => drawable.length > 0 && drawable.every((c) => c.x[a])) };
}

/**
 * Each run's own fit against `axis`: the single-run analysis of its log (the same as the run's
 * chart panel), with its config's size and tokens per step.
 */
export async function fitEachRun(runs: RunInfo[], axis: CompareAxis, opts: CompareOptions & { analyze?: Partial<AnalyzeOptions> } = {}): Promise<{ rel: string; fit?: FitView; error?: string }[]> {
  const parse = opts.parse ?? ((f: string) => parseLogFile(f, { signal: opts.signal }));
  const out: { rel: string; fit?: FitView; error?: string }[] = [];
  for (const run of runs) {
    if (opts.signal?.aborted) break;
    try {
      // With what its first and last rows say of the whole run (a planned end, its epochs), as the run's own panel has it.
      const log = await withTailFacts(run.log, await parse(run.log));
      // Size and tokens per step are the run's (already read from its config): no second config lookup.
      const { state } = analyze(log, {
        ...RUNS_FIT_DEFAULTS, bootstrap: 0, ...opts.analyze, law: 'run', xKind: axis, series: run.lossSeries,
        tokensPerStep: tokensPerStepOf(run) ?? 0, params: run.params?.active ?? 0, useConfigs: false,
      }, { signal: opts.signal });
      if (state.fit && state.options.xKind === axis) out.push({ rel: run.rel, fit: state.fit });
      else out.push({ rel: run.rel, error: state.fitError ?? `no ${axis} axis for this run` });
    } catch (e) {
      if (isCancelled(e)) throw e;
      out.push({ rel: run.rel, error: (e as Error).message });
    }
  }
  return out;
}

/**
 * Eval files in the one pipeline: src/core/pipeline.ts `analyzeFile` routes a file here when the law
 * is passk/budget, or when the law is auto and the file's columns make it eval results. The result is
 * the same `Analysis` (a LogState with `evals`) the CLI prints and the editor draws.
 */
import type { Analysis } from '../analyzer';
import { MAX_COLUMNS_SHOWN, shownNames, viewOptionsOf } from '../analyzer';
import { throwIfCancelled } from '../cancel';
import type { AnalyzeOptions } from '../options';
import type { LogState } from '../../protocol';
import { analyzeEvals, type EvalAnalysis } from './analyze';
import { looksLikeEval, readEvalFile, readHead, type EvalRole } from './read';
import type { ChinchillaParams } from '../fit/laws';

/** A Chinchilla law and where it came from (shown beside each training-token count it gives). */
export interface TrainLaw {
  law: ChinchillaParams;
  source: string;
}

export interface EvalFileContext {
  /** Role overrides by column name (eval roles). */
  roleOverrides?: Record<string, EvalRole>;
  /** Thinking-budget tables: the law for the compute-optimal training tokens (default the replication). */
  trainLaw?: TrainLaw;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
}

/** Whether `analyzeFile` should treat `file` as eval results. */
export async function isEvalFile(file: string, options: AnalyzeOptions, roleOverrides?: Record<string, EvalRole>): Promise<boolean> {
  if (options.law === 'passk' || options.law === 'budget') return true;
  if (options.law !== 'auto') return false;
  return looksLikeEval(file, await readHead(file), roleOverrides) !== undefined;
}

/** The group an eval analysis shows first: the chosen one when it exists. */
export function shownGroup(ev: EvalAnalysis, options: { group?: string; groupBy?: string }): string | undefined {
  const names = (ev.passk ?? []).map((g) => g.key);
  for (const want of [options.group, options.groupBy]) if (want && names.includes(want)) return want;
  return names[0];
}

export async function analyzeEvalFile(file: string, options: AnalyzeOptions, ctx: EvalFileContext = {}): Promise<Analysis> {
  ctx.onProgress?.(0, 'Reading eval results');
  const data = await readEvalFile(file, {
    roleOverrides: ctx.roleOverrides, threshold: options.scoreThreshold, metric: options.evalMetric || undefined,
  });
  throwIfCancelled(ctx.signal);
  ctx.onProgress?.(0.3, data.kind === 'budget' ? 'Fitting thinking-budget curves' : 'Estimating pass@k');
  const target = options.targetAccuracy > 0 ? (options.targetAccuracy >= 1 ? options.targetAccuracy / 100 : options.targetAccuracy) : undefined;
  const ev = analyzeEvals(data, {
    law: options.law === 'passk' || options.law === 'budget' ? options.law : 'auto',
    bootstrap: options.bootstrap, seed: options.seed, forecastTo: options.forecastTo > 0 ? options.forecastTo : undefined,
    targetAccuracy: target, queries: options.queries, promptTokens: options.promptTokens > 0 ? options.promptTokens : undefined,
    chinchilla: ctx.trainLaw, signal: ctx.signal,
  });
  const name = file.split(/[\\/]/).pop() ?? file;
  const state: LogState = {
    kind: 'log', file, name, format: data.format, logKind: 'eval', rows: data.rows,
    columns: data.columns.slice(0, MAX_COLUMNS_SHOWN).map((c) => ({ name: c.name.slice(0, 500), role: c.role, confidence: c.confidence, reason: c.reason?.slice(0, 500) })),
    columnCount: data.columns.length,
    problems: data.problems.slice(0, 200).map((p) => ({ line: p.line, severity: p.severity, message: p.message })),
    problemCount: data.problems.length,
    stats: { bytes: 0, rowsRead: data.rows, dropped: 0, superseded: 0, segments: 1 },
    seriesNames: shownNames((ev.passk ?? []).map((g) => g.key)),
    xKinds: [],
    evals: ev,
    options: viewOptionsOf(options),
  };
  state.options.law = ev.kind;
  const shown = shownGroup(ev, options);
  if (shown !== undefined) state.options.group = shown;
  const asked = options.groupBy && options.groupBy !== 'auto' && options.groupBy !== 'none' ? options.groupBy : undefined;
  if (asked !== undefined && ev.passk && !ev.passk.some((g) => g.key === asked)) {
    state.fitError = `${name}: no group '${asked}' (groups: ${ev.passk.map((g) => g.key).join(', ')})`;
  }
  const fitted = ev.kind === 'passk' ? (ev.passk ?? []).some((g) => g.passAtK.length > 0) : (ev.budget?.models ?? []).some((m) => m.fit);
  if (!fitted && !state.fitError) {
    state.fitError = ev.kind === 'passk'
      ? `${name}: ${data.problems.find((p) => p.severity === 'error')?.message.replace(/^[^:]*: /, '') ?? 'no group of problems could be estimated'}`
      : `${name}: ${(ev.budget?.models ?? []).map((m) => `${m.model}: ${m.error}`).join('; ') || 'no model could be fitted'}`;
  }
  ctx.onProgress?.(1, 'Done');
  return { state, findings: data.problems.filter((p) => p.line > 0).slice(0, 200) };
}

export { evalsToJson, evalsToMarkdown } from './summary';

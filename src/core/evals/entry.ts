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

/** An eval analysis as JSON (the CLI's --json and the panel's "Copy as JSON"): the shown group's
 * `passAtK`, `forecast` and `backtest` at the top, every group under `passk`, budget results under `budget`. */
export function evalsToJson(state: LogState, findings?: readonly { line: number; severity: string; message: string }[]): Record<string, unknown> {
  const ev = state.evals as EvalAnalysis;
  const name = state.options.group;
  const top = (ev.passk ?? []).find((g) => g.key === name) ?? ev.passk?.[0];
  const out: Record<string, unknown> = {
    file: state.file, format: state.format, kind: ev.kind, rows: state.rows, law: ev.kind,
  };
  if (top) {
    out.group = top.key;
    out.passAtK = top.passAtK;
    out.forecast = top.forecast ? { law: top.forecast.law, params: top.forecast.params, at: top.forecast.at, source: top.forecast.source } : null;
    out.backtest = top.backtest ?? null;
  }
  out.columns = ev.columns;
  out.notes = ev.notes;
  if (ev.passk) out.passk = ev.passk;
  if (ev.budget) out.budget = ev.budget;
  out.sources = ev.sources;
  out.error = state.fitError;
  if (findings) out.findings = findings.map((p) => ({ line: p.line, severity: p.severity, message: p.message }));
  // JSON has no Infinity/NaN: they become null (an unreachable target, a missing interval).
  return JSON.parse(JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as Record<string, unknown>;
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

/** An eval analysis as Markdown (the panel's "Copy Markdown"); `esc` escapes text from the file. */
export function evalsToMarkdown(state: LogState, esc: (s: string) => string): string {
  const ev = state.evals as EvalAnalysis;
  const out = [`## Scaling Lens — ${esc(state.name)}`, ''];
  if (ev.kind === 'passk') {
    const g = (ev.passk ?? []).find((x) => x.key === state.options.group) ?? ev.passk?.[0];
    if (g) {
      out.push(`${esc(g.key)}: ${g.problems} problems, ${g.attempts} attempts, ${g.successes} correct.`, '', '| k | pass@k | 95% interval |', '|---|---|---|');
      for (const p of g.passAtK.filter((p) => (p.k & (p.k - 1)) === 0 || p.k === g.kMax)) out.push(`| ${p.k} | ${pct(p.value)} | ${Number.isFinite(p.lo) ? `${pct(p.lo)} – ${pct(p.hi)}` : '—'} |`);
      out.push('', '| forecast | parameters | last k | backtest RMSE |', '|---|---|---|---|');
      for (const f of g.forecasts) {
        const s = g.backtest?.scores.find((b) => b.law === f.law);
        const last = f.at[f.at.length - 1];
        out.push(`| ${f.law === 'beta' ? 'Beta-binomial' : 'power law'} | ${Object.entries(f.params).filter(([k]) => k !== 'logLik').map(([k, v]) => `${k} = ${v.toPrecision(4)}`).join(', ')} | pass@${last.k} = ${pct(last.value)} | ${s && Number.isFinite(s.rmse) ? `${(100 * s.rmse).toFixed(2)} points` : '—'} |`);
      }
    }
  } else if (ev.budget) {
    out.push('| model | floor | ceiling | tokens at midpoint | slope |', '|---|---|---|---|---|');
    for (const m of ev.budget.models) {
      out.push(m.fit ? `| ${esc(m.model)} | ${pct(m.fit.params.floor)} | ${pct(m.fit.params.ceiling)} | ${Math.exp(m.fit.params.mid).toPrecision(4)} | ${m.fit.params.slope.toPrecision(3)} |` : `| ${esc(m.model)} | ${esc(m.error ?? 'not fitted')} | | | |`);
    }
    const c = ev.budget.compare;
    if (c) {
      out.push('', `Train bigger or think longer, ${pct(c.targetAccuracy)} accuracy over ${c.queries.toExponential(2)} queries: cheapest **${esc(c.cheapest ?? 'none')}**.`);
      for (const f of c.flips) out.push(`- from ${f.queries.toExponential(2)} queries on, ${esc(f.to)} is cheaper than ${esc(f.from)}`);
    }
  }
  out.push('', `Sources: ${ev.sources.join('; ')}.`);
  if (state.fitError) out.push('', `> ${esc(state.fitError)}`);
  return out.join('\n') + '\n';
}

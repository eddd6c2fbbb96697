/**
 * The contract of an analysis kind, and the pieces every kind shares. An analyzer turns a parsed log
 * (with validated options and what the configs beside it said) into the state the editor shows and
 * the findings that become diagnostics; the CLI prints the same state. Built-in kinds: a run's curve
 * and a sweep table (src/core/analyze.ts). A new kind (eval tables, runs across folders, …) is one
 * object with `claims` and `analyze`, listed in src/core/pipeline.ts's ANALYZERS.
 */
import type { Problem } from './dataset';
import type { ParsedLog } from './logs';
import type { FitReport } from './fit/types';
import { LAW_INFO } from './fit/types';
import type { AnalyzeOptions, XKind } from './options';
import type { FitView, LogState, ViewOptions } from '../protocol';
import { tokensPerParamFinding } from './config/ratio';

/** The result of one analysis: what the editor shows and the CLI prints, and the findings. */
export interface Analysis {
  state: LogState;
  /** Findings to show as diagnostics, with 1-based lines. */
  findings: Problem[];
  /**
   * Only with `probeCut` (a prefix fit, --fit-until): the last line of the file a user at the cut would
   * have had, the line before the first row past it (absent when no row lies past it). Nothing is fitted.
   */
  cutLine?: number;
}

export interface AnalysisContext {
  log: ParsedLog;
  /** Validated; `params`/`tokensPerStep` already filled from a config beside the log when it had them. */
  options: AnalyzeOptions;
  /** Where `params`/`tokensPerStep` came from (a config beside the log), for the summary. */
  configNote?: string;
  /** Texts that may plan the LR schedule: the log's own head (a script printed first), then the configs beside it. */
  scheduleTexts?: ReadonlyArray<{ file: string; text: string }>;
  /** The fit of this log before it grew, with the same options (live refit): the fits start from its optimum. */
  warm?: WarmStart;
  signal?: AbortSignal;
  progress(fraction: number, message: string): void;
  /**
   * The options the user asked for explicitly (CLI flags). An option a law ignores is refused with a
   * message only when asked for; a workspace default (a setting) that does not apply stays silent.
   */
  explicit?: ReadonlySet<keyof AnalyzeOptions>;
  /** The model size and tokens per step the user gave (0: not given), before any config filled them. */
  userModel?: { params: number; tokensPerStep: number };
  /** A prefix fit's first pass: find the cut's line (Analysis.cutLine) and return before fitting. */
  probeCut?: boolean;
}

/** What a live refit keeps of the previous fit: each run law's optimum. */
export type WarmStart = Pick<FitReport, 'candidates'>;

export interface Analyzer {
  /** A short name ('run', 'sweep', …), shown nowhere but in tests and logs. */
  id: string;
  /** How well this kind fits the log: 0 = not at all; the highest claim wins (built-ins claim 1). */
  claims(log: ParsedLog, options: AnalyzeOptions): number;
  /** Whether it uses a model size / tokens per step read from a training config beside the log. */
  usesConfigs: boolean;
  analyze(ctx: AnalysisContext): Analysis;
}

/** The view options of an analysis's options (what the state echoes back to the webview). */
export function viewOptionsOf(o: AnalyzeOptions): ViewOptions {
  return {
    series: o.series, law: o.law, xKind: o.xKind, logScale: o.logScale, targetTokens: o.targetTokens,
    warmupPercent: o.warmupPercent, skipOverSchedule: o.skipOverSchedule, budget: o.budget, inferenceTokens: o.inferenceTokens, uniqueTokens: o.uniqueTokens,
    groupBy: o.groupBy, group: o.group, repeats: o.repeats,
    forecastTo: o.forecastTo, targetAccuracy: o.targetAccuracy, queries: o.queries, promptTokens: o.promptTokens,
    params: o.params,
  };
}

/** Most columns sent to a webview (a 330,000-column header must not become 35 MB of messages and a million DOM nodes). */
export const MAX_COLUMNS_SHOWN = 500;

/**
 * The names a webview lists (series to pick from): the first MAX_COLUMNS_SHOWN, plus `chosen` when it
 * comes later, so a file with 100,000 loss columns sends 500 names, not megabytes and a 100,000-option menu.
 */
export function shownNames(names: string[], chosen?: string): string[] {
  if (names.length <= MAX_COLUMNS_SHOWN) return names;
  const shown = names.slice(0, MAX_COLUMNS_SHOWN);
  if (chosen !== undefined && !shown.includes(chosen)) shown.push(chosen);
  return shown;
}

/** Names for a message: the first `max`, then how many in all. */
export function listed(names: string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length.toLocaleString('en-US')} in all)`;
}

/** The state of a log before any analysis: format, columns (the first MAX_COLUMNS_SHOWN), parse problems. */
export function baseState(log: ParsedLog, options: AnalyzeOptions): LogState {
  const problems = log.problems.slice(0, 200).map((p) => ({ line: p.line, severity: p.severity, message: p.message }));
  return {
    kind: 'log',
    file: log.file,
    name: log.file.split(/[\\/]/).pop() ?? log.file,
    format: log.format,
    logKind: log.kind,
    rows: log.rows,
    columns: log.columns.slice(0, MAX_COLUMNS_SHOWN).map((c) => ({ name: c.name.slice(0, 500), role: c.role, confidence: c.confidence, reason: c.reason?.slice(0, 500) })),
    columnCount: log.columns.length,
    problems,
    problemCount: log.problems.length,
    stats: { ...log.stats },
    seriesNames: [],
    xKinds: [],
    options: viewOptionsOf(options),
  };
}

/** The parse problems tied to a line, as findings. */
export function parseFindings(log: ParsedLog): Problem[] {
  return log.problems.filter((p) => p.line > 0).slice(0, 200);
}

/** The report as the chart takes it, each curve tagged with the quantity on its axes. */
export function toView(report: FitReport, runX?: XKind): FitView {
  const view = report as FitView;
  for (const c of view.curves) {
    c.yKind = 'loss';
    if (runX) c.xKind = runX;
    else if (report.law === 'kaplan') c.xKind = c.kind === 'frontier' ? 'flops' : 'tokens';
    else c.xKind = LAW_INFO[report.law].axis;
  }
  return view;
}

/**
 * A warning (under-trained) or information (over-trained) for one run's tokens per parameter: the
 * one wording of this finding, shared with the config analysis (src/core/config/ratio.ts).
 */
export function ratioFinding(N: number, D: number, line: number, opts: AnalyzeOptions, what: string): Problem | undefined {
  return tokensPerParamFinding({
    tokens: D, params: N, what, referenceRatio: opts.referenceRatio, warnBelow: opts.warnBelow, warnAbove: opts.warnAbove, line,
  });
}

/** Keeps a fit's error from swallowing cancellation: rethrows cancellations, returns other messages. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

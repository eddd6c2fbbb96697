/**
 * The one message protocol between the extension host and the webviews (chart panel and side view).
 * One discriminated union per direction, tagged by `type`, with a type guard on receipt.
 * Shared by src/extension, src/core/pipeline.ts and webview/: no `vscode` import, no DOM or Node types,
 * plain data only (everything here crosses postMessage and worker_threads by structured clone).
 * It imports only core files that do not import it back (src/core/options.ts, src/core/fit/types.ts).
 */

import type { Curve, FitReportBase, LawFit, LawName } from './core/fit/types';
import type { ViewOptions, XKind } from './core/options';
import type { EvalAnalysis } from './core/evals/analyze';
import type { ThinkOrTrainResult } from './core/evals/thinkOrTrain';

// ---- runs comparison (data built by src/core/runs/curves.ts) --------------------------------
export type CompareAxis = 'tokens' | 'flops' | 'step';

export interface CompareCurve {
  rel: string;
  log: string;
  /** Parameters (total, active) from the run's config, when known. */
  params?: { total: number; active: number };
  tokensPerParam?: number;
  loss?: number;
  series: string;
  /** Logged points before downsampling. */
  points: number;
  /** `epoch` when the log's steps are its epochs (one row per epoch, no step column): its `x.step` counts epochs. */
  stepUnit?: 'epoch';
  /** Downsampled points; x arrays are absent when the run cannot be drawn on that axis. */
  x: Partial<Record<CompareAxis, number[]>>;
  y: number[];
  problem?: string;
}

export interface CompareData {
  curves: CompareCurve[];
  /** Points logged in total and points sent. */
  totalPoints: number;
  shownPoints: number;
  /** Axes every curve has. */
  commonAxes: CompareAxis[];
}

// The options (and their one validator) live in the core; the protocol re-exports them.
export type { LawChoice, ViewOptions, XKind } from './core/options';
export { ALL_GROUPS, DEFAULT_VIEW_OPTIONS, sanitizeOptions } from './core/options';

/** A fitted curve as the chart takes it: the core's curve, tagged with the quantity on each axis. */
export interface CurveView extends Curve {
  /** Set by the core's view builder; the chart draws a curve only on matching axes. */
  xKind?: XKind;
  yKind?: 'loss' | 'params' | 'tokens';
}

/**
 * A fit's result as the chart and the summary show it: the core's FitReport with tagged curves.
 * A union on `law` (LawFit): its `params` and `ci` have exactly that law's keys.
 */
export type FitView = Omit<FitReportBase, 'curves' | 'xKind'> & LawFit & {
  curves: CurveView[];
  xKind?: XKind;
};

/** One sweep of a table holding several (one value of the group column), fitted on its own. */
export type GroupView = LawFit & {
  name: string;
  /** Rows of the table in this group (before the fit's own drops). */
  rows: number;
  n: number;
  dropped: number;
  objective: number;
  r2: number;
  optimal?: FitReportBase['optimal'];
  messages: string[];
  /** Why this group could not be fitted. */
  error?: string;
  /** The group's fit with its chart curves (each group is drawn in its own colour). */
  fit?: FitView;
};

export interface ProblemView {
  line: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface ColumnView {
  name: string;
  role: string;
  confidence: number;
  reason?: string;
}

/** The Chinchilla-optimal marker for a run whose model size is known: D = 20·N. */
export interface OptimalMarker {
  params: number;
  tokens: number;
  loss?: number;
  source: string;
}

/** A parsed and fitted log, as the panel and the side view show it. */
export interface LogState {
  kind: 'log';
  file: string;
  name: string;
  format: string;
  logKind: 'run' | 'sweep' | 'eval';
  rows: number;
  /** The first columns (at most 500; `columnCount` says how many the file has). */
  columns: ColumnView[];
  columnCount?: number;
  problems: ProblemView[];
  problemCount: number;
  /**
   * What the analysis found in the run, each on its line (a held-out loss that has turned up, more
   * training still paying off): the diagnostics' findings, shown by the panel too (binary logs and
   * folders have no line for a diagnostic).
   */
  findings?: ProblemView[];
  stats: { bytes: number; rowsRead: number; dropped: number; superseded: number; segments: number };
  /** Loss series the user can pick from (runs). */
  seriesNames: string[];
  /** x-axes this log can be drawn against. */
  xKinds: XKind[];
  /** Runs: `epoch` when the log's steps are its epochs (one row per epoch, no step column): axes and texts say epoch. */
  stepUnit?: 'epoch';
  /** Observed points of the selected series against the chosen x (runs). */
  observed?: { series: string; x: number[]; y: number[] };
  /**
   * One row per run (sweeps; the shown group's rows, or every row when the groups are overlaid); of a
   * table longer than MAX_SWEEP_DRAWN, every k-th row, `total` the rows there are (the fit uses them all).
   */
  sweep?: { N: number[]; D: number[]; C: number[]; loss: number[]; group?: number[]; total?: number };
  /** Sweep tables holding several sweeps: the label column that split them, and one fit per group. */
  groupColumn?: string;
  /** Label columns the table could be grouped by. */
  groupColumns?: string[];
  groups?: GroupView[];
  /** The sweep has checkpoints or learning rates, so the repeats choice (all / final / best LR) matters. */
  repeatsApply?: boolean;
  fit?: FitView;
  fitError?: string;
  /** The law that was tried when there is no fit (so a failed fit still names its law). */
  fitLaw?: LawName;
  marker?: OptimalMarker;
  /** Where the run's model size came from (a config file next to the log), if anywhere. */
  configNote?: string;
  /** A sweep without model sizes: every run's size can be given (the panel's Model size field). */
  needsParams?: boolean;
  /** Eval files: pass@k with forecasts, or thinking-budget curves and the think-or-train comparison. */
  evals?: EvalAnalysis;
  options: ViewOptions;
}

/** The compute-optimal allocation for a FLOP budget, without a log (from a config's quick fix). */
export interface AllocationState {
  kind: 'allocation';
  budget: number;
  law: { E: number; A: number; B: number; alpha: number; beta: number };
  lawSource: string;
  N: number;
  D: number;
  loss: number;
  tokensPerParam: number;
  /** Where the config that asked stands, for comparison. */
  current?: { N: number; D: number; loss: number; source: string };
  frontier: CurveView;
  /** The inference-aware optimum for the same loss (Sardana et al. 2023), when inference tokens are given. */
  inference?: { inferenceTokens: number; N: number; D: number; tokensPerParam: number; totalFlops: number; chinchillaTotalFlops: number; savedFraction: number };
  /** The optimum trained on repeated data (Muennighoff et al. 2023), when unique tokens are fewer than D. */
  repeated?: { uniqueTokens: number; epochs: number; effectiveTokens: number; effectiveParams: number; loss: number; lossUnique: number };
  /** Why a variant could not be computed. */
  note?: string;
  /**
   * Train bigger or think longer (issue 14): a thinking-budget table chosen in this view, its models
   * compared at the view's target accuracy and query count, with this view's law giving the
   * compute-optimal training tokens of a model whose tokens the table does not say.
   */
  thinkOrTrain?: { file: string; name: string; compare?: ThinkOrTrainResult; error?: string };
  options: ViewOptions;
}

export type ViewState = LogState | AllocationState;

/** The x-axis a state is drawn against (states carry a resolved kind; 'auto' falls back to tokens). */
/** Log formats whose problems and findings have a line of a text file to sit on (folders and event files have none). */
const LINE_FORMATS: ReadonlySet<string> = new Set(['csv', 'jsonl', 'trainer_state', 'json', 'text']);

/**
 * Whether a log's line numbers can be shown in the editor: a text log read as it is on disk (not a
 * gzipped one, which the editor would open as binary; not a notebook, whose lines read are its cells'
 * outputs; not a run folder or an event file).
 */
export function hasTextLines(s: { format: string; file: string }): boolean {
  return LINE_FORMATS.has(s.format) && !/\.(?:gz|ipynb)$/i.test(s.file);
}

export function resolvedXKind(s: ViewState): XKind {
  if (s.kind === 'allocation') return 'flops';
  return s.options.xKind === 'auto' ? 'tokens' : s.options.xKind;
}

// ---- host → webview -------------------------------------------------------------------------
export type ToWebview =
  | { type: 'state'; state: ViewState }
  | { type: 'busy'; message: string }
  | { type: 'error'; message: string }
  | { type: 'empty'; message: string }
  | { type: 'persist'; state: SavedWebviewState };

/**
 * What a webview keeps across a window reload (the host says what, the webview stores it with
 * `setState`; the host's serializer reads it back). After a reload it is the webview's word, so it
 * is parsed by `parseSavedState` and only used as a key among things the host finds itself.
 */
export interface SavedWebviewState {
  /** The log a chart panel shows. */
  file?: string;
  /** The runs (their log paths) a compare or fit-across panel shows. */
  runs?: string[];
  /** The fit-across panel's FLOP budget. */
  budget?: number;
}

/** At most this many runs are restored (the compare chart draws tens; a sweep folder a few thousand). */
export const MAX_SAVED_RUNS = 5000;

/** The saved state of a webview, from untrusted input: only well-formed fields survive. */
export function parseSavedState(raw: unknown): SavedWebviewState {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const out: SavedWebviewState = {};
  const okPath = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 4096 && !v.includes('\0');
  if (Object.prototype.hasOwnProperty.call(r, 'file') && okPath(r.file)) out.file = r.file;
  if (Object.prototype.hasOwnProperty.call(r, 'runs') && Array.isArray(r.runs)) {
    const runs = [...new Set(r.runs.slice(0, MAX_SAVED_RUNS).filter(okPath))];
    if (runs.length) out.runs = runs;
  }
  if (Object.prototype.hasOwnProperty.call(r, 'budget') && typeof r.budget === 'number' && Number.isFinite(r.budget) && r.budget > 0) out.budget = r.budget;
  return out;
}

// ---- webview → host -------------------------------------------------------------------------
export type FromWebview =
  | { type: 'ready' }
  | { type: 'setOptions'; options: Partial<ViewOptions> }
  | { type: 'copy'; format: 'json' | 'markdown' }
  | { type: 'exportPng'; dataUrl: string }
  | { type: 'exportCsv' }
  | { type: 'openPanel' }
  | { type: 'revealLine'; line: number }
  /** The allocation view: choose a thinking-budget table to compare training a bigger model with thinking longer. */
  | { type: 'chooseThinkingTable' }
  | { type: 'rendered'; canvasPainted: boolean; summary: string; xKind: XKind; logScale: boolean }
  | CompareFromWebview;

// ---- the compare chart (issue 12): several runs' curves on one chart --------------------------
/** The runs' curves as the compare chart takes them (core/runs/curves.ts). */
export interface CompareState {
  title: string;
  data: CompareData;
}
/** What the compare chart receives: its state, the runs' own fits, and the panels' busy/error/empty. */
export type ToCompareWebview =
  | { type: 'compare'; state: CompareState }
  | { type: 'compareFits'; axis: CompareAxis; fits: { rel: string; fit?: FitView; error?: string }[] }
  | Exclude<ToWebview, { type: 'state' }>;
export type CompareFromWebview =
  | { type: 'compareFit'; axis: CompareAxis }
  | { type: 'compareReveal'; rel: string };
const COMPARE_AXES = new Set(['tokens', 'flops', 'step']);
const TO_COMPARE_TYPES = new Set(['compare', 'compareFits', 'busy', 'error', 'empty', 'persist']);

/** Type guard for messages arriving in the compare chart. */
export function isToCompareWebview(m: unknown): m is ToCompareWebview {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return typeof t === 'string' && TO_COMPARE_TYPES.has(t);
}

const FROM_TYPES = new Set(['ready', 'setOptions', 'copy', 'exportPng', 'exportCsv', 'openPanel', 'revealLine', 'rendered', 'compareFit', 'compareReveal', 'chooseThinkingTable']);

/** Type guard for messages arriving from a webview (they are untrusted input). */
export function isFromWebview(m: unknown): m is FromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (typeof t !== 'string' || !FROM_TYPES.has(t)) return false;
  const r = m as Record<string, unknown>;
  switch (t) {
    case 'setOptions':
      return typeof r.options === 'object' && r.options !== null;
    case 'copy':
      return r.format === 'json' || r.format === 'markdown';
    case 'exportPng':
      return typeof r.dataUrl === 'string' && r.dataUrl.startsWith('data:image/png;base64,');
    case 'revealLine':
      return typeof r.line === 'number' && Number.isInteger(r.line) && r.line >= 1;
    case 'rendered':
      return typeof r.canvasPainted === 'boolean' && typeof r.summary === 'string';
    case 'compareFit':
      return typeof r.axis === 'string' && COMPARE_AXES.has(r.axis);
    case 'compareReveal':
      return typeof r.rel === 'string' && r.rel.length < 4096;
    default:
      return true;
  }
}

const TO_TYPES = new Set(['state', 'busy', 'error', 'empty', 'persist']);

/**
 * A band open above (a held-out loss on repeated data) has an upper end of Infinity, which the
 * webview's postMessage (JSON) delivers as null: restored where the lower end beside it is a number
 * (a band absent altogether has both ends NaN, delivered as null too). In place; cheap (the fit's
 * curves only).
 */
export function reviveOpenBands(m: ToWebview): void {
  if (m.type !== 'state' || m.state.kind !== 'log') return;
  const fits = [m.state.fit, ...(m.state.groups ?? []).map((g) => g.fit)];
  for (const f of fits) {
    if (!f) continue;
    const p = f.prediction as { lo: number; hi: number | null } | undefined;
    if (p && p.hi === null && typeof p.lo === 'number') p.hi = Infinity;
    for (const c of f.curves) {
      if (!c.lo || !c.hi) continue;
      const hi = c.hi as (number | null)[];
      for (let i = 0; i < hi.length; i++) if (hi[i] === null && typeof c.lo[i] === 'number') hi[i] = Infinity;
    }
  }
}

/** Type guard for messages arriving in a webview. */
export function isToWebview(m: unknown): m is ToWebview {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return typeof t === 'string' && TO_TYPES.has(t);
}

/**
 * From a parsed log to what the editor shows: the chart/summary state (protocol's LogState) and the
 * findings that become diagnostics. Pure: no `vscode`, no I/O. Runs in the worker thread.
 */
import type { Problem, RunCurve, SweepTable } from './dataset';
import type { ParsedLog } from './logs';
import { toRunCurves, toSweep } from './logs';
import { fitRunCurve, fitSweep } from './fit';
import type { FitReport } from './fit';
import { CHINCHILLA_TOKENS_PER_PARAM } from './fit/laws';
import type { FitView, LogState, ViewOptions, XKind } from '../protocol';
import { formatCount, formatNumber } from './format';

export interface AnalyzeOptions extends ViewOptions {
  bootstrap: number;
  seed: number;
  dropHighestLoss: number;
  /** Tokens per optimizer step, when the log has steps but no tokens (0 = unknown). */
  tokensPerStep: number;
  /** Model parameters of the run, when a training config next to the log says so. */
  params?: number;
  /** Where `params`/`tokensPerStep` came from, for the summary. */
  configNote?: string;
  /** Reference tokens per parameter (Chinchilla's ≈20) and the thresholds for findings. */
  referenceRatio: number;
  warnBelow: number;
  warnAbove: number;
  /** A run's finding fires when doubling the tokens would still lower the loss by more than this %. */
  minGainPercent: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
}

export interface AnalyzeResult {
  state: LogState;
  /** Findings to show as diagnostics, with 1-based lines. */
  findings: Problem[];
}

/** Most points sent to the chart; Chart.js decimates (LTTB) what it draws. */
const MAX_POINTS = 2_000_000;
/** Most per-row ratio findings on one sweep table, so a huge table does not flood the Problems panel. */
const MAX_ROW_FINDINGS = 500;

const fmt = (v: number, digits = 3): string => formatNumber(v, digits);

function xFor(curve: RunCurve, xKind: XKind, params?: number): Float64Array | undefined {
  if (xKind === 'tokens') return curve.tokens;
  if (xKind === 'step') return curve.step.length ? curve.step : undefined;
  if (curve.flops) return curve.flops;
  if (curve.tokens && params) return curve.tokens.map((d) => 6 * params * d);
  return undefined;
}

function availableXKinds(curve: RunCurve, params?: number): XKind[] {
  return (['tokens', 'step', 'flops'] as XKind[]).filter((k) => {
    const x = xFor(curve, k, params);
    return !!x && x.some((v) => Number.isFinite(v) && v > 0);
  });
}

/** The natural x-axis of each sweep law's curves (what its fitted curves are drawn against). */
const SWEEP_AXIS: Record<FitReport['law'], XKind> = { chinchilla: 'flops', isoflop: 'params', kaplan: 'tokens', run: 'tokens' };

/** The report as the chart takes it, each curve tagged with the quantity on its axes. */
function toView(report: FitReport, runX?: XKind): FitView {
  const view = report as FitView;
  for (const c of view.curves) {
    c.yKind = 'loss';
    if (runX) c.xKind = runX;
    else if (report.law === 'kaplan') c.xKind = c.kind === 'frontier' ? 'flops' : 'tokens';
    else c.xKind = SWEEP_AXIS[report.law];
  }
  return view;
}

function baseState(log: ParsedLog, options: ViewOptions): LogState {
  const problems = log.problems.slice(0, 200).map((p) => ({ line: p.line, severity: p.severity, message: p.message }));
  return {
    kind: 'log',
    file: log.file,
    name: log.file.split(/[\\/]/).pop() ?? log.file,
    format: log.format,
    logKind: log.kind,
    rows: log.rows,
    columns: log.columns.map((c) => ({ name: c.name, role: c.role, confidence: c.confidence, reason: c.reason })),
    problems,
    problemCount: log.problems.length,
    stats: { ...log.stats },
    seriesNames: [],
    xKinds: [],
    options: { ...options },
  };
}

function parseProblemsAsFindings(log: ParsedLog): Problem[] {
  return log.problems.filter((p) => p.line > 0).slice(0, 200);
}

/** Analyse a parsed log: pick the series and axes, fit, and collect findings. */
export function analyzeLog(log: ParsedLog, opts: AnalyzeOptions): AnalyzeResult {
  const options: ViewOptions = {
    series: opts.series, law: opts.law, xKind: opts.xKind, logScale: opts.logScale,
    targetTokens: opts.targetTokens, warmupPercent: opts.warmupPercent, budget: opts.budget,
    inferenceTokens: opts.inferenceTokens, uniqueTokens: opts.uniqueTokens,
  };
  return log.kind === 'sweep' ? analyzeSweep(log, opts, options) : analyzeRun(log, opts, options);
}

function analyzeRun(log: ParsedLog, opts: AnalyzeOptions, options: ViewOptions): AnalyzeResult {
  const state = baseState(log, options);
  const findings = parseProblemsAsFindings(log);
  const curves = toRunCurves(log, { tokensPerStep: opts.tokensPerStep > 0 ? opts.tokensPerStep : undefined });
  state.seriesNames = curves.map((c) => c.series);
  if (opts.configNote) state.configNote = opts.configNote;
  if (curves.length === 0) {
    state.fitError = `${state.name}: no loss series found (columns: ${log.columns.map((c) => `${c.name} → ${c.role}`).join(', ') || 'none'}). Set a column's role with "Scaling Lens: Set Column Role…".`;
    return { state, findings };
  }
  const curve = curves.find((c) => c.series === opts.series) ?? defaultCurve(log, curves);
  state.options.series = curve.series;
  state.xKinds = availableXKinds(curve, opts.params);
  if (state.xKinds.length === 0) {
    state.fitError = `${state.name}: the series "${curve.series}" has no step, token or FLOP values to plot against.`;
    return { state, findings };
  }
  const xKind: XKind = opts.xKind !== 'auto' && state.xKinds.includes(opts.xKind) ? opts.xKind : state.xKinds[0];
  state.options.xKind = xKind;
  const xs = xFor(curve, xKind, opts.params)!;
  // Keep finite, positive points (log axes); the order is the log's, after restarts were resolved.
  const ox: number[] = [];
  const oy: number[] = [];
  const olines: number[] = [];
  for (let i = 0; i < xs.length && ox.length < MAX_POINTS; i++) {
    const x = xs[i];
    const y = curve.loss[i];
    if (Number.isFinite(x) && Number.isFinite(y) && x > 0 && y > 0) {
      ox.push(x);
      oy.push(y);
      olines.push(curve.lines[i]);
    }
  }
  state.observed = { series: curve.series, x: ox, y: oy };
  if (opts.law !== 'auto' && opts.law !== 'run') {
    state.fitError = `The ${opts.law} law needs a sweep table (one row per run with parameters and tokens or FLOPs); ${state.name} is a single run, so its curve is fitted with L(D) = E + B/D^β.`;
  }
  if (ox.length === 0) {
    state.fitError = `${state.name}: no finite, positive points in "${curve.series}" against ${xKind}.`;
    return { state, findings };
  }
  const lastX = ox[ox.length - 1];
  const params = opts.params;
  // The extrapolation target in the units of x.
  let target = 10 * lastX;
  if (opts.targetTokens > 0) {
    if (xKind === 'tokens') target = opts.targetTokens;
    else if (xKind === 'step' && opts.tokensPerStep > 0) target = opts.targetTokens / opts.tokensPerStep;
    else if (xKind === 'flops' && params) target = 6 * params * opts.targetTokens;
  }
  opts.onProgress?.(0.5, `Fitting ${curve.series}`);
  let report: FitReport | undefined;
  try {
    report = fitRunCurve(ox, oy, {
      xKind: xKind as 'tokens' | 'step' | 'flops', bootstrap: opts.bootstrap, seed: opts.seed, targetTokens: target,
      skipFraction: opts.warmupPercent / 100, signal: opts.signal,
    });
    state.fit = toView(report, xKind);
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw e;
    state.fitError = `${state.name}: ${e instanceof Error ? e.message : String(e)}`;
  }
  // The Chinchilla-optimal point for this model size, when the size is known.
  if (params && params > 0) {
    const tokens = opts.referenceRatio * params;
    const E = report?.params.E, B = report?.params.B, beta = report?.params.beta;
    let loss: number | undefined;
    let xAtMarker: number | undefined = xKind === 'tokens' ? tokens : xKind === 'flops' ? 6 * params * tokens
      : opts.tokensPerStep > 0 ? tokens / opts.tokensPerStep : undefined;
    if (xAtMarker !== undefined && E !== undefined && B !== undefined && beta !== undefined) loss = E + B * Math.pow(xAtMarker, -beta);
    if (xAtMarker === undefined) xAtMarker = tokens;
    state.marker = {
      params, tokens, loss,
      source: `${opts.referenceRatio === CHINCHILLA_TOKENS_PER_PARAM ? 'Chinchilla' : 'reference'} ≈${fmt(opts.referenceRatio)} tokens/parameter (Hoffmann et al. 2022)`,
    };
    // Ratio finding on the run's last line.
    if (curve.tokens) {
      let lastTokens = NaN;
      let lastLine = 0;
      for (let i = curve.tokens.length - 1; i >= 0; i--) if (Number.isFinite(curve.tokens[i])) { lastTokens = curve.tokens[i]; lastLine = curve.lines[i]; break; }
      if (Number.isFinite(lastTokens)) {
        const f = ratioFinding(lastTokens / params, params, lastTokens, lastLine, opts, 'this run');
        if (f) findings.push(f);
      }
    }
  }
  // "More tokens would still pay off": the fitted curve's gain from doubling the last x.
  if (report && Number.isFinite(report.params.E) && Number.isFinite(report.params.B) && Number.isFinite(report.params.beta)) {
    const { E, B, beta } = report.params;
    const now = E + B * Math.pow(lastX, -beta);
    const doubled = E + B * Math.pow(2 * lastX, -beta);
    const gain = (100 * (now - doubled)) / now;
    if (gain > opts.minGainPercent) {
      findings.push({
        line: olines[olines.length - 1], severity: 'info',
        message: `The fitted curve L = ${fmt(E)} + ${fmt(B)}/x^${fmt(beta)} says doubling ${xKind} from ${formatCount(lastX)} to ${formatCount(2 * lastX)} would still lower "${curve.series}" from ${fmt(now, 4)} to ${fmt(doubled, 4)} (−${fmt(gain, 2)}%): more training would still pay off.`,
      });
    }
  }
  return { state, findings };
}

/** The series a run opens with: the training loss with the most points (eval series otherwise). */
function defaultCurve(log: ParsedLog, curves: RunCurve[]): RunCurve {
  const role = new Map(log.columns.map((c) => [c.name, c.role]));
  const points = (c: RunCurve) => c.loss.reduce((n, v) => n + (Number.isFinite(v) ? 1 : 0), 0);
  const score = (c: RunCurve) => (role.get(c.series) === 'loss' ? 1e15 : 0) + points(c);
  return curves.reduce((best, c) => (score(c) > score(best) ? c : best), curves[0]);
}

function ratioFinding(ratio: number, N: number, D: number, line: number, opts: AnalyzeOptions, what: string): Problem | undefined {
  const ref = `the compute-optimal reference is ≈${fmt(opts.referenceRatio)} (Chinchilla, Hoffmann et al. 2022; Besiroglu et al. 2024 replication)`;
  if (ratio < opts.warnBelow) {
    return {
      line, severity: 'warning',
      message: `Tokens per parameter is ${fmt(ratio)} for ${what} (D = ${formatCount(D)} tokens, N = ${formatCount(N)} parameters), below ${fmt(opts.warnBelow)}: under-trained for its size; ${ref}.`,
    };
  }
  if (ratio > opts.warnAbove) {
    return {
      line, severity: 'info',
      message: `Tokens per parameter is ${fmt(ratio)} for ${what} (D = ${formatCount(D)} tokens, N = ${formatCount(N)} parameters), above ${fmt(opts.warnAbove)}: over-trained relative to compute-optimal (often deliberate for inference); ${ref}.`,
    };
  }
  return undefined;
}

/** The choice that fits every row of a table holding several sweeps. */
export const ALL_RUNS = 'all runs';

/** Groups of a sweep table: run labels shared by ≥ 3 rows each, when there are 2–100 of them. */
function sweepGroups(sweep: SweepTable): string[] | undefined {
  if (!sweep.runIds) return undefined;
  const counts = new Map<string, number>();
  for (const id of sweep.runIds) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  const groups = [...counts].filter(([, n]) => n >= 3).map(([k]) => k).sort();
  return groups.length >= 2 && groups.length <= 100 ? groups : undefined;
}

function subsetSweep(s: SweepTable, keep: (i: number) => boolean): SweepTable {
  const idx: number[] = [];
  for (let i = 0; i < s.N.length; i++) if (keep(i)) idx.push(i);
  const pick = (a: Float64Array) => Float64Array.from(idx, (i) => a[i]);
  return {
    N: pick(s.N), D: pick(s.D), C: pick(s.C), loss: pick(s.loss),
    lines: Uint32Array.from(idx, (i) => s.lines[i]), runIds: idx.map((i) => s.runIds![i]),
  };
}

function analyzeSweep(log: ParsedLog, opts: AnalyzeOptions, options: ViewOptions): AnalyzeResult {
  const state = baseState(log, options);
  const findings = parseProblemsAsFindings(log);
  const sweep = toSweep(log);
  if (!sweep || sweep.loss.length === 0) {
    state.fitError = `${state.name}: a sweep table needs a parameter column and a tokens or FLOPs column besides the loss (columns: ${log.columns.map((c) => `${c.name} → ${c.role}`).join(', ')}).`;
    return { state, findings };
  }
  state.xKinds = ['params', 'tokens', 'flops'];
  let rowFindings = 0;
  for (let i = 0; i < sweep.N.length && rowFindings < MAX_ROW_FINDINGS; i++) {
    const N = sweep.N[i], D = sweep.D[i];
    if (!(N > 0 && D > 0)) continue;
    const id = sweep.runIds?.[i];
    const f = ratioFinding(D / N, N, D, sweep.lines[i], opts, id ? `run "${id}"` : 'this run');
    if (f) { findings.push(f); rowFindings++; }
  }
  // A table holding several sweeps (a run-label column shared by many rows) is fitted one group at a time.
  const groups = sweepGroups(sweep);
  let table = sweep;
  if (groups) {
    state.seriesNames = [ALL_RUNS, ...groups];
    const chosen = opts.series && groups.includes(opts.series) ? opts.series : ALL_RUNS;
    state.options.series = chosen;
    if (chosen !== ALL_RUNS) table = subsetSweep(sweep, (i) => sweep.runIds![i] === chosen);
  }
  state.sweep = { N: Array.from(table.N), D: Array.from(table.D), C: Array.from(table.C), loss: Array.from(table.loss) };
  const law = opts.law === 'auto' || opts.law === 'run' ? 'chinchilla' : opts.law;
  if (opts.law === 'run') state.fitError = `${state.name} is a sweep table (one row per run), so the single-run law does not apply; fitted the Chinchilla law instead.`;
  opts.onProgress?.(0.5, `Fitting the ${law} law to ${table.N.length} runs`);
  try {
    const report = fitSweep(table, {
      law, dropHighestLoss: opts.dropHighestLoss, bootstrap: opts.bootstrap, seed: opts.seed,
      budget: opts.budget > 0 ? opts.budget : undefined, signal: opts.signal,
      onProgress: (f) => opts.onProgress?.(0.5 + 0.5 * f, `Fitting the ${law} law`),
    });
    state.fit = toView(report);
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw e;
    state.fitError = `${state.name}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const natural = SWEEP_AXIS[state.fit?.law ?? law];
  state.options.xKind = opts.xKind !== 'auto' && state.xKinds.includes(opts.xKind) ? opts.xKind : natural;
  return { state, findings };
}

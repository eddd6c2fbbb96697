/** Options and the report shape shared by every fit (consumed by the CLI, the worker and the chart). */
import type { BacktestEntry } from './backtest';

export type LawName = 'run' | 'chinchilla' | 'isoflop' | 'kaplan';

/**
 * What every law is, in one table (a new law adds its name to LawName and one entry here; the
 * compiler then asks for it everywhere a law is switched on). Read by the pipeline (which analysis
 * takes the law, the chart's natural axis), the CLI's text, the summaries and the webview.
 */
export interface LawInfo {
  /** The analysis that fits it: a single run's curve, or a sweep table (one row per run). */
  takes: 'run' | 'sweep';
  /** The formula, as the summary shows it. */
  title: string;
  /** The x of its fitted curves on a sweep (runs are drawn against their own x). */
  axis: 'tokens' | 'flops' | 'params';
  /** Display labels of its parameters, by key (keys not listed show as they are). */
  labels: Readonly<Record<string, string>>;
}

export const LAW_INFO: Readonly<Record<LawName, LawInfo>> = {
  run: { takes: 'run', title: 'single run: L = E + B/x^β', axis: 'tokens', labels: { beta: 'β' } },
  chinchilla: { takes: 'sweep', title: 'Chinchilla Approach 3: L = E + A/N^α + B/D^β', axis: 'flops', labels: { alpha: 'α', beta: 'β' } },
  isoflop: { takes: 'sweep', title: 'Chinchilla Approach 2 (isoFLOP): N_opt ∝ C^a, D_opt ∝ C^b', axis: 'params', labels: { N0: 'N₀', D0: 'D₀' } },
  kaplan: {
    takes: 'sweep', title: 'Kaplan 2020: L = [(Nc/N)^(αN/αD) + Dc/D]^αD', axis: 'tokens',
    labels: { alphaN: 'α_N', alphaD: 'α_D', alphaC: 'α_C', Nc: 'N_c', Dc: 'D_c', Cc: 'C_c' },
  },
};

export const LAW_NAMES = Object.keys(LAW_INFO) as LawName[];

/** The label of a fitted parameter (α for alpha, α_N for Kaplan's alphaN, …). */
export function paramLabel(law: LawName | undefined, key: string): string {
  return (law && LAW_INFO[law].labels[key]) ?? key;
}
/** Single-run laws: the power law in x, and the two laws that follow the LR schedule. */
export type RunLawName = 'power' | 'lr-annealing' | 'multi-power';

export interface FitOptions {
  law?: 'auto' | LawName;
  /** Sweep fits: drop this many highest-loss points first (the 2024 replication drops 5). */
  dropHighestLoss?: number;
  /** Bootstrap resamples for intervals and bands (0 = none). Default 200. */
  bootstrap?: number;
  /** Seed of the RNG (bootstrap). Default 42. */
  seed?: number;
  /** Run fits: extrapolate to this x (tokens, steps or FLOPs — the x of the curve). */
  targetTokens?: number;
  /** Compute budget C (FLOPs) for the compute-optimal allocation. */
  budget?: number;
  /** Run fits: ignore the first fraction of the points (warm-up). Default 0.1. */
  skipFraction?: number;
  /** Chinchilla start strategy: 'fast' (variable-projection screen, default) or the full 4,500-start 'grid'. */
  strategy?: 'fast' | 'grid';
  /** Two-sided level of the bootstrap percentile intervals. Default 0.95. */
  ciLevel?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface Curve {
  name: string;
  kind: 'fit' | 'extrapolation' | 'band' | 'isoflop' | 'frontier' | 'backtest';
  x: number[];
  y: number[];
  lo?: number[];
  hi?: number[];
}

export interface FitReport {
  law: LawName;
  /** Points used by the fit. */
  n: number;
  /** Points dropped (invalid values, warm-up, highest-loss drops, unusable budgets). */
  dropped: number;
  /** chinchilla: E, A, B, alpha, beta; run: E, B, beta; isoflop: a, b, N0, D0; kaplan: Nc, Dc, alphaN, alphaD (+ Cc, alphaC). */
  params: Record<string, number>;
  ci: Record<string, [number, number]>;
  objective: number;
  /** R² of log(loss) (isoflop: of log N_opt vs log C). */
  r2: number;
  optimal?: { a: number; b: number; G: number; tokensPerParam: number };
  /** Run fits: `tokens` is the target in the curve's x (tokens, steps or FLOPs), `step` the optimizer step when known. */
  prediction?: { tokens: number; step?: number; loss: number; lo: number; hi: number };
  /** Run fits: which single-run law was fitted. */
  runLaw?: RunLawName;
  /** Run fits: refits on the first 25/50/75% scored on the rest (and the held-out entry of a prefix fit). */
  backtest?: BacktestEntry[];
  /** Run fits: every law tried, with its mean absolute backtest error. */
  candidates?: Array<{ law: RunLawName; backtestErrorPct: number; params: Record<string, number> }>;
  /** Run fits: the LR schedule the schedule-aware laws used. */
  schedule?: { source: string; kind: string; warmup: number; total: number; futureKnown: boolean };
  /** Run fits: whether the data supports the extrapolation, why not, and how the band was made. */
  trust?: { supported: boolean; reasons: string[]; band: string };
  allocation?: { budget: number; N: number; D: number; loss: number; tokensPerParam: number };
  messages: string[];
  curves: Curve[];
  xKind?: 'tokens' | 'step' | 'flops';
  /** Run fits: objective evaluations (bootstrap included), and how many laws started from a previous optimum (live refit). */
  work?: { evaluations: number; warmStarted: number };
}

/** An empty report carrying why a fit could not be made. */
export function failedReport(law: LawName, n: number, dropped: number, message: string): FitReport {
  return { law, n, dropped, params: {}, ci: {}, objective: NaN, r2: NaN, messages: [message], curves: [] };
}

/** Throws the core's one cancellation error (`Cancelled`, src/core/cancel.ts) when the signal fired. */
export { throwIfCancelled as checkAbort } from '../cancel';

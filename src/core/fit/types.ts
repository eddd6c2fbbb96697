/** Options and the report shape shared by every fit (consumed by the CLI, the worker and the chart). */

export type LawName = 'run' | 'chinchilla' | 'isoflop' | 'kaplan';

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
  kind: 'fit' | 'extrapolation' | 'band' | 'isoflop' | 'frontier';
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
  prediction?: { tokens: number; loss: number; lo: number; hi: number };
  allocation?: { budget: number; N: number; D: number; loss: number; tokensPerParam: number };
  messages: string[];
  curves: Curve[];
  xKind?: 'tokens' | 'step' | 'flops';
}

/** An empty report carrying why a fit could not be made. */
export function failedReport(law: LawName, n: number, dropped: number, message: string): FitReport {
  return { law, n, dropped, params: {}, ci: {}, objective: NaN, r2: NaN, messages: [message], curves: [] };
}

/** Thrown (only) when a fit is cancelled through its AbortSignal. */
export class FitCancelled extends Error {
  constructor() {
    super('fit cancelled');
    this.name = 'FitCancelled';
  }
}

export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FitCancelled();
}

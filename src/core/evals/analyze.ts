/**
 * From eval results (read.ts) to what the CLI and the editor show: per group, the pass@k curve
 * with intervals, the two forecasts and their backtest; per model of a thinking-budget table, the
 * logistic fit, and the train-bigger-or-think-longer comparison. Pure and deterministic (seeded).
 */
import { REPLICATION_LAW, type ChinchillaParams } from '../fit/laws';
import { fitBudgetCurve, type LogisticParams } from './budget';
import {
  backtestPassK, betaPassK, fitBetaBinomial, fitPowerLawPassK, forecastKs, powerLawPassK,
  type Backtest,
} from './forecast';
import { passAtKCurve, type PassAtKPoint } from './passk';
import type { EvalColumn, EvalData } from './read';
import { thinkOrTrain, type ThinkOrTrainResult } from './thinkOrTrain';
import type { Problem } from '../dataset';
import { Cancelled } from '../cancel';

export const EVAL_SOURCES = {
  chen: 'Chen et al. 2021, "Evaluating Large Language Models Trained on Code", arXiv 2107.03374',
  brown: 'Brown et al. 2024, "Large Language Monkeys", arXiv 2407.21787',
  schaeffer: 'Schaeffer et al. 2025, "How Do Large Language Monkeys Get Their Power (Laws)?", arXiv 2502.17578',
  replication: 'Besiroglu et al. 2024 replication of Chinchilla',
  kaplan: 'Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv 2001.08361 (≈6N training and 2N inference FLOPs per token)',
  sardana: 'Sardana et al. 2023, "Beyond Chinchilla-Optimal: Accounting for Inference in Language Model Scaling Laws", arXiv 2401.00448',
} as const;

export interface EvalAnalyzeOptions {
  /** passk: repeated samples; budget: thinking-budget table; auto: whatever the file is. */
  law?: 'auto' | 'passk' | 'budget';
  bootstrap?: number;
  seed?: number;
  /** Forecast pass@k up to this k (default 10× the largest sampled k). */
  forecastTo?: number;
  /** Train-bigger-or-think-longer: target accuracy (default: the lowest of the models' best measured accuracies). */
  targetAccuracy?: number;
  /** Expected queries over the deployment (default 1e6). */
  queries?: number;
  /** Prompt tokens per query when the table has none (default 0). */
  promptTokens?: number;
  /** Law for the compute-optimal training tokens when the table has none. */
  chinchilla?: { law: ChinchillaParams; source: string };
  signal?: AbortSignal;
}

/** The Beta-binomial forecast's fitted distribution of per-problem success (Schaeffer et al. 2025). */
export interface BetaForecastParams {
  alpha: number;
  beta: number;
  mean: number;
  logLik: number;
}

/** The power-law forecast −log pass@k = a·k^−b (Brown et al. 2024), with its R². */
export interface PowerForecastParams {
  a: number;
  b: number;
  r2: number;
}

/** A pass@k forecast: a union on `law`, so its parameters have exactly that law's keys. */
export type Forecast = { at: { k: number; value: number }[]; source: string } & (
  | { law: 'beta'; params: BetaForecastParams }
  | { law: 'power'; params: PowerForecastParams }
);

export interface PassKGroupResult {
  key: string;
  model?: string;
  budget?: number;
  problems: number;
  kMax: number;
  attempts: number;
  successes: number;
  passAtK: PassAtKPoint[];
  /** The law with the smaller backtest error (the distributional one when neither could be backtested). */
  forecast?: Forecast;
  forecasts: Forecast[];
  backtest?: Backtest;
  /** Why a law could not be fitted. */
  errors: string[];
  notes: string[];
}

export interface BudgetModelResult {
  model: string;
  params: number;
  trainTokens?: number;
  promptTokens?: number;
  points: { tokens: number; accuracy: number; line: number }[];
  fit?: { params: LogisticParams; rmse: number; r2: number; tokenRange: [number, number]; notes: string[] };
  error?: string;
}

export interface EvalAnalysis {
  kind: 'passk' | 'budget';
  file: string;
  format: EvalData['format'];
  rows: number;
  columns: EvalColumn[];
  problems: Problem[];
  notes: string[];
  passk?: PassKGroupResult[];
  budget?: { models: BudgetModelResult[]; compare?: ThinkOrTrainResult; compareError?: string; targetAccuracy?: number };
  sources: string[];
}

export const DEFAULT_EVAL_QUERIES = 1e6;

function abortIf(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Cancelled();
}

export function analyzePassK(n: Int32Array, c: Int32Array, opts: EvalAnalyzeOptions = {}): Omit<PassKGroupResult, 'key'> {
  const curve = passAtKCurve(n, c, { bootstrap: opts.bootstrap ?? 200, seed: opts.seed ?? 42, signal: opts.signal });
  const errors: string[] = [];
  const notes = [...curve.notes];
  const to = Math.max(curve.kMax, Math.round(opts.forecastTo ?? 10 * curve.kMax));
  const ks = forecastKs(curve.kMax, to);
  const forecasts: Forecast[] = [];
  abortIf(opts.signal);
  try {
    const b = fitBetaBinomial(n, c);
    if (b.atBound) notes.push('the Beta fit ran to the edge of its range: the success distribution is barely identified by these counts');
    forecasts.push({
      law: 'beta', params: { alpha: b.alpha, beta: b.beta, mean: b.mean, logLik: b.logLik },
      at: ks.map((k) => ({ k, value: betaPassK(b, k) })), source: EVAL_SOURCES.schaeffer,
    });
  } catch (e) {
    errors.push(`Beta-binomial: ${e instanceof Error ? e.message : String(e)}`);
  }
  const pl = fitPowerLawPassK(curve.points);
  if (pl) {
    forecasts.push({
      law: 'power', params: { a: pl.a, b: pl.b, r2: pl.r2 },
      at: ks.map((k) => ({ k, value: powerLawPassK(pl, k) })), source: EVAL_SOURCES.brown,
    });
  } else if (curve.kMax >= 3) {
    errors.push('power law: fewer than 3 values of k with 0 < pass@k < 1');
  } else {
    errors.push(`power law: needs at least 3 attempts per problem (got ${curve.kMax})`);
  }
  abortIf(opts.signal);
  const backtest = backtestPassK(n, c, curve.points, { seed: opts.seed ?? 42 });
  if (!backtest) notes.push(`no backtest: it needs at least 12 attempts per problem (fit on k ≤ n/4, score above); got ${curve.kMax}`);
  let forecast: Forecast | undefined;
  if (backtest) {
    const ranked = backtest.scores.filter((s) => Number.isFinite(s.rmse) && forecasts.some((f) => f.law === s.law)).sort((a, b) => a.rmse - b.rmse);
    if (ranked.length) forecast = forecasts.find((f) => f.law === ranked[0].law);
  }
  forecast ??= forecasts.find((f) => f.law === 'beta') ?? forecasts[0];
  return {
    problems: curve.problems, kMax: curve.kMax, attempts: curve.attempts, successes: curve.successes,
    passAtK: curve.points, forecast, forecasts, backtest, errors, notes,
  };
}

function analyzeBudget(data: EvalData, opts: EvalAnalyzeOptions): NonNullable<EvalAnalysis['budget']> {
  const byModel = new Map<string, BudgetModelResult>();
  for (const r of data.budget) {
    let m = byModel.get(r.model);
    if (!m) { m = { model: r.model, params: NaN, points: [] }; byModel.set(r.model, m); }
    if (!Number.isFinite(m.params) && r.params > 0) m.params = r.params;
    if (m.trainTokens === undefined && r.trainTokens > 0) m.trainTokens = r.trainTokens;
    if (m.promptTokens === undefined && r.prompt >= 0) m.promptTokens = r.prompt;
    m.points.push({ tokens: r.tokens, accuracy: r.accuracy, line: r.line });
  }
  const models = [...byModel.values()];
  for (const m of models) {
    abortIf(opts.signal);
    m.points.sort((a, b) => a.tokens - b.tokens);
    try {
      const f = fitBudgetCurve(m.points.map((p) => p.tokens), m.points.map((p) => p.accuracy));
      m.fit = { params: f.params, rmse: f.rmse, r2: f.r2, tokenRange: f.tokenRange, notes: f.notes };
    } catch (e) {
      m.error = e instanceof Error ? e.message : String(e);
    }
  }
  const out: NonNullable<EvalAnalysis['budget']> = { models };
  const fitted = models.filter((m) => m.fit);
  const sized = fitted.filter((m) => m.params > 0);
  if (sized.length < 2) {
    out.compareError = fitted.length < 2
      ? 'train bigger or think longer: needs fitted curves for at least 2 models'
      : 'train bigger or think longer: needs a parameter count for at least 2 models (a params column)';
    return out;
  }
  const target = opts.targetAccuracy ?? Math.min(...sized.map((m) => Math.max(...m.points.map((p) => p.accuracy))));
  out.targetAccuracy = target;
  const law = opts.chinchilla ?? { law: REPLICATION_LAW, source: EVAL_SOURCES.replication };
  try {
    const prompt = opts.promptTokens ?? (sized.every((m) => m.promptTokens !== undefined && m.promptTokens >= 0) ? sized[0].promptTokens : 0) ?? 0;
    out.compare = thinkOrTrain(sized.map((m) => ({
      model: m.model, params: m.params, trainTokens: m.trainTokens, curve: (m.fit as NonNullable<typeof m.fit>).params,
      maxTokens: m.points[m.points.length - 1].tokens,
    })), {
      targetAccuracy: Math.min(0.999, Math.max(0.001, target)), queries: opts.queries ?? DEFAULT_EVAL_QUERIES,
      promptTokens: prompt, law: law.law, lawSource: law.source,
    });
  } catch (e) {
    out.compareError = `train bigger or think longer: ${e instanceof Error ? e.message : String(e)}`;
  }
  return out;
}

/** The one entry for eval files: the CLI and the worker call this. */
export function analyzeEvals(data: EvalData, opts: EvalAnalyzeOptions = {}): EvalAnalysis {
  const want = opts.law ?? 'auto';
  const kind: EvalAnalysis['kind'] = data.kind === 'budget' ? 'budget' : 'passk';
  if (want !== 'auto' && want !== kind) {
    throw new Error(want === 'passk'
      ? `${data.file}: --law passk needs repeated samples (a problem id and a correct/score column, or n and c); this file reads as a thinking-budget table`
      : `${data.file}: --law budget needs a thinking-budget table (tokens and accuracy columns); this file reads as repeated samples`);
  }
  const result: EvalAnalysis = {
    kind, file: data.file, format: data.format, rows: data.rows, columns: data.columns, problems: data.problems,
    notes: [...data.notes], sources: [],
  };
  if (kind === 'passk') {
    result.passk = data.groups.map((g) => {
      abortIf(opts.signal);
      return { key: g.key, model: g.model, budget: g.budget, ...analyzePassK(g.n, g.c, opts) };
    });
    result.sources = [EVAL_SOURCES.chen, EVAL_SOURCES.brown, EVAL_SOURCES.schaeffer];
  } else {
    result.budget = analyzeBudget(data, opts);
    // The replication is a source only when a model's training tokens came from it (not from the table, not from a law of the user's).
    const usedReplication = !opts.chinchilla && (result.budget.compare?.rows ?? []).some((r) => r.trainSource !== 'from the table');
    result.sources = [EVAL_SOURCES.kaplan, EVAL_SOURCES.sardana, ...(usedReplication ? [EVAL_SOURCES.replication] : [])];
  }
  return result;
}

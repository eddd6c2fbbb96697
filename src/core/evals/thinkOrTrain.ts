/**
 * "Train bigger or think longer?": for a target accuracy and an expected number of queries Q, the
 * total compute of each model of a thinking-budget sweep is
 *   training 6·N·D  +  Q · 2·N·(prompt tokens + thinking tokens needed to reach the target)
 * (the usual forward-pass ≈ 2N FLOPs per token and 6ND for training; Kaplan et al. 2020,
 * Hoffmann et al. 2022, Sardana et al. 2023). D comes from the sweep table when it says so,
 * else from a Chinchilla law: the compute-optimal D for N. Every total is a line in Q, so the
 * cheapest model as Q grows is the lower envelope of the lines and the answer flips where two cross.
 */
import { allocate } from '../fit/allocation';
import type { ChinchillaParams } from '../fit/laws';
import { tokensForAccuracy, type LogisticParams } from './budget';

export interface ThinkCandidate {
  model: string;
  params: number;
  /** Training tokens, when the table has them. */
  trainTokens?: number;
  curve: LogisticParams;
  /** Largest thinking budget measured: beyond it the curve is an extrapolation. */
  maxTokens?: number;
}

export interface ThinkOrTrainOptions {
  targetAccuracy: number;
  queries: number;
  /** Prompt tokens per query (default 0). */
  promptTokens?: number;
  /** Law giving the compute-optimal D for N when a candidate has no training tokens. */
  law: ChinchillaParams;
  lawSource: string;
}

export interface ThinkRow {
  model: string;
  params: number;
  trainTokens: number;
  trainSource: string;
  trainFlops: number;
  /** Thinking tokens per query to reach the target (Infinity: never reaches it). */
  thinkingTokens: number;
  /** 2·N·(prompt + thinking) */
  flopsPerQuery: number;
  totalFlops: number;
  reachable: boolean;
  /** The thinking tokens needed lie beyond the measured budgets. */
  extrapolated: boolean;
}

export interface ThinkOrTrainResult {
  targetAccuracy: number;
  queries: number;
  promptTokens: number;
  rows: ThinkRow[];
  /** The cheapest reachable model at `queries` (undefined when none reaches the target). */
  cheapest?: string;
  /** Query counts where the cheapest model changes, from few queries to many. */
  flips: { queries: number; from: string; to: string }[];
  /** The cheapest model for Q from 0 up to the first flip, between flips, and after the last. */
  segments: { from: number; to: number; model: string }[];
  lawSource: string;
}

/** D for N at the compute-optimal ratio of `law`: N = G·(C/6)^a ⇒ C/6 = (N/G)^(1/a), D = (C/6)/N. */
export function computeOptimalTokens(law: ChinchillaParams, N: number): number {
  const { a, G } = allocate(law, 6);
  return Math.pow(N / G, 1 / a) / N;
}

export function thinkOrTrain(cands: ReadonlyArray<ThinkCandidate>, o: ThinkOrTrainOptions): ThinkOrTrainResult {
  if (!(o.targetAccuracy > 0 && o.targetAccuracy < 1)) throw new Error(`the target accuracy must lie between 0 and 1 (got ${o.targetAccuracy})`);
  if (!(o.queries >= 0 && Number.isFinite(o.queries))) throw new Error(`the number of queries must be ≥ 0 (got ${o.queries})`);
  const prompt = o.promptTokens ?? 0;
  const rows: ThinkRow[] = cands.map((m) => {
    const fromTable = m.trainTokens !== undefined && m.trainTokens > 0;
    const D = fromTable ? (m.trainTokens as number) : computeOptimalTokens(o.law, m.params);
    const think = tokensForAccuracy(m.curve, o.targetAccuracy);
    const perQuery = 2 * m.params * (prompt + think);
    const train = 6 * m.params * D;
    const total = train + o.queries * perQuery;
    // Reached, at a cost a 64-bit float can hold (a curve that barely rises can ask for 1e303 tokens a
    // query). A finite total has a finite training and per-query cost (0 queries × ∞ is NaN).
    const reachable = Number.isFinite(think) && Number.isFinite(total);
    return {
      model: m.model, params: m.params, trainTokens: D,
      trainSource: fromTable ? 'from the table' : `compute-optimal for N (${o.lawSource})`,
      trainFlops: train, thinkingTokens: think, flopsPerQuery: perQuery,
      totalFlops: reachable ? total : Infinity, reachable,
      extrapolated: reachable && m.maxTokens !== undefined && think > m.maxTokens * 1.0001,
    };
  });
  const live = rows.filter((r) => r.reachable);
  const result: ThinkOrTrainResult = {
    targetAccuracy: o.targetAccuracy, queries: o.queries, promptTokens: prompt, rows, flips: [], segments: [], lawSource: o.lawSource,
  };
  if (live.length === 0) return result;
  // Lower envelope of T_i + Q·q_i over Q ≥ 0.
  const better = (x: ThinkRow, y: ThinkRow) => x.trainFlops < y.trainFlops || (x.trainFlops === y.trainFlops && x.flopsPerQuery < y.flopsPerQuery);
  let cur = live.reduce((a, b) => (better(b, a) ? b : a));
  let q = 0;
  for (let guard = 0; guard <= live.length; guard++) {
    let next: ThinkRow | undefined, at = Infinity;
    for (const r of live) {
      if (r === cur || !(r.flopsPerQuery < cur.flopsPerQuery)) continue;
      const x = (r.trainFlops - cur.trainFlops) / (cur.flopsPerQuery - r.flopsPerQuery);
      if (x >= q && (x < at || (x === at && next && r.flopsPerQuery < next.flopsPerQuery))) { at = x; next = r; }
    }
    if (!next) break;
    result.segments.push({ from: q, to: at, model: cur.model });
    result.flips.push({ queries: at, from: cur.model, to: next.model });
    cur = next;
    q = at;
  }
  result.segments.push({ from: q, to: Infinity, model: cur.model });
  result.cheapest = live.reduce((a, b) => (b.totalFlops < a.totalFlops ? b : a)).model;
  return result;
}

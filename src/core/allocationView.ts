/**
 * The compute-optimal allocation for a FLOP budget as the panel shows it (protocol's AllocationState):
 * the optimum from a Chinchilla law, the frontier around it, and where a config stands. Pure.
 */
import type { AllocationState, ViewOptions } from '../protocol';
import { allocate, inferenceAwareAllocation, repeatedDataLoss } from './fit';
import { chinchillaLoss, type ChinchillaParams } from './fit/laws';

export function allocationState(
  law: ChinchillaParams,
  lawSource: string,
  budget: number,
  options: ViewOptions,
  current?: { N: number; D: number; source: string },
): AllocationState {
  if (!(budget > 0 && Number.isFinite(budget))) throw new Error(`A FLOP budget must be a positive number (got ${budget}).`);
  const opt = allocate(law, budget);
  // The frontier: N_opt against C over six decades around the budget.
  const x: number[] = [];
  const y: number[] = [];
  for (let k = -3; k <= 3; k += 0.125) {
    const C = budget * Math.pow(10, k);
    const a = allocate(law, C);
    x.push(C);
    y.push(a.N);
  }
  const state: AllocationState = {
    kind: 'allocation',
    budget,
    law: { E: law.E, A: law.A, B: law.B, alpha: law.alpha, beta: law.beta },
    lawSource,
    N: opt.N,
    D: opt.D,
    loss: opt.loss,
    tokensPerParam: opt.D / opt.N,
    current: current ? { ...current, loss: chinchillaLoss(law, current.N, current.D) } : undefined,
    frontier: { name: 'compute-optimal N', kind: 'frontier', x, y },
    options,
  };
  const notes: string[] = [];
  if (options.inferenceTokens > 0) {
    try {
      const inf = inferenceAwareAllocation(law, { inferenceTokens: options.inferenceTokens, targetLoss: opt.loss });
      state.inference = {
        inferenceTokens: options.inferenceTokens, N: inf.N, D: inf.D, tokensPerParam: inf.tokensPerParam,
        totalFlops: inf.totalFlops, chinchillaTotalFlops: inf.chinchilla.totalFlops, savedFraction: inf.savedFraction,
      };
    } catch (e) {
      notes.push(`Inference-aware allocation: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (options.uniqueTokens > 0 && options.uniqueTokens < opt.D) {
    const r = repeatedDataLoss(law, { N: opt.N, tokens: opt.D, uniqueTokens: options.uniqueTokens });
    state.repeated = {
      uniqueTokens: options.uniqueTokens, epochs: r.epochs, effectiveTokens: r.effectiveTokens,
      effectiveParams: r.effectiveParams, loss: r.loss, lossUnique: r.lossUnique,
    };
  } else if (options.uniqueTokens > 0) {
    notes.push(`${options.uniqueTokens.toExponential(2)} unique tokens cover the optimal ${opt.D.toExponential(2)}: no repetition needed.`);
  }
  if (notes.length) state.note = notes.join(' ');
  return state;
}

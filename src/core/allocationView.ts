/**
 * The compute-optimal allocation for a FLOP budget as the panel shows it (protocol's AllocationState):
 * the optimum from a Chinchilla law, the frontier around it, and where a config stands. Pure.
 */
import type { AllocationState, ViewOptions } from '../protocol';
import { allocate } from './fit';
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
  return {
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
}

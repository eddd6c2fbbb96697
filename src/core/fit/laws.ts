/**
 * The Chinchilla law L(N, D) = E + A/N^α + B/D^β and the published reference parameters.
 * Shared by the fitting core, the config layer (predicted loss in hovers) and the extension.
 */
export interface ChinchillaParams {
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
}

/** Besiroglu et al. (2024), "Chinchilla Scaling: A replication attempt", Approach 3 refit. */
export const REPLICATION_LAW: Readonly<ChinchillaParams> = Object.freeze({
  E: 1.8172,
  A: 482.01,
  B: 2085.43,
  alpha: 0.3478,
  beta: 0.3658,
});

/** Hoffmann et al. (2022) Approach 3 as published. */
export const HOFFMANN_LAW: Readonly<ChinchillaParams> = Object.freeze({
  E: 1.69,
  A: 406.4,
  B: 410.7,
  alpha: 0.34,
  beta: 0.28,
});

/** Predicted loss for N parameters trained on D tokens. */
export function chinchillaLoss(p: ChinchillaParams, N: number, D: number): number {
  return p.E + p.A / Math.pow(N, p.alpha) + p.B / Math.pow(D, p.beta);
}

/** Chinchilla's compute-optimal rule of thumb: about 20 training tokens per parameter. */
export const CHINCHILLA_TOKENS_PER_PARAM = 20;

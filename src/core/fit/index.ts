/** The fitting core's public surface (used by the CLI, the extension's worker and the tests). */
export * from './types';
export * from './laws';
export { fitRunCurve, runLoss, DEFAULT_SKIP_FRACTION } from './run';
export type { RunParams, RunFitOptions } from './run';
export {
  fitChinchilla, minimizeChinchilla, minimizeFromStarts, chinchillaGrid, varProStarts, thetaToParams, nnls3,
  DEFAULT_BOOTSTRAP, DEFAULT_SEED, DEFAULT_CI_LEVEL,
} from './chinchilla';
export type { ChinchillaFitOptions, ThetaFit } from './chinchilla';
export { ChinchillaObjective, HUBER_DELTA } from './huber';
export {
  allocate, inferenceAwareAllocation, repeatedDataLoss, tokensForLoss, R_D_STAR, R_N_STAR,
} from './allocation';
export type { Allocation, InferenceAwareOptions, InferenceAwareAllocation, RepeatedDataOptions, RepeatedDataResult } from './allocation';
export { fitIsoflop, groupByBudget, linearFit } from './isoflop';
export type { IsoflopOptions, IsoflopGroup } from './isoflop';
export { fitKaplan, fitPowerLaw, kaplanLoss } from './kaplan';
export type { KaplanParams } from './kaplan';
export { fitSweep } from './sweep';
export type { SweepFitOptions } from './sweep';
export { Lbfgs, DEFAULT_LBFGS_OPTIONS } from './lbfgs';
export { mulberry32 } from './rng';

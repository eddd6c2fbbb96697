/** Inference-time compute: eval results → pass@k, its forecasts, thinking-budget curves, think-or-train. */
export { lgamma, digamma, lbeta, logChoose } from './special';
export { passAtKProblem, passAtKCurve, defaultKs, foldCounts } from './passk';
export type { PassAtKPoint, PassAtKCurve, PassAtKOptions } from './passk';
export {
  fitPowerLawPassK, powerLawPassK, fitBetaBinomial, betaPassK, backtestPassK, forecastKs, subsampleSuccesses,
} from './forecast';
export type { PowerLawPassK, BetaFit, Backtest, BacktestScore, ForecastLaw } from './forecast';
export { fitBudgetCurve, logisticAccuracy, tokensForAccuracy } from './budget';
export type { LogisticParams, BudgetFit } from './budget';
export { thinkOrTrain, computeOptimalTokens } from './thinkOrTrain';
export type { ThinkCandidate, ThinkOrTrainOptions, ThinkOrTrainResult, ThinkRow } from './thinkOrTrain';
export { readEvalText, readEvalFile, readHead, inferEvalRoles, looksLikeEval, EVAL_ROLES, MAX_EVAL_BYTES } from './read';
export type { EvalRole, EvalKind, EvalColumn, EvalData, EvalReadOptions, RepeatedGroup, BudgetRow } from './read';
export { analyzeEvals, analyzePassK, EVAL_SOURCES, DEFAULT_EVAL_QUERIES } from './analyze';
export type { EvalAnalysis, EvalAnalyzeOptions, PassKGroupResult, BudgetModelResult, Forecast } from './analyze';

/** Runs across a workspace: discovery of run folders, the sweep assembled from them, its CSV. */
export type { RunInfo, RunLayout, DiscoverResult, SweepRow, AssembledSweep } from './types';
export { discoverRuns, finalLoss, mainCurve, FINAL_LOSS_RULE, savedRuns } from './discover';
export type { DiscoverOptions } from './discover';
export { classifySchedule } from './schedule';
export type { Schedule, ScheduleKind } from './schedule';
export { assembleSweep, sweepAsLog, sweepCsv, rowAtLine, budgetsRepeat, distinctSizes } from './sweep';
export type { SweepPoints, AssembleOptions } from './sweep';
export { walk, DEFAULT_WALK_LIMITS } from './walk';
export type { WalkLimits } from './walk';

import * as vscode from 'vscode';
import type { ColumnRole } from '../core/logs';
import type { EvalRole } from '../core/evals';
import { DEFAULT_ANALYZE_OPTIONS, DEFAULT_VIEW_OPTIONS, validateOptions, type AnalyzeOptions, type LawChoice, type ViewOptions } from '../core/options';

/** Every threshold and default the user can set (package.json `contributes.configuration`). */
export interface Settings {
  referenceRatio: number;
  warnBelow: number;
  warnAbove: number;
  defaultLaw: LawChoice;
  bootstrap: number;
  seed: number;
  dropHighestLoss: number;
  warmupPercent: number;
  targetTokens: number;
  tokensPerStep: number;
  minGainPercent: number;
  minFitR2: number;
  overfitRisePercent: number;
  timeBudgetSeconds: number;
  strategy: 'fast' | 'grid';
  skipEarlyPlateau: boolean;
  columnRoles: Record<string, ColumnRole>;
  /** Role overrides for eval-result files (their roles are not a training log's). */
  evalColumnRoles: Record<string, EvalRole>;
  refitDelayMs: number;
  refitMaxWaitMs: number;
  diagnostics: boolean;
  hover: boolean;
  predictionLaw: 'replication' | 'workspace';
  logScale: boolean;
}

const D = DEFAULT_ANALYZE_OPTIONS;

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('scalingLens', scope);
  return {
    referenceRatio: c.get('tokensPerParam.reference', D.referenceRatio),
    warnBelow: c.get('tokensPerParam.warnBelow', D.warnBelow),
    warnAbove: c.get('tokensPerParam.warnAbove', D.warnAbove),
    defaultLaw: c.get<LawChoice>('fit.defaultLaw', D.law),
    bootstrap: c.get('fit.bootstrapSamples', D.bootstrap),
    seed: c.get('fit.seed', D.seed),
    dropHighestLoss: c.get('fit.dropHighestLoss', D.dropHighestLoss),
    warmupPercent: c.get('fit.warmupPercent', D.warmupPercent),
    targetTokens: c.get('fit.targetTokens', D.targetTokens),
    tokensPerStep: c.get('fit.tokensPerStep', D.tokensPerStep),
    minGainPercent: c.get('diagnostics.minGainPercent', D.minGainPercent),
    minFitR2: c.get('diagnostics.minFitR2', D.minFitR2),
    overfitRisePercent: c.get('diagnostics.overfitRisePercent', D.overfitRisePercent),
    timeBudgetSeconds: c.get('fit.timeBudgetSeconds', D.timeBudgetSeconds),
    strategy: c.get<'fast' | 'grid'>('fit.startStrategy', D.strategy),
    skipEarlyPlateau: c.get('fit.skipEarlyPlateau', D.skipEarlyPlateau),
    // A plain copy: configuration objects are proxies, which cannot be posted to the worker.
    columnRoles: { ...c.get<Record<string, ColumnRole>>('columnRoles', {}) },
    evalColumnRoles: { ...c.get<Record<string, EvalRole>>('evalColumnRoles', {}) },
    refitDelayMs: c.get('live.refitDelayMs', 1500),
    refitMaxWaitMs: c.get('live.refitMaxWaitMs', 10000),
    diagnostics: c.get('diagnostics.enabled', true),
    hover: c.get('hover.enabled', true),
    predictionLaw: c.get<'replication' | 'workspace'>('prediction.law', 'replication'),
    logScale: c.get('chart.logScale', D.logScale),
  };
}

/** The chart options a new view starts with. */
export function initialViewOptions(s: Settings): ViewOptions {
  return validateOptions({ law: s.defaultLaw, logScale: s.logScale, warmupPercent: s.warmupPercent, targetTokens: s.targetTokens }, { ...DEFAULT_VIEW_OPTIONS }, 'clamp');
}

/** The analysis options of a view under these settings, validated by the core's one validator. */
export function analysisOptions(s: Settings, view: ViewOptions): AnalyzeOptions {
  return validateOptions({
    ...view,
    bootstrap: s.bootstrap, seed: s.seed, dropHighestLoss: s.dropHighestLoss, tokensPerStep: s.tokensPerStep,
    referenceRatio: s.referenceRatio, warnBelow: s.warnBelow, warnAbove: s.warnAbove, minGainPercent: s.minGainPercent, minFitR2: s.minFitR2,
    overfitRisePercent: s.overfitRisePercent, timeBudgetSeconds: s.timeBudgetSeconds, strategy: s.strategy,
    skipEarlyPlateau: s.skipEarlyPlateau,
  }, { ...DEFAULT_ANALYZE_OPTIONS }, 'clamp');
}

import * as vscode from 'vscode';
import type { ColumnRole } from '../core/logs';
import { DEFAULT_VIEW_OPTIONS, type LawChoice, type ViewOptions } from '../protocol';
import type { WorkerAnalyzeOptions } from './workerProtocol';

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
  columnRoles: Record<string, ColumnRole>;
  refitDelayMs: number;
  refitMaxWaitMs: number;
  diagnostics: boolean;
  hover: boolean;
  predictionLaw: 'replication' | 'workspace';
  logScale: boolean;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('scalingLens', scope);
  return {
    referenceRatio: c.get('tokensPerParam.reference', 20),
    warnBelow: c.get('tokensPerParam.warnBelow', 10),
    warnAbove: c.get('tokensPerParam.warnAbove', 200),
    defaultLaw: c.get<LawChoice>('fit.defaultLaw', 'auto'),
    bootstrap: c.get('fit.bootstrapSamples', 200),
    seed: c.get('fit.seed', 42),
    dropHighestLoss: c.get('fit.dropHighestLoss', 0),
    warmupPercent: c.get('fit.warmupPercent', 10),
    targetTokens: c.get('fit.targetTokens', 0),
    tokensPerStep: c.get('fit.tokensPerStep', 0),
    minGainPercent: c.get('diagnostics.minGainPercent', 1),
    // A plain copy: configuration objects are proxies, which cannot be posted to the worker.
    columnRoles: { ...c.get<Record<string, ColumnRole>>('columnRoles', {}) },
    refitDelayMs: c.get('live.refitDelayMs', 1500),
    refitMaxWaitMs: c.get('live.refitMaxWaitMs', 10000),
    diagnostics: c.get('diagnostics.enabled', true),
    hover: c.get('hover.enabled', true),
    predictionLaw: c.get<'replication' | 'workspace'>('prediction.law', 'replication'),
    logScale: c.get('chart.logScale', true),
  };
}

/** The chart options a new view starts with. */
export function initialViewOptions(s: Settings): ViewOptions {
  return { ...DEFAULT_VIEW_OPTIONS, law: s.defaultLaw, logScale: s.logScale, warmupPercent: s.warmupPercent, targetTokens: s.targetTokens };
}

export function workerOptions(s: Settings, view: ViewOptions): WorkerAnalyzeOptions {
  return {
    ...view,
    bootstrap: s.bootstrap,
    seed: s.seed,
    dropHighestLoss: s.dropHighestLoss,
    tokensPerStep: s.tokensPerStep,
    referenceRatio: s.referenceRatio,
    warnBelow: s.warnBelow,
    warnAbove: s.warnAbove,
    minGainPercent: s.minGainPercent,
  };
}

/**
 * The small protocol between the extension host and its worker thread (dist/worker.js), where logs
 * are parsed and fitted by the one pipeline (src/core/pipeline.ts) so the editor never freezes.
 * Plain data only.
 */
import type { SplitResult } from '../core/logs/splitRuns';
import type { AnalyzeOptions } from '../core/options';
import type { ColumnRole } from '../core/logs';
import type { EvalRole } from '../core/evals';
import type { TrainLaw } from '../core/evals/entry';
import type { FitView, LogState } from '../protocol';
import type { DiscoverResult, RunInfo, WalkLimits } from '../core/runs';
import type { CompareAxis, CompareData } from '../core/runs/curves';
import type { RunsFit, RunsFitOptions } from '../core/runs/fit';
import type { Problem } from '../core/dataset';

/** The default of `scalingLens.memory.cacheMegabytes`: the memory each worker's cached logs may hold. */
export const DEFAULT_CACHE_MB = 512;
/** The default of `scalingLens.memory.logMegabytes`: the most one log's kept columns may take (core: MAX_COLUMN_BYTES). */
export const DEFAULT_LOG_MB = 1024;

export type ToWorker =
  | {
      type: 'analyze';
      id: number;
      file: string;
      options: AnalyzeOptions;
      roleOverrides: Record<string, ColumnRole>;
      /** Role overrides for eval-result files. */
      evalRoleOverrides?: Record<string, EvalRole>;
      /** Thinking-budget tables: the law fitted in the workspace, when the settings ask for it. */
      trainLaw?: TrainLaw;
      /**
       * One Int32 the host sets to 1 to cancel this analysis: the fits poll it between iterations,
       * so a cancel lands even while the worker's loop is busy (a 'cancel' message would wait).
       */
      cancelFlag: SharedArrayBuffer;
    }
  | { type: 'cancel'; id: number }
  /**
   * Memory budgets: what the worker's cached logs may hold (scalingLens.memory.cacheMegabytes), and
   * one log's kept columns (scalingLens.memory.logMegabytes; a bigger log is read in part).
   */
  | { type: 'memory'; cacheBytes: number; columnBytes: number }
  | RunsRequest;

/** Runs across the workspace (issue 12): discovery, compare curves, per-run fits, the fit across runs. */
export type RunsRequest =
  | { type: 'runs.discover'; id: number; root: string; tokensPerStep: number; overfitRisePercent?: number; limits?: Partial<WalkLimits> }
  | { type: 'runs.curves'; id: number; runs: RunInfo[]; buckets?: number }
  | { type: 'runs.fitEach'; id: number; runs: RunInfo[]; axis: CompareAxis; options: Partial<AnalyzeOptions> }
  | { type: 'runs.fit'; id: number; runs: RunInfo[]; options: RunsFitOptions }
  /** A log holding several runs one after another, written beside it as one file per run. */
  | { type: 'runs.split'; id: number; file: string };

/** What each runs request replies with. */
export interface RunsReplies {
  'runs.discover': DiscoverResult;
  'runs.curves': CompareData;
  'runs.fitEach': { rel: string; fit?: FitView; error?: string }[];
  'runs.fit': RunsFit;
  'runs.split': SplitResult;
}

export type FromWorker =
  | { type: 'started'; id: number }
  | { type: 'progress'; id: number; fraction: number; message: string }
  | { type: 'result'; id: number; state: LogState; findings: Problem[] }
  | { type: 'error'; id: number; message: string; cancelled: boolean }
  | { type: 'reply'; id: number; value: unknown };

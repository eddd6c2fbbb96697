/**
 * The small protocol between the extension host and its worker thread (dist/worker.js), where logs
 * are parsed and fitted so the editor never freezes. Plain data only.
 */
import type { AnalyzeOptions } from '../core/analyze';
import type { ColumnRole } from '../core/logs';
import type { LogState } from '../protocol';
import type { Problem } from '../core/dataset';

export type WorkerAnalyzeOptions = Omit<AnalyzeOptions, 'signal' | 'onProgress'>;

export type ToWorker =
  | {
      type: 'analyze';
      id: number;
      file: string;
      options: WorkerAnalyzeOptions;
      roleOverrides: Record<string, ColumnRole>;
      /** Training configs next to the log, read as text (never executed): the first that gives N is used. */
      configs: { file: string; text: string }[];
    }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; fraction: number; message: string }
  | { type: 'result'; id: number; state: LogState; findings: Problem[] }
  | { type: 'error'; id: number; message: string; aborted: boolean };

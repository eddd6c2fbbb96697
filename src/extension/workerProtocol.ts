/**
 * The small protocol between the extension host and its worker thread (dist/worker.js), where logs
 * are parsed and fitted by the one pipeline (src/core/pipeline.ts) so the editor never freezes.
 * Plain data only.
 */
import type { AnalyzeOptions } from '../core/options';
import type { ColumnRole } from '../core/logs';
import type { LogState } from '../protocol';
import type { Problem } from '../core/dataset';

export type ToWorker =
  | {
      type: 'analyze';
      id: number;
      file: string;
      options: AnalyzeOptions;
      roleOverrides: Record<string, ColumnRole>;
      /**
       * One Int32 the host sets to 1 to cancel this analysis: the fits poll it between iterations,
       * so a cancel lands even while the worker's loop is busy (a 'cancel' message would wait).
       */
      cancelFlag: SharedArrayBuffer;
    }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'started'; id: number }
  | { type: 'progress'; id: number; fraction: number; message: string }
  | { type: 'result'; id: number; state: LogState; findings: Problem[] }
  | { type: 'error'; id: number; message: string; cancelled: boolean };

/** Shapes of the log layer. Plain data only, so a ParsedLog survives structured clone to a worker. */
import type { Problem } from '../dataset';

export type LogFormat = 'csv' | 'jsonl' | 'trainer_state' | 'json' | 'text' | 'tfevents' | 'mlflow' | 'wandb' | 'dvclive' | 'allennlp';

export type ColumnRole =
  | 'step' | 'epoch' | 'tokens' | 'loss' | 'eval_loss' | 'lr' | 'params' | 'flops' | 'run' | 'time'
  | 'other' | 'ignore';

export const COLUMN_ROLES: readonly ColumnRole[] = [
  'step', 'epoch', 'tokens', 'loss', 'eval_loss', 'lr', 'params', 'flops', 'run', 'time', 'other', 'ignore',
];

export interface ColumnInfo {
  name: string;
  role: ColumnRole;
  /** 0..1: how sure the inference is (1 for a user override). */
  confidence: number;
  /** Why this role, in words a user can check. */
  reason: string;
  /** No non-numeric text seen in the sampled cells. */
  numeric: boolean;
  /** The numeric role its name suggests, not given because most sampled cells hold text. */
  textFor?: ColumnRole;
}

export interface ParseStats {
  /** Bytes of the input (UTF-8). */
  bytes: number;
  /** Data rows read (header and blank lines excluded). */
  rowsRead: number;
  /** Rows dropped as unusable (wrong field count, not JSON, no step…). */
  dropped: number;
  /** Rows whose values were replaced by a later row for the same step (restarts, duplicates). */
  superseded: number;
  /** Runs of non-decreasing steps: 1 + the number of restarts. */
  segments: number;
  /**
   * Lines (1-based) where a run starts again from before every earlier row (a sweep's runs printed
   * one after another): the file holds 1 + this many runs, of which the last is read (splitRuns.ts
   * writes each to a file of its own).
   */
  runStarts?: number[];
  /**
   * The last run (launch) held too few points for any loss-curve law and an earlier one with enough
   * is read instead: the sentence that says so, naming the file and the line (or event file) of each.
   */
  launchRead?: string;
  /** Rows merged into an earlier row with the same step without any conflicting value. */
  merged?: number;
  /** Parts of the file read on helper threads and joined (big CSV files; absent = none). */
  parts?: number;
}

export interface ParsedLog {
  file: string;
  format: LogFormat;
  kind: 'run' | 'sweep';
  /** Data rows kept. */
  rows: number;
  columns: ColumnInfo[];
  /** Numeric columns that matter (by column name), aligned to kept rows, NaN = missing. */
  data: Record<string, Float64Array>;
  /** Text columns that matter (run id/name), aligned to kept rows. */
  labels?: Record<string, string[]>;
  /** 1-based source line of each kept row. */
  lines: Uint32Array;
  problems: Problem[];
  stats: ParseStats;
  /** Run folders (MLflow, W&B, TensorBoard): what the store says about the run besides its metrics. */
  run?: RunMeta;
}

/** Plain data (structured-clone safe); key/value pairs rather than objects so any key is data. */
export interface RunMeta {
  /** The run's name in its store (MLflow `mlflow.runName`, W&B display name). */
  name?: string;
  /** Hyper-parameters as logged (MLflow params/, W&B config), values as text. */
  params?: [string, string][];
  /** Configs found in the run folder (hparams.yaml, the W&B config, MLflow params as JSON), for model size. */
  configs?: { file: string; text: string }[];
  /**
   * The planned last step a text log states on its step lines (`step 00100/21400`, Megatron's
   * `iteration 100/ 500000`): the last such total, and where it was read.
   */
  plannedSteps?: { steps: number; source: string };
  /**
   * Passes over the data a log's epoch column or series shows (tail.ts, series.ts, a Trainer console):
   * planned when the end is known, else so far; and the steps a pass takes, once a whole pass was logged.
   */
  epochsLogged?: { count: number; source: string; stepsPerPass?: number };
  /**
   * What in the log says its LR is set by a callback that cuts it when a metric stalls (Keras'
   * ReduceLROnPlateau): the LR can then fall at any later epoch, by an amount no plan says.
   */
  lrCuts?: string;
  /**
   * The loss column the log itself calls the whole loss, where its name does not say so (a Coqui GAN's
   * `loss_1`, the generator's total beside the discriminator's `loss_0`): the series a run opens with.
   */
  wholeLoss?: string;
  /**
   * Loss series the writer logs as a moving average of another it also logs (k2/icefall's
   * `train/tot_loss` of `train/current_loss`): each averaged series, the series it averages, and why (said
   * where the fit is, whichever of the two is fitted).
   */
  averagedLosses?: Array<{ series: string; of: string; why: string }>;
  /**
   * Where an AWD-LSTM script said it switched its optimizer to averaged SGD (`Switching to ASGD`): the
   * last training step before it, and the line.
   */
  averagedFrom?: { step: number; line: number };
  /**
   * Where a log of a run resumed from a checkpoint says the run resumed (MMCV's log.json: its first
   * line's `"epoch"` and `"iter"`): the epochs and steps done before its first row, and the line. Its
   * epochsLogged then counts the epochs from the run's first, not from the log's.
   */
  resumedAt?: { epoch: number; step: number; line: number };
  /**
   * Loss columns NaN or infinite from a row to the log's end (Collector.finish): the run diverged there
   * (a real ColossalAI DreamBooth console: "loss=nan" from step 15 of 20). `what`: "NaN", "infinite" or
   * both; `from` and `to`: the first and last row with such a value, at their step (or epoch: `axis`) and
   * line, `to.last` when that row is the log's last; `before`: the rows before it with a finite value.
   */
  nonFiniteTails?: NonFiniteTail[];
  /** Final values the store keeps (W&B wandb-summary.json). */
  summary?: [string, number][];
  /**
   * For a folder of several runs: the runs, as they are labelled in the `run` column, each with what
   * its own record says (its params, configs, planned end, passes), so a curve of one run is fitted
   * as that run's folder would be.
   */
  runs?: { name: string; path: string; meta?: Omit<RunMeta, 'runs'> }[];
}

/** A loss column NaN or infinite from a row to the log's end: RunMeta.nonFiniteTails. */
export interface NonFiniteTail {
  column: string;
  what: 'NaN' | 'infinite' | 'NaN or infinite';
  axis?: 'step' | 'epoch';
  from: { at?: number; line: number };
  to: { at?: number; line: number; last: boolean };
  before: number;
}

export interface ParseOptions {
  /** Role overrides by column name. */
  roleOverrides?: Record<string, ColumnRole>;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Abort → the promise rejects with the core's `Cancelled` error (src/core/cancel.ts; `isCancelled` is true). */
  signal?: AbortSignal;
  /**
   * parseLogFile: threads for a big CSV file, this one included (default: the cores; 1 = this
   * thread only). The result is the same for any count.
   */
  threads?: number;
  /** parseLogFile: smallest file split across threads (default 48 MB; tests set it low). */
  parallelMinBytes?: number;
  /**
   * parseLogFile: once the columns are decided, wait for the helper threads to be ready before reading
   * on, so that the file is cut there (tests of small files, which would otherwise be read whole before
   * a helper starts); by default the calling thread reads on and cuts what is left when they are ready.
   */
  awaitHelpers?: boolean;
  /** A gzipped log's expansion budget: the most text it is inflated to (gzip.ts MAX_INFLATED_BYTES). */
  maxInflatedBytes?: number;
  /**
   * parseLogFile: the most memory a CSV or JSON-lines log's kept columns may take (default
   * MAX_COLUMN_BYTES, 1 GiB). A file whose columns would need more, at the lines per byte of its first 4 MB,
   * is read up to a line end where they fit, with a warning; the rest is left out. A console (text)
   * log, whose rows per byte vary, is read row by row until the next row would pass it (Collector.limitBytes).
   */
  maxColumnBytes?: number;
  /**
   * parseLogFile (incremental.ts): read the complete lines only and hand the open reader to
   * `keep`, so that lines appended later can be read on their own.
   */
  live?: { keep(state: object): void };
  /** Longest line read, in characters (default 16 MB); a longer line is dropped whole and reported once. */
  maxLineChars?: number;
  /**
   * Fast paths for plain numeric CSV rows and flat numeric JSONL lines (default true); false reads
   * every row through papaparse / JSON.parse; 'js' the fast paths without the CSV row loop in
   * WebAssembly (csvWasm.ts). The result is the same either way (tests compare).
   */
  fastPath?: boolean | 'js';
  /**
   * Parallel reads (parallel.ts): the helper threads write their rows into shared memory, joined in
   * place (default true); false: each sends its rows, copied on joining. `sharedMargin` scales the
   * rows each region is sized for (default 1.03; tests make it small so that rows overflow it).
   * Same result either way (tests compare).
   */
  shareColumns?: boolean;
  sharedMargin?: number;
}

/** One sampled cell, as role inference sees it: a number, a text, or empty. */
export type SampleValue = number | string | null;

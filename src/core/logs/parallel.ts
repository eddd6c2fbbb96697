/**
 * Both cores for big CSV and JSONL files. parseLogFile reads the head on the calling thread until the column
 * roles are decided (the plan), then the rest of the file is cut at line ends into parts: the
 * calling thread goes on reading the first, `worker_threads` helpers (parseWorker.js) read the
 * others with the same plan and send back their rows raw (columns as Float64Arrays, transferred),
 * which are appended in file order, the step logic (restarts, duplicate steps) running as if the
 * file had been read on one thread. Line numbers in rows and problems are shifted by the lines of
 * the parts before. A part is read as if a row starts at its first byte: it is joined only when the
 * text before it ended at a row's end (a quoted field may hold a line end, so a cut after a line end
 * may fall inside a row: the part before then ends with a row held over, `pending`). A part that
 * cannot be joined as read — one that starts inside a row, a CSV part that dropped a quoted field
 * never closed, a JSONL part that meets a key the plan does not know (it would add a column), a
 * part that fails — makes the caller read the rest of the file itself: the result is always the
 * single-thread result.
 */
import { existsSync } from 'node:fs';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NonFiniteLines, RawBlock, RawProblem, SharedColumns } from './collector';
import type { ColumnInfo } from './types';

/** Files smaller than this are read on one thread (starting a helper costs ~30 ms). */
export const PARALLEL_MIN_BYTES = 48 << 20;

export const CSV_PART_JOB = 'scaling-lens-csv-part';
/** A helper started before its part is known: it says when it is ready, then waits for its job. */
export const CSV_PART_BOOT = 'scaling-lens-csv-part-boot';

/** What a CSV reader decided from the header and the sampled rows: enough to read any later part. */
export interface CsvPlan { names: string[]; columns: ColumnInfo[]; kind: 'run' | 'sweep'; delimiter: string; newline: '\r\n' | '\n' | '\r'; /** Fields per row (names holds at most MAX_COLUMNS). */ width?: number; /** ParseOptions.fastPath. */ fast?: boolean | 'js' }

/**
 * What a JSONL reader decided from the sampled lines: the kept columns in the collector's order,
 * where each key known so far goes (kept-column index; -1 not kept; -2 the run label).
 */
export interface JsonlPlan {
  format: 'jsonl';
  cols: { name: string; role: ColumnInfo['role'] }[];
  where: [string, number][];
  columns: ColumnInfo[];
  kind: 'run' | 'sweep';
  runName?: string;
  /** ParseOptions.fastPath. */
  fast: boolean | 'js';
}

export type PartPlan = CsvPlan | JsonlPlan;

/** The rows of one part of a file read with a plan (parallel.ts): lines are local to the part. */
export interface CsvPartResult {
  block: RawBlock;
  rowsRead: number;
  dropped: number;
  /** Lines in the part (its line count). */
  lines: number;
  problems: RawProblem[];
  tally: Record<string, number>;
  /** The lines of each column's NaN and infinite values (ProblemLog.nonFiniteLines). */
  nonFinite?: Array<[string, NonFiniteLines]>;
  /**
   * The part cannot be joined as read (CSV: a quoted field never closed was dropped, or a row held
   * over at its end has a quote; JSONL: a key the plan does not know): read the rest of the file on
   * one thread.
   */
  quoted: boolean;
  /** CSV: the part's last row runs on past its end (joined only as the file's last part). */
  pending?: boolean;
}

export type PartResult = CsvPartResult;


export interface CsvPartJob {
  kind: typeof CSV_PART_JOB;
  file: string;
  start: number;
  end: number;
  plan: PartPlan;
  /** The columns' shared memory (Collector.shareColumns): this part writes its rows into region `region`. */
  shared?: SharedColumns;
  region?: number;
}

/** Path of the helper entry, or undefined when it is not there. */
export function parseWorkerFile(): string | undefined {
  const f = join(__dirname, 'parseWorker.js');
  return existsSync(f) ? f : undefined;
}

/**
 * Ends of the parts (each just after a line end) when the file is cut into `count` equal parts after
 * byte `from` (the first is the calling thread's); fewer when the file has few line ends.
 */
export async function cutAtLines(file: string, from: number, total: number, count: number): Promise<number[]> {
  const fh = await fs.promises.open(file, 'r');
  const cuts: number[] = [];
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    const step = (total - from) / count;
    for (let k = 1; k < count; k++) {
      let pos = Math.max(Math.floor(from + step * k), cuts.length ? cuts[cuts.length - 1] : from);
      let cut = -1;
      while (pos < total && cut < 0) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) cut = pos + nl + 1;
        else pos += bytesRead;
      }
      if (cut < 0 || cut >= total) break;
      if (cuts.length === 0 || cut > cuts[cuts.length - 1]) cuts.push(cut);
    }
  } finally {
    await fh.close();
  }
  cuts.push(total);
  return cuts;
}

export interface PartsRun {
  /** One result per part in file order; undefined for a part that failed. */
  results: Promise<(CsvPartResult | undefined)[]>;
  stop(): void;
}

/**
 * Helper threads started before the file is cut (a helper's start, a new isolate with its modules
 * loaded, takes 50–150 ms): the calling thread reads on meanwhile and cuts the rest of the file into
 * equal parts once every helper is ready, so no head start has to be guessed (it depends on the
 * format, the machine and how fast each reads).
 */
export interface Helpers {
  /** Every helper has loaded (or failed: its part is then read by the calling thread). */
  ready(): boolean;
  /** Resolves when ready() is true. */
  whenReady(): Promise<void>;
  /** Hands helper k range k; each result resolves with its part's rows (undefined if it fails). */
  start(file: string, plan: PartPlan, ranges: [number, number][], shared?: SharedColumns): PartsRun;
  stop(): void;
}

export function bootHelpers(workerFile: string, count: number): Helpers {
  const helpers = Array.from({ length: count }, () => {
    let w: Worker | undefined;
    try {
      w = new Worker(workerFile, { workerData: { kind: CSV_PART_BOOT }, execArgv: [], stdout: true, stderr: true });
    } catch {
      w = undefined;
    }
    const h = { w, ready: w === undefined, dead: w === undefined, done: Promise.resolve() };
    if (w) {
      h.done = new Promise<void>((resolve) => {
        w.once('message', () => { h.ready = true; resolve(); });
        w.once('error', () => { h.ready = h.dead = true; resolve(); });
        w.once('exit', () => { h.ready = h.dead = true; resolve(); });
      });
    }
    return h;
  });
  const stop = (): void => { for (const h of helpers) void h.w?.terminate().catch(() => undefined); };
  return {
    ready: () => helpers.every((h) => h.ready),
    whenReady: async () => { await Promise.all(helpers.map((h) => h.done)); },
    start(file, plan, ranges, shared) {
      const results = ranges.map(([start, end], k) => new Promise<CsvPartResult | undefined>((resolve) => {
        const h = helpers[k];
        if (!h || !h.w || h.dead) { resolve(undefined); return; }
        const job: CsvPartJob = { kind: CSV_PART_JOB, file, start, end, plan, ...(shared ? { shared, region: k + 1 } : {}) };
        h.w.once('message', (m: CsvPartResult | { error: string }) => resolve('error' in m ? undefined : m));
        h.w.once('error', () => resolve(undefined));
        h.w.once('exit', () => resolve(undefined));
        h.w.postMessage(job);
      }));
      return { results: Promise.all(results), stop };
    },
    stop,
  };
}

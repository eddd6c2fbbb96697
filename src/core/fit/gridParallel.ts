/**
 * The full-grid phase of the Chinchilla fit (every start run with L-BFGS to convergence), shared
 * between the calling thread and `worker_threads` helpers — synchronously, so `fitChinchilla`
 * keeps its synchronous API.
 *
 * How: the starts, the data and three shared buffers go to each helper as workerData. Every thread
 * (the caller included) claims the next start with an atomic counter, runs it, writes the end point
 * and objective into its row and marks it done. The caller then waits (Atomics.wait) for the rows
 * claimed by helpers. Per-start results do not depend on which thread ran them, so the outcome is
 * the same as the single-thread loop, bit for bit.
 *
 * Robustness: if no helper can start (no worker file, workers unsupported) the caller simply claims
 * every start itself. If a helper stops making progress (crashed, hung) the caller stops it and
 * reruns the starts it had not finished. The helper entry is `gridWorker.js` next to this module's
 * compiled file: out/src/core/fit/ for the tsc build, dist/ for the esbuild bundles.
 */
import { existsSync } from 'node:fs';
import { coreCount } from '../cores';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChinchillaObjective } from './huber';
import { Lbfgs, LbfgsOptions } from './lbfgs';
import { checkAbort } from './types';

export { coreCount };

/**
 * Per-start settings of the grid phase: scipy's L-BFGS-B default stopping rule (factr 1e7, i.e.
 * relative decrease ≤ 2.2e-9 of max(|f|, 1), pgtol 1e-5); a looser zoom safeguard (0.02) saves
 * about 4% of the evaluations on the Chinchilla data and the synthetic sweeps of bench/fit.mjs.
 */
export const GRID_LBFGS: Partial<LbfgsOptions> = { gtol: 1e-5, ftol: 2.220446049250313e-9, fmin: 1, zoomGuard: 0.02 };

/** Marker of the workerData this module sends. */
export const GRID_JOB_KIND = 'scaling-lens-chinchilla-grid';

// Int32 control slots.
const NEXT = 0; // next start index to claim
const DONE = 1; // starts finished (any thread)
const STOP = 2; // 1 = stop claiming (abort or takeover)
const HELPED = 3; // helpers that ran at least one start
const CTL_SLOTS = 4;
/** Row of the result buffer: objective, the 5 parameters, evaluations. */
const ROW = 7;

export interface GridJob {
  kind: typeof GRID_JOB_KIND;
  lN: Float64Array;
  lD: Float64Array;
  lL: Float64Array;
  delta: number;
  /** Rows of 5 (a, b, e, α, β). */
  starts: Float64Array;
  lbfgs: Partial<LbfgsOptions>;
  /** Evaluate with expFast (see huber.ts). */
  approxExp: boolean;
  ctl: SharedArrayBuffer;
  state: SharedArrayBuffer;
  out: SharedArrayBuffer;
}

/** End point and objective of every start, in start order. */
export interface GridRun {
  /** Objective at the end of each start. */
  f: Float64Array;
  /** End points, rows of 5. */
  x: Float64Array;
  evaluations: number;
  /** Threads that ran at least one start (1 = the caller alone). */
  threads: number;
  /** Starts a helper claimed but did not finish, rerun by the caller. */
  rerun: number;
}

/**
 * Claims starts until none are left or STOP is set, running each with L-BFGS; returns how many it
 * ran. `beforeStart` (caller only) may throw to abort.
 */
export function runGridShare(
  job: GridJob, obj: ChinchillaObjective, beforeStart?: (claimed: number) => void, helper = false,
): number {
  const ctl = new Int32Array(job.ctl);
  const state = new Int32Array(job.state);
  const out = new Float64Array(job.out);
  const solver = new Lbfgs(5, job.lbfgs);
  const fg = (x: Float64Array, g: Float64Array) => obj.fg(x, g);
  const count = job.starts.length / 5;
  const x = new Float64Array(5);
  let ran = 0;
  while (Atomics.load(ctl, STOP) === 0) {
    const s = Atomics.add(ctl, NEXT, 1);
    if (s >= count) break;
    beforeStart?.(s);
    if (helper && ran === 0) Atomics.add(ctl, HELPED, 1);
    for (let j = 0; j < 5; j++) x[j] = job.starts[5 * s + j];
    const r = solver.minimize(fg, x);
    const o = ROW * s;
    out[o] = r.f;
    for (let j = 0; j < 5; j++) out[o + 1 + j] = x[j];
    out[o + 6] = r.evaluations;
    Atomics.store(state, s, 1);
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
    ran++;
  }
  return ran;
}

/** Entry of a helper thread (gridWorker.ts). */
export function runGridHelper(job: GridJob): void {
  runGridShare(job, gridObjective(job), undefined, true);
}

function gridObjective(job: GridJob): ChinchillaObjective {
  const o = new ChinchillaObjective(job.lN, job.lD, job.lL, job.delta);
  o.approxExp = job.approxExp;
  return o;
}


/** Path of the helper entry, or undefined when it is not there. */
export function gridWorkerFile(): string | undefined {
  const f = join(__dirname, 'gridWorker.js');
  return existsSync(f) ? f : undefined;
}

export interface GridRunOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Threads in all, the caller included (default: the number of cores, at most 8; 1 = no helpers). */
  threads?: number;
  lbfgs?: Partial<LbfgsOptions>;
  /** Evaluate the grid phase with expFast (default true; unweighted objectives only). */
  approxExp?: boolean;
  /** Give up on a helper after this long without any start finishing (ms). Default 10 s. */
  patienceMs?: number;
  /** Helper entry to start (default gridWorkerFile(); tests use others). */
  workerFile?: string;
}

/** Runs L-BFGS from every start (rows of 5) on the calling thread and helper threads. */
export function runGrid(obj: ChinchillaObjective, starts: Float64Array, opts: GridRunOptions = {}): GridRun {
  const count = starts.length / 5;
  const job: GridJob = {
    kind: GRID_JOB_KIND,
    lN: obj.lN, lD: obj.lD, lL: obj.lL, delta: obj.delta,
    starts,
    lbfgs: opts.lbfgs ?? GRID_LBFGS,
    approxExp: opts.approxExp ?? true,
    ctl: new SharedArrayBuffer(4 * CTL_SLOTS),
    state: new SharedArrayBuffer(4 * Math.max(1, count)),
    out: new SharedArrayBuffer(8 * ROW * Math.max(1, count)),
  };
  const ctl = new Int32Array(job.ctl);
  const state = new Int32Array(job.state);
  const out = new Float64Array(job.out);
  // Weighted (bootstrap) objectives run as given, on this thread only.
  const local = obj.weights === null ? gridObjective(job) : obj;
  const want = Math.min(8, Math.max(1, Math.floor(opts.threads ?? coreCount())));
  // Helpers only see unweighted data: a weighted (bootstrap) objective stays on this thread.
  const helpers: Worker[] = [];
  const file = want > 1 && obj.weights === null && count >= 16 ? opts.workerFile ?? gridWorkerFile() : undefined;
  if (file) {
    for (let k = 1; k < want; k++) {
      try {
        const w = new Worker(file, { workerData: job, execArgv: [], stdout: true, stderr: true });
        w.on('error', () => { /* a failed helper is covered by the takeover below */ });
        w.unref();
        helpers.push(w);
      } catch {
        break;
      }
    }
  }
  const stopHelpers = () => {
    Atomics.store(ctl, STOP, 1);
    for (const w of helpers) void w.terminate().catch(() => undefined);
  };
  let mine = 0;
  try {
    mine = runGridShare(job, local, (s) => {
      if ((s & 31) === 0) {
        checkAbort(opts.signal);
        opts.onProgress?.(Atomics.load(ctl, DONE) / count);
      }
    });
    // Wait for the starts helpers claimed; after `patience` without any finishing, take over.
    const patience = opts.patienceMs ?? 10000;
    let seen = Atomics.load(ctl, DONE);
    let since = Date.now();
    while (seen < count) {
      checkAbort(opts.signal);
      Atomics.wait(ctl, DONE, seen, Math.min(patience, 200));
      const now = Atomics.load(ctl, DONE);
      if (now !== seen) {
        seen = now;
        since = Date.now();
      } else if (Date.now() - since >= patience) break;
    }
  } finally {
    stopHelpers();
  }
  const f = new Float64Array(count);
  const x = new Float64Array(5 * count);
  let evaluations = 0;
  let takeover: { solver: Lbfgs; xs: Float64Array } | undefined;
  let rerun = 0;
  for (let s = 0; s < count; s++) {
    if (Atomics.load(state, s) === 1) {
      const o = ROW * s;
      f[s] = out[o];
      for (let j = 0; j < 5; j++) x[5 * s + j] = out[o + 1 + j];
      evaluations += out[o + 6];
    } else {
      // A helper claimed this start and never finished it: run it here.
      takeover ??= { solver: new Lbfgs(5, job.lbfgs), xs: new Float64Array(5) };
      const xs = takeover.xs;
      for (let j = 0; j < 5; j++) xs[j] = starts[5 * s + j];
      const r = takeover.solver.minimize((p, g) => local.fg(p, g), xs);
      f[s] = r.f;
      x.set(xs, 5 * s);
      evaluations += r.evaluations;
      rerun++;
    }
  }
  return { f, x, evaluations, threads: Math.max(1, (mine > 0 ? 1 : 0) + Atomics.load(ctl, HELPED)), rerun };
}

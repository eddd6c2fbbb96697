/**
 * The one bootstrap loop of every law: B resamples, each refitted (warm-started by the law from its
 * full-data optimum), spread over this thread and `worker_threads` helpers, synchronously (the fits
 * keep their synchronous API; the same claim-and-wait scheme as gridParallel.ts).
 *
 * Same answer on any number of threads: resample r draws its multiplicities from the seeded
 * generator jumped to draw r × drawsPerResample (mulberry32's state advances by a constant, so the
 * jump is exact), i.e. from the very numbers a single sequential loop would use, and each refit
 * depends only on its resample. Rows come back in resample order.
 *
 * Helpers rebuild the refit from a plain payload (`LawJob`) through bootstrapLaws.ts; a law whose
 * refit cannot run elsewhere (no `job`) runs on this thread only, as does any small bootstrap.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { coreCount } from '../cores';
import { mulberry32At, type Rng } from './rng';
import { checkAbort } from './types';

export const BOOTSTRAP_JOB_KIND = 'scaling-lens-bootstrap';

/** What a helper needs to rebuild a law's refit (plain data: it is posted to the helper). */
export interface LawJob {
  law: string;
  payload: Record<string, unknown>;
}

/** Refits one resample: draws its multiplicities from `rng`, writes `width` numbers into `out`; false = no fit. */
export type RefitOne = (rng: Rng, out: Float64Array) => boolean;

export interface BootstrapSpec {
  resamples: number;
  seed: number;
  /** Numbers drawn from the generator by each resample (fixed per law and data size). */
  drawsPerResample: number;
  /** Numbers per resample's result row. */
  width: number;
  /** The refit on this thread. */
  refit: RefitOne;
  /** The same refit for helper threads (absent: this thread only). */
  job?: LawJob;
  /** Rough cost of one refit (e.g. points × evaluations): helpers start when resamples × cost is large. */
  costPerResample?: number;
  /** Threads in all, this one included (default: the cores, at most 8). */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Give up on a helper after this long without any resample finishing (ms). Default 10 s. */
  patienceMs?: number;
}

export interface BootstrapRun {
  /** Result rows of the resamples that fitted, in resample order. */
  rows: Float64Array[];
  /** Threads that refitted at least one resample. */
  threads: number;
}

/** Work (resamples × cost) below which helpers are not worth starting (~30 ms each). */
const PARALLEL_MIN_WORK = 2e6;

interface HelperJob {
  kind: typeof BOOTSTRAP_JOB_KIND;
  law: LawJob;
  resamples: number;
  seed: number;
  drawsPerResample: number;
  width: number;
  ctl: SharedArrayBuffer;
  state: SharedArrayBuffer;
  out: SharedArrayBuffer;
}

const NEXT = 0, DONE = 1, STOP = 2, HELPED = 3;

/** Claims resamples until none are left (or STOP), refitting each; returns how many it ran. */
function share(job: HelperJob, refit: RefitOne, beforeEach?: (r: number) => void, helper = false): number {
  const ctl = new Int32Array(job.ctl);
  const state = new Int32Array(job.state);
  const out = new Float64Array(job.out);
  const row = new Float64Array(job.width);
  let ran = 0;
  while (Atomics.load(ctl, STOP) === 0) {
    const r = Atomics.add(ctl, NEXT, 1);
    if (r >= job.resamples) break;
    beforeEach?.(r);
    if (helper && ran === 0) Atomics.add(ctl, HELPED, 1);
    row.fill(NaN);
    const ok = refit(mulberry32At(job.seed, r * job.drawsPerResample), row);
    out.set(row, r * job.width);
    Atomics.store(state, r, ok ? 1 : 2);
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
    ran++;
  }
  return ran;
}

/** Entry of a helper thread (bootstrapWorker.ts), given the law's refit rebuilt from the job. */
export function runBootstrapHelper(job: HelperJob, refit: RefitOne): void {
  share(job, refit, undefined, true);
}

export function isBootstrapJob(x: unknown): x is HelperJob {
  return typeof x === 'object' && x !== null && (x as HelperJob).kind === BOOTSTRAP_JOB_KIND;
}

function workerFile(): string | undefined {
  const f = join(__dirname, 'bootstrapWorker.js');
  return existsSync(f) ? f : undefined;
}

/** Runs the bootstrap (see the module comment). */
export function runBootstrap(spec: BootstrapSpec): BootstrapRun {
  const B = Math.max(0, Math.floor(spec.resamples));
  const job: HelperJob = {
    kind: BOOTSTRAP_JOB_KIND,
    law: spec.job ?? { law: '', payload: {} },
    resamples: B,
    seed: spec.seed,
    drawsPerResample: spec.drawsPerResample,
    width: spec.width,
    ctl: new SharedArrayBuffer(16),
    state: new SharedArrayBuffer(4 * Math.max(1, B)),
    out: new SharedArrayBuffer(8 * Math.max(1, B * spec.width)),
  };
  const ctl = new Int32Array(job.ctl);
  const state = new Int32Array(job.state);
  const out = new Float64Array(job.out);
  const want = Math.min(8, Math.max(1, Math.floor(spec.threads ?? coreCount())));
  const big = B * (spec.costPerResample ?? Infinity) >= PARALLEL_MIN_WORK;
  const file = want > 1 && spec.job && big && B >= 8 ? workerFile() : undefined;
  const helpers: Worker[] = [];
  if (file) {
    for (let k = 1; k < want; k++) {
      try {
        const w = new Worker(file, { workerData: job, execArgv: [], stdout: true, stderr: true });
        w.on('error', () => { /* covered by the takeover below */ });
        w.unref();
        helpers.push(w);
      } catch {
        break;
      }
    }
  }
  let mine = 0;
  try {
    mine = share(job, spec.refit, (r) => {
      if ((r & 7) === 0) {
        checkAbort(spec.signal);
        spec.onProgress?.(Atomics.load(ctl, DONE) / B);
      }
    });
    const patience = spec.patienceMs ?? 10000;
    let seen = Atomics.load(ctl, DONE);
    let since = Date.now();
    while (seen < B) {
      checkAbort(spec.signal);
      Atomics.wait(ctl, DONE, seen, Math.min(patience, 200));
      const now = Atomics.load(ctl, DONE);
      if (now !== seen) { seen = now; since = Date.now(); } else if (Date.now() - since >= patience) break;
    }
  } finally {
    Atomics.store(ctl, STOP, 1);
    for (const w of helpers) void w.terminate().catch(() => undefined);
  }
  const rows: Float64Array[] = [];
  const row = new Float64Array(spec.width);
  for (let r = 0; r < B; r++) {
    let s = Atomics.load(state, r);
    if (s === 0) {
      // Claimed by a helper that never finished it: refit here (the same resample, the same answer).
      row.fill(NaN);
      s = spec.refit(mulberry32At(spec.seed, r * spec.drawsPerResample), row) ? 1 : 2;
      out.set(row, r * spec.width);
    }
    if (s === 1) rows.push(out.slice(r * spec.width, (r + 1) * spec.width));
  }
  spec.onProgress?.(1);
  return { rows, threads: Math.max(1, (mine > 0 ? 1 : 0) + Atomics.load(ctl, HELPED)) };
}

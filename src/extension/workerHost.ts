import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { coreCount } from '../core/cores';
import { DEFAULT_CACHE_MB, DEFAULT_LOG_MB, type ToWorker, type FromWorker, type RunsRequest, type RunsReplies } from './workerProtocol';
import type { LogState } from '../protocol';
import type { Problem } from '../core/dataset';
import { Cancelled } from '../core/cancel';

export interface AnalysisResult {
  state: LogState;
  findings: Problem[];
}

type Request = Omit<Extract<ToWorker, { type: 'analyze' }>, 'id' | 'type' | 'cancelFlag'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A runs request in flight (issue 12): discovery, curves and fits across runs. */
interface RunsPending {
  worker: Worker;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  progress?: (fraction: number, message: string) => void;
}

interface Pending {
  req: Extract<ToWorker, { type: 'analyze' }>;
  flag: Int32Array;
  worker: Worker;
  resolve: (r: AnalysisResult) => void;
  reject: (e: Error) => void;
  progress?: (fraction: number, message: string) => void;
  /** Times this request was sent again after its worker had to be replaced. */
  retries: number;
  /** Time-budget timer, started when the worker starts the analysis. */
  budget?: NodeJS.Timeout;
  /** Set when the host stopped it: 'cancel' (the user) or 'budget' (it ran out of time). */
  stopping?: 'cancel' | 'budget';
  killTimer?: NodeJS.Timeout;
}

/** Analyses run side by side: one worker per core, at most two (each holds its own parsed logs). */
const ANALYSIS_WORKERS = Math.min(2, coreCount());
/** Files whose worker is remembered. */
const MAX_SLOTS = 256;

/** How long a stopped analysis may take to notice before its worker is replaced. */
const STOP_GRACE_MS = 1500;

/**
 * Owns the worker thread. Each analysis is cancelled alone: a shared flag stops its fit loops at
 * once; if it does not stop (a tight loop the flag does not reach), the worker is replaced and the
 * other analyses it was running are sent again to the new one, so they never fail for it. Each
 * analysis has a time budget (options.timeBudgetSeconds); one that runs out is stopped the same way.
 */
export class WorkerHost implements vscode.Disposable {
  /**
   * The analyses' workers (one per core, at most two). A worker runs one analysis to its end before it
   * reads its next message, so with one worker a panel opened during another's long fit waited for it.
   * Each file keeps to the worker that read it last (`slots`): a growing log is read from where that
   * worker's last read ended, and refitted from its last optimum.
   */
  private readonly pool: Array<Worker | undefined> = new Array<Worker | undefined>(ANALYSIS_WORKERS).fill(undefined);
  /** The pool slot each file was last analysed in (the oldest forgotten past MAX_SLOTS files). */
  private readonly slots = new Map<string, number>();
  /**
   * The runs requests' own worker (the same dist/worker.js): a worker runs one analysis to its end
   * before it reads the next message, so the Runs view, the compare panel and a split had waited for
   * any fit in progress (a discovery of one small run folder: up to 9 s behind a sweep of 150,000 rows).
   */
  private runsWorker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly runsPending = new Map<number, RunsPending>();

  /**
   * @param memory the workers' memory budgets in MB (`scalingLens.memory.cacheMegabytes`, `.logMegabytes`),
   *   read when a worker starts; memoryChanged sends new values to the running ones.
   */
  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly memory: () => { cacheMb: number; logMb: number } = () => ({ cacheMb: DEFAULT_CACHE_MB, logMb: DEFAULT_LOG_MB }),
  ) {}

  /** Sends the memory budgets to every running worker (a setting changed). */
  memoryChanged(): void {
    for (const w of [...this.pool, this.runsWorker]) w?.postMessage(this.memoryMessage());
  }

  private memoryMessage(): ToWorker {
    const { cacheMb, logMb } = this.memory();
    const mb = (v: number, d: number, min: number) => (Number.isFinite(v) && v >= min ? v : d) * 1048576;
    return { type: 'memory', cacheBytes: mb(cacheMb, DEFAULT_CACHE_MB, 0), columnBytes: mb(logMb, DEFAULT_LOG_MB, 1) };
  }

  /** The worker for an analysis of `file`: its own slot's, else the slot with the fewest analyses in flight. */
  private ensure(file: string): Worker {
    let slot = this.slots.get(file);
    if (slot === undefined) {
      const load = this.pool.map((w) => (w ? [...this.pending.values()].filter((p) => p.worker === w).length : 0));
      slot = load.indexOf(Math.min(...load));
    }
    this.slots.delete(file);
    this.slots.set(file, slot);
    while (this.slots.size > MAX_SLOTS) this.slots.delete(this.slots.keys().next().value as string);
    return (this.pool[slot] ??= this.spawn());
  }

  /** Forgets `w` as a pool or runs worker (it exited, or is being replaced). */
  private drop(w: Worker): void {
    const i = this.pool.indexOf(w);
    if (i >= 0) this.pool[i] = undefined;
    if (this.runsWorker === w) this.runsWorker = undefined;
  }

  private ensureRuns(): Worker {
    return (this.runsWorker ??= this.spawn());
  }

  private spawn(): Worker {
    const w = new Worker(path.join(this.extensionPath, 'dist', 'worker.js'), { resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    w.postMessage(this.memoryMessage());
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (e) => this.log.error(`worker error: ${e.message}`));
    w.on('exit', (code) => this.onExit(w, code));
    return w;
  }

  /** A worker ended: requests it still held go to a fresh worker (once), unless they were being stopped. */
  private onExit(w: Worker, code: number): void {
    this.drop(w);
    for (const [id, r] of [...this.runsPending]) {
      if (r.worker !== w) continue;
      this.runsPending.delete(id);
      r.reject(new Error(`The analysis worker stopped (exit code ${code}) while reading the runs; refresh to try again.`));
    }
    for (const [id, p] of [...this.pending]) {
      if (p.worker !== w) continue;
      if (p.stopping) {
        this.settleStopped(id, p);
      } else if (p.retries < 1) {
        p.retries++;
        this.log.warn(`worker exited (code ${code}) during the analysis of ${p.req.file}; running it again`);
        this.dispatch(p);
      } else {
        this.pending.delete(id);
        clearTimeout(p.budget);
        p.reject(new Error(`The analysis worker stopped twice while reading ${path.basename(p.req.file)} (exit code ${code}); the file may be too large for the worker's memory.`));
      }
    }
  }

  private dispatch(p: Pending): void {
    const w = this.ensure(p.req.file);
    p.worker = w;
    Atomics.store(p.flag, 0, 0);
    w.postMessage(p.req satisfies ToWorker);
  }

  private settleStopped(id: number, p: Pending): void {
    this.pending.delete(id);
    clearTimeout(p.budget);
    clearTimeout(p.killTimer);
    if (p.stopping === 'budget') {
      const s = p.req.options.timeBudgetSeconds;
      p.reject(new Error(`${path.basename(p.req.file)}: the analysis took longer than its ${s} s budget and was stopped (setting scalingLens.fit.timeBudgetSeconds).`));
    } else {
      p.reject(new Cancelled());
    }
  }

  private onMessage(m: FromWorker): void {
    const r = this.runsPending.get(m.id);
    if (r) {
      if (m.type === 'progress') r.progress?.(m.fraction, m.message);
      else if (m.type === 'reply') { this.runsPending.delete(m.id); r.resolve(m.value); }
      else if (m.type === 'error') { this.runsPending.delete(m.id); r.reject(m.cancelled ? new Cancelled() : new Error(m.message)); }
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'reply':
        return;
      case 'started': {
        const s = p.req.options.timeBudgetSeconds;
        if (s > 0 && !p.budget) p.budget = setTimeout(() => this.stop(m.id, 'budget'), s * 1000);
        return;
      }
      case 'progress':
        p.progress?.(m.fraction, m.message);
        return;
      case 'result':
        this.pending.delete(m.id);
        clearTimeout(p.budget);
        clearTimeout(p.killTimer);
        p.resolve({ state: m.state, findings: m.findings });
        return;
      case 'error':
        if (m.cancelled || p.stopping) {
          this.settleStopped(m.id, p);
          return;
        }
        this.pending.delete(m.id);
        clearTimeout(p.budget);
        clearTimeout(p.killTimer);
        p.reject(new Error(m.message));
    }
  }

  /** Stops one analysis: the flag first; the worker is replaced only if the analysis does not stop in time. */
  private stop(id: number, why: 'cancel' | 'budget'): void {
    const p = this.pending.get(id);
    if (!p || p.stopping) return;
    p.stopping = why;
    Atomics.store(p.flag, 0, 1);
    p.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
    p.killTimer = setTimeout(() => {
      if (this.pending.get(id) !== p) return;
      this.log.warn(`analysis of ${p.req.file} did not stop (${why}); replacing the worker`);
      const w = p.worker;
      this.drop(w);
      void w.terminate(); // onExit settles this one and re-sends the others
    }, STOP_GRACE_MS);
  }

  analyze(req: Request, token?: vscode.CancellationToken, progress?: (fraction: number, message: string) => void): Promise<AnalysisResult> {
    const id = this.nextId++;
    const cancelFlag = new SharedArrayBuffer(4);
    return new Promise<AnalysisResult>((resolve, reject) => {
      const p: Pending = {
        req: { type: 'analyze', id, ...req, cancelFlag }, flag: new Int32Array(cancelFlag),
        worker: undefined as unknown as Worker, resolve, reject, progress, retries: 0,
      };
      this.pending.set(id, p);
      if (token?.isCancellationRequested) {
        this.pending.delete(id);
        reject(new Cancelled());
        return;
      }
      token?.onCancellationRequested(() => this.stop(id, 'cancel'));
      this.dispatch(p);
    });
  }

  /**
   * A runs request (issue 12): discovery, compare curves, per-run fits, the fit across runs. Cancelled
   * by its token (the worker's abort signal); a request that does not stop in time is settled as
   * cancelled and the worker replaced.
   */
  runs<R extends DistributiveOmit<RunsRequest, 'id'>>(req: R, token?: vscode.CancellationToken, progress?: (fraction: number, message: string) => void): Promise<RunsReplies[R['type']]> {
    const id = this.nextId++;
    return new Promise<RunsReplies[R['type']]>((resolve, reject) => {
      if (token?.isCancellationRequested) { reject(new Cancelled()); return; }
      const w = this.ensureRuns();
      this.runsPending.set(id, { worker: w, resolve: resolve as (v: unknown) => void, reject, progress });
      token?.onCancellationRequested(() => {
        if (!this.runsPending.has(id)) return;
        w.postMessage({ type: 'cancel', id } satisfies ToWorker);
        setTimeout(() => {
          const r = this.runsPending.get(id);
          if (!r) return;
          this.runsPending.delete(id);
          r.reject(new Cancelled());
          this.log.warn('a runs request did not stop on cancel; replacing the worker');
          this.drop(w);
          void w.terminate();
        }, STOP_GRACE_MS);
      });
      w.postMessage({ ...req, id } as ToWorker);
    });
  }

  dispose(): void {
    for (const r of this.runsPending.values()) r.reject(new Error('Scaling Lens was deactivated.'));
    this.runsPending.clear();
    for (const p of this.pending.values()) {
      clearTimeout(p.budget);
      clearTimeout(p.killTimer);
      p.reject(new Error('Scaling Lens was deactivated.'));
    }
    this.pending.clear();
    for (const w of this.pool) void w?.terminate();
    void this.runsWorker?.terminate();
    this.pool.fill(undefined);
    this.runsWorker = undefined;
  }
}

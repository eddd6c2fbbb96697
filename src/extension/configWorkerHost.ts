/**
 * Config analysis off the extension host's thread (issue 10): hovers, code actions and diagnostics
 * on training configs ask a small worker thread of their own (dist/configWorker.js), not the log
 * worker, so a hover never waits behind a long fit. Each request has a time budget; a request that
 * runs out (a config built to be slow) has its worker replaced and answers `timedOut`, and the
 * requests queued behind it go on in the new worker. No `vscode` here (unit-tested in node).
 */
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions, ConfigAnalysis } from '../core/config';

export interface ConfigRequest { id: number; text: string; file: string; options: AnalyzeOptions }
export interface ConfigReply { id: number; analysis: ConfigAnalysis | undefined; error?: string }
/** What a request gives: the analysis (undefined: not a config), or that it ran out of time. */
export interface ConfigResult { analysis: ConfigAnalysis | undefined; timedOut?: boolean }

/**
 * Time one config may take in the worker. Configs are a few KB and take milliseconds; a 250 KB YAML
 * takes 0.3 s alone and over 3 s on a machine busy with other work, which must not count as stuck.
 */
export const CONFIG_BUDGET_MS = 8000;

interface Queued { req: ConfigRequest; resolve: (r: ConfigResult) => void }

export class ConfigWorkerHost {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly queue: Queued[] = [];
  private current: (Queued & { timer: NodeJS.Timeout; worker: Worker }) | undefined;
  private disposed = false;

  /** `script`: the worker's file (dist/configWorker.js next to the extension's bundle). */
  constructor(private readonly script: string, private readonly budgetMs = CONFIG_BUDGET_MS) {}

  analyze(text: string, file: string, options: AnalyzeOptions): Promise<ConfigResult> {
    if (this.disposed) return Promise.resolve({ analysis: undefined });
    return new Promise<ConfigResult>((resolve) => {
      this.queue.push({ req: { id: this.nextId++, text, file, options }, resolve });
      this.pump();
    });
  }

  /** One request at a time, so each budget times that request alone (not the queue before it). */
  private pump(): void {
    if (this.current || this.disposed) return;
    const next = this.queue.shift();
    if (!next) return;
    const w = this.ensure();
    const timer = setTimeout(() => {
      if (this.current?.req.id !== next.req.id) return;
      this.current = undefined;
      // A tight loop the worker cannot leave: replace it; the queue goes on in a fresh one.
      this.worker = undefined;
      void w.terminate();
      next.resolve({ analysis: undefined, timedOut: true });
      this.pump();
    }, this.budgetMs);
    this.current = { ...next, timer, worker: w };
    w.postMessage(next.req);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // A bounded heap: an expansion the readers' budgets missed ends this worker, not the editor.
    const w = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    w.on('message', (m: ConfigReply) => {
      const c = this.current;
      if (!c || c.req.id !== m.id) return;
      clearTimeout(c.timer);
      this.current = undefined;
      c.resolve({ analysis: m.analysis });
      this.pump();
    });
    w.on('error', () => { /* reported by 'exit' */ });
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      const c = this.current;
      if (!c || c.worker !== w) return;
      // The worker died under this request (out of memory): it gets no analysis; the rest go on.
      clearTimeout(c.timer);
      this.current = undefined;
      c.resolve({ analysis: undefined, timedOut: true });
      this.pump();
    });
    this.worker = w;
    return w;
  }

  dispose(): void {
    this.disposed = true;
    if (this.current) { clearTimeout(this.current.timer); this.current.resolve({ analysis: undefined }); this.current = undefined; }
    for (const q of this.queue.splice(0)) q.resolve({ analysis: undefined });
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

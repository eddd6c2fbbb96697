import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { ToWorker, FromWorker } from './workerProtocol';
import type { LogState } from '../protocol';
import type { Problem } from '../core/dataset';

export interface AnalysisResult {
  state: LogState;
  findings: Problem[];
}

type Request = Omit<Extract<ToWorker, { type: 'analyze' }>, 'id' | 'type'>;

interface Pending {
  resolve: (r: AnalysisResult) => void;
  reject: (e: Error) => void;
  progress?: (fraction: number, message: string) => void;
}

/** Owns the worker thread: one request at a time per id, cancellation, restart if it dies or hangs. */
export class WorkerHost implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly extensionPath: string, private readonly log: vscode.LogOutputChannel) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(path.join(this.extensionPath, 'dist', 'worker.js'), { resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (e) => {
      this.log.error(`worker error: ${e.message}`);
      this.failAll(new Error(`The analysis worker stopped: ${e.message}`));
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = undefined;
      if (code !== 0) this.failAll(new Error(`The analysis worker exited (code ${code}).`));
    });
    this.worker = w;
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private onMessage(m: FromWorker): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.progress?.(m.fraction, m.message);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve({ state: m.state, findings: m.findings });
    else {
      const err = new Error(m.message);
      if (m.aborted) err.name = 'Canceled';
      p.reject(err);
    }
  }

  analyze(req: Request, token?: vscode.CancellationToken, progress?: (fraction: number, message: string) => void): Promise<AnalysisResult> {
    const id = this.nextId++;
    const w = this.ensure();
    return new Promise<AnalysisResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      token?.onCancellationRequested(() => {
        if (!this.pending.has(id)) return;
        w.postMessage({ type: 'cancel', id } satisfies ToWorker);
        // If the worker does not stop within a second (a tight loop), end it and start afresh next time.
        setTimeout(() => {
          if (this.pending.has(id)) {
            this.log.warn('worker did not stop on cancel; terminating it');
            const p = this.pending.get(id)!;
            this.pending.delete(id);
            const e = new Error('Canceled');
            e.name = 'Canceled';
            p.reject(e);
            if (this.worker === w) this.worker = undefined;
            void w.terminate();
          }
        }, 1000);
      });
      w.postMessage({ type: 'analyze', id, ...req } satisfies ToWorker);
    });
  }

  dispose(): void {
    this.failAll(new Error('Scaling Lens was deactivated.'));
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

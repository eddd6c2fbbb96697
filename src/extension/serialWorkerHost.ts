/**
 * A small worker thread of its own that answers one request at a time, each within a time budget.
 * A request that runs out has its worker replaced (a tight loop it cannot leave) and is answered
 * `timedOut`; the requests queued behind it go on in a fresh worker. A worker that dies under a
 * request (out of its bounded heap) answers that request `died`, and the rest go on. Config hovers
 * (configWorkerHost.ts) and the log index's detection (detectWorkerHost.ts) each own one, so neither
 * waits behind a long fit in the log worker (that one runs a request to its end before the next).
 * No `vscode` here (unit-tested in node).
 */
import { Worker } from 'node:worker_threads';

/** How a request ended: the worker's reply, or why there is none. */
export type SerialOutcome<Rep> = { reply: Rep } | { timedOut: true } | { died: true } | { disposed: true };

interface Queued<Req, Rep> { req: Req; resolve: (o: SerialOutcome<Rep>) => void }

export class SerialWorkerHost<Req extends { id: number }, Rep extends { id: number }> {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly queue: Array<Queued<Req, Rep>> = [];
  private current: (Queued<Req, Rep> & { timer: NodeJS.Timeout; worker: Worker }) | undefined;
  private disposed = false;

  /**
   * `script`: the worker's file (next to the extension's bundle); `budgetMs`: the time one request
   * may take; `heapMb`: the worker's heap bound (an expansion the readers' budgets missed ends this
   * worker, not the editor).
   */
  constructor(private readonly script: string, private readonly budgetMs: number, private readonly heapMb = 512) {}

  /** Queues the request `make(id)` builds; resolves when the worker answers it, or with why not. */
  request(make: (id: number) => Req): Promise<SerialOutcome<Rep>> {
    if (this.disposed) return Promise.resolve({ disposed: true });
    return new Promise<SerialOutcome<Rep>>((resolve) => {
      this.queue.push({ req: make(this.nextId++), resolve });
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
      next.resolve({ timedOut: true });
      this.pump();
    }, this.budgetMs);
    this.current = { ...next, timer, worker: w };
    w.postMessage(next.req);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    w.on('message', (m: Rep) => {
      const c = this.current;
      if (!c || c.req.id !== m.id) return;
      clearTimeout(c.timer);
      this.current = undefined;
      c.resolve({ reply: m });
      this.pump();
    });
    w.on('error', () => { /* reported by 'exit' */ });
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      const c = this.current;
      if (!c || c.worker !== w) return;
      // The worker died under this request (out of memory): it gets no reply; the rest go on.
      clearTimeout(c.timer);
      this.current = undefined;
      c.resolve({ died: true });
      this.pump();
    });
    this.worker = w;
    return w;
  }

  dispose(): void {
    this.disposed = true;
    if (this.current) { clearTimeout(this.current.timer); this.current.resolve({ disposed: true }); this.current = undefined; }
    for (const q of this.queue.splice(0)) q.resolve({ disposed: true });
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

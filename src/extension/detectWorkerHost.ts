/**
 * The log index's detection off the extension host's thread, in a small worker of its own
 * (dist/detectWorker.js). It had been asked of the log worker, which runs one analysis to its end
 * before the next request: while a long fit ran (a sweep of 150,000 rows, a big log), a log created
 * or opened meanwhile got no "Fit Scaling Law" menu until the fit ended. Files are judged in batches,
 * each within a time budget; a batch that runs out is judged again file by file, and a file that
 * runs out alone is not taken for a log. No `vscode` here (unit-tested in node).
 */
import { SerialWorkerHost } from './serialWorkerHost';

export interface DetectRequest { id: number; files: string[] }
export interface DetectReply { id: number; logs: string[]; error?: string }

/** Files a request judges (a workspace scan sends up to 5,000). */
export const DETECT_BATCH = 64;
/**
 * Time one batch may take. A head is read in milliseconds; a text log's head is read to megabytes
 * past a long preamble, and 64 of them on a machine busy with a fit take seconds, not this.
 */
export const DETECT_BUDGET_MS = 20_000;

export class DetectWorkerHost {
  private readonly host: SerialWorkerHost<DetectRequest, DetectReply>;

  /** `script`: dist/detectWorker.js next to the extension's bundle; `budgetMs` per batch. */
  constructor(script: string, private readonly budgetMs = DETECT_BUDGET_MS, private readonly warn: (message: string) => void = () => {}) {
    this.host = new SerialWorkerHost(script, budgetMs);
  }

  /** The logs among `files`, in their order. */
  async detect(files: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < files.length; i += DETECT_BATCH) out.push(...(await this.batch(files.slice(i, i + DETECT_BATCH))));
    return out;
  }

  private async batch(files: string[]): Promise<string[]> {
    const o = await this.host.request((id) => ({ id, files }));
    if ('reply' in o) {
      if (o.reply.error) throw new Error(o.reply.error);
      return o.reply.logs;
    }
    if ('disposed' in o) return [];
    // Out of time (or the worker died): one file may be to blame; each is judged alone.
    if (files.length > 1) {
      const out: string[] = [];
      for (const f of files) out.push(...(await this.batch([f])));
      return out;
    }
    this.warn(`${files[0]}: not judged as a log (its detection ${'timedOut' in o ? `took over ${this.budgetMs / 1000} s` : 'ended its worker'})`);
    return [];
  }

  dispose(): void {
    this.host.dispose();
  }
}

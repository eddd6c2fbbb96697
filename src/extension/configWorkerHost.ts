/**
 * Config analysis off the extension host's thread (issue 10): hovers, code actions and diagnostics
 * on training configs ask a small worker thread of their own (dist/configWorker.js), not the log
 * worker, so a hover never waits behind a long fit. Each request has a time budget; a request that
 * runs out (a config built to be slow) has its worker replaced and answers `timedOut`, and the
 * requests queued behind it go on in the new worker. No `vscode` here (unit-tested in node).
 */
import type { AnalyzeOptions, ConfigAnalysis } from '../core/config';
import { SerialWorkerHost } from './serialWorkerHost';

export interface ConfigRequest { id: number; text: string; file: string; options: AnalyzeOptions }
export interface ConfigReply { id: number; analysis: ConfigAnalysis | undefined; error?: string }
/** What a request gives: the analysis (undefined: not a config), or that it ran out of time. */
export interface ConfigResult { analysis: ConfigAnalysis | undefined; timedOut?: boolean }

/**
 * Time one config may take in the worker. Configs are a few KB and take milliseconds; a 250 KB YAML
 * takes 0.3 s alone and over 3 s on a machine busy with other work, which must not count as stuck.
 */
export const CONFIG_BUDGET_MS = 8000;

/** The config worker: one request at a time, each within its budget (serialWorkerHost.ts). */
export class ConfigWorkerHost {
  private readonly host: SerialWorkerHost<ConfigRequest, ConfigReply>;

  /** `script`: the worker's file (dist/configWorker.js next to the extension's bundle). */
  constructor(script: string, budgetMs = CONFIG_BUDGET_MS) {
    this.host = new SerialWorkerHost(script, budgetMs);
  }

  async analyze(text: string, file: string, options: AnalyzeOptions): Promise<ConfigResult> {
    const o = await this.host.request((id) => ({ id, text, file, options }));
    // (A worker that died under the request, out of its heap, counts as out of time too.)
    return 'reply' in o ? { analysis: o.reply.analysis } : 'disposed' in o ? { analysis: undefined } : { analysis: undefined, timedOut: true };
  }

  dispose(): void {
    this.host.dispose();
  }
}

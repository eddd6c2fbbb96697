import * as vscode from 'vscode';
import * as path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { ViewOptions } from '../protocol';
import { sanitizeOptions } from '../protocol';
import { isCancelled } from '../core/cancel';
import { WorkerHost, type AnalysisResult } from './workerHost';
import { analysisOptions, initialViewOptions, readSettings } from './settings';
import { MaxWaitDebounce } from '../core/debounce';
import { notificationSafe } from '../core/escape';
import type { TrainLaw } from '../core/evals/entry';
import { withLateNotification, type ProgressStep } from './progress';

export interface AnalysisEvent {
  uri: vscode.Uri;
  result: AnalysisResult;
}

/**
 * Runs analyses of log files on the worker and keeps, per file, the chart options and the last
 * result. Panels, the side view, the status bar and diagnostics listen to its events. Live: a watched
 * file that changes is refitted after a quiet period, and at least every `live.refitMaxWaitMs` while
 * it keeps changing (a run appending every second).
 */
export class Analyses implements vscode.Disposable {
  private readonly options = new Map<string, ViewOptions>();
  private readonly results = new Map<string, AnalysisResult>();
  private readonly inFlight = new Map<string, vscode.CancellationTokenSource>();
  private readonly running = new Map<string, Promise<AnalysisResult | undefined>>();
  private readonly watchers = new Map<string, { watcher: vscode.FileSystemWatcher; refs: number; refit: MaxWaitDebounce }>();
  private readonly didAnalyze = new vscode.EventEmitter<AnalysisEvent>();
  private readonly didFail = new vscode.EventEmitter<{ uri: vscode.Uri; message: string; cancelled?: boolean }>();
  private readonly didStart = new vscode.EventEmitter<vscode.Uri>();
  private readonly didForget = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidAnalyze = this.didAnalyze.event;
  readonly onDidFail = this.didFail.event;
  readonly onDidStart = this.didStart.event;
  readonly onDidForget = this.didForget.event;

  /**
   * `trainLaw`: the law a thinking-budget table's comparison takes the compute-optimal training tokens
   * from when the table has none (the workspace's fitted law when `scalingLens.prediction.law` asks for it).
   */
  constructor(private readonly worker: WorkerHost, private readonly log: vscode.LogOutputChannel, private readonly trainLaw: () => TrainLaw | undefined = () => undefined) {}

  optionsFor(uri: vscode.Uri): ViewOptions {
    let o = this.options.get(uri.fsPath);
    if (!o) {
      o = initialViewOptions(readSettings(uri));
      this.options.set(uri.fsPath, o);
    }
    return o;
  }

  setOptions(uri: vscode.Uri, change: Partial<ViewOptions>): ViewOptions {
    const o = sanitizeOptions(change, this.optionsFor(uri));
    this.options.set(uri.fsPath, o);
    return o;
  }

  /** Whether an analysis of `uri` is under way. */
  isRunning(uri: vscode.Uri): boolean {
    return this.running.has(uri.fsPath);
  }

  last(uri: vscode.Uri): AnalysisResult | undefined {
    return this.results.get(uri.fsPath);
  }

  /**
   * The last result for `uri`, else the run already under way, else a new background run: for the
   * views that only need *a* result (status bar, diagnostics, side view), so opening a log starts
   * one analysis, not one per listener.
   */
  ensure(uri: vscode.Uri): Promise<AnalysisResult | undefined> {
    const last = this.results.get(uri.fsPath);
    if (last) return Promise.resolve(last);
    return this.running.get(uri.fsPath) ?? this.run(uri, false);
  }

  /**
   * Parse and fit `uri` on the worker. Interactive runs show a cancellable progress notification and
   * report errors in a message; background runs (live refits, the side view) show progress in the
   * status bar. A newer run of the same file cancels the older one.
   */
  run(uri: vscode.Uri, interactive: boolean): Promise<AnalysisResult | undefined> {
    const p = this.runNow(uri, interactive);
    this.running.set(uri.fsPath, p);
    void p.finally(() => { if (this.running.get(uri.fsPath) === p) this.running.delete(uri.fsPath); });
    return p;
  }

  private async runNow(uri: vscode.Uri, interactive: boolean): Promise<AnalysisResult | undefined> {
    this.inFlight.get(uri.fsPath)?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.inFlight.set(uri.fsPath, cts);
    const name = path.basename(uri.fsPath);
    this.didStart.fire(uri);
    const settings = readSettings(uri);
    const work = async (progress: vscode.Progress<ProgressStep>) => {
      let reported = 0;
      return this.worker.analyze(
        { file: uri.fsPath, options: analysisOptions(settings, this.optionsFor(uri)), roleOverrides: settings.columnRoles, evalRoleOverrides: settings.evalColumnRoles, trainLaw: this.trainLaw() },
        cts.token,
        (fraction, message) => {
          const pct = Math.round(fraction * 100);
          progress.report({ message, increment: Math.max(0, pct - reported) });
          reported = Math.max(reported, pct);
        },
      );
    };
    try {
      const result = await withLateNotification(interactive ? notificationSafe(`Scaling Lens: ${name}`) : `Scaling Lens: ${name}`,
        (p, token) => { token.onCancellationRequested(() => cts.cancel()); return work(p); }, { notify: interactive });
      if (this.inFlight.get(uri.fsPath) !== cts) return undefined; // superseded by a newer run
      this.results.set(uri.fsPath, result);
      this.options.set(uri.fsPath, result.state.options);
      this.didAnalyze.fire({ uri, result });
      return result;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (isCancelled(err)) {
        if (this.inFlight.get(uri.fsPath) === cts) {
          this.didFail.fire({ uri, message: `Analysis of ${name} was cancelled. Run "Fit Scaling Law" to start it again.`, cancelled: true });
          if (interactive) void vscode.window.showInformationMessage(notificationSafe(`Scaling Lens: analysis of ${name} was cancelled.`));
        }
        return undefined;
      }
      const message = err.message.includes(name) ? err.message : `${name}: ${err.message}`;
      this.log.error(`analysis of ${uri.fsPath} failed: ${err.message}`);
      this.didFail.fire({ uri, message });
      // File names and messages from files: a name like `[x](command:…)` must not become a link.
      if (interactive) void vscode.window.showErrorMessage(notificationSafe(`Scaling Lens: ${message}`));
      return undefined;
    } finally {
      if (this.inFlight.get(uri.fsPath) === cts) this.inFlight.delete(uri.fsPath);
      cts.dispose();
    }
  }

  /** Refit `uri` whenever it changes on disk, until the returned disposable is disposed. */
  watch(uri: vscode.Uri): vscode.Disposable {
    const key = uri.fsPath;
    let w = this.watchers.get(key);
    if (!w) {
      // A run folder (TensorBoard, MLflow, W&B) changes inside: watch what is under it.
      const isDir = (() => { try { return statSync(key).isDirectory(); } catch { return false; } })();
      const pattern = isDir ? new vscode.RelativePattern(uri, '**/*') : new vscode.RelativePattern(vscode.Uri.file(path.dirname(key)), path.basename(key));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const refit = new MaxWaitDebounce(() => void this.run(uri, false), () => {
        const s = readSettings(uri);
        return { delayMs: s.refitDelayMs, maxWaitMs: s.refitMaxWaitMs };
      });
      const entry = { watcher, refs: 0, refit };
      const schedule = () => refit.poke();
      watcher.onDidChange(schedule);
      watcher.onDidCreate(schedule);
      watcher.onDidDelete(() => { if (!isDir || !existsSync(key)) this.forget(uri); else schedule(); });
      w = entry;
      this.watchers.set(key, w);
    }
    w.refs++;
    return new vscode.Disposable(() => {
      const e = this.watchers.get(key);
      if (!e) return;
      if (--e.refs <= 0) {
        e.refit.cancel();
        e.watcher.dispose();
        this.watchers.delete(key);
      }
    });
  }

  forget(uri: vscode.Uri): void {
    // Cancel silently: the file is gone, so there is nothing to report as cancelled.
    const running = this.inFlight.get(uri.fsPath);
    this.inFlight.delete(uri.fsPath);
    running?.cancel();
    this.results.delete(uri.fsPath);
    this.didForget.fire(uri);
  }

  dispose(): void {
    for (const c of this.inFlight.values()) c.cancel();
    for (const w of this.watchers.values()) {
      w.refit.cancel();
      w.watcher.dispose();
    }
    this.watchers.clear();
    this.didAnalyze.dispose();
    this.didFail.dispose();
    this.didStart.dispose();
    this.didForget.dispose();
  }
}

/**
 * The compare chart (several runs on one chart) and the fit across runs (the runs' sweep, fitted and
 * drawn by the chart panel's own app). Thin glue: the curves, fits and the sweep come from the
 * worker (src/core/runs); the webviews draw them.
 */
import * as vscode from 'vscode';
import { withLateNotification } from './progress';
import * as path from 'node:path';
import { parseSavedState, type FromWebview, type LawChoice, type LogState, type ToCompareWebview, type ToWebview, type ViewOptions, type ViewState } from '../protocol';
import { DEFAULT_VIEW_OPTIONS, sanitizeOptions } from '../protocol';
import type { RunInfo } from '../core/runs/types';
// Not the runs index nor sweep.ts: those load the readers (CSV, YAML, TOML) into the host at activation.
import { rowAtLine, savedRuns } from '../core/runs/saved';
import type { RunsFit, RunsLaw } from '../core/runs/fit';
import type { WorkerHost } from './workerHost';
import { isCancelled } from '../core/cancel';
import { PanelHost, panelOptions, registerRestorer, type RenderReport } from './webviewHost';
import { paramsFor } from '../core/fit/types';
import { readSettings } from './settings';
import { notificationSafe } from '../core/escape';
import { plural } from '../core/format';

export const COMPARE_VIEW_TYPE = 'scalingLens.compare';
export const RUNS_FIT_VIEW_TYPE = 'scalingLens.runsFit';

async function revealRun(runs: RunInfo[], rel: string): Promise<void> {
  const r = runs.find((x) => x.rel === rel);
  if (r) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.path));
}

function runsTitle(runs: RunInfo[], what: string): string {
  const groups = [...new Set(runs.map((r) => r.group))];
  return `${what}: ${plural(runs.length, 'run')}${groups.length === 1 && groups[0] !== '.' ? ` in ${groups[0]}` : ''}`;
}

/** Several runs' loss curves on one chart. */
class ComparePanel extends PanelHost<ToCompareWebview> {
  private cts: vscode.CancellationTokenSource | undefined;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly worker: WorkerHost, public runs: RunInfo[]) {
    super(panel, extensionUri, 'compare', runs.length ? runsTitle(runs, 'Compare') : 'Compare runs');
  }

  /** Reads the runs' curves (in the worker) and draws them; `interactive`: with a cancellable notification. */
  async load(interactive = true): Promise<void> {
    this.cts?.cancel();
    const cts = (this.cts = new vscode.CancellationTokenSource());
    this.panel.title = runsTitle(this.runs, 'Compare');
    this.persist({ runs: this.runs.map((r) => r.log) });
    this.post({ type: 'busy', message: `Reading ${this.runs.length} run logs…` });
    try {
      const title = `Scaling Lens: reading ${this.runs.length} runs`;
      const data = await withLateNotification(title, (progress, token) => {
        token.onCancellationRequested(() => cts.cancel());
        return this.worker.runs({ type: 'runs.curves', runs: this.runs }, cts.token, (f, message) => progress.report({ message }));
      }, { notify: interactive });
      if (this.cts !== cts) return;
      this.post({ type: 'compare', state: { title: runsTitle(this.runs, 'Loss curves'), data } });
    } catch (e) {
      const err = e as Error;
      if (this.cts !== cts) return;
      this.post(isCancelled(err) ? { type: 'empty', message: 'Reading the runs was cancelled.' } : { type: 'error', message: err.message });
    }
  }

  /** A message in place of the chart (a restored panel whose runs are gone). */
  say(message: string, error = false): void {
    this.post(error ? { type: 'error', message } : { type: 'empty', message });
  }

  protected exportName(): string {
    return 'runs-compare';
  }

  protected async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'compareFit': {
        const s = readSettings();
        try {
          const fits = await withLateNotification(`Scaling Lens: fitting ${this.runs.length} runs`,
            (_p, token) => this.worker.runs({ type: 'runs.fitEach', runs: this.runs, axis: m.axis, options: { warmupPercent: s.warmupPercent, seed: s.seed, skipEarlyPlateau: s.skipEarlyPlateau } }, token));
          this.post({ type: 'compareFits', axis: m.axis, fits });
        } catch (e) {
          if (!isCancelled(e)) throw e;
          this.post({ type: 'compareFits', axis: m.axis, fits: this.runs.map((r) => ({ rel: r.rel, error: 'cancelled' })) });
        }
        return;
      }
      case 'compareReveal':
        return revealRun(this.runs, m.rel);
      default:
        return super.onMessage(m);
    }
  }

  dispose(): void {
    this.cts?.cancel();
    super.dispose();
  }
}

/** The runs' sweep, fitted: the chart panel's own app on the analysis of the assembled table. */
class RunsFitPanel extends PanelHost<ToWebview> {
  private options: ViewOptions;
  private fit: RunsFit | undefined;
  private cts: vscode.CancellationTokenSource | undefined;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly worker: WorkerHost, public runs: RunInfo[], budget: number) {
    super(panel, extensionUri, 'panel', runs.length ? runsTitle(runs, 'Fit across runs') : 'Fit across runs');
    const cfg = vscode.workspace.getConfiguration('scalingLens');
    const law = cfg.get<LawChoice>('fit.defaultLaw', 'auto');
    this.options = { ...DEFAULT_VIEW_OPTIONS, logScale: cfg.get('chart.logScale', true), budget, law: law === 'run' ? 'auto' : law };
  }

  async load(interactive: boolean): Promise<void> {
    this.cts?.cancel();
    const cts = (this.cts = new vscode.CancellationTokenSource());
    this.panel.title = runsTitle(this.runs, 'Fit across runs');
    this.persist({ runs: this.runs.map((r) => r.log), budget: this.options.budget > 0 ? this.options.budget : undefined });
    this.post({ type: 'busy', message: `Fitting across ${this.runs.length} runs…` });
    const s = readSettings();
    const points = vscode.workspace.getConfiguration('scalingLens').get<'final' | 'curves'>('runs.points', 'final');
    const law: RunsLaw = this.options.law === 'run' || this.options.law === 'passk' || this.options.law === 'budget' ? 'auto' : this.options.law;
    const work = (token: vscode.CancellationToken) => {
      token.onCancellationRequested(() => cts.cancel());
      return this.worker.runs({
        type: 'runs.fit', runs: this.runs,
        options: {
          law, points, name: `Sweep of ${this.runs.filter((r) => r.usable).length} usable of ${this.runs.length} runs`, budget: this.options.budget, xKind: this.options.xKind, logScale: this.options.logScale,
          bootstrap: s.bootstrap, seed: s.seed, referenceRatio: s.referenceRatio, warnBelow: s.warnBelow, warnAbove: s.warnAbove,
        },
      }, cts.token);
    };
    try {
      const fit = interactive
        ? await withLateNotification(`Scaling Lens: fitting across ${this.runs.length} runs`, (_p, t) => work(t))
        : await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Scaling Lens: fit across runs' }, () => work(cts.token));
      if (this.cts !== cts) return;
      this.fit = fit;
      this.options = fit.state.options;
      this.post({ type: 'state', state: this.decorate(fit) });
    } catch (e) {
      const err = e as Error;
      if (this.cts !== cts) return;
      this.post(isCancelled(err) ? { type: 'empty', message: 'The fit across runs was cancelled.' } : { type: 'error', message: err.message });
    }
  }

  /** The analysis as the panel shows it, with the runs left out and the assembly notes as its problems. */
  private decorate(fit: RunsFit): LogState {
    // The sweep is assembled from run folders (an in-memory table, not a CSV file the user has).
    const state = { ...fit.state, format: 'run folders' };
    const iso = fit.isoflop?.fit && paramsFor(fit.isoflop.fit, 'isoflop');
    const notes = [...fit.problems, ...(iso ? [`Budgets repeat: the isoFLOP fit (Approach 2) of the same runs gives N_opt ∝ C^${iso.a.toFixed(3)}, D_opt ∝ C^${iso.b.toFixed(3)} (choose "isoFLOP" in Law to see it).`] : [])];
    state.problems = [...notes.map((message) => ({ line: 0, severity: 'info' as const, message })), ...state.problems];
    state.problemCount = state.problems.length;
    state.configNote = `${plural(fit.sweep.rows.length, 'point')} from ${new Set(fit.sweep.rows.map((r) => r.run)).size} runs; model sizes from each run's config, tokens and final losses from its log. Export CSV saves this table with each row's source.`;
    return state;
  }

  protected async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'setOptions':
        this.options = sanitizeOptions(m.options, this.options);
        return this.load(false);
      case 'exportCsv': {
        if (!this.fit) return;
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const target = await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.joinPath(folder, 'runs-sweep.csv') : undefined, filters: { CSV: ['csv'] }, title: 'Export the runs\' sweep as CSV',
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, Buffer.from((await import('../core/runs/sweep')).sweepCsv(this.fit.sweep.rows), 'utf8'));
        void vscode.window.showInformationMessage(notificationSafe(`Scaling Lens: ${this.fit.sweep.rows.length} rows saved to ${path.basename(target.fsPath)}.`));
        return;
      }
      case 'revealLine': {
        // A row of the sweep: open its run's log at the point's line.
        const row = this.fit ? rowAtLine(this.fit.sweep.rows, m.line) : undefined;
        if (!row) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(row.source));
        const pos = new vscode.Position(Math.max(0, row.line - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
        return;
      }
      default:
        return super.onMessage(m);
    }
  }

  say(message: string, error = false): void {
    this.post(error ? { type: 'error', message } : { type: 'empty', message });
  }

  protected report(): ViewState | undefined {
    return this.fit?.state;
  }

  protected exportName(): string {
    return 'runs-sweep';
  }

  dispose(): void {
    this.cts?.cancel();
    super.dispose();
  }
}

/** Opens the compare and fit-across-runs panels (one of each, reused). */
export class RunsPanels implements vscode.Disposable {
  private compare: ComparePanel | undefined;
  private fit: RunsFitPanel | undefined;

  /** `findRuns`: the runs of the workspace now (the Runs view's discovery), for restoring panels. */
  constructor(private readonly extensionUri: vscode.Uri, private readonly worker: WorkerHost, private readonly findRuns: () => Promise<RunInfo[]>) {}

  showCompare(runs: RunInfo[]): void {
    if (this.compare) {
      this.compare.runs = runs;
      this.compare.panel.reveal(undefined, false);
    } else {
      this.adoptCompare(vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, runsTitle(runs, 'Compare'), { viewColumn: vscode.ViewColumn.Beside }, panelOptions(this.extensionUri)), runs);
    }
    void this.compare?.load();
  }

  showFit(runs: RunInfo[], budget = 0): void {
    if (this.fit) {
      this.fit.runs = runs;
      this.fit.panel.reveal(undefined, false);
    } else {
      this.adoptFit(vscode.window.createWebviewPanel(RUNS_FIT_VIEW_TYPE, runsTitle(runs, 'Fit across runs'), { viewColumn: vscode.ViewColumn.Beside }, panelOptions(this.extensionUri)), runs, budget);
    }
    void this.fit?.load(true);
  }

  private adoptCompare(panel: vscode.WebviewPanel, runs: RunInfo[]): ComparePanel {
    const p = (this.compare = new ComparePanel(panel, this.extensionUri, this.worker, runs));
    p.disposed.event(() => { if (this.compare === p) this.compare = undefined; });
    return p;
  }

  private adoptFit(panel: vscode.WebviewPanel, runs: RunInfo[], budget: number): RunsFitPanel {
    const p = (this.fit = new RunsFitPanel(panel, this.extensionUri, this.worker, runs, budget));
    p.disposed.event(() => { if (this.fit === p) this.fit = undefined; });
    return p;
  }

  /**
   * After a window reload: the panel comes back at once (its runs are found again in the workspace
   * meanwhile), then reads or fits the runs it showed that are still there.
   */
  private async restore(kind: 'compare' | 'fit', panel: vscode.WebviewPanel, raw: unknown): Promise<boolean> {
    const saved = parseSavedState(raw);
    if (!saved.runs || (kind === 'compare' ? this.compare : this.fit)) return false;
    const p = kind === 'compare' ? this.adoptCompare(panel, []) : this.adoptFit(panel, [], saved.budget ?? 0);
    p.say(`Finding the ${saved.runs.length} runs this chart showed…`);
    void this.findRuns().then((known) => {
      if (p.panel !== (kind === 'compare' ? this.compare : this.fit)?.panel) return;
      const runs = savedRuns(saved.runs ?? [], known);
      if (runs.length === 0) {
        p.say(`None of the ${saved.runs?.length} runs this chart showed is in the workspace any more (a run is found by its log file).`);
        return;
      }
      p.runs = runs;
      void p.load(false);
    }, (e: unknown) => p.say(`Finding the runs failed: ${e instanceof Error ? e.message : String(e)}`, true));
    return true;
  }

  /** Restores the compare and fit-across panels after a window reload. */
  registerSerializers(log?: (msg: string) => void): vscode.Disposable {
    return vscode.Disposable.from(
      registerRestorer(COMPARE_VIEW_TYPE, (panel, state) => this.restore('compare', panel, state), log),
      registerRestorer(RUNS_FIT_VIEW_TYPE, (panel, state) => this.restore('fit', panel, state), log),
    );
  }

  describe(): { compare?: { runs: string[]; render?: RenderReport }; fit?: { runs: string[]; render?: RenderReport } } {
    return {
      compare: this.compare && { runs: this.compare.runs.map((r) => r.rel), render: this.compare.lastRender },
      fit: this.fit && { runs: this.fit.runs.map((r) => r.rel), render: this.fit.lastRender },
    };
  }

  dispose(): void {
    this.compare?.panel.dispose();
    this.fit?.panel.dispose();
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { sanitizeOptions, type AllocationState, type FromWebview, type ToWebview, type ViewState } from '../protocol';
import { allocationState } from '../core/allocationView';
import type { ChinchillaParams } from '../core/fit/laws';
import { isCancelled } from '../core/cancel';
import { PanelHost, panelOptions } from './webviewHost';
import { analysisOptions, initialViewOptions, readSettings } from './settings';
import type { WorkerHost } from './workerHost';
import type { LogIndex } from './logIndex';

/** What the allocation view needs to compare a thinking-budget table: the worker and the known logs. */
export interface AllocationDeps {
  worker: WorkerHost;
  index: LogIndex;
}

/** Tables that can hold a thinking-budget sweep. */
const TABLE_NAME = /\.(csv|tsv|jsonl|ndjson)$/i;

const TITLE = 'Scaling Lens — Compute-optimal';

/** The compute-optimal model for a FLOP budget, drawn by the chart panel's app. */
class AllocationHost extends PanelHost<ToWebview> {
  private thinking: vscode.CancellationTokenSource | undefined;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, public state: AllocationState, private readonly deps: AllocationDeps) {
    super(panel, extensionUri, 'panel', TITLE);
    this.show(state);
  }

  show(state: AllocationState): void {
    this.state = state;
    this.post({ type: 'state', state });
  }

  protected report(): ViewState {
    return this.state;
  }

  protected exportName(): string {
    return 'compute-optimal';
  }

  protected async onMessage(m: FromWebview): Promise<void> {
    if (m.type === 'chooseThinkingTable') return this.chooseThinkingTable();
    if (m.type !== 'setOptions') return super.onMessage(m);
    const s = this.state;
    const options = sanitizeOptions(m.options, s.options);
    if (!(options.budget > 0)) options.budget = s.budget;
    const next = allocationState(s.law, s.lawSource, options.budget, options, s.current);
    next.thinkOrTrain = s.thinkOrTrain;
    this.show(next);
    const asked = (['targetAccuracy', 'queries', 'promptTokens'] as const).some((k) => options[k] !== s.options[k]);
    if (s.thinkOrTrain && asked) await this.compareThinking(s.thinkOrTrain.file);
  }

  /** Pick a thinking-budget table among the workspace's logs and compare its models here. */
  private async chooseThinkingTable(): Promise<void> {
    const items = this.deps.index.all().filter((u) => TABLE_NAME.test(u.fsPath))
      .map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), uri: u }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('Scaling Lens: no tables in this workspace. A thinking-budget table has a model, its parameters, thinking tokens per query and accuracy.');
      return;
    }
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Train bigger or think longer: a thinking-budget table',
      placeHolder: 'A table of models, their parameters, thinking tokens per query and accuracy', matchOnDescription: true,
    });
    if (pick) await this.compareThinking(pick.uri.fsPath);
  }

  /**
   * The table's models compared (in the worker) at this view's target accuracy and query count, with
   * this view's law giving the compute-optimal training tokens the table does not say.
   */
  private async compareThinking(file: string): Promise<void> {
    this.thinking?.cancel();
    const cts = (this.thinking = new vscode.CancellationTokenSource());
    const s = this.state;
    const name = path.basename(file);
    const settings = readSettings(vscode.Uri.file(file));
    this.post({ type: 'busy', message: `Comparing the models of ${name}…` });
    let t: NonNullable<AllocationState['thinkOrTrain']>;
    try {
      const view = { ...initialViewOptions(settings), law: 'budget' as const, targetAccuracy: s.options.targetAccuracy, queries: s.options.queries, promptTokens: s.options.promptTokens };
      const r = await this.deps.worker.analyze({
        file, options: analysisOptions(settings, view), roleOverrides: settings.columnRoles, evalRoleOverrides: settings.evalColumnRoles,
        trainLaw: { law: s.law, source: s.lawSource },
      }, cts.token);
      const b = r.state.evals?.budget;
      t = { file, name, compare: b?.compare, error: b?.compare ? undefined : (b?.compareError ?? r.state.fitError ?? `${name} is not a thinking-budget table`) };
    } catch (e) {
      if (isCancelled(e) || cts.token.isCancellationRequested) return;
      t = { file, name, error: e instanceof Error ? e.message : String(e) };
    }
    if (this.thinking !== cts) return;
    this.show({ ...this.state, thinkOrTrain: t });
  }

  dispose(): void {
    this.thinking?.cancel();
    super.dispose();
  }
}

/** The panel's allocation view: one at a time, reused. */
export class AllocationPanel implements vscode.Disposable {
  private host: AllocationHost | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly deps: AllocationDeps) {}

  show(law: ChinchillaParams, lawSource: string, budget: number, current?: { N: number; D: number; source: string }): AllocationState {
    const state = allocationState(law, lawSource, budget, { ...initialViewOptions(readSettings()), budget }, current);
    if (this.host) {
      this.host.panel.reveal(undefined, false);
      this.host.show(state);
    } else {
      const panel = vscode.window.createWebviewPanel('scalingLens.allocation', TITLE, vscode.ViewColumn.Beside, panelOptions(this.extensionUri));
      const host = (this.host = new AllocationHost(panel, this.extensionUri, state, this.deps));
      host.disposed.event(() => { if (this.host === host) this.host = undefined; });
    }
    return state;
  }

  dispose(): void {
    this.host?.panel.dispose();
  }
}

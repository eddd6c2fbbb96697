import * as vscode from 'vscode';
import * as path from 'node:path';
import type { FromWebview, ToWebview, ViewState } from '../protocol';
import type { Analyses } from './analysis';
import type { LogIndex } from './logIndex';
import { WebviewHost, type RenderReport } from './webviewHost';

export const SIDE_VIEW_ID = 'scalingLens.view';

/**
 * The side-panel view: follows the active editor's log (compact chart and key numbers, a button to
 * open the full panel) and replays its last state whenever it becomes visible again.
 */
export class SideView extends WebviewHost<ToWebview> implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private current: vscode.Uri | undefined;
  private watch: vscode.Disposable | undefined;

  constructor(
    extensionUri: vscode.Uri,
    private readonly analyses: Analyses,
    private readonly index: LogIndex,
    private readonly openPanel: (uri: vscode.Uri) => void,
  ) {
    super(extensionUri, 'sideview');
    this.post({ type: 'empty', message: 'Open a training log (CSV, JSONL, trainer_state.json or a trainer\'s stdout) to see its scaling fit here.' });
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.follow()),
      index.onDidChange(() => this.follow()),
      analyses.onDidAnalyze((e) => { if (e.uri.fsPath === this.current?.fsPath) this.post({ type: 'state', state: e.result.state }); }),
      analyses.onDidFail((e) => {
        if (e.uri.fsPath !== this.current?.fsPath || (e.cancelled && analyses.last(e.uri))) return;
        this.post(e.cancelled ? { type: 'empty', message: e.message } : { type: 'error', message: e.message });
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.attach(view.webview, 'Scaling Lens');
    // Not kept while hidden: the view's document goes away and says "ready" again when shown.
    view.onDidChangeVisibility(() => { if (view.visible) this.follow(); else this.detach(); });
    view.onDidDispose(() => { if (this.view === view) { this.view = undefined; this.detach(); } });
  }

  protected onReady(): void {
    this.follow();
  }

  protected report(): ViewState | undefined {
    return this.current ? this.analyses.last(this.current)?.state : undefined;
  }

  protected exportName(): string {
    return this.current ? path.basename(this.current.fsPath) : 'scaling';
  }

  protected async onMessage(m: FromWebview): Promise<void> {
    if (m.type === 'openPanel') {
      if (this.current) this.openPanel(this.current);
      return;
    }
    return super.onMessage(m);
  }

  /**
   * Track the active editor: a log becomes the view's subject; anything else leaves it as it was.
   * `explicit`: a log with no editor (a run folder fitted from the explorer) becomes the subject.
   */
  follow(explicit?: vscode.Uri): void {
    const u = explicit ?? vscode.window.activeTextEditor?.document.uri;
    if (!u || (!explicit && !this.index.has(u))) return;
    if (u.fsPath !== this.current?.fsPath) {
      this.current = u;
      this.watch?.dispose();
      this.watch = this.analyses.watch(u);
      const last = this.analyses.last(u);
      this.post(last ? { type: 'state', state: last.state } : { type: 'busy', message: `Reading ${path.basename(u.fsPath)}…` });
      if (!last && this.view?.visible) void this.analyses.ensure(u);
    } else if (!this.analyses.last(u) && this.view?.visible) {
      void this.analyses.ensure(u);
    }
  }

  describe(): { file?: string; render?: RenderReport } {
    return { file: this.current?.fsPath, render: this.lastRender };
  }

  dispose(): void {
    this.watch?.dispose();
    super.dispose();
  }
}

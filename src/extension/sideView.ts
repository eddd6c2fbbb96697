import * as vscode from 'vscode';
import * as path from 'node:path';
import { isFromWebview, type ToWebview } from '../protocol';
import type { Analyses } from './analysis';
import type { LogIndex } from './logIndex';
import { buildHtml, webviewOptions } from './webviewHtml';
import { handleCommonMessage, type RenderReport } from './panel';

export const SIDE_VIEW_ID = 'scalingLens.view';

/**
 * The side-panel view: follows the active editor's log (compact chart and key numbers, a button to
 * open the full panel) and replays its last state whenever it becomes visible again.
 */
export class SideView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private current: vscode.Uri | undefined;
  private last: ToWebview = { type: 'empty', message: 'Open a training log (CSV, JSONL, trainer_state.json or a trainer\'s stdout) to see its scaling fit here.' };
  private readonly disposables: vscode.Disposable[] = [];
  private watch: vscode.Disposable | undefined;
  lastRender: RenderReport | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analyses: Analyses,
    private readonly index: LogIndex,
    private readonly openPanel: (uri: vscode.Uri) => void,
  ) {
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
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = buildHtml(view.webview, this.extensionUri, 'sideview', 'Scaling Lens');
    view.onDidChangeVisibility(() => { if (view.visible) { void view.webview.postMessage(this.last); this.follow(); } });
    view.onDidDispose(() => { this.view = undefined; });
    view.webview.onDidReceiveMessage(async (m: unknown) => {
      if (!isFromWebview(m)) return;
      const state = this.current ? this.analyses.last(this.current)?.state : undefined;
      if (await handleCommonMessage(m, state, this.current ? path.basename(this.current.fsPath) : 'scaling')) return;
      if (m.type === 'ready') {
        void view.webview.postMessage(this.last);
        this.follow();
      } else if (m.type === 'openPanel' && this.current) {
        this.openPanel(this.current);
      } else if (m.type === 'rendered') {
        this.lastRender = { canvasPainted: m.canvasPainted, summary: m.summary, xKind: m.xKind, logScale: m.logScale, at: Date.now() };
      }
    });
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

  private post(m: ToWebview): void {
    this.last = m;
    if (this.view?.visible) void this.view.webview.postMessage(m);
  }

  describe(): { file?: string; render?: RenderReport } {
    return { file: this.current?.fsPath, render: this.lastRender };
  }

  dispose(): void {
    this.watch?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

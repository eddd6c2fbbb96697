import * as vscode from 'vscode';
import { isFromWebview, sanitizeOptions, type AllocationState, type ToWebview } from '../protocol';
import { allocationState } from '../core/allocationView';
import type { ChinchillaParams } from '../core/fit/laws';
import { buildHtml, webviewOptions } from './webviewHtml';
import { handleCommonMessage } from './panel';
import { initialViewOptions, readSettings } from './settings';

/** The panel's allocation view: the compute-optimal model for a FLOP budget (one at a time). */
export class AllocationPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: AllocationState | undefined;
  private ready = false;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(law: ChinchillaParams, lawSource: string, budget: number, current?: { N: number; D: number; source: string }): AllocationState {
    this.state = allocationState(law, lawSource, budget, { ...initialViewOptions(readSettings()), budget }, current);
    if (!this.panel) {
      this.ready = false;
      this.panel = vscode.window.createWebviewPanel('scalingLens.allocation', 'Scaling Lens — Compute-optimal', vscode.ViewColumn.Beside,
        { ...webviewOptions(this.extensionUri), retainContextWhenHidden: true });
      this.panel.webview.html = buildHtml(this.panel.webview, this.extensionUri, 'panel', 'Scaling Lens — Compute-optimal');
      this.panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
      this.panel.onDidDispose(() => { this.panel = undefined; });
      this.panel.webview.onDidReceiveMessage(async (m: unknown) => {
        if (!isFromWebview(m)) return;
        if (await handleCommonMessage(m, this.state, 'compute-optimal')) return;
        if (m.type === 'ready') {
          this.ready = true;
          this.post();
        } else if (m.type === 'setOptions' && this.state) {
          const s = this.state;
          const options = sanitizeOptions(m.options, s.options);
          if (!(options.budget > 0)) options.budget = s.budget;
          this.state = allocationState(s.law, s.lawSource, options.budget, options, s.current);
          this.post();
        }
      });
    } else {
      this.panel.reveal(undefined, false);
      this.post();
    }
    return this.state;
  }

  private post(): void {
    if (!this.panel || !this.ready || !this.state) return;
    void this.panel.webview.postMessage({ type: 'state', state: this.state } satisfies ToWebview);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

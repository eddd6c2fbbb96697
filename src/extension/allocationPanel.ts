import * as vscode from 'vscode';
import { sanitizeOptions, type AllocationState, type FromWebview, type ToWebview, type ViewState } from '../protocol';
import { allocationState } from '../core/allocationView';
import type { ChinchillaParams } from '../core/fit/laws';
import { PanelHost, panelOptions } from './webviewHost';
import { initialViewOptions, readSettings } from './settings';

const TITLE = 'Scaling Lens — Compute-optimal';

/** The compute-optimal model for a FLOP budget, drawn by the chart panel's app. */
class AllocationHost extends PanelHost<ToWebview> {
  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, public state: AllocationState) {
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
    if (m.type !== 'setOptions') return super.onMessage(m);
    const s = this.state;
    const options = sanitizeOptions(m.options, s.options);
    if (!(options.budget > 0)) options.budget = s.budget;
    this.show(allocationState(s.law, s.lawSource, options.budget, options, s.current));
  }
}

/** The panel's allocation view: one at a time, reused. */
export class AllocationPanel implements vscode.Disposable {
  private host: AllocationHost | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(law: ChinchillaParams, lawSource: string, budget: number, current?: { N: number; D: number; source: string }): AllocationState {
    const state = allocationState(law, lawSource, budget, { ...initialViewOptions(readSettings()), budget }, current);
    if (this.host) {
      this.host.panel.reveal(undefined, false);
      this.host.show(state);
    } else {
      const panel = vscode.window.createWebviewPanel('scalingLens.allocation', TITLE, vscode.ViewColumn.Beside, panelOptions(this.extensionUri));
      const host = (this.host = new AllocationHost(panel, this.extensionUri, state));
      host.disposed.event(() => { if (this.host === host) this.host = undefined; });
    }
    return state;
  }

  dispose(): void {
    this.host?.panel.dispose();
  }
}

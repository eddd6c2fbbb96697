/**
 * The one webview host: every Scaling Lens webview (the chart panel, the side view, the allocation
 * view, the runs' compare and fit-across panels) extends `WebviewHost` with only what differs.
 *
 * The host owns: the HTML (strict CSP with a fresh crypto nonce, scripts and styles only from the
 * extension's own dist/webview and media/, no remote resources, no data in the markup: everything
 * arrives by postMessage and is set as text), `localResourceRoots`, the replay slot (the newest
 * message waits until the webview says it is ready, then is sent once), the report of what was
 * drawn, Copy/Export, and what is saved for a window reload (`persist`, read back by the serializer
 * `registerRestorer` registers).
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isFromWebview, type FromWebview, type SavedWebviewState, type ViewState, type XKind } from '../protocol';
import { curvesToCsv, fitToJson, toMarkdown } from '../core/summary';
import { notificationSafe } from '../core/escape';

export type WebviewEntry = 'panel' | 'sideview' | 'compare';

/** What a webview last reported having drawn (read by the end-to-end tests through the API). */
export interface RenderReport {
  canvasPainted: boolean;
  summary: string;
  xKind: XKind;
  logScale: boolean;
  at: number;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Exactly what the pages load: the webview bundles and the stylesheet's folder.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function buildHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: WebviewEntry, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${entry}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${esc(title)}</title>
</head>
<body class="sl-${entry}">
<div id="app" role="main" aria-live="polite"><p class="sl-muted">Loading…</p></div>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Options of a new panel: the host's resource roots, kept alive while hidden (charts are costly to redraw). */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { ...webviewOptions(extensionUri), retainContextWhenHidden: true };
}

function defaultSaveUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

/** Host → webview messages all hosts share (busy/error/empty and the saved state). */
type HostMessage = { type: string };

export abstract class WebviewHost<Out extends HostMessage> implements vscode.Disposable {
  lastRender: RenderReport | undefined;
  readonly disposed = new vscode.EventEmitter<void>();
  protected readonly disposables: vscode.Disposable[] = [this.disposed];
  private webview: vscode.Webview | undefined;
  private listener: vscode.Disposable | undefined;
  private ready = false;
  /** The replay slot: only the newest message matters (a state supersedes "busy", a refit the state). */
  private latest: Out | undefined;
  private saved: SavedWebviewState | undefined;
  private isDisposed = false;

  protected constructor(protected readonly extensionUri: vscode.Uri, private readonly entry: WebviewEntry) {}

  /** Takes (or takes again) a webview: its options, fresh HTML and nonce, the message wiring. */
  protected attach(webview: vscode.Webview, title: string): void {
    this.listener?.dispose();
    this.webview = webview;
    this.ready = false;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = buildHtml(webview, this.extensionUri, this.entry, title);
    this.listener = webview.onDidReceiveMessage((m: unknown) => void this.receive(m));
  }

  /** The webview's document went away (a hidden side view): messages wait for its next "ready". */
  protected detach(): void {
    this.ready = false;
  }

  /** Shows `m` now if the webview is ready, else when it is; a newer message replaces a waiting one. */
  protected post(m: Out): void {
    this.latest = m;
    if (this.ready && this.webview) void this.webview.postMessage(m);
  }

  /** What the webview keeps for a window reload (the serializer reads it back). */
  protected persist(state: SavedWebviewState): void {
    this.saved = state;
    if (this.ready && this.webview) void this.webview.postMessage({ type: 'persist', state });
  }

  /** The analysis Copy and Export CSV save (undefined: nothing to save yet). */
  protected report(): ViewState | undefined {
    return undefined;
  }

  /** Base of the file names Export suggests. */
  protected abstract exportName(): string;

  /** Messages the host does not handle itself; call `super.onMessage(m)` for Copy and Export. */
  protected async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'copy': {
        const state = this.report();
        if (!state) return;
        const text = m.format === 'json' ? JSON.stringify(fitToJson(state), null, 2) : toMarkdown(state);
        await vscode.env.clipboard.writeText(text);
        void vscode.window.showInformationMessage(`Scaling Lens: copied the fit as ${m.format === 'json' ? 'JSON' : 'Markdown'}.`);
        return;
      }
      case 'exportPng': {
        const target = await vscode.window.showSaveDialog({
          defaultUri: defaultSaveUri(`${this.exportName()}-scaling.png`),
          filters: { 'PNG image': ['png'] },
          title: 'Export chart as PNG',
        });
        if (!target) return;
        const b64 = m.dataUrl.slice('data:image/png;base64,'.length);
        await vscode.workspace.fs.writeFile(target, Buffer.from(b64, 'base64'));
        void vscode.window.showInformationMessage(notificationSafe(`Scaling Lens: chart saved to ${path.basename(target.fsPath)}.`));
        return;
      }
      case 'exportCsv': {
        const state = this.report();
        if (!state) return;
        const target = await vscode.window.showSaveDialog({
          defaultUri: defaultSaveUri(`${this.exportName()}-fit.csv`),
          filters: { CSV: ['csv'] },
          title: 'Export fitted curve as CSV',
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, Buffer.from(curvesToCsv(state), 'utf8'));
        void vscode.window.showInformationMessage(notificationSafe(`Scaling Lens: fitted curve saved to ${path.basename(target.fsPath)}.`));
        return;
      }
      default:
        return;
    }
  }

  /** Called after the webview said it is ready and got the replay. */
  protected onReady(): void {
    // Nothing by default.
  }

  private async receive(raw: unknown): Promise<void> {
    if (this.isDisposed || !isFromWebview(raw)) return;
    const m = raw;
    if (m.type === 'ready') {
      this.ready = true;
      if (this.saved) void this.webview?.postMessage({ type: 'persist', state: this.saved });
      if (this.latest) void this.webview?.postMessage(this.latest);
      this.onReady();
      return;
    }
    if (m.type === 'rendered') {
      this.lastRender = { canvasPainted: m.canvasPainted, summary: m.summary, xKind: m.xKind, logScale: m.logScale, at: Date.now() };
      return;
    }
    try {
      await this.onMessage(m);
    } catch (e) {
      void vscode.window.showErrorMessage(notificationSafe(`Scaling Lens: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
    this.listener?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A host in an editor panel: its icon, its lifetime tied to the panel's. */
export abstract class PanelHost<Out extends HostMessage> extends WebviewHost<Out> {
  protected constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, entry: WebviewEntry, title: string) {
    super(extensionUri, entry);
    this.attach(panel.webview, title);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(panel.onDidDispose(() => this.dispose()));
  }

  get visible(): boolean {
    return this.panel.visible;
  }
}

/**
 * The serializer of a panel type: after a window reload VS Code hands back each panel of that type
 * with what its webview saved; `restore` adopts the panel from the parsed state, or returns false and
 * the panel is closed (a file gone, a state that names nothing the host can find).
 */
export function registerRestorer(viewType: string, restore: (panel: vscode.WebviewPanel, state: unknown) => Promise<boolean>, log?: (msg: string) => void): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      let ok = false;
      try {
        ok = await restore(panel, state);
      } catch (e) {
        log?.(`restoring a ${viewType} panel failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!ok) panel.dispose();
    },
  });
}

import * as vscode from 'vscode';
import * as path from 'node:path';
import { isFromWebview, type FromWebview, type ToWebview, type ViewState, type XKind } from '../protocol';
import { curvesToCsv, fitToJson, toMarkdown } from '../core/summary';
import type { Analyses } from './analysis';
import { buildHtml, webviewOptions } from './webviewHtml';
import { notificationSafe } from '../core/escape';

export const PANEL_VIEW_TYPE = 'scalingLens.panel';

/** What a webview last reported having drawn (read by the end-to-end tests through the API). */
export interface RenderReport {
  canvasPainted: boolean;
  summary: string;
  xKind: XKind;
  logScale: boolean;
  at: number;
}

/** Handles the messages every Scaling Lens webview can send (panel and side view alike). */
export async function handleCommonMessage(m: FromWebview, state: ViewState | undefined, baseName: string): Promise<boolean> {
  switch (m.type) {
    case 'copy': {
      if (!state) return true;
      const text = m.format === 'json' ? JSON.stringify(fitToJson(state), null, 2) : toMarkdown(state);
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(`Scaling Lens: copied the fit as ${m.format === 'json' ? 'JSON' : 'Markdown'}.`);
      return true;
    }
    case 'exportPng': {
      const target = await vscode.window.showSaveDialog({
        defaultUri: defaultSaveUri(`${baseName}-scaling.png`),
        filters: { 'PNG image': ['png'] },
        title: 'Export chart as PNG',
      });
      if (!target) return true;
      const b64 = m.dataUrl.slice('data:image/png;base64,'.length);
      await vscode.workspace.fs.writeFile(target, Buffer.from(b64, 'base64'));
      void vscode.window.showInformationMessage(notificationSafe(`Scaling Lens: chart saved to ${path.basename(target.fsPath)}.`));
      return true;
    }
    case 'exportCsv': {
      if (!state) return true;
      const target = await vscode.window.showSaveDialog({
        defaultUri: defaultSaveUri(`${baseName}-fit.csv`),
        filters: { CSV: ['csv'] },
        title: 'Export fitted curve as CSV',
      });
      if (!target) return true;
      await vscode.workspace.fs.writeFile(target, Buffer.from(curvesToCsv(state), 'utf8'));
      void vscode.window.showInformationMessage(notificationSafe(`Scaling Lens: fitted curve saved to ${path.basename(target.fsPath)}.`));
      return true;
    }
    default:
      return false;
  }
}

function defaultSaveUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

/** `file` as a workspace log: absolute, no NUL, inside an open workspace folder, a regular file or a folder. */
export async function workspaceLog(file: string): Promise<vscode.Uri | undefined> {
  if (file.length === 0 || file.length > 4096 || file.includes('\0') || !path.isAbsolute(file)) return undefined;
  const uri = vscode.Uri.file(path.normalize(file));
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const rel = path.relative(folder.uri.fsPath, uri.fsPath);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  try {
    const st = await vscode.workspace.fs.stat(uri);
    if (st.type & vscode.FileType.SymbolicLink) return undefined;
    return st.type & (vscode.FileType.File | vscode.FileType.Directory) ? uri : undefined;
  } catch {
    return undefined;
  }
}

/** One chart panel for one log file. */
class LogPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pending: ToWebview | undefined;
  lastRender: RenderReport | undefined;
  readonly disposed = new vscode.EventEmitter<void>();

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly analyses: Analyses,
    extensionUri: vscode.Uri,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = buildHtml(panel.webview, extensionUri, 'panel', `Scaling Lens — ${path.basename(uri.fsPath)}`);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      analyses.onDidAnalyze((e) => { if (e.uri.fsPath === uri.fsPath) this.post({ type: 'state', state: e.result.state }); }),
      analyses.onDidStart((u) => { if (u.fsPath === uri.fsPath && !analyses.last(uri)) this.post({ type: 'busy', message: `Reading ${path.basename(uri.fsPath)}…` }); }),
      analyses.onDidFail((e) => {
        if (e.uri.fsPath !== uri.fsPath) return;
        // A cancelled refit leaves the last drawn fit in place; a cancelled first analysis says so.
        if (e.cancelled && analyses.last(uri)) return;
        this.post(e.cancelled ? { type: 'empty', message: e.message } : { type: 'error', message: e.message });
      }),
      analyses.onDidForget((u) => { if (u.fsPath === uri.fsPath) this.post({ type: 'empty', message: `${path.basename(uri.fsPath)} was deleted.` }); }),
      analyses.watch(uri),
    );
    // The analysis starts with the panel, not when the webview says it is ready (that costs a second).
    if (!analyses.last(uri) && !analyses.isRunning(uri)) this.refresh(true);
  }

  private post(m: ToWebview): void {
    if (!this.ready) {
      // Keep only the latest: the webview replays the newest state once it says it is ready.
      this.pending = m;
      return;
    }
    void this.panel.webview.postMessage(m);
  }

  refresh(interactive: boolean): void {
    void this.analyses.run(this.uri, interactive);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isFromWebview(raw)) return;
    const m = raw;
    const state = this.analyses.last(this.uri)?.state;
    if (await handleCommonMessage(m, state, path.basename(this.uri.fsPath))) return;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const last = this.analyses.last(this.uri);
        const first: ToWebview = last ? { type: 'state', state: last.state } : this.pending ?? { type: 'busy', message: `Reading ${path.basename(this.uri.fsPath)}…` };
        this.pending = undefined;
        void this.panel.webview.postMessage(first);
        return;
      }
      case 'setOptions': {
        const before = this.analyses.optionsFor(this.uri);
        // A new law brings its own natural axis unless the user picks one at the same time.
        const change = m.options.law !== undefined && m.options.law !== before.law && m.options.xKind === undefined
          ? { ...m.options, xKind: 'auto' as const } : m.options;
        const after = this.analyses.setOptions(this.uri, change);
        const onlyView = before.logScale !== after.logScale &&
          JSON.stringify({ ...before, logScale: 0 }) === JSON.stringify({ ...after, logScale: 0 });
        if (onlyView) {
          const last = this.analyses.last(this.uri);
          if (last) {
            last.state.options = after;
            this.post({ type: 'state', state: last.state });
          }
        } else {
          this.refresh(false);
        }
        return;
      }
      case 'openPanel':
        return;
      case 'revealLine': {
        const doc = await vscode.workspace.openTextDocument(this.uri);
        const pos = new vscode.Position(Math.max(0, m.line - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
        return;
      }
      case 'rendered':
        this.lastRender = { canvasPainted: m.canvasPainted, summary: m.summary, xKind: m.xKind, logScale: m.logScale, at: Date.now() };
        return;
    }
  }

  dispose(): void {
    this.disposed.fire();
    this.disposed.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** One panel per log file; reveals an existing one; survives a window reload (serializer). */
export class Panels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, LogPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analyses: Analyses,
  ) {}

  show(uri: vscode.Uri, refit: boolean): void {
    const existing = this.panels.get(uri.fsPath);
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (refit) existing.refresh(true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      `Scaling Lens — ${path.basename(uri.fsPath)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: true },
    );
    this.adopt(panel, uri);
    if (refit && this.analyses.last(uri)) void this.analyses.run(uri, true);
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri): LogPanel {
    const p = new LogPanel(panel, uri, this.analyses, this.extensionUri);
    this.panels.set(uri.fsPath, p);
    p.disposed.event(() => { if (this.panels.get(uri.fsPath) === p) this.panels.delete(uri.fsPath); });
    return p;
  }

  /**
   * After a window reload: the saved webview state names a file, but that state is the webview's
   * (untrusted) word. Adopt it only if it is an absolute path to a regular file (or a run folder)
   * inside an open workspace folder; otherwise close the panel.
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const file = typeof state === 'object' && state !== null ? (state as { file?: unknown }).file : undefined;
    const uri = typeof file === 'string' ? await workspaceLog(file) : undefined;
    if (!uri) {
      panel.dispose();
      return;
    }
    this.adopt(panel, uri);
  }

  /** For tests and the status bar: what each panel shows. */
  describe(): { file: string; visible: boolean; render?: RenderReport }[] {
    return [...this.panels.values()].map((p) => ({ file: p.uri.fsPath, visible: p.panel.visible, render: p.lastRender }));
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
  }
}

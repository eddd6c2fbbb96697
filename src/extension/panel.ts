import * as vscode from 'vscode';
import * as path from 'node:path';
import { parseSavedState, type FromWebview, type ToWebview, type ViewState } from '../protocol';
import type { Analyses } from './analysis';
import { PanelHost, panelOptions, registerRestorer, type RenderReport } from './webviewHost';

export const PANEL_VIEW_TYPE = 'scalingLens.panel';

export type { RenderReport } from './webviewHost';

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
class LogPanel extends PanelHost<ToWebview> {
  constructor(
    panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly analyses: Analyses,
    extensionUri: vscode.Uri,
  ) {
    super(panel, extensionUri, 'panel', `Scaling Lens — ${path.basename(uri.fsPath)}`);
    this.persist({ file: uri.fsPath });
    this.disposables.push(
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
    const last = analyses.last(uri);
    this.post(last ? { type: 'state', state: last.state } : { type: 'busy', message: `Reading ${path.basename(uri.fsPath)}…` });
    // The analysis starts with the panel, not when the webview says it is ready (that costs a second).
    if (!last && !analyses.isRunning(uri)) this.refresh(true);
  }

  refresh(interactive: boolean): void {
    void this.analyses.run(this.uri, interactive);
  }

  protected report(): ViewState | undefined {
    return this.analyses.last(this.uri)?.state;
  }

  protected exportName(): string {
    return path.basename(this.uri.fsPath);
  }

  protected async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
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
      case 'revealLine': {
        const doc = await vscode.workspace.openTextDocument(this.uri);
        const pos = new vscode.Position(Math.max(0, m.line - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
        return;
      }
      default:
        return super.onMessage(m);
    }
  }
}

/** One panel per log file; reveals an existing one; survives a window reload (serializer). */
export class Panels implements vscode.Disposable {
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
      panelOptions(this.extensionUri),
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
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<boolean> {
    const { file } = parseSavedState(state);
    const uri = file !== undefined ? await workspaceLog(file) : undefined;
    if (!uri || this.panels.has(uri.fsPath)) return false;
    this.adopt(panel, uri);
    return true;
  }

  /** Restores the panels after a window reload (see `restore`). */
  registerSerializer(log?: (msg: string) => void): vscode.Disposable {
    return registerRestorer(PANEL_VIEW_TYPE, (panel, state) => this.restore(panel, state), log);
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

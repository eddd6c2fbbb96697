import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Analyses } from './analysis';
import type { LogIndex } from './logIndex';
import { readSettings } from './settings';
import type { Problem } from '../core/dataset';
import { hasTextLines, type LogState } from '../protocol';

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Turns core problems (1-based lines) into diagnostics spanning their line. A message's leading
 * `file:line: ` (for the CLI and the panel) is dropped where it names the diagnostic's own file and
 * line, which the Problems view shows beside it; one naming another file (a metric file inside a run
 * folder) is kept.
 */
export function toDiagnostics(problems: Problem[], doc: vscode.TextDocument | undefined, source: string, file?: string): vscode.Diagnostic[] {
  const base = file ? path.basename(file) : undefined;
  return problems.map((p) => {
    const line = Math.max(0, p.line - 1);
    const end = doc && line < doc.lineCount ? doc.lineAt(line).range.end.character : 1000;
    const range = new vscode.Range(line, p.column ?? 0, line, Math.max(end, (p.column ?? 0) + 1));
    const own = base === undefined ? undefined : p.line > 0 ? `${base}:${p.line}: ` : `${base}: `;
    const message = own !== undefined && p.message.startsWith(own) && p.message.length > own.length ? p.message.slice(own.length) : p.message;
    const d = new vscode.Diagnostic(range, message, SEVERITY[p.severity]);
    d.source = source;
    return d;
  });
}

/**
 * Diagnostics on logs: the parse problems and the findings (tokens per parameter far from the
 * reference, more tokens would still pay off). Updated as the file changes (open logs are watched),
 * cleared when it closes or is deleted.
 */
export class LogDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('scalingLens.logs');
  private readonly watches = new Map<string, vscode.Disposable>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly analyses: Analyses, private readonly index: LogIndex) {
    this.disposables.push(
      analyses.onDidAnalyze((e) => this.publish(e.uri, e.result.findings, e.result.state)),
      analyses.onDidForget((u) => this.collection.delete(u)),
      vscode.workspace.onDidOpenTextDocument((d) => this.opened(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      index.onDidChange(() => { for (const d of vscode.workspace.textDocuments) this.opened(d); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('scalingLens')) for (const u of this.watches.keys()) void this.analyses.run(vscode.Uri.file(u), false);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.opened(d);
  }

  private opened(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !this.index.has(doc.uri) || this.watches.has(doc.uri.fsPath)) return;
    this.watches.set(doc.uri.fsPath, this.analyses.watch(doc.uri));
    const last = this.analyses.last(doc.uri);
    if (last) this.publish(doc.uri, last.findings, last.state);
    else void this.analyses.ensure(doc.uri);
  }

  private closed(doc: vscode.TextDocument): void {
    const w = this.watches.get(doc.uri.fsPath);
    if (!w) return;
    w.dispose();
    this.watches.delete(doc.uri.fsPath);
    this.collection.delete(doc.uri);
  }

  private publish(uri: vscode.Uri, findings: Problem[], state: LogState): void {
    if (!readSettings(uri).diagnostics || !hasTextLines(state)) {
      this.collection.delete(uri);
      return;
    }
    // Published for every analysed log (opened, or fitted from the explorer); cleared when its editor
    // closes or the file is deleted.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
    this.collection.set(uri, toDiagnostics(findings, doc, 'Scaling Lens', uri.fsPath));
  }

  dispose(): void {
    for (const w of this.watches.values()) w.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

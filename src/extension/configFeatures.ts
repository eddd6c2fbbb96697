import * as vscode from 'vscode';
import * as path from 'node:path';
// The pieces the host needs, not the config layer's index: that would bundle the YAML/TOML readers
// into the host (they run in the config worker).
import { budgetKey, keyAt, stepsForTokensPerParam } from '../core/config/edits';
import { summaryRows } from '../core/config/summary';
import type { ConfigAnalysis } from '../core/config/types';
import type { ConfigValue } from '../core/config/roleValues';
import type { Problem } from '../core/dataset';
import { REPLICATION_LAW, type ChinchillaParams } from '../core/fit/laws';
import { formatNumber } from '../core/format';
import { markdownCode, markdownText } from '../core/escape';
import { readSettings } from './settings';
import { CONFIG_BUDGET_MS, ConfigWorkerHost, type ConfigResult } from './configWorkerHost';

/** YAML, JSON, TOML and Python files, with or without a language extension installed for them. */
export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'python' },
  { language: 'toml' },
  { scheme: 'file', pattern: '**/*.{yaml,yml,json,toml,py}' },
  { scheme: 'untitled', language: 'yaml' },
];

/**
 * Config analysis never runs on the extension host's thread (issue 10): hovers, code actions and
 * diagnostics ask a worker of their own (configWorkerHost.ts) with a time budget, and the readers keep
 * their expansion and depth budgets (core/config/readers.ts CONFIG_LIMITS, pyeval PY_LIMITS). Files
 * over 256 KB are not read at all (training configs are a few KB; the log analysis reads the configs
 * beside a log in its own worker).
 */
const MAX_CONFIG_CHARS = 256 * 1024;
const BUDGET_CODE = 'configBudget';
const DIAG_CODE = 'tokensPerParam';
const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export interface WorkspaceLaw {
  law: ChinchillaParams;
  source: string;
}

const fmt = (v: number, d = 3) => formatNumber(v, d);

/**
 * Hovers, diagnostics and quick fixes on training configs. The numbers come from the core's config
 * layer (text only: a Python config is never executed); this file only places them in the editor.
 */
export class ConfigFeatures implements vscode.HoverProvider, vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('scalingLens.configs');
  private readonly cache = new Map<string, { version: number; key: string; analysis: Promise<ConfigResult> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  private readonly worker: ConfigWorkerHost;

  constructor(private readonly workspaceLaw: () => WorkspaceLaw | undefined, extensionPath: string) {
    this.worker = new ConfigWorkerHost(path.join(extensionPath, 'dist', 'configWorker.js'));
    this.disposables.push(
      vscode.languages.registerHoverProvider(CONFIG_SELECTOR, this),
      vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, this, { providedCodeActionKinds: ConfigFeatures.providedCodeActionKinds }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 300)),
      vscode.workspace.onDidCloseTextDocument((d) => { this.collection.delete(d.uri); this.cache.delete(d.uri.toString()); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('scalingLens')) return;
        this.cache.clear();
        for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private lawFor(uri: vscode.Uri): WorkspaceLaw {
    const s = readSettings(uri);
    const ws = s.predictionLaw === 'workspace' ? this.workspaceLaw() : undefined;
    return ws ?? { law: REPLICATION_LAW, source: 'Besiroglu et al. 2024 replication of Chinchilla' };
  }

  /** The analysis of a config document (cached per version), or undefined for anything else. */
  async analysis(doc: vscode.TextDocument): Promise<ConfigAnalysis | undefined> {
    return (await this.result(doc))?.analysis;
  }

  /** The worker's answer for a config document (cached per version and settings). */
  private result(doc: vscode.TextDocument): Promise<ConfigResult> | undefined {
    if (!vscode.languages.match(CONFIG_SELECTOR, doc)) return undefined;
    const base = path.basename(doc.fileName);
    if (base === 'trainer_state.json' || doc.getText().length > MAX_CONFIG_CHARS) return undefined;
    const s = readSettings(doc.uri);
    const law = this.lawFor(doc.uri);
    const key = `${s.referenceRatio}|${s.warnBelow}|${s.warnAbove}|${law.source}|${JSON.stringify(law.law)}`;
    const hit = this.cache.get(doc.uri.toString());
    if (hit && hit.version === doc.version && hit.key === key) return hit.analysis;
    const analysis = this.worker.analyze(doc.getText(), doc.fileName, { law: law.law, lawName: law.source, referenceTokensPerParam: s.referenceRatio, warnBelow: s.warnBelow, warnAbove: s.warnAbove });
    this.cache.set(doc.uri.toString(), { version: doc.version, key, analysis });
    return analysis;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const k = doc.uri.toString();
    clearTimeout(this.timers.get(k));
    this.timers.set(k, setTimeout(() => { this.timers.delete(k); void this.diagnose(doc); }, delay));
  }

  async diagnose(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const s = readSettings(doc.uri);
    const version = doc.version;
    const r = s.diagnostics ? await this.result(doc) : undefined;
    // A newer version is on its way (its own schedule), or the document was closed meanwhile.
    if (doc.isClosed || doc.version !== version) return;
    if (r?.timedOut) {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), `Scaling Lens: reading this config took longer than its ${CONFIG_BUDGET_MS / 1000} s budget; it was not analysed.`, vscode.DiagnosticSeverity.Warning);
      d.source = 'Scaling Lens';
      d.code = BUDGET_CODE;
      this.collection.set(doc.uri, [d]);
      return;
    }
    const a = r?.analysis;
    if (!a) {
      this.collection.delete(doc.uri);
      return;
    }
    // The core's findings: the tokens-per-parameter ratio (one wording with logs, saying which
    // parameter count it used) and the config's problems (keys not counted, unreadable values).
    const diags = a.problems.filter((p) => p.severity !== 'info' || p.line > 0).map((p) => {
      const line = Math.max(0, p.line - 1);
      const end = line < doc.lineCount ? doc.lineAt(line).range.end.character : (p.column ?? 0) + 1;
      const d = new vscode.Diagnostic(new vscode.Range(line, p.column ?? 0, line, Math.max(end, (p.column ?? 0) + 1)), p.message, SEVERITY[p.severity]);
      d.source = 'Scaling Lens';
      return d;
    });
    const key = budgetKey(a);
    if (a.ratioFinding && key) {
      const d = new vscode.Diagnostic(this.range(key.range), a.ratioFinding.message, SEVERITY[a.ratioFinding.severity]);
      d.source = 'Scaling Lens';
      d.code = DIAG_CODE;
      diags.push(d);
    }
    if (diags.length) this.collection.set(doc.uri, diags);
    else this.collection.delete(doc.uri);
  }

  private range(r: ConfigValue['range']): vscode.Range {
    return new vscode.Range(r.start.line - 1, r.start.column, r.end.line - 1, Math.max(r.end.column, r.start.column + 1));
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!readSettings(doc.uri).hover) return undefined;
    const a = await this.analysis(doc);
    if (!a) return undefined;
    const key = keyAt(a, pos.line + 1, pos.character);
    if (!key) return undefined;
    return new vscode.Hover(this.hoverMarkdown(a, key, doc.uri), this.range(key.range));
  }

  hoverMarkdown(a: ConfigAnalysis, key: ConfigValue, _uri: vscode.Uri): vscode.MarkdownString {
    // No theme icons: `$(…)` in a key must not render as one.
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    // Every string below came from the file or the core: escaped for Markdown, never trusted; one
    // line each (a blank line would end the table or paragraph and let the rest render as markup).
    const esc = markdownText;
    // A key in a code span: one line, no backticks, bounded (core/escape.ts).
    const code = (t: string) => markdownCode(t);
    md.appendMarkdown(`**Scaling Lens** — ${code(key.path)}\n\n`);
    // The same rows as \`scaling-lens config\` prints (core/config/summary.ts).
    md.appendMarkdown('| | | |\n|---|---|---|\n');
    for (const r of summaryRows(a)) md.appendMarkdown(`| ${esc(r.label)} | ${esc(r.value)} | ${r.detail ? esc(r.detail) : ''} |\n`);
    if (a.notCounted.length) md.appendMarkdown(`\n⚠ Not in the count: ${a.notCounted.map((p) => esc(p.message)).join(' ')}\n`);
    const from = Object.entries(a.sources).map(([role, v]) => `${code(v.key)} (line ${v.range.start.line})${role !== v.key ? ` → ${esc(role)}` : ''}`);
    if (from.length) md.appendMarkdown(`\nFrom ${from.join(', ')}.`);
    if (a.missing.length) md.appendMarkdown(`\n\nMissing for the rest: ${a.missing.map(code).join(', ')}.`);
    return md;
  }

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const diags = ctx.diagnostics.filter((d) => d.code === DIAG_CODE && d.source === 'Scaling Lens');
    if (diags.length === 0) return [];
    const a = await this.analysis(doc);
    if (!a) return [];
    return this.actionsFor(doc, a, diags);
  }

  actionsFor(doc: vscode.TextDocument, a: ConfigAnalysis, diags: vscode.Diagnostic[]): vscode.CodeAction[] {
    const s = readSettings(doc.uri);
    const actions: vscode.CodeAction[] = [];
    const fix = stepsForTokensPerParam(a, s.referenceRatio);
    if (fix) {
      const act = new vscode.CodeAction(`Set ${fix.key.key} to ${fix.newValue.toLocaleString('en-US')} for ≈${fmt(s.referenceRatio)} tokens/parameter`, vscode.CodeActionKind.QuickFix);
      act.edit = new vscode.WorkspaceEdit();
      act.edit.replace(doc.uri, this.range(fix.key.valueRange), fix.newText);
      act.diagnostics = diags;
      act.isPreferred = true;
      actions.push(act);
    }
    if (a.flops && a.params && a.tokens) {
      const act = new vscode.CodeAction('Show the compute-optimal model for this FLOP budget', vscode.CodeActionKind.QuickFix);
      act.command = {
        command: 'scalingLens.computeOptimal',
        title: act.title,
        arguments: [{ budget: a.flops, current: { N: a.params.active, D: a.tokens, source: path.basename(doc.fileName) } }],
      };
      act.diagnostics = diags;
      actions.push(act);
    }
    return actions;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.worker.dispose();
  }
}

import * as vscode from 'vscode';
import * as path from 'node:path';
import { analyzeConfig, keyAt, stepsForTokensPerParam, type ConfigAnalysis, type ConfigValue } from '../core/config';
import { REPLICATION_LAW, type ChinchillaParams } from '../core/fit/laws';
import { formatCount, formatNumber } from '../core/format';
import { readSettings } from './settings';

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

const MAX_CONFIG_CHARS = 1_000_000;
const DIAG_CODE = 'tokensPerParam';

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
  private readonly cache = new Map<string, { version: number; key: string; analysis: ConfigAnalysis | undefined }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly workspaceLaw: () => WorkspaceLaw | undefined) {
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
  analysis(doc: vscode.TextDocument): ConfigAnalysis | undefined {
    if (!vscode.languages.match(CONFIG_SELECTOR, doc)) return undefined;
    const base = path.basename(doc.fileName);
    if (base === 'trainer_state.json' || doc.getText().length > MAX_CONFIG_CHARS) return undefined;
    const s = readSettings(doc.uri);
    const law = this.lawFor(doc.uri);
    const key = `${s.referenceRatio}|${law.source}|${JSON.stringify(law.law)}`;
    const hit = this.cache.get(doc.uri.toString());
    if (hit && hit.version === doc.version && hit.key === key) return hit.analysis;
    let analysis: ConfigAnalysis | undefined;
    try {
      analysis = analyzeConfig(doc.getText(), doc.fileName, { law: law.law, referenceTokensPerParam: s.referenceRatio });
    } catch {
      analysis = undefined; // the core reports problems as data; a throw means "not a config we understand"
    }
    this.cache.set(doc.uri.toString(), { version: doc.version, key, analysis });
    return analysis;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const k = doc.uri.toString();
    clearTimeout(this.timers.get(k));
    this.timers.set(k, setTimeout(() => { this.timers.delete(k); this.diagnose(doc); }, delay));
  }

  /** The key a ratio diagnostic sits on: the token budget (steps) first, else the model size. */
  private budgetKey(a: ConfigAnalysis): ConfigValue | undefined {
    const s = a.sources;
    const from = a.derivedFrom.tokens[0];
    return (from && s[from]) ?? s.max_steps ?? s.token_budget ?? s.n_layer ?? s.d_model ?? Object.values(s)[0];
  }

  diagnose(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const s = readSettings(doc.uri);
    const a = s.diagnostics ? this.analysis(doc) : undefined;
    if (!a || a.tokensPerParam === undefined || !a.params) {
      this.collection.delete(doc.uri);
      return;
    }
    const key = this.budgetKey(a);
    if (!key) return;
    const ratio = a.tokensPerParam;
    const N = a.params.active;
    const moe = a.params.active !== a.params.total ? ' active' : '';
    const ref = `the compute-optimal reference is ≈${fmt(s.referenceRatio)} (Chinchilla, Hoffmann et al. 2022; Besiroglu et al. 2024)`;
    let d: vscode.Diagnostic | undefined;
    const range = this.range(key.range);
    if (ratio < s.warnBelow) {
      d = new vscode.Diagnostic(range, `Tokens per parameter is ${fmt(ratio)} (D = ${formatCount(a.tokens ?? 0)} tokens for N = ${formatCount(N)}${moe} parameters), below ${fmt(s.warnBelow)}: this run will be under-trained for its size; ${ref}.`, vscode.DiagnosticSeverity.Warning);
    } else if (ratio > s.warnAbove) {
      d = new vscode.Diagnostic(range, `Tokens per parameter is ${fmt(ratio)} (D = ${formatCount(a.tokens ?? 0)} tokens for N = ${formatCount(N)}${moe} parameters), above ${fmt(s.warnAbove)}: over-trained relative to compute-optimal (often deliberate for inference); ${ref}.`, vscode.DiagnosticSeverity.Information);
    }
    if (d) {
      d.source = 'Scaling Lens';
      d.code = DIAG_CODE;
      this.collection.set(doc.uri, [d]);
    } else {
      this.collection.delete(doc.uri);
    }
  }

  private range(r: ConfigValue['range']): vscode.Range {
    return new vscode.Range(r.start.line - 1, r.start.column, r.end.line - 1, Math.max(r.end.column, r.start.column + 1));
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!readSettings(doc.uri).hover) return undefined;
    const a = this.analysis(doc);
    if (!a) return undefined;
    const key = keyAt(a, pos.line + 1, pos.character);
    if (!key) return undefined;
    return new vscode.Hover(this.hoverMarkdown(a, key, doc.uri), this.range(key.range));
  }

  hoverMarkdown(a: ConfigAnalysis, key: ConfigValue, uri: vscode.Uri): vscode.MarkdownString {
    const s = readSettings(uri);
    const law = this.lawFor(uri);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.supportHtml = false;
    const esc = (t: string) => t.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);
    // Inside a code span nothing is markup: only backticks need keeping out.
    const code = (t: string) => `\`${t.replace(/`/g, "'")}\``;
    md.appendMarkdown(`**Scaling Lens** — ${code(key.path)}\n\n`);
    md.appendMarkdown('| | |\n|---|---|\n');
    md.appendMarkdown(`| Architecture | ${a.architecture} |\n`);
    if (a.params) {
      const p = a.params;
      if (p.active !== p.total) {
        md.appendMarkdown(`| Parameters (total) | ${formatCount(p.total)} (${p.total.toLocaleString('en-US')}) |\n`);
        md.appendMarkdown(`| Parameters (active per token) | ${formatCount(p.active)} |\n`);
      } else {
        md.appendMarkdown(`| Parameters | ${formatCount(p.total)} (${p.total.toLocaleString('en-US')}) |\n`);
      }
      md.appendMarkdown(`| Embedding / non-embedding | ${formatCount(p.embedding)} / ${formatCount(p.nonEmbedding)} |\n`);
    }
    const b = a.breakdown;
    if (a.tokens !== undefined) {
      const how = b.steps && b.tokensPerStep ? ` = ${b.steps.toLocaleString('en-US')} steps × ${b.tokensPerStep.toLocaleString('en-US')} tokens/step` : '';
      md.appendMarkdown(`| Tokens | ${formatCount(a.tokens)}${how} |\n`);
    }
    if (b.tokensPerStep && (b.globalBatch || b.seqLen)) {
      md.appendMarkdown(`| Tokens per step | ${[b.microBatch && `micro ${b.microBatch}`, b.gradAccum && `× accum ${b.gradAccum}`, b.dataParallel && b.dataParallel > 1 && `× DP ${b.dataParallel}`, b.seqLen && `× seq ${b.seqLen}`].filter(Boolean).join(' ') || b.tokensPerStep} |\n`);
    }
    if (a.flops !== undefined) md.appendMarkdown(`| FLOPs | ${fmt(a.flops)} (≈ 6·N·D${a.flopsWithAttention ? `; ${fmt(a.flopsWithAttention)} with attention` : ''}) |\n`);
    if (a.tokensPerParam !== undefined) {
      md.appendMarkdown(`| Tokens per parameter | ${fmt(a.tokensPerParam)} (Chinchilla ≈${fmt(s.referenceRatio)}${a.architecture === 'moe' ? '; active parameters' : ''}) |\n`);
    }
    if (a.predictedLoss !== undefined) md.appendMarkdown(`| Predicted loss | ${a.predictedLoss.toFixed(3)} (${esc(law.source)}) |\n`);
    const from = Object.entries(a.sources).map(([role, v]) => `${code(v.key)} (line ${v.range.start.line})${role !== v.key ? ` → ${esc(role)}` : ''}`);
    if (from.length) md.appendMarkdown(`\nFrom ${from.join(', ')}.`);
    if (a.missing.length) md.appendMarkdown(`\n\nMissing for the rest: ${a.missing.map(code).join(', ')}.`);
    return md;
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const diags = ctx.diagnostics.filter((d) => d.code === DIAG_CODE && d.source === 'Scaling Lens');
    if (diags.length === 0) return [];
    const a = this.analysis(doc);
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
  }
}

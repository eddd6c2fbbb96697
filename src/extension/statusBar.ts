import * as vscode from 'vscode';
import type { Analyses } from './analysis';
import type { LogIndex } from './logIndex';
import { bandText, formatCount, formatNumber } from '../core/format';
import { readSettings } from './settings';
import { resolvedXKind } from '../protocol';

/** The status-bar item for the active log: rows, predicted loss at the target, tokens per parameter. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('scalingLens.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly analyses: Analyses, private readonly index: LogIndex) {
    this.item.name = 'Scaling Lens';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update(true)),
      index.onDidChange(() => this.update(true)),
      analyses.onDidAnalyze(() => this.update(false)),
      analyses.onDidFail(() => this.update(false)),
    );
    this.update(true);
  }

  private update(analyzeIfMissing: boolean): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || !this.index.has(uri)) {
      this.item.hide();
      return;
    }
    this.item.command = { command: 'scalingLens.openPanel', title: 'Open Chart Panel', arguments: [uri] };
    const last = this.analyses.last(uri);
    if (!last) {
      this.item.text = '$(graph-line) Scaling Lens';
      this.item.tooltip = 'Scaling Lens: click to fit a scaling law to this log';
      this.item.show();
      if (analyzeIfMissing) void this.analyses.ensure(uri);
      return;
    }
    const s = last.state;
    const parts = [`${formatCount(s.rows)} rows`];
    const tip = [`Scaling Lens — ${s.name}`, `${s.format} ${s.logKind}, ${s.rows.toLocaleString('en-US')} rows`];
    const p = s.fit?.prediction;
    if (p) {
      parts.push(`L(${formatCount(p.tokens)})=${formatNumber(p.loss, 4)}`);
      const band = bandText(p.lo, p.hi, (v) => formatNumber(v, 4));
      tip.push(`${p.inSample ? 'Fitted loss (in-sample) at the last logged' : 'Predicted loss at'} ${formatCount(p.tokens)} ${resolvedXKind(s)}: ${formatNumber(p.loss, 4)} (${band ?? 'no band drawn'})`);
    }
    const ratio = s.fit?.optimal?.tokensPerParam ?? (s.marker && s.observed?.x.length && resolvedXKind(s) === 'tokens'
      ? s.observed.x[s.observed.x.length - 1] / s.marker.params : undefined);
    if (ratio !== undefined && Number.isFinite(ratio)) {
      const reference = readSettings(uri).referenceRatio;
      parts.push(`${formatNumber(ratio, 3)} tok/param`);
      tip.push(s.fit?.optimal ? `Compute-optimal tokens per parameter from the fitted law: ${formatNumber(ratio, 3)}` : `Tokens per parameter so far: ${formatNumber(ratio, 3)} (reference ≈${formatNumber(reference, 3)}, setting scalingLens.tokensPerParam.reference)`);
    }
    tip.push('', 'Click to open the chart panel');
    this.item.text = `$(graph-line) ${parts.join(' · ')}`;
    this.item.tooltip = tip.join('\n');
    this.item.accessibilityInformation = { label: `Scaling Lens: ${parts.join(', ')}` };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

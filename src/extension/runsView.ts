/**
 * The Runs tree view: every run folder of the workspace (model size total/active, tokens so far, last
 * loss, tokens per parameter), grouped by folder, refreshed when run files change. Discovery runs in
 * the worker thread (src/core/runs); this file only shapes tree items and wires commands.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { DiscoverResult, RunInfo } from '../core/runs';
import { skipDir } from '../core/runs/walk';
import { formatCount, formatNumber, plural } from '../core/format';
import { markdownText } from '../core/escape';
import type { WorkerHost } from './workerHost';
import { isCancelled } from '../core/cancel';
import { DEFAULT_ANALYZE_OPTIONS } from '../core/options';

export const RUNS_VIEW_ID = 'scalingLens.runs';

type Node =
  | { kind: 'folder'; folder: vscode.WorkspaceFolder; result: DiscoverResult }
  | { kind: 'group'; folder: vscode.WorkspaceFolder; group: string; runs: RunInfo[] }
  | { kind: 'run'; folder: vscode.WorkspaceFolder; run: RunInfo }
  | { kind: 'note'; text: string; tooltip?: string };

/** Files whose change can change a run: logs, configs, event files. */
const WATCH_GLOB = '**/{trainer_state.json,*history.json,metrics.csv,metrics.json,hparams.yaml,hparams.yml,config.json,meta.yaml,metrics_epoch_*.json,*.wandb,*.jsonl,*.ndjson,*.log,*.txt,*.out,*.csv,*.tsv,*.yaml,*.yml,*.toml,*.py,events.out.tfevents.*}';

const LAYOUT_NAMES: Record<RunInfo['layout'], string> = {
  'hf-trainer': 'Hugging Face Trainer', lightning: 'PyTorch Lightning', nanogpt: 'nanoGPT-style', torchtitan: 'torchtitan (TOML)',
  'yaml-config': 'YAML config + log', 'json-config': 'JSON config + log', mlflow: 'MLflow run', wandb: 'W&B run', dvclive: 'DVCLive folder', allennlp: 'AllenNLP folder', sacred: 'Sacred run', 'log-only': 'log without a config',
};

/**
 * A run's row: loss first (then a held-out loss that has turned up), then N, D and D/N in the scaling-law letters, so that a narrow sidebar
 * cuts the least useful figure (the tooltip and the spoken label have every figure in words).
 */
export function runDescription(r: RunInfo): string {
  const parts: string[] = [];
  if (r.loss !== undefined) parts.push(`L ${formatNumber(r.loss, 4)}`);
  if (r.params) parts.push(r.params.total === r.params.active ? `N ${formatCount(r.params.total)}` : `N ${formatCount(r.params.total)} (${formatCount(r.params.active)} act.)`);
  else parts.push('N ?');
  parts.push(r.tokens !== undefined ? `D ${formatCount(r.tokens)}` : `${r.steps !== undefined ? `${formatCount(r.steps)} ${r.stepUnit ?? 'step'}s` : 'D ?'}`);
  if (r.tokensPerParam !== undefined) parts.push(`${formatNumber(r.tokensPerParam, 3)} D/N`);
  // A held-out loss that has turned up, right after the loss: a narrow sidebar cuts D/N first.
  if (r.heldOutRise) parts.splice(r.loss !== undefined ? 1 : 0, 0, `${r.heldOutRise.series} ↑${formatNumber(100 * r.heldOutRise.rise, 2)}%`);
  return parts.join(' · ');
}

/** The same figures in words, for screen readers. */
function runSpoken(r: RunInfo): string {
  const parts: string[] = [];
  if (r.loss !== undefined) parts.push(`final loss ${formatNumber(r.loss, 4)}`);
  if (r.params) parts.push(r.params.total === r.params.active ? `${formatCount(r.params.total)} parameters` : `${formatCount(r.params.total)} parameters, ${formatCount(r.params.active)} active`);
  else parts.push('model size unknown');
  parts.push(r.tokens !== undefined ? `${formatCount(r.tokens)} tokens` : r.steps !== undefined ? `${formatCount(r.steps)} ${r.stepUnit ?? 'step'}s, tokens unknown` : 'tokens unknown');
  if (r.tokensPerParam !== undefined) parts.push(`${formatNumber(r.tokensPerParam, 3)} tokens per parameter`);
  if (r.heldOutRise) parts.push(`held-out loss ${r.heldOutRise.series} risen ${formatNumber(100 * r.heldOutRise.rise, 2)} percent above its lowest, at ${r.stepUnit ?? 'step'} ${formatCount(r.heldOutRise.bestStep)}`);
  return parts.join(', ');
}

function runTooltip(r: RunInfo, root: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.supportHtml = false;
  const rel = (p: string) => path.relative(root, p) || p;
  md.appendMarkdown('**');
  md.appendMarkdown(markdownText(r.rel));
  md.appendMarkdown(`** — ${LAYOUT_NAMES[r.layout]}\n\n`);
  const row = (k: string, v: string) => { md.appendMarkdown(`- ${k}: ${markdownText(v)}\n`); };
  if (r.params) row('parameters', r.paramsSource ?? (r.params.total === r.params.active ? r.params.total.toLocaleString('en-US') : `${r.params.total.toLocaleString('en-US')} total, ${r.params.active.toLocaleString('en-US')} active`));
  if (r.tokens !== undefined) row('tokens so far', `${r.tokens.toLocaleString('en-US')}${r.tokensSource ? ` (${r.tokensSource})` : ''}`);
  if (r.plannedTokens !== undefined) row('planned tokens (config)', r.plannedTokens.toLocaleString('en-US'));
  if (r.tokensPerParam !== undefined) row('tokens per parameter', formatNumber(r.tokensPerParam, 4));
  if (r.steps !== undefined) row(`last ${r.stepUnit ?? 'step'}`, r.steps.toLocaleString('en-US'));
  if (r.loss !== undefined) row('final loss', `${formatNumber(r.loss, 5)} (${r.lossSeries ?? 'loss'}, ${r.points.toLocaleString('en-US')} points)`);
  const h = r.heldOutRise;
  if (h) {
    const why = h.trainChange === undefined ? '' : h.trainChange < 0 ? `: overfitting (the training loss fell ${formatNumber(-100 * h.trainChange, 3)}% meanwhile)` : `: diverging (the training loss rose ${formatNumber(100 * h.trainChange, 3)}% too)`;
    row('held-out loss', `"${h.series}" has risen ${formatNumber(100 * h.rise, 3)}% above its lowest (${formatNumber(h.best, 4)} at ${r.stepUnit ?? 'step'} ${h.bestStep.toLocaleString('en-US')})${why}`);
  }
  row('learning rate', r.scheduleNote);
  row('log', rel(r.log));
  if (r.config) row('config', rel(r.config));
  for (const p of r.problems) { md.appendMarkdown(`\n⚠ ${markdownText(p)}\n`); }
  return md;
}

export class RunsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly results = new Map<string, DiscoverResult>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly view: vscode.TreeView<Node>;
  private timer: NodeJS.Timeout | undefined;
  private stale = true;
  private running: Promise<void> | undefined;
  private rerun = false;
  private cts: vscode.CancellationTokenSource | undefined;
  private error: string | undefined;
  private readonly didRefresh = new vscode.EventEmitter<void>();
  /** Fires after each discovery (tests and the compare/fit commands wait on it). */
  readonly onDidRefresh = this.didRefresh.event;

  constructor(private readonly worker: WorkerHost, private readonly log: vscode.LogOutputChannel) {
    this.view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: this, canSelectMany: true, showCollapseAll: true });
    const watcher = vscode.workspace.createFileSystemWatcher(WATCH_GLOB);
    // A new run folder: its files may be written before the folder itself is watched (their events
    // are then lost), so a new folder also triggers a refresh.
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const onFs = () => this.schedule();
    const onFolder = (u: vscode.Uri) => { if (!vscode.workspace.asRelativePath(u, false).split(/[\\/]/).some((seg) => skipDir(seg))) this.schedule(); };
    this.disposables.push(
      this.view, watcher, folders, this.changed, this.didRefresh,
      watcher.onDidChange(onFs), watcher.onDidCreate(onFs), watcher.onDidDelete(onFs),
      folders.onDidCreate(onFolder), folders.onDidDelete(onFolder),
      this.view.onDidChangeVisibility((e) => { if (e.visible && this.stale) void this.refresh(); }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('scalingLens.runs') || e.affectsConfiguration('scalingLens.fit.tokensPerStep') || e.affectsConfiguration('scalingLens.diagnostics.overfitRisePercent')) this.schedule(); }),
    );
  }

  private schedule(): void {
    this.stale = true;
    clearTimeout(this.timer);
    const delay = vscode.workspace.getConfiguration('scalingLens').get<number>('runs.refreshDelayMs', 2000);
    this.timer = setTimeout(() => { if (this.view.visible) void this.refresh(); }, delay);
  }

  /** Rediscover every workspace folder in the worker. A refresh asked for during one runs after it. */
  refresh(): Promise<void> {
    if (this.running) { this.rerun = true; return this.running; }
    this.running = this.discover().finally(() => {
      this.running = undefined;
      if (this.rerun) { this.rerun = false; void this.refresh(); }
    });
    return this.running;
  }

  /** The runs known now, refreshing first when none were discovered yet (or files changed). */
  async current(): Promise<{ folder: vscode.WorkspaceFolder; runs: RunInfo[] }[]> {
    if (this.stale || this.results.size === 0) await this.refresh();
    return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ folder, runs: this.results.get(folder.uri.fsPath)?.runs ?? [] }));
  }

  private async discover(): Promise<void> {
    this.stale = false;
    this.cts?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.cts = cts;
    const cfg = vscode.workspace.getConfiguration('scalingLens');
    const limits = { maxDepth: cfg.get<number>('runs.maxDepth', 8), maxDirs: cfg.get<number>('runs.maxFolders', 5000) };
    const tokensPerStep = cfg.get<number>('fit.tokensPerStep', 0);
    const overfitRisePercent = cfg.get<number>('diagnostics.overfitRisePercent', DEFAULT_ANALYZE_OPTIONS.overfitRisePercent);
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    this.error = undefined;
    await vscode.window.withProgress({ location: { viewId: RUNS_VIEW_ID }, title: 'Finding runs' }, async () => {
      for (const f of folders) {
        try {
          const r = await this.worker.runs({ type: 'runs.discover', root: f.uri.fsPath, tokensPerStep, overfitRisePercent, limits }, cts.token);
          this.results.set(f.uri.fsPath, r);
        } catch (e) {
          if (isCancelled(e)) return;
          this.error = `Run discovery failed in ${f.name}: ${(e as Error).message}`;
          this.log.error(this.error);
        }
      }
    });
    for (const k of [...this.results.keys()]) if (!folders.some((f) => f.uri.fsPath === k)) this.results.delete(k);
    const all = [...this.results.values()].flatMap((r) => r.runs);
    const usable = all.filter((r) => r.usable).length;
    this.view.description = all.length ? `${plural(all.length, 'run')}, ${usable} usable` : undefined;
    void vscode.commands.executeCommand('setContext', 'scalingLens.hasRuns', all.length > 0);
    this.changed.fire(undefined);
    this.didRefresh.fire();
    cts.dispose();
    if (this.cts === cts) this.cts = undefined;
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'folder': {
        const it = new vscode.TreeItem(n.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        it.contextValue = 'runFolder';
        it.iconPath = vscode.ThemeIcon.Folder;
        it.description = `${n.result.runs.length} runs`;
        return it;
      }
      case 'group': {
        const label = n.group.split('/').pop() ?? n.group;
        const it = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        it.id = `group:${n.folder.uri.fsPath}:${n.group}`;
        it.contextValue = 'runGroup';
        it.iconPath = vscode.ThemeIcon.Folder;
        const usable = n.runs.filter((r) => r.usable).length;
        it.description = `${plural(n.runs.length, 'run')}${usable < n.runs.length ? `, ${usable} usable` : ''}`;
        it.tooltip = `${n.group}: ${n.runs.length} runs; Fit Across Runs makes a sweep of the ${usable} usable ones`;
        it.accessibilityInformation = { label: `${n.group}: ${it.description}` };
        return it;
      }
      case 'run': {
        const r = n.run;
        const label = r.rel === '.' ? n.folder.name : r.rel.split('/').pop() ?? r.rel;
        const it = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        it.id = `run:${r.path}:${r.log}`;
        it.description = runDescription(r);
        it.tooltip = runTooltip(r, n.folder.uri.fsPath);
        it.contextValue = r.usable ? 'run' : 'run.unusable';
        // A held-out loss that has turned up colours the icon too: seen when a narrow sidebar cuts the description.
        it.iconPath = !r.usable ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
          : r.heldOutRise ? new vscode.ThemeIcon('pulse', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('pulse');
        it.accessibilityInformation = { label: `${label}: ${runSpoken(r)}${r.usable ? '' : `. Left out of fits: ${r.problems.join(' ')}`}` };
        return it;
      }
      case 'note': {
        const it = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
        it.tooltip = n.tooltip ?? n.text;
        it.iconPath = new vscode.ThemeIcon('info');
        return it;
      }
    }
  }

  getChildren(n?: Node): Node[] {
    if (!n) {
      if (this.stale && this.results.size === 0) { void this.refresh(); return []; }
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => this.results.has(f.uri.fsPath));
      const notes: Node[] = this.error ? [{ kind: 'note', text: this.error }] : [];
      if (folders.length === 1) return [...notes, ...this.groupsOf(folders[0])];
      return [...notes, ...folders.map((folder) => ({ kind: 'folder' as const, folder, result: this.results.get(folder.uri.fsPath)! }))];
    }
    if (n.kind === 'folder') return this.groupsOf(n.folder);
    if (n.kind === 'group') return this.level(n.folder, n.runs, n.group);
    return [];
  }

  private groupsOf(folder: vscode.WorkspaceFolder): Node[] {
    const result = this.results.get(folder.uri.fsPath);
    if (!result) return [];
    const notes: Node[] = result.problems.map((p) => ({ kind: 'note' as const, text: p }));
    return [...notes, ...this.level(folder, result.runs, '.')];
  }

  /**
   * One level of the folder tree under `dir` ('.' = the workspace folder): a node per sub-folder
   * holding runs (each with every run below it), then the runs whose folder is `dir` itself.
   */
  private level(folder: vscode.WorkspaceFolder, runs: RunInfo[], dir: string): Node[] {
    const prefix = dir === '.' ? '' : `${dir}/`;
    const sub = new Map<string, RunInfo[]>();
    const here: RunInfo[] = [];
    for (const r of runs) {
      if (r.group === dir || r.rel === dir) { here.push(r); continue; }
      const rest = r.group.slice(prefix.length);
      const child = prefix + rest.split('/')[0];
      const g = sub.get(child);
      if (g) g.push(r); else sub.set(child, [r]);
    }
    const out: Node[] = [...sub].sort((a, b) => a[0].localeCompare(b[0])).map(([group, rs]) => ({ kind: 'group' as const, folder, group, runs: rs }));
    for (const run of here) out.push({ kind: 'run', folder, run });
    return out;
  }

  getParent(): undefined {
    return undefined;
  }

  /** Runs a command was invoked on: the clicked node plus the view's selection, or explorer URIs. */
  async runsFor(arg: unknown, many: unknown): Promise<RunInfo[]> {
    const nodes: unknown[] = Array.isArray(many) && many.length ? many : arg !== undefined ? [arg] : [...this.view.selection];
    const out = new Map<string, RunInfo>();
    const uris = nodes.filter((x): x is vscode.Uri => x instanceof vscode.Uri);
    const all = uris.length ? (await this.current()).flatMap((f) => f.runs) : [];
    for (const x of nodes) {
      if (x instanceof vscode.Uri) {
        const p = x.fsPath;
        for (const r of all) if (r.log === p || r.path === p || r.path.startsWith(p + path.sep) || p.startsWith(r.path + path.sep)) out.set(r.log, r);
        continue;
      }
      const n = x as Node;
      if (n?.kind === 'run') out.set(n.run.log, n.run);
      else if (n?.kind === 'group') for (const r of n.runs) out.set(r.log, r);
      else if (n?.kind === 'folder') for (const r of n.result.runs) out.set(r.log, r);
    }
    return [...out.values()];
  }

  /** What the integration tests read. */
  describe(): { root: string; runs: { rel: string; layout: string; usable: boolean; params?: { total: number; active: number }; tokens?: number; loss?: number; problems: string[] }[] }[] {
    return [...this.results.values()].map((r) => ({
      root: r.root, runs: r.runs.map((x) => ({ rel: x.rel, layout: x.layout, usable: x.usable, params: x.params, tokens: x.tokens, loss: x.loss, problems: x.problems })),
    }));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.cts?.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

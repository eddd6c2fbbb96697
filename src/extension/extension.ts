import * as vscode from 'vscode';
import { withLateNotification } from './progress';
import { notificationSafe } from '../core/escape';
import * as path from 'node:path';
import { statSync } from 'node:fs';
import { WorkerHost } from './workerHost';
import { DEFAULT_CACHE_MB, DEFAULT_LOG_MB } from './workerProtocol';
import { Analyses } from './analysis';
import { LogIndex } from './logIndex';
import { DetectWorkerHost } from './detectWorkerHost';
import { Panels } from './panel';
import { AllocationPanel } from './allocationPanel';
import { SideView, SIDE_VIEW_ID } from './sideView';
import { StatusBar } from './statusBar';
import { LogDiagnostics } from './logDiagnostics';
import { ConfigFeatures, type WorkspaceLaw } from './configFeatures';
import { REPLICATION_LAW } from '../core/fit/laws';
import { paramsFor } from '../core/fit/types';
import { RunsView } from './runsView';
import { RunsPanels } from './comparePanel';
import type { RunInfo } from '../core/runs';
import { USER_ROLES } from '../core/logs/roles';
import { EVAL_ROLES } from '../core/evals/roles';
import { plural } from '../core/format';
import { isCancelled } from '../core/cancel';
import { isLogCandidateName } from '../core/detectLogs';

function isFolder(uri: vscode.Uri): boolean {
  try { return uri.scheme === 'file' && statSync(uri.fsPath).isDirectory(); } catch { return false; }
}


/** What the extension exposes to its own integration tests (and other extensions), read-only. */
export interface ScalingLensApi {
  logFiles(): string[];
  panels(): ReturnType<Panels['describe']>;
  sideView(): ReturnType<SideView['describe']>;
  lastState(file: string): unknown;
  whenScanned(): Promise<void>;
  /** The Runs view's runs (refreshing first when stale) and the compare / fit-across-runs panels. */
  runs(): Promise<ReturnType<RunsView['describe']>>;
  runsPanels(): ReturnType<RunsPanels['describe']>;
}

export function activate(context: vscode.ExtensionContext): ScalingLensApi {
  const log = vscode.window.createOutputChannel('Scaling Lens', { log: true });
  const worker = new WorkerHost(context.extensionPath, log, () => {
    const cfg = vscode.workspace.getConfiguration('scalingLens');
    return { cacheMb: cfg.get<number>('memory.cacheMegabytes', DEFAULT_CACHE_MB), logMb: cfg.get<number>('memory.logMegabytes', DEFAULT_LOG_MB) };
  });
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('scalingLens.memory')) worker.memoryChanged(); }));
  // The last Chinchilla law fitted in this workspace (a sweep's fit); used where `scalingLens.prediction.law` asks for it.
  let workspaceLaw: WorkspaceLaw | undefined;
  const lawAsked = (): WorkspaceLaw | undefined => (vscode.workspace.getConfiguration('scalingLens').get('prediction.law') === 'workspace' ? workspaceLaw : undefined);
  const analyses = new Analyses(worker, log, lawAsked);
  // Which files are logs is judged in a small worker of its own (off the host thread, and not behind
  // a long fit in the log worker: a log created while one runs gets its menus at once).
  const detector = new DetectWorkerHost(path.join(context.extensionPath, 'dist', 'detectWorker.js'), undefined, (m) => log.warn(m));
  const index = new LogIndex((files) => detector.detect(files));
  const allocation = new AllocationPanel(context.extensionUri, { worker, index });
  const panels = new Panels(context.extensionUri, analyses);
  const openPanel = (uri: vscode.Uri) => panels.show(uri, false);
  const side = new SideView(context.extensionUri, analyses, index, openPanel);
  const configs = new ConfigFeatures(() => workspaceLaw, context.extensionPath);

  context.subscriptions.push(
    log, worker, detector, analyses, index, panels, allocation, side, configs,
    new StatusBar(analyses, index),
    new LogDiagnostics(analyses, index),
    panels.registerSerializer((msg) => log.warn(msg)),
    vscode.window.registerWebviewViewProvider(SIDE_VIEW_ID, side, { webviewOptions: { retainContextWhenHidden: false } }),
    analyses.onDidAnalyze(({ uri, result }) => {
      const p = result.state.fit && paramsFor(result.state.fit, 'chinchilla');
      if (p && Object.values(p).every(Number.isFinite)) {
        workspaceLaw = {
          law: { E: p.E, A: p.A, B: p.B, alpha: p.alpha, beta: p.beta },
          source: `the law fitted to ${path.basename(uri.fsPath)}`,
        };
      }
    }),
  );

  /** The log a command is about: its argument, the active editor's log, or one the user picks. */
  async function pickLog(arg: unknown): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && active.scheme === 'file' && (index.has(active) || (await index.check(active)))) return active;
    // The open file named like a log but not judged one: offered first, so fitting it says why
    // (an MMCV log of evaluations only, a console without steps) instead of silently listing others.
    const unread = active && active.scheme === 'file' && isLogCandidateName(active.fsPath) ? active : undefined;
    const known = index.all();
    if (known.length || unread) {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const where = (u: vscode.Uri) => (root ? path.relative(root, path.dirname(u.fsPath)) : path.dirname(u.fsPath));
      const items = known.map((u) => ({ label: path.basename(u.fsPath), description: where(u), uri: u }));
      if (unread) items.unshift({ label: path.basename(unread.fsPath), description: 'the open file, not recognised as a training log: fit it to see why', uri: unread });
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Scaling Lens: fit which log?', placeHolder: unread ? 'The open file, or a training log found in this workspace' : 'Training logs found in this workspace', matchOnDescription: true,
      });
      return pick?.uri;
    }
    const picked = await vscode.window.showOpenDialog({
      title: 'Scaling Lens: choose a training log',
      canSelectMany: false,
      filters: { 'Training logs': ['csv', 'tsv', 'jsonl', 'ndjson', 'json', 'log', 'txt', 'out', 'ipynb'] },
    });
    return picked?.[0];
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('scalingLens.fit', async (arg?: unknown) => {
      const uri = await pickLog(arg);
      if (!uri) return;
      panels.show(uri, true);
      // A run folder has no editor for the side view to follow: it follows the fit.
      if (isFolder(uri)) side.follow(uri);
    }),
    vscode.commands.registerCommand('scalingLens.openPanel', async (arg?: unknown) => {
      const uri = await pickLog(arg);
      if (uri) panels.show(uri, false);
    }),
    vscode.commands.registerCommand('scalingLens.focusView', () => vscode.commands.executeCommand(`${SIDE_VIEW_ID}.focus`)),
    vscode.commands.registerCommand('scalingLens.inspect', async (arg?: unknown) => {
      const uri = await pickLog(arg);
      if (!uri) return;
      const r = analyses.last(uri) ?? (await analyses.run(uri, true));
      if (!r) return;
      const s = r.state;
      log.info(`${s.file}: ${s.format} ${s.logKind}, ${s.rows} rows; columns: ${s.columns.map((c) => `${c.name} → ${c.role} (${Math.round(c.confidence * 100)}%: ${c.reason ?? ''})`).join('; ')}; ${s.problemCount} problems`);
      const pick = await vscode.window.showQuickPick(
        s.columns.map((c) => ({ label: c.name, description: `${c.role} · ${Math.round(c.confidence * 100)}%`, detail: c.reason, column: c.name })),
        { title: `${s.name}: ${s.format} ${s.logKind}, ${s.rows.toLocaleString('en-US')} rows, ${s.problemCount} problems — pick a column to change its role` },
      );
      if (pick) await vscode.commands.executeCommand('scalingLens.setColumnRole', uri, pick.column);
    }),
    // A log holding several runs one after another (a sweep printed to one console): each written
    // beside it, so each can be fitted and compared (the worker reads and writes; the host waits on nothing).
    vscode.commands.registerCommand('scalingLens.splitRuns', async (arg?: unknown) => {
      const uri = await pickLog(arg);
      if (!uri) return;
      const name = path.basename(uri.fsPath);
      try {
        const r = await withLateNotification(notificationSafe(`Scaling Lens: splitting ${name} into its runs`), (_p, token) => worker.runs({ type: 'runs.split', file: uri.fsPath }, token));
        if (r.files.length === 0) { void vscode.window.showInformationMessage(`Scaling Lens: ${r.note ?? 'nothing written'}`); return; }
        log.info(`${name}: ${r.runs} runs written to ${r.files.join(', ')}`);
        const reveal = 'Reveal in Explorer', compare = 'Compare Runs';
        const pick = await vscode.window.showInformationMessage(
          `Scaling Lens: ${name} held ${r.runs} runs one after another; each is written beside it in a folder of its own, ${path.basename(r.folder ?? '')}/run-1 … run-${r.runs}: runs to fit and compare.`, compare, reveal);
        if (pick === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.files[0]));
        if (pick === compare) {
          // The runs as the Runs view finds them once it has looked again (these folders are new).
          await runsView.refresh();
          const split = new Set(r.files);
          const runs = (await runsView.current()).flatMap((f) => f.runs).filter((x) => split.has(x.log));
          if (runs.length) runsPanels.showCompare(runs);
          else void vscode.window.showInformationMessage(`Scaling Lens: the Runs view does not list ${path.basename(r.folder ?? '')} (is it inside the workspace?)`);
        }
      } catch (e) {
        if (!isCancelled(e)) void vscode.window.showErrorMessage(`Scaling Lens: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
    vscode.commands.registerCommand('scalingLens.setColumnRole', async (arg?: unknown, columnArg?: unknown) => {
      const uri = await pickLog(arg);
      if (!uri) return;
      const r = analyses.last(uri) ?? (await analyses.run(uri, true));
      if (!r) return;
      const column = typeof columnArg === 'string' ? columnArg : (await vscode.window.showQuickPick(
        r.state.columns.map((c) => ({ label: c.name, description: c.role })), { title: 'Scaling Lens: which column?' }))?.label;
      if (!column) return;
      // An eval-result file has eval roles (problem, correct, budget, …), kept in their own setting.
      const isEval = r.state.logKind === 'eval';
      const choices: readonly string[] = isEval ? EVAL_ROLES : USER_ROLES;
      const role = await vscode.window.showQuickPick(choices.map((x) => ({ label: x })), { title: `Role of "${column}"${isEval ? ' (eval results)' : ''}` });
      if (!role) return;
      const key = isEval ? 'evalColumnRoles' : 'columnRoles';
      const cfg = vscode.workspace.getConfiguration('scalingLens', uri);
      const roles = { ...(cfg.get<Record<string, string>>(key) ?? {}), [column]: role.label };
      const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await cfg.update(key, roles, target);
      await analyses.run(uri, true);
    }),
    vscode.commands.registerCommand('scalingLens.computeOptimal', async (arg?: unknown) => {
      const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { budget?: unknown; current?: { N: number; D: number; source: string } };
      let budget = typeof a.budget === 'number' ? a.budget : NaN;
      if (!(budget > 0)) {
        const text = await vscode.window.showInputBox({
          title: 'Scaling Lens: compute-optimal allocation',
          prompt: 'Training compute budget in FLOPs (C ≈ 6·N·D)',
          value: '1e21',
          validateInput: (v) => (Number(v) > 0 && Number.isFinite(Number(v)) ? undefined : 'A positive number, e.g. 1e21 or 5.76e23'),
        });
        if (!text) return;
        budget = Number(text);
      }
      const ws = lawAsked();
      allocation.show(ws?.law ?? REPLICATION_LAW, ws?.source ?? 'Besiroglu et al. 2024 replication of Chinchilla', budget, a.current);
    }),
    vscode.commands.registerCommand('scalingLens.setMaxStepsForRatio', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const an = await configs.analysis(editor.document);
      const diags = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'Scaling Lens');
      const act = an ? configs.actionsFor(editor.document, an, diags).find((x) => x.edit) : undefined;
      if (!act?.edit) {
        void vscode.window.showInformationMessage('Scaling Lens: this file is not a training config with a step count and a model size.');
        return;
      }
      await vscode.workspace.applyEdit(act.edit);
    }),
  );

  // ---- runs across the workspace (issue 12)
  const runsView = new RunsView(worker, log);
  const runsPanels = new RunsPanels(context.extensionUri, worker, async () => (await runsView.current()).flatMap((f) => f.runs));
  context.subscriptions.push(runsView, runsPanels, runsPanels.registerSerializers((msg) => log.warn(msg)));
  const runsOf = async (arg: unknown, many: unknown, what: string, min: number): Promise<RunInfo[] | undefined> => {
    let runs = await runsView.runsFor(arg, many);
    if (runs.length === 0 && arg === undefined) {
      const all = (await runsView.current()).flatMap((f) => f.runs);
      const picks = await vscode.window.showQuickPick(
        all.map((r) => ({ label: r.rel, description: r.usable ? undefined : 'left out of fits', picked: r.usable, run: r })),
        { canPickMany: true, title: `Scaling Lens: ${what} which runs?` },
      );
      runs = picks?.map((p) => p.run) ?? [];
    }
    if (runs.length < min) {
      if (runs.length > 0 || arg !== undefined) void vscode.window.showInformationMessage(`Scaling Lens: ${what} needs at least ${plural(min, 'run')}; select them in the Runs view (Ctrl/Cmd-click) or pick a folder.`);
      return undefined;
    }
    return runs;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('scalingLens.runs.refresh', () => runsView.refresh()),
    vscode.commands.registerCommand('scalingLens.runs.fit', async (arg?: unknown) => {
      const runs = await runsOf(arg, undefined, 'Fit', 1);
      if (runs) panels.show(vscode.Uri.file(runs[0].log), true);
    }),
    vscode.commands.registerCommand('scalingLens.runs.reveal', async (arg?: unknown) => {
      const runs = await runsOf(arg, undefined, 'Reveal', 1);
      if (runs) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(runs[0].path));
    }),
    vscode.commands.registerCommand('scalingLens.runs.compare', async (arg?: unknown, many?: unknown) => {
      const runs = await runsOf(arg, many, 'Compare', 1);
      if (runs) runsPanels.showCompare(runs);
    }),
    vscode.commands.registerCommand('scalingLens.runs.fitAcross', async (arg?: unknown, many?: unknown) => {
      // The view's title button fits every run of the workspace; an item or folder fits its runs.
      const all = arg === undefined && !many ? (await runsView.current()).flatMap((f) => f.runs) : undefined;
      const runs = all ?? (await runsOf(arg, many, 'Fit across runs', 1));
      if (!runs) return;
      if (runs.filter((r) => r.usable).length < 2) {
        void vscode.window.showWarningMessage(`Scaling Lens: only ${runs.filter((r) => r.usable).length} of the ${runs.length} runs have a model size, a token count and a loss; a law across runs needs several (5 or more for Chinchilla). Hover a run in the Runs view to see what is missing.`);
        return;
      }
      runsPanels.showFit(runs);
    }),
  );

  const scanned = index.scan().catch((e: unknown) => log.error(`workspace scan failed: ${e instanceof Error ? e.message : String(e)}`));

  return {
    logFiles: () => index.all().map((u) => u.fsPath),
    panels: () => panels.describe(),
    sideView: () => side.describe(),
    lastState: (file: string) => analyses.last(vscode.Uri.file(file))?.state,
    whenScanned: () => scanned,
    runs: async () => { await runsView.current(); return runsView.describe(); },
    runsPanels: () => runsPanels.describe(),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

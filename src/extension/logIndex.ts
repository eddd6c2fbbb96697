import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { readHead as readRegularHead } from '../core/files';
import { isRunFileName, isTfeventsName, looksLikeLog, runFilesUnder, runFoldersOf } from '../core/logs';
import { looksLikeEval } from '../core/evals/read';

/** Eval results come as tables or JSON lines. */
const isEvalName = (p: string): boolean => /\.(csv|tsv|jsonl|ndjson)$/i.test(p);

const GLOB = '**/*.{csv,tsv,jsonl,ndjson,json,log,txt,out}';
/**
 * What the start-up scan reads: files whose names already say "log" or "table". Plain .json, .txt
 * and .out files are far more common than logs (a workspace may hold thousands), so they are checked
 * only when opened, created or changed: activating on a JSON or plain-text file scans no more than
 * activating any other way.
 */
const SCAN_GLOB = '**/{*.csv,*.tsv,*.jsonl,*.ndjson,*.log,trainer_state.json}';
/** Files that mark a run folder: TensorBoard event files, MLflow run meta.yaml, W&B run files. */
const RUN_GLOB = '**/{events.out.tfevents.*,*.wandb,meta.yaml,wandb-summary.json}';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/site-packages/**}';
const HEAD_BYTES = 16 * 1024;
const MAX_SCAN = 5000;

/** The head of a regular file (a named pipe matching the pattern is never opened: it would block an I/O thread). */
async function readHead(file: string): Promise<string | undefined> {
  return (await readRegularHead(file, HEAD_BYTES))?.toString('utf8');
}

/**
 * Knows which workspace files are training logs (detected by name and content, never by name alone)
 * and publishes them as the `scalingLens.logFiles` context key, which turns the menus on; also keeps
 * `scalingLens.activeIsLog` for the active editor.
 */
export class LogIndex implements vscode.Disposable {
  private readonly logs = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private publishTimer: NodeJS.Timeout | undefined;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    const runWatcher = vscode.workspace.createFileSystemWatcher(RUN_GLOB, false, true, false);
    // A folder created with its files at once (a logger starting a run, a folder moved in) may be
    // reported as the folder alone: look inside new folders for run files.
    const folderWatcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, true);
    this.disposables.push(
      folderWatcher,
      folderWatcher.onDidCreate((u) => void this.checkCreatedFolder(u)),
      runWatcher,
      runWatcher.onDidCreate((u) => void this.checkRunFile(u)),
      runWatcher.onDidDelete((u) => this.remove(u)),
      watcher,
      watcher.onDidCreate((u) => void this.check(u)),
      watcher.onDidChange((u) => { if (!this.logs.has(u.fsPath)) void this.check(u); }),
      watcher.onDidDelete((u) => this.remove(u)),
      vscode.workspace.onDidOpenTextDocument((d) => { if (d.uri.scheme === 'file') void this.check(d.uri); }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateActive()),
      this.changed,
    );
  }

  /** Scan the workspace in the background (activation stays cheap). */
  async scan(): Promise<void> {
    const files = await vscode.workspace.findFiles(SCAN_GLOB, EXCLUDE, MAX_SCAN);
    const queue = [...files];
    const worker = async () => {
      for (let u = queue.shift(); u; u = queue.shift()) await this.check(u, false);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    for (const u of await vscode.workspace.findFiles(RUN_GLOB, EXCLUDE, MAX_SCAN)) await this.checkRunFile(u, false);
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'file') await this.check(d.uri, false);
    this.publish();
  }

  has(uri: vscode.Uri): boolean {
    return this.logs.has(uri.fsPath);
  }

  all(): vscode.Uri[] {
    return [...this.logs].sort().map((p) => vscode.Uri.file(p));
  }

  /** Check one file (by name and head content) and add or remove it. */
  async check(uri: vscode.Uri, publish = true): Promise<boolean> {
    if (uri.scheme !== 'file') return false;
    // Event files are binary: known from checkRunFile, not from a text head.
    if (isTfeventsName(uri.fsPath)) return this.logs.has(uri.fsPath);
    const head = await readHead(uri.fsPath);
    const isLog = head !== undefined && (looksLikeLog(path.basename(uri.fsPath), head) || isEvalName(uri.fsPath) && looksLikeEval(path.basename(uri.fsPath), head) !== undefined);
    const had = this.logs.has(uri.fsPath);
    if (isLog) this.logs.add(uri.fsPath);
    else this.logs.delete(uri.fsPath);
    if (publish && had !== isLog) this.publish();
    return isLog;
  }

  /**
   * A run file (event file, .wandb log, MLflow meta.yaml, W&B summary): its run folder(s) become
   * logs, and an event file is a log itself.
   */
  async checkRunFile(uri: vscode.Uri, publish = true): Promise<void> {
    if (uri.scheme !== 'file') return;
    let added = false;
    try {
      const folders = await runFoldersOf(uri.fsPath);
      const isEvents = isTfeventsName(uri.fsPath);
      for (const p of isEvents ? [uri.fsPath, ...folders] : folders) {
        if (!this.logs.has(p)) { this.logs.add(p); added = true; }
      }
    } catch {
      /* unreadable: not a log */
    }
    if (publish && added) this.publish();
  }

  private async checkCreatedFolder(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || isRunFileName(uri.fsPath)) return;
    try {
      if (!(await fsp.lstat(uri.fsPath)).isDirectory()) return;
      const files = await runFilesUnder(uri.fsPath);
      for (const f of files) await this.checkRunFile(vscode.Uri.file(f), false);
      if (files.length) this.publish();
    } catch {
      /* gone already */
    }
  }

  private remove(uri: vscode.Uri): void {
    if (this.logs.delete(uri.fsPath)) this.publish();
  }

  private publish(): void {
    clearTimeout(this.publishTimer);
    this.publishTimer = setTimeout(() => {
      void vscode.commands.executeCommand('setContext', 'scalingLens.logFiles', [...this.logs]);
      this.updateActive();
      this.changed.fire();
    }, 50);
  }

  private updateActive(): void {
    const u = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', 'scalingLens.activeIsLog', !!u && this.logs.has(u.fsPath));
  }

  dispose(): void {
    clearTimeout(this.publishTimer);
    for (const d of this.disposables) d.dispose();
  }
}

import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
// Not the logs index: it loads every reader (YAML and CSV included), which activation must not pay for.
import { isRunFileName, runFilesUnder, runFoldersOf } from '../core/logs/runFiles';
import { isTfeventsName } from '../core/logs/tfevents';
import { isGzipName } from '../core/logs/gzip';
import { detectLogFiles, isLogCandidateName, LOG_CANDIDATE_EXTENSIONS, logCandidatesUnder, MARKER_GLOB } from '../core/detectLogs';

// `gz` too: a gzipped log (`train.jsonl.gz`) whose inner name is a candidate's (check() looks).
const GLOB = `**/*.{${LOG_CANDIDATE_EXTENSIONS.join(',')},gz}`;
/**
 * What the start-up scan reads: files whose names already say "log" or "table" (`train_log.txt`,
 * SpeechBrain's and nnU-Net's, say it in the name; YOLOv5's and YOLOv7's `results.txt`; `metrics.json`: Sacred's, detectron2's). Other .json, .txt and .out files are far more
 * common than logs (a workspace may hold thousands), so they are checked only when opened, created
 * or changed: activating on a JSON or plain-text file scans no more than activating any other way.
 */
const SCAN_GLOB = '**/{*.csv,*.tsv,*.jsonl,*.ndjson,*.log,trainer_state.json,scalars.json,metrics.json,*.csv.gz,*.jsonl.gz,*.log.gz,*log*.txt,*log*.txt.gz,*log*.out,results*.txt,workerlog.[0-9]*,log}';
/** Logs named without a log's extension (detect.ts LOG_FILE_NAME_RE): PaddlePaddle's `workerlog.0`, Chainer's `result/log`. */
const NAMED_GLOB = '**/{workerlog.[0-9]*,log}';
/** Files that mark a run folder: TensorBoard event files, MLflow run meta.yaml, W&B run files, AllenNLP's first epoch file, a Ray Tune trial's progress.csv. */
const RUN_GLOB = '**/{events.out.tfevents.*,*.wandb,meta.yaml,wandb-summary.json,metrics.json,metrics_epoch_0.json,progress.csv}';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/site-packages/**}';
const MAX_SCAN = 5000;

/** Decides which files are logs off the extension host's thread (the worker); the index falls back to this thread. */
export type DetectLogs = (files: string[]) => Promise<string[]>;

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

  /** Whether the last scan found a marker (and so scanned); undefined before the first scan. */
  scanned: boolean | undefined;

  constructor(private readonly detect?: DetectLogs) {
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    const namedWatcher = vscode.workspace.createFileSystemWatcher(NAMED_GLOB);
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
      namedWatcher,
      namedWatcher.onDidCreate((u) => void this.check(u)),
      namedWatcher.onDidChange((u) => { if (!this.logs.has(u.fsPath)) void this.check(u); }),
      namedWatcher.onDidDelete((u) => this.remove(u)),
      vscode.workspace.onDidOpenTextDocument((d) => { if (d.uri.scheme === 'file') void this.check(d.uri); }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateActive()),
      this.changed,
    );
  }

  /**
   * Scan the workspace in the background (activation stays cheap), only when it holds a marker of
   * training runs (MARKER_GLOB: one file-name search, nothing read); the files' heads are read and
   * judged in the worker when there is one.
   */
  async scan(): Promise<void> {
    const marker = await vscode.workspace.findFiles(MARKER_GLOB, EXCLUDE, 1);
    this.scanned = marker.length > 0;
    if (this.scanned) {
      const files = (await vscode.workspace.findFiles(SCAN_GLOB, EXCLUDE, MAX_SCAN)).filter((u) => u.scheme === 'file' && !isTfeventsName(u.fsPath));
      const paths = files.map((u) => u.fsPath);
      const found = await this.judge(paths);
      for (const p of paths) {
        if (found.has(p)) this.logs.add(p);
        else this.logs.delete(p);
      }
      for (const u of await vscode.workspace.findFiles(RUN_GLOB, EXCLUDE, MAX_SCAN)) await this.checkRunFile(u, false);
    }
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'file') await this.check(d.uri, false);
    this.publish();
  }

  /** The logs among `paths`, judged in the worker when there is one, else here. */
  private async judge(paths: string[]): Promise<Set<string>> {
    if (!paths.length) return new Set();
    let logs: string[] | undefined;
    try {
      logs = this.detect ? await this.detect(paths) : undefined;
    } catch {
      logs = undefined; // the worker failed: decide here
    }
    return new Set(logs ?? (await detectLogFiles(paths)));
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
    // A .gz that is no log by its inner name (an archive, a dataset shard) is not inflated.
    // Judged in the worker (a text log's head may be read to megabytes past a long preamble).
    const isLog = (!isGzipName(uri.fsPath) || isLogCandidateName(uri.fsPath)) && (await this.judge([uri.fsPath])).has(uri.fsPath);
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
      // An event file is a log when its content says so too (runFoldersOf reads its head).
      for (const p of isEvents && folders.length ? [uri.fsPath, ...folders] : folders) {
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
      // The watcher may report a folder created with its files as the folder alone (a run folder
      // written at once, a folder copied in): its run files and its candidate logs are looked at here.
      const [files, candidates] = await Promise.all([runFilesUnder(uri.fsPath), logCandidatesUnder(uri.fsPath)]);
      for (const f of files) await this.checkRunFile(vscode.Uri.file(f), false);
      let added = false;
      for (const p of await this.judge(candidates)) {
        if (!this.logs.has(p)) { this.logs.add(p); added = true; }
      }
      if (files.length || added) this.publish();
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

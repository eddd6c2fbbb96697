// Issue 13 in the real extension host: a TensorBoard run folder written while the editor runs is
// registered for the explorer's menu (the folder and its event files), and fitting the folder reads
// the binary event files through the worker and draws the run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor, workspaceFile, scannedApi } from './util';
import { fileVersionEvent, scalarEvent, tfRecord } from '../helpers/runWriters';

interface Api {
  logFiles(): string[];
  sideView(): { file?: string };
  lastState(file: string): { logKind: string; rows: number; format: string; fit?: { law: string; params: Record<string, number> } } | undefined;
  whenScanned(): Promise<void>;
}

suite('run folders (TensorBoard)', () => {
  let api: Api;
  suiteSetup(async () => {
    api = await scannedApi<Api>();
  });
  teardown(closeAllEditors);

  test('an event folder written at run time is a log; Fit reads it and the side view follows it', async () => {
    const dir = workspaceFile('runs/tb-suite').fsPath;
    fs.mkdirSync(dir, { recursive: true });
    const recs = [fileVersionEvent()];
    for (let s = 10; s <= 2000; s += 10) recs.push(scalarEvent('train/loss', s, 2 + 30 / Math.pow(s * 65536, 0.25)));
    const file = path.join(dir, 'events.out.tfevents.1733150000.suite.1.0');
    fs.writeFileSync(file, Buffer.concat(recs.map((r) => tfRecord(r))));
    await waitFor('the folder in scalingLens.logFiles', () => api.logFiles().includes(dir), 30_000);
    assert.ok(api.logFiles().includes(file), 'the event file itself is a log too');
    await vscode.commands.executeCommand('scalingLens.fit', vscode.Uri.file(dir));
    const state = await waitFor('the folder analysed', () => api.lastState(dir), 60_000);
    assert.strictEqual(state.format, 'tfevents');
    assert.strictEqual(state.rows, 200);
    assert.strictEqual(state.logKind, 'run');
    assert.strictEqual(api.sideView().file, dir);
    // A folder (or a binary event file) has no lines: its findings are in the panel and the side
    // view, not diagnostics at a made-up line on a folder in the Problems panel.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(vscode.languages.getDiagnostics(vscode.Uri.file(dir)).filter((d) => d.source === 'Scaling Lens').map((d) => d.message), []);
  });

  test('a run folder moved into the workspace in one step (one folder-created event) is found', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const outside = path.join(path.dirname(root), `tb-moved-${process.pid}`);
    fs.mkdirSync(path.join(outside, 'version_0'), { recursive: true });
    const recs = [fileVersionEvent(), scalarEvent('train/loss', 1, 3), scalarEvent('train/loss', 2, 2.5)];
    fs.writeFileSync(path.join(outside, 'version_0', 'events.out.tfevents.1733160000.suite.2.0'), Buffer.concat(recs.map((r) => tfRecord(r))));
    const dest = workspaceFile('runs/tb-moved').fsPath;
    fs.renameSync(outside, dest);
    await waitFor('the moved folder in scalingLens.logFiles', () => api.logFiles().includes(path.join(dest, 'version_0')), 30_000);
  });

  test('a folder holding a CSV log moved into the workspace in one step is searched: the CSV is a log', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const outside = path.join(path.dirname(root), `csv-moved-${process.pid}`);
    fs.mkdirSync(path.join(outside, 'logs'), { recursive: true });
    const rows = ['step,tokens,train/loss'];
    for (let s = 1; s <= 50; s++) rows.push(`${s},${s * 65536},${(2 + 30 / Math.pow(s * 65536, 0.25)).toFixed(5)}`);
    fs.writeFileSync(path.join(outside, 'logs', 'metrics.csv'), rows.join('\n') + '\n');
    fs.writeFileSync(path.join(outside, 'notes.txt'), 'not a log\n');
    const dest = workspaceFile('runs/csv-moved').fsPath;
    fs.renameSync(outside, dest);
    await waitFor('the moved CSV in scalingLens.logFiles', () => api.logFiles().includes(path.join(dest, 'logs', 'metrics.csv')), 30_000);
    assert.ok(!api.logFiles().includes(path.join(dest, 'notes.txt')), 'a text file that is no log is not listed');
  });
});

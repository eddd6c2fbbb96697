// Issue 14 in the real extension host: with `scalingLens.prediction.law: workspace`, a thinking-budget
// table without training tokens takes each model's compute-optimal D from the law last fitted to a
// sweep in the workspace (the same law the allocation view and the hovers use); by default, from the
// Chinchilla replication.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor, workspaceFile, scannedApi } from './util';

interface Row { model: string; trainSource: string; trainTokens: number }
interface State { evals?: { budget?: { compare?: { rows: Row[] } } }; fit?: { law: string } }
interface Api { whenScanned(): Promise<void>; lastState(file: string): unknown }

suite('train bigger or think longer: the workspace law (issue 14)', () => {
  let api: Api;
  suiteSetup(async () => {
    api = await scannedApi<Api>();
  });
  teardown(closeAllEditors);

  test('a budget table without training tokens uses the replication, then the fitted law when the setting asks', async () => {
    const table = workspaceFile('evals/budget_without_train_tokens.csv');
    const lines = fs.readFileSync(workspaceFile('evals/thinking_budget.csv').fsPath, 'utf8').trim().split('\n').map((l) => l.split(','));
    const drop = lines[0].indexOf('train_tokens');
    fs.writeFileSync(table.fsPath, lines.map((r) => r.filter((_, i) => i !== drop).join(',')).join('\n') + '\n');
    const rowsOf = (want: RegExp) => waitFor(`the comparison's training tokens ${want}`, () => {
      const rows = (api.lastState(table.fsPath) as State | undefined)?.evals?.budget?.compare?.rows;
      return rows && rows.length && rows.every((r) => want.test(r.trainSource)) ? rows : undefined;
    }, 60_000);
    await vscode.commands.executeCommand('scalingLens.fit', table);
    const replication = await rowsOf(/replication/);

    const sweep = workspaceFile('sweeps/chinchilla_sweep.csv');
    await vscode.commands.executeCommand('scalingLens.fit', sweep);
    await waitFor('the sweep fitted with Chinchilla', () => (api.lastState(sweep.fsPath) as State | undefined)?.fit?.law === 'chinchilla', 90_000);
    const cfg = vscode.workspace.getConfiguration('scalingLens');
    await cfg.update('prediction.law', 'workspace', vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('scalingLens.fit', table);
      const fitted = await rowsOf(/the law fitted to chinchilla_sweep\.csv/);
      assert.notStrictEqual(fitted[0].trainTokens, replication[0].trainTokens);
    } finally {
      await cfg.update('prediction.law', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(table.fsPath, { force: true });
    }
  });
});

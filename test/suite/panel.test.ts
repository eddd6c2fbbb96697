// Running "Fit Scaling Law" on a log opens a webview panel.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, getExtension, waitFor, webviewTabs, workspaceFile } from './util';

suite('fit command', () => {
  suiteSetup(async () => {
    await getExtension().activate();
  });
  teardown(closeAllEditors);

  test('scalingLens.fit on a CSV opens a webview panel', async () => {
    await closeAllEditors();
    assert.strictEqual(webviewTabs('scalingLens').length, 0);
    const uri = workspaceFile('sweeps/chinchilla_sweep.csv');
    await vscode.workspace.fs.stat(uri); // the sample is really there
    await vscode.commands.executeCommand('scalingLens.fit', uri);
    const tabs = await waitFor('a Scaling Lens webview tab', () => {
      const t = webviewTabs('scalingLens');
      return t.length > 0 ? t : undefined;
    });
    assert.strictEqual(tabs.length, 1, 'exactly one panel opens');
  });
});

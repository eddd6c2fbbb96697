// Issue 12 in the real extension host: Compare and Fit Across Runs invoked from the explorer (a
// multi-selection of a run's log and another run's folder; a folder of run folders), as the
// explorer's context menu passes them (the clicked URI, then every selected URI).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor, workspaceFile, scannedApi } from './util';

interface Render { canvasPainted: boolean; summary: string }
interface Api {
  whenScanned(): Promise<void>;
  runsPanels(): { compare?: { runs: string[]; render?: Render }; fit?: { runs: string[]; render?: Render } };
}

suite('runs from the explorer (issue 12)', () => {
  let api: Api;
  suiteSetup(async () => {
    api = await scannedApi<Api>();
  });
  teardown(closeAllEditors);

  test('Compare on an explorer multi-selection (a log file and a run folder) charts exactly those runs', async () => {
    const log = workspaceFile('multirun/lightning_logs/version_0/metrics.csv');
    const folder = workspaceFile('multirun/nanogpt/out-medium');
    await vscode.commands.executeCommand('scalingLens.runs.compare', log, [log, folder]);
    const compare = await waitFor('the compare chart painted', () => {
      const c = api.runsPanels().compare;
      return c?.render?.canvasPainted ? c : undefined;
    }, 60_000);
    assert.deepStrictEqual([...compare.runs].sort(), ['multirun/lightning_logs/version_0', 'multirun/nanogpt/out-medium']);
  });

  test('Fit Across Runs on an explorer folder makes a sweep of the run folders under it', async () => {
    await vscode.commands.executeCommand('scalingLens.runs.fitAcross', workspaceFile('multirun'));
    const fit = await waitFor('the fit across runs painted', () => {
      const f = api.runsPanels().fit;
      return f?.render?.canvasPainted ? f : undefined;
    }, 90_000);
    // samples/multirun: 12 run folders (scripts/make-multirun.mjs), two of them left out of the fit.
    assert.strictEqual(fit.runs.length, 12);
    assert.ok(fit.runs.every((r) => r.startsWith('multirun/')), fit.runs.join(', '));
    assert.match(fit.render!.summary, /Points used\s*10/);
  });
});

// The extension activates in a real extension host and registers what its manifest promises.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { getExtension, manifest, waitFor } from './util';

suite('activation', () => {
  test('activates on its own for a workspace of training logs', async () => {
    const ext = getExtension();
    // The sample workspace holds metrics.csv / trainer_state.json / *.jsonl, which are activation
    // events: the extension must come up without anyone calling activate().
    await waitFor('the extension to activate from its activation events', () => ext.isActive, 30_000);
    // isActive is also true when activate() threw; activate() then rethrows that error.
    await assert.doesNotReject(Promise.resolve(ext.activate()), 'activation succeeded');
  });

  test('every contributed command is registered', async () => {
    await getExtension().activate();
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.includes('scalingLens.fit'), 'the manifest contributes scalingLens.fit');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the manifest gates the explorer menu on detected log files', () => {
    const items = manifest().contributes.menus?.['explorer/context'] ?? [];
    const fit = items.find((m) => m.command === 'scalingLens.fit');
    assert.ok(fit, 'scalingLens.fit is in the explorer context menu');
    assert.match(fit.when ?? '', /scalingLens\.logFiles/);
  });
});

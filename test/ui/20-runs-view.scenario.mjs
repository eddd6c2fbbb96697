// Issue 12: the Runs view lists every run folder of the sample workspace with its model size,
// tokens, tokens per parameter and final loss, grouped by folder; runs without a readable model
// size or token count are listed with the reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { showRunsView, waitForRuns, runRow, restoring } from './runs-helpers.mjs';

export const title = 'runs view: every run of samples/ with N, tokens, ratio and loss, grouped by folder';

export default restoring(async function ({ page, wb, shot, assert, workspace }) {
  const pane = await showRunsView(page);
  const labels = await waitForRuns(pane, wb, ['multirun', 'version_0', 'llama-8m', 'mpt-90m', 'no-config']);
  // The generated runs: exact sizes from their configs (multirun/truth.json).
  assert.ok(labels.some((l) => /^version_0: final loss \d\.\d+, 1\.87M parameters, 75\.4M tokens, 40\.2 tokens per parameter/.test(l)), labels.join('\n'));
  assert.ok(labels.some((l) => /^llama-8m: final loss \d\.\d+, 8\.55M parameters, 170M tokens, 19\.9 tokens per parameter/.test(l)), labels.join('\n'));
  assert.ok(labels.some((l) => /^multirun: 12 runs, 10 usable/.test(l)), labels.join('\n'));
  // What the row shows: the loss first, so a narrow sidebar cuts D/N rather than the loss.
  assert.match(await runRow(pane, 'version_0').innerText(), /version_0\s*L \d\.\d+ · N 1\.87M · D 75\.4M · 40\.2 D\/N/);
  // Listed with the reason, left out of fits.
  assert.match(await runRow(pane, 'no-config').getAttribute('aria-label'), /Left out of fits: No readable model size/);
  assert.match(await runRow(pane, 'llama-8m-no-tokens').getAttribute('aria-label'), /num_input_tokens_seen/);
  await shot('runs-view');
  // The tooltip names the config and the log the numbers came from.
  await runRow(pane, 'llama-56m').hover();
  const tip = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'warmup-stable-decay' }).first();
  await tip.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match(await tip.innerText(), /53,507,200/);
  await shot('run-tooltip');

  // A new run folder appears without a manual refresh (file watcher → discovery in the worker).
  const src = path.join(workspace, 'multirun', 'lightning_logs', 'version_1');
  const dest = path.join(workspace, 'multirun', 'lightning_logs', 'version_7');
  fs.mkdirSync(dest, { recursive: true });
  for (const f of ['hparams.yaml', 'metrics.csv']) fs.copyFileSync(path.join(src, f), path.join(dest, f));
  try {
    await page.keyboard.press('Escape');
    await waitForRuns(pane, wb, ['version_7'], 60_000);
    assert.match(await runRow(pane, 'version_7').getAttribute('aria-label'), /^version_7: final loss \d[.\d]*, 5\.32M parameters/);
    await shot('new-run-listed');
  } finally {
    fs.rmSync(dest, { recursive: true, force: true });
  }
});

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
  assert.ok(labels.some((l) => /^version_0: N 1\.87M · 75\.4M tok · 40\.2 tok\/param · loss /.test(l)), labels.join('\n'));
  assert.ok(labels.some((l) => /^llama-8m: N 8\.55M · 170M tok · 19\.9 tok\/param/.test(l)), labels.join('\n'));
  assert.ok(labels.some((l) => /^multirun: 12 runs, 10 usable/.test(l)), labels.join('\n'));
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
    assert.match(await runRow(pane, 'version_7').getAttribute('aria-label'), /^version_7: N 5\.32M/);
    await shot('new-run-listed');
  } finally {
    fs.rmSync(dest, { recursive: true, force: true });
  }
});

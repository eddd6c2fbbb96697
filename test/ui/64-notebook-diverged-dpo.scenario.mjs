// Thirty-fourth session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - A kohya_ss user's Kaggle notebook whose cell 3 holds the whole training console: right-click the
//   .ipynb, Fit Scaling Law (before: no menu item, and the CLI refused the file at line 1).
// - A ColossalAI DreamBooth console whose loss went NaN at step 15 of 20: one finding, "the run diverged"
//   (before: 7 warnings, a fit that never said so).
// - A LLaMA-Factory DPO console whose loss reached 0: refused with its lines (before: its planned end read
//   as step 4 from the checkpoint-shard loading bar, and a false warm-up refusal).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a Kaggle notebook, a diverged DreamBooth console and a DPO console whose loss reached 0, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fixtures = join(process.cwd(), 'test', 'fixtures');
  // (Named `0-…` to sort first: the explorer draws only the rows in view.)
  const nb = join(workspace, 'runs', '0-notebook');
  mkdirSync(nb, { recursive: true });
  writeFileSync(join(nb, 'finetune.ipynb'), gunzipSync(readFileSync(join(fixtures, 'kohya-sd15-lora-kaggle.ipynb.gz'))));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/0-notebook/finetune.ipynb', { timeout: 120_000, trust: true });
  const body = await f.locator('body').innerText();
  assert.match(body, /cell 3 \(In \[6\]\)/, 'the planned end is placed at its cell');
  assert.match(body, /2000/, 'the planned end, step 2000');
  assert.doesNotMatch(body, /not a training log|NaN|Infinity|undefined/);
  await shot('notebook');

  const cd = join(workspace, 'runs', '0-colossal');
  mkdirSync(cd, { recursive: true });
  copyFileSync(join(fixtures, 'colossal-dreambooth-sd14', 'log.txt'), join(cd, 'log.txt'));
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/0-colossal/log.txt', { timeout: 120_000, trust: true });
  const gb = await g.locator('body').innerText();
  assert.match(gb, /the run diverged/, 'the NaN tail said as a divergence');
  assert.match(gb, /line 33/, 'the banner\'s own line');
  await shot('diverged');

  const dp = join(workspace, 'runs', '0-dpo');
  mkdirSync(dp, { recursive: true });
  copyFileSync(join(fixtures, 'llamafactory-dpo-console', 'DPO_results.md'), join(dp, 'dpo_console.txt'));
  await wb.runCommand('View: Close All Editors');
  const h = await wb.fitFromExplorer('runs/0-dpo/dpo_console.txt', { timeout: 120_000, selector: 'body[data-rendered="true"], .sl-error' });
  const hb = await h.locator('body').innerText();
  assert.match(hb, /reaches 0 at step 60/, 'the loss that reached 0, at its step');
  assert.doesNotMatch(hb, /warm-up/);
  await shot('dpo-zero');
}

// Thirty-fourth session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - A kohya_ss user's Kaggle notebook whose cell 3 holds the whole training console: right-click the
//   .ipynb, Fit Scaling Law (before: no menu item, and the CLI refused the file at line 1).
// - A ColossalAI DreamBooth console whose loss went NaN at step 15 of 20: one finding, "the run diverged"
//   (before: 7 warnings, a fit that never said so).
// - A LLaMA-Factory DPO console whose loss reached 0: refused with its lines (before: its planned end read
//   as step 4 from the checkpoint-shard loading bar, and a false warm-up refusal).

export const title = 'a Kaggle notebook, a diverged DreamBooth console and a DPO console whose loss reached 0, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const f = await wb.fitFixture(workspace, 'kohya-sd15-lora-kaggle.ipynb.gz', 'notebook', 'finetune.ipynb', { trust: true });
  const body = await f.locator('body').innerText();
  assert.match(body, /cell 3 \(In \[6\]\)/, 'the planned end is placed at its cell');
  assert.match(body, /2000/, 'the planned end, step 2000');
  assert.doesNotMatch(body, /not a training log|NaN|Infinity|undefined/);
  await shot('notebook');

  const g = await wb.fitFixture(workspace, 'colossal-dreambooth-sd14/log.txt', 'colossal', 'log.txt', { trust: true });
  const gb = await g.locator('body').innerText();
  assert.match(gb, /the run diverged/, 'the NaN tail said as a divergence');
  assert.match(gb, /line 33/, 'the banner\'s own line');
  await shot('diverged');

  // (Named .txt, as a user's capture would be: a workspace scan does not read Markdown.)
  const h = await wb.fitFixture(workspace, 'llamafactory-dpo-console/DPO_results.md', 'dpo', 'dpo_console.txt', { selector: 'body[data-rendered="true"], .sl-error' });
  const hb = await h.locator('body').innerText();
  assert.match(hb, /reaches 0 at step 60/, 'the loss that reached 0, at its step');
  assert.doesNotMatch(hb, /warm-up/);
  await shot('dpo-zero');
}

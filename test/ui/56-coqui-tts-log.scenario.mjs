// Thirtieth session, like a user fine-tuning a VITS voice with Coqui TTS: its trainer_0_log.txt (a
// real one, test/fixtures/SOURCES.md) fitted from the explorer. Before, the file was refused as no log
// this reader knows (its metrics come a line each under `--> STEP: 24/36 -- GLOBAL_STEP: 1000025`).
// - 246 rows, counted from the checkpoint the fine-tune restored (step 1,000,000), said in the
//   Problems panel.
// - A GAN's log: the generator's total `loss_1` fitted first, and a note says the two losses are
//   trained against each other.
// - 1000 epochs of 36 steps plan the end, where the panel predicts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = "A Coqui TTS trainer_0_log.txt (a VITS fine-tune): read, counted from its restored step, loss_1 fitted, 1000 epochs planned";

export default async function ({ page, wb, shot, assert, workspace }) {
  // (Named to sort first: the explorer draws only the rows in view, and earlier scenarios fill runs/.)
  const dir = join(workspace, 'runs', 'a-coqui-vits');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'trainer_0_log.txt'), gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'coqui-vits-finetune', 'trainer_0_log.txt.gz'))));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-coqui-vits/trainer_0_log.txt', { timeout: 120_000, trust: true });
  await f.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
  // (The restore and the GAN are said as two notes on the file: "2 problems", in the Problems panel.)
  assert.match(await f.locator('#sl-meta').innerText(), /^text · single run · 246 rows · 2 problems/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'loss_1');
  const body = await f.locator('body').innerText();
  assert.match(body, /planned end step 36000 \(1000 epochs/, body);
  assert.match(await f.locator('#sl-goodness').innerText(), /Loss at step 36k/);
  assert.match(await f.locator('#sl-trust').innerText(), /makes 1000 passes over its data/);
  assert.doesNotMatch(body, /NaN|Infinity|undefined/);
  await shot('coqui-vits-log');
  // (The Problems panel draws only the rows in view, and earlier scenarios fill it: filtered to this run's folder.)
  await wb.problems();
  const filter = page.locator('.markers-panel .viewpane-filter input, .viewpane-filter-container input').first();
  await filter.fill('a-coqui-vits');
  try {
    const rows = await wb.waitUntil('the two notes in the Problems panel', async () => {
      const r = await wb.problems();
      return r.some((x) => /steps counted from the restored checkpoint's step 1000000/.test(x.text)) && r.some((x) => /a GAN's log/.test(x.text)) ? r : undefined;
    }, 60_000);
    assert.ok(rows.length >= 2);
    await shot('coqui-notes-in-problems');
  } finally {
    await filter.fill('');
  }
}

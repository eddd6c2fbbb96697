// Logs read for the first time in the fourteenth session, real captures from test/fixtures/SOURCES.md:
// a PaddleOCR console whose first metric line comes after 856 KB of failed starts (judged a log in
// the worker, read past its preamble), an nnU-Net v2 log whose Dice + cross-entropy loss goes below
// zero (drawn on linear axes, not fitted, saying why), and an OpenNMT-py console (its noam LR continued
// as an inverse square root to the planned end, its validation perplexity the held-out loss).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a log behind an 856 KB preamble, an nnU-Net log below zero and an OpenNMT-py console, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  /** A fixture copied into a run folder of the workspace and fitted from the explorer, after closing the editors. */
  const fit = async (fixture, folder, name) => {
    mkdirSync(join(workspace, 'runs', folder), { recursive: true });
    copyFileSync(join(process.cwd(), 'test', 'fixtures', fixture), join(workspace, 'runs', folder, name));
    await wb.runCommand('View: Close All Editors');
    return wb.fitFromExplorer(`runs/${folder}/${name}`, { timeout: 120_000 });
  };
  const trust = (frame) => wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);

  const frame = await fit('paddleocr-rec-carplate-train.log.gz', 'paddleocr-plates', 'train.log.gz');
  await trust(frame);
  assert.match(await frame.locator('#sl-meta').innerText(), /^text · single run · 6,054 rows/);
  assert.match(await frame.locator('#sl-trust').innerText(), /500 passes over its data/);
  // A run over repeated data: the first 10% of its points are skipped past the warm-up, and the field says so.
  assert.equal(await frame.locator('#sl-warmup').inputValue(), '10');
  await shot('paddleocr-past-preamble');

  const f2 = await fit('nnunet-v2-kits23-training_log.txt.gz', 'nnunet-kits23', 'training_log.txt.gz');
  await wb.waitUntil('the error', async () => (await f2.locator('.sl-error').count()) > 0, 90_000);
  // (A table of one row an epoch, no step column: its "steps" are its epochs, and said so.)
  assert.match(await f2.locator('.sl-error').first().innerText(), /"train_loss" goes below zero \(to -0\.442 at epoch 90/);
  assert.match(await f2.locator('#sl-meta').innerText(), /^text · single run · 100 rows/);
  // Drawn on linear axes (the scale button says so), its points below zero on the chart.
  assert.match(await f2.locator('#sl-scale').innerText(), /Linear/);
  await shot('nnunet-below-zero-drawn');

  const f3 = await fit('opennmt-yoruba-adr-transformer.txt.gz', 'opennmt-yoruba', 'train.log.gz');
  await trust(f3);
  assert.match(await f3.locator('#sl-goodness').innerText(), /Loss at step 100k\b/);
  assert.match(await f3.locator('body').innerText(), /inverse_sqrt/);
  // (The plan its printed command line states: `-decay_method noam -warmup_steps 8000`, line 31.)
  assert.match(await f3.locator('body').innerText(), /OpenNMT-py's options "-decay_method noam" \(line 31\), "-warmup_steps 8000" \(line 31\)/);
  await shot('opennmt-noam-fitted');
}

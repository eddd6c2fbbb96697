// Logs read for the first time in the fourteenth session, real captures from test/fixtures/SOURCES.md:
// a PaddleOCR console whose first metric line comes after 856 KB of failed starts (judged a log in
// the worker, read past its preamble), an nnU-Net v2 log whose Dice + cross-entropy loss goes below
// zero (drawn on linear axes, not fitted, saying why), and an OpenNMT-py console (its noam LR continued
// as an inverse square root to the planned end, its validation perplexity the held-out loss).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a log behind an 856 KB preamble, an nnU-Net log below zero and an OpenNMT-py console, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fx = (f) => join(process.cwd(), 'test', 'fixtures', f);
  const ocr = join(workspace, 'runs', 'paddleocr-plates');
  mkdirSync(ocr, { recursive: true });
  copyFileSync(fx('paddleocr-rec-carplate-train.log.gz'), join(ocr, 'train.log.gz'));
  const frame = await wb.fitFromExplorer('runs/paddleocr-plates/train.log.gz', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await frame.locator('#sl-meta').innerText(), /^text · single run · 6,054 rows/);
  assert.match(await frame.locator('#sl-trust').innerText(), /500 passes over its data/);
  await shot('paddleocr-past-preamble');

  const nn = join(workspace, 'runs', 'nnunet-kits23');
  mkdirSync(nn, { recursive: true });
  copyFileSync(fx('nnunet-v2-kits23-training_log.txt.gz'), join(nn, 'training_log.txt.gz'));
  await wb.runCommand('View: Close All Editors');
  const f2 = await wb.fitFromExplorer('runs/nnunet-kits23/training_log.txt.gz', { timeout: 120_000 });
  await wb.waitUntil('the error', async () => (await f2.locator('.sl-error').count()) > 0, 90_000);
  assert.match(await f2.locator('.sl-error').first().innerText(), /"train_loss" goes below zero \(to -0\.442 at step 90/);
  assert.match(await f2.locator('#sl-meta').innerText(), /^text · single run · 100 rows/);
  // Drawn on linear axes (the scale button says so), its points below zero on the chart.
  assert.match(await f2.locator('#sl-scale').innerText(), /Linear/);
  await shot('nnunet-below-zero-drawn');

  const onmt = join(workspace, 'runs', 'opennmt-yoruba');
  mkdirSync(onmt, { recursive: true });
  copyFileSync(fx('opennmt-yoruba-adr-transformer.txt.gz'), join(onmt, 'train.log.gz'));
  await wb.runCommand('View: Close All Editors');
  const f3 = await wb.fitFromExplorer('runs/opennmt-yoruba/train.log.gz', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await f3.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await f3.locator('#sl-goodness').innerText(), /Loss at step 100k\b/);
  assert.match(await f3.locator('body').innerText(), /inverse_sqrt/);
  await shot('opennmt-noam-fitted');
}

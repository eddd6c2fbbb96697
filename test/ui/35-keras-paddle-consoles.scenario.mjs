// Consoles of frameworks read for the first time (thirteenth session), real captures from
// test/fixtures/SOURCES.md: a Keras 3 `model.fit` console (a row at each epoch's end) and a
// PaddleClas console kept gzipped (an iteration counter that starts again each epoch). Each is
// offered Fit Scaling Law in the explorer and fitted at its planned end.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a Keras 3 console and a gzipped PaddleClas console: fitted from the explorer, each at its planned end';

export default async function ({ wb, shot, assert, workspace }) {
  const fx = (f) => join(process.cwd(), 'test', 'fixtures', f);
  const keras = join(workspace, 'runs', 'keras-road-cnn');
  mkdirSync(keras, { recursive: true });
  copyFileSync(fx('keras3-console-road-surface.txt'), join(keras, 'train.log'));
  const frame = await wb.fitFromExplorer('runs/keras-road-cnn/train.log', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await frame.locator('#sl-meta').innerText(), /^text · single run · 40 rows/);
  // 40 epochs of 477 steps: the run reached its planned end (the fitted loss there), and the passes are said.
  assert.match(await frame.locator('#sl-goodness').innerText(), /Fitted loss at step 19\.1k\b[^\n]*\n?[^\n]*last logged/);
  assert.match(await frame.locator('#sl-trust').innerText(), /40 passes over its data \(Keras' "Epoch 40\/40" lines\)/);
  await shot('keras-console-fitted');

  const paddle = join(workspace, 'runs', 'pvtv2-paddleclas');
  mkdirSync(paddle, { recursive: true });
  copyFileSync(fx('paddleclas-pvtv2-stage1.log.gz'), join(paddle, 'trainer-0.log.gz'));
  await wb.runCommand('View: Close All Editors');
  const f2 = await wb.fitFromExplorer('runs/pvtv2-paddleclas/trainer-0.log.gz', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await f2.locator('#sl-trust').count()) > 0, 90_000);
  // Every training line a row (not 6 of 2,959 after 228 "restarts"), and the end 300 epochs × 1,252 iterations.
  const meta = await f2.locator('#sl-meta').innerText();
  const rows = Number(/single run · ([\d,]+) rows/.exec(meta)?.[1].replace(/,/g, ''));
  assert.ok(rows > 2900, meta);
  assert.match(await f2.locator('#sl-goodness').innerText(), /Loss at step 376k\b/);
  await shot('paddleclas-console-fitted');
}

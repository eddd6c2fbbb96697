// Logs read for the first time in the seventeenth session, from the explorer: a real SpeechBrain
// train_log.txt (test/fixtures/SOURCES.md: a line an epoch with its steps, 100 passes) and a
// hand-written loop's console of one summary line an epoch, `<date> INFO:Epoch N: Train Loss=…,
// Val Loss=…` (built here in the shape of real ones found, which state no licence). Before, the
// second was refused: its commas made it a CSV of no loss series.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a real SpeechBrain train_log.txt and a console of one summary line an epoch, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fit = async (folder, name) => {
    await wb.runCommand('View: Close All Editors');
    return wb.fitFromExplorer(`runs/${folder}/${name}`, { timeout: 120_000 });
  };
  const trust = (frame) => wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);

  mkdirSync(join(workspace, 'runs', 'asr-sb'), { recursive: true });
  copyFileSync(join(process.cwd(), 'test', 'fixtures', 'speechbrain-librispeech-transformer-train_log.txt'), join(workspace, 'runs', 'asr-sb', 'train_log.txt'));
  const f1 = await fit('asr-sb', 'train_log.txt');
  await trust(f1);
  assert.match(await f1.locator('#sl-meta').innerText(), /^text · single run · 100 rows/);
  assert.match(await f1.locator('#sl-trust').innerText(), /100 passes over its data/);
  assert.match(await f1.locator('body').innerText(), /inverse_sqrt/);
  await shot('speechbrain-train-log');

  // 60 epochs of a falling training loss and a validation loss that turns up after epoch 40. (A
  // folder name early in the list: the explorer draws only the rows in view, and the other
  // scenarios' run folders fill it.)
  mkdirSync(join(workspace, 'runs', 'an-epochs'), { recursive: true });
  const lines = Array.from({ length: 60 }, (_, i) => {
    const e = i + 1;
    const tr = 0.05 + 0.9 / Math.pow(e, 0.7);
    const va = 0.08 + 0.9 / Math.pow(e, 0.65) + (e > 40 ? 0.002 * (e - 40) : 0);
    return `2023-05-15 22:${String(10 + Math.floor(i / 2)).padStart(2, '0')}:17,398 INFO:Epoch ${e}: Train Loss=${tr.toFixed(4)}, Val Loss=${va.toFixed(4)}`;
  });
  writeFileSync(join(workspace, 'runs', 'an-epochs', 'training.log'), `${lines.join('\n')}\n`);
  const f2 = await fit('an-epochs', 'training.log');
  await trust(f2);
  assert.match(await f2.locator('#sl-meta').innerText(), /^text · single run · 60 rows/);
  assert.match(await f2.locator('#sl-trust').innerText(), /60 passes over its data/);
  // Its series: the training loss fitted, the validation loss offered beside it.
  assert.equal(await f2.locator('#sl-series').inputValue(), 'Train_Loss');
  const series = await f2.locator('#sl-series option').allInnerTexts();
  assert.ok(series.some((o) => /Val_Loss/.test(o)), series.join(', '));
  // Its validation loss turned up after epoch 40: said where the user reads the fit; and its steps are its epochs.
  const body = await f2.locator('body').innerText();
  assert.match(body, /the run is overfitting/);
  assert.match(body, /its steps here are its epochs/);
  await shot('epoch-summary-console');
}

// Logs read for the first time in the fifteenth session: a real Marian NMT train.log (test/fixtures/
// SOURCES.md; its LR read back as the warm-up and inverse square root its config set), a real timm
// output folder (summary.csv with the args.yaml beside it planning the cosine in epochs: fitted to its
// last planned epoch, not 10× past it; its axis, schedule and backtests say epochs, not steps) and a Keras History saved as JSON (built here in its shape: the
// real ones found state no licence), from the explorer.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a Marian train.log, a timm output folder with its args.yaml and a Keras history.json, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fixture = (from, folder, name) => {
    mkdirSync(join(workspace, 'runs', folder), { recursive: true });
    copyFileSync(join(process.cwd(), 'test', 'fixtures', from), join(workspace, 'runs', folder, name));
  };
  const fit = async (folder, name) => {
    await wb.runCommand('View: Close All Editors');
    return wb.fitFromExplorer(`runs/${folder}/${name}`, { timeout: 120_000 });
  };
  const trust = (frame) => wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);

  fixture('marian-wmt19-encs-train.log.gz', 'marian-encs', 'train.log.gz');
  const f1 = await fit('marian-encs', 'train.log.gz');
  await trust(f1);
  assert.match(await f1.locator('#sl-meta').innerText(), /^text · single run · 1,030 rows/);
  assert.match(await f1.locator('body').innerText(), /inverse_sqrt/);
  assert.match(await f1.locator('#sl-trust').innerText(), /6 passes over its data/);
  await shot('marian-train-log');

  // (A folder name early in the list: the explorer draws only the rows in view, and later scenarios' run folders fill it.)
  fixture('timm-cub-105ep/summary.csv', 'cub-timm', 'summary.csv');
  fixture('timm-cub-105ep/args.yaml', 'cub-timm', 'args.yaml');
  const f2 = await fit('cub-timm', 'summary.csv');
  await trust(f2);
  assert.match(await f2.locator('#sl-meta').innerText(), /^csv · single run · 105 rows/);
  assert.match(await f2.locator('body').innerText(), /args\.yaml: sched=cosine, epochs=100, cooldown_epochs=5/);
  // One row per epoch and no step column: the panel counts epochs (the axis choice, the schedule, the backtests).
  assert.equal((await f2.locator('#sl-x option:checked').innerText()).trim(), 'Epochs');
  assert.match(await f2.locator('#sl-schedule').innerText(), /warm-up 10 epochs, ends at epoch 104/);
  const bt = await f2.locator('#sl-backtest').innerText();
  assert.match(bt, /epoch 104/);
  assert.doesNotMatch(bt, /step/);
  await shot('timm-args-yaml-schedule');

  // A Keras History as json.dump writes it: one line, one list per metric, 30 epochs.
  mkdirSync(join(workspace, 'runs', 'keras-cnn'), { recursive: true });
  const loss = Array.from({ length: 30 }, (_, i) => 0.25 + 1.8 / Math.pow(i + 1, 0.6));
  writeFileSync(join(workspace, 'runs', 'keras-cnn', 'history.json'), JSON.stringify({
    accuracy: loss.map((l) => 1 - l / 2.5), loss, val_accuracy: loss.map((l) => 0.98 - l / 2.5), val_loss: loss.map((l, i) => l * 1.15 + 0.002 * i),
  }));
  const f3 = await fit('keras-cnn', 'history.json');
  await trust(f3);
  assert.match(await f3.locator('#sl-meta').innerText(), /^json · single run · 30 rows/);
  assert.match(await f3.locator('#sl-trust').innerText(), /30 passes over its data/);
  assert.equal((await f3.locator('#sl-x option:checked').innerText()).trim(), 'Epochs');
  await shot('keras-history-json');
}

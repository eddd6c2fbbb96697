// Thirty-first session, like two users:
// - One trained YOLOv5 (v6.1+) and right-clicks its run folder runs/train/exp/ (results.csv, hyp.yaml,
//   opt.yaml and the event file YOLOv5 writes beside them; a real run, test/fixtures/SOURCES.md). Before,
//   the folder was read as its event file: the box term alone fitted, "steps" that were epochs, the
//   configs unused, and the linear decay continued past the run's 50 epochs. Now its results.csv is
//   read with its configs, and the whole loss (the sum of the three terms YOLO trains on) is fitted.
// - One fine-tuned T5 with a hand-written loop that logs `Epoch 1 - Batch loss: 12.13`, 388 lines an
//   epoch with no counter (a real log). Before, every batch of an epoch sat on one x (the epoch).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'a YOLOv5 run folder fitted from the explorer (its results.csv, configs and whole loss), and batch-loss lines behind the epoch alone';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { tfRecord, fileVersionEvent, scalarEvent } = createRequire(import.meta.url)(join(root, 'out/test/helpers/runWriters.js'));

export default async function ({ page, wb, shot, assert, workspace }) {
  // (Named to sort first: the explorer draws only the rows in view, and earlier scenarios fill runs/.)
  const dir = join(workspace, 'runs', 'a-yolov5-exp');
  mkdirSync(dir, { recursive: true });
  for (const n of ['results.csv', 'hyp.yaml', 'opt.yaml']) copyFileSync(join(root, 'test', 'fixtures', 'yolov5-lego-exp', n), join(dir, n));
  // (The run's event file, 1.3 MB, is not shipped: a small one of the same tag stands for it, so the
  // folder is a run folder to the explorer, as YOLOv5's is.)
  const recs = [fileVersionEvent(1655416124)];
  for (let e = 0; e < 50; e++) recs.push(scalarEvent('train/box_loss', e, 0.066 - 0.0006 * e, { wallTime: 1655416124 + 60 * e }));
  writeFileSync(join(dir, 'events.out.tfevents.1655416124.33f6a3a27a4d.385.0'), Buffer.concat(recs.map((r) => tfRecord(r))));

  await wb.runCommand('View: Close All Editors');
  await wb.runCommand('Collapse Folders in Explorer');
  const row = await wb.explorerRow('runs/a-yolov5-exp');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 90_000 });
  const f = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', timeout: 120_000 });
  await wb.waitForTrust(f);
  assert.match(await f.locator('#sl-meta').innerText(), /^csv · single run · 50 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'train/loss');
  const series = await f.locator('#sl-series option').allInnerTexts();
  assert.ok(series.some((o) => /train\/box_loss/.test(o)) && series.some((o) => /val\/loss/.test(o)), series.join(', '));
  const body = await f.locator('body').innerText();
  // The schedule from its hyp.yaml and opt.yaml: linear, ending at epoch 49 (not continued past it).
  assert.match(body, /opt\.yaml: epochs=50/, body);
  assert.doesNotMatch(body, /continued to/);
  assert.doesNotMatch(body, /NaN|Infinity|undefined/);
  await shot('yolov5-folder-fitted');

  // The T5 fine-tune's console.
  const t5 = join(workspace, 'runs', 'a-t5-finetune');
  mkdirSync(t5, { recursive: true });
  writeFileSync(join(t5, 'train.log'), gunzipSync(readFileSync(join(root, 'test', 'fixtures', 't5-finetune-batchloss-train.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/a-t5-finetune/train.log', { timeout: 120_000, trust: true });
  assert.match(await g.locator('#sl-meta').innerText(), /^text · single run · 7,780 rows/);
  assert.equal(await g.locator('#sl-series').inputValue(), 'Batch_loss');
  const text = await g.locator('body').innerText();
  assert.doesNotMatch(text, /its steps here are its epochs/);
  assert.match(await g.locator('#sl-trust').innerText(), /20 passes over its data/);
  assert.match(await g.locator("#sl-goodness").innerText(), /step 77.?6k|step 77,600/);
  await shot('t5-batch-lines');
  void page;
}

// A real YOLOv5 results.txt (Quan-Lab/yolov5-bean, test/fixtures/SOURCES.md) from the explorer: no
// header, one row an epoch, its fields by position. Before the nineteenth session it was refused
// ("not a training log this reader knows"). Now its whole training loss against its epochs, with the
// held-out total (the sum of its three terms) offered beside it and its rise said as a finding. Since
// the twentieth session the run's hyp.yaml and opt.yaml beside it plan its LR (YOLO's one-cycle cosine).
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a real YOLOv5 results.txt: fitted on its whole loss against its epochs under the LR its hyp.yaml and opt.yaml plan, the held-out rise found';

export default async function ({ wb, shot, assert, workspace }) {
  // (A folder name early in the list: the explorer draws only the rows in view.)
  mkdirSync(join(workspace, 'runs', 'a-yolov5'), { recursive: true });
  for (const f of ['results.txt', 'hyp.yaml', 'opt.yaml']) copyFileSync(join(process.cwd(), 'test', 'fixtures', 'yolov5-bean-exp0', f), join(workspace, 'runs', 'a-yolov5', f));
  const frame = await wb.fitFromExplorer('runs/a-yolov5/results.txt', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await frame.locator('#sl-meta').innerText(), /^text · single run · 400 rows/);
  const axes = await frame.locator('#sl-x option').allInnerTexts();
  assert.deepEqual(axes.map((a) => a.trim()), ['Epochs']);
  assert.equal(await frame.locator('#sl-series').inputValue(), 'loss');
  const series = (await frame.locator('#sl-series option').allInnerTexts()).map((s) => s.trim());
  for (const s of ['box_loss', 'val_loss', 'val_box_loss']) assert.ok(series.some((o) => o.startsWith(s)), series.join(', '));
  const found = await frame.locator('#sl-findings').innerText();
  assert.match(found, /"val_loss" has risen 16[.,]\d% above its lowest \(0[.,]08332 at epoch 122\)/);
  const body = await frame.locator('body').innerText();
  assert.match(body, /hyp\.yaml: lr0=0\.01, lrf=0\.2, warmup_epochs=3\.0; opt\.yaml: epochs=400 \(YOLO: one-cycle cosine/);
  await shot('yolov5-results-txt');
}

// Thirty-first session, like two users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - A LeRobot user's console (`step:1K smpl:32K ep:101 epch:2.53 loss:1.226 …`): its steps printed
//   rounded had kept 3 of its 249 lines; now every line sits at its exact step, and the end is planned
//   where LeRobot's "End of training" says.
// - A Darknet user's YOLOv3 console (`5999: 1.14, 0.82 avg, 0.00001 rate, …`), refused before: a row an
//   iteration, its LR read.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a LeRobot console (rounded steps rebuilt) and a Darknet YOLO console, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fixtures = join(process.cwd(), 'test', 'fixtures');
  // (Named to sort first: the explorer draws only the rows in view, and earlier scenarios fill runs/.)
  const robot = join(workspace, 'runs', 'a-lerobot');
  mkdirSync(robot, { recursive: true });
  copyFileSync(join(fixtures, 'lerobot-act-train_log.txt'), join(robot, 'train_log.txt'));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-lerobot/train_log.txt', { timeout: 120_000, trust: true });
  assert.match(await f.locator('#sl-meta').innerText(), /^text · single run · 249 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'loss');
  const body = await f.locator('body').innerText();
  assert.match(body, /End of training/, 'the planned end is said with where it comes from');
  assert.doesNotMatch(body, /NaN|Infinity|undefined/);
  await shot('lerobot-console');

  const dark = join(workspace, 'runs', 'a-darknet');
  mkdirSync(dark, { recursive: true });
  writeFileSync(join(dark, 'train.log'), gunzipSync(readFileSync(join(fixtures, 'darknet-yolov3-voc-train.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/a-darknet/train.log', { timeout: 120_000, trust: true });
  assert.match(await g.locator('#sl-meta').innerText(), /^text · single run · 6,000 rows/);
  // Darknet's running average (what it prints as its loss and plots) is fitted first; the batch's own loss is offered.
  assert.equal(await g.locator('#sl-series').inputValue(), 'avg_loss');
  const options = await g.locator('#sl-series option').allInnerTexts();
  assert.ok(options.some((o) => /^loss/.test(o.trim())), options.join(', '));
  assert.match(await g.locator('body').innerText(), /the log's LR column/);
  await shot('darknet-console');
}

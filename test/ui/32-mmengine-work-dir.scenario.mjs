// An MMEngine work dir as MMDetection leaves it: `vis_data/scalars.json` (a real run,
// test/fixtures/SOURCES.md, whose validations are logged at step = the epoch) and the resolved
// `config.py` MMEngine dumps beside it. Fit Scaling Law: every training row is read (not 18 of 131,
// each validation taken for a restart), and the prediction is at the planned end, 300 epochs of 2
// iterations, not at 10× the last step.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'an MMEngine work dir: scalars.json with validations stepped by epoch, its config.py planning 300 epochs';

export default async function ({ wb, shot, assert, workspace }) {
  // (The timestamped folder between the work dir and vis_data left out: a folder of one folder is
  // shown compacted in the explorer.)
  const dir = join(workspace, 'runs', 'rtmdet_balloon', 'vis_data');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(process.cwd(), 'test', 'fixtures', 'mmengine-balloon', 'scalars.json'), join(dir, 'scalars.json'));
  const config = [
    "default_scope = 'mmdet'", 'max_epochs = 300',
    "train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=300, val_interval=10)",
    "optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=0.004, weight_decay=0.05))", '',
  ].join('\n');
  // MMEngine writes the resolved config beside scalars.json and a copy at the work dir's root.
  writeFileSync(join(dir, 'config.py'), config);
  writeFileSync(join(workspace, 'runs', 'rtmdet_balloon', 'rtmdet_balloon.py'), config);
  const frame = await wb.fitFromExplorer('runs/rtmdet_balloon/vis_data/scalars.json', { timeout: 90_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 60_000);
  const body = await frame.locator('body').innerText();
  assert.match(body, /jsonl · single run · 131 rows/);
  assert.match(await frame.locator('#sl-goodness').innerText(), /Loss at step 600\b/);
  assert.match(body, /planned end step 600 \(max_epochs = 300 in config\.py × 2 steps an epoch/);
  assert.match(body, /makes 300 passes over its data \(max_epochs = 300 in config\.py\)/);
  await shot('mmengine-planned-end');
}

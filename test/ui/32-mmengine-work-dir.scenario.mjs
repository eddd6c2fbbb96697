// An MMEngine work dir as MMDetection leaves it: `vis_data/scalars.json` (a real run,
// test/fixtures/SOURCES.md, whose validations are logged at step = the epoch) and the resolved
// `config.py` MMEngine dumps beside it. Fit Scaling Law: every training row is read (not 18 of 131,
// each validation taken for a restart), and the prediction is at the planned end, 300 epochs of 2
// iterations, not at 10× the last step.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
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

  // A real MMPose work dir (test/fixtures/SOURCES.md) as it stood half-way, at epoch 150 of 300 (a
  // validation row's step is its epoch): its
  // config.py plans a cosine from epoch 150 (param_scheduler). The panel names that plan and says the
  // decay ahead was never seen, instead of holding the LR flat.
  const pose = join(workspace, 'runs', 'rtmpose_ear', 'vis_data');
  mkdirSync(pose, { recursive: true });
  const fx = join(process.cwd(), 'test', 'fixtures', 'mmengine-mmpose-rtmpose-s-ear-300e');
  copyFileSync(join(fx, 'config.py'), join(pose, 'config.py'));
  copyFileSync(join(fx, 'config.py'), join(workspace, 'runs', 'rtmpose_ear', 'rtmpose_ear.py'));
  const rows = gunzipSync(readFileSync(join(fx, 'scalars.json.gz'))).toString('utf8').split('\n').filter((l) => l && ((o) => o.epoch ?? o.step)(JSON.parse(l)) <= 150);
  writeFileSync(join(pose, 'scalars.json'), rows.join('\n') + '\n');
  // (Both panels are titled scalars.json: the first is closed so the one found is the new one.)
  await wb.runCommand('View: Close All Editors');
  const f2 = await wb.fitFromExplorer('runs/rtmpose_ear/vis_data/scalars.json', { timeout: 90_000 });
  await wb.waitUntil('the trust section', async () => (await f2.locator('#sl-trust').count()) > 0, 60_000);
  assert.match(await f2.locator('#sl-schedule').innerText(), /then as planned \(config\.py: param_scheduler \(linear warm-up, cosine from epoch 150\), max_epochs=300 × 6 steps an epoch/);
  assert.match(await f2.locator('#sl-goodness').innerText(), /Loss at step 1\.8k\b/);
  assert.match(await f2.locator('#sl-trust').innerText(), /the LR decays by 95% of its peak after step 900, a decay the fitted range never saw/);
  await shot('mmengine-param-scheduler');
}

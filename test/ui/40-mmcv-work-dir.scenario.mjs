// An MMCV 1.x work dir (MMClassification 0.x, MMDetection 2.x) from the explorer: a timestamped
// `*.log.json` whose `iter` counts within each epoch and whose validation rows carry the loader's
// length as `iter`, beside the config the run was launched with, named as the folder
// (`work_dirs/<config>/<config>.py`). Built here in the shape of the real ones found (eighteenth
// session), which state no licence. Before, every epoch read as a restart: the panel showed the last
// epoch's rows only, and the LR after a prefix was a straight line; now every row, and the LR the
// config's `lr_config` plans.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'an MMCV 1.x work dir: a log.json counting iterations within each epoch, its config planning the LR';

export default async function ({ wb, shot, assert, workspace }) {
  // (A folder name early in the list: the explorer draws only the rows in view.)
  const name = 'a_mmcv_mobilenet';
  const dir = join(workspace, 'runs', name);
  mkdirSync(dir, { recursive: true });
  const config = [
    "model = dict(type='ImageClassifier', backbone=dict(type='MobileNetV2', widen_factor=1.0))",
    "optimizer = dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=4e-05)",
    "lr_config = dict(policy='step', warmup='linear', warmup_iters=50, warmup_ratio=0.001, step=[6, 9])",
    "runner = dict(type='EpochBasedRunner', max_epochs=12)", '',
  ].join('\n');
  writeFileSync(join(dir, `${name}.py`), config);
  const lrAt = (i) => {
    const r = 0.02 * Math.pow(0.1, [6, 9].filter((m) => Math.floor(i / 200) >= m).length);
    return i < 50 ? r * (1 - (1 - i / 50) * (1 - 0.001)) : r;
  };
  // Eight of its twelve epochs so far, 200 iterations each, logged every 10.
  const lines = [JSON.stringify({ env_info: 'sys.platform: linux', config, seed: 0, exp_name: `${name}.py` })];
  for (let e = 1; e <= 8; e++) {
    for (let it = 10; it <= 200; it += 10) {
      const s = (e - 1) * 200 + it;
      lines.push(JSON.stringify({ mode: 'train', epoch: e, iter: it, lr: +lrAt(s - 1).toPrecision(5), memory: 2456, data_time: 0.003, loss: +(0.3 + 2 / Math.pow(s, 0.3) - (e > 6 ? 0.05 : 0)).toFixed(5), time: 0.09 }));
    }
    lines.push(JSON.stringify({ mode: 'val', epoch: e, iter: 313, lr: 0.0, 'accuracy_top-1': 70 + e, 'accuracy_top-5': 99 }));
  }
  writeFileSync(join(dir, '20230206_203013.log.json'), `${lines.join('\n')}\n`);
  const frame = await wb.fitFromExplorer(`runs/${name}/20230206_203013.log.json`, { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await frame.locator('#sl-meta').innerText(), /^jsonl · single run · 160 rows/);
  assert.match(await frame.locator('#sl-schedule').innerText(), new RegExp(`then as planned \\(${name}\\.py: lr_config \\(linear warm-up 50 steps, ×0\\.1 at epochs 6, 9\\), max_epochs=12 × 200 steps an epoch`));
  assert.match(await frame.locator('#sl-goodness').innerText(), /Loss at step 2\.4k\b/);
  assert.match(await frame.locator('#sl-trust').innerText(), /12 passes over its data|8 passes over its data/);
  await shot('mmcv-log-json-lr-config');
}

// OpenMMLab's text logs (the `<timestamp>.log` of a work dir, and the console): MMEngine's
// `Iter(train) [  50/2000]  base_lr: …  lr: …  loss: …` (MMSegmentation 1.x, XTuner's LLM fine-tunes)
// and `Epoch(train)  [1][ 50/500]  …`, and MMCV 1.x's `Iter [50/40000]\tlr: …, loss: …`. All four were
// refused as "not a training log" (only MMCV 1.x's `Epoch [1][50/500]` was read). Built here in the
// shape of real excerpts found by a search (twentieth session: an MMSegmentation 1.x run's README,
// XTuner's documentation), which are too short to fit or state no licence.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { parseLogText } from '../../src/core/logs';
import { detectLogFiles } from '../../src/core/detectLogs';
import { analyze } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { tmpDir } from './tmpUtil';

const lossAt = (it: number) => 0.03 + 1.2 / Math.sqrt(it / 50);
const polyLr = (it: number, total: number) => 0.01 * (1 - it / total) ** 0.9 + 1e-4;

/** An MMSegmentation 1.x (MMEngine) iteration-based log: a validation and a checkpoint every 400 iterations. */
function mmseg(total = 2000, every = 50): string {
  const out = ['2023/06/13 13:47:00 - mmengine - INFO - ', '------------------------------------------------------------', 'System environment:', '    sys.platform: linux'];
  for (let it = every; it <= total; it += every) {
    out.push(`2023/06/13 14:04:55 - mmengine - INFO - Iter(train) [${String(it).padStart(String(total).length)}/${total}]  base_lr: 1.0000e-02 lr: ${polyLr(it, total).toExponential(4)}  eta: 0:02:56  time: 0.5850  data_time: 0.0178  memory: 3979  loss: ${lossAt(it).toFixed(4)}  decode.loss_ce: ${(0.7 * lossAt(it)).toFixed(4)}  decode.acc_seg: 75.2899  aux.loss_ce: ${(0.3 * lossAt(it)).toFixed(4)}  aux.acc_seg: 75.1740`);
    if (it % 400 === 0) {
      out.push(`2023/06/13 14:05:53 - mmengine - INFO - Saving checkpoint at ${it} iterations`);
      out.push('2023/06/13 14:03:51 - mmengine - INFO - Iter(val) [11/11]    aAcc: 87.9000  mIoU: 51.3200  mAcc: 59.1200  data_time: 0.0203  time: 0.4532');
    }
  }
  return out.join('\n') + '\n';
}

const points = (log: { data: Record<string, Float64Array> }, col: string) =>
  Array.from(log.data[col]).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));

test("MMEngine's iteration-based log: a row per training line at its iteration, the run planned to the counter's total, `lr` the schedule (not `base_lr`)", () => {
  const log = parseLogText(mmseg(), '20230613_134700.log');
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 40, log.problems.map((p) => p.message).join('\n'));
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('loss'), 'loss');
  assert.equal(role('lr'), 'lr');
  assert.equal(role('base_lr'), 'other');
  assert.match(log.columns.find((c) => c.name === 'base_lr')!.reason ?? '', /the LR the schedule starts from; 'lr' is the LR as scheduled/);
  assert.deepEqual(points(log, 'loss')[0], [50, Number(lossAt(50).toFixed(4))]);
  assert.equal(points(log, 'loss').at(-1)![0], 2000);
  assert.equal(log.run?.plannedSteps?.steps, 2000);
  // The evaluation's own counter (`Iter(val) [11/11]`) is no training step, and its metrics no row.
  assert.ok(!log.columns.some((c) => c.name === 'mIoU' || c.name === 'aAcc'), log.columns.map((c) => c.name).join(', '));
  // Fitted under its logged poly decay, predicted at iteration 2000.
  const j = fitToJson(analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 }, { configs: [] }).state) as { schedule?: { kind: string; total: number }; backtest?: Array<{ heldOut?: boolean; horizon: number }> };
  assert.equal(j.schedule?.total, 2000);
  assert.equal(j.backtest?.find((b) => b.heldOut)?.horizon, 2000);
});

test("XTuner's log (MMEngine, an LLM fine-tune): `Iter(train) [ 10/720]  lr: …  loss: …`, with or without grad_norm", () => {
  const lines = Array.from({ length: 72 }, (_, i) => {
    const it = (i + 1) * 10;
    return `01/29 21:35:34 - mmengine - INFO - Iter(train) [${String(it).padStart(3)}/720]  lr: ${(2e-4 * Math.min(1, it / 30)).toExponential(4)}  eta: 0:31:46  time: 2.6851  data_time: 0.0077  memory: 12762  loss: ${(1.2 + 1.5 / Math.sqrt(it)).toFixed(4)}${i % 2 ? '  grad_norm: 0.9361' : ''}`;
  });
  const log = parseLogText(lines.join('\n') + '\n', '20240129_213500.log');
  assert.equal(log.rows, 72);
  assert.equal(log.run?.plannedSteps?.steps, 720);
  assert.deepEqual(points(log, 'loss')[0], [10, Number((1.2 + 1.5 / Math.sqrt(10)).toFixed(4))]);
  assert.equal(log.columns.find((c) => c.name === 'lr')?.role, 'lr');
});

test("MMEngine's epoch-based log: `Epoch(train)  [2][ 50/500]` is at step 500 + 50; MMCV 1.x's `Iter [50/2000]` at its iteration", () => {
  const ep: string[] = [];
  for (let e = 1; e <= 3; e++) {
    for (let it = 50; it <= 500; it += 50) ep.push(`12/01 10:00:00 - mmengine - INFO - Epoch(train)  [${e}][${String(it).padStart(3)}/500]  base_lr: 1.0000e-02 lr: 1.0000e-02  eta: 0:10:00  time: 0.4680  data_time: 0.0070  memory: 3745  loss: ${lossAt((e - 1) * 500 + it).toFixed(4)}  loss_cls: 0.5000`);
    ep.push(`12/01 10:00:00 - mmengine - INFO - Epoch(val) [${e}][13/13]    coco/bbox_mAP: 0.2510  data_time: 0.0100  time: 0.1000`);
  }
  const log = parseLogText(ep.join('\n') + '\n', 'run.log');
  assert.equal(log.rows, 30, log.problems.map((p) => p.message).join('\n'));
  assert.deepEqual(points(log, 'loss').slice(9, 12).map(([s]) => s), [500, 550, 600]);
  assert.equal(log.run?.epochsLogged?.count, 3);

  const mmcv = Array.from({ length: 20 }, (_, i) => `2022-05-01 10:00:00,000 - mmseg - INFO - Iter [${(i + 1) * 50}/1000]\tlr: ${polyLr((i + 1) * 50, 1000).toExponential(3)}, eta: 0:05:00, time: 0.468, data_time: 0.007, memory: 3745, decode.loss_ce: ${lossAt((i + 1) * 50).toFixed(4)}, decode.acc_seg: 60.1000, loss: ${lossAt((i + 1) * 50).toFixed(4)}`);
  const v1 = parseLogText(['2022-05-01 10:00:00,000 - mmseg - INFO - Config:', ...mmcv.slice(0, 10), '2022-05-01 10:00:00,000 - mmseg - INFO - Iter(val) [100]\taAcc: 0.9000, mIoU: 0.5000', ...mmcv.slice(10)].join('\n') + '\n', 'run.log');
  assert.equal(v1.rows, 20);
  assert.equal(v1.run?.plannedSteps?.steps, 1000);
  assert.equal(points(v1, 'loss').at(-1)![0], 1000);
});

test('the editor finds an MMEngine work dir\'s text log', async () => {
  const dir = tmpDir('sl-mmengine-');
  try {
    const file = path.join(dir, '20230613_134700.log');
    fs.writeFileSync(file, mmseg());
    assert.deepEqual(await detectLogFiles([file]), [file]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

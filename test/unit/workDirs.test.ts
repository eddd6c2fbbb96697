// Work dirs of two vision toolkits: MMCV 1.x (MMDetection 2.x, MMClassification 0.x,
// MMSegmentation 0.x) — the `*.log.json` beside the text `*.log`, and the `lr_config` of the config
// the run printed or saved as `work_dirs/<config>/<config>.py` — and Detectron2's output folder
// (metrics.json and its config.yaml). Real ones found by a search (eighteenth session) state no
// licence, so these tests build their shape (a real 10-epoch MMClassification log.json kept 31 of
// its 1,560 losses before: its `iter` counts within the epoch, and every epoch read as a restart).
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { mmcvSchedule } from '../../src/core/fit/mmengine';
import { detectron2Schedule } from '../../src/core/fit/detectron2';
import { nearbyConfigsFor } from '../../src/core/nearbyConfigs';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-mmcv-');

const CONFIG = [
  "model = dict(type='ImageClassifier', backbone=dict(type='MobileNetV2', widen_factor=1.0))",
  "optimizer = dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=4e-05)",
  'optimizer_config = dict(grad_clip=None)',
  'lr_config = dict(',
  "    policy='step',",
  "    warmup='linear',",
  '    warmup_iters=20,',
  '    warmup_ratio=0.001,',
  '    step=[2, 3])',
  "runner = dict(type='EpochBasedRunner', max_epochs=4)",
  'checkpoint_config = dict(interval=1)',
].join('\n');

const loss = (s: number) => +(0.4 + 2 / Math.pow(s, 0.35)).toFixed(5);
/** The LR the config above sets at iteration i (0-based; 100 an epoch): a linear warm-up over 20, ×0.1 from epoch 2 and 3. */
const lrAt = (i: number) => {
  const e = Math.floor(i / 100);
  const r = 0.02 * Math.pow(0.1, [2, 3].filter((m) => e >= m).length);
  return i < 20 ? r * (1 - (1 - i / 20) * (1 - 0.001)) : r;
};

/** An MMCV 1.x log.json: the head line, `epochs` epochs of 100 iterations logged every 10, a validation row after each. */
function logJson(epochs: number): string {
  const lines = [JSON.stringify({ env_info: 'sys.platform: linux\nPython: 3.7.10', config: CONFIG, seed: 0, exp_name: 'mobilenet-v2_cifar10.py', mmcls_version: '0.25.0' })];
  for (let e = 1; e <= epochs; e++) {
    for (let it = 10; it <= 100; it += 10) {
      const s = (e - 1) * 100 + it;
      lines.push(JSON.stringify({ mode: 'train', epoch: e, iter: it, lr: +lrAt(s - 1).toPrecision(5), memory: 2456, data_time: 0.003, loss: loss(s), time: 0.09 }));
    }
    // (With workflow [('train', 1), ('val', 1)] a validation row has its loss too.)
    lines.push(JSON.stringify({ mode: 'val', epoch: e, iter: 313, lr: 0.0, loss: 1 + 0.1 / e, 'accuracy_top-1': 80 + e, 'accuracy_top-5': 99 }));
  }
  return lines.join('\n') + '\n';
}

test("MMCV's log.json: iter counts within the epoch, so a row's step is the epochs before + iter; validation rows at the epoch's end, named as such", () => {
  const log = parseLogText(logJson(4), '20230206_203013.log.json');
  assert.equal(log.format, 'jsonl');
  assert.equal(log.rows, 40, log.problems.map((p) => p.message).join('\n'));
  const step = Array.from(log.data.step);
  assert.deepEqual(step.slice(0, 3), [10, 20, 30]);
  assert.deepEqual(step.slice(9, 12), [100, 110, 120]);
  assert.equal(step.at(-1), 400);
  assert.ok(step.every((s, i) => i === 0 || s > step[i - 1]), 'no restart');
  assert.equal(log.data.loss[39], loss(400));
  // The validation's LR (0) and its loader's length (iter 313) are no training facts; its metrics are held out by name.
  assert.ok(Array.from(log.data.lr).every((v) => v > 0), 'no LR of 0');
  assert.equal(log.columns.find((c) => c.name === 'val_loss')?.role, 'eval_loss');
  assert.ok(log.columns.some((c) => c.name === 'val_accuracy_top-1'));
  const val = Array.from(log.data.val_loss);
  assert.deepEqual(val.filter((v) => Number.isFinite(v)), [1.1, 1.05, 1 + 0.1 / 3, 1.025]);
  assert.equal(val[9], 1.1, 'at the last training row of epoch 1 (step 100)');
  assert.equal(log.data.loss[9], loss(100), 'the training loss there is the training row\'s');
  // The head line (environment and config as text) is no row and no problem; the reading is said once.
  assert.ok(!log.problems.some((p) => p.line === 1), log.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  assert.ok(!log.columns.some((c) => c.name === 'env_info' || c.name === 'mode' || c.name === 'iter'), log.columns.map((c) => c.name).join(', '));
  assert.ok(log.problems.some((p) => /counts "iter" within each epoch: a row's step is the iterations of the epochs before \(100 an epoch/.test(p.message)));
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 100);
});

test("MMCV's log.json: a log of validations only is placed at its epochs (no run of rows merged into one step)", () => {
  const lines = [1, 2, 3, 4, 5].map((e) => JSON.stringify({ mode: 'val', epoch: e, iter: 18, lr: 0.001, 'accuracy_top-1': 90 + e }));
  const log = parseLogText(lines.join('\n'), 'x.log.json');
  assert.equal(log.rows, 5);
  assert.deepEqual(Array.from(log.data.step), [1, 2, 3, 4, 5]);
});

test('mmcvSchedule: the lr_config policies as mmcv sets them (warm-up from warmup_ratio; step, cosine, poly; by epoch or by iteration)', () => {
  const p = mmcvSchedule(CONFIG, 'c.py', 100)!;
  assert.ok(p);
  assert.equal(p.totalSteps, 400);
  assert.equal(p.warmupSteps, 20);
  assert.equal(p.decay, 'multistep');
  // Step s trained at iteration s − 1's LR, over the peak (0.02).
  for (const s of [1, 5, 20, 21, 150, 200, 201, 300, 301, 400]) assert.ok(Math.abs(p.curve[s] - lrAt(s - 1) / 0.02) < 1e-12, `step ${s}: ${p.curve[s]} vs ${lrAt(s - 1) / 0.02}`);
  assert.match(p.source, /lr_config \(linear warm-up 20 steps, ×0\.1 at epochs 2, 3\), max_epochs=4 × 100 steps an epoch/);
  // Without the steps an epoch takes, an epoch-based plan cannot be placed.
  assert.equal(mmcvSchedule(CONFIG, 'c.py', undefined), undefined);
  // Cosine by iteration to min_lr, max_iters; the old `total_epochs`; poly; a policy not read.
  const cos = mmcvSchedule("optimizer = dict(type='SGD', lr=0.01)\nlr_config = dict(policy='CosineAnnealing', by_epoch=False, min_lr=1e-07)\nrunner = dict(type='IterBasedRunner', max_iters=1000)\n", 'c.py')!;
  assert.equal(cos.totalSteps, 1000);
  assert.ok(Math.abs(cos.curve[501] - (1e-7 + (0.01 - 1e-7) * 0.5) / 0.01) < 1e-12);
  assert.ok(Math.abs(cos.curve[1000] * 0.01 - (1e-7 + (0.01 - 1e-7) * 0.5 * (1 + Math.cos(Math.PI * 999 / 1000)))) < 1e-12);
  const poly = mmcvSchedule("optimizer = dict(lr=0.1)\nlr_config = dict(policy='poly', power=0.9)\ntotal_epochs = 10\n", 'c.py', 50);
  assert.equal(poly, undefined, "mmcv's policy names are case-sensitive: 'poly' is not 'Poly'");
  const poly2 = mmcvSchedule("optimizer = dict(lr=0.1)\nlr_config = dict(policy='Poly', power=0.9, min_lr=1e-4, by_epoch=False)\ntotal_epochs = 10\n", 'c.py', 50)!;
  assert.equal(poly2.totalSteps, 500);
  assert.ok(Math.abs(poly2.curve[251] * 0.1 - ((0.1 - 1e-4) * Math.pow(1 - 250 / 500, 0.9) + 1e-4)) < 1e-12);
  assert.equal(mmcvSchedule("lr_config = dict(policy='OneCycle', max_lr=0.1)\nrunner = dict(max_iters=100)\n", 'c.py'), undefined);
  // MMEngine's param_scheduler is another reader's (no lr_config: nothing here).
  assert.equal(mmcvSchedule("param_scheduler = [dict(type='LinearLR', by_epoch=False, begin=0, end=500)]\ntrain_cfg = dict(max_iters=1000)\n", 'c.py'), undefined);
});

test('an MMCV work dir: the config named as the folder is the run\'s, whatever its logs; its lr_config plans the LR after a prefix', async () => {
  const dir = path.join(tmp, 'work_dirs', 'mobilenet-v2_cifar10');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'mobilenet-v2_cifar10.py'), CONFIG);
  fs.writeFileSync(path.join(dir, '20230206_203013.log.json'), logJson(4));
  // Two launches in the work dir (two pairs of timestamped logs): still its config.
  fs.writeFileSync(path.join(dir, '20230206_203013.log'), 'x\n');
  fs.writeFileSync(path.join(dir, '20230205_101010.log.json'), logJson(1));
  const near = await nearbyConfigsFor(path.join(dir, '20230206_203013.log.json'));
  assert.deepEqual(near.configs.map((c) => path.basename(c.file)), ['mobilenet-v2_cifar10.py']);
  assert.match(near.configs[0].why ?? '', /named as the log's folder mobilenet-v2_cifar10\/ \(an OpenMMLab work dir\)/);
  const j = fitToJson((await analyzeFile(path.join(dir, '20230206_203013.log.json'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as { schedule?: { source: string; total: number; futureKnown: boolean }; prediction?: { step?: number } };
  assert.ok(j.schedule, JSON.stringify(j));
  assert.match(j.schedule.source, /then as planned \(mobilenet-v2_cifar10\.py: lr_config \(linear warm-up 20 steps, ×0\.1 at epochs 2, 3\), max_epochs=4 × 100 steps an epoch/);
  assert.equal(j.schedule.total, 400);
  assert.equal(j.schedule.futureKnown, true);
});

test("an MMDetection 2.x console: the lr_config of the config it printed plans the run's LR", async () => {
  const head = ['2022-11-12 14:20:00,000 - mmdet - INFO - Environment info:', 'sys.platform: linux', '', '2022-11-12 14:20:01,000 - mmdet - INFO - Config:', CONFIG, ''];
  const rows: string[] = [];
  for (let e = 1; e <= 2; e++) {
    for (let it = 10; it <= 100; it += 10) {
      const s = (e - 1) * 100 + it;
      rows.push(`2022-11-12 14:30:37,044 - mmdet - INFO - Epoch [${e}][${it}/100]\tlr: ${lrAt(s - 1).toExponential(3)}, eta: 2:03:32, time: 0.645, data_time: 0.058, memory: 3483, loss_rpn_cls: 0.3415, loss_cls: 0.3770, acc: 88.1094, loss: ${loss(s).toFixed(4)}`);
    }
    rows.push(`2022-11-12 14:41:28,652 - mmdet - INFO - Epoch(val) [${e}][200]\tbbox_mAP: 0.0310, bbox_mAP_50: 0.1190`);
  }
  const file = path.join(tmp, 'mmdet2-console.log');
  fs.writeFileSync(file, [...head, ...rows].join('\n') + '\n');
  const log = await parseLogFile(file);
  assert.equal(log.rows, 20, log.problems.map((p) => p.message).join('\n'));
  assert.equal(log.data.step[19], 200);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { schedule?: { source: string; total: number }; trust?: { reasons: string[] }; prediction?: { step?: number } };
  // Two epochs of the four its runner plans: predicted at the planned end, the passes counted as planned.
  assert.equal(j.prediction?.step, 400);
  assert.ok(j.trust?.reasons.some((r) => r.startsWith("the run makes 4 passes over its data (runner's max_epochs=4 in mmdet2-console.log)")), JSON.stringify(j.trust));
  assert.match(j.schedule?.source ?? '', /then as planned \(mmdet2-console\.log: lr_config \(linear warm-up 20 steps, ×0\.1 at epochs 2, 3\), max_epochs=4 × 100 steps an epoch/, JSON.stringify(j.schedule));
  assert.equal(j.schedule?.total, 400);
});

test("an MMCV text log of evaluations only (its logger's interval longer than an epoch): refused, saying why and where", () => {
  // The shape of two real logs (MMDetection 2 on 61 balloon images, MMClassification on flowers):
  // `log_config = dict(interval=25, …)` and 13 iterations an epoch, so no training line was printed.
  const head = ['2023-02-10 10:30:00,000 - mmdet - INFO - Config:', "runner = dict(type='EpochBasedRunner', max_epochs=50)", "log_config = dict(interval=25, hooks=[dict(type='TextLoggerHook')])", ''];
  const val = Array.from({ length: 5 }, (_, e) => `2023-02-10 10:30:30,459 - mmdet - INFO - Epoch(val) [${e + 1}][13]\tbbox_mAP: 0.0${e}25, bbox_mAP_50: 0.0061, bbox_mAP_75: 0.0011, bbox_mAP_s: 0.0000`);
  assert.throws(() => parseLogText([...head, ...val].join('\n') + '\n', 'run.log'),
    /^LogReadError: run\.log: an MMCV \/ MMEngine log whose metric lines are all evaluations \(line 5: Epoch\(val\) \[1\]\[13\] bbox_mAP, bbox_mAP_50, bbox_mAP_75, …\) and no training line with a loss: there is no loss to fit\. The logger prints a training line every 25 iterations; an epoch of fewer iterations prints none\./);
  // MMEngine's form, its interval in `default_hooks`: the same reason.
  const engine = ['12/01 09:59:00 - mmengine - INFO - Config:', "default_hooks = dict(logger=dict(type='LoggerHook', interval=50))", '12/01 10:00:00 - mmengine - INFO - Epoch(val) [1][13/13]    accuracy/top1: 91.2000  data_time: 0.01'];
  assert.throws(() => parseLogText(engine.join('\n') + '\n', 'run.log'), /line 3: Epoch\(val\) \[1\]\[13\/13\] accuracy\/top1, data_time\) .*every 50 iterations/);
  // With one training line the log is read, not refused.
  const train = '2023-02-10 10:30:20,000 - mmdet - INFO - Epoch [1][10/13]\tlr: 1.0e-02, eta: 0:01:00, time: 0.5, loss: 1.25';
  assert.doesNotThrow(() => parseLogText([...head, train, ...val].join('\n') + '\n', 'run.log'));
});

// Detectron2's output folder: metrics.json (a JSON line every 20 iterations, "iteration": 19, 39, …)
// and the config.yaml it dumps, whose SOLVER block plans the LR. Real ones found (eighteenth session)
// state no licence or have no config beside them: built here in their shape.
const D2_SOLVER = [
  'MODEL:', '  META_ARCHITECTURE: GeneralizedRCNN', 'SOLVER:', '  AMP:', '    ENABLED: false', '  BASE_LR: 0.02', '  BASE_LR_END: 0.0',
  '  GAMMA: 0.1', '  IMS_PER_BATCH: 16', '  LR_SCHEDULER_NAME: WarmupMultiStepLR', '  MAX_ITER: 2000', '  MOMENTUM: 0.9', '  STEPS:', '  - 1500',
  '  WARMUP_FACTOR: 0.001', '  WARMUP_ITERS: 100', '  WARMUP_METHOD: linear', '  WEIGHT_DECAY: 0.0001', 'TEST:', '  EVAL_PERIOD: 0', 'VERSION: 2', '',
].join('\n');
const d2Lr = (i: number) => 0.02 * (i < 100 ? 0.001 + (1 - 0.001) * (i / 100) : i >= 1500 ? 0.1 : 1);

test("detectron2Schedule: the SOLVER block's warm-up, steps or cosine, as build_lr_scheduler makes them", () => {
  const p = detectron2Schedule(D2_SOLVER, 'config.yaml')!;
  assert.ok(p);
  assert.equal(p.totalSteps, 2000);
  assert.equal(p.warmupSteps, 100);
  for (const i of [0, 1, 50, 99, 100, 1499, 1500, 2000]) assert.ok(Math.abs(p.curve[i] - d2Lr(i) / 0.02) < 1e-12, `iteration ${i}: ${p.curve[i]}`);
  assert.equal(p.source, 'config.yaml: SOLVER (linear warm-up 100 steps, ×0.1 at steps 1500), MAX_ITER=2000');
  // A config of its own (detectron2's configs/): STEPS as a tuple; the cosine to BASE_LR_END.
  const tuple = detectron2Schedule('SOLVER:\n  IMS_PER_BATCH: 16\n  BASE_LR: 0.02\n  STEPS: (210000, 250000)\n  MAX_ITER: 270000\n', 'faster_rcnn_R_50_FPN_3x.yaml')!;
  assert.equal(tuple.totalSteps, 270000);
  assert.ok(Math.abs(tuple.curve[260000] - 0.01) < 1e-12);
  const cos = detectron2Schedule('SOLVER:\n  BASE_LR: 0.1\n  BASE_LR_END: 0.001\n  LR_SCHEDULER_NAME: WarmupCosineLR\n  MAX_ITER: 1000\n  WARMUP_ITERS: 0\n', 'c.yaml')!;
  assert.ok(Math.abs(cos.curve[500] - (0.01 + 0.5 * 0.99)) < 1e-12);
  assert.ok(Math.abs(cos.curve[1000] - 0.01) < 1e-12);
  assert.equal(detectron2Schedule('SOLVER:\n  LR_SCHEDULER_NAME: WarmupPolyLR\n  MAX_ITER: 1000\n', 'c.yaml'), undefined);
  assert.equal(detectron2Schedule('solver:\n  max_iter: 1000\n', 'c.yaml'), undefined);
});

test("a Detectron2 output folder: metrics.json's LR, then the config.yaml's plan after a prefix", async () => {
  const dir = path.join(tmp, 'output');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.yaml'), D2_SOLVER);
  const rows: string[] = [];
  for (let i = 19; i < 2000; i += 20) {
    rows.push(JSON.stringify({ data_time: 0.003, eta_seconds: 100, 'fast_rcnn/cls_accuracy': 0.95, iteration: i, loss_box_reg: 0.2, loss_cls: 0.3, lr: d2Lr(i), time: 0.5, total_loss: +(0.3 + 3 / Math.pow(i + 1, 0.4)).toFixed(5) }));
  }
  fs.writeFileSync(path.join(dir, 'metrics.json'), rows.join('\n') + '\n');
  const j = fitToJson((await analyzeFile(path.join(dir, 'metrics.json'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as { series: string; schedule?: { source: string; total: number; warmup: number; futureKnown: boolean } };
  assert.equal(j.series, 'total_loss');
  assert.match(j.schedule?.source ?? '', /then as planned \(config\.yaml: SOLVER \(linear warm-up 100 steps, ×0\.1 at steps 1500\), MAX_ITER=2000\)/, JSON.stringify(j.schedule));
  assert.equal(j.schedule?.total, 2000);
  assert.equal(j.schedule?.futureKnown, true);
});

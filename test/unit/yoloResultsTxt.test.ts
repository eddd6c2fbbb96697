// YOLOv5's results.txt (before v6.0, 2021; YOLOv7 still writes it): no header, one row an epoch of
// 15 fields, `epoch/last gpu_mem box obj cls total labels img_size P R mAP@.5 mAP@.5:.95 val_box
// val_obj val_cls` (its plot_results reads them by position). Two real ones found by a helper search
// (eighteenth session) were refused as "not a training log this reader knows".
import { test } from 'node:test';
import * as path from 'node:path';
import * as fs from 'node:fs';
import assert from 'node:assert/strict';
import { detectFormat, parseLogFile, parseLogText } from '../../src/core/logs';
import { WHOLE_LOSS } from '../../src/core/logs/convert';
import { YOLO_RESULTS_RE } from '../../src/core/logs/detect';
import { analyze as analyzeLog, analyzeFile } from '../../src/core/pipeline';
import { yoloSchedule } from '../../src/core/fit/schedule';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const FILE = path.join(FIXTURES, 'yolov5-bean-exp0', 'results.txt');

test('a real YOLOv5 results.txt: a text log of 400 epochs, its fields named by position, 400 planned', async () => {
  const text = fs.readFileSync(FILE, 'utf8');
  assert.equal(detectFormat('results.txt', text.slice(0, 8192)), 'text');
  const log = await parseLogFile(FILE);
  assert.equal(log.rows, 400, log.problems.map((p) => p.message).join('\n'));
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  for (const n of ['box_loss', 'obj_loss', 'cls_loss', 'loss']) assert.equal(role(n), 'loss', n);
  for (const n of ['val_box_loss', 'val_obj_loss', 'val_cls_loss', 'val_loss']) assert.equal(role(n), 'eval_loss', n);
  assert.equal(role('epoch'), 'epoch');
  assert.equal(log.columns.some((c) => c.role === 'step' || c.role === 'tokens'), false);
  // Line 1: `0/399 0.619G 0.115 0.09063 0.048 0.2537 11 320 0 0 0.008872 0.001599 0.09294 0.09287 0.04632`.
  assert.equal(log.data.epoch[0], 0);
  assert.equal(log.data.loss[0], 0.2537);
  assert.equal(log.data.box_loss[0], 0.115);
  assert.equal(log.data.val_cls_loss[0], 0.04632);
  // (The columns no fit uses are named, not kept.)
  for (const n of ['gpu_mem', 'labels', 'img_size', 'precision', 'recall', 'mAP_0.5', 'mAP_0.5:0.95']) assert.equal(role(n), 'other', n);
  // The held-out total is the sum of its three terms, as the file's training total is of its own.
  assert.ok(Math.abs(log.data.val_loss[0] - (0.09294 + 0.09287 + 0.04632)) < 1e-12);
  assert.ok(Math.abs(log.data.loss[0] - (0.115 + 0.09063 + 0.048)) < 1e-3);
  assert.equal(log.data.epoch[399], 399);
  assert.equal(log.run?.epochsLogged?.count, 400);
  assert.equal(log.run?.plannedSteps?.steps, 399);
  assert.match(log.run?.plannedSteps?.source ?? '', /results\.txt rows \("epoch\/399", line 400, counted from 0\)/);
});

test('the real YOLOv5 run is fitted on its whole loss in epochs, and its held-out total is the one set against it', async () => {
  const a = await analyzeFile(FILE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as { series: string; xKind: string; stepUnit?: string };
  assert.equal(j.series, 'loss');
  assert.equal(j.stepUnit, 'epoch');
  const rise = a.state.findings?.find((f) => /has risen/.test(f.message));
  assert.ok(rise, JSON.stringify(a.state.findings));
  assert.match(rise.message, /^"val_loss" has risen 16[.,]\d% above its lowest \(0[.,]08332 at epoch 122\)/);
  assert.match(rise.message, /the training loss "loss" fell/);
});

test("the real YOLOv5 run's hyp.yaml and opt.yaml beside it plan its LR: one-cycle cosine from lr0 to lrf × lr0 over 400 epochs, 3 of warm-up", async () => {
  const dir = path.dirname(FILE);
  const hyp = fs.readFileSync(path.join(dir, 'hyp.yaml'), 'utf8'), opt = fs.readFileSync(path.join(dir, 'opt.yaml'), 'utf8');
  const p = yoloSchedule(hyp, 'hyp.yaml', [{ text: opt, file: path.join(dir, 'opt.yaml') }], 0)!;
  assert.ok(p, 'a plan from hyp.yaml with opt.yaml beside it');
  assert.equal(p.totalSteps, 399);
  assert.equal(p.decay, 'cosine');
  assert.equal(p.minRatio, 0.2);
  assert.match(p.source, /^hyp\.yaml: lr0=0\.01, lrf=0\.2, warmup_epochs=3\.0; opt\.yaml: epochs=400 \(YOLO: one-cycle cosine/);
  // YOLOv5's lf(x) = ((1 + cos(πx/epochs))/2)(1 − lrf) + lrf, from epoch 0; under the warm-up, a rise to
  // it; the epoch the warm-up ends in at lf(3), each later epoch x at lf(x − 1) (its LambdaLR is stepped
  // at the epoch's end: a real YOLOv5 results.csv logs 0.000496 = lr0 × lf(48) at its last epoch, 49).
  const lf = (x: number) => ((1 + Math.cos((Math.PI * x) / 400)) / 2) * 0.8 + 0.2;
  assert.ok(Math.abs(p.curve![3] - lf(3)) < 1e-12, 'epoch 3');
  for (const e of [4, 100, 200, 399]) assert.ok(Math.abs(p.curve![e] - lf(e - 1)) < 1e-12, `epoch ${e}`);
  // (The warm-up's 3 epochs end at lf(2): the LR rises through epochs 0–2, (x + 1)/3 of lf(x) at each one's end.)
  assert.ok(p.curve![0] < p.curve![1] && p.curve![1] < p.curve![2]);
  assert.ok(Math.abs(p.curve![0] - lf(0) / 3) < 1e-12 && Math.abs(p.curve![2] - lf(2)) < 1e-12);
  // Without its epochs (no opt.yaml, none in hyp.yaml), no plan; a file of other keys is none.
  assert.equal(yoloSchedule(hyp, 'hyp.yaml', [], 0), undefined);
  assert.equal(yoloSchedule('lr0: 0.01\nlrf: 0.2\nwarmup_epochs: 3\nepochs: 10\n', 'x.yaml', [], 0), undefined);
  // Ultralytics' args.yaml: its own epochs, linear unless cos_lr.
  const ul = 'epochs: 100\nlr0: 0.01\nlrf: 0.01\nwarmup_epochs: 3.0\nbox: 7.5\ncls: 0.5\ncos_lr: false\n';
  assert.equal(yoloSchedule(ul, 'args.yaml', [], 1)?.decay, 'linear');
  assert.equal(yoloSchedule(ul.replace('cos_lr: false', 'cos_lr: true'), 'args.yaml', [], 1)?.decay, 'cosine');
  // The whole pipeline takes it: a cut at half predicts the last epoch under the planned decay.
  const a = await analyzeFile(FILE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 });
  const j = fitToJson(a.state) as { schedule?: { kind: string; futureKnown: boolean; source: string; total: number } };
  assert.equal(j.schedule?.kind, 'cosine');
  assert.equal(j.schedule?.futureKnown, true);
  assert.equal(j.schedule?.total, 399);
  assert.match(j.schedule?.source ?? '', /hyp\.yaml: lr0=0\.01/);
});

test('a run that reached its planned end with no LR known is fitted at its last point, not extrapolated to 10×', () => {
  const rows = Array.from({ length: 10 }, (_, e) => `       ${e}/9     2.13G   0.07088   0.05135   0.01379  ${(0.2 / Math.sqrt(e + 1) + 0.05).toFixed(5)}       546       640    0.7854    0.1019    0.0955   0.04278   0.03883   0.04754  0.004266`);
  const a = analyzeLog(parseLogText(rows.join('\n') + '\n', 'results.txt'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 }, { configs: [] });
  const j = fitToJson(a.state) as { prediction?: { inSample?: boolean; step?: number }; messages: string[] };
  assert.equal(j.prediction?.inSample, true);
  assert.ok(j.messages.some((m) => /the run reached its planned end, epoch 9 .*: fitted at its last point, with nothing ahead to predict/.test(m)), j.messages.join('\n'));
  assert.ok(!j.messages.some((m) => /extrapolated to 10×/.test(m)), j.messages.join('\n'));
});

test("a part of a detector's loss is not its whole loss: box_loss and val_box_loss are not, loss and val_loss are", () => {
  for (const n of ['loss', 'val_loss', 'train/loss', 'train_loss', 'total_loss', 'lm_loss', 'train/CrossEntropyLoss']) assert.equal(WHOLE_LOSS.test(n), true, n);
  for (const n of ['box_loss', 'val_box_loss', 'train/box_loss', 'obj_loss', 'cls_loss', 'dfl_loss', 'aux_loss', 'z_loss', 'loss_cls']) assert.equal(WHOLE_LOSS.test(n), false, n);
});

test('a whitespace table that is not a YOLO results.txt is not read as one; a row with nan is', () => {
  // 15 numbers but no `epoch/last`, or a row one field short.
  assert.equal(YOLO_RESULTS_RE.test('0 0.619 0.115 0.09 0.048 0.25 11 320 0 0 0.008 0.001 0.09 0.09 0.04'), false);
  assert.equal(YOLO_RESULTS_RE.test('     0/9    0.619G     0.115   0.09063     0.048    0.2537        11       320         0         0  0.008872  0.001599   0.09294   0.09287'), false);
  const row = (e: number, v: string) => `     ${e}/9     1.2G    0.0${9 - e}    0.05    0.02    0.${17 - e}         8       640    0.5    0.4    0.3    0.1    0.07    0.04    ${v}`;
  const log = parseLogText([row(0, 'nan'), row(1, '0.02'), row(2, '0.01')].join('\n') + '\n', 'results.txt');
  assert.equal(log.rows, 3);
  assert.ok(Number.isNaN(log.data.val_cls_loss[0]) && Number.isNaN(log.data.val_loss[0]));
  assert.ok(Math.abs(log.data.val_loss[2] - 0.12) < 1e-12);
});

test('the YOLO results.txt row regex is linear: long runs of digits, spaces and fields', () => {
  for (const make of [
    (n: number) => '0/1 ' + '1'.repeat(n),
    (n: number) => '0/1 1G' + ' 1'.repeat(n / 2),
    (n: number) => ' '.repeat(n) + '0/1',
    (n: number) => '0/1 1G' + ' 1.'.repeat(n / 3) + 'x',
  ]) {
    const t0 = process.hrtime.bigint();
    YOLO_RESULTS_RE.test(make(200_000));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
  }
});

test("YOLOv5 v6.1+ results.csv (real, 50 epochs) with hyp.yaml and opt.yaml beside it and the run's TensorBoard file: linear to lrf × lr0 (`cos_lr: false`), ends at epoch 49", async () => {
  // Before: the event file beside it made hyp.yaml and opt.yaml unused (not a run config's usual name
  // beside another log): "linear decay continued to epoch 52", a prediction past the run's end.
  const src = path.join(FIXTURES, 'yolov5-lego-exp');
  const dir = tmpDir('sl-y5-');
  try {
    for (const n of ['results.csv', 'hyp.yaml', 'opt.yaml']) fs.copyFileSync(path.join(src, n), path.join(dir, n));
    // (The run's event file, 1.3 MB, is not shipped: one in its name stands for it, another log beside.)
    fs.writeFileSync(path.join(dir, 'events.out.tfevents.1655416124.33f6a3a27a4d.385.0'), '');
    const a = await analyzeFile(path.join(dir, 'results.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
    const j = fitToJson(a.state) as { stepUnit?: string; schedule?: { total?: number; kind?: string; source?: string }; prediction?: { step?: number; inSample?: boolean } };
    assert.equal(j.stepUnit, 'epoch');
    assert.equal(j.schedule?.total, 49);
    assert.equal(j.schedule?.kind, 'linear');
    assert.match(j.schedule?.source ?? '', /opt\.yaml: epochs=50/);
    assert.deepEqual([j.prediction?.step, j.prediction?.inSample], [49, true]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The CSV's rows as numbers by (trimmed) column name: read apart from the reader. */
function csvColumns(file: string): Record<string, number[]> {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = head.split(',').map((n) => n.trim());
  const out: Record<string, number[]> = {};
  names.forEach((n, k) => { out[n] = rows.map((r) => Number(r.split(',')[k])); });
  return out;
}

for (const [what, rel, terms] of [
  ['YOLOv5 v6.1+ (box + obj + cls)', 'yolov5-lego-exp/results.csv', ['box', 'obj', 'cls']],
  ['YOLOv8 (box + cls + dfl)', 'ultralytics-yolov8-wheat-weed/results.csv', ['box', 'cls', 'dfl']],
] as const) {
  test(`Ultralytics results.csv, ${what}: the whole loss is the sum of its terms, training and validation, and the fit opens on it`, async () => {
    // Before: no total, so the fit took its first term, train/box_loss, for the run's loss.
    const file = path.join(FIXTURES, rel);
    const cols = csvColumns(file);
    const log = await parseLogFile(file);
    for (const split of ['train', 'val'] as const) {
      const sum = log.data[`${split}/loss`];
      assert.ok(sum, `${split}/loss`);
      const want = cols.epoch.map((_, i) => terms.reduce((s, t) => s + cols[`${split}/${t}_loss`][i], 0));
      assert.equal(sum.length, want.length);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(sum[i] - want[i]) < 1e-12, `${split} row ${i}: ${sum[i]} vs ${want[i]}`);
      assert.equal(log.columns.find((c) => c.name === `${split}/loss`)?.role, split === 'train' ? 'loss' : 'eval_loss');
    }
    // Each term is still a series of its own.
    assert.equal(log.columns.find((c) => c.name === 'train/box_loss')?.role, 'loss');
    const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
    assert.equal(a.state.options.series, 'train/loss');
    assert.ok(a.state.seriesNames?.includes('train/box_loss'));
  });
}

test('a loss total is added only to a detector\'s terms: not beside a logged total, not to one term, a missing term leaves that row without it', () => {
  const rows = (head: string, f: (i: number) => string) => `${head}\n${Array.from({ length: 12 }, (_, i) => f(i)).join('\n')}\n`;
  // A logged total is kept as it is.
  const kept = parseLogText(rows('epoch,train/loss,train/box_loss,train/cls_loss', (i) => `${i},9,${1 / (i + 1)},${0.5 / (i + 1)}`), 'results.csv');
  assert.equal(kept.data['train/loss'][3], 9);
  // A box term alone, or other losses named like terms, are not summed.
  assert.equal(parseLogText(rows('epoch,train/box_loss,val/box_loss', (i) => `${i},${1 / (i + 1)},${1.1 / (i + 1)}`), 'results.csv').data['train/loss'], undefined);
  assert.equal(parseLogText(rows('step,train/kl_loss,train/recon_loss', (i) => `${i},${1 / (i + 1)},${1.1 / (i + 1)}`), 'metrics.csv').data['train/loss'], undefined);
  // A row with a term missing has no total (NaN), not a smaller one.
  const gap = parseLogText(rows('epoch,train/box_loss,train/cls_loss,train/dfl_loss', (i) => `${i},${1 / (i + 1)},${i === 4 ? '' : 0.5 / (i + 1)},0.25`), 'results.csv');
  assert.ok(Number.isNaN(gap.data['train/loss'][4]));
  assert.ok(Math.abs(gap.data['train/loss'][5] - (1 / 6 + 0.5 / 6 + 0.25)) < 1e-12);
});

test('a YOLOv5 run folder (results.csv, hyp.yaml, opt.yaml and its event file) opened as a folder: its results.csv and configs, as the file itself', async () => {
  // Before: the folder was read as its event file, a "step" that was the epoch, its configs unused:
  // "linear decay continued to step 52" of a 50-epoch run.
  const src = path.join(FIXTURES, 'yolov5-lego-exp');
  const dir = tmpDir('sl-y5dir-');
  try {
    for (const n of ['results.csv', 'hyp.yaml', 'opt.yaml']) fs.copyFileSync(path.join(src, n), path.join(dir, n));
    fs.writeFileSync(path.join(dir, 'events.out.tfevents.1655416124.33f6a3a27a4d.385.0'), '');
    const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };
    const folder = await analyzeFile(dir, opts);
    const file = await analyzeFile(path.join(dir, 'results.csv'), opts);
    const jf = fitToJson(folder.state) as { schedule?: { total?: number; source?: string }; prediction?: { loss?: number } };
    const jr = fitToJson(file.state) as typeof jf;
    assert.equal(jf.schedule?.total, 49);
    assert.match(jf.schedule?.source ?? '', /opt\.yaml: epochs=50/);
    assert.equal(jf.prediction?.loss, jr.prediction?.loss);
    assert.ok(folder.state.problems.some((p) => /an Ultralytics YOLO run: read its results\.csv .*not its event files/.test(p.message)), folder.state.problems.map((p) => p.message).join('\n'));
    // A folder whose results.csv is no Ultralytics table is not taken for one.
    fs.writeFileSync(path.join(dir, 'results.csv'), 'step,loss\n1,2\n2,1.5\n');
    const other = await parseLogFile(dir);
    assert.equal(other.format, 'tfevents');
    assert.ok(!other.problems.some((p) => /Ultralytics/.test(p.message)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

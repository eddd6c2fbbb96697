// Tables of one row per epoch, as computer-vision and Keras trainers write them (real files,
// test/fixtures/SOURCES.md): Ultralytics YOLOv8's results.csv and two Keras CSVLogger files. Their
// LR column is the schedule although they have no step column; YOLOv5's per-group `x/lr0` is an LR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';

type Json = { schedule?: { source: string; kind: string; warmup: number; total: number; futureKnown: boolean }; messages: string[]; trust: { reasons: string[] } };
const fit = async (rel: string, extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS> = {}) =>
  fitToJson((await analyzeFile(path.join(FIXTURES, rel), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, ...extra })).state) as unknown as Json;

test('YOLOv8 results.csv: the LR of each epoch (lr/pg0) is the schedule: a warm-up of about 34 epochs (100 iterations on a small set), then the linear decay', async () => {
  const log = await parseLogFile(path.join(FIXTURES, 'ultralytics-yolov8-wheat-weed', 'results.csv'));
  assert.equal(log.rows, 102);
  assert.equal(log.columns.find((c) => c.name === 'lr/pg0')?.role, 'lr');
  assert.ok(!log.columns.some((c) => c.role === 'step'));
  const j = await fit('ultralytics-yolov8-wheat-weed/results.csv');
  assert.match(j.schedule?.source ?? '', /^the log's LR column \(102 values, epochs 1–102\)/);
  // The logged LR peaks at epoch 34 (1.304e-3), rising from 3.3e-5 at epoch 1.
  assert.ok(j.schedule && j.schedule.warmup >= 30 && j.schedule.warmup <= 36, `warm-up ${j.schedule?.warmup}`);
  assert.ok(j.messages.includes('the log has no step column: its steps here are its epochs ("epoch")'), j.messages.join('\n'));
});

test('Keras CSVLogger: the lr column (ReduceLROnPlateau, float32 values) is the schedule; cut half-way, the LR ahead is unknown and said so', async () => {
  const log = await parseLogFile(path.join(FIXTURES, 'keras-csvlogger-brats', 'training.log'));
  assert.equal(log.rows, 24);
  assert.equal(log.data.lr[4], 0.00020000001);
  assert.equal(log.data.lr[23], 1e-6);
  const whole = await fit('keras-csvlogger-brats/training.log');
  assert.match(whole.schedule?.source ?? '', /^the log's LR column \(24 values, epochs 0–23\)/);
  const half = await fit('keras-csvlogger-brats/training.log', { fitUntil: 0.5 });
  assert.equal(half.schedule?.futureKnown, false);
  assert.ok(half.trust.reasons.some((r) => /the LR after epoch 11 is not known \(no planned schedule\)/.test(r)), half.trust.reasons.join('\n'));
  // (A law whose prediction's standard error cannot be computed here is said so, not "± Infinity".)
  assert.ok(!half.messages.some((m) => /Infinity/.test(m)), half.messages.join('\n'));
  // The newer Keras name, learning_rate.
  const mnist = await parseLogFile(path.join(FIXTURES, 'keras-csvlogger-mnist', 'training_log.csv'));
  assert.equal(mnist.columns.find((c) => c.name === 'learning_rate')?.role, 'lr');
  assert.match((await fit('keras-csvlogger-mnist/training_log.csv')).schedule?.source ?? '', /the log's LR column \(30 values/);
});

test("YOLOv5's per-group LR columns (x/lr0, x/lr1, x/lr2) are LRs, as YOLOv8's lr/pg0 are", () => {
  // YOLOv5's results.csv header, its names padded to width 20 (ultralytics/yolov5 train.py); two rows.
  const head = ['epoch', 'train/box_loss', 'train/obj_loss', 'train/cls_loss', 'metrics/precision', 'metrics/recall', 'metrics/mAP_0.5', 'metrics/mAP_0.5:0.95', 'val/box_loss', 'val/obj_loss', 'val/cls_loss', 'x/lr0', 'x/lr1', 'x/lr2'];
  const row = (e: number) => [e, 0.1 - e / 100, 0.05, 0.02, 0.5, 0.5, 0.5, 0.3, 0.09, 0.04, 0.01, 0.0033 * (e + 1), 0.0033 * (e + 1), 0.07 - 0.02 * e];
  const text = [head, row(0), row(1)].map((r) => r.map((v) => String(v).padStart(20)).join(',')).join('\n') + '\n';
  const log = parseLogText(text, 'results.csv');
  for (const n of ['x/lr0', 'x/lr1', 'x/lr2']) assert.equal(log.columns.find((c) => c.name === n)?.role, 'lr', n);
  assert.equal(log.columns.find((c) => c.name === 'metrics/mAP_0.5:0.95')?.role, 'other');
});

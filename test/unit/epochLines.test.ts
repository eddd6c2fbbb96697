// Consoles that print one summary line an epoch and no step counter: a hand-written loop's
// `Epoch 3/40 - Train Loss: 2.12, Val Loss: 2.28` (print or logging), SpeechBrain's train_log.txt
// `epoch: 3, lr: 1.00e+00 - train loss: 2.30 - valid loss: 1.34, valid PER: 40.99`. Before, their
// commas made them a CSV whose "columns" were `Epoch 1/40 - Train Loss: 2.5000`: no loss series, and
// the file refused.
import { test } from 'node:test';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { detectFormat, parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { epochLine } from '../../src/core/logs/detect';
import { assertLinear } from './hostileUtil';
import * as fs from 'node:fs';
import { FIXTURES, gunzipFixture, rolesOf } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const train = (e: number) => +(2 / Math.pow(e, 0.3) + 0.5).toFixed(4);
const val = (e: number) => +(2.1 / Math.pow(e, 0.28) + 0.55).toFixed(4);
const lines = (n: number, f: (e: number) => string) => Array.from({ length: n }, (_, k) => f(k + 1)).join('\n');

const FORMS: Array<[string, (e: number) => string, string, string]> = [
  ['print, N/T and " - "', (e) => `Epoch ${e}/30 - Train Loss: ${train(e)}, Val Loss: ${val(e)}`, 'Train_Loss', 'Val_Loss'],
  ['bracketed N/T', (e) => `Epoch [${e}/30], resnet - Train Loss: ${train(e)}, Val Loss: ${val(e)}`, 'Train_Loss', 'Val_Loss'],
  ['logging prefix', (e) => `2025-08-27 17:52:44,924 - root - INFO - Epoch ${e}/30 - Train Loss: ${train(e)}, Val Loss: ${val(e)}, Val RMSE: 0.95, LR: 0.00100000, Time: 3628.2s`, 'Train_Loss', 'Val_Loss'],
  ['Python logging default', (e) => `INFO:root:Epoch: ${e}, LR: 1e-05, Train Loss: ${train(e)}, Val Loss: ${val(e)}`, 'Train_Loss', 'Val_Loss'],
  ['date, time and level, "=" pairs', (e) => `2023-05-15 22:50:17,398 INFO:Epoch ${e}: Train Loss=${train(e)}, Val Loss=${val(e)}`, 'Train_Loss', 'Val_Loss'],
  ['date, level, zero-padded [N/T]', (e) => `2025-07-07 13:55:26.649 INFO: Epoch [${String(e).padStart(3, '0')}/300] - Train Loss: ${train(e)}, Valid Loss: ${val(e)}, LR: [0.001]`, 'Train_Loss', 'Valid_Loss'],
  ['SpeechBrain train_log.txt', (e) => `epoch: ${e}, lr: 1.00e+00 - train loss: ${train(e).toExponential(2)} - valid loss: ${val(e).toFixed(2)}, valid CER: 12.3, valid WER: 30.1`, 'train_loss', 'valid_loss'],
];

for (const [what, f, lossKey, valKey] of FORMS) {
  test(`epoch summary lines (${what}): one row an epoch, the training and validation losses by their names`, () => {
    const text = lines(30, f);
    assert.equal(detectFormat('train.log', text), 'text');
    assert.equal(detectFormat('train_log.txt', text), 'text');
    const log = parseLogText(text, 'train.log');
    assert.equal(log.rows, 30, log.problems.map((p) => p.message).join('\n'));
    assert.deepEqual(Array.from(log.data.epoch).slice(0, 3), [1, 2, 3]); // its step: the fit says "its steps here are its epochs"
    assert.ok(Math.abs(log.data[lossKey][9] - train(10)) < 0.006, `${log.data[lossKey][9]}`); // SpeechBrain prints 3 figures
    assert.ok(Math.abs(log.data[valKey][9] - val(10)) < 0.006, `${log.data[valKey][9]}`);
    assert.deepEqual(rolesOf(log, [lossKey, valKey]), { [lossKey]: 'loss', [valKey]: 'eval_loss' });
    // 30 passes over the data (or the epochs planned, which end the run there).
    const of = /\/(\d+)\]?/.exec(f(1))?.[1];
    assert.equal(log.run?.epochsLogged?.count, of ? Number(of) : 30);
    if (of) assert.equal(log.run?.plannedSteps?.steps, Number(of));
  });
}

test('a log with step lines keeps them: its epoch summaries are not rows that go back to step 1', () => {
  const text = [
    'Epoch 1, Step 100: loss=2.5', 'Epoch 1, Step 200: loss=2.3', 'Epoch 1 - Train Loss: 2.4, Val Loss: 2.6',
    'Epoch 2, Step 300: loss=2.2', 'Epoch 2, Step 400: loss=2.1', 'Epoch 2 - Train Loss: 2.15, Val Loss: 2.4',
  ].join('\n');
  const log = parseLogText(text, 'train.log');
  assert.deepEqual(Array.from(log.data.step), [100, 200, 300, 400]);
  assert.ok(!log.problems.some((p) => /restart|starts again|went back/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test('what is not an epoch summary: no loss named, an epoch header alone, a CSV header, a word between', () => {
  assert.equal(epochLine('Epoch 3/40 - accuracy: 0.91'), undefined);
  assert.equal(epochLine('Epoch 3/40'), undefined);
  assert.equal(epochLine('epoch,loss,val_loss'), undefined);
  assert.equal(epochLine('Epoch loaded: 20 - test loss: 1.2'), undefined);
  assert.equal(epochLine('the epoch 3 loss was 2.0'), undefined);
  assert.deepEqual(epochLine('Epoch 3/40 | loss 2.0')?.step, 3);
  // A CSV of epochs stays a CSV.
  assert.equal(detectFormat('metrics.txt', 'epoch,loss,val_loss\n1,2.5,2.6\n2,2.3,2.4\n'), 'csv');
});

test('epoch summary lines are read in linear time (a line of 4,000 brackets, a long run of digits)', () => {
  assertLinear('epoch lines', (size) => {
    const bad = `Epoch ${'['.repeat(4000)} loss`;
    const text = Array.from({ length: size }, (_, k) => (k % 2 ? bad : `Epoch ${k}: loss ${'9'.repeat(300)}`)).join('\n');
    parseLogText(text, 'train.log');
  }, 200);
});

test('real SpeechBrain train_log.txt (LibriSpeech Transformer, 100 epochs, MIT): rows at its printed steps, 100 passes, the test lines after it not rows', async () => {
  const file = path.join(FIXTURES, 'speechbrain-librispeech-transformer-train_log.txt');
  const log = await parseLogFile(file);
  assert.equal(log.rows, 100);
  const step = Array.from(log.data.step);
  assert.deepEqual([step[0], step[99]], [2006, 200600]);
  assert.deepEqual(rolesOf(log, ['train_loss', 'valid_loss', 'lr']), { train_loss: 'loss', valid_loss: 'eval_loss', lr: 'lr' });
  assert.equal(log.data.train_loss[0], 302); // `3.02e+02`
  // Its `epoch: N` pairs count the passes, as a CSV's epoch column would.
  assert.equal(log.run?.epochsLogged?.count, 100);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string; trust?: { supported: boolean; reasons: string[] }; messages: string[] };
  assert.equal(j.series, 'train_loss');
  assert.match(j.messages.join('\n'), /100 passes over its data/);
});

test('a bracketed value (scheduler.get_last_lr(), a NumPy array) is read: an LR list by its first group, a one-item list of anything', () => {
  // A hand-written loop printing `scheduler.get_last_lr()`: before, its LR was not read, so no schedule.
  const epochs = parseLogText(lines(30, (e) => `2025-07-07 13:55:26.649 INFO: Epoch [${String(e).padStart(3, '0')}/300] - Train Loss: ${train(e)}, Valid Loss: ${val(e)}, LR: [${(0.001 * (1 - e / 300)).toPrecision(4)}]`), 'train.log');
  assert.equal(epochs.columns.find((c) => c.name === 'LR')?.role, 'lr');
  assert.equal(epochs.data.LR[9], +(0.001 * (1 - 10 / 300)).toPrecision(4));
  // Two parameter groups: the first group's LR; a list of something else holds no one value; a one-item list is its item.
  const steps = parseLogText(lines(20, (s) => `step ${10 * s} | loss: [${train(s)}] | lr [${(3e-4 * s).toExponential(2)}, ${(1e-4 * s).toExponential(2)}] | acc: [0.5, 0.6]`), 'run.log');
  assert.equal(steps.rows, 20, steps.problems.map((p) => p.message).join('\n'));
  assert.deepEqual(Array.from(steps.data.step).slice(0, 3), [10, 20, 30]);
  assert.equal(steps.data.loss[4], train(5));
  assert.equal(steps.data.lr[4], +(3e-4 * 5).toExponential(2));
  assert.equal(steps.data.acc, undefined);
  // `Epoch [3/30]` is still no list (a step counter, not a value).
  assert.equal(steps.columns.some((c) => c.name === 'Epoch'), false);
});

test("a batch's loss printed behind the epoch alone (real T5 fine-tune, `Epoch 1 - Batch loss: 12.13`, 388 lines an epoch): a line is a step, the epoch's average at its last", async () => {
  // Read before at x = the epoch: 7,760 batch losses on 20 values of x, fitted as if 20 points.
  const dir = tmpDir('sl-batchlines-');
  const { file, text } = gunzipFixture(dir, 't5-finetune-batchloss-train.log');
  const batch = [...text.matchAll(/^.* - Epoch (\d+) - Batch loss: ([\d.]+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  const avg = [...text.matchAll(/^.* - Epoch (\d+) - Average Train Loss: ([\d.]+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual([batch.length, avg.length], [7760, 20]);
  const log = await parseLogFile(file);
  assert.equal(log.rows, batch.length + avg.length, log.problems.map((p) => p.message).join('\n'));
  assert.deepEqual(rolesOf(log, ['step', 'epoch', 'Batch_loss', 'Train_Loss']), { step: 'step', epoch: 'epoch', Batch_loss: 'loss', Train_Loss: 'loss' });
  // The k-th batch line is step k, with its loss and its epoch.
  const step = log.data.step, bl = log.data.Batch_loss, ep = log.data.epoch;
  let k = 0;
  for (let i = 0; i < log.rows; i++) {
    if (!Number.isFinite(bl[i])) continue;
    k++;
    assert.equal(step[i], k);
    if (k === 1 || k === 389 || k === batch.length) assert.deepEqual([ep[i], bl[i]], batch[k - 1], `line ${k}`);
  }
  // Each epoch's average sits at that epoch's last batch: epoch e at step 388·e.
  const at = Array.from(log.data.Train_Loss).flatMap((v, i) => (Number.isFinite(v) ? [[step[i], v]] : []));
  assert.deepEqual(at, avg.map(([e, v]) => [388 * e, v]));
  assert.equal(log.run?.epochsLogged?.count, 20);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 388);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string; xKind: string; messages: string[] };
  assert.equal(j.series, 'Batch_loss');
  assert.doesNotMatch(j.messages.join('\n'), /its steps here are its epochs/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('batch lines behind `Epoch N/T`: the end planned at T epochs of the lines one takes; one line an epoch stays a step an epoch', () => {
  const rows: string[] = [];
  for (let e = 1; e <= 4; e++) {
    for (let b = 1; b <= 5; b++) rows.push(`Epoch ${e}/10 - batch loss: ${train(5 * (e - 1) + b)}`);
    rows.push(`Epoch ${e}/10 - Val Loss: ${val(e)}`);
  }
  const log = parseLogText(rows.join('\n'), 'train.log');
  assert.deepEqual(Array.from(log.data.step).slice(0, 7), [1, 2, 3, 4, 5, 5, 6]);
  assert.deepEqual([log.run?.epochsLogged?.count, log.run?.epochsLogged?.stepsPerPass, log.run?.plannedSteps?.steps], [10, 5, 50]);
  // A training and a validation line an epoch (different losses): a step an epoch, as before.
  const two = parseLogText(lines(12, (e) => `Epoch ${e}/12 - train loss: ${train(e)}\nEpoch ${e}/12 - Val Loss: ${val(e)}`), 'train.log');
  assert.equal(two.data.step, undefined);
  assert.equal(two.run?.plannedSteps?.steps, 12);
});

// NeMo 2's console (a real BioNeMo Evo2 fine-tune, found by a helper search in the nineteenth
// session): its `Training epoch 0, iteration N/99 | … | reduced_train_loss: …` lines were read, but
// a checkpoint's path (`…/evo2--val_loss=0.0000-epoch=0-….ckpt`) after "saved checkpoint from
// iteration 49" was read as a row at step 49 (15 rows dropped as a restart), `Validation: iteration
// 20/20` made the plan 20 steps, the `val_loss` printed again on every training line after a
// validation was 35 evaluations of one value, and Lightning's ModelCheckpoint message gave columns
// "reached", "best" and "as_top".
import { test } from 'node:test';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { LIGHTNING_CKPT_RE, withoutModelFiles } from '../../src/core/logs/detect';
import { detectLogFiles } from '../../src/core/detectLogs';
import { FIXTURES } from './fixtureUtil';

const FILE = path.join(FIXTURES, 'nemo2-evo2-finetune', 'train_evo2_console.log');

test('a real NeMo 2 console: 100 steps, no restart, planned to step 99, each validation once', async () => {
  const log = await parseLogFile(FILE);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 100, log.problems.map((p) => p.message).join('\n'));
  assert.ok(!log.problems.some((p) => /restart/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  assert.equal(log.run?.plannedSteps?.steps, 99);
  assert.match(log.run?.plannedSteps?.source ?? '', /iteration N\/99/);
  // No column from the checkpoint messages' words or paths.
  for (const junk of ['reached', 'best', 'as_top', 'in_top', 'nemo_logging', 'Epoch', 'Training_epoch', 'in_s']) assert.ok(!log.columns.some((c) => c.name === junk), junk);
  // `train_step_timing in s: 23.52` is the step time with its unit in the name (as NeMo's bar has it).
  assert.equal(log.columns.find((c) => c.name === 'train_step_timing_in_s')?.role, 'other');
  // val_loss: the value printed again after the validation at step 49 once (step 50), and the
  // checkpoint's report at step 99; no 0.0000 from a path.
  const val = Array.from(log.data.val_loss).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(val, [[50, 1.619], [99, 1.61913]]);
  assert.ok(log.problems.some((p) => p.severity === 'info' && /"val_loss" repeats its last value on the training lines after it/.test(p.message)));
  assert.equal(log.columns.find((c) => c.name === 'epoch')?.role, 'epoch');
  assert.equal(log.data.reduced_train_loss[0], 1.285);
  assert.equal(log.data.reduced_train_loss[99], Number(log.data.reduced_train_loss[99]));
});

test('the editor judges the real NeMo 2 console a log: its first training line comes after 28 KB of `[NeMo I …]` lines', async () => {
  assert.deepEqual(await detectLogFiles([FILE]), [FILE]);
});

test("Lightning's ModelCheckpoint message: the monitored metric at its step, or nothing", () => {
  const text = [
    'Epoch 0: 100%|██████████| 100/100 [00:10<00:00, loss=2.10]',
    'step 100: loss 2.1',
    "Epoch 0, global step 100: 'val_loss' reached 1.90000 (best 1.90000), saving model to '/runs/ckpt/epoch=0-step=100-val_loss=1.90.ckpt' as top 3",
    'step 200: loss 1.9',
    "Epoch 1, global step 200: 'val_loss' was not in top 3",
    'step 300: loss 1.8',
    "[rank: 0] Epoch 2, global step 300: 'val_loss' reached 1.85000 (best 1.85000), saving model to \"/runs/ckpt/last.ckpt\" as top 3",
  ].join('\n') + '\n';
  const log = parseLogText(text, 'train.log');
  const val = Array.from(log.data.val_loss).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(val, [[100, 1.9], [300, 1.85]]);
  assert.ok(!log.columns.some((c) => /reached|best|top/.test(c.name)), log.columns.map((c) => c.name).join(', '));
});

test("a model file's name is no measurement; an evaluation's counter is no plan", () => {
  assert.equal(withoutModelFiles('saved checkpoint from iteration 49 to /w/evo2--val_loss=0.0000-epoch=0.ckpt'), 'saved checkpoint from iteration 49 to ');
  assert.equal(withoutModelFiles("saving to 'model_step_100.pt'. loss=2.5"), 'saving to  loss=2.5');
  assert.equal(withoutModelFiles('step 1: loss 2.5, lr 3e-4'), 'step 1: loss 2.5, lr 3e-4');
  const log = parseLogText(['step 1/1000: loss 3.0', 'step 2/1000: loss 2.9', 'Validation: iteration 5/20', 'Validation: iteration 20/20', 'step 3/1000: loss 2.8', 'step 4/1000: loss 2.7', 'saved checkpoint from iteration 4 to /ckpt/step=4-loss=9.99.ckpt'].join('\n') + '\n', 'train.log');
  assert.equal(log.run?.plannedSteps?.steps, 1000);
  assert.deepEqual(Array.from(log.data.loss), [3, 2.9, 2.8, 2.7]);
});

test('an evaluation printed once per validation is kept at every validation, and different values always', () => {
  const lines: string[] = [];
  for (let s = 1; s <= 30; s++) lines.push(`step ${s}: loss ${(3 - s * 0.01).toFixed(3)}${s >= 10 ? ` val_loss ${s >= 20 ? '2.500' : '2.700'}` : ''}`);
  const log = parseLogText(lines.join('\n') + '\n', 'train.log');
  const val = Array.from(log.data.val_loss).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(val, [[10, 2.7], [20, 2.5]]);
});

test('the checkpoint regexes are linear', () => {
  for (const make of [
    (n: number) => 'Epoch 1, global step 1: \'' + 'a'.repeat(n),
    (n: number) => '['.repeat(n) + 'Epoch 1, global step 1:',
    (n: number) => 'Epoch 1, global step 1: \'v\' reached ' + '1'.repeat(n) + 'x',
    (n: number) => 'x.ckpt ' + 'a'.repeat(n),
    (n: number) => 'x.ckpt' + ' a.b'.repeat(n / 4),
  ]) {
    const line = make(200_000);
    const t0 = process.hrtime.bigint();
    LIGHTNING_CKPT_RE.test(line);
    withoutModelFiles(line);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
  }
});

// Consoles whose training loss is the running mean since its epoch began, reset each epoch:
// TransReID's and its forks' (SOLIDER-REID, CLIP-ReID) `transreid.train INFO: Epoch[2] Iter[20/186] Loss:
// 9.611, …` (processor.py: `loss_meter.reset()` as each epoch begins, `loss_meter.update(loss.item(),
// img.shape[0])` each iteration, PyTorch's AverageMeter `.avg` logged every LOG_PERIOD iterations), and
// Flair's up to 0.5 (`epoch 2 - iter 1/4 - loss 0.71299613`: `train_loss / seen_batches`, both set to 0
// as each epoch begins). Fitted as printed, the curve was a sawtooth of cumulative means whose last
// value is the last epoch's mean; each row's loss is now the mean over its own logging interval.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { FIXTURES } from './fixtureUtil';

test("a real SOLIDER-REID console: each row's loss is its logging interval's mean, recovered from two consecutive running means of the epoch; the steps unchanged", async () => {
  const file = path.join(FIXTURES, 'transreid-swin-tiny-market1501-train_log.txt.gz');
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
  const RE = /transreid\.train INFO: Epoch\[(\d+)\] Iter\[(\d+)\/(\d+)\] Loss: ([\d.]+),/;
  const lines = text.flatMap((t, k) => {
    const m = RE.exec(t);
    return m ? [{ line: k + 1, epoch: Number(m[1]), iter: Number(m[2]), per: Number(m[3]), loss: Number(m[4]) }] : [];
  });
  assert.equal(lines.length, 1080);
  const at = (epoch: number, iter: number) => lines.find((l) => l.epoch === epoch && l.iter === iter)!;
  const log = await parseLogFile(file);
  const steps = Array.from(log.data.step);
  const lossAt = (epoch: number, iter: number) => {
    const i = steps.indexOf((epoch - 1) * 186 + iter);
    assert.ok(i >= 0, `epoch ${epoch} iteration ${iter}`);
    return log.data.Loss[i];
  };
  // The rows keep their steps: the epochs before × 186 + the iteration.
  assert.deepEqual(steps, lines.map((l) => (l.epoch - 1) * l.per + l.iter));
  // Line 168, `Epoch[1] Iter[180/186] Loss: 11.714`, after line 167's `Iter[160/186] Loss: 11.968`: the
  // mean over iterations 161–180 is (11.714 · 180 − 11.968 · 160) / 20 = 9.682, not 11.714; line 170,
  // `Epoch[2] Iter[20/186] Loss: 9.611`, the first of its epoch, is its first 20 iterations' mean.
  const a = at(1, 160), b = at(1, 180), c = at(2, 20);
  assert.deepEqual([a.line, a.loss, b.line, b.loss, c.line, c.loss], [167, 11.968, 168, 11.714, 170, 9.611]);
  assert.ok(Math.abs(lossAt(1, 180) - (b.loss * 180 - a.loss * 160) / 20) < 1e-9, String(lossAt(1, 180)));
  assert.ok(Math.abs(lossAt(1, 180) - 9.682) < 1e-9);
  assert.equal(lossAt(2, 20), 9.611);
  assert.equal(lossAt(1, 20), 17.704);
  // The run's last line, `Epoch[120] Iter[180/186]`, after `Iter[160/186]`.
  const y = at(120, 160), z = at(120, 180);
  assert.ok(Math.abs(lossAt(120, 180) - (z.loss * 180 - y.loss * 160) / 20) < 1e-9, String(lossAt(120, 180)));
  assert.ok(lossAt(120, 180) < z.loss - 0.03, `${lossAt(120, 180)} vs the printed ${z.loss}`);
  // Every epoch: the recovered means, weighted by their intervals' iterations, average back to the
  // epoch's last printed running mean (a row left out or an interval miscounted would not).
  for (let e = 1; e <= 120; e++) {
    const rows = lines.filter((l) => l.epoch === e);
    let sum = 0, prev = 0;
    for (const l of rows) { sum += (l.iter - prev) * lossAt(e, l.iter); prev = l.iter; }
    assert.ok(Math.abs(sum / prev - rows[rows.length - 1].loss) < 1e-9, `epoch ${e}: ${sum / prev} vs ${rows[rows.length - 1].loss}`);
  }
  // Said once, at the first line.
  const said = log.problems.filter((p) => /running mean since the epoch began/.test(p.message));
  assert.equal(said.length, 1, log.problems.map((p) => p.message).join('\n'));
  assert.equal(said[0].line, 160);
  assert.equal(said[0].severity, 'info');
  assert.match(said[0].message, /reset each epoch.*mean over its own logging interval, recovered exactly from two consecutive means/);
});

test("TransReID's own line (`Iteration[…] … Base Lr:`) likewise; a counter that goes back within its epoch keeps its printed loss; another logger's line (reid-strong-baseline's Ignite RunningAverage, an EMA) is kept as printed", () => {
  const row = (who: string, e: number, i: number, loss: string) => `2021-03-01 10:00:00,000 ${who} INFO: Epoch[${e}] Iteration[${i}/100] Loss: ${loss}, Acc: 0.100, Base Lr: 3.50e-04`;
  const log = parseLogText([row('transreid.train', 1, 20, '2.000'), row('transreid.train', 1, 40, '1.500'), row('transreid.train', 1, 60, '1.400'), row('transreid.train', 2, 20, '1.200'), row('transreid.train', 2, 40, '1.100'), row('transreid.train', 2, 30, '1.150'), ''].join('\n'), 'train_log.txt');
  // (Iteration 30 after 40 in epoch 2 starts the steps again: it supersedes the row at 140.)
  assert.deepEqual(Array.from(log.data.step), [20, 40, 60, 120, 130]);
  // 1.5 · 40 − 2 · 20 = 20 over 20 iterations: 1.0; (1.4 · 60 − 1.5 · 40) / 20 = 1.2; epoch 2's first as
  // printed; iteration 30 after 40 is no interval: as printed.
  const loss = Array.from(log.data.Loss);
  for (const [k, want] of [[0, 2], [1, 1], [2, 1.2], [3, 1.2], [4, 1.15]] as const) assert.ok(Math.abs(loss[k] - want) < 1e-9, `row ${k}: ${loss[k]} vs ${want}`);
  assert.ok(log.problems.some((p) => p.line === 1 && /running mean since the epoch began/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  assert.ok(log.problems.some((p) => p.line === 6 && /counter went back \(line 6: 30 after 40\).*kept as printed/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  const other = parseLogText([row('reid_baseline.train', 1, 20, '2.000'), row('reid_baseline.train', 1, 40, '1.500'), ''].join('\n'), 'log.txt');
  assert.deepEqual(Array.from(other.data.Loss), [2, 1.5]);
  assert.ok(!other.problems.some((p) => /running mean/.test(p.message)));
});

test("a real Flair 0.4 training.log: each row's loss is its batch's, recovered from the epoch's running means; an epoch's batches average back to its `EPOCH n done: loss` line", async () => {
  const file = path.join(FIXTURES, 'flair-training.log');
  const text = fs.readFileSync(file, 'utf8').split('\n');
  const lines = text.flatMap((t, k) => {
    const m = / epoch (\d+) - iter (\d+)\/(\d+) - loss ([\d.]+) - /.exec(t);
    return m ? [{ line: k + 1, epoch: Number(m[1]), iter: Number(m[2]), loss: Number(m[4]) }] : [];
  });
  const dones = new Map(text.flatMap((t) => { const d = / EPOCH (\d+) done: loss ([\d.]+) /.exec(t); return d ? [[Number(d[1]), Number(d[2])] as const] : []; }));
  assert.equal(lines.length, 60);
  assert.equal(dones.size, 15);
  const log = await parseLogFile(file);
  const steps = Array.from(log.data.step);
  // The rows keep their steps (the batches done since epoch 1 began: the counter is the batch's index, from 0).
  assert.deepEqual(steps, lines.map((l) => (l.epoch - 1) * 4 + l.iter + 1));
  const lossAt = (epoch: number, iter: number) => log.data.loss[steps.indexOf((epoch - 1) * 4 + iter + 1)];
  // Lines 33 and 34: `epoch 1 - iter 0/4 - loss 1.20414293`, `iter 1/4 - loss 0.90223247`: the second
  // batch's loss is 0.90223247 · 2 − 1.20414293 · 1 = 0.60032201.
  assert.deepEqual(lines.slice(0, 2).map((l) => [l.line, l.iter, l.loss]), [[33, 0, 1.20414293], [34, 1, 0.90223247]]);
  assert.equal(lossAt(1, 0), 1.20414293);
  assert.ok(Math.abs(lossAt(1, 1) - 0.60032201) < 1e-9, String(lossAt(1, 1)));
  // Every epoch: its four batches' losses average to the mean its `EPOCH n done: loss` line prints (to its 4 decimals).
  for (let e = 1; e <= 15; e++) {
    const mean = [0, 1, 2, 3].reduce((a, i) => a + lossAt(e, i), 0) / 4;
    assert.ok(Math.abs(mean - dones.get(e)!) <= 5e-5 + 1e-12, `epoch ${e}: ${mean} vs ${dones.get(e)}`);
  }
  const said = log.problems.filter((p) => /running mean since the epoch began/.test(p.message));
  assert.equal(said.length, 1, log.problems.map((p) => p.message).join('\n'));
  assert.equal(said[0].line, 33);
  assert.match(said[0].message, /Flair's "loss".*train_loss \/ seen_batches, reset each epoch/);
});

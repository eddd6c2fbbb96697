// Consoles of vision trainers. The MetricLogger console of DeiT, MAE, ConvNeXt, DETR and torchvision's references:
// `Epoch: [0]  [  0/184]  eta: 0:05:26  lr: 0.000001  loss: 5.4569 (5.4569)  time: 1.7769  data: 1.1464`.
// Found by a helper search (eighteenth session): its `data:` (the data-loading seconds) was read as
// the run's tokens (x = "1.5775 tokens", R² −0.01), its evaluation summaries were skipped, and a
// console printing only each epoch's first iteration put every epoch at step 0 (1 row of 20 kept).
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { inferRoles } from '../../src/core/logs/roles';
import { stepAnywhere } from '../../src/core/logs/detect';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { nearbyConfigsFor } from '../../src/core/nearbyConfigs';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

test('a real DeiT MetricLogger console (EViT): every training line at its step, data: a time, the evaluation summaries as the held-out loss', async () => {
  const file = path.join(FIXTURES, 'deit-metriclogger-evit.out.gz');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 396, log.problems.map((p) => p.message).join('\n'));
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('data'), 'other');
  assert.equal(role('val_loss'), 'eval_loss');
  assert.equal(role('loss'), 'loss');
  assert.ok(!log.columns.some((c) => c.role === 'tokens'), log.columns.map((c) => `${c.name}:${c.role}`).join(', '));
  // 184 iterations an epoch, counted within it: epoch 197's last iteration is step 197 × 184 + 183.
  assert.equal(log.data.step[log.data.step.length - 1], 197 * 184 + 183);
  // The first summary (`* Acc@1 0.587 Acc@5 2.347 loss 5.426`, after epoch 0) at epoch 0's last step.
  const val = Array.from(log.data.val_loss).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.equal(val.length, 7);
  assert.deepEqual(val[0], [183, 5.426]);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { xKind: string; series: string };
  assert.equal(j.xKind, 'step');
  assert.equal(j.series, 'loss');
});

test("a console that prints only each epoch's first iteration (torchvision's references with a print_freq above an epoch): one row an epoch", () => {
  const lines = Array.from({ length: 20 }, (_, e) => `Epoch: [${e}]  [0/4]  eta: 0:00:15  lr: 0.1  img/s: 12.5  loss: ${(7 - 0.2 * e).toFixed(4)} (${(7 - 0.2 * e).toFixed(4)})  acc1: 0.0000 (0.0000)  time: 3.8  data: 1.9372  max mem: 1544`);
  const log = parseLogText(lines.join('\n'), 'console.log');
  assert.equal(log.rows, 20, log.problems.map((p) => p.message).join('\n'));
  assert.deepEqual(Array.from(log.data.step).slice(0, 4), [0, 4, 8, 12]);
});

test("a sweep table's `data` of whole numbers is still D; a fraction is a time", () => {
  const [sweep] = inferRoles(['data'], { data: [2e9, 4e9, 8e9] });
  assert.equal(sweep.role, 'tokens');
  const [time] = inferRoles(['data'], { data: [1.1464, 0.0001, 0.0002] });
  assert.equal(time.role, 'other');
  assert.match(time.reason ?? '', /holds fractions \(1\.1464\): a time/);
});

test("timm's train.py console: a row at each logged iteration of each epoch, its evaluation's mean loss held out (the EMA weights' apart)", () => {
  // (Real ones found state no licence: built in their shape. Before, its commas made it a CSV of no loss series, or it was refused.)
  const lines = ['Scheduled epochs: 310'];
  for (let e = 0; e < 3; e++) {
    for (const it of [0, 50, 100, 149]) {
      const s = e * 150 + it;
      lines.push(`Train: ${e} [ ${String(it).padStart(3)}/150 (${String(Math.round((100 * it) / 150)).padStart(3)}%)]  Loss:  ${(6.9 - s / 200).toFixed(6)} (${(6.95 - s / 200).toFixed(4)})  Time: 0.718s,  178.28/s  (2.337s,   54.76/s)  LR: 1.000e-03  Data: 0.023 (1.559)`);
    }
    lines.push('Test: [   0/39]  Time: 10.209 (10.209)  Loss:  6.3444 (6.3444)  Acc@1: 10.1562 (10.1562)  Acc@5: 17.9688 (17.9688)');
    lines.push(`Test: [  39/39]  Time: 0.233 (1.233)  Loss:  6.9086 (${(6.5 - e / 10).toFixed(4)})  Acc@1:  0.0000 ( 0.7506)  Acc@5:  0.7812 ( 2.6808)`);
    // --model-ema: the averaged weights evaluated after (as in a real run's console, session18b's monarch.log).
    lines.push('Test (EMA): [   0/39]  Time: 8.489 (8.489)  Loss:  6.8085 (6.8085)  Acc@1:  0.0000 ( 0.0000)  Acc@5:  0.0000 ( 0.0000)');
    lines.push(`Test (EMA): [  39/39]  Time: 0.501 (0.818)  Loss:  6.9626 (${(6.9 - e / 100).toFixed(4)})  Acc@1:  0.0000 ( 0.1060)  Acc@5:  0.0000 ( 0.5280)`);
  }
  const log = parseLogText(lines.join('\n'), 'train.log');
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 12, log.problems.map((p) => p.message).join('\n'));
  assert.deepEqual(Array.from(log.data.step), [0, 50, 100, 149, 150, 200, 250, 299, 300, 350, 400, 449]);
  assert.equal(log.columns.find((c) => c.name === 'Loss')?.role, 'loss');
  assert.equal(log.columns.find((c) => c.name === 'LR')?.role, 'lr');
  assert.equal(log.columns.find((c) => c.name === 'Data')?.role, 'other');
  // The evaluation after each epoch: its last batch's running mean, at the epoch's last step.
  const val = Array.from(log.data.val_loss).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(val, [[149, 6.5], [299, 6.4], [449, 6.3]]);
  // The EMA weights' evaluation: a series of its own at the same steps, not a second value of val_loss.
  const ema = Array.from(log.data.val_loss_ema).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(ema, [[149, 6.9], [299, 6.89], [449, 6.88]]);
  assert.equal(log.columns.find((c) => c.name === 'val_loss_ema')?.role, 'eval_loss');
  // `Scheduled epochs: 310`, printed before the first epoch: the passes planned, and the end (310 epochs of 150 iterations).
  assert.equal(log.run?.epochsLogged?.count, 310);
  assert.equal(log.run?.epochsLogged?.source, 'timm\'s "Scheduled epochs: 310", line 1');
  assert.equal(log.run?.plannedSteps?.steps, 310 * 150 - 1); // (epochs and iterations counted from 0: the last is epoch 309's iteration 149)
});

test("DETR's unscaled loss terms are said as such; a training_config.yaml one folder up is the run's (a FAIR-style output_dir/log.txt)", async () => {
  const [unscaled, scale] = inferRoles(['train_loss_ce_unscaled', 'loss_scale'], { train_loss_ce_unscaled: [1.2, 1.1], loss_scale: [65536, 65536] });
  assert.equal(unscaled.role, 'other');
  assert.match(unscaled.reason ?? '', /a term of the loss before its weight \(unscaled\)/);
  assert.match(scale.reason ?? '', /a loss scale/);
  const root = tmpDir('sl-fair-');
  try {
    fs.mkdirSync(path.join(root, 'output_dir'));
    fs.writeFileSync(path.join(root, 'training_config.yaml'), 'model: RETFound_mae\nepochs: 50\nblr: 5.0e-3\nwarmup_epochs: 10\n');
    const rows = Array.from({ length: 20 }, (_, e) => JSON.stringify({ train_lr: 1e-4, train_loss: 1 / (e + 1), test_loss: 1.1 / (e + 1), epoch: e, n_parameters: 303301640 }));
    fs.writeFileSync(path.join(root, 'output_dir', 'log.txt'), rows.join('\n') + '\n');
    const near = await nearbyConfigsFor(path.join(root, 'output_dir', 'log.txt'));
    assert.deepEqual(near.configs.map((c) => path.basename(c.file)), ['training_config.yaml']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a real TransReID console (`Epoch[1] Iter[20/186] Loss: …, Lr: …`): every line at its epoch and iteration, the yacs dump planning 120 epochs', async () => {
  // Refused before ("not a training log this reader knows"): its counter's bracket follows the word.
  const file = path.join(FIXTURES, 'transreid-swin-tiny-market1501-train_log.txt.gz');
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const lines = [...text.matchAll(/Epoch\[(\d+)\] Iter\[(\d+)\/(\d+)\] Loss: ([\d.]+), Acc: ([\d.]+), Lr: ([\d.e+-]+), ETA/g)];
  assert.equal(lines.length, 1080);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, lines.length, log.problems.map((p) => p.message).join('\n'));
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('Loss'), 'loss');
  assert.equal(role('Lr'), 'lr');
  assert.ok(!log.columns.some((c) => /ETA|Iter/i.test(c.name)), log.columns.map((c) => c.name).join(', '));
  // The iteration counts within its epoch of 186: a line's step is the epochs before × 186 + the iteration,
  // with the LR of that line; the loss of an epoch's first line as printed (the later lines' "Loss:" is the
  // epoch's running mean, made each interval's own: epochRunningMean.test.ts).
  for (const m of [lines[0], lines[9], lines[540], lines[lines.length - 1]]) {
    const step = (Number(m[1]) - 1) * Number(m[3]) + Number(m[2]);
    const i = Array.from(log.data.step).indexOf(step);
    assert.ok(i >= 0, `epoch ${m[1]} iteration ${m[2]} at step ${step}`);
    if (m[2] === '20') assert.equal(log.data.Loss[i], Number(m[4]));
    assert.equal(log.data.Lr[i], Number(m[6]));
  }
  // The config it prints first (`MAX_EPOCHS: 120`) plans the end: 120 epochs of 186 iterations; the LR
  // column's peak (epoch 19, after its cosine warm-up) ends the warm-up.
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { schedule?: { total?: number; warmup?: number }; series: string; xKind: string };
  assert.equal(j.series, 'Loss');
  assert.equal(j.xKind, 'step');
  assert.equal(j.schedule?.total, 120 * 186);
  const peak = lines.reduce((a, m) => (Number(m[6]) > Number(a[6]) ? m : a));
  assert.equal(j.schedule?.warmup, (Number(peak[1]) - 1) * 186 + Number(peak[2]));
});

test("Ignite's and reid-strong-baseline's `Epoch[N] Iteration[i/T] Loss: …, Base Lr: …` likewise; a word ending in Iteration[ is no counter", () => {
  const row = (e: number, i: number, loss: number) => `2020-07-08 05:44:08,092 reid_baseline.train INFO: Epoch[${e}] Iteration[${i}/316] Loss: ${loss}, Acc: 0.5, Base Lr: 3.50e-04`;
  const text = [row(1, 100, 7.9), row(1, 200, 7.4), row(1, 300, 7.1), row(2, 100, 6.8), row(2, 200, 6.6), row(2, 300, 6.5), ''].join('\n');
  const log = parseLogText(text, 'log.txt');
  assert.equal(log.format, 'text');
  assert.deepEqual(Array.from(log.data.step), [100, 200, 300, 416, 516, 616]);
  assert.deepEqual(Array.from(log.data.Loss), [7.9, 7.4, 7.1, 6.8, 6.6, 6.5]);
  assert.equal(log.columns.find((c) => c.name === 'Base_Lr' || c.name === 'Base Lr')?.role, 'lr', log.columns.map((c) => `${c.name}:${c.role}`).join(', '));
  // `subIteration[3/9]` is part of a word, not the counter.
  assert.equal(stepAnywhere('Epoch[1] subIteration[3/9] Loss: 1.0'), undefined);
  assert.equal(stepAnywhere('Epoch[1] Iteration[3/9] Loss: 1.0')?.step, 3);
});

// Real consoles of Flair, MXNet and GluonCV (test/fixtures/SOURCES.md). Flair's training.log counts its
// batches within the epoch (`epoch 2 - iter 1/4 - loss 0.71299613 - samples/sec: 795.10`): the counter
// had been taken as the run's step, every epoch a restart, and only the last epoch's 4 rows kept. An
// MXNet Module console of accuracy alone had been read as a CSV of 47 columns (the commas of the
// arguments it prints first); a resumed MXNet detection run (`Epoch[5] Batch [0-20]\tSpeed: …\tM0_RPNAcc=…`)
// and a GluonCV SSD run (`[Epoch 0][Batch 0], Speed: …, CrossEntropy=1.69e+00, SmoothL1=3.28e-03`) had
// been refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { detectFormat, parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { LiveLog } from '../../src/core/logs/incremental';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { FLAIR_DEV_RE, FLAIR_DONE_RE, FLAIR_ITER_RE, FLAIR_PARAM_RE, GLUON_EPOCH_RE, mxBatchLine, MXNET_EPOCH_RE, MXNET_LR_RE, textLineHasMetrics } from '../../src/core/logs/detect';
import { FIXTURES, rolesOf } from './fixtureUtil';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-flairmx-');

const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);
const at = (log: ParsedLog, name: string, step: number): number => log.data[name][col(log, 'step').indexOf(step)];
const msgs = (log: ParsedLog) => log.problems.map((p) => p.message).join('\n');
const text = (name: string): string => {
  const b = fs.readFileSync(path.join(FIXTURES, name));
  return (name.endsWith('.gz') ? zlib.gunzipSync(b) : b).toString('utf8');
};
const lineOf = (t: string, index: number): number => t.slice(0, index).split('\n').length;

/** A log's every column, for comparing two reads. */
function columnsOf(log: ParsedLog): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const c of log.columns) out[c.name] = col(log, c.name).map((v) => (Number.isNaN(v) ? -999 : v));
  return out;
}

/** A file read as it grows (cut at `fractions` of its lines, the rest appended) equals the whole file read at once. */
async function liveEqualsWhole(name: string, whole: string, fractions: number[]): Promise<void> {
  const file = path.join(tmp, name);
  const lines = whole.split('\n');
  const cuts = fractions.map((f) => lines.slice(0, Math.floor(lines.length * f)).join('\n').length + 1);
  fs.writeFileSync(file, whole.slice(0, cuts[0]));
  const live = new LiveLog(file);
  await live.read();
  for (let i = 1; i <= cuts.length; i++) {
    fs.appendFileSync(file, whole.slice(cuts[i - 1], cuts[i] ?? whole.length));
    const r = await live.read();
    const read = await parseLogFile(file, { threads: 1 });
    assert.deepEqual(columnsOf(r.log), columnsOf(read), `${name} after cut ${i}`);
    assert.deepEqual(r.log.run?.plannedSteps, read.run?.plannedSteps);
    assert.deepEqual(r.log.problems.map((p) => p.message), read.problems.map((p) => p.message));
  }
}

// ---------------------------------------------------------------------------------------------
// Flair

test('Flair training.log (real, 15 epochs of 4 batches): a row per training line at the batches done since epoch 1, DEV loss and the LR at each epoch\'s end, max_epochs × 4 planned', async () => {
  const t = text('flair-training.log');
  const iters = [...t.matchAll(/ epoch (\d+) - iter (\d+)\/(\d+) - loss ([\d.]+) - samples\/sec: ([\d.]+)$/gm)];
  const devs = [...t.matchAll(/ DEV : loss ([\d.]+) - score ([\d.]+)$/gm)];
  const dones = [...t.matchAll(/ EPOCH (\d+) done: loss [\d.]+ - lr ([\d.]+)$/gm)];
  assert.equal(iters.length, 60);
  assert.equal(devs.length, 15);
  assert.equal(dones.length, 15);
  // Flair 0.4's counter is the index of the batch just done, from 0: `iter 0/4` … `iter 3/4`.
  assert.deepEqual([...new Set(iters.map((m) => m[2]))], ['0', '1', '2', '3']);
  assert.equal(detectFormat('flair-training.log', t), 'text');
  const log = await parseLogFile(path.join(FIXTURES, 'flair-training.log'));
  // Every epoch kept (before: 15 segments, 56 rows superseded, 4 kept).
  assert.equal(log.stats.superseded, 0, msgs(log));
  assert.ok(!log.problems.some((p) => /restart|starts again/.test(p.message)), msgs(log));
  assert.equal(log.rows, 60);
  const steps = iters.map((m) => (Number(m[1]) - 1) * Number(m[3]) + Number(m[2]) + 1);
  assert.deepEqual(col(log, 'step'), steps);
  assert.deepEqual(col(log, 'step').slice(0, 9), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // Each epoch's first line's loss as printed (the later ones are the epoch's running means, made each
  // batch's own: epochRunningMean.test.ts). `epoch 2 - iter 0/4 - loss 0.66289943` is step 5.
  iters.forEach((m, k) => { if (m[2] === '0') assert.equal(col(log, 'loss')[k], Number(m[4])); });
  assert.equal(at(log, 'loss', 5), 0.66289943);
  // Each DEV loss and each epoch's LR at that epoch's last step, e × 4, with its last training line's row.
  devs.forEach((d, k) => assert.equal(at(log, 'dev_loss', 4 * (k + 1)), Number(d[1]), `epoch ${k + 1}`));
  assert.equal(at(log, 'dev_loss', 8), 0.9560748934745789);
  dones.forEach((d) => assert.equal(at(log, 'lr', 4 * Number(d[1])), Number(d[2])));
  assert.deepEqual([...new Set(dones.map((d) => d[2]))], ['0.1000', '0.0500']);
  assert.equal(col(log, 'dev_loss').filter((v) => !Number.isNaN(v)).length, 15);
  assert.ok(Number.isNaN(at(log, 'dev_loss', 7)));
  // (The epoch, the speed and the dev score are columns, their values not kept: no fit reads them.)
  assert.deepEqual(rolesOf(log, ['step', 'loss', 'dev_loss', 'lr', 'epoch', 'samples/sec', 'dev_score']), { step: 'step', loss: 'loss', dev_loss: 'eval_loss', lr: 'lr', epoch: 'epoch', 'samples/sec': 'other', dev_score: 'other' });
  // The planned end: `max_epochs: "15"` × 4 batches an epoch, the run's last step.
  const maxEpochs = /- max_epochs: "(\d+)"/.exec(t)!;
  assert.equal(log.run?.plannedSteps?.steps, Number(maxEpochs[1]) * 4);
  assert.equal(log.run?.plannedSteps?.steps, steps[steps.length - 1]);
  assert.match(log.run!.plannedSteps!.source, new RegExp(`max_epochs: 15", line ${lineOf(t, maxEpochs.index)}\\) × 4 batches`));
  assert.deepEqual({ count: log.run?.epochsLogged?.count, per: log.run?.epochsLogged?.stepsPerPass }, { count: 15, per: 4 });
  // anneal_factor 0.5: the LR halved when the dev score stalled, said where.
  const cut = / EPOCH 11 done: loss [\d.]+ - lr 0\.0500$/m.exec(t)!;
  assert.match(log.run?.lrCuts ?? '', new RegExp(`EPOCH 11 done: loss 0\\.2586 - lr 0\\.0500", line ${lineOf(t, cut.index)}\\)`));
  assert.match(msgs(log), /the counter \+ 1 \(Flair up to 0\.5 prints the index of the batch just done, from 0\)/);
  // Fitted on its training loss, with steps, not refused.
  const a = await analyzeFile(path.join(FIXTURES, 'flair-training.log'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.fitError, undefined);
  assert.equal(a.state.options.series, 'loss');
});

test("Flair's loss.tsv beside it is read as before: a row an epoch, DEV_LOSS held out", async () => {
  const log = await parseLogFile(path.join(FIXTURES, 'flair-training.log'));
  const tsv = ['EPOCH\tTIMESTAMP\tBAD_EPOCHS\tLEARNING_RATE\tTRAIN_LOSS\tDEV_LOSS\tDEV_PRECISION\tDEV_RECALL\tDEV_F1', '1\t12:11:32\t0\t0.1000\t0.8578979671001434\t0.6743201017379761\t0.7667\t0.7667\t0.7667', '2\t12:11:35\t1\t0.1000\t0.5964643470942974\t0.9560748934745789\t0.7667\t0.7667\t0.7667', ''].join('\n');
  const t = parseLogText(tsv, 'loss.tsv');
  assert.equal(t.format, 'csv');
  assert.equal(t.rows, 2);
  assert.deepEqual(rolesOf(t, ['EPOCH', 'TRAIN_LOSS', 'DEV_LOSS', 'LEARNING_RATE']), { EPOCH: 'epoch', TRAIN_LOSS: 'loss', DEV_LOSS: 'eval_loss', LEARNING_RATE: 'lr' });
  // Its DEV_LOSS is the console's DEV loss at the epoch's end.
  assert.deepEqual(col(t, 'DEV_LOSS'), [at(log, 'dev_loss', 4), at(log, 'dev_loss', 8)]);
});

test('Flair from 0.6 on: the counter is the batches done (`iter 10/40`, an LR on the line); an epoch shorter after batch-growth annealing plans no end', () => {
  const lines = ['2021-01-01 00:00:00,000  - max_epochs: "3"'];
  for (const e of [1, 2]) for (const i of [10, 20, 30, 40]) lines.push(`2021-01-01 00:00:01,000 epoch ${e} - iter ${i}/40 - loss 0.${9 - e}${i} - samples/sec: 100.00 - lr: 0.100000`);
  lines.push('2021-01-01 00:00:02,000 EPOCH 2 done: loss 0.5 - lr 0.100000', '2021-01-01 00:00:02,000 DEV : loss 0.25 - f1-score (micro avg)  0.9572');
  const log = parseLogText(lines.join('\n') + '\n', 'training.log');
  assert.deepEqual(col(log, 'step'), [10, 20, 30, 40, 50, 60, 70, 80]);
  assert.deepEqual(col(log, 'lr'), Array(8).fill(0.1));
  assert.equal(at(log, 'dev_loss', 80), 0.25);
  assert.ok(log.columns.some((c) => c.name === 'dev_score'));
  assert.equal(log.run?.plannedSteps?.steps, 120);
  assert.match(msgs(log), /the counter \(the batches done in the epoch\)/);
  // batch_growth_annealing: the next epoch takes 20 batches (a doubled batch): its steps follow the 80 before.
  const grown = parseLogText([...lines, '2021-01-01 00:00:03,000 epoch 3 - iter 10/20 - loss 0.3 - samples/sec: 100.00 - lr: 0.050000'].join('\n') + '\n', 'training.log');
  assert.equal(col(grown, 'step').at(-1), 90);
  assert.equal(grown.run?.plannedSteps, undefined);
});

// ---------------------------------------------------------------------------------------------
// MXNet

test('MXNet Module console of accuracy alone (real): a text log, not a CSV for the commas of its arguments; refused, saying it holds accuracy but no loss', async () => {
  const t = text('mxnet-module-cls-accuracy-train.log');
  const first = t.split('\n')[0];
  assert.match(first, /^INFO:root:start with arguments Namespace\(batch_size=32, /);
  assert.equal(first.split(',').length, 47);
  assert.ok(!/loss/i.test(t.replace(first, '')));
  assert.equal(detectFormat('train.log', t), 'text');
  const second = t.split('\n')[1];
  assert.ok(textLineHasMetrics(second));
  await assert.rejects(parseLogFile(path.join(FIXTURES, 'mxnet-module-cls-accuracy-train.log')), (e: Error) => {
    assert.match(e.message, /^mxnet-module-cls-accuracy-train\.log: an MXNet training log whose lines hold accuracy but no loss \("accuracy" on its training lines, line 2: "INFO:root:Epoch\[0\] Batch \[20\] Speed: 142\.33 samples\/sec accuracy=0\.562500"; "Validation-accuracy" after each epoch\): there is no loss to fit\. /);
    assert.match(e.message, /eval_metric=\['acc', 'ce'\]/);
    assert.doesNotMatch(e.message, /lr_step_epochs|CSV|\t/);
    return true;
  });
  // With a loss among its metrics (MXNet's `ce`: cross-entropy) the same console is read.
  const withLoss = t.replace(/(\] Batch \[\d+\]\tSpeed: [\d.]+ samples\/sec\taccuracy=[\d.]+)$/gm, '$1\tcross-entropy=0.5');
  const log = parseLogText(withLoss, 'train.log');
  // (Each epoch's validation is at its end, step (e + 1) × 621: the row of its last batch printed, 620.)
  assert.equal(log.rows, 310);
  assert.deepEqual(rolesOf(log, ['cross-entropy', 'accuracy', 'val_accuracy']), { 'cross-entropy': 'loss', accuracy: 'other', val_accuracy: 'other' });
  // Epoch 0 ran batches 0 to 620 (printed every 20): 621 an epoch, so Epoch[1] Batch [20] is step 621 + 21.
  assert.equal(col(log, 'step')[0], 21);
  const b = /^INFO:root:Epoch\[0\] Batch \[(\d+)\].*$\n^INFO:root:Epoch\[0\] Train-/m.exec(t)!;
  assert.equal(b[1], '620');
  assert.ok(col(log, 'step').includes(621 + 21));
  assert.ok(log.columns.some((c) => c.name === 'val_accuracy'));
});

test('MXNet detection run resumed at epoch 5 (real SSH-keypoint, 39 epochs): steps from epoch × B + batch + 1, B estimated from the largest batch printed, the *Loss terms and their sum as losses, the Train- lines no rows', async () => {
  const t = text('mxnet-module-ssh-keypoint-train.log.gz');
  const batches = [...t.matchAll(/ INFO - Epoch\[(\d+)\] Batch \[0-(\d+)\]\tSpeed: ([\d.]+) samples\/sec\t(.*)$/gm)];
  assert.equal(batches.length, 3052);
  const pairs = (m: RegExpMatchArray) => Object.fromEntries(m[4].split('\t').map((p) => p.split('=')).map(([k, v]) => [k, v]));
  // Epoch 5 is whole (the next epoch follows it): its largest batch index + 1 is B.
  const e5 = batches.filter((m) => m[1] === '5').map((m) => Number(m[2]));
  const B = Math.max(...e5) + 1;
  assert.equal(B, 1601);
  const log = await parseLogFile(path.join(FIXTURES, 'mxnet-module-ssh-keypoint-train.log.gz'));
  assert.equal(log.format, 'text');
  assert.equal(log.rows, batches.length, msgs(log));
  assert.equal(log.stats.superseded, 0);
  const steps = batches.map((m) => Number(m[1]) * B + Number(m[2]) + 1);
  assert.deepEqual(col(log, 'step'), steps);
  assert.equal(steps[0], 5 * 1601 + 21);
  // Values at given steps, as printed; the loss the sum of the six terms.
  const terms = ['M0_RPNL1BboxLoss', 'M0_RPNL1KpointLoss', 'M1_RPNL1BboxLoss', 'M1_RPNL1KpointLoss', 'M2_RPNL1BboxLoss', 'M2_RPNL1KpointLoss'];
  for (const k of [0, 79, 80, 1500, batches.length - 1]) {
    const m = batches[k], p = pairs(m);
    assert.equal(at(log, 'M0_RPNL1BboxLoss', steps[k]), Number(p.M0_RPNL1BboxLoss));
    assert.equal(at(log, 'M2_RPNL1KpointLoss', steps[k]), Number(p.M2_RPNL1KpointLoss));
    assert.equal(at(log, 'loss', steps[k]), Number(terms.reduce((s, n) => s + Number(p[n]), 0).toFixed(6)));
  }
  assert.equal(at(log, 'loss', 8026), Number((0.075977 + 0.171176 + 0.074135 + 0.189569 + 0.129522 + 0.163482).toFixed(6)));
  assert.deepEqual(rolesOf(log, ['loss', ...terms, 'M0_RPNAcc', 'samples_per_sec', 'lr', 'epoch']), {
    loss: 'loss', M0_RPNL1BboxLoss: 'loss', M0_RPNL1KpointLoss: 'loss', M1_RPNL1BboxLoss: 'loss', M1_RPNL1KpointLoss: 'loss', M2_RPNL1BboxLoss: 'loss', M2_RPNL1KpointLoss: 'loss',
    M0_RPNAcc: 'other', samples_per_sec: 'other', lr: 'lr', epoch: 'epoch',
  });
  assert.equal(log.run?.wholeLoss, 'loss');
  // The `Epoch[5] Train-M0_RPNL1BboxLoss=0.065628` lines (the epoch's means) are no rows, and no columns.
  assert.ok(!log.columns.some((c) => /Train|Time/.test(c.name)));
  // The LR where printed: `lr 0.000500 lr_epoch_diff …` before the first line, `lr: 0.000500` after each epoch, at the row after it.
  const lrs = [...t.matchAll(/ INFO - lr:? ([\d.]+)/g)];
  assert.equal(lrs.length, 39);
  assert.equal(at(log, 'lr', steps[0]), 0.0005);
  assert.equal(col(log, 'lr').filter((v) => !Number.isNaN(v)).length, 39);
  assert.equal(at(log, 'lr', 6 * B + 21), 0.0005);
  // The estimate said, with its bound: printed every 20 batches, an epoch took 1,601 to 1,620.
  const note = log.problems.find((p) => p.message.includes('never prints the batches an epoch takes'))!;
  assert.equal(note.severity, 'info');
  assert.match(note.message, /"Epoch\[5\] Batch \[0-20\]", line 23\).*B estimated as 1,601, the largest batch index printed in epoch 5 \(1,600\) \+ 1; with a line every 20 batches the epoch took at most 1,620, so the steps are estimates, up to 1% short\. The log starts at epoch 5 \(a resumed run\)/);
  assert.match(note.message, /mean since the epoch began \("Batch \[0-N\]": auto_reset=False\)/);
  assert.match(msgs(log), /"loss" is the sum of the 6 loss terms .* its accuracies \(M0_RPNAcc, M0_RPNAccBG, M0_RPNAccFG, …\) are printed instead of the loss of the classification behind them/);
  assert.deepEqual({ count: log.run?.epochsLogged?.count, per: log.run?.epochsLogged?.stepsPerPass }, { count: 44, per: 1601 });
  // The fit opens on the whole loss.
  const a = await analyzeFile(path.join(FIXTURES, 'mxnet-module-ssh-keypoint-train.log.gz'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.fitError, undefined);
  assert.equal(a.state.options.series, 'loss');
});

test('MXNet: a log read as it grows equals the whole (its first epoch\'s rows held until B is known)', async () => {
  const t = text('mxnet-module-ssh-keypoint-train.log.gz').split('\n').slice(0, 400).join('\n') + '\n';
  // Cut inside epoch 5 (rows held), then inside epoch 6 (B known), then the end.
  await liveEqualsWhole('ssh.log', t, [0.1, 0.5]);
  const head = t.split('\n').slice(0, 60).join('\n') + '\n';
  const part = parseLogText(head, 'ssh.log');
  // Epoch 5 alone: B from the batches printed so far (lower, said).
  const max = Math.max(...[...head.matchAll(/Epoch\[5\] Batch \[0-(\d+)\]/g)].map((m) => Number(m[1])));
  assert.ok(max > 500 && max < 1600);
  assert.equal(col(part, 'step')[0], 5 * (max + 1) + 21);
  assert.match(msgs(part), /before any epoch's end was seen/);
});

test("MXNet's Validation- lines are held out at their epoch's end; an auto_reset Speedometer's `Batch [20-40]` gives the interval", () => {
  const lines: string[] = [];
  for (const e of [0, 1]) {
    for (let b = 20; b <= 80; b += 20) lines.push(`INFO:root:Epoch[${e}] Batch [${b - 20}-${b}]\tSpeed: 100.00 samples/sec\tcross-entropy=${(2 - e - b / 100).toFixed(6)}`);
    lines.push(`INFO:root:Epoch[${e}] Train-cross-entropy=1.000000`, `INFO:root:Epoch[${e}] Time cost=10.000`, `INFO:root:Epoch[${e}] Validation-cross-entropy=${(1.5 - e / 10).toFixed(6)}`);
  }
  const log = parseLogText(lines.join('\n') + '\n', 'train.log');
  assert.deepEqual(col(log, 'step'), [21, 41, 61, 81, 102, 122, 142, 162]);
  assert.equal(at(log, 'val_cross-entropy', 81), 1.5);
  assert.equal(at(log, 'val_cross-entropy', 162), 1.4);
  assert.deepEqual(rolesOf(log, ['cross-entropy', 'val_cross-entropy']), { 'cross-entropy': 'loss', 'val_cross-entropy': 'eval_loss' });
  assert.match(msgs(log), /B estimated as 81, .* at most 100, so the steps are estimates, up to 23% short.*mean over the batches since the line before/);
});

// ---------------------------------------------------------------------------------------------
// GluonCV

test('GluonCV SSD training log (real, 60 epochs, batches 0 and 50 printed): steps from epoch and batch, CrossEntropy + SmoothL1 its loss, the uncertain epoch length a warning', async () => {
  const t = text('gluoncv-ssd-resnet18-train.log');
  const lines = [...t.matchAll(/ INFO: \[Epoch (\d+)\]\[Batch (\d+)\], Speed: ([\d.]+) samples\/sec, CrossEntropy=([\d.e+-]+), SmoothL1=([\d.e+-]+), val_AP=([\d.]+)$/gm)];
  assert.equal(lines.length, 120);
  const B = Math.max(...lines.filter((m) => m[1] === '0').map((m) => Number(m[2]))) + 1;
  assert.equal(B, 51);
  const log = await parseLogFile(path.join(FIXTURES, 'gluoncv-ssd-resnet18-train.log'));
  assert.equal(log.rows, 120);
  const steps = lines.map((m) => Number(m[1]) * B + Number(m[2]) + 1);
  assert.deepEqual(col(log, 'step'), steps);
  assert.deepEqual(col(log, 'CrossEntropy'), lines.map((m) => Number(m[4])));
  assert.deepEqual(col(log, 'SmoothL1'), lines.map((m) => Number(m[5])));
  assert.deepEqual(col(log, 'loss'), lines.map((m) => Number(m[4]) + Number(m[5])));
  assert.equal(at(log, 'loss', 1), 1.69 + 0.00328);
  assert.deepEqual(rolesOf(log, ['loss', 'CrossEntropy', 'SmoothL1', 'val_AP', 'samples_per_sec']), { loss: 'loss', CrossEntropy: 'loss', SmoothL1: 'loss', val_AP: 'other', samples_per_sec: 'other' });
  assert.equal(log.run?.wholeLoss, 'loss');
  const note = log.problems.find((p) => p.message.includes('never prints the batches an epoch takes'))!;
  assert.equal(note.severity, 'warning');
  assert.match(note.message, /The GluonCV script counts batches within the epoch \("\[Epoch 0\]\[Batch 0\]", line 1\).*B estimated as 51, .* with a line every 50 batches the epoch took at most 100, so the steps are estimates, up to 96% short$/);
  assert.equal(log.run?.epochsLogged?.count, 60);
  // GluonCV's YOLOv3 prints its LR on the line; its epoch summary is no row.
  const yolo = parseLogText(['[Epoch 0][Batch 99], LR: 1.00E-04, Speed: 30.1 samples/sec, ObjLoss=9.1, BoxCenterLoss=2.0, BoxScaleLoss=1.0, ClassLoss=3.0', '[Epoch 0] Training cost: 300.1, ObjLoss=9.0, BoxCenterLoss=2.0, BoxScaleLoss=1.0, ClassLoss=3.0', '[Epoch 1][Batch 99], LR: 1.00E-04, Speed: 30.1 samples/sec, ObjLoss=8.1, BoxCenterLoss=2.0, BoxScaleLoss=1.0, ClassLoss=3.0', ''].join('\n'), 'train.log');
  assert.deepEqual(col(yolo, 'step'), [100, 200]);
  assert.deepEqual(col(yolo, 'lr'), [1e-4, 1e-4]);
  assert.deepEqual(col(yolo, 'loss'), [15.1, 14.1]);
});

// ---------------------------------------------------------------------------------------------
// Linear time

test('the new line patterns take time linear in the line', () => {
  const res = [FLAIR_ITER_RE, FLAIR_DONE_RE, FLAIR_DEV_RE, FLAIR_PARAM_RE, MXNET_LR_RE, GLUON_EPOCH_RE];
  const hostile = [
    (n: number) => '2020-06-23 12:11:11,945 epoch 1 - iter 0/4 - loss ' + '1'.repeat(n),
    (n: number) => 'epoch 1 - iter 0/4 - loss 0.5 - ' + ' '.repeat(n) + 'x',
    (n: number) => 'epoch 1 - iter 0/4 - loss 0.5 - ' + ' - a: 1'.repeat(n / 8),
    (n: number) => 'DEV : loss 0.5 - ' + 'a '.repeat(n / 2) + 'x',
    (n: number) => 'DEV : loss 0.5 - score' + ' '.repeat(n) + 'x',
    (n: number) => ' - max_epochs: "' + '1'.repeat(n),
    (n: number) => 'INFO - lr ' + ' lr 1'.repeat(n / 5) + 'x',
    (n: number) => 'INFO:root:Epoch[0] Batch [20]\tSpeed: 1.0 samples/sec' + '\ta=1'.repeat(n / 4) + 'x',
    (n: number) => 'Epoch[0] Batch [20]\tSpeed: ' + '9'.repeat(n) + ' samples/sec',
    (n: number) => '[Epoch 0][Batch 0], Speed: 1.0 samples/sec' + ', a=1'.repeat(n / 5),
    (n: number) => 'Epoch['.repeat(n / 6) + ' samples/sec',
    (n: number) => '[Epoch 1]'.repeat(n / 9) + ' Training cost: ',
  ];
  for (const h of hostile) {
    assertLinear('regexes', (size) => {
      const s = h(size);
      for (const re of res) re.test(s);
      mxBatchLine(s);
      MXNET_EPOCH_RE.lastIndex = Math.max(0, s.indexOf('Epoch['));
      MXNET_EPOCH_RE.test(s);
      textLineHasMetrics(s);
    }, 20000);
  }
  // The readers on many lines and on one long one.
  assertLinear('MXNet reader', (size) => {
    const lines: string[] = [];
    for (let k = 0; k < size; k++) lines.push(`INFO:root:Epoch[${1 + Math.floor(k / 50)}] Batch [${(k % 50) * 20}]\tSpeed: 100.00 samples/sec\tcross-entropy=0.5\tSmoothL1=0.1`);
    parseLogText(lines.join('\n'), 'many.log');
  }, 2000);
  assertLinear('Flair reader', (size) => {
    const lines: string[] = [];
    for (let k = 0; k < size; k++) lines.push(`epoch ${1 + Math.floor(k / 10)} - iter ${k % 10}/10 - loss 0.5 - samples/sec: 100.00`, k % 10 === 9 ? `DEV : loss 0.4 - score 0.5` : '');
    parseLogText(lines.join('\n'), 'many.log');
  }, 2000);
});

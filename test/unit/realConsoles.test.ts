// Real console logs of frameworks read as text (test/fixtures/SOURCES.md): fairseq in both its
// formats, Megatron-DeepSpeed with the DeepSpeed engine's own loss lines and Megatron's evaluation
// lines between them, and a Hugging Face Trainer console holding a sweep's seven runs one after
// another. Each was first read wrong (fairseq as a CSV of 0 rows; Megatron as 15 rows of a
// "loss_value" series; the sweep's steps from the last run's summary, one step logged 200 times).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { detectFormat, parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { runSplit } from '../../src/cli/split';
import { splitRunTexts } from '../../src/core/logs/splitRuns';
import { discoverRuns } from '../../src/core/runs';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { scheduleFromConfigText } from '../../src/core/fit/schedule';
import { stepAnywhere } from '../../src/core/logs/detect';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-rc-');

const fixture = (name: string) => gunzipFixture(tmp, name);
const roleOf = (log: ParsedLog, name: string) => log.columns.find((c) => c.name === name)?.role;
const msgs = (log: ParsedLog) => log.problems.map((p) => p.message).join('\n');

test('fairseq simple format (real, three staged invocations): one row per train_inner line at its num_updates, validations as valid_*', async () => {
  const { file, text } = fixture('fairseq-iwslt14-staged.log');
  assert.equal(detectFormat(path.basename(file), text.slice(0, 256 * 1024)), 'text');
  const log = await parseLogFile(file);
  const inner = [...text.matchAll(/train_inner \| epoch (\d+):\s+(\d+) \/ (\d+) loss=([\d.]+),.*?num_updates=(\d+), lr=([\d.e-]+)/g)];
  const valid = [...text.matchAll(/\| valid \| epoch \d+ \| valid on 'valid' subset \| loss ([\d.]+) \|.*?\| num_updates (\d+)/g)];
  assert.equal(inner.length, 1000);
  assert.ok(valid.length > 100);
  // Every training line is a row at its num_updates with its loss and LR.
  const step = Array.from(log.data.step);
  for (const m of [inner[0], inner[499], inner[999]]) {
    const i = step.indexOf(Number(m[5]));
    assert.ok(i >= 0, `update ${m[5]} read`);
    assert.equal(log.data.loss[i], Number(m[4]));
    assert.equal(log.data.lr[i], Number(m[6]));
  }
  const v = valid[valid.length - 1];
  assert.equal(log.data.valid_loss[step.lastIndexOf(Number(v[2]))], Number(v[1]));
  assert.equal(roleOf(log, 'loss'), 'loss');
  assert.equal(roleOf(log, 'valid_loss'), 'eval_loss');
  assert.equal(roleOf(log, 'lr'), 'lr');
  // An epoch's summary (its mean loss) is not a point on the curve; per-batch sizes are not columns.
  assert.ok(!log.columns.some((c) => /^(train_)?ntokens$|best/.test(c.name)));
  const summaries = [...text.matchAll(/\| train \| epoch \d+ \| loss ([\d.]+) \|.*?\| num_updates (\d+)/g)];
  const atSummary = summaries.filter((m) => !inner.some((i) => i[5] === m[2]));
  for (const m of atSummary.slice(0, 5)) assert.notEqual(log.data.loss[step.indexOf(Number(m[2]))], Number(m[1]));
  // The planned end is the last invocation's max_update (1000, then 10000, then 100000).
  assert.equal(log.run?.plannedSteps?.steps, 100000);
  assert.match(log.run!.plannedSteps!.source, /max_update = 100000/);
  // Passes: the last line's update within its epoch over the updates an epoch takes (`100 / 1132`).
  const end = inner[inner.length - 1];
  assert.equal(log.run?.epochsLogged?.count, Math.round((Number(end[1]) - 1 + Number(end[2]) / Number(end[3])) * 1000) / 1000);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 1132);
  // The schedule after a cut at half way: the last invocation's Namespace(…) printed in the log
  // (lr_scheduler='inverse_sqrt', warmup_updates=4000, max_update=100000), not the LR's last value.
  // (88 passes over its data: the first 10% of the points are skipped past the warm-up too.)
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as { schedule: { kind: string; warmup: number; total: number; futureKnown: boolean } };
  assert.deepEqual({ ...j.schedule, source: undefined }, { kind: 'inverse_sqrt', warmup: 4000, total: 100000, futureKnown: true, skipPercent: 10, source: undefined });
});

test('fairseq hydra json format (real wav2vec 2.0 pre-training): quoted numbers read, [valid] and [train] lines told apart', async () => {
  const { file, text } = fixture('fairseq-hydra-wav2vec2.log');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  const inner = [...text.matchAll(/\[train_inner\]\[INFO\] - (\{.*\})/g)].map((m) => JSON.parse(m[1]) as Record<string, string | number>);
  const valid = [...text.matchAll(/\[valid\]\[INFO\] - (\{.*\})/g)].map((m) => JSON.parse(m[1]) as Record<string, string | number>);
  assert.equal(inner.length, 23);
  const step = Array.from(log.data.step);
  for (const o of inner) {
    const i = step.indexOf(Number(o.num_updates));
    assert.ok(i >= 0);
    assert.equal(log.data.loss[i], Number(o.loss));
    assert.equal(log.data.lr[i], Number(o.lr));
  }
  for (const o of valid) assert.equal(log.data.valid_loss[step.indexOf(Number(o.valid_num_updates))], Number(o.valid_loss));
  // The epoch summaries (train_loss, the epoch's mean) come after training lines: left out.
  assert.ok(!log.columns.some((c) => c.name === 'train_loss' || c.name === 'ntokens'));
  assert.equal(log.run?.plannedSteps?.steps, 400000);
  // Passes: its "update" (epochs so far) at its last line, scaled to the planned end.
  const e = Number(inner[inner.length - 1].update), at = Number(inner[inner.length - 1].num_updates);
  assert.equal(log.run?.epochsLogged?.count, Math.round((10 * e * 400000) / at) / 10);
  // The log ends inside the 32,000-update warm-up: a fit says there is nothing after it, not a wrong curve.
  // (Its printed config plans that warm-up, `'warmup_updates': 32000`: the plan is taken, its LR column
  // being the plan's warm-up below its peak, and the warm-up's end said.)
  assert.match(text, /'warmup_updates': 32000/);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { error?: string };
  assert.match(j.error ?? '', /the log ends inside its LR warm-up: 0 points of \d+ after it \(the warm-up runs to step 32000, the log to step 4600\)/);
});

test('fairseq: an epoch summary is the curve when no train_inner line comes before it (log_interval longer than an epoch)', () => {
  const lines = [1, 2, 3, 4, 5, 6].map((e) => `2024-05-30 17:0${e}:00 | INFO | train | epoch 00${e} | loss ${(9 / Math.sqrt(e)).toFixed(3)} | nll_loss 8 | ppl 300 | wps 5000 | num_updates ${e * 100} | lr 0.0005 | train_wall 20 | wall ${e * 30}`);
  const log = parseLogText(['2024-05-30 16:58:44 | INFO | fairseq_cli.train | Namespace(arch=\'transformer\', max_update=600, lr=[0.0005])', ...lines].join('\n'), 'train.log');
  assert.equal(log.format, 'text');
  assert.deepEqual(Array.from(log.data.step), [100, 200, 300, 400, 500, 600]);
  assert.equal(log.data.loss[3], Number((9 / 2).toFixed(3)));
  assert.equal(log.run?.plannedSteps?.steps, 600);
});

test('Megatron-DeepSpeed (real, 500 iterations): one row per iteration, the evaluation lines as val_*, a power meter\'s "Steps 51-100" not a step', async () => {
  const { file, text } = fixture('megatron-deepspeed-qwen7b-500.log');
  const log = await parseLogFile(file);
  assert.equal(log.rows, 500);
  assert.ok(!/restart|starts again/.test(msgs(log)), msgs(log));
  assert.ok(text.includes('[Zeus] Steps 51-100'));
  const it = [...text.matchAll(/iteration\s+(\d+)\/\s+500 \|.*?lm loss: ([\d.E+-]+) \|/g)];
  assert.equal(it.length, 500);
  const step = Array.from(log.data.step);
  for (const m of [it[0], it[250], it[499]]) assert.equal(log.data.lm_loss[step.indexOf(Number(m[1]))], Number(m[2]));
  const val = [...text.matchAll(/validation loss at iteration (\d+) \| lm loss value: ([\d.E+-]+) \| lm loss PPL/g)];
  assert.equal(val.length, 5);
  assert.equal(log.data.val_loss[step.indexOf(Number(val[0][1]))], Number(val[0][2]));
  assert.equal(roleOf(log, 'val_loss'), 'eval_loss');
  // A perplexity is not a loss series.
  assert.equal(roleOf(log, 'val_loss_PPL'), 'other');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string; law: string };
  assert.ok(['loss', 'lm_loss'].includes(j.series), j.series);
  assert.equal(j.law, 'run');
});

test('an evaluation line\'s metrics are named as the evaluation\'s (Megatron, "Eval step N:")', () => {
  const log = parseLogText([
    'step 100: loss 3.2', 'step 200: loss 3.0', 'Eval step 200: loss 3.4', 'step 300: loss 2.9',
  ].join('\n'), 'out.log');
  assert.deepEqual(Array.from(log.data.loss), [3.2, 3.0, 2.9]);
  assert.equal(log.data.val_loss[1], 3.4);
  assert.equal(roleOf(log, 'val_loss'), 'eval_loss');
  // A run, host or tag named "test…" or "eval…" earlier in the line does not make it an evaluation's.
  const tagged = parseLogText(['[test_run] step 100: loss 3.2', '[test_run] step 200: loss 3.0', '[test_run] [valid] step 200: loss 3.4'].join('\n'), 'out.log');
  assert.deepEqual(Array.from(tagged.data.loss), [3.2, 3.0]);
  assert.equal(tagged.data.val_loss[1], 3.4);
  // A "dev" set's line (PaddleNLP's examples: `dev step: 50 - loss: 0.113, precision: …`) is the
  // evaluation's too: before, its loss replaced the training loss logged at the same step.
  const dev = parseLogText(['train epoch: 0 - step: 40 (total: 1814) - loss: 0.123993', 'train epoch: 0 - step: 50 (total: 1814) - loss: 0.083149', 'dev step: 50 - loss: 0.11348, precision: 0.00000, recall: 0.00000, f1: 0.00000 current best 0.00000', 'train epoch: 0 - step: 60 (total: 1814) - loss: 0.100894'].join('\n'), 'workerlog.0');
  assert.deepEqual(Array.from(dev.data.loss), [0.123993, 0.083149, 0.100894]);
  assert.equal(dev.data.val_loss[1], 0.11348);
});

test('a Trainer console holding a sweep\'s 7 runs one after another (real): each run\'s steps from its own closing summary, the last run read, said so', async () => {
  const { file, text } = fixture('hf-console-sweep-7-runs.log');
  const log = await parseLogFile(file);
  // The last run: from its last "Start training..." on.
  const last = text.slice(text.lastIndexOf('Start training...'));
  const losses = [...last.matchAll(/\{'loss': ([\d.]+), 'learning_rate': ([\d.e-]+), 'epoch': ([\d.]+)\}/g)];
  assert.equal(losses.length, 35);
  assert.deepEqual(Array.from(log.data.loss), losses.map((m) => Number(m[1])));
  // Steps rise with the printed epoch and none is logged twice (they came from the first runs' summary before).
  const step = Array.from(log.data.step);
  for (let i = 1; i < step.length; i++) assert.ok(step[i] > step[i - 1]);
  assert.ok(!/logged again/.test(msgs(log)), 'no step logged twice');
  // The summary's run time × steps per second of that run.
  const sum = /'train_runtime': ([\d.]+), 'train_samples_per_second': [\d.]+, 'train_steps_per_second': ([\d.]+)/g;
  const sums = [...text.matchAll(sum)];
  assert.equal(sums.length, 7);
  const lastSteps = Math.round(Number(sums[6][1]) * Number(sums[6][2]));
  assert.equal(log.run?.plannedSteps?.steps, lastSteps);
  assert.ok(Math.abs(step[step.length - 1] - lastSteps) <= lastSteps / 35, `${step[step.length - 1]} near ${lastSteps}`);
  assert.equal((msgs(log).match(/a run starts again/g) ?? []).length, 6);
  // The note on where the steps come from names the run read (7.6 steps an epoch), not only the first (61).
  const notes = log.problems.filter((p) => /no progress bar gives these Trainer lines/.test(p.message)).map((p) => p.message);
  assert.equal(notes.length, 2);
  assert.match(notes[1], /× 7\.6 steps per epoch/);
  // A bare `nan` (eval_loss of runs that diverged) is said to be NaN, not a number too large.
  assert.match(msgs(log), /eval_loss is NaN/);
  assert.ok(!/too large/.test(msgs(log)));
});

test('MMEngine scalars.json (real MMDetection run): a validation stepped by its epoch is placed at that epoch\'s last training row, not read as a restart', async () => {
  const file = path.join(FIXTURES, 'mmengine-balloon', 'scalars.json');
  const text = fs.readFileSync(file, 'utf8');
  const rows = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  const train = rows.filter((r) => 'epoch' in r);
  const log = await parseLogFile(file);
  assert.equal(log.stats.segments, 1, msgs(log));
  assert.equal(log.stats.superseded, 0);
  const steps = Array.from(log.data.step);
  assert.equal(steps.length, train.length);
  assert.deepEqual(steps, train.map((r) => r.step));
  assert.deepEqual(Array.from(log.data.loss), train.map((r) => r.loss));
  // The first validation (step 10 = epoch 10) follows the training row of epoch 10 (step 20).
  const first = rows.findIndex((r) => !('epoch' in r));
  assert.equal(rows[first].step, 10);
  assert.equal(rows[first - 1].epoch, 10);
  assert.match(msgs(log), new RegExp(`step 10 is the epoch .*placed at step ${rows[first - 1].step}`));
});

test('MMEngine scalars.json with the resolved config.py MMEngine writes beside it: max_epochs × the steps an epoch plans the end and the passes', async () => {
  const dir = path.join(tmp, 'work_dirs', 'rtmdet', '20230614_163002', 'vis_data');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'mmengine-balloon', 'scalars.json'), path.join(dir, 'scalars.json'));
  // As MMEngine dumps it (yapf-formatted: short dicts on one line, long ones across lines).
  fs.writeFileSync(path.join(dir, 'config.py'), [
    "default_scope = 'mmdet'", 'max_epochs = 300', 'base_lr = 0.004',
    "train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=300, val_interval=10)",
    'param_scheduler = [', "    dict(type='LinearLR', start_factor=1e-05, by_epoch=False, begin=0, end=1000),",
    "    dict(type='CosineAnnealingLR', eta_min=0.0002, begin=150, end=300, T_max=150, by_epoch=True, convert_to_iter_based=True),", ']',
    "optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=0.004, weight_decay=0.05))", '',
  ].join('\n'));
  const file = path.join(dir, 'scalars.json');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as {
    prediction: { step: number }; schedule: { total: number }; trust: { reasons: string[] };
  };
  // 2 iterations an epoch (the log: epoch 131 ends at iteration 262): 300 epochs end at step 600.
  assert.equal(j.prediction.step, 600);
  assert.ok(j.trust.reasons.some((r) => /makes 300 passes over its data \(max_epochs = 300 in config\.py\)/.test(r)), j.trust.reasons.join('\n'));
  // A config planning fewer epochs than the log shows is another run's: the log's own count stays.
  fs.writeFileSync(path.join(dir, 'config.py'), "train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=1)\n");
  const k = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { prediction: { step: number }; trust: { reasons: string[] } };
  assert.notEqual(k.prediction.step, 24);
  assert.ok(k.trust.reasons.some((r) => /makes 131 passes over its data \(the log's "epoch" column/.test(r)), k.trust.reasons.join('\n'));
});

test('MMEngine layout: a validation stepped by iteration stays at its step; training rows going back are still a restart', () => {
  const tr = (epoch: number, iter: number, loss: number) => JSON.stringify({ lr: 0.01, loss, epoch, iter, step: iter });
  const byIter = parseLogText([tr(1, 50, 2), tr(1, 100, 1.9), JSON.stringify({ 'coco/bbox_mAP': 0.1, step: 100 }), tr(2, 150, 1.8)].join('\n'), 'scalars.json');
  assert.deepEqual(Array.from(byIter.data.step), [50, 100, 150]);
  assert.doesNotMatch(msgs(byIter), /is the epoch/);
  const resumed = parseLogText([tr(1, 50, 2), tr(1, 100, 1.9), tr(2, 150, 1.8), tr(2, 100, 1.85), tr(2, 150, 1.7)].join('\n'), 'scalars.json');
  assert.deepEqual(Array.from(resumed.data.step), [50, 100, 150]);
  assert.equal(resumed.stats.superseded, 2);
});

test('MAE/DeiT log.txt: train_lr is the learning rate', () => {
  const lines = [0, 1, 2, 3].map((e) => JSON.stringify({ train_lr: 1e-4 * (e + 1), train_loss: 2 - e * 0.1, epoch: e, n_parameters: 303303682 }));
  const log = parseLogText(lines.join('\n'), 'log.txt');
  assert.equal(roleOf(log, 'train_lr'), 'lr');
});

test('OLMo console (real 1B run, complete): a row per `[step=N/T]` block of indented metrics, its TrainConfig plans the schedule', async () => {
  const { file, text } = fixture('olmo-1b-reproduction.log');
  assert.equal(detectFormat(path.basename(file), text.slice(0, 256 * 1024)), 'text');
  const log = await parseLogFile(file);
  const heads = [...text.matchAll(/\[step=(\d+)\/(\d+),epoch=\d+\]\n((?: {4}.*\n)+)/g)];
  assert.equal(heads.length, 7640);
  assert.equal(log.rows, 7640);
  const step = Array.from(log.data.step);
  for (const h of [heads[0], heads[3000], heads[7639]]) {
    const i = step.indexOf(Number(h[1]));
    assert.equal(log.data['train/CrossEntropyLoss'][i], Number(/train\/CrossEntropyLoss=([\d.]+)/.exec(h[3])![1]));
    // Thousands separators read: `throughput/total_tokens=131,072`.
    assert.equal(log.data['throughput/total_tokens'][i], Number(/throughput\/total_tokens=([\d,]+)/.exec(h[3])![1].replace(/,/g, '')));
  }
  assert.equal(roleOf(log, 'train/CrossEntropyLoss'), 'loss');
  assert.equal(roleOf(log, 'throughput/total_tokens'), 'tokens');
  assert.equal(roleOf(log, 'throughput/total_training_Gflops'), 'flops');
  assert.equal(roleOf(log, 'throughput/total_training_log_Gflops'), 'other');
  assert.equal(roleOf(log, 'throughput/device/tokens_per_second'), 'other');
  // The downstream evaluations printed after a step's block (`INFO\twinogrande` then its indented
  // metric) are merged into that step's row: one merge each, no row of their own.
  const evals = text.match(/\tINFO\t\w+\n {4}eval\/downstream\//g) ?? [];
  assert.equal(evals.length, 28);
  assert.equal(log.stats.merged, 28);
  assert.ok(log.columns.some((c) => c.name === 'eval/downstream/winogrande_acc'));
  assert.equal(log.run?.plannedSteps?.steps, 7630);
  // Its TrainConfig(…) printed on one line plans the schedule; the run went 10 steps past max_duration.
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as {
    schedule: { kind: string; warmup: number; total: number; source: string }; backtest: Array<{ fitFraction: number; heldOut?: boolean; horizon: number }>;
  };
  assert.deepEqual([j.schedule.kind, j.schedule.warmup, j.schedule.total], ['cosine', 500, 7640]);
  assert.match(j.schedule.source, /max_duration=7630, t_warmup=500, lr_scheduler=cosine_with_warmup, alpha_f=0\.1 \(the log goes on to step 7640/);
  // The held-out entry's fraction is of steps (it was the fitted range's tokens over the last step: 65536).
  const held = j.backtest.find((b) => b.heldOut)!;
  assert.ok(Math.abs(held.fitFraction - 0.5) < 0.01, String(held.fitFraction));
  assert.equal(held.horizon, 7640);
});

test('OLMo console (real, killed at step 1,010 of 15,000 and ending in a traceback): read to its last step', async () => {
  const { file, text } = fixture('olmo-1b-continue-killed.log');
  const log = await parseLogFile(file);
  assert.equal(log.rows, 1010);
  assert.ok(/Traceback|SignalException/.test(text.slice(text.lastIndexOf('[step=1010/15000'))));
  assert.equal(log.run?.plannedSteps?.steps, 15000);
});

test('split: a console holding a sweep\'s 7 runs is written beside it, a folder per run, each read as its own run and listed as one (CLI and core)', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'split-'));
  const { file, text } = gunzipFixture(dir, 'hf-console-sweep-7-runs.log');
  const whole = await parseLogFile(file);
  assert.equal(whole.stats.runStarts?.length, 6);
  const out: string[] = [], err: string[] = [];
  const io = { out: (s: string) => { out.push(s); }, err: (s: string) => { err.push(s); } };
  assert.equal(await runSplit([file], io), 0, err.join(''));
  const files = Array.from({ length: 7 }, (_, k) => path.join(dir, 'hf-console-sweep-7-runs-runs', `run-${k + 1}`, 'hf-console-sweep-7-runs.log'));
  assert.match(out.join(''), /7 runs, written to/);
  // The runs are what the Runs view lists: one folder each, beside the file's own.
  const found = await discoverRuns(dir);
  for (let k = 1; k <= 7; k++) assert.ok(found.runs.some((r) => r.rel === `hf-console-sweep-7-runs-runs/run-${k}`), found.runs.map((r) => r.rel).join(', '));
  // Nothing lost, nothing added: the parts are the file.
  assert.equal(files.map((f) => fs.readFileSync(f, 'utf8')).join(''), text);
  const starts = text.split('\n').map((l, i) => (l.startsWith('Start training...') ? i : -1)).filter((i) => i >= 0);
  assert.equal(starts.length, 7);
  for (let k = 0; k < 7; k++) {
    const run = await parseLogFile(files[k]);
    assert.equal(run.stats.segments, 1, files[k]);
    assert.equal(run.stats.runStarts, undefined);
    // Its training dicts, and its own closing summary's steps.
    const body = fs.readFileSync(files[k], 'utf8');
    assert.equal(run.rows, (body.match(/\{'loss': /g) ?? []).length);
    const sum = /'train_runtime': ([\d.]+), 'train_samples_per_second': [\d.]+, 'train_steps_per_second': ([\d.]+)/.exec(body)!;
    assert.equal(run.run?.plannedSteps?.steps, Math.round(Number(sum[1]) * Number(sum[2])));
  }
  // Again: the files are there, nothing is overwritten (exit 1, said).
  out.length = 0;
  assert.equal(await runSplit([file], io), 1);
  assert.match(out.join(''), /hf-console-sweep-7-runs-runs already exists beside hf-console-sweep-7-runs\.log: nothing written/);
  // The fit says so beside its result.
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { messages: string[] };
  assert.ok(j.messages.some((m) => /this file holds 7 runs one after another .* the last is fitted; "Scaling Lens: Split Runs into Files"/.test(m)), j.messages.join('\n'));
  // Bytes written back as they were, a non-UTF-8 one too.
  const odd = path.join(dir, 'odd.csv');
  fs.writeFileSync(odd, Buffer.concat([Buffer.from('step,loss,note\n1,3,caf\xe9\n2,2.5,x\n1,3.1,y\n2,2.4,z\n', 'latin1')]));
  assert.equal(await runSplit([odd], io), 0);
  const a = fs.readFileSync(path.join(dir, 'odd-runs', 'run-1', 'odd.csv')), b = fs.readFileSync(path.join(dir, 'odd-runs', 'run-2', 'odd.csv'));
  assert.ok(a.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9])), 'the byte 0xe9 kept');
  assert.equal(b.toString('latin1'), 'step,loss,note\n1,3.1,y\n2,2.4,z\n');
  // A file of one run: nothing to split.
  out.length = 0;
  assert.equal(await runSplit([files[0]], io), 0);
  assert.match(out.join(''), /holds one run: nothing to split/);
});

test('split: a CSV\'s header heads every part; lines are cut where each later run\'s first row is', () => {
  const csv = 'step,loss\n1,3\n2,2.5\n3,2.2\n1,3.1\n2,2.6\n';
  assert.deepEqual(splitRunTexts(csv, [5], 'step,loss'), ['step,loss\n1,3\n2,2.5\n3,2.2\n', 'step,loss\n1,3.1\n2,2.6\n']);
  const log = parseLogText(csv, 'metrics.csv');
  assert.deepEqual(log.stats.runStarts, [5]);
  // A resume (back to a step after the first) is not another run.
  assert.equal(parseLogText('step,loss\n1,3\n2,2.5\n3,2.2\n2,2.4\n3,2.1\n', 'metrics.csv').stats.runStarts, undefined);
});

test('torchtune console (real LoRA fine-tune): its bar describes `epoch|step|Loss: x`, a row per step; the schedule from its printed config, not the profiler\'s warm-up', async () => {
  const file = path.join(FIXTURES, 'torchtune-console-lora-llama3.2-1b.out');
  const text = fs.readFileSync(file, 'utf8');
  // The whole run's bar is one line of `\r`-separated refreshes (94 KB), after a 90-line config.
  assert.ok(text.split('\n').some((l) => l.length > 50_000));
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 512);
  assert.deepEqual([log.data.step[0], log.data.step[511]], [1, 512]);
  assert.equal(log.data.loss[0], 1.9749605655670166);
  assert.ok(log.columns.some((c) => c.name === 'epoch' && c.role === 'epoch'));
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { schedule: { kind: string; warmup: number; total: number; source: string } };
  assert.deepEqual([j.schedule.kind, j.schedule.warmup, j.schedule.total], ['cosine', 100, 512]);
  assert.match(j.schedule.source, /epochs=1 × max_steps_per_epoch=512, lr_scheduler\.num_warmup_steps=100, lr_scheduler\._component_=get_cosine_schedule_with_warmup/);
  assert.doesNotMatch(j.schedule.source, /warmup_steps=3|name=/);
  // torchtune's DiskLogger file (log_<time>.txt): `Step N | key:value …` lines.
  const disk = parseLogText('Step 1 | loss:1.97 lr:3e-06 tokens_per_second_per_gpu:1234.5 \nStep 2 | loss:1.91 lr:6e-06 tokens_per_second_per_gpu:1300.1 \n', 'log_1712345678.txt');
  assert.deepEqual(disk.columns.filter((c) => c.role !== 'other').map((c) => [c.name, c.role]), [['step', 'step'], ['loss', 'loss'], ['lr', 'lr']]);
});

test('Keras 3 console (real, 40 epochs): a row an epoch at its end (epoch × 477 steps), validation metrics and learning_rate with it; the evaluate() bars after training are not rows', async () => {
  const file = path.join(FIXTURES, 'keras3-console-road-surface.txt');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 40);
  assert.equal(log.stats.segments ?? 1, 1, 'no restart: the evaluate() and predict() bars at the end are left out');
  assert.deepEqual([log.data.step[0], log.data.step[39]], [477, 40 * 477]);
  assert.equal(log.columns.find((c) => c.name === 'val_loss')?.role, 'eval_loss');
  assert.equal(log.columns.find((c) => c.name === 'learning_rate')?.role, 'lr');
  assert.deepEqual(log.run?.plannedSteps?.steps, 19080);
  assert.deepEqual([log.run?.epochsLogged?.count, log.run?.epochsLogged?.stepsPerPass], [40, 477]);
  // The epoch-end refresh, not the one before it (476/477, a running mean without validation).
  const text = fs.readFileSync(file, 'utf8');
  const end1 = text.split('\n').find((l) => l.startsWith('477/477 ') && l.includes('val_loss'))!;
  assert.equal(log.data.loss[0], Number(/ - loss: ([\d.]+)/.exec(end1)![1]));
  assert.equal(log.data.val_loss[0], Number(/ - val_loss: ([\d.]+)/.exec(end1)![1]));
});

test('Keras 2 console: verbose=1 refreshes separated by \\r or backspaces, and verbose=2 lines, give a row at each epoch\'s end', () => {
  const bs = '\x08'.repeat(60);
  const text = [
    'Epoch 1/3',
    `  1/100 [..............................] - ETA: 1:02 - loss: 2.3026 - acc: 0.1000${bs}\r 50/100 [==============>...............] - ETA: 1s - loss: 1.9000 - acc: 0.3000${bs}\r100/100 [==============================] - 3s 25ms/step - loss: 1.5000 - acc: 0.5000 - val_loss: 1.4000 - val_acc: 0.5500`,
    'Epoch 2/3',
    '100/100 - 2s - loss: 1.2000 - acc: 0.6000 - val_loss: 1.3000 - val_acc: 0.6100 - lr: 1.0000e-03 - 2s/epoch - 20ms/step',
    'Epoch 3/3',
    '100/100 [==============================] - 2s 20ms/step - loss: 1.1000 - acc: 0.6500 - val_loss: 1.2500 - val_acc: 0.6200',
    '',
  ].join('\n');
  const log = parseLogText(text, 'train.log');
  assert.equal(log.rows, 3);
  assert.deepEqual(Array.from(log.data.step), [100, 200, 300]);
  assert.deepEqual(Array.from(log.data.loss), [1.5, 1.2, 1.1]);
  assert.deepEqual(Array.from(log.data.val_loss), [1.4, 1.3, 1.25]);
  assert.equal(log.data.lr[1], 1e-3);
  assert.equal(log.run?.plannedSteps?.steps, 300);
});

test('PaddlePaddle consoles (real, read gzipped): an iteration counter that starts again each epoch is made the run\'s step; the epoch counter gives the passes and the planned end', async () => {
  // PaddleClas: `[Train][Epoch 2/300][Iter: 0/1252]lr: …, CELoss: …`; its evaluations `[Eval][Epoch 10][Iter: 0/98]` count their own loop.
  const clas = await parseLogFile(path.join(FIXTURES, 'paddleclas-pvtv2-stage1.log.gz'));
  assert.equal(clas.stats.segments ?? 1, 1, 'no restart at each epoch');
  // Each epoch's first logged iteration (0) at the epochs before × 1,252; steps only go forward.
  const steps = (log: ParsedLog) => Array.from(log.data.step);
  const rising = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]);
  for (const s of [0, 1252, 227 * 1252]) assert.ok(steps(clas).includes(s), `step ${s}`);
  assert.ok(rising(steps(clas)));
  assert.ok(Math.max(...steps(clas)) < 228 * 1252);
  assert.deepEqual([clas.run?.epochsLogged?.count, clas.run?.epochsLogged?.stepsPerPass], [300, 1252]);
  assert.equal(clas.run?.plannedSteps?.steps, 300 * 1252 - 1);
  // The evaluations: val_* at the end of their epoch (epoch 10: step 10 × 1252), not a restart.
  assert.equal(clas.columns.find((c) => c.name === 'val_CELoss')?.role, 'eval_loss');
  const v = Array.from(clas.data.val_CELoss).findIndex((x) => Number.isFinite(x));
  assert.equal(clas.data.step[v] % 1252, 0);
  // Each is its [Avg] line's (the whole split), not its last batch line's.
  const text = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'paddleclas-pvtv2-stage1.log.gz'))).toString('utf8');
  const avg = [...text.matchAll(/\[Eval\]\[Epoch (\d+)\]\[Avg\]CELoss: ([\d.]+)/g)];
  const held = Array.from(clas.data.val_CELoss).filter((x) => Number.isFinite(x));
  assert.deepEqual(held, avg.map((a) => Number(a[2])));
  for (const a of avg) assert.equal(clas.data.val_CELoss[Array.from(clas.data.step).indexOf(Number(a[1]) * 1252)], Number(a[2]));
  assert.ok(clas.problems.some((p) => /per-batch lines \(\[Eval\]\[Epoch N\]\[Iter: k\/M\]\) hold one batch's metrics each: not read/.test(p.message)));
  // PaddleDetection: `Epoch: [1] [    0/14658] learning_rate: … loss: …` (epochs from 0; no step word).
  const det = await parseLogFile(path.join(FIXTURES, 'ppdet-retinanet-ghm-workerlog.log.gz'));
  assert.equal(det.rows, 1764);
  for (const s of [0, 14658, 11 * 14658]) assert.ok(steps(det).includes(s), `step ${s}`);
  assert.ok(rising(steps(det)));
  assert.ok(Math.max(...steps(det)) < 12 * 14658);
  assert.deepEqual([det.run?.epochsLogged?.count, det.run?.epochsLogged?.stepsPerPass], [12, 14658]);
  // PaddleSeg: `[TRAIN] epoch: 3, iter: 150/120000, loss: …` after 1,218 lines of launcher output whose first has a comma (not a CSV).
  const seg = await parseLogFile(path.join(FIXTURES, 'paddleseg-ddrnet-trainer-log.txt.gz'));
  assert.equal(seg.format, 'text');
  assert.equal(seg.rows, 2400);
  assert.equal(seg.run?.plannedSteps?.steps, 120000);
  assert.deepEqual([seg.data.step[0], seg.data.step[2399]], [50, 120000]);
  assert.equal(seg.run?.epochsLogged?.count, 484);
});

test('tqdm bars of several processes drawn into one stream (real multi-host Levanter launch, 8 workers): a count below one drawn before it on the same line is another worker\'s, not a restart', async () => {
  const log = await parseLogFile(path.join(FIXTURES, 'levanter-multihost-nohup.out.gz'));
  assert.equal(log.format, 'text');
  assert.equal(log.stats.segments ?? 1, 1, JSON.stringify(log.problems.slice(0, 3)));
  assert.equal(log.rows, 1301);
  assert.equal(log.data.step[log.rows - 1], 1301);
  assert.equal(log.run?.plannedSteps?.steps, 2000000);
  // The same on a line written for the test: worker B's bar lags worker A's.
  const bar = (k: number, l: number) => `train:   0%|          | ${k}/1000 [00:10<01:30, 10.0it/s, loss=${l}]`;
  const one = parseLogText([bar(10, 3.1), bar(9, 3.2), bar(11, 3.0), bar(10, 3.1), bar(12, 2.9)].join('\r') + '\n' + [bar(20, 2.5), bar(19, 2.6)].join('\r') + '\n', 'nohup.out');
  assert.deepEqual(Array.from(one.data.step), [10, 11, 12, 20]);
  assert.equal(one.stats.segments ?? 1, 1);
});

test("OpenNMT-py consoles (real): `Step N/T; …; xent: …; lr: …` lines are the run (xent its loss, T its planned end); `Validation perplexity` is the held-out cross-entropy ln(ppl) at the step before it", async () => {
  const { file, text } = fixture('opennmt-yoruba-adr-transformer.txt');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.kind, 'run');
  const stepLines = [...text.matchAll(/\] Step (\d+)\/100000; acc: +[\d.]+; ppl: +[\d.]+; xent: ([\d.]+); lr: ([\d.]+);/g)];
  assert.equal(log.rows, stepLines.length);
  assert.equal(roleOf(log, 'xent'), 'loss');
  assert.equal(roleOf(log, 'ppl'), 'other');
  assert.equal(roleOf(log, 'lr'), 'lr');
  assert.equal(roleOf(log, 'val_xent'), 'eval_loss');
  assert.equal(log.run?.plannedSteps?.steps, 100000);
  const steps = log.data.step;
  const at = (s: number) => Array.from(steps).indexOf(s);
  // Each training value as printed, at its step.
  const last = stepLines[stepLines.length - 1];
  assert.equal(log.data.xent[at(Number(last[1]))], Number(last[2]));
  // Each validation at the step of the step line before it, as ln(perplexity).
  const valid = [...text.matchAll(/Validation perplexity: ([\d.]+)/g)];
  assert.ok(valid.length >= 30);
  for (const v of [valid[0], valid[valid.length - 1]]) {
    const before = [...text.slice(0, v.index).matchAll(/\] Step (\d+)\//g)].pop()!;
    const i = at(Number(before[1]));
    assert.ok(i >= 0);
    assert.ok(Math.abs(log.data.val_xent[i] - Math.log(Number(v[1]))) < 1e-12);
  }
  assert.equal(Array.from(log.data.val_xent).filter((v) => Number.isFinite(v)).length, valid.length);
  // The LSTM run's notes start with a line in braces: still a text log, not refused as JSON.
  const lstm = fixture('opennmt-yoruba-adr-lstm.txt');
  assert.ok(lstm.text.startsWith('{'));
  const l = await parseLogFile(lstm.file);
  assert.equal(l.rows, [...lstm.text.matchAll(/\] Step \d+\/100000;/g)].length);
  assert.equal(roleOf(l, 'val_xent'), 'eval_loss');
  // The fit has the held-out loss and predicts the planned end.
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { prediction?: { step?: number } };
  assert.equal(j.prediction?.step, 100000);
  // Cut at half way (1,525 steps past the warm-up), both LR-aware laws predict a loss below zero and
  // are left out; the power law has no backtest (too few points): auto takes it, never a law left out.
  type Half = { runLaw: string; prediction: { loss: number }; messages: string[]; candidates: Array<{ law: string }> };
  const h = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as Half;
  assert.ok(h.messages.filter((m) => /fit predicts a loss of -[\d.]+ at step \d+ \(not a loss\): left out/.test(m)).length >= 1, h.messages.join('\n'));
  assert.equal(h.runLaw, 'power');
  assert.ok(h.prediction.loss > 0);
  assert.ok(h.messages.some((m) => /taken as the only law not left out/.test(m)), h.messages.join('\n'));
});

test('YOLOX train_log.txt (real, three launches after 460 KB of printed tables): each launch read, the last fitted; `size` (its multi-scale input) is no parameter count; the epochs of the last launch plan its end', async () => {
  const { file, text } = fixture('yolox-fire-voc-s-train_log.txt');
  const iterLines = [...text.matchAll(/ - epoch: (\d+)\/300, iter: (\d+)\/(\d+), .*total_loss: [\d.]+,/g)];
  assert.ok(Buffer.byteLength(text.slice(0, text.indexOf(iterLines[0][0]))) > 400 * 1024, 'the first iteration line is past the 256 KB head');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.kind, 'run', 'not a sweep table for its varying `size`');
  assert.equal(roleOf(log, 'size'), 'other');
  assert.equal(log.stats.rowsRead, iterLines.length);
  // The last launch: 300 epochs of 76 iterations (the launches before had 89).
  let lastStart = 0;
  iterLines.forEach((m, i) => { if (m[1] === '1' && m[2] === '10') lastStart = i; });
  const lastRun = iterLines.slice(lastStart);
  assert.equal(log.rows, lastRun.length);
  const end = lastRun[lastRun.length - 1];
  assert.equal(log.data.step[log.rows - 1], (Number(end[1]) - 1) * 76 + Number(end[2]));
  assert.equal(log.run?.plannedSteps?.steps, 300 * 76);
  const first = text.slice(0, text.indexOf(lastRun[0][0])).split('\n').length;
  assert.equal(log.lines[0], first, "the kept rows' lines count the preamble");
});

test("nnU-Net training logs (real, v1 and v2): an epoch's block of lines is one row at its epoch; a loss below zero (Dice + CE) is drawn, not fitted, saying why", async () => {
  // v2: `Epoch N`, `Current learning rate: …`, `train_loss …`, `val_loss …`, behind a timestamp.
  const v2 = fixture('nnunet-v2-kits23-training_log.txt');
  const log = await parseLogFile(v2.file);
  assert.equal(log.format, 'text');
  const heads = [...v2.text.matchAll(/: Epoch (\d+) ?\n/g)];
  const train = [...v2.text.matchAll(/: train_loss (-?[\d.]+) ?\n/g)].map((m) => Number(m[1]));
  const val = [...v2.text.matchAll(/: val_loss (-?[\d.]+) ?\n/g)].map((m) => Number(m[1]));
  const lr = [...v2.text.matchAll(/: Current learning rate: ([\d.e-]+) ?\n/g)].map((m) => Number(m[1]));
  assert.equal(log.rows, heads.length);
  assert.deepEqual(Array.from(log.data.epoch), heads.map((m) => Number(m[1])));
  assert.deepEqual(Array.from(log.data.train_loss), train);
  assert.deepEqual(Array.from(log.data.val_loss), val);
  assert.deepEqual(Array.from(log.data.lr), lr);
  assert.equal(roleOf(log, 'train_loss'), 'loss');
  assert.equal(roleOf(log, 'val_loss'), 'eval_loss');
  assert.equal(roleOf(log, 'lr'), 'lr');
  // Its loss goes below zero: not fitted on its positive points, drawn whole on linear axes.
  const a = (await analyzeFile(v2.file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state;
  assert.ok(a.kind === 'log');
  assert.match(a.fitError ?? '', /"train_loss" goes below zero \(to -0\.442 at epoch 90, line \d+\)/);
  assert.equal(a.observed?.y.length, train.length - 1, 'every epoch drawn but epoch 0 (x = 0)');
  assert.equal(a.options.logScale, false);
  // v1: `epoch:  N` heads, the LR printed after the losses; cut off after the head of epoch 78.
  const v1 = fixture('nnunet-v1-tbone-cegdl-cutoff-training_log.txt');
  const l1 = await parseLogFile(v1.file);
  const t1 = [...v1.text.matchAll(/: train loss : (-?[\d.]+) ?\n/g)].map((m) => Number(m[1]));
  assert.equal(l1.rows, t1.length);
  assert.equal(l1.rows, 78, 'the head of epoch 78 without its metrics is no row');
  assert.deepEqual(Array.from(l1.data.train_loss), t1);
  // (Its `lr:` lines after the first epoch's head: one printed before training is no epoch's.)
  const afterHead = v1.text.slice(v1.text.indexOf('epoch:  0'));
  assert.deepEqual(Array.from(l1.data.lr), [...afterHead.matchAll(/: lr: ([\d.e-]+) ?\n/g)].map((m) => Number(m[1])));
  const j = fitToJson((await analyzeFile(v1.file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { error?: string; messages: string[] };
  assert.equal(j.error, undefined);
  assert.ok(j.messages.some((m) => /its steps here are its epochs/.test(m)));
});

test('GPT-NeoX (real, 1.3B, stopped at iteration 4,500 of 320,000): its printed arguments plan the schedule, warm-up as the fraction NeoX means', async () => {
  const { file, text } = fixture('gpt-neox-1.3b-enwik8.out');
  // NeoX pads each argument on both sides: `  warmup .......... 0.01........default`.
  assert.match(text, /^ {2}warmup \.+ 0\.01\.+default$/m);
  assert.match(text, /^ {2}lr_decay_style \.+ cosine\.+updated$/m);
  const plan = scheduleFromConfigText(text.slice(0, text.indexOf('steps: 10 loss')), 'neox.out');
  assert.ok(plan, 'a plan');
  assert.equal(plan.totalSteps, 320000);
  assert.equal(plan.warmupSteps, 3200, plan.source); // 0.01 of train_iters, not 0.01 steps
  assert.equal(plan.decay, 'cosine');
  assert.ok(Math.abs(plan.minRatio - 0.1) < 1e-12, plan.source); // min_lr 2e-05 of lr 0.0002
  // A NeoX config file (its JSON-like YAML, as in the repository's configs/) reads the same.
  const yml = scheduleFromConfigText('{\n  "train_iters": 320000,\n  "lr_decay_style": "cosine",\n  "warmup": 0.01,\n  "min_lr": 0.00002,\n  "optimizer": {"type": "Adam",\n    "params": {\n      "lr": 0.0002,\n    }},\n}', '1-3B.yml');
  assert.deepEqual([yml?.totalSteps, yml?.warmupSteps, yml?.decay], [320000, 3200, 'cosine']);
  // A `warmup` of one or more is a count of steps, as other configs mean it.
  assert.equal(scheduleFromConfigText('train_iters: 1000\nwarmup: 50\n')?.warmupSteps, 50);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { schedule: { kind: string; warmup: number; total: number; futureKnown: boolean } };
  assert.equal(j.schedule.kind, 'cosine');
  assert.equal(j.schedule.total, 320000);
  assert.equal(j.schedule.futureKnown, true, 'the LR after the last logged step comes from the plan');
});

test("pytorch-tutorial's loop (real Udacity captioning run, `Epoch [1/3], Step [1/12942], Loss: …, Perplexity: …`): each line at its epoch and step, 3 × 12,942 planned", async () => {
  // Read before as 38,826 rows at x = 1, 2 or 3 (the epoch), the step counter ignored, "planned end: step 3".
  const { file, text } = fixture('cvnd-captioning-training_log.txt');
  const lines = [...text.matchAll(/^Epoch \[(\d+)\/(\d+)\], Step \[(\d+)\/(\d+)\], Loss: ([\d.]+), Perplexity: ([\d.]+)$/gm)];
  assert.equal(lines.length, 38826);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, lines.length, msgs(log));
  assert.equal(roleOf(log, 'Loss'), 'loss');
  assert.notEqual(roleOf(log, 'Perplexity'), 'loss');
  const steps = Array.from(log.data.step);
  assert.ok(steps.every((s, i) => i === 0 || s > steps[i - 1]), 'steps only go forward');
  // A line's step is the epochs before × its epoch's steps + the step within it, with that line's loss.
  for (const m of [lines[0], lines[12941], lines[12942], lines[30000], lines[lines.length - 1]]) {
    const step = (Number(m[1]) - 1) * Number(m[4]) + Number(m[3]);
    const i = steps.indexOf(step);
    assert.ok(i >= 0, `epoch ${m[1]} step ${m[3]} at ${step}`);
    assert.equal(log.data.Loss[i], Number(m[5]));
  }
  assert.equal(log.run?.plannedSteps?.steps, 3 * 12942);
  assert.equal(log.run?.epochsLogged?.count, 3);
  // `Batch [i/N]` is the same counter; a word ending in Step[ is not.
  const b = parseLogText(['Epoch [1/2], Batch [100/200], Loss: 2.5', 'Epoch [1/2], Batch [200/200], Loss: 2.1', 'Epoch [2/2], Batch [100/200], Loss: 1.9', ''].join('\n'), 'train.log');
  assert.deepEqual(Array.from(b.data.step), [100, 200, 300]);
  assert.equal(stepAnywhere('Epoch [1/2], MicroStep[3/9], Loss: 1.0'), undefined);
});

test("build-nanogpt's log/log.txt (real 19,073-step GPT-2 run, `0 train 10.955010` / `250 val 3.82` / `250 hella 0.29`): a row a step, train and val losses apart, HellaSwag no loss", async () => {
  // Refused before ("not a training log this reader knows").
  const { file, text } = fixture('build-nanogpt-linear-lr-log.txt');
  const of = (word: string) => [...text.matchAll(new RegExp(`^(\\d+) ${word} ([\\d.]+)$`, 'gm'))].map((m) => [Number(m[1]), Number(m[2])]);
  const train = of('train'), val = of('val'), hella = of('hella');
  assert.deepEqual([train.length, val.length, hella.length], [19073, 78, 78]);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 19073, msgs(log));
  assert.deepEqual([roleOf(log, 'train_loss'), roleOf(log, 'val_loss')], ['loss', 'eval_loss']);
  assert.ok(!['loss', 'eval_loss'].includes(roleOf(log, 'hellaswag_acc_norm') ?? ''), 'an accuracy is no loss');
  const steps = Array.from(log.data.step);
  for (const [s, v] of [train[0], train[9000], train[train.length - 1]]) assert.equal(log.data.train_loss[steps.indexOf(s)], v, `train at ${s}`);
  for (const [s, v] of [val[0], val[40], val[val.length - 1]]) assert.equal(log.data.val_loss[steps.indexOf(s)], v, `val at ${s}`);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { series: string; xKind: string };
  assert.deepEqual([j.series, j.xKind], ['train_loss', 'step']);
  // A number after another word is no such line.
  assert.throws(() => parseLogText('0 tokens 10.9\n1 tokens 11.2\n', 'log.txt'), /not a training log/);
});

test("build-nanogpt's console: `validation loss: 3.82` and `HellaSwag accuracy: a/b=c` alone on their lines are read, at the last step (the first with step 0)", async () => {
  // Dropped before: the console's held-out loss was only in log/log.txt. Its shape, as the real
  // console of a run of Karpathy's train_gpt2.py prints it (a 2,000-step excerpt's lines rebuilt here).
  const lines: string[] = ['total desired batch size: 524288', '=> calculated gradient accumulation steps: 2'];
  const val = (s: number) => +(3 + 8 / Math.sqrt(1 + s)).toFixed(4);
  for (let s = 0; s < 2000; s++) {
    if (s % 250 === 0) {
      lines.push(`validation loss: ${val(s).toFixed(4)}`, `HellaSwag accuracy: ${2400 + s}/10042=${((2400 + s) / 10042).toFixed(4)}`);
      if (s > 0) lines.push("rank 0 sample 0: Hello, I'm a language model, and");
    }
    lines.push(`step ${String(s).padStart(5)} | loss: ${(3 + 8 / Math.sqrt(1 + s) + 0.01).toFixed(6)} | lr 6.0000e-04 | norm: 0.3000 | dt: 400.00ms | tok/sec: 1300000.00`);
  }
  lines.push('test loss: 3.2500');
  const log = parseLogText(lines.join('\n') + '\n', 'nanogpt-train.out');
  assert.equal(log.columns.find((c) => c.name === 'val_loss')?.role, 'eval_loss');
  assert.ok(!['loss', 'eval_loss'].includes(log.columns.find((c) => c.name === 'hellaswag_acc_norm')?.role ?? ''));
  const at = (name: string) => Array.from(log.data[name]).flatMap((v, i) => (Number.isFinite(v) ? [[log.data.step[i], v]] : []));
  // Step 0's evaluation with step 0; each later one at the last step before it (the model it evaluated).
  assert.deepEqual(at('val_loss'), [0, 250, 500, 750, 1000, 1250, 1500, 1750].map((s) => [s === 0 ? 0 : s - 1, val(s)]));
  assert.ok(log.columns.some((c) => c.name === 'hellaswag_acc_norm'), 'HellaSwag read as a metric (no loss)');
  assert.deepEqual(at('test_loss'), [[1999, 3.25]]);
  // The training loss is one row a step, unchanged.
  assert.equal(at('loss').length, 2000);
  // A line that names a loss among other words is no bare evaluation.
  const other = parseLogText('step 1 | loss: 2.0\nvalidation loss: 1.5 (best so far)\nstep 2 | loss: 1.9\n', 'train.log');
  assert.equal(other.data.val_loss, undefined);
});

test('a refused file says what was read: the line most like a metric\'s (control characters dropped), and a Trainer summary where its curve is', () => {
  // (Before, every refusal was the same sentence, naming nothing of the file.)
  const darknet = ['yolov3-voc', 'Learning Rate: 0.001, Momentum: 0.9, Decay: 0.0005', 'Region 82 Avg IOU: 0.3, Class: 0.5, Obj: 0.4, No Obj: 0.5, count: 3'].join('\n');
  assert.throws(() => parseLogText(darknet, 'train.log'), /not a training log this reader knows .*the line most like a metric's, line 2: "Learning Rate: 0\.001, Momentum: 0\.9, Decay: 0\.0005"$/);
  // A line naming a loss is preferred; an escape sequence in it is not passed on; a long line is cut.
  const rwkv = ['NEW RUN 2025-05-27', `\u001b[31m4 ${'x'.repeat(100)} loss 0.17 1.19\u001b[0m`].join('\n');
  assert.throws(() => parseLogText(rwkv, 'train_log.txt'), (e: Error) => {
    assert.match(e.message, /line 2: " ?\[31m4 x+…"$/);
    assert.doesNotMatch(e.message, /\u001b/);
    return true;
  });
  assert.throws(() => parseLogText('{\n  "epoch": 12.22,\n  "eval_loss": 0.45,\n  "train_runtime": 3600.1\n}\n', 'all_results.json'), /all_results\.json: a Hugging Face Trainer summary .*fit the run's trainer_state\.json/);
});

test("Darknet's YOLO training console (real YOLOv3 on VOC, 6,000 iterations, `5999: 1.14, 0.82 avg, 0.00001 rate, 0.2 seconds, 5999 images`): a row an iteration", async () => {
  // Refused before ("not a training log this reader knows"): its Region lines, 12 of them an iteration, hid its iteration lines.
  const { file, text } = fixture('darknet-yolov3-voc-train.log');
  const lines = [...text.matchAll(/^(\d+): ([\d.]+), ([\d.]+) avg, ([\d.]+) rate, ([\d.]+) seconds, (\d+) images$/gm)];
  assert.equal(lines.length, 6000);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 6000, msgs(log));
  assert.deepEqual([roleOf(log, 'loss'), roleOf(log, 'avg_loss'), roleOf(log, 'lr')], ['loss', 'loss', 'lr']);
  for (const k of [0, 2999, 5999]) {
    const m = lines[k];
    assert.deepEqual([log.data.step[k], log.data.loss[k], log.data.avg_loss[k], log.data.lr[k]], [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  }
  // AlexeyAB's fork says `avg loss` and adds the hours left; a Region line is no row.
  const ab = parseLogText([' 1: 1570.418213, 1570.418213 avg loss, 0.000000 rate, 5.341045 seconds, 64 images, -1.000000 hours left', 'Region 82 Avg IOU: 0.3, Class: 0.5, Obj: 0.4, No Obj: 0.5, .5R: 0.0, .75R: 0.0,  count: 3', ' 2: 1500.1, 1563.4 avg loss, 0.000001 rate, 5.2 seconds, 128 images, 40.1 hours left', ''].join('\n'), 'train.log');
  assert.deepEqual(Array.from(ab.data.step), [1, 2]);
  assert.deepEqual(Array.from(ab.data.avg_loss), [1570.418213, 1563.4]);
  // The running average is what the fit opens on (a batch of one image's loss swings tenfold).
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.options.series, 'avg_loss');
});

test("RWKV-LM / RWKV-PEFT train_log.txt (real, 11 launches): a row per mini-epoch at its last step (epoch_steps from the launch's arguments), the last launch read, its end planned", async () => {
  // Refused before: `4 0.174805 1.1910 0.00001000 2025-05-30 18:13:28.730633 4` is no shape it knew.
  const file = path.join(FIXTURES, 'rwkv-peft-modbus', 'train_log.txt');
  const text = fs.readFileSync(file, 'utf8');
  const last = text.slice(text.lastIndexOf('NEW RUN '));
  const rows = [...last.matchAll(/^(\d+) ([\d.]+) [\d.]+ ([\d.]+) \S+ \S+ \d+$/gm)];
  const per = Number(/'epoch_steps': (\d+)/.exec(last)![1]);
  assert.equal(per, 100);
  const log = await parseLogFile(file);
  assert.equal(log.rows, rows.length);
  assert.deepEqual(Array.from(log.data.step), rows.map((m) => (Number(m[1]) + 1) * per));
  assert.deepEqual(Array.from(log.data.loss), rows.map((m) => Number(m[2])));
  assert.deepEqual(Array.from(log.data.lr), rows.map((m) => Number(m[3])));
  assert.equal(log.run?.plannedSteps?.steps, 500); // (epoch_begin 0 + epoch_count 5) × 100
  // A mini-epoch is no pass over the data: no epochs said.
  assert.equal(log.run?.epochsLogged, undefined);
  // Without its arguments (a log cut from its head): the mini-epoch + 1, said.
  const bare = parseLogText(rows.map((m) => m[0]).join('\n') + '\n', 'train_log.txt');
  assert.deepEqual(Array.from(bare.data.step), rows.map((m) => Number(m[1]) + 1));
  assert.ok(bare.problems.some((p) => /without its launch's arguments/.test(p.message)));
});

test('a PaddlePaddle loop of 14 launches appended (real): the last launch read, its "(total: N)" the planned end, its "train epoch" the epoch', async () => {
  const { file, text } = fixture('paddle-custom-ner-workerlog.0');
  const lines = text.split('\n');
  // The last launch: from the last line that starts the step count again.
  let start = -1;
  for (let i = 0; i < lines.length; i++) if (/^train epoch: 0 - step: 10 \(total: \d+\)/.test(lines[i])) start = i;
  const train = lines.slice(start).map((l) => /^train epoch: (\d+) - step: (\d+) \(total: (\d+)\) - loss: ([\d.]+)$/.exec(l)).filter((m) => m !== null);
  const total = Number(train[0]![3]);
  const log = await parseLogFile(file);
  assert.deepEqual(Array.from(log.data.step), train.map((m) => Number(m![2])));
  assert.deepEqual(Array.from(log.data.loss), train.map((m) => Number(m![4])));
  assert.equal(log.columns.find((c) => c.name === 'epoch')?.role, 'epoch');
  assert.equal(log.columns.find((c) => c.name === 'total'), undefined, 'no "total" column');
  assert.equal(log.run?.plannedSteps?.steps, total);
  assert.match(log.run!.plannedSteps!.source, new RegExp(`"step: N \\(total: ${total}\\)", line ${lines.lastIndexOf(train[train.length - 1]![0]) + 1}`));
  assert.equal(log.run?.epochsLogged?.count, Number(train[train.length - 1]![1]) + 1);
  assert.equal(log.stats.runStarts?.length, 13);
  // A launch logged at every step (total 81), then one logged every 10 steps with another total: a new
  // run, not a resume (its steps 1 to 9 had stayed under the later launches' rows).
  const every = lines.findIndex((l) => /^train epoch: 0 - step: 1 \(total: 81\)/.test(l));
  const next = lines.findIndex((l, i) => i > every && /^train epoch: 0 - step: 10 \(total: (?!81\))\d+\)/.test(l));
  const to = /\(total: (\d+)\)/.exec(lines[next])![1];
  assert.ok(every > 0 && next > every);
  assert.ok(log.problems.some((p) => p.message.startsWith(`paddle-custom-ner-workerlog.0:${next + 1}: a new run starts (its step lines' total goes from 81 to ${to} and its steps start again, at 10)`)), msgs(log));
  assert.ok(Array.from(log.data.step).every((v) => v >= 10));
});

test('a PaddleSeg workerlog of a 50-iteration run, then another resumed at iteration 10,010 of 50,000 (real): the second is a run of its own', async () => {
  const { file, text } = fixture('paddleseg-encnet-two-runs-workerlog.0');
  const lines = text.split('\n');
  const rows = lines.map((l, i) => ({ i, m: /\[TRAIN\] epoch: \d+, iter: (\d+)\/(\d+), loss: ([\d.]+)/.exec(l) })).filter((r) => r.m !== null);
  // The last run: from the first row whose total is the last row's and that follows a row of another total.
  const total = rows[rows.length - 1].m![2];
  let k = rows.length - 1;
  while (k > 0 && rows[k - 1].m![2] === total) k--;
  const last = rows.slice(k);
  assert.ok(Number(last[0].m![1]) > 2 * Number(rows[k - 1].m![2]), 'the second run starts past the first one\'s end');
  const log = await parseLogFile(file);
  assert.deepEqual(Array.from(log.data.step), last.map((r) => Number(r.m![1])));
  assert.deepEqual(Array.from(log.data.loss), last.map((r) => Number(r.m![3])));
  assert.equal(log.run?.plannedSteps?.steps, Number(total));
  assert.ok(log.problems.some((p) => p.message.startsWith(`paddleseg-encnet-two-runs-workerlog.0:${last[0].i + 1}: a new run starts (its step lines' total goes from ${rows[k - 1].m![2]} to ${total} and its steps jump from ${rows[k - 1].m![1]} to ${last[0].m![1]}, past that plan's end)`)), msgs(log));
});

test('a PaddleOCR workerlog that crashed before its first step (real): not a CSV, refused saying where its traceback ends', async () => {
  const { file, text } = fixture('paddleocr-det-crashed-workerlog.0');
  const lines = text.split('\n');
  // Its first line is a Python warning with a comma in it: it had been read as a CSV of 430 bad rows.
  assert.match(lines[0], /\.py:\d+: DeprecationWarning: .*,/);
  assert.notEqual(detectFormat('workerlog.0', text.slice(0, 256 * 1024)), 'csv');
  const tb = lines.lastIndexOf('Traceback (most recent call last):');
  const err = lines.findIndex((l, i) => i > tb && /^\w+Error/.test(l));
  await assert.rejects(parseLogFile(file), (e: Error) => {
    assert.match(e.message, new RegExp(`it holds a Python traceback ending in ${/^(\w+)/.exec(lines[err])![1]} \\(line ${err + 1}\\): the run may have stopped before it printed a metric`));
    return true;
  });
});

test("PaddleOCR's `train dataloader has N iters` with its `epoch: [1/1200], iter: …` counter: the planned end where no epoch was seen whole", () => {
  // The lines as a real PaddleOCR DB run printed them (ChenJie666/PaddleOCR_CarPlate, output/db_mv3/train.log).
  const lines = ['[2022/12/09 16:38:41] root INFO: train dataloader has 10000 iters', '[2022/12/09 16:38:41] root INFO: valid dataloader has 39999 iters'];
  for (let it = 10; it <= 300; it += 10) lines.push(`[2022/12/11 17:56:08] root INFO: epoch: [1/1200], iter: ${it}, lr: 0.001000, loss: ${(0.4 + 1 / it).toFixed(6)}, loss_shrink_maps: 0.165614, reader_cost: 0.00120 s, batch_cost: 0.40 s, samples: 80, ips: 19.9 samples/s, eta: 1 day`);
  const log = parseLogText(lines.join('\n'), 'train.log');
  assert.equal(log.rows, 30);
  assert.equal(log.run?.plannedSteps?.steps, 1200 * 10000);
  assert.match(log.run!.plannedSteps!.source, /"epoch N\/1200"\) × "train dataloader has 10000 iters" \(line 1\)/);
  assert.deepEqual([log.run?.epochsLogged?.count, log.run?.epochsLogged?.stepsPerPass], [1200, 10000]);
});

test('a PaddleClas run resumed at a later epoch with epochs of another length keeps the steps of the epochs before it', () => {
  // The shape of a real PaddleClas CaiT run (robinbg/PaddleClas output/train.log): 98 iterations an
  // epoch, resumed from epoch_237 at epoch 238 with 97 (one GPU fewer, or a dataset cut): its steps had
  // gone back to 237 × 97 and superseded the last epochs before the resume.
  const line = (e: number, it: number, per: number, loss: number) => `[2022/10/08 02:54:56] ppcls INFO: [Train][Epoch ${e}/400][Iter: ${it}/${per}]lr(LinearWarmup): 0.00036448, CELoss: ${loss}, loss: ${loss}, batch_cost: 0.51407s, reader_cost: 0.02860, ips: 248.99343 samples/s, eta: 2:12:00`;
  const lines: string[] = [];
  for (let e = 1; e <= 237; e++) for (const it of [0, 50]) lines.push(line(e, it, 98, 7 - e / 100));
  lines.push('[2022/10/08 04:07:12] ppcls INFO: Finish load checkpoints from output_/cait_xxs_24/epoch_237');
  for (let e = 238; e <= 240; e++) for (const it of [0, 50]) lines.push(line(e, it, 97, 4 - e / 1000));
  const log = parseLogText(lines.join('\n'), 'train.log');
  const step = Array.from(log.data.step);
  assert.equal(log.rows, lines.length - 1, 'no row superseded');
  assert.ok(step.every((s, i) => i === 0 || s > step[i - 1]), 'steps only go forward');
  assert.deepEqual(step.slice(-6), [237 * 98, 237 * 98 + 50, 237 * 98 + 97, 237 * 98 + 147, 237 * 98 + 194, 237 * 98 + 244]);
  assert.equal(log.run?.plannedSteps?.steps, 237 * 98 + 163 * 97 - 1);
  assert.match(log.run!.plannedSteps!.source, /23,226 steps before epoch 238, then 97 steps an epoch/);
});

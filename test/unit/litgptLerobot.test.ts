// Two real consoles (test/fixtures/SOURCES.md). LitGPT's `litgpt finetune lora` console: its pprint'ed
// arguments first (a dict over 42 lines: the file was read as a CSV for the dict's commas, and refused),
// then a line every iteration, `Epoch 1 | iter 10 step 5 | loss train: 1.524, val: n/a | iter time:
// 603.03 ms (step)` (the iteration had been taken as the step). LeRobot's `lerobot-train` console:
// `INFO 2026-06-12 10:53:24 ot_train.py:357 step:1K smpl:32K ep:101 epch:2.53 loss:1.226 …`, its step
// printed rounded from 1,000 on (3 rows of 249 were kept, and `ot_train.py` was a column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { LiveLog } from '../../src/core/logs/incremental';
import { bigNumber, LEROBOT_CKPT_RE, LEROBOT_END_RE, LEROBOT_EVAL_RE, LEROBOT_LINE_RE, LEROBOT_STEPS_RE, LITGPT_ARG_RE, LITGPT_FINAL_RE, LITGPT_LINE_RE, LITGPT_VAL_RE, textLineHasMetrics } from '../../src/core/logs/detect';
import { FIXTURES, rolesOf } from './fixtureUtil';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-litlerobot-');

const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** A log's every column, for comparing two reads. */
function columnsOf(log: ParsedLog): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const c of log.columns) out[c.name] = col(log, c.name).map((v) => (Number.isNaN(v) ? -999 : v));
  return out;
}

/** A file read as it grows (cut at `fractions` of its lines, the rest appended) equals the whole file read at once. */
async function liveEqualsWhole(name: string, text: string, fractions: number[]): Promise<void> {
  const file = path.join(tmp, name);
  const lines = text.split('\n');
  const cuts = fractions.map((f) => lines.slice(0, Math.floor(lines.length * f)).join('\n').length + 1);
  fs.writeFileSync(file, text.slice(0, cuts[0]));
  const live = new LiveLog(file);
  await live.read();
  for (let i = 1; i <= cuts.length; i++) {
    fs.appendFileSync(file, text.slice(cuts[i - 1], cuts[i] ?? text.length));
    const r = await live.read();
    const whole = await parseLogFile(file, { threads: 1 });
    assert.deepEqual(columnsOf(r.log), columnsOf(whole), `${name} after cut ${i}`);
    assert.deepEqual(r.log.run?.plannedSteps, whole.run?.plannedSteps);
    assert.deepEqual(r.log.problems.map((p) => p.message), whole.problems.map((p) => p.message));
  }
}

// ---------------------------------------------------------------------------------------------
// LitGPT

/** The `(step)` lines of a LitGPT console, as its text says them (independently of the reader). */
function litSteps(text: string): Array<{ line: number; iter: number; step: number; loss: number; epoch: number }> {
  const out: Array<{ line: number; iter: number; step: number; loss: number; epoch: number }> = [];
  text.split('\n').forEach((l, i) => {
    const m = /^Epoch (\d+) \| iter (\d+) step (\d+) \| loss train: ([\d.]+), .* \(step\)/.exec(l);
    if (m) out.push({ line: i + 1, epoch: +m[1], iter: +m[2], step: +m[3], loss: +m[4] });
  });
  return out;
}

test('LitGPT (real): the pprint dict first makes no CSV; a row per optimizer step, its "(step)" line, at its step not its iteration; the planned end from TrainArgs(max_steps)', async () => {
  const text = read('litgpt-finetune-lora-console.txt');
  // The first line opens the arguments' dict (its commas made the file a CSV before).
  assert.match(text.split('\n')[0], /^\{'checkpoint_dir': PosixPath\(/);
  assert.equal(detectFormat('litgpt-finetune-lora-console.txt', text), 'text');
  const lines = text.split('\n').filter((l) => /^Epoch \d+ \| iter \d+ step \d+ \|/.test(l));
  assert.equal(lines.length, 10);
  const marked = litSteps(text);
  assert.equal(marked.length, 5);
  const log = await parseLogFile(path.join(FIXTURES, 'litgpt-finetune-lora-console.txt'));
  assert.equal(log.format, 'text');
  assert.equal(log.rows, marked.length);
  assert.deepEqual(col(log, 'step'), marked.map((s) => s.step));
  assert.deepEqual(col(log, 'step'), [1, 2, 3, 4, 5]);
  // Not the iteration (two micro-batches a step: iterations 2, 4, … 10).
  assert.deepEqual(marked.map((s) => s.iter), [2, 4, 6, 8, 10]);
  assert.deepEqual(col(log, 'train_loss'), marked.map((s) => s.loss));
  assert.deepEqual(Array.from(log.lines), marked.map((s) => s.line));
  assert.deepEqual(rolesOf(log, ['step', 'train_loss', 'epoch', 'val_loss', 'iter']), { step: 'step', train_loss: 'loss', epoch: 'epoch', val_loss: undefined, iter: undefined });
  // `val: n/a` on every line: no validation, no column.
  assert.ok(!log.columns.some((c) => /val/.test(c.name)), log.columns.map((c) => c.name).join());
  // TrainArgs(… max_steps=5, …), its line 26 (`'train': TrainArgs(save_interval=800,`).
  assert.equal(text.split('\n')[25].trim(), "'train': TrainArgs(save_interval=800,");
  assert.deepEqual(log.run?.plannedSteps, { steps: 5, source: "LitGPT's TrainArgs(max_steps=5), line 26" });
  // The lines between steps are said once, not rows.
  assert.deepEqual(log.problems.map((p) => p.message), [
    'litgpt-finetune-lora-console.txt:59: LitGPT prints a line every log_interval iterations (micro-batches), the iteration that makes an optimizer step marked "(step)": a row is a step\'s "(step)" line, at its step (not its iteration), its loss the mean over that step\'s micro-batches. The lines between (line 59 the first) are not rows: their loss is a running mean over micro-batches of two steps',
  ]);
});

test('LitGPT (real, the step lines alone): the same rows, steps not iterations', async () => {
  const text = read('litgpt-finetune-lora-steps-only.txt');
  assert.equal(detectFormat('litgpt-finetune-lora-steps-only.txt', text), 'text');
  const log = parseLogText(text, 'litgpt-finetune-lora-steps-only.txt');
  const marked = litSteps(text);
  assert.equal(log.rows, 5);
  assert.deepEqual(col(log, 'step'), marked.map((s) => s.step));
  assert.deepEqual(col(log, 'train_loss'), marked.map((s) => s.loss));
  assert.ok(col(log, 'step').every((s, k) => s !== marked[k].iter));
  // No TrainArgs printed: no planned end.
  assert.equal(log.run?.plannedSteps, undefined);
});

interface LitOpts {
  accum: number; logInterval: number; evalInterval: number; itersPerEpoch: number; epochs: number;
  maxSteps?: number; initialVal?: number; valLines: boolean; finalVal?: number; pretrain?: boolean;
}
/**
 * A LitGPT console as its finetune loop (litgpt/finetune/lora.py `fit`) prints it, line for line, from
 * its f-strings: the dict's TrainArgs, a training line every `logInterval` iterations (`(step)` on the
 * iteration that makes an optimizer step), after each `evalInterval`-th step its validation line
 * (when `valLines`), the last validation's value on each later training line, the final evaluation.
 * Returns the text, the `(step)` lines' steps and losses, and each validation's step and value.
 */
function litConsole(o: LitOpts): { text: string; rows: Array<{ step: number; loss: number }>; vals: Array<{ step: number; val: number }> } {
  const out = [
    "{'checkpoint_dir': PosixPath('checkpoints/EleutherAI/pythia-14m'),",
    " 'devices': 1,",
    ` 'train': TrainArgs(save_interval=1000,`,
    `                    log_interval=${o.logInterval},`,
    `                    global_batch_size=${4 * o.accum},`,
    '                    micro_batch_size=4,',
    '                    lr_warmup_steps=3,',
    `                    epochs=${o.epochs},`,
    '                    max_tokens=None,',
    `                    max_steps=${o.maxSteps ?? 'None'},`,
    '                    min_lr=6e-05)}',
    'Seed set to 1337',
  ];
  const rows: Array<{ step: number; loss: number }> = [];
  const vals: Array<{ step: number; val: number }> = [];
  let val = o.initialVal === undefined ? 'n/a' : o.initialVal.toFixed(3);
  if (o.initialVal !== undefined) vals.push({ step: 0, val: Number(val) });
  let step = 0, iter = 0;
  while (step < (o.maxSteps ?? Infinity)) {
    iter++;
    const epoch = Math.floor((iter - 1) / o.itersPerEpoch);
    if (epoch >= o.epochs) break;
    const accumulating = iter % o.accum !== 0;
    if (!accumulating) step++;
    const loss = Number((0.5 + 2 / Math.sqrt(iter)).toFixed(3));
    if (iter % o.logInterval === 0) {
      out.push(`Epoch ${epoch + 1} | iter ${iter} step ${step} | loss train: ${loss.toFixed(3)}, val: ${val} | iter time: ${(100 + (iter % 7)).toFixed(2)} ms${accumulating ? '' : ' (step)'}${o.pretrain ? ` remaining time: 0:00:${String(iter % 60).padStart(2, '0')}` : ''}`);
      if (!accumulating) rows.push({ step, loss });
    }
    if (!accumulating && step % o.evalInterval === 0) {
      const v = 0.7 + 2 / Math.sqrt(iter) + (step % 3) * 1e-4;
      if (o.valLines) out.push(`iter ${iter}: val loss ${v.toFixed(4)}, val time: 812.50 ms`);
      vals.push({ step, val: Number((o.valLines ? v.toFixed(4) : v.toFixed(3))) });
      val = v.toFixed(3);
    }
  }
  if (o.finalVal !== undefined) {
    out.push(`Final evaluation | val loss: ${o.finalVal.toFixed(3)} | val ppl: ${Math.exp(o.finalVal).toFixed(3)}`);
    vals.push({ step, val: Number(o.finalVal.toFixed(3)) });
  }
  return { text: out.join('\n') + '\n', rows, vals };
}

/** The log's validations: each row's step and val_loss where it has one. */
const valsOf = (log: ParsedLog) => col(log, 'step').map((s, i) => ({ step: s, val: log.data.val_loss?.[i] ?? NaN })).filter((v) => Number.isFinite(v.val));

test('LitGPT (its print format): validations at their step, each once (not on every line after it); the final evaluation at the last step', () => {
  // Two micro-batches a step, a line every iteration, a validation every 4 steps and its line.
  const c = litConsole({ accum: 2, logInterval: 1, evalInterval: 4, itersPerEpoch: 1000, epochs: 1, maxSteps: 12, valLines: true, finalVal: 0.9 });
  assert.equal(c.vals.length, 4);
  // The value printed on the training lines after a validation (`val: 1.234`, 3 decimals of its 4).
  assert.ok((c.text.match(/val: \d/g) ?? []).length > 10);
  const log = parseLogText(c.text, 'lora.txt');
  assert.deepEqual(col(log, 'step'), c.rows.map((r) => r.step));
  assert.deepEqual(col(log, 'train_loss'), c.rows.map((r) => r.loss));
  // Each validation once, at its step; the final evaluation (a fuller one) at the last step, its value winning.
  const expect = c.vals.slice(0, -2).concat([c.vals[c.vals.length - 1]]);
  assert.deepEqual(valsOf(log), expect);
  assert.equal(log.columns.find((x) => x.name === 'val_loss')?.role, 'eval_loss');
  assert.deepEqual(log.run?.plannedSteps?.steps, 12);
  assert.ok(!log.problems.some((p) => /no line of its own/.test(p.message)), 'every validation had its own line');
});

test('LitGPT: a validation printed only on the training lines (the initial one; no validation lines) is held out once, at the last step before', () => {
  for (const accum of [1, 2, 3]) {
    const c = litConsole({ accum, logInterval: 1, evalInterval: 5, itersPerEpoch: 1000, epochs: 1, maxSteps: 20, initialVal: 2.5, valLines: false });
    const log = parseLogText(c.text, 'lora.txt');
    // Rows: the initial validation's at step 0, then a row per step.
    assert.deepEqual(col(log, 'step'), [0, ...c.rows.map((r) => r.step)], `accum ${accum}`);
    // 2.5 at step 0, then after steps 5, 10, 15 (step 20's is printed on no later line).
    assert.deepEqual(valsOf(log), c.vals.slice(0, -1), `accum ${accum}`);
    assert.equal(log.problems.filter((p) => /is a validation with no line of its own before it \(the initial validation/.test(p.message)).length, 1);
  }
});

test('LitGPT: the planned end from its epochs when they end before max_steps (the epoch boundary seen at log_interval=1); pretraining is not planned by TrainArgs', () => {
  // 30 iterations an epoch, 2 epochs, 4 iterations a step: the loop stops at iteration 60, after step 15.
  const c = litConsole({ accum: 4, logInterval: 1, evalInterval: 1000, itersPerEpoch: 30, epochs: 2, maxSteps: 500, valLines: true });
  const log = parseLogText(c.text, 'full.txt');
  assert.equal(col(log, 'step').at(-1), 15);
  assert.equal(log.run?.plannedSteps?.steps, 15);
  assert.match(log.run!.plannedSteps!.source, /TrainArgs\(epochs=2\), line 3, × 30 iterations an epoch \(epoch 2 starts at iteration 31\) ÷ 4 iterations a step \(sooner than its max_steps=500\)/);
  // Without max_steps, the epochs alone.
  const e = parseLogText(litConsole({ accum: 4, logInterval: 1, evalInterval: 1000, itersPerEpoch: 30, epochs: 3, valLines: true }).text, 'full.txt');
  assert.equal(e.run?.plannedSteps?.steps, 22);
  // log_interval 2: the boundary's iteration is not exact, no plan from the epochs.
  const li = parseLogText(litConsole({ accum: 4, logInterval: 2, evalInterval: 1000, itersPerEpoch: 30, epochs: 3, valLines: true }).text, 'full.txt');
  assert.equal(li.run?.plannedSteps, undefined);
  // Pretraining (`remaining time:` on its lines, every line a step's) ignores max_steps: no plan from it.
  const p = litConsole({ accum: 1, logInterval: 1, evalInterval: 1000, itersPerEpoch: 1000, epochs: 1, maxSteps: 9, valLines: true, pretrain: true });
  const pl = parseLogText(p.text, 'pretrain.txt');
  assert.deepEqual(col(pl, 'step'), p.rows.map((r) => r.step));
  assert.equal(pl.rows, 9);
  assert.equal(pl.run?.plannedSteps, undefined);
});

test('LitGPT: a log read as it grows equals the whole read', async () => {
  await liveEqualsWhole('litgpt-finetune-lora-console.txt', read('litgpt-finetune-lora-console.txt'), [0.84, 0.9, 0.95]);
  const c = litConsole({ accum: 2, logInterval: 1, evalInterval: 4, itersPerEpoch: 14, epochs: 3, initialVal: 3, valLines: true, finalVal: 0.9 });
  await liveEqualsWhole('lora-grow.txt', c.text, [0.3, 0.45, 0.6, 0.77]);
  const d = litConsole({ accum: 3, logInterval: 1, evalInterval: 4, itersPerEpoch: 14, epochs: 3, initialVal: 3, valLines: false });
  await liveEqualsWhole('lora-grow-echo.txt', d.text, [0.3, 0.45, 0.8]);
});

// ---------------------------------------------------------------------------------------------
// LeRobot

/** LeRobot's format_big_number at precision 0, written again for the test: Python rounds halves to even. */
function abbreviated(n: number): string {
  if (n < 1000) return String(n);
  const k = n / 1000;
  const f = Math.floor(k);
  return `${k - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(k)}K`;
}

/** The training lines of a LeRobot console (independently of the reader): the printed step, epoch and loss, and the line. */
function leRobotLines(text: string): Array<{ line: number; printed: string; epoch: number; loss: number; lr: number }> {
  const out: Array<{ line: number; printed: string; epoch: number; loss: number; lr: number }> = [];
  text.split('\n').forEach((l, i) => {
    const m = / step:(\S+) smpl:\S+ ep:\S+ epch:([\d.]+) loss:([\d.]+) grdn:[\d.]+ lr:(\S+) /.exec(l);
    if (m) out.push({ line: i + 1, printed: m[1], epoch: +m[2], loss: +m[3], lr: +m[4] });
  });
  return out;
}

test('LeRobot (real): every line a row at its exact step, rebuilt from the logging interval and checked against the printed step, epoch and checkpoints', async () => {
  const text = read('lerobot-act-train_log.txt');
  const lines = leRobotLines(text);
  assert.equal(lines.length, 249);
  // The steps printed exactly: 400, 600, 800; then `1K` three times (1,000, 1,200, 1,400) and so on.
  assert.deepEqual(lines.slice(0, 7).map((l) => l.printed), ['400', '600', '800', '1K', '1K', '1K', '2K']);
  const steps = lines.map((_, k) => 400 + 200 * k);
  // The steps every 200 agree with every printed step, and the epoch is proportional to them (to its 2 decimals).
  assert.deepEqual(lines.map((l, k) => abbreviated(steps[k])), lines.map((l) => l.printed));
  assert.deepEqual(steps.map((s) => bigNumber(s)), lines.map((l) => l.printed));
  const perStep = lines[lines.length - 1].epoch / steps[steps.length - 1];
  assert.ok(lines.every((l, k) => Math.abs(l.epoch - steps[k] * perStep) < 0.011), 'epoch ∝ step');
  // And each `Checkpoint policy after step N` comes right after the line of step N.
  const all = text.split('\n');
  const checkpoints = all.map((l, i) => ({ m: /Checkpoint policy after step (\d+)$/.exec(l), i })).filter((x) => x.m);
  assert.equal(checkpoints.length, 10);
  for (const c of checkpoints) assert.equal(steps[lines.findIndex((l) => l.line === c.i)], Number(c.m![1]), `line ${c.i + 1}`);

  assert.equal(detectFormat('lerobot-act-train_log.txt', text), 'text');
  const log = await parseLogFile(path.join(FIXTURES, 'lerobot-act-train_log.txt'));
  assert.equal(log.rows, lines.length);
  assert.deepEqual(col(log, 'step'), steps);
  assert.deepEqual(Array.from(log.lines), lines.map((l) => l.line));
  assert.deepEqual(col(log, 'loss'), lines.map((l) => l.loss));
  assert.deepEqual(col(log, 'lr'), lines.map((l) => l.lr));
  assert.deepEqual(rolesOf(log, ['step', 'loss', 'lr', 'epoch', 'samples', 'episodes', 'grad_norm', 'updt_s', 'data_s']), {
    step: 'step', loss: 'loss', lr: 'lr', epoch: 'epoch', samples: 'other', episodes: 'other', grad_norm: 'other', updt_s: 'other', data_s: 'other',
  });
  // The logging prefix is no metric (`ot_train.py:357` was a column).
  assert.ok(!log.columns.some((c) => /\.py|ot_train|INFO/.test(c.name)), log.columns.map((c) => c.name).join());
  // No problem but the one note that says how the steps were rebuilt; no checkpoint disagreed.
  assert.equal(log.problems.length, 1);
  assert.match(log.problems[0].message, /^lerobot-act-train_log\.txt:4: LeRobot prints its step rounded from 1,000 on \("step:1K", line 4\): each line's step is the one before plus the logging interval, 200 .* checked against the printed step and the printed epoch/);
  // The run ended ("End of training") after its last checkpoint, step 50,000: its planned end.
  assert.equal(log.run?.plannedSteps?.steps, 50000);
  assert.match(log.run!.plannedSteps!.source, /"End of training" \(line 260\) after "Checkpoint policy after step 50000" \(line 259\)/);
  assert.equal(log.run?.epochsLogged?.count, lines[lines.length - 1].epoch);
});

test('LeRobot: lines cut out are placed by their printed step and epoch, said; a line neither places is dropped, said; the rest keep their steps', () => {
  const text = read('lerobot-act-train_log.txt');
  const all = text.split('\n');
  const lines = leRobotLines(text);
  const stepOfLine = new Map(lines.map((l, k) => [l.line, 400 + 200 * k]));
  // Cut out the line of step 1,600 (its neighbours print 1K and 2K) and the three of 6,000 to 6,400 (all `6K`).
  const cut = new Set([lines[6].line, lines[28].line, lines[29].line, lines[30].line]);
  const kept = all.map((l, i) => ({ l, n: i + 1 })).filter((x) => !cut.has(x.n));
  const log = parseLogText(kept.map((x) => x.l).join('\n'), 'gap.txt');
  const expect = kept.filter((x) => stepOfLine.has(x.n)).map((x) => stepOfLine.get(x.n)!);
  assert.equal(log.rows, 245);
  assert.deepEqual(col(log, 'step'), expect);
  const gaps = log.problems.filter((p) => /placed at step/.test(p.message));
  assert.equal(gaps.length, 2);
  assert.match(gaps[0].message, /"step:2K … epch:4\.56" \(line 7\) is not step 1,600, the one after 1,400 .*: placed at step 1,800/);
  // A line whose printed step is wrong for where it is (an edit): dropped, said, its neighbours kept.
  const bad = all.slice();
  bad[lines[100].line - 1] = bad[lines[100].line - 1].replace(/step:\S+/, 'step:9K');
  const b = parseLogText(bad.join('\n'), 'bad.txt');
  assert.equal(b.rows, 248);
  assert.deepEqual(col(b, 'step'), lines.map((_, k) => 400 + 200 * k).filter((_, k) => k !== 100));
  assert.ok(b.problems.some((p) => /"step:9K" is not a step the logging interval \(200\) and the printed epoch/.test(p.message)), JSON.stringify(b.problems));
});

test('LeRobot: no steps printed exactly (a log that starts past 1,000): the printed value is the step, said to be rounded, repeats dropped', () => {
  const all = read('lerobot-act-train_log.txt').split('\n');
  const from1k = all.slice(3, 40).join('\n');
  const lines = leRobotLines(from1k);
  const log = parseLogText(from1k, 'tail.txt');
  // One row per distinct printed value, at it (1K → 1,000 …), in order.
  const distinct = [...new Set(lines.map((l) => l.printed))];
  assert.deepEqual(col(log, 'step'), distinct.map((p) => Number(p.slice(0, -1)) * 1000));
  assert.ok(log.problems.some((p) => /no two steps printed exactly before it give the logging interval: each row's step is the printed value, rounded to ±500/.test(p.message)));
  assert.equal(log.stats.dropped, lines.length - distinct.length);
});

/** A LeRobot config as its train script logs it first (Python's pprint of an ACT policy's TrainPipelineConfig, shortened). */
const LEROBOT_CONFIG = [
  "INFO 2026-06-12 10:40:00 ot_train.py:421 {'batch_size': 32,",
  " 'checkpoint_path': None,",
  " 'dataset': {'episodes': None,",
  "             'image_transforms': {'enable': False,",
  "                                  'max_num_transforms': 3,",
  "                                  'random_order': False},",
  "             'repo_id': 'AdamAxelrod/space_mouse',",
  "             'revision': None,",
  "             'root': None,",
  "             'use_imagenet_stats': True,",
  "             'video_backend': 'torchcodec'},",
  " 'env': None,",
  " 'eval': {'batch_size': 50, 'n_episodes': 50, 'use_async_envs': False},",
  " 'eval_freq': 20000,",
  " 'job_name': 'act',",
  " 'log_freq': 200,",
  " 'num_workers': 4,",
  " 'optimizer': {'betas': (0.9, 0.999),",
  "               'eps': 1e-08,",
  "               'grad_clip_norm': 10.0,",
  "               'lr': 1e-05,",
  "               'type': 'adamw',",
  "               'weight_decay': 0.0001},",
  " 'output_dir': 'outputs/train/act',",
  " 'policy': {'chunk_size': 100,",
  "            'dim_feedforward': 3200,",
  "            'dim_model': 512,",
  "            'dropout': 0.1,",
  "            'kl_weight': 10.0,",
  "            'n_action_steps': 100,",
  "            'n_decoder_layers': 1,",
  "            'n_encoder_layers': 4,",
  "            'n_heads': 8,",
  "            'type': 'act',",
  "            'use_vae': True,",
  "            'vision_backbone': 'resnet18'},",
  " 'resume': False,",
  " 'save_checkpoint': True,",
  " 'save_freq': 5000,",
  " 'scheduler': None,",
  " 'seed': 42,",
  " 'steps': 50000,",
  " 'use_policy_training_preset': True,",
  " 'wandb': {'enable': False, 'project': 'lerobot'}}",
];

test('LeRobot: its config printed first (the planned steps), its logging prefix on the config line is no CSV; an evaluation line held out', () => {
  const real = read('lerobot-act-train_log.txt').split('\n');
  // (Its 44 lines, as lerobot_train.py logs `pformat(cfg.to_dict())`: a comma a line, which made the file a CSV.)
  const withConfig = [...LEROBOT_CONFIG, 'INFO 2026-06-12 10:40:01 ot_train.py:443 Creating dataset', ...real].join('\n');
  assert.equal(detectFormat('train.log', withConfig), 'text');
  const a = parseLogText(withConfig, 'train.log');
  assert.equal(a.rows, 249);
  assert.deepEqual(a.run?.plannedSteps, { steps: 50000, source: "LeRobot's config 'steps': 50000 (line 42)" });
  // `cfg.steps=N (…)`, as lerobot_train.py prints it, says it too.
  const b = parseLogText(['INFO 2026-06-12 10:40:30 ot_train.py:611 cfg.steps=70000 (70K)', ...real].join('\n'), 'train.log');
  assert.equal(b.run?.plannedSteps?.steps, 70000);
  // An evaluation on the held-out split (LeRobot 2026: `step 400: eval_loss=0.1234`), after the step's line: at that step.
  const ev = real.slice(0, 3).concat(['INFO 2026-06-12 10:57:04 ot_train.py:803 step 800: eval_loss=1.5432'], real.slice(3, 10));
  const e = parseLogText(ev.join('\n'), 'train.log');
  assert.equal(e.rows, 10);
  assert.deepEqual(valsOfEval(e), [{ step: 800, v: 1.5432 }]);
  assert.equal(e.columns.find((c) => c.name === 'eval_loss')?.role, 'eval_loss');
  assert.ok(!e.problems.some((p) => /does not follow/.test(p.message)));
  // A checkpoint that disagrees with the rebuilt step: said.
  const ck = real.slice(0, 10).concat(['INFO 2026-06-12 11:35:18 ot_train.py:367 Checkpoint policy after step 4000']);
  assert.ok(parseLogText(ck.join('\n'), 'train.log').problems.some((p) => /step 4,000 of its checkpoint .* does not follow the step 2,200/.test(p.message)));
});
const valsOfEval = (log: ParsedLog) => col(log, 'step').map((s, i) => ({ step: s, v: log.data.eval_loss?.[i] ?? NaN })).filter((x) => Number.isFinite(x.v));

test('LeRobot: a log read as it grows equals the whole read', async () => {
  const text = read('lerobot-act-train_log.txt');
  await liveEqualsWhole('lerobot-grow.txt', text, [0.005, 0.2, 0.51, 0.97]);
  const all = text.split('\n');
  await liveEqualsWhole('lerobot-gap-grow.txt', all.filter((_, i) => i !== 6 && i !== 28).join('\n'), [0.02, 0.1, 0.5]);
});

test('LeRobot: hostile keys on its lines do no harm', () => {
  const line = (s: number, extra: string) => `INFO 2026-06-12 10:53:24 ot_train.py:357 step:${s} smpl:1K ep:4 epch:0.0${s / 200} loss:2.2 ${extra} lr:1.0e-05`;
  const log = parseLogText([line(200, '__proto__:1 constructor:2'), line(400, 'hasOwnProperty:3 toString:4'), line(600, 'x:1')].join('\n'), 'h.txt');
  assert.equal(log.rows, 3);
  assert.deepEqual(col(log, 'loss'), [2.2, 2.2, 2.2]);
  assert.deepEqual(col(log, 'step'), [200, 400, 600]);
  assert.equal(({} as Record<string, unknown>).constructor, Object);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'x'), false);
});

// ---------------------------------------------------------------------------------------------
// Linear time

test('the new line patterns take time linear in the line', () => {
  const res = [LITGPT_LINE_RE, LITGPT_VAL_RE, LITGPT_FINAL_RE, LEROBOT_LINE_RE, LEROBOT_EVAL_RE, LEROBOT_CKPT_RE, LEROBOT_END_RE, LEROBOT_STEPS_RE];
  const hostile = [
    (n: number) => 'Epoch 1 | iter 1 step 1 | loss train: ' + '1'.repeat(n),
    (n: number) => 'Epoch 1 | iter 1 step 1 | loss train: 1.0, val: n/a | iter time: 1.00 ms (step) remaining time: ' + ' '.repeat(n) + 'x',
    (n: number) => 'iter 1: val loss ' + '9'.repeat(n),
    (n: number) => 'INFO 2026-06-12 10:53:24 ' + ' '.repeat(n),
    (n: number) => 'INFO 2026-06-12 10:53:24 ot_train.py:357 step:1K smpl:1 ep:1 epch:1.00 ' + 'loss:1 '.repeat(n / 7),
    (n: number) => 'step:' + '1'.repeat(n),
    (n: number) => 'INFO [PID: 1] 2026-06-12 10:53:24 ' + 'x'.repeat(n),
  ];
  for (const h of hostile) {
    assertLinear('regexes', (size) => { const s = h(size); for (const re of res) re.test(s); LITGPT_ARG_RE.lastIndex = 0; while (LITGPT_ARG_RE.exec(s)); textLineHasMetrics(s); }, 20000);
  }
  // The readers on many lines and on one long one.
  assertLinear('LeRobot reader', (size) => {
    const lines: string[] = [];
    for (let k = 1; k <= size; k++) lines.push(`INFO 2026-06-12 10:53:24 ot_train.py:357 step:${bigNumber(200 * k)} smpl:1K ep:4 epch:${(k * 0.5).toFixed(2)} loss:2.2 lr:1.0e-05`);
    parseLogText(lines.join('\n'), 'many.txt');
  }, 2000);
  assertLinear('LitGPT TrainArgs', (size) => {
    parseLogText(['Epoch 1 | iter 2 step 1 | loss train: 1.000, val: n/a | iter time: 1.00 ms (step)', 'Epoch 1 | iter 4 step 2 | loss train: 1.000, val: n/a | iter time: 1.00 ms (step)', "{'train': TrainArgs(" + 'a_b=1, '.repeat(size), 'a=1, '.repeat(size)].join('\n'), 'args.txt');
  }, 5000);
});

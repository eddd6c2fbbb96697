// Issue 15, second pass: what a log says about its own plan (trainer_state.json max_steps and
// num_train_epochs), a prefix fit that knows the LR only up to its cut, and the start of a cosine
// decay told from a straight line. Real fixtures where the case is real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { KEY_LINE_RE, plannedEndOfLog, plannedEpochsOfLog, plannedSchedule, scheduleForLog, scheduleFromConfigText, scheduleFromLog } from '../../src/core/fit/schedule';
import { assertLinear } from './hostileUtil';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { fitRunCurve } from '../../src/core/fit';
import { tmpDir } from './tmpUtil';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const tmp = tmpDir('sl-plan-');

/** The real HF fixture as a checkpoint written mid-run: log_history up to `untilStep`, top level edited. */
function midRun(untilStep: number, edit: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(fs.readFileSync(path.join(FIX, 'hf_trainer_state.json'), 'utf8')) as Record<string, unknown> & { log_history: Array<Record<string, number>> };
  doc.log_history = doc.log_history.filter((e) => e.step <= untilStep);
  const last = doc.log_history[doc.log_history.length - 1];
  doc.global_step = last.step;
  doc.epoch = last.epoch;
  edit(doc);
  const dir = fs.mkdtempSync(path.join(tmp, 'checkpoint-'));
  const file = path.join(dir, 'trainer_state.json');
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

test('trainer_state.json: max_steps at the end of the file is the planned end, kept with the log', async () => {
  const log = await parseLogFile(path.join(FIX, 'hf_trainer_state.json'));
  const plan = new Map(log.run?.params);
  assert.equal(plan.get('max_steps'), '12030');
  assert.equal(plan.get('num_train_epochs'), '30');
  assert.deepEqual(plannedEndOfLog(log)?.steps, 12030);
  // The LR column known only to step 3,609 (constant so far): the end is still the planned one.
  const { schedule } = scheduleForLog(log, [], { lrUntil: 3609 });
  assert.equal(schedule?.total, 12030);
  assert.equal(schedule?.plannedEnd, 12030);
  assert.match(schedule!.source, /max_steps = 12030 in trainer_state\.json/);
  // Without the plan, a constant LR so far ends where the log does.
  const { schedule: bare } = scheduleForLog({ ...log, run: undefined }, [], { lrUntil: 3609 });
  assert.equal(bare?.total, 3609);
});

test('a checkpoint written mid-run is extrapolated to its max_steps, not to 10× its last step', async () => {
  const file = midRun(4010, () => {});
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as { prediction: { step: number }; trust: { reasons: string[] } };
  assert.equal(j.prediction.step, 12030);
  assert.ok(j.trust.reasons.some((r) => /planned end, step 12030, is; the LR's shape is not/.test(r)), j.trust.reasons.join('\n'));
  // 30 epochs of a small fine-tuning set: the curve is memorisation, and the verdict says so.
  assert.ok(j.trust.reasons.some((r) => /makes 30 passes over its data \(num_train_epochs = 30 in trainer_state\.json\)/.test(r)), j.trust.reasons.join('\n'));
});

test('a run that ended before its next log line was due is not "LR after the last logged step not known"', async () => {
  // Logged every 401 steps up to 4,010; max_steps 4,012 (an HF run whose last steps fall between two
  // log lines): the two steps left cannot change the LR enough to matter, so the LR is not "unknown".
  const ended = await analyzeFile(midRun(4010, (d) => { d.max_steps = 4012; }), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const e = fitToJson(ended.state) as { prediction: { step: number }; trust: { reasons: string[] } };
  assert.equal(e.prediction.step, 4012);
  assert.ok(!e.trust.reasons.some((r) => /is not known/.test(r)), e.trust.reasons.join('\n'));
  // A planned end past the next log line (4,500 > 4,010 + 401) is still a future the log does not give.
  const more = await analyzeFile(midRun(4010, (d) => { d.max_steps = 4500; }), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const m = fitToJson(more.state) as { trust: { reasons: string[] } };
  assert.ok(m.trust.reasons.some((r) => /LR after step 4010 is not known \(the run's planned end, step 4500, is/.test(r)), m.trust.reasons.join('\n'));
});

test('without max_steps, num_train_epochs × steps per epoch (global_step / epoch) is the planned end', async () => {
  const file = midRun(4010, (doc) => { delete doc.max_steps; });
  const log = await parseLogFile(file);
  const end = plannedEndOfLog(log);
  assert.equal(end?.steps, 12030); // 30 epochs × 401 steps
  assert.match(end!.source, /num_train_epochs = 30/);
});

test("TrainingArguments beside a real trainer_state.json with the Trainer's max_steps: -1: num_train_epochs over the state's max_steps plans the LR", async () => {
  // The real state: max_steps 12030 (30 epochs), its LR logged constant; the arguments as the Trainer
  // writes them when max_steps was not set (-1, its default).
  const dir = fs.mkdtempSync(path.join(tmp, 'hf-args-'));
  fs.copyFileSync(path.join(FIX, 'hf_trainer_state.json'), path.join(dir, 'trainer_state.json'));
  fs.writeFileSync(path.join(dir, 'training_args.yaml'), 'learning_rate: 2.0e-5\nlr_scheduler_type: constant\nmax_steps: -1\nnum_train_epochs: 30\n');
  const j = fitToJson((await analyzeFile(path.join(dir, 'trainer_state.json'), { ...DEFAULT_ANALYZE_OPTIONS, fitUntil: 0.5, bootstrap: 0 })).state) as unknown as { schedule?: { source: string; kind: string; total: number; futureKnown?: boolean } };
  assert.equal(j.schedule?.kind, 'constant');
  assert.equal(j.schedule?.total, 12030);
  assert.equal(j.schedule?.futureKnown, true);
  assert.match(j.schedule!.source, /then as planned \(training_args\.yaml: max_steps=-1 \(line 3\), so num_train_epochs=30 \(line 4\): 12030 steps, as max_steps = 12030 in trainer_state\.json says, lr_scheduler_type=constant\)/);
});

test('--fit-until: the schedule knows the LR only up to the cut (the real CPT state, linear decay)', async () => {
  const file = path.join(FIX, 'jaong_cpt_trainer_state.json');
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, useConfigs: false, fitUntil: 0.5 });
  const src = a.state.fit?.schedule?.source ?? '';
  assert.match(src, /5 values, steps 500–2500/, src);
  // The decay seen so far, continued, still ends at the state's max_steps.
  assert.equal(a.state.fit?.schedule?.total, 5490);
  const full = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, useConfigs: false });
  assert.match(full.state.fit?.schedule?.source ?? '', /10 values, steps 500–5000/);
});

test('the start of a cosine decay is told from a straight line (its end continued near the true one)', () => {
  const plan = { totalSteps: 10000, warmupSteps: 500, decay: 'cosine' as const, minRatio: 0, source: 'synthetic' };
  const sched = plannedSchedule(plan);
  const steps: number[] = [], lrs: number[] = [];
  for (let s = 0; s <= 3000; s += 50) { steps.push(s); lrs.push(3e-4 * sched.lr[s]); }
  const s = scheduleFromLog(steps, lrs)!;
  assert.equal(s.kind, 'cosine');
  assert.ok(Math.abs(s.total - 10000) < 300, `end ${s.total}`);
  // A linear decay is still linear.
  const lin = plannedSchedule({ ...plan, decay: 'linear' });
  const l = scheduleFromLog(steps, steps.map((x) => 3e-4 * lin.lr[x]))!;
  assert.equal(l.kind, 'linear');
  assert.ok(Math.abs(l.total - 10000) < 50, `end ${l.total}`);
});

test('real W&B pre-training run (TinyLM): from its first 30%, the LR is read as a cosine decay ending near the real last step', async () => {
  const run = path.join(tmp, 'wandb', 'run-20260211_121423-kj3gdsjx');
  fs.mkdirSync(path.join(run, 'files'), { recursive: true });
  fs.writeFileSync(path.join(run, 'run-kj3gdsjx.wandb'), zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'wandb-tinylm-run', 'run-kj3gdsjx.wandb.gz'))));
  for (const f of ['config.yaml', 'wandb-summary.json']) fs.copyFileSync(path.join(FIX, 'wandb-tinylm-run', 'files', f), path.join(run, 'files', f));
  const log = await parseLogFile(run);
  const step = log.data.step;
  const last = step[step.length - 1];
  const { schedule } = scheduleForLog(log, [], { lrUntil: 0.3 * last });
  assert.equal(schedule?.kind, 'cosine');
  assert.ok(Math.abs(schedule!.total - last) / last < 0.1, `end ${schedule?.total} vs ${last}`);
  assert.ok(schedule!.warmup > 0);
  // One pass over its data (epochs: 1 in the W&B config): no repeated-data caveat.
  assert.equal(plannedEpochsOfLog(log)?.count, 1);
});

test('a log that ends inside its LR warm-up (detectron2: 1,000 warm-up iterations, a 300-iteration run) says so, not "0 usable after warm-up"', async () => {
  const rows = [];
  for (let it = 19; it < 300; it += 20) rows.push(JSON.stringify({ iteration: it, total_loss: 2.6 - it / 200, lr: 2.5e-4 * (it + 1) / 1000 }));
  const file = path.join(tmp, 'metrics.json');
  fs.writeFileSync(file, rows.join('\n') + '\n');
  const { state } = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.match(state.fitError ?? '', /the log ends inside its LR warm-up: 0 points of 15 after it \(the LR still rises at the log's last step, 299\)/);
  // Past its warm-up (the LR flat from iteration 100 on), it is fitted.
  const flat = rows.map((r) => JSON.parse(r) as { iteration: number; lr: number }).map((r) => JSON.stringify({ ...r, lr: Math.min(r.lr, 2.5e-5) }));
  fs.writeFileSync(file, flat.join('\n') + '\n');
  const later = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(later.state.fitError, undefined, later.state.fitError);
});

test('num_train_epochs = sys.maxsize (the Trainer\'s "no epoch limit" when max_steps ends a run over a dataset without a length) is not 9.2e18 passes', () => {
  const lines = [`{"global_step": 200, "max_steps": 200, "num_train_epochs": 9223372036854775807, "epoch": 4.01, "log_history": [`,
    [50, 100, 150, 200].map((s) => `{"step": ${s}, "epoch": ${s / 1000}, "loss": ${2 - s / 400}, "learning_rate": 3e-6}`).join(',\n'), ']}'];
  const log = parseLogText(lines.join('\n'), 'trainer_state.json');
  assert.equal(log.format, 'trainer_state');
  assert.equal(plannedEpochsOfLog(log), undefined);
  const limited = parseLogText(lines.join('\n').replace('9223372036854775807', '3'), 'trainer_state.json');
  assert.equal(plannedEpochsOfLog(limited)?.count, 3);
});

test('"Skip first %" with a known schedule: the warm-up by default (and said so), the larger skip when the user asks', async () => {
  const plan = { totalSteps: 6000, warmupSteps: 300, decay: 'cosine' as const, minRatio: 0.1, source: 'synthetic' };
  const sched = plannedSchedule(plan);
  const steps: number[] = [], loss: number[] = [];
  for (let s = 20; s <= 6000; s += 20) { steps.push(s); loss.push(2.5 + 3 * Math.pow(s, -0.4) + 0.2 * sched.lr[s]); }
  const base = { xKind: 'step' as const, steps, schedule: sched, bootstrap: 0, runLaw: 'power' as const, skipFraction: 0.2 };
  const warm = fitRunCurve(steps, loss, base);
  assert.equal(warm.n, steps.filter((s) => s > 300).length);
  assert.ok(warm.messages.some((m) => /"skip first 20%" not applied: the LR schedule's warm-up is skipped instead/.test(m)), warm.messages.join('\n'));
  const asked = fitRunCurve(steps, loss, { ...base, skipOverSchedule: true });
  assert.equal(asked.n, steps.length - Math.floor(0.2 * steps.length));
  assert.ok(asked.messages.some((m) => /skipped the first 20% of the points as asked/.test(m)), asked.messages.join('\n'));
  // Less than the warm-up: the warm-up still wins.
  const small = fitRunCurve(steps, loss, { ...base, skipFraction: 0.02, skipOverSchedule: true });
  assert.equal(small.n, warm.n);
  // Through the one pipeline: the panel's field sets skipOverSchedule, the CLI's --skip counts as asked.
  const file = path.join(FIX, 'jaong_cpt_trainer_state.json');
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, useConfigs: false, warmupPercent: 30, runLaw: 'power' });
  const b = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, useConfigs: false, warmupPercent: 30, runLaw: 'power', skipOverSchedule: true });
  const c = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, useConfigs: false, warmupPercent: 30, runLaw: 'power' }, { explicit: new Set(['warmupPercent']) });
  // (A 10-epoch run: over repeated data the skip applies past the warm-up unasked; 0 keeps the warm-up only.)
  const d = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, useConfigs: false, warmupPercent: 0, runLaw: 'power' });
  assert.equal(d.state.fit?.n, 9); // 10 losses, the first logged one left out
  assert.equal(a.state.fit?.n, 7); // the first 30% (3 points)
  assert.equal(b.state.fit?.n, 7);
  assert.equal(c.state.fit?.n, 7);
});

test('real TRL fine-tune state (TinyLlama LoRA): num_tokens is the token count, mean_token_accuracy is not; 2 epochs said', async () => {
  const file = path.join(FIX, 'tinyllama_lora_trainer_state.json');
  const log = await parseLogFile(file);
  const role = new Map(log.columns.map((c) => [c.name, c.role]));
  assert.equal(role.get('num_tokens'), 'tokens');
  assert.equal(role.get('mean_token_accuracy'), 'other');
  assert.equal(plannedEndOfLog(log)?.steps, 2808);
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 });
  assert.equal(a.state.options.xKind, 'tokens');
  const j = fitToJson(a.state) as { trust: { reasons: string[] } };
  assert.ok(j.trust.reasons.some((r) => /makes 2 passes over its data/.test(r)), j.trust.reasons.join('\n'));
  // The fitted range (steps 75–1400 after the warm-up) spans about 18× in tokens, not a ratio of accuracies.
  assert.ok(!j.trust.reasons.some((r) => /spans only/.test(r)), j.trust.reasons.join('\n'));
});

test('a text log\'s step lines state its planned end (`step N/21400`): a real nanochat run read half-way is predicted at its last planned step, not only fitted where it stopped', async () => {
  // The first 11,000 lines of the real nanochat d20 log, as a run still training would have them.
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'nanochat-d20-base-train.log.gz'))).toString('utf8').split('\n');
  const file = path.join(tmp, 'nanochat-half.log');
  fs.writeFileSync(file, lines.slice(0, 11000).join('\n') + '\n');
  const log = await parseLogFile(file);
  // nanochat counts its steps from 0 (`step 00000/21400` … `step 21399/21400`): the last is 21,399.
  assert.deepEqual(plannedEndOfLog(log), { steps: 21399, source: 'the log\'s step lines ("step N/21400", line 11000; counted from 0, so the last is step 21399)' });
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as {
    prediction: { step: number; loss: number; lo: number; hi: number; inSample?: boolean }; schedule: { source: string; total: number }; trust: { reasons: string[] };
  };
  assert.equal(j.prediction.step, 21399);
  assert.equal(j.prediction.inSample, undefined);
  assert.equal(j.schedule.total, 21399);
  assert.match(j.schedule.source, /planned end step 21399 \(the log's step lines/);
  // The end is known, its LR is not (the warm-down is not in the log yet): said, not guessed.
  assert.ok(j.trust.reasons.some((r) => /the LR after step \d+ is not known \(the run's planned end, step 21399, is; the LR's shape is not\)/.test(r)), j.trust.reasons.join('\n'));
  // The run's real end (the mean of its last 25 logged losses, from the whole log) is inside the band.
  const losses = lines.map((l) => /^step (\d+)\/21400 .*\| loss: ([\d.]+) /.exec(l)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[2]));
  const end = losses.slice(-25).reduce((a, b) => a + b, 0) / 25;
  assert.ok(j.prediction.lo <= end && end <= j.prediction.hi, `band [${j.prediction.lo}, ${j.prediction.hi}] against ${end}`);
});

test('Megatron-style `iteration 100/ 2000` lines give the planned end too; a log without totals gives none', async () => {
  const row = (it: number) => ` iteration     ${it}/    2000 | consumed samples:  ${it * 8} | learning rate: 3.000E-04 | lm loss: ${(2 + 8 * it ** -0.3).toExponential(6)} |`;
  const file = path.join(tmp, 'megatron.log');
  fs.writeFileSync(file, Array.from({ length: 50 }, (_, i) => row(10 * (i + 1))).join('\n') + '\n');
  const log = await parseLogFile(file);
  assert.deepEqual(plannedEndOfLog(log), { steps: 2000, source: 'the log\'s step lines ("iteration N/2000", line 50)' });
  const plain = path.join(tmp, 'plain.log');
  fs.writeFileSync(plain, Array.from({ length: 50 }, (_, i) => `step ${10 * (i + 1)} | loss ${(3 - i / 100).toFixed(4)}`).join('\n') + '\n');
  assert.equal(plannedEndOfLog(await parseLogFile(plain)), undefined);
});

test('without an LR schedule, a run whose log states its planned end is predicted there, not at 10× its last step (said so)', async () => {
  const line = (s: number) => `step ${s}/5000 | loss ${(2 + 8 * s ** -0.3 + 0.004 * Math.sin(s)).toFixed(4)} | dt 100ms`;
  const file = path.join(tmp, 'no-lr-half.log');
  fs.writeFileSync(file, Array.from({ length: 250 }, (_, i) => line(10 * (i + 1))).join('\n') + '\n');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { prediction: { tokens: number; step?: number }; schedule?: unknown; messages: string[] };
  assert.equal(j.schedule, undefined);
  assert.equal(j.prediction.tokens, 5000);
  assert.ok(j.messages.some((m) => m.startsWith('no LR schedule known: predicted at the run\'s planned end, step 5000 (the log\'s step lines ("step N/5000", line 250))')), j.messages.join('\n'));
  // The same log without the totals: 10× the last step, as before.
  const plain = path.join(tmp, 'no-lr-half-plain.log');
  fs.writeFileSync(plain, fs.readFileSync(file, 'utf8').replace(/\/5000/g, ''));
  const k = fitToJson((await analyzeFile(plain, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { prediction: { tokens: number } };
  assert.equal(k.prediction.tokens, 25000);
});

test('Megatron lines behind a timestamp and a launcher\'s rank tag are read (the first line starting with `[` is not taken for JSON)', async () => {
  // The line as Megatron-LM's training_log prints it, behind the prefixes seen in public logs: a
  // timestamp, torchrun's `[default0]: `, a rank number, `[rank0]: `.
  const body = (it: number) => `iteration ${String(it).padStart(8)}/    5000 | consumed samples: ${String(32 * it).padStart(12)} | elapsed time per iteration (ms): 438.3 | learning rate: 3.000000E-04 | global batch size:    32 | lm loss: ${(2 + 9 * it ** -0.3).toExponential(6).toUpperCase()} | loss scale: 1.0 | grad norm: 1.095 | number of skipped iterations:   0 | number of nan iterations:   0 |`;
  for (const [name, prefix] of [
    ['timestamp', ' [2025-08-01 07:19:37] '],
    ['torchrun tag', '[default0]: [2026-09-11 12:06:52.987995] '],
    ['rank number', '7: [2026-07-15 10:00:00] '],
    ['rank tag', '[rank0]: '],
  ] as const) {
    const file = path.join(tmp, `megatron-${name.replace(/ /g, '-')}.log`);
    fs.writeFileSync(file, Array.from({ length: 40 }, (_, i) => prefix + body(i + 1)).join('\n') + '\n');
    const log = await parseLogFile(file);
    assert.equal(log.format, 'text', name);
    assert.deepEqual(Array.from(log.data['step']).slice(0, 3), [1, 2, 3], name);
    assert.equal(log.data['lm_loss'][39], Number((2 + 9 * 40 ** -0.3).toExponential(6)), name);
    assert.equal(plannedEndOfLog(log)?.steps, 5000, name);
  }
  // A JSON array document still is not a text log.
  const json = path.join(tmp, 'array.log');
  fs.writeFileSync(json, '[{"step": 1, "loss": 2.5}, {"step": 2, "loss": 2.4}]\n');
  await assert.rejects(parseLogFile(json));
});

test('an LR column constant so far with no stated end: extrapolated to 10× the last step (the run may go on), the held LR said; a stated end is the target instead', async () => {
  const row = (s: number) => JSON.stringify({ step: s, loss: Number((2 + 8 * s ** -0.3 + 0.003 * Math.sin(s)).toFixed(5)), lr: 3e-4 });
  const file = path.join(tmp, 'constant-lr.jsonl');
  fs.writeFileSync(file, Array.from({ length: 100 }, (_, i) => row(10 * (i + 1))).join('\n') + '\n');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { prediction: { step: number; inSample?: boolean }; messages: string[]; trust: { supported: boolean; reasons: string[] } };
  assert.equal(j.prediction.step, 10000);
  assert.equal(j.prediction.inSample, undefined);
  assert.ok(j.messages.some((m) => m.startsWith('the end of training is not stated (the LR column alone, constant so far;')), j.messages.join('\n'));
  assert.ok(j.trust.reasons.some((r) => /the LR after step 1000 is not known/.test(r)), j.trust.reasons.join('\n'));
  // The same run with its end stated in a config beside it: predicted there, no 10×.
  const dir = fs.mkdtempSync(path.join(tmp, 'stated-'));
  fs.copyFileSync(file, path.join(dir, 'train_log.jsonl'));
  fs.writeFileSync(path.join(dir, 'config.yaml'), 'max_steps: 3000\nlr_scheduler_type: constant\nwarmup_steps: 0\n');
  const k = fitToJson((await analyzeFile(path.join(dir, 'train_log.jsonl'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { prediction: { step: number }; messages: string[] };
  assert.equal(k.prediction.step, 3000);
  assert.ok(!k.messages.some((m) => m.startsWith('the end of training is not stated')));
});

test('an argument dump printed on one line plans the schedule: argparse Namespace(…) and hydra\'s dict (fairseq)', () => {
  // fairseq's Namespace, long enough (> 400 characters) not to be read as `key: value` lines.
  const pad = Array.from({ length: 40 }, (_, i) => `option_${i}=None`).join(', ');
  const ns = `2024-05-30 16:58:44 | INFO | fairseq_cli.train | Namespace(${pad}, lr=[0.0005], lr_scheduler='inverse_sqrt', max_update=100000, min_lr=-1.0, warmup_updates=4000, name=None)`;
  const a = scheduleFromConfigText(ns, 'train.log')!;
  assert.deepEqual([a.totalSteps, a.warmupSteps, a.decay, a.minRatio], [100000, 4000, 'inverse_sqrt', 0]);
  // A short one (under 400 characters) too.
  const short = scheduleFromConfigText("INFO | Namespace(lr=[0.001], lr_scheduler='inverse_sqrt', max_update=5000, warmup_updates=500)", 'train.log')!;
  assert.deepEqual([short.totalSteps, short.warmupSteps, short.decay], [5000, 500, 'inverse_sqrt']);
  // hydra's config dict: the scheduler is the lr_scheduler's _name, polynomial decay at power 1 is linear.
  const hy = `[2022-04-08 18:40:57,965][fairseq_cli.train][INFO] - {'_name': None, 'common': {'_name': None, ${pad.replace(/=/g, "': ").replace(/option/g, "'option")}}, 'optimization': {'_name': None, 'max_epoch': 0, 'max_update': 400000, 'lr': [0.0005]}, 'lr_scheduler': {'_name': 'polynomial_decay', 'warmup_updates': 32000, 'end_learning_rate': 0.0, 'power': 1.0, 'total_num_update': 400000, 'lr': [0.0005]}, 'model': {'_name': 'wav2vec2'}}`;
  const b = scheduleFromConfigText(hy, 'hydra_train.log')!;
  assert.deepEqual([b.totalSteps, b.warmupSteps, b.decay, b.decayEnd, b.minRatio], [400000, 32000, 'linear', 400000, 0]);
  // Another power is not a straight line: no shape claimed (cosine is only the unstated default).
  const c = scheduleFromConfigText(hy.replace("'power': 1.0", "'power': 2.0"), 'hydra_train.log')!;
  assert.notEqual(c.decay, 'linear');
});

test('Megatron\'s printed arguments plan the schedule (`  train_iters ........ 500`, lr_warmup_iters, lr_decay_style, min_lr): real Megatron-DeepSpeed log', () => {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'megatron-deepspeed-qwen7b-500.log.gz'))).toString('utf8');
  const arg = (k: string) => new RegExp(`^  ${k} \\.+ (\\S+)$`, 'm').exec(text)![1];
  const p = scheduleFromConfigText(text.slice(0, 256 * 1024), 'qwen7b_baseline_500.log')!;
  assert.deepEqual([p.totalSteps, p.warmupSteps, p.decay], [Number(arg('train_iters')), Number(arg('lr_warmup_iters')), arg('lr_decay_style')]);
  assert.ok(Math.abs(p.minRatio - Number(arg('min_lr')) / Number(arg('lr'))) < 1e-12);
  // Megatron's WSD: its decay's length.
  const w = scheduleFromConfigText('  train_iters ........ 1000\n  lr_decay_style ........ WSD\n  lr_wsd_decay_iters ........ 200\n  lr_warmup_iters ........ 10\n', 'x.log')!;
  assert.deepEqual([w.decay, w.decaySteps, w.warmupSteps], ['wsd', 200, 10]);
});

test('config key lines are read in linear time: dots, blanks, a long type, and the forms real configs write', () => {
  // (Lines are scanned up to 400 characters; a config of 10,000 such lines of dots took 5 s to scan.)
  for (const [name, make] of [
    ['dots', (n: number) => 'a' + '.'.repeat(n)],
    ['a key and blanks', (n: number) => 'a' + ' '.repeat(n) + 'x'],
    ['a type and blanks', (n: number) => 'a: b' + ' '.repeat(n) + 'x'],
    ['dotted words', (n: number) => 'a.'.repeat(n / 2) + ' x'],
    ['runs of dots', (n: number) => 'a' + '....b'.repeat(n / 5)],
  ] as const) {
    assertLinear(name, (n) => { KEY_LINE_RE.exec(make(n)); }, 10_000);
  }
  const read = (l: string) => { const m = KEY_LINE_RE.exec(l); return m && [m[1], m[3]]; };
  assert.deepEqual(read('  train_iters ..................................... 500'), ['train_iters', '500']);
  assert.deepEqual(read('Starting... now'), ['Starting', 'now']);
  assert.deepEqual(read('    lr: float = 3e-4'), ['lr', '3e-4']);
  assert.deepEqual(read('optimizer.param_groups.lr: 0.001'), ['optimizer.param_groups.lr', '0.001']);
  assert.deepEqual(read('--max_steps=1000'), ['max_steps', '1000']);
  assert.deepEqual(read('"warmup_steps": 200,'), ['warmup_steps', '200,']);
  assert.deepEqual(read('max_epochs = 36'), ['max_epochs', '36']);
  assert.equal(read('just words here'), null);
});

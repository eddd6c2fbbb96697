// A cosine that decays to a floor (nanoGPT's min_lr = max_lr / 10, Megatron's min_lr) read from an LR
// column, and a printed plan whose warm-up is logged one step apart from ours. Real consoles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { scheduleFromLog } from '../../src/core/fit/schedule';
import { FIXTURES } from './fixtureUtil';

interface Json { schedule?: { kind: string; total: number; warmup: number; source: string }; prediction?: { step?: number }; messages: string[] }
const fitJson = async (f: string) => fitToJson((await analyzeFile(f, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as Json;

/** Megatron's cosine (its get_lr): `max · it / w` in the warm-up, then min + (max − min)·½(1 + cos(π·(it − w)/(T − w))). */
const megatron = (it: number, max: number, min: number, w: number, T: number) =>
  it <= w ? (max * it) / w : min + (max - min) * 0.5 * (1 + Math.cos((Math.PI * Math.min(1, (it - w) / (T - w)))));

test('a real Megatron-LM console stopped at iteration 344 of 500: its LR column is a cosine to a floor of 10%, continued to step 500, not a cosine to zero at 535', async () => {
  const f = path.join(FIXTURES, 'megatron-lm-llama3-1b-rank3-stdout.log.gz');
  const log = await parseLogFile(f);
  const step = log.data.step!, lr = log.data[log.columns.find((c) => c.role === 'lr')!.name];
  let peak = 0;
  for (const v of lr) if (v > peak) peak = v;
  // The logged LRs are Megatron's cosine from the peak at 50 to min_lr = peak / 10 at 500 (rank 0 prints min_lr 3e-05).
  for (let i = 0; i < step.length; i++) assert.ok(Math.abs(lr[i] - megatron(step[i], peak, peak / 10, 50, 500)) < 1e-3 * peak, `step ${step[i]}`);
  const s = scheduleFromLog(step, lr, { total: 500 })!;
  assert.equal(s.total, 500);
  for (const at of [400, 450, 500]) assert.ok(Math.abs(s.lr[at] - megatron(at, 1, 0.1, 50, 500)) < 0.01, `step ${at}: ${s.lr[at]}`);
  const j = await fitJson(f);
  assert.equal(j.prediction?.step, 500);
  assert.match(j.schedule!.source, /cosine decay to 10% of the peak continued to step 500/);
});

test('the same Megatron-LM console cut at iteration 172 of 500: its exact LRs already tell the cosine to 10% from one to zero, and the decay ahead is the run\'s', async () => {
  const f = path.join(FIXTURES, 'megatron-lm-llama3-1b-rank3-stdout.log.gz');
  const log = await parseLogFile(f);
  const step = log.data.step!, lr = log.data[log.columns.find((c) => c.role === 'lr')!.name];
  let peak = 0;
  for (const v of lr) if (v > peak) peak = v;
  // The LR the run logged at iteration 344 (the log's last line): 34% of the peak, Megatron's cosine to 10% at 500.
  const at344 = lr[step.indexOf(344)] / peak;
  assert.ok(Math.abs(at344 - megatron(344, 1, 0.1, 50, 500)) < 1e-3, `logged ${at344}`);
  // Only the LRs up to iteration 172, the end planned (the log's "iteration N/500").
  const k = step.findIndex((s) => s > 172);
  const s = scheduleFromLog(step.slice(0, k), lr.slice(0, k), { total: 500 })!;
  assert.equal(s.kind, 'cosine');
  assert.match(s.source, /cosine decay to 10% of the peak continued to step 500/);
  for (const at of [250, 344, 450, 500]) assert.ok(Math.abs(s.lr[at] - megatron(at, 1, 0.1, 50, 500)) < 0.01, `step ${at}: ${s.lr[at]}`);
  // The prefix fit reads the same schedule, and says the decay ahead as the log shows it (50% of the peak, not 58%).
  const j = fitToJson((await analyzeFile(f, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as Json;
  assert.match(j.schedule!.source, /cosine decay to 10% of the peak continued to step 500/);
  const ahead = (lr[step.indexOf(172)] / peak - at344) * 100;
  const said = j.messages.map((m) => /LR decays by (\d+)% of its peak ahead/.exec(m)).find((x) => x);
  assert.ok(said && Math.abs(Number(said[1]) - ahead) <= 2, `the log's ${ahead.toFixed(1)}%\n${j.messages.join('\n')}`);
});

test('a real build-nanogpt run logged to its last step (LR flat at min_lr = max_lr / 10 from step 4,997) ends there: not a cosine to zero extrapolated to 6,247', async () => {
  const f = path.join(FIXTURES, 'build-nanogpt-s21-14-runs-log.md.gz');
  const j = await fitJson(f);
  assert.equal(j.schedule?.kind, 'cosine');
  assert.ok(j.schedule!.total <= 5000, `schedule ends at ${j.schedule!.total}`);
  assert.match(j.schedule!.source, /cosine decay to 10% of the peak/);
  // Nothing is extrapolated past the run's end: the answer is the last logged point.
  assert.equal(j.prediction?.step, 4999);
  assert.ok(j.messages.every((m) => !/6247|6,247/.test(m)), j.messages.join('\n'));
});

test('a real Megatron-LM console\'s printed arguments plan its 15 iterations: the warm-up logged one step apart from the plan is no mismatch', async () => {
  const j = await fitJson(path.join(FIXTURES, 'megatron-lm-1gpu-15it-stdout.log.gz'));
  assert.match(j.schedule!.source, /then as planned \(megatron-lm-1gpu-15it-stdout\.log\.gz: train_iters=15, lr_warmup_iters=2, lr_decay_style=cosine, min_lr=3e-05/);
  assert.ok(j.messages.every((m) => !/differs from the log's LR column/.test(m)), j.messages.join('\n'));
});

test('an LR column early in a cosine to zero keeps its end (a floor is not told from 30% of the decay); a cosine to 10% seen to 90% is', () => {
  const mk = (T: number, floor: number, upTo: number) => {
    const steps: number[] = [], lrs: number[] = [];
    for (let s = 0; s <= upTo; s += 10) { steps.push(s); lrs.push(s < 100 ? (s + 1) / 100 : floor + (1 - floor) * 0.5 * (1 + Math.cos((Math.PI * (s - 100)) / (T - 100)))); }
    return scheduleFromLog(Float64Array.from(steps), Float64Array.from(lrs))!;
  };
  const early = mk(10_000, 0, 3_000);
  assert.equal(early.kind, 'cosine');
  assert.ok(Math.abs(early.total - 10_000) < 200, `cosine to zero from 30%: ends at ${early.total}`);
  assert.doesNotMatch(early.source, /of the peak/);
  const late = mk(10_000, 0.1, 9_000);
  assert.ok(Math.abs(late.total - 10_000) < 200, `cosine to 10% from 90%: ends at ${late.total}`);
  assert.ok(Math.abs(late.lr[late.total] - 0.1) < 0.01, `floor ${late.lr[late.total]}`);
  assert.match(late.source, /cosine decay to 10% of the peak/);
});

/** icefall's Eden (optim.py): base · ((s² + K²) / K²)^−¼, after a linear warm-up from half over 500 steps. */
const eden = (s: number, base: number, K: number) => base * ((s * s + K * K) / (K * K)) ** -0.25 * (s < 500 ? 0.5 + (0.5 * s) / 500 : 1);

test('an LR that has fallen by a few percent, with nothing planning the end (icefall\'s Eden): no line or cosine to zero invented, the shape and end said unknown', () => {
  // As a real icefall run logged it: every 50 steps to 1,451 (0.05 → 0.049).
  const steps: number[] = [], lrs: number[] = [];
  for (let s = 1; s <= 1451; s += 50) { steps.push(s); lrs.push(eden(s, 0.05, 5000)); }
  const s = scheduleFromLog(steps, lrs, {})!;
  assert.equal(s.kind, 'logged', 'no decay shape taken');
  assert.equal(s.total, 1451, 'no end invented');
  assert.match(s.source, /falling \(by 1\.\d% of its peak by step 1451\): too little to tell the decay's shape or where it ends/);
  // The same fall with the run's end planned: the line to that end is kept.
  const planned = scheduleFromLog(steps, lrs, { total: 5000 })!;
  assert.equal(planned.total, 5000);
  // A line that has fallen by a quarter (a HF linear decay cut early, no plan): still read, to its end.
  const lin: number[] = [], ls: number[] = [];
  for (let t = 100; t <= 2500; t += 100) { lin.push(t); ls.push(1e-4 * (1 - (t - 100) / 9600)); }
  const l = scheduleFromLog(lin, ls, {})!;
  assert.equal(l.kind, 'linear');
  assert.ok(Math.abs(l.total - 9700) <= 1, `${l.total}`);
});

test('the real icefall TensorBoard run (Eden, 0.05 → 0.049 by step 1,451, nothing planning the end): no line to zero at step 54,480, the decay said not told', async () => {
  const j = await fitJson(path.join(FIXTURES, 'icefall-xlsr-tb'));
  assert.equal(j.schedule?.kind, 'logged');
  assert.match(j.schedule!.source, /falling \(by 1\.\d% of its peak by step 1451\): too little to tell the decay's shape or where it ends/);
  assert.ok(!/linear|cosine/.test(j.schedule!.source), j.schedule!.source);
});

/**
 * SOLIDER-REID's (and TransReID's) scheduler: timm's CosineLRScheduler(t_initial = MAX_EPOCHS, lr_min =
 * 0.002 · BASE_LR, warmup_lr_init = 0.01 · BASE_LR, warmup_t = WARMUP_EPOCHS), its warmup_prefix off,
 * stepped with the epoch (1, 2, …) before each: a linear warm-up, then the cosine over all the epochs from 0.
 */
const timmCosine = (e: number, base: number, warm: number, epochs: number) =>
  e < warm ? 0.01 * base + (e * (base - 0.01 * base)) / warm : 0.002 * base + (base - 0.002 * base) * 0.5 * (1 + Math.cos((Math.PI * e) / epochs));

test('a real SOLIDER-REID console (timm\'s cosine over all 120 epochs, its first 20 taken by the warm-up), cut at 30% and 50%: a cosine from step 0 continued to the end, not a line to zero nor the LR held', async () => {
  const f = path.join(FIXTURES, 'transreid-swin-tiny-market1501-train_log.txt.gz');
  const log = await parseLogFile(f);
  const step = log.data.step!, lr = log.data.Lr;
  // The file: its printed SOLVER block (BASE_LR: 0.0008, MAX_EPOCHS: 120, WARMUP_EPOCHS: 20) is every
  // logged LR (to its 3 digits), e.g. 7.60e-04 at epoch 19 (the peak), 7.47e-04 at 20, 1.60e-06 at 120.
  const perEpoch = 186, T = 120 * perEpoch;
  const epochOf = (s: number) => Math.ceil(s / perEpoch);
  for (let i = 0; i < step.length; i++) {
    const want = timmCosine(epochOf(step[i]), 8e-4, 20, 120);
    assert.ok(Math.abs(lr[i] - want) <= 0.006 * want, `step ${step[i]}: ${lr[i]} vs ${want}`);
  }
  const peak = timmCosine(19, 8e-4, 20, 120);
  for (const cut of [0.3, 0.5]) {
    const until = cut * T;
    const s = scheduleFromLog(step, Float64Array.from(lr, (v, i) => (step[i] <= until ? v : NaN)), { total: T })!;
    assert.equal(s.kind, 'cosine', `${cut}: ${s.source}`);
    assert.ok(s.futureKnown);
    assert.equal(s.total, T);
    assert.match(s.source, /cosine decay from step 0 \(at 10\d% of the logged peak; the warm-up took its first steps, as in timm's CosineLRScheduler\) continued to step 22320/);
    // After the cut, the LR (over the logged peak) as the scheduler sets it, mid-epoch, to 2% of the peak.
    for (const e of [60, 75, 90, 105, 115, 120]) {
      const at = (e - 1) * perEpoch + perEpoch / 2;
      if (at <= until) continue;
      const want = timmCosine(e, 8e-4, 20, 120) / peak;
      assert.ok(Math.abs(s.lr[at] - want) < 0.02, `${cut}, epoch ${e}: ${s.lr[at].toFixed(4)} vs ${want.toFixed(4)}`);
    }
  }
  // Through the pipeline, the first 30% of the run: the same cosine; its warm-up ends at the first logged peak (epoch 19, iteration 20).
  const j = fitToJson((await analyzeFile(f, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3 })).state) as unknown as Json;
  assert.equal(j.schedule?.kind, 'cosine', j.schedule?.source);
  assert.equal(j.schedule?.warmup, 18 * perEpoch + 20);
});

test('a cosine from step 0 is no reading without a warm-up: a real PaddleSeg run resumed at step 10,010 of its polynomial decay follows the decay its printed config states', async () => {
  // Its printed config (line 433, the last launch's): `type: PolynomialDecay`, `power: 0.9`, `end_lr: 0`,
  // 50,000 iterations; a cosine from step 0 with its start free fits its short stretch closer, and
  // would fall too fast. (Before PaddleSeg's config was read: a line to its end.)
  const j = fitToJson((await analyzeFile(path.join(FIXTURES, 'paddleseg-encnet-two-runs-workerlog.0.gz'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3 })).state) as unknown as Json;
  assert.equal(j.schedule?.kind, 'poly', j.schedule?.source);
  assert.match(j.schedule!.source, /line 433: PaddleSeg's config \(iters 50000, lr_scheduler PolynomialDecay, learning_rate 0\.1, power 0\.9/);
  assert.ok(!/from step 0/.test(j.schedule!.source), j.schedule!.source);
});

test('the real HF console sweep\'s last run, cut at 30%: its logged LRs are the Trainer\'s cosine (700 warm-up steps of 7,000), read as a cosine', async () => {
  // Its k-th LR (logged every 200 steps) is 0.024 · c(200k − 21), c the Trainer's get_cosine_schedule_with_warmup
  // (warm-up 700 of 7,000 steps; its scheduler 21 steps behind the step): 0.006137 at step 200 …
  // 0.021641 at 2,000, falling faster each time (a cosine, not a line).
  const f = path.join(FIXTURES, 'hf-console-sweep-7-runs.log.gz');
  const hf = (s: number) => (s < 700 ? s / 700 : 0.5 * (1 + Math.cos((Math.PI * (s - 700)) / 6300)));
  const log = await parseLogFile(f);
  const lr = Array.from(log.data[log.columns.find((c) => c.role === 'lr')!.name]).filter(Number.isFinite);
  assert.equal(lr.length, 35);
  lr.forEach((v, k) => assert.ok(Math.abs(v - 0.024 * hf(200 * (k + 1) - 21)) < 1e-9, `the LR at step ${200 * (k + 1)}: ${v}`));
  const j = fitToJson((await analyzeFile(f, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3 })).state) as unknown as Json;
  assert.equal(j.schedule?.kind, 'cosine', j.schedule?.source);
  assert.equal(j.schedule?.total, 7001);
});

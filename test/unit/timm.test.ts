// timm (pytorch-image-models) writes a per-epoch summary.csv and the args.yaml of the run beside it.
// A real one (test/fixtures/timm-cub-105ep, Apache-2.0) ran 100 + 5 cooldown epochs under its default
// cosine schedule; the fit ignored args.yaml and extrapolated the finished run to 10× its last epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { plannedLr, SCHEDULE_REACH, timmSchedule } from '../../src/core/fit/schedule';
import { scheduleLine } from '../../src/core/format';
import { FIXTURES } from './fixtureUtil';

const DIR = join(FIXTURES, 'timm-cub-105ep');
type J = { schedule?: { kind: string; total: number; source: string }; prediction?: { step?: number }; backtest?: Array<{ heldOut?: boolean; horizon: number }>; messages?: string[] };
const ARGS = readFileSync(join(DIR, 'args.yaml'), 'utf8');

test('timm args.yaml: the cosine it plans in epochs (warm-up, decay to min_lr at `epochs`, cooldown held), counted from epoch 0', () => {
  const p = timmSchedule(ARGS, 'args.yaml', 0);
  assert.ok(p);
  assert.equal(p.totalSteps, 104);
  assert.equal(p.warmupSteps, 10);
  assert.equal(p.decay, 'cosine');
  assert.equal(p.decayEnd, 100);
  assert.ok(Math.abs(p.minRatio - 3e-6 / 2e-4) < 1e-12);
  // At min_lr from epoch 100 to the end (the cooldown), at its peak after the warm-up.
  assert.ok(Math.abs(plannedLr(p, 102) - p.minRatio) < 1e-9);
  assert.ok(plannedLr(p, 11) > 0.99);
  // Counted from 1 (a log whose first epoch is 1), the last epoch is 105.
  assert.equal(timmSchedule(ARGS, 'args.yaml', 1)?.totalSteps, 105);
  // Not guessed: another scheduler, a schedule stepped on updates, a YAML with no timm keys.
  assert.equal(timmSchedule(ARGS.replace('sched: cosine', 'sched: step'), 'args.yaml'), undefined);
  assert.equal(timmSchedule(ARGS.replace(/sched_on_updates: \w+/, 'sched_on_updates: true') + (/sched_on_updates/.test(ARGS) ? '' : '\nsched_on_updates: true\n'), 'args.yaml'), undefined);
  assert.equal(timmSchedule('sched: cosine\nepochs: 10\n', 'x.yaml'), undefined);
});

test('a real timm output folder: the run is fitted to its planned last epoch from args.yaml, not extrapolated 10×', async () => {
  const a = await analyzeFile(join(DIR, 'summary.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as unknown as J;
  assert.ok(j.schedule, JSON.stringify(j.messages));
  assert.equal(j.schedule.kind, 'cosine');
  assert.equal(j.schedule.total, 104);
  assert.match(j.schedule.source, /args\.yaml: sched=cosine, epochs=100, cooldown_epochs=5, warmup_epochs=10/);
  // The run reached its planned end: the "prediction" is the fit at its last epoch.
  assert.equal(j.prediction?.step, 104);
  // Half the run: the rest predicted to the last epoch, scored.
  const half = fitToJson((await analyzeFile(join(DIR, 'summary.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as J;
  const h = half.backtest?.find((b) => b.heldOut);
  assert.ok(h && h.horizon === 104, JSON.stringify(half.backtest));
});

test('the epoch-0 row of a per-epoch table is left out of the fit and said, with its line', async () => {
  const a = await analyzeFile(join(DIR, 'summary.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as unknown as J;
  assert.ok(j.messages?.includes('left out the point at epoch 0 (line 2): the laws are powers of epoch, and the log axis has no 0'), JSON.stringify(j.messages));
});

test("a real timm train.py console planned past a million steps (310 epochs of 10,009 iterations): predicted at its planned end, which is said, not called unstated", async () => {
  // Found by a helper search (huntB): the planned end (3.1 M steps) was dropped for being past the
  // steps an LR schedule is built to, then the fit said "the end of training is not stated" and
  // predicted at step 1,000,000, neither the end nor 10× the last step.
  const file = join(FIXTURES, 'timm-vitae-s-killed-mlp.log.gz');
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const epochs = Number(/^Scheduled epochs: (\d+)$/m.exec(text)![1]);
  const perEpoch = Number(/^Train: 0 \[ *0\/(\d+) /m.exec(text)![1]);
  // Epoch e's iteration b is step e × perEpoch + b: the last planned step is epochs × perEpoch − 1.
  const end = epochs * perEpoch - 1;
  assert.ok(end > 1_000_000);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as J & { trust?: { reasons?: string[] } };
  assert.equal(j.prediction?.step, end);
  const said = JSON.stringify(j);
  assert.ok(!said.includes('the end of training is not stated'), said.slice(0, 2000));
  assert.ok(!said.includes('nothing in the log or a config beside it plans the end'), said.slice(0, 2000));
  assert.ok(said.includes(`the run's planned end, step ${end}, is`), said.slice(0, 2000));
  // The schedule line (CLI text, panel) does not say the schedule "ends" at its reach, before that end.
  const s = (j as unknown as { schedule: Parameters<typeof scheduleLine>[0] }).schedule;
  assert.equal(s.total, SCHEDULE_REACH);
  const line = scheduleLine(s);
  assert.ok(line.includes(`built up to step ${SCHEDULE_REACH} (the most an LR schedule is built to)`) && !line.includes('ends at step'), line);
});

test('past the steps an LR schedule is built to, the schedule-aware laws stop moving: auto leaves them out and says so; asked for, one says its prediction is the schedule end\'s', async () => {
  const file = join(FIXTURES, 'timm-vitae-s-killed-mlp.log.gz');
  type K = J & { runLaw: string; messages: string[]; candidates?: Array<{ law: string; excluded?: boolean }> };
  const auto = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as K;
  const reach = /past the ([\d,]+) steps the LR schedule is built to/.exec(auto.messages.join('\n'));
  assert.ok(reach, auto.messages.join('\n'));
  assert.ok(auto.prediction!.step! > Number(reach[1].replace(/,/g, '')));
  assert.ok(auto.messages.some((m) => /^auto: the target, step [\d,]+, lies past .* the lr-annealing law's and the multi-power law's predictions stop moving: left out$/.test(m)), auto.messages.join('\n'));
  assert.ok(auto.runLaw !== 'lr-annealing' && auto.runLaw !== 'multi-power', auto.runLaw);
  // Asked for by name, the law is fitted and says its prediction is the schedule end's.
  const lr = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, runLaw: 'lr-annealing' })).state) as unknown as K;
  assert.equal(lr.runLaw, 'lr-annealing');
  assert.ok(lr.messages.some((m) => /the lr-annealing law's prediction stops moving: it is the schedule's end's, not the target's/.test(m)), lr.messages.join('\n'));
});

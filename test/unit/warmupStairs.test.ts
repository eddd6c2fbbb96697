// A prefix cut inside the LR warm-up. A real LitGPT run (micro-batch 1, 16-way gradient accumulation:
// the LR rises one stair every 16 logged iterations, to its peak at 1,600) cut at iteration 1,271 was
// read as "warm-up to 1,264, then constant" and fitted on the 7 points of its last stair; a real
// GPT-NeoX run cut at step 2,250 of its 3,210-step warm-up said "2 usable after warm-up".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleFromLog } from '../../src/core/fit/schedule';
import { fitRunCurve } from '../../src/core/fit';
import { join } from 'node:path';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';

/** LitGPT's stairs: the LR of each 16-iteration optimizer step, a linear warm-up to `peak` at 1,600, then constant. */
const stairLr = (i: number) => 3e-4 * Math.min(1, Math.floor((i - 1) / 16) * 16 / 1600);

test('an LR that rises in stairs, cut inside its warm-up: the warm-up is not over at the cut; whole, it ends where the stairs reach the peak', () => {
  const cut = Array.from({ length: 1271 }, (_, k) => k + 1);
  const s = scheduleFromLog(cut, cut.map(stairLr));
  assert.ok(s);
  assert.equal(s.warmup, 1271);
  // The whole warm-up and a constant stretch after it: the warm-up ends where the stairs reach the peak.
  const whole = Array.from({ length: 3000 }, (_, k) => k + 1);
  const w = scheduleFromLog(whole, whole.map(stairLr));
  assert.ok(w);
  assert.equal(w.warmup, 1585); // the first step at 99% of the peak, as before
  assert.equal(w.kind, 'constant');
  // Cut just past the end of the warm-up, one stair's length at the peak: over.
  const past = Array.from({ length: 1601 + 16 }, (_, k) => k + 1);
  assert.equal(scheduleFromLog(past, past.map(stairLr))!.warmup, 1585);
  // A smooth rise whose last point is its highest (NeoX, logged every 10 steps): not over either.
  const neox = Array.from({ length: 225 }, (_, k) => 10 * (k + 1));
  assert.equal(scheduleFromLog(neox, neox.map((st) => 6e-4 * Math.min(1, st / 3210)))!.warmup, 2250);
});

test('a fit cut inside the LR warm-up says so, and where', () => {
  const steps = Array.from({ length: 3000 }, (_, k) => k + 1);
  const loss = steps.map((st) => 1 + 5 / Math.pow(st, 0.3));
  const lr = steps.map((st) => (st <= 1271 ? stairLr(st) : NaN));
  const sched = scheduleFromLog(steps.slice(0, 1271), lr.slice(0, 1271), { total: 3000 })!;
  const r = fitRunCurve(steps, loss, { xKind: 'step', steps, schedule: sched, fitUntil: 1271 });
  const m = r.messages.at(-1)!;
  assert.match(m, /^fitted up to step 1[.,]?271, inside the LR warm-up \(the LR still rises there\): 0 points after it, and a loss-curve law needs at least 4; fit a longer part of the run$/);
});

test('no backtest inside the fitted range: no band is drawn, and the fit says why (a real TRL run fitted on its first 4 points)', async () => {
  type J = { prediction?: { loss: number; lo?: number | null; hi?: number | null }; backtest?: Array<{ heldOut?: boolean }>; messages?: string[] };
  const file = join(FIXTURES, 'trl-sft-qwen-coder-buffered.log');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 50, fitUntil: 0.3 })).state) as unknown as J;
  assert.ok(j.prediction && Number.isFinite(j.prediction.loss));
  assert.ok(!(j.backtest ?? []).some((b) => !b.heldOut), 'no in-range backtest');
  assert.ok(!Number.isFinite(j.prediction.lo ?? NaN) && !Number.isFinite(j.prediction.hi ?? NaN), JSON.stringify(j.prediction));
  assert.ok(j.messages?.some((m) => /^no band: too few points for backtests, so nothing measured how far this law extrapolates/.test(m)), JSON.stringify(j.messages));
  // Fitted on half the run (backtests inside it): a band again.
  const half = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 50, fitUntil: 0.5 })).state) as unknown as J;
  assert.ok((half.backtest ?? []).some((b) => !b.heldOut) && Number.isFinite(half.prediction?.lo ?? NaN), JSON.stringify(half.prediction));
});

test('an LR column with one logged value shows no schedule: a real Lightning run inside its warm-up is fitted with the fixed skip, and says why', async () => {
  // Its LearningRateMonitor logged once, at step 0 (2e-4), during a warm-up; that one value had been read
  // as "warm-up 0 steps, LR held", which skipped one point and fitted the warm-up's fast fall.
  assert.equal(scheduleFromLog([0], [2e-4]), undefined);
  assert.ok(scheduleFromLog([0], [2e-4], { planned: { totalSteps: 1000, warmupSteps: 100, decay: 'cosine', minRatio: 0, source: 'a test' } }));
  const file = join(FIXTURES, 'lightning-vit-cifar-smoke', 'metrics.csv');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as { schedule?: unknown; messages: string[]; backtest: Array<{ heldOut?: boolean; errorPct: number }> };
  assert.equal(j.schedule, undefined);
  assert.ok(j.messages.some((m) => /the LR column holds one logged value: it shows no schedule/.test(m)), j.messages.join('\n'));
  assert.ok(j.messages.some((m) => /ignored the first 15 point\(s\) \(10% warm-up\)/.test(m)), j.messages.join('\n'));
  // Fitted from 50%: 3.9% from the real last loss, where the one-value "schedule" gave 14%.
  assert.ok(Math.abs(j.backtest.find((b) => b.heldOut)!.errorPct) < 5, JSON.stringify(j.backtest));
});

test('a fraction cut inside the warm-up of a real log says so: Ultralytics (34 warm-up epochs) and OpenNMT-py (Noam, 8,000 steps) from 30%', async () => {
  // Both said "too few points for a loss-curve law: 0 usable after warm-up": every point after the
  // warm-up, as the LR up to the cut shows it (still rising), lay after the cut.
  const yolo = await analyzeFile(join(FIXTURES, 'ultralytics-yolov8-wheat-weed', 'results.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3 });
  assert.match(yolo.state.fitError ?? '', /fitted up to epoch 30[.,]6, inside the LR warm-up \(the LR still rises there\): 0 points after it/);
  const onmt = await analyzeFile(join(FIXTURES, 'opennmt-yoruba-adr-transformer.txt.gz'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3 });
  assert.match(onmt.state.fitError ?? '', /fitted up to step 5[.,]?715, inside the LR warm-up/);
  // Past the warm-up (from 50%), both fit.
  const yolo50 = await analyzeFile(join(FIXTURES, 'ultralytics-yolov8-wheat-weed', 'results.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 });
  assert.equal(yolo50.state.fitError, undefined);
  assert.ok(yolo50.state.fit);
});

// Issue 15: a warm-up-stable-decay run cut before its decay. The schedule-aware laws cannot estimate
// the decay's gain from a range that never saw the LR fall; extrapolated through the decay they count
// only its cost (a slower-growing forward area). `auto` then takes the power law in steps, the band
// stays open below for the decay, and the verdict stays "not supported".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { fitRunCurve } from '../../src/core/fit';
import { plannedSchedule } from '../../src/core/fit/schedule';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
type J = {
  runLaw: string; messages: string[]; prediction: { loss: number; lo: number; hi: number };
  trust: { supported: boolean; band: string }; backtest: Array<{ heldOut?: boolean; actual: number }>;
};

test('real speedrun (WSD from its printed script) cut at 50%, before its cooldown: auto takes the power law; the LR-aware laws land higher', async () => {
  const file = path.join(FIX, 'modded-nanogpt-speedrun-wsd.txt');
  const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 20, seed: 1, fitUntil: 0.5 };
  const auto = fitToJson((await analyzeFile(file, opts)).state) as unknown as J;
  assert.equal(auto.runLaw, 'power');
  assert.ok(auto.messages.some((m) => /the fitted range saw no LR decay, so the lr-annealing law(?: and the multi-power law)? cannot tell what the decay of 100% of the peak ahead will gain/.test(m)), auto.messages.join('\n'));
  assert.equal(auto.trust.supported, false);
  assert.match(auto.trust.band, /open below by up to 10% for the LR decay ahead/);
  const held = auto.backtest.find((b) => b.heldOut)!;
  assert.ok(auto.prediction.lo <= held.actual && held.actual <= auto.prediction.hi);
  // What the rule rests on: each schedule-aware law, asked for, predicts a higher loss than the power law here.
  for (const runLaw of ['lr-annealing', 'multi-power'] as const) {
    const j = fitToJson((await analyzeFile(file, { ...opts, runLaw })).state) as unknown as J;
    assert.equal(j.runLaw, runLaw);
    assert.ok(j.prediction.loss > auto.prediction.loss, `${runLaw} ${j.prediction.loss} vs power ${auto.prediction.loss}`);
  }
});

test('the rule needs a decay ahead that the fitted range never saw: a cosine cut after its decay began keeps the LR-aware laws', () => {
  const plan = { totalSteps: 6000, warmupSteps: 200, decay: 'cosine' as const, minRatio: 0.1, source: 'test' };
  const sched = plannedSchedule(plan);
  const steps: number[] = [], loss: number[] = [];
  let S1 = 0, m = 0, S2 = 0;
  for (let s = 1; s <= 6000; s++) {
    S1 += sched.lr[s];
    if (s > 200) m = 0.995 * m + (sched.lr[s - 1] - sched.lr[s]);
    S2 += m;
    if (s % 10 === 0) { steps.push(s); loss.push(2.5 + 6 * Math.pow(S1, -0.4) - 2e-4 * S2); }
  }
  const cosine = fitRunCurve(steps, loss, { xKind: 'step', steps, schedule: sched, fitUntil: 0.4, bootstrap: 0 });
  assert.ok(!cosine.messages.some((x) => /saw no LR decay/.test(x)), cosine.messages.join('\n'));
  assert.notEqual(cosine.runLaw, 'power');
  // The same curve with a WSD plan whose decay starts after the cut: the rule applies.
  const wsd = plannedSchedule({ totalSteps: 6000, warmupSteps: 200, decay: 'wsd', decaySteps: 1200, minRatio: 0, source: 'test' });
  const w: number[] = [];
  S1 = 0; m = 0; S2 = 0;
  for (let s = 1; s <= 6000; s++) {
    S1 += wsd.lr[s];
    if (s > 200) m = 0.995 * m + (wsd.lr[s - 1] - wsd.lr[s]);
    S2 += m;
    if (s % 10 === 0) w.push(2.5 + 6 * Math.pow(S1, -0.4) - 2e-4 * S2);
  }
  const cut = fitRunCurve(steps, w, { xKind: 'step', steps, schedule: wsd, fitUntil: 0.4, bootstrap: 0 });
  assert.ok(cut.messages.some((x) => /saw no LR decay/.test(x)), cut.messages.join('\n'));
  assert.equal(cut.runLaw, 'power');
});

// Issue 15: a run that repeats its data (more than one planned epoch). The training loss then
// measures memorisation, which none of the run laws models: the band stops trusting the law's
// further fall either way — up to the loss already reached, down to as far again below the
// prediction in ratio (c²/reached: the law's fall doubled on a log scale, never 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze } from '../../src/core/pipeline';
import { parseLogFile } from '../../src/core/logs';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { fitRunCurve } from '../../src/core/fit';
import { mulberry32, normal } from '../../src/core/fit/rng';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');

interface Json {
  prediction: { loss: number; lo: number; hi: number };
  backtest: Array<{ heldOut?: boolean; actual: number }>;
  trust: { band: string; reasons: string[] };
}

test('a power-law curve said to repeat its data: the band reaches from the loss reached down to the fall doubled in ratio', () => {
  const rng = mulberry32(7);
  const x: number[] = [], y: number[] = [];
  for (let s = 100; s <= 3000; s += 20) { x.push(s); y.push((1 + 30 * Math.pow(s, -0.5)) * (1 + 0.002 * normal(rng))); }
  const opts = { xKind: 'step' as const, bootstrap: 50, seed: 3, targetTokens: 12000, runLaw: 'power' as const };
  const once = fitRunCurve(x, y, opts);
  const twice = fitRunCurve(x, y, { ...opts, epochs: { count: 4, source: 'num_train_epochs = 4 in a test' } });
  // The fit and its point prediction do not change; only the band and the verdict do.
  assert.equal(twice.prediction!.loss, once.prediction!.loss);
  const c = twice.prediction!.loss;
  // The lowest loss reached (smoothed over a few points) near the end of the fitted range.
  const reached = Math.min(...y.slice(-20).map((_, k, a) => k + 3 <= a.length ? (a[k] + a[k + 1] + a[k + 2]) / 3 : Infinity));
  assert.ok(c < reached, `the law predicts a further fall (${c} < ${reached})`);
  assert.ok(twice.prediction!.hi >= reached * 0.999, `band top ${twice.prediction!.hi} reaches the loss reached ${reached}`);
  assert.ok(twice.prediction!.lo <= (c * c) / (reached * 0.999), `band bottom ${twice.prediction!.lo} reaches the fall doubled in ratio (${(c * c) / reached})`);
  assert.ok(twice.prediction!.lo > 0);
  // Without the repeated data, the band is the bootstrap's and the backtests' alone: narrower.
  assert.ok(once.prediction!.hi < reached, `single pass: band top ${once.prediction!.hi} stays below ${reached}`);
  assert.ok(twice.prediction!.hi - twice.prediction!.lo > 2 * (once.prediction!.hi - once.prediction!.lo));
  assert.match(twice.trust!.band, /widened for the repeated data/);
  assert.doesNotMatch(once.trust!.band, /repeated data/);
  assert.ok(twice.trust!.reasons.some((r) => /makes 4 passes over its data/.test(r)));
});

test('real 30-epoch HF fine-tune cut at 30%: the repeated-data band contains the real last loss; without its epochs no band at all (no backtest measured the law)', async () => {
  const log = await parseLogFile(path.join(FIX, 'hf_trainer_state.json'));
  const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 100, seed: 1, fitUntil: 0.3 };
  const j = fitToJson(analyze(log, opts, { configs: [] }).state) as unknown as Json;
  const held = j.backtest.find((b) => b.heldOut)!;
  // The laws all fall too far here (memorisation flattens this curve at ≈0.055): the prediction misses by > 20%.
  assert.ok(j.prediction.loss < 0.8 * held.actual, `prediction ${j.prediction.loss} vs real ${held.actual}`);
  assert.ok(j.prediction.lo <= held.actual && held.actual <= j.prediction.hi, `band [${j.prediction.lo}, ${j.prediction.hi}] contains ${held.actual}`);
  assert.match(j.trust.band, /widened for the repeated data/);
  // The same log without its planned epochs (num_train_epochs dropped), the same points fitted (the
  // 10% skipped past the warm-up, as a run over repeated data has it, asked for): the same prediction,
  // and no band, as these few points leave no backtest inside the fitted range (a band from resampling
  // alone had been drawn, narrower than the repeated-data one).
  const single = { ...log, run: log.run && { ...log.run, params: (log.run.params ?? []).filter(([k]) => k !== 'num_train_epochs') } };
  const s = fitToJson(analyze(single, { ...opts, skipOverSchedule: true }, { configs: [] }).state) as unknown as Json;
  assert.equal(s.prediction.loss, j.prediction.loss);
  assert.ok(!s.backtest.some((b) => !b.heldOut), 'no backtest inside the fitted range');
  assert.ok(!Number.isFinite(s.prediction.lo) && !Number.isFinite(s.prediction.hi), `plain band [${s.prediction.lo}, ${s.prediction.hi}]`);
});

test('real 2-epoch LoRA run cut at 30%: the LR decay ahead does not rule out the power law when the data repeat; the backtests decide', async () => {
  const log = await parseLogFile(path.join(FIX, 'tinyllama_lora_trainer_state.json'));
  const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3 };
  type Auto = { runLaw: string; messages: string[]; candidates: Array<{ law: string; backtestErrorPct: number }> };
  const j = fitToJson(analyze(log, opts, { configs: [] }).state) as unknown as Auto;
  assert.ok(j.messages.some((m) => /the run repeats its data: L = E \+ B\/x\^β is kept and the backtests decide/.test(m)), j.messages.join('\n'));
  // The law chosen is the one with the smallest backtest error among the candidates.
  const best = j.candidates.reduce((a, b) => (b.backtestErrorPct < a.backtestErrorPct ? b : a));
  assert.equal(j.runLaw, best.law);
  // The same log without its planned epochs: the decay ahead leaves the power law out, and then the
  // parsimony rule takes it back (on this short, noisy curve no schedule-aware law's prediction is
  // more than 2 standard errors from the power law's).
  const single = { ...log, run: log.run && { ...log.run, params: (log.run.params ?? []).filter(([k]) => k !== 'num_train_epochs') } };
  const s = fitToJson(analyze(single, opts, { configs: [] }).state) as unknown as Auto;
  assert.ok(s.messages.some((m) => /which L = E \+ B\/x\^β cannot follow: left out/.test(m)), s.messages.join('\n'));
  assert.ok(!j.messages.some((m) => /cannot follow: left out/.test(m)), j.messages.join('\n'));
  assert.equal(s.runLaw, 'power');
  assert.ok(s.messages.some((m) => /no schedule-aware law's prediction at step \d+ is more than 2 standard errors/.test(m)), s.messages.join('\n'));
});

// Real Hugging Face Trainer states found by one search (test/fixtures/SOURCES.md, `trainer-state-*`):
// fine-tunes over many passes whose training loss fell far below anything the fitted laws or the
// repeated-data band allowed (a CodeBERT classifier: 0.05 at its midpoint, 2.5e-4 at its end), and a
// streamed Whisper run whose `num_train_epochs` is sys.maxsize (its stream of data ended 10 times).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { gunzipFixture } from './fixtureUtil';
import { reviveOpenBands, type ToWebview } from '../../src/protocol';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-ts-');

type J = {
  prediction: { loss: number; lo: number; hi: number; step?: number };
  backtest: Array<{ heldOut?: boolean; actual: number; predicted: number }>;
  trust: { supported: boolean; reasons: string[]; band: string };
};
const fit = async (file: string, fitUntil: number) =>
  fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 30, fitUntil })).state) as unknown as J;

test('a classifier over 10 passes (real CodeBERT Trainer state) from 50%: the band is open to 0 from the next pass and holds the real last loss', async () => {
  const { file, text } = gunzipFixture(tmp, 'trainer-state-codebert-cls-10ep.json');
  const losses = (JSON.parse(text) as { log_history: Array<{ loss?: number }> }).log_history.filter((e) => e.loss !== undefined).map((e) => e.loss!);
  const j = await fit(file, 0.5);
  const held = j.backtest.find((b) => b.heldOut)!;
  // The truth is far below the law's prediction (memorisation): more than 10× below.
  assert.ok(held.actual < j.prediction.loss / 10, `${held.actual} against ${j.prediction.loss}`);
  assert.ok(losses[losses.length - 1] < 0.01);
  assert.equal(j.prediction.lo, 0);
  assert.ok(j.prediction.lo <= held.actual && held.actual <= j.prediction.hi);
  // Pass 6 of 10 (542 steps each) begins at step 2,710, the first after the fitted range.
  assert.match(j.trust.band, /open below to 0 from step 2710, where a new pass over the data begins/);
  assert.equal(j.trust.supported, false);
  // Fitted within its last pass (from step 4,878), no new pass is ahead: the band is not opened for
  // one. (Its floor, 0.0062, is above the 0.0002 the run reached: the band reaches down to 0 for that,
  // and not below it, where it had gone to −0.0096.)
  const last = await fit(file, 0.95);
  assert.doesNotMatch(last.trust.band, /open below to 0/);
  assert.ok(last.trust.reasons.some((r) => /the fitted floor .* is above the loss the run already reached/.test(r)), last.trust.reasons.join('\n'));
  assert.equal(last.prediction.lo, 0);
});

test('a streamed run (real Whisper Trainer state) whose num_train_epochs is sys.maxsize: not 9.2e18 passes, but the passes its epoch counts (about 12), its training loss falling at each', async () => {
  const { file, text } = gunzipFixture(tmp, 'trainer-state-whisper-tiny-nob-100k.json');
  // What the reason says is so in this state: each time the epoch's whole part goes up (the stream of
  // data ended and started again), the training loss falls faster over the next 1,000 steps than over
  // the 1,000 before (memorisation of data seen before), at every one of the 10.
  const hist = (JSON.parse(text) as { log_history: Array<{ step: number; epoch: number; loss?: number }> }).log_history;
  const ends: number[] = [];
  for (let i = 1; i < hist.length; i++) if (Math.floor(hist[i].epoch) > Math.floor(hist[i - 1].epoch)) ends.push(hist[i].step);
  assert.equal(ends.length, 10);
  const mean = (a: number, b: number) => {
    const v = hist.filter((e) => e.loss !== undefined && e.step >= a && e.step < b).map((e) => e.loss!);
    return v.reduce((x, y) => x + y, 0) / v.length;
  };
  for (const b of ends) assert.ok(mean(b, b + 1000) / mean(b - 1000, b) < mean(b - 1000, b) / mean(b - 2000, b - 1000), `at step ${b}`);
  const j = await fit(file, 0.5);
  assert.ok(j.trust.reasons.some((r) => /makes 12 passes over its data \(trainer_state\.json's "epoch": a dataset without a length/.test(r)), j.trust.reasons.join('\n'));
  assert.ok(!j.trust.reasons.some((r) => /9\.2e|9223372036854775807/.test(r)), j.trust.reasons.join('\n'));
  assert.equal(j.prediction.step, 100000);
  // Its training loss over repeated data: open below from the next pass's start, and the truth inside.
  const held = j.backtest.find((b) => b.heldOut)!;
  assert.match(j.trust.band, /open below to 0 from step \d+, where a new pass over the data begins/);
  assert.ok(j.prediction.lo <= held.actual && held.actual <= j.prediction.hi);
});

test('a held-out loss over repeated data (real LoRA SFT Trainer state, 5 passes) from 50%: the band is open above, not below, and holds the real last eval loss', async () => {
  const { file } = gunzipFixture(tmp, 'trainer-state-mcfed-lora-sft-5ep.json');
  type Full = J & { candidates: Array<{ law: string }> };
  const at = async (series: string) =>
    fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 30, fitUntil: 0.5, series })).state) as unknown as Full;
  const ev = await at('eval_loss');
  const held = ev.backtest.find((b) => b.heldOut)!;
  // The eval loss rose over the later passes (overfitting): above the law's prediction, which a falling law cannot follow.
  assert.ok(held.actual > ev.prediction.loss * 1.05, `${held.actual} against ${ev.prediction.loss}`);
  assert.equal(ev.prediction.hi, Infinity);
  assert.ok(ev.prediction.lo > 0 && ev.prediction.lo < ev.prediction.loss, `${ev.prediction.lo}`);
  assert.ok(ev.prediction.lo <= held.actual);
  assert.match(ev.trust.band, /open above from step .*: a held-out loss on repeated data can turn up at any later pass \(overfitting/);
  assert.doesNotMatch(ev.trust.band, /open below to 0/);
  // Memorisation's drop at each pass is a training-loss law: not a candidate for the eval loss.
  assert.ok(!ev.candidates.some((c) => c.law === 'passes'), ev.candidates.map((c) => c.law).join(', '));
  // The same file's training loss: the passes law is fitted and the band is open below, not above.
  const tr = await at('loss');
  assert.ok(tr.candidates.some((c) => c.law === 'passes'), tr.candidates.map((c) => c.law).join(', '));
  assert.ok(Number.isFinite(tr.prediction.hi));
  assert.doesNotMatch(tr.trust.band, /open above/);
  // In JSON (the CLI's --json) an open upper end is null.
  assert.equal((JSON.parse(JSON.stringify(ev)) as J).prediction.hi, null);
});

test('a held-out loss of a run over one pass (real llm.c GPT-2 124M console, FineWeb 10B once) keeps a closed band', async () => {
  const { file } = gunzipFixture(tmp, 'llmc-gpt2-124m-main.log');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 30, fitUntil: 0.5, series: 'val_loss' })).state) as unknown as J;
  assert.ok(Number.isFinite(j.prediction.hi) && j.prediction.lo > 0, `${j.prediction.lo} – ${j.prediction.hi}`);
  assert.doesNotMatch(j.trust.band, /open (above|below)/);
  assert.ok(!j.trust.reasons.some((r) => /passes over its data/.test(r)), j.trust.reasons.join('\n'));
});

test('an open upper end crosses the webview\'s JSON postMessage: null on the wire, Infinity again on receipt (a missing band stays missing)', async () => {
  const { file } = gunzipFixture(tmp, 'trainer-state-mcfed-lora-sft-5ep.json');
  const { state } = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5, series: 'eval_loss' });
  const sent = JSON.parse(JSON.stringify({ type: 'state', state })) as ToWebview & { type: 'state' };
  const f = sent.state.kind === 'log' ? sent.state.fit! : assert.fail('a log state');
  assert.equal(f.prediction!.hi, null);
  reviveOpenBands(sent);
  assert.equal(f.prediction!.hi, Infinity);
  const ext = f.curves.find((c) => c.kind === 'extrapolation')!;
  assert.equal(ext.hi![ext.hi!.length - 1], Infinity);
  assert.ok(ext.hi!.every((v) => typeof v === 'number'));
  // No band at all (both ends NaN, null on the wire): left null, not read as open.
  const none = { type: 'state', state: { ...sent.state, fit: { ...f, prediction: { ...f.prediction!, lo: null, hi: null } } } } as unknown as ToWebview & { type: 'state' };
  reviveOpenBands(none);
  assert.equal((none.state as { fit: { prediction: { hi: unknown } } }).fit.prediction.hi, null);
});

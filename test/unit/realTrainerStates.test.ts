// Real Hugging Face Trainer states found by one search (test/fixtures/SOURCES.md, `trainer-state-*`):
// fine-tunes over many passes whose training loss fell far below anything the fitted laws or the
// repeated-data band allowed (a CodeBERT classifier: 0.05 at its midpoint, 2.5e-4 at its end), and a
// streamed Whisper run whose `num_train_epochs` is sys.maxsize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { gunzipFixture } from './fixtureUtil';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-ts-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

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
  // Fitted within its last pass (from step 4,878), no new pass is ahead: the band keeps a lower end.
  const last = await fit(file, 0.95);
  assert.ok(last.prediction.lo > 0, `${last.prediction.lo}`);
  assert.doesNotMatch(last.trust.band, /open below to 0/);
});

test('a streamed run (real Whisper Trainer state) whose num_train_epochs is sys.maxsize is not said to repeat its data', async () => {
  const { file } = gunzipFixture(tmp, 'trainer-state-whisper-tiny-nob-100k.json');
  const j = await fit(file, 0.5);
  assert.ok(!j.trust.reasons.some((r) => /passes over its data/.test(r)), j.trust.reasons.join('\n'));
  assert.doesNotMatch(j.trust.band, /repeated data|new pass/);
  assert.equal(j.prediction.step, 100000);
});

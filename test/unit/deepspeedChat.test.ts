// DeepSpeed-Chat's supervised fine-tuning console (microsoft/DeepSpeedExamples' own training_log_output,
// found by a helper search in the nineteenth session): its only metric is the held-out perplexity
// after each epoch (`***** Evaluating perplexity, Epoch 3/16 *****` then `ppl: 1.93`), its LR is on
// DeepSpeed's `[Rank 0] step=N, skipped=S, lr=[…]` lines. It was refused: "not a training log".
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { detectLogFiles } from '../../src/core/detectLogs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const NAME = 'deepspeed-chat-opt-1.3b-sft.log';
const GZ = path.join(FIXTURES, `${NAME}.gz`);

const points = (log: { data: Record<string, Float64Array> }, col: string) =>
  Array.from(log.data[col]).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));

test('a real DeepSpeed-Chat SFT console: the perplexity after each of 16 epochs as val_loss, the LR from DeepSpeed, 16 epochs planned', async () => {
  const text = zlib.gunzipSync(fs.readFileSync(GZ)).toString('utf8');
  const ppl = [...text.matchAll(/^ppl: ([\d.]+)$/gm)].map((m) => Number(m[1]));
  assert.equal(ppl.length, 17);
  const log = await parseLogFile(GZ);
  assert.equal(log.format, 'text');
  assert.equal(log.columns.find((c) => c.name === 'val_loss')?.role, 'eval_loss');
  assert.equal(log.columns.find((c) => c.name === 'lr')?.role, 'lr');
  // Epoch k's evaluation comes after DeepSpeed's `step=k×460` line (460 micro-batches, no
  // accumulation); epoch 0's, before training, is at step 0.
  const val = points(log, 'val_loss');
  assert.deepEqual(val.map(([s]) => s), ppl.map((_, k) => k * 460));
  val.forEach(([, v], k) => assert.ok(Math.abs(v - Math.log(ppl[k])) < 1e-12, `epoch ${k}`));
  // Line 12: `[Rank 0] step=10, skipped=6, lr=[9.649992967150629e-06, 9.649992967150629e-06]`.
  const lr = points(log, 'lr');
  assert.deepEqual(lr[0], [10, 9.649992967150629e-6]);
  assert.equal(lr.length, 736);
  assert.equal(log.run?.plannedSteps?.steps, 16 * 460);
  assert.match(log.run?.plannedSteps?.source ?? '', /DeepSpeed-Chat's "Evaluating perplexity, Epoch N\/E" lines/);
  assert.ok(log.problems.some((p) => p.severity === 'info' && /"val_loss" is the log of the perplexity printed after each epoch/.test(p.message)));
});

test('the editor finds the DeepSpeed-Chat console, and fits its held-out loss under its logged cosine', async () => {
  const dir = tmpDir('sl-dschat-');
  try {
    const { file } = gunzipFixture(dir, NAME);
    assert.deepEqual(await detectLogFiles([file]), [file]);
    // Fitted on its first half (8 epochs), predicted at its last evaluation.
    const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 });
    assert.equal(a.state.options.series, 'val_loss');
    const j = fitToJson(a.state) as { schedule?: { kind: string; futureKnown: boolean }; backtest?: Array<{ heldOut?: boolean; actual: number; errorPct: number }> };
    assert.equal(j.schedule?.kind, 'cosine');
    assert.equal(j.schedule?.futureKnown, true);
    const held = j.backtest?.find((b) => b.heldOut);
    assert.ok(held, 'a held-out prediction');
    assert.ok(Math.abs(held!.actual - Math.log(1.8085135221481323)) < 1e-9, String(held!.actual));
    assert.ok(Number.isFinite(held!.errorPct));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("DeepSpeed's step lines alone, or a ppl line without its head, are no DeepSpeed-Chat rows", () => {
  const ds = (s: number) => `[2023-04-18 01:46:59,142] [INFO] [logging.py:96:log_dist] [Rank 0] step=${s}, skipped=0, lr=[1e-05, 1e-05], mom=[(0.9, 0.95), (0.9, 0.95)]`;
  // A DeepSpeed run whose loss is on its own lines: the engine's step lines add no rows of their own.
  const plain = Array.from({ length: 5 }, (_, i) => `${ds((i + 1) * 10)}\nstep ${(i + 1) * 10}: loss ${(3 - i / 10).toFixed(2)}`).join('\n') + '\nppl: 12.5\n';
  const log = parseLogText(plain, 'train.log');
  assert.equal(log.rows, 5);
  assert.ok(!log.columns.some((c) => c.name === 'val_loss' || c.name === 'lr'), log.columns.map((c) => c.name).join(', '));
  // A head whose next line is no perplexity: nothing at that epoch.
  const lines = ['***** Evaluating perplexity, Epoch 0/2 *****', 'ppl: 100.0', ds(10), ds(20), '***** Evaluating perplexity, Epoch 1/2 *****', 'OOM while evaluating', ds(30), ds(40), '***** Evaluating perplexity, Epoch 2/2 *****', 'ppl: 4.0'];
  const two = parseLogText(lines.join('\n') + '\n', 'train.log');
  assert.deepEqual(points(two, 'val_loss'), [[0, Math.log(100)], [40, Math.log(4)]]);
  assert.equal(two.run?.plannedSteps?.steps, 40);
});

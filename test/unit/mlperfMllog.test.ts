// MLPerf Training's result logs (MLLOG: `:::MLLOG {json}` events), found by a helper search in the
// nineteenth session: taken for CSVs (the first event's commas a header), every metric dropped and
// "no loss series found".
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { detectFormat, parseLogFile, parseLogText } from '../../src/core/logs';
import { printedModel } from '../../src/core/logHead';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { FIXTURES } from './fixtureUtil';

const GPT3 = path.join(FIXTURES, 'mlperf-gpt3-google', 'result_0.txt');
const LORA = path.join(FIXTURES, 'mlperf-llama2-lora-juniper', 'result_0.txt');

const points = (log: { data: Record<string, Float64Array> }, col: string) =>
  Array.from(log.data[col]).map((v, i) => [log.data.step[i], v]).filter(([, v]) => Number.isFinite(v));

test('a real MLPerf LLaMA-2 70B LoRA log: train_loss at samples_count over the global batch, the eval loss held out, the planned steps', async () => {
  assert.equal(detectFormat('result_0.txt', fs.readFileSync(LORA, 'utf8').slice(0, 65536)), 'text');
  const log = await parseLogFile(LORA);
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('train_loss'), 'loss');
  assert.equal(role('val_loss'), 'eval_loss');
  const train = points(log, 'train_loss');
  assert.equal(train.length, 46);
  // Line 22: `"key": "train_loss", "value": 3.7142, "metadata": {… "samples_count": 80}`, global batch 8.
  assert.deepEqual(train[0], [10, 3.7142]);
  const val = points(log, 'val_loss');
  assert.equal(val.length, 7);
  assert.equal(val[0][0], 1536 / 8);
  assert.equal(log.run?.plannedSteps?.steps, 1024);
  assert.match(log.run?.plannedSteps?.source ?? '', /MLPerf's opt_learning_rate_training_steps = 1024 \(line 13\)/);
});

test("a real MLPerf GPT-3 log: its eval log perplexity at epoch_num, in tokens, over the tokens of a step", async () => {
  const log = await parseLogFile(GPT3);
  const val = points(log, 'val_loss');
  assert.equal(val.length, 24);
  // epoch_num 50,331,648 tokens = 12 steps of 2,048 sequences of 2,048 tokens.
  assert.deepEqual(val[0], [12, 2.7481878214839246]);
  assert.ok(!log.columns.some((c) => c.role === 'loss'));
  // Its events give the tokens of a step (2,048 sequences of 2,048): the run is fitted against tokens
  // (the first evaluation, step 12, at 50,331,648 tokens: its epoch_num).
  const m = printedModel(fs.readFileSync(GPT3, 'utf8'));
  assert.equal(m.tokensPerStep, 2048 * 2048);
  assert.equal(m.tokensMllog, true);
  const a = await analyzeFile(GPT3, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.options.xKind, 'tokens');
  assert.match(a.state.configNote ?? '', /4,194,304 tokens per step \(global_batch_size × max_sequence_length as the MLLOG events in result_0\.txt give them, from line 20\)/);
});

test("another benchmark's eval_accuracy stays an accuracy; an event with no step is skipped and said", () => {
  const ev = (key: string, value: unknown, meta: Record<string, unknown> = {}) => `:::MLLOG ${JSON.stringify({ namespace: '', time_ms: 1, event_type: 'POINT_IN_TIME', key, value, metadata: { file: 'x.py', lineno: 1, ...meta } })}`;
  const lines = [
    ev('submission_benchmark', 'resnet'), ev('global_batch_size', 3264),
    ev('eval_accuracy', 0.52, { epoch_num: 4 }),
    ev('train_loss', 3.1, { step_num: 100 }), ev('train_loss', 3.0, { step_num: 200 }),
    ev('eval_accuracy', 0.61, { samples_count: 3264 * 300 }),
    `0: ${ev('train_loss', 2.9, { step_num: 300 })}`,
    ev('__proto__', 1, { step_num: 400 }), ev('constructor', 1, { step_num: 400 }),
  ];
  const log = parseLogText(lines.join('\n') + '\n', 'result_0.txt');
  assert.deepEqual(points(log, 'train_loss'), [[100, 3.1], [200, 3.0], [300, 2.9]]);
  // (An accuracy: a column no fit uses, named, not kept.)
  assert.equal(log.columns.find((c) => c.name === 'eval_accuracy')?.role, 'other');
  assert.ok(!log.columns.some((c) => c.name === 'val_loss'));
  assert.ok(log.problems.some((p) => /an MLLOG "eval_accuracy" event with no step/.test(p.message)));
});

// Two real consoles of lit-gpt's 2023 scripts (test/fixtures/SOURCES.md): TinyLlama's pretraining
// (pretrain/tinyllama.py, a fork's 120M run killed at iteration 2446) and a course's lit-gpt pretraining
// of Pythia-160M in a notebook. Their line, `iter 16 step 1: loss 11.0188, iter time: 280.17ms
// (optimizer.step) remaining time: 129.59 hours.  or 5.40 days. `, counts iterations (micro-batches);
// the hyper-parameters they print first (`{'max_iters': 1840000, …}`) say where the loop ends, in
// iterations. Before, the generic reader kept the rows but read no planned end, and TinyLlama's
// `remaining time: … or 5.21 days.` gave columns "remaining_time" and "or".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, type ParsedLog } from '../../src/core/logs';
import { LITGPT23_LINE_RE } from '../../src/core/logs/detect';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-litgpt23-');
const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);

test('TinyLlama pretraining: a row per iteration, planned to max_iters, no columns from the remaining time', async () => {
  const { file, text } = gunzipFixture(tmp, 'tinyllama-wk120m-safari-pretrain.txt');
  const lines = text.split('\n');
  const iterLines = lines.filter((l) => /^iter \d+ step \d+: loss /.test(l));
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, iterLines.length, log.problems.map((p) => p.message).join('\n'));
  assert.equal(log.rows, 2446);
  // The axis is the iteration, as printed: the last line is `iter 2446 step 152: loss 6.3467`.
  const steps = col(log, 'step'), loss = col(log, 'loss');
  assert.equal(steps[0], 1);
  assert.equal(steps[steps.length - 1], 2446);
  assert.equal(loss[loss.length - 1], 6.3467);
  // Line 14, its printed hyper-parameters: 'max_iters': 1840000 (max_step 115000 × 16 micro-batches).
  assert.match(lines[13], /'max_iters': 1840000,/);
  assert.equal(log.run?.plannedSteps?.steps, 1840000);
  assert.match(log.run?.plannedSteps?.source ?? '', /'max_iters': 1840000 \(line 14\)/);
  for (const junk of ['or', 'remaining_time', 'remaining']) assert.ok(!log.columns.some((c) => c.name === junk), junk);
  // 16 iterations a step: the first `(optimizer.step)` line is iteration 16, step 1 (line 46).
  assert.match(lines[45], /^iter 16 step 1: .* \(optimizer\.step\)/);
  assert.ok(log.problems.some((p) => p.line === 46 && /16 iterations \(micro-batches\) make an optimizer step/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test("lit-gpt's pretraining in a notebook: its LR read, iterations from 0, planned to max_iters", async () => {
  const file = path.join(FIXTURES, 'litgpt2023-era-pythia160m-pretrain.ipynb');
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Array<{ outputs?: Array<{ text?: string[] }> }> };
  const printed = nb.cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => o.text ?? [])).join('');
  const iterLines = printed.split('\n').filter((l) => /^iter \d+ step \d+: loss /.test(l));
  assert.equal(iterLines.length, 7);
  assert.match(printed, /'max_iters': 15000,/);
  const log = await parseLogFile(file);
  assert.equal(log.rows, 7, log.problems.map((p) => p.message).join('\n'));
  // `iter 0 step 1: loss 10.9833, LR: 0.000000, …` to `iter 600 step 601: loss 6.1363, LR: 0.001800, …`.
  assert.deepEqual(col(log, 'step'), [0, 100, 200, 300, 400, 500, 600]);
  assert.deepEqual(col(log, 'lr'), [0, 0.0003, 0.0006, 0.0009, 0.0012, 0.0015, 0.0018]);
  assert.equal(col(log, 'loss')[6], 6.1363);
  assert.equal(log.run?.plannedSteps?.steps, 15000);
  assert.ok(log.problems.some((p) => /every iteration makes an optimizer step/.test(p.message)));
});

test('the lit-gpt 2023 line regex is linear on hostile input', () => {
  assertLinear('remaining time digits', (n) => { LITGPT23_LINE_RE.test(`iter 1 step 1: loss 1.0, iter time: 1.0ms remaining time: ${'9'.repeat(n)}`); }, 20000);
  assertLinear('repeated numbers', (n) => { LITGPT23_LINE_RE.test(`iter 1 step 1: loss ${'1.'.repeat(n)}`); }, 20000);
});

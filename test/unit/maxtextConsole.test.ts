// MaxText's console (a real LLaMA-2 7B run, Apache-2.0): its `completed step: N, …, loss: …` lines
// were read, but not the config it prints before them, so a 30-step run was extrapolated to "290
// steps" with no schedule, no tokens per step and no model size.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { scheduleFromConfigText } from '../../src/core/fit/schedule';
import { printedModel } from '../../src/core/logHead';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';

const FILE = path.join(FIXTURES, 'maxtext-llama2-7b-console.log');

test("MaxText's printed config plans the LR: linear warm-up over warmup_steps_fraction, cosine to the final fraction at learning_rate_schedule_steps", () => {
  const p = scheduleFromConfigText(fs.readFileSync(FILE, 'utf8'), 'maxtext-llama2-7b-console.log');
  assert.ok(p);
  assert.equal(p.totalSteps, 30);
  assert.equal(p.warmupSteps, 3);
  assert.equal(p.decay, 'cosine');
  assert.equal(p.minRatio, 0.1);
  assert.equal(p.decayEnd, 30);
  assert.match(p.source, /MaxText's schedule \(linear warm-up, then cosine\)/);
  // A schedule shorter than the run: the cosine ends there (warm-up a fraction of it), -1 meaning the run's steps.
  const q = scheduleFromConfigText('Config param steps: 1000\nConfig param learning_rate_schedule_steps: 800\nConfig param warmup_steps_fraction: 0.05\nConfig param cosine_learning_rate_final_fraction: 0.2\n', 'x.log')!;
  assert.deepEqual([q.totalSteps, q.warmupSteps, q.decayEnd, q.minRatio], [1000, 40, 800, 0.2]);
  const r = scheduleFromConfigText('Config param steps: 1000\nConfig param learning_rate_schedule_steps: -1\nConfig param warmup_steps_fraction: 0.1\n', 'x.log')!;
  assert.deepEqual([r.totalSteps, r.warmupSteps, r.decayEnd], [1000, 100, undefined]);
});

test('MaxText prints its model size and its global batch: N and tokens per step', () => {
  const m = printedModel(fs.readFileSync(FILE, 'utf8'));
  assert.equal(m.params, 6.738e9);
  assert.equal(m.paramsRounded, true);
  assert.equal(m.tokensPerStep, 96 * 2048);
  assert.equal(m.tokensMaxText, true);
});

test('the real MaxText run is fitted against tokens with its schedule, predicted at its planned end', async () => {
  const a = await analyzeFile(FILE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.match(a.state.configNote ?? '', /N ≈ 6,738,000,000 parameters as printed \(rounded\) in maxtext-llama2-7b-console\.log, line 201; 196,608 tokens per step \(global_batch_size_to_train_on × max_target_length as MaxText printed them/);
  const j = fitToJson(a.state) as {
    xKind: string; rows: number; schedule?: { kind: string; warmup: number; total: number }; prediction?: { step?: number }; messages: string[];
  };
  assert.equal(j.xKind, 'tokens');
  assert.equal(j.rows, 30);
  assert.equal(j.prediction?.step, 30);
  assert.ok(!j.messages.some((m) => /extrapolated to 10× the last point/.test(m)), j.messages.join('\n'));
});

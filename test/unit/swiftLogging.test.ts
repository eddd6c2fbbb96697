// ms-swift's `logging.jsonl` (`swift sft` output dirs). Version 3.x writes a row's step only as text,
// `"global_step/max_steps": "10/438"`; every row of a real 3.x log (a Qwen3-8B LoRA run, 438 steps,
// found by the twenty-first session's helper in a public repository that states no licence, so not
// copied) was dropped as "no step value" and the fit said "no loss series found". Built here in its
// shape: a first row at step 1, then one every 10 steps, an evaluation every 100, and the closing
// summary line with its own `global_step` and the `log_history`.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { tmpDir } from './tmpUtil';

const TOTAL = 438;
const lossAt = (s: number): number => 0.12 + 3 / Math.pow(s, 0.6);

function swift3(upTo = TOTAL): string {
  const lines: string[] = [];
  const counter = (s: number): Record<string, unknown> => ({ 'global_step/max_steps': `${s}/${TOTAL}`, percentage: `${((100 * s) / TOTAL).toFixed(2)}%`, elapsed_time: `${Math.round(s * 5)}s`, remaining_time: '36m 53s', 'memory(GiB)': 16.38 });
  for (let s = 1; s <= upTo; s = s === 1 ? 10 : s + 10) {
    const lr = 1e-4 * 0.5 * (1 + Math.cos((Math.PI * s) / TOTAL));
    lines.push(JSON.stringify({ loss: +lossAt(s).toFixed(8), grad_norm: 2.1, learning_rate: +lr.toExponential(3), token_acc: 0.9, epoch: +(s / TOTAL).toFixed(8), ...counter(s), 'train_speed(iter/s)': 0.19 }));
    if (s % 100 === 0) lines.push(JSON.stringify({ eval_loss: +(lossAt(s) + 0.02).toFixed(8), eval_runtime: 148.4, eval_token_acc: 0.93, epoch: +(s / TOTAL).toFixed(8), ...counter(s) }));
  }
  if (upTo >= TOTAL) lines.push(JSON.stringify({ train_dataset: '287.5±102.3, min=63, max=1005, size=6994', last_model_checkpoint: '/out/checkpoint-438', best_metric: 0.1293, global_step: TOTAL, log_history: [{ loss: 20.5, step: 1 }, { loss: 3.9, step: 10 }] }));
  return lines.join('\n') + '\n';
}

test('ms-swift 3.x logging.jsonl: the step and the planned end are read from "global_step/max_steps": "N/438"', () => {
  const log = parseLogText(swift3(), 'logging.jsonl');
  assert.equal(log.format, 'jsonl');
  const steps = Array.from(log.data.global_step);
  assert.deepEqual(steps.slice(0, 4), [1, 10, 20, 30]);
  assert.equal(log.columns.find((c) => c.name === 'global_step')?.role, 'step');
  assert.equal(log.columns.find((c) => c.name === 'loss')?.role, 'loss');
  assert.equal(log.columns.find((c) => c.name === 'eval_loss')?.role, 'eval_loss');
  assert.equal(log.columns.some((c) => c.name === 'global_step/max_steps'), false, 'the text counter is not a column');
  // 44 training rows; the 4 evaluations share their step's row; the summary is its own row at 438.
  const loss = Array.from(log.data.loss).filter(Number.isFinite);
  assert.equal(loss.length, 44);
  assert.equal(loss[1], +lossAt(10).toFixed(8));
  const evals = Array.from(log.data.eval_loss).map((v, i) => [steps[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(evals.map(([s]) => s), [100, 200, 300, 400]);
  assert.equal(log.run?.plannedSteps?.steps, TOTAL);
  assert.equal(log.run?.plannedSteps?.source, 'ms-swift\'s "global_step/max_steps": "N/438" (line 1)');
  assert.equal(log.problems.filter((p) => /no step value/.test(p.message)).length, 0, log.problems.map((p) => p.message).join('\n'));
});

test('ms-swift 3.x, a run still going: fitted from the explorer\'s entry, extrapolated to its planned step 438 under its logged cosine', async () => {
  const dir = tmpDir('sl-swift-');
  try {
    const file = path.join(dir, 'logging.jsonl');
    fs.writeFileSync(file, swift3(250));
    const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
    const j = fitToJson(a.state) as { error?: string; prediction?: { step?: number; loss: number }; schedule?: { total: number } };
    assert.equal(j.error, undefined);
    assert.equal(j.schedule?.total, TOTAL);
    assert.equal(j.prediction?.step, TOTAL);
    assert.ok(Math.abs(j.prediction!.loss - lossAt(TOTAL)) / lossAt(TOTAL) < 0.1, `${j.prediction!.loss} vs ${lossAt(TOTAL)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ms-swift: a "global_step/max_steps" that is not N/M is left as text, and a numeric global_step (2.x) wins over it', () => {
  const bad = parseLogText([1, 2, 3].map((s) => JSON.stringify({ loss: 1 / s, 'global_step/max_steps': `step ${s}` })).join('\n') + '\n', 'logging.jsonl');
  assert.equal(bad.run?.plannedSteps, undefined);
  assert.ok(!bad.columns.some((c) => c.name === 'global_step'));
  const both = parseLogText([1, 2, 3].map((s) => JSON.stringify({ loss: 1 / s, global_step: s * 5, 'global_step/max_steps': `${s}/9` })).join('\n') + '\n', 'logging.jsonl');
  assert.deepEqual(Array.from(both.data.global_step), [5, 10, 15]);
  assert.equal(both.run?.plannedSteps, undefined);
});

// Real logs read with gaps (loghunt 6 and 7): detectron2 LazyConfig output folders, whose config.yaml
// has no SOLVER block but `train: max_iter` and an fvcore `lr_multiplier` (the end was extrapolated
// to 10× the last step, the LR held constant), their metrics.json's closing rows (a flush of lr and
// time said as "LitGPT's" final evaluation; a flush row without a loss said as a restart); and
// DeepSpeedExamples' data-efficiency GPT-2 fine-tune, whose `'step':N, 'ppl': …` evaluations were
// refused as no training log.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { parseLogFile } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { detectron2Schedule } from '../../src/core/fit/detectron2';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const SWIN = path.join(FIX, 'd2-swin-lazy-killed');
const MVIT = path.join(FIX, 'd2-mvit-restart');
const DS = path.join(FIX, 'ds-randomltd-gpt2-ppl-training.log.gz');

test('a LazyConfig config.yaml: train.max_iter ends the plan, lr_multiplier steps ×0.1 and ×0.01 at its milestones after its warm-up', async () => {
  const text = fs.readFileSync(path.join(SWIN, 'config.yaml'), 'utf8');
  assert.doesNotMatch(text, /^SOLVER:/m);
  const p = detectron2Schedule(text, 'config.yaml');
  assert.ok(p);
  assert.equal(p.totalSteps, 92187);
  assert.equal(p.decay, 'multistep');
  // warmup_length 0.0013559… of 92187 iterations: 125 (fvcore's where + 1e-6 ≤ length).
  assert.equal(p.warmupSteps, 125);
  assert.equal(p.curve[81943], 1);
  assert.ok(Math.abs(p.curve[81944] - 0.1) < 1e-12);
  assert.ok(Math.abs(p.curve[88772] - 0.1) < 1e-12);
  assert.ok(Math.abs(p.curve[88773] - 0.01) < 1e-12);
  assert.ok(Math.abs(p.curve[92187] - 0.01) < 1e-12);
  // The plan is the LR the run logged: metrics.json's lr over optimizer.lr (1e-4) at every logged iteration.
  const log = await parseLogFile(path.join(SWIN, 'metrics.json.gz'));
  const step = log.data.iteration!, lr = log.data.lr!;
  let checked = 0;
  for (let i = 0; i < log.rows; i++) {
    if (!(lr[i] === lr[i])) continue;
    assert.ok(Math.abs(p.curve[step[i]] - lr[i] / 1e-4) < 1e-6, `iteration ${step[i]}: ${p.curve[step[i]]} vs ${lr[i] / 1e-4}`);
    checked++;
  }
  assert.ok(checked > 300);
});

test('the run folder: the planned end is train.max_iter, not 10× the last step; the LR after the log follows the plan', async () => {
  const j = fitToJson((await analyzeFile(path.join(SWIN, 'metrics.json.gz'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { schedule?: { source: string; total: number; futureKnown: boolean }; messages: string[] };
  assert.equal(j.schedule?.total, 92187);
  assert.equal(j.schedule?.futureKnown, true);
  assert.match(j.schedule?.source ?? '', /config\.yaml: lr_multiplier \(linear warm-up 125 steps, ×0\.1 at step 81944, ×0\.01 at step 88773\), train\.max_iter=92187/);
  assert.ok(!j.messages.some((n) => /extrapolated to 10× the last step/.test(n)), j.messages.join('\n'));
});

test("MViT's LazyConfig: milestones without num_updates are spread over train.max_iter as fvcore does (end 20000)", async () => {
  const p = detectron2Schedule(fs.readFileSync(path.join(MVIT, 'config.yaml'), 'utf8'), 'config.yaml');
  assert.ok(p);
  assert.equal(p.totalSteps, 20000);
  // milestones [1, 10000, 15000]: num_updates 15000, steps at 1 and 10000 of it, i.e. at iterations
  // 2 (inside the warm-up) and ⌈10000 × 20000 / 15000⌉ = 13334; the warm-up (0.0037 × 20000) to ×0.1.
  assert.equal(p.warmupSteps, 75);
  assert.ok(Math.abs(p.curve[13333] / p.curve[100] - 1) < 1e-12);
  assert.ok(Math.abs(p.curve[13334] / p.curve[100] - 0.1) < 1e-12);
  const log = await parseLogFile(path.join(MVIT, 'metrics.json'));
  const step = log.data.iteration!, lr = log.data.lr!;
  for (let i = 0; i < log.rows; i++) assert.ok(Math.abs(p.curve[step[i]] * 1.6e-5 - lr[i]) < 1e-9, `iteration ${step[i]}`);
  const j = fitToJson((await analyzeFile(path.join(MVIT, 'metrics.json'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { schedule?: { total: number } };
  assert.equal(j.schedule?.total, 20000);
});

test("metrics.json's closing rows: a flush of lr alone is not called LitGPT's final evaluation; a row without a loss before a step back is no restart", async () => {
  const swin = await parseLogFile(path.join(SWIN, 'metrics.json.gz'));
  assert.equal(swin.rows, 333);
  assert.equal(swin.data.iteration![332], 6652);
  assert.equal(swin.data.lr![332], 1e-4);
  const closing = swin.problems.find((p) => /:334: the last row goes back to step 6651/.test(p.message));
  assert.ok(closing, JSON.stringify(swin.problems));
  assert.doesNotMatch(closing.message, /LitGPT|final evaluation/);
  assert.match(closing.message, /merged at step 6652, not a new run/);

  const mvit = await parseLogFile(path.join(MVIT, 'metrics.json'));
  // Line 5 (iteration 87, no loss) then line 6 (iteration 86, the losses): an out-of-order row;
  // line 7 starts the run again from 19 (that one is a new run).
  assert.ok(!mvit.problems.some((p) => /restart: step goes back from 87 to 86/.test(p.message)), JSON.stringify(mvit.problems));
  assert.ok(mvit.problems.some((p) => /metrics\.json:6: step goes back from 87 to 86, and the row at step 87 \(line 5\) holds no loss/.test(p.message)), JSON.stringify(mvit.problems));
  assert.ok(mvit.problems.some((p) => /metrics\.json:7: a run starts again from step 19/.test(p.message)));
  assert.equal(mvit.stats.segments, 2);
  assert.equal(mvit.rows, 17);
  assert.equal(mvit.data.iteration![0], 19);
  assert.equal(mvit.data.iteration![16], 339);
});

test("DeepSpeed data-efficiency GPT-2 console: val_loss = ln(ppl) at each 'step', on DeepSpeed's optimizer steps, the banner's end ÷ gradient accumulation", async () => {
  const log = await parseLogFile(DS);
  const step = log.data.step!, val = log.data.val_loss!;
  const evals: Array<[number, number]> = [];
  for (let i = 0; i < log.rows; i++) if (val[i] === val[i]) evals.push([step[i], val[i]]);
  // 'step':0 … 'step':1047 printed every 10 script steps and at each epoch's end.
  const text = (await import('node:zlib')).gunzipSync(fs.readFileSync(DS)).toString('utf8');
  const dicts = [...text.matchAll(/^'step':(\d+), 'ppl': ([\d.]+),/gm)].map((m) => [Number(m[1]), Number(m[2])] as const);
  assert.equal(evals.length, dicts.length);
  // 'step' g is after g + 1 micro-batches; gradient_accumulation_steps 2: optimizer step ⌊(g + 1) / 2⌋.
  dicts.forEach(([g, ppl], k) => {
    assert.equal(evals[k][0], Math.floor((g + 1) / 2), `'step' ${g}`);
    assert.ok(Math.abs(evals[k][1] - Math.log(ppl)) < 1e-12);
  });
  // DeepSpeed's own counter ends at step=524 with the last evaluation ('step' 1047).
  assert.equal(evals[evals.length - 1][0], 524);
  assert.equal(step[log.rows - 1], 524);
  assert.ok(!log.columns.some((c) => c.role === 'tokens'), JSON.stringify(log.columns));
  assert.equal(log.run?.plannedSteps?.steps, 524);
  assert.match(log.run?.plannedSteps?.source ?? '', /"Total optimization steps = 1048", line 36\), which counts its 'step' \(micro-batches/);
  const note = log.problems.find((p) => /log of the perplexity/.test(p.message));
  assert.ok(note);
  assert.match(note.message, /:221: .*one each 2 micro-batches \(gradient_accumulation_steps, line 124\)/);
  assert.match(note.message, /'consume layer-tokens' .* not read as a tokens column/);
  const j = fitToJson((await analyzeFile(DS, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { series: string; schedule?: { total: number } };
  assert.equal(j.series, 'val_loss');
  assert.equal(j.schedule?.total, 524);
});

test('DeepSpeed-Chat step-2 consoles: the refusal says what they hold (evaluations only, too few), not a loss-scale line', async () => {
  const dpo = await parseLogFile(path.join(FIX, 'dschat-step2-dpo-opt-350M_globalBatchSize-32.log.gz')).then(() => '', (e: Error) => e.message);
  assert.match(dpo, /^dschat-step2-dpo-opt-350M_globalBatchSize-32\.log\.gz: a DeepSpeed-Chat step-2 console/);
  assert.match(dpo, /line 514, after "\*\*\*\*\* Evaluating rewards, Epoch 1\/1 \*\*\*\*\*": "chosen: 0\.0, rejected: 0\.0, loss: 0\.693359375"/);
  assert.match(dpo, /2 in all, each an evaluation loss; .*too few points to fit a curve/);
  assert.doesNotMatch(dpo, /most like a metric|Creating fp16/);
  const rm = await parseLogFile(path.join(FIX, 'dschat-step2-rm-opt-350m_globalBatchSize-64.log.gz')).then(() => '', (e: Error) => e.message);
  assert.match(rm, /line 4, after "\*\*\*\*\* Evaluating reward, Epoch 0\/1 \*\*\*\*\*": "chosen_last_scores/);
  assert.match(rm, /holding reward scores and accuracy, no loss/);
  assert.doesNotMatch(rm, /most like a metric|Reducing dynamic loss scale/);
});

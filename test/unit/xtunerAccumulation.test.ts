// XTuner (MMEngine) consoles with gradient accumulation (test/fixtures/SOURCES.md `xtuner-*`): a real
// InternVL2-2B QLoRA run (`Iter(train) [  10/2000]`, `accumulative_counts = 2`, `train_cfg =
// dict(max_epochs=8, type='xtuner.engine.runner.TrainLoop')`, LinearLR warm-up to epoch 0.24 then
// CosineAnnealingLR, both `by_epoch=True, convert_to_iter_based=True`) and an excerpt of a real
// InternLM-7B QLoRA console pasted in a README (`Epoch(train) [1][ 10/381]`, `accumulative_counts = 16`,
// one CosineAnnealingLR with T_max=3 epochs). Their step counter counts iterations (micro-batches):
// said, naming the config line; their planned schedule is read from the config they printed (the
// scheduler types written with their module, `type='mmengine.optim.LinearLR'`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { mmengineSchedule } from '../../src/core/fit/mmengine';
import { plannedLr } from '../../src/core/fit/schedule';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { gunzipFixture, lrMiss } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-xtuner-');

const RUNS = [
  { name: 'xtuner-internvl-qlora-20240827_063210.log', accum: 2 },
  { name: 'xtuner-internlm7b-qlora-console.EXCERPT.log', accum: 16 },
];

test('two real XTuner consoles: accumulative_counts > 1 in the printed config is said at its line (the axis is micro-batches)', async () => {
  for (const r of RUNS) {
    const { file, text } = gunzipFixture(tmp, r.name);
    const line = text.split(/\r?\n/).findIndex((l) => l === `accumulative_counts = ${r.accum}`) + 1;
    assert.ok(line > 0, r.name);
    const log = await parseLogFile(file);
    const said = log.problems.filter((p) => /accumulative_counts/.test(p.message));
    assert.equal(said.length, 1, r.name);
    assert.equal(said[0].line, line, r.name);
    assert.equal(said[0].severity, 'info');
    assert.match(said[0].message, new RegExp(`micro-batches, ${r.accum} to an optimizer step`), r.name);
  }
});

test('two real XTuner consoles: the param_scheduler they printed is the LR they logged, and the fit takes it as the plan', async () => {
  for (const r of RUNS) {
    const { file, text } = gunzipFixture(tmp, r.name);
    const log = await parseLogFile(file);
    const plan = mmengineSchedule(text, r.name, log.run?.epochsLogged?.stepsPerPass, log.run?.plannedSteps);
    assert.ok(plan, r.name);
    const { worst, rows } = lrMiss((s) => plannedLr(plan, s), log.data.step, log.data.lr);
    assert.ok(rows >= 100, `${r.name}: ${rows}`);
    // (The logged LR is printed to 5 significant digits.)
    assert.ok(worst < 0.001, `${r.name}: worst ${worst}`);
    const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { schedule: { total: number; source: string; futureKnown: boolean } };
    assert.match(j.schedule.source, /then as planned \([^)]{1,120}: param_scheduler \(/, r.name);
    assert.equal(j.schedule.futureKnown, true, r.name);
  }
});

test('XTuner\'s TrainLoop without an epoch column: an epoch is the logged iterations over max_epochs, and the warm-up of `end=0.24` epochs is its 60 iterations', () => {
  const { text } = gunzipFixture(tmp, RUNS[0].name);
  // Without the log's planned iterations there is no epoch length: no plan (not a guess).
  assert.equal(mmengineSchedule(text, 'log', undefined, undefined), undefined);
  const plan = mmengineSchedule(text, 'log', undefined, { steps: 2000, source: 'the log' });
  assert.ok(plan);
  assert.equal(plan.totalSteps, 2000);
  assert.equal(plan.warmupSteps, 60);
  assert.match(plan.source, /max_epochs=8 × 250 steps an epoch \(XTuner's TrainLoop/);
  // Logged `Iter(train) [  10/2000]  lr: 1.5255e-06` of lr = 1e-05: LinearLR from 1e-05 reaches 1 at the window's last iteration (59).
  assert.ok(Math.abs(plannedLr(plan, 10) - 0.15255) < 1e-4, String(plannedLr(plan, 10)));
  // Not an epoch length that leaves a remainder.
  assert.equal(mmengineSchedule(text, 'log', undefined, { steps: 2001, source: 'the log' }), undefined);
});

test('a real XTuner console cut inside its first epoch (`Epoch(train) [1][340/381]`): 381 is the epoch\'s length, and its max_epochs = 3 plans 1,143 steps, not 381', async () => {
  const { file, text } = gunzipFixture(tmp, 'xtuner-internlm7b-qlora-console.EXCERPT.log');
  // From the file itself: the config it printed says 3 epochs, and its counter goes 10…380 of 381 in epoch 1, then starts again in epoch 2.
  assert.match(text, /^max_epochs = 3$/m);
  assert.match(text, /Epoch\(train\) \[1\]\[380\/381\]/);
  assert.match(text, /Epoch\(train\) \[2\]\[ 10\/381\]/);
  // The first 40 of its training lines, all in epoch 1 (to iteration 400 they would have gone into epoch 2).
  const lines = text.split('\n');
  const firstRows = lines.findIndex((l) => /Epoch\(train\) \[1\]\[ 10\/381\]/.test(l));
  const at340 = lines.findIndex((l) => /Epoch\(train\) \[1\]\[340\/381\]/.test(l));
  const cut = path.join(tmp, 'xtuner-internlm7b-epoch1.log');
  fs.writeFileSync(cut, lines.slice(0, at340 + 1).join('\n') + '\n');
  assert.ok(firstRows > 0 && at340 > firstRows);
  const log = await parseLogFile(cut);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 381, JSON.stringify(log.run?.epochsLogged));
  assert.notEqual(log.run?.plannedSteps?.steps, 381, `planned end ${JSON.stringify(log.run?.plannedSteps)}`);
  const j = fitToJson((await analyzeFile(cut, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { schedule?: { total: number; source: string; futureKnown: boolean } };
  assert.equal(j.schedule?.total, 3 * 381);
  assert.equal(j.schedule?.futureKnown, true);
  assert.match(j.schedule!.source, /max_epochs=3 × 381 steps an epoch/);
  // The whole file's prefix fit at 30% (iteration 342 of 1,142) reads the same plan, and the run as 3 passes over its data.
  const p = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3 })).state) as unknown as { schedule?: { total: number }; messages: string[] };
  assert.equal(p.schedule?.total, 3 * 381);
  assert.ok(p.messages.some((m) => /the run makes 3 passes over its data \(max_epochs = 3/.test(m)), p.messages.join('\n'));
  assert.ok(p.messages.every((m) => !/planned end, step 381\b/.test(m)), p.messages.join('\n'));
});

test('a real XTuner console with no epoch column (`Iter(train) [  10/2000]`, TrainLoop with max_epochs = 8): the run makes 8 passes of 250 iterations over its data, at any cut', async () => {
  const { file, text } = gunzipFixture(tmp, 'xtuner-internvl-qlora-20240827_063210.log');
  // From the file itself: the config it printed runs 8 epochs under XTuner's TrainLoop, and its counter plans 2,000 iterations.
  assert.match(text, /^train_cfg = dict\(max_epochs=8, type='xtuner\.engine\.runner\.TrainLoop'\)$/m);
  assert.match(text, /Iter\(train\) \[  10\/2000\]/);
  assert.doesNotMatch(text, /Epoch\(train\)/);
  for (const fitUntil of [0.3, 0.5, undefined]) {
    const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, ...(fitUntil ? { fitUntil } : {}) })).state) as unknown as { messages: string[] };
    const at = `cut ${fitUntil ?? 'none'}`;
    assert.ok(j.messages.some((m) => /the run makes 8 passes over its data \(max_epochs = 8 in .*XTuner's TrainLoop/.test(m)), `${at}\n${j.messages.join('\n')}`);
    // Repeated data: its first 10% is skipped too, as for any run that makes several passes.
    assert.ok(j.messages.some((m) => /skipped the first 10% of the points too: .* as the run makes 8 passes over its data/.test(m)), `${at}\n${j.messages.join('\n')}`);
  }
});

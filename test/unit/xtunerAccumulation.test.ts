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
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { mmengineSchedule } from '../../src/core/fit/mmengine';
import { plannedLr } from '../../src/core/fit/schedule';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { gunzipFixture, lrMiss } from './fixtureUtil';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-xtuner-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

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

// MMEngine's param_scheduler read from the resolved config.py beside a real vis_data/scalars.json
// (five real OpenMMLab runs, test/fixtures/SOURCES.md `mmengine-*`): the plan is the LR the run logged,
// step for step, and what a prefix fit knows of the LR ahead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile, withTailFacts } from '../../src/core/logs';
import { mmengineSchedule } from '../../src/core/fit/mmengine';
import { plannedLr } from '../../src/core/fit/schedule';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES, lrMiss } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-mme-');

/** A fixture work dir written out as MMEngine leaves it: scalars.json (uncompressed) beside config.py. */
function workDir(name: string): { log: string; config: string } {
  const from = path.join(FIXTURES, name), dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(from, 'config.py'), path.join(dir, 'config.py'));
  const gz = path.join(from, 'scalars.json.gz');
  fs.writeFileSync(path.join(dir, 'scalars.json'), fs.existsSync(gz) ? zlib.gunzipSync(fs.readFileSync(gz)) : fs.readFileSync(path.join(from, 'scalars.json')));
  return { log: path.join(dir, 'scalars.json'), config: path.join(dir, 'config.py') };
}

const RUNS = [
  'mmengine-mmdet-faster-rcnn-triangle-50e', 'mmengine-mmpose-rtmpose-s-ear-300e', 'mmengine-mmpretrain-fruits-multistep-10e',
  'mmengine-mmdet-rtmdet-tiny-drinks-40e', 'mmengine-mmseg-watermelon-poly-8k',
];

test('five real runs: the param_scheduler read from config.py is the LR each run logged, at every logged step', async () => {
  for (const name of RUNS) {
    const { log: file, config } = workDir(name);
    const log = await withTailFacts(file, await parseLogFile(file));
    const plan = mmengineSchedule(fs.readFileSync(config, 'utf8'), 'config.py', log.run?.epochsLogged?.stepsPerPass);
    assert.ok(plan, name);
    const { worst, rows } = lrMiss((s) => plannedLr(plan, s), log.data.step, log.data.lr);
    assert.ok(rows >= 40, `${name}: ${rows}`);
    // Within 0.3% of the peak everywhere (the PolyLR run's first logged step is 0.2% off; the rest exact).
    assert.ok(worst < 0.003, `${name}: worst ${worst}`);
  }
});

test('the plan ends where the config says: max_epochs × the steps an epoch, or max_iters (not where a decay seen so far would reach 0)', async () => {
  const ends: Record<string, number> = {};
  for (const name of RUNS) {
    const { log } = workDir(name);
    const j = fitToJson((await analyzeFile(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as {
      schedule: { total: number; source: string; futureKnown: boolean }; trust: { reasons: string[] };
    };
    assert.match(j.schedule.source, /then as planned \(config\.py: param_scheduler \(/, name);
    assert.equal(j.schedule.futureKnown, true, name);
    ends[name] = j.schedule.total;
    // The cosine ahead of a prefix that saw a flat LR is said, not assumed away.
    if (name === 'mmengine-mmpose-rtmpose-s-ear-300e') assert.ok(j.trust.reasons.some((r) => /the LR decays by 95% of its peak after step 900, a decay the fitted range never saw/.test(r)), j.trust.reasons.join('\n'));
  }
  // 50 epochs × 86 iterations; MMSeg's 8,000 iterations (its logged poly decay, continued, reached 0 only at step 45,116).
  assert.equal(ends['mmengine-mmdet-faster-rcnn-triangle-50e'], 4300);
  assert.equal(ends['mmengine-mmseg-watermelon-poly-8k'], 8000);
  assert.equal(ends['mmengine-mmpose-rtmpose-s-ear-300e'], 1800);
});

test('a real RTMDet scalars.json whose training rows have epoch and step but no iter: its validations (step = the epoch) are not restarts', async () => {
  const { log: file } = workDir('mmengine-mmdet-rtmdet-tiny-drinks-40e');
  const log = await parseLogFile(file);
  const losses = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"loss"')).length;
  assert.equal(losses, 160);
  assert.equal(log.stats.superseded, 0);
  assert.ok(log.data.loss.filter(Number.isFinite).length === 160);
  assert.ok(log.problems.some((p) => /step 10 is the epoch .*placed at step 227/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  // The same rows under another name are a JSONL log like any other: a step going back is a restart.
  const other = path.join(tmp, 'metrics.jsonl');
  fs.copyFileSync(file, other);
  assert.ok((await parseLogFile(other)).stats.superseded > 0);
});

test('a param_scheduler it cannot read (an unknown scheduler type, no train_cfg end, or epochs without steps an epoch) plans nothing', () => {
  const cfg = (sched: string, train = "train_cfg = dict(by_epoch=True, max_epochs=10)") => `${train}\noptim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1))\nparam_scheduler = ${sched}\n`;
  assert.ok(mmengineSchedule(cfg("dict(type='MultiStepLR', by_epoch=True, milestones=[3, 6], gamma=0.1)"), 'config.py', 100));
  assert.equal(mmengineSchedule(cfg("dict(type='OneCycleLR', eta_max=0.1, total_steps=1000)"), 'config.py', 100), undefined);
  assert.equal(mmengineSchedule(cfg("dict(type='MultiStepLR', by_epoch=True, milestones=[3, 6], gamma=0.1)"), 'config.py', undefined), undefined);
  assert.equal(mmengineSchedule(cfg("dict(type='MultiStepLR', by_epoch=True, milestones=[3, 6], gamma=0.1)", ''), 'config.py', 100), undefined);
  // Values as planned: halved at epochs 3 and 6 of 100-step epochs (step 301 trains at the new LR).
  const p = mmengineSchedule(cfg("[dict(type='MultiStepLR', by_epoch=True, milestones=[3, 6], gamma=0.5)]"), 'config.py', 100)!;
  assert.equal(p.totalSteps, 1000);
  assert.deepEqual([300, 301, 600, 601, 1000].map((s) => plannedLr(p, s)), [1, 0.5, 0.5, 0.25, 0.25]);
  // An unbalanced expression (a truncated file) is not read past its budget.
  assert.equal(mmengineSchedule(`train_cfg = dict(max_iters=100)\nparam_scheduler = [dict(type='PolyLR', power=1.0${'('.repeat(50_000)}`, 'config.py'), undefined);
});

// timm (pytorch-image-models) writes a per-epoch summary.csv and the args.yaml of the run beside it.
// A real one (test/fixtures/timm-cub-105ep, Apache-2.0) ran 100 + 5 cooldown epochs under its default
// cosine schedule; the fit ignored args.yaml and extrapolated the finished run to 10× its last epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { plannedLr, timmSchedule } from '../../src/core/fit/schedule';
import { FIXTURES } from './fixtureUtil';

const DIR = join(FIXTURES, 'timm-cub-105ep');
type J = { schedule?: { kind: string; total: number; source: string }; prediction?: { step?: number }; backtest?: Array<{ heldOut?: boolean; horizon: number }>; messages?: string[] };
const ARGS = readFileSync(join(DIR, 'args.yaml'), 'utf8');

test('timm args.yaml: the cosine it plans in epochs (warm-up, decay to min_lr at `epochs`, cooldown held), counted from epoch 0', () => {
  const p = timmSchedule(ARGS, 'args.yaml', 0);
  assert.ok(p);
  assert.equal(p.totalSteps, 104);
  assert.equal(p.warmupSteps, 10);
  assert.equal(p.decay, 'cosine');
  assert.equal(p.decayEnd, 100);
  assert.ok(Math.abs(p.minRatio - 3e-6 / 2e-4) < 1e-12);
  // At min_lr from epoch 100 to the end (the cooldown), at its peak after the warm-up.
  assert.ok(Math.abs(plannedLr(p, 102) - p.minRatio) < 1e-9);
  assert.ok(plannedLr(p, 11) > 0.99);
  // Counted from 1 (a log whose first epoch is 1), the last epoch is 105.
  assert.equal(timmSchedule(ARGS, 'args.yaml', 1)?.totalSteps, 105);
  // Not guessed: another scheduler, a schedule stepped on updates, a YAML with no timm keys.
  assert.equal(timmSchedule(ARGS.replace('sched: cosine', 'sched: step'), 'args.yaml'), undefined);
  assert.equal(timmSchedule(ARGS.replace(/sched_on_updates: \w+/, 'sched_on_updates: true') + (/sched_on_updates/.test(ARGS) ? '' : '\nsched_on_updates: true\n'), 'args.yaml'), undefined);
  assert.equal(timmSchedule('sched: cosine\nepochs: 10\n', 'x.yaml'), undefined);
});

test('a real timm output folder: the run is fitted to its planned last epoch from args.yaml, not extrapolated 10×', async () => {
  const a = await analyzeFile(join(DIR, 'summary.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as unknown as J;
  assert.ok(j.schedule, JSON.stringify(j.messages));
  assert.equal(j.schedule.kind, 'cosine');
  assert.equal(j.schedule.total, 104);
  assert.match(j.schedule.source, /args\.yaml: sched=cosine, epochs=100, cooldown_epochs=5, warmup_epochs=10/);
  // The run reached its planned end: the "prediction" is the fit at its last epoch.
  assert.equal(j.prediction?.step, 104);
  // Half the run: the rest predicted to the last epoch, scored.
  const half = fitToJson((await analyzeFile(join(DIR, 'summary.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as J;
  const h = half.backtest?.find((b) => b.heldOut);
  assert.ok(h && h.horizon === 104, JSON.stringify(half.backtest));
});

test('the epoch-0 row of a per-epoch table is left out of the fit and said, with its line', async () => {
  const a = await analyzeFile(join(DIR, 'summary.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as unknown as J;
  assert.ok(j.messages?.includes('left out the point at epoch 0 (line 2): the laws are powers of epoch, and the log axis has no 0'), JSON.stringify(j.messages));
});

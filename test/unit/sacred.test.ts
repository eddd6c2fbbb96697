// Sacred (test/fixtures/sacred-jsb-chorales: two real runs of catniplab/ML-music-analysis, its
// FileStorageObserver's folders models/10 and models/80: metrics.json beside config.json and run.json).
// metrics.json holds a metric per key, `{"steps": [...], "timestamps": [...], "values": [...]}`; the
// script called `_run.log_scalar(name, value)` without a step, so each metric counts its own calls
// from 0 (trainLoss 300 values, testLoss and validLoss 150). Run 80 diverged: every loss is NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { isTrainingLogFile } from '../../src/core/detectLogs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { discoverRuns } from '../../src/core/runs/discover';
import { FIXTURES, rolesOf } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const ROOT = path.join(FIXTURES, 'sacred-jsb-chorales');
const RUN = path.join(ROOT, '10', 'metrics.json');
const DIVERGED = path.join(ROOT, '80', 'metrics.json');
const tmp = tmpDir('sl-sacred-');

type Metric = { steps: number[]; timestamps: string[]; values: number[] };
/** The file read here on its own (Python's json writes NaN, which JSON.parse refuses: read as null, then NaN). */
const doc = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8').replace(/\bNaN\b/g, 'null'), (_k, v: unknown) => (v === null ? NaN : v)) as Record<string, Metric>;

test("Sacred's metrics.json is a training log, though its accuracy metrics may fill the whole head before a loss", async () => {
  assert.equal(await isTrainingLogFile(RUN), true);
  // Its accuracies first (600 values, some 40 KB, as a longer run's first metric would be): by its name.
  const d = doc(RUN);
  const accFirst = JSON.stringify({ testAccuracy: d.testAccuracy, trainAccuracy: d.trainAccuracy, validAccuracy: d.validAccuracy, trainLoss: d.trainLoss }, null, 2);
  assert.doesNotMatch(accFirst.slice(0, 16 * 1024), /loss/i);
  const named = path.join(tmp, 'run', 'metrics.json');
  fs.mkdirSync(path.dirname(named), { recursive: true });
  fs.writeFileSync(named, accFirst);
  assert.equal(await isTrainingLogFile(named), true);
  // The same document under another name: a log only when a loss-named metric shows in the head.
  const other = path.join(tmp, 'stats.json');
  fs.writeFileSync(other, accFirst);
  assert.equal(await isTrainingLogFile(other), false);
  const lossFirst = path.join(tmp, 'history.json');
  fs.writeFileSync(lossFirst, JSON.stringify({ trainLoss: d.trainLoss, testAccuracy: d.testAccuracy }, null, 2));
  assert.equal(await isTrainingLogFile(lossFirst), true);
  // An object of objects without Sacred's `steps` list is not one (written over lines: one line would be a JSON-lines record).
  const notSacred = path.join(tmp, 'metrics.json');
  fs.writeFileSync(notSacred, JSON.stringify({ loss: { mean: 2.1, values: [1, 2] } }, null, 2));
  assert.equal(await isTrainingLogFile(notSacred), false);
});

test("a real Sacred run: one column a metric joined by step, its per-epoch metrics placed by their timestamps at the training loss's steps, the losses' roles read", async () => {
  const d = doc(RUN);
  const log = await parseLogFile(RUN);
  assert.equal(log.format, 'json');
  assert.equal(log.kind, 'run');
  assert.deepEqual(rolesOf(log, ['step', 'trainLoss', 'validLoss', 'testLoss', 'trainAccuracy']), { step: 'step', trainLoss: 'loss', validLoss: 'eval_loss', testLoss: 'eval_loss', trainAccuracy: 'other' });
  // The training metrics (300 values, twice an epoch) keep their count; a 150-value metric (once an
  // epoch) is placed at the step of the last training value logged at or before it (a linear scan here).
  const tRef = d.trainAccuracy.timestamps.map((t) => Date.parse(t));
  const placed = (n: string, i: number): number => {
    if (d[n].values.length === tRef.length) return d[n].steps[i];
    const t = Date.parse(d[n].timestamps[i]);
    let at = 0;
    for (let k = 0; k < tRef.length; k++) if (tRef[k] <= t) at = k;
    return at;
  };
  const steps = Array.from(log.data.step);
  assert.deepEqual(steps, d.trainLoss.steps, 'every step is a training step');
  for (const n of ['trainLoss', 'validLoss', 'testLoss']) {
    const col = log.data[n];
    const at = new Map<number, number>();
    for (let i = 0; i < d[n].values.length; i++) at.set(placed(n, i), d[n].values[i]);
    for (let k = 0; k < steps.length; k++) {
      const want = at.get(steps[k]);
      if (want === undefined) assert.ok(Number.isNaN(col[k]), `${n} has no value at step ${steps[k]}: ${col[k]}`);
      else assert.ok(Math.abs(col[k] - want) <= 1e-12 * Math.abs(want), `${n} at step ${steps[k]}: ${col[k]} vs ${want}`);
    }
  }
  // The validation loss lands once an epoch, after the epoch's two training values: steps 1, 3, 5, …
  const valSteps = steps.filter((_, k) => Number.isFinite(log.data.validLoss[k]));
  assert.equal(valSteps.length, 150);
  assert.ok(valSteps.every((s, k) => s === 2 * k + 1), valSteps.slice(0, 10).join(', '));
  const said = log.problems.map((p) => p.message).join('\n');
  assert.match(said, /Sacred's metrics\.json: 6 metrics, joined by step/);
  assert.match(said, /"trainLoss" 300/);
  assert.match(said, /each metric counts its own log_scalar calls from 0 \(no step= given\), so each is placed by its timestamps at the step of "trainAccuracy" \(the metric with the most values\) logged last before it/);
});

test('a Sacred run is fitted through the one pipeline: its training loss against steps, the real spikes of this run left out and said', async () => {
  const a = await analyzeFile(RUN, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const s = a.state;
  assert.equal(s.kind, 'log');
  if (s.kind !== 'log') return;
  assert.equal(s.fitError, undefined);
  assert.equal(s.options.series, 'trainLoss');
  const d = doc(RUN).trainLoss;
  // Points at step 0 leave the log axis; the rest are the file's, the spikes aside.
  const finite = d.values.filter((v, i) => d.steps[i] > 0 && Number.isFinite(v)).length;
  const f = s.fit!;
  const spikes = f.spikes?.x.length ?? 0;
  assert.ok(spikes > 0, 'this LDS run jumps to 1e26 for a few steps early on');
  for (let k = 0; k < spikes; k++) assert.equal(d.values[d.steps.indexOf(f.spikes!.x[k])], f.spikes!.loss[k]);
  assert.equal(f.n + f.dropped, finite);
});

test('a diverged Sacred run (every loss NaN) says so: nothing to fit, not "no loss series"', async () => {
  const d = doc(DIVERGED);
  assert.ok(d.trainLoss.values.every((v) => Number.isNaN(v)), 'the real run diverged');
  const a = await analyzeFile(DIVERGED, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.kind, 'log');
  assert.match(a.state.kind === 'log' ? a.state.fitError ?? '' : '', /"trainLoss", "testLoss", "validLoss" have no finite value: NaN, infinite or missing in every row \(did the run diverge\?\), so there is nothing to fit/);
});

test('Sacred edge cases: lengths that differ, a step logged twice, steps that are not numbers, a metric named __proto__', async () => {
  const file = path.join(tmp, 'edge', 'metrics.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({
    __proto__loss: { steps: [10, 20, 30], timestamps: [], values: [3, 2.5, 2.2, 9] },
    loss: { steps: [10, 20, 20, 'x', 40], timestamps: [], values: [3.1, 2.6, 2.4, 1, 2.0] },
  }).replace('"__proto__loss"', '"__proto__"'));
  const log = await parseLogFile(file);
  assert.deepEqual(Array.from(log.data.step), [10, 20, 30, 40]);
  assert.deepEqual(Array.from(log.data.loss), [3.1, 2.4, NaN, 2.0]);
  assert.ok(log.columns.some((c) => c.name === '__proto__'), 'a column like any other');
  assert.equal(({} as Record<string, unknown>).step, undefined, 'no prototype polluted');
  const said = log.problems.map((p) => p.message).join('\n');
  assert.match(said, /"__proto__" has 3 steps and 4 values: the first 3 of each are read/);
  assert.match(said, /1 value\(s\) logged again at a step that metric already had \(the first in "loss"\): the last value at each step is kept/);
  assert.match(said, /1 value\(s\) whose step is not a number: left out/);
  assert.doesNotMatch(said, /do not line up/, 'steps the script gave are not counters');
  // A metric named "step" is a column of its own; the rows keep Sacred's steps.
  const named = path.join(tmp, 'step-metric', 'metrics.json');
  fs.mkdirSync(path.dirname(named), { recursive: true });
  fs.writeFileSync(named, JSON.stringify({ step: { steps: [1, 2, 3, 4], timestamps: [], values: [100, 200, 300, 400] }, loss: { steps: [1, 2, 3, 4], timestamps: [], values: [4, 3, 2.5, 2.2] } }, null, 2));
  const sl = await parseLogFile(named);
  assert.deepEqual(Array.from(sl.data.step), [1, 2, 3, 4]);
  assert.ok(sl.columns.some((c) => c.name === 'step (logged)'), sl.columns.map((c) => c.name).join(', '));
});

test('a folder of Sacred runs: each run folder listed as a Sacred run, the diverged one left out and said', async () => {
  const found = await discoverRuns(ROOT);
  assert.deepEqual(found.runs.map((r) => [r.rel, r.layout]), [['10', 'sacred']]);
  // The diverged run is not silently missing: the walk's notes say why it is not listed.
  assert.ok(found.problems.some((p) => /^80\/metrics\.json: "trainLoss", "testLoss", "validLoss" have no finite value: NaN, infinite or missing in every row \(did the run diverge\?\); not listed$/.test(p)), found.problems.join('\n'));
  const run = found.runs[0];
  const d = doc(RUN).trainLoss.values;
  // The final loss: the median of the last five values (FINAL_LOSS_RULE).
  const last = d.slice(-5).sort((a, b) => a - b)[2];
  assert.equal(run.loss, last);
});

test("a Sacred run marked COMPLETED in its run.json ends at its last step (its metrics lined up); RUNNING, FAILED or counters without times leave the end open", async () => {
  const d = doc(RUN);
  const run = JSON.parse(fs.readFileSync(path.join(ROOT, '10', 'run.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(run.status, 'COMPLETED', 'the real run completed');
  const folder = (name: string, metrics: Record<string, Metric>, status?: string) => {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2));
    if (status) fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...run, status }, null, 2));
    return path.join(dir, 'metrics.json');
  };
  const one = { trainLoss: d.trainLoss };
  const last = d.trainLoss.steps[d.trainLoss.steps.length - 1];
  const done = await parseLogFile(folder('done', one, 'COMPLETED'));
  assert.deepEqual(done.run?.plannedSteps, { steps: last, source: `run.json: Sacred marked the run COMPLETED (stop_time ${run.stop_time})` });
  const a = await analyzeFile(path.join(tmp, 'done', 'metrics.json'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.kind === 'log' ? a.state.fit?.prediction?.inSample : undefined, true, 'fitted at its last point, nothing ahead to predict');
  // All six metrics (placed by their timestamps): the same end. Without timestamps, their counters
  // cannot be lined up, and the end stays open.
  const all = await parseLogFile(folder('all', d, 'COMPLETED'));
  assert.equal(all.run?.plannedSteps?.steps, last);
  const untimed = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { ...v, timestamps: [] }]));
  for (const [name, m, status] of [['running', one, 'RUNNING'], ['failed', one, 'FAILED'], ['no-run-json', one, undefined], ['untimed', untimed, 'COMPLETED']] as const) {
    const log = await parseLogFile(folder(name, m, status));
    assert.equal(log.run?.plannedSteps, undefined, name);
  }
});

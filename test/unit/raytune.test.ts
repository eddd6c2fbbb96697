// Ray Tune (test/fixtures/raytune-rllib-ppo-cartpole: a real RLlib PPO experiment of three trials, a
// grid over the LR): a trial folder is its progress.csv (else its result.json), not the event files Ray
// writes beside it, with params.json as its params and config; an experiment folder is a set of trials,
// and a trial's curve in it is fitted as its own folder fits it. Before, the experiment folder was "a
// folder with no TensorBoard event files, MLflow run or W&B run" read as its trials' event files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { runFoldersOf } from '../../src/core/logs/runFiles';
import { listRuns, runFolderKind } from '../../src/core/logs/runs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import Papa from 'papaparse';
import { tmpDir } from './tmpUtil';

const EXP = path.join(FIXTURES, 'raytune-rllib-ppo-cartpole', 'PPO_2024-11-14_02-03-47');
const TRIALS = fs.readdirSync(EXP).filter((n) => fs.statSync(path.join(EXP, n)).isDirectory()).sort();
/** A trial's label: its folder's name without the date Ray appends. */
const label = (t: string) => t.replace(/_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/, '');
const tmp = tmpDir('sl-raytune-');
const LOSS = 'info/learner/default_policy/learner_stats/total_loss';

/** A progress.csv's column, read here on its own (papaparse: Ray quotes its list cells). */
function column(file: string, name: string): number[] {
  const rows = Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8').trim(), { header: true }).data;
  return rows.map((r) => Number(r[name]));
}

test('a trial folder: its progress.csv at training_iteration (not the event file beside it), params.json its params and config', async () => {
  const dir = path.join(EXP, TRIALS[0]);
  assert.ok(fs.readdirSync(dir).some((n) => n.startsWith('events.out.tfevents.')), 'Ray wrote an event file beside it');
  const log = await parseLogFile(dir);
  assert.equal(log.format, 'csv');
  const csv = path.join(dir, 'progress.csv');
  assert.deepEqual(Array.from(log.data.training_iteration), column(csv, 'training_iteration'));
  assert.equal(log.columns.find((c) => c.name === 'training_iteration')?.role, 'step');
  assert.deepEqual(Array.from(log.data[LOSS]), column(csv, LOSS));
  const params = JSON.parse(fs.readFileSync(path.join(dir, 'params.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(new Map(log.run?.params).get('lr'), String(params.lr));
  assert.equal(log.run?.configs?.[0].file, path.join(dir, 'params.json'));
  assert.equal(log.run?.name, label(TRIALS[0]));
  assert.ok(label(TRIALS[0]).endsWith('_lr=0.0100'), label(TRIALS[0]));
  // RLlib's num_epochs (SGD passes over each sampled batch) is no count of passes over a dataset.
  assert.equal(params.num_epochs, 30);
  assert.ok(!new Map(log.run?.params).has('num_epochs'));
  assert.match(log.problems.map((p) => p.message).join('\n'), /an RLlib trial: its num_epochs = 30 counts the SGD passes over each sampled batch/);
  const j = fitToJson((await analyzeFile(dir, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { trust: { reasons: string[] } };
  assert.ok(!j.trust.reasons.some((r) => /passes over its data/.test(r)), j.trust.reasons.join('\n'));
  assert.equal(await runFolderKind(dir), 'raytune');
  assert.deepEqual(await runFoldersOf(csv), [dir, EXP], 'the trial and its experiment (experiment_state-*.json marks it)');
});

test('an experiment folder is a set of its trials; each trial\'s curve is fitted as its own folder fits it', async () => {
  const runs = await listRuns(EXP);
  assert.deepEqual(runs.map((r) => [r.name, r.kind]), TRIALS.map((t) => [label(t), 'raytune']));
  const set = await parseLogFile(EXP);
  assert.equal(set.rows, TRIALS.reduce((a, t) => a + column(path.join(EXP, t, 'progress.csv'), 'training_iteration').length, 0));
  assert.deepEqual(set.run?.runs?.map((r) => r.name), TRIALS.map(label));
  for (const t of TRIALS) {
    const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 20, seed: 5 };
    const a = fitToJson((await analyzeFile(EXP, { ...opts, series: `${LOSS} (${label(t)})` })).state) as unknown as Record<string, unknown>;
    const b = fitToJson((await analyzeFile(path.join(EXP, t), { ...opts, series: LOSS })).state) as unknown as Record<string, unknown>;
    for (const k of ['runLaw', 'params', 'prediction', 'trust', 'backtest']) assert.deepEqual(a[k], b[k], `${t}: ${k}`);
  }
});

test('result.json when there is no progress.csv; a params.json that is not JSON, or hostile, is said and the log still read', async () => {
  const dir = path.join(tmp, 'trial');
  fs.mkdirSync(dir);
  const src = path.join(EXP, TRIALS[0]);
  fs.copyFileSync(path.join(src, 'result.json'), path.join(dir, 'result.json'));
  fs.copyFileSync(path.join(src, 'params.json'), path.join(dir, 'params.json'));
  const lines = fs.readFileSync(path.join(dir, 'result.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  const log = await parseLogFile(dir);
  assert.equal(log.format, 'jsonl');
  assert.deepEqual(Array.from(log.data.training_iteration), lines.map((r) => r.training_iteration));
  fs.writeFileSync(path.join(dir, 'params.json'), '{"lr": 0.01,');
  const bad = await parseLogFile(dir);
  assert.equal(bad.rows, lines.length);
  assert.match(bad.problems.map((p) => p.message).join('\n'), /params\.json is not JSON \(/);
  // Keys like __proto__ and deep nesting: plain names, bounded.
  let deep: unknown = { lr: 1 };
  for (let i = 0; i < 50; i++) deep = { nested: deep };
  fs.writeFileSync(path.join(dir, 'params.json'), `{"__proto__": {"polluted": 1}, "constructor": 2, "lr": 0.5, "deep": ${JSON.stringify(deep)}}`);
  const odd = await parseLogFile(dir);
  const p = new Map(odd.run?.params);
  assert.equal(p.get('lr'), '0.5');
  assert.equal(p.get('constructor'), '2');
  assert.equal(p.get('__proto__/polluted'), '1', 'a key named __proto__ is a name');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok([...p.keys()].every((k) => k.split('/').length <= 8), 'nesting is cut');
});

test('a params.json with bare NaN (as Python\'s json writes it) keeps its other values', async () => {
  const dir = path.join(tmp, 'nan-trial');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(EXP, TRIALS[1], 'progress.csv'), path.join(dir, 'progress.csv'));
  fs.writeFileSync(path.join(dir, 'params.json'), '{"lr": 0.001, "clip": NaN, "max": Infinity}');
  const p = new Map((await parseLogFile(dir)).run?.params);
  assert.equal(p.get('lr'), '0.001');
  assert.equal(p.get('clip'), 'NaN');
});

// AllenNLP serialization folders (test/fixtures/allennlp-bidaf-squad, three real runs): one
// metrics_epoch_N.json a finished epoch, config.json, and metrics.json once training has ended. Read
// as one run a folder (a row an epoch), a folder of them as a set of runs; the planned end from
// metrics.json (the run ended) or trainer.num_epochs; hostile folders refused file by file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseLogFile } from '../../src/core/logs';
import { isRunFileName, runFoldersOf } from '../../src/core/logs/runFiles';
import { listRuns, runFolderKind } from '../../src/core/logs/runs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { discoverRuns } from '../../src/core/runs';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const ROOT = path.join(FIXTURES, 'allennlp-bidaf-squad');
const RUN = path.join(ROOT, 'output');
const tmp = tmpDir('sl-allennlp-');

/** The epoch files of a folder as JSON, read here on their own. */
function epochs(dir: string): Array<{ epoch: number; m: Record<string, unknown> }> {
  return fs.readdirSync(dir).map((n) => /^metrics_epoch_(\d+)\.json$/.exec(n)).filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ epoch: Number(m[1]), m: JSON.parse(fs.readFileSync(path.join(dir, m[0]), 'utf8')) as Record<string, unknown> }))
    .sort((a, b) => a.epoch - b.epoch);
}

test('a serialization folder is one run: a row an epoch, its losses as the files hold them, the end from metrics.json', async () => {
  const want = epochs(RUN);
  const log = await parseLogFile(RUN);
  assert.equal(log.format, 'allennlp');
  assert.equal(log.kind, 'run');
  assert.equal(log.rows, want.length);
  assert.deepEqual(Array.from(log.data.epoch), want.map((e) => e.epoch));
  assert.deepEqual(Array.from(log.data.training_loss), want.map((e) => e.m.training_loss));
  assert.deepEqual(Array.from(log.data.validation_loss), want.map((e) => e.m.validation_loss));
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('epoch'), 'epoch');
  assert.equal(role('training_loss'), 'loss');
  assert.equal(role('validation_loss'), 'eval_loss');
  // Running bests and memory are no per-epoch metric.
  assert.ok(!log.columns.some((c) => /^best_|_memory_MB$/.test(c.name)), log.columns.map((c) => c.name).join(', '));
  const last = want[want.length - 1].epoch;
  const config = JSON.parse(fs.readFileSync(path.join(RUN, 'config.json'), 'utf8')) as { trainer: { num_epochs: number } };
  assert.ok(last + 1 < config.trainer.num_epochs, 'early stopping ended this run');
  assert.equal(log.run?.plannedSteps?.steps, last);
  assert.match(log.run!.plannedSteps!.source, new RegExp(`^metrics\\.json: AllenNLP wrote it when training ended, after ${last + 1} of trainer\\.num_epochs = ${config.trainer.num_epochs} in config\\.json`));
  assert.equal(log.run?.epochsLogged?.count, last + 1);
  assert.equal(log.run?.configs?.[0].file, path.join(RUN, 'config.json'));
});

test('still training (no metrics.json): the planned end from trainer.num_epochs; the fit names the passes over the data', async () => {
  const dir = path.join(tmp, 'running');
  fs.mkdirSync(dir);
  for (const n of fs.readdirSync(RUN)) if (n !== 'metrics.json') fs.copyFileSync(path.join(RUN, n), path.join(dir, n));
  const log = await parseLogFile(dir);
  const n = (JSON.parse(fs.readFileSync(path.join(RUN, 'config.json'), 'utf8')) as { trainer: { num_epochs: number } }).trainer.num_epochs;
  assert.equal(log.run?.plannedSteps?.steps, n - 1);
  assert.match(log.run!.plannedSteps!.source, /^trainer\.num_epochs = \d+ in config\.json \(epochs 0–\d+; early stopping, patience \d+, may end it sooner\)$/);
  const j = fitToJson((await analyzeFile(dir, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, seed: 1 })).state) as unknown as { series: string; xKind: string; prediction: { step?: number; tokens: number }; trust: { reasons: string[] } };
  assert.equal(j.series, 'training_loss');
  assert.equal(j.prediction.tokens, n - 1, 'predicted at the planned last epoch');
  assert.ok(j.trust.reasons.some((r) => r.startsWith(`the run makes ${n} passes over its data (num_epochs = ${n} in config.json)`)), j.trust.reasons.join('\n'));
});

test('a folder of serialization folders is a set of runs; a file of one leads to its folder', async () => {
  const runs = await listRuns(ROOT);
  assert.deepEqual(runs.map((r) => [r.name, r.kind]), [['output', 'allennlp'], ['output_elmo', 'allennlp'], ['output_elmo_gru', 'allennlp']]);
  const set = await parseLogFile(ROOT);
  assert.equal(set.rows, runs.reduce((a, r) => a + epochs(r.path).length, 0));
  assert.deepEqual(set.run?.runs?.map((r) => r.name), ['output', 'output_elmo', 'output_elmo_gru']);
  assert.equal(await runFolderKind(RUN), 'allennlp');
  assert.equal(await runFolderKind(ROOT), undefined);
  const file = path.join(RUN, 'metrics_epoch_3.json');
  assert.ok(isRunFileName(file));
  assert.deepEqual(await runFoldersOf(file), [RUN]);
  assert.deepEqual(await runFoldersOf(path.join(RUN, 'config.json')), [RUN]);
  const found = await discoverRuns(ROOT);
  assert.deepEqual(found.runs.map((r) => [r.rel, r.layout]).sort(), [['output', 'allennlp'], ['output_elmo', 'allennlp'], ['output_elmo_gru', 'allennlp']]);
});

test('hostile folders: a file not JSON, not an object, too large, a named pipe, keys like __proto__: each epoch said or read, nothing else', async () => {
  const dir = path.join(tmp, 'hostile');
  fs.mkdirSync(dir);
  const w = (n: string, t: string) => fs.writeFileSync(path.join(dir, n), t);
  w('metrics_epoch_0.json', JSON.stringify({ epoch: 0, training_loss: 3, validation_loss: 3.2 }));
  w('metrics_epoch_1.json', '{"epoch": 1, "training_loss": 2.5,');
  w('metrics_epoch_2.json', '[1, 2, 3]');
  w('metrics_epoch_3.json', '{"__proto__": 7, "constructor": 8, "training_loss": 2.0, "validation_loss": NaN}'.replace('NaN', '"nan"'));
  w('metrics_epoch_4.json', JSON.stringify({ training_loss: 1.8, pad: 'x'.repeat(1100 * 1024) }));
  w('metrics_epoch_5.json', JSON.stringify({ epoch: 9, training_loss: 1.7 }));
  let fifo = false;
  try { execFileSync('mkfifo', [path.join(dir, 'metrics_epoch_6.json')]); fifo = true; } catch { /* no mkfifo here */ }
  const log = await parseLogFile(dir);
  assert.deepEqual(Array.from(log.data.epoch), [0, 3, 5]);
  assert.deepEqual(Array.from(log.data.training_loss), [3, 2.0, 1.7]);
  assert.ok(Object.prototype.hasOwnProperty.call(log.data, '__proto__'), 'a metric named __proto__ is a column');
  assert.equal(({} as Record<string, unknown>).constructor, Object, 'no prototype touched');
  const msgs = log.problems.map((p) => p.message).join('\n');
  assert.match(msgs, /metrics_epoch_1\.json: not JSON \(.*\); epoch 1 left out/);
  assert.match(msgs, /metrics_epoch_2\.json: not a JSON object of metrics; epoch 2 left out/);
  assert.match(msgs, /metrics_epoch_4\.json: unreadable or over 1 MB; epoch 4 left out/);
  assert.match(msgs, /metrics_epoch_5\.json: says epoch 9; read as epoch 5, its file name's/);
  if (fifo) assert.ok(!/metrics_epoch_6/.test(msgs), 'a named pipe is no epoch file, and is never opened');
  assert.equal(log.stats.dropped, 3);
});

test('a file of a run folder that is no log itself says to fit its folder', async () => {
  const dir = path.join(tmp, 'with-stdout');
  fs.cpSync(RUN, dir, { recursive: true });
  // (AllenNLP's stdout.log begins with its parameters, logged one a line.)
  fs.writeFileSync(path.join(dir, 'stdout.log'), '2019-05-30 11:41:23,905 - INFO - allennlp.common.params - random_seed = 13370\n2019-05-30 11:41:23,908 - INFO - allennlp.common.params - numpy_seed = 1337\n');
  await assert.rejects(parseLogFile(path.join(dir, 'stdout.log')), /stdout\.log: not a training log this reader knows .*; its folder is an AllenNLP serialization folder \(its metrics_epoch_N\.json files\): fit the folder itself/);
  const mlflowRun = path.join(FIXTURES, 'mlflow-yolov8-100ep', '662197954743695805', '215b558fddfe4dd8b960ddad171271b2');
  await assert.rejects(parseLogFile(path.join(mlflowRun, 'meta.yaml')), /its folder is an MLflow run: fit the folder itself/);
  // A file that is no log in a folder that is no run: no such words.
  const plain = path.join(tmp, 'plain');
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(plain, 'notes.txt'), 'nothing here\n');
  await assert.rejects(parseLogFile(path.join(plain, 'notes.txt')), (e: Error) => /not a training log/.test(e.message) && !/its folder is/.test(e.message));
});

test('an epoch file with bare NaN or Infinity (as Python\'s json writes them) keeps its other metrics', async () => {
  const dir = path.join(tmp, 'nan');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'metrics_epoch_0.json'), '{"epoch": 0, "training_loss": 3.0, "validation_loss": 3.5}');
  fs.writeFileSync(path.join(dir, 'metrics_epoch_1.json'), '{\n  "epoch": 1,\n  "training_loss": 2.5,\n  "validation_loss": NaN,\n  "validation_f1": -Infinity\n}');
  const log = await parseLogFile(dir);
  assert.deepEqual(Array.from(log.data.training_loss), [3, 2.5]);
  assert.ok(Number.isNaN(log.data.validation_loss[1]));
  assert.equal(log.stats.dropped, 0);
});

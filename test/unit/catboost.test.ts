// CatBoost's catboost_info/catboost_training.json, written by every CatBoost fit (and committed in
// over 10,000 public repositories). Found by a helper search (huntB): it was refused ("not a
// training log this reader knows"), though it holds each iteration's learn and eval metrics and the
// iterations the fit was set for (`meta.iteration_count`).
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { detectFormat } from '../../src/core/logs/detect';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

interface CatBoostDoc {
  meta: { iteration_count: number; test_sets: string[] };
  iterations: Array<{ iteration: number; learn: number[]; test?: number[]; passed_time: number }>;
}
const fixture = (dir: string) => path.join(FIXTURES, dir, 'catboost_training.json');
const doc = (dir: string) => JSON.parse(fs.readFileSync(fixture(dir), 'utf8')) as CatBoostDoc;

test("CatBoost's catboost_training.json is read: a row per iteration, the learn set's loss, the eval set's apart", async () => {
  const file = fixture('catboost-churn-300it');
  assert.equal(detectFormat('catboost_training.json', fs.readFileSync(file, 'utf8').slice(0, 65536)), 'json');
  const d = doc('catboost-churn-300it');
  const log = await parseLogFile(file);
  assert.equal(log.rows, d.iterations.length, log.problems.map((p) => p.message).join('\n'));
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('iteration'), 'step');
  assert.equal(role('Logloss'), 'loss');
  assert.equal(role('test_Logloss'), 'eval_loss');
  assert.notEqual(role('test_AUC'), 'loss');
  // The values are the file's: learn[0] is the learn Logloss, test[1] the test set's (its test_metrics: AUC, then Logloss).
  const k = 123;
  assert.equal(log.data.iteration[k], d.iterations[k].iteration);
  assert.equal(log.data.Logloss[k], d.iterations[k].learn[0]);
  assert.equal(log.data.test_Logloss[k], d.iterations[k].test![1]);
});

test('its meta.iteration_count is the planned end: a fit that logged all its iterations is fitted at its last, not extrapolated 10×', async () => {
  for (const dir of ['catboost-keiba-200it', 'catboost-churn-300it']) {
    const d = doc(dir);
    const log = await parseLogFile(fixture(dir));
    assert.equal(log.run?.plannedSteps?.steps, d.meta.iteration_count - 1, dir);
    const j = fitToJson((await analyzeFile(fixture(dir), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { prediction: { step: number; inSample?: boolean } };
    assert.equal(j.prediction.step, d.iterations[d.iterations.length - 1].iteration, dir);
    assert.equal(j.prediction.inSample, true, dir);
  }
});

test('a catboost_training.json closed before its iteration_count (early stopping) ends where it stopped', async () => {
  // The real keiba document cut after iteration 149, and closed as CatBoost closes it.
  const text = fs.readFileSync(fixture('catboost-keiba-200it'), 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes('"iteration":149,'));
  const cut = [...lines.slice(0, at), lines[at].replace(/,\s*$/, ''), ']}'].join('\n');
  const log = parseLogText(cut, 'catboost_training.json');
  assert.equal(log.rows, 150);
  assert.equal(log.run?.plannedSteps?.steps, 149);
  assert.match(log.run?.plannedSteps?.source ?? '', /closed after iteration 149 of the 200 planned/);
});

// CatBoost's learn_error.tsv and test_error.tsv, written beside catboost_training.json in the same fit
// (`iter` then the metrics' names, a row per iteration). Before: test_error.tsv's `Logloss` (the eval
// set's) was read as a training loss, and both were extrapolated 10× though the JSON beside them
// plans the fit's end.
const tsv = (dir: string, name: string) => path.join(FIXTURES, dir, name);
/** A TSV's own rows: its header, and each row's numbers. */
function rowsOf(file: string): { head: string[]; rows: number[][] } {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  return { head: lines[0].split('\t'), rows: lines.slice(1).map((l) => l.split('\t').map(Number)) };
}

test("CatBoost's test_error.tsv holds the eval set's metrics: read as held out (test_Logloss), not as the training loss", async () => {
  const file = tsv('catboost-churn-300it', 'test_error.tsv');
  const t = rowsOf(file);
  assert.deepEqual(t.head, ['iter', 'AUC', 'Logloss']);
  // The file's rows are the eval set's: catboost_training.json beside it has the same values under "test".
  const d = doc('catboost-churn-300it');
  const k = 200;
  assert.equal(t.rows[k][0], d.iterations[k].iteration);
  assert.equal(t.rows[k][2], d.iterations[k].test![1]);
  const log = await parseLogFile(file);
  assert.equal(log.rows, t.rows.length, log.problems.map((p) => p.message).join('\n'));
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('iter'), 'step');
  assert.equal(role('test_Logloss'), 'eval_loss');
  assert.equal(role('Logloss'), undefined);
  assert.ok(!log.columns.some((c) => c.role === 'loss'), log.columns.map((c) => `${c.name}:${c.role}`).join(' '));
  assert.equal(log.data.test_Logloss[k], t.rows[k][2]);
  assert.notEqual(role('test_AUC'), 'loss');
});

test("learn_error.tsv stays the learn set's loss; both take the planned end from catboost_training.json beside them", async () => {
  for (const [dir, name] of [['catboost-churn-300it', 'learn_error.tsv'], ['catboost-churn-300it', 'test_error.tsv'], ['catboost-keiba-200it', 'learn_error.tsv']]) {
    const file = tsv(dir, name);
    const d = doc(dir);
    const t = rowsOf(file);
    const log = await parseLogFile(file);
    if (name === 'learn_error.tsv') {
      assert.equal(log.columns.find((c) => c.name === 'Logloss')?.role, 'loss', dir);
      assert.equal(log.data.Logloss[57], d.iterations[57].learn[0], dir);
    }
    assert.equal(log.run?.plannedSteps?.steps, d.meta.iteration_count - 1, `${dir}/${name}`);
    assert.match(log.run?.plannedSteps?.source ?? '', new RegExp(`"iteration_count": ${d.meta.iteration_count} in catboost_training\\.json beside it`));
    const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as { prediction: { step: number; inSample?: boolean } };
    assert.equal(j.prediction.step, t.rows[t.rows.length - 1][0], `${dir}/${name}`);
    assert.equal(j.prediction.inSample, true, `${dir}/${name}`);
  }
});

test('an error log whose catboost_training.json was closed early ends where both end; a log cut before that keeps the planned end', async () => {
  const dir = tmpDir('catboost-');
  try {
    // The real churn fit cut after iteration 149, the JSON closed as CatBoost closes it.
    const json = fs.readFileSync(fixture('catboost-churn-300it'), 'utf8').split('\n');
    const at = json.findIndex((l) => l.includes('"iteration":149,'));
    fs.writeFileSync(path.join(dir, 'catboost_training.json'), [...json.slice(0, at), json[at].replace(/,\s*$/, ''), ']}'].join('\n'));
    const lines = fs.readFileSync(tsv('catboost-churn-300it', 'test_error.tsv'), 'utf8').split('\n');
    const file = path.join(dir, 'test_error.tsv');
    fs.writeFileSync(file, `${lines.slice(0, 151).join('\n')}\n`);
    let log = await parseLogFile(file);
    assert.equal(log.rows, 150);
    assert.equal(log.run?.plannedSteps?.steps, 149);
    assert.match(log.run?.plannedSteps?.source ?? '', /closed after iteration 149 of the 300 planned/);
    // Cut at iteration 99 (a prefix, as --fit-until reads one): the stop at 149 was not known yet.
    fs.writeFileSync(file, `${lines.slice(0, 101).join('\n')}\n`);
    log = await parseLogFile(file);
    assert.equal(log.run?.plannedSteps?.steps, 299);
    // No catboost_training.json beside it: no planned end is made up.
    fs.rmSync(path.join(dir, 'catboost_training.json'));
    log = await parseLogFile(file);
    assert.equal(log.run?.plannedSteps, undefined);
    assert.equal(log.columns.find((c) => c.name === 'test_Logloss')?.role, 'eval_loss');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

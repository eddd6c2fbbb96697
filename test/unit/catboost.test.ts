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

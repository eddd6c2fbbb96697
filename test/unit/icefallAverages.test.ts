// k2/icefall's two trackers of the training loss in its TensorBoard files (test/fixtures/SOURCES.md
// `icefall-xlsr-tb/`): train.py writes `train/current_<key>` (the batch's own loss per frame,
// `loss_info.write_summary(tb_writer, "train/current_", …)`) and `train/tot_<key>` (`tot_loss =
// (tot_loss * (1 - 1 / params.reset_interval)) + loss_info`, begun again each epoch: a moving average
// that lags it), both named as training losses. Before, the run opened with whichever came first in
// the files, and nothing said what `tot_` is. Now the batch's own loss is the whole loss, and the fit
// says which it fitted and what the other is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { analyze, analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { FIXTURES } from './fixtureUtil';

const DIR = path.join(FIXTURES, 'icefall-xlsr-tb');
const OPTS = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };

test('icefall: each train/tot_<key> is the average of train/current_<key>: one batch in, they are equal', async () => {
  const log = await parseLogFile(DIR);
  const keys = log.columns.filter((c) => c.name.startsWith('train/tot_')).map((c) => c.name.slice('train/tot_'.length));
  assert.deepEqual(keys.sort(), ['ctc_loss', 'loss', 'pruned_loss', 'simple_loss']);
  // The file's own evidence: at step 1 (the epoch's first batch) the average holds that batch alone.
  const s = log.data.step;
  assert.equal(s[0], 1);
  for (const k of keys) assert.equal(log.data[`train/tot_${k}`][0], log.data[`train/current_${k}`][0], k);
  // Later, the average still carries the first batches (step 51: the batch's 0.0112, the average 0.0237).
  assert.ok(log.data['train/tot_loss'][1] > 2 * log.data['train/current_loss'][1]);
  assert.equal(log.run?.wholeLoss, 'train/current_loss');
  assert.deepEqual(log.run?.averagedLosses?.map((a) => [a.series, a.of]).sort(), keys.map((k) => [`train/tot_${k}`, `train/current_${k}`]).sort());
});

test('icefall: the fit takes the batch\'s own loss whatever the order of the tags, and says what train/tot_loss is', async () => {
  const log = await parseLogFile(DIR);
  // The average's columns first (as another writer's order could put them): still the batch's own.
  const tot = log.columns.filter((c) => c.name.startsWith('train/tot_'));
  const reordered = { ...log, columns: [...log.columns.filter((c) => c.role === 'step'), ...tot, ...log.columns.filter((c) => c.role !== 'step' && !tot.includes(c))] };
  for (const l of [log, reordered]) {
    const a = analyze(l, OPTS);
    assert.equal(a.state.options.series, 'train/current_loss');
    assert.ok(a.state.fit?.messages.some((m) => /^fitted "train\/current_loss", not "train\/tot_loss": "train\/tot_loss" is icefall's moving average of "train\/current_loss" .*begun again each epoch .*so it lags the loss$/.test(m)), a.state.fit?.messages.join('\n'));
  }
  // Fitted to the average when asked: said so.
  const avg = await analyzeFile(DIR, { ...OPTS, series: 'train/tot_loss' });
  assert.equal(avg.state.options.series, 'train/tot_loss');
  assert.ok(avg.state.fit?.messages.some((m) => /^"train\/tot_loss" is icefall's moving average .*a law fitted to it follows a smoothed curve \(choose "train\/current_loss"/.test(m)), avg.state.fit?.messages.join('\n'));
});

test('a train/tot_loss without its train/current_loss is no icefall pair (a total loss, as other writers name it)', async () => {
  const log = await parseLogFile(DIR, { roleOverrides: { 'train/current_loss': 'other' } });
  assert.equal(log.run?.averagedLosses, undefined);
  assert.equal(log.run?.wholeLoss, undefined);
});

test('a folder given with its trailing separator is named in its messages (not ": the last launch")', async () => {
  for (const dir of [DIR, `${DIR}/`]) {
    const log = await parseLogFile(dir);
    const launch = log.problems.find((p) => /the last launch/.test(p.message));
    assert.ok(launch, dir);
    assert.match(launch.message, /^icefall-xlsr-tb: the last launch, /, dir);
    assert.ok(log.problems.every((p) => !p.message.startsWith(': ')), log.problems.map((p) => p.message).join('\n'));
  }
});

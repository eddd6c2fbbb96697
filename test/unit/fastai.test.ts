// fastai's tables (`learn.fit_one_cycle`, `learn.fine_tune` in a console or a notebook's output):
// `epoch  train_loss  valid_loss  accuracy  time` then a row an epoch. A real console of several
// tables (n-waves/multifit's results/logs, fifteenth session; its licence came after the file, so
// the console here is built in its shape) was read as a CSV of 2 columns, its header a comma inside
// a printed list, and none of its 161 epoch rows read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat, parseLogText } from '../../src/core/logs';
import { analyze } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { rolesOf } from './fixtureUtil';

const pad = (cells: Array<string | number>) => cells.map((c) => String(c).padEnd(12)).join('').trimEnd();

function fastaiV1(): string {
  const out = ["Training lm from:  [PosixPath('/data/wiki/de-100/models/lm_best'), PosixPath('/data/wiki/de-100/itos')]"];
  out.push(pad(['epoch', 'train_loss', 'valid_loss', 'accuracy']), pad([1, '3.467852', '2.558666', '0.525457']), 'Total time: 02:25');
  out.push(pad(['epoch', 'train_loss', 'valid_loss', 'accuracy']));
  for (let e = 1; e <= 20; e++) out.push(pad([e, (1.2 + 2 / Math.pow(e, 0.5)).toFixed(6), (1.1 + 1.5 / Math.pow(e, 0.5)).toFixed(6), (0.5 + e / 100).toFixed(6)]));
  out.push('Total time: 1:11:26', 'Saving models at /data/models, then more');
  return out.join('\n') + '\n';
}

test('a fastai v1 console of two tables (a frozen epoch, then 20): detected as text past a line with commas; the last table read, by its epochs', () => {
  const text = fastaiV1();
  assert.equal(detectFormat('Training qrnn.txt', text), 'text');
  const log = parseLogText(text, 'Training qrnn.txt');
  assert.equal(log.rows, 20);
  assert.deepEqual(rolesOf(log, ['train_loss', 'valid_loss']), { train_loss: 'loss', valid_loss: 'eval_loss' });
  assert.deepEqual(Array.from(log.data.step!.slice(0, 2)), [1, 2]);
  assert.equal(log.data.train_loss![19], Number((1.2 + 2 / Math.pow(20, 0.5)).toFixed(6)));
  // The second table's epoch 1 replaces the first table's (said).
  assert.ok(log.problems.some((p) => /:6: step 1 logged again; the later value wins \(train_loss 3\.467852 → /.test(p.message)), JSON.stringify(log.problems));
  const a = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 }, { configs: [] });
  assert.equal(a.state.kind === 'log' && a.state.options.series, 'train_loss');
  assert.ok(a.state.kind === 'log' && a.state.fit, a.state.kind === 'log' ? a.state.fitError : '');
});

test('a fastai v2 table: epochs from 0, the time column and #na# (no validation that epoch) are no values', () => {
  const rows = [pad(['epoch', 'train_loss', 'valid_loss', 'error_rate', 'time'])];
  for (let e = 0; e < 12; e++) rows.push(pad([e, (0.3 + 1 / (e + 1)).toFixed(6), e === 3 ? '#na#' : (0.4 + 1 / (e + 1)).toFixed(6), '0.1', '00:12']));
  const log = parseLogText(['Downloading model…', ...rows, ''].join('\n'), 'train.log');
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 12);
  assert.ok(Number.isNaN(log.data.valid_loss![3]));
  assert.equal(log.data.valid_loss![4], Number((0.4 + 1 / 5).toFixed(6)));
  assert.ok(!log.columns.some((c) => c.name === 'time'), log.columns.map((c) => c.name).join(', '));
  // A line of numbers under no header, or with another count of cells, is no row.
  const stray = parseLogText([rows[0], rows[1], '7 1 2', rows[2], ''].join('\n'), 'train.log');
  assert.equal(stray.rows, 2);
});

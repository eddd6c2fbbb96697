// Ludwig's training_statistics.json (test/fixtures/SOURCES.md: a real one, a text classifier of 16
// epochs): its per-epoch lists are nested by split and output feature, so it was refused as "not a
// training log this reader knows".
import { test } from 'node:test';
import * as fs from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';

const FILE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'ludwig-parallel-cnn', 'training_statistics.json');

test("Ludwig's training_statistics.json: a row an epoch, the training split's combined loss the loss, validation and test held out", async () => {
  const doc = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Record<string, Record<string, Record<string, number[]>>>;
  const log = await parseLogFile(FILE);
  assert.equal(log.format, 'json');
  assert.equal(log.rows, 16);
  assert.deepEqual(Array.from(log.data.loss), doc.training.combined.loss);
  assert.deepEqual(Array.from(log.data.val_loss), doc.validation.combined.loss);
  assert.deepEqual(Array.from(log.data.test_label_loss), doc.test.label.loss);
  const role = (n: string): string | undefined => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('loss'), 'loss');
  assert.equal(role('val_loss'), 'eval_loss');
  assert.equal(role('test_loss'), 'eval_loss');
  assert.equal(role('epoch'), 'epoch');
  assert.deepEqual(Array.from(log.data.epoch).slice(0, 3), [1, 2, 3]);
  assert.equal(log.run?.epochsLogged?.count, 16);
  assert.match(log.problems.map((p) => p.message).join('\n'), /Ludwig's training statistics: one value per evaluation, at each epoch/);
});

test("Ludwig's evaluation_frequency: every N steps gives a step column; a nested JSON that is not Ludwig's is not read as one", () => {
  const lists = (k: number): number[] => Array.from({ length: 12 }, (_, i) => +(k / (i + 1)).toFixed(4));
  const doc = { evaluation_frequency: { frequency: 500, period: 'step' }, test: { combined: { loss: lists(3) } }, training: { combined: { loss: lists(2) }, out: { loss: lists(2), accuracy: lists(0.5) } }, validation: { combined: { loss: lists(2.5) } } };
  const log = parseLogText(JSON.stringify(doc, null, 4), 'training_statistics.json');
  assert.equal(log.rows, 12);
  assert.deepEqual(Array.from(log.data.step).slice(0, 3), [500, 1000, 1500]);
  assert.equal(log.columns.find((c) => c.name === 'step')?.role, 'step');
  assert.ok(!log.columns.some((c) => c.name === 'epoch'));
  assert.deepEqual(Array.from(log.data.out_loss).slice(0, 2), [2, 1]);
  assert.ok(log.columns.some((c) => c.name === 'out_accuracy'));
  assert.match(log.problems.map((p) => p.message).join('\n'), /every 500 steps \(its evaluation_frequency\)/);
  // Hostile keys stay own properties (no prototype reached), and a nested document without a
  // training split's `combined` is not Ludwig's.
  const odd = parseLogText(JSON.stringify({ training: { combined: { loss: lists(2), __proto__: [1, 2] }, constructor: { loss: lists(1) } } }), 'stats.json');
  assert.equal(odd.rows, 12);
  assert.ok(odd.columns.some((c) => c.name === 'constructor_loss'));
  const other = parseLogText(JSON.stringify({ training: { other: { loss: lists(2) } } }), 'stats.json');
  assert.equal(other.rows, 0);
  assert.match(other.problems.find((p) => p.severity === 'error')?.message ?? '', /nor Ludwig's training statistics \(training → combined → lists\); nothing read/);
});

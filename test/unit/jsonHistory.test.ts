// JSON documents of a training history that are not a trainer_state.json: Keras's History.history
// saved with json.dump (an object of per-epoch lists) and skorch's history.json (a list of per-epoch
// records). Real ones were refused or read as one JSONL row of array cells (fifteenth session: two
// Keras histories and a skorch history from public repositories, none with a licence to ship, so
// the files here are built in their shape at test time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { isTrainingLogFile } from '../../src/core/detectLogs';
import { FIXTURES, rolesOf } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-jh-');

/** A Keras history of `n` epochs as json.dump writes it (one line), the loss falling as a power law. */
function kerasHistory(n: number, extra: Record<string, unknown[]> = {}): string {
  const loss = Array.from({ length: n }, (_, i) => 0.3 + 2 / Math.pow(i + 1, 0.7));
  const acc = loss.map((l) => 1 - l / 3);
  const val = loss.map((l) => l * 1.1 + 0.02);
  return JSON.stringify({ accuracy: acc, loss, val_accuracy: acc.map((a) => a - 0.02), val_loss: val, ...extra });
}

test('a Keras History saved as JSON: detected on one line, one row per epoch counted from 1, the losses and the LR by name', () => {
  const text = kerasHistory(30, { lr: Array.from({ length: 30 }, (_, i) => (i < 20 ? 0.001 : 0.0002)) });
  assert.equal(detectFormat('history.json', text), 'json');
  // A .jsonl of one such line is still a JSONL log (the name says one record per line).
  assert.equal(detectFormat('history.jsonl', text), 'jsonl');
  const log = parseLogText(text, 'history.json');
  assert.equal(log.format, 'json');
  assert.equal(log.rows, 30);
  assert.deepEqual(rolesOf(log, ['epoch', 'loss', 'val_loss', 'lr']), { epoch: 'epoch', loss: 'loss', val_loss: 'eval_loss', lr: 'lr' });
  assert.deepEqual(Array.from(log.data.epoch!.slice(0, 3)), [1, 2, 3]);
  assert.equal(log.data.loss![29], 0.3 + 2 / Math.pow(30, 0.7));
  assert.equal(log.data.lr![25], 0.0002);
  // Thirty passes over the data (row k is the end of epoch k).
  assert.equal(log.run?.epochsLogged?.count, 30);
  assert.match(log.run!.epochsLogged!.source, /30 values per metric, one per epoch/);
  assert.equal(log.problems.length, 0, JSON.stringify(log.problems));
});

test('a Keras History: NaN in a list is reported, a shorter list (a metric every few epochs) is left out and said, keys are plain text', () => {
  const loss = Array.from({ length: 12 }, (_, i) => 1 / (i + 1) + 0.5);
  const text = `{"loss": [${loss.map((v, i) => (i === 6 ? 'NaN' : String(v))).join(', ')}], "val_loss": [0.9, 0.8, 0.7], "__proto__": [${loss.join(',')}], "constructor": [${loss.join(',')}]}`;
  const log = parseLogText(text, 'run_history.json');
  assert.equal(log.format, 'json');
  assert.equal(log.rows, 12);
  assert.ok(Number.isNaN(log.data.loss![6]));
  assert.ok(log.problems.some((p) => /"val_loss" \(3 values\) has fewer values than the 12 epochs/.test(p.message)), JSON.stringify(log.problems));
  assert.ok(!log.columns.some((c) => c.name === 'val_loss'));
  // Own keys named like Object.prototype's are columns like any other.
  assert.ok(log.columns.some((c) => c.name === '__proto__') && log.columns.some((c) => c.name === 'constructor'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('a skorch history cut off while written: its complete epochs are read, said on the last one; arrays in a record (batches) are left out', async () => {
  const rec = (e: number) => ({
    batches: [{ train_loss: 2 / e, train_batch_size: 128 }, { valid_loss: 2.2 / e, valid_batch_size: 64 }],
    epoch: e, train_batch_count: 66, valid_batch_count: 1, dur: 3.2, train_loss: 0.4 + 2 / Math.pow(e, 0.8), train_loss_best: true,
    valid_loss: 0.6 + 2 / Math.pow(e, 0.6), valid_loss_best: e < 10, valid_acc: 0.5 + e / 100,
  });
  const whole = JSON.stringify(Array.from({ length: 23 }, (_, i) => rec(i + 1)), null, 1);
  // The run stopped mid-save: the list ends with a record's closing brace and a comma, then half a record.
  const cut = whole.slice(0, whole.lastIndexOf('{')) + '{"batches": [{"train_loss": 0.1';
  const file = path.join(tmp, 'history.json');
  fs.writeFileSync(file, cut);
  assert.equal(detectFormat('history.json', cut.slice(0, 65536)), 'json');
  assert.equal(await isTrainingLogFile(file), true);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'json');
  assert.equal(log.rows, 22);
  assert.deepEqual(Array.from(log.data.epoch!.slice(-2)), [21, 22]);
  assert.ok(!log.columns.some((c) => /batches/.test(c.name)), log.columns.map((c) => c.name).join(', '));
  const warn = log.problems.find((p) => /cut off while written/.test(p.message));
  assert.ok(warn, JSON.stringify(log.problems));
  // On the line of the last complete record's opening brace.
  const lines = cut.split('\n');
  assert.equal(lines[warn.line - 1].trim(), '{');
  assert.match(lines.slice(warn.line).join('\n'), /"epoch": 22,/);
  assert.equal(log.run?.epochsLogged?.count, 22);
  // Fitted like any run over repeated data: the training loss against its epochs, the held-out loss beside it.
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.ok(a.state.kind === 'log' && a.state.fit, a.state.kind === 'log' ? a.state.fitError : '');
  assert.equal(a.state.kind === 'log' && a.state.options.series, 'train_loss');
});

test('JSON documents that are no training history stay refused; a trainer_state.json is still one', () => {
  // A config of lists, no loss among them; a list of records with no epoch: not read as a history.
  assert.notEqual(detectFormat('config.json', '{"layers": [1, 2, 3], "dims": [64, 128]}'), 'json');
  assert.notEqual(detectFormat('data.json', '[{"text": "a", "loss": 1}]'), 'json');
  assert.equal(detectFormat('trainer_state.json', '{\n  "log_history": [\n    {"loss": 2.1, "step": 10}\n  ]\n}'), 'trainer_state');
  // Not valid JSON and no complete record: an error naming the line, nothing read.
  const log = parseLogText('{"loss": [1.0, 0.9,', 'history.json');
  assert.equal(log.rows, 0);
  assert.ok(log.problems.some((p) => p.severity === 'error' && /not valid JSON/.test(p.message)), JSON.stringify(log.problems));
});

test('hostile JSON histories: lists nested 100,000 deep and 20,000 short lists are read or refused quickly, the message bounded', () => {
  const deep = `{"loss": [1, 0.9, 0.8, 0.7], "x": ${'['.repeat(100000)}${']'.repeat(100000)}}`;
  const a = parseLogText(deep, 'history.json');
  assert.equal(a.rows, 4);
  const many: Record<string, number[]> = { loss: [1, 0.9, 0.8, 0.7, 0.6] };
  for (let i = 0; i < 20000; i++) many[`m${i}`] = [1];
  const b = parseLogText(JSON.stringify(many), 'history.json');
  assert.equal(b.rows, 5);
  const w = b.problems.find((p) => /fewer values than the 5 epochs/.test(p.message));
  assert.ok(w && w.message.length < 600 && /and 19995 more lists/.test(w.message), w?.message.slice(0, 300));
});

test('the Runs view lists a folder whose log is a Keras history.json (not taken for a config)', async () => {
  const { discoverRuns } = await import('../../src/core/runs');
  const root = fs.mkdtempSync(path.join(tmp, 'runs-'));
  fs.mkdirSync(path.join(root, 'cnn-a'));
  fs.writeFileSync(path.join(root, 'cnn-a', 'history.json'), kerasHistory(25));
  const found = await discoverRuns(root);
  assert.equal(found.runs.length, 1, JSON.stringify(found));
  assert.equal(path.basename(found.runs[0].log), 'history.json');
  assert.equal(found.runs[0].points, 25);
});

test('a Keras History saved as a CSV (real, `pd.DataFrame(history.history).to_csv`, no epoch column): row k is epoch k, 10 passes said', async () => {
  // Read before as steps 1…10: the passes over the data unseen, the fit called supported.
  const file = path.join(FIXTURES, 'keras-history-pneumonia-training_history.csv');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'csv');
  assert.deepEqual(rolesOf(log, ['epoch', 'loss', 'val_loss', 'learning_rate']), { epoch: 'epoch', loss: 'loss', val_loss: 'eval_loss', learning_rate: 'lr' });
  assert.deepEqual(Array.from(log.data.epoch), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(log.run?.epochsLogged?.count, 10);
  assert.match(log.run?.lrCuts ?? '', /ReduceLROnPlateau/);
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.stepUnit, 'epoch');
  const j = fitToJson(a.state) as { trust: { supported: boolean; reasons: string[] } };
  assert.equal(j.trust.supported, false);
  assert.match(j.trust.reasons.join(' '), /10 passes over its data/);
  // pandas' own index (to_csv's default, an unnamed first column 0, 1, 2, …) is no step either.
  const indexed = path.join(tmp, 'history.csv');
  fs.writeFileSync(indexed, ',loss,val_loss,accuracy,val_accuracy\n0,0.9,1.0,0.5,0.4\n1,0.7,0.9,0.6,0.5\n2,0.6,0.85,0.7,0.55\n');
  const b = await parseLogFile(indexed);
  assert.deepEqual(Array.from(b.data.epoch), [1, 2, 3]);
  assert.equal(b.data['column 1'], undefined);
  assert.equal(rolesOf(b, ['column 1'])['column 1'], 'other');
  // A table with its own step column, or a val_ metric without its training twin, is not such a history.
  const stepped = path.join(tmp, 'metrics.csv');
  fs.writeFileSync(stepped, 'step,loss,val_loss\n10,0.9,1.0\n20,0.7,0.9\n');
  assert.equal((await parseLogFile(stepped)).data.epoch, undefined);
  const lone = path.join(tmp, 'other.csv');
  fs.writeFileSync(lone, 'loss,val_loss,val_bleu\n0.9,1.0,20\n0.7,0.9,22\n');
  assert.equal((await parseLogFile(lone)).data.epoch, undefined);
});

test("Chainer's LogReport `result/log` (real, a Chainer run of the aiayn repository, 8 reports; ESPnet1's results/log is the same): a row a report at its iteration", async () => {
  // Refused before: a JSON list of records with no "epoch"-first shape the reader knew, in a file named `log`.
  const file = path.join(FIXTURES, 'chainer-logreport-aiayn', 'result', 'log');
  const text = fs.readFileSync(file, 'utf8');
  const recs = JSON.parse(text) as Array<Record<string, number>>;
  assert.equal(detectFormat('log', text), 'json');
  const log = await parseLogFile(file);
  assert.equal(log.rows, recs.length);
  assert.deepEqual(rolesOf(log, ['iteration', 'epoch', 'main/loss', 'validation/main/loss', 'elapsed_time']), { iteration: 'step', epoch: 'epoch', 'main/loss': 'loss', 'validation/main/loss': 'eval_loss', elapsed_time: 'time' });
  assert.deepEqual(Array.from(log.data.iteration), recs.map((r) => r.iteration));
  assert.deepEqual(Array.from(log.data['main/loss']), recs.map((r) => r['main/loss']));
  // Its epochs, though the epoch is no column beside the iteration: passes over the data.
  const epochs = recs.map((r) => r.epoch);
  assert.equal(log.data.epoch, undefined);
  assert.equal(log.run?.epochsLogged?.count, epochs[epochs.length - 1] - Math.min(...epochs) + 1);
  assert.ok(log.run!.epochsLogged!.count > 1);
  // Any other file with no extension that opens with a list of such records reads the same; prose does not.
  assert.equal(detectFormat('log', '[{"step": 10, "train/loss": 2.5}, {"step": 20, "train/loss": 2.1}]'), 'json');
  assert.equal(detectFormat('log', '[{"name": "a", "value": 2.5}]'), undefined);
});

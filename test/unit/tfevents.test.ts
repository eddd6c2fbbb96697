import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, toRunCurves, type ParsedLog } from '../../src/core/logs';
import { crc32, crc32c, maskCrc } from '../../src/core/logs/crc';
import { listRuns } from '../../src/core/logs/runs';
import { runInspect } from '../../src/cli/inspect';
import {
  f, fileVersionEvent, histogramTensorEvent, imageEvent, scalarEvent, tfRecord,
} from '../helpers/runWriters';
import { tmpDir } from './tmpUtil';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'tfevents');
const tmp = tmpDir('sl-tfevents-');
let n = 0;
function dir(): string { const d = path.join(tmp, `run${++n}`); fs.mkdirSync(d, { recursive: true }); return d; }
function write(p: string, records: Uint8Array[]): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, Buffer.concat(records.map((r) => tfRecord(r))));
  return p;
}
const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);
const role = (log: ParsedLog, name: string): string | undefined => log.columns.find((c) => c.name === name)?.role;
const msgs = (log: ParsedLog): string => log.problems.map((p) => `${p.severity}: ${p.message}`).join('\n');

test('CRC-32C and CRC-32 known answers ("123456789"), TFRecord mask', () => {
  const b = Buffer.from('123456789');
  assert.equal(crc32c(b), 0xe3069283);
  assert.equal(crc32(b), 0xcbf43926);
  // Longer than 8 bytes and unaligned: the sliced path and the byte path agree with zlib's CRC-32.
  const long = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require('node:zlib') as { crc32?: (b: Uint8Array) => number };
  if (zlib.crc32) for (const [s, e] of [[0, 1000], [3, 999], [5, 12]]) assert.equal(crc32(long, s, e), zlib.crc32(long.subarray(s, e)));
  assert.equal(maskCrc(0), 0xa282ead8);
});

test('PyTorch simple_value event file: tags become columns with roles, exact float32 values', async () => {
  const d = dir();
  const recs = [fileVersionEvent()];
  const loss: number[] = [], val: number[] = [];
  for (let s = 0; s < 50; s++) {
    loss.push(4 / Math.sqrt(s + 1) + 1.5);
    recs.push(scalarEvent('train/loss', s, loss[s]));
    recs.push(scalarEvent('lr', s, 3e-4));
    if (s % 10 === 9) { val.push(loss[s] + 0.1); recs.push(scalarEvent('eval/loss', s, loss[s] + 0.1)); }
  }
  recs.push(imageEvent('samples', 10));
  const file = write(path.join(d, 'events.out.tfevents.1700000000.host.1.0'), recs);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'tfevents');
  assert.equal(log.rows, 50);
  assert.equal(role(log, 'step'), 'step');
  assert.equal(role(log, 'train/loss'), 'loss');
  assert.equal(role(log, 'eval/loss'), 'eval_loss');
  assert.equal(role(log, 'lr'), 'lr');
  // The learning rate is kept, as from a CSV (for the schedule).
  assert.deepEqual(col(log, 'lr'), Array.from({ length: 50 }, () => f(3e-4)));
  assert.deepEqual(col(log, 'step'), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(col(log, 'train/loss'), loss.map(f));
  const ev = col(log, 'eval/loss');
  assert.deepEqual(ev.filter((v) => !Number.isNaN(v)), val.map(f));
  assert.ok(Number.isNaN(ev[0]) && ev[9] === f(val[0]));
  assert.equal(log.problems.filter((p) => p.severity !== 'info').length, 0, msgs(log));
  assert.equal(log.stats.rowsRead, 50 + 50 + 5);
  // The same file through the folder path gives the same log.
  const byDir = await parseLogFile(d);
  assert.deepEqual(col(byDir, 'train/loss'), col(log, 'train/loss'));
  assert.equal(byDir.file, d);
  const curves = toRunCurves(log);
  assert.deepEqual(curves.map((c) => c.series), ['train/loss', 'eval/loss']);
});

test('TF2 tensor scalars: float_val, double_val and tensor_content; plugin metadata only on the first event', async () => {
  const d = dir();
  const recs = [fileVersionEvent()];
  const a: number[] = [], b: number[] = [], c: number[] = [];
  for (let s = 1; s <= 30; s++) {
    a.push(2 + 1 / s); b.push(3 + 1 / s); c.push(Math.PI / s);
    // TF writes the metadata with a tag's first value only.
    recs.push(scalarEvent('epoch_loss', s, a[s - 1], { form: 'tensor-float', plugin: s === 1 }));
    recs.push(scalarEvent('val/loss', s, b[s - 1], { form: 'tensor-double', plugin: s === 1 }));
    recs.push(scalarEvent('tokens', s, s * 4096, { form: 'tensor-content', plugin: s === 1 }));
    recs.push(scalarEvent('weird', s, c[s - 1], { form: 'tensor-content', plugin: false }));
  }
  recs.push(histogramTensorEvent('weights', 5));
  recs.push(histogramTensorEvent('weights', 6));
  const log = await parseLogFile(write(path.join(d, 'events.out.tfevents.1700000001.h.v2'), recs));
  assert.equal(log.rows, 30);
  assert.equal(role(log, 'epoch_loss'), 'loss');
  assert.equal(role(log, 'val/loss'), 'eval_loss');
  assert.equal(role(log, 'tokens'), 'tokens');
  assert.deepEqual(col(log, 'epoch_loss'), a.map(f));
  assert.deepEqual(col(log, 'val/loss'), b); // doubles: exact
  assert.deepEqual(col(log, 'tokens'), Array.from({ length: 30 }, (_, i) => (i + 1) * 4096));
  assert.ok(!log.columns.some((x) => x.name === 'weights'), 'histogram tensors are not scalars');
  assert.ok(log.columns.some((x) => x.name === 'weird'), 'a scalar-shaped double without metadata is read');
});

test('a corrupt record is reported with its byte offset and skipped; the rest is read', async () => {
  const d = dir();
  const recs = [fileVersionEvent(), ...Array.from({ length: 20 }, (_, s) => scalarEvent('loss', s, 10 - s / 4))];
  const bufs = recs.map((r) => tfRecord(r));
  // Flip a byte in the payload of the record for step 7 (record 9, after the version event).
  const offset = bufs.slice(0, 8).reduce((a, b) => a + b.length, 0);
  bufs[8][20] ^= 0xff;
  // And break the length CRC of step 12: the framing must resynchronise on the next header.
  const offset2 = bufs.slice(0, 13).reduce((a, b) => a + b.length, 0);
  bufs[13][9] ^= 0x01;
  const file = path.join(d, 'events.out.tfevents.1700000002.h.0');
  fs.writeFileSync(file, Buffer.concat(bufs));
  const log = await parseLogFile(file);
  assert.deepEqual(col(log, 'step'), [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19]);
  assert.deepEqual(col(log, 'loss'), col(log, 'step').map((s) => f(10 - s / 4)));
  const m = msgs(log);
  assert.match(m, new RegExp(`warning: .*record 9 at byte ${offset}: checksum mismatch`));
  assert.match(m, new RegExp(`warning: .*bytes ${offset2}–${offset2 + bufs[13].length} are not valid records`));
  assert.equal(log.stats.dropped, 2);
});

test('a truncated last record (file still being written) is information, the complete ones are read', async () => {
  const d = dir();
  const recs = [fileVersionEvent(), ...Array.from({ length: 10 }, (_, s) => scalarEvent('loss', s, 5 - s / 10))];
  const whole = Buffer.concat(recs.map((r) => tfRecord(r)));
  const file = path.join(d, 'events.out.tfevents.1700000003.h.0');
  for (const cut of [5, 13, 30]) {
    fs.writeFileSync(file, whole.subarray(0, whole.length - cut));
    const log = await parseLogFile(file);
    assert.deepEqual(col(log, 'step'), [0, 1, 2, 3, 4, 5, 6, 7, 8], `cut ${cut}`);
    assert.ok(log.problems.every((p) => p.severity === 'info'), msgs(log));
    assert.match(msgs(log), /info: .*last record \(byte \d+\) is cut short/);
  }
});

test('a folder with two event files (a restart) is merged by step; the later file wins from its first step', async () => {
  const d = dir();
  const f1 = [fileVersionEvent(), ...Array.from({ length: 10 }, (_, s) => scalarEvent('train/loss', s * 10, 5 - s / 10))];
  // The job crashed after step 90 and resumed from the checkpoint at step 60.
  const f2 = [fileVersionEvent(), ...Array.from({ length: 6 }, (_, k) => scalarEvent('train/loss', 60 + k * 10, 1 + k / 100))];
  f2.push(scalarEvent('eval/loss', 100, 1.25));
  write(path.join(d, 'events.out.tfevents.1700000100.h.1.0'), f1);
  write(path.join(d, 'events.out.tfevents.1700000200.h.2.0'), f2);
  fs.writeFileSync(path.join(d, 'hparams.yaml'), 'lr: 0.001\n');
  const log = await parseLogFile(d);
  assert.deepEqual(col(log, 'step'), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
  assert.deepEqual(col(log, 'train/loss'), [...[0, 1, 2, 3, 4, 5].map((s) => f(5 - s / 10)), ...[0, 1, 2, 3, 4, 5].map((k) => f(1 + k / 100))]);
  assert.equal(col(log, 'eval/loss')[10], 1.25);
  assert.equal(log.stats.superseded, 4);
  assert.equal(log.stats.segments, 2);
  assert.match(msgs(log), /info: .*restart in events\.out\.tfevents\.1700000200\.h\.2\.0 \(after events\.out\.tfevents\.1700000100\.h\.1\.0\): step goes back from 90 to 60/);
});

test('sub-folders become tag prefixes (Keras train/ and validation/); listRuns lists them', async () => {
  const d = dir();
  write(path.join(d, 'train', 'events.out.tfevents.1700000300.h.1.v2'), [fileVersionEvent(), scalarEvent('epoch_loss', 0, 2), scalarEvent('epoch_loss', 1, 1.5)]);
  write(path.join(d, 'validation', 'events.out.tfevents.1700000301.h.1.v2'), [fileVersionEvent(), scalarEvent('epoch_loss', 0, 2.5), scalarEvent('epoch_loss', 1, 2.25)]);
  const log = await parseLogFile(d);
  assert.deepEqual(col(log, 'train/epoch_loss'), [2, 1.5]);
  assert.deepEqual(col(log, 'validation/epoch_loss'), [2.5, 2.25]);
  assert.equal(role(log, 'validation/epoch_loss'), 'eval_loss');
  assert.equal(role(log, 'train/epoch_loss'), 'loss');
  assert.deepEqual((await listRuns(d)).map((r) => r.name), ['train', 'validation']);
});

test('tags named __proto__, constructor and step are plain columns', async () => {
  const d = dir();
  const file = write(path.join(d, 'events.out.tfevents.1700000400.h'), [fileVersionEvent(),
    scalarEvent('__proto__', 1, 1), scalarEvent('constructor', 1, 2), scalarEvent('step', 1, 7), scalarEvent('loss', 1, 3),
    scalarEvent('__proto__', 2, 4), scalarEvent('loss', 2, 2)]);
  const log = await parseLogFile(file);
  assert.ok(log.columns.some((c) => c.name === '__proto__'));
  assert.ok(log.columns.some((c) => c.name === 'constructor'));
  assert.equal(role(log, 'step (2)'), 'step');
  assert.deepEqual(col(log, 'step (2)'), [1, 2]);
  assert.deepEqual(col(log, 'loss'), [3, 2]);
  assert.equal(Object.getPrototypeOf(log.data), Object.prototype);
});

test('not an event file: a clear error; an empty folder: a clear error', async () => {
  const d = dir();
  fs.writeFileSync(path.join(d, 'events.out.tfevents.1700000500.h'), Buffer.from('hello\0world, not a record at all'));
  await assert.rejects(parseLogFile(path.join(d, 'events.out.tfevents.1700000500.h')), /not a TensorBoard event file/);
  const e = dir();
  await assert.rejects(parseLogFile(e), /no TensorBoard event files, MLflow run, W&B run, AllenNLP serialization folder or Ray Tune trial in it/);
});

test('hostile event files: garbage after a record is given up on after 16 MB; more than 10,000 tags are capped', async () => {
  const d = dir();
  const head = tfRecord(fileVersionEvent());
  const good = tfRecord(scalarEvent('loss', 1, 2));
  const file = path.join(d, 'events.out.tfevents.1700000700.h');
  fs.writeFileSync(file, Buffer.concat([head, good, Buffer.alloc(17 << 20, 0xff), tfRecord(scalarEvent('loss', 2, 1))]));
  const log = await parseLogFile(file);
  assert.deepEqual(col(log, 'loss'), [2]);
  assert.match(msgs(log), /warning: .*no valid record in the 16 MB after byte \d+/);
  const many = [fileVersionEvent(), ...Array.from({ length: 10005 }, (_, k) => scalarEvent(`metric_${k}`, 1, k)), scalarEvent('loss', 1, 3)];
  const log2 = await parseLogFile(write(path.join(d, 'events.out.tfevents.1700000701.h'), many));
  assert.equal(log2.columns.length, 10001); // the step and 10,000 series
  assert.match(msgs(log2), /more than 10000 distinct metric names; the others are left out \(first left out: 'metric_10000'\)/);
  assert.equal(log2.stats.rowsRead, 10006);
});

// ------------------------------------------------------------------------------- real files

interface Truth { records: number; tags: Record<string, { count: number; kind: string; first_step?: number; last_step?: number; last_value?: number }> }
const truth = JSON.parse(fs.readFileSync(path.join(FIX, 'truth.json'), 'utf8')) as Record<string, Truth>;

function checkTruth(log: ParsedLog, t: Truth): void {
  for (const [tag, x] of Object.entries(t.tags)) {
    if (x.kind !== 'simple_value') { assert.ok(!log.columns.some((c) => c.name === tag), `${tag} (${x.kind}) is not a column`); continue; }
    const info = log.columns.find((c) => c.name === tag);
    assert.ok(info, `column ${tag}`);
    const steps = col(log, 'step');
    if (log.data[tag]) {
      const v = col(log, tag);
      const idx = v.map((y, i) => (Number.isNaN(y) ? -1 : i)).filter((i) => i >= 0);
      assert.equal(idx.length, x.count, tag);
      assert.equal(steps[idx[0]], x.first_step);
      assert.equal(steps[idx[idx.length - 1]], x.last_step);
      assert.equal(v[idx[idx.length - 1]], x.last_value);
    }
  }
}

test('real PyTorch SummaryWriter file (Dipeshtamboli/tensorboard-logs): 401 records, tags and last values as truth.json', async () => {
  const name = 'events.out.tfevents.1663763728.host.11228.0';
  const log = await parseLogFile(path.join(FIX, name));
  const t = truth[name];
  assert.equal(log.rows, 100);
  assert.equal(log.stats.rowsRead, 400);
  assert.equal(log.problems.length, 0, msgs(log));
  assert.equal(role(log, 'Loss/train'), 'loss');
  assert.equal(role(log, 'Loss/test'), 'eval_loss');
  checkTruth(log, t);
});

test('real R tfevents file (dfalbel/tfevents-js): one scalar with scalars-plugin metadata', async () => {
  const name = 'events.out.tfevents.1687811641.v2';
  const log = await parseLogFile(path.join(FIX, name));
  assert.equal(log.rows, 1);
  checkTruth(log, truth[name]);
  assert.equal(log.columns.find((c) => c.name === 'hello')?.name, 'hello');
});

test('real tutorial run with graph, run metadata and images (a byte-identical subset of its records): only the scalars', async () => {
  const name = 'events.out.tfevents.1663726064.host.10019.0.subset';
  const log = await parseLogFile(path.join(FIX, name));
  assert.equal(log.rows, 15);
  assert.equal(role(log, 'training loss'), 'loss');
  checkTruth(log, truth[name]);
});

test('CLI inspect reads an event folder', async () => {
  const d = dir();
  write(path.join(d, 'events.out.tfevents.1700000600.h'), [fileVersionEvent(), scalarEvent('train/loss', 1, 2), scalarEvent('train/loss', 2, 1.5)]);
  let out = '';
  const code = await runInspect(['--json', d], { out: (s) => { out += s; }, err: (s) => { out += s; } });
  assert.equal(code, 0, out);
  const j = JSON.parse(out) as { format: string; rows: number };
  assert.equal(j.format, 'tfevents');
  assert.equal(j.rows, 2);
});

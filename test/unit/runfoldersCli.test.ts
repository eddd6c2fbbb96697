// Issue 13 item 4: `scaling-lens fit` and `inspect` take TensorBoard, MLflow and W&B run folders
// (not only files), and an event file is known by its name and its content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runFoldersOf } from '../../src/core/logs';
import { fileVersionEvent, scalarEvent, tfRecord, WandbLogWriter, wandbHistory, wandbRun } from '../helpers/runWriters';
import { tmpDir } from './tmpUtil';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli.js');
const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const tmp = tmpDir('sl-runcli-');
function put(rel: string, content: string | Buffer): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}
function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
interface FitJson { format: string; rows: number; series: string; xKind: string; params: Record<string, number> }

// One law for all three: L = 2 + 400/x^0.3, written as doubles so the fit can recover it.
const law = (x: number): number => 2 + 400 / Math.pow(x, 0.3);
function assertLaw(j: FitJson): void {
  assert.ok(Math.abs(j.params.E - 2) < 1e-3, `E ${j.params.E}`);
  assert.ok(Math.abs(j.params.B / 400 - 1) < 1e-3, `B ${j.params.B}`);
  assert.ok(Math.abs(j.params.beta - 0.3) < 1e-4, `beta ${j.params.beta}`);
}

test('fit and inspect on a TensorBoard run folder (the CLI takes the folder)', () => {
  const recs = [fileVersionEvent()];
  for (let s = 1; s <= 200; s++) {
    recs.push(scalarEvent('train/loss', s, law(s * 65536), { form: 'tensor-double', plugin: s === 1 }));
    recs.push(scalarEvent('tokens', s, s * 65536, { form: 'tensor-double', plugin: s === 1 }));
  }
  put('tb/run1/events.out.tfevents.1700000000.h.1.0', Buffer.concat(recs.map((r) => tfRecord(r))));
  const r = cli('fit', path.join(tmp, 'tb/run1'), '--json', '--bootstrap', '20');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as FitJson;
  assert.equal(j.format, 'tfevents');
  assert.equal(j.rows, 200);
  assert.equal(j.series, 'train/loss');
  assert.equal(j.xKind, 'tokens');
  assertLaw(j);
  const i = cli('inspect', '--json', path.join(tmp, 'tb/run1'));
  assert.equal(i.code, 0, i.err);
  assert.equal((JSON.parse(i.out) as { rows: number }).rows, 200);
});

test('fit on an MLflow run folder and on a W&B run folder (.wandb log)', () => {
  const run = 'mlruns/5/abc';
  put(`${run}/meta.yaml`, 'run_id: abc\nrun_name: small\n');
  put(`${run}/metrics/train/loss`, Array.from({ length: 200 }, (_, k) => `${1700000000000 + k} ${law((k + 1) * 10)} ${(k + 1) * 10}`).join('\n') + '\n');
  const m = cli('fit', path.join(tmp, run), '--json', '--bootstrap', '20');
  assert.equal(m.code, 0, m.err);
  const mj = JSON.parse(m.out) as FitJson;
  assert.equal(mj.format, 'mlflow');
  assert.equal(mj.rows, 200);
  assert.equal(mj.xKind, 'step');
  assertLaw(mj);

  const w = new WandbLogWriter();
  w.write(wandbRun(1, 'calm-owl-3', { n_layer: 4 }));
  for (let s = 1; s <= 200; s++) w.write(wandbHistory(s + 1, s * 10, { 'train/loss': law(s * 10), _step: s * 10 }));
  const wrun = 'wandb/run-20260101_000000-w1';
  put(`${wrun}/run-w1.wandb`, w.finish());
  put(`${wrun}/files/wandb-summary.json`, JSON.stringify({ 'train/loss': law(2000), _step: 2000 }));
  const b = cli('fit', path.join(tmp, wrun), '--json', '--bootstrap', '20');
  assert.equal(b.code, 0, b.err);
  const bj = JSON.parse(b.out) as FitJson;
  assert.equal(bj.format, 'wandb');
  assert.equal(bj.rows, 200);
  assertLaw(bj);
});

test('a W&B folder with only its summary on disk: the fit error says why (too few points), not a note about other series', () => {
  // The real TinyLM run as stored in the fixtures: its .wandb log is gzipped, so only
  // wandb-summary.json (one point, two loss series) is read from the folder.
  const r = cli('fit', path.join(FIX, 'wandb-tinylm-run'));
  assert.equal(r.code, 1);
  assert.match(r.err, /too few points/);
  assert.doesNotMatch(r.err, /loss series in the log/);
});

test('an event file is known by its name and its content: text under the name is not a run', async () => {
  const good = put('ev/a/events.out.tfevents.1700000000.h.1.0', Buffer.concat([fileVersionEvent(), scalarEvent('loss', 1, 2)].map((r) => tfRecord(r))));
  assert.deepEqual(await runFoldersOf(good), [path.dirname(good)]);
  // Keras writes train/ and validation/ under one run folder.
  const keras = put('ev/b/train/events.out.tfevents.1700000000.h.1.v2', Buffer.concat([fileVersionEvent()].map((r) => tfRecord(r))));
  assert.deepEqual(await runFoldersOf(keras), [path.dirname(keras), path.dirname(path.dirname(keras))]);
  // A file just created by a writer (shorter than a record header) may still become one.
  const fresh = put('ev/c/events.out.tfevents.1700000001.h.1.0', '');
  assert.deepEqual(await runFoldersOf(fresh), [path.dirname(fresh)]);
  const text = put('ev/d/events.out.tfevents.1700000002.h.1.0', 'step,loss\n1,2.0\n2,1.5\n');
  assert.deepEqual(await runFoldersOf(text), []);
});

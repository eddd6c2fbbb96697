import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { listRuns, parseLogFile, runFolderKind, toRunCurves, type ParsedLog } from '../../src/core/logs';
import { WandbLogWriter, wandbHistory, wandbRun } from '../helpers/runWriters';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-runs-');
function put(rel: string, content: string | Buffer): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}
const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);
const role = (log: ParsedLog, name: string): string | undefined => log.columns.find((c) => c.name === name)?.role;
const msgs = (log: ParsedLog): string => log.problems.map((p) => `${p.severity}: ${p.message}`).join('\n');

// ------------------------------------------------------------------------------------ MLflow

function mlflowRun(exp: string, id: string, name: string, loss: (s: number) => number, nParams: number): string {
  const dir = path.join('mlruns', exp, id);
  put(path.join(dir, 'meta.yaml'), `artifact_uri: file:///x/mlruns/${exp}/${id}/artifacts\nend_time: 1700000100000\nentry_point_name: ''\nexperiment_id: '${exp}'\nlifecycle_stage: active\nrun_id: ${id}\nrun_name: meta-${name}\nstatus: 3\n`);
  put(path.join(dir, 'tags', 'mlflow.runName'), name);
  put(path.join(dir, 'params', 'n_params'), String(nParams));
  put(path.join(dir, 'params', 'lr'), '0.0003');
  // A metric logged as "train/loss" is metrics/train/loss.
  put(path.join(dir, 'metrics', 'train', 'loss'), Array.from({ length: 20 }, (_, k) => `${1700000000000 + k} ${loss((k + 1) * 100)} ${(k + 1) * 100}`).join('\n') + '\n');
  put(path.join(dir, 'metrics', 'val_loss'), [500, 1000, 1500, 2000].map((s) => `${1700000000000 + s} ${loss(s) + 0.05} ${s}`).join('\n') + '\n');
  put(path.join(dir, 'metrics', 'tokens_seen'), Array.from({ length: 20 }, (_, k) => `1700000000000 ${(k + 1) * 100 * 8192} ${(k + 1) * 100}`).join('\n') + '\n');
  return path.join(tmp, dir);
}

test('an MLflow run folder: metrics by step (names with / from sub-folders), params, run name', async () => {
  put('mlruns/1/meta.yaml', 'artifact_location: file:///x/mlruns/1\nexperiment_id: \'1\'\nlifecycle_stage: active\nname: sizes\n');
  const loss = (s: number): number => 2 + 30 / Math.sqrt(s);
  const dir = mlflowRun('1', 'a1b2c3', 'small', loss, 124_000_000);
  const log = await parseLogFile(dir);
  assert.equal(log.format, 'mlflow');
  assert.equal(log.rows, 20);
  assert.equal(role(log, 'train/loss'), 'loss');
  assert.equal(role(log, 'val_loss'), 'eval_loss');
  assert.equal(role(log, 'tokens_seen'), 'tokens');
  assert.deepEqual(col(log, 'step'), Array.from({ length: 20 }, (_, k) => (k + 1) * 100));
  assert.deepEqual(col(log, 'train/loss'), Array.from({ length: 20 }, (_, k) => loss((k + 1) * 100)));
  assert.equal(col(log, 'val_loss')[4], loss(500) + 0.05);
  assert.equal(col(log, 'tokens_seen')[19], 2000 * 8192);
  assert.equal(log.run?.name, 'small');
  assert.deepEqual(new Map(log.run?.params), new Map([['n_params', '124000000'], ['lr', '0.0003']]));
  assert.deepEqual(JSON.parse(log.run?.configs?.[0].text ?? '{}'), { lr: 0.0003, n_params: 124000000 });
  assert.equal(log.problems.filter((p) => p.severity !== 'info').length, 0, msgs(log));
  assert.equal(await runFolderKind(dir), 'mlflow');
});

test('an MLflow experiment folder is a set of runs: one log with a run column, listRuns lists them', async () => {
  mlflowRun('2', 'r1', 'run-a', (s) => 3 + 10 / Math.sqrt(s), 1e7);
  mlflowRun('2', 'r2', 'run-b', (s) => 2.5 + 10 / Math.sqrt(s), 5e7);
  put('mlruns/2/meta.yaml', 'experiment_id: \'2\'\nname: sweep\n');
  fs.mkdirSync(path.join(tmp, 'mlruns/2/.trash'), { recursive: true });
  const exp = path.join(tmp, 'mlruns', '2');
  const runs = await listRuns(exp);
  assert.deepEqual(runs.map((r) => [r.name, r.kind]), [['run-a', 'mlflow'], ['run-b', 'mlflow']]);
  const log = await parseLogFile(exp);
  assert.equal(log.rows, 40);
  assert.equal(role(log, 'run'), 'run');
  assert.deepEqual([...new Set(log.labels?.run)], ['run-a', 'run-b']);
  const curves = toRunCurves(log).filter((c) => c.series.startsWith('train/loss'));
  assert.deepEqual(curves.map((c) => c.series), ['train/loss (run-a)', 'train/loss (run-b)']);
  assert.equal(curves[1].loss[0], 2.5 + 10 / Math.sqrt(100));
  assert.deepEqual(log.run?.runs?.map((r) => r.name), ['run-a', 'run-b']);
});

test('MLflow: a bad line is reported with file and line; metrics logged without a step use their order', async () => {
  const dir = path.join(tmp, 'mlruns/3/r9');
  put('mlruns/3/r9/meta.yaml', 'run_id: r9\nrun_name: plain\n');
  put('mlruns/3/r9/metrics/loss', '1700000000000 3.0 0\n1700000000001 2.5 0\ngarbage here\n1700000000002 2.25 0\n1700000000003 nan 0\n');
  const log = await parseLogFile(dir);
  assert.deepEqual(col(log, 'loss'), [3, 2.5, 2.25]);
  assert.deepEqual(col(log, 'step'), [0, 1, 2]);
  assert.match(msgs(log), /warning: .*metrics\/loss:3: not 'timestamp value step'/);
  assert.match(msgs(log), /info: .*every point has step 0/);
  assert.equal(log.run?.name, 'plain');
});

// ------------------------------------------------------------------------------------- W&B

test('a W&B run folder with a .wandb log: history rows by step, run name and config from the log', async () => {
  const run = 'wandb/run-20260101_120000-abc123';
  const w = new WandbLogWriter();
  w.write(wandbRun(1, 'brave-fox-7', { n_layer: 12, n_embd: 768, lr: 3e-4 }));
  const loss: number[] = [];
  for (let s = 0; s < 3000; s++) {
    loss.push(2 + 5 / Math.sqrt(s + 1));
    const items: Record<string, unknown> = { 'train/loss': loss[s], _step: s, _runtime: s * 0.5, _timestamp: 1.7e9 + s };
    if (s % 1000 === 999) items['val/loss'] = loss[s] + 0.1;
    if (s === 5) items.samples = { _type: 'table', path: 'x.json' };
    w.write(wandbHistory(s + 2, s, items));
  }
  // A record larger than a block (FIRST/MIDDLE/LAST) with a history row in it.
  const big: Record<string, unknown> = { 'train/loss': 1.5, _step: 3000 };
  for (let k = 0; k < 4000; k++) big[`extra/metric_${k}`] = k;
  w.write(wandbHistory(4000, 3000, big));
  const bytes = w.finish();
  assert.ok(bytes.length > 3 * 32768);
  put(`${run}/run-abc123.wandb`, bytes);
  put(`${run}/files/wandb-summary.json`, JSON.stringify({ 'train/loss': 1.5, _step: 3000 }));
  put(`${run}/files/config.yaml`, 'wandb_version: 1\n_wandb:\n  desc: null\n  value:\n    python_version: 3.11\nn_layer:\n  desc: null\n  value: 12\nn_embd:\n  desc: null\n  value: 768\n');
  const dir = path.join(tmp, run);
  const log = await parseLogFile(dir);
  assert.equal(log.format, 'wandb');
  assert.equal(log.rows, 3001);
  assert.deepEqual(col(log, 'train/loss'), [...loss, 1.5]);
  assert.equal(col(log, 'val/loss')[999], loss[999] + 0.1);
  assert.equal(role(log, 'val/loss'), 'eval_loss');
  assert.ok(!log.columns.some((c) => c.name === '_runtime' || c.name === 'samples'));
  assert.ok(log.columns.some((c) => c.name === 'extra/metric_3999'));
  assert.equal(log.run?.name, 'brave-fox-7');
  assert.deepEqual(JSON.parse(log.run?.configs?.[0].text ?? '{}'), { n_layer: 12, n_embd: 768 });
  assert.equal(log.problems.filter((p) => p.severity !== 'info').length, 0, msgs(log));
  // The files/ folder and the .wandb file lead to the same run.
  assert.equal((await parseLogFile(path.join(dir, 'files'))).rows, 3001);
  assert.equal((await parseLogFile(path.join(dir, 'run-abc123.wandb'))).rows, 3001);
  // A damaged record is skipped with a message; a cut tail is information.
  const bad = Buffer.from(bytes);
  bad[40000] ^= 0xff;
  put(`${run}/run-abc123.wandb`, bad.subarray(0, bad.length - 100));
  const log2 = await parseLogFile(dir);
  assert.ok(log2.rows > 2900 && log2.rows < 3001, String(log2.rows));
  assert.match(msgs(log2), /warning: .*run-abc123\.wandb: checksum mismatch at byte \d+; record skipped/);
  assert.match(msgs(log2), /info: .*last record is cut short/);
});

test('a W&B run folder with history JSONL (older clients), and one with only the summary', async () => {
  const run = 'wandb/run-20250101_000000-old1';
  put(`${run}/files/wandb-history.jsonl`, [0, 1, 2].map((s) => JSON.stringify({ _step: s, loss: 3 - s / 2, _runtime: s })).join('\n') + '\n');
  put(`${run}/files/wandb-summary.json`, '{"loss": 2.0, "_step": 2}');
  const log = await parseLogFile(path.join(tmp, run));
  assert.deepEqual(col(log, 'loss'), [3, 2.5, 2]);
  assert.deepEqual(col(log, 'step'), [0, 1, 2]);
  const only = 'wandb/run-20250102_000000-sum1';
  put(`${only}/files/wandb-summary.json`, '{"loss": 2.0, "_step": 99, "eval/loss": 2.2}');
  const log2 = await parseLogFile(path.join(tmp, only));
  assert.equal(log2.rows, 1);
  assert.deepEqual(col(log2, 'loss'), [2]);
  assert.deepEqual(col(log2, 'step'), [99]);
  assert.match(msgs(log2), /warning: .*only the final values of wandb-summary\.json are read/);
  const all = await listRuns(path.join(tmp, 'wandb'));
  assert.deepEqual(all.map((r) => r.name), ['run-20250101_000000-old1', 'run-20250102_000000-sum1', 'run-20260101_120000-abc123']);
  assert.equal(await runFolderKind(path.join(tmp, only)), 'wandb');
});

test('a folder walk does not follow symbolic links and skips named pipes', async (t) => {
  if (process.platform === 'win32') { t.skip('POSIX only'); return; }
  const d = path.join(tmp, 'links');
  fs.mkdirSync(d, { recursive: true });
  fs.symlinkSync(d, path.join(d, 'loop'));
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [path.join(d, 'events.out.tfevents.1.pipe')]);
  await assert.rejects(parseLogFile(d), /no TensorBoard event files/);
});

// ------------------------------------------------------------------------------- real W&B run

test('real W&B run (AuroraEchos/TinyLM, wandb-core .wandb log): history read back to the final values of its own wandb-summary.json', async () => {
  const fix = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'wandb-tinylm-run');
  const run = 'wandb/run-20260211_121423-kj3gdsjx';
  put(`${run}/run-kj3gdsjx.wandb`, zlib.gunzipSync(fs.readFileSync(path.join(fix, 'run-kj3gdsjx.wandb.gz'))));
  for (const f of ['config.yaml', 'wandb-summary.json']) put(`${run}/files/${f}`, fs.readFileSync(path.join(fix, 'files', f)));
  const log = await parseLogFile(path.join(tmp, run));
  // The summary W&B wrote at the end of the run is the truth for the last values.
  const summary = JSON.parse(fs.readFileSync(path.join(fix, 'files', 'wandb-summary.json'), 'utf8')) as Record<string, number>;
  const lastOf = (name: string): [number, number] => {
    const v = col(log, name), s = col(log, 'step');
    for (let i = v.length - 1; i >= 0; i--) if (!Number.isNaN(v[i])) return [s[i], v[i]];
    return [NaN, NaN];
  };
  assert.equal(log.format, 'wandb');
  assert.equal(log.rows, 2145);
  assert.equal(lastOf('train/loss')[1], summary['train/loss']);
  assert.deepEqual(lastOf('val/loss'), [summary._step, summary['val/loss']]);
  assert.equal(col(log, 'step')[log.rows - 1], summary._step);
  assert.equal(role(log, 'train/loss'), 'loss');
  assert.equal(role(log, 'val/loss'), 'eval_loss');
  assert.equal(log.run?.name, 'tinylm_pretrain_512d_8L');
  assert.equal(new Map(log.run?.params).get('grad_accum_steps'), '8');
  assert.equal(log.problems.filter((p) => p.severity !== 'info').length, 0, msgs(log));
});

// ---------------------------------------------------------------------------- real MLflow store

test('real MLflow experiment (1010sb/ImageClass, Fashion-MNIST, 9 runs): one row per run, names and values as in the files', async () => {
  const exp = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'mlflow-imageclass', '586757370402886605');
  const runs = await listRuns(exp);
  assert.equal(runs.length, 9);
  const log = await parseLogFile(exp);
  assert.equal(log.format, 'mlflow');
  assert.equal(log.rows, 9);
  assert.equal(log.stats.segments, 1);
  assert.equal(role(log, 'val_loss'), 'eval_loss');
  // Each run's label and value, read from its files independently of the reader.
  for (const r of runs) {
    const name = fs.readFileSync(path.join(r.path, 'tags', 'mlflow.runName'), 'utf8').trim();
    const [, value, step] = fs.readFileSync(path.join(r.path, 'metrics', 'val_loss'), 'utf8').trim().split(' ');
    const i = log.labels?.run.indexOf(name) ?? -1;
    assert.ok(i >= 0, `run ${name}`);
    assert.equal(col(log, 'val_loss')[i], Number(value));
    assert.equal(col(log, 'step')[i], Number(step));
  }
  assert.equal(log.problems.length, 0, msgs(log));
});

test('a run folder\'s epoch series says how many passes over the data the run makes (fractional as HF logs it, or whole epochs)', async () => {
  const loss = (s: number): number => 1 + 5 / Math.sqrt(s);
  const frac = mlflowRun('7', 'ep1', 'sft-3-epochs', loss, 1e8);
  // HF's train/epoch: 0.15 … 3.0 over 2,000 steps (a third of them a pass).
  put(path.join(path.relative(tmp, frac), 'metrics', 'train', 'epoch'), Array.from({ length: 20 }, (_, k) => `1700000000000 ${(3 * (k + 1) * 100) / 2000} ${(k + 1) * 100}`).join('\n') + '\n');
  const a = await parseLogFile(frac);
  assert.equal(role(a, 'train/epoch'), 'epoch');
  assert.equal(a.run?.epochsLogged?.count, 3);
  assert.match(a.run?.epochsLogged?.source ?? '', /the run's "train\/epoch" series reaches 3/);
  // Whole epochs 0 … 4 (Lightning's epoch counter): five passes.
  const whole = mlflowRun('7', 'ep2', 'whole-epochs', loss, 1e8);
  put(path.join(path.relative(tmp, whole), 'metrics', 'epoch'), Array.from({ length: 20 }, (_, k) => `1700000000000 ${Math.floor(k / 4)} ${(k + 1) * 100}`).join('\n') + '\n');
  const b = await parseLogFile(whole);
  assert.equal(b.run?.epochsLogged?.count, 5);
  assert.match(b.run?.epochsLogged?.source ?? '', /counts epochs 0 to 4/);
  // No epoch series: nothing said.
  const none = await parseLogFile(mlflowRun('7', 'ep3', 'no-epochs', loss, 1e8));
  assert.equal(none.run?.epochsLogged, undefined);
});

test('real HF Trainer TensorBoard file of a 3-epoch fine-tune: its train/epoch series says 3 passes, and the fit says the data repeat', async () => {
  const file = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'tfevents-hf-t5', 'events.out.tfevents.1742826235.DESKTOP-41L2EO3.107869.0');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'tfevents');
  assert.equal(role(log, 'train/epoch'), 'epoch');
  assert.equal(log.run?.epochsLogged?.count, 3);
  const { analyzeFile } = await import('../../src/core/pipeline');
  const { DEFAULT_ANALYZE_OPTIONS } = await import('../../src/core/options');
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.ok(a.state.kind === 'log' && a.state.fit?.trust?.reasons.some((r) => /makes 3 passes over its data \(the run's "train\/epoch" series reaches 3\)/.test(r)), JSON.stringify(a.state.kind === 'log' && a.state.fit?.trust));
});

test('the same TensorBoard run fitted to half way: the steps a pass takes come from its epoch series (no planned end), so the passes law is a candidate', async () => {
  const file = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'tfevents-hf-t5', 'events.out.tfevents.1742826235.DESKTOP-41L2EO3.107869.0');
  const log = await parseLogFile(file);
  const last = Array.from(log.data.step).at(-1)!;
  assert.ok(Math.abs(log.run!.epochsLogged!.stepsPerPass! / (last / 3) - 1) < 0.01, `${log.run?.epochsLogged?.stepsPerPass} steps a pass`);
  const { analyzeFile } = await import('../../src/core/pipeline');
  const { DEFAULT_ANALYZE_OPTIONS } = await import('../../src/core/options');
  const { fitToJson } = await import('../../src/core/summary');
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as { candidates: Array<{ law: string; params: Record<string, number> }> };
  const passes = j.candidates.find((c) => c.law === 'passes');
  assert.ok(passes, j.candidates.map((c) => c.law).join(', '));
  assert.ok(Math.abs(passes.params.stepsPerPass / (last / 3) - 1) < 0.01);
});

// DVCLive writes one file a metric, `dvclive/plots/metrics/<path>.tsv` with the header `step<TAB><name>`:
// which loss it is (training, evaluation) is only in the folders above it. A real evaluation loss
// (test/fixtures/SOURCES.md: DVCLive's Hugging Face callback, `eval/loss.tsv`) was read as the training
// loss and fitted as one.
import { test } from 'node:test';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { listRuns, runFolderKind } from '../../src/core/logs/runs';
import { isRunFileName, runFoldersOf } from '../../src/core/logs/runFiles';
import * as fs from 'node:fs';
import { discoverRuns } from '../../src/core/runs/discover';
import { tmpDir } from './tmpUtil';

const DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'dvclive-hf-lora', 'dvclive', 'plots', 'metrics');

test('a DVCLive metric file under eval/ is an evaluation loss, named by its path ("eval/loss"); the note says what its step counts', async () => {
  const log = await parseLogFile(join(DIR, 'eval', 'loss.tsv'));
  assert.equal(log.rows, 107);
  const col = log.columns.find((c) => c.name === 'eval/loss');
  assert.equal(col?.role, 'eval_loss');
  assert.equal(log.columns.some((c) => c.name === 'loss'), false);
  assert.deepEqual(Array.from(log.data.step).slice(0, 3), [1, 3, 5]);
  const note = log.problems.find((p) => /DVCLive metric file/.test(p.message));
  assert.match(note?.message ?? '', /named by their path under plots\/metrics\/, "eval\/loss".*next_step\(\)/);
  const a = await analyzeFile(join(DIR, 'eval', 'loss.tsv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as { series?: string; error?: string };
  assert.equal(j.error, undefined);
  assert.equal(j.series, 'eval/loss');
});

test('a DVCLive metric file at the top of plots/metrics/ keeps its name; other TSVs and older DVCLive (the path as the name) are unchanged', async () => {
  const top = await parseLogFile(join(DIR, 'loss.tsv'));
  assert.equal(top.columns.find((c) => c.name === 'loss')?.role, 'loss');
  // No folder to name it by, but its step is DVCLive's all the same: said.
  assert.match(top.problems.map((p) => p.message).join('\n'), /a DVCLive metric file: DVCLive's step counts the script's calls to next_step\(\)/);
  const rows = ['step\tloss', ...Array.from({ length: 12 }, (_, i) => `${i}\t${(2 / (i + 1)).toFixed(4)}`)].join('\n') + '\n';
  assert.ok(parseLogText(rows, 'runs/eval/loss.tsv').columns.some((c) => c.name === 'loss'), 'not under plots/metrics/: unchanged');
  const old = parseLogText(rows.replace('step\tloss', 'step\ttrain/loss'), 'dvclive/plots/metrics/train/loss.tsv');
  assert.ok(old.columns.some((c) => c.name === 'train/loss'));
  assert.equal(old.problems.some((p) => /named by their path/.test(p.message)), false, 'already named by its path: not renamed');
  const val = parseLogText(rows, 'dvclive\\plots\\metrics\\val\\loss.tsv');
  assert.equal(val.columns.find((c) => c.name === 'val/loss')?.role, 'eval_loss', 'a Windows path too');
});

test('a DVCLive folder is one run: its metric files joined by step, each named by its path; params.yaml its config; a file in it belongs to it', async () => {
  const run = join(DIR, '..', '..');
  const log = await parseLogFile(run);
  assert.equal(log.format, 'dvclive');
  assert.equal(log.columns.find((c) => c.name === 'loss')?.role, 'loss');
  assert.equal(log.columns.find((c) => c.name === 'eval/loss')?.role, 'eval_loss');
  // Training losses on even steps, evaluations on odd (107 each), and the Trainer's closing summary
  // (`train/loss`, `train/runtime`, …) at step 214: 215 rows.
  assert.equal(log.rows, 215);
  assert.equal(log.columns.find((c) => c.name === 'learning_rate')?.role, 'lr');
  assert.equal(log.columns.find((c) => c.name === 'epoch')?.role, 'epoch');
  assert.deepEqual(Array.from(log.data['train/loss']).filter(Number.isFinite), [0.8070883238426992]);
  assert.equal(log.run?.configs?.[0].file, join(run, 'params.yaml'));
  const steps = Array.from(log.data.step);
  const train = Array.from(log.data.loss).map((v, i) => [steps[i], v]).filter(([, v]) => Number.isFinite(v));
  const evals = Array.from(log.data['eval/loss']).map((v, i) => [steps[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.equal(train.length, 107);
  assert.equal(evals.length, 107);
  assert.ok(train.every(([s]) => s % 2 === 0) && evals.every(([s]) => s % 2 === 1));
  const first = fs.readFileSync(join(DIR, 'eval', 'loss.tsv'), 'utf8').split('\n')[1].split('\t');
  assert.deepEqual(evals[0], [Number(first[0]), Number(first[1])]);
  assert.match(log.problems.map((p) => p.message).join('\n'), /a DVCLive folder: 11 metric file\(s\) under plots\/metrics\/.*next_step\(\)/);
  assert.equal(await runFolderKind(run), 'dvclive');
  assert.deepEqual((await listRuns(run)).map((r) => r.kind), ['dvclive']);
  assert.ok(isRunFileName(join(run, 'metrics.json')));
  assert.deepEqual(await runFoldersOf(join(run, 'metrics.json')), [run]);
  assert.deepEqual(await runFoldersOf(join(DIR, 'eval', 'loss.tsv')), [run]);
  const a = await analyzeFile(run, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as { series?: string; error?: string; schedule?: { kind: string; total: number; source?: string } };
  assert.equal(j.error, undefined);
  assert.equal(j.series, 'loss');
  // The logged LR (constant) and the end params.yaml plans: 5 epochs of the steps the epoch series shows.
  assert.equal(j.schedule?.kind, 'constant');
  assert.equal(j.schedule?.total, 214);
  assert.match(JSON.stringify(j), /num_train_epochs = 5 in params\.yaml/);
});

test('a DVCLive folder: params.yaml is its config, older files with a timestamp column are read, bad lines are named, a folder without DVCLive files is not one', async () => {
  const root = tmpDir('sl-dvclive-');
  try {
    const run = join(root, 'dvclive');
    fs.mkdirSync(join(run, 'plots', 'metrics', 'train'), { recursive: true });
    fs.writeFileSync(join(run, 'params.yaml'), 'learning_rate: 0.0003\nnum_train_epochs: 3\nlr_scheduler_type: cosine\n');
    const rows = Array.from({ length: 30 }, (_, i) => `${1700000000 + i}\t${i}\t${(2 / Math.sqrt(i + 1)).toFixed(5)}`);
    rows.splice(5, 0, '1700000099\tx\t1.0', '1700000099\t7\tnan');
    fs.writeFileSync(join(run, 'plots', 'metrics', 'train', 'loss.tsv'), ['timestamp\tstep\tloss', ...rows].join('\n') + '\n');
    const log = await parseLogFile(run);
    assert.equal(log.format, 'dvclive');
    assert.deepEqual(Array.from(log.data['train/loss']).slice(0, 2), [2, +(2 / Math.sqrt(2)).toFixed(5)]);
    assert.equal(log.run?.configs?.[0].file, join(run, 'params.yaml'));
    const msgs = log.problems.map((p) => p.message).join('\n');
    assert.match(msgs, /plots\/metrics\/train\/loss\.tsv:7: not 'step<TAB>value'; line skipped/);
    assert.match(msgs, /plots\/metrics\/train\/loss\.tsv:8: value is nan \(treated as missing\)/);
    // plots/metrics/ alone, with neither metrics.json nor params.yaml nor dvc.yaml, is not DVCLive's.
    fs.rmSync(join(run, 'params.yaml'));
    assert.equal(await runFolderKind(run), undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the Runs view lists a DVCLive folder as one run (not each of its metric files)', async () => {
  const root = tmpDir('sl-dvclive-runs-');
  try {
    fs.cpSync(join(DIR, '..', '..'), join(root, 'exp-lora', 'dvclive'), { recursive: true });
    const found = await discoverRuns(root);
    assert.deepEqual(found.runs.map((r) => [r.rel, r.layout]), [['exp-lora/dvclive', 'dvclive']]);
    assert.ok(found.runs[0].loss !== undefined && found.runs[0].loss > 0);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

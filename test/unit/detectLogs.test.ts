// The log index's detection (issue 16 item 5): one definition of "is a log", run in the worker for
// a workspace scan (in its own worker: detectWorker.test.ts). Logs and eval tables by content, plain tables and text not, named pipes never opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { detectLogFiles, isLogCandidateName, isLogFile, logCandidatesUnder, WORKSPACE_MARKERS } from '../../src/core/detectLogs';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { LONG_HEAD_CHARS, MAX_PREAMBLE_CHARS } from '../../src/core/logs/detect';
import { tmpDir } from './tmpUtil';

const dir = tmpDir('sl-detect-');
const write = (name: string, text: string): string => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };

const metrics = write('metrics.csv', 'step,train/loss,lr\n1,3.2,1e-4\n2,3.1,2e-4\n3,3.0,3e-4\n');
const jsonl = write('train.jsonl', '{"step": 1, "loss": 3.2}\n{"step": 2, "loss": 3.1}\n');
const people = write('people.csv', 'name,city\nada,london\nalan,wilmslow\n');
const notes = write('notes.txt', 'shopping list\n- milk\n');
const settings = write('settings.json', '{ "editor.fontSize": 14 }\n');

test('isLogFile: training logs by content, other tables and text not', async () => {
  assert.equal(await isLogFile(metrics), true);
  assert.equal(await isLogFile(jsonl), true);
  assert.equal(await isLogFile(people), false);
  assert.equal(await isLogFile(notes), false);
  assert.equal(await isLogFile(settings), false);
  assert.equal(await isLogFile(path.join(dir, 'missing.csv')), false);
});

test('detectLogFiles: the logs among many files, in order; a named pipe is not opened (no hang)', async (t) => {
  const files = [people, metrics, notes, jsonl, settings];
  if (process.platform !== 'win32') {
    const fifo = path.join(dir, 'pipe.csv');
    try { execFileSync('mkfifo', [fifo]); files.splice(2, 0, fifo); } catch { t.diagnostic('mkfifo unavailable'); }
  }
  assert.deepEqual(await detectLogFiles(files, { concurrency: 2 }), [metrics, jsonl]);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(detectLogFiles(files, { signal: ac.signal }));
});

test('the scan markers are exactly the manifest\'s workspaceContains activation events', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { activationEvents: string[] };
  const contains = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
  assert.deepEqual([...WORKSPACE_MARKERS].sort(), contains.sort());
});

test('logCandidatesUnder: a folder created with its files (reported as the folder alone) has its candidate logs found', async (t) => {
  const made = tmpDir('sl-newdir-');
  fs.mkdirSync(path.join(made, 'export', 'deep'), { recursive: true });
  const table = path.join(made, 'export', 'runs.csv');
  fs.copyFileSync(metrics, table);
  const nested = path.join(made, 'export', 'deep', 'train.jsonl');
  fs.copyFileSync(jsonl, nested);
  fs.writeFileSync(path.join(made, 'export', 'model.bin'), Buffer.from([0, 1, 2, 3]));
  fs.copyFileSync(people, path.join(made, 'export', 'people.csv'));
  if (process.platform !== 'win32') {
    try { execFileSync('mkfifo', [path.join(made, 'export', 'pipe.csv')]); } catch { t.diagnostic('mkfifo unavailable'); }
  }
  const found = await logCandidatesUnder(made);
  assert.deepEqual(found.map((f) => path.relative(made, f)).sort(), [path.join('export', 'deep', 'train.jsonl'), path.join('export', 'people.csv'), path.join('export', 'runs.csv')].sort());
  assert.deepEqual((await detectLogFiles(found)).sort(), [nested, table].sort());
});

test('isLogFile and the parser: a text log whose metric lines come after a long preamble or a first line longer than the head', async () => {
  const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
  // The NanoGPT speedrun log prints its training script (past the first 16 KB) before the first metric line.
  const speedrun = path.join(fixtures, 'modded-nanogpt-speedrun-wsd.txt');
  const firstMetric = fs.readFileSync(speedrun, 'utf8').search(/^step:\d+\/\d+ (train|val)_loss/m);
  assert.ok(firstMetric > 16 * 1024, `the fixture's first metric line is at ${firstMetric}`);
  assert.equal(await isLogFile(speedrun), true);
  // A first line of 70,000 characters (longer than the parser's 64 KB head), then metric lines.
  const lines = ['# ' + 'x'.repeat(70_000)];
  for (let s = 1; s < 200; s++) lines.push(`step ${s}: loss ${(4 * s ** -0.1).toFixed(4)}`);
  const long = write('longfirst.log', lines.join('\n') + '\n');
  assert.equal(await isLogFile(long), true);
  const log = await parseLogFile(long);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 199);
  assert.equal(parseLogText(fs.readFileSync(long, 'utf8'), 'longfirst.log').rows, 199);
  // A real Trainer console capture whose first printed dict (buffered) is at 106 KB, after lines of
  // tqdm bars: its bars make the 256 KB head worth reading.
  const hf = write('train_log.txt', zlib.gunzipSync(fs.readFileSync(path.join(fixtures, 'hf-console-llama-sft-buffered.txt.gz'))).toString('utf8'));
  assert.ok(fs.readFileSync(hf).indexOf("{'loss'") > 100 * 1024);
  assert.equal(await isLogFile(hf), true);
  // A Composer run whose printed config (after its `Config:` banner) fills the first 16 KB.
  const composer = ['[2025-08-06 10:02:48,297][composer.trainer.trainer][INFO] - Run name: r', '*'.repeat(30), 'Config:',
    ...Array.from({ length: 1500 }, (_, i) => `key_${i}: value_${i}`), '*'.repeat(30)];
  for (let b = 1; b <= 20; b++) composer.push(`[batch=${b}/100]:`, `\t Train loss/train/total: ${(3 - b / 100).toFixed(4)}`);
  const cfile = write('train.log', composer.join('\n') + '\n');
  assert.ok(fs.readFileSync(cfile).indexOf('[batch=') > 16 * 1024);
  assert.equal(await isLogFile(cfile), true);
  // Real fairseq and Megatron-DeepSpeed consoles, whose argument dumps and printed models fill the
  // first 16 KB (first metric line at 23 KB and 112 KB): listed as logs (the explorer's menu, the scan).
  for (const [name, fixture, first] of [['train.log', 'fairseq-iwslt14-staged.log.gz', 'train_inner'], ['qwen7b_baseline_500.log', 'megatron-deepspeed-qwen7b-500.log.gz', ' iteration ']]) {
    const f = write(name, zlib.gunzipSync(fs.readFileSync(path.join(fixtures, fixture))).toString('utf8'));
    assert.ok(fs.readFileSync(f).indexOf(first) > 16 * 1024, name);
    assert.equal(await isLogFile(f), true, name);
  }
  // The longer head is not a licence: 300 KB of prose in a .txt is still not a log.
  const prose = write('essay.txt', 'It was the best of times and the worst of times.\n'.repeat(6000));
  assert.equal(await isLogFile(prose), false);
  await assert.rejects(parseLogFile(prose), /not a training log/);
});

test('isLogFile: the real consoles read this session are logs to the editor too (Keras 3, torchtune, PaddleClas, PaddleSeg behind 65 KB of launcher output, gzipped)', async () => {
  const F = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
  for (const f of ['keras3-console-road-surface.txt', 'torchtune-console-lora-llama3.2-1b.out', 'paddleclas-pvtv2-stage1.log.gz', 'paddleseg-ddrnet-trainer-log.txt.gz', 'ultralytics-yolov8-wheat-weed/results.csv', 'keras-csvlogger-brats/training.log']) {
    assert.equal(await isLogFile(path.join(F, f)), true, f);
  }
});

test('a text log whose first metric line comes after a preamble longer than 256 KB: read past it (up to MAX_PREAMBLE_CHARS), in the editor and the parser alike', async () => {
  const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
  // A real PaddleOCR console: eleven starts appended, each dumping its config again; the first
  // metric line at 856 KB (line 7,688). Before, refused as no log by the parser and the editor.
  const gz = path.join(fixtures, 'paddleocr-rec-carplate-train.log.gz');
  const raw = zlib.gunzipSync(fs.readFileSync(gz));
  const plain = path.join(dir, 'train.log');
  fs.writeFileSync(plain, raw);
  const text = raw.toString('latin1');
  const firstMetric = text.search(/epoch: \[1\/500\], iter: 10,/);
  assert.ok(firstMetric > 800 * 1024, `the first metric line is at ${firstMetric}`);
  const firstLine = text.slice(0, firstMetric).split('\n').length;
  const stepLines = text.split('\n').filter((l) => /epoch: \[\d+\/500\], iter: \d+, lr: [\d.]+, loss: [\d.]+/.test(l)).length;
  for (const f of [plain, gz]) {
    assert.equal(await isLogFile(f), true, f);
    const log = await parseLogFile(f);
    assert.equal(log.format, 'text');
    assert.equal(log.rows, stepLines);
    assert.equal(log.lines[0], firstLine, 'row lines count the dropped preamble');
    assert.deepEqual(log.columns.filter((c) => ['step', 'lr', 'loss'].includes(c.role)).map((c) => c.role).sort(), ['loss', 'lr', 'step']);
  }
  const fromText = parseLogText(fs.readFileSync(plain, 'utf8'), 'train.log');
  assert.equal(fromText.rows, stepLines);
  assert.equal(fromText.lines[0], firstLine);
  // A preamble of logger lines longer than MAX_PREAMBLE_CHARS: refused by both, naming the file.
  const info = (i: number) => `[2022/12/12 09:02:32] root INFO: config, line ${i}, value, ${'x'.repeat(40)}`;
  const longPre = Array.from({ length: Math.ceil((MAX_PREAMBLE_CHARS + LONG_HEAD_CHARS) / 80) + 1000 }, (_, i) => info(i));
  const metricsAfter = Array.from({ length: 300 }, (_, i) => `[2022/12/12 13:25:40] root INFO: epoch: [1/5], iter: ${10 * (i + 1)}, lr: 0.001, loss: ${(5 / (i + 1) ** 0.3).toFixed(4)}`);
  const tooLong = write('too-long.log', [...longPre, ...metricsAfter].join('\n') + '\n');
  assert.equal(await isLogFile(tooLong), false);
  await assert.rejects(parseLogFile(tooLong), /too-long\.log: not a training log/);
  // The same metric lines after 1 MB of a logger's line and a printed table with as many commas (a
  // window cut in it starts with a line that passes for a CSV header): read as the text log it is,
  // with its rows' lines.
  const pre = Array.from({ length: 13_000 }, (_, i) => (i === 0 ? info(0) : `key_${i}, value, ${'y'.repeat(50)}, end`));
  const ok = write('long-preamble.log', [...pre, ...metricsAfter].join('\n') + '\n');
  assert.equal(await isLogFile(ok), true);
  const log = await parseLogFile(ok);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 300);
  assert.equal(log.lines[0], pre.length + 1);
  // A .csv is never read past its head: a table's header is its first line.
  const csv = write('long-preamble.csv', [...pre, 'step,loss', '1,3.2', '2,3.1'].join('\n') + '\n');
  assert.equal(await isLogFile(csv), false);
});

test('isLogFile: the real OpenNMT-py, YOLOX and nnU-Net logs read in the fourteenth session are logs to the editor too (gzipped and not)', async () => {
  const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
  for (const name of ['opennmt-yoruba-adr-transformer.txt', 'opennmt-yoruba-adr-lstm.txt', 'yolox-fire-voc-s-train_log.txt', 'nnunet-v2-kits23-training_log.txt', 'nnunet-v1-tbone-cegdl-cutoff-training_log.txt']) {
    const gz = path.join(fixtures, `${name}.gz`);
    assert.equal(await isLogFile(gz), true, gz);
    const plain = path.join(dir, name);
    fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(gz)));
    assert.equal(await isLogFile(plain), true, name);
  }
});

test('isLogFile: the real consoles read in the thirty-second session are logs to the editor too (Caffe behind its printed nets, TF Estimator, Flair, MXNet, torchtitan, PaddlePaddle)', async () => {
  const F = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
  const files = ['caffe-regression-solver.log.gz', 'caffe-googlenet-resume.log.gz', 'tf-estimator-bert-train.log.gz', 'flair-training.log', 'mxnet-module-ssh-keypoint-train.log.gz', 'gluoncv-ssd-resnet18-train.log',
    'torchtitan-attnres-baseline-train.log.gz', 'torchtitan-resumed-validate-killed.log.gz', 'deit-logtxt-restart/log.txt', 'chainer-logreport-aiayn/result/log'];
  for (const f of files) assert.equal(await isLogFile(path.join(F, f)), true, f);
  // Unzipped too (the scan reads a plain file's head itself): a Caffe console's first iteration is at line 601, after glog lines.
  const plain = path.join(dir, 'caffe.log');
  fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(path.join(F, 'caffe-regression-solver.log.gz'))));
  assert.equal(await isLogFile(plain), true);
  // PaddlePaddle's launcher names each worker's console `log/workerlog.N` (no log extension): a log
  // by its name and content, as the parser reads it; another file named so is not.
  fs.mkdirSync(path.join(dir, 'log'), { recursive: true });
  for (const [f, to] of [['paddle-custom-ner-workerlog.0.gz', 'workerlog.0'], ['paddleseg-encnet-two-runs-workerlog.0.gz', 'workerlog.1']]) {
    const w = path.join(dir, 'log', to);
    fs.writeFileSync(w, zlib.gunzipSync(fs.readFileSync(path.join(F, f))));
    assert.equal(isLogCandidateName(w), true, to);
    assert.equal(await isLogFile(w), true, to);
  }
  const other = path.join(dir, 'log', 'workerlog.2');
  fs.writeFileSync(other, 'nothing to fit here\n'.repeat(50));
  assert.equal(await isLogFile(other), false);
  assert.equal(isLogCandidateName(path.join(dir, 'log', 'workerlog.txt.bak')), false);
});

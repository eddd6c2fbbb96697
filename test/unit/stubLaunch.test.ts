// A run whose last launch is a crash stub. The real case: a k2/icefall TensorBoard folder
// (test/fixtures/SOURCES.md `icefall-xlsr-tb/`) of 31 launches of one run dir. The last launch,
// events.out.tfevents.1688922886…, logged steps 1 and 51 only. The launch before it,
// events.out.tfevents.1688915290…, logged 30 rows, steps 1–1451. Before, the folder was read as
// its last launch (2 rows), and the fit was refused. Now the launch before it is read and said so.
// A text log of launches appended in one file gets the same (the Collector): a real PaddleDetection
// workerlog, cut two lines into its last launch, as it stood while that launch was starting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, type ParsedLog } from '../../src/core/logs';
import { LAW_MIN_POINTS, lawPoints } from '../../src/core/logs/collector';
import { LiveLog } from '../../src/core/logs/incremental';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { fitToJson } from '../../src/core/summary';
import type { FromWorker, ToWorker } from '../../src/extension/workerProtocol';
import type { LogState } from '../../src/protocol';
import type { Problem } from '../../src/core/dataset';
import { tmpDir } from './tmpUtil';

const DIR = path.join(FIXTURES, 'icefall-xlsr-tb');
const files = fs.readdirSync(DIR).filter((f) => f.startsWith('events.out.tfevents.')).sort();
const STUB = 'events.out.tfevents.1688922886.4a88bb53ddf6.445836.0';
const LONG = 'events.out.tfevents.1688915290.4a88bb53ddf6.252.0';

const tmp = tmpDir('sl-stub-');

/** A copy of the fixture folder with only the event files `keep` picks. */
function folderOf(name: string, keep: (f: string) => boolean): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  for (const f of files) if (keep(f)) fs.copyFileSync(path.join(DIR, f), path.join(d, f));
  return d;
}

const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? [], (v) => v);

test('icefall folder: the fixture is the 31 launches, the last a stub too short for any law', async () => {
  assert.equal(files.length, 31);
  const stub = await parseLogFile(path.join(DIR, STUB));
  assert.ok(lawPoints(stub) < LAW_MIN_POINTS, String(lawPoints(stub)));
  const long = await parseLogFile(path.join(DIR, LONG));
  assert.ok(lawPoints(long) >= LAW_MIN_POINTS);
});

test('icefall folder: the launch before the stub is read, as that event file reads alone, and both files are named', async () => {
  const log = await parseLogFile(DIR);
  const long = await parseLogFile(path.join(DIR, LONG));
  const stub = await parseLogFile(path.join(DIR, STUB));
  // The rows of the 30-row launch (what its own file gives), not the stub's.
  assert.equal(log.rows, long.rows);
  assert.ok(log.rows > stub.rows);
  for (const name of ['step', 'train/current_loss', 'train/tot_loss', 'train/learning_rate']) {
    assert.deepEqual(col(log, name), col(long, name), name);
  }
  const steps = col(long, 'step');
  // Said plainly, naming the stub (its points and steps) and the launch read (its steps).
  const said = log.problems.find((p) => p.message.includes('the last launch'));
  assert.ok(said, log.problems.map((p) => p.message).join('\n'));
  const stubSteps = col(stub, 'step');
  assert.ok(said.message.includes(`the last launch, ${STUB}, holds ${lawPoints(stub)} points with a loss (steps ${stubSteps[0]}–${stubSteps[stubSteps.length - 1]})`), said.message);
  assert.ok(said.message.includes(`the launch before it with enough points is read, ${LONG}, steps ${steps[0]}–${steps[steps.length - 1]}`), said.message);
  assert.equal(log.stats.launchRead, said.message);
});

test('icefall folder: the folder fits (before: refused with too few points), the fit notes say which launch, the same as fitting that file', async () => {
  const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, seed: 1 };
  const { state } = await analyzeFile(DIR, opts);
  assert.equal(state.fitError, undefined);
  assert.ok(state.fit, 'fitted');
  assert.ok(state.fit.messages.some((m) => m.includes(`the last launch, ${STUB}`) && m.includes(LONG)), state.fit.messages.join('\n'));
  const alone = (await analyzeFile(path.join(DIR, LONG), opts)).state;
  assert.equal(state.fit.n, alone.fit?.n);
  assert.deepEqual(state.fit.params, alone.fit?.params);
});

test('icefall folder: narrow: the folder without the stub, or with the stub grown past the minimum, is read as its last launch, with no such note', async () => {
  // Without the stub: the 30-row launch is the last, read as before.
  const without = await parseLogFile(folderOf('without-stub', (f) => f !== STUB));
  assert.equal(without.stats.launchRead, undefined);
  assert.ok(!without.problems.some((p) => /the last launch/.test(p.message)));
  assert.equal(without.rows, (await parseLogFile(path.join(DIR, LONG))).rows);
  // No earlier launch with enough points (the stub and an empty file): read as before, and refused.
  const alone = await parseLogFile(folderOf('stub-only', (f) => f === STUB || f === files[0]));
  assert.equal(alone.stats.launchRead, undefined);
  assert.ok(lawPoints(alone) < LAW_MIN_POINTS);
  assert.equal(alone.rows, (await parseLogFile(path.join(DIR, STUB))).rows);
});

test('icefall folder: stubs one after another: the latest launch with enough points is read, every file after it set aside', async () => {
  // The folder as it stood at events.out.tfevents.1688915115…: launches of steps 1–501
  // (…1688913759…), 1–101 (…1688914270…, 3 points) and 1 (…1688915115…, 1 point).
  const LAST = 'events.out.tfevents.1688915115.4a88bb53ddf6.81746.0';
  const READ = 'events.out.tfevents.1688913759.4a88bb53ddf6.34265.0';
  const NEXT = 'events.out.tfevents.1688914270.4a88bb53ddf6.54687.0';
  const log = await parseLogFile(folderOf('three-launches', (f) => f <= LAST));
  const ref = await parseLogFile(folderOf('up-to-read', (f) => f <= READ));
  assert.equal(log.rows, ref.rows);
  assert.deepEqual(col(log, 'train/current_loss'), col(ref, 'train/current_loss'));
  const aside = files.filter((f) => f >= NEXT && f <= LAST).length;
  assert.ok(aside > 2);
  const m = log.stats.launchRead ?? '';
  assert.ok(m.includes(`the last launch, ${LAST}, holds 1 point with a loss (step 1)`), m);
  assert.ok(m.includes(`is read, ${READ}`), m);
  assert.ok(m.includes(`the ${aside} event files from ${NEXT} on set aside`), m);
});

test('text log: a workerlog cut two lines into its last launch reads the launch before it, the same rows as the file cut before that launch', async () => {
  const { text } = gunzipFixture(tmp, 'ppdet-rtdetr-launches-workerlog.0');
  const lines = text.split('\n');
  // The lines where a launch logs its first step (`Epoch: [0] [   0/N]`), 1-based.
  const starts: number[] = [];
  lines.forEach((l, i) => { if (/ppdet\.engine INFO: Epoch: \[0\] \[ {0,4}0\/\d+\]/.test(l)) starts.push(i + 1); });
  const last = starts[starts.length - 1];
  const metric = (l: string) => /ppdet\.engine INFO: Epoch: \[\d+\] \[ {0,4}\d+\/\d+\]/.test(l);
  assert.ok(metric(lines[last]), 'the last launch logs a second step on the next line');
  const cut = path.join(tmp, 'cut.log');
  fs.writeFileSync(cut, lines.slice(0, last + 1).join('\n') + '\n');
  const before = path.join(tmp, 'before.log');
  fs.writeFileSync(before, lines.slice(0, last - 1).join('\n') + '\n');
  const log = await parseLogFile(cut);
  const ref = await parseLogFile(before);
  assert.ok(ref.rows >= LAW_MIN_POINTS);
  assert.equal(log.rows, ref.rows);
  assert.deepEqual(Array.from(log.lines), Array.from(ref.lines));
  for (const c of ref.columns) if (ref.data[c.name]) assert.deepEqual(col(log, c.name), col(ref, c.name), c.name);
  const said = log.problems.find((p) => p.message.includes('too few to fit'));
  assert.ok(said, log.problems.map((p) => p.message).join('\n'));
  assert.equal(said.line, last);
  assert.ok(said.message.includes(`cut.log:${last}: the last run in the file, from line ${last}, holds 2 points with a loss`), said.message);
  assert.ok(said.message.includes(`lines ${ref.lines[0]}–${ref.lines[ref.rows - 1]}`), said.message);
  // The whole file (its last launch long enough) is read as its last launch, as before.
  const whole = await parseLogFile(path.join(tmp, 'ppdet-rtdetr-launches-workerlog.0'));
  assert.equal(whole.stats.launchRead, undefined);
  assert.ok(whole.lines[0] >= last);
});

// The editor reads a growing log live (incremental.ts: the kept reader's snapshot, not finish):
// the same answer as the whole read. The workerlog's reader is not live, so a CSV of two runs printed
// one after another (made here: a run of 3,000 steps, then a second from step 1) stands in for it
// (big enough for a live read: a small file is read whole each time).
test('live read: the same answer as the whole read, and the last run read once it has enough points', async () => {
  const row = (step: number, run: number) => `${step},${(2 + 3 / Math.sqrt(step) + run / 10).toFixed(5)}\n`;
  const N = 3000;
  let first = 'step,loss\n';
  for (let s = 1; s <= N; s++) first += row(s, 0);
  const file = path.join(tmp, 'two-runs.csv');
  fs.writeFileSync(file, first + row(1, 1));
  const live = new LiveLog(file);
  let r = await live.read({ threads: 1 });
  assert.equal(r.mode, 'full');
  let whole = await parseLogFile(file, { threads: 1 });
  assert.ok(whole.stats.launchRead && whole.stats.launchRead.includes(`two-runs.csv:${N + 2}: the last run in the file, from line ${N + 2}, holds 1 point with a loss (step 1)`), whole.stats.launchRead);
  assert.equal(whole.rows, N);
  assert.deepEqual(r.log.problems, whole.problems);
  assert.deepEqual(r.log.stats, whole.stats);
  assert.deepEqual(Array.from(r.log.data.loss), Array.from(whole.data.loss));
  // Two more rows: still too few, still the first run, now by an appended read.
  fs.appendFileSync(file, row(2, 1) + row(3, 1));
  r = await live.read({ threads: 1 });
  assert.equal(r.mode, 'appended');
  whole = await parseLogFile(file, { threads: 1 });
  assert.equal(r.log.rows, N);
  assert.deepEqual(r.log.problems, whole.problems);
  assert.deepEqual(r.log.stats, whole.stats);
  assert.deepEqual(Array.from(r.log.lines), Array.from(whole.lines));
  // The fourth: the last run can be fitted, and is read.
  fs.appendFileSync(file, row(4, 1));
  r = await live.read({ threads: 1 });
  assert.equal(r.mode, 'appended');
  whole = await parseLogFile(file, { threads: 1 });
  assert.equal(whole.stats.launchRead, undefined);
  assert.equal(r.log.stats.launchRead, undefined);
  assert.equal(r.log.rows, 4);
  assert.deepEqual(Array.from(r.log.data.step), [1, 2, 3, 4]);
  assert.deepEqual(r.log.problems, whole.problems);
});

// One pipeline: the CLI (`fit --json`) and the editor's worker give the same answer on the folder
// and on the cut workerlog (as sameAnswer.test.ts does for every fixture file).
test('the CLI and the worker agree on the folder and on the text log read past their stubs', async () => {
  const CLI = path.join(__dirname, '..', '..', 'src', 'cli.js');
  const WORKER = path.join(__dirname, '..', '..', 'src', 'extension', 'worker.js');
  const { text } = gunzipFixture(tmp, 'ppdet-rtdetr-launches-workerlog.0');
  const lines = text.split('\n');
  let last = 0;
  lines.forEach((l, i) => { if (/ppdet\.engine INFO: Epoch: \[0\] \[ {0,4}0\/\d+\]/.test(l)) last = i + 1; });
  const cut = path.join(tmp, 'agree-cut.log');
  fs.writeFileSync(cut, lines.slice(0, last + 1).join('\n') + '\n');
  const options = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 20 };
  const w = new Worker(WORKER);
  try {
    let id = 1;
    for (const file of [DIR, cut]) {
      const r = spawnSync(process.execPath, [CLI, 'fit', file, '--json', '--bootstrap', '20'], { encoding: 'utf8' });
      const m = await new Promise<Extract<FromWorker, { type: 'result' | 'error' }>>((resolve) => {
        const mine = id++;
        const on = (x: FromWorker) => { if ((x.type === 'result' || x.type === 'error') && x.id === mine) { w.off('message', on); resolve(x); } };
        w.on('message', on);
        w.postMessage({ type: 'analyze', id: mine, file, options, roleOverrides: {}, cancelFlag: new SharedArrayBuffer(4) } satisfies ToWorker);
      });
      if (m.type === 'error') {
        // (Refused alike, said alike.)
        assert.equal(r.stderr.replace(/^scaling-lens fit: /, '').trim(), m.message.split('\n')[0], file);
        continue;
      }
      assert.ok(r.stdout.trim(), `${file}: ${r.stderr}`);
      const fromWorker = JSON.parse(JSON.stringify(fitToJson(m.state as LogState, { findings: m.findings as Problem[] }))) as unknown;
      assert.deepEqual(JSON.parse(r.stdout), fromWorker, file);
      assert.ok(JSON.stringify(fromWorker).includes(file === DIR ? `the last launch, ${STUB}` : `the last run in the file, from line ${last}`), file);
    }
  } finally {
    await w.terminate();
  }
});

// What a CSV or JSONL log's first and last rows say of the whole run: LLaMA-Factory's `total_steps`
// column is the planned end, an epoch column past one pass says the run repeats its data. Read from
// the file's ends after the parse (src/core/logs/tail.ts), for the CLI, the editor and the runs view alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile, readTailFacts } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { tmpDir } from './tmpUtil';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const tmp = tmpDir('sl-tail-');

const LF_LINES = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'llamafactory-luojiu-trainer_log.jsonl.gz'))).toString('utf8').split('\n').filter((l) => l);

function write(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'run-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

interface Json {
  prediction: { step: number; loss: number; inSample?: boolean };
  schedule?: { total: number };
  trust: { reasons: string[]; band: string };
}

const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };

test('real LLaMA-Factory trainer_log.jsonl, whole: total_steps is the planned end, the epoch column (3.0) says three passes', async () => {
  const file = write('trainer_log.jsonl', LF_LINES.join('\n') + '\n');
  const log = await parseLogFile(file);
  // The columns themselves are not kept by the parse: the facts come from the file's ends.
  assert.ok(!('total_steps' in log.data) && !('epoch' in log.data));
  const facts = await readTailFacts(file, log);
  assert.equal(facts?.plannedSteps?.steps, 8712);
  assert.equal(facts?.epochs?.count, 3);
  const j = fitToJson((await analyzeFile(file, opts)).state) as unknown as Json;
  assert.equal(j.prediction.step, 8712);
  assert.ok(j.trust.reasons.some((r) => /makes 3 passes over its data \(the log's "epoch" column reaches 3\)/.test(r)), j.trust.reasons.join('\n'));
  // Logged every 5 steps up to 8,710 of 8,712: the two steps left are no unknown future.
  assert.ok(!j.trust.reasons.some((r) => /is not known/.test(r)), j.trust.reasons.join('\n'));
});

test('the same run read at step 3,000 (still training): predicted at its planned step 8,712, its three planned passes said', async () => {
  const file = write('trainer_log.jsonl', LF_LINES.slice(0, 600).join('\n') + '\n');
  const j = fitToJson((await analyzeFile(file, opts)).state) as unknown as Json;
  assert.equal(j.prediction.step, 8712);
  assert.ok(!j.prediction.inSample);
  // epoch 1.03 at step 3,000 of 8,712 → 3 passes (to a tenth: the log rounds the epoch).
  assert.ok(j.trust.reasons.some((r) => /makes 3 passes over its data \(the log's "epoch" column, 1\.03 at step 3,000 of 8,712\)/.test(r)), j.trust.reasons.join('\n'));
  assert.match(j.trust.band, /widened for the repeated data/);
  // The real loss at the end lies in the band the repeated data widened.
  const end = JSON.parse(LF_LINES[LF_LINES.length - 2]) as { loss: number };
  const a = fitToJson((await analyzeFile(file, { ...opts, bootstrap: 50 })).state) as unknown as { prediction: { lo: number; hi: number } };
  assert.ok(a.prediction.lo <= end.loss && end.loss <= a.prediction.hi, `[${a.prediction.lo}, ${a.prediction.hi}] holds ${end.loss}`);
});

test('one pass so far, no planned end: no repeated-data reason; whole epochs counted from 0 (Lightning) are passes', async () => {
  // The first 250 lines: epoch ≤ 0.29, total_steps dropped.
  const first = LF_LINES.slice(0, 250).map((l) => { const o = JSON.parse(l) as Record<string, unknown>; delete o.total_steps; return JSON.stringify(o); });
  const one = write('trainer_log.jsonl', first.join('\n') + '\n');
  const f1 = await readTailFacts(one, await parseLogFile(one));
  assert.equal(f1?.plannedSteps, undefined);
  assert.ok(f1?.epochs && f1.epochs.count < 1);
  const j1 = fitToJson((await analyzeFile(one, opts)).state) as unknown as Json;
  assert.ok(!j1.trust.reasons.some((r) => /passes over its data/.test(r)), j1.trust.reasons.join('\n'));
  // A CSV with whole epochs 0..4 (Lightning's CSVLogger), and one that stays in epoch 0.
  const rows = (epochs: number) => ['epoch,step,train_loss', ...Array.from({ length: 200 }, (_, i) => `${Math.floor((i * epochs) / 200)},${(i + 1) * 10},${(2 + 10 / Math.sqrt(i + 1)).toFixed(4)}`)].join('\n') + '\n';
  const five = write('metrics.csv', rows(5));
  // 40 rows of 10 steps an epoch: epoch 1 starts at step 410, epoch 4 at 1,610: 400 steps a pass.
  assert.deepEqual((await readTailFacts(five, await parseLogFile(five)))?.epochs, { count: 5, source: 'the log\'s "epoch" column counts epochs 0 to 4', stepsPerPass: 400 });
  const single = write('metrics.csv', rows(1));
  assert.equal(await readTailFacts(single, await parseLogFile(single)), undefined);
});

test('hostile ends: keys like __proto__, a total that is not a step count, a last line cut short, a big file read at its ends only', async () => {
  // (Written as text: in an object literal `__proto__` would set the prototype, not a key.)
  const lines = Array.from({ length: 40 }, (_, i) => `{"step": ${(i + 1) * 10}, "loss": ${3 - i * 0.01}, "total_steps": "NaN", "epoch": ${(i + 1) / 100}, "__proto__": {"epoch": 9, "total_steps": 99}}`);
  const weird = write('log.jsonl', lines.join('\n') + '\n{"step": 410, "loss": 2.5, "total_st');
  const f = await readTailFacts(weird, await parseLogFile(weird));
  assert.equal(f?.plannedSteps, undefined);
  assert.equal(f?.epochs?.count, 0.4);
  assert.equal(({} as Record<string, unknown>).epoch, undefined);
  // 3 MB of rows: only the first and last 64 KB are read, and the last row is the one used.
  const big: string[] = ['step,loss,total_steps,epoch'];
  for (let i = 1; i <= 60000; i++) big.push(`${i},${(2 + 1 / Math.sqrt(i)).toFixed(5)},120000,${(i / 20000).toFixed(4)}`);
  const bigFile = write('metrics.csv', big.join('\n') + '\n');
  const log = await parseLogFile(bigFile);
  const fb = await readTailFacts(bigFile, log);
  assert.equal(fb?.plannedSteps?.steps, 120000);
  // epoch 3.0 at step 60,000 of a planned 120,000: 6 passes.
  assert.equal(fb?.epochs?.count, 6);
});

test('read within its first pass (step 2,500 of 2,904 a pass), the run is said to start its second pass later, and the band is open to 0 from where it starts', async () => {
  const file = write('trainer_log.jsonl', LF_LINES.slice(0, 500).join('\n') + '\n');
  const j = fitToJson((await analyzeFile(file, { ...opts, bootstrap: 50 })).state) as unknown as Json & { prediction: { lo: number; hi: number } };
  assert.equal(j.prediction.step, 8712);
  assert.ok(j.trust.reasons.some((r) => /all in the first pass over the data; the second starts at step 2904/.test(r)), j.trust.reasons.join('\n'));
  // Passes 2 and 3 begin before step 8,712: at each the loss may fall by any amount.
  assert.equal(j.prediction.lo, 0);
  assert.ok(j.prediction.hi > j.prediction.loss);
  assert.match(j.trust.band, /open below to 0 from step 2904, where a new pass over the data begins/);
  // Read past the first boundary (step 3,000), the fitted range has seen the second pass begin: no such reason.
  const later = write('trainer_log.jsonl', LF_LINES.slice(0, 600).join('\n') + '\n');
  const k = fitToJson((await analyzeFile(later, opts)).state) as unknown as Json;
  assert.ok(!k.trust.reasons.some((r) => /first pass over the data/.test(r)), k.trust.reasons.join('\n'));
});

test('real Lightning metrics.csv (whole epochs 0 … 9): the first pass\'s length from where epoch 1 begins; the passes law fitted from 30% puts its drops at the epochs the file had logged by then', async () => {
  const file = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'lightning_metrics.csv');
  const log = await parseLogFile(file);
  const facts = await readTailFacts(file, log);
  // Each pass's end lies between an epoch's last training row and the next one's first: 14,049 and
  // 14,099 for the first, 126,649 and 126,699 for the ninth (epoch 1 and epoch 9 begin 8 passes apart).
  assert.equal(facts?.epochs?.count, 10);
  const per = facts!.epochs!.stepsPerPass!;
  assert.ok(per > 14049 && per < 14099, `${per}`);
  assert.ok(9 * per > 126649 && 9 * per < 126699, `${9 * per}`);
  // From 30% the file shows epochs 0 to 2 (a prefix fit reads its facts from the file as it was at the
  // cut: src/core/logs/prefix.ts). The pass's length comes from the two epoch starts logged by then,
  // within the whole file's bounds; by it the held-out end (step 140,699) lies 0.01 into an 11th pass,
  // past the passes law's limit of 10: refused and said, where the whole file's 10 passes had let it fit.
  type J = { runLaw: string; messages: string[]; trust: { reasons: string[] } };
  const passes = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.3, runLaw: 'passes' })).state) as unknown as J;
  assert.ok(passes.trust.reasons.some((r) => r.includes('the log\'s "epoch" column counts epochs 0 to 2')), passes.trust.reasons.join('\n'));
  const said = /by the pass length logged, ([\d,]+) steps, the held-out end at step ([\d,]+) lies in pass (\d+)/.exec(passes.messages.join('\n'));
  assert.ok(said, passes.messages.join('\n'));
  const perAtCut = Number(said[1].replace(/,/g, '')), end = Number(said[2].replace(/,/g, ''));
  assert.ok(perAtCut > 14049 && perAtCut < 14099, `${perAtCut}`);
  assert.equal(Number(said[3]), Math.ceil(end / perAtCut));
  assert.equal(passes.runLaw, 'power');
});

// Diffusion fine-tune consoles (loghunt9). A real ColossalAI DreamBooth run whose loss is `nan` from
// step 15 of 20 to its end: said once, as a divergence, where the fit is too (it had been 7 warnings
// and a fit of the 14 steps before as if the run were healthy); its planned end cites its banner's
// line (it had cited the last bar's) and calls it the training banner, not the Trainer's. A real kohya
// sd-scripts console's `avr_loss` is a moving average, said so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-diverged-');

const SD14 = path.join(FIXTURES, 'colossal-dreambooth-sd14', 'log.txt');
const sd14 = fs.readFileSync(SD14, 'utf8').split('\n');
/** 1-based lines of the file whose text matches `re`. */
const linesOf = (lines: string[], re: RegExp) => lines.map((l, i) => (re.test(l) ? i + 1 : 0)).filter((n) => n > 0);
/** The bar's count on a line: `| 15/20 [`. */
const countOn = (line: number) => Number(/\| (\d+)\/\d+ \[/.exec(sd14[line - 1])![1]);

type J = { messages: string[]; trust: { supported: boolean; reasons: string[] }; prediction?: { step?: number } };
const fit = async (file: string, extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS> = {}) =>
  fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, ...extra })).state) as unknown as J;

test('ColossalAI DreamBooth (real): the planned end cites the banner\'s own line, as the training banner (no Trainer dicts in this console)', async () => {
  const log = await parseLogFile(SD14);
  const banner = linesOf(sd14, /Total optimization steps = 20\b/);
  assert.equal(banner.length, 1);
  const bars = linesOf(sd14, /Steps: 100%\|.*\| 20\/20 \[/);
  assert.ok(bars.length >= 1 && bars[bars.length - 1] !== banner[0]);
  assert.equal(log.run?.plannedSteps?.steps, 20);
  const source = log.run?.plannedSteps?.source ?? '';
  assert.ok(source.includes(`"Total optimization steps = 20", line ${banner[0]})`), source);
  assert.match(source, /^the training banner/);
  assert.doesNotMatch(source, /Trainer's/);
});

test('ColossalAI DreamBooth (real): a loss NaN from a step to the end is one divergence finding, naming the first and last NaN lines and the rows before', async () => {
  const log = await parseLogFile(SD14);
  const nan = linesOf(sd14, /\| \d+\/20 \[[^\]]*loss=nan\b/);
  assert.ok(nan.length >= 2);
  const finite = linesOf(sd14, /\| \d+\/20 \[[^\]]*loss=\d/);
  // Every NaN comes after the last finite loss: a tail, to the log's last bar.
  assert.ok(nan[0] > finite[finite.length - 1]);
  const firstStep = countOn(nan[0]), lastStep = countOn(nan[nan.length - 1]);
  const before = new Set(finite.map(countOn)).size;
  // No warning per NaN line any more: one finding, at the first.
  assert.equal(log.problems.filter((p) => /is NaN \(treated as missing\)/.test(p.message)).length, 0, log.problems.map((p) => p.message).join('\n'));
  const said = log.problems.filter((p) => /diverged/.test(p.message));
  assert.equal(said.length, 1);
  assert.equal(said[0].line, nan[0]);
  assert.equal(said[0].severity, 'warning');
  assert.ok(said[0].message.includes(`loss is NaN from step ${firstStep} (line ${nan[0]}) to the last step, ${lastStep} (line ${nan[nan.length - 1]}): the run diverged; only the ${before} rows before it`), said[0].message);
  assert.deepEqual(log.run?.nonFiniteTails, [{
    column: 'loss', what: 'NaN', axis: 'step', from: { at: firstStep, line: nan[0] }, to: { at: lastStep, line: nan[nan.length - 1], last: true }, before,
  }]);
  // The rows are as before: NaN is missing to the fit.
  assert.equal(log.data.loss.filter((v) => Number.isFinite(v)).length, before);
});

test('ColossalAI DreamBooth (real): the fit says the run diverged and where; a prediction at the planned end is not trusted, a prefix fit\'s target before it is only told', async () => {
  const nan = linesOf(sd14, /\| \d+\/20 \[[^\]]*loss=nan\b/);
  const where = `loss is NaN from step ${countOn(nan[0])} (line ${nan[0]})`;
  const whole = await fit(SD14);
  assert.equal(whole.trust.supported, false);
  assert.ok(whole.trust.reasons.some((r) => r.startsWith('the run diverged: ') && r.includes(where)), whole.trust.reasons.join('\n'));
  // --fit-until 0.5: the target (the last held-out point) is before the divergence: a note, not a reason.
  const half = await fit(SD14, { fitUntil: 0.5 });
  assert.ok(!half.trust.reasons.some((r) => /diverged/.test(r)), half.trust.reasons.join('\n'));
  assert.ok(half.messages.some((m) => m.startsWith('the run diverged: ') && m.includes(where)), half.messages.join('\n'));
});

test('NaN or infinite losses that do not run to the end stay one warning each; a long tail is one finding with no "more lines" summary', async () => {
  const csv = (rows: Array<[number, string]>) => 'step,loss\n' + rows.map(([s, l]) => `${s},${l}`).join('\n') + '\n';
  const curve = (s: number) => (2 + 5 / Math.sqrt(s)).toFixed(4);
  // An isolated NaN mid-run, and a lone NaN at the very end (one row: not a divergence).
  const lone = parseLogText(csv(Array.from({ length: 30 }, (_, i): [number, string] => [i + 1, i === 9 || i === 29 ? 'nan' : curve(i + 1)])), 'lone.csv');
  assert.deepEqual(lone.problems.filter((p) => /loss is NaN \(treated as missing\)/.test(p.message)).map((p) => p.line), [11, 31]);
  assert.ok(!lone.problems.some((p) => /diverged/.test(p.message)));
  assert.equal(lone.run?.nonFiniteTails, undefined);
  // NaN for a stretch, then finite again: a spike, not a divergence.
  const back = parseLogText(csv(Array.from({ length: 30 }, (_, i): [number, string] => [i + 1, i >= 10 && i < 15 ? 'nan' : curve(i + 1)])), 'back.csv');
  assert.equal(back.problems.filter((p) => /loss is NaN \(treated as missing\)/.test(p.message)).length, 5);
  assert.ok(!back.problems.some((p) => /diverged/.test(p.message)));
  // 40 finite rows, then 300 NaN or inf: one finding (their 300 warnings had been 20 and "280 more lines").
  const rows = Array.from({ length: 340 }, (_, i): [number, string] => [10 * (i + 1), i < 40 ? curve(i + 1) : i % 7 === 0 ? 'inf' : 'nan']);
  const file = path.join(tmp, 'tail.csv');
  fs.writeFileSync(file, csv(rows));
  const one = await parseLogFile(file, { threads: 1 });
  const msgs = one.problems.map((p) => p.message);
  assert.equal(msgs.length, 1, msgs.join('\n'));
  assert.match(msgs[0], /tail\.csv:42: loss is NaN or infinite from step 410 \(line 42\) to the last step, 3400 \(line 341\): the run diverged; only the 40 rows before it have a finite loss to fit/);
  // An earlier isolated NaN stays a warning of its own beside the tail's finding.
  const early = rows.map(([s, l], i): [number, string] => [s, i === 5 ? 'nan' : l]);
  const withEarly = parseLogText(csv(early), 'early.csv');
  assert.deepEqual(withEarly.problems.map((p) => p.line), [7, 42]);
});

test('a NaN tail read on several threads (parts joined) is said as on one, wherever the tail starts', async () => {
  for (const from of [30000, 100000]) {
    let text = 'step,loss,lr\n';
    for (let i = 0; i < 150000; i++) text += `${i + 1},${i === 1234 ? 'nan' : i < from ? (2 + 5 / Math.sqrt(i + 1)).toFixed(4) : i % 7 === 0 ? 'inf' : 'nan'},0.001\n`;
    const file = path.join(tmp, `tail-${from}.csv`);
    fs.writeFileSync(file, text);
    const one = await parseLogFile(file, { threads: 1 });
    const many = await parseLogFile(file, { threads: 3, parallelMinBytes: 1, awaitHelpers: true });
    assert.ok((many.stats.parts ?? 0) >= 2);
    assert.deepEqual(many.problems, one.problems);
    assert.deepEqual(many.run?.nonFiniteTails, one.run?.nonFiniteTails);
    // The isolated NaN (line 1236) and the tail's one finding.
    assert.deepEqual(one.problems.map((p) => p.line), [1236, from + 2]);
    assert.match(one.problems[1].message, new RegExp(`loss is NaN or infinite from step ${from + 1} \\(line ${from + 2}\\) to the last step, 150000 \\(line 150001\\): the run diverged; only the ${from - 1} rows before it`));
  }
});

test('kohya sd-scripts LoRA (real console): avr_loss is said to be a moving average, at the line of its first bar', async () => {
  const name = 'kohya-sd15-lora-cell3.EXCERPT.log';
  const text = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, `${name}.gz`))).toString('utf8');
  const first = text.split('\n').findIndex((l) => /\| \d+\/2000 \[[^\]]*avr_loss=/.test(l)) + 1;
  assert.ok(first > 0);
  const log = await parseLogFile(path.join(FIXTURES, `${name}.gz`));
  assert.ok(log.columns.some((c) => c.name === 'avr_loss' && c.role === 'loss'));
  const said = log.problems.filter((p) => p.message.includes('"avr_loss"'));
  assert.equal(said.length, 1);
  assert.equal(said[0].severity, 'info');
  assert.equal(said[0].line, first);
  assert.match(said[0].message, /moving average of the loss, not the step's own/);
  // The fit's findings carry it.
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  const state = (await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).findings;
  assert.ok(state.some((p) => p.message.includes('"avr_loss"') && p.line === first));
});

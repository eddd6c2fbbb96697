// A real LLaMA-Factory console running TRL's DPOTrainer (test/fixtures/SOURCES.md): a tqdm bar with a
// description (`Loading checkpoint shards: 100%|…| 4/4 [`) is some other loop's, never the Trainer's
// training bar; and a loss that ends at 0 as printed (a collapsed DPO loss) is refused saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, type ParsedLog } from '../../src/core/logs';
import { describedBar, HF_BAR_RE } from '../../src/core/logs/detect';
import { LiveLog } from '../../src/core/logs/incremental';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { scheduleForLog } from '../../src/core/fit/schedule';
import { fitRunCurve } from '../../src/core/fit/run';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const FILE = path.join(FIXTURES, 'llamafactory-dpo-console', 'DPO_results.md');
const TEXT = fs.readFileSync(FILE, 'utf8');
const LINES = TEXT.split('\n');
const tmp = tmpDir('sl-hfbar-');
const col = (log: ParsedLog, role: string) => log.columns.find((c) => c.role === role)?.name;

/** The file's own facts: the banner's total, the bars' totals, the dicts' lines, losses and epochs. */
const bannerTotal = Number(/Total optimization steps = (\d+)/.exec(TEXT)![1]);
const bannerLine = LINES.findIndex((l) => l.includes('Total optimization steps =')) + 1;
const dicts = LINES.map((l, i) => ({ l, line: i + 1 })).filter(({ l }) => l.includes("{'loss': "))
  .map(({ l, line }) => ({ line, loss: Number(/'loss': ([\d.e-]+)/.exec(l)![1]), epoch: Number(/'epoch': ([\d.]+)/.exec(l)![1]) }));
const finalEpoch = Number(/'train_runtime'.*'epoch': ([\d.]+)\}/.exec(TEXT)![1]);

/** The bars of one line of the file: [count, total, described]. */
function barsOf(line: string): Array<[number, number, boolean]> {
  HF_BAR_RE.lastIndex = 0;
  const out: Array<[number, number, boolean]> = [];
  let m: RegExpExecArray | null;
  while ((m = HF_BAR_RE.exec(line))) out.push([Number(m[1]), Number(m[2]), describedBar(line, m.index)]);
  return out;
}

test('the file as it is: a described shard-loading bar 4/4, then the banner, 17 dicts and the training bar 170/170', () => {
  assert.equal(bannerTotal, 170);
  assert.equal(dicts.length, 17);
  assert.equal(finalEpoch, 2);
  const shards = LINES.findIndex((l) => l.startsWith('Loading checkpoint shards:')) + 1;
  assert.ok(shards > 0 && shards < dicts[0].line);
  assert.deepEqual(barsOf(LINES[shards - 1]), [[4, 4, true]]);
  // The training bar (no description) comes only after the last dict.
  const training = LINES.map((l, i) => ({ i: i + 1, b: barsOf(l) })).filter((x) => x.b.some(([, t, d]) => t === bannerTotal && !d));
  assert.ok(training.length >= 2 && training[0].i > dicts[dicts.length - 1].line, JSON.stringify(training.map((x) => x.i)));
  // Nothing else before the first dict is a bar without a description.
  for (let i = 0; i < dicts[0].line - 1; i++) assert.ok(barsOf(LINES[i]).every(([, , d]) => d), `line ${i + 1}`);
});

test('real LLaMA-Factory DPO console: the shard-loading bar is not the training bar; steps from the banner, the run\'s 170', async () => {
  const log = await parseLogFile(FILE);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, dicts.length);
  // Planned end: the banner's 170 (was "step 4 (the Trainer's progress bar ("N/4", line 327))").
  assert.equal(log.run?.plannedSteps?.steps, bannerTotal);
  assert.match(log.run!.plannedSteps!.source, new RegExp(`Total optimization steps = ${bannerTotal}", line ${bannerLine}\\)`));
  // Each dict at its printed epoch × 170 / 2 steps a epoch, on the logging grid: 10, 20, … 170 (was epoch × 2).
  const spe = bannerTotal / finalEpoch;
  const expected = dicts.map((d) => Math.round((d.epoch * spe) / 10) * 10);
  assert.deepEqual(expected.slice(0, 3), [10, 20, 30]);
  assert.equal(expected[expected.length - 1], bannerTotal);
  assert.deepEqual(Array.from(log.data.step), expected);
  assert.deepEqual(Array.from(log.data[col(log, 'loss')!]), dicts.map((d) => d.loss));
  assert.equal(col(log, 'lr'), 'learning_rate');
  // No false "buffered output" diagnosis: the dicts came with no bar of the Trainer's before them.
  assert.ok(!log.problems.some((p) => /came in bursts|buffered/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  const bare = log.problems.find((p) => /no progress bar gives these Trainer lines their steps/.test(p.message));
  assert.ok(bare, log.problems.map((p) => p.message).join('\n'));
  assert.equal(bare.line, dicts[0].line);
  assert.match(bare.message, new RegExp(`× ${spe} steps per epoch \\(the banner's "Total optimization steps = ${bannerTotal}" over the closing summary's epoch ${finalEpoch}\\)`));
  // The LR peaks at the second dict and decays to nearly 0 at the last: the schedule read is no warm-up to the end.
  const lr = log.data.learning_rate;
  let peak = 0;
  for (let i = 1; i < lr.length; i++) if (lr[i] > lr[peak]) peak = i;
  assert.equal(peak, 1);
  assert.ok(lr[lr.length - 1] < lr[peak] * 1e-3);
});

test('the same console with its shard bar undescribed (as a dataset\'s bar of older libraries prints): its total is not the banner\'s, so not the training bar either', async () => {
  const plain = TEXT.replace('Loading checkpoint shards: 100%|', '100%|');
  assert.notEqual(plain, TEXT);
  const file = path.join(tmp, 'undescribed.md');
  fs.writeFileSync(file, plain);
  const log = await parseLogFile(file);
  const whole = await parseLogFile(FILE);
  assert.equal(log.run?.plannedSteps?.steps, bannerTotal);
  assert.deepEqual(Array.from(log.data.step), Array.from(whole.data.step));
  assert.ok(!log.problems.some((p) => /came in bursts/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test('the console read live, cut before its closing summary: the same steps (the banner alone gives them)', async () => {
  const cut = LINES.slice(0, dicts[7].line).join('\n').length + 1;
  const file = path.join(tmp, 'DPO_results.md');
  fs.writeFileSync(file, TEXT.slice(0, cut));
  const live = new LiveLog(file);
  const first = await live.read();
  assert.equal(first.log.rows, 8);
  // Mid-run: the banner's "Total optimization steps = 170" over its "Num Epochs = 2".
  assert.deepEqual(Array.from(first.log.data.step), [10, 20, 30, 40, 50, 60, 70, 80]);
  assert.equal(first.log.run?.plannedSteps?.steps, bannerTotal);
  fs.appendFileSync(file, TEXT.slice(cut));
  const r = await live.read();
  const whole = await parseLogFile(file, { threads: 1 });
  assert.deepEqual(Array.from(r.log.data.step), Array.from(whole.data.step));
  assert.equal(whole.data.step[whole.data.step.length - 1], bannerTotal);
});

test('a DPO loss that ends at 0 as printed: refused saying so, with its file and lines, not as "inside its LR warm-up"', async () => {
  const a = await analyzeFile(FILE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const zeros = dicts.filter((d) => d.loss === 0);
  const firstZero = dicts.findIndex((d) => d.loss === 0);
  assert.ok(dicts.slice(firstZero).every((d) => d.loss === 0), 'the zeros run to the end');
  const err = a.state.fitError ?? '';
  assert.doesNotMatch(err, /warm-up/);
  assert.match(err, new RegExp(`^DPO_results\\.md: "loss" reaches 0 at step ${(firstZero + 1) * 10} \\(line ${dicts[firstZero].line}\\) and ends there \\(line ${dicts[dicts.length - 1].line}\\): ${zeros.length} of its ${dicts.length} points are 0 as printed`));
  assert.equal(a.state.fit, undefined);
  // Drawn whole, zeros included, on linear axes (a log axis has no 0).
  assert.equal(a.state.observed?.y.length, dicts.length);
  assert.equal(a.state.options.logScale, false);
  // The same under --fit-until (was "0 usable after warm-up").
  const half = await analyzeFile(FILE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 });
  assert.match(half.state.fitError ?? '', /"loss" reaches 0 at step/);
});

test('a log past its warm-up with too few points after it is not said to end inside the warm-up', async () => {
  // The DPO run's positive losses (steps 10 … 50) against its LR schedule (peak at step 20, decay to 170).
  const log = await parseLogFile(FILE);
  const { schedule } = scheduleForLog(log);
  assert.ok(schedule && schedule.warmup > 0 && schedule.warmup < 50, `warm-up ${schedule?.warmup}`);
  const loss = log.data[col(log, 'loss')!];
  const keep = Array.from(loss.keys()).filter((i) => loss[i] > 0);
  const steps = keep.map((i) => log.data.step[i]);
  const r = fitRunCurve(steps, keep.map((i) => loss[i]), { xKind: 'step', steps, schedule, bootstrap: 0 });
  const why = r.messages[r.messages.length - 1];
  assert.doesNotMatch(why, /ends inside its LR warm-up|still rises/);
  assert.match(why, /too few points for a loss-curve law: 3 usable after warm-up/);
});

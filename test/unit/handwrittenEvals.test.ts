// Two real consoles of a hand-written small-LM pre-training loop (michaelwhitford/verbum, 2026; test/fixtures/SOURCES.md
// `verbum-vsm-lm-v6-run2/`, `verbum-vsm-lm-v7/`). v6 prints an evaluation on one line after the step's own,
// `── eval @ step 500: loss=6.8278 … ──`, whose loss had overwritten the training loss at every 500th step
// ("later value wins", 65 times), and a banner `Steps: 30518, Tokens: 1,000,013,824` at each of its five
// launches, read as a row (a false restart, a "Tokens" column). v7 prints its evaluation as a head
// `── EVAL step 2500 ──` with its metrics on the next line (lost), and its plan in its head (`= 16,384
// tokens/step`, `Training config: lr=0.0003, warmup=500, steps=165000`), which had been missed. Their model sizes,
// `Parameters: 63.2M total` (v6) and `Total: 27,258,112 params` (v7), and v7's `Total: 165,000 steps = 2703.4M
// tokens`, had not been read either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { scheduleFromConfigText } from '../../src/core/fit/schedule';
import { printedModel, printedTokensNote } from '../../src/core/logHead';
import { FIXTURES } from './fixtureUtil';

const V6 = path.join(FIXTURES, 'verbum-vsm-lm-v6-run2', 'training-run2.log.gz');
const V7 = path.join(FIXTURES, 'verbum-vsm-lm-v7', 'training-run1.log.gz');
const textOf = (f: string) => zlib.gunzipSync(fs.readFileSync(f)).toString('utf8');

/** The value at `step` of column `name` (undefined: no row at that step, or no such column). */
function at(log: { data: Record<string, Float64Array> }, name: string, step: number): number | undefined {
  const s = log.data.step, c = Object.prototype.hasOwnProperty.call(log.data, name) ? log.data[name] : undefined;
  if (!s || !c) return undefined;
  for (let i = 0; i < s.length; i++) if (s[i] === step) return c[i];
  return undefined;
}

test('v6: an `── eval @ step N: loss=…` line is held out (val_loss at N); the training loss at N stays the step line\'s', async () => {
  const lines = textOf(V6).split('\n');
  // The file's own words, the last printed of each step winning (a later launch prints its steps again).
  const train = new Map<number, number>(), evals = new Map<number, number>();
  for (const l of lines) {
    const t = /^ {2}step +(\d+)\/\d+ +loss=([\d.]+) /.exec(l);
    if (t) train.set(Number(t[1]), Number(t[2]));
    const e = /^ {2}── eval @ step (\d+): loss=([\d.]+) /.exec(l);
    if (e) evals.set(Number(e[1]), Number(e[2]));
  }
  assert.ok(evals.size >= 60, String(evals.size));
  const log = await parseLogFile(V6);
  assert.ok(!log.problems.some((p) => /logged again/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  for (const [step, v] of evals) {
    assert.equal(at(log, 'val_loss', step), v, `val_loss at step ${step}`);
    assert.equal(at(log, 'loss', step), train.get(step), `loss at step ${step}`);
  }
  // Every value of val_loss is an evaluation's, at its step.
  const vl = log.data.val_loss;
  let held = 0;
  for (let i = 0; i < log.rows; i++) if (Number.isFinite(vl[i])) { held++; assert.equal(vl[i], evals.get(log.data.step[i])); }
  assert.equal(held, evals.size);
  assert.equal(log.columns.find((c) => c.name === 'val_loss')?.role, 'eval_loss');
});

test('v6: the banner `Steps: N, Tokens: T` of each launch is no row; its tokens over its steps are the tokens per step', async () => {
  const text = textOf(V6);
  const lines = text.split('\n');
  const banners = lines.flatMap((l, i) => (/^ {2}Steps: \d+, Tokens: [\d,]+$/.test(l) ? [i + 1] : []));
  assert.equal(banners.length, 5);
  const log = await parseLogFile(V6);
  // No row from a banner line, and no column of its "Tokens".
  for (const b of banners) assert.ok(!Array.from(log.lines).includes(b), `a row from line ${b}`);
  assert.ok(!log.columns.some((c) => /^tokens$/i.test(c.name)), log.columns.map((c) => c.name).join(', '));
  // The first launch has no restart: its first step line follows the banner.
  const firstStep = lines.findIndex((l) => /^ {2}step +\d+\/\d+ +loss=/.test(l)) + 1;
  assert.ok(!log.problems.some((p) => p.line === firstStep && /restart|step goes back/.test(p.message)), log.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  assert.ok(!log.problems.some((p) => /goes back from 30518/.test(p.message)));
  assert.ok(log.problems.some((p) => p.line === banners[0] && /"Steps: 30518" counts steps and holds no loss: a banner, not a row/.test(p.message)));
  // The planned end is still the last launch's step lines' total (`step N/82398`), not a banner's.
  const last = /^ {2}step +\d+\/(\d+) /.exec(lines.filter((l) => /^ {2}step +\d+\/\d+ /.test(l)).pop()!)!;
  assert.equal(log.run?.plannedSteps?.steps, Number(last[1]));
  assert.match(log.run!.plannedSteps!.source, /the log's step lines/);
  // Tokens per step: the banner's tokens over its steps, when they divide exactly.
  const b = /Steps: (\d+), Tokens: ([\d,]+)/.exec(lines[banners[0] - 1])!;
  const steps = Number(b[1]), tokens = Number(b[2].replace(/,/g, ''));
  assert.equal(tokens % steps, 0);
  const printed = printedModel(text);
  assert.equal(printed.tokensPerStep, tokens / steps);
  assert.equal(printed.tokensLine, banners[0]);
});

test('v7: an evaluation\'s head `── EVAL step N ──` takes its metrics from the next line (val_loss at N)', async () => {
  const lines = textOf(V7).split('\n');
  const evals = new Map<number, number>(), train = new Map<number, number>();
  lines.forEach((l, i) => {
    const h = /^ {2}── EVAL step (\d+) ──$/.exec(l);
    if (h) evals.set(Number(h[1]), Number(/^ +loss=([\d.]+) /.exec(lines[i + 1])![1]));
    const t = /^step +(\d+) │ loss ([\d.]+) /.exec(l);
    if (t) train.set(Number(t[1]), Number(t[2]));
  });
  assert.equal(evals.size, 16);
  const log = await parseLogFile(V7);
  assert.equal(log.rows, train.size);
  for (const [step, v] of evals) {
    assert.equal(at(log, 'val_loss', step), v, `val_loss at step ${step}`);
    assert.equal(at(log, 'loss', step), train.get(step), `loss at step ${step}`);
  }
  assert.equal(log.columns.find((c) => c.name === 'val_loss')?.role, 'eval_loss');
  assert.ok(!log.problems.some((p) => /logged again/.test(p.message)));
});

test('an evaluation\'s head takes the next line that is not blank only, and only without a counter of its own', () => {
  const head = '  ── EVAL step 200 ──';
  const step = (s: number, l: number) => `step ${s} │ loss ${l}  lr=1.0e-04`;
  const read = (body: string[]) => parseLogText([step(100, 5), step(200, 4.5), head, ...body, step(300, 4)].join('\n'), 'train.log');
  // Its metrics after a blank line: held out at its step.
  assert.equal(at(read(['', '     loss=4.9  ppl=134.3']), 'val_loss', 200), 4.9);
  // The next line a step line of its own: read as that, no evaluation.
  const own = read([]);
  assert.ok(!own.columns.some((c) => c.name === 'val_loss'));
  assert.equal(at(own, 'loss', 300), 4);
  // A line of metrics after another line: not the head's.
  assert.ok(!read(['   (saving)', '     loss=4.9']).columns.some((c) => c.name === 'val_loss'));
});

test('v7: its head plans the end (steps=165000, warm-up 500) and the tokens per step (= 16,384 tokens/step)', async () => {
  const text = textOf(V7);
  const lines = text.split('\n');
  const cfg = lines.findIndex((l) => l.startsWith('Training config: ')) + 1;
  const [lr, warm, total] = /lr=([\d.]+), warmup=(\d+), steps=(\d+)$/.exec(lines[cfg - 1])!.slice(1).map(Number);
  const tok = lines.findIndex((l) => / tokens\/step$/.test(l)) + 1;
  const perStep = Number(/= ([\d,]+) tokens\/step$/.exec(lines[tok - 1])![1].replace(/,/g, ''));
  const printed = printedModel(text);
  assert.deepEqual([printed.tokensPerStep, printed.tokensLine], [perStep, tok]);
  const plan = scheduleFromConfigText(text, 'training-run1.log');
  assert.deepEqual([plan?.totalSteps, plan?.warmupSteps, plan?.decay], [total, warm, 'cosine']);
  assert.match(plan!.source, /steps=165000, warmup=500, decay type not stated: cosine assumed/);
  assert.ok(lr > 0);
  // The fit, whole and cut at half, predicts at the planned end, in tokens.
  for (const fitUntil of [undefined, 0.5]) {
    const j = fitToJson((await analyzeFile(V7, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, ...(fitUntil ? { fitUntil } : {}) })).state) as unknown as { schedule?: { total: number; warmup: number }; prediction?: { step?: number; tokens?: number }; configNote?: string };
    assert.deepEqual([j.schedule?.total, j.schedule?.warmup], [total, warm]);
    if (!fitUntil) assert.equal(j.prediction?.step, total);
    assert.match(j.configNote ?? '', new RegExp(`${perStep.toLocaleString('en-US')} tokens per step as printed in training-run1\\.log\\.gz, line ${tok}`));
  }
});

test('v6: the banner `Parameters: 63.2M total` is the model size (63.2 × 10^6, rounded), not its parts below it', async () => {
  const text = textOf(V6);
  const lines = text.split('\n');
  const at = lines.flatMap((l, i) => (/^ {2}Parameters: [\d.]+M total$/.test(l) ? [i + 1] : []));
  assert.ok(at.length >= 1);
  // Every launch printed the same size; the first is read.
  const sizes = new Set(at.map((n) => lines[n - 1].trim()));
  assert.equal(sizes.size, 1);
  const m = Number(/Parameters: ([\d.]+)M total/.exec(lines[at[0] - 1])![1]);
  // Its parts, printed below it, add up to it (as printed, to their rounding).
  const parts = [1, 2].map((k) => Number(/: ([\d.]+)M /.exec(lines[at[0] - 1 + k])![1]));
  assert.ok(Math.abs(parts[0] + parts[1] - m) <= 0.1, parts.join(' + '));
  const printed = printedModel(text);
  assert.deepEqual([printed.params, printed.paramsLine, printed.paramsRounded], [Math.round(m * 1e6), at[0], true]);
  const j = fitToJson((await analyzeFile(V6, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { configNote?: string };
  assert.match(j.configNote ?? '', new RegExp(`^N ≈ ${Math.round(m * 1e6).toLocaleString('en-US')} parameters as printed \\(rounded\\) in training-run2\\.log\\.gz, line ${at[0]};`));
});

test('v7: the banner `Total: N params` is the model size (its parts printed above it, within 0.01%); `Total: S steps = T tokens` checks the tokens per step', () => {
  const text = textOf(V7);
  const lines = text.split('\n');
  const tot = lines.findIndex((l) => /^ {2}Total: [\d,]+ params$/.test(l)) + 1;
  const n = Number(/Total: ([\d,]+) params/.exec(lines[tot - 1])![1].replace(/,/g, ''));
  // The file's own parts: the stages, reducers, feedback and embedding lines above it.
  let sum = 0;
  for (let i = 0; i < tot - 1; i++) { const p = /— ([\d,]+) params$|^ {2}(?:Reducers|Feedback|Embedding): ([\d,]+) params/.exec(lines[i]); if (p) sum += Number((p[1] ?? p[2]).replace(/,/g, '')); }
  // They fall 256 short of it (parameters it does not list): the total, not a part, is the size.
  assert.ok(n >= sum && n - sum < 1e-4 * n, `${sum} of ${n}`);
  const printed = printedModel(text);
  assert.deepEqual([printed.params, printed.paramsLine, printed.paramsRounded], [n, tot, false]);
  // `Total: 165,000 steps = 2703.4M tokens`: 16,384 × 165,000 rounds to it (to ±0.05M).
  const plan = lines.findIndex((l) => /^ {2}Total: [\d,]+ steps = [\d.]+M tokens$/.test(l)) + 1;
  const [, s, t] = /Total: ([\d,]+) steps = ([\d.]+)M tokens/.exec(lines[plan - 1])!;
  const steps = Number(s.replace(/,/g, ''));
  assert.ok(Math.abs(printed.tokensPerStep! * steps - Number(t) * 1e6) <= 0.05e6);
  assert.deepEqual(printed.plannedTotal, { steps, text: `${t}M`, line: plan, agrees: true });
  // The same head without its `= 16,384 tokens/step` line: the total alone gives them (one whole number fits).
  const tok = lines.findIndex((l) => / tokens\/step$/.test(l));
  const alone = printedModel(lines.map((l, i) => (i === tok ? '' : l)).join('\n'));
  assert.deepEqual([alone.tokensPerStep, alone.tokensLine, alone.plannedTotal?.agrees], [printed.tokensPerStep, plan, undefined]);
  // Rounded coarser (2.7B), many whole numbers fit: no tokens per step.
  const coarse = printedModel(lines.map((l, i) => (i === tok ? '' : i === plan - 1 ? `  Total: ${s} steps = 2.7B tokens` : l)).join('\n'));
  assert.equal(coarse.tokensPerStep, undefined);
  // A total that disagrees with the tokens per step is said so; the tokens per step kept.
  const off = printedModel(lines.map((l, i) => (i === plan - 1 ? `  Total: ${s} steps = 2800.0M tokens` : l)).join('\n'));
  assert.deepEqual([off.tokensPerStep, off.plannedTotal?.agrees], [printed.tokensPerStep, false]);
  assert.match(printedTokensNote(off, 'training-run1.log.gz'), /but line 18 printed 2800\.0M tokens: they disagree, the tokens per step kept$/);
});

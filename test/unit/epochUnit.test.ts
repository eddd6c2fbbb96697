// A table of one row per epoch with no step column (Keras' CSVLogger, YOLO's results.csv, timm's
// summary.csv) is fitted with the epoch as its step. Before, everything said of it counted "steps":
// "x = step", "prediction at 290 steps", "the LR after step 29", "doubling step from 29 to 58". Now
// the axis, the fit's texts, its findings, the CLI, the JSON and the runs view count epochs.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { axisName, epochWords, formatAt, lossAtLabel, scheduleLine, bandText } from '../../src/core/format';
import { fitText } from '../../src/cli/fit';
import { discoverRuns } from '../../src/core/runs';
import { compareCurves } from '../../src/core/runs/curves';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

test('epochWords: a word "step" becomes "epoch"; quoted names and the phrases naming the step itself are kept', () => {
  assert.equal(epochWords('the LR after step 29 is not known'), 'the LR after epoch 29 is not known');
  assert.equal(epochWords('warm-up 0 steps, ends at step 290'), 'warm-up 0 epochs, ends at epoch 290');
  assert.equal(epochWords('Steps: 3. Step 4'), 'Epochs: 3. Epoch 4');
  // A quoted span is a name or a pattern the log prints: as written.
  assert.equal(epochWords('no config, max_steps or "step N/T" gives the last step'), 'no config, max_steps or "step N/T" gives the last epoch');
  assert.equal(epochWords('series "step loss" vs step'), 'series "step loss" vs epoch');
  assert.equal(epochWords('`steps` at step 3'), '`steps` at epoch 3');
  // The setting, the column and the steps per epoch keep their names.
  assert.equal(epochWords('no tokens per step: fitted against steps (set tokens per step for token counts)'), 'no tokens per step: fitted against epochs (set tokens per step for token counts)');
  assert.equal(epochWords('the log has no step column: its steps here are its epochs ("epoch")'), 'the log has no step column: its steps here are its epochs ("epoch")');
  assert.equal(epochWords('1,000 steps per epoch, step 20'), '1,000 steps per epoch, epoch 20');
  // Not inside a word, and a second pass changes nothing.
  assert.equal(epochWords('step_loss, stepwise, footstep, max_steps'), 'step_loss, stepwise, footstep, max_steps');
  const once = epochWords('at step 3 of 5 steps');
  assert.equal(epochWords(once), once);
});

test('the formatters name the epoch axis', () => {
  assert.equal(axisName('step', 'epoch'), 'epoch');
  assert.equal(axisName('step', undefined), 'step');
  assert.equal(axisName('tokens', 'epoch'), 'tokens');
  assert.equal(formatAt('epoch', 29), 'epoch 29');
  assert.equal(lossAtLabel('epoch', { tokens: 290, step: 290 }, true, 'epoch'), 'Loss at epoch 290');
  assert.equal(lossAtLabel('tokens', { tokens: 2e9, step: 290 }, true, 'epoch'), 'Loss at 2B tokens (epoch 290)');
  assert.equal(scheduleLine({ kind: 'cosine', warmup: 3, total: 100, source: 'x' }, String, 'epoch'), 'LR schedule: cosine, warm-up 3 epochs, ends at epoch 100 — x');
});

/** Every text with the quoted spans and the kept phrases taken out: what is left must not say "step". */
function saysStep(text: string): boolean {
  const rest = text.replace(/"[^"\n]*"|`[^`\n]*`/g, '').replace(/tokens per step|\bsteps? columns?\b|steps here are its epochs|\bsteps? per (?:epoch|pass)\b|max_steps/g, '');
  return /\bsteps?\b/i.test(rest);
}

test('a Keras CSVLogger table (one row per epoch): the fit, its findings, the CLI and the JSON count epochs', async () => {
  const file = path.join(FIXTURES, 'keras-csvlogger-mnist', 'training_log.csv');
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const s = a.state;
  assert.equal(s.kind, 'log');
  if (s.kind !== 'log') return;
  assert.equal(s.stepUnit, 'epoch');
  const f = s.fit!;
  assert.ok(f, s.fitError);
  assert.equal(f.stepUnit, 'epoch');
  const texts = [...f.messages, ...(f.trust?.reasons ?? []), f.trust?.band ?? '', f.schedule?.source ?? '', ...f.curves.map((c) => c.name), ...(s.findings ?? []).map((p) => p.message)];
  assert.ok(texts.length > 10);
  for (const t of texts) assert.ok(!saysStep(t), t);
  // What was rewritten is there, in epochs (the LR column ends at epoch 29, its last row).
  assert.ok(f.trust!.reasons.some((r) => r.includes('the LR after epoch 29')), f.trust!.reasons.join('\n'));
  assert.ok(f.messages.includes('the log has no step column: its steps here are its epochs ("epoch")'), f.messages.join('\n'));
  const j = fitToJson(s) as { stepUnit?: string; xKind: string; prediction: { step: number } };
  assert.equal(j.stepUnit, 'epoch');
  assert.equal(j.xKind, 'step'); // the option keeps its value: the axis is the log's step column, here its epochs
  const text = fitText(a);
  assert.match(text, /x = epoch\n/);
  assert.match(text, /prediction at \d+ epochs: loss/);
  assert.match(text, /50% → epoch 29:/);
  assert.match(text, /LR schedule: .*warm-up \d+ epochs, ends at epoch \d+/);
  assert.match(text, /says doubling the epochs from 29 to 58 would still lower "loss"/);
  assert.doesNotMatch(text, /→ step |x = step|at step \d/);
});

test('a log with a step column keeps its steps', async () => {
  const file = path.join(FIXTURES, 'lightning_metrics.csv');
  const s = (await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state;
  assert.equal(s.kind, 'log');
  if (s.kind !== 'log') return;
  assert.equal(s.stepUnit, undefined);
  assert.equal(s.fit?.stepUnit, undefined);
  assert.ok(s.fit!.messages.some((m) => /\bstep\b/.test(m)), s.fit!.messages.join('\n'));
});

test('the runs view and the compare chart: a folder of one row per epoch says its last epoch', async () => {
  const root = tmpDir('sl-epu-');
  try {
    fs.mkdirSync(path.join(root, 'mnist'));
    fs.copyFileSync(path.join(FIXTURES, 'keras-csvlogger-mnist', 'training_log.csv'), path.join(root, 'mnist', 'training_log.csv'));
    fs.mkdirSync(path.join(root, 'lightning'));
    fs.copyFileSync(path.join(FIXTURES, 'lightning_metrics.csv'), path.join(root, 'lightning', 'metrics.csv'));
    const { runs } = await discoverRuns(root);
    const mnist = runs.find((r) => r.rel === 'mnist');
    assert.ok(mnist, JSON.stringify(runs.map((r) => r.rel)));
    assert.equal(mnist.stepUnit, 'epoch');
    assert.equal(mnist.steps, 29);
    const light = runs.find((r) => r.rel === 'lightning');
    assert.ok(light, JSON.stringify(runs.map((r) => r.rel)));
    assert.equal(light.stepUnit, undefined);
    // The compare chart's curves carry it too (its step axis then says which runs count epochs).
    const { curves } = await compareCurves([mnist, light]);
    assert.equal(curves.find((c) => c.rel === 'mnist')?.stepUnit, 'epoch');
    assert.equal(curves.find((c) => c.rel === 'lightning')?.stepUnit, undefined);
    assert.equal(curves.find((c) => c.rel === 'mnist')?.x.step?.at(-1), 29);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a band as text: both ends, open above, or none drawn (its ends may arrive as null: NaN and Infinity do not survive JSON)', () => {
  const f = (v: number): string => v.toFixed(2);
  assert.equal(bandText(1.5, 2.25, f), '1.50 – 2.25');
  assert.equal(bandText(1.5, Infinity, f), '1.50 – ∞');
  assert.equal(bandText(1.5, null, f), '1.50 – ∞');
  assert.equal(bandText(NaN, NaN, f), undefined);
  const sent = JSON.parse(JSON.stringify({ lo: NaN, hi: NaN })) as { lo: null; hi: null };
  assert.equal(bandText(sent.lo, sent.hi, f), undefined, 'a real AWD-LSTM fit with no band read "3.449 (null – null)" in the panel');
});

// Joey NMT's train.log. Found by a helper search (huntB): its config is logged key by key before
// training (`… - joeynmt.helpers -                cfg.training.epochs : 10`), its step lines print the
// epoch but not of how many (`Epoch   1, Step:      100, Batch Loss: …`). The planned epochs went
// unread: a run that had ended ("Training ended after  10 epochs.") was said to state no end, and
// its loss was extrapolated to 10× its last step.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';

const FILE = path.join(FIXTURES, 'joeynmt2-deen-post-norm-train.log.gz');

/** The fixture's own lines: where it states its epochs, and the first step it logs in each epoch. */
function fromTheFile(): { epochsLine: number; epochs: number; firstStep: Map<number, number>; lastStep: number } {
  const lines = zlib.gunzipSync(fs.readFileSync(FILE)).toString('utf8').split('\n');
  const epochsLine = lines.findIndex((l) => /cfg\.training\.epochs : \d+$/.test(l)) + 1;
  const epochs = Number(/: (\d+)$/.exec(lines[epochsLine - 1])![1]);
  const firstStep = new Map<number, number>();
  let lastStep = 0;
  for (const l of lines) {
    const m = /Epoch +(\d+), Step: +(\d+), Batch Loss:/.exec(l);
    if (!m) continue;
    if (!firstStep.has(Number(m[1]))) firstStep.set(Number(m[1]), Number(m[2]));
    lastStep = Number(m[2]);
  }
  return { epochsLine, epochs, firstStep, lastStep };
}

test("Joey NMT's logged config gives the epochs planned, and the steps they take the run's planned end", async () => {
  const f = fromTheFile();
  assert.equal(f.epochs, 10);
  assert.ok(fs.readFileSync(FILE).length > 0 && zlib.gunzipSync(fs.readFileSync(FILE)).toString('utf8').includes('Training ended after  10 epochs.'));
  const log = await parseLogFile(FILE);
  assert.equal(log.rows, 406, log.problems.map((p) => p.message).join('\n'));
  assert.equal(log.run?.epochsLogged?.count, f.epochs);
  assert.match(log.run?.epochsLogged?.source ?? '', new RegExp(`cfg\\.training\\.epochs : 10", line ${f.epochsLine}\\)`));
  // The steps an epoch takes, between the first steps logged in the first and the last epoch.
  const per = (f.firstStep.get(10)! - f.firstStep.get(1)!) / 9;
  assert.equal(log.run?.plannedSteps?.steps, Math.round(f.epochs * per));
  assert.match(log.run?.plannedSteps?.source ?? '', /^Joey NMT's config/);
});

test('a Joey NMT run that went through its planned epochs is fitted at its last step, not extrapolated 10×', async () => {
  const f = fromTheFile();
  const j = fitToJson((await analyzeFile(FILE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as {
    prediction: { step: number; inSample?: boolean }; messages: string[];
  };
  assert.equal(j.prediction.step, f.lastStep);
  assert.equal(j.prediction.inSample, true);
  assert.ok(!j.messages.some((m) => m.includes('the end of training is not stated')), j.messages.join('\n'));
});

// Its validations (`… joeynmt.prediction - Evaluation result (greedy) loss:   3.72, ppl:  41.47, …`)
// print no step, and had gone unread; its throughput `Tokens per Sec:      921` had become a column
// "per_Sec".
/** The fixture's validations: each line's loss and the last step logged before it; the logged validation_freq. */
function validations(): { freq: number; vals: Array<{ line: number; step: number; loss: number }> } {
  const lines = zlib.gunzipSync(fs.readFileSync(FILE)).toString('utf8').split('\n');
  const freq = Number(/cfg\.training\.validation_freq : (\d+)$/.exec(lines.find((l) => l.includes('cfg.training.validation_freq : '))!)![1]);
  const vals: Array<{ line: number; step: number; loss: number }> = [];
  let step = 0;
  lines.forEach((l, i) => {
    const s = /Step: +(\d+), Batch Loss:/.exec(l);
    if (s) step = Number(s[1]);
    const v = /Evaluation result \(greedy\) loss: +([\d.]+), ppl:/.exec(l);
    if (v) vals.push({ line: i + 1, step, loss: Number(v[1]) });
  });
  return { freq, vals };
}

test("Joey NMT's validations are read as held-out losses at the step they ran at; its throughput keeps its whole name", async () => {
  const f = validations();
  assert.equal(f.freq, 500);
  assert.equal(f.vals.length, 81);
  const log = await parseLogFile(FILE);
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('val_loss'), 'eval_loss');
  assert.equal(role('Batch_Loss'), 'loss');
  assert.equal(role('per_Sec'), undefined);
  assert.equal(role('Tokens_per_Sec'), 'other');
  // (Its ppl and acc are columns too, no losses.)
  assert.equal(role('val_ppl'), 'other');
  assert.equal(role('val_acc'), 'other');
  const at = new Map<number, number>();
  for (let i = 0; i < log.rows; i++) at.set(log.data.step[i], i);
  // Joey validates when its step is a multiple of validation_freq, right after that step's line: here
  // every validation follows a step line at a multiple of 500, the step it ran at.
  for (const v of f.vals) {
    assert.equal(v.step % f.freq, 0, `line ${v.line}`);
    const i = at.get(v.step)!;
    assert.equal(log.data.val_loss[i], v.loss, `line ${v.line}`);
  }
  // Exactly those: the test-set decoding after training (`Evaluation result (beam search) , …`) adds none.
  let n = 0;
  for (let i = 0; i < log.rows; i++) if (Number.isFinite(log.data.val_loss[i])) n++;
  assert.equal(n, f.vals.length);
});

test('a Joey NMT validation between logged steps is placed at its validation_freq multiple; without the logged frequency, at the last step (said)', () => {
  const f = validations();
  const lines = zlib.gunzipSync(fs.readFileSync(FILE)).toString('utf8').split('\n');
  const first = f.vals[0];
  // The real log up to its first validation, its step line at 500 dropped: the validation ran at step
  // 500 (validation_freq 500), after the line at step 400.
  const stepLine = lines.findIndex((l) => /Step: +500, Batch Loss:/.test(l));
  const cut = [...lines.slice(0, stepLine), ...lines.slice(stepLine + 1, first.line)].join('\n');
  let log = parseLogText(cut, 'train.log');
  let i = Array.from(log.data.step).indexOf(500);
  assert.ok(i >= 0, Array.from(log.data.step).join(','));
  assert.equal(log.data.val_loss[i], first.loss);
  // Its config lines dropped too: placed at step 400, the last logged, and said.
  const noFreq = cut.split('\n').filter((l) => !l.includes('cfg.training.validation_freq')).join('\n');
  log = parseLogText(noFreq, 'train.log');
  i = Array.from(log.data.step).indexOf(400);
  assert.equal(log.data.val_loss[i], first.loss);
  assert.ok(log.problems.some((p) => /validation_freq is not in the log/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

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
import { parseLogFile } from '../../src/core/logs';
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

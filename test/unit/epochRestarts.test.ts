// Restarts of a log whose steps are its epochs (no step column): the rows a resumed or restarted job
// logged again are superseded, as a step's restart supersedes them. A real DeiT log.txt printed epochs
// 0 and 1, then 0 and 1 again, then 2 to 299: all 300 lines had been kept (thirty-second session).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { LiveLog } from '../../src/core/logs/incremental';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-er-');

const DEIT = path.join(FIXTURES, 'deit-logtxt-restart', 'log.txt');

test('a real DeiT log.txt started again from epoch 0: the first two rows are superseded, the run read from its line 3', async () => {
  const text = fs.readFileSync(DEIT, 'utf8');
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; train_loss: number });
  const log = await parseLogFile(DEIT);
  assert.equal(log.stats.rowsRead, 300);
  assert.equal(log.rows, 298);
  assert.equal(log.stats.superseded, 2);
  assert.deepEqual(log.stats.runStarts, [3]);
  // The rows kept are lines 3 to 300, in order, with their own values.
  assert.deepEqual(Array.from(log.lines), lines.slice(2).map((_, i) => i + 3));
  assert.deepEqual(Array.from(log.data.epoch!), lines.slice(2).map((r) => r.epoch));
  assert.deepEqual(Array.from(log.data.train_loss!), lines.slice(2).map((r) => r.train_loss));
  const e = log.data.epoch!;
  for (let i = 1; i < e.length; i++) assert.ok(e[i] > e[i - 1], `epoch ${e[i]} after ${e[i - 1]}`);
  const note = log.problems.find((p) => /starts again from epoch 0/.test(p.message));
  assert.ok(note, log.problems.map((p) => p.message).join('\n'));
  assert.match(note.message, /log\.txt:3: .*reached epoch 1\): its 2 earlier rows are superseded/);
  // The same text read from memory gives the same log.
  const fromText = parseLogText(text, DEIT);
  assert.deepEqual(Array.from(fromText.lines), Array.from(log.lines));
  // The fit says the file holds two runs, the last fitted.
  const j = fitToJson((await analyzeFile(DEIT, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { messages: string[] };
  assert.ok(j.messages.some((m) => /this file holds 2 runs one after another .*line 3 the first\): the last is fitted/.test(m)), j.messages.join('\n'));
});

/** Keras' CSVLogger rows (`epoch,loss,lr,val_loss`) for epochs [from, to), the loss falling with the epoch. */
function kerasRows(from: number, to: number, shift = 0): string {
  let s = '';
  for (let ep = from; ep < to; ep++) s += `${ep},${(0.5 + 2 / (ep + 1) + shift).toFixed(5)},0.001,${(0.6 + 2 / (ep + 1)).toFixed(5)}\n`;
  return s;
}

test('a CSVLogger appended to after a resume: the epochs logged again replace the earlier ones, said at the line', async () => {
  const text = 'epoch,loss,lr,val_loss\n' + kerasRows(0, 10) + kerasRows(6, 15, 0.01);
  const log = parseLogText(text, 'training.log.csv');
  assert.equal(log.rows, 15);
  assert.deepEqual(Array.from(log.data.epoch!), Array.from({ length: 15 }, (_, i) => i));
  // Epochs 6 to 9 are the resumed run's (the shifted loss), epochs 0 to 5 the first run's.
  assert.equal(log.data.loss![5], +(0.5 + 2 / 6).toFixed(5));
  assert.equal(log.data.loss![6], +(0.5 + 2 / 7 + 0.01).toFixed(5));
  assert.deepEqual(Array.from(log.lines.slice(5, 8)), [7, 12, 13]);
  assert.equal(log.stats.superseded, 4);
  assert.equal(log.stats.runStarts, undefined);
  assert.ok(log.problems.some((p) => /:12: restart: the epoch goes back from 9 to 6; 4 earlier rows from epoch 6 on superseded/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test('rows without an epoch go with the epoch before them; a log with a step column keeps its epoch as it is', () => {
  // The evaluation row (no epoch) after epoch 4 is superseded with it.
  const jsonl = [0, 1, 2, 3, 4].map((ep) => `{"epoch": ${ep}, "loss": ${3 - ep / 10}}`).join('\n')
    + '\n{"val_loss": 2.9}\n' + [3, 4, 5].map((ep) => `{"epoch": ${ep}, "loss": ${2.5 - ep / 10}}`).join('\n') + '\n';
  const log = parseLogText(jsonl, 'log.jsonl');
  assert.deepEqual(Array.from(log.data.epoch!), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(log.lines), [1, 2, 3, 7, 8, 9]);
  assert.equal(log.stats.superseded, 3);
  // A streamed dataset's epoch goes back at each resume while the step rises: nothing is superseded.
  const withStep = [[100, 0.5], [200, 0.9], [300, 0.1], [400, 0.4]].map(([s, ep]) => `{"step": ${s}, "epoch": ${ep}, "loss": ${3 - s / 1000}}`).join('\n') + '\n';
  const stepped = parseLogText(withStep, 'log.jsonl');
  assert.equal(stepped.rows, 4);
  assert.equal(stepped.stats.superseded, 0);
});

test('a growing epoch log read incrementally, a restart in the appended part: the same as the whole read', async () => {
  const file = path.join(tmp, 'training.log.csv');
  // (Long enough to be read live: a short file is read whole each time.)
  fs.writeFileSync(file, 'epoch,loss,lr,val_loss\n' + kerasRows(0, 2500));
  const live = new LiveLog(file);
  assert.equal((await live.read()).mode, 'full');
  fs.appendFileSync(file, kerasRows(2400, 2600, 0.02));
  const r = await live.read();
  assert.equal(r.mode, 'appended');
  const whole = await parseLogFile(file, { threads: 1 });
  assert.equal(r.log.rows, 2600);
  assert.equal(r.log.stats.superseded, 100);
  assert.deepEqual(Array.from(r.log.data.loss!), Array.from(whole.data.loss!));
  assert.deepEqual(Array.from(r.log.lines), Array.from(whole.lines));
  assert.deepEqual(r.log.problems.map((p) => p.message), whole.problems.map((p) => p.message));
});

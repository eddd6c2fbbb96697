// build-nanogpt's forks: a run pasted from step 1 after one that logged step 0 is a new run (not a
// resume that keeps the old step 0), and `1 epoch = N batches` gives the passes over the data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseLogFile } from '../../src/core/logs';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const S21 = path.join(FIXTURES, 'build-nanogpt-s21-14-runs-log.md.gz');

test('a real build-nanogpt fork: the last run, pasted from step 1, keeps none of the run before it (its step 0 was that run\'s)', async () => {
  const lines = gunzipSync(fs.readFileSync(S21)).toString('utf8').split('\n');
  // In the file: the run before ends at step 49, the last starts at step 1 (no step 0 line of its own).
  const first = lines.findIndex((l) => l.startsWith('step 0001, loss: 9.502789'));
  const before = lines.slice(0, first).filter((l) => l.startsWith('step ')).pop();
  assert.ok(first > 0 && before?.startsWith('step 0049, '), before);
  const log = await parseLogFile(S21);
  const step = Array.from(log.data.step!), loss = Array.from(log.data.loss!);
  assert.equal(Math.min(...step), 1, 'no step 0 kept from the run before');
  assert.equal(loss[step.indexOf(1)], 9.502789);
  assert.equal(log.lines[0], first + 1, 'the first row kept is the last run\'s first line');
  const said = log.problems.find((p) => p.message.includes(`:${first + 1}: `));
  assert.ok(said && /a run starts again from step 1 \(the one before reached step 49\)/.test(said.message), said?.message);
});

test('a real build-nanogpt fork: "1 epoch = 20 batches" makes its 4,999 logged steps 250 passes over the data', async () => {
  const lines = gunzipSync(fs.readFileSync(S21)).toString('utf8').split('\n');
  let at = -1;
  lines.forEach((l, i) => { if (l === '1 epoch = 20 batches') at = i + 1; });
  const log = await parseLogFile(S21);
  const e = log.run?.epochsLogged;
  const last = Math.max(...Array.from(log.data.step!));
  assert.ok(e, 'passes read');
  assert.equal(e.stepsPerPass, 20);
  assert.ok(Math.abs(e.count - last / 20) < 0.5, `${e.count} vs ${last / 20}`);
  assert.ok(e.source.includes(`(line ${at})`), e.source);
});

test('gradient accumulation printed before the data loads: a step takes that many batches', async () => {
  const dir = tmpDir('sl-nanogpt-');
  const f = path.join(dir, 'train.log');
  const rows = ['total desired batch size: 65536', '=> calculated gradient accumulation steps: 4', 'loaded 338025 tokens', '1 epoch = 40 batches'];
  for (let s = 0; s < 50; s++) rows.push(`step ${String(s).padStart(4, '0')}, loss: ${(10 / Math.sqrt(s + 1)).toFixed(6)}, norm: 1.0, lr: 6.0000e-04, time: 450.0ms, tokens/sec: 36000.0`);
  fs.writeFileSync(f, rows.join('\n') + '\n');
  const log = await parseLogFile(f);
  // 50 steps (0–49) × 4 batches a step ÷ 40 batches an epoch = 5 passes, 10 steps each.
  assert.equal(log.run?.epochsLogged?.count, 5);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 10);
  assert.ok(log.run?.epochsLogged?.source.includes('calculated gradient accumulation steps: 4", line 2'));
  // Without the line, no passes are claimed.
  fs.writeFileSync(f, rows.filter((r) => !r.startsWith('1 epoch')).join('\n') + '\n');
  assert.equal((await parseLogFile(f)).run?.epochsLogged, undefined);
});

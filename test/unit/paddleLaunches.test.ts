// A real PaddleDetection workerlog.0 of eleven launches appended (test/fixtures/SOURCES.md
// `ppdet-rtdetr-launches-workerlog.0.gz`): the first three died after their first line (`Epoch: [0] [
// 0/2624]`, `[ 0/70]`, `[ 0/1320]`), each a launch of its own with its own total. Each launch that
// starts again at step 0 is a new run of the file (not "step 0 logged again"), and the last is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { gunzipFixture } from './fixtureUtil';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pdl-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

test('a real PaddleDetection workerlog: every launch that starts again at step 0 is a new run, the last one read', async () => {
  const { file, text } = gunzipFixture(tmp, 'ppdet-rtdetr-launches-workerlog.0');
  // The lines where a launch logs its first step (`Epoch: [0] [   0/N]`), as the file has them.
  const starts: number[] = [];
  text.split(/\r?\n/).forEach((l, i) => { if (/ppdet\.engine INFO: Epoch: \[0\] \[ {0,4}0\/\d+\]/.test(l)) starts.push(i + 1); });
  assert.ok(starts.length >= 4);
  const log = await parseLogFile(file);
  assert.ok(!log.problems.some((p) => /logged again/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  // Every launch after the first starts a run of the file.
  for (const line of starts.slice(1)) {
    assert.ok(log.problems.some((p) => p.line === line && /a (new )?run starts/.test(p.message)), `line ${line}`);
  }
  assert.equal(log.stats.segments, starts.length);
  // Only the last launch's rows are kept.
  assert.ok(log.rows > 0);
  assert.ok(log.lines[0] >= starts[starts.length - 1], String(log.lines[0]));
});

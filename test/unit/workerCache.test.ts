// The analysis worker keeps the logs it parsed (a chart option or a growing log then refits without
// reading the file again). The columns are typed arrays, outside the heap its resourceLimits bound, so
// the cache was bounded only by count: four 300 MB CSV logs kept 812 MB of arrays (the process: 1.8 GB),
// in each of up to three workers. It is now bounded by memory too (scalingLens.memory.cacheMegabytes), least recently
// read first, and the log read last is always kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { cachedFiles, handleAnalyze, heldBytes, setCacheBytes, setColumnBytes } from '../../src/extension/worker';
import { DEFAULT_CACHE_MB, DEFAULT_LOG_MB, type FromWorker } from '../../src/extension/workerProtocol';
import type { LogState } from '../../src/protocol';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-workercache-');

/** A small run log of `n` rows (a power law in tokens). */
function writeRun(name: string, n: number): string {
  const file = path.join(tmp, name);
  let s = 'step,tokens,loss\n';
  for (let k = 1; k <= n; k++) s += `${k},${k * 65536},${(1.9 + 40 / Math.pow(k * 65536, 0.2)).toFixed(6)}\n`;
  fs.writeFileSync(file, s);
  return file;
}

let id = 0;
async function analyzeInWorker(file: string): Promise<LogState> {
  const got: FromWorker[] = [];
  await handleAnalyze({ type: 'analyze', id: ++id, file, options: { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 }, roleOverrides: {}, cancelFlag: new SharedArrayBuffer(4) }, (m) => got.push(m));
  const r = got.find((m) => m.type === 'result');
  assert.ok(r && r.type === 'result', JSON.stringify(got.find((m) => m.type === 'error')));
  return r.state;
}

test('a parsed log\'s held memory counts each buffer behind its columns once, at its capacity', async () => {
  const log = await parseLogFile(writeRun('held.csv', 3000));
  const held = heldBytes(log);
  const least = log.lines.byteLength + Object.values(log.data).reduce((a, c) => a + c.byteLength, 0);
  assert.ok(held >= least, `${held} >= ${least}`);
  // The same log twice under one `seen`: counted once.
  const seen = new Set<unknown>();
  assert.equal(heldBytes(log, seen) + heldBytes(log, seen), held);
  // A run-name column: a pointer a row more.
  const named = path.join(tmp, 'named.csv');
  fs.writeFileSync(named, 'run,step,tokens,loss\n' + fs.readFileSync(path.join(tmp, 'held.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => `r1,${l}`).join('\n') + '\n');
  const withNames = await parseLogFile(named);
  assert.ok(withNames.labels && Object.values(withNames.labels)[0].length === withNames.rows, 'the run names are kept');
  assert.equal(heldBytes(withNames) - heldBytes({ ...withNames, labels: undefined }), 8 * withNames.rows);
});

test('the worker\'s cache: least recently read dropped first, bounded by memory, the last read always kept', async () => {
  const files = ['a', 'b', 'c', 'd', 'e'].map((n) => writeRun(`${n}.csv`, 3000));
  const [a, b, c, d, e] = files;
  for (const f of [a, b, c, d]) await analyzeInWorker(f);
  assert.deepEqual(cachedFiles(), [a, b, c, d]);
  // `a` read again (unchanged: from the cache) is now the most recent: `b` goes when `e` comes.
  await analyzeInWorker(a);
  await analyzeInWorker(e);
  assert.deepEqual(cachedFiles(), [c, d, a, e]);

  // A budget that holds about one and a half of these logs: only the last read stays.
  const one = heldBytes(await parseLogFile(e));
  setCacheBytes(Math.round(1.5 * one));
  assert.deepEqual(cachedFiles(), [e]);
  await analyzeInWorker(b);
  assert.deepEqual(cachedFiles(), [b]);
  // Room for two and a half: two kept.
  setCacheBytes(Math.round(2.5 * one));
  await analyzeInWorker(c);
  await analyzeInWorker(d);
  assert.deepEqual(cachedFiles(), [c, d]);
  // A budget of 0 still keeps the log read last (it is the one in use).
  setCacheBytes(0);
  assert.deepEqual(cachedFiles(), [d]);
  setCacheBytes(DEFAULT_CACHE_MB * 1048576);
});

test('a growing log read whole, then the column budget made smaller: read again under it, not appended past its cut', async () => {
  const file = writeRun('grows.csv', 200_000);
  assert.equal((await analyzeInWorker(file)).rows, 200_000);
  fs.appendFileSync(file, `200001,${200001 * 65536},1.95\n`);
  setColumnBytes(1 << 20);
  try {
    const cut = await analyzeInWorker(file);
    // 3 columns of 8 bytes and a line number of 4 a row: 37,449 rows fit 1 MB, but the first megabyte of
    // text, read in one piece before the columns were known, holds some 41,000 of these short rows: the
    // read ends with the line it was in.
    assert.ok(cut.rows < 50_000, `${cut.rows} rows read under a 1 MB budget`);
    assert.ok(cut.problems.some((p) => /a log may take/.test(p.message)), 'the budget warning');
  } finally {
    setColumnBytes(DEFAULT_LOG_MB * 1048576);
  }
  assert.equal((await analyzeInWorker(file)).rows, 200_001, 'the default budget again: the whole log');
});

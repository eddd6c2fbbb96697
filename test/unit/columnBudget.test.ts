// A log's kept columns are typed arrays, which no heap limit bounds: a 10 GB CSV would have been read
// whole into memory (about 3 GB of columns), in the extension host's process. A log whose columns would
// need more than ParseOptions.maxColumnBytes (scalingLens.memory.logMegabytes, 1 GiB) is now read up to a
// line end where they fit, with a warning naming the file; the cut is the same for any thread count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import * as path from 'node:path';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { MAX_COLUMN_BYTES } from '../../src/core/logs/parse';
import { LiveLog } from '../../src/core/logs/incremental';
import { DEFAULT_LOG_MB } from '../../src/extension/workerProtocol';
import { spawnSync } from 'node:child_process';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-colbudget-');
const loss = (k: number) => 2 + 50 / Math.sqrt(k);

function csv(name: string, n: number): string {
  const file = path.join(tmp, name);
  const out: string[] = ['step,tokens,loss,lr'];
  for (let k = 1; k <= n; k++) out.push(`${k},${k * 4096},${loss(k).toFixed(9)},${(3e-4 * (1 - k / (n + 1))).toExponential(6)}`);
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

function jsonl(name: string, n: number): string {
  const file = path.join(tmp, name);
  const out: string[] = [];
  for (let k = 1; k <= n; k++) out.push(JSON.stringify({ step: k, tokens: k * 4096, loss: Number(loss(k).toFixed(9)), lr: 3e-4 }));
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

const budgetWarning = (log: { problems: { message: string; line: number }[] }) => log.problems.find((p) => /a log may take/.test(p.message));

test('the editor\'s default budget is the core\'s', () => {
  assert.equal(DEFAULT_LOG_MB * 1048576, MAX_COLUMN_BYTES);
});

for (const [kind, make] of [['CSV', csv], ['JSON lines', jsonl]] as const) {
  test(`a ${kind} log over its columns' budget is read up to a whole row where they fit, with a warning; the same cut on 1 and 2 threads`, async () => {
    const n = 200_000;
    const file = make(`big.${kind === 'CSV' ? 'csv' : 'jsonl'}`, n);
    const whole = await parseLogFile(file, { threads: 1 });
    assert.equal(whole.rows, n);
    assert.equal(budgetWarning(whole), undefined, 'under the default budget: read whole, no warning');
    // 1 MB: the cut within the file's first 4 MB, at its rows exactly; 4 MB: past them, at their bytes per line.
    for (const mb of [1, 4]) {
      const budget = mb << 20;
      const one = await parseLogFile(file, { threads: 1, maxColumnBytes: budget });
      const two = await parseLogFile(file, { threads: 2, parallelMinBytes: 1, awaitHelpers: true, maxColumnBytes: budget });
      for (const log of [one, two]) {
        const w = budgetWarning(log);
        assert.ok(w, 'a warning says the file was read in part');
        assert.match(w.message, new RegExp(`^big\\.(csv|jsonl):\\d+: this line and the \\d+ MB after it are left out: the 4 columns kept from the whole \\d+ MB would need about \\d+ MB, more than the ${mb} MB a log may take \\(the setting scalingLens\\.memory\\.logMegabytes; the CLI's --max-log-mb\\)$`));
        // On the first line left out: after the header (CSV) and the rows read.
        assert.equal(w.line, log.rows + (kind === 'CSV' ? 2 : 1));
        assert.ok(log.rows > 1000 && log.rows < n, `${log.rows} rows kept of ${n}`);
        // Each column takes 8 bytes a row and each row's line number 4: the kept columns fit the budget
        // (past the sample, about: its lines are shorter than the later ones, here by a few digits).
        const used = log.rows * (8 * Object.keys(log.data).length + 4);
        assert.ok(used <= (mb === 1 ? budget : 1.1 * budget), `${used} bytes of columns ≤ ${budget}`);
        assert.ok(used > budget / 2, `${used} bytes: the budget is used, not a far smaller part`);
        // The last row kept is whole: its loss is the one written for its step.
        const k = log.rows - 1;
        const step = log.data.step[k];
        assert.equal(step, log.rows);
        assert.equal(log.data.loss[k], Number(loss(step).toFixed(9)));
      }
      assert.equal(two.rows, one.rows, 'the same cut on any thread count');
      assert.deepEqual(two.data.loss, one.data.loss);
      assert.deepEqual(two.problems, one.problems);
    }
  });
}

test('a budget the text read before the columns were known already passes: the read ends with the line it was in, the last row whole', async () => {
  // Rows of about 20 bytes: 1 MB of columns (36 bytes a row) is 29,127 rows, fewer than the first
  // megabyte read in one piece on one thread.
  const file = path.join(tmp, 'short.csv');
  const out: string[] = ['step,tokens,loss,lr'];
  for (let k = 1; k <= 200_000; k++) out.push(`${k},${k},${(loss(k) % 10).toFixed(3)},1`);
  fs.writeFileSync(file, out.join('\n') + '\n');
  const log = await parseLogFile(file, { threads: 1, maxColumnBytes: 1 << 20 });
  const w = budgetWarning(log);
  assert.ok(w, 'the warning');
  assert.equal(w.line, log.rows + 2);
  assert.ok(log.rows > 29_127 && log.rows < 200_000, `${log.rows} rows`);
  assert.equal(log.data.step[log.rows - 1], log.rows);
  assert.equal(log.data.loss[log.rows - 1], Number((loss(log.rows) % 10).toFixed(3)), 'the last row kept is whole');
});

test('a gzipped log over the budget is read up to a whole row where its columns fit, with the warning on the first line left out', async () => {
  const plain = csv('gz.csv', 200_000);
  const file = plain + '.gz';
  fs.writeFileSync(file, zlib.gzipSync(fs.readFileSync(plain)));
  assert.equal((await parseLogFile(file)).rows, 200_000, 'under the default budget: whole');
  const budget = 1 << 20;
  const log = await parseLogFile(file, { maxColumnBytes: budget });
  const w = budgetWarning(log);
  assert.ok(w, 'a warning says the file was read in part');
  assert.match(w.message, /^gz\.csv\.gz:\d+: this line and the rest are left out: the 4 columns kept would need more than the 1 MB a log may take \(the setting scalingLens\.memory\.logMegabytes; the CLI's --max-log-mb\)$/);
  assert.equal(w.line, log.rows + 2);
  const used = log.rows * 36;
  assert.ok(used <= 1.1 * budget && used > budget / 2, `${used} bytes of columns for a ${budget} budget`);
  const k = log.rows - 1;
  assert.equal(log.data.step[k], log.rows);
  assert.equal(log.data.loss[k], Number(loss(log.rows).toFixed(9)), 'the last row kept is whole');
});

test('a growing log over the budget is read whole again each time (no appended rows past the cut)', async () => {
  const file = csv('live.csv', 200_000);
  const live = new LiveLog(file);
  const first = await live.read({ threads: 1, maxColumnBytes: 1 << 20 });
  assert.ok(budgetWarning(first.log));
  fs.appendFileSync(file, '200001,819204096,2.1,1e-5\n');
  const again = await live.read({ threads: 1, maxColumnBytes: 1 << 20 });
  assert.equal(again.mode, 'full');
  assert.equal(again.log.rows, first.log.rows);
  assert.ok(budgetWarning(again.log));
  // Under a budget it fits: appended lines are read on their own, as before.
  const roomy = new LiveLog(file);
  assert.equal((await roomy.read({ threads: 1 })).log.rows, 200_001);
  fs.appendFileSync(file, '200002,819208192,2.1,1e-5\n');
  const grown = await roomy.read({ threads: 1 });
  assert.equal(grown.mode, 'appended');
  assert.equal(grown.log.rows, 200_002);
});

/** A nanoGPT-style console log: an `iter` line a step, and every 100 steps an evaluation line. */
function consoleLog(name: string, n: number): string {
  const file = path.join(tmp, name);
  const out: string[] = [];
  for (let k = 1; k <= n; k++) {
    out.push(`iter ${k}: loss ${loss(k).toFixed(4)}, time 12.${k % 10}ms, mfu 30.1%`);
    if (k % 100 === 0) out.push(`step ${k}: train loss ${loss(k).toFixed(4)}, val loss ${(loss(k) + 0.1).toFixed(4)}`);
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

test('a console log over its columns\' budget is read row by row until the next row would pass it, with a warning on that row\'s line; the rest is not read', async () => {
  const n = 200_000;
  const file = consoleLog('console.log', n);
  const whole = await parseLogFile(file);
  assert.equal(whole.rows, n);
  assert.equal(budgetWarning(whole), undefined, 'under the default budget: read whole, no warning');
  const cols = Object.keys(whole.data).length;
  assert.ok(cols >= 3, `${cols} kept columns (step, loss, the evaluation's)`);
  const gz = file + '.gz';
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(file)));
  const text = fs.readFileSync(file, 'utf8');
  for (const mb of [1, 3]) {
    const budget = mb << 20;
    const fits = Math.floor(budget / (8 * cols + 4));
    const plain = await parseLogFile(file, { maxColumnBytes: budget });
    // The same rows however the text comes: 1 MB reads, inflated pieces, or the whole text at once (an open editor).
    for (const log of [plain, await parseLogFile(gz, { maxColumnBytes: budget }), parseLogText(text, file, { maxColumnBytes: budget })]) {
      assert.equal(log.rows, fits, 'as many rows as fit the budget');
      for (const k of Object.keys(whole.data)) assert.deepEqual(log.data[k], whole.data[k].subarray(0, fits), `${k}: the rows of the whole read`);
      const w = budgetWarning(log);
      assert.ok(w, 'a warning says the log was read in part');
      assert.match(w.message, new RegExp(`^console\\.log(\\.gz)?:\\d+: this line and the rest are left out: the ${cols} columns kept would need more than the ${mb} MB a log may take \\(the setting scalingLens\\.memory\\.logMegabytes; the CLI's --max-log-mb\\)$`));
      // On the line of the first row left out.
      assert.equal(w.line, whole.lines[fits]);
      assert.equal(log.problems.filter((p) => /a log may take/.test(p.message)).length, 1, 'said once');
    }
    // The file's rest is not read: no more than the 1 MB piece the cut is in.
    let at = 0;
    for (let l = 1; l < whole.lines[fits]; l++) at = text.indexOf('\n', at) + 1;
    assert.ok(plain.stats.bytes > at && plain.stats.bytes <= at + (1 << 20), `${plain.stats.bytes} bytes read, the cut at byte ${at} of ${text.length}`);
  }
  // A growing console log over the budget is read whole each time, no appended rows past the cut.
  const live = new LiveLog(file);
  const first = await live.read({ maxColumnBytes: 1 << 20 });
  fs.appendFileSync(file, `iter ${n + 1}: loss 2.0000, time 12.0ms, mfu 30.1%\n`);
  const again = await live.read({ maxColumnBytes: 1 << 20 });
  assert.equal(again.mode, 'full');
  assert.equal(again.log.rows, first.log.rows);
});

test('the CLI\'s --max-log-mb: the same budget as the setting, the warning among the findings; a bad value is a usage error', () => {
  const CLI = path.join(__dirname, '..', '..', 'src', 'cli.js');
  const file = csv('cli.csv', 200_000);
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'fit', file, '--bootstrap', '0', ...args], { encoding: 'utf8' });
  const r = run('--max-log-mb', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { rows: number; findings: { line: number; severity: string; message: string }[] };
  const w = j.findings.find((f) => /a log may take/.test(f.message));
  assert.ok(w, 'the budget warning is among the findings');
  assert.equal(w.severity, 'warning');
  assert.equal(w.line, j.rows + 2);
  assert.ok(j.rows < 200_000 && j.rows * 36 <= 1 << 20, `${j.rows} rows`);
  // The same cut as the parse with that budget (the editor's worker passes the setting the same way).
  return parseLogFile(file, { maxColumnBytes: 1 << 20 }).then((log) => {
    assert.equal(j.rows, log.rows);
    const whole = JSON.parse(run('--json').stdout) as { rows: number };
    assert.equal(whole.rows, 200_000);
    const bad = run('--max-log-mb', '0');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-log-mb must be a whole number of MB from 1 to 65536, got '0'/);
  });
});

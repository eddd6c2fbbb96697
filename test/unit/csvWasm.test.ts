// The CSV row loop in WebAssembly (src/core/logs/csvrows.wat, loaded by csvWasm.ts) must read every
// number readNumber reads, to the same double, and any other only to the correctly rounded double
// (what the TypeScript loop's conversion gives where readNumber declines); its module's bytes must be
// the text's. (Whole files read with and without it are compared in fastpath.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvWasm, powersOfFive } from '../../src/core/logs/csvWasm';
import { fastRowCount, numberEnd, readNumber } from '../../src/core/logs/fastpath';
import { parseLogFile, type ParsedLog } from '../../src/core/logs';
import { mulberry32 } from '../../src/core/fit/rng';
import { tmpDir } from './tmpUtil';

const root = path.join(__dirname, '..', '..', '..');
const tmp = tmpDir('sl-csvwasm-');

test('csvrowsWasm.ts holds the bytes csvrows.wat assembles to (node scripts/wasm.mjs --check)', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

/** What readNumber gives for the number that fills `s` (a one-field row): its value, or undefined when the fast path does not take it. */
function jsReading(s: string): number | undefined {
  const b = Buffer.from(s + '\n', 'latin1');
  if (b[0] === 10) return NaN; // an empty cell: NaN in a run
  const v = readNumber(b, new DataView(b.buffer, b.byteOffset, b.length), 0, b.length, false);
  return numberEnd[0] === s.length && v === v ? v : undefined;
}

/** The module's reading of each string as a one-field row of a run (undefined: it stopped there). */
function wasmReadings(strings: string[]): (number | undefined)[] {
  const w = csvWasm();
  assert.ok(w, 'WebAssembly runs here');
  const text = Buffer.from(strings.map((s) => s + '\n').join(''), 'latin1');
  const ends: number[] = [];
  for (let k = 0, at = 0; k < strings.length; k++) { at += strings[k].length + 1; ends.push(at); }
  w.load(text);
  w.setKept(Int32Array.of(0));
  const out: (number | undefined)[] = [];
  const maxRows = 1000;
  let pos = 0;
  while (out.length < strings.length) {
    const next = w.rows(pos, text.length, 1, -1, 0, true, 44, maxRows, false);
    const values = w.values();
    for (let r = 0; r < w.count(); r++) out.push(values[r]);
    assert.equal(next, out.length === 0 ? 0 : ends[out.length - 1], 'it stops just after the last row it read');
    if (out.length === strings.length) break;
    if (w.stop() === 1) {
      // The row it does not read: skipped here (the TypeScript loop reads it).
      out.push(undefined);
      pos = ends[out.length - 1];
    } else {
      assert.equal(w.stop(), 2, `stop ${w.stop()} with ${strings.length - out.length} rows left`);
      pos = next;
    }
  }
  return out;
}

test('the module reads each number readNumber reads to the same double, and others only correctly rounded', () => {
  const r = mulberry32(41);
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
  const strings = ['0', '-0', '+0', '0.0', '-0.0e5', '1', '1.', '.5', '-.5', '+.5', '1e5', '1E+05', '1e-22', '1e23', '9007199254740991', '9007199254740992',
    '9007199254740993', '123456789012345678', '0.1', '0.30000000000000004', '1.7976931348623157e308', '5e-324', '1e400', '-1e-400', '.', '-', '+', 'e5', '1e',
    '1e+', '--1', '1..2', '1.2.3', ' 1', '1 ', '0x10', '1_000', 'Infinity', 'NaN', '00012', '0000000000000000000000001', '1e0000000000000000000000000001',
    '12345678901234567891', '1.0000000000000000001', '1e999999', '0.1e-299', '0e99999', '-0.000e-5', '1.000000000000000000000000000', '100000000000000000000',
    '9.478543744319937', '0.41070602883119134', '2.9999946000053997e-7', '0.000043442508459323265', '1572864524288', '', '12345678', '123456781234567', '1234567812345678'];
  for (let i = 0; i < 100_000; i++) {
    let s = pick(['', '', '-', '+']) + (r() < 0.1 ? '0'.repeat(1 + Math.floor(r() * 9)) : '') + digits(Math.floor(r() * 22));
    if (r() < 0.7) s += '.' + (r() < 0.2 ? '0'.repeat(Math.floor(r() * 9)) : '') + digits(Math.floor(r() * 22));
    if (r() < 0.4) s += pick(['e', 'E']) + pick(['', '-', '+']) + digits(Math.floor(r() * 4));
    if (r() < 0.02) s = s.slice(0, Math.floor(r() * s.length)) + pick([' ', 'x', '.', 'e', '-', '\r']) + s.slice(Math.floor(r() * s.length));
    strings.push(s);
    // How Python and JavaScript print floats (16–17 digits), and longer.
    const v = (r() * 10) ** (r() * 44 - 22) * (r() < 0.5 ? -1 : 1);
    strings.push(String(v), v.toPrecision(18), v.toPrecision(19), v.toExponential(16));
  }
  // Numbers readNumber leaves to the slow conversion (its double-double result too near a rounding
  // boundary), which the module's Eisel-Lemire step decides: 17–19 digits, some near half-way.
  for (let i = 0; i < 20_000; i++) {
    const m = BigInt(2 ** 53 + Math.floor(r() * 2 ** 40)) * 2n + 1n; // odd: half-way between two doubles once scaled by 2^k
    strings.push(String(m * 5n ** 3n) + 'e-3', String(m) + '0', (Number(m) * (1 + r())).toPrecision(17) + 'e' + (Math.floor(r() * 60) - 30));
  }
  const got = wasmReadings(strings);
  let read = 0, beyond = 0;
  strings.forEach((s, k) => {
    const want = jsReading(s);
    if (want === undefined) {
      // Not read by readNumber: the module may stop there (the TypeScript loop reads the row) or give Number's double.
      if (got[k] !== undefined) {
        assert.ok(Object.is(got[k], Number(s)), `${JSON.stringify(s)}: the module read ${got[k]} where the conversion gives ${Number(s)}`);
        beyond++;
      }
    } else {
      assert.ok(got[k] !== undefined && Object.is(got[k], want), `${JSON.stringify(s)}: module ${got[k]}, readNumber ${want}`);
      if (s !== '') assert.ok(Object.is(want, Number(s)), `${JSON.stringify(s)}: readNumber ${want}, Number ${Number(s)}`);
      read++;
    }
  });
  assert.ok(read > strings.length * 0.6, `read ${read} of ${strings.length}`);
  assert.ok(beyond > 500, `${beyond} numbers readNumber declines read by the module`);
});

test('Eisel-Lemire\'s table of powers of five is fast_float\'s (its first, middle and last entries)', () => {
  const t = powersOfFive();
  const at = (q: number): string => t[2 * (q + 342)].toString(16) + ':' + t[2 * (q + 342) + 1].toString(16);
  // fast_float include/fast_float/fast_table.h: power_of_five_128[0, 1], 5^0, 5^-1 and 5^1.
  assert.equal(at(-342), 'eef453d6923bd65a:113faa2906a13b3f');
  assert.equal(at(0), '8000000000000000:0');
  assert.equal(at(-1), 'cccccccccccccccc:cccccccccccccccd');
  assert.equal(at(1), 'a000000000000000:0');
  // 5^308 = 2^715.15…: its top 128 bits, checked against BigInt arithmetic here.
  const p = 5n ** 308n;
  assert.equal(at(308), (p >> BigInt(p.toString(2).length - 128)).toString(16).replace(/^(.{16})/, '$1:').replace(/:0+(?=.)/, ':'));
});

function plain(log: ParsedLog): unknown {
  return { ...log, data: Object.fromEntries(Object.entries(log.data).map(([k, v]) => [k, Array.from(v)])), lines: Array.from(log.lines) };
}

test('short rows past its batch of rows, steps that go back, a row over the budget: the same log with the module as without', async () => {
  const r = mulberry32(43);
  // 300,000 rows of ~14 bytes: more in one 1 MB read than one call of the module holds.
  const lines = ['step,loss'];
  for (let i = 1; i <= 300_000; i++) {
    // A restart (steps back to 1) at row 150,000, and a duplicate step now and then.
    const step = i <= 150_000 ? i : i - 149_999;
    lines.push(`${step},${(2 + 3 / Math.sqrt(step) + r() * 0.01).toFixed(6)}`);
    if (i % 40_000 === 0) lines.push(`${step},${(r() * 3).toFixed(3)}`);
  }
  const file = path.join(tmp, 'short.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const before = fastRowCount.wasm;
  const wasm = await parseLogFile(file, { threads: 1 });
  assert.ok(fastRowCount.wasm - before > 250_000, `${fastRowCount.wasm - before} rows read by the module`);
  const js = await parseLogFile(file, { threads: 1, fastPath: 'js' });
  const slow = await parseLogFile(file, { threads: 1, fastPath: false });
  assert.deepEqual(plain(wasm), plain(slow));
  assert.deepEqual(plain(js), plain(slow));
  assert.ok(wasm.problems.some((p) => /restart|new run|supersed/i.test(p.message)), 'the restart is reported');
  // The column budget cuts the file within a batch of the module's rows.
  const cut = await parseLogFile(file, { threads: 1, maxColumnBytes: 1 << 20 });
  const cutSlow = await parseLogFile(file, { threads: 1, fastPath: false, maxColumnBytes: 1 << 20 });
  assert.deepEqual(plain(cut), plain(cutSlow));
  assert.ok(cut.rows < 150_000, `${cut.rows} rows under the budget`);
});

test('"\\r\\n" files: a lone \\n or \\r inside a row is part of a cell, as papaparse reads it, with the module as without', async () => {
  const r = mulberry32(47);
  const rows = ['step,loss,lr,note'];
  for (let i = 1; i <= 20_000; i++) {
    let note = 'n'.repeat(Math.floor(r() * 12));
    // A lone \n at the end of the last (not kept) field, or a lone \r inside it, now and then (fewer
    // than 16 in the file: after 16 such rows in one 1 MB read, the rest of it goes to the general loop).
    if (i > 1500 && i % 2999 === 0) note += '\n';
    else if (i > 1500 && i % 2503 === 0) note = `a\rb${note}`;
    const lr = i % 131 === 0 ? '' : (3e-4 * r()).toPrecision(1 + Math.floor(r() * 17));
    rows.push(`${i},${(2 + 5 / Math.sqrt(i)).toPrecision(17)},${lr},${note}`);
  }
  const file = path.join(tmp, 'crlf.csv');
  fs.writeFileSync(file, rows.join('\r\n') + '\r\n');
  const before = fastRowCount.wasm;
  const wasm = await parseLogFile(file, { threads: 1 });
  assert.ok(fastRowCount.wasm - before > 10_000, `${fastRowCount.wasm - before} rows read by the module`);
  const slow = await parseLogFile(file, { threads: 1, fastPath: false });
  assert.deepEqual(plain(wasm), plain(slow));
  assert.deepEqual(plain(await parseLogFile(file, { threads: 1, fastPath: 'js' })), plain(slow));
});

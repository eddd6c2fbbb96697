// The fast paths (src/core/logs/fastpath.ts: plain numeric CSV rows read from bytes instead of
// papaparse, flat numeric JSONL lines read instead of JSON.parse) must give exactly what the general
// readers give: every case here is read both ways (ParseOptions.fastPath false = papaparse /
// JSON.parse for every row) and compared whole — columns, lines, problems, stats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { fastRowCount, fieldEnd, rowEnd, numberEnd, plainNumber, readNumber, scanFlatJson, type FlatJsonScan } from '../../src/core/logs/fastpath';
import { mulberry32 } from '../../src/core/fit/rng';
import { tmpDir } from './tmpUtil';

const root = path.join(__dirname, '..', '..', '..');
const tmp = tmpDir('sl-fastpath-');

function plain(log: ParsedLog): unknown {
  const { parts, ...stats } = log.stats;
  void parts;
  return { ...log, stats, data: Object.fromEntries(Object.entries(log.data).map(([k, v]) => [k, Array.from(v)])), lines: Array.from(log.lines) };
}

/**
 * Reads `text` both ways, as text and as a file (1 and 2 threads; with the fast path, with it in
 * TypeScript only, without it); all must agree. Returns the fast rows read, and the rows (or JSONL
 * lines) the WebAssembly loop read in the file's one-thread read with the fast path.
 */
async function sameBothWays(name: string, text: string, opts: { maxLineChars?: number } = {}, encoding: BufferEncoding = 'utf8'): Promise<{ fast: number; wasm: number; log: ParsedLog }> {
  const before = fastRowCount.csv + fastRowCount.jsonl;
  let slow: ParsedLog | undefined;
  try { slow = parseLogText(text, name, { ...opts, fastPath: false }); } catch (e) {
    assert.throws(() => parseLogText(text, name, opts), { message: (e as Error).message });
    return { fast: 0, wasm: 0, log: undefined as unknown as ParsedLog };
  }
  const fast = parseLogText(text, name, opts);
  assert.deepEqual(plain(fast), plain(slow), `${name}: text read with the fast path`);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text, encoding);
  const fileSlow = await parseLogFile(file, { ...opts, fastPath: false, threads: 1 });
  const wasmBefore = fastRowCount.wasm + fastRowCount.wasmJsonl;
  const fileFast = await parseLogFile(file, { ...opts, threads: 1 });
  const wasm = fastRowCount.wasm + fastRowCount.wasmJsonl - wasmBefore;
  assert.deepEqual(plain(fileFast), plain(fileSlow), `${name}: file read with the fast path`);
  // The fast path without the WebAssembly row loop (csvWasm.ts) too.
  const fileJs = await parseLogFile(file, { ...opts, threads: 1, fastPath: 'js' });
  assert.deepEqual(plain(fileJs), plain(fileSlow), `${name}: file read with the fast path in TypeScript only`);
  const fileTwo = await parseLogFile(file, { ...opts, threads: 2, parallelMinBytes: 1, awaitHelpers: true });
  assert.deepEqual(plain(fileTwo), plain(fileSlow), `${name}: file read on two threads`);
  return { fast: fastRowCount.csv + fastRowCount.jsonl - before, wasm, log: fast };
}

// ------------------------------------------------------------------------------- numbers

test('plainNumber: whenever it answers, the answer is Number(text), bit for bit', () => {
  const r = mulberry32(11);
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
  let answered = 0;
  const cases = ['0', '-0', '+0', '0.0', '-0.0e5', '1', '1.', '.5', '-.5', '+.5', '1e5', '1E+05', '1e-22', '1e23', '9007199254740991', '9007199254740992',
    '9007199254740993', '123456789012345678', '0.1', '0.30000000000000004', '1.7976931348623157e308', '5e-324', '1e400', '-1e-400', '.', '-', '+', 'e5', '1e',
    '1e+', '--1', '1..2', '1.2.3', ' 1', '1 ', '0x10', '1_000', 'Infinity', 'NaN', '١', '00012', '0000000000000000000000001', '1e0000000000000000000000000001'];
  const strings = [...cases];
  for (let i = 0; i < 200_000; i++) {
    let s = pick(['', '', '-', '+']) + digits(Math.floor(r() * 19));
    if (r() < 0.7) s += '.' + digits(Math.floor(r() * 19));
    if (r() < 0.4) s += pick(['e', 'E']) + pick(['', '-', '+']) + digits(Math.floor(r() * 4));
    if (r() < 0.02) s = s.slice(0, Math.floor(r() * s.length)) + pick([' ', 'x', '.', 'e', '-', '\r']) + s.slice(Math.floor(r() * s.length));
    strings.push(s);
  }
  for (const s of strings) {
    const b = Buffer.from(s, 'latin1');
    const v = plainNumber(b, 0, b.length);
    if (v !== v) continue;
    answered++;
    assert.ok(Object.is(v, Number(s)), `${JSON.stringify(s)}: ${v} vs Number ${Number(s)}`);
  }
  // It must answer the common short numbers (else it is no fast path at all).
  assert.ok(answered > strings.length * 0.3, `answered ${answered} of ${strings.length}`);
  for (const s of ['0', '-0', '1.', '.5', '1e5', '0.1', '12.5e-3']) assert.ok(Object.is(plainNumber(Buffer.from(s), 0, s.length), Number(s)), s);
  for (const s of ['1e23', '9007199254740993', '1 ', '0x10', 'e5', '.', '1e400', '5e-324', '12345678901234567891']) assert.ok(Number.isNaN(plainNumber(Buffer.from(s), 0, s.length)), s);
});

/** The exact decimal expansion of the point halfway between the double v > 0 and the next one up. */
function halfwayAbove(v: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const bits = dv.getBigUint64(0);
  const mant = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const e2 = Number((bits >> 52n) & 0x7ffn) - 1075 - 1; // halfway = (2·mant + 1)·2^e2
  const num = 2n * mant + 1n;
  if (e2 >= 0) return (num << BigInt(e2)).toString();
  const digits = (num * 5n ** BigInt(-e2)).toString().padStart(-e2 + 1, '0');
  return digits.slice(0, digits.length + e2) + '.' + digits.slice(digits.length + e2);
}

test('plainNumber: 17–19 significant digits, exponents, signs, ties and near-ties are either Number(text) bit for bit or declined', () => {
  const r = mulberry32(17);
  const check = (s: string): boolean => {
    const v = plainNumber(Buffer.from(s, 'latin1'), 0, s.length);
    if (v !== v) return false;
    assert.ok(Object.is(v, Number(s)), `${JSON.stringify(s)}: ${v} vs Number ${Number(s)}`);
    return true;
  };
  // How JavaScript and Python print floats (shortest round trip: mostly 16–17 digits), and longer.
  let answered = 0, total = 0;
  for (let i = 0; i < 100_000; i++) {
    const v = (r() * 10) ** (r() * 44 - 22) * (r() < 0.5 ? -1 : 1);
    for (const s of [String(v), v.toPrecision(17), v.toPrecision(18), v.toPrecision(19), v.toExponential(16), '+' + String(Math.abs(v)), String(v).toUpperCase()]) {
      total++;
      if (check(s)) answered++;
    }
  }
  // Declining is allowed, but only near ties (a few in a billion): these must nearly all be read.
  assert.ok(answered > total * 0.999, `answered ${answered} of ${total}`);
  // The decimal numbers nearest to the halfway points between doubles, cut to 17–19 digits, bumped
  // by one in the last digit, and the exact halfway points (ties: round half to even).
  for (let i = 0; i < 20_000; i++) {
    const v = (r() * 10) ** (r() * 30 - 15);
    const mid = halfwayAbove(v);
    check(mid.length <= 24 ? mid : mid.slice(0, 24));
    const sig = 17 + (i % 3);
    let cut = 0;
    for (let n = 0, seen = false; cut < mid.length && n < sig; cut++) {
      if (mid[cut] === '.') continue;
      if (mid[cut] !== '0') seen = true;
      if (seen) n++;
    }
    const t = mid.slice(0, cut);
    check(t);
    const last = t.charCodeAt(t.length - 1) - 48;
    if (last >= 0 && last < 9) check(t.slice(0, -1) + String(last + 1));
    if (last > 0 && last <= 9) check(t.slice(0, -1) + String(last - 1));
  }
  for (const s of ['9007199254740993', '9007199254740993.0', '9007199254740995', '4503599627370496.5', '4503599627370497.5', '18014398509481985', '18014398509481987',
    '-0', '-0.0', '+0', '-0e-400', '0.000', '1.7976931348623157e308', '2.2250738585072014e-308', '2.2250738585072011e-308', '4.9406564584124654e-324', '5e-324', '1e-320',
    '9999999999999999999', '1.0000000000000000000000', '0.1000000000000000055511151231257827', '1e-22', '1e22', '1e23', '1.2345678901234567e-7', '1.2345678901234567e+30',
    '123456789012345678e-40', '-9.478543744319937', '0.00029999999999999997', '2.9999999999999997e-05', '100000000000000000000000000000', '1e300', '1e-300']) check(s);
  // The common cases are not declined: 17-digit mantissas with small exponents, trailing zeros.
  for (const s of ['9.478543744319937', '0.41070602883119134', '2.9999946000053997e-7', '1.2345678901234567e-7', '-0.30000000000000004', '152776.7258649692', '1.0000000000000000000000']) {
    assert.ok(check(s), `${s} was declined`);
  }
});

test('scanFlatJson: accepts exactly the flat objects of numbers/null/booleans JSON.parse reads, and their keys and numbers', () => {
  const out: FlatJsonScan = { keys: [], starts: [], ends: [], count: 0 };
  const ok = ['{"a":1}', ' { "a" : -0.5e-3 , "b":null,"c":true,"d":false } ', '{"a":1,"a":2}', '{"__proto__":1,"constructor":2}', '{"é":1}', '{"a":1e400}', '{"a":0}', '{"a":-0}'];
  const bad = ['{}', '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":+1}', '{"a":NaN}', '{"a":Infinity}', '{"a":"1"}', '{"a":[1]}', '{"a":{"b":1}}', '{"a\\u0062":1}',
    '{"a":1,}', '{"a":1', '{"a":1}x', '{"a":1}}', '{a:1}', '{"a":nul}', '{"a":nulll}', '{"a":truex}', '{"a" 1}', '{"a":1 2}', '[1]', '1', '"x"', '{"a":1e}', '{"a":-}',
    '\ufeff{"a":1}', '{"a":1}\u00a0', '{"a\tb":1}'];
  for (const s of ok) {
    const b = Buffer.from(s, 'latin1');
    assert.ok(scanFlatJson(b, new DataView(b.buffer, b.byteOffset, b.length), 0, b.length, out), s);
    const parsed = JSON.parse(Buffer.from(s, 'latin1').toString('latin1')) as Record<string, unknown>;
    for (let t = 0; t < out.count; t++) {
      const key = out.keys[t];
      assert.ok(Object.prototype.hasOwnProperty.call(parsed, key), `${s}: key ${key}`);
      if (out.starts[t] >= 0) assert.ok(typeof Number(b.toString('latin1', out.starts[t], out.ends[t])) === 'number');
    }
  }
  for (const s of bad) {
    const b = Buffer.from(s, 'latin1');
    assert.equal(scanFlatJson(b, new DataView(b.buffer, b.byteOffset, b.length), 0, b.length, out), false, s);
  }
});

// ------------------------------------------------------------------------------- CSV

/** A PyTorch-style run log: `rows` rows of plain numbers, then `extra` lines (after the sample). */
test('readNumber: reads and delimits a number in one pass; its end is the grammar\'s, its value Number\'s (or declined)', () => {
  const r = mulberry32(29);
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
  // The longest prefix of the grammar (plain: Number's decimal literals; JSON's numbers), or -1 when
  // the text there is no such number (a dangling exponent or point, JSON's leading zeros).
  const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
  const JSONN = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/;
  const expectEnd = (s: string, json: boolean): number => {
    const m = (json ? JSONN : PLAIN).exec(s);
    if (!m) return -1;
    const next = s.slice(m[0].length);
    const exp = json ? m[3] : m[2];
    if (exp === undefined && /^[eE]/.test(next)) return -1; // 'e' with no exponent digits
    if (json && exp === undefined && ((m[2] === undefined && /^\./.test(next)) || /^\d/.test(next))) return -1; // '1.' or '01'
    return m[0].length;
  };
  let answered = 0, total = 0;
  for (let i = 0; i < 100_000; i++) {
    let s = pick(['', '', '-', '+']) + (r() < 0.1 ? '0' : '') + digits(Math.floor(r() * 22));
    if (r() < 0.7) s += '.' + digits(Math.floor(r() * 22));
    if (r() < 0.4) s += pick(['e', 'E']) + pick(['', '-', '+']) + digits(Math.floor(r() * 4));
    if (r() < 0.3) s = String((r() - 0.5) * 10 ** (r() * 40 - 20));
    s += pick([',', '}', '\n', '\r\n', ' ', 'x', '.', 'e', '']);
    const b = Buffer.from(s, 'latin1');
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    for (const json of [false, true]) {
      total++;
      const v = readNumber(b, dv, 0, b.length, json);
      const end = numberEnd[0];
      assert.equal(end, expectEnd(s, json), `${JSON.stringify(s)} json=${json}: end`);
      if (end < 0) { assert.ok(Number.isNaN(v), s); continue; }
      const text = s.slice(0, end);
      if (json) assert.doesNotThrow(() => JSON.parse(text), text);
      if (v !== v) continue;
      answered++;
      assert.ok(Object.is(v, Number(text)), `${JSON.stringify(text)}: ${v} vs Number ${Number(text)}`);
    }
  }
  assert.ok(answered > total * 0.4, `answered ${answered} of ${total}`); // (most declined ones have 20+ digits)
  // Declined (the caller converts the text): a non-zero digit past the 19th significant one, an
  // exponent too large to know, values past ±1e250.
  for (const s of ['12345678901234567891', '1.0000000000000000001', '1e999999', '1e400', '1e-400', '0.1e-299']) {
    const b = Buffer.from(s + ',');
    assert.ok(Number.isNaN(readNumber(b, new DataView(b.buffer, b.byteOffset, b.length), 0, b.length, false)), s);
    assert.equal(numberEnd[0], s.length, s);
  }
  // Zero with any exponent, trailing zeros past the 19th digit: exact.
  for (const s of ['0e99999', '-0.000e-5', '1.000000000000000000000000000', '100000000000000000000']) {
    const b = Buffer.from(s);
    assert.ok(Object.is(readNumber(b, new DataView(b.buffer, b.byteOffset, b.length), 0, b.length, false), Number(s)), s);
  }
});

test('fieldEnd: the first delimiter or line end from a position, as a byte-by-byte scan finds it (four bytes at a time)', () => {
  const r = mulberry32(37);
  for (let k = 0; k < 20_000; k++) {
    const [d, nl] = k % 3 === 0 ? [9, 13] : [44, 10];
    const alphabet = [d, nl, 13, 10, 48, 97, 255, 0, 128, 44];
    const b = Buffer.alloc(3 + Math.floor(r() * 40));
    for (let i = 0; i < b.length; i++) b[i] = r() < 0.7 ? 48 + Math.floor(r() * 10) : alphabet[Math.floor(r() * alphabet.length)];
    const from = Math.floor(r() * 3);
    const n = Math.max(from, b.length - Math.floor(r() * 3));
    let fe = from;
    while (fe < n && b[fe] !== d && b[fe] !== nl) fe++;
    assert.equal(fieldEnd(b, new DataView(b.buffer, b.byteOffset, b.length), from, n, d, nl, Math.imul(d, 0x01010101), Math.imul(nl, 0x01010101)), fe);
  }
});

test('rowEnd: the line end when exactly `need` delimiters come before it (-2: another number, or more before the end; -1: no line end), as a byte-by-byte scan finds it', () => {
  const r = mulberry32(41);
  let found = 0, other = 0, open = 0;
  for (let k = 0; k < 40_000; k++) {
    const [d, nl] = k % 3 === 0 ? [9, 13] : [44, 10];
    // Delimiters and line ends at every place in a word, and bytes with the high bit set (the masks' borrows).
    const alphabet = [d, d, nl, 13, 10, 48, 97, 255, 0, 128, 44, 0x2c | 0x80, 0x0a | 0x80];
    const b = Buffer.alloc(1 + Math.floor(r() * 48));
    for (let i = 0; i < b.length; i++) b[i] = r() < 0.6 ? 48 + Math.floor(r() * 10) : alphabet[Math.floor(r() * alphabet.length)];
    const from = Math.floor(r() * 4);
    const n = Math.min(b.length, Math.max(from, b.length - Math.floor(r() * 3)));
    const need = Math.floor(r() * 6);
    let want = -1, seen = 0;
    for (let i = from; i < n; i++) {
      if (b[i] === nl) { want = seen === need ? i : -2; break; }
      if (b[i] === d && ++seen > need) { want = -2; break; } // already more fields than the header
    }
    const got = rowEnd(b, new DataView(b.buffer, b.byteOffset, b.length), from, n, d, nl, Math.imul(d, 0x01010101), Math.imul(nl, 0x01010101), need);
    assert.equal(got, want, `bytes ${[...b.subarray(from, n)].join(' ')}, need ${need}`);
    if (want >= 0) found++; else if (want === -2) other++; else open++;
  }
  assert.ok(found > 1000 && other > 1000 && open > 1000, `${found} found, ${other} other counts, ${open} open`);
});

function csvRun(rows: number, extra: string[] = [], o: { eol?: string; delim?: string; header?: string[] } = {}): string {
  const eol = o.eol ?? '\n';
  const d = o.delim ?? ',';
  const header = o.header ?? ['step', 'epoch', 'tokens', 'train/loss', 'val/loss', 'lr', 'grad_norm'];
  const r = mulberry32(rows);
  const out = [header.join(d)];
  for (let s = 1; s <= rows; s++) {
    const loss = 2 + 40 / Math.sqrt(s) + (r() - 0.5) * 0.01;
    out.push([s, s / 1000, s * 524288, loss, s % 50 === 0 ? (loss + 0.02).toFixed(4) : '', 3e-4 * Math.min(1, s / 200), r().toFixed(3)].slice(0, header.length).join(d));
  }
  let step = rows;
  for (const e of extra) out.push(e.replaceAll('STEP', String(++step)).replaceAll(',', d));
  return out.join(eol) + eol;
}

const HOSTILE_ROWS = [
  'STEP,1,2,3.5,,1e-4,0.5', 'STEP,1,2,nan,,1e-4,0.5', 'STEP,1,2,NaN,,1e-4,0.5', 'STEP,1,2,inf,,1e-4,0.5', 'STEP,1,2,-Infinity,,1e-4,0.5',
  'STEP,1,2,1e400,,1e-4,0.5', 'STEP,1,2,0x1F,,1e-4,0.5', 'STEP,1,2,+1.5,,.5,1.', 'STEP,1,2, 2.5 ,,1e-4,0.5', 'STEP,1,2,2.5\r,,1e-4,0.5',
  'STEP,1,2,oops,,1e-4,0.5', 'STEP,1,2,,,,', 'STEP,1,2,-0,,-0.0,0', 'STEP,1,2,0.30000000000000004,,1.7976931348623157e308,5e-324',
  'STEP,1,2,3.5,,1e-4,0.5,', 'STEP,1,2,3.5,,1e-4,0.5,,', 'STEP,1,2,3.5', '', ' ', '\t', '\r', ',,,,,,', 'STEP', 'STEP,1,2,3.5,,1e-4',
  'STEP,1,2,3.5,,1e-4,0.5,extra', ',1,2,3.5,,1e-4,0.5', '7,1,2,3.5,,1e-4,0.5', 'STEP,1,2,3.5,,1e-4,0.5',
  'STEP,1,2,00012,,1e-4,0.5', 'STEP,1,2,1_000,,1e-4,0.5', 'STEP.0,1,2,3,,1e-4,0.5', '-5,1,2,3,,1e-4,0.5',
];

test('fast CSV rows = papaparse rows: plain numbers, then every awkward row after the sample (\\n, \\r\\n, \\r, tab, semicolon)', async () => {
  let fast = 0;
  for (const [eol, delim, tag] of [['\n', ',', 'lf'], ['\r\n', ',', 'crlf'], ['\r', ',', 'cr'], ['\n', '\t', 'tab'], ['\n', ';', 'semi']] as const) {
    const text = csvRun(1500, [...HOSTILE_ROWS, ...HOSTILE_ROWS.map((h) => h.replace('3.5', '4.5'))], { eol, delim });
    const got = (await sameBothWays(`hostile-${tag}.csv`, text)).fast;
    assert.ok(got > 1000, `${tag}: the fast path read ${got} rows`);
    fast += got;
  }
  assert.ok(fast > 0, 'the fast path read rows');
});

test('fast CSV rows = papaparse rows: BOM, leading blank lines, trailing delimiter everywhere, no final line end, mixed line ends', async () => {
  const base = csvRun(2500, HOSTILE_ROWS);
  const cases: [string, string][] = [
    ['bom.csv', '\ufeff' + base],
    ['blank-first.csv', '\n\n  \n' + base],
    ['trailing-delim.csv', base.split('\n').map((l) => (l ? l + ',' : l)).join('\n')],
    ['no-final-eol.csv', base + '99999,1,2,3'],
    ['mixed-eol.csv', base.split('\n').map((l, i) => (i % 7 === 3 ? l + '\r' : l)).join('\n')],
    ['lf-in-crlf.csv', csvRun(2500, ['STEP,1,2\n3.5,,1e-4,0.5', 'STEP,1,2,3.5,,1e-4,0.5'], { eol: '\r\n' })],
  ];
  for (const [name, text] of cases) assert.ok((await sameBothWays(name, text)).fast > 500, name);
});

test('fast CSV rows = papaparse rows: a quote after the sample (from there on papaparse reads), a quoted line end', async () => {
  await sameBothWays('late-quote.csv', csvRun(1500, ['STEP,1,2,"3.5",,1e-4,0.5', ...HOSTILE_ROWS, 'STEP,1,2,"3\n.5",,1e-4,0.5', 'STEP,1,2,3.5,,1e-4,"0.5']));
  await sameBothWays('mid-quote.csv', csvRun(1500, ['STEP,1,2,3"5,,1e-4,0.5', ...HOSTILE_ROWS]));
});

/**
 * A ~3.5 MB run log with a free-text `note` column, quoted here and there: a comma, an escaped quote,
 * a line end inside quotes, a quoted number in a kept column, a field left open over several rows,
 * and a quoted field with line ends across every 1 MB boundary of the file (where the reads are cut).
 */
function quotedHereAndThere(eol: string): { text: string; rows: number } {
  const r = mulberry32(61);
  const out = ['step,epoch,train/loss,lr,note'];
  let len = out[0].length + eol.length;
  let rows = 0;
  const lines = (k: number, w: number): string => Array.from({ length: k }, (_, i) => `line ${i} ` + 'w'.repeat(w)).join(eol);
  for (let i = 1; len < 3.5 * 2 ** 20; i++) {
    const loss = String(2 + 40 / Math.sqrt(i) + (r() - 0.5) * 0.01);
    let note = 'plain';
    const u = r();
    const boundary = Math.floor((len + 6000) / 2 ** 20) > Math.floor(len / 2 ** 20);
    if (boundary) note = `"across ${eol}${lines(60, 80)}${eol}the boundary"`;
    else if (u < 0.002) note = '"a, b"';
    else if (u < 0.003) note = '"say ""hi"""';
    else if (u < 0.004) note = `"two${eol}lines"`;
    else if (u < 0.0045) note = `"a field left open${eol}${lines(3, 10)}${eol}"" and closed later"`;
    const cells = [String(i), String(i / 1000), loss, String(3e-4 * r()), note];
    if (u > 0.999) cells[2] = `"${loss}"`;
    const line = cells.join(',');
    out.push(line);
    len += line.length + eol.length;
    rows++;
  }
  return { text: out.join(eol) + eol, rows };
}

test('fast CSV rows = papaparse rows: quotes here and there (a quoted line end across 1 MB reads); the rows without quotes are still read fast', async () => {
  for (const eol of ['\n', '\r\n']) {
    const { text, rows } = quotedHereAndThere(eol);
    const { fast, log } = await sameBothWays(`quoted-${eol === '\n' ? 'lf' : 'crlf'}.csv`, text);
    assert.equal(log.rows, rows);
    // Read as text, as a file on one thread, and the calling thread's part on two: all but the rows
    // with a quote (about 1 in 200) by the fast path. (Before, papaparse read every row from the
    // first quote on.)
    assert.ok(fast > 2.2 * rows, `${fast} rows read fast of ${rows}`);
  }
});

test('fast CSV rows = papaparse rows: very long lines (over the line limit, and long but allowed), huge numbers of digits', async () => {
  const long = 'STEP,1,2,' + '1'.repeat(5000) + ',,1e-4,0.5';
  const longer = 'STEP,1,2,3.5,,1e-4,' + '9'.repeat(300_000);
  await sameBothWays('long.csv', csvRun(1500, [long, longer, ...HOSTILE_ROWS]), { maxLineChars: 100_000 });
  await sameBothWays('long-ok.csv', csvRun(1500, [long, longer, ...HOSTILE_ROWS]));
});

test('fast CSV rows = papaparse rows: a sweep with a run-name column and empty cells (reported in sweeps)', async () => {
  const rows = ['run,params,tokens,loss,note'];
  const r = mulberry32(3);
  for (let i = 0; i < 2500; i++) {
    const cell = r() < 0.05 ? '' : (2 + r()).toFixed(4);
    rows.push(`${r() < 0.02 ? ' spaced run ' : 'run-' + (i % 17)},${1e6 * (1 + (i % 17))},${i % 13 === 0 ? '' : 1e9 * (1 + (i % 11))},${cell},x`);
  }
  const { log } = await sameBothWays('sweep.csv', rows.join('\n') + '\n');
  assert.equal(log.kind, 'sweep');
});

test('fast CSV rows = papaparse rows: non-ASCII later in the file (the fast path stops at the first other byte)', async () => {
  await sameBothWays('accents.csv', csvRun(1500, [...HOSTILE_ROWS, 'STEP,1,2,3.5,,1e-4,0.5é', 'STEP,1,2,١٢,,1e-4,0.5', ...HOSTILE_ROWS]));
});

test('fast CSV rows = papaparse rows: fuzzed rows from hostile pieces, read in many chunks', async () => {
  const ascii = ['1', '-2.5', '3e-7', '0.30000000000000004', '', ' ', 'nan', 'inf', '-inf', '1e400', '0x10', '\r', '.', 'e', '+', '-0', '9'.repeat(25), 'abc', '\t', '1.', '.5', '+7'];
  for (let seed = 1; seed <= 12; seed++) {
    // Every fourth input also has quotes and non-ASCII text (the fast path then gives way); every
    // fourth other one quotes only (the fast path reads on between them; a lone quote may open a
    // field that runs over many rows and 1 MB reads).
    const pieces = seed % 4 === 0 ? [...ascii, '"', '""', 'é'] : seed % 4 === 2 ? [...ascii, '"', '""', '"a,b"', '"x\ny"', '"p\r\nq"'] : ascii;
    const r = mulberry32(seed);
    const width = 2 + Math.floor(r() * 6);
    const header = Array.from({ length: width }, (_, i) => ['step', 'loss', 'tokens', 'lr', 'val_loss', 'x', 'y', 'z'][i]);
    const lines = [header.join(',')];
    // Enough rows past the sample (1,000 rows) and past one 1 MB read, so the rows cross chunk ends.
    const n = 1200 + Math.floor(r() * 9000);
    for (let i = 1; i <= n; i++) {
      const cells: string[] = [];
      const w = r() < 0.03 ? Math.floor(r() * (width + 3)) : width;
      for (let k = 0; k < w; k++) {
        if (i > 1000 && r() < 0.02) cells.push(pieces[Math.floor(r() * pieces.length)] + (r() < 0.5 ? pieces[Math.floor(r() * pieces.length)] : ''));
        else cells.push(k === 0 ? String(i) : (r() * 10 ** (Math.floor(r() * 8) - 4)).toPrecision(1 + Math.floor(r() * 17)));
      }
      lines.push(cells.join(',') + (r() < 0.01 ? ',' : ''));
    }
    const eol = seed % 3 === 0 ? '\r\n' : '\n';
    const pad = 'x'.repeat(60 + Math.floor(r() * 200));
    // Long enough to cross a 1 MB read: a padding column keeps the rows wide.
    const text = lines.map((l, i) => (i === 0 ? l + ',pad' : l + ',' + pad)).join(eol) + (seed % 4 === 0 ? '' : eol);
    const { fast, wasm } = await sameBothWays(`fuzz-${seed}.csv`, text);
    if (seed % 2 === 1) assert.ok(fast > 1000, `fuzz-${seed}.csv: ${fast} rows read fast`);
    // (After 16 odd rows in one 1 MB read, the rest of it goes to the general loop: here most rows.)
    if (seed % 2 === 1) assert.ok(wasm > 100, `fuzz-${seed}.csv: ${wasm} rows read by the WebAssembly loop`);
  }
});

// ------------------------------------------------------------------------------- JSONL

test('fast JSONL lines = JSON.parse lines: flat numbers, then every awkward line after the sample', async () => {
  const lines: string[] = [];
  // (Past the first 1 MB read, which is read as text while the columns are decided: the awkward lines
  // come where the WebAssembly loop reads.)
  for (let s = 1; s <= 15_000; s++) lines.push(JSON.stringify({ step: s, tokens: s * 524288, 'train/loss': 2 + 40 / Math.sqrt(s), lr: 3e-4 * Math.min(1, s / 200), grad_norm: null, ok: true }));
  const awkward = [
    '{"step":1,"train/loss":9}', // a restart first: the rows after it stay in the result
    '{"step":S,"train/loss":NaN}', '{"step":S,"train/loss":Infinity}', '{"step":S,"train/loss":-Infinity}', '{"step":S,"train/loss":1e400}',
    '{"step":S,"train/loss":"2.5"}', '{"step":S,"train/loss":"nan"}', '{"step":S,"train/loss":[1,2]}', '{"step":S,"train":{"loss":2.5}}',
    '{"step":S,"train/loss":2.5,"train/loss":null}', '{"step":S,"train/loss":null,"train/loss":2.5}', '{"step":S,"new_key":1,"train/loss":2.5}',
    '{"step":S,"train/loss":2.5,}', '{"step":S,"train/loss":01}', '{"step":S "train/loss":2}', 'not json', '[1,2]', '{}', '', '   ', '\t',
    '{ "step" : S , "train/loss" : 2.5 }', '{"step":S,"train/loss":2.5}  ', '{"step":S,"tr\\u0061in/loss":2.5}', '{"step":S,"train/loss":-0}',
    '{"step":S,"train/loss":2.5}\r', '{"step":S,"__proto__":1,"train/loss":2.5}', '{"step":S,"constructor":{"x":1}}',
    '{"step":S,"train/loss":0.30000000000000004,"lr":5e-324}', '{"step":S,"train/loss":2.5,"ok":false}', '{"step":S,"train/loss":tru}',
  ];
  let s = 15_000;
  for (let k = 0; k < 3; k++) for (const a of awkward) lines.push(a.replaceAll('S', String(++s)));
  const { fast, wasm } = await sameBothWays('awkward.jsonl', lines.join('\n') + '\n');
  assert.ok(fast > 1000, `the fast path read ${fast} lines`);
  assert.ok(wasm > 3000, `the WebAssembly loop read ${wasm} lines`);
  await sameBothWays('awkward-crlf.jsonl', lines.join('\r\n'));
  await sameBothWays('awkward-accent.jsonl', [...lines, '{"step":99999,"tokens":12é}', '{"step":100000,"é":1}'].join('\n'));
  // A line limit that most lines pass and some do not (the module leaves those to the line loop).
  await sameBothWays('awkward-limit.jsonl', lines.join('\n') + '\n', { maxLineChars: 104 });
  await sameBothWays('awkward-long.jsonl', [...lines, '{"step":99999,"x":"' + 'y'.repeat(200_000) + '"}', ...lines.slice(0, 50)].join('\n') + '\n', { maxLineChars: 100_000 });
});

test('fast JSONL lines = JSON.parse lines: a run-label key, fuzzed lines', async () => {
  const r = mulberry32(5);
  const lines: string[] = [];
  for (let i = 1; i <= 3000; i++) {
    const rec: Record<string, unknown> = { run: `r${i % 5}`, params: 1e6 * (1 + (i % 5)), tokens: 1e9 * (1 + (i % 7)), loss: 2 + r() };
    if (r() < 0.3) delete rec.run; // the label missing: ''
    let line = JSON.stringify(rec);
    if (i > 1000 && r() < 0.05) {
      const k = Math.floor(r() * line.length);
      line = line.slice(0, k) + ['"', ',', '}', ' ', 'x', '1', 'e', '-', '\\'][Math.floor(r() * 9)] + line.slice(k + 1);
    }
    lines.push(line);
  }
  assert.ok((await sameBothWays('label-fuzz.jsonl', lines.join('\n') + '\n')).fast > 1000);
});

test('fast JSONL lines = JSON.parse lines: shapes that alternate (read by comparing with the line before), each mutated byte by byte', async () => {
  const r = mulberry32(23);
  const lines: string[] = [];
  const num = (): string => ['0', '-0', '1e400', '-1e400', '1E+2', '0.5e-3', '12', '7.25', '-3.0000000000000004', '9007199254740993', '1e23', '2.2250738585072011e-308'][Math.floor(r() * 12)];
  for (let i = 1; i <= 24_000; i++) {
    const loss = 2 + 1 / i + r() * 1e-3;
    let line: string;
    if (i % 7 === 0) line = `{"step":${i},"loss":${loss},"eval_loss":${loss + 0.01},"lr":${3e-4 * r()}}`;
    else if (i % 11 === 0) line = `{"step":${i},"loss":${loss},"grad_norm":null,"lr":${3e-4 * r()},"ok":true}`;
    else line = `{"step":${i},"loss":${loss},"lr":${3e-4 * r()},"tokens":${i * 4096}}`;
    if (i > 1000 && r() < 0.08) {
      const k = Math.floor(r() * line.length);
      const pick = Math.floor(r() * 12);
      if (pick < 9) line = line.slice(0, k) + ['"', ',', '}', ' ', 'x', '1', 'e', '-', '.'][pick] + line.slice(k + 1);
      else if (pick === 9) line = line.replace(/"lr":[^,}]*/, `"lr":${num()}`);
      else if (pick === 10) line = line.replace('"loss"', '"step"'); // a key given twice
      else line = line.replace(',', ' , ');
    }
    lines.push(line);
  }
  const { fast, wasm } = await sameBothWays('shapes.jsonl', lines.join('\n') + '\n');
  assert.ok(fast > 16_000, `the fast path read ${fast} lines`);
  // (Two shapes at a time: the module reads the lines of the last two the TypeScript loop saw.)
  assert.ok(wasm > 5000, `the WebAssembly loop read ${wasm} lines`);
});

test('fast paths = general readers across 1 MB reads: 17+ digits, numbers the fast reading declines, CRLF, runs of odd rows, a quote late', async () => {
  const r = mulberry32(31);
  const odd = ['12345678901234567891', '1e400', '-1e400', '1e-400', '0e99999', '1E+5', '2.5e-3', '-0', '+.5', '5.', 'nan', 'NaN', 'inf', '-Infinity', ' 7', '0x1F',
    '00012', '9'.repeat(30), '1.0000000000000000001', '0.10000000000000000555', '4.9406564584124654e-324', '1.7976931348623157e308', ''];
  const csv: string[] = ['step,epoch,train/loss,val/loss,lr,grad_norm,note'];
  const jsonl: string[] = [];
  for (let i = 1; i <= 16_000; i++) {
    const loss = String(2 + 40 / Math.sqrt(i) + (r() - 0.5) * 0.01);
    const lr = String(3e-4 * Math.min(1, i / 200) * r());
    let cells = [String(i), String(i / 1000), loss, i % 50 === 0 ? (r() * 3).toPrecision(17) : '', lr, (r() * 2).toPrecision(1 + Math.floor(r() * 19)), 'x'.repeat(Math.floor(r() * 40))];
    let line = `{"step":${i},"epoch":${i / 1000},"train/loss":${loss},"lr":${lr},"grad_norm":${(r() * 2).toPrecision(1 + Math.floor(r() * 19))},"pad":${'1'.repeat(1 + Math.floor(r() * 40))}}`;
    if (i > 1200 && r() < 0.05) {
      const v = odd[Math.floor(r() * odd.length)];
      cells[2 + Math.floor(r() * 3)] = v;
      line = line.replace(/"lr":[^,]*/, `"lr":${v === '' ? 'null' : v}`);
    }
    // Stretches of rows with a trailing delimiter (more fields than the header) and short rows.
    if (i > 5000 && i < 5100) cells.push('');
    if (i > 7000 && i < 7010) cells = cells.slice(0, 3);
    csv.push(cells.join(','));
    jsonl.push(line);
  }
  for (const eol of ['\n', '\r\n']) {
    const tag = eol === '\n' ? 'lf' : 'crlf';
    const a = await sameBothWays(`chunks-${tag}.csv`, csv.join(eol) + eol);
    assert.ok(a.fast > 14_000, `${tag}.csv: ${a.fast} rows read fast`);
    // (The 1 MB read holding the runs of odd rows goes to the general loop after 16 of them.)
    assert.ok(a.wasm > 5_000, `${tag}.csv: ${a.wasm} rows read by the WebAssembly loop`);
    const q = await sameBothWays(`chunks-quote-${tag}.csv`, [...csv.slice(0, 12_000), '12000,1,2,"3",,1e-4,0.5', ...csv.slice(12_001)].join(eol) + eol);
    // From the 1 MB read that holds the quote on, papaparse reads every row.
    assert.ok(q.fast > 6_000, `quote-${tag}.csv: ${q.fast} rows read fast`);
    const j = await sameBothWays(`chunks-${tag}.jsonl`, jsonl.join(eol) + eol);
    assert.ok(j.fast > 14_000, `${tag}.jsonl: ${j.fast} lines read fast`);
    assert.ok(j.wasm > 6000, `${tag}.jsonl: ${j.wasm} lines read by the WebAssembly loop`);
  }
});

// ------------------------------------------------------------------------------- real files

test('fast paths = general readers on every CSV/JSONL fixture and sample (each tiled past the sample size)', async () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(csv|jsonl|tsv)$/.test(e.name)) files.push(p);
    }
  };
  walk(path.join(root, 'test', 'fixtures'));
  walk(path.join(root, 'samples'));
  assert.ok(files.length >= 10, `${files.length} fixture files`);
  let fast = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'latin1');
    const [head, ...body] = text.split('\n');
    const jsonl = f.endsWith('.jsonl');
    const rows = jsonl ? [head, ...body] : body;
    const kept = rows.filter((l) => l.trim() !== '');
    if (kept.length === 0) continue;
    // Tiled past 1,000 rows (the sample), so the fast path reads the later copies.
    const tiles = Math.ceil(2500 / kept.length);
    const tiled = (jsonl ? [] : [head]).concat(...Array.from({ length: tiles }, () => rows)).join('\n');
    const name = path.relative(root, f).replace(/[\\/]/g, '_');
    fast += (await sameBothWays(name, tiled, {}, 'latin1')).fast;
  }
  assert.ok(fast > 0);
});

/**
 * Fast paths of the hot loops, on the bytes of pure-ASCII chunks (a byte is then the character), for
 * the common case only: plain decimal numbers in CSV cells, and JSONL lines that are flat objects
 * with number / null / true / false values. Each either gives the answer the general code gives or
 * declines (NaN / false), and the caller then runs the general code (papaparse, JSON.parse,
 * Number) on the same text: nothing is read here that the general code would read differently
 * (test/unit/fastpath.test.ts compares both on fixtures and fuzzed input).
 */

/** Rows read by the fast paths in this thread (tests check that they run); `wasm`, `wasmJsonl`: those of the CSV rows and JSONL lines read by csvrows.wat. */
export const fastRowCount = { csv: 0, jsonl: 0, wasm: 0, wasmJsonl: 0 };

/** 10^0 … 10^22: every one exact in a double. */
export const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const TWO53 = 9007199254740992;

/**
 * The value of b[a, e) when it is a plain decimal literal ([+-]digits[.digits][(e|E)[+-]digits]),
 * correctly rounded, i.e. exactly what `Number(text)` (and JSON.parse) gives; NaN when this cannot
 * be sure of that, and the caller then converts the text itself (see readNumber).
 */
export function plainNumber(b: Uint8Array, a: number, e: number): number {
  const v = readNumber(b, viewOf(b), a, e, false);
  return numberEnd[0] === e ? v : NaN;
}

/** A DataView of the bytes last read by plainNumber (made again only when the bytes change). */
let lastBytes: Uint8Array | undefined;
let lastView: DataView = new DataView(new ArrayBuffer(0));
function viewOf(b: Uint8Array): DataView {
  if (b !== lastBytes) { lastBytes = b; lastView = new DataView(b.buffer, b.byteOffset, b.byteLength); }
  return lastView;
}

/**
 * Where the number readNumber last read ends (just past its last byte), or -1 when the bytes there
 * do not start a number of the grammar asked for.
 */
export const numberEnd = new Int32Array(1);

/**
 * Reads the number that starts at b[a] (`n`: the end of the bytes; `dv` a view of them) as far as
 * its grammar goes: plain decimal ([+-]digits[.digits][(e|E)[+-]digits], Number's) or, with `json`,
 * JSON's (-?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?). Sets numberEnd[0] to where it ends (-1:
 * no number there) and returns its value correctly rounded, exactly what Number(text) gives for the
 * bytes up to there, or NaN when it cannot be sure of that (the caller converts the text). Up to
 * 15 significant digits and a decimal exponent within ±22: one exact multiplication or division
 * by a power of ten is correctly rounded (Clinger 1990). Otherwise (16–19 significant digits, as
 * Python and JavaScript print most floats, or a larger exponent): see scaled().
 */
export function readNumber(b: Uint8Array, dv: DataView, a: number, n: number, json: boolean): number {
  let i = a;
  let c = b[i];
  let neg = false;
  if (c === 45) { neg = true; i++; } // '-'
  else if (c === 43 && !json) i++; // '+'
  const d0 = i;
  // The significant digits (leading zeros are not): the first up to 15 in m (exact), the next up
  // to 4 in q3, then only zeros are allowed (counted in `extra`; any other digit: `bad`, declined).
  // Four digits at a time while they fit in m: a word of four ASCII digits is converted with a few
  // integer operations (dv: a view of b's bytes).
  let m = 0, nd = 0, q3 = 0, n3 = 0, extra = 0;
  let bad = false;
  let dot = -1;
  // After a word that is not four digits, fewer than four are left before the point or the end.
  let words = true;
  for (;;) {
    if (nd !== 0 && words) {
      while (nd <= 11 && i + 4 <= n) {
        let w = dv.getInt32(i, true);
        // Every byte 0x30–0x39: its high nibble 3, and adding 6 leaves it 3 (no carry crosses a byte).
        if (((w & 0xf0f0f0f0) | (((w + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) { words = false; break; }
        w &= 0x0f0f0f0f;
        w = (Math.imul(w, 10) + (w >>> 8)) & 0x00ff00ff; // two-digit pairs (the first digit is the low byte)
        w = (Math.imul(w, 100) + (w >>> 16)) & 0xffff;
        m = m * 10000 + w;
        nd += 4;
        i += 4;
      }
    }
    if (i >= n) break;
    c = b[i] - 48;
    if (c >= 0 && c <= 9) {
      if (nd < 15) { if (nd !== 0 || c !== 0) { m = m * 10 + c; nd++; } }
      else if (n3 < 4) { q3 = q3 * 10 + c; n3++; }
      else if (c === 0) extra++;
      else bad = true;
      i++;
    } else if (c === -2 && dot < 0) { dot = i; i++; words = true; } // '.'
    else break;
  }
  const intEnd = dot < 0 ? i : dot;
  const frac = dot < 0 ? 0 : i - dot - 1;
  if (intEnd - d0 + frac === 0 || (json && (intEnd === d0 || (b[d0] === 48 && intEnd - d0 > 1) || (dot >= 0 && frac === 0)))) {
    numberEnd[0] = -1;
    return NaN;
  }
  let x = 0;
  if (i < n && (b[i] | 32) === 101) { // 'e' or 'E'
    i++;
    let xneg = false;
    c = b[i];
    if (c === 45) { xneg = true; i++; } else if (c === 43) i++;
    const x0 = i;
    for (; i < n; i++) {
      c = b[i] - 48;
      if (c < 0 || c > 9) break;
      if (x < 100000) x = x * 10 + c;
      else bad = true; // (the exponent is then not known: declined)
    }
    if (i === x0) { numberEnd[0] = -1; return NaN; }
    if (xneg) x = -x;
  }
  numberEnd[0] = i;
  if (bad) return NaN;
  // The value: (m·10^n3 + q3)·10^x.
  x += extra - frac;
  if (n3 === 1) {
    const w = m * 10 + q3; // exact when below 2^53 (m·10 is exact: even, below 2^54)
    if (w < TWO53) { m = w; n3 = 0; }
  }
  let v: number;
  if (n3 === 0) {
    if (m === 0) v = 0;
    else if (x === 0) v = m;
    else if (x > 0 && x <= 22) v = m * POW10[x];
    else if (x < 0 && x >= -22) v = m / POW10[-x];
    else v = scaled(m, 0, x);
  } else {
    // m·10^n3 + q3 exactly as h + l (Dekker's product, then Knuth's sum; the low parts are
    // integers below 2^12, so their sum is exact too).
    const p = POW10[n3];
    const ph = m * p;
    // Dekker's error term with p below 2^14 as its own high half (low half 0): ah·p, al·p exact.
    const t = SPLIT * m;
    const ah = t - (t - m);
    const pl = (ah * p - ph) + (m - ah) * p;
    const sh = ph + q3;
    const bv = sh - ph;
    const l = pl + ((ph - (sh - bv)) + (q3 - bv));
    const h = sh + l;
    v = scaled(h, l - (h - sh), x);
  }
  return neg ? -v : v;
}

export const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)
export const TOL = 2 ** -89;

/** Veltkamp's halves of 10^k (POW10_HI[k] + POW10_LO[k] = 10^k, each of at most 26 bits). */
export const POW10_HI = POW10.map((p) => { const t = SPLIT * p; return t - (t - p); });
export const POW10_LO = POW10.map((p, k) => p - POW10_HI[k]);

/** a·10^k − p exactly, p = fl(a·10^k) (Dekker 1971, 10^k split beforehand; no FMA in JavaScript). */
function twoProductError(a: number, k: number, p: number): number {
  const t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  const bh = POW10_HI[k];
  const bl = POW10_LO[k];
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/**
 * (h + l)·10^x, h + l an exact positive double-double (|l| ≤ half an ulp of h), correctly rounded or
 * NaN. Multiplied or divided in double-double by exact powers of ten (at most 10^22 per step: each
 * step's relative error is below 2^-100), the approximation's distance to the nearest rounding
 * boundary is then checked: when the exact value could lie on the other side of a halfway point
 * (a tie, or within 2^-89 of the value), NaN: never an approximate answer. Values outside
 * [1e-250, 1e250] (where the low parts would lose bits to underflow) are left to the caller.
 */
function scaled(h: number, l: number, x: number): number {
  if (x > 300 || x < -300) return NaN;
  while (x > 0) {
    const k = x > 22 ? 22 : x;
    const p = POW10[k];
    const th = h * p;
    const tl = twoProductError(h, k, th) + l * p;
    h = th + tl;
    l = tl - (h - th);
    x -= k;
  }
  while (x < 0) {
    const k = x < -22 ? 22 : -x;
    const p = POW10[k];
    const q1 = h / p;
    const th = q1 * p;
    const tl = twoProductError(q1, k, th);
    const q2 = (((h - th) - tl) + l) / p;
    h = q1 + q2;
    l = q2 - (h - q1);
    x += k;
    if (h < 1e-250) return NaN;
  }
  if (!(h <= 1e250 && h >= 1e-250)) return NaN;
  // h = the double nearest h + l. The exact value lies within h·2^-89 of h + l; h is its rounding
  // when moving l that far either way still rounds to h (then no halfway point lies between).
  const t = h * TOL;
  return h + (l + t) === h && h + (l - t) === h ? h : NaN;
}

/**
 * The first byte from b[i] that is `d` or `nl` (`D`, `L`: those bytes repeated in a word; `dv` a view
 * of b), or n when none is before n. Four bytes at a time: a byte of v ^ D or v ^ L is zero exactly
 * when bit 7 of that byte of `m` is set (no borrow crosses bytes); the lowest such byte comes first.
 */
export function fieldEnd(b: Uint8Array, dv: DataView, i: number, n: number, d: number, nl: number, D: number, L: number): number {
  for (; i + 4 <= n; i += 4) {
    const v = dv.getInt32(i, true);
    const x = v ^ D;
    const y = v ^ L;
    const m = ~((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & (((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y)) & 0x80808080;
    if (m !== 0) return i + ((31 - Math.clz32(m & -m)) >> 3);
  }
  for (; i < n; i++) {
    const c = b[i];
    if (c === d || c === nl) return i;
  }
  return n;
}

/**
 * The line end of the row whose remaining fields start at b[i], when exactly `need` delimiters `d`
 * come before it (the row then has the header's number of fields); -2 when another number does (or
 * more than `need` come before n), -1 when no line end `nl` comes before n (an unfinished row). The
 * fields themselves are not looked at (columns not kept, after the last kept one): four bytes at a
 * time, both bytes found exactly in each word as in fieldEnd, the delimiters counted by their mask
 * (`D`, `L`: d and nl in every byte).
 */
export function rowEnd(b: Uint8Array, dv: DataView, i: number, n: number, d: number, nl: number, D: number, L: number, need: number): number {
  let seen = 0;
  for (; i + 4 <= n; i += 4) {
    const v = dv.getInt32(i, true);
    const x = v ^ D;
    const y = v ^ L;
    const md = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
    const ml = ~(((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y) & 0x80808080;
    if (ml !== 0) {
      const low = ml & -ml;
      // The delimiters before the line end (bits 7, 15, 23, 31 of the mask, summed in the top byte).
      seen += Math.imul((md & (low - 1)) >>> 7, 0x01010101) >>> 24;
      return seen === need ? i + ((31 - Math.clz32(low)) >> 3) : -2;
    }
    if (md !== 0) {
      seen += Math.imul(md >>> 7, 0x01010101) >>> 24;
      if (seen > need) return -2;
    }
  }
  for (; i < n; i++) {
    const c = b[i];
    if (c === nl) return seen === need ? i : -2;
    if (c === d && ++seen > need) return -2;
  }
  return -1;
}

/** What a flat JSON line holds, read without JSON.parse (see scanFlatJson). */
export interface FlatJsonScan {
  /** Keys in order of appearance (reused between lines). */
  keys: string[];
  /** Where each value is: a JSON number in [start, end), or start = -1 for null / true / false. */
  starts: number[];
  ends: number[];
  count: number;
}

/**
 * Reads b[a, e) (ASCII bytes), a line that is a JSON object whose values are all numbers, null, true or false and
 * whose keys are plain (no escapes), into `out`: true when it is exactly that (valid JSON), else
 * false (the caller JSON.parses the line, which then decides). Numbers are only delimited and
 * checked against JSON's grammar; the caller converts those it keeps (jsonNumber). `out.keys`
 * holds the previous line's keys, place by place, so that a key in the same place again is matched
 * without making a string. `dv` is a view of b's bytes (numbers' digits are skipped four at a time).
 */
export function scanFlatJson(b: Buffer, dv: DataView, a: number, e: number, out: FlatJsonScan): boolean {
  let i = skipWs(b, a, e);
  if (b[i] !== 123 || i >= e) return false; // '{'
  i = skipWs(b, i + 1, e);
  const keys = out.keys;
  let count = 0;
  if (b[i] === 125) return false; // '{}': the general code reads the empty object
  for (;;) {
    if (i >= e || b[i] !== 34) return false; // '"'
    const ka = i + 1;
    const prev = count < keys.length ? keys[count] : undefined;
    if (prev !== undefined && sameKey(b, ka, e, prev)) {
      i = ka + prev.length + 1;
    } else {
      let k = ka;
      for (; k < e; k++) {
        const c = b[k];
        if (c === 34) break;
        if (c === 92 || c < 32) return false; // escapes and control characters: JSON.parse decides
      }
      if (k >= e) return false;
      keys[count] = b.toString('latin1', ka, k);
      i = k + 1;
    }
    i = skipWs(b, i, e);
    if (i >= e || b[i] !== 58) return false; // ':'
    i = skipWs(b, i + 1, e);
    const c = b[i];
    if (c === 110) { if (!word(b, i, e, 0x6e756c6c)) return false; out.starts[count] = -1; i += 4; } // null
    else if (c === 116) { if (!word(b, i, e, 0x74727565)) return false; out.starts[count] = -1; i += 4; } // true
    else if (c === 102) { if (!(i + 4 < e && b[i + 4] === 101 && word(b, i, e, 0x66616c73))) return false; out.starts[count] = -1; i += 5; } // false
    else {
      const end = jsonNumberEnd(b, dv, i, e);
      if (end < 0) return false;
      out.starts[count] = i;
      out.ends[count] = end;
      i = end;
    }
    count++;
    i = skipWs(b, i, e);
    if (i >= e) return false;
    const d = b[i];
    if (d === 44) { i = skipWs(b, i + 1, e); continue; } // ','
    if (d !== 125) return false; // '}'
    if (skipWs(b, i + 1, e) !== e) return false;
    out.count = count;
    return true;
  }
}

/** b[ka…] is `key` followed by the closing quote. */
function sameKey(b: Uint8Array, ka: number, e: number, key: string): boolean {
  const n = key.length;
  if (ka + n >= e || b[ka + n] !== 34) return false;
  for (let q = 0; q < n; q++) if (b[ka + q] !== key.charCodeAt(q)) return false;
  return true;
}

/** The four bytes at i spell `w` (big-endian). */
function word(b: Uint8Array, i: number, e: number, w: number): boolean {
  return i + 4 <= e && ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) === (w | 0);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The value of a JSON number scanFlatJson delimited; NaN when it overflows to ±Infinity (the general code reports it). */
export function jsonNumber(b: Buffer, a: number, e: number): number {
  let v = plainNumber(b, a, e);
  if (v !== v) v = +b.toString('latin1', a, e);
  return v - v === 0 ? v : NaN;
}

/** JSON whitespace: space, tab, CR, LF. */
function skipWs(b: Uint8Array, i: number, e: number): number {
  for (; i < e; i++) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
  }
  return i;
}

/**
 * A JSONL line's shape: its bytes with the numbers cut out (braces, keys, colons, commas, white
 * space, null / true / false), and the column of each number. Loggers write every line alike, so
 * the next line is mostly read by comparing bytes with this one's (matchTemplate).
 */
export interface LineTemplate {
  /** The bytes around the numbers, one piece after another. */
  seg: Uint8Array;
  segView: DataView;
  /** Piece t is seg[at[t], at[t + 1]); number t comes after piece t (count numbers, count + 1 pieces). */
  at: Int32Array;
  /** The column of number t (-1: a key not kept; its number is still checked). */
  cols: Int32Array;
  count: number;
}

/**
 * The template of a line scanFlatJson read (`scan`), `colOf[t]` the column of its place t; undefined
 * when a key is given twice (JSON.parse keeps the last value: the general code reads such lines).
 */
export function lineTemplate(b: Uint8Array, a: number, e: number, scan: FlatJsonScan, colOf: number[]): LineTemplate | undefined {
  const { keys, starts, ends, count } = scan;
  if (new Set(keys.slice(0, count)).size !== count) return undefined;
  let n = 0;
  for (let t = 0; t < count; t++) if (starts[t] >= 0) n++;
  const at = new Int32Array(n + 2);
  const cols = new Int32Array(n);
  const seg = new Uint8Array(e - a);
  let len = 0;
  let from = a;
  let k = 0;
  for (let t = 0; t < count; t++) {
    if (starts[t] < 0) continue;
    seg.set(b.subarray(from, starts[t]), len);
    len += starts[t] - from;
    cols[k] = colOf[t];
    from = ends[t];
    at[++k] = len;
  }
  seg.set(b.subarray(from, e), len);
  at[n + 1] = len + e - from;
  return { seg, segView: new DataView(seg.buffer), at, cols, count: n };
}

/**
 * Reads b[a, e) (ASCII bytes; dv a view of them) when it is `tpl`'s line with other JSON numbers
 * (then valid JSON with the same keys): the kept numbers' values into `out` (by place), true. False
 * for any other line, or a number too large for a double (the general code reports it). A kept
 * number is read and delimited in one pass (readNumber); a number not kept is only delimited.
 */
export function matchTemplate(b: Buffer, dv: DataView, a: number, e: number, tpl: LineTemplate, out: number[]): boolean {
  const { seg, segView, at, cols, count } = tpl;
  let i = a;
  for (let t = 0; ; t++) {
    const p0 = at[t];
    const len = at[t + 1] - p0;
    if (i + len > e) return false;
    // Four bytes at a time (dv: a view of b's bytes), then the rest one by one.
    let q = 0;
    for (; q + 4 <= len; q += 4) if (dv.getInt32(i + q, true) !== segView.getInt32(p0 + q, true)) return false;
    for (; q < len; q++) if (b[i + q] !== seg[p0 + q]) return false;
    i += len;
    if (t === count) return i === e;
    if (cols[t] >= 0) {
      let v = readNumber(b, dv, i, e, true);
      const end = numberEnd[0];
      if (end < 0) return false;
      if (v !== v) {
        v = +b.toString('latin1', i, end);
        if (!(v - v === 0)) return false;
      }
      out[t] = v;
      i = end;
    } else {
      const end = jsonNumberEnd(b, dv, i, e);
      if (end < 0) return false;
      i = end;
    }
  }
}

/**
 * End of the JSON number starting at i (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), or -1 when there is none;
 * runs of digits skipped four at a time (dv: a view of b's bytes).
 */
function jsonNumberEnd(b: Uint8Array, dv: DataView, i: number, e: number): number {
  if (b[i] === 45) i++;
  if (i >= e) return -1;
  const c = b[i];
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) { i++; i = digitsEnd(b, dv, i, e); }
  else return -1;
  if (i < e && b[i] === 46) {
    i++;
    if (!(i < e && isDigit(b[i]))) return -1;
    i = digitsEnd(b, dv, i, e);
  }
  if (i < e && (b[i] | 32) === 101) {
    i++;
    if (i < e && (b[i] === 43 || b[i] === 45)) i++;
    if (!(i < e && isDigit(b[i]))) return -1;
    while (i < e && isDigit(b[i])) i++;
  }
  return i;
}

/** The end of the run of digits from i. */
function digitsEnd(b: Uint8Array, dv: DataView, i: number, e: number): number {
  for (; i + 4 <= e; i += 4) {
    const w = dv.getInt32(i, true);
    // Every byte 0x30–0x39: its high nibble 3, and adding 6 leaves it 3.
    if (((w & 0xf0f0f0f0) | (((w + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) break;
  }
  while (i < e && isDigit(b[i])) i++;
  return i;
}

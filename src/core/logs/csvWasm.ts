/**
 * The CSV row loop as WebAssembly (csvrows.wat): CsvReader.fastRows hands it the bytes of a piece,
 * it reads the rows the fast path reads without a second look and stops at any other, which the
 * TypeScript loop (fusedRows) then reads. Each number is read as fastpath.ts's readNumber reads it,
 * operation for operation, so the values are the same doubles (test/unit/csvWasm.test.ts compares
 * the two on fuzzed and real files). One instance per thread, made on first use; undefined where
 * WebAssembly (or its SIMD) is not there, and the TypeScript loop reads everything.
 */
import { CSV_ROWS_WASM } from './csvrowsWasm';
import { POW10, POW10_HI, POW10_LO, SPLIT, TOL, type LineTemplate } from './fastpath';

/** The most fields a row may have for the module (its table of kept columns). */
export const WASM_MAX_FIELDS = 4096;
/** Where the 128-bit truncated powers of five (Eisel-Lemire's table, 5^-342 … 5^308) go: 651 of 16 bytes. */
const POW5_AT = 20480;

/**
 * The table of fast_float (github.com/fastfloat/fast_float, script/table_generation.py) as pairs of
 * 64-bit words (high, low): 5^q with its top bit at bit 127, truncated, for q ≥ 0; for q < 0,
 * ⌊2^b / 5^−q⌋ + 1 with b making it at least 128 bits, then truncated to 128.
 */
export function powersOfFive(): BigUint64Array {
  const out = new BigUint64Array(2 * 651);
  const M = (1n << 64n) - 1n;
  const put = (q: number, c: bigint): void => {
    const bits = c.toString(2).length;
    if (bits > 128) c >>= BigInt(bits - 128);
    out[2 * (q + 342)] = c >> 64n;
    out[2 * (q + 342) + 1] = c & M;
  };
  let p = 1n;
  for (let q = -1; q >= -342; q--) {
    p *= 5n;
    const z = p.toString(2).length; // the least z with 2^z ≥ p (p is not a power of two)
    const b = q >= -27 ? z + 127 : 2 * z + 128;
    put(q, (1n << BigInt(b)) / p + 1n);
  }
  p = 1n;
  for (let q = 0; q <= 308; q++, p *= 5n) {
    const bits = p.toString(2).length;
    put(q, bits < 128 ? p << BigInt(128 - bits) : p);
  }
  return out;
}

/** Where the values of the rows read go, and how many bytes they may take. */
const VALUES_AT = 65536;
const VALUES_BYTES = 1 << 20;
/** Where the bytes read go. */
const BYTES_AT = 2 << 20;

export interface CsvWasm {
  /** Copies `b` to the module's memory (grown if needed). */
  load(b: Uint8Array): void;
  /** Sets the kept column of each field (-1 none). */
  setKept(kept: Int32Array): void;
  /**
   * Reads rows of the bytes loaded, from `pos` (see csvrows.wat `rows`); returns where it stopped.
   * `count`, `stop` and `values` then say what it read.
   */
  rows(pos: number, n: number, width: number, tail: number, need: number, run: boolean, d: number, maxRows: number, crlf: boolean): number;
  count(): number;
  stop(): number;
  /** The values of the rows read (row r, kept column j: j·maxRows + r). */
  values(): Float64Array;
  /** Rows of nK values that fit in one call. */
  maxRows(nK: number): number;
  /**
   * Loads a JSONL line template as A (slot 0) or B (1); false when it does not fit (then the module
   * does not read lines of its shape). `loaded` says which template each slot holds.
   */
  setTemplate(slot: 0 | 1, tpl: LineTemplate): boolean;
  loaded: [LineTemplate | undefined, LineTemplate | undefined];
  /**
   * Reads JSONL lines of template A's shape (or B's, `two`) from `pos` (see csvrows.wat `lines`);
   * `n`: the end of the last complete line. Returns where it stopped; `count`, `stop`, `values` as rows.
   */
  lines(pos: number, n: number, nK: number, maxRows: number, maxLine: number, two: boolean): number;
}

/** A template's room in the module's memory (csvrows.wat: 16 KB each, from 32768). */
const TEMPLATE_AT = [32768, 49152] as const;
const TEMPLATE_MAX_NUMBERS = 1020;
const TEMPLATE_MAX_BYTES = 16384 - 8200 - 16;

let made = false;
let instance: CsvWasm | undefined;

/** This thread's instance, or undefined when WebAssembly cannot run it here. */
export function csvWasm(): CsvWasm | undefined {
  if (made) return instance;
  made = true;
  try {
    instance = makeInstance();
  } catch {
    instance = undefined;
  }
  return instance;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WasmMemory { buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (mod: object, imports: object) => { exports: unknown };
}

function makeInstance(): CsvWasm {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('no WebAssembly');
  const inst = new api.Instance(new api.Module(Buffer.from(CSV_ROWS_WASM, 'base64')), {});
  const ex = inst.exports as {
    memory: WasmMemory;
    rows: (pos: number, n: number, width: number, tail: number, need: number, run: number, d: number, maxRows: number, crlf: number) => number;
    lines: (pos: number, n: number, nK: number, maxRows: number, maxLine: number, two: number) => number;
    count: () => number;
    stop: () => number;
  };
  const mem = ex.memory;
  let u8 = new Uint8Array(mem.buffer);
  let f64 = new Float64Array(mem.buffer, VALUES_AT, VALUES_BYTES / 8);
  const views = () => {
    u8 = new Uint8Array(mem.buffer);
    f64 = new Float64Array(mem.buffer, VALUES_AT, VALUES_BYTES / 8);
  };
  const consts = new Float64Array(mem.buffer, 0, 73);
  consts.set(POW10, 0);
  consts.set(POW10_HI, 23);
  consts.set(POW10_LO, 46);
  consts[69] = SPLIT;
  consts[70] = TOL;
  consts[71] = 1e-250;
  consts[72] = 1e250;
  new BigUint64Array(mem.buffer, POW5_AT, 2 * 651).set(powersOfFive());
  return {
    load(b) {
      // (16 bytes past the end readable: the module reads 16 at a time, never using those past n.)
      const need = BYTES_AT + b.length + 16;
      if (need > mem.buffer.byteLength) {
        mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
        views();
      }
      u8.set(b, BYTES_AT);
    },
    setKept(kept) {
      new Int32Array(mem.buffer, 1024, kept.length).set(kept);
    },
    rows(pos, n, width, tail, need, run, d, maxRows, crlf) {
      return ex.rows(pos + BYTES_AT, n + BYTES_AT, width, tail, need, run ? 1 : 0, d, maxRows, crlf ? 1 : 0) - BYTES_AT;
    },
    count: () => ex.count(),
    stop: () => ex.stop(),
    values: () => f64,
    maxRows: (nK) => Math.floor(VALUES_BYTES / 8 / Math.max(1, nK)),
    loaded: [undefined, undefined],
    setTemplate(slot, tpl) {
      const at = TEMPLATE_AT[slot];
      const len = tpl.at[tpl.count + 1];
      this.loaded[slot] = undefined;
      if (tpl.count > TEMPLATE_MAX_NUMBERS || len > TEMPLATE_MAX_BYTES) return false;
      const i32 = new Int32Array(mem.buffer, at, 4096);
      i32[0] = tpl.count;
      i32.set(tpl.at.subarray(0, tpl.count + 2), 4);
      i32.set(tpl.cols.subarray(0, tpl.count), 1028);
      u8.set(tpl.seg.subarray(0, len), at + 8200);
      this.loaded[slot] = tpl;
      return true;
    },
    lines(pos, n, nK, maxRows, maxLine, two) {
      return ex.lines(pos + BYTES_AT, n + BYTES_AT, nK, maxRows, Math.min(maxLine, 0x7fffffff), two ? 1 : 0) - BYTES_AT;
    },
  };
}

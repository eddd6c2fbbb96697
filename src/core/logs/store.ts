/**
 * Growable numeric columns in fixed-size blocks: no doubling slack and no big copy while growing,
 * so memory stays close to 8 bytes per kept value; `toArray` builds the final contiguous array.
 */
const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;

export class F64Blocks {
  private blocks: Float64Array[] = [];
  length = 0;

  push(v: number): void {
    const i = this.length;
    const b = i >>> SHIFT;
    if (b === this.blocks.length) this.blocks.push(new Float64Array(BLOCK));
    this.blocks[b][i & MASK] = v;
    this.length = i + 1;
  }
  get(i: number): number {
    return this.blocks[i >>> SHIFT][i & MASK];
  }
  set(i: number, v: number): void {
    this.blocks[i >>> SHIFT][i & MASK] = v;
  }
  /** Appends `n` copies of `v` (NaN backfill for a column first seen late). */
  fill(v: number, n: number): void {
    for (let k = 0; k < n; k++) this.push(v);
  }
  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = n;
    this.blocks.length = Math.ceil(n / BLOCK);
  }
  /** Contiguous copy; releases the blocks as it goes so peak memory stays ~1 column above the data. */
  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    let off = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const n = Math.min(BLOCK, this.length - off);
      out.set(n === BLOCK ? this.blocks[b] : this.blocks[b].subarray(0, n), off);
      off += n;
    }
    this.blocks = [];
    return out;
  }
}

export class U32Blocks {
  private blocks: Uint32Array[] = [];
  length = 0;

  push(v: number): void {
    const i = this.length;
    const b = i >>> SHIFT;
    if (b === this.blocks.length) this.blocks.push(new Uint32Array(BLOCK));
    this.blocks[b][i & MASK] = v;
    this.length = i + 1;
  }
  set(i: number, v: number): void {
    this.blocks[i >>> SHIFT][i & MASK] = v;
  }
  truncate(n: number): void {
    if (n >= this.length) return;
    this.length = n;
    this.blocks.length = Math.ceil(n / BLOCK);
  }
  toArray(): Uint32Array {
    const out = new Uint32Array(this.length);
    let off = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      const n = Math.min(BLOCK, this.length - off);
      out.set(n === BLOCK ? this.blocks[b] : this.blocks[b].subarray(0, n), off);
      off += n;
    }
    this.blocks = [];
    return out;
  }
}

/**
 * One contiguous array that grows by half when full; `reserve` pre-sizes it from an estimate of
 * the row count (file size / bytes per sampled row) so a big file is normally never copied, and
 * the result is a view of the same buffer when the estimate was close.
 */
export class GrowF64 {
  buf = new Float64Array(256);
  length = 0;
  reserve(n: number): void {
    if (n > this.buf.length) { const b = new Float64Array(n); b.set(this.buf.subarray(0, this.length)); this.buf = b; }
  }
  push(v: number): void {
    if (this.length === this.buf.length) this.reserve(Math.ceil(this.buf.length * 1.5));
    this.buf[this.length++] = v;
  }
  get(i: number): number { return this.buf[i]; }
  set(i: number, v: number): void { this.buf[i] = v; }
  fill(v: number, n: number): void { for (let k = 0; k < n; k++) this.push(v); }
  truncate(n: number): void { if (n < this.length) this.length = n; }
  toArray(): Float64Array {
    const out = this.length >= this.buf.length * 0.75 ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Float64Array(0);
    return out;
  }
}

export class GrowU32 {
  buf = new Uint32Array(256);
  length = 0;
  reserve(n: number): void {
    if (n > this.buf.length) { const b = new Uint32Array(n); b.set(this.buf.subarray(0, this.length)); this.buf = b; }
  }
  push(v: number): void {
    if (this.length === this.buf.length) this.reserve(Math.ceil(this.buf.length * 1.5));
    this.buf[this.length++] = v;
  }
  set(i: number, v: number): void { this.buf[i] = v; }
  truncate(n: number): void { if (n < this.length) this.length = n; }
  toArray(): Uint32Array {
    const out = this.length >= this.buf.length * 0.75 ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Uint32Array(0);
    return out;
  }
}

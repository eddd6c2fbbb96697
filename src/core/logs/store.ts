/**
 * One contiguous array that grows by half when full; `reserve` pre-sizes it from an estimate of
 * the row count (file size / bytes per line once a tenth is read) so a big file is copied at most
 * a few times while small, and the result is a view of the same buffer when the estimate was close.
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
  /** Appends every value of `a`. */
  pushArray(a: Float64Array): void {
    if (this.length + a.length > this.buf.length) this.reserve(Math.max(this.length + a.length, Math.ceil(this.buf.length * 1.5)));
    this.buf.set(a, this.length);
    this.length += a.length;
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
  /** Appends every value of `a` plus `add`. */
  pushShifted(a: Uint32Array, add: number): void {
    if (this.length + a.length > this.buf.length) this.reserve(Math.max(this.length + a.length, Math.ceil(this.buf.length * 1.5)));
    const b = this.buf;
    let o = this.length;
    for (let i = 0; i < a.length; i++) b[o++] = a[i] + add;
    this.length = o;
  }
  truncate(n: number): void { if (n < this.length) this.length = n; }
  toArray(): Uint32Array {
    const out = this.length >= this.buf.length * 0.75 ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Uint32Array(0);
    return out;
  }
}

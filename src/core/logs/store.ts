/**
 * One contiguous array that grows by half when full; `reserve` pre-sizes it from an estimate of
 * the row count (file size / bytes per line once a tenth is read) so a big file is copied at most
 * a few times while small, and the result is a view of the same buffer when the estimate was close.
 */
export class GrowF64 {
  buf = new Float64Array(256);
  length = 0;
  /** `buf` is another store's (fork): copied before the first write. */
  private shared = false;
  reserve(n: number): void {
    if (n > this.buf.length || this.shared) { const b = new Float64Array(Math.max(n, this.length + 16)); b.set(this.buf.subarray(0, this.length)); this.buf = b; this.shared = false; }
  }
  push(v: number): void {
    if (this.length === this.buf.length || this.shared) this.reserve(Math.ceil(this.buf.length * 1.5));
    this.buf[this.length++] = v;
  }
  /** Appends every value of `a`. */
  pushArray(a: Float64Array): void {
    if (this.length + a.length > this.buf.length || this.shared) this.reserve(Math.max(this.length + a.length, Math.ceil(this.buf.length * 1.5)));
    this.buf.set(a, this.length);
    this.length += a.length;
  }
  get(i: number): number { return this.buf[i]; }
  set(i: number, v: number): void {
    if (this.shared) this.reserve(0);
    this.buf[i] = v;
  }
  fill(v: number, n: number): void { for (let k = 0; k < n; k++) this.push(v); }
  truncate(n: number): void { if (n < this.length) this.length = n; }
  toArray(): Float64Array {
    // A fork's unchanged rows are handed out as a view: the store they came from copies before
    // changing a row it has handed out (Collector.snapshot), and only appends after them.
    const out = this.length >= this.buf.length * 0.75 || this.shared ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Float64Array(0);
    this.shared = false;
    return out;
  }
  /** A store holding the same values, sharing the buffer until either would write to it (the fork copies first). */
  fork(): GrowF64 {
    const f = new GrowF64();
    f.buf = this.buf;
    f.length = this.length;
    f.shared = true;
    return f;
  }
}

export class GrowU32 {
  buf = new Uint32Array(256);
  length = 0;
  /** As GrowF64's. */
  private shared = false;
  reserve(n: number): void {
    if (n > this.buf.length || this.shared) { const b = new Uint32Array(Math.max(n, this.length + 16)); b.set(this.buf.subarray(0, this.length)); this.buf = b; this.shared = false; }
  }
  push(v: number): void {
    if (this.length === this.buf.length || this.shared) this.reserve(Math.ceil(this.buf.length * 1.5));
    this.buf[this.length++] = v;
  }
  set(i: number, v: number): void {
    if (this.shared) this.reserve(0);
    this.buf[i] = v;
  }
  /** Appends every value of `a` plus `add`. */
  pushShifted(a: Uint32Array, add: number): void {
    if (this.length + a.length > this.buf.length || this.shared) this.reserve(Math.max(this.length + a.length, Math.ceil(this.buf.length * 1.5)));
    const b = this.buf;
    let o = this.length;
    for (let i = 0; i < a.length; i++) b[o++] = a[i] + add;
    this.length = o;
  }
  truncate(n: number): void { if (n < this.length) this.length = n; }
  toArray(): Uint32Array {
    const out = this.length >= this.buf.length * 0.75 || this.shared ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Uint32Array(0);
    this.shared = false;
    return out;
  }
  fork(): GrowU32 {
    const f = new GrowU32();
    f.buf = this.buf;
    f.length = this.length;
    f.shared = true;
    return f;
  }
}

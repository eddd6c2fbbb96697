/**
 * One contiguous array that grows by half when full; `reserve` pre-sizes it from an estimate of
 * the row count (file size / bytes per line once a tenth is read) so a big file is copied at most
 * a few times while small, and the result is a view of the same buffer when the estimate was close.
 */
export class GrowF64 {
  buf: Float64Array<ArrayBufferLike> = new Float64Array(256);
  length = 0;
  /** `buf` is another store's (fork): copied before the first write. */
  private shared = false;
  /**
   * Memory shared with the threads that read later parts of the same file (shareWith): each writes its
   * rows into a region of its own, and the parts are then joined in place (pushArray), without copying
   * the rows into fresh pages (whose first touch is the cost, see parse.ts's presizeStage).
   */
  private sab: SharedArrayBuffer | undefined;
  /** `buf` is (a region of) the shared memory. */
  onShared(): boolean { return this.sab !== undefined && this.buf.buffer === this.sab; }
  /** Moves the values into `sab` (from its start), writing at most `limit` rows there; later rows go to memory of its own. */
  shareWith(sab: SharedArrayBuffer, limit: number): void {
    const b = new Float64Array(sab, 0, Math.max(limit, this.length));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
    this.sab = sab;
    this.shared = false;
  }
  /** An empty store writing into rows [at, at + len) of `sab` (a part read on another thread). */
  useRegion(sab: SharedArrayBuffer, at: number, len: number): void {
    this.buf = new Float64Array(sab, at * 8, len);
    this.length = 0;
    this.sab = sab;
    this.shared = false;
  }
  /** Every row of the shared memory may be written (the other threads are done). */
  unshare(): void { if (this.onShared()) this.buf = new Float64Array(this.sab as SharedArrayBuffer); }
  /** Moves the values to memory of their own, with room for `n` rows. */
  detach(n: number): void {
    if (!this.onShared()) return;
    const b = new Float64Array(Math.max(n, this.length + 16));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  reserve(n: number): void {
    if (n > this.buf.length || this.shared) { const b = new Float64Array(Math.max(n, this.length + 16)); b.set(this.buf.subarray(0, this.length)); this.buf = b; this.shared = false; }
  }
  push(v: number): void {
    if (this.length === this.buf.length || this.shared) this.reserve(Math.ceil(this.buf.length * 1.5) + 16);
    this.buf[this.length++] = v;
  }
  /** Appends every value of `a`. */
  pushArray(a: Float64Array): void {
    // Rows another thread wrote into this store's shared memory (same column, so same size), further
    // up: moved down in place (only the gap between the two regions is fresh pages).
    if (this.sab && this.onShared() && a.buffer instanceof SharedArrayBuffer && a.buffer.byteLength === this.sab.byteLength && a.byteOffset >= this.length * 8) {
      this.unshare();
      const at = a.byteOffset / 8;
      if (at !== this.length) this.buf.copyWithin(this.length, at, at + a.length);
      this.length += a.length;
      return;
    }
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
    // changing a row it has handed out (Collector.snapshot), and only appends after them. Shared
    // memory too (a copy would touch fresh pages; rows never written cost nothing).
    const out = this.length >= this.buf.length * 0.75 || this.shared || this.onShared() ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Float64Array(0);
    this.shared = false;
    this.sab = undefined;
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
  buf: Uint32Array<ArrayBufferLike> = new Uint32Array(256);
  length = 0;
  /** As GrowF64's. */
  private shared = false;
  private sab: SharedArrayBuffer | undefined;
  onShared(): boolean { return this.sab !== undefined && this.buf.buffer === this.sab; }
  shareWith(sab: SharedArrayBuffer, limit: number): void {
    const b = new Uint32Array(sab, 0, Math.max(limit, this.length));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
    this.sab = sab;
    this.shared = false;
  }
  useRegion(sab: SharedArrayBuffer, at: number, len: number): void {
    this.buf = new Uint32Array(sab, at * 4, len);
    this.length = 0;
    this.sab = sab;
    this.shared = false;
  }
  unshare(): void { if (this.onShared()) this.buf = new Uint32Array(this.sab as SharedArrayBuffer); }
  detach(n: number): void {
    if (!this.onShared()) return;
    const b = new Uint32Array(Math.max(n, this.length + 16));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  reserve(n: number): void {
    if (n > this.buf.length || this.shared) { const b = new Uint32Array(Math.max(n, this.length + 16)); b.set(this.buf.subarray(0, this.length)); this.buf = b; this.shared = false; }
  }
  push(v: number): void {
    if (this.length === this.buf.length || this.shared) this.reserve(Math.ceil(this.buf.length * 1.5) + 16);
    this.buf[this.length++] = v;
  }
  set(i: number, v: number): void {
    if (this.shared) this.reserve(0);
    this.buf[i] = v;
  }
  /** Appends first, first + 1, …, first + count − 1. */
  pushRange(first: number, count: number): void {
    if (this.length + count > this.buf.length || this.shared) this.reserve(Math.max(this.length + count, Math.ceil(this.buf.length * 1.5)));
    const b = this.buf;
    for (let k = 0, o = this.length; k < count; k++) b[o + k] = first + k;
    this.length += count;
  }
  /** Appends every value of `a` plus `add`. */
  pushShifted(a: Uint32Array, add: number): void {
    if (this.sab && this.onShared() && a.buffer instanceof SharedArrayBuffer && a.buffer.byteLength === this.sab.byteLength && a.byteOffset >= this.length * 4) {
      // As GrowF64.pushArray: moved down in place (the write index never passes the read index).
      this.unshare();
      const b = this.buf;
      const at = a.byteOffset / 4;
      let o = this.length;
      for (let i = 0; i < a.length; i++) b[o++] = b[at + i] + add;
      this.length = o;
      return;
    }
    if (this.length + a.length > this.buf.length || this.shared) this.reserve(Math.max(this.length + a.length, Math.ceil(this.buf.length * 1.5)));
    const b = this.buf;
    let o = this.length;
    for (let i = 0; i < a.length; i++) b[o++] = a[i] + add;
    this.length = o;
  }
  truncate(n: number): void { if (n < this.length) this.length = n; }
  toArray(): Uint32Array {
    const out = this.length >= this.buf.length * 0.75 || this.shared || this.onShared() ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Uint32Array(0);
    this.shared = false;
    this.sab = undefined;
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

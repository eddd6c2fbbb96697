/**
 * A minimal protocol-buffers wire-format reader: varints, fixed 32/64-bit, length-delimited
 * fields. Hand-written rather than a library (protobufjs & co.) because the readers need a handful
 * of fields of three messages (TensorBoard's Event/Summary/TensorProto, W&B's Record/HistoryItem),
 * read in place from the streaming buffer without building message objects or loading .proto
 * schemas: no dependency, no per-event allocation, and unknown fields skipped by wire type.
 */

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class ProtoError extends Error {
  constructor(message: string) { super(message); this.name = 'ProtoError'; }
}

/** Reads fields of one message in buf[pos, end). `tag()` gives 0 at the end. */
export class ProtoReader {
  pos: number;
  private dv: DataView;
  constructor(readonly buf: Uint8Array, start: number, public end: number, dv?: DataView) {
    this.pos = start;
    this.dv = dv ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A reader over a length-delimited sub-message [pos, pos+len) of the same buffer. */
  sub(start: number, end: number): ProtoReader {
    return new ProtoReader(this.buf, start, end, this.dv);
  }

  /** A varint as a number: exact up to 2^53; int64 negatives (10 bytes) come out as negative numbers. */
  varint(): number {
    const b = this.buf;
    let p = this.pos;
    let x = 0;
    let mul = 1;
    for (let k = 0; k < 10; k++) {
      if (p >= this.end) throw new ProtoError('varint runs past the end of the message');
      const c = b[p++];
      x += (c & 0x7f) * mul;
      if (c < 0x80) {
        this.pos = p;
        // Ten-byte varints are negative int64s (two's complement).
        return k === 9 || x >= 2 ** 63 ? x - 2 ** 64 : x;
      }
      mul *= 128;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** The next field's key (field number << 3 | wire type), or 0 at the end of the message. */
  tag(): number {
    if (this.pos >= this.end) return 0;
    const b = this.buf[this.pos];
    if (b < 0x80) { this.pos++; return b; }
    return this.varint();
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtoError('double runs past the end of the message');
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    if (this.pos + 4 > this.end) throw new ProtoError('float runs past the end of the message');
    const v = this.dv.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A length-delimited field: returns its start; `pos` moves past it. */
  bytes(): [number, number] {
    const len = this.varint();
    const s = this.pos;
    if (len < 0 || s + len > this.end) throw new ProtoError('length-delimited field runs past the end of the message');
    this.pos = s + len;
    return [s, s + len];
  }

  string(): string {
    const [s, e] = this.bytes();
    return utf8(this.buf, s, e);
  }

  getFloat32(at: number): number { return this.dv.getFloat32(at, true); }
  getFloat64(at: number): number { return this.dv.getFloat64(at, true); }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT: this.varint(); return;
      case WIRE_I64: this.pos += 8; break;
      case WIRE_LEN: this.bytes(); return;
      case WIRE_I32: this.pos += 4; break;
      default: throw new ProtoError(`unsupported wire type ${wire}`);
    }
    if (this.pos > this.end) throw new ProtoError('field runs past the end of the message');
  }
}

const decoder = new TextDecoder('utf-8');
export function utf8(buf: Uint8Array, start: number, end: number): string {
  return decoder.decode(buf.subarray(start, end));
}

/**
 * Writers for the binary run formats, used by the unit tests and the bench to make inputs at test
 * time: protobuf wire format, TFRecord framing with masked CRC-32C, TensorBoard Events (simple_value
 * and TF2 tensor scalars), and W&B's LevelDB-style log of Records. Independent of the readers
 * except for the CRC functions (whose known-answer values are tested on their own).
 */
import { crc32, crc32c, maskCrc } from '../../src/core/logs/crc';

const WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5;



/** A minimal protobuf writer. */
export class ProtoWriter {
  private parts: number[] = [];
  private chunks: Uint8Array[] = [];
  private flush(): void {
    if (this.parts.length) { this.chunks.push(Uint8Array.from(this.parts)); this.parts = []; }
  }
  varint(v: number): this {
    if (v < 0) v += 2 ** 64;
    while (v >= 128) { this.parts.push((v % 128) | 0x80); v = Math.floor(v / 128); }
    this.parts.push(v);
    return this;
  }
  key(field: number, wire: number): this { return this.varint(field * 8 + wire); }
  uint(field: number, v: number): this { return this.key(field, WIRE_VARINT).varint(v); }
  double(field: number, v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.key(field, WIRE_I64);
    this.parts.push(...b);
    return this;
  }
  float(field: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.key(field, WIRE_I32);
    this.parts.push(...b);
    return this;
  }
  bytes(field: number, data: Uint8Array): this {
    this.key(field, WIRE_LEN).varint(data.length);
    this.flush();
    this.chunks.push(data);
    return this;
  }
  string(field: number, s: string): this { return this.bytes(field, new TextEncoder().encode(s)); }
  message(field: number, m: ProtoWriter): this { return this.bytes(field, m.finish()); }
  finish(): Uint8Array {
    this.flush();
    const n = this.chunks.reduce((a, c) => a + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
}

/** One TFRecord: length, masked CRC-32C of the length, data, masked CRC-32C of the data. */
export function tfRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(16 + data.length);
  out.writeUInt32LE(data.length, 0);
  out.writeUInt32LE(0, 4);
  out.writeUInt32LE(maskCrc(crc32c(out, 0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskCrc(crc32c(data)), 12 + data.length);
  return out;
}

export function fileVersionEvent(wallTime = 1.7e9): Uint8Array {
  return new ProtoWriter().double(1, wallTime).string(3, 'brain.Event:2').finish();
}

export interface ScalarOpts { wallTime?: number; form?: 'simple' | 'tensor-float' | 'tensor-double' | 'tensor-content'; plugin?: boolean }

/** An Event with one scalar summary value, in PyTorch's form (simple_value) or TF2's (tensor). */
export function scalarEvent(tag: string, step: number, value: number, o: ScalarOpts = {}): Uint8Array {
  const v = new ProtoWriter().string(1, tag);
  const form = o.form ?? 'simple';
  if (form === 'simple') v.float(2, value);
  else {
    const t = new ProtoWriter().uint(1, form === 'tensor-float' ? 1 : 2).message(2, new ProtoWriter());
    if (form === 'tensor-float') t.bytes(5, f32(value));
    else if (form === 'tensor-double') t.bytes(6, f64(value));
    else t.bytes(4, f64(value));
    if (o.plugin !== false) {
      v.message(9, new ProtoWriter().message(1, new ProtoWriter().string(1, 'scalars')).uint(4, 1));
    }
    v.message(8, t);
  }
  const summary = new ProtoWriter().message(1, v);
  return new ProtoWriter().double(1, o.wallTime ?? 1.7e9 + step).uint(2, step).message(5, summary).finish();
}

/** An Event holding an image summary (to be skipped). */
export function imageEvent(tag: string, step: number): Uint8Array {
  const img = new ProtoWriter().uint(1, 2).uint(2, 2).uint(3, 3).bytes(4, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]));
  const v = new ProtoWriter().string(1, tag).message(4, img);
  return new ProtoWriter().double(1, 1.7e9).uint(2, step).message(5, new ProtoWriter().message(1, v)).finish();
}

/** A histogram-plugin tensor (k×3 doubles) with its metadata: not a scalar. */
export function histogramTensorEvent(tag: string, step: number): Uint8Array {
  const shape = new ProtoWriter().message(2, new ProtoWriter().uint(1, 2)).message(2, new ProtoWriter().uint(1, 3));
  const t = new ProtoWriter().uint(1, 2).message(2, shape).bytes(4, new Uint8Array(48));
  const v = new ProtoWriter().string(1, tag).message(9, new ProtoWriter().message(1, new ProtoWriter().string(1, 'histograms'))).message(8, t);
  return new ProtoWriter().double(1, 1.7e9).uint(2, step).message(5, new ProtoWriter().message(1, v)).finish();
}

function f32(v: number): Uint8Array { const b = new Uint8Array(4); new DataView(b.buffer).setFloat32(0, v, true); return b; }
function f64(v: number): Uint8Array { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, v, true); return b; }

/** Math.fround: what a float32 simple_value reads back as. */
export const f = Math.fround;

// ----------------------------------------------------------------------------------- W&B

const W_BLOCK = 32768, W_HEADER = 7;

/** W&B's `.wandb` transaction log: ':W&B' header, then Records in LevelDB log framing (CRC-32 of type+data). */
export class WandbLogWriter {
  private parts: Buffer[] = [];
  private index = 0;
  constructor() {
    const h = Buffer.alloc(7);
    h.write(':W&B', 0, 'latin1');
    h.writeUInt16LE(0xbee1, 4);
    h.writeUInt8(0, 6);
    this.push(h);
  }
  private push(b: Buffer): void { this.parts.push(b); this.index += b.length; }
  private record(data: Uint8Array, type: number): void {
    const h = Buffer.alloc(W_HEADER);
    const typeByte = Buffer.from([type]);
    h.writeUInt32LE(crc32(data, 0, data.length, crc32(typeByte)), 0);
    h.writeUInt16LE(data.length, 4);
    h.writeUInt8(type, 6);
    this.push(h);
    this.push(Buffer.from(data));
  }
  write(data: Uint8Array): this {
    let left = W_BLOCK - (this.index % W_BLOCK);
    if (left < W_HEADER) { this.push(Buffer.alloc(left)); left = W_BLOCK; }
    if (data.length + W_HEADER <= left) { this.record(data, 1); return this; }
    let used = left - W_HEADER;
    this.record(data.subarray(0, used), 2);
    while (data.length - used > W_BLOCK - W_HEADER) {
      this.record(data.subarray(used, used + W_BLOCK - W_HEADER), 3);
      used += W_BLOCK - W_HEADER;
    }
    this.record(data.subarray(used), 4);
    return this;
  }
  finish(): Buffer { return Buffer.concat(this.parts); }
}

/** A W&B Record holding a history row: items key → JSON value, and the step. */
export function wandbHistory(num: number, step: number, items: Record<string, unknown>): Uint8Array {
  const h = new ProtoWriter();
  for (const [k, v] of Object.entries(items)) h.message(1, new ProtoWriter().string(1, k).string(16, JSON.stringify(v)));
  h.message(2, new ProtoWriter().uint(1, step));
  return new ProtoWriter().uint(1, num).message(2, h).finish();
}

/** A W&B Record holding the run (display name, config items). */
export function wandbRun(num: number, displayName: string, config: Record<string, unknown>): Uint8Array {
  const cfg = new ProtoWriter();
  for (const [k, v] of Object.entries(config)) cfg.message(1, new ProtoWriter().string(1, k).string(16, JSON.stringify(v)));
  const run = new ProtoWriter().string(1, 'abc123').string(3, 'proj').message(4, cfg).string(8, displayName);
  return new ProtoWriter().uint(1, num).message(17, run).finish();
}

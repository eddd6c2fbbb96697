/**
 * TensorBoard event files (`events.out.tfevents.*`), read as a stream.
 *
 * Framing (TFRecord): uint64 length, masked CRC-32C of those 8 bytes, payload, masked CRC-32C of
 * the payload. A payload whose CRC fails is reported with its byte offset and skipped; a length
 * whose CRC fails means the framing is lost, so the reader scans on for the next header whose CRC
 * holds and reports the bytes it skipped. A last record cut short is what a file still being
 * written looks like: reported as information, not as an error.
 *
 * Payload: the `Event` protobuf (tensorflow/core/util/event.proto): wall_time (1, double), step (2,
 * int64), summary (5). Summary values (summary.proto): tag (1), simple_value (2, float: PyTorch's
 * SummaryWriter, TF1) or tensor (8, TensorProto: TF2's tf.summary.scalar, float/double in float_val
 * (5) / double_val (6) or tensor_content (4)), with metadata (9) naming the plugin — only on a
 * tag's first event, so the plugin is remembered per tag. Images, histograms, text, graphs and run
 * metadata are skipped. Decoded with the small reader in protobuf.ts (see there why).
 */
import * as fs from 'node:fs';
import { maskCrc, crc32c } from './crc';
import type { ProblemLog } from './collector';
import { ProtoError, ProtoReader, utf8, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './protobuf';
import { LogReadError } from './errors';
import type { Series, SeriesSet } from './series';
import { Cancelled } from '../cancel';

/** A record larger than this (a huge graph_def) is skipped without being held in memory. */
const MAX_RECORD = 64 << 20;
const CHUNK = 1 << 20;
const MAX_REPORTS = 20;
/** Bytes scanned for the next valid header after the framing is lost, before giving up on the file. */
const MAX_RESYNC = 16 << 20;

/** `events.out.tfevents.<time>.<host>…` (also the `.v2` and `.profile-empty` variants). */
export function isTfeventsName(name: string): boolean {
  return /(^|[\\/])events\.out\.tfevents\.[^\\/]*$/.test(name) && !/\.profile-empty$/.test(name);
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/** True when `head` starts with a TFRecord header whose length CRC holds. */
export function looksLikeTfRecord(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  return maskCrc(crc32c(head, 0, 8)) === u32(head, 8) && u32(head, 4) === 0;
}

/** The unix time in an event file's name, for ordering the files of a run (NaN when absent). */
export function tfeventsTime(name: string): number {
  const m = /events\.out\.tfevents\.(\d+(?:\.\d+)?)/.exec(name);
  return m ? Number(m[1]) : NaN;
}

export interface TfeventsFileStats {
  bytes: number;
  records: number;
  scalars: number;
  badRecords: number;
}

export interface TfeventsReadOptions {
  signal?: AbortSignal;
  /** Bytes read so far in this file. */
  onBytes?: (bytes: number) => void;
}

// DataType enum (types.proto).
const DT_FLOAT = 1, DT_DOUBLE = 2, DT_INT32 = 3, DT_INT64 = 9;

/** Decodes event files into a SeriesSet. Per file: `prefix` is put before each tag (a sub-run). */
export class TfeventsDecoder {
  /** Plugin per series name, learned from the first event's metadata. */
  private plugin = new Map<string, string>();
  private source = '';
  private prefix = '';
  private reports = 0;
  private hidden = 0;
  stats: TfeventsFileStats = { bytes: 0, records: 0, scalars: 0, badRecords: 0 };

  constructor(private set: SeriesSet, private problems: ProblemLog) {}

  private report(severity: 'warning' | 'info' | 'error', message: string): void {
    if (severity !== 'info' && this.reports >= MAX_REPORTS) { this.hidden++; return; }
    if (severity !== 'info') this.reports++;
    this.problems.add(`tf-${severity}`, 0, severity, `${this.source}: ${message}`);
  }

  /** Problems past the cap, summarised once at the end. */
  finish(): void {
    if (this.hidden) this.problems.add('tf-more', 0, 'warning', `${this.hidden} more damaged records (not listed)`);
  }

  async readFile(path: string, source: string, prefix: string, opts: TfeventsReadOptions = {}): Promise<TfeventsFileStats> {
    this.source = source;
    this.prefix = prefix;
    this.byHash = new Map();
    const stats: TfeventsFileStats = { bytes: 0, records: 0, scalars: 0, badRecords: 0 };
    this.stats = stats;
    const fh = await fs.promises.open(path, 'r');
    try {
      let buf = Buffer.allocUnsafe(4 * CHUNK);
      let dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      let have = 0; // valid bytes in buf
      let pos = 0; // parse position in buf
      let base = 0; // file offset of buf[0]
      let need = 0; // bytes the record at pos needs
      let skip = 0; // bytes still to discard (a record too large to hold)
      let resyncFrom = -1; // file offset where framing was lost, or -1
      let recNo = 0;
      let eof = false;
      let gaveUp = false;
      while (!eof && !gaveUp) {
        if (opts.signal?.aborted) throw new Cancelled('parsing was cancelled');
        if (pos > 0 && buf.length - have < CHUNK) {
          buf.copy(buf, 0, pos, have);
          base += pos; have -= pos; pos = 0;
        }
        if (need > buf.length) {
          const nb = Buffer.allocUnsafe(Math.max(need + CHUNK, buf.length * 2));
          buf.copy(nb, 0, 0, have);
          buf = nb;
          dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        }
        const { bytesRead } = await fh.read(buf, have, Math.min(buf.length - have, Math.max(CHUNK, need - have)), null);
        if (bytesRead === 0) eof = true;
        have += bytesRead;
        stats.bytes += bytesRead;
        opts.onBytes?.(stats.bytes);
        for (;;) {
          if (skip > 0) {
            const k = Math.min(skip, have - pos);
            pos += k; skip -= k;
            if (skip > 0) break;
          }
          if (have - pos < 12) break;
          const lo = u32(buf, pos), hi = u32(buf, pos + 4);
          if (maskCrc(crc32c(buf, pos, pos + 8)) !== u32(buf, pos + 8)) {
            if (resyncFrom < 0) {
              resyncFrom = base + pos;
              if (base + pos === 0) throw new LogReadError(`${source}: not a TensorBoard event file (no TFRecord header at byte 0)`);
            }
            if (base + pos - resyncFrom > MAX_RESYNC) {
              this.report('warning', `no valid record in the ${MAX_RESYNC >> 20} MB after byte ${resyncFrom} (length checksum failed); the rest of the file is skipped`);
              stats.badRecords++;
              resyncFrom = -1;
              gaveUp = true;
              pos = have;
              break;
            }
            // Scan on for a header that holds; cheap test first (a plausible length).
            pos++;
            while (have - pos >= 12 && (buf[pos + 5] | buf[pos + 6] | buf[pos + 7]) !== 0) pos++;
            continue;
          }
          if (resyncFrom >= 0) {
            this.report('warning', `bytes ${resyncFrom}–${base + pos} are not valid records (length checksum failed); ${base + pos - resyncFrom} bytes skipped`);
            stats.badRecords++;
            resyncFrom = -1;
          }
          const len = hi * 2 ** 32 + lo;
          if (len > MAX_RECORD) {
            recNo++;
            this.report('info', `record ${recNo} at byte ${base + pos} holds ${len} bytes (not a scalar event); skipped`);
            pos += 12;
            skip = len + 4;
            continue;
          }
          if (have - pos < 16 + len) { need = 16 + len; break; }
          need = 0;
          recNo++;
          const ds = pos + 12, de = ds + len;
          if (maskCrc(crc32c(buf, ds, de)) !== u32(buf, de)) {
            stats.badRecords++;
            this.report('warning', `record ${recNo} at byte ${base + pos}: checksum mismatch (damaged data); record skipped`);
          } else {
            stats.records++;
            try {
              if (!this.fast(buf, ds, de, dv, recNo)) this.event(new ProtoReader(buf, ds, de, dv), recNo);
            } catch (e) {
              if (!(e instanceof ProtoError)) throw e;
              stats.badRecords++;
              this.report('warning', `record ${recNo} at byte ${base + pos}: not a valid Event (${e.message}); skipped`);
            }
          }
          pos = de + 4;
        }
      }
      if (resyncFrom >= 0) {
        stats.badRecords++;
        this.report('warning', `bytes ${resyncFrom}–${base + have} at the end are not valid records (length checksum failed); skipped`);
      } else if (!gaveUp && (skip > 0 || have - pos > 0)) {
        this.report('info', `last record (byte ${base + pos}) is cut short: ${have - pos} of ${need > 0 ? need : '≥ 12'} bytes — a run still writing; it is read when complete`);
      }
      return stats;
    } finally {
      await fh.close();
    }
  }

  /** Tag bytes → column name and series, by a hash of the bytes (checked byte for byte): no string per event. */
  private byHash = new Map<number, TagEntry[]>();

  private entry(b: Uint8Array, ts: number, te: number): TagEntry {
    let h = 0x811c9dc5;
    for (let i = ts; i < te; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const list = this.byHash.get(h);
    const n = te - ts;
    if (list) {
      for (const e of list) {
        const eb = e.bytes;
        if (eb.length !== n) continue;
        let same = true;
        for (let i = 0; i < n; i++) if (eb[i] !== b[ts + i]) { same = false; break; }
        if (same) return e;
      }
    }
    const e: TagEntry = { bytes: b.slice(ts, te), name: this.prefix + utf8(b, ts, te), series: undefined };
    if (list) list.push(e); else this.byHash.set(h, [e]);
    return e;
  }

  /**
   * The common case without allocation: an Event of wall_time, step and a Summary holding one
   * Value of tag + simple_value (what PyTorch's add_scalar writes). False → the general decoder.
   */
  private fast(b: Uint8Array, p: number, end: number, dv: DataView, recNo: number): boolean {
    if (b[p] === 0x09) p += 9;
    if (b[p] !== 0x10) return false;
    p++;
    let step = 0, mul = 1, c: number;
    do { c = b[p++]; step += (c & 0x7f) * mul; mul *= 128; } while (c >= 0x80 && mul < 2 ** 49);
    if (c >= 0x80 || b[p] !== 0x2a || b[p + 2] !== 0x0a || b[p + 4] !== 0x0a) return false;
    const sumLen = b[p + 1], valLen = b[p + 3], tagLen = b[p + 5];
    if (sumLen >= 0x80 || valLen >= 0x80 || tagLen >= 0x80 || p + 2 + sumLen !== end || valLen + 2 !== sumLen || tagLen + 7 !== valLen) return false;
    const ts = p + 6, te = ts + tagLen;
    if (b[te] !== 0x15) return false;
    const e = this.entry(b, ts, te);
    if (!e.series) e.series = this.set.get(e.name);
    this.stats.scalars++;
    e.series.push(step, dv.getFloat32(te + 1, true), recNo, this.source);
    return true;
  }

  private event(r: ProtoReader, recNo: number): void {
    let step = 0;
    let sumStart = -1, sumEnd = -1;
    for (let t = r.tag(); t !== 0; t = r.tag()) {
      if (t === 0x10) step = r.varint();
      else if (t === 0x2a) [sumStart, sumEnd] = r.bytes();
      else r.skip(t & 7);
    }
    if (sumStart < 0) return;
    const s = r.sub(sumStart, sumEnd);
    for (let t = s.tag(); t !== 0; t = s.tag()) {
      if (t === 0x0a) {
        const [vs, ve] = s.bytes();
        this.value(s.sub(vs, ve), step, recNo);
      } else s.skip(t & 7);
    }
  }

  private value(r: ProtoReader, step: number, recNo: number): void {
    let tagS = -1, tagE = -1;
    let simple: number | undefined;
    let tensorS = -1, tensorE = -1;
    let plugin: string | undefined;
    let dataClass = 0;
    for (let t = r.tag(); t !== 0; t = r.tag()) {
      switch (t) {
        case 0x0a: [tagS, tagE] = r.bytes(); break;
        case 0x15: simple = r.float(); break;
        case 0x42: [tensorS, tensorE] = r.bytes(); break;
        case 0x4a: {
          const [ms, me] = r.bytes();
          const m = r.sub(ms, me);
          for (let u = m.tag(); u !== 0; u = m.tag()) {
            if (u === 0x0a) {
              const [ps, pe] = m.bytes();
              const p = m.sub(ps, pe);
              for (let w = p.tag(); w !== 0; w = p.tag()) {
                if (w === 0x0a) plugin = p.string();
                else p.skip(w & 7);
              }
            } else if (u === 0x20) dataClass = m.varint();
            else m.skip(u & 7);
          }
          break;
        }
        default: r.skip(t & 7);
      }
    }
    if (tagS < 0 || (simple === undefined && tensorS < 0)) return;
    const e = this.entry(r.buf, tagS, tagE);
    const name = e.name;
    if (plugin !== undefined && !this.plugin.has(name)) this.plugin.set(name, plugin);
    let v: number;
    if (simple !== undefined) v = simple;
    else {
      const known = this.plugin.get(name);
      // DATA_CLASS_SCALAR = 1; other plugins' tensors (histograms, images, text) are not scalars.
      if (known !== undefined && known !== 'scalars' && dataClass !== 1) return;
      const x = tensorScalar(r.sub(tensorS, tensorE), known === 'scalars' || dataClass === 1);
      if (x === undefined) return;
      v = x;
    }
    this.stats.scalars++;
    if (!e.series) e.series = this.set.get(name);
    e.series.push(step, v, recNo, this.source);
  }
}

interface TagEntry { bytes: Uint8Array; name: string; series: Series | undefined }


/**
 * The value of a scalar TensorProto: dtype float/double/int32/int64, one element, in the typed
 * field or tensor_content. Undefined for anything else (a string tensor, a histogram's k×3 array).
 */
function tensorScalar(r: ProtoReader, isScalarPlugin: boolean): number | undefined {
  let dtype = 0;
  let elements = 1;
  let contentS = -1, contentE = -1;
  let v: number | undefined;
  let count = 0;
  for (let t = r.tag(); t !== 0; t = r.tag()) {
    const f = t >>> 3, w = t & 7;
    if (f === 1 && w === WIRE_VARINT) dtype = r.varint();
    else if (f === 2 && w === WIRE_LEN) {
      const [ss, se] = r.bytes();
      const sh = r.sub(ss, se);
      for (let u = sh.tag(); u !== 0; u = sh.tag()) {
        if (u === 0x12) {
          const [ds, de] = sh.bytes();
          const d = sh.sub(ds, de);
          for (let x = d.tag(); x !== 0; x = d.tag()) {
            if (x === 0x08) elements *= d.varint();
            else d.skip(x & 7);
          }
        } else sh.skip(u & 7);
      }
    } else if (f === 4 && w === WIRE_LEN) [contentS, contentE] = r.bytes();
    else if (f === 5 && w === WIRE_LEN) { const [a, b] = r.bytes(); count += (b - a) >> 2; if (b - a >= 4) v = r.getFloat32(a); }
    else if (f === 5 && w === WIRE_I32) { count++; v = r.float(); }
    else if (f === 6 && w === WIRE_LEN) { const [a, b] = r.bytes(); count += (b - a) >> 3; if (b - a >= 8) v = r.getFloat64(a); }
    else if (f === 6 && w === WIRE_I64) { count++; v = r.double(); }
    else if ((f === 7 || f === 10) && w === WIRE_LEN) {
      const [a, b] = r.bytes();
      const p = r.sub(a, b);
      while (p.pos < p.end) { v = p.varint(); count++; }
    } else if ((f === 7 || f === 10) && w === WIRE_VARINT) { v = r.varint(); count++; }
    else r.skip(w);
  }
  if (elements !== 1 && !isScalarPlugin) return undefined;
  if (dtype !== DT_FLOAT && dtype !== DT_DOUBLE && dtype !== DT_INT32 && dtype !== DT_INT64) return undefined;
  if (contentS >= 0) {
    const size = dtype === DT_FLOAT || dtype === DT_INT32 ? 4 : 8;
    if (contentE - contentS < size) return undefined;
    if (dtype === DT_FLOAT) return r.getFloat32(contentS);
    if (dtype === DT_DOUBLE) return r.getFloat64(contentS);
    const b = r.buf;
    if (dtype === DT_INT32) return u32(b, contentS) | 0;
    return u32(b, contentS) + (u32(b, contentS + 4) | 0) * 2 ** 32;
  }
  return count >= 1 ? v : undefined;
}


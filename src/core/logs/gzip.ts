/**
 * Gzipped logs (`train.jsonl.gz`, `run.log.gz`, `scalars.json.gz`): read as the text they hold,
 * inflated as a stream (zlib works on libuv's threads; the text is never held whole), and judged by
 * the name without `.gz`. A gzip bomb (a few KB inflating to terabytes) is stopped by an expansion
 * budget: the text read up to it is kept and the log says the rest was left out.
 */
import { pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { Cancelled } from '../cancel';
import { openRegular } from '../files';

/** Whether the name says gzip (`.gz`). */
export const isGzipName = (p: string): boolean => /\.gz$/i.test(p);
/** The name a gzipped file's content is judged by: `train.jsonl.gz` → `train.jsonl`. */
export const gzInnerName = (p: string): string => (isGzipName(p) ? p.slice(0, -3) : p);
/** gzip's magic bytes (RFC 1952: 1f 8b). */
export const isGzipMagic = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The most text one gzipped log is inflated to: 4 GiB (a larger log is read up to there). */
export const MAX_INFLATED_BYTES = 4 * 1024 ** 3;

export interface InflateResult {
  /** The compressed file's size. */
  size: number;
  /** Bytes of text handed to the consumer. */
  inflated: number;
  /** Why the read stopped: the end of the data, the budget, or the consumer (it returned false). */
  stopped: 'end' | 'budget' | 'consumer';
  /** When the compressed data is damaged or ends early: zlib's words (the text before it was handed on). */
  damaged?: string;
}

/**
 * Inflates a gzipped regular file chunk by chunk into `onChunk(text bytes, compressed bytes read so
 * far, compressed size)`; the consumer returns false to stop early. At most `maxBytes` of text
 * (MAX_INFLATED_BYTES), ending at a line end with `wholeLines`. Rejects with a FileError for a file that is not a regular one, with
 * `Cancelled` when the signal aborts, and with what `onChunk` throws.
 */
export async function inflateFile(
  file: string,
  onChunk: (chunk: Buffer, compressedRead: number, size: number) => boolean | void,
  opts: { signal?: AbortSignal; maxBytes?: number; wholeLines?: boolean } = {},
): Promise<InflateResult> {
  const maxBytes = opts.maxBytes ?? MAX_INFLATED_BYTES;
  const { fh, size } = await openRegular(file);
  const src = fh.createReadStream({ highWaterMark: 1 << 20, autoClose: false, start: 0 });
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 16 });
  // pipeline: an error of either stream ends the iteration below with it.
  const out = pipeline(src, gunzip, () => undefined);
  let inflated = 0;
  let stopped: InflateResult['stopped'] = 'end';
  // With wholeLines, each chunk is handed on when the next comes (or at the end), so that the budget
  // can cut the text at the last line end before it even when that lies in the chunk before.
  let held: Buffer | undefined;
  const give = (chunk: Buffer): boolean => {
    inflated += chunk.length;
    return chunk.length === 0 || onChunk(chunk, src.bytesRead, size) !== false;
  };
  try {
    for await (const piece of out as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw new Cancelled('reading the gzipped log was cancelled');
      const pending = held ? held.length : 0;
      if (inflated + pending + piece.length > maxBytes) {
        stopped = 'budget';
        const room = piece.subarray(0, Math.max(0, maxBytes - inflated - pending));
        if (!opts.wholeLines) { give(room); break; }
        // A line cut by the budget is no row: the text ends at the last line end before it.
        const nl = room.lastIndexOf(10);
        if (nl >= 0) { if (held) give(held); give(room.subarray(0, nl + 1)); }
        else if (held) give(held.subarray(0, held.lastIndexOf(10) + 1));
        held = undefined;
        break;
      }
      if (!opts.wholeLines) { if (!give(piece)) { stopped = 'consumer'; break; } continue; }
      if (held && !give(held)) { stopped = 'consumer'; held = undefined; break; }
      held = piece;
    }
    if (held && stopped === 'end') give(held);
    return { size, inflated, stopped };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || code === 'Z_NEED_DICT') {
      if (held) give(held);
      return { size, inflated, stopped: 'end', damaged: (e as Error).message };
    }
    throw e;
  } finally {
    src.destroy();
    gunzip.destroy();
    await fh.close().catch(() => undefined);
  }
}

/**
 * The first `bytes` bytes of a gzipped file's text (fewer when it holds less), or undefined when it
 * is not a readable gzip file (only the compressed bytes needed are read).
 */
export async function gzipHead(file: string, bytes: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let n = 0;
  try {
    const r = await inflateFile(file, (chunk) => { parts.push(chunk); n += chunk.length; return n < bytes; }, { maxBytes: bytes });
    if (n === 0 && r.damaged) return undefined;
  } catch {
    return undefined;
  }
  return Buffer.concat(parts, n).subarray(0, bytes);
}

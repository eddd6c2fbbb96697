/**
 * Incremental reads of a growing log (a run in progress): the first read is parseLogFile's, which
 * keeps its reader open after the last complete line; later reads parse only the bytes appended
 * since, from that line end's byte offset, appending to the columns already held. The result is
 * the same as reading the file whole (tests). While the last line is still being written (no line
 * end yet) the answer is the whole read's: a fork of the kept reader reads that line (only it) as
 * the last, and the kept reader waits at the last line end. A file
 * that was truncated, replaced (another inode)
 * or rewritten (its first bytes or the bytes before the offset changed) is read whole again, as is
 * any format read as one document (trainer_state.json, run folders).
 */
import { openRegular } from '../files';
import { bytesAt, lastLineEnd, liveAppend, liveFinish, MAX_LIVE_TAIL, parseLogFile, type LiveState } from './parse';
import type { ParsedLog, ParseOptions } from './types';

/** Bytes compared at the start of the file and just before the offset to notice a rewrite. */
const SIG = 4096;

export interface LiveRead {
  log: ParsedLog;
  /** 'full': read whole; 'appended': only the new lines; 'unchanged': nothing new. */
  mode: 'full' | 'appended' | 'unchanged';
  /** Bytes parsed by this read. */
  bytesParsed: number;
}

interface Held {
  state: LiveState;
  dev: number;
  ino: number;
  head: Buffer;
  edge: Buffer;
  last: ParsedLog;
  size: number;
  mtimeMs: number;
}

/** One growing file, read again and again (the worker keeps one per watched log). */
export class LiveLog {
  private held: Held | undefined;

  constructor(readonly path: string) {}

  /** Forget what was read (the next read is whole). */
  reset(): void {
    this.held = undefined;
  }

  async read(opts: ParseOptions = {}): Promise<LiveRead> {
    const h = this.held;
    if (h) {
      const again = await this.append(h, opts).catch(() => undefined);
      if (again) return again;
    }
    return this.full(opts);
  }

  private async full(opts: ParseOptions): Promise<LiveRead> {
    this.held = undefined;
    let kept: LiveState | undefined;
    const log = await parseLogFile(this.path, { ...opts, live: { keep: (s) => { kept = s as LiveState; } } });
    if (kept) {
      const { fh } = await openRegular(this.path);
      try {
        const st = await fh.stat();
        const off = kept.offset;
        this.held = {
          state: kept, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, last: log,
          head: await bytesAt(fh, 0, Math.min(SIG, off)),
          edge: await bytesAt(fh, Math.max(0, off - SIG), Math.min(SIG, off)),
        };
      } finally {
        await fh.close();
      }
    }
    return { log, mode: 'full', bytesParsed: log.stats.bytes };
  }

  /** The appended lines, or undefined when the file must be read whole. */
  private async append(h: Held, opts: ParseOptions): Promise<LiveRead | undefined> {
    const { fh } = await openRegular(this.path);
    try {
      const st = await fh.stat();
      const off = h.state.offset;
      if (st.dev !== h.dev || st.ino !== h.ino || st.size < off) return undefined;
      const head = await bytesAt(fh, 0, h.head.length);
      const edge = await bytesAt(fh, Math.max(0, off - SIG), h.edge.length);
      if (!head.equals(h.head) || !edge.equals(h.edge)) return undefined;
      if (st.size === h.size && st.mtimeMs === h.mtimeMs && st.size === off) return { log: h.last, mode: 'unchanged', bytesParsed: 0 };
      // (0: no line end after the offset.)
      const end = Math.max(off, await lastLineEnd(fh, st.size, off));
      if (opts.signal?.aborted) return undefined;
      const chunk = await bytesAt(fh, off, Math.max(0, end - off));
      // A last line still being written (a long one is read whole instead).
      if (st.size - end > MAX_LIVE_TAIL) return undefined;
      const tail = end < st.size ? await bytesAt(fh, end, st.size - end) : undefined;
      const snap = liveAppend(h.state, chunk);
      if (!snap) return undefined;
      // With a last line still being written, the answer is the whole read's (which reads that
      // line as the last): a fork of the kept reader reads it; the kept reader stays at the line end.
      const log = tail ? liveFinish(h.state, tail) : snap;
      if (!log) return undefined;
      h.edge = await bytesAt(fh, Math.max(0, h.state.offset - SIG), Math.min(SIG, h.state.offset));
      if (h.head.length < SIG) h.head = await bytesAt(fh, 0, Math.min(SIG, h.state.offset));
      h.size = st.size;
      h.mtimeMs = st.mtimeMs;
      h.last = log;
      return { log, mode: 'appended', bytesParsed: chunk.length + (tail?.length ?? 0) };
    } finally {
      await fh.close();
    }
  }
}

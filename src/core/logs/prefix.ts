/**
 * A log as it was at a line: what a prefix fit (--fit-until) may know. The whole file's later lines
 * can state things a user at the cut did not have yet (the passes an epoch column reaches by the end,
 * a planned end printed at a later launch, an LR cut made later): the run's facts are read from the
 * file cut at that line, by the same readers.
 */
import { openRegular } from '../files';
import { inflateFile, gzInnerName, isGzipName } from './gzip';
import { parseLogText } from './parse';
import { inflatedEdges, TextEdges } from './tail';
import type { ParsedLog, ParseOptions, RunMeta } from './types';

/** The file's first `lines` lines (a gzipped file's text), each with its line end. */
export async function readLinesUntil(file: string, lines: number, signal?: AbortSignal): Promise<Buffer> {
  const parts: Buffer[] = [];
  let seen = 0;
  /** Keeps the chunk up to the `lines`-th line end; false once there. */
  const take = (chunk: Buffer): boolean => {
    let at = -1;
    while (seen < lines && (at = chunk.indexOf(10, at + 1)) >= 0) seen++;
    if (seen < lines) { parts.push(chunk); return true; }
    parts.push(chunk.subarray(0, at + 1));
    return false;
  };
  if (isGzipName(file)) {
    await inflateFile(file, (chunk) => { if (signal?.aborted) return false; return take(chunk); }, { signal });
  } else {
    const { fh } = await openRegular(file);
    try {
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        if (signal?.aborted) break;
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0 || !take(Buffer.from(buf.subarray(0, bytesRead)))) break;
      }
    } finally {
      await fh.close();
    }
  }
  return Buffer.concat(parts);
}

/** The file's first `lines` lines parsed as the whole file would be, their edges kept for tail.ts. */
export async function parsePrefix(file: string, lines: number, opts: ParseOptions = {}): Promise<{ log: ParsedLog; text: Buffer }> {
  const text = await readLinesUntil(file, lines, opts.signal);
  const log = parseLogText(text.toString('utf8'), file, opts, gzInnerName(file));
  const edges = new TextEdges();
  edges.push(text);
  inflatedEdges.set(log, edges.edges());
  return { log, text };
}

/**
 * What a log says of its run by its lines and a fit at the cut uses to predict: a planned end, the
 * passes, LR cuts, an optimizer switch, a resume. (A divergence after the cut stays the whole file's:
 * it is said of the held-out points the prefix fit is scored on, and changes no prediction.)
 */
const LINE_FACTS = ['plannedSteps', 'epochsLogged', 'lrCuts', 'averagedFrom', 'resumedAt'] as const;

/** The whole file's run facts with those its lines state taken from the prefix instead (absent there: absent). */
export function runMetaAtCut(whole: RunMeta | undefined, prefix: RunMeta | undefined): RunMeta | undefined {
  if (!whole && !prefix) return undefined;
  const out: RunMeta = { ...(whole ?? {}) };
  for (const k of LINE_FACTS) {
    if (prefix && Object.prototype.hasOwnProperty.call(prefix, k) && prefix[k] !== undefined) (out as Record<string, unknown>)[k] = prefix[k];
    else delete out[k];
  }
  return out;
}

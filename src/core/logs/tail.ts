/**
 * What a CSV or JSONL log's first and last rows say about the run as a whole that its kept columns
 * do not carry: the planned last step (LLaMA-Factory's `trainer_log.jsonl` has `total_steps` on
 * every line) and how far its epoch column goes (more than one pass over the data). Read after the
 * parse from the file's first and last 64 KB: those columns are never stored, so a big log's parse
 * pays nothing for them. Plain data in, plain data out; only a regular file is opened.
 */
import Papa from 'papaparse';
import { openRegular } from '../files';
import { inflateFile, isGzipName } from './gzip';
import { formatInteger } from '../format';
import { own } from '../own';
import type { ParsedLog, RunMeta } from './types';
import { epochsFromFraction, epochsSeen, kerasCsvHeader, kerasLrCuts, type EpochsLogged } from './epochs';
import { withTrainOpt } from './ganOptions';

export { epochsFromFraction, type EpochsLogged };

/** Column names that state a run's planned last step on every row (LLaMA-Factory: `total_steps`). */
export const PLANNED_END_NAMES = ['total_steps', 'max_steps', 'num_train_steps', 'max_train_steps', 'max_iters', 'train_iters', 'total_iters', 'num_iterations'];

/** Bytes read at each end of the file. */
const EDGE_BYTES = 64 * 1024;

export interface TailFacts {
  plannedSteps?: { steps: number; source: string };
  epochs?: EpochsLogged;
  /** Keras' CSVLogger with an LR column: the LR can be cut at any later epoch (epochs.ts kerasLrCuts). */
  lrCuts?: string;
}

type Row = (name: string) => number | undefined;

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A JSON line's value for a column name; `train/epoch` is the parse's flattening of {"train": {"epoch": …}}. */
function field(o: Record<string, unknown>, name: string): unknown {
  const v = own(o, name);
  if (v !== undefined) return v;
  const i = name.indexOf('/');
  if (i <= 0) return undefined;
  const inner = own(o, name.slice(0, i));
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? own(inner as Record<string, unknown>, name.slice(i + 1)) : undefined;
}

/** Complete rows of a piece of the file: JSON objects one per line, or CSV rows under `header`. */
function rowsOf(format: 'csv' | 'jsonl', text: string, header: string | undefined): Row[] {
  if (format === 'jsonl') {
    const out: Row[] = [];
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (!t.startsWith('{') || !t.endsWith('}')) continue;
      try {
        const o = JSON.parse(t) as unknown;
        if (o && typeof o === 'object' && !Array.isArray(o)) out.push((k) => num(field(o as Record<string, unknown>, k)));
      } catch { /* a line the parse reported already */ }
    }
    return out;
  }
  if (header === undefined) return [];
  const res = Papa.parse<string[]>(`${header}\n${text}`, { skipEmptyLines: true });
  const rows = res.data;
  if (rows.length < 2) return [];
  const names = rows[0].map((h) => h.trim());
  const idx = new Map<string, number>();
  names.forEach((h, i) => { if (!idx.has(h)) idx.set(h, i); });
  return rows.slice(1).filter((r) => r.length === names.length).map((r) => (k: string) => {
    const i = idx.get(k);
    return i === undefined ? undefined : num(r[i]);
  });
}

/**
 * A text's edges from its first bytes and its last (`last` is `first` when the text is no longer than
 * EDGE_BYTES): the first line of a piece cut mid-text is partial; so is the last of the head.
 */
function cutEdges(first: Buffer, last: Buffer, whole: boolean): { head: string; tail: string } {
  const head = first.toString('utf8');
  if (whole) return { head, tail: head };
  return { head: head.slice(0, head.lastIndexOf('\n') + 1), tail: last.toString('utf8').slice(last.indexOf(10) + 1) };
}

/** The first and last EDGE_BYTES of a text pushed chunk by chunk (a gzipped log as it is inflated). */
export class TextEdges {
  private first = Buffer.alloc(0);
  private readonly last: Buffer[] = [];
  private lastBytes = 0;
  private size = 0;
  push(chunk: Buffer): void {
    if (this.first.length < EDGE_BYTES) this.first = Buffer.concat([this.first, chunk.subarray(0, EDGE_BYTES - this.first.length)]);
    this.last.push(chunk);
    this.lastBytes += chunk.length;
    this.size += chunk.length;
    while (this.last.length > 1 && this.lastBytes - this.last[0].length >= EDGE_BYTES) this.lastBytes -= this.last.shift()!.length;
  }
  edges(): { head: string; tail: string } {
    const end = Buffer.concat(this.last, this.lastBytes);
    return cutEdges(this.first, end.subarray(Math.max(0, end.length - EDGE_BYTES)), this.size <= EDGE_BYTES);
  }
}

/**
 * A gzipped log's edges as its parse inflated them (parseLogFile), so reading its tail facts inflates
 * nothing again; a notebook's, of the text read from its outputs.
 */
export const inflatedEdges = new WeakMap<object, { head: string; tail: string }>();

/**
 * A gzipped log's first and last EDGE_BYTES of text: as its parse kept them, else inflated once more
 * (a log parsed some other way); undefined when it cannot be read.
 */
async function gzipEdges(file: string, log: ParsedLog): Promise<{ head: string; tail: string } | undefined> {
  const kept = inflatedEdges.get(log);
  if (kept) return kept;
  const edges = new TextEdges();
  try {
    await inflateFile(file, (chunk) => edges.push(chunk));
  } catch {
    return undefined;
  }
  return edges.edges();
}

/**
 * The facts, or undefined when the log has neither column (or is not a CSV/JSONL run log). `log` is
 * the parse of `file`; its columns say which names to look for.
 */
export async function readTailFacts(file: string, log: ParsedLog): Promise<TailFacts | undefined> {
  if ((log.format !== 'csv' && log.format !== 'jsonl') || log.kind !== 'run' || log.rows === 0) return undefined;
  const endCol = log.columns.find((c) => c.role !== 'step' && PLANNED_END_NAMES.includes(c.name.trim().toLowerCase()));
  const epochCol = log.columns.find((c) => c.role === 'epoch');
  if (!endCol && !epochCol) return undefined;
  let head: string, tail: string;
  // A notebook's Trainer table: the text read from it, not the notebook's JSON (its parse kept the edges).
  const kept = inflatedEdges.get(log);
  if (kept) ({ head, tail } = kept);
  else if (isGzipName(file)) {
    const edges = await gzipEdges(file, log);
    if (!edges) return undefined;
    ({ head, tail } = edges);
  } else try {
    const { fh, size } = await openRegular(file);
    try {
      const a = Buffer.alloc(Math.min(size, EDGE_BYTES));
      await fh.read(a, 0, a.length, 0);
      const from = Math.max(0, size - EDGE_BYTES);
      const b = from === 0 ? a : Buffer.alloc(size - from);
      if (from > 0) await fh.read(b, 0, b.length, from);
      ({ head, tail } = cutEdges(a, b, from === 0));
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
  head = head.replace(/^\uFEFF/, '');
  const format = log.format;
  const nl = head.indexOf('\n');
  const header = format === 'csv' ? (nl >= 0 ? head.slice(0, nl) : head).replace(/\r$/, '') : undefined;
  const headRows = rowsOf(format, format === 'csv' ? head.slice(nl + 1) : head, header);
  const tailRows = tail === head ? headRows : rowsOf(format, tail, header);
  const out: TailFacts = {};
  if (format === 'csv') {
    // (The parse's columns are the header's names, in its order.)
    const names = log.columns.map((c) => c.name);
    const cuts = kerasCsvHeader(names) ? kerasLrCuts(names, "Keras' CSVLogger") : undefined;
    if (cuts) out.lrCuts = cuts;
  }
  const stepCol = log.columns.find((c) => c.role === 'step');
  const lastOf = (name: string): { v: number; step?: number } | undefined => {
    for (let i = tailRows.length - 1; i >= 0; i--) {
      const v = tailRows[i](name);
      if (v !== undefined) return { v, step: stepCol ? tailRows[i](stepCol.name) : undefined };
    }
    return undefined;
  };
  if (endCol) {
    const end = lastOf(endCol.name);
    if (end && end.v >= 1 && end.v <= 1e9 && Number.isInteger(end.v)) {
      out.plannedSteps = { steps: end.v, source: `the log's "${endCol.name}" column (${formatInteger(end.v)} on its last row)` };
    }
  }
  if (epochCol) {
    const last = lastOf(epochCol.name);
    let first: number | undefined;
    let fractional = false;
    for (const r of headRows) {
      const v = r(epochCol.name);
      if (v === undefined) continue;
      if (first === undefined || v < first) first = v;
      if (!Number.isInteger(v)) fractional = true;
    }
    for (const r of tailRows) { const v = r(epochCol.name); if (v !== undefined && !Number.isInteger(v)) fractional = true; }
    if (last && first !== undefined) {
      const name = epochCol.name;
      const e = epochsSeen({ first, last: last.v, lastStep: last.step, fractional }, out.plannedSteps?.steps, `the log's "${name}" column`);
      // Whole epochs: a pass's length in steps from where epochs begin in the head and the tail (passSteps).
      if (e) out.epochs = fractional ? e : { ...e, ...passSteps(headRows, tailRows, name, stepCol?.name, first) };
    }
  }
  return out.plannedSteps || out.epochs || out.lrCuts ? out : undefined;
}

/**
 * The steps a pass takes, from whole-epoch rows: `{ stepsPerPass }`, else `{}`. An epoch's rows hold
 * the steps after the pass before it, so its first row is a step or a logging interval past that
 * pass's end: the first row of epoch first + 1 (in the head) and the first row of a later epoch (in
 * the tail) are that many passes apart. With only the first boundary seen, midway between epoch
 * first's last row and the next one's first.
 */
function passSteps(head: Array<(k: string) => number | undefined>, tail: Array<(k: string) => number | undefined>, epochName: string, stepName: string | undefined, first: number): { stepsPerPass?: number } {
  if (!stepName) return {};
  /** The first row of each epoch after the first in `rows` whose row before it is in the epoch before. */
  const starts = (rows: Array<(k: string) => number | undefined>): Map<number, { step: number; before: number }> => {
    const out = new Map<number, { step: number; before: number }>();
    let prevE: number | undefined, prevS: number | undefined;
    for (const r of rows) {
      const e = r(epochName), st = r(stepName);
      if (e === undefined || st === undefined) continue;
      if (prevE !== undefined && prevS !== undefined && e === prevE + 1 && st > prevS && !out.has(e)) out.set(e, { step: st, before: prevS });
      prevE = e; prevS = st;
    }
    return out;
  };
  const h = starts(head).get(first + 1);
  if (!h) return {};
  let late: [number, number] | undefined;
  for (const [e, v] of starts(tail)) if (e > first + 1 && (!late || e > late[0])) late = [e, v.step];
  if (late) return { stepsPerPass: (late[1] - h.step) / (late[0] - first - 1) };
  return { stepsPerPass: (h.before + h.step) / 2 };
}

/**
 * `log` with what its first and last rows say (readTailFacts) in its run record; the same object
 * when they say nothing. A plan the log states otherwise (trainer_state.json's max_steps, its
 * `step N/T` lines) is kept.
 */
export async function withTailFacts(file: string, log: ParsedLog): Promise<ParsedLog> {
  // A GAN's loss_log.txt: its planned epochs from the train_opt.txt beside it.
  log = await withTrainOpt(file, log);
  const facts = await readTailFacts(file, log);
  if (!facts) return log;
  const run: RunMeta = { ...(log.run ?? {}) };
  if (facts.plannedSteps && !run.plannedSteps) run.plannedSteps = facts.plannedSteps;
  if (facts.lrCuts && !run.lrCuts) run.lrCuts = facts.lrCuts;
  // (The steps a pass takes, when the parse knew them and the edges did not: MMCV's log.json counts its iterations within the epoch.)
  // (A resumed run's epochs count from its first, before the log's: its head's epoch column starts late; the parse knew.)
  if (facts.epochs && !(run.resumedAt && run.epochsLogged)) run.epochsLogged = facts.epochs.stepsPerPass || !run.epochsLogged?.stepsPerPass ? facts.epochs : { ...facts.epochs, stepsPerPass: run.epochsLogged.stepsPerPass };
  return { ...log, run };
}

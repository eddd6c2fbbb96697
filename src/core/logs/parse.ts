/**
 * Readers for each format, fed decoded text chunk by chunk (a whole editor buffer is one chunk),
 * and the two entry points: parseLogText (sync) and parseLogFile (streaming, bounded memory).
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Papa from 'papaparse';
import { baseName, cellNumber, Collector, keptRole, ProblemLog, sampleValue, type RawBlock, type RawProblem } from './collector';
import { csvDelimiter, detectFormat, TEXT_PAIR_RE, TEXT_STEP_RE } from './detect';
import { inferRoles, type SampleValue } from './roles';
import { binaryRunFormat, parseRunPath, parseTfevents } from './runs';
import { coreCount } from '../cores';
import { cutAtLines, PARALLEL_MIN_BYTES, parseWorkerFile, startParts, type PartsRun } from './parallel';
import type { ColumnInfo, ColumnRole, LogFormat, ParsedLog, ParseOptions } from './types';

/** Rows read before the column roles (and run vs sweep) are decided. */
const SAMPLE_ROWS = 1000;
/** Longest unfinished line (or unclosed quoted field) carried between chunks. */
const MAX_PENDING = 4 << 20;
/** Largest trainer_state.json read whole. */
const MAX_DOCUMENT = 256 << 20;

interface Reader {
  /** `text` continues the input; `lineBase` = newlines before it (for bad-byte reports). */
  push(text: string): void;
  end(): ParsedLog;
}

/** Run vs sweep, from the roles and the sampled values. */
export function decideKind(columns: ColumnInfo[], sample: Record<string, ReadonlyArray<SampleValue>>): 'run' | 'sweep' {
  const col = (role: ColumnRole): ColumnInfo | undefined => columns.find((c) => c.role === role);
  const nums = (c: ColumnInfo | undefined): number[] =>
    c ? (sample[c.name] ?? []).map((v) => (typeof v === 'number' ? v : v === null || v === '' ? NaN : Number(v))).filter((v) => Number.isFinite(v)) : [];
  const params = nums(col('params'));
  if (params.length >= 2 && new Set(params).size >= 2) return 'sweep';
  const hasLoss = columns.some((c) => c.role === 'loss' || c.role === 'eval_loss');
  if (!col('step') && col('flops') && hasLoss) {
    const tokens = nums(col('tokens'));
    const increasing = tokens.length >= 2 && tokens.every((t, i) => i === 0 || t >= tokens[i - 1]);
    if (!increasing) return 'sweep';
  }
  return 'run';
}

function makeCollector(file: string, format: LogFormat, columns: ColumnInfo[], kind: 'run' | 'sweep', problems: ProblemLog): { c: Collector; where: Map<string, number> } {
  const hasStep = columns.some((x) => x.role === 'step');
  const run = columns.find((x) => x.role === 'run');
  const c = new Collector(file, format, kind, problems, run?.name);
  const where = new Map<string, number>();
  for (const col of columns) {
    if (col.role === 'run') where.set(col.name, -2);
    else if (keptRole(col.role, hasStep) && (col.numeric || col.role !== 'other')) where.set(col.name, c.addColumn(col.name, col.role));
    else where.set(col.name, -1);
  }
  return { c, where };
}

function uniqueNames(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((r, i) => {
    let name = r.trim().replace(/^\ufeff/, '');
    if (name === '') name = `column ${i + 1}`;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return k === 0 ? name : `${name} (${k + 1})`;
  });
}

function reportBadBytes(text: string, lineBase: number, problems: ProblemLog): void {
  let at = text.indexOf('\ufffd');
  if (at < 0) return;
  let line = lineBase + 1;
  let from = 0;
  let lastLine = -1;
  while (at >= 0) {
    for (let k = text.indexOf('\n', from); k >= 0 && k < at; k = text.indexOf('\n', k + 1)) { line++; from = k + 1; }
    if (line !== lastLine) {
      problems.add('utf8', line, 'warning', 'bytes that are not valid UTF-8 (shown as \ufffd)', 'bytes that are not UTF-8');
      lastLine = line;
    }
    at = text.indexOf('\ufffd', at + 1);
  }
}

// ---------------------------------------------------------------------------------------- CSV

/** What a CSV reader decided from the header and the sampled rows: enough to read any later part. */
export interface CsvPlan { names: string[]; columns: ColumnInfo[]; kind: 'run' | 'sweep'; delimiter: string; newline: '\r\n' | '\n' | '\r' }

/** The rows of one part of a CSV file read with a plan (parallel.ts): lines are local to the part. */
export interface CsvPartResult {
  block: RawBlock;
  rowsRead: number;
  dropped: number;
  /** Lines in the part (its line count). */
  lines: number;
  problems: RawProblem[];
  tally: Record<string, number>;
  /** A quote character was seen: the split at line ends may be wrong, read the file on one thread. */
  quoted: boolean;
}

export class CsvReader implements Reader {
  private parser: Papa.Parser | undefined;
  private partial = '';
  private names: string[] | undefined;
  private line = 0;
  private staged: { row: string[]; line: number }[] = [];
  private c: Collector | undefined;
  private columns: ColumnInfo[] = [];
  private idx: number[] = [];
  private runIdx = -1;
  private rowsRead = 0;
  private dropped = 0;
  private lastRowLine = 0;
  private endsWithNewline = true;

  private chars = 0;

  private delimiter = ',';
  private newline: CsvPlan['newline'] = '\n';
  /** Quote characters seen (a part read with a plan reports them). */
  quoted = false;

  /**
   * With a `plan`, this reads a later part of a file whose header and sample another reader
   * decided: no header, fixed columns, rows kept raw (the step logic runs when parts are joined).
   */
  constructor(private file: string, private opts: ParseOptions, private problems: ProblemLog, private sizeHint = 0, plan?: CsvPlan) {
    if (plan) {
      this.names = plan.names;
      this.delimiter = plan.delimiter;
      this.newline = plan.newline;
      this.parser = new Papa.Parser({ delimiter: plan.delimiter, newline: plan.newline });
      problems.raw = [];
      this.use(plan.columns, plan.kind, true);
    }
  }

  /** The header and the decision on roles, once made (after the sampled rows). */
  plan(): CsvPlan | undefined {
    if (!this.c || !this.names) return undefined;
    return { names: this.names, columns: this.columns, kind: this.c.kind, delimiter: this.delimiter, newline: this.newline };
  }

  /** Lines read so far, and whether the input so far ends inside an unfinished line. */
  position(): { line: number; pending: boolean } {
    return { line: this.line, pending: this.partial.length > 0 };
  }

  /** Appends a later part read with this reader's plan (parallel.ts); `lineBase` = lines before it. */
  absorb(part: CsvPartResult, lineBase: number): void {
    // The part's problems first: on one thread a cell's problem comes before its row's restart.
    this.problems.replay(part.problems, part.tally, lineBase);
    (this.c as Collector).appendBlock(part.block, lineBase);
    this.rowsRead += part.rowsRead;
    this.dropped += part.dropped;
    this.line = lineBase + part.lines;
  }

  /** Ends a part read with a plan: its raw rows, counts and problems. */
  endPart(): CsvPartResult {
    this.flush();
    const c = this.c as Collector;
    return {
      block: c.block(), rowsRead: this.rowsRead, dropped: this.dropped, lines: this.line,
      problems: this.problems.raw ?? [], tally: this.problems.tally(), quoted: this.quoted,
    };
  }

  push(text: string): void {
    if (text.length === 0) return;
    this.chars += text.length;
    if (this.parser === undefined) {
      const nl = text.indexOf('\n');
      this.newline = nl > 0 && text[nl - 1] === '\r' ? '\r\n' : nl < 0 && text.includes('\r') ? '\r' : '\n';
      const firstLine = text.slice(0, nl < 0 ? text.length : nl);
      this.delimiter = csvDelimiter(firstLine) ?? ',';
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline });
    }
    if (!this.quoted && text.includes('"')) this.quoted = true;
    this.endsWithNewline = /[\r\n]$/.test(text);
    reportBadBytes(text, this.line + (this.partial.match(/\n/g)?.length ?? 0), this.problems);
    let agg = this.partial + text;
    for (;;) {
      const res = this.parser.parse(agg, 0, true) as Papa.ParseResult<string[]>;
      this.partial = agg.slice(res.meta.cursor);
      this.rows(res.data);
      // A quote that never closes would make the rest of the file one field: re-scanned on
      // every chunk and held in memory. Past a few MB, drop that line and go on from the next.
      if (this.partial.length <= MAX_PENDING) break;
      const nl = this.partial.indexOf('\n');
      const line = ++this.line;
      this.rowsRead++;
      this.dropped++;
      if (nl < 0) {
        this.problems.add('longline', line, 'warning', `a line longer than ${MAX_PENDING >> 20} MB; dropped`);
        this.partial = '';
        break;
      }
      this.problems.add('quote', line, 'warning', 'a quoted field is never closed; line dropped', 'unclosed quotes');
      agg = this.partial.slice(nl + 1);
    }
    this.presize();
  }

  private sized = false;
  /**
   * Once a tenth of the file is read, pre-size the columns for the whole file (characters per
   * line so far → rows): one allocation instead of repeated growth. Earlier the sample is too
   * short to judge (the digits of the step grow).
   */
  private presize(): void {
    if (this.sized || !this.c || this.sizeHint <= 0) return;
    const consumed = this.chars - this.partial.length;
    if (consumed < this.sizeHint * 0.1 || this.line === 0) return;
    this.sized = true;
    this.c.reserve((this.sizeHint / (consumed / this.line)) * 1.02 + 64);
  }

  private flush(): void {
    if (this.parser && this.partial.length) {
      const res = this.parser.parse(this.partial, 0, false) as Papa.ParseResult<string[]>;
      for (const e of res.errors) {
        if (e.code === 'MissingQuotes') this.problems.add('quote', this.line + 1, 'warning', 'a quoted field is never closed', 'unclosed quotes');
      }
      this.partial = '';
      this.rows(res.data, true);
    }
  }

  end(): ParsedLog {
    this.flush();
    if (!this.names) {
      const c = new Collector(this.file, 'csv', 'run', this.problems);
      this.problems.add('empty', 0, 'error', 'no header line: the file has no CSV content');
      return c.finish([]);
    }
    if (!this.c) this.decide();
    const c = this.c as Collector;
    c.stats.rowsRead = this.rowsRead;
    c.stats.dropped += this.dropped;
    if (this.rowsRead === 0) this.problems.add('norows', 0, 'warning', 'a header but no data rows');
    return c.finish(this.columns);
  }

  private rows(data: string[][], last = false): void {
    let k = 0;
    if (!this.names) {
      while (k < data.length && data[k].length === 1 && data[k][0].trim() === '') { k++; this.line++; }
      if (k === data.length) return;
      this.names = uniqueNames(data[k]);
      this.line++;
      k++;
    }
    const width = this.names.length;
    for (; k < data.length; k++) {
      const row = data[k];
      const line = ++this.line;
      if (row.length === 1 && row[0].length <= 1 && row[0].trim() === '') continue; // blank line
      this.rowsRead++;
      if (row.length !== width) {
        // A trailing empty field from a trailing delimiter is harmless.
        if (!(row.length === width + 1 && row[width] === '')) {
          const isLast = last && k === data.length - 1;
          this.dropped++;
          this.problems.add(isLast ? 'truncated' : 'fields', line, 'warning',
            isLast && row.length < width
              ? `last line is cut short (${row.length} of ${width} fields); dropped`
              : `${row.length} fields where the header has ${width}; row dropped`,
            'rows with the wrong number of fields');
          continue;
        }
      }
      this.lastRowLine = line;
      if (this.c) this.commit(row, line);
      else {
        this.staged.push({ row, line });
        if (this.staged.length >= SAMPLE_ROWS) this.decide();
      }
    }
    if (last && !this.endsWithNewline && this.c?.kind === 'run' && this.lastRowLine === this.line) {
      this.problems.add('nonl', this.line, 'info', 'last line has no line end: a run still writing may have cut it short');
    }
  }

  private decide(): void {
    const names = this.names as string[];
    const sample: Record<string, SampleValue[]> = {};
    names.forEach((n, i) => { sample[n] = this.staged.map((s) => s.row[i] ?? null); });
    const columns = inferRoles(names, sample, this.opts.roleOverrides);
    this.use(columns, decideKind(columns, sample));
    const staged = this.staged;
    this.staged = [];
    for (const s of staged) this.commit(s.row, s.line);
  }

  private use(columns: ColumnInfo[], kind: 'run' | 'sweep', raw = false): void {
    const names = this.names as string[];
    this.columns = columns;
    const { c } = makeCollector(this.file, 'csv', columns, kind, this.problems);
    c.raw = raw;
    this.c = c;
    this.idx = c.cols.map((col) => names.indexOf(col.name));
    this.runIdx = c.runName !== undefined ? names.indexOf(c.runName) : -1;
  }

  private commit(row: string[], line: number): void {
    const c = this.c as Collector;
    const sc = c.scratch;
    const idx = this.idx;
    const cols = c.cols;
    for (let j = 0; j < idx.length; j++) {
      const s = row[idx[j]];
      // Fast paths inline: a finite number; an empty cell (missing, e.g. a metric logged every N steps).
      if (s.length !== 0) {
        const v = +s;
        if (v - v === 0 && v !== 0) { sc[j] = v; continue; }
      } else if (c.kind === 'run') { sc[j] = NaN; continue; }
      const v = cellNumber(s, line, cols[j].name, this.problems);
      if (v !== v && c.kind === 'sweep' && s.trim() === '') this.problems.add('emptycell', line, 'info', `${cols[j].name} is empty`, 'empty cells');
      sc[j] = v;
    }
    c.commit(line, this.runIdx >= 0 ? row[this.runIdx].trim() : undefined);
  }
}

// ------------------------------------------------------------------------ records (JSONL, text, HF)

type Rec = Record<string, unknown>;

/** Shared by JSONL, trainer_state and text: rows arrive as flat records. */
class RecordSink {
  private staged: { rec: Rec; line: number }[] = [];
  private names: string[] = [];
  private nameSet = new Set<string>();
  private c: Collector | undefined;
  private columns: ColumnInfo[] = [];
  private where = new Map<string, number>();
  rowsRead = 0;
  dropped = 0;
  /** Pre-sizes the columns for about `rows` rows, once they exist. */
  reserve(rows: number): boolean {
    if (!this.c) return false;
    this.c.reserve(rows);
    return true;
  }

  constructor(private file: string, private format: LogFormat, private opts: ParseOptions, private problems: ProblemLog) {}

  add(rec: Rec, line: number): void {
    this.rowsRead++;
    if (this.c) this.commit(rec, line);
    else {
      for (const k in rec) if (!this.nameSet.has(k)) { this.nameSet.add(k); this.names.push(k); }
      this.staged.push({ rec, line });
      if (this.staged.length >= SAMPLE_ROWS) this.decide();
    }
  }

  drop(line: number, kind: string, message: string, what?: string): void {
    this.dropped++;
    this.problems.add(kind, line, 'warning', message, what);
  }

  private decide(): void {
    const sample: Record<string, SampleValue[]> = {};
    for (const n of this.names) sample[n] = this.staged.map((s) => sampleValue(s.rec[n]));
    this.columns = inferRoles(this.names, sample, this.opts.roleOverrides);
    const kind = decideKind(this.columns, sample);
    const m = makeCollector(this.file, this.format, this.columns, kind, this.problems);
    this.c = m.c;
    this.where = m.where;
    const staged = this.staged;
    this.staged = [];
    for (const s of staged) this.commit(s.rec, s.line);
  }

  private newKey(k: string, v: unknown): number {
    // A key first seen after the sample: its name decides.
    const c = this.c as Collector;
    const [info] = inferRoles([k], { [k]: [sampleValue(v)] }, this.opts.roleOverrides);
    const hasStep = c.stepJ >= 0;
    let j = -1;
    if (info.role === 'run') info.role = 'other';
    else if (keptRole(info.role, hasStep) && info.role !== 'step') j = c.addColumn(k, info.role);
    else if (info.role === 'step') info.role = 'other';
    this.columns.push(info);
    this.where.set(k, j);
    return j;
  }

  private commit(rec: Rec, line: number): void {
    const c = this.c as Collector;
    const sc = c.scratch;
    let label: string | undefined;
    for (const k in rec) {
      let j = this.where.get(k);
      const v = rec[k];
      if (j === undefined) j = this.newKey(k, v);
      if (j === -1) continue;
      if (j === -2) { if (v !== null && v !== undefined) label = String(v); continue; }
      if (typeof v === 'number') sc[j] = v;
      else if (typeof v === 'string') sc[j] = cellNumber(v, line, k, this.problems);
    }
    c.commit(line, c.runName !== undefined ? label ?? '' : undefined);
  }

  end(): ParsedLog {
    if (!this.c) this.decide();
    const c = this.c as Collector;
    c.stats.rowsRead = this.rowsRead;
    c.stats.dropped += this.dropped;
    return c.finish(this.columns);
  }
}

/** Flattens one level of nesting: {"train": {"loss": 1}} → {"train/loss": 1}. */
function flatten(obj: Rec): Rec {
  let nested = false;
  for (const k in obj) { const v = obj[k]; if (v !== null && typeof v === 'object' && !Array.isArray(v)) { nested = true; break; } }
  if (!nested) return obj;
  const out: Rec = {};
  for (const k in obj) {
    const v = obj[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const k2 in v as Rec) out[`${k}/${k2}`] = (v as Rec)[k2];
    else out[k] = v;
  }
  return out;
}

/** Python's json writes NaN / Infinity / -Infinity bare; turn them into strings we then report. */
function parseJsonLenient(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    if (/NaN|Infinity/.test(line)) return JSON.parse(line.replace(/(:\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1"$2"'));
    throw e;
  }
}

abstract class LineReader implements Reader {
  protected partial = '';
  protected line = 0;
  private chars = 0;
  private sized = false;
  constructor(protected sink: RecordSink, protected problems: ProblemLog, private sizeHint = 0) {}
  /** As CsvReader.presize: at a tenth of the input, size the columns for the whole of it. */
  private presize(): void {
    if (this.sized || this.sizeHint <= 0 || this.line === 0) return;
    const consumed = this.chars - this.partial.length;
    if (consumed < this.sizeHint * 0.1) return;
    if (this.sink.reserve((this.sizeHint / (consumed / this.line)) * 1.02 + 64)) this.sized = true;
  }
  push(text: string): void {
    this.chars += text.length;
    reportBadBytes(text, this.line + (this.partial.match(/\n/g)?.length ?? 0), this.problems);
    const agg = this.partial.length ? this.partial + text : text;
    let i = 0;
    for (;;) {
      const j = agg.indexOf('\n', i);
      if (j < 0) break;
      this.onLine(agg.charCodeAt(j - 1) === 13 ? agg.slice(i, j - 1) : agg.slice(i, j), ++this.line, false);
      i = j + 1;
    }
    this.partial = agg.slice(i);
    if (this.partial.length > MAX_PENDING * 4) {
      this.problems.add('longline', ++this.line, 'warning', `a line longer than ${(MAX_PENDING * 4) >> 20} MB; dropped`);
      this.sink.rowsRead++;
      this.sink.dropped++;
      this.partial = '';
    }
    this.presize();
  }
  end(): ParsedLog {
    if (this.partial.length) this.onLine(this.partial.replace(/\r$/, ''), ++this.line, true);
    this.partial = '';
    return this.sink.end();
  }
  protected abstract onLine(line: string, n: number, last: boolean): void;
}

class JsonlReader extends LineReader {
  protected onLine(text: string, n: number, last: boolean): void {
    if (text.length === 0 || text.trim() === '') return;
    let v: unknown;
    try {
      v = parseJsonLenient(text);
    } catch {
      this.sink.rowsRead++;
      if (last) this.sink.drop(n, 'truncated', 'last line is not complete JSON (cut short?); dropped', 'lines that are not JSON');
      else this.sink.drop(n, 'json', 'not a JSON object; line dropped', 'lines that are not JSON');
      return;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.sink.rowsRead++;
      this.sink.drop(n, 'json', 'not a JSON object; line dropped', 'lines that are not JSON');
      return;
    }
    this.sink.add(flatten(v as Rec), n);
  }
}

class TextReader extends LineReader {
  protected onLine(text: string, n: number): void {
    const m = TEXT_STEP_RE.exec(text);
    if (!m) return;
    const rec: Rec = { step: Number(m[1]) };
    const rest = text.slice(m[0].length);
    TEXT_PAIR_RE.lastIndex = 0;
    let p: RegExpExecArray | null;
    let any = false;
    while ((p = TEXT_PAIR_RE.exec(rest))) {
      const key = p[1].trim().replace(/\s+/g, '_');
      if (key.toLowerCase() === 'step' || key.toLowerCase() === 'iter') continue;
      const raw = p[2];
      rec[key] = /^[-+]?\d/.test(raw) || /^[-+]?\./.test(raw) ? Number(raw) : raw;
      any = true;
    }
    if (any) this.sink.add(rec, n);
  }
}

/** trainer_state.json is one JSON document: gathered, then `log_history` is read entry by entry. */
class TrainerStateReader implements Reader {
  private parts: string[] = [];
  private size = 0;
  constructor(private file: string, private sink: RecordSink, private problems: ProblemLog) {}
  push(text: string): void {
    this.size += text.length;
    if (this.size > MAX_DOCUMENT) throw new LogReadError(`${baseName(this.file)}: a trainer_state.json over ${MAX_DOCUMENT >> 20} MB is not read whole; export the log history as JSONL`);
    this.parts.push(text);
  }
  end(): ParsedLog {
    const text = this.parts.join('');
    this.parts = [];
    let doc: unknown;
    try {
      doc = parseJsonLenient(text);
    } catch (e) {
      const m = /position (\d+)/.exec(String((e as Error).message));
      const line = m ? text.slice(0, Number(m[1])).split('\n').length : 0;
      this.problems.add('json', line, 'error', `not valid JSON (${(e as Error).message}); nothing read`);
      return this.sink.end();
    }
    const hist = (doc as Rec | null)?.log_history;
    if (!Array.isArray(hist)) {
      this.problems.add('json', 0, 'error', 'no log_history array: not a Hugging Face trainer_state.json');
      return this.sink.end();
    }
    const lines = entryLines(text);
    hist.forEach((entry: unknown, i) => {
      const line = lines[i] ?? 0;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        this.sink.rowsRead++;
        this.sink.drop(line, 'json', 'log_history entry is not an object; skipped');
        return;
      }
      const rec = entry as Rec;
      if ('train_runtime' in rec) {
        // The closing summary (train_loss = mean over the run), not a point on the curve.
        this.problems.add('summary', line, 'info', 'end-of-training summary entry (train_runtime, mean train_loss) left out of the curve');
        return;
      }
      this.sink.add(flatten(rec), line);
    });
    void this.file;
    return this.sink.end();
  }
}

/** 1-based line of each element's opening brace in the top-level "log_history" array. */
function entryLines(text: string): number[] {
  const out: number[] = [];
  const key = text.search(/"log_history"\s*:/);
  if (key < 0) return out;
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < key; k = text.indexOf('\n', k + 1)) line++;
  let i = text.indexOf('[', key);
  if (i < 0) return out;
  let depth = 0;
  let inStr = false;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) { line++; continue; }
    if (inStr) {
      if (ch === 92) i++;
      else if (ch === 34) inStr = false;
      continue;
    }
    if (ch === 34) inStr = true;
    else if (ch === 91 || ch === 123) {
      depth++;
      if (depth === 2 && ch === 123) out.push(line);
    } else if (ch === 93 || ch === 125) {
      depth--;
      if (depth === 0) break;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------ entry points

function makeReader(format: LogFormat, file: string, opts: ParseOptions, problems: ProblemLog, sizeHint: number): Reader {
  switch (format) {
    case 'csv': return new CsvReader(file, opts, problems, sizeHint);
    case 'jsonl': return new JsonlReader(new RecordSink(file, format, opts, problems), problems, sizeHint);
    case 'text': return new TextReader(new RecordSink(file, format, opts, problems), problems);
    case 'trainer_state': return new TrainerStateReader(file, new RecordSink(file, format, opts, problems), problems);
    default: throw new LogReadError(`${baseName(file)}: ${format} is read from the file or folder (parseLogFile), not as text`);
  }
}

function guessByName(file: string): LogFormat {
  const f = file.toLowerCase();
  if (f.endsWith('trainer_state.json')) return 'trainer_state';
  if (f.endsWith('.jsonl') || f.endsWith('.ndjson')) return 'jsonl';
  if (f.endsWith('.log') || f.endsWith('.txt') || f.endsWith('.out')) return 'text';
  return 'csv';
}

function emptyLog(file: string, bytes: number): ParsedLog {
  const problems = new ProblemLog(baseName(file));
  problems.add('empty', 0, 'error', bytes === 0 ? 'the file is empty' : 'the file holds only blank lines');
  const c = new Collector(file, guessByName(file), 'run', problems);
  const log = c.finish([]);
  log.stats.bytes = bytes;
  log.stats.segments = 0;
  return log;
}

export class LogReadError extends Error {
  constructor(message: string) { super(message); this.name = 'LogReadError'; }
}

function abortError(): Error {
  const e = new Error('parsing was cancelled');
  e.name = 'AbortError';
  return e;
}

function nulAt(text: string): number {
  return text.slice(0, 8192).indexOf('\0');
}

function unknownFormat(file: string): LogReadError {
  return new LogReadError(`${baseName(file)}: not a training log this reader knows (CSV, JSONL, trainer_state.json or trainer stdout with 'step N: … loss …' lines)`);
}

/** Parses a whole text (an editor buffer). Throws LogReadError for binary or unrecognised content. */
export function parseLogText(text: string, fileName: string, opts: ParseOptions = {}): ParsedLog {
  if (opts.signal?.aborted) throw abortError();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bytes = Buffer.byteLength(text, 'utf8');
  const nul = nulAt(text);
  if (nul >= 0) throw new LogReadError(`${baseName(fileName)}: binary file (NUL byte at offset ${nul}), not a text log`);
  if (text.trim() === '') return emptyLog(fileName, bytes);
  const format = detectFormat(fileName, text.slice(0, 65536));
  if (!format) throw unknownFormat(fileName);
  const problems = new ProblemLog(baseName(fileName));
  const reader = makeReader(format, fileName, opts, problems, text.length);
  // Chunked so that progress can be reported on big buffers.
  const CH = 1 << 22;
  for (let i = 0; i < text.length; i += CH) {
    reader.push(text.slice(i, i + CH));
    opts.onProgress?.(Math.min(text.length, i + CH), text.length);
  }
  const log = reader.end();
  log.stats.bytes = bytes;
  return log;
}

/**
 * Streams a file from disk: UTF-8 decoded incrementally (bad bytes reported by line), parsed chunk
 * by chunk, only the kept numeric columns stored. Rejects with LogReadError when the file cannot
 * be read, is binary or is not a log; with an AbortError when `opts.signal` aborts.
 */
export async function parseLogFile(path: string, opts: ParseOptions = {}): Promise<ParsedLog> {
  if (opts.signal?.aborted) throw abortError();
  let total: number;
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(path);
    total = st.size;
  } catch (e) {
    if (e instanceof LogReadError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new LogReadError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message})`);
  }
  // Run folders (TensorBoard, MLflow, W&B) and binary run logs: runs.ts.
  const run = await parseRunPath(path, opts, st);
  if (run) return run;
  if (st.isDirectory()) throw new LogReadError(`${path}: is a directory, not a log file`);
  if (total === 0) return emptyLog(path, 0);
  const decoder = new TextDecoder('utf-8');
  let reader: Reader | undefined;
  let bytes = 0;
  let pending = '';
  // One buffer reused for every read: no per-chunk garbage outside the JS heap.
  const buf = Buffer.allocUnsafe(1 << 20);
  let asciiSoFar = true;
  let fh: fs.promises.FileHandle | undefined;
  // Big CSV files: once the roles are decided, the rest is cut at line ends and read by helper
  // threads too (parallel.ts); this thread reads up to `stopAt`, then joins the parts.
  const threads = Math.max(1, Math.floor(opts.threads ?? coreCount()));
  let split = threads > 1 && total >= (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES) ? parseWorkerFile() : undefined;
  let joined = 0;
  let stopAt = total;
  let parts: { run: PartsRun; cuts: number[] } | undefined;
  const readUntil = async (limit: number, h: fs.promises.FileHandle): Promise<ParsedLog | undefined> => {
    for (;;) {
      if (opts.signal?.aborted) throw abortError();
      if (bytes >= limit) break;
      // Small reads until the split is planned: the parts then start soon after the sampled rows.
      const want = split && !parts ? 1 << 16 : buf.length;
      const { bytesRead } = await h.read(buf, 0, Math.min(want, limit - bytes), bytes);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      if (bytes === 0) {
        const nul = chunk.subarray(0, 8192).indexOf(0);
        if (nul >= 0 && binaryRunFormat(baseName(path), chunk) === 'tfevents') return parseTfevents([path], path, opts);
        if (nul >= 0) throw new LogReadError(`${path}: binary file (NUL byte at offset ${nul}), not a text log`);
      }
      bytes += bytesRead;
      // Pure-ASCII chunks (most logs) skip UTF-8 decoding; after the first other byte the
      // streaming decoder takes over for good (it may hold a partial character).
      let text: string;
      if (asciiSoFar && isAscii(chunk)) text = chunk.toString('latin1', 0, bytesRead);
      else { asciiSoFar = false; text = decoder.decode(chunk, { stream: true }); }
      if (!reader) {
        pending += text;
        if (pending.length < 65536 && bytes < total) continue;
        text = pending;
        pending = '';
        if (text.trim() === '') { pending = text; continue; }
        const format = detectFormat(path, text.slice(0, 65536));
        if (!format) throw unknownFormat(path);
        reader = makeReader(format, path, opts, new ProblemLog(baseName(path)), total);
        if (!(reader instanceof CsvReader)) split = undefined;
      }
      reader.push(text);
      opts.onProgress?.(Math.min(total, Math.round((bytes / limit) * total)), total);
      if (split && !parts && reader instanceof CsvReader) {
        const plan = reader.plan();
        if (plan && !reader.quoted) {
          const cuts = await cutAtLines(path, bytes, total, threads);
          if (cuts.length > 1) {
            const ranges = cuts.slice(1).map((end, k): [number, number] => [cuts[k], end]);
            parts = { run: startParts(path, plan, ranges, split), cuts };
            stopAt = limit = cuts[0];
          }
          split = undefined;
        }
      }
    }
    return undefined;
  };
  try {
    fh = await fs.promises.open(path, 'r');
    const other = await readUntil(stopAt, fh);
    if (other) return other;
    if (parts) {
      const { run, cuts } = parts;
      const onAbort = () => run.stop();
      opts.signal?.addEventListener('abort', onAbort);
      let results: (CsvPartResult | undefined)[];
      try {
        results = await run.results;
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
        run.stop();
      }
      if (opts.signal?.aborted) throw abortError();
      const csv = reader as CsvReader;
      let k = 0;
      // Join the parts in order while they are usable; whatever is left is read here.
      for (; k < results.length; k++) {
        const r = results[k];
        const at = csv.position();
        if (!r || r.quoted || csv.quoted || at.pending) break;
        csv.absorb(r, at.line);
        bytes = cuts[k + 1];
        joined++;
      }
      if (k < results.length) await readUntil(total, fh);
    }
  } catch (e) {
    parts?.run.stop();
    if (opts.signal?.aborted || (e as Error).name === 'AbortError') throw abortError();
    if (e instanceof LogReadError) throw e;
    throw new LogReadError(`${path}: cannot read (${(e as Error).message})`);
  } finally {
    await fh?.close();
  }
  const tail = asciiSoFar ? '' : decoder.decode();
  if (!reader) {
    if ((pending + tail).trim() === '') return emptyLog(path, bytes);
    const format = detectFormat(path, (pending + tail).slice(0, 65536));
    if (!format) throw unknownFormat(path);
    reader = makeReader(format, path, opts, new ProblemLog(baseName(path)), total);
    reader.push(pending + tail);
  } else if (tail) reader.push(tail);
  const log = reader.end();
  log.stats.bytes = bytes;
  if (joined > 0) log.stats.parts = joined;
  return log;
}

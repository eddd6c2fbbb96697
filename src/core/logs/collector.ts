/**
 * The state every format reader feeds: the kept numeric columns (block storage), run labels, the
 * source line of each row, restart/duplicate handling, and capped problem reporting.
 */
import type { Problem } from '../dataset';
import { setOwn } from '../own';
import { GrowF64, GrowU32 } from './store';
import type { ColumnInfo, ColumnRole, LogFormat, NonFiniteTail, ParsedLog, ParseStats } from './types';
import type { SampleValue } from './types';
import { plural } from '../format';

/** Roles whose numeric columns are kept in `data` (epoch only when there is no step column). */
const KEPT: ReadonlySet<ColumnRole> = new Set<ColumnRole>(['step', 'tokens', 'flops', 'params', 'loss', 'eval_loss', 'lr']);

export function keptRole(role: ColumnRole, hasStep: boolean): boolean {
  return KEPT.has(role) || (role === 'epoch' && !hasStep);
}

export function baseName(file: string): string {
  // (A folder given with its trailing separator, `icefall-xlsr-tb/`, is named as without it: its
  // messages had begun with an empty name, ": the last launch, …".)
  let end = file.length;
  while (end > 1 && (file[end - 1] === '/' || file[end - 1] === '\\')) end--;
  const f = end < file.length ? file.slice(0, end) : file;
  const i = Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\'));
  return i >= 0 ? f.slice(i + 1) : f;
}

const CAP = 20;

/** What a file of several runs one after another gets read as, and how to read the others. */
export const LAST_RUN_READ = 'only the last run in the file is read (a sweep\'s runs printed one after another: "Scaling Lens: Split Runs into Files", CLI `scaling-lens split`, writes each run to a file of its own)';
/** The rows a new run supersedes, in words, and that only the last run is read. */
export function runSupersedes(gone: number): string {
  return `${gone === 1 ? 'its one earlier row is' : `its ${plural(gone, 'earlier row')} are`} superseded, ${LAST_RUN_READ}`;
}

/** Where a loss column is NaN or infinite to the log's end: "loss is NaN from step 15 (line 64) to the last step, 20 (line 76)". */
export function nonFiniteTailWhere(t: NonFiniteTail): string {
  const at = (p: { at?: number; line: number }) => (t.axis && p.at !== undefined ? `${t.axis} ${p.at} (line ${p.line})` : `line ${p.line}`);
  const to = t.to.last
    ? t.axis && t.to.at !== undefined ? `the last ${t.axis}, ${t.to.at} (line ${t.to.line})` : `the last row (line ${t.to.line})`
    : `${at(t.to)}, with no finite value after it`;
  return `${t.column} is ${t.what} from ${at(t.from)} to ${to}`;
}

/** One problem as added, before it is formatted with the file name (`col`: the column of a NaN or infinite value). */
export interface RawProblem { kind: string; line: number; severity: Problem['severity']; message: string; what: string; col?: string }

/** The most lines of one column's NaN and infinite values remembered (the latest): enough for a tail of them, see nonFiniteAfter. */
const NONFINITE_KEPT = 1 << 20;

/** The lines of one column's NaN and infinite values (`inf`: which were infinite), the latest NONFINITE_KEPT; `cut`: the last line let go. */
export interface NonFiniteLines { lines: number[]; inf: boolean[]; cut: number }
/**
 * The fewest points a loss-curve law is fitted to (src/core/fit/run.ts refuses fewer after the
 * warm-up): a run with fewer in every loss column cannot be fitted at all, whatever the options.
 */
export const LAW_MIN_POINTS = 4;

/** The most values (finite) any training or evaluation loss column of a parsed log holds. */
export function lawPoints(log: Pick<ParsedLog, 'columns' | 'data' | 'rows'>): number {
  let best = 0;
  for (const c of log.columns) {
    if (c.role !== 'loss' && c.role !== 'eval_loss') continue;
    const a = Object.prototype.hasOwnProperty.call(log.data, c.name) ? log.data[c.name] : undefined;
    if (!a) continue;
    let k = 0;
    for (let i = 0; i < a.length && i < log.rows; i++) if (Number.isFinite(a[i])) k++;
    if (k > best) best = k;
  }
  return best;
}

/** A step range in words: `steps 1–51`, `step 1`. */
export function stepRange(first: number, last: number): string {
  return first === last ? `step ${first}` : `steps ${first}–${last}`;
}

/** Problems, at most CAP messages per kind; the rest are counted and summarised at the end. */
export class ProblemLog {
  readonly list: Problem[] = [];
  private counts = new Map<string, { n: number; listed: number; first: number; what: string; severity: Problem['severity'] }>();
  /**
   * Each column's NaN and infinite values (nonFiniteCell): their lines, and the warnings listed for
   * them, so that a run of them to the log's end can be said once (Collector.finish).
   */
  private nonFinite = new Map<string, NonFiniteLines & { listed: Array<{ p: Problem; inf: boolean }> }>();
  /** When set, the problems as added (at most CAP per kind), to be replayed into another log. */
  raw: RawProblem[] | undefined;
  constructor(readonly file: string) {}

  add(kind: string, line: number, severity: Problem['severity'], message: string, what = kind): void {
    let c = this.counts.get(kind);
    if (!c) { c = { n: 0, listed: 0, first: line, what, severity }; this.counts.set(kind, c); }
    c.n++;
    if (c.n <= CAP) {
      c.listed++;
      this.list.push({ line, severity, message: line > 0 ? `${this.file}:${line}: ${message}` : `${this.file}: ${message}` });
      this.raw?.push({ kind, line, severity, message, what });
    }
  }

  /** A NaN or infinite value of column `col` at `line` (kind 'nan' or 'inf'), warned as `message` and remembered by column. */
  nonFiniteCell(kind: 'nan' | 'inf', line: number, col: string, message: string, what: string): void {
    const before = this.list.length;
    this.add(kind, line, 'warning', message, what);
    const listed = this.list.length > before ? this.list[this.list.length - 1] : undefined;
    if (listed && this.raw) this.raw[this.raw.length - 1].col = col;
    this.noteNonFinite(col, [line], [kind === 'inf'], 0, listed && { p: listed, inf: kind === 'inf' });
  }

  private noteNonFinite(col: string, lines: readonly number[], inf: readonly boolean[], cut: number, listed?: { p: Problem; inf: boolean }): void {
    let e = this.nonFinite.get(col);
    if (!e) { e = { lines: [], inf: [], cut: 0, listed: [] }; this.nonFinite.set(col, e); }
    for (let i = 0; i < lines.length; i++) { e.lines.push(lines[i]); e.inf.push(inf[i]); }
    e.cut = Math.max(e.cut, cut);
    if (listed) e.listed.push(listed);
    // Only the latest are needed (a tail to the log's end): a run NaN on 10^7 lines keeps 2^20 of them.
    if (e.lines.length > 2 * NONFINITE_KEPT) {
      const gone = e.lines.splice(0, e.lines.length - NONFINITE_KEPT);
      e.inf.splice(0, gone.length);
      for (const l of gone) if (l > e.cut) e.cut = l;
    }
  }

  /** Each column's NaN and infinite values so far (a part read on another thread hands them on, replay). */
  nonFiniteLines(): Array<[string, NonFiniteLines]> {
    return [...this.nonFinite].map(([col, e]) => [col, { lines: e.lines.slice(), inf: e.inf.slice(), cut: e.cut }]);
  }

  /**
   * The lines (in order) of column `col`'s NaN and infinite values after line `after`, and how many
   * were infinite; undefined when there are none, or when some after it were let go (NONFINITE_KEPT).
   */
  nonFiniteAfter(col: string, after: number): { lines: number[]; inf: number } | undefined {
    const e = this.nonFinite.get(col);
    if (!e || e.cut > after) return undefined;
    const lines: number[] = [];
    let inf = 0;
    for (let i = 0; i < e.lines.length; i++) if (e.lines[i] > after) { lines.push(e.lines[i]); if (e.inf[i]) inf++; }
    if (lines.length === 0) return undefined;
    return { lines: lines.sort((a, b) => a - b), inf };
  }

  /**
   * Takes back the warnings of column `col`'s NaN and infinite values after line `after` (said once
   * instead, by the caller): out of the list and the counts.
   */
  forgetNonFinite(col: string, after: number): void {
    const e = this.nonFinite.get(col);
    if (!e) return;
    const gone = e.listed.filter((l) => l.p.line > after);
    const goneSet = new Set(gone.map((l) => l.p));
    const left = this.list.filter((p) => !goneSet.has(p));
    this.list.length = 0;
    this.list.push(...left);
    e.listed = e.listed.filter((l) => !goneSet.has(l.p));
    let nan = 0, inf = 0, nanListed = 0, infListed = 0;
    for (let i = 0; i < e.lines.length; i++) if (e.lines[i] > after) { if (e.inf[i]) inf++; else nan++; }
    for (const l of gone) if (l.inf) infListed++; else nanListed++;
    const take = (kind: string, n: number, listed: number) => {
      const c = this.counts.get(kind);
      if (!c) return;
      c.n = Math.max(0, c.n - n);
      c.listed = Math.max(0, c.listed - listed);
      if (c.n === 0) this.counts.delete(kind);
    };
    take('nan', nan, nanListed);
    take('inf', inf, infListed);
    const keep = e.lines.map((l) => l <= after);
    e.lines = e.lines.filter((_, i) => keep[i]);
    e.inf = e.inf.filter((_, i) => keep[i]);
  }

  /** Adds the problem unless one of its kind was added before (a note said once); whether it was added. */
  once(kind: string, line: number, severity: Problem['severity'], message: string): boolean {
    if (this.counts.has(kind)) return false;
    this.add(kind, line, severity, message);
    return true;
  }

  /** How many problems of each kind were added (beyond the CAP kept as messages too). */
  tally(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, c] of this.counts) out[k] = c.n;
    return out;
  }

  /**
   * Adds problems recorded by another log (a part of the file read on another thread), their lines
   * moved down by `lineBase`; `tally` = how many of each kind it saw in all.
   */
  replay(raw: RawProblem[], tally: Record<string, number>, lineBase: number, nonFinite: Array<[string, NonFiniteLines]> = []): void {
    const seen = new Map<string, number>();
    for (const p of raw) {
      const before = this.list.length;
      this.add(p.kind, p.line > 0 ? p.line + lineBase : 0, p.severity, p.message, p.what);
      seen.set(p.kind, (seen.get(p.kind) ?? 0) + 1);
      // (A NaN's warning as listed; its line comes with the part's others, below.)
      if (p.col !== undefined && this.list.length > before) {
        if (this.raw) this.raw[this.raw.length - 1].col = p.col;
        this.noteNonFinite(p.col, [], [], 0, { p: this.list[this.list.length - 1], inf: p.kind === 'inf' });
      }
    }
    for (const [col, e] of nonFinite) this.noteNonFinite(col, e.lines.map((l) => l + lineBase), e.inf, e.cut > 0 ? e.cut + lineBase : 0);
    for (const kind of Object.keys(tally)) {
      const extra = tally[kind] - (seen.get(kind) ?? 0);
      const c = this.counts.get(kind);
      if (extra > 0 && c) c.n += extra;
    }
  }

  finish(): Problem[] {
    // In line order (rows sampled before the roles are known report late); file-wide notes last.
    const key = (p: Problem): number => (p.line === 0 ? Infinity : p.line);
    this.list.sort((a, b) => key(a) - key(b));
    for (const [, c] of this.counts) {
      if (c.n > c.listed) {
        this.list.push({ line: 0, severity: c.severity, message: `${this.file}: ${c.n - c.listed} more lines with ${c.what} (${c.n} in all, first at line ${c.first})` });
      }
    }
    return this.list;
  }

  /** A copy that goes on separately (a reader's fork, incremental.ts). */
  fork(): ProblemLog {
    const f = new ProblemLog(this.file);
    f.list.push(...this.list);
    for (const [k, c] of this.counts) f.counts.set(k, { ...c });
    for (const [k, e] of this.nonFinite) f.nonFinite.set(k, { lines: e.lines.slice(), inf: e.inf.slice(), cut: e.cut, listed: e.listed.slice() });
    f.raw = this.raw?.slice();
    return f;
  }

  /** What finish() would return, leaving this log open for more (incremental reads). */
  snapshot(): Problem[] {
    const copy = new ProblemLog(this.file);
    copy.list.push(...this.list);
    copy.counts = this.counts;
    return copy.finish();
  }
}

export { own, setOwn } from '../own';
/**
 * `0x3`, `0b1010`, `0o7`: JavaScript reads them as numbers, no training log means them as such.
 * Only the first characters are looked at, so it is cheap on the hot path.
 */
export function hasRadixPrefix(s: string): boolean {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) <= 32 || s.charCodeAt(i) === 0xa0 || s.charCodeAt(i) === 0xfeff)) i++;
  if (s.charCodeAt(i) !== 48) return false;
  const c = s.charCodeAt(i + 1) | 0x20;
  return c === 120 || c === 98 || c === 111;
}

/** A decimal number as text → the number; NaN for anything else (including 0x/0o/0b literals). */
export function decimalNumber(s: string): number {
  const v = Number(s);
  return v === v && hasRadixPrefix(s) ? NaN : v;
}

/** Parses one cell of a kept numeric column; NaN for empty, text, NaN and ±inf (the last three reported). */
export function cellNumber(s: string, line: number, col: string, problems: ProblemLog): number {
  if (s.length !== 0) {
    const v = +s;
    if (v - v === 0 && (v !== 0 || s.trim() !== '') && !(v % 1 === 0 && hasRadixPrefix(s))) return v;
  }
  return slowCell(s, line, col, problems);
}

/** A JSON number that overflowed to ±Infinity (`1e309`): reported like the CSV path, kept as missing. */
export function nonFiniteNumber(v: number, line: number, col: string, problems: ProblemLog): number {
  if (v - v === 0) return v;
  if (v !== v) {
    // A reader's NaN (a console's bare `nan`, a JSON reader's NaN).
    problems.nonFiniteCell('nan', line, col, `${col} is NaN (treated as missing)`, 'NaN values');
    return NaN;
  }
  problems.nonFiniteCell('inf', line, col, `${col} is ${v > 0 ? 'a' : 'a negative'} number too large for a 64-bit float (read as ${v}; treated as missing)`, 'infinite values');
  return NaN;
}

function slowCell(s: string, line: number, col: string, problems: ProblemLog): number {
  const t = s.trim().replace(/^"|"$/g, '').toLowerCase();
  if (t === '' || t === 'null' || t === 'none') return NaN;
  if (t === 'nan' || t === '-nan' || t === '+nan') {
    problems.nonFiniteCell('nan', line, col, `${col} is NaN (treated as missing)`, 'NaN values');
    return NaN;
  }
  if (/^[-+]?inf(inity)?$/.test(t)) {
    problems.nonFiniteCell('inf', line, col, `${col} is ${s.trim()} (treated as missing)`, 'infinite values');
    return NaN;
  }
  const v = decimalNumber(t);
  if (Number.isFinite(v)) return v;
  if (v === Infinity || v === -Infinity) {
    problems.nonFiniteCell('inf', line, col, `${col} is ${clip(s.trim())}, too large for a 64-bit float (treated as missing)`, 'infinite values');
    return NaN;
  }
  const why = hasRadixPrefix(t) ? 'a hexadecimal, octal or binary literal, not a decimal number' : 'not a number';
  problems.add('text', line, 'warning', `${col} holds '${clip(s)}', ${why} (treated as missing)`, 'cells that are not numbers');
  return NaN;
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

/**
 * A JSON value as the role inference and run labels see it. Arrays and objects become a tag, never
 * `String(v)` (which recurses: a cell nested 10,000 arrays deep overflows the stack).
 */
export function sampleValue(v: unknown): SampleValue {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return Array.isArray(v) ? '[array]' : '[object]';
  return String(v);
}

/** Rows of a raw collector: kept columns in collector order, source lines, run labels. */
export interface RawBlock { cols: Float64Array[]; lines: Uint32Array; labels?: string[] }

export interface KeptCol { name: string; role: ColumnRole; store: GrowF64 }

/** Kept columns and source lines in memory shared between threads (Collector.shareColumns). */
export interface SharedColumns { cols: SharedArrayBuffer[]; lines: SharedArrayBuffer; regions: number[] }

/** Bytes a row of the collector's kept columns takes: 8 a column, 4 for its line, 8 for a run name. */
export function columnRowBytes(c: Collector): number {
  return 8 * c.cols.length + 4 + (c.runName !== undefined ? 8 : 0);
}

/** The warning on the first line the column budget left out (`left`, `whole`, `need`: bytes, when known). */
export function columnBudgetNote(c: Collector, budget: number, left?: { left: number; whole: number; need: number }): string {
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  const how = `more than the ${mb(budget)} a log may take (the setting scalingLens.memory.logMegabytes; the CLI's --max-log-mb)`;
  return left
    ? `this line and the ${mb(left.left)} after it are left out: the ${c.cols.length} columns kept from the whole ${mb(left.whole)} would need about ${mb(left.need)}, ${how}`
    : `this line and the rest are left out: the ${c.cols.length} columns kept would need ${how}`;
}

export class Collector {
  readonly cols: KeptCol[] = [];
  /** Values of the row being assembled, by kept-column index (NaN = missing). */
  scratch: number[] = [];
  stepJ = -1;
  readonly lines = new GrowU32();
  runName: string | undefined;
  readonly labels: string[] = [];
  readonly stats: ParseStats = { bytes: 0, rowsRead: 0, dropped: 0, superseded: 0, segments: 0, merged: 0 };
  /**
   * Raw: rows are stored as read, without the step logic (restarts, duplicates); a part of a file
   * read on another thread, appended in order to the whole file's collector (appendBlock).
   */
  raw = false;
  private n = 0;
  /**
   * The latest run that a new run superseded whole and that holds enough points for a loss-curve law
   * (a copy of its rows): read instead of the last run when that one cannot be fitted at all (a
   * crash stub: k2/icefall's TensorBoard folder ends with a launch that logged steps 1 and 51 only,
   * after one that logged 30 rows; a sweep printed to one console can end the same way).
   */
  private earlier: { cols: Float64Array[]; lines: Uint32Array; first: number; last: number } | undefined;
  private groupStart = 0;
  private groupLabel: string | undefined;
  private lastStep = NaN;
  /**
   * A budget for the kept columns' bytes, rows read in order until the next one would pass it
   * (columnRowBytes each): a console log, whose rows per byte no sample can tell (CSV and JSON lines
   * are cut before they are read, parse.ts). Set with limitBytes.
   */
  private maxBytes = Infinity;
  private maxRows = Infinity;
  /** The line of the first row the budget left out (0: none); every row after it is left out too. */
  full = 0;

  constructor(
    readonly file: string,
    readonly format: LogFormat,
    readonly kind: 'run' | 'sweep',
    readonly problems: ProblemLog,
    runName?: string,
  ) {
    this.runName = runName;
  }

  /** Adds a kept column (backfilled with NaN) and returns its index in `scratch`. */
  addColumn(name: string, role: ColumnRole): number {
    const store = new GrowF64();
    store.fill(NaN, this.n);
    this.cols.push({ name, role, store });
    this.scratch.push(NaN);
    if (role === 'step' && this.stepJ < 0) this.stepJ = this.cols.length - 1;
    this.maxRows = Math.floor(this.maxBytes / columnRowBytes(this));
    return this.cols.length - 1;
  }

  /** Reads rows until the kept columns would take more than `bytes` (see maxBytes). */
  limitBytes(bytes: number): void {
    this.maxBytes = bytes;
    this.maxRows = Math.floor(bytes / columnRowBytes(this));
  }

  get rows(): number { return this.n; }

  /** Pre-sizes every column for about `rows` rows (from the file size and the sampled row size); not shared ones (shareColumns). */
  reserve(rows: number): void {
    const n = Math.min(Math.ceil(rows), 2 ** 28);
    for (const c of this.cols) if (!c.store.onShared()) c.store.reserve(n);
    if (!this.lines.onShared()) this.lines.reserve(n);
  }

  /**
   * Moves the kept columns into memory shared with the threads that read the later parts of the
   * file (parallel.ts): `regions[k]` is where part k's rows start (part 0: this collector, from row
   * 0), the last entry the rows in all. This collector writes below regions[1]; a part writes its
   * rows in its own region (useShared), and appendBlock moves them down in place. Rows past a region
   * go to memory of their own (then copied as before). Undefined when the memory cannot be had.
   */
  shareColumns(regions: number[]): SharedColumns | undefined {
    const total = regions[regions.length - 1];
    if (this.raw || !(total < 2 ** 28) || regions.length < 3 || this.n > regions[1]) return undefined;
    let shared: SharedColumns;
    try {
      shared = { cols: this.cols.map(() => new SharedArrayBuffer(total * 8)), lines: new SharedArrayBuffer(total * 4), regions };
    } catch {
      return undefined;
    }
    this.cols.forEach((c, j) => c.store.shareWith(shared.cols[j], regions[1]));
    this.lines.shareWith(shared.lines, regions[1]);
    return shared;
  }

  /** A part's raw collector writes into its region `k` of the shared columns (shareColumns). */
  useShared(shared: SharedColumns, k: number): void {
    if (shared.cols.length !== this.cols.length || this.n !== 0) return;
    const at = shared.regions[k];
    const len = shared.regions[k + 1] - at;
    this.cols.forEach((c, j) => c.store.useRegion(shared.cols[j], at, len));
    this.lines.useRegion(shared.lines, at, len);
  }

  /** The other threads are done: this collector may write anywhere in the shared columns. */
  unshare(): void {
    for (const c of this.cols) c.store.unshare();
    this.lines.unshare();
  }

  /** Drops a row read from the file, with a reason. */
  drop(line: number, kind: string, message: string, what?: string): void {
    this.stats.dropped++;
    this.problems.add(kind, line, 'warning', message, what);
  }

  /**
   * A row whose step goes back, held until the next row: it fills only cells the run's last row lacks,
   * so at the file's end it is a final evaluation logged without its step (LitGPT's CSV logger writes
   * its final validation at step 0) or a logger's last flush (detectron2's lr and time of a stopped
   * run), merged into the last row at finish(); a row after it makes it
   * the restart it looks like.
   */
  private pending: { values: number[]; line: number; label: string | undefined } | undefined;

  /** Commits `scratch` as the row at `line`; resets `scratch` to NaN. */
  commit(line: number, label?: string): void {
    if (this.full) { this.scratch.fill(NaN); return; }
    this.flushPending();
    const sc = this.scratch;
    if (this.kind === 'run' && this.stepJ >= 0 && !this.raw && label === this.groupLabel && sc[this.stepJ] < this.lastStep && this.n > this.groupStart) {
      const last = this.n - 1;
      let fills = 0, clash = false;
      for (let j = 0; j < sc.length && !clash; j++) {
        if (j === this.stepJ || sc[j] !== sc[j]) continue;
        const old = this.cols[j].store.get(last);
        if (old === old) clash = true; else fills++;
      }
      if (fills > 0 && !clash) {
        this.pending = { values: sc.slice(), line, label };
        sc.fill(NaN);
        return;
      }
    }
    this.commitRow(line, label);
  }

  /**
   * commit() without a label, for the common row of a plain run: its step after the last one, no row
   * held, nothing to merge or supersede. Appended at once (what commitRow does for it, past its checks);
   * any other row goes through commit().
   */
  commitNext(line: number): void {
    const step = this.stepJ >= 0 ? this.scratch[this.stepJ] : NaN;
    if (!(step > this.lastStep) || this.pending !== undefined || this.full !== 0 || this.raw || this.kind !== 'run' || this.groupLabel !== undefined || this.runName !== undefined) {
      this.commit(line);
      return;
    }
    this.lastStep = step;
    this.pushRow(line, undefined);
  }

  /**
   * Appends `count` rows without labels as commit would one by one (values column after column:
   * column j's at j·stride, one row a line from `firstLine` on); false, nothing done, when any of
   * them needs more than appending (in a run, a step not past the one before; a row over the budget;
   * a row held).
   */
  appendRows(values: Float64Array, stride: number, count: number, firstLine: number): boolean {
    if (count === 0) return true;
    if (this.pending !== undefined || this.full !== 0 || this.runName !== undefined || this.groupLabel !== undefined || this.n + count > this.maxRows) return false;
    // The step logic (commitRow): in a run, not raw (a raw part's rows are kept as read, a sweep's too).
    if (this.kind === 'run' && this.stepJ >= 0 && !this.raw) {
      const st = values.subarray(this.stepJ * stride, this.stepJ * stride + count);
      if (!this.stepsIncrease(st)) return false;
      this.lastStep = st[count - 1];
    }
    this.pushColumns(this.cols.map((_, j) => values.subarray(j * stride, j * stride + count)), count);
    this.lines.pushRange(firstLine, count);
    return true;
  }

  /**
   * Rows a WebAssembly loop read (csvWasm.ts: row r's kept column j at values[j·stride + r], nK columns),
   * the first at line firstLine, the next ones on the lines after: in one piece when appendRows takes them,
   * else one by one as commitNext.
   */
  appendValues(values: Float64Array, stride: number, nK: number, count: number, firstLine: number): void {
    if (this.appendRows(values, stride, count, firstLine)) return;
    const sc = this.scratch;
    for (let r = 0; r < count; r++) {
      for (let q = 0; q < nK; q++) sc[q] = values[q * stride + r];
      this.commitNext(firstLine + r);
    }
  }

  /**
   * Whether rows with these steps need none of the step logic: each past the one before it, the first
   * past the last step held (or any, when none is).
   */
  private stepsIncrease(st: Float64Array): boolean {
    let prev = this.lastStep;
    for (let i = 0; i < st.length; i++) {
      const s = st[i];
      if (!(s > prev) && !(prev !== prev && s === s)) return false;
      prev = s;
    }
    return true;
  }

  /** Appends `m` rows that need none of the step logic, a column at a time (`cols` in this collector's column order; their lines apart). */
  private pushColumns(cols: Float64Array[], m: number): void {
    for (let j = 0; j < this.cols.length; j++) this.cols[j].store.pushArray(cols[j]);
    if (this.stats.segments === 0) this.stats.segments = 1;
    this.n += m;
  }

  /**
   * A reader knows a new run starts at `line` though its steps alone do not say so (a loop whose
   * planned total changed, started again from a later first step than the run before): every row of
   * the current run is superseded, as when steps go back before every earlier row.
   */
  newRun(line: number, why: string): void {
    if (this.full) return;
    this.flushPending();
    if (this.kind !== 'run' || this.raw || this.n <= this.groupStart) return;
    const gone = this.n - this.groupStart;
    if (this.groupLabel === undefined) this.stats.runStarts = [...(this.stats.runStarts ?? []), line];
    this.problems.add('restart', line, 'info', `a new run starts (${why}): ${runSupersedes(gone)}`, 'restarts');
    this.keepEarlier();
    this.supersedeFrom(this.groupStart);
    this.lastStep = NaN;
  }

  /** The most finite values a loss column holds in rows [lo, hi), counted up to LAW_MIN_POINTS (enough is enough). */
  private lawPointsIn(lo: number, hi: number): number {
    let best = 0;
    for (const c of this.cols) {
      if (c.role !== 'loss' && c.role !== 'eval_loss') continue;
      let k = 0;
      for (let i = lo; i < hi && k < LAW_MIN_POINTS; i++) if (Number.isFinite(c.store.buf[i])) k++;
      if (k > best) best = k;
    }
    return best;
  }

  /**
   * The current run is superseded whole by a new one (rows from groupStart on): kept as `earlier`
   * when it holds enough points for a law; else the one kept before stays (the latest run with enough).
   * Only a plain run (no run labels): a sweep's runs are all read.
   */
  private keepEarlier(): void {
    if (this.groupLabel !== undefined || this.runName !== undefined || this.stepJ < 0) return;
    const lo = this.groupStart, hi = this.n;
    if (hi - lo < LAW_MIN_POINTS || this.lawPointsIn(lo, hi) < LAW_MIN_POINTS) return;
    const step = this.cols[this.stepJ].store;
    this.earlier = { cols: this.cols.map((c) => c.store.buf.slice(lo, hi)), lines: this.lines.buf.slice(lo, hi), first: step.get(lo), last: step.get(hi - 1) };
  }

  /**
   * The earlier run to read instead of the last, when the last cannot be fitted at all (fewer points
   * in every loss column than any law needs) and an earlier one can (see `earlier`): with the
   * sentence that says so, at the line where the last run starts. Narrow on purpose: a last run
   * with enough points is read as it always was, however short.
   */
  private fallback(): { cols: Float64Array[]; lines: Uint32Array; rows: number; line: number; message: string } | undefined {
    const e = this.earlier;
    if (!e || this.kind !== 'run') return undefined;
    const k = this.lawPointsIn(0, this.n);
    if (k >= LAW_MIN_POINTS) return undefined;
    const rows = e.lines.length;
    const cols = this.cols.map((c, j) => e.cols[j] ?? new Float64Array(rows).fill(NaN));
    const starts = this.stats.runStarts ?? [];
    const line = starts.length ? starts[starts.length - 1] : this.n > 0 ? this.lines.buf[0] : 0;
    const st = this.cols[this.stepJ].store;
    const held = this.n > 0 ? `${plural(k, 'point')} with a loss (${stepRange(st.get(0), st.get(this.n - 1))})` : 'no rows';
    const message = `the last run in the file, from line ${line}, holds ${held}, too few to fit (a loss-curve law needs at least ${LAW_MIN_POINTS}): the run before it with enough points is read instead, lines ${e.lines[0]}–${e.lines[rows - 1]} (${stepRange(e.first, e.last)}), and the last run is set aside`;
    return { cols, lines: e.lines, rows, line, message };
  }

  /** Drops the rows from `lo` on (a restart, a new run), counted as superseded, a segment begun (unless not `segment`). */
  private supersedeFrom(lo: number, segment = true): void {
    if (this.sealed > 0) this.unseal();
    this.stats.superseded += this.n - lo;
    if (segment) this.stats.segments++;
    for (const c of this.cols) c.store.truncate(lo);
    this.lines.truncate(lo);
    if (this.runName !== undefined) this.labels.length = lo;
    this.n = lo;
  }

  /** The held row (pending) is a restart after all: committed as one. */
  private flushPending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const cur = this.scratch;
    this.scratch = p.values;
    while (this.scratch.length < this.cols.length) this.scratch.push(NaN);
    this.commitRow(p.line, p.label);
    this.scratch = cur;
  }

  /** The held row at the end of the file: merged into the run's last row, said so. */
  private settlePending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const last = this.n - 1;
    if (last < this.sealed) this.unseal();
    const names: string[] = [];
    for (let j = 0; j < p.values.length; j++) {
      if (j === this.stepJ || p.values[j] !== p.values[j]) continue;
      this.cols[j].store.set(last, p.values[j]);
      names.push(this.cols[j].name);
    }
    this.stats.merged = (this.stats.merged ?? 0) + 1;
    // What the row is said to be by what it holds: a loss is a final evaluation (LitGPT's CSV logger
    // writes its final validation at step 0); an LR and a time alone are not (detectron2's metrics.json
    // ends a stopped run with `{"iteration": 6651, "lr": …, "time": …}`, its writer's last flush grouped
    // by the iteration each value was put at, after the row of step 6652).
    const evaluation = p.values.some((v, j) => j !== this.stepJ && v === v && (this.cols[j].role === 'loss' || this.cols[j].role === 'eval_loss'));
    const taken = evaluation
      ? `taken as a final evaluation at step ${this.lastStep}, not a new run (${this.format === 'csv' ? "LitGPT's CSV logger writes its final validation at step 0" : 'an evaluation logged at an earlier step than the run reached'})`
      : `taken as values of the run's last step written out of step order (a logger's last flush when the run stopped), merged at step ${this.lastStep}, not a new run`;
    this.problems.add('final', p.line, 'info', `the last row goes back to step ${p.values[this.stepJ]} after the run reached step ${this.lastStep}, and holds only ${names.join(', ')}, which the run's last row lacks: ${taken}`);
  }

  private commitRow(line: number, label?: string): void {
    const sc = this.scratch;
    const cols = this.cols;
    if (this.kind === 'run' && this.stepJ >= 0 && !this.raw) {
      const step = sc[this.stepJ];
      if (label !== this.groupLabel) {
        this.groupLabel = label;
        this.groupStart = this.n;
        this.lastStep = NaN;
      }
      if (step !== step) {
        this.drop(line, 'nostep', 'row has no step value; dropped', 'rows without a step');
        sc.fill(NaN);
        return;
      }
      if (step === this.lastStep) {
        // Same step as the previous row (Lightning writes train and val metrics on separate rows):
        // merge, the later value winning where both have one.
        const last = this.n - 1;
        if (last < this.sealed) this.unseal();
        let conflict = '';
        for (let j = 0; j < cols.length; j++) {
          const v = sc[j];
          if (v !== v) continue;
          const old = cols[j].store.get(last);
          if (old === old && old !== v && !conflict) conflict = `${cols[j].name} ${old} → ${v}`;
          cols[j].store.set(last, v);
          sc[j] = NaN;
        }
        // The row keeps the line where its step first appeared, unless a value was replaced.
        if (conflict) this.lines.set(last, line);
        if (this.groupLabel !== undefined) this.labels[last] = label as string;
        if (conflict) {
          this.stats.superseded++;
          this.problems.add('dup', line, 'info', `step ${step} logged again; the later value wins (${conflict})`, 'duplicate steps');
        } else {
          this.stats.merged = (this.stats.merged ?? 0) + 1;
        }
        return;
      }
      if (step < this.lastStep) {
        // A restart (resumed job): everything logged from this step on is superseded.
        const st = cols[this.stepJ].store;
        let lo = this.groupStart, hi = this.n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (st.get(mid) < step) lo = mid + 1; else hi = mid;
        }
        let gone = this.n - lo;
        // Back before every earlier row: another run from the start (a sweep's runs printed one after
        // another, a job started again from scratch), not a resume: said so, and where (a new array:
        // a fork shares the stats' until it writes).
        // So is a run that starts at step 1 after one that logged step 0 (build-nanogpt's forks: a
        // run pasted without its step 0 line after one with it): no checkpoint resumes at step 1, and
        // the earlier run's step 0 is not this run's.
        const fromOne = lo === this.groupStart + 1 && step === 1 && cols[this.stepJ].store.get(this.groupStart) === 0;
        if (fromOne) { lo = this.groupStart; gone = this.n - lo; }
        const again = lo === this.groupStart && gone > 1;
        // One row back, from a row without a loss to one with it: not a restart but a row written out
        // of step order (detectron2's metrics.json, a run stopped at iteration 87: its writer's last
        // flush puts `{"iteration": 87, "roi_head/…": …}` before the losses of iteration 86). Dropped
        // as before, said as what it is, no segment counted.
        if (gone === 1 && lo > this.groupStart && !this.holdsLoss((j) => cols[j].store.get(lo)) && this.holdsLoss((j) => sc[j])) {
          this.problems.add('order', line, 'info', `step goes back from ${this.lastStep} to ${step}, and the row at step ${this.lastStep} (line ${this.lines.buf[lo]}) holds no loss: taken as a row written out of step order (a logger's flush when the run stopped), not a restart; its values are dropped`, 'rows out of step order');
          this.supersedeFrom(lo, false);
          this.lastStep = step;
          return this.pushRow(line, label);
        }
        if (again && this.groupLabel === undefined) this.stats.runStarts = [...(this.stats.runStarts ?? []), line];
        this.problems.add('restart', line, 'info', again
          ? `a run starts again from step ${step} (the one before reached step ${this.lastStep}): ${runSupersedes(gone)}`
          : `restart: step goes back from ${this.lastStep} to ${step}; ${plural(gone, 'earlier row')} from step ${step} on superseded`, 'restarts');
        if (again) this.keepEarlier();
        this.supersedeFrom(lo);
      }
      this.lastStep = step;
    }
    this.pushRow(line, label);
  }

  /** Whether a row (its value in column j by `at`) holds a loss: a training or held-out loss column with a value. */
  private holdsLoss(at: (j: number) => number): boolean {
    for (let j = 0; j < this.cols.length; j++) {
      const r = this.cols[j].role;
      if ((r === 'loss' || r === 'eval_loss') && at(j) === at(j)) return true;
    }
    return false;
  }

  /** Appends `scratch` as a new row at `line`; resets `scratch` to NaN. */
  private pushRow(line: number, label: string | undefined): void {
    const cols = this.cols;
    const sc = this.scratch;
    if (this.n >= this.maxRows) {
      this.full = line;
      sc.fill(NaN);
      this.problems.add('column-budget', line, 'warning', columnBudgetNote(this, this.maxBytes), 'memory budget');
      return;
    }
    if (this.n === 0 || this.stats.segments === 0) this.stats.segments = Math.max(this.stats.segments, 1);
    for (let j = 0; j < cols.length; j++) {
      cols[j].store.push(sc[j]);
      sc[j] = NaN;
    }
    this.lines.push(line);
    if (this.runName !== undefined) this.labels.push(label ?? '');
    this.n++;
  }

  /**
   * Appends rows read elsewhere (a raw collector's columns, in this collector's column order) as if
   * each had been committed here: in one copy when nothing in them needs the step logic (a run whose
   * steps keep increasing, or a sweep), else row by row.
   */
  appendBlock(block: RawBlock, lineBase: number): void {
    const m = block.lines.length;
    if (m === 0) return;
    this.flushPending();
    const cols = this.cols;
    // Rows that are not in their region of the shared columns (they overflowed it) would be written
    // over the regions of the parts still to join: this collector's rows move to memory of their own
    // first (the later parts are then copied too).
    if (this.lines.onShared() && !(block.lines.buffer instanceof SharedArrayBuffer && block.cols.every((a) => a.buffer instanceof SharedArrayBuffer))) {
      const n = this.n + m;
      for (const c of cols) c.store.detach(n);
      this.lines.detach(n);
    }
    let bulk = true;
    if (this.kind === 'run' && this.stepJ >= 0) {
      const st = block.cols[this.stepJ];
      bulk = this.runName === undefined && this.stepsIncrease(st.subarray(0, m));
      if (bulk) this.lastStep = st[m - 1];
    }
    if (bulk) {
      this.pushColumns(block.cols, m);
      this.lines.pushShifted(block.lines, lineBase);
      if (this.runName !== undefined) for (let i = 0; i < m; i++) this.labels.push(block.labels?.[i] ?? '');
      return;
    }
    const sc = this.scratch;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < cols.length; j++) sc[j] = block.cols[j][i];
      this.commit(block.lines[i] + lineBase, this.runName !== undefined ? block.labels?.[i] ?? '' : undefined);
    }
  }

  /** The raw rows held (for appendBlock on another collector). */
  block(): RawBlock {
    const b: RawBlock = { cols: this.cols.map((c) => c.store.toArray()), lines: this.lines.toArray() };
    if (this.runName !== undefined) b.labels = this.labels.slice(0, this.n);
    return b;
  }

  /**
   * A collector holding the same rows that goes on separately, reporting to `problems`: its stores
   * share this one's buffers until either writes (incremental.ts reads a file's unfinished last
   * line with a fork, the reader kept open at the line end staying as it was).
   */
  fork(problems: ProblemLog): Collector {
    const f = new Collector(this.file, this.format, this.kind, problems, this.runName);
    for (const c of this.cols) f.cols.push({ name: c.name, role: c.role, store: c.store.fork() });
    // (Read-only fields: set once, here.)
    Object.assign(f, { lines: this.lines.fork(), labels: this.labels.slice(), stats: { ...this.stats } });
    f.scratch = this.scratch.slice();
    f.stepJ = this.stepJ;
    f.raw = this.raw;
    f.n = this.n;
    f.groupStart = this.groupStart;
    f.groupLabel = this.groupLabel;
    f.lastStep = this.lastStep;
    f.sealed = this.sealed;
    f.pending = this.pending && { ...this.pending, values: this.pending.values.slice() };
    f.earlier = this.earlier;
    return f;
  }

  /** Rows handed out by snapshot() as views of the stores: changing one first copies the stores. */
  private sealed = 0;

  private unseal(): void {
    for (const c of this.cols) c.store.buf = c.store.buf.slice();
    this.lines.buf = this.lines.buf.slice();
    this.sealed = 0;
  }

  /**
   * The log so far, leaving this collector open for more rows (incremental reads): columns are
   * views of the stores, which a later merge or restart copies before changing a row they show.
   */
  snapshot(columns: ColumnInfo[], stats: ParseStats): ParsedLog {
    const data: Record<string, Float64Array> = {};
    const fb = this.fallback();
    if (fb) {
      // (The copies are the log's own: the collector goes on with the last run's rows.)
      this.cols.forEach((c, j) => setOwn(data, c.name, fb.cols[j].slice()));
      const problems = this.problems.snapshot();
      const note = { line: fb.line, severity: 'info' as const, message: `${this.problems.file}${fb.line > 0 ? `:${fb.line}` : ''}: ${fb.message}` };
      const at = problems.findIndex((p) => p.line === 0 || p.line > fb.line);
      problems.splice(at < 0 ? problems.length : at, 0, note);
      const launchRead = note.message;
      return {
        file: this.file, format: this.format, kind: this.kind, rows: fb.rows, columns: columns.slice(), data,
        lines: fb.lines.slice(), problems, stats: { ...stats, superseded: stats.superseded + this.n - fb.rows, launchRead },
      };
    }
    for (const c of this.cols) setOwn(data, c.name, c.store.buf.subarray(0, this.n));
    this.sealed = this.n;
    // (A tail said once on a copy of the problems: the rows read later may bring the loss back.)
    let tails = this.nonFiniteTails(this.problems, false);
    let problems: Problem[];
    if (tails.length) {
      const copy = this.problems.fork();
      tails = this.nonFiniteTails(copy);
      problems = copy.finish();
    } else problems = this.problems.snapshot();
    const log: ParsedLog = {
      file: this.file, format: this.format, kind: this.kind, rows: this.n, columns: columns.slice(), data,
      lines: this.lines.buf.subarray(0, this.n), problems, stats,
    };
    if (this.runName !== undefined) {
      log.labels = {};
      setOwn(log.labels, this.runName, this.labels.slice(0, this.n));
    }
    if (tails.length) log.run = { ...(log.run ?? {}), nonFiniteTails: tails };
    return log;
  }

  /**
   * Loss columns NaN or infinite from a row to the log's end (a real ColossalAI DreamBooth console:
   * "loss=nan" on each of its last 6 steps, each a warning of its own): the run diverged, said once,
   * in `problems` instead of their warnings. At least 2 rows: a lone NaN in the last row stays a
   * warning of its own, as one anywhere else. A run's rows only (not a sweep's, nor labelled runs').
   * `say` false: only found, `problems` left as they are.
   */
  private nonFiniteTails(problems: ProblemLog, say = true): NonFiniteTail[] {
    const out: NonFiniteTail[] = [];
    if (this.kind !== 'run' || this.raw || this.runName !== undefined || this.n < 3) return out;
    const n = this.n, lines = this.lines.buf;
    const axisJ = this.stepJ >= 0 ? this.stepJ : this.cols.findIndex((c) => c.role === 'epoch');
    for (const c of this.cols) {
      if (c.role !== 'loss' && c.role !== 'eval_loss') continue;
      let f = n - 1;
      while (f >= 0 && !(c.store.get(f) - c.store.get(f) === 0)) f--;
      if (f < 0 || f === n - 1) continue;
      const after = problems.nonFiniteAfter(c.name, lines[f]);
      if (!after || after.lines.length < 2) continue;
      // The rows after the last finite value that hold one: a row takes the values reported from its
      // line to the next row's (a step drawn again on a later line is merged into its row).
      const L = after.lines;
      let k = 0, rows = 0, first = -1, last = -1, firstLine = 0;
      for (let i = f + 1; i < n && k < L.length; i++) {
        const hi = i + 1 < n ? lines[i + 1] : Infinity;
        let hit = 0;
        while (k < L.length && L[k] < hi) { if (L[k] >= lines[i] && hit === 0) hit = L[k]; k++; }
        if (hit === 0) continue;
        rows++;
        if (first < 0) { first = i; firstLine = hit; }
        last = i;
      }
      if (rows < 2) continue;
      let before = 0;
      for (let i = 0; i <= f; i++) if (c.store.get(i) - c.store.get(i) === 0) before++;
      const axis = axisJ >= 0 ? (this.cols[axisJ].role === 'epoch' ? 'epoch' : 'step') : undefined;
      const atRow = (i: number) => { const v = axisJ >= 0 ? this.cols[axisJ].store.get(i) : NaN; return v - v === 0 ? v : undefined; };
      const t: NonFiniteTail = {
        column: c.name, what: after.inf === 0 ? 'NaN' : after.inf === L.length ? 'infinite' : 'NaN or infinite',
        from: { at: atRow(first), line: firstLine }, to: { at: atRow(last), line: L[L.length - 1], last: last === n - 1 }, before,
      };
      if (axis) t.axis = axis;
      out.push(t);
      if (!say) continue;
      problems.forgetNonFinite(c.name, lines[f]);
      problems.add('nantail', firstLine, 'warning', `${nonFiniteTailWhere(t)}: the run diverged; ${before === 1 ? 'only the one row' : `only the ${before} rows`} before it ${before === 1 ? 'has' : 'have'} a finite ${c.name} to fit`, 'losses NaN or infinite to the end');
    }
    return out;
  }

  finish(columns: ColumnInfo[]): ParsedLog {
    this.settlePending();
    const tails = this.nonFiniteTails(this.problems);
    const data: Record<string, Float64Array> = {};
    const fb = this.fallback();
    if (fb) {
      this.problems.add('stub', fb.line, 'info', fb.message);
      this.stats.superseded += this.n - fb.rows;
      this.stats.launchRead = `${this.problems.file}${fb.line > 0 ? `:${fb.line}` : ''}: ${fb.message}`;
    }
    // Column names are user text: `__proto__` must become a column, not the object's prototype.
    // (The earlier run's rows copied: a fork of this collector holds the same.)
    this.cols.forEach((c, j) => setOwn(data, c.name, fb ? fb.cols[j].slice() : c.store.toArray()));
    const log: ParsedLog = {
      file: this.file,
      format: this.format,
      kind: this.kind,
      rows: fb ? fb.rows : this.n,
      columns,
      data,
      lines: fb ? fb.lines.slice() : this.lines.toArray(),
      problems: this.problems.finish(),
      stats: this.stats,
    };
    if (this.runName !== undefined) {
      log.labels = {};
      setOwn(log.labels, this.runName, this.labels.slice(0, this.n));
    }
    if (tails.length) log.run = { ...(log.run ?? {}), nonFiniteTails: tails };
    return log;
  }
}

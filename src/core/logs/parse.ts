/**
 * Readers for each format, fed decoded text chunk by chunk (a whole editor buffer is one chunk),
 * and the two entry points: parseLogText (sync) and parseLogFile (streaming, bounded memory).
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Papa from 'papaparse';
import { baseName, cellNumber, Collector, columnBudgetNote, columnRowBytes, hasRadixPrefix, keptRole, nonFiniteNumber, own, ProblemLog, sampleValue, setOwn } from './collector';
import { epochsFromFraction, inflatedEdges, TextEdges } from './tail';
import { epochsSeen, kerasLrCuts, NO_EPOCH_LIMIT, passesOfStream, withBatchSteps, withHistoryEpochs } from './epochs';
import { formatInteger } from '../format';
import { lineOf } from '../lines';
import { withLossTotals } from './totals';
import { withEpochRestarts } from './epochRestarts';
import { COMPOSER_FIELD_RE, COMPOSER_HEAD_RE, consoleHint, COQUI_EPOCH_RE, COQUI_EVAL_RE, COQUI_FIELD_RE, COQUI_RESTORED_RE, COQUI_STEP_RE, OLMO_FIELD_RE, OLMO_HEAD_RE, FAIRSEQ_INNER_RE, FAIRSEQ_JSON_RE, FAIRSEQ_SUMMARY_RE, counterWord, HF_BANNER_RE, HF_NO_STEPS, describedBar, TQDM_PAIR_RE, tqdmLossSegment, HF_BAR_RE, HF_DICT_RE, HF_PAIR_RE, TORCHTUNE_DESC_RE, EPOCH_LEAD_RE, FASTAI_HEAD_RE, fastaiRow, SPACY_HEAD_RE, TABLE_RULE_RE, spacyNames, spacyRow, KERAS_EPOCH_RE, KERAS_PAIR_RE, MARIAN_COST_RE, MARIAN_HEAD_RE, MARIAN_LR_RE, MARIAN_VALID_RE, epochLine, NNUNET_EPOCH_RE, NNUNET_METRIC_RE, NNUNET_NAMES, kerasRefreshes, csvDelimiter, DETECT_HEAD_CHARS, decideFormat, type HeadState, LONG_HEAD_CHARS, LLMC_KEYS, LLMC_STEP_RE, NANOGPT_LOG_KEYS, NANOGPT_LOG_RE, stepAnywhere, stepAtStart, stepOfLine, stripAnsi, TEXT_PAIR_RE, TIMM_TEST_RE, WLM_END_RE, YOLO_RESULTS_NAMES, YOLO_RESULTS_RE, DSCHAT_EVAL_RE, DSCHAT_PPL_RE, DS_STEP_RE, LIGHTNING_CKPT_RE, withoutModelFiles, type StepLine, DARKNET_RE, RWKV_LINE_RE, RWKV_RUN_RE, GAN_EPOCH_END_RE, GAN_LAUNCH_RE, ganLine, type GanLine, bigNumber, bigNumberValue, LEROBOT_CKPT_RE, LEROBOT_END_RE, LEROBOT_EVAL_RE, LEROBOT_LINE_RE, LEROBOT_STEPS_RE, LITGPT_ARG_RE, LITGPT_FINAL_RE, LITGPT_LINE_RE, LITGPT_VAL_RE, LITGPT23_LINE_RE, FLAIR_DEV_RE, FLAIR_DONE_RE, FLAIR_ITER_RE, FLAIR_PARAM_RE, GLUON_EPOCH_RE, mxBatchLine, type MxBatchLine, MXNET_EPOCH_RE, MXNET_LR_RE, CAFFE_ITER_RE, CAFFE_OUTPUT_RE, CAFFE_SOLVER_RE, CAFFE_TESTING_RE, GLOG_PREFIX, GLOG_START_RE, cluLine, jsonStats, type JsonStats, LOSS_KEY_RE, TF_EVAL_RE, TF_LOSS_RE, TF_PAIR_RE, TF_RUNNING_RE, TF_STEPS_RE, DS_PPL_DICT_RE } from './detect';
import { inferRoles, type SampleValue } from './roles';
import { binaryRunFormat, parseRunPath, parseTfevents, runFolderKind, setFileParser } from './runs';
import { parseJsonLenient } from './json';
import type { RunKind } from './walk';
import { dirname as pathDirname, join as pathJoin } from 'node:path';
import { decideKind } from './kind';
import { runsExportExtra, runsExportRoles, runsExportShape } from './runsExport';
import { LogReadError } from './errors';
import { DVCLIVE_METRIC_RE } from './dvclive';

// In their own modules so the run-folder readers (runs.ts, series.ts, tfevents.ts) need not import this one.
export { decideKind, LogReadError };
import { coreCount } from '../cores';
import { bootHelpers, cutAtLines, PARALLEL_MIN_BYTES, parseWorkerFile, type CsvPartResult, type Helpers, type CsvPlan, type JsonlPlan, type PartPlan, type PartsRun } from './parallel';
import { FileError, openRegular } from '../files';
import { csvWasm, WASM_MAX_FIELDS, type CsvWasm } from './csvWasm';
import { fastRowCount, fieldEnd, rowEnd, jsonNumber, lineTemplate, matchTemplate, numberEnd, plainNumber, readNumber, scanFlatJson, type FlatJsonScan, type LineTemplate } from './fastpath';
import type { ColumnInfo, ColumnRole, LogFormat, ParsedLog, ParseOptions } from './types';
import { Cancelled, isCancelled } from '../cancel';
import { median } from '../stats';
import { gzInnerName, inflateFile, isGzipName, MAX_INFLATED_BYTES } from './gzip';
import { isNotebookName, looksLikeNotebookHead, NotebookError, notebookLogs, placeLines, placeOf, readNotebook, type NotebookText } from './notebook';

/** Rows read before the column roles (and run vs sweep) are decided. */
const SAMPLE_ROWS = 1000;
/** …or fewer, once the sampled rows hold this many characters (a few huge rows must not fill the heap). */
const SAMPLE_CHARS = 4 << 20;
/** Longest line (or unclosed quoted field) read; a longer one is dropped whole. Enough for a 10^6-column header. */
export const MAX_LINE = 16 << 20;
/**
 * The most memory a log's kept columns may take (ParseOptions.maxColumnBytes): typed arrays, which
 * no heap limit bounds. A 1 GB CSV of 6.2M rows keeps 273 MB; one of 13M rows 4 columns, 512 MB, and
 * its analysis peaks at 1.6 GB (the fit's arrays, garbage after it). A file needing more is read in part.
 */
export const MAX_COLUMN_BYTES = 1024 * 1048576;
/** The file's first bytes whose lines per byte size the columns against that budget. */
const BUDGET_SAMPLE_BYTES = 4 << 20;

/** Columns whose roles are inferred; a wider header (a hostile 10^6 columns) is read up to here. */
export const MAX_COLUMNS = 100_000;
/** A quoted field running over several lines and past this many characters is taken as a quote never closed. */
const MAX_QUOTED = 1 << 20;
/** CSV rows with quotes: papaparse reads on over the next quote when it comes within this many bytes (mixedChunk). */
const QUOTE_GAP = 4096;
/** CSV text read before the roles are decided is handed to papaparse in pieces this long. */
const FAST_PIECE = 8 << 10;
/** Bytes scanned for delimiters and line ends before the rows in them are read (CsvReader.fastRows). */
const FAST_STRETCH = 64 << 10;
/** Longest line still being written that a live read reads on its own (a longer one: no live reading). */
export const MAX_LIVE_TAIL = 16 << 20;
/** Largest trainer_state.json read whole. */
const MAX_DOCUMENT = 256 << 20;

interface Reader {
  /**
   * `text` continues the input. `bytes`, when given, are its bytes, all ASCII, as is all input
   * before: the fast paths read them (valid only during the call; the caller reuses the buffer).
   */
  push(text: string, bytes?: Buffer): void;
  /**
   * Pushes ASCII bytes (all input before was ASCII too) without their text when this reader can
   * read them so; false (nothing done) otherwise: the caller then pushes the text.
   */
  pushAscii?(bytes: Buffer): boolean;
  end(): ParsedLog;
  /** The log so far, the reader staying open for more lines (undefined: not possible yet). */
  snapshot?(): ParsedLog | undefined;
  /** A copy that goes on separately from here, this reader unchanged by what it is then given. */
  fork?(): Reader;
}

/** A shallow copy of `o` (same class, same fields): a fork's starting point, its mutable parts replaced. */
function shallowCopy<T extends object>(o: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(o) as object) as T, o);
}

function makeCollector(file: string, format: LogFormat, columns: ColumnInfo[], kind: 'run' | 'sweep', problems: ProblemLog): { c: Collector; where: Map<string, number> } {
  const hasStep = columns.some((x) => x.role === 'step');
  const run = columns.find((x) => x.role === 'run');
  const c = new Collector(file, format, kind, problems, run?.name);
  const where = new Map<string, number>();
  // A runs-table export keeps its numeric config and summary columns too (model size, batch, perplexities).
  const extra = kind === 'sweep' && runsExportShape(columns.map((x) => x.name)) ? runsExportExtra(columns) : undefined;
  for (const col of columns) {
    if (col.role === 'run') where.set(col.name, -2);
    else if ((keptRole(col.role, hasStep) || extra?.has(col.name)) && (col.numeric || col.role !== 'other')) where.set(col.name, c.addColumn(col.name, col.role));
    else where.set(col.name, -1);
  }
  return { c, where };
}

/** The roles of a runs-table export (one row per run) where they differ from a log's; other tables unchanged. */
function withRunsExportRoles(columns: ColumnInfo[], overrides: ParseOptions['roleOverrides']): ColumnInfo[] {
  const shape = runsExportShape(columns.map((c) => c.name));
  return shape ? runsExportRoles(columns, shape, overrides) : columns;
}

function uniqueNames(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((r, i) => {
    let name = r.trim();
    if (name.charCodeAt(0) === 0xfeff) name = name.slice(1);
    if (name === '') name = `column ${i + 1}`;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return k === 0 ? name : `${name} (${k + 1})`;
  });
}

/** `lineBase()` = newlines before `text`; only asked for when there is a bad byte. */
function reportBadBytes(text: string, lineBase: () => number, problems: ProblemLog): void {
  let at = text.indexOf('\ufffd');
  if (at < 0) return;
  let line = lineBase() + 1;
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

/** "16 MB" */
function mb(chars: number): string {
  return chars >= 1 << 20 ? `${Math.round(chars / (1 << 20))} MB` : `${Math.round(chars / 1024)} KB`;
}

/** Number of '\n' in `s` (for line numbers of bad bytes inside held text). */
function newlines(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/**
 * When to pre-size a reader's columns for the whole input (`sizeHint` characters) from the
 * characters per line so far: one allocation instead of repeated growth, each of which touches
 * fresh pages (a page's first touch is the costliest step of storing a row on some machines: about
 * 12 µs a page measured on the bench's VM, a third of the time on the 200 MB CSV). Stage 1, after
 * PRESIZE_LINES lines: generously (the first lines are often shorter: the step has fewer digits;
 * pages never written cost nothing). Stage 2, at a tenth of the input: again, larger only when the
 * first estimate fell short. 0: not now.
 */
function presizeStage(sized: number, consumed: number, lines: number, sizeHint: number): number {
  if (lines < PRESIZE_LINES || consumed <= 0) return 0;
  if (sized === 0) return 1;
  return consumed >= sizeHint * 0.1 ? 2 : 0;
}
const PRESIZE_LINES = 512;

/** Rows expected in `sizeHint` characters at `consumed / lines` characters a line, times `margin`. */
function presizeRows(consumed: number, lines: number, sizeHint: number, margin: number): number {
  return (sizeHint / (consumed / lines)) * margin + 64;
}

export type { CsvPartResult, CsvPlan } from './parallel';

export class CsvReader implements Reader {
  private parser: Papa.Parser | undefined;
  private partial = '';
  private names: string[] | undefined;
  /** Fields in the header (names holds at most MAX_COLUMNS of them). */
  private width = 0;
  private line: number;
  private staged: { row: string[]; line: number }[] = [];
  private stagedChars = 0;
  /** The character that ends a line ('\n', or '\r' in old Mac files). */
  private eol = '\n';
  /** Inside an over-long line that was dropped: discard up to its line end. */
  private skipping = false;
  /** The header itself was unreadable: nothing after it is read. */
  private dead = false;
  private readonly maxLine: number;
  private c: Collector | undefined;
  /** The collector, once the roles are decided (parallel reads share its columns). */
  get collector(): Collector | undefined { return this.c; }
  private columns: ColumnInfo[] = [];
  private idx: number[] = [];
  private runIdx = -1;
  private rowsRead = 0;
  private dropped = 0;
  private lastRowLine = 0;
  private endsWithNewline = true;
  /** CatBoost's learn_error.tsv / test_error.tsv (catboostErrorNames): its planned end is in catboost_training.json beside it. */
  private catboost = false;

  private chars = 0;

  private delimiter = ',';
  private newline: CsvPlan['newline'] = '\n';
  /** Rows of plain numbers are read by fastRows (papaparse reads the rest). */
  private fast: boolean;
  /** fastRows hands rows to the WebAssembly loop (csvWasm.ts) where it can (ParseOptions.fastPath not 'js'). */
  private wasm: boolean;
  /** fastRows: start of each field of the row being read. */
  private starts = new Int32Array(0);
  /**
   * A line with a quoted field never closed was dropped (overflow): a part read with a plan that
   * saw this is read again on the calling thread (conservative: where such a line is cut depends on
   * how the text came in).
   */
  private unsure = false;

  /**
   * With a `plan`, this reads a later part of a file whose header and sample another reader
   * decided: no header, fixed columns, rows kept raw (the step logic runs when parts are joined).
   */
  constructor(private file: string, private opts: ParseOptions, private problems: ProblemLog, private sizeHint = 0, plan?: CsvPlan, startLine = 0) {
    this.line = startLine;
    this.fast = opts.fastPath !== false;
    this.wasm = opts.fastPath !== 'js';
    this.maxLine = opts.maxLineChars ?? MAX_LINE;
    if (plan) {
      this.names = plan.names;
      this.width = plan.width ?? plan.names.length;
      this.eol = plan.newline === '\r' ? '\r' : '\n';
      this.delimiter = plan.delimiter;
      this.newline = plan.newline;
      this.parser = new Papa.Parser({ delimiter: plan.delimiter, newline: plan.newline });
      this.fast = plan.fast !== false && this.fast;
      this.wasm = plan.fast !== 'js' && this.wasm;
      problems.raw = [];
      this.use(plan.columns, plan.kind, true);
    }
  }

  /** The header and the decision on roles, once made (after the sampled rows). */
  plan(): CsvPlan | undefined {
    if (!this.c || !this.names) return undefined;
    return { names: this.names, columns: this.columns, kind: this.c.kind, delimiter: this.delimiter, newline: this.newline, width: this.width, fast: this.fast && !this.wasm ? 'js' : this.fast };
  }

  /** Lines read so far, and whether the input so far ends inside an unfinished line. */
  position(): { line: number; pending: boolean } {
    return { line: this.line, pending: this.partial.length > 0 || this.skipping };
  }

  /** Appends a later part read with this reader's plan (parallel.ts); `lineBase` = lines before it. */
  absorb(part: CsvPartResult, lineBase: number): void {
    // The part's problems first: on one thread a cell's problem comes before its row's restart.
    this.problems.replay(part.problems, part.tally, lineBase, part.nonFinite);
    (this.c as Collector).appendBlock(part.block, lineBase);
    this.rowsRead += part.rowsRead;
    this.dropped += part.dropped;
    this.line = lineBase + part.lines;
  }

  /** Ends a part read with a plan: its raw rows, counts and problems. */
  endPart(): CsvPartResult {
    // Held text at the part's end: its last row runs on into the next part (a quoted field with a
    // line end across the cut, or a bare \n in a CRLF file). Held text with a quote, or a dropped
    // unclosed quote: not joined, even as the file's last part.
    const pending = this.partial.length > 0 || this.skipping;
    const unsure = this.unsure || this.partial.includes('"');
    this.flush();
    const c = this.c as Collector;
    return {
      block: c.block(), rowsRead: this.rowsRead, dropped: this.dropped, lines: this.line,
      problems: this.problems.raw ?? [], tally: this.problems.tally(), nonFinite: this.problems.nonFiniteLines(), quoted: unsure, pending,
    };
  }

  push(text: string, bytes?: Buffer): void {
    // Until the roles are decided papaparse reads every row: in pieces, so that the rows after the
    // decision, even in this chunk, are read by the fast path.
    while (bytes && !this.c && this.fast && text.length > FAST_PIECE) {
      this.pushPiece(text.slice(0, FAST_PIECE), bytes.subarray(0, FAST_PIECE));
      text = text.slice(FAST_PIECE);
      bytes = bytes.subarray(FAST_PIECE);
    }
    this.pushPiece(text, bytes);
  }

  private pushPiece(text: string, bytes?: Buffer): void {
    if (text.length === 0 || this.dead) return;
    this.chars += text.length;
    if (this.parser === undefined) {
      const nl = text.indexOf('\n');
      this.newline = nl > 0 && text[nl - 1] === '\r' ? '\r\n' : nl < 0 && text.includes('\r') ? '\r' : '\n';
      this.eol = this.newline === '\r' ? '\r' : '\n';
      // The delimiter is judged from the head of the first line (a huge header needs no more).
      const firstLine = text.slice(0, Math.min(nl < 0 ? text.length : nl, 65536));
      this.delimiter = csvDelimiter(firstLine) ?? ',';
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline });
    }
    this.endsWithNewline = /[\r\n]$/.test(text);
    if (this.skipping) {
      const k = text.indexOf(this.eol);
      if (k < 0) return;
      this.skipping = false;
      text = text.slice(k + 1);
      bytes = bytes?.subarray(k + 1);
      if (text.length === 0) return;
    }
    reportBadBytes(text, () => this.line + newlines(this.partial), this.problems);
    // No line end in this text: no row can end in it. Hold it without re-parsing what is already
    // held, so that a long line costs time in proportion to its length, not its square.
    if (text.indexOf(this.eol) < 0) {
      this.partial += text;
      if (this.partial.length > this.maxLine) this.overflow();
      this.presize();
      return;
    }
    let agg = this.partial + text;
    for (;;) {
      if (bytes && this.fast && this.c && this.delimiter.length === 1 && this.width >= 2) {
        // ASCII: the rows without a quote character are read by fastRows, the others by papaparse.
        this.partial = this.mixedChunk(bytes);
        bytes = undefined;
      } else {
        const res = this.parser.parse(agg, 0, true) as Papa.ParseResult<string[]>;
        this.partial = agg.slice(res.meta.cursor);
        this.rows(res.data);
      }
      const p = this.partial.length;
      if (!(p > this.maxLine || (p > Math.min(MAX_QUOTED, this.maxLine) && this.partial.indexOf(this.eol) >= 0)) || !this.overflow()) break;
      agg = this.partial;
    }
    this.presize();
  }

  /**
   * The held text passed the line limit. A quote that never closes would make the rest of the
   * file one field: drop that line and go on from the next (true: `partial` holds more to parse).
   * A line with no end in sight is dropped whole: the rest of it, when it comes, is skipped too,
   * never read as a row of its own.
   */
  private overflow(): boolean {
    const nl = this.partial.indexOf(this.eol);
    const line = ++this.line;
    if (!this.names) {
      this.problems.add('longline', line, 'error', nl < 0
        ? `the header line is longer than ${mb(this.maxLine)}; nothing read`
        : `the header has a quoted field that is never closed within ${mb(this.maxLine)}; nothing read`);
      this.partial = '';
      this.dead = true;
      return false;
    }
    this.rowsRead++;
    this.dropped++;
    if (nl < 0) {
      this.problems.add('longline', line, 'warning', `a line longer than ${mb(this.maxLine)}; dropped`, 'over-long lines');
      this.partial = '';
      this.skipping = true;
      return false;
    }
    this.unsure = true;
    this.problems.add('quote', line, 'warning', 'a quoted field is never closed; line dropped', 'unclosed quotes');
    this.partial = this.partial.slice(nl + 1);
    return true;
  }

  /** 0: columns not pre-sized yet; 1: sized from the first rows; 2: sized again at a tenth of the file. */
  private sized = 0;
  /** Pre-sizes the columns for the whole file (presizeStage). */
  private presize(): void {
    if (this.sized === 2 || !this.c || this.sizeHint <= 0) return;
    const stage = presizeStage(this.sized, this.chars - this.partial.length, this.line, this.sizeHint);
    if (stage === 0) return;
    this.sized = stage;
    this.c.reserve(presizeRows(this.chars - this.partial.length, this.line, this.sizeHint, stage === 1 ? 1.1 : 1.02));
  }

  private flush(): void {
    // The rest of the file. A quote that never closes swallows everything after it: drop the line
    // where it opens and read on from the next (a few times at most, so this stays linear).
    for (let tries = 0; this.parser && this.partial.length; tries++) {
      const res = this.parser.parse(this.partial, 0, false) as Papa.ParseResult<string[]>;
      const open = res.errors.find((e) => e.code === 'MissingQuotes');
      const nl = open ? this.partial.indexOf(this.eol, open.index ?? 0) : -1;
      if (!open || nl < 0 || tries >= 16 || !this.names) {
        if (open) { this.unsure = true; this.problems.add('quote', this.line + 1, 'warning', 'a quoted field is never closed', 'unclosed quotes'); }
        this.partial = '';
        this.rows(res.data, true);
        break;
      }
      this.rows(res.data.slice(0, open.row ?? 0));
      this.unsure = true;
      this.problems.add('quote', ++this.line, 'warning', 'a quoted field is never closed; line dropped', 'unclosed quotes');
      this.rowsRead++;
      this.dropped++;
      this.partial = this.partial.slice(nl + 1);
    }
  }

  fork(): CsvReader {
    const f = shallowCopy(this);
    f.problems = this.problems.fork();
    f.c = this.c?.fork(f.problems);
    f.staged = this.staged.slice();
    // Scratch space (starts, hits) and the papaparse parser (no state between calls) are shared.
    return f;
  }

  snapshot(): ParsedLog | undefined {
    if (this.dead || !this.c || this.partial.length > 0) return undefined;
    const c = this.c;
    return c.snapshot(this.columns, { ...c.stats, rowsRead: this.rowsRead, dropped: c.stats.dropped + this.dropped });
  }

  end(): ParsedLog {
    if (this.dead) {
      const c = new Collector(this.file, 'csv', 'run', this.problems);
      return c.finish([]);
    }
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
    const log = withHistoryEpochs(c.finish(this.columns), this.names);
    if (this.catboost && !log.run?.plannedSteps) {
      const it = log.data.iter;
      const end = it && it.length ? catboostEndBeside(this.file, it[it.length - 1]) : undefined;
      if (end) log.run = { ...(log.run ?? {}), plannedSteps: end };
    }
    return log;
  }

  private rows(data: string[][], last = false): void {
    let k = 0;
    if (!this.names) {
      while (k < data.length && data[k].length === 1 && data[k][0].trim() === '') { k++; this.line++; }
      if (k === data.length) return;
      this.width = data[k].length;
      if (this.width > MAX_COLUMNS) {
        this.problems.add('columns', this.line + 1, 'warning', `the header has ${this.width.toLocaleString('en-US')} columns; only the first ${MAX_COLUMNS.toLocaleString('en-US')} are read`);
      }
      this.names = dvcliveNames(this.file, uniqueNames(data[k].length > MAX_COLUMNS ? data[k].slice(0, MAX_COLUMNS) : data[k]), this.problems);
      const cat = catboostErrorNames(this.file, this.names, this.problems, this.line + 1);
      if (cat) { this.names = cat.names; this.catboost = true; }
      this.line++;
      k++;
    }
    const width = this.width;
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
        for (const cell of row) this.stagedChars += cell.length + 1;
        if (this.staged.length >= SAMPLE_ROWS || this.stagedChars >= SAMPLE_CHARS) this.decide();
      }
    }
    if (last && !this.endsWithNewline && this.c?.kind === 'run' && this.lastRowLine === this.line) {
      this.problems.add('nonl', this.line, 'info', 'last line has no line end: a run still writing may have cut it short');
    }
  }

  private decide(): void {
    const names = this.names as string[];
    // Keyed by column names (user text): no prototype, so `__proto__` is a column like any other.
    const sample: Record<string, SampleValue[]> = Object.create(null) as Record<string, SampleValue[]>;
    names.forEach((n, i) => { sample[n] = this.staged.map((s) => s.row[i] ?? null); });
    const columns = withRunsExportRoles(inferRoles(names, sample, this.opts.roleOverrides), this.opts.roleOverrides);
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
    // One Map, not an indexOf per column: a 100,000-column header would make that 5·10^9 comparisons.
    const at = new Map(names.map((n, i) => [n, i]));
    this.idx = c.cols.map((col) => at.get(col.name) ?? -1);
    this.runIdx = c.runName !== undefined ? at.get(c.runName) ?? -1 : -1;
  }

  private commit(row: string[], line: number): void {
    const c = this.c as Collector;
    const sc = c.scratch;
    const idx = this.idx;
    for (let j = 0; j < idx.length; j++) sc[j] = this.cell(row[idx[j]], j, line, c);
    c.commit(line, this.runIdx >= 0 ? row[this.runIdx].trim() : undefined);
  }

  /** The value of one cell of kept column j. */
  private cell(s: string, j: number, line: number, c: Collector): number {
    // Fast paths inline: a finite number; an empty cell (missing, e.g. a metric logged every N steps).
    if (s.length !== 0) {
      const v = +s;
      if (v - v === 0 && v !== 0 && !(v % 1 === 0 && hasRadixPrefix(s))) return v;
    } else if (c.kind === 'run') return NaN;
    const v = cellNumber(s, line, c.cols[j].name, this.problems);
    if (v !== v && c.kind === 'sweep' && s.trim() === '') this.problems.add('emptycell', line, 'info', `${c.cols[j].name} is empty`, 'empty cells');
    return v;
  }

  /**
   * Reads the held start of a row (`partial`) followed by `bytes` (ASCII, with a line end) as
   * papaparse would, and returns the unfinished row at the end: the stretches of whole rows without
   * a quote character by fastRows (fastChunk), the rest by papaparse. A quoted field may hold
   * delimiters and line ends, and runs on over several rows and pieces: papaparse reads from the
   * start of the row with a quote to the line end after it, and on while the row it holds over
   * has a quote (a quoted field still open). Papaparse keeps no state between calls but that held
   * row, so both readers may take turns at any row's start; papaparse's stretch is at least as long
   * as the row it re-reads, so many quotes in one long field cost linear time, not quadratic.
   */
  private mixedChunk(bytes: Buffer): string {
    const n = bytes.length;
    const nl = this.eol === '\r' ? 13 : 10;
    let q = bytes.indexOf(34);
    if (q < 0 && !this.partial.includes('"')) return this.fastChunk(bytes);
    const parser = this.parser as Papa.Parser;
    let from = 0;
    while (from < n) {
      if (!this.partial.includes('"')) {
        if (q >= 0 && q < from) q = bytes.indexOf(34, from);
        // Whole rows before the row with the next quote (all the rest when there is none).
        const stop = q < 0 ? n : bytes.lastIndexOf(nl, q) + 1;
        if (stop > from && bytes.lastIndexOf(nl, stop - 1) >= from) {
          this.partial = this.fastChunk(from === 0 && stop === n ? bytes : bytes.subarray(from, stop));
          from = stop;
          continue;
        }
      }
      // Papaparse: to the line end after the next quote, and at least as far as the held row is long;
      // on while the next quote comes within QUOTE_GAP bytes, in steps that double (a quote in every
      // row: long stretches, not a call per row; a quote alone: its row).
      if (q >= 0 && q < from) q = bytes.indexOf(34, from);
      let end = Math.max(q < 0 ? from : q, from + this.partial.length);
      end = end >= n ? n : bytes.indexOf(nl, end) + 1 || n;
      for (let stride = 256; end < n; stride = Math.min(2 * stride, 1 << 16)) {
        q = bytes.indexOf(34, end);
        if (q < 0 || q - end > QUOTE_GAP) break;
        end = bytes.indexOf(nl, q + stride) + 1 || n;
      }
      const agg = this.partial + bytes.toString('latin1', from, end);
      const res = parser.parse(agg, 0, true) as Papa.ParseResult<string[]>;
      this.partial = agg.slice(res.meta.cursor);
      this.rows(res.data);
      from = end;
    }
    return this.partial;
  }

  /**
   * fastRows on the held start of a row (`partial`) followed by `bytes`; returns the unfinished row
   * at the end. The held row is completed with the new bytes up to their first line end and read
   * on its own, so that the chunk is never copied; no string of the chunk is made.
   */
  private fastChunk(bytes: Buffer): string {
    let from = 0;
    if (this.partial.length > 0) {
      const nl = bytes.indexOf(this.eol === '\r' ? 13 : 10);
      const head = Buffer.concat([Buffer.from(this.partial, 'latin1'), bytes.subarray(0, nl + 1)]);
      // A '\n' that does not end a row (a bare one in a CRLF file): read the two pieces as one.
      if (this.fastRows(head) < head.length) {
        const all = Buffer.concat([Buffer.from(this.partial, 'latin1'), bytes]);
        return all.toString('latin1', this.fastRows(all));
      }
      from = nl + 1;
    }
    const b = from === 0 ? bytes : bytes.subarray(from);
    return b.toString('latin1', this.fastRows(b));
  }

  /**
   * Pushes ASCII bytes without making their text, when the fast path reads them (the roles
   * decided, no quote so far or in them, a line end in them); false (nothing done) otherwise: the
   * caller then pushes the text.
   */
  pushAscii(bytes: Buffer): boolean {
    if (!(this.fast && this.c && this.parser && !this.skipping && !this.dead && this.delimiter.length === 1 && this.width >= 2)) return false;
    if (bytes.length === 0 || bytes.indexOf(this.eol === '\r' ? 13 : 10) < 0) return false;
    this.chars += bytes.length;
    const last = bytes[bytes.length - 1];
    this.endsWithNewline = last === 10 || last === 13;
    this.partial = this.mixedChunk(bytes);
    // As pushPiece: a held row past the line limit.
    for (;;) {
      const p = this.partial.length;
      if (!(p > this.maxLine || (p > Math.min(MAX_QUOTED, this.maxLine) && this.partial.indexOf(this.eol) >= 0)) || !this.overflow()) break;
      const agg = this.partial;
      const res = this.parser.parse(agg, 0, true) as Papa.ParseResult<string[]>;
      this.partial = agg.slice(res.meta.cursor);
      this.rows(res.data);
    }
    this.presize();
    return true;
  }

  /** fastRows: for each field of a row, the kept column it holds (-1: none); undefined: not usable. */
  private keptAt: Int32Array | undefined;
  /** fastRows: the first field after every kept one and the run column (width: none such). */
  private tailFrom = 0;

  /**
   * Reads the complete rows of `b` (ASCII bytes without a quote character) as papaparse would (see
   * generalRows); returns where the unfinished last row starts. Rows of exactly the header's number
   * of fields are read field by field (fusedRows): a kept cell's number is read and delimited in one
   * pass, other cells are skipped to the next delimiter; any other row is read by generalRows.
   */
  private fastRows(b: Buffer): number {
    const width = this.width;
    if (this.keptAt === undefined || this.keptAt.length !== width) {
      const k = new Int32Array(width).fill(-1);
      let ok = width >= 2;
      this.idx.forEach((f, j) => { if (f >= 0 && f < width && k[f] < 0) k[f] = j; else ok = false; });
      this.keptAt = ok ? k : new Int32Array(0);
      let lastRead = this.runIdx;
      for (const f of this.idx) if (f > lastRead) lastRead = f;
      this.tailFrom = lastRead + 1;
    }
    if (this.keptAt.length !== width) return this.generalRows(b);
    // The module reads the rows it can (csvWasm.ts); fusedRows the one it stopped at, then it goes on.
    const w = this.wasmFor(b);
    let pos = 0;
    let irregular = 0;
    for (;;) {
      if (w) {
        pos = this.wasmRows(w, b, pos);
        if (this.fusedStop === 0) return pos;
      }
      pos = this.fusedRows(b, pos, w !== undefined);
      if (this.fusedStop === 0) return pos;
      if (this.fusedStop === 2) continue;
      // A row of another shape (or an awkward cell, a bare line end): generalRows reads it; after
      // many such rows in one piece, the rest of it.
      const crlf = this.newline === '\r\n';
      const nl = this.newline === '\r' ? 13 : 10;
      let end = b.indexOf(nl, pos);
      if (crlf) while (end >= 0 && !(end > pos && b[end - 1] === 13)) end = b.indexOf(nl, end + 1);
      if (end < 0 || ++irregular > 16) return pos + this.generalRows(pos === 0 ? b : b.subarray(pos));
      this.generalRows(b.subarray(pos, end + 1));
      pos = end + 1;
    }
  }

  /**
   * Why fusedRows (or wasmRows) stopped: 0 at the end of the bytes (an unfinished row, or none), 1 at
   * a row it does not read, 2 after the one row it was asked for.
   */
  private fusedStop = 0;

  /**
   * The field after which fusedRows and the module skip to the line end, the fields after it (after the
   * last one read: kept or the run column) found with their delimiters counted (rowEnd); -1 none such
   * (\r\n files: field by field).
   */
  private tailField(): number {
    return this.newline === '\r\n' || this.tailFrom < 1 || this.tailFrom >= this.width ? -1 : this.tailFrom - 1;
  }

  /** The WebAssembly row loop with `b` loaded, when it can read this file's rows (else undefined). */
  private wasmFor(b: Buffer): CsvWasm | undefined {
    const keptAt = this.keptAt;
    if (!this.wasm || this.newline === '\r' || this.runIdx >= 0 || keptAt === undefined || this.width > WASM_MAX_FIELDS) return undefined;
    const w = csvWasm();
    if (!w) return undefined;
    w.load(b);
    w.setKept(keptAt);
    return w;
  }

  /**
   * Reads rows from b[pos] with the WebAssembly loop (csvrows.wat `rows`: what fusedRows reads
   * without a second look) and commits them; returns where it stopped, fusedStop saying why (0 or 1).
   */
  private wasmRows(w: CsvWasm, b: Buffer, pos: number): number {
    const c = this.c as Collector;
    const nK = this.idx.length;
    const width = this.width;
    const crlf = this.newline === '\r\n';
    const tail = this.tailField();
    const run = c.kind === 'run';
    const d = this.delimiter.charCodeAt(0);
    const maxRows = w.maxRows(nK);
    for (;;) {
      const next = w.rows(pos, b.length, width, tail, width - 1 - this.tailFrom, run, d, maxRows, crlf);
      const count = w.count();
      const values = w.values();
      fastRowCount.wasm += count;
      // (As commitFastRow would, row after row: the module reads no file with a run-name column.)
      c.appendValues(values, maxRows, nK, count, this.line + 1);
      this.line += count;
      this.rowsRead += count;
      if (count > 0) this.lastRowLine = this.line;
      fastRowCount.csv += count;
      pos = next;
      const stop = w.stop();
      if (stop !== 2 || count === 0) {
        this.fusedStop = stop;
        return pos;
      }
    }
  }
  private fusedView: DataView = new DataView(new ArrayBuffer(0));
  private fusedOf: Buffer | undefined;

  /**
   * Reads rows from b[pos] while each has exactly the header's number of fields and its line end is
   * the file's; returns where it stopped (fusedStop says why). The values are what generalRows
   * gives: plain numbers by readNumber (the same reading as plainNumber), the rest by `cell`, in
   * the same order (a row with any other cell is converted again as generalRows does). `once`: one
   * row only (fusedStop 2 after it).
   */
  private fusedRows(b: Buffer, pos: number, once = false): number {
    const crlf = this.newline === '\r\n';
    const nl = this.newline === '\r' ? 13 : 10;
    const d = this.delimiter.charCodeAt(0);
    const D = Math.imul(d, 0x01010101);
    const L = Math.imul(nl, 0x01010101);
    const width = this.width;
    const last = width - 1;
    if (this.starts.length < width + 2) this.starts = new Int32Array(width + 2);
    const starts = this.starts;
    const keptAt = this.keptAt as Int32Array;
    const tail = this.tailField();
    const tailNeed = width - 1 - this.tailFrom;
    if (this.fusedOf !== b) { this.fusedView = new DataView(b.buffer, b.byteOffset, b.length); this.fusedOf = b; }
    const dv = this.fusedView;
    const c = this.c as Collector;
    const run = c.kind === 'run';
    const sc = c.scratch;
    const n = b.length;
    this.fusedStop = 1;
    rows: for (;;) {
      let i = pos;
      let slow = false;
      for (let f = 0; ; f++) {
        starts[f] = i;
        const j = keptAt[f];
        if (i >= n) break rows;
        let ch = b[i];
        if (j >= 0 && ch !== d && ch !== nl && !(crlf && ch === 13)) {
          const v = readNumber(b, dv, i, n, false);
          const e = numberEnd[0];
          if (e >= 0 && e < n && (b[e] === d || b[e] === nl || (crlf && b[e] === 13))) {
            i = e;
            if (v === v) sc[j] = v;
            else slow = true;
          } else {
            slow = true;
            i = fieldEnd(b, dv, i, n, d, nl, D, L);
          }
        } else if (j >= 0) {
          if (run) sc[j] = NaN; else slow = true; // an empty cell
        } else i = fieldEnd(b, dv, i, n, d, nl, D, L);
        if (i >= n) break rows;
        ch = b[i];
        if (ch === d) {
          if (f === last) return pos; // more fields than the header
          i++;
          if (f === tail) {
            starts[f + 1] = i;
            const e = rowEnd(b, dv, i, n, d, nl, D, L, tailNeed);
            if (e === -1) break rows;
            if (e === -2) return pos; // fewer or more fields than the header
            starts[width] = e + 1;
            this.commitFastRow(b, slow);
            pos = e + 1;
            if (once) { this.fusedStop = 2; return pos; }
            continue rows;
          }
          continue;
        }
        // The row's end: its line end after the last field. \r\n: the number stopped at the \r, or
        // fieldEnd at the \n (the \r then ends the field); a \n without a \r, or a \r without a \n, is
        // part of a cell (generalRows).
        let next: number;
        if (!crlf) {
          if (ch !== nl) return pos;
          next = i + 1;
        } else if (ch === 13) {
          if (i + 1 >= n) break rows;
          if (b[i + 1] !== 10) return pos;
          next = i + 2;
        } else {
          if (!(i > starts[f] && b[i - 1] === 13)) return pos;
          next = i + 1;
          i--;
        }
        if (f !== last) return pos;
        starts[width] = i + 1;
        // A row with an awkward cell (slow) is converted again, cell by cell, as generalRows does.
        this.commitFastRow(b, slow);
        pos = next;
        if (once) { this.fusedStop = 2; return pos; }
        break;
      }
    }
    this.fusedStop = 0;
    return pos;
  }

  /** fastRows: positions of delimiters and line ends found in one stretch of the bytes. */
  private hits = new Int32Array(0);

  /**
   * Commits the row whose fields start at `this.starts` (the fast paths: fusedRows, generalRows),
   * its kept cells converted from the bytes first when `convert` (else already in the scratch row).
   */
  private commitFastRow(b: Buffer, convert: boolean): void {
    const c = this.c as Collector;
    const starts = this.starts;
    fastRowCount.csv++;
    const line = ++this.line;
    this.rowsRead++;
    this.lastRowLine = line;
    if (convert) {
      const sc = c.scratch;
      const idx = this.idx;
      for (let q = 0; q < idx.length; q++) {
        const g = idx[q];
        const a = starts[g], e = starts[g + 1] - 1;
        const v = a < e ? plainNumber(b, a, e) : NaN;
        sc[q] = v === v ? v : this.cell(b.toString('latin1', a, e), q, line, c);
      }
    }
    const runIdx = this.runIdx;
    if (runIdx < 0) c.commitNext(line);
    else c.commit(line, b.toString('latin1', starts[runIdx], starts[runIdx + 1] - 1).trim());
  }

  /**
   * Reads the complete rows of `b` (ASCII bytes without a quote character) as papaparse would: split
   * at the line ends, then at the delimiter. A row with the header's number of fields is read in
   * place (plain numbers converted here, any other cell by `cell`, as `commit` would); any other
   * row goes through `rows` as papaparse's split. Returns where the unfinished last row starts.
   *
   * The delimiters and line ends are found four bytes at a time (a word with neither is skipped
   * with a few integer operations), a stretch of the bytes at a time, then walked in order.
   */
  private generalRows(b: Buffer): number {
    const crlf = this.newline === '\r\n';
    const nl = this.newline === '\r' ? 13 : 10;
    const d = this.delimiter.charCodeAt(0);
    const width = this.width;
    if (this.starts.length < width + 2) this.starts = new Int32Array(width + 2);
    const starts = this.starts;
    if (this.hits.length === 0) this.hits = new Int32Array(FAST_STRETCH + 8);
    const hits = this.hits;
    const n = b.length;
    // Whole 32-bit words from the first aligned byte (`head` bytes before it, `tail` after them).
    const head = Math.min(n, (4 - (b.byteOffset & 3)) & 3);
    const words = (n - head) >> 2;
    const u32 = words > 0 ? new Uint32Array(b.buffer, b.byteOffset + head, words) : undefined;
    const wordEnd = head + (words << 2);
    const D = Math.imul(d, 0x01010101);
    const L = Math.imul(nl, 0x01010101);
    let pos = 0; // start of the row being read
    let fields = 1;
    starts[0] = 0;
    for (let scanned = 0; scanned < n;) {
      let nh = 0;
      if (scanned < head || scanned >= wordEnd || u32 === undefined) {
        const stop = scanned < head ? head : n;
        for (let k = scanned; k < stop; k++) {
          const ch = b[k];
          if (ch === d || ch === nl) hits[nh++] = k;
        }
        scanned = stop;
      } else {
        let w = (scanned - head) >> 2;
        const wStop = Math.min(words, w + (FAST_STRETCH >> 2));
        for (; w < wStop; w++) {
          const v = u32[w];
          const x = v ^ D;
          const y = v ^ L;
          // A byte of x or y is zero (bit 7 of each byte of `m`), exactly: no borrow crosses bytes.
          let m = ~((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & (((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y)) & 0x80808080;
          const at = head + (w << 2);
          while (m !== 0) {
            hits[nh++] = at + ((31 - Math.clz32(m & -m)) >> 3);
            m &= m - 1;
          }
        }
        scanned = head + (w << 2);
      }
      for (let q = 0; q < nh; q++) {
        const k = hits[q];
        if (b[k] === d) {
          if (fields <= width) starts[fields] = k + 1;
          fields++;
          continue;
        }
        if (crlf && !(k > pos && b[k - 1] === 13)) continue;
        const end = crlf ? k - 1 : k;
        if (fields === width || (fields === width + 1 && starts[width] === end)) {
          starts[fields] = end + 1;
          this.commitFastRow(b, true);
        } else {
          this.rows([b.toString('latin1', pos, end).split(this.delimiter)]);
        }
        pos = k + 1;
        fields = 1;
        starts[0] = pos;
      }
    }
    return pos;
  }
}

// ------------------------------------------------------------------------ records (JSONL, text, HF)

type Rec = Record<string, unknown>;

/** Shared by JSONL, trainer_state and text: rows arrive as flat records. */
class RecordSink {
  /** Records read before the roles are decided; `why`: a new run starts there (newRun), no record. */
  private staged: { rec: Rec; line: number; why?: string }[] = [];
  private stagedChars = 0;
  private names: string[] = [];
  private nameSet = new Set<string>();
  private c: Collector | undefined;
  get collector(): Collector | undefined { return this.c; }
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

  /**
   * Roles a reader knows from its format for keys whose names say nothing (a GAN's `G_A`, `D_real`:
   * losses by where its line prints them), with why. A name that says a role of its own, and the
   * user's choice, win. At most MAX_COLUMNS keys.
   */
  private hints: Map<string, { role: ColumnRole; reason: string }> | undefined;
  hintRole(key: string, role: ColumnRole, reason: string): void {
    const h = (this.hints ??= new Map());
    if (h.size < MAX_COLUMNS && !h.has(key)) h.set(key, { role, reason });
  }
  /** `cols` with the readers' hints where a column's name gave no role ('other') and the user set none. */
  private hinted(cols: ColumnInfo[]): ColumnInfo[] {
    const h = this.hints;
    if (!h) return cols;
    return cols.map((c) => {
      const g = h.get(c.name);
      if (!g || c.role !== 'other' || !c.numeric || own(this.opts.roleOverrides, c.name) !== undefined) return c;
      return { ...c, role: g.role, confidence: 0.9, reason: g.reason };
    });
  }

  /** A part of a file read with another reader's plan (parallel.ts): rows kept raw. */
  static fromPlan(file: string, plan: JsonlPlan, problems: ProblemLog): RecordSink {
    const sink = new RecordSink(file, plan.format, { fastPath: plan.fast }, problems);
    const c = new Collector(file, plan.format, plan.kind, problems, plan.runName);
    c.raw = true;
    for (const col of plan.cols) c.addColumn(col.name, col.role);
    sink.c = c;
    sink.columns = plan.columns.slice();
    sink.where = new Map(plan.where);
    sink.planned = true;
    return sink;
  }
  /** Read with a plan: a key the plan does not know makes the part unusable (`irregular`). */
  private planned = false;
  irregular = false;

  /** The decision made from the sample, once made. */
  plan(fast: boolean | 'js'): JsonlPlan | undefined {
    const c = this.c;
    // MMEngine's epoch-stepped validation rows are placed by the rows before them (commit): read in order.
    if (!c || this.format !== 'jsonl' || this.mmengine) return undefined;
    return { format: 'jsonl', cols: c.cols.map((k) => ({ name: k.name, role: k.role })), where: [...this.where], columns: this.columns, kind: c.kind, runName: c.runName, fast };
  }
  /** Keys known so far (a plan made with fewer is out of date). */
  get keysKnown(): number { return this.where.size; }

  /** Appends a part read with this sink's plan; `lineBase` = lines before it. */
  absorb(part: CsvPartResult, lineBase: number): void {
    (this.c as Collector).appendBlock(part.block, lineBase);
    this.rowsRead += part.rowsRead;
    this.dropped += part.dropped;
  }

  /** The rows of a part read with a plan. */
  endPart(lines: number): CsvPartResult {
    const c = this.c as Collector;
    return { block: c.block(), rowsRead: this.rowsRead, dropped: this.dropped, lines, problems: this.problems.raw ?? [], tally: this.problems.tally(), nonFinite: this.problems.nonFiniteLines(), quoted: this.irregular };
  }

  /** `chars`: the source text's length, which bounds what the sample holds. */
  add(rec: Rec, line: number, chars = 0): void {
    this.rowsRead++;
    if (this.c) this.commit(rec, line);
    else {
      for (const k in rec) {
        if (this.nameSet.has(k)) continue;
        if (this.names.length >= MAX_COLUMNS) { this.tooMany(line); break; }
        this.nameSet.add(k);
        this.names.push(k);
      }
      this.staged.push({ rec, line });
      this.stagedChars += chars;
      if (this.staged.length >= SAMPLE_ROWS || this.stagedChars >= SAMPLE_CHARS) this.decide();
    }
  }

  /** A new run starts at `line` (Collector.newRun), in order with the records around it. */
  newRun(line: number, why: string): void {
    if (this.c) this.c.newRun(line, why);
    else this.staged.push({ rec: Object.create(null) as Rec, line, why });
  }

  drop(line: number, kind: string, message: string, what?: string): void {
    this.dropped++;
    this.problems.add(kind, line, 'warning', message, what);
  }

  private decide(): void {
    const sample: Record<string, SampleValue[]> = Object.create(null) as Record<string, SampleValue[]>;
    // own(): a record without a `constructor` key must not yield Object's constructor.
    for (const n of this.names) sample[n] = this.staged.filter((s) => s.why === undefined).map((s) => sampleValue(own(s.rec, n)));
    this.columns = this.hinted(withRunsExportRoles(inferRoles(this.names, sample, this.opts.roleOverrides), this.opts.roleOverrides));
    const kind = decideKind(this.columns, sample);
    // MMEngine's vis_data/scalars.json: training rows carry epoch, iter and step (= iter); a
    // validation row of an epoch-based loop carries only its metrics and step = the epoch. Some
    // training rows have no iter (a real RTMDet run: epoch and step only): the file's name then says it.
    this.mmengine = this.format === 'jsonl' && ['epoch', 'step'].every((k) => this.nameSet.has(k)) &&
      (this.nameSet.has('iter') || /(^|[\\/])scalars\.json(\.gz)?$/i.test(this.file)) &&
      this.columns.some((c) => c.name === 'step' && c.role === 'step');
    const m = makeCollector(this.file, this.format, this.columns, kind, this.problems);
    this.c = m.c;
    this.where = m.where;
    // A console log's rows per byte vary too much to cut it before it is read (a CSV or JSON-lines
    // log is cut so, parseLogFileAt): its rows are read until its columns reach the budget.
    if (this.format === 'text') m.c.limitBytes(this.opts.maxColumnBytes ?? MAX_COLUMN_BYTES);
    const staged = this.staged;
    this.staged = [];
    for (const s of staged) {
      if (s.why !== undefined) (this.c as Collector).newRun(s.line, s.why);
      else this.commit(s.rec, s.line);
    }
  }

  private warnedWide = false;
  private tooMany(line: number): void {
    if (this.warnedWide) return;
    this.warnedWide = true;
    this.problems.add('columns', line, 'warning', `more than ${MAX_COLUMNS.toLocaleString('en-US')} different keys; the keys past them are not read`);
  }

  private newKey(k: string, v: unknown): number {
    if (this.planned) { this.irregular = true; return -1; }
    if (this.where.size >= MAX_COLUMNS) { this.tooMany(0); return -1; }
    // A key first seen after the sample: its name decides.
    const c = this.c as Collector;
    const [info] = this.hinted(inferRoles([k], { [k]: [sampleValue(v)] }, this.opts.roleOverrides));
    const hasStep = c.stepJ >= 0;
    let j = -1;
    if (info.role === 'run') info.role = 'other';
    else if (keptRole(info.role, hasStep) && info.role !== 'step') j = c.addColumn(k, info.role);
    else if (info.role === 'step') info.role = 'other';
    this.columns.push(info);
    this.where.set(k, j);
    return j;
  }

  /** An MMEngine scalars.json (decide): the epoch and step of the last training row. */
  private mmengine = false;
  private mmEpoch = NaN;
  private mmStep = NaN;
  private mmPlaced = 0;

  /**
   * MMEngine logs a validation after epoch k with step = k (`log_metric_by_epoch`, its default), not
   * the iteration: read as is, every validation is a restart that supersedes all rows after step k.
   * Such a row (no epoch, no iter; step = the epoch of the training row before it, below that row's
   * step) is placed at that row's step instead; NaN when the row is not one.
   */
  private mmengineStep(rec: Rec, line: number): number {
    const ep = own(rec, 'epoch'), st = own(rec, 'step');
    if (typeof ep === 'number') {
      this.mmEpoch = ep;
      this.mmStep = typeof st === 'number' ? st : NaN;
      return NaN;
    }
    if (own(rec, 'iter') !== undefined || st !== this.mmEpoch || !(this.mmStep > this.mmEpoch)) return NaN;
    if (this.mmPlaced++ === 0) {
      this.problems.add('epochstep', line, 'info', `a validation row's step ${this.mmEpoch} is the epoch (MMEngine logs validation by epoch): placed at step ${this.mmStep}, the last training row of that epoch, as are the later ones`, 'validation rows stepped by epoch');
    }
    return this.mmStep;
  }

  private commit(rec: Rec, line: number): void {
    const c = this.c as Collector;
    const sc = c.scratch;
    const placed = this.mmengine ? this.mmengineStep(rec, line) : NaN;
    let label: string | undefined;
    for (const k in rec) {
      let j = this.where.get(k);
      const v = rec[k];
      if (j === undefined) j = this.newKey(k, v);
      if (j === -1) continue;
      if (j === -2) { if (v !== null && v !== undefined) label = String(sampleValue(v)); continue; }
      if (typeof v === 'number') sc[j] = v - v === 0 ? v : nonFiniteNumber(v, line, k, this.problems);
      else if (typeof v === 'string') sc[j] = cellNumber(v, line, k, this.problems);
    }
    if (placed === placed && c.stepJ >= 0) sc[c.stepJ] = placed;
    c.commit(line, c.runName !== undefined ? label ?? '' : undefined);
  }

  /** A copy that goes on separately, reporting to `problems` (LineReader.fork). */
  fork(problems: ProblemLog): RecordSink {
    const f = shallowCopy(this);
    f.problems = problems;
    f.c = this.c?.fork(problems);
    f.staged = this.staged.slice();
    f.names = this.names.slice();
    f.nameSet = new Set(this.nameSet);
    f.columns = this.columns.slice();
    f.where = new Map(this.where);
    if (this.hints) f.hints = new Map(this.hints);
    f.scan = { keys: this.scan.keys.slice(), starts: this.scan.starts.slice(), ends: this.scan.ends.slice(), count: this.scan.count };
    f.values = this.values.slice();
    f.scanKeys = this.scanKeys.slice();
    f.scanJ = this.scanJ.slice();
    return f;
  }

  /** scanFlatJson's output, reused line after line; the key at each place last time and its column. */
  private scan: FlatJsonScan = { keys: [], starts: [], ends: [], count: 0 };
  private values: number[] = [];
  private scanKeys: string[] = [];
  private scanJ: number[] = [];
  /** The last line read by the fast path, as a template for the next (fastpath.ts). */
  private tpl: LineTemplate | undefined;
  /** The template before (two shapes of line alternate in many logs). */
  private tpl2: LineTemplate | undefined;
  private tplMisses = 0;
  /** A view of the bytes fastLine reads (for reading four at a time), and which bytes. */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Buffer | undefined;

  /**
   * Reads a JSONL line, b[a, e) in ASCII bytes, that is a flat object of keys already known (not the
   * run label) whose values are numbers, null, true or false, as add(JSON.parse(line)) would; false
   * (nothing changed) for any other line, which the caller then parses.
   */
  fastLine(b: Buffer, a: number, e: number, line: number): boolean {
    const c = this.c;
    if (!c || this.mmengine) return false;
    if (this.viewOf !== b) { this.view = new DataView(b.buffer, b.byteOffset, b.length); this.viewOf = b; }
    let tpl = this.tpl;
    let hit = tpl !== undefined && matchTemplate(b, this.view, a, e, tpl, this.values);
    if (!hit && this.tpl2 && matchTemplate(b, this.view, a, e, this.tpl2, this.values)) {
      // The other shape of line (an eval line between training lines): swap.
      hit = true;
      tpl = this.tpl2;
      this.tpl2 = this.tpl;
      this.tpl = tpl;
    }
    if (tpl && hit) {
      const sc = c.scratch;
      const cols = tpl.cols;
      const values = this.values;
      for (let t = 0; t < tpl.count; t++) if (cols[t] >= 0) sc[cols[t]] = values[t];
      this.tplMisses = 0;
      this.rowsRead++;
      fastRowCount.jsonl++;
      c.commit(line, c.runName !== undefined ? '' : undefined);
      return true;
    }
    if (!scanFlatJson(b, this.view, a, e, this.scan)) return false;
    const { keys, starts, ends, count } = this.scan;
    const sk = this.scanKeys;
    const sj = this.scanJ;
    const values = this.values;
    for (let t = 0; t < count; t++) {
      const k = keys[t];
      let j: number;
      if (sk[t] === k) j = sj[t];
      else {
        const w = this.where.get(k);
        if (w === undefined || w === -2) return false;
        sk[t] = k;
        sj[t] = j = w;
      }
      if (j < 0) continue;
      const a = starts[t];
      const v = a < 0 ? NaN : jsonNumber(b, a, ends[t]);
      if (v !== v && a >= 0) return false; // too large for a double: reported by the general code
      values[t] = v;
    }
    const sc = c.scratch;
    for (let t = 0; t < count; t++) {
      const j = sj[t];
      // A key given twice: JSON.parse keeps the last value, as this does (null, true, false: missing).
      if (j >= 0) sc[j] = values[t];
    }
    // The next lines are compared with this one (a few misses in a row: lines of another shape
    // come and go, e.g. an eval every N steps; many: the lines differ, stop making templates).
    if (this.tplMisses < 8 || (this.tplMisses & 255) === 0) {
      this.tpl2 = this.tpl;
      this.tpl = lineTemplate(b, a, e, this.scan, sj);
    }
    this.tplMisses++;
    this.rowsRead++;
    fastRowCount.jsonl++;
    c.commit(line, c.runName !== undefined ? '' : undefined);
    return true;
  }

  /** Lines the module read in the last wasmLines call. */
  wasmCount = 0;

  /** The module with `b` loaded, when it can read this sink's lines: a plain JSONL log with a template. */
  wasmFor(b: Buffer): CsvWasm | undefined {
    const c = this.c;
    if (!c || this.mmengine || c.runName !== undefined || this.format !== 'jsonl') return undefined;
    const w = csvWasm();
    if (!w) return undefined;
    w.load(b);
    return w;
  }

  /**
   * Reads lines from b[pos] with the WebAssembly loop (csvrows.wat `lines`: what fastLine reads with
   * its two templates, without a second look) and commits them as fastLine would; returns where it
   * stopped, `wasmCount` the lines read (the first is line `line` + 1).
   */
  wasmLines(w: CsvWasm, b: Buffer, pos: number, end: number, line: number, maxLine: number): number {
    this.wasmCount = 0;
    const c = this.c as Collector;
    const tpl = this.tpl;
    if (tpl === undefined || pos >= end) return pos;
    if (w.loaded[0] !== tpl && !w.setTemplate(0, tpl)) return pos;
    const two = this.tpl2 !== undefined && (w.loaded[1] === this.tpl2 || w.setTemplate(1, this.tpl2));
    const nK = c.scratch.length;
    const maxRows = w.maxRows(nK);
    let first = line + 1;
    for (;;) {
      const next = w.lines(pos, end, nK, maxRows, maxLine, two);
      const count = w.count();
      const values = w.values();
      if (count > 0) {
        c.appendValues(values, maxRows, nK, count, first);
        this.tplMisses = 0;
        this.rowsRead += count;
        fastRowCount.jsonl += count;
        fastRowCount.wasmJsonl += count;
        this.wasmCount += count;
        first += count;
      }
      pos = next;
      if (w.stop() !== 2 || count === 0) return pos;
    }
  }

  snapshot(): ParsedLog | undefined {
    const c = this.c;
    return c ? c.snapshot(this.columns, { ...c.stats, rowsRead: this.rowsRead, dropped: c.stats.dropped + this.dropped }) : undefined;
  }

  end(): ParsedLog {
    if (!this.c) this.decide();
    const c = this.c as Collector;
    c.stats.rowsRead = this.rowsRead;
    c.stats.dropped += this.dropped;
    return c.finish(this.columns);
  }
}

/**
 * Flattens one level of nesting: {"train": {"loss": 1}} → {"train/loss": 1}. The result has no
 * prototype: a key `__proto__` is a column, not a prototype whose indices would become columns.
 */
function flatten(obj: Rec): Rec {
  let nested = false;
  for (const k in obj) { const v = obj[k]; if (v !== null && typeof v === 'object' && !Array.isArray(v)) { nested = true; break; } }
  if (!nested) return obj;
  const out: Rec = Object.create(null) as Rec;
  for (const k in obj) {
    const v = obj[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const k2 in v as Rec) out[`${k}/${k2}`] = (v as Rec)[k2];
    else out[k] = v;
  }
  return out;
}


abstract class LineReader implements Reader {
  /** The unfinished last line (never holds a '\n'). */
  protected partial = '';
  protected line: number;
  private chars = 0;
  private sized = 0;
  /** Inside an over-long line that was dropped: discard up to its line end. */
  private skipping = false;
  private readonly maxLine: number;
  /** The kept columns, once the roles are decided (the sink's). */
  get collector(): Collector | undefined { return this.sink.collector; }
  constructor(protected sink: RecordSink, protected problems: ProblemLog, opts: ParseOptions, private sizeHint = 0, startLine = 0) {
    this.line = startLine;
    this.maxLine = opts.maxLineChars ?? MAX_LINE;
  }
  /** As CsvReader.presize. */
  private presize(): void {
    if (this.sized === 2 || this.sizeHint <= 0) return;
    const consumed = this.chars - this.partial.length;
    const stage = presizeStage(this.sized, consumed, this.line, this.sizeHint);
    if (stage !== 0 && this.sink.reserve(presizeRows(consumed, this.line, this.sizeHint, stage === 1 ? 1.1 : 1.02))) this.sized = stage;
  }
  push(text: string, bytes?: Buffer): void {
    this.chars += text.length;
    let i = 0;
    if (this.skipping) {
      const k = text.indexOf('\n');
      if (k < 0) return;
      this.skipping = false;
      i = k + 1;
    }
    reportBadBytes(i > 0 ? text.slice(i) : text, () => this.line, this.problems);
    let j = text.indexOf('\n', i);
    if (j >= 0) {
      // The held start of a line ends here; then whole lines; the rest is held (each character
      // is looked at once, however long the line).
      this.line1(this.partial.length ? this.partial + text.slice(i, j) : text.slice(i, j));
      this.partial = '';
      i = j + 1;
      for (j = text.indexOf('\n', i); j >= 0; i = j + 1, j = text.indexOf('\n', i)) {
        if (j - i > this.maxLine) { this.tooLong(); continue; }
        const e = text.charCodeAt(j - 1) === 13 ? j - 1 : j;
        const n = ++this.line;
        if (bytes === undefined || e <= i || !this.fastLine(bytes, i, e, n)) this.onLine(text.slice(i, e), n, false);
      }
    }
    this.partial += i > 0 ? text.slice(i) : text;
    if (this.partial.length > this.maxLine) {
      // No end in sight: drop the line whole, and skip the rest of it when it comes.
      this.tooLong();
      this.partial = '';
      this.skipping = true;
    }
    this.presize();
  }
  /**
   * As push, on ASCII bytes, when this reader has a fast path: lines it reads get no text (a line
   * the fast path declines is made text and read by onLine, as push would).
   */
  pushAscii(bytes: Buffer): boolean {
    if (!this.fastEnabled() || this.skipping) return false;
    let j = bytes.indexOf(10);
    if (j < 0) return false;
    this.chars += bytes.length;
    this.line1(this.partial.length ? this.partial + bytes.toString('latin1', 0, j) : bytes.toString('latin1', 0, j));
    this.partial = '';
    let i = j + 1;
    // The module reads the lines it can (csvWasm.ts); this loop the one it stopped at, then it goes on.
    // (Asked again after each line until the columns are decided from the sample.)
    let w: CsvWasm | undefined;
    let ask = true;
    const complete = bytes.lastIndexOf(10) + 1;
    for (;;) {
      if (ask && w === undefined) {
        w = this.wasmFor(bytes);
        ask = w === undefined && this.collector === undefined;
      }
      if (w) {
        i = this.sink.wasmLines(w, bytes, i, complete, this.line, this.maxLine);
        this.line += this.sink.wasmCount;
      }
      j = bytes.indexOf(10, i);
      if (j < 0) break;
      if (j - i > this.maxLine) { this.tooLong(); i = j + 1; continue; }
      const e = bytes[j - 1] === 13 ? j - 1 : j;
      const n = ++this.line;
      if (e <= i || !this.fastLine(bytes, i, e, n)) this.onLine(bytes.toString('latin1', i, e), n, false);
      i = j + 1;
    }
    this.partial = bytes.toString('latin1', i);
    if (this.partial.length > this.maxLine) {
      this.tooLong();
      this.partial = '';
      this.skipping = true;
    }
    this.presize();
    return true;
  }
  private line1(s: string): void {
    if (s.length > this.maxLine) this.tooLong();
    else this.onLine(s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s, ++this.line, false);
  }
  private tooLong(): void {
    this.problems.add('longline', ++this.line, 'warning', `a line longer than ${mb(this.maxLine)}; dropped`, 'over-long lines');
    this.sink.rowsRead++;
    this.sink.dropped++;
  }
  snapshot(): ParsedLog | undefined {
    return this.partial.length > 0 || this.skipping ? undefined : this.sink.snapshot();
  }
  fork(): LineReader {
    const f = shallowCopy(this);
    f.problems = this.problems.fork();
    f.sink = this.sink.fork(f.problems);
    return f;
  }
  end(): ParsedLog {
    this.finishLast();
    return this.sink.end();
  }
  /** Reads the last line, which has no line end. */
  protected finishLast(): void {
    if (this.partial.length && !this.skipping) this.onLine(this.partial.replace(/\r$/, ''), ++this.line, true);
    this.partial = '';
  }
  /** The input so far ends with a complete line. */
  protected atLineEnd(): boolean {
    return this.partial.length === 0 && !this.skipping;
  }
  protected abstract onLine(line: string, n: number, last: boolean): void;
  /** Reads line n from ASCII bytes b[a, e) as onLine would, or returns false (then onLine reads it). */
  protected fastLine(_b: Buffer, _a: number, _e: number, _n: number): boolean { return false; }
  /** fastLine may read lines (else pushAscii declines: the text is made anyway). */
  protected fastEnabled(): boolean { return false; }
  /** The WebAssembly module with `b` loaded, when it may read this reader's lines (RecordSink.wasmLines; else undefined). */
  protected wasmFor(_b: Buffer): CsvWasm | undefined { return undefined; }
}

export class JsonlReader extends LineReader {
  private readonly fast: boolean;
  /** Lines of a known shape are read by the WebAssembly module (csvWasm.ts; ParseOptions.fastPath not 'js'). */
  private readonly wasm: boolean;
  /** Keys known when the plan handed to other threads was made. */
  private plannedKeys = -1;
  constructor(sink: RecordSink, problems: ProblemLog, opts: ParseOptions, sizeHint = 0, startLine = 0) {
    super(sink, problems, opts, sizeHint, startLine);
    this.fast = opts.fastPath !== false;
    this.wasm = this.fast && opts.fastPath !== 'js';
  }

  /** The decision on columns, once made from the sampled lines (parts of the file are read with it). */
  plan(): JsonlPlan | undefined {
    // MMCV's rows are placed by the epochs before them (mmcvRow): read in order.
    if (this.mmcv || this.mmcvHead) return undefined;
    const plan = this.sink.plan(this.fast && !this.wasm ? 'js' : this.fast);
    if (plan) this.plannedKeys = this.sink.keysKnown;
    return plan;
  }


  /** Lines read so far; `pending`: the input so far ends inside a line, or a key came after the plan. */
  position(): { line: number; pending: boolean } {
    return { line: this.line, pending: !this.atLineEnd() || this.sink.keysKnown !== this.plannedKeys };
  }

  /** Appends a part read with this reader's plan (parallel.ts); `lineBase` = lines before it. */
  absorb(part: CsvPartResult, lineBase: number): void {
    this.problems.replay(part.problems, part.tally, lineBase, part.nonFinite);
    this.sink.absorb(part, lineBase);
    this.line = lineBase + part.lines;
  }

  /** Ends a part read with a plan: its raw rows, counts and problems. */
  endPart(): CsvPartResult {
    this.finishLast();
    return this.sink.endPart(this.line);
  }

  protected fastLine(b: Buffer, a: number, e: number, n: number): boolean {
    return this.fast && this.sink.fastLine(b, a, e, n);
  }
  protected wasmFor(b: Buffer): CsvWasm | undefined {
    return this.wasm ? this.sink.wasmFor(b) : undefined;
  }
  protected fastEnabled(): boolean { return this.fast; }
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
    // MMCV 1.x's log.json opens with the run's environment and config as text: no row of metrics.
    if (n === 1 && typeof own(v as Rec, 'env_info') === 'string' && typeof own(v as Rec, 'config') === 'string') { this.mmcvHeadLine(v as Rec); return; }
    const rec = flatten(v as Rec);
    this.swiftStep(rec, n);
    const mm = mmcvRow(rec) ? this.mmcvRow(rec, n) : rec;
    if (mm) this.sink.add(mm, n, text.length);
  }

  /** ms-swift 3.x's counter: its planned total and the line it was first read on. */
  private swift: { total: number; line: number } | undefined;
  /**
   * ms-swift 3.x's `logging.jsonl` gives a row's step only as text, `"global_step/max_steps": "10/438"`
   * (2.x wrote `"global_step": 10`): read as the number `global_step`, its total as the planned last
   * step (the counter runs 1 … 438). Before, every row of such a log was dropped ("no step value").
   */
  private swiftStep(rec: Rec, n: number): void {
    const gm = own(rec, SWIFT_STEP_KEY);
    if (typeof gm !== 'string' || own(rec, 'global_step') !== undefined) return;
    const m = /^[ \t]{0,4}(\d{1,12})[ \t]{0,4}\/[ \t]{0,4}(\d{1,12})[ \t]{0,4}$/.exec(gm);
    if (!m) return;
    delete rec[SWIFT_STEP_KEY];
    rec.global_step = Number(m[1]);
    const total = Number(m[2]);
    if (total > 0 && Number.isSafeInteger(total) && total !== this.swift?.total) this.swift = { total, line: n };
  }

  override end(): ParsedLog {
    return this.withPasses(super.end());
  }
  override snapshot(): ParsedLog | undefined {
    const log = super.snapshot();
    return log && this.withPasses(log);
  }
  /**
   * An MMCV log.json's epochs, with the iterations an epoch takes as its rows showed them (a config's
   * max_epochs then plans its end); for a resumed run, where it resumed and the checkpoint's config
   * its first line holds.
   */
  private withPasses(log: ParsedLog): ParsedLog {
    const sw = this.swift;
    if (sw && !log.run?.plannedSteps) log.run = { ...(log.run ?? {}), plannedSteps: { steps: sw.total, source: `ms-swift's "global_step/max_steps": "N/${sw.total}" (line ${sw.line})` } };
    const h = this.mmcvHead;
    // A resumed run's first line is its checkpoint's meta, whose config is the launch's that saved it
    // (a real one said max_epochs=24 where the resumed launch ran to 36): a config like any other, its
    // plan checked against the log. (A run from its first epoch is read as before, with the config.py beside it.)
    if (h?.resumed && h.config && log.run?.configs?.[0]?.text !== h.config) log.run = { ...(log.run ?? {}), configs: [{ file: `${log.file}, line 1 (the checkpoint's config)`, text: h.config }, ...(log.run?.configs ?? [])] };
    const m = this.mmcv;
    if (!m || !(m.perEpoch > 0) || !m.whole) return log;
    // (Placed after the checkpoint only when its rows began at the epoch after it: mmcvRow.)
    const r = m.start > 0 ? h?.resumed : undefined;
    const source = r
      ? `MMCV's log.json epochs ${m.first} to ${m.epoch}; its first line says the run resumed after epoch ${r.epoch}`
      : `MMCV's log.json epochs 1 to ${m.epoch}`;
    log.run = { ...(log.run ?? {}), epochsLogged: { count: m.epoch, source, stepsPerPass: m.perEpoch } };
    if (r) log.run.resumedAt = { epoch: r.epoch, step: r.iter, line: 1 };
    return log;
  }

  /**
   * MMCV 1.x's first line of a log.json: the run's config (as text), and, for a run resumed from a
   * checkpoint, that checkpoint's `"epoch"` and `"iter"` (mmcv's runner.resume sets its meta to the
   * checkpoint's, which the logger writes first): the epochs and iterations done before this log.
   */
  private mmcvHead: { config?: string; resumed?: { epoch: number; iter: number } } | undefined;
  private mmcvHeadLine(rec: Rec): void {
    const epoch = own(rec, 'epoch'), iter = own(rec, 'iter'), config = own(rec, 'config');
    const whole = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
    this.mmcvHead = {
      ...(typeof config === 'string' && config.length > 0 ? { config } : {}),
      ...(whole(epoch) && whole(iter) && iter >= epoch ? { resumed: { epoch, iter } } : {}),
    };
  }

  /**
   * MMCV 1.x's log.json (mmcvRow): the epochs before, as steps; the epoch and step of the last
   * training row; the first epoch logged and the step before it (a resumed run's checkpoint's iter);
   * the logging interval (the least gap between iters of one epoch); whether the iterations an epoch
   * takes were settled (mmcvSettle).
   */
  private mmcv: { base: number; epoch: number; perEpoch: number; step: number; noted: boolean; whole: boolean; first: number; start: number; every: number; lastIter: number; settled: boolean } | undefined;

  /**
   * A row of MMCV 1.x's `*.log.json` (MMDetection 2.x, MMClassification 0.x, MMSegmentation 0.x) as a
   * step row. Its `iter` counts within the epoch (10 … 1560, then 10 again): read as the step, every
   * epoch was a restart that superseded the one before (a real 10-epoch run kept 31 of 1,560 losses).
   * Its validation rows carry the validation loader's length as `iter` and the LR as 0. A training row
   * is placed at (the iterations of the epochs before) + iter, an epoch being the most iterations
   * logged in one; a validation row at the last training row's step (its epoch, before any), its
   * metrics named as a validation's (`loss` → `val_loss`), its LR, timings and `iter` left out. The
   * `mode` label goes (it would split the file into runs named train and val).
   */
  private mmcvRow(rec: Rec, n: number): Rec | undefined {
    // (`whole`: an epoch has ended, a later one begun or its validation run: perEpoch is then an epoch's iterations.)
    const epoch = rec.epoch as number, iter = rec.iter as number;
    const r = this.mmcvHead?.resumed;
    // A run resumed after epoch R at iteration I (its first line: a real MMDetection 2.x run resumed
    // after epoch 22 at 21,472, its rows from epoch 23): epoch R + 1 starts at step I; read from 0,
    // its 36 epochs had ended at step 13,300 (of 35,136), the run taken for 39% done.
    const from = r && epoch === r.epoch + 1 && rec.mode === 'train' && this.mmcv === undefined;
    const m = (this.mmcv ??= { base: from ? r.iter : 0, epoch: from ? epoch : NaN, perEpoch: 0, step: NaN, noted: false, whole: false, first: epoch, start: from ? r.iter : 0, every: 0, lastIter: NaN, settled: false });
    const out: Rec = Object.create(null) as Rec;
    if (rec.mode === 'train') {
      // A later epoch adds the epochs between as whole ones; an earlier one (a resumed run) starts from its own.
      if (m.epoch === m.epoch && epoch !== m.epoch) {
        this.mmcvSettle(m);
        m.whole = true;
        m.base = epoch > m.epoch ? m.base + (epoch - m.epoch) * m.perEpoch : (epoch - 1) * m.perEpoch;
      } else if (iter > m.lastIter && (m.every === 0 || iter - m.lastIter < m.every)) m.every = iter - m.lastIter;
      m.epoch = epoch;
      m.lastIter = iter;
      if (iter > m.perEpoch) m.perEpoch = iter;
      m.step = m.base + iter;
      out.step = m.step;
      for (const k in rec) if (k !== 'mode' && k !== 'iter') out[k] = rec[k];
      if (from) this.problems.add('mmcvresume', n, 'info', `MMCV's log.json of a run resumed from a checkpoint: its first line says epoch ${r.epoch}, iter ${formatInteger(r.iter)} (the checkpoint's), so epoch ${epoch}, its first logged here, starts after step ${formatInteger(r.iter)}`, 'a resumed run placed after its checkpoint');
      if (!m.noted && m.base > m.start) {
        m.noted = true;
        const per = m.settled ? `${m.perEpoch.toLocaleString('en-US')} an epoch: the first line's iter / epoch, ${formatInteger(r!.iter)} / ${r!.epoch}, as the iterations logged in epoch ${m.first} allow` : `${m.perEpoch.toLocaleString('en-US')} an epoch, the most logged in one`;
        this.problems.add('epochstep', n, 'info', `MMCV's log.json counts "iter" within each epoch: a row's step is the iterations of the epochs before (${per}) + its iter`, 'iterations counted within the epoch');
      }
      return out;
    }
    if (m.step === m.step) { this.mmcvSettle(m); m.whole = true; }
    out.step = m.step === m.step ? m.step : epoch;
    out.epoch = epoch;
    for (const k in rec) if (!MMCV_META.has(k)) out[evalKey(k)] = rec[k];
    return out;
  }

  /**
   * At the end of the first epoch logged: a resumed run's iterations an epoch are its first line's
   * iter / epoch (976 in the real run whose rows went to iter 950 at a line every 50), where that is
   * whole and the iterations logged in the epoch allow it (at most one logging interval more than the
   * most logged); else, as for a run from its first epoch, the most logged in one.
   */
  private mmcvSettle(m: NonNullable<JsonlReader['mmcv']>): void {
    if (m.whole || m.settled) return;
    const r = this.mmcvHead?.resumed;
    if (!r || m.first !== r.epoch + 1) return;
    const per = r.iter / r.epoch;
    if (Number.isSafeInteger(per) && per >= m.perEpoch && (m.every === 0 || per - m.perEpoch < m.every)) {
      m.perEpoch = per;
      m.settled = true;
    }
  }
}

/**
 * A DVCLive metric file (`dvclive/plots/metrics/eval/loss.tsv`: `step<TAB>loss`, one file a metric)
 * names its value by the file's name only; whether it is a training or an evaluation loss is in the
 * folders above it. Its value column is named by its path under `plots/metrics/` (`eval/loss`), as
 * DVCLive's own metrics.json nests it, so an evaluation curve is not fitted as the training loss
 * (older DVCLive wrote the path itself as the column's name: kept). Other files are unchanged.
 */
function dvcliveNames(file: string, names: string[], problems: ProblemLog): string[] {
  const m = DVCLIVE_METRIC_RE.exec(file.replace(/\\/g, '/'));
  if (!m || names.length < 2 || names.length > 3 || !names.includes('step')) return names;
  const rel = m[1];
  const last = names.length - 1;
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const counts = "DVCLive's step counts the script's calls to next_step(), the optimizer's step only where the script makes it so";
  if (names[last] === rel || names[last] !== base || !rel.includes('/')) {
    if (names[last] === base || names[last] === rel) problems.add('dvclive', 0, 'info', `a DVCLive metric file: ${counts}`);
    return names;
  }
  problems.add('dvclive', 0, 'info', `a DVCLive metric file: its values "${base}" are named by their path under plots/metrics/, "${rel}" (the folder says which loss it is); ${counts}`);
  const out = names.slice();
  out[last] = rel;
  return out;
}

/** CatBoost's error logs, by their names: `learn_error.tsv`, `test_error.tsv` (gzipped or not). */
const CATBOOST_ERROR_FILE_RE = /(?:^|\/)(learn|test)_error\.tsv(?:\.gz)?$/;

/**
 * CatBoost's `catboost_info/learn_error.tsv` and `test_error.tsv` (its TErrorFileLoggingBackend): a
 * header `iter` then the metrics' names, a row per iteration (counted from 0). The names do not say
 * which set they were measured on, the file's name does: test_error.tsv holds the eval set's
 * (`eval_set`), so its metrics are named as catboost_training.json names them (`test_Logloss`), held
 * out; learn_error.tsv's stay as they are (the learn set's). Undefined for any other file.
 */
function catboostErrorNames(file: string, names: string[], problems: ProblemLog, line: number): { names: string[] } | undefined {
  const m = CATBOOST_ERROR_FILE_RE.exec(file.replace(/\\/g, '/'));
  if (!m || names.length < 2 || names[0] !== 'iter') return undefined;
  if (m[1] === 'learn') {
    problems.add('catboost', line, 'info', "CatBoost's learn_error.tsv: the learn set's metrics at each iteration (counted from 0)");
    return { names };
  }
  const out = names.map((n, i) => (i === 0 || /^test_/.test(n) ? n : `test_${n}`));
  problems.add('catboost', line, 'info', `CatBoost's test_error.tsv: its metrics (${names.slice(1, 6).join(', ')}${names.length > 6 ? ', …' : ''}) are the eval set's, held out (named ${out.slice(1, 3).join(', ')}${out.length > 3 ? ', …' : ''} as catboost_training.json names them), at each iteration (counted from 0)`);
  return { names: out };
}

/** catboost_training.json read whole at most (beyond, only its head's `meta`). */
const MAX_CATBOOST_JSON = 32 << 20;
/** The head of catboost_training.json that holds its `meta` (CatBoost writes it on the document's second line). */
const CATBOOST_HEAD = 64 << 10;

/**
 * The planned end of a CatBoost error log (`last`: its last iteration), from the catboost_training.json
 * CatBoost writes beside it in the same fit: its `meta.iteration_count` (iterations 0 … count − 1); or,
 * when that document is closed after an earlier iteration and the log ends there too, that iteration
 * (the overfitting detector stopped the fit). Undefined when there is no such document or it says neither.
 */
function catboostEndBeside(file: string, last: number): { steps: number; source: string } | undefined {
  const json = pathJoin(pathDirname(file), 'catboost_training.json');
  let count: number | undefined, closedAt: number | undefined;
  try {
    const st = fs.lstatSync(json);
    if (!st.isFile()) return undefined;
    if (st.size <= MAX_CATBOOST_JSON) {
      const text = fs.readFileSync(json, 'utf8');
      let doc: unknown;
      try { doc = JSON.parse(text); } catch { doc = undefined; }
      const meta = doc && typeof doc === 'object' ? own(doc as Rec, 'meta') : undefined;
      const its = doc && typeof doc === 'object' ? own(doc as Rec, 'iterations') : undefined;
      if (meta && typeof meta === 'object' && Array.isArray(its)) {
        const c = own(meta as Rec, 'iteration_count');
        if (typeof c === 'number') count = c;
        const e = its.length ? its[its.length - 1] as unknown : undefined;
        const it = e && typeof e === 'object' ? own(e as Rec, 'iteration') : undefined;
        if (typeof it === 'number') closedAt = it;
      } else count = catboostHeadCount(text.slice(0, CATBOOST_HEAD));
    } else {
      const fd = fs.openSync(json, 'r');
      try {
        const buf = Buffer.alloc(CATBOOST_HEAD);
        const n = fs.readSync(fd, buf, 0, CATBOOST_HEAD, 0);
        count = catboostHeadCount(buf.subarray(0, n).toString('utf8'));
      } finally { fs.closeSync(fd); }
    }
  } catch {
    return undefined;
  }
  if (count === undefined || !Number.isSafeInteger(count) || count < 1 || !(last >= 0) || last > count - 1) return undefined;
  if (closedAt !== undefined && closedAt < count - 1 && last === closedAt) {
    return { steps: last, source: `catboost_training.json beside it is closed after iteration ${last} of the ${count} planned ("iteration_count": ${count}), where this log ends too: the fit ended there (CatBoost's overfitting detector stops a fit early)` };
  }
  return { steps: count - 1, source: `CatBoost's "iteration_count": ${count} in catboost_training.json beside it (iterations 0–${count - 1})` };
}

/** `"iteration_count":N` in the `"meta":{…}` line at the head of a catboost_training.json still being written. */
function catboostHeadCount(head: string): number | undefined {
  const at = head.indexOf('\n"meta":{');
  if (at < 0) return undefined;
  const end = head.indexOf('\n', at + 1);
  const line = head.slice(at + 1, end < 0 ? head.length : end);
  const m = /"iteration_count":(\d{1,12})[,}]/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/** ms-swift 3.x's step and planned total as one text value, `"10/438"` (JsonlReader.swiftStep). */
const SWIFT_STEP_KEY = 'global_step/max_steps';

/**
 * An OpenMMLab runner's word that it resumed from a checkpoint: MMCV 1.x's `resumed epoch 22, iter
 * 21472` (BaseRunner.resume), MMEngine's `resumed epoch: 22, iter: 21472`, at the end of its log line.
 * Groups: 1 the epochs done, 2 the iterations done. Bounded: linear.
 */
const RESUMED_EPOCH_RE = /\bresumed epoch:? (\d{1,6}), iter:? (\d{1,12})[ \t\r]*$/;
/**
 * Joey NMT's config, logged key by key before it trains (`2023-04-30 08:59:03,460 - INFO - joeynmt.helpers -
 *                cfg.training.epochs : 10`): the epochs it is set for. Its `Epoch   1, Step:      100, …`
 * lines print the epoch, not of how many.
 */
const JOEY_EPOCHS_RE = /joeynmt\.helpers - {1,60}cfg\.training\.epochs : (\d{1,6})[ \t\r]*$/;
/** Joey NMT's logged config: the steps between its validations (`cfg.training.validation_freq : 500`). */
const JOEY_VALID_FREQ_RE = /joeynmt\.helpers - {1,60}cfg\.training\.validation_freq : (\d{1,9})[ \t\r]*$/;
/**
 * Joey NMT's step lines print its throughput in three words (`Tokens per Sec:      921`), which the
 * pairs' keys (one or two words) would cut to `per_Sec`: named whole, as the line has it.
 */
const JOEY_KEYS: ReadonlyMap<string, string> = new Map([['per_Sec', 'Tokens_per_Sec'], ['per_sec', 'Tokens_per_sec']]);

/** Keys of an MMCV 1.x log.json row that are no validation metric (mmcvRow). */
const MMCV_META = new Set(['mode', 'epoch', 'iter', 'lr', 'time', 'data_time', 'memory']);

/** A row of MMCV 1.x's log.json: `{"mode": "train"|"val", "epoch": 1, "iter": 10, …}` and no step. */
function mmcvRow(rec: Rec): boolean {
  const mode = own(rec, 'mode');
  return (mode === 'train' || mode === 'val') && typeof own(rec, 'epoch') === 'number' && typeof own(rec, 'iter') === 'number' && own(rec, 'step') === undefined;
}

/** A reader of a later part of a JSONL file, with the plan another reader made (parseWorker.ts). */
export function jsonlPartReader(file: string, plan: JsonlPlan, problems: ProblemLog, sizeHint: number): JsonlReader {
  problems.raw = [];
  return new JsonlReader(RecordSink.fromPlan(file, plan, problems), problems, { fastPath: plan.fast }, sizeHint);
}

/** A number as a console prints it: `1.2e-05`, `1,003,991` (thousands separators), `nan`, `inf`, `-inf`. */
function printedNumber(v: string): number {
  if (/inf$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
  return Number(v.includes(',') ? v.replace(/,/g, '') : v);
}

/**
 * What a line says right before its counter when its metrics are an evaluation's: `Eval step`,
 * `[valid] step`, Megatron's `validation loss at iteration`. The word must be the last before the
 * counter (a rank tag, host or run name earlier in the line, `[test_run]`, is not one).
 */
/**
 * The lead of TransReID's training line (its forks' too: SOLIDER-REID, CLIP-ReID; the logger is
 * `transreid.train`): `2026-03-07 05:06:57 transreid.train INFO: Epoch[1] ` before `Iter[20/186]` or
 * `Iteration[20/186]`. Its `Loss:` is the running mean since the epoch began (epochMean).
 */
const TRANSREID_LEAD_RE = /\btransreid\.train INFO: Epoch\[\d{1,6}\][ \t]{0,2}$/;
/** The end of MMEngine's by-epoch training line before its counter (`… - INFO - Epoch(train) [3]`, then `[ 10/381]`). */
const MMENGINE_EPOCH_LEAD_RE = /\bEpoch\(train\)[ \t]{0,4}\[[ \t]{0,4}\d{1,6}[ \t]{0,4}\][ \t]{0,4}\[?$/;
/** The epoch counter of a text log (TextReader.epochStep). */
interface EpochCounter {
  first: number; last: number; of?: number;
  /** The epoch of the latest line (below `last` once a later launch in the file started again). */
  latest?: number;
  /** Where `of` was said when not on the counter's own lines (`timm's "Scheduled epochs: 310", line 13`). */
  ofSaid?: string;
  /** The counter's last value, and the step it gave. */
  lastCount: number; lastStep: number;
  /** The counter counts within the epoch (`per` steps each). */
  within: boolean; per?: number;
  /** Where `per` began to hold, when an epoch's length changed mid-run (a resumed PaddleClas run: 98 iterations an epoch, then 97): that epoch and its first step. */
  base?: { epoch: number; step: number };
  /** The first step of each epoch seen. */
  firstStep: Map<number, number>;
  /** The run resumed from a checkpoint before the counter's first line (TextReader.resumed): its epoch and iteration then, and the line. */
  resumed?: { epoch: number; iter: number; line: number };
  /** Within the epoch from the first line: the format says so (MMEngine's `Epoch(train) [e][i/N]`), before any epoch's end is seen. */
  stated?: boolean;
}
/** A Coqui Trainer log's state (TextReader.coquiLine). */
interface CoquiState {
  /** The checkpoint a fine-tune started from (` > Model restored from step N`, before any row), and its line. */
  restored?: { step: number; line: number };
  /** Subtracted from each GLOBAL_STEP (the restored step, or 0); set at the first head. */
  offset?: number;
  /** The latest `EPOCH: e/E` line. */
  epoch?: number; of?: number; ofLine?: number;
  /** The latest head's `STEP: s/T` total, and its line. */
  total?: number; totalLine?: number;
  /** The epoch heads count from 0 to the last index (`EPOCH: 5/5`, `STEP: T/T` seen). */
  lastIndex: boolean;
  /** Each epoch's start: its first head's step less its step within the epoch. */
  starts: Map<number, number>;
  /** The last training row's step. */
  lastStep?: number;
  ganSaid: boolean;
}
function newCoqui(): CoquiState {
  return { lastIndex: false, starts: new Map(), ganSaid: false };
}
/** A pytorch-CycleGAN-and-pix2pix loss log's state (TextReader.ganRow). */
interface GanState {
  /** The last row's epoch and `iters` (images into the epoch), and the images before that epoch: its step is offset + iters. */
  epoch?: number; iters: number; offset: number;
  /** The interval its lines are printed at, in images: the smallest rise of `iters` within an epoch, this launch. */
  stride?: number;
  /** The images an epoch takes, as last inferred at an epoch's end (TextReader.ganRow). */
  per?: number;
  /** A launch head (`==== Training Loss (date) ====`) since the last row: the next row is another process's. */
  fresh: boolean;
  /** The generator's whole loss `G` is on some row (CUT logs it; else summed, GAN_WHOLE). */
  whole: boolean;
  /** The last epoch planned, from its script's stdout (`End of epoch 1 / 200`), and where. */
  of?: number; ofLine?: number;
}
function newGan(): GanState {
  return { iters: 0, offset: 0, fresh: false, whole: false };
}
/**
 * The models whose generator's whole objective is the sum of the terms they log (each already times
 * its lambda: cycle_gan_model.py, pix2pix_model.py, pix2pixHD's train.py), by the exact set of losses
 * a line prints: a line with any other loss (a fork's added term) gets no sum. CUT logs its `G` itself.
 */
const GAN_WHOLE: ReadonlyArray<{ model: string; terms: readonly string[]; others: readonly string[] }> = [
  { model: 'CycleGAN', terms: ['G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B'], others: ['D_A', 'D_B'] },
  { model: 'pix2pix', terms: ['G_GAN', 'G_L1'], others: ['D_real', 'D_fake'] },
  { model: 'pix2pixHD', terms: ['G_GAN', 'G_GAN_Feat', 'G_VGG'], others: ['D_real', 'D_fake'] },
];
/** Decimals of a printed number (`0.660` → 3), or −1 when it has an exponent or none is a number. */
function printedDecimals(v: string): number {
  if (/[eE]|n/i.test(v)) return -1;
  const dot = v.indexOf('.');
  return dot < 0 ? 0 : Math.min(12, v.length - dot - 1);
}
/** A LitGPT console's state (TextReader.litLine). */
interface LitGptState {
  /** Its `TrainArgs(…)` being read (pprint puts a key a line, up to the closing parenthesis), and what it set, and its line. */
  inArgs: boolean; argLines: number; args: Map<string, string>; argsLine?: number;
  /** The last training line's iteration and step (the optimizer steps done by then), and its epoch. */
  lastIter?: number; lastStep?: number; epoch?: number;
  /** The iterations a step takes (gradient accumulation), from the `(step)` lines. */
  accum?: number;
  /** The iterations of the first epoch: the first line of epoch 2's iteration less 1. */
  epochIters?: number;
  /** The last validation's loss known (its own line's or a training line's): its echoes on later lines are no new value. */
  val?: number;
  /** A pretraining console (`remaining time:`): TrainArgs' max_steps and epochs do not end it. */
  pretrain: boolean;
}
function newLit(): LitGptState {
  return { inArgs: false, argLines: 0, args: new Map(), pretrain: false };
}
/** A Caffe console's state (TextReader.caffeLine). */
interface CaffeState {
  /** Inside the SolverParameter Caffe prints (a field a line), and the max_iter it gave last, with its line. */
  inSolver: boolean; maxIter?: { steps: number; line: number };
  /** The test net of the last `Testing net (#k)` line, and the weighted (loss) outputs of that test so far. */
  testNet?: number; weighted: number;
}
function newCaffe(): CaffeState {
  return { inSolver: false, weighted: 0 };
}
/** A LeRobot console's state (TextReader.leRobotLine). */
interface LeRobotState {
  /** The logging interval (its log_freq): the greatest common divisor of the gaps between steps printed exactly. */
  every?: number;
  /** The last step printed exactly; the last row's step and epoch. */
  lastExact?: number; last?: number; lastEpoch?: number;
  /** Bounds on the epochs a step adds (the printed epoch over the step, to its rounding): [0, ∞] until a row says. */
  cLo: number; cHi: number;
  /** Rows read, and the steps planned (`cfg.steps=N`, the config's `'steps': N`) with where. */
  rows: number;
  plan?: { steps: number; line: number; said: string };
  /** The last `Checkpoint policy after step N`; the one before `End of training` (the run's last step). */
  checkpoint?: { step: number; line: number };
  end?: { step: number; line: number; endLine: number };
}
function newLeRobot(): LeRobotState {
  return { cLo: 0, cHi: Infinity, rows: 0 };
}
/** A Flair training.log's state (TextReader.flairLine). */
interface FlairState {
  /** The counter is the batch's index, from 0 (Flair up to 0.5), not the batches done: decided on the first training line. */
  fromZero: boolean;
  /** The epoch of the last training line, the batches it takes (its `N/M`), and the steps of the epochs before it. */
  epoch: number;
  per: number;
  base: number;
  /** The batches an epoch takes changed (batch_growth_annealing doubles the batch): no one planned end. */
  perChanged: boolean;
  /** The first epoch read, and the last LR an `EPOCH n done` line printed. */
  first: number;
  lr?: number;
  rows: number;
}
/** One row of an MXNet or GluonCV log held until the batches an epoch takes are known: `at` the batches done in its epoch, undefined at the epoch's end (an evaluation). */
interface MxHeld { rec: Rec; line: number; len: number; epoch: number; at?: number }
/** An MXNet Speedometer / GluonCV console's state (TextReader.mxRow). */
interface MxState {
  shape: 'module' | 'gluon';
  /** The batches an epoch takes, estimated once one epoch's end was seen (its largest batch index printed + 1). */
  per?: number;
  /** The epoch of the last line, the largest batch index printed in it, the last one printed. */
  epoch: number;
  max: number;
  last: number;
  /** The smallest gap between batch indices printed in one epoch (the printing interval). */
  every?: number;
  /** Speedometer ranges seen: `[0-N]` lines, and any `[a-b]` from a > 0 (auto_reset=True: each line's means are its window's). */
  fromZero: number;
  windowed: boolean;
  first: number;
  /** Rows whose step needs `per` (an epoch after epoch 0, before `per` is known). */
  held: MxHeld[];
  /** An LR printed since the last row (mx-rcnn's `lr: 0.000500`): the next row's. */
  lr?: number;
  /** Loss terms and other metrics named on the training lines, in order. */
  losses: string[];
  others: string[];
  /** The first training line, for what a refusal says, and its counter as printed (`Epoch[5] Batch [0-20]`). */
  sample: { line: number; text: string };
  counter: string;
  /** The metrics of the epoch-end `Validation-` lines. */
  validations: string[];
  rows: number;
}
/** A metric of an MXNet or GluonCV line that is a loss term: `…Loss`, `cross-entropy` (MXNet's `ce`), GluonCV's `CrossEntropy` and `SmoothL1`. */
const MX_LOSS_RE = /loss$|(?:^|[_-])(?:cross-?entropy|smoothl1)$/i;
/** How far a printed epoch (2 decimals) may be from the exact one. */
const EPOCH_ROUNDING = 0.0051;
function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
/** MLPerf benchmarks whose `eval_accuracy` is a held-out loss: GPT-3's log perplexity, LLaMA-2 70B LoRA's eval loss. */
const MLPERF_LOSS_EVALS: ReadonlySet<string> = new Set(['gpt3', 'llama2_70b_lora']);
/** A metric named as a held-out one (`val_loss`, `eval/loss`, `valid_ppl`, `test_acc`). */
const HELD_OUT_NAME_RE = /^(?:val|valid|validation|eval|test)(?:[_/ .-]|$)/i;
/** PaddleClas' evaluation summary: `[Eval][Epoch 400][Avg]CELoss: 3.20188, loss: 3.20188, top1: …`. Groups: 1 the epoch, 2 its metrics. */
const PADDLE_EVAL_AVG_RE = /\[(?:eval|val|valid|validation|test)\]\[Epoch (\d{1,6})\]\[Avg\][ \t]{0,4}(.{1,4000})$/i;
/** An evaluation's tag before its epoch (`[Eval][Epoch 10][`, PaddleClas). */
const EVAL_TAG_RE = /\[(?:eval|val|valid|validation|test)\]/i;
/** A MetricLogger console's evaluation summary (DeiT's engine.py): `* Acc@1 0.587 Acc@5 2.347 loss 5.426`. Groups: acc@1, acc@5, loss. */
const METRIC_LOGGER_EVAL_RE = /^\* Acc@1 ([\d.]{1,20}) Acc@5 ([\d.]{1,20}) loss ([\d.]{1,20}(?:[eE][-+]?\d{1,3})?)[ \t]*$/;
/**
 * OpenNMT-py's (1.x) shard loads: `Loading dataset from data/demo.train.0.pt, number of examples: 49949`
 * (or the count on the next line). Its DatasetLazyIter logs one each time it loads a shard, and cycles
 * through the training shards for as long as training runs. Group 1: the path.
 */
const ONMT_LOAD_RE = /\bLoading dataset from (\S{1,1000}\.pt)(?:, number of examples: \d{1,15})?[ \t]*$/;
/** 1st, 2nd, 3rd, 4th, 11th, 21st, … */
function ordinal(n: number): string {
  const t = n % 100, u = n % 10;
  return `${formatInteger(n)}${t >= 11 && t <= 13 ? 'th' : u === 1 ? 'st' : u === 2 ? 'nd' : u === 3 ? 'rd' : 'th'}`;
}

/** OpenNMT-py's validation lines: `Validation perplexity: 20.79`, `Validation accuracy: 56.2`. Groups: 1 which, 2 the value. */
const ONMT_VALID_RE = /\bValidation (perplexity|accuracy): ([\d.]{1,30}(?:[eE][-+]?\d{1,3})?)[ \t]*$/;
/**
 * What an evaluation's line says before its counter (`validation loss at`, `Eval 3 at`, `[valid] `; `── eval @ `
 * of a hand-written loop's `── eval @ step 500: loss=6.8278 … ──`, whose loss had overwritten the training
 * loss at every 500th step of a real console):
 * matched on the lead's last EVAL_LEAD_TAIL characters, with one run of blanks on each side of the
 * optional punctuation (two optional runs side by side were quadratic on a lead of blanks: 60,000
 * spaces after `val` took 4 s).
 */
const EVAL_LEAD_RE = /(?:^|[^A-Za-z_])(?:validation|validate|valid|val|eval|evaluation|test|dev)(?:[ \t]{1,8}\d{1,6})?(?:[ \t]+(?:loss[ \t]+)?(?:at|@))?[ \t]*(?:[\]:|)-][ \t]*)?$/i;
const EVAL_LEAD_TAIL = 120;
/**
 * An evaluation's head on a line of its own, its metrics on the next line: `  ── EVAL step 2500 ──` then
 * `     loss=5.9729  r=0.469  ppl=392.7  ★ best` (a real hand-written loop's console, whose 16
 * evaluations had been lost). Also `=== Validation at step 500 ===`, `Eval @ step 500:`. Group 1: the
 * step. Anchored, each run bounded and set off by a fixed word: linear.
 */
const EVAL_HEAD_RE = /^[ \t]{0,12}(?:[^\w\s]{1,40}[ \t]{0,4})?(?:evaluation|eval|validation|valid|val|test):?[ \t]{1,4}(?:(?:at|@)[ \t]{1,4})?(?:step|iter|iteration)[ \t]{0,4}[:=#]?[ \t]{0,4}(\d{1,15})[ \t]{0,4}(?:[^\w\s]{1,40}[ \t]{0,4})?$/i;
/** How many lines after an evaluation's head (EVAL_HEAD_RE) its metrics may be: the next line, or the next after a blank line or two. */
const EVAL_HEAD_REACH = 3;
/** A count of steps, not a step (`Steps: 30518, Tokens: 1,000,013,824`): the plural word. */
const STEPS_COUNT_RE = /\bsteps\b/i;
/** A value a line names as a loss (or its exponential): such a line logs a step's metrics. */
const LOSS_WORD_RE = /loss|xent|nll|ppl|perplexity/i;
/** The planned end's word (TextReader.planned) when a banner's count of steps gave it. */
const STEPS_BANNER = 'steps banner';
/** An evaluation's metric named as one (`loss_value` → `val_loss`, `loss_PPL` → `val_loss_PPL`); names that already say so are kept. */
function evalKey(key: string): string {
  if (/^(val|valid|validation|eval|test)(_|$)/i.test(key)) return key;
  return `val_${key.replace(/_value$/i, '')}`;
}

/** absl's / glog's prefix at a line's start (GLOG_PREFIX). */
const GLOG_PREFIX_RE = new RegExp(`^${GLOG_PREFIX}`);
class TextReader extends LineReader {
  /** The total of the last step line written `step N/T` (the run's planned last step), and its line. */
  private total = 0;
  private totalLine = 0;
  private totalWord = 'step';
  /** A step line `0/T` was seen: the steps are counted from 0, so the last planned one is T − 1 (nanochat). */
  private fromZero = false;
  /** A step line `T/T` was seen (modded-nanogpt logs 0/1770 … 1770/1770): T itself is a step. */
  private reachedTotal = false;
  /** A block of metric lines under a head (Composer, OLMo; `nnunet`: an nnU-Net epoch, whose fields are its own lines only). */
  private block: { rec: Rec; line: number; fields: number; nnunet?: boolean; coqui?: 'train' | 'eval'; caffe?: boolean; sfEpoch?: number } | undefined;
  /** A Composer block's head: the planned total as a step line's, the block opened. */
  private composerHead(m: RegExpExecArray, n: number): void {
    this.flushBlock();
    this.planned(Number(m[1]), Number(m[2]), n, 'batch');
    const rec: Rec = Object.create(null) as Rec;
    rec.step = Number(m[1]);
    this.block = { rec, line: n, fields: 0 };
  }
  private flushBlock(): void {
    const b = this.block;
    this.block = undefined;
    if (b && b.fields > 0) {
      if (b.coqui) this.coquiRow(b.rec, b.line, b.coqui);
      else this.sink.add(b.rec, b.line);
    }
  }
  /** A Coqui Trainer log (COQUI_STEP_RE): its restore, epochs and rows so far. */
  private coqui: CoquiState | undefined;
  /**
   * One line of a Coqui 🐸TTS / coqui-ai Trainer log (`trainer_0_log.txt`): a block head opens a row at
   * its GLOBAL_STEP, whose `| > key: value  (running average)` lines are its metrics (the value only);
   * an EVAL PERFORMANCE head opens the evaluation's block, its `avg_*` lines held out at the last
   * training row's step; any other line closes a block. The epoch heads and a restored checkpoint's
   * step are kept for the plan and the steps.
   */
  private coquiLine(text: string, n: number): boolean {
    if (this.block?.coqui) {
      const f = text.includes('| > ') ? COQUI_FIELD_RE.exec(text) : null;
      if (f) { this.coquiField(this.block, f[1], f[2]); return true; }
      this.flushBlock();
    }
    if (!text.includes('> ')) return false;
    if (text.includes('GLOBAL_STEP: ')) {
      const h = COQUI_STEP_RE.exec(text);
      if (!h) return false;
      this.coquiHead(Number(h[1]), Number(h[2]), Number(h[3]), n);
      return true;
    }
    if (text.includes('EVAL PERFORMANCE')) {
      if (!COQUI_EVAL_RE.test(text)) return false;
      this.flushBlock();
      this.block = { rec: Object.create(null) as Rec, line: n, fields: 0, coqui: 'eval' };
      return true;
    }
    if (text.includes('> EPOCH: ')) {
      const e = COQUI_EPOCH_RE.exec(text);
      if (!e) return false;
      const c = (this.coqui ??= newCoqui());
      c.epoch = Number(e[1]);
      c.of = Number(e[2]);
      c.ofLine = n;
      // (`EPOCH: 5/5`: this Trainer prints the last epoch's index, not the count.)
      if (c.epoch === c.of) c.lastIndex = true;
      return true;
    }
    if (text.includes('Model restored from step')) {
      const r = COQUI_RESTORED_RE.exec(text);
      if (!r) return false;
      const c = (this.coqui ??= newCoqui());
      // (A restore after rows: a run continued in the same file, its steps go on.)
      if (c.offset === undefined) c.restored = { step: Number(r[1]), line: n };
      return true;
    }
    return false;
  }
  /** A Coqui training block's head: its row, at the global step (less a fine-tune's restored step). */
  private coquiHead(within: number, total: number, global: number, n: number): void {
    this.flushBlock();
    const c = (this.coqui ??= newCoqui());
    if (c.offset === undefined) {
      // A fine-tune from a checkpoint counts on from its step (the Trainer before 2025): this run's
      // steps are the ones after it, as the Hugging Face Trainer counts a fine-tune from 0.
      const r = c.restored;
      c.offset = r && r.step > 0 && global > r.step ? r.step : 0;
      if (c.offset > 0) this.problems.add('coquirestore', r!.line, 'info', `steps counted from the restored checkpoint's step ${r!.step} (line ${r!.line}): this run is a fine-tune from it, its GLOBAL_STEP ${global} is step ${global - r!.step} of this run`);
    }
    const step = global - c.offset;
    if (c.epoch !== undefined && !c.starts.has(c.epoch)) c.starts.set(c.epoch, step - within);
    c.total = total;
    c.totalLine = n;
    if (within === total) c.lastIndex = true;
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    this.block = { rec, line: n, fields: 0, coqui: 'train' };
  }
  /** A Coqui block's metric: an evaluation's `avg_loss_1` held out by name (`val_loss_1`). */
  private coquiField(b: NonNullable<TextReader['block']>, raw: string, value: string): void {
    let key = raw;
    if (b.coqui === 'eval') key = evalKey(raw.replace(/^avg_/, ''));
    if (key.toLowerCase() === 'step' || b.fields >= MAX_BLOCK_FIELDS || Object.prototype.hasOwnProperty.call(b.rec, key)) return;
    b.rec[key] = printedNumber(value);
    b.fields++;
  }
  /**
   * A Coqui block's row; an evaluation's is at the last training row's step (0 before any). A GAN's
   * (VITS, HiFi-GAN: `loss_0` the discriminator's loss, `loss_1` the generator's total) is said once, and
   * `loss_1` named its whole loss (coquiPlan).
   */
  private coquiRow(rec: Rec, line: number, kind: 'train' | 'eval'): void {
    const c = (this.coqui ??= newCoqui());
    if (kind === 'eval') {
      rec.step = c.lastStep ?? 0;
      this.sink.add(rec, line);
      return;
    }
    if (!c.ganSaid && 'loss_1' in rec && ('loss_0' in rec || 'loss_disc' in rec || 'loss_gen' in rec)) {
      c.ganSaid = true;
      this.problems.add('coquigan', line, 'info', "a GAN's log (Coqui's loss_0 is the discriminator's loss, loss_1 the generator's total): loss_1 is fitted first, but neither falls as a power law needs to (the two are trained against each other)");
    }
    this.sink.add(rec, line);
    c.lastStep = rec.step as number;
    this.rowStep = c.lastStep;
  }
  /**
   * A Coqui log's plan: its epochs (`EPOCH: e/E`) × the steps one takes. The steps an epoch takes are
   * told by the GLOBAL_STEP at the start of two epochs (the head's global step less its step within
   * the epoch); since 2025 the Trainer prints the last index (`EPOCH: 5/5`, `STEP: 1327/1327`), not the
   * count, which that tells apart.
   */
  private coquiPlan(log: ParsedLog): void {
    const c = this.coqui;
    if (c?.ganSaid) log.run = { ...(log.run ?? {}), wholeLoss: 'loss_1' };
    if (!c || c.offset === undefined || c.total === undefined || c.of === undefined) return;
    let first: number | undefined, last: number | undefined;
    for (const e of c.starts.keys()) {
      if (first === undefined || e < first) first = e;
      if (last === undefined || e > last) last = e;
    }
    let per: number | undefined;
    if (first !== undefined && last !== undefined && last > first) {
      const p = (c.starts.get(last)! - c.starts.get(first)!) / (last - first);
      if (Number.isSafeInteger(p) && p > 0) per = p;
    }
    const index = c.lastIndex || per === c.total + 1;
    const epochs = c.of + (index ? 1 : 0);
    const how = per !== undefined
      ? `the GLOBAL_STEP at the starts of epochs ${first} and ${last}`
      : `"STEP: s/${c.total}", line ${c.totalLine}${index ? ", the last step's index" : ''}`;
    per ??= c.total + (index ? 1 : 0);
    if (!(epochs > 0 && per > 0)) return;
    const said = `the log's "EPOCH: ${c.epoch}/${c.of}", line ${c.ofLine}${index ? `: the last epoch's index, counted from 0, so ${epochs} epochs` : ''}`;
    log.run = { ...(log.run ?? {}), epochsLogged: { count: epochs, source: said, stepsPerPass: per } };
    if (!log.run.plannedSteps) log.run.plannedSteps = { steps: epochs * per, source: `${index ? said : `${epochs} epochs (${said})`} × ${per} steps an epoch (${how})` };
  }
  /** RWKV-LM's last launch (RWKV_RUN_RE): the line of its head, and its arguments' epoch_steps, epoch_count and epoch_begin. */
  private rwkv: { head: number; steps?: number; count?: number; begin?: number; line?: number } | undefined;
  private rwkvRows = 0;
  /** An RWKV log's steps (mini-epochs × epoch_steps) and its planned end ((epoch_begin + epoch_count) × epoch_steps), said. */
  private rwkvPlan(log: ParsedLog): void {
    const r = this.rwkv;
    if (this.rwkvRows === 0) return;
    if (!r?.steps) {
      log.problems.push({ line: 0, severity: 'info', message: "RWKV-LM's train_log.txt without its launch's arguments (`'epoch_steps': N`): a row's step is its mini-epoch + 1, not its steps" });
      return;
    }
    const said = `RWKV-LM's arguments (line ${r.line}): epoch_steps = ${r.steps}`;
    log.problems.push({ line: r.line ?? 0, severity: 'info', message: `RWKV-LM's train_log.txt: a row per mini-epoch of ${r.steps} steps (${said}; a mini-epoch is not a pass over the data), at its last step` });
    if (r.count && r.count > 0 && !log.run?.plannedSteps) {
      log.run = { ...(log.run ?? {}), plannedSteps: { steps: ((r.begin ?? 0) + r.count) * r.steps, source: `${said}, epoch_begin = ${r.begin ?? 0}, epoch_count = ${r.count}: (epoch_begin + epoch_count) × epoch_steps` } };
    }
  }
  /** A pytorch-CycleGAN-and-pix2pix loss log (GAN_LAUNCH_RE, ganLine): its epochs, the images each takes, its rows so far. */
  private gan: GanState | undefined;
  /** One line of a pytorch-CycleGAN-and-pix2pix log, when it is one of its own (else false: not read here). */
  private ganText(text: string, n: number, len: number): boolean {
    if (text.includes(' Training Loss (')) {
      if (!GAN_LAUNCH_RE.test(text)) return false;
      // Another launch: its total_iters start again from 0, so its prints fall elsewhere in an epoch.
      const s = (this.gan ??= newGan());
      s.fresh = true;
      s.stride = undefined;
      return true;
    }
    if (text.startsWith('End of epoch ')) {
      const m = GAN_EPOCH_END_RE.exec(text);
      if (!m || !this.gan) return false;
      if (Number(m[2]) > 0) { this.gan.of = Number(m[2]); this.gan.ofLine = n; }
      return true;
    }
    const g = ganLine(text);
    if (!g) return false;
    this.ganRow(g, n, len);
    return true;
  }
  /**
   * A loss line's row. Its `iters` count the images into the epoch (epoch_iter, by batch_size), so its
   * step is the images seen since epoch 1 began: the images of the epochs before + iters. An epoch's
   * images are inferred where one epoch's lines end and the next one's begin within a launch: the lines
   * are printed every `stride` images of the whole run (total_iters % print_freq), so the next epoch's
   * first line is `stride` images after the last line of the one before: an epoch takes last iters +
   * stride − first iters. Elsewhere (an epoch with one line, a launch continued at a later epoch) the
   * last inferred, else the last iters printed in the epoch (approximate, said once). A launch from
   * epoch 1 is a run from scratch (the rows before it are superseded as another run's).
   */
  private ganRow(g: GanLine, n: number, len: number): void {
    const s = (this.gan ??= newGan());
    const e = g.epoch, i = g.iters;
    if (this.problems.once('ganlog', n, 'info', `pytorch-CycleGAN-and-pix2pix's loss lines: "iters" counts the images into the epoch, so a row's step is the images seen since epoch 1 began (the images of the epochs before, inferred from the log, + iters); "time" and "data" (the seconds of compute and of data loading per image, not a clock) are t_comp and t_data`) && e > 1) {
      this.problems.add('ganstart', n, 'info', `the log starts at epoch ${e} (a run continued with --epoch_count): the images of the epochs before are not known, so its steps count from epoch ${e}'s start`);
    }
    if (s.epoch === undefined) s.offset = 0;
    else if (e === s.epoch) {
      // (Back to an earlier iters: the epoch started again, in another launch; the rows it supersedes go.)
      if (i > s.iters && !s.fresh) s.stride = Math.min(s.stride ?? Infinity, i - s.iters);
    } else if (e > s.epoch) {
      const per = e === s.epoch + 1 && !s.fresh && s.stride !== undefined ? s.iters + s.stride - i : 0;
      if (per > 0) {
        if (per !== s.per) this.problems.add('ganepoch', n, 'info', `an epoch takes ${formatInteger(per)} images, inferred from the log: epoch ${s.epoch}'s last "iters" (${formatInteger(s.iters)}) + the print interval (${formatInteger(s.stride!)} images) − epoch ${e}'s first "iters" (${formatInteger(i)})`);
        s.per = per;
        s.offset += per;
      } else {
        if (s.per === undefined) this.problems.once('ganguess', n, 'info', `the images an epoch takes are not known here (line ${n}, epoch ${e} after epoch ${s.epoch}): taken as the last "iters" printed in epoch ${s.epoch} (${formatInteger(s.iters)}), so the steps from here on are approximate`);
        s.offset += (s.per ?? s.iters) * (e - s.epoch);
      }
    } else if (e <= 1) {
      // A run from scratch: its data may be other data (the images an epoch takes are inferred again).
      s.offset = 0;
      s.per = undefined;
    } else s.offset = Math.max(0, s.offset - (s.per ?? s.iters) * (s.epoch - e));
    s.epoch = e;
    s.iters = i;
    s.fresh = false;
    const rec: Rec = Object.create(null) as Rec;
    const step = s.offset + i;
    rec.step = step;
    rec.epoch = e;
    if (g.time !== undefined) { rec.t_comp = printedNumber(g.time); this.sink.hintRole('t_comp', 'other', 'the seconds of compute per image this line printed ("time"), not a clock'); }
    if (g.data !== undefined) { rec.t_data = printedNumber(g.data); this.sink.hintRole('t_data', 'other', 'the seconds of data loading this line printed ("data"), not a clock'); }
    const texts: Record<string, string> = Object.create(null) as Record<string, string>;
    let losses = 0;
    for (const [k, v] of g.pairs) {
      if (/^(step|epoch|t_comp|t_data)$/i.test(k) || Object.prototype.hasOwnProperty.call(texts, k)) continue;
      texts[k] = v;
      rec[k] = printedNumber(v);
      losses++;
      this.sink.hintRole(k, 'loss', `a loss the GAN's loss line prints (pytorch-CycleGAN-and-pix2pix: what follows the parenthesis is the model's losses)`);
    }
    if (Object.prototype.hasOwnProperty.call(texts, 'G')) {
      s.whole = true;
      this.sink.hintRole('G', 'loss', "the generator's whole objective, as the log prints it (CUT's G: its GAN loss + its NCE loss)");
    } else {
      for (const w of GAN_WHOLE) {
        if (losses !== w.terms.length + w.others.length || ![...w.terms, ...w.others].every((k) => Object.prototype.hasOwnProperty.call(texts, k))) continue;
        let sum = 0, dec = 0;
        for (const t of w.terms) {
          sum += rec[t] as number;
          const d = printedDecimals(texts[t]);
          dec = d < 0 || dec < 0 ? -1 : Math.max(dec, d);
        }
        if (!Number.isFinite(sum)) break;
        // To the decimals printed: the sum of 0.660 + 1.700 is 2.36, not 2.3600000000000003.
        rec.G = dec >= 0 ? Number(sum.toFixed(dec)) : sum;
        s.whole = true;
        this.sink.hintRole('G', 'loss', `the generator's whole objective: the sum of ${w.model}'s logged terms ${w.terms.join(' + ')} (each already times its weight)`);
        break;
      }
    }
    this.problems.once('gangan', n, 'info', `a GAN's losses (its generator's and discriminators', trained against each other)${s.whole ? ': G, the generator\'s whole objective, is fitted first, but' : ':'} none of them is expected to fall as a scaling law describes`);
    this.sink.add(rec, n, len);
    this.rowStep = step;
  }
  /** A GAN log's whole loss (`G`), its epochs and the images each takes; its planned end when its stdout said it. */
  private ganPlan(log: ParsedLog): void {
    const s = this.gan;
    if (!s || s.epoch === undefined) return;
    if (s.whole && log.columns.some((c) => c.name === 'G' && c.role === 'loss')) log.run = { ...(log.run ?? {}), wholeLoss: 'G' };
    const per = s.per;
    const of = s.of !== undefined && s.of >= s.epoch ? s.of : undefined;
    if (per === undefined && of === undefined) return;
    const said = of !== undefined ? `its script's "End of epoch N / ${of}" (line ${s.ofLine})` : `the log's epochs (to epoch ${s.epoch})`;
    log.run = { ...(log.run ?? {}), epochsLogged: { count: of ?? s.epoch, source: per !== undefined ? `${said}, ${formatInteger(per)} images each (inferred from the log)` : said, ...(per !== undefined ? { stepsPerPass: per } : {}) } };
    if (of !== undefined && per !== undefined && !log.run.plannedSteps) log.run.plannedSteps = { steps: of * per, source: `${said} × ${formatInteger(per)} images an epoch (inferred from the log)` };
  }
  /** A LitGPT console (LITGPT_LINE_RE): its TrainArgs, steps and validations so far. */
  private lit: LitGptState | undefined;
  /**
   * LitGPT's lines: its pprint'ed `'train': TrainArgs(…)` (a key a line: kept for the planned end), its
   * training lines, its validation lines (`iter 100: val loss …`) and its final evaluation. Returns
   * whether the line was one of them.
   */
  private litLine(text: string, n: number, len: number): boolean {
    const lit = this.lit;
    if (lit?.inArgs || text.includes('TrainArgs(')) {
      const st = (this.lit ??= newLit());
      let part = text;
      if (!st.inArgs) {
        // (The arguments a run prints first: a later TrainArgs is another run's, read afresh.)
        part = text.slice(text.indexOf('TrainArgs(') + 10);
        st.inArgs = true;
        st.args = new Map();
        st.argsLine = n;
        st.argLines = 0;
      }
      part = part.slice(0, 4096);
      LITGPT_ARG_RE.lastIndex = 0;
      let a: RegExpExecArray | null;
      while ((a = LITGPT_ARG_RE.exec(part)) && st.args.size < 100) if (!st.args.has(a[1])) st.args.set(a[1], a[2]);
      if (part.includes(')') || ++st.argLines >= 60) st.inArgs = false;
      return true;
    }
    if (text.includes(' | iter ')) {
      const m = LITGPT_LINE_RE.exec(text);
      if (m) { this.litTrain(m, n, len); return true; }
      return false;
    }
    if (!lit) return false;
    if (text.includes(': val loss ')) {
      const v = LITGPT_VAL_RE.exec(text);
      if (!v) return false;
      const iter = Number(v[1]);
      // Validation runs right after an optimizer step: at iteration `iter`, the step its training line
      // said (the line of that iteration), else the iteration over the iterations a step takes.
      const step = lit.lastIter === iter ? lit.lastStep : lit.accum !== undefined && iter % lit.accum === 0 ? iter / lit.accum : undefined;
      if (step === undefined) {
        this.problems.once('litgptvalstep', n, 'info', `a LitGPT validation at iteration ${iter} (line ${n}) whose optimizer step is not known (no training line of that iteration, and the iterations a step takes not yet seen): not read`);
        return true;
      }
      this.litVal(step, printedNumber(v[2]), n, len);
      return true;
    }
    if (text.includes('Final evaluation') && lit.lastStep !== undefined) {
      const f = LITGPT_FINAL_RE.exec(text);
      if (!f) return false;
      this.litVal(lit.lastStep, printedNumber(f[1]), n, len);
      return true;
    }
    return false;
  }
  /** A LitGPT validation's loss, held out at `step` (merged with that step's row when it is the last). */
  private litVal(step: number, v: number, n: number, len: number): void {
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    rec.val_loss = v;
    this.sink.add(rec, n, len);
    if (Number.isFinite(v)) this.lit!.val = v;
  }
  /**
   * A LitGPT training line (LITGPT_LINE_RE). The row of optimizer step S is its line marked `(step)`:
   * its loss is the mean over that step's micro-batches (a running mean over the last
   * gradient-accumulation window). A line without the mark (an iteration within a step) is no row:
   * its mean spans two steps' micro-batches, and its `step` is the steps done before it. `val: V` is the
   * last validation's loss, printed again on each line until the next: a value not known yet (the
   * initial validation, which has no line of its own) is held out at the last step done before the
   * line's iteration; its echoes are dropped.
   */
  private litTrain(m: RegExpExecArray, n: number, len: number): void {
    const st = (this.lit ??= newLit());
    const epoch = Number(m[1]), iter = Number(m[2]), step = Number(m[3]);
    const marked = m[7] !== undefined;
    if (m[8] !== undefined) st.pretrain = true;
    if (marked && step > 0 && iter % step === 0) st.accum = iter / step;
    // (With log_interval=1 the first line of epoch 2 is the iteration after the first epoch's last.)
    if (epoch === 2 && st.epoch === 1 && st.epochIters === undefined) st.epochIters = iter - 1;
    st.epoch = epoch;
    if (m[5] !== 'n/a') {
      const v = printedNumber(m[5]);
      // (An echo of a validation line's value, printed to 3 decimals of its 4, is the same value.)
      if (Number.isFinite(v) && !(st.val !== undefined && Math.abs(v - st.val) <= 0.0006)) {
        const at = marked ? step - 1 : step;
        this.problems.once('litgptval', n, 'info', `LitGPT's "val: ${m[5]}" (line ${n}) is a validation with no line of its own before it (the initial validation, or its "iter N: val loss" lines cut out): held out at step ${at}, the last optimizer step before that line; the same value printed on the lines after it is kept once`);
        this.litVal(at, v, n, len);
      }
      if (Number.isFinite(v)) st.val = v;
    }
    st.lastIter = iter;
    st.lastStep = step;
    if (!marked) {
      this.problems.once('litgptaccum', n, 'info', `LitGPT prints a line every log_interval iterations (micro-batches), the iteration that makes an optimizer step marked "(step)": a row is a step's "(step)" line, at its step (not its iteration), its loss the mean over that step's micro-batches. The lines between (line ${n} the first) are not rows: their loss is a running mean over micro-batches of two steps`);
      return;
    }
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    rec.train_loss = printedNumber(m[4]);
    rec.epoch = epoch;
    rec.iter_time_ms = Number(m[6]);
    this.sink.add(rec, n, len);
    this.rowStep = step;
  }
  /**
   * LitGPT's planned end (fine-tuning; pretraining ends by max_tokens, which this does not read): its
   * TrainArgs' max_steps, or sooner its epochs × the iterations an epoch took ÷ the iterations a step
   * takes, when the epoch's end was seen line by line (log_interval=1).
   */
  private litPlan(log: ParsedLog): void {
    const st = this.lit;
    if (!st || st.pretrain || st.argsLine === undefined || log.run?.plannedSteps) return;
    const arg = (k: string): number | undefined => {
      const v = st.args.get(k);
      return v !== undefined && /^\d{1,12}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
    };
    const maxSteps = arg('max_steps'), epochs = arg('epochs');
    let steps: number | undefined, source = '';
    if (maxSteps !== undefined) { steps = maxSteps; source = `LitGPT's TrainArgs(max_steps=${maxSteps}), line ${st.argsLine}`; }
    if (epochs !== undefined && st.epochIters && st.accum && arg('log_interval') === 1) {
      const e = Math.floor((epochs * st.epochIters) / st.accum);
      if (e > 0 && (steps === undefined || e < steps)) {
        steps = e;
        source = `LitGPT's TrainArgs(epochs=${epochs}), line ${st.argsLine}, × ${formatInteger(st.epochIters)} iterations an epoch (epoch 2 starts at iteration ${formatInteger(st.epochIters + 1)}) ÷ ${st.accum} iterations a step${maxSteps !== undefined ? ` (sooner than its max_steps=${maxSteps})` : ''}`;
      }
    }
    if (steps !== undefined) log.run = { ...(log.run ?? {}), plannedSteps: { steps, source } };
  }
  /**
   * A lit-gpt console of 2023 (LITGPT23_LINE_RE): the max_iters of the hyper-parameters it printed first
   * (`fabric.print(hparams)`: `{'max_iters': 1840000, 'gradient_accumulation_steps': 16, …}`) and its line,
   * its rows, the last iteration, the iterations an optimizer step takes (from its `(optimizer.step)` lines).
   */
  private lit23: { rows: number; maxIters?: number; line?: number; lastIter?: number; accum?: number } | undefined;
  /** lit-gpt's printed hyper-parameters: its max_iters (a whole number). */
  private lit23Params(text: string, n: number): void {
    const m = /(?:\{|, )'max_iters': (\d{1,15})[,}]/.exec(text.slice(0, 8192));
    if (m && Number(m[1]) > 0) this.lit23 = { rows: 0, maxIters: Number(m[1]), line: n };
  }
  /**
   * A lit-gpt 2023 training line: a row at its iteration (one micro-batch), its loss that micro-batch's,
   * its LR when printed. The iteration is the axis: the unit its max_iters and LR schedule (warmup_iters,
   * lr_decay_iters) count; `step M` (the optimizer steps done) is left out. (The generic reader had read
   * TinyLlama's `remaining time: 125.07 hours.  or 5.21 days.` as columns "remaining_time" and "or".)
   */
  private lit23Row(r: RegExpExecArray, n: number, len: number): void {
    const st = (this.lit23 ??= { rows: 0 });
    const iter = Number(r[1]), step = Number(r[2]);
    if (st.rows === 0) this.problems.once('lit23axis', n, 'info', `lit-gpt's training lines ("iter N step M: loss …", line ${n} the first): a row per iteration, one micro-batch with its own loss, at its iteration, the unit its max_iters and LR schedule count; "step M" (the optimizer steps done) is not the axis`);
    if (r[6] !== undefined && step > 0 && st.accum === undefined) {
      // TinyLlama counts iterations from 1 (`iter 16 step 1`), lit-gpt's pretraining from 0 (`iter 0 step 1`).
      const a = iter > 0 && iter % step === 0 ? iter / step : (iter + 1) % step === 0 ? (iter + 1) / step : undefined;
      if (a !== undefined && a >= 1) {
        st.accum = a;
        this.problems.once('lit23accum', n, 'info', a === 1
          ? `lit-gpt's "(optimizer.step)" mark (line ${n}: iteration ${iter}, step ${step}): every iteration makes an optimizer step, no gradient accumulation`
          : `lit-gpt's "(optimizer.step)" mark (line ${n}: iteration ${iter}, step ${step}): ${a} iterations (micro-batches) make an optimizer step, so the axis counts micro-batches, ${a} to a step`);
      }
    }
    const rec: Rec = Object.create(null) as Rec;
    rec.step = iter;
    rec.loss = printedNumber(r[3]);
    if (r[4] !== undefined) rec.lr = printedNumber(r[4]);
    rec.iter_time_ms = Number(r[5]);
    this.sink.add(rec, n, len);
    this.rowStep = iter;
    st.rows++;
    st.lastIter = iter;
  }
  /** lit-gpt 2023's planned end: max_iters from the hyper-parameters it printed, when its lines stay within it. */
  private lit23Plan(log: ParsedLog): void {
    const st = this.lit23;
    if (!st || st.rows === 0 || st.maxIters === undefined || log.run?.plannedSteps) return;
    if (st.lastIter !== undefined && st.lastIter > st.maxIters) {
      this.problems.once('lit23past', st.line!, 'info', `lit-gpt's printed hyper-parameters (line ${st.line}) say 'max_iters': ${st.maxIters}, but its lines go on to iteration ${st.lastIter}: not taken as the planned end`);
      return;
    }
    log.run = { ...(log.run ?? {}), plannedSteps: { steps: st.maxIters, source: `lit-gpt's printed hyper-parameters, 'max_iters': ${st.maxIters} (line ${st.line}): its loop ends when its iteration counter reaches max_iters` } };
  }
  /** A Caffe console (CAFFE_ITER_RE): its printed solver parameters, its test phases. */
  private caffe: CaffeState | undefined;
  /**
   * Caffe's lines (glog): `Iteration N, loss = X` is a row at iteration N, its loss the net's total;
   * `Iteration N, lr = X` that iteration's LR (merged with its row); `Iteration N, Testing net (#k)`
   * opens a row at N of that test's outputs (the lines after it); `max_iter: M` in the SolverParameter
   * printed after `Initializing solver from parameters:` is the planned end (the last one printed: a
   * resumed job prints its solver again). Returns whether the line was one of them.
   */
  private caffeLine(text: string, n: number, len: number): boolean {
    const st = this.caffe;
    if (st?.inSolver) {
      // The solver's fields, a line each in protobuf's text format (`max_iter: 960`, `train_state {`,
      // `}`), up to the next glog line: none is a metric. A line of another shape ends it too.
      if (!GLOG_START_RE.test(text) && /^[ \t]{0,40}(?:[A-Za-z_][\w.]{0,80}(?::|[ \t]{0,4}\{)|\})/.test(text)) {
        const m = text.startsWith('max_iter: ') ? /^max_iter: (\d{1,15})[ \t]*$/.exec(text) : null;
        if (m && Number(m[1]) > 0) st.maxIter = { steps: Number(m[1]), line: n };
        return true;
      }
      st.inSolver = false;
    }
    if (text.includes('] Iteration ')) {
      const m = CAFFE_ITER_RE.exec(text);
      if (m) {
        this.caffe ??= newCaffe();
        this.rowAt(Number(m[1]), { [m[2]]: printedNumber(m[3]) }, n, len);
        return true;
      }
      const t = CAFFE_TESTING_RE.exec(text);
      if (!t) return false;
      const c = (this.caffe ??= newCaffe());
      c.testNet = Number(t[2]);
      c.weighted = 0;
      const rec: Rec = Object.create(null) as Rec;
      rec.step = Number(t[1]);
      this.block = { rec, line: n, fields: 0, caffe: true };
      return true;
    }
    if (st && text.includes(' net output #')) {
      const o = CAFFE_OUTPUT_RE.exec(text);
      if (!o) return false;
      // A training output is one batch's value of one of the net's outputs: the `Iteration N, loss`
      // line before it is their weighted sum (averaged over average_loss iterations), the curve to fit.
      // Kept out, a head of its own named `loss` (GoogLeNet's) could not be taken for that total.
      if (o[1] === 'Train') return true;
      const b = this.block;
      if (!b?.caffe || b.fields >= MAX_BLOCK_FIELDS) return true;
      const pre = st.testNet ? `eval${st.testNet}` : 'eval';
      if (o[5] !== undefined) {
        // An output Caffe weights into the net's loss: its weighted value (`(* 0.3 = 4.2799 loss)`) is
        // its part of the total, so the held-out loss is their sum, as `Iteration N, loss` is of the
        // training net's: one curve against the other. A single loss output of weight 1 is its own value.
        const key = `${pre}_loss`;
        const had = own(b.rec, key);
        b.rec[key] = (typeof had === 'number' ? had : 0) + printedNumber(o[6]);
        if (++st.weighted === 2) this.problems.once('caffeheads', n, 'info', `Caffe's test net has several loss outputs (line ${n}): "${key}" is the sum of their weighted values ("(* w = v loss)"), the net's total loss as "Iteration N, loss" is the training net's; the outputs themselves are not read`);
      } else if (!LOSS_KEY_RE.test(o[3]) && own(b.rec, `${pre}_${o[3]}`) === undefined) {
        // A metric (accuracy): held out under its name. An unweighted output named as a loss (GoogLeNet's
        // `loss3/top-1` accuracy, a loss of weight 0) adds nothing to the total and is not read as one.
        b.rec[`${pre}_${o[3]}`] = printedNumber(o[4]);
      }
      b.fields++;
      return true;
    }
    if (text.includes('Initializing solver') && CAFFE_SOLVER_RE.test(text)) {
      (this.caffe ??= newCaffe()).inSolver = true;
      return true;
    }
    return false;
  }
  /** Caffe's planned end: the solver's max_iter (Caffe stops when the iteration reaches it). */
  private caffePlan(log: ParsedLog): void {
    const m = this.caffe?.maxIter;
    if (!m || log.run?.plannedSteps || log.rows === 0) return;
    log.run = { ...(log.run ?? {}), plannedSteps: { steps: m.steps, source: `Caffe's solver parameters, "max_iter: ${m.steps}" (line ${m.line})` } };
  }
  /** A TensorFlow 1 Estimator console (TF_LOSS_RE): the banner last printed, its planned steps. */
  private tf: { running?: string; steps?: { steps: number; line: number } } | undefined;
  /**
   * The Estimator's lines: `loss = X, step = N` is a training row at step N; `Saving dict for global
   * step N: …` the evaluation of the checkpoint at step N, held out (its `loss` too: the evaluation's,
   * not training's); `Num steps = N` under `***** Running training *****` (BERT's scripts) the planned
   * end. `global_step/sec` is a speed, not read. Returns whether the line was one of them.
   */
  private tfLine(text: string, n: number, len: number): boolean {
    if (text.includes('loss = ')) {
      const m = TF_LOSS_RE.exec(text);
      if (m) {
        this.tf ??= {};
        this.rowAt(Number(m[2]), { loss: printedNumber(m[1]) }, n, len);
        return true;
      }
    }
    if (text.includes('Saving dict for global step')) {
      const e = TF_EVAL_RE.exec(text);
      if (!e) return false;
      this.tf ??= {};
      const vals = new Map<string, number>();
      for (const part of e[2].split(', ', 200)) {
        const p = TF_PAIR_RE.exec(part.trim());
        if (p && p[1] !== 'global_step' && !vals.has(p[1])) vals.set(p[1], printedNumber(p[2]));
      }
      // Every metric is the evaluation's, named so (`eval_` before a name that lacks it). Its `loss`
      // is the model's loss averaged over the evaluation's batches: the held-out loss, unless the
      // script's own `eval_loss` is there (BERT's, the mean over examples), which keeps its name.
      const rec: Rec = Object.create(null) as Rec;
      rec.step = Number(e[1]);
      const loss = vals.get('eval_loss') ?? vals.get('loss');
      if (loss !== undefined) rec.eval_loss = loss;
      for (const [k, v] of vals) {
        const name = k === 'loss' ? (vals.has('eval_loss') ? 'eval_estimator_loss' : 'eval_loss') : k.startsWith('eval_') ? k : `eval_${k}`;
        if (own(rec, name) === undefined) rec[name] = v;
      }
      if (vals.has('loss')) this.problems.once('tfevalloss', n, 'info', `the Estimator's evaluation (line ${n}, "Saving dict for global step ${e[1]}"): its "loss" is the evaluation's (the model's loss averaged over its batches), read as ${vals.has('eval_loss') ? '"eval_estimator_loss" beside the script\'s own "eval_loss"' : '"eval_loss"'}, not as training loss`);
      this.sink.add(rec, n, len);
      return true;
    }
    if (text.startsWith('INFO:tensorflow:*****')) {
      const r = TF_RUNNING_RE.exec(text);
      if (!r) return false;
      (this.tf ??= {}).running = r[1];
      return true;
    }
    if (this.tf?.running === 'training' && text.includes('Num steps = ')) {
      const p = TF_STEPS_RE.exec(text);
      if (p && Number(p[1]) > 0) { this.tf.steps = { steps: Number(p[1]), line: n }; return true; }
    }
    return false;
  }
  /** The Estimator script's planned end: `Num steps = N` under its training banner (the Estimator's max_steps it passes). */
  /** build-nanogpt's passes: its logged steps × the batches a step takes ÷ the batches an epoch makes (`1 epoch = N batches`). */
  private nanoEpochPlan(log: ParsedLog): void {
    const ne = this.nanoEpoch;
    const sc = log.columns.find((c) => c.role === 'step');
    const st = sc ? log.data[sc.name] : undefined;
    if (!ne || log.run?.epochsLogged || !st || log.rows === 0) return;
    // The rows' steps, from 0 (as build-nanogpt prints them) or 1: the steps taken are the last + 1 or the last.
    const first = st[0], last = st[log.rows - 1];
    if (!(last >= first)) return;
    const steps = last + (first === 0 ? 1 : 0);
    const ac = this.nanoAccum;
    const k = ac?.n ?? 1;
    const per = ne.per / k;
    const count = steps / per;
    if (!(count > 1)) return;
    const accum = ac ? `, ${ac.n} batches a step ("calculated gradient accumulation steps: ${ac.n}", line ${ac.line})` : '';
    log.run = { ...(log.run ?? {}), epochsLogged: { count: Number(count.toPrecision(3)), source: `"${ne.said}" (line ${ne.line})${accum}: the ${formatInteger(steps)} steps logged pass over the data ${Number(count.toPrecision(3))} times`, stepsPerPass: per } };
  }
  private tfPlan(log: ParsedLog): void {
    const s = this.tf?.steps;
    if (!s || log.run?.plannedSteps || log.rows === 0) return;
    log.run = { ...(log.run ?? {}), plannedSteps: { steps: s.steps, source: `"Num steps = ${s.steps}" under "***** Running training *****" (line ${s.line})` } };
  }
  /** A LeRobot console (LEROBOT_LINE_RE): its interval, steps and epochs so far. */
  private lerobot: LeRobotState | undefined;
  /** LeRobot's lines: training lines, held-out evaluations, checkpoints (a check of the steps), its planned steps. */
  private leRobotLine(text: string, n: number, len: number): boolean {
    if (text.includes('step:')) {
      const m = LEROBOT_LINE_RE.exec(text);
      if (m) { this.leRobotTrain(m, n, len); return true; }
    }
    if (text.includes('cfg.steps=')) {
      const p = LEROBOT_STEPS_RE.exec(text);
      if (p && Number(p[1]) > 0) { (this.lerobot ??= newLeRobot()).plan = { steps: Number(p[1]), line: n, said: `"cfg.steps=${p[1]}"` }; return true; }
    }
    // (The config LeRobot prints first, pprint'ed: a top-level key is indented by one space.)
    if (text.startsWith(" 'steps': ")) {
      const p = /^ 'steps': (\d{1,15}),?[ \t]*$/.exec(text);
      if (p && Number(p[1]) > 0) { (this.lerobot ??= newLeRobot()).plan = { steps: Number(p[1]), line: n, said: `config 'steps': ${p[1]}` }; return true; }
    }
    const st = this.lerobot;
    if (!st) return false;
    if (text.includes('eval_loss=')) {
      const e = LEROBOT_EVAL_RE.exec(text);
      if (!e) return false;
      const step = Number(e[1]);
      this.leRobotCheck(step, n, 'its evaluation');
      const rec: Rec = Object.create(null) as Rec;
      rec.step = step;
      rec.eval_loss = printedNumber(e[2]);
      this.sink.add(rec, n, len);
      return true;
    }
    if (text.includes('Checkpoint policy after step')) {
      const c = LEROBOT_CKPT_RE.exec(text);
      if (!c) return false;
      this.leRobotCheck(Number(c[1]), n, 'its checkpoint');
      st.checkpoint = { step: Number(c[1]), line: n };
      return true;
    }
    if (text.includes('End of training') && st.checkpoint && LEROBOT_END_RE.test(text)) {
      // The loop ran to its planned steps, and the last of them is always checkpointed.
      st.end = { ...st.checkpoint, endLine: n };
      return true;
    }
    return false;
  }
  /** A step LeRobot printed exactly after a training line (an evaluation's, a checkpoint's): it must be that line's, or come before the next. */
  private leRobotCheck(step: number, n: number, what: string): void {
    const st = this.lerobot!;
    if (st.last === undefined || st.every === undefined) return;
    if (step >= st.last && step < st.last + st.every) return;
    this.problems.add('lerobotcheck', n, 'warning', `LeRobot's step ${formatInteger(step)} of ${what} (line ${n}) does not follow the step ${formatInteger(st.last)} the line before it was placed at: the steps rebuilt from the printed ones may be off here`);
  }
  /**
   * A LeRobot training line. Its step is printed rounded once it reaches 1,000 (`step:1K` for steps
   * 1,000, 1,200 and 1,400 when logged every 200): the steps printed exactly give the logging interval
   * (the gaps' greatest common divisor), and each later line's step is the one before plus it, checked
   * against the printed step and the printed epoch (proportional to the step). When they disagree (a
   * line cut out, a resumed run), the line is placed at the one multiple of the interval that both
   * allow, said; else it is dropped, said. Without an interval (no two steps printed exactly), the
   * printed value is the step, said to be rounded, and a line repeating it is dropped.
   */
  private leRobotTrain(m: RegExpExecArray, n: number, len: number): void {
    const st = (this.lerobot ??= newLeRobot());
    const printed = m[1], epoch = Number(m[4]);
    let step: number | undefined;
    if (/^\d+$/.test(printed)) {
      step = Number(printed);
      if (st.lastExact !== undefined && step > st.lastExact) st.every = gcd(st.every ?? 0, step - st.lastExact);
      st.lastExact = step;
    } else if (st.every !== undefined && st.last !== undefined) {
      step = this.leRobotPlace(st, printed, epoch, n);
    } else {
      const { value, scale } = bigNumberValue(printed);
      const v = value * scale;
      if (st.last === undefined || v > st.last) {
        step = v;
        this.problems.once('lerobotrounded', n, 'info', `LeRobot prints its step rounded from 1,000 on ("step:${printed}", line ${n}), and no two steps printed exactly before it give the logging interval: each row's step is the printed value, rounded to ±${formatInteger(scale / 2)}; a line printing the same rounded step again is dropped`);
      }
    }
    if (step === undefined) {
      this.sink.rowsRead++;
      this.sink.drop(n, 'lerobotstep', st.every !== undefined
        ? `LeRobot's "step:${printed}" is not a step the logging interval (${formatInteger(st.every)}) and the printed epoch ${m[4]} place after step ${formatInteger(st.last ?? 0)}: its exact step is not known; dropped`
        : `LeRobot's "step:${printed}" repeats the rounded step of the line before (no logging interval known to tell them apart): dropped`, 'LeRobot lines whose step is not known');
      return;
    }
    if (step > 0) {
      const lo = (epoch - EPOCH_ROUNDING) / step, hi = (epoch + EPOCH_ROUNDING) / step;
      if (lo > st.cHi || hi < st.cLo) {
        st.cLo = lo; st.cHi = hi;
      } else {
        st.cLo = Math.max(st.cLo, lo); st.cHi = Math.min(st.cHi, hi);
      }
    }
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    // (smpl: the samples seen, ep: the episodes seen, both as printed, rounded from 1,000 on; epch: the
    // epochs, the samples over the dataset's frames; grdn: the gradient's norm.)
    const samples = bigNumberValue(m[2]), episodes = bigNumberValue(m[3]);
    if (Number.isFinite(samples.value)) rec.samples = samples.value * samples.scale;
    if (Number.isFinite(episodes.value)) rec.episodes = episodes.value * episodes.scale;
    rec.epoch = epoch;
    if (m[5] !== undefined) {
      textPairs(m[5].slice(0, 4096), rec, (raw) => {
        const key = raw === 'grdn' ? 'grad_norm' : raw;
        const low = key.toLowerCase();
        return low === 'step' || low === 'epoch' || low === 'samples' || low === 'episodes' || Object.prototype.hasOwnProperty.call(rec, key) ? undefined : key;
      });
    }
    this.sink.add(rec, n, len);
    this.rowStep = step;
    st.last = step;
    st.lastEpoch = epoch;
    st.rows++;
  }
  /** The step of an abbreviated LeRobot line after the last row's: the next at the interval, else the one multiple of it the printed step and epoch allow. */
  private leRobotPlace(st: LeRobotState, printed: string, epoch: number, n: number): number | undefined {
    const every = st.every!, last = st.last!;
    const next = last + every;
    const byEpoch = (s: number) => epoch + EPOCH_ROUNDING >= s * st.cLo && epoch - EPOCH_ROUNDING <= s * st.cHi;
    const asPrinted = bigNumber(next) === printed;
    if (asPrinted && byEpoch(next)) {
      this.problems.once('lerobotsteps', n, 'info', `LeRobot prints its step rounded from 1,000 on ("step:${printed}", line ${n}): each line's step is the one before plus the logging interval, ${formatInteger(every)} (the gaps between the steps printed exactly before it), checked against the printed step and the printed epoch. Its samples and episodes seen (smpl, ep) are kept as printed, rounded likewise`);
      return next;
    }
    // The multiples of the interval the printed step allows, within the range the printed epoch allows.
    const { value, scale } = bigNumberValue(printed);
    let lo = (value - 0.5) * scale, hi = (value + 0.5) * scale;
    if (st.cHi < Infinity) lo = Math.max(lo, (epoch - EPOCH_ROUNDING) / st.cHi);
    if (st.cLo > 0) hi = Math.min(hi, (epoch + EPOCH_ROUNDING) / st.cLo);
    const found: number[] = [];
    const first = Math.max(1, Math.ceil(lo / every)), end = Math.floor(hi / every);
    if (end - first <= 10000) {
      for (let k = first; k <= end && found.length < 2; k++) if (bigNumber(k * every) === printed && byEpoch(k * every)) found.push(k * every);
    }
    if (found.length === 1) {
      this.problems.add('lerobotgap', n, 'info', `LeRobot's "step:${printed} … epch:${epoch.toFixed(2)}" (line ${n}) is not step ${formatInteger(next)}, the one after ${formatInteger(last)} at the logging interval of ${formatInteger(every)} (a line cut out, or a resumed run): placed at step ${formatInteger(found[0])}, the one multiple of the interval its printed step and epoch allow`, 'LeRobot lines placed by their printed epoch');
      return found[0];
    }
    if (found.length === 0 && asPrinted) {
      // The printed epoch alone disagrees (the batch size or the dataset changed on a resume): the interval's step, the epoch's ratio afresh.
      this.problems.add('lerobotepoch', n, 'info', `LeRobot's printed epoch ${epoch.toFixed(2)} (line ${n}) is not proportional to the step as before (the batch size or the dataset changed?): its step is the interval's, ${formatInteger(next)}, as printed ("step:${printed}")`, 'LeRobot epochs out of proportion');
      st.cLo = 0; st.cHi = Infinity;
      return next;
    }
    return undefined;
  }
  /** LeRobot's planned end (`cfg.steps`, its config's `steps`) and the passes its printed epoch shows. */
  private leRobotPlan(log: ParsedLog): void {
    const st = this.lerobot;
    if (!st || st.rows === 0) return;
    if (st.plan && !log.run?.plannedSteps) log.run = { ...(log.run ?? {}), plannedSteps: { steps: st.plan.steps, source: `LeRobot's ${st.plan.said} (line ${st.plan.line})` } };
    else if (st.end && !log.run?.plannedSteps) log.run = { ...(log.run ?? {}), plannedSteps: { steps: st.end.step, source: `LeRobot's "End of training" (line ${st.end.endLine}) after "Checkpoint policy after step ${st.end.step}" (line ${st.end.line}): the loop ran to its planned steps, the last one always checkpointed` } };
    if (st.lastEpoch !== undefined && !log.run?.epochsLogged) {
      const e = epochsFromFraction(st.lastEpoch, st.last, log.run?.plannedSteps?.steps, 'LeRobot\'s printed epoch ("epch")');
      if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
    }
  }
  /** Flair's `Parameters:` block as far as read: max_epochs (the planned end) and anneal_factor (its LR cut on a plateau), with their lines. */
  private flairParams: { maxEpochs?: { value: number; line: number }; anneal?: { value: string; line: number } } = {};
  /** An LR an MXNet detection script printed before its first training line (`lr 0.000500 lr_epoch_diff …`): the first row's. */
  private mxLrFirst: number | undefined;
  /** A Flair training.log (FLAIR_ITER_RE): its counter, epochs and LR so far. */
  private flair: FlairState | undefined;
  /** Flair's lines: a training line, an epoch's end (its LR), the dev split's evaluation after it. Returns whether the line was one of them. */
  private flairLine(text: string, n: number, len: number): boolean {
    if (text.includes(' - iter ')) {
      const m = text.length <= 4200 ? FLAIR_ITER_RE.exec(text) : null;
      if (!m) return false;
      this.flairTrain(m, n, len);
      return true;
    }
    const st = this.flair;
    if (!st) return false;
    if (text.includes(' done: loss ')) {
      const d = FLAIR_DONE_RE.exec(text);
      if (!d) return false;
      // (The epoch's mean loss is its last training line's running mean: no point of its own.)
      const lr = d[3] === undefined ? NaN : printedNumber(d[3]);
      if (Number(d[1]) === st.epoch && Number.isFinite(lr)) {
        // Flair's scheduler anneals the LR when the dev score stalls for `patience` epochs.
        if (st.lr !== undefined && lr < st.lr && this.flairParams.anneal && this.lrCut === undefined) this.lrCut = { line: n, said: text.trim().slice(0, 120) };
        st.lr = lr;
        this.rowAt(st.base + st.per, { lr }, n, len);
      }
      return true;
    }
    if (text.includes('DEV : loss ')) {
      const v = FLAIR_DEV_RE.exec(text);
      if (!v) return false;
      const fields: Record<string, number> = { dev_loss: printedNumber(v[1]) };
      if (v[3] !== undefined) fields.dev_score = printedNumber(v[3]);
      this.rowAt(st.base + st.per, fields, n, len);
      return true;
    }
    return false;
  }
  /**
   * A Flair training line: a row at the batches done since epoch 1 began (the epochs before, at the
   * batches each took, + the counter, + 1 when it is the batch's index), its loss the running mean over
   * the epoch so far. The epochs' lengths are added one by one: with batch_growth_annealing an epoch
   * takes fewer batches after each anneal.
   */
  private flairTrain(m: RegExpExecArray, n: number, len: number): void {
    const epoch = Number(m[1]), iter = Number(m[2]), per = Number(m[3]);
    let st = this.flair;
    if (!st) {
      st = this.flair = { fromZero: iter === 0, epoch, per, base: (epoch - 1) * per, perChanged: false, first: epoch, rows: 0 };
      this.problems.once('flairlog', n, 'info', `Flair's training lines ("epoch ${epoch} - iter ${iter}/${per}", line ${n}) count batches within the epoch: a row's step is the batches done since epoch 1 began, the batches of the epochs before + ${st.fromZero ? 'the counter + 1 (Flair up to 0.5 prints the index of the batch just done, from 0)' : 'the counter (the batches done in the epoch); its loss is the mean over the epoch so far'}. "DEV : loss" is the evaluation on the dev split after each epoch, at the epoch's last step, with the LR its "EPOCH n done" line prints`);
      if (epoch > 1) this.problems.add('flairstart', n, 'info', `the log starts at epoch ${epoch}: the epochs before are taken to have taken ${formatInteger(per)} batches each`);
    } else if (epoch > st.epoch) {
      st.base += st.per + (epoch - st.epoch - 1) * per;
    } else if (epoch < st.epoch) {
      // Another run, or the same started again: its steps go back (a restart, superseding).
      st.base = (epoch - 1) * per;
    }
    if (per !== st.per && st.rows > 0) {
      if (epoch !== st.epoch) st.perChanged = true;
      else this.problems.once('flairper', n, 'warning', `Flair's counter changed its total within epoch ${epoch} (line ${n}: "iter ${iter}/${per}" after "/${st.per}"): the steps from here on may be off`);
    }
    st.epoch = epoch;
    st.per = per;
    const step = st.base + iter + (st.fromZero ? 1 : 0);
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    rec.loss = printedNumber(m[4]);
    rec.epoch = epoch;
    // Flair up to 0.5 (ModelTrainer.train): `train_loss = 0; seen_batches = 0` as each epoch begins, then
    // each batch `seen_batches += 1; train_loss += loss.item()`, logged as `iter {batch_no}/… - loss
    // {train_loss / seen_batches:.8f}`: the mean over the epoch's batch_no + 1 batches. (Later Flair
    // prints the batches done, its loss in time averaged over data points: kept as printed.)
    if (st.fromZero) this.epochMean(rec, 'loss', epoch, iter + 1, n, 'Flair\'s "loss" on its "iter N/M" lines', 'train_loss / seen_batches');
    if (m[5] !== undefined) {
      textPairs(m[5], rec, (key) => {
        const low = key.toLowerCase();
        return low === 'step' || low === 'epoch' || low === 'iter' || low === 'loss' ? undefined : key;
      });
    }
    this.sink.add(rec, n, len);
    this.rowStep = step;
    st.rows++;
  }
  /** Flair's planned end (max_epochs × the batches an epoch takes) and its epochs. */
  private flairPlan(log: ParsedLog): void {
    const st = this.flair;
    if (!st || st.rows === 0) return;
    const max = this.flairParams.maxEpochs;
    const count = max && max.value >= st.epoch ? max.value : undefined;
    log.run = { ...(log.run ?? {}), epochsLogged: { count: count ?? st.epoch, source: count !== undefined ? `Flair's parameters ("max_epochs: ${count}", line ${max!.line})` : `Flair's "epoch N" lines (epochs ${st.first} to ${st.epoch})`, ...(st.perChanged ? {} : { stepsPerPass: st.per }) } };
    if (count !== undefined && !st.perChanged && !log.run.plannedSteps) {
      log.run.plannedSteps = { steps: count * st.per, source: `Flair's parameters ("max_epochs: ${count}", line ${max!.line}) × ${formatInteger(st.per)} batches an epoch (its "iter N/${st.per}" lines)` };
    }
  }
  /** An MXNet Speedometer or GluonCV console (mxBatchLine): its epochs, the batches one takes, its rows so far. */
  private mx: MxState | undefined;
  /**
   * A training line of MXNet's Speedometer or of a GluonCV script: a row at the batches done since
   * epoch 0 began, epoch × the batches an epoch takes + the batch's index + 1. The batches an epoch
   * takes are printed nowhere: they are estimated as the largest batch index printed in the first
   * epoch whose end the log shows, + 1 (said, with how far off it can be), and the rows of a later
   * epoch (a resumed run's first) are held until then. Loss terms (MX_LOSS_RE) are losses, and their
   * sum, the loss a model trains on when they are all its terms, is `loss`.
   */
  private mxRow(b: MxBatchLine, n: number, text: string, len: number): void {
    let st = this.mx;
    if (!st || st.shape !== b.shape) {
      st = this.mx = { shape: b.shape, epoch: b.epoch, max: b.batch, last: b.batch, first: b.epoch, held: [], losses: [], others: [], validations: [], rows: 0, fromZero: 0, windowed: false, counter: b.shape === 'gluon' ? `[Epoch ${b.epoch}][Batch ${b.batch}]` : `Epoch[${b.epoch}] Batch [${b.from !== undefined ? `${b.from}-` : ''}${b.batch}]`, sample: { line: n, text: text.trim().slice(0, 120).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ') }, lr: this.mx?.lr ?? this.mxLrFirst };
      this.mxLrFirst = undefined;
    } else if (b.epoch === st.epoch) {
      if (b.batch > st.last) st.every = Math.min(st.every ?? Infinity, b.batch - st.last);
      st.max = Math.max(st.max, b.batch);
    } else {
      // A later epoch: the one before ended, its largest batch index + 1 the batches it took (at least).
      if (b.epoch > st.epoch) this.mxEpochEnd(st, n);
      st.epoch = b.epoch;
      st.max = b.batch;
    }
    st.last = b.batch;
    if (b.from !== undefined && b.from > 0 && b.batch > b.from) { st.every = Math.min(st.every ?? Infinity, b.batch - b.from); st.windowed = true; }
    else if (b.from === 0) st.fromZero++;
    const rec: Rec = Object.create(null) as Rec;
    rec.epoch = b.epoch;
    const terms: Array<[string, string]> = [];
    for (const [k, v] of b.pairs) {
      if (/^(step|epoch|samples_per_sec)$/i.test(k) || Object.prototype.hasOwnProperty.call(rec, k)) continue;
      rec[k] = printedNumber(v);
      if (MX_LOSS_RE.test(k)) {
        terms.push([k, v]);
        if (!st.losses.includes(k) && st.losses.length < 100) st.losses.push(k);
        this.sink.hintRole(k, 'loss', `a loss term the ${b.shape === 'gluon' ? 'GluonCV script' : 'MXNet Speedometer'} line prints`);
      } else if (!st.others.includes(k) && st.others.length < 100) st.others.push(k);
    }
    // The whole loss: the sum of its terms (to the decimals printed), unless the line names one itself.
    if (terms.length >= 2 && !Object.prototype.hasOwnProperty.call(rec, 'loss')) {
      let sum = 0, dec = 0;
      for (const [, v] of terms) {
        sum += printedNumber(v);
        const d = printedDecimals(v);
        dec = d < 0 || dec < 0 ? -1 : Math.max(dec, d);
      }
      if (Number.isFinite(sum)) {
        rec.loss = dec >= 0 ? Number(sum.toFixed(dec)) : sum;
        this.sink.hintRole('loss', 'loss', `the sum of the ${terms.length} loss terms each line prints`);
        const acc = st.others.filter((k) => /acc/i.test(k));
        this.problems.once('mxsum', n, 'info', `"loss" is the sum of the ${terms.length} loss terms each line prints (${terms.map(([k]) => k).join(' + ')}, line ${n}): a model's whole loss when they are all the terms it trains on${acc.length > 0 ? `; its accuracies (${acc.slice(0, 3).join(', ')}${acc.length > 3 ? ', …' : ''}) are printed instead of the loss of the classification behind them, which is then not in the sum` : ''}`);
      }
    }
    rec.samples_per_sec = printedNumber(b.speed);
    this.sink.hintRole('samples_per_sec', 'other', 'the speed the line prints (samples a second), not a clock');
    if (b.lr !== undefined) rec.lr = printedNumber(b.lr);
    else if (st.lr !== undefined) { rec.lr = st.lr; st.lr = undefined; }
    const at = b.batch + 1;
    st.rows++;
    // (Epoch 0's steps need no B; once a row is held, the rows after it wait with it, in order.)
    if (st.per !== undefined || (b.epoch === 0 && st.held.length === 0)) this.mxAdd(st, { rec, line: n, len, epoch: b.epoch, at });
    else {
      st.held.push({ rec, line: n, len, epoch: b.epoch, at });
      // (A first epoch longer than the rows held: its steps from the batches printed so far.)
      if (st.held.length >= MAX_HF_HELD) this.mxSetPer(st, st.max + 1, n, false);
    }
  }
  /** An MXNet / GluonCV row added at its step (the epochs before at `per` batches each). */
  private mxAdd(st: MxState, h: MxHeld): void {
    const per = st.per ?? 0;
    const step = h.epoch * per + (h.at ?? per);
    h.rec.step = step;
    this.sink.add(h.rec, h.line, h.len);
    this.rowStep = step;
  }
  /** An epoch's end seen (a later epoch's line at `n`): the batches it took give the batches an epoch takes, when not known yet. */
  private mxEpochEnd(st: MxState, n: number): void {
    if (st.per === undefined) this.mxSetPer(st, st.max + 1, n, true);
    else if (st.max + 1 > st.per) this.problems.once('mxlonger', n, 'warning', `epoch ${st.epoch} printed batch ${formatInteger(st.max)}, past the ${formatInteger(st.per)} batches an epoch was estimated to take: the steps of its later batches overlap the next epoch's`);
  }
  /** The batches an epoch takes, estimated (`whole`: from an epoch whose end the log shows; else from the batches printed so far), said; the held rows added. */
  private mxSetPer(st: MxState, per: number, n: number, whole: boolean): void {
    st.per = per;
    const who = st.shape === 'gluon' ? 'The GluonCV script' : "MXNet's Speedometer";
    const upTo = st.every !== undefined ? per + st.every - 1 : undefined;
    const off = upTo !== undefined ? Math.round(((upTo - per) / per) * 100) : undefined;
    // (Both Speedometers print `[0-20]` first; only auto_reset=True goes on with `[20-40]`.)
    const means = st.windowed ? '; each metric is its mean over the batches since the line before ("Batch [a-b]": auto_reset=True)' : st.fromZero >= 2 ? '; each metric is its mean since the epoch began ("Batch [0-N]": auto_reset=False)' : '';
    // (Off by more than a quarter, GluonCV's two lines an epoch: a warning, the steps' scale itself uncertain.)
    this.problems.add('mxper', n, off !== undefined && off > 25 ? 'warning' : 'info', `${who} counts batches within the epoch ("${st.counter}", line ${st.sample.line}) and never prints the batches an epoch takes: a row's step is epoch × B + the batch's index + 1, B estimated as ${formatInteger(per)}, the largest batch index printed in epoch ${st.epoch} (${formatInteger(per - 1)}) + 1${whole ? '' : ', before any epoch\'s end was seen'}${upTo !== undefined ? `; with a line every ${formatInteger(st.every!)} batches the epoch took at most ${formatInteger(upTo)}, so the steps are estimates, up to ${off}% short` : ''}${st.first > 0 ? `. The log starts at epoch ${st.first} (a resumed run): its epochs before are counted at B batches each` : ''}${means}`);
    const held = st.held;
    st.held = [];
    for (const h of held) this.mxAdd(st, h);
  }
  /** The held rows at the end (or a snapshot): the batches an epoch takes from what was printed so far. */
  private mxFlush(): void {
    const st = this.mx;
    if (st && st.held.length > 0) this.mxSetPer(st, st.max + 1, st.held[st.held.length - 1].line, false);
  }
  /** MXNet's epoch-end lines (MXNET_EPOCH_RE): a `Validation-` metric at the epoch's end; a `Train-` mean and the time are no row. */
  private mxEpochLine(text: string, n: number, len: number): boolean {
    const st = this.mx!;
    MXNET_EPOCH_RE.lastIndex = text.indexOf('Epoch[');
    const m = MXNET_EPOCH_RE.exec(text);
    if (!m) return false;
    if (m[2] === 'Train') {
      this.problems.once('mxtrain', n, 'info', `MXNet's "Epoch[${m[1]}] Train-${m[3]}=…" lines (line ${n} the first) are each metric's mean over the epoch, not a step: not rows`);
      return true;
    }
    if (m[2] !== 'Validation') return true;
    const key = `val_${m[3]}`;
    if (!st.validations.includes(m[3]) && st.validations.length < 100) st.validations.push(m[3]);
    const rec: Rec = Object.create(null) as Rec;
    rec[key] = printedNumber(m[4]);
    rec.epoch = Number(m[1]);
    const h: MxHeld = { rec, line: n, len, epoch: Number(m[1]) };
    if (st.per !== undefined) this.mxAdd(st, h);
    else st.held.push(h);
    return true;
  }
  /** An MXNet log's whole loss, its epochs and the batches each takes. */
  private mxPlan(log: ParsedLog): void {
    const st = this.mx;
    if (!st || st.rows === 0) return;
    if (log.columns.some((c) => c.name === 'loss' && c.role === 'loss') && st.losses.length >= 2) log.run = { ...(log.run ?? {}), wholeLoss: 'loss' };
    if (!log.run?.epochsLogged) log.run = { ...(log.run ?? {}), epochsLogged: { count: st.epoch + 1, source: `the log's ${st.shape === 'gluon' ? '"[Epoch N]"' : '"Epoch[N]"'} counter (from 0, to ${st.epoch})`, ...(st.per !== undefined ? { stepsPerPass: st.per } : {}) } };
  }
  /** An MXNet / GluonCV console whose lines print no loss (accuracy alone): refused, saying what it prints. */
  private refuseLossless(log: ParsedLog): ParsedLog {
    const st = this.mx;
    if (!st || st.losses.length > 0 || log.columns.some((c) => c.role === 'loss' || c.role === 'eval_loss')) return log;
    const names = (xs: string[]) => xs.slice(0, 4).map((k) => `"${k}"`).join(', ') + (xs.length > 4 ? ', …' : '');
    const what = st.others.length > 0 && st.others.every((k) => /acc/i.test(k)) ? 'accuracy' : `metrics (${names(st.others)})`;
    throw new LogReadError(`${baseName(log.file)}: ${st.shape === 'gluon' ? 'a GluonCV training log' : 'an MXNet training log'} whose lines hold ${what} but no loss (${st.others.length > 0 ? `${names(st.others)} on its training lines, ` : ''}line ${st.sample.line}: "${st.sample.text.length > 80 ? `${st.sample.text.slice(0, 80)}…` : st.sample.text}"${st.validations.length > 0 ? `; ${names(st.validations.map((k) => `Validation-${k}`))} after each epoch` : ''}): there is no loss to fit. ${st.shape === 'gluon' ? 'Print the loss beside it' : "MXNet prints the metrics given to fit() as eval_metric: add a loss to them (eval_metric=['acc', 'ce'] prints the cross-entropy too)"}`);
  }
  /** OLMo's console (OLMO_HEAD_RE, OLMO_FIELD_RE): the step of the last `[step=N/T]` head. */
  private olmoStep: number | undefined;
  /**
   * One OLMo line: a head opens the step's block (a row of the metric lines after it); a metric line
   * adds to the block, or, after another head (`INFO winogrande` before its `eval/downstream/…=`),
   * opens one at the last step (merged into that step's row); any other unindented line closes it.
   */
  private olmoLine(text: string, n: number): boolean {
    const h = text.includes('[step=') ? OLMO_HEAD_RE.exec(text) : null;
    if (h) {
      this.flushBlock();
      const step = Number(h[1]);
      this.planned(step, Number(h[2]), n, 'step');
      this.olmoStep = step;
      const rec: Rec = Object.create(null) as Rec;
      rec.step = step;
      this.block = { rec, line: n, fields: 0 };
      return true;
    }
    if (this.olmoStep === undefined) return false;
    const f = text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9 ? OLMO_FIELD_RE.exec(text) : null;
    if (f) {
      if (!this.block) {
        const rec: Rec = Object.create(null) as Rec;
        rec.step = this.olmoStep;
        this.block = { rec, line: n, fields: 0 };
      }
      const key = f[1].trim();
      if (key.toLowerCase() !== 'step' && this.block.fields < MAX_BLOCK_FIELDS && !Object.prototype.hasOwnProperty.call(this.block.rec, key)) {
        this.block.rec[key] = printedNumber(f[2]);
        this.block.fields++;
      }
      return true;
    }
    if (this.block && !/^[ \t]/.test(text)) this.flushBlock();
    return false;
  }
  /** The total of a `N/T` step counter: the run's planned last step. */
  /** PaddleOCR's `train dataloader has N iters` (the iterations an epoch takes), and its line. */
  private loaderIters: { count: number; line: number } | undefined;
  /** The last step a step line with a total gave (stepRow: a new total from a step before it is a new run). */
  private planStep = NaN;
  private planned(step: number, t: number, n: number, word: string): void {
    if (!(t > 0 && Number.isSafeInteger(t))) return;
    // The line cited is the source's that gave the total: another source saying the same total later
    // keeps it (a real ColossalAI DreamBooth console: its banner's "Total optimization steps = 20" on
    // line 33 had been cited at line 76, the last of the bars that count to 20).
    if (t !== this.total) { this.totalWord = word; this.totalLine = n; }
    else if (word === this.totalWord) this.totalLine = n;
    this.total = t;
    if (step === 0) this.fromZero = true;
    if (step === t) this.reachedTotal = true;
  }
  /**
   * Hugging Face Trainer console output: the training bar's total (the first bar before a `{'loss'`
   * dict), its last count seen (the global step), and the last epoch a dict gave, with its step.
   */
  private hf: {
    total: number; count: number; epoch?: number; epochStep?: number; finalEpoch?: number;
    /** stream: the dicts keep pace with the bar; buffered: they come in bursts; bare: no bar before them. */
    mode: 'unknown' | 'stream' | 'buffered' | 'bare'; held: HfRow[]; said?: boolean;
    /** The steps per epoch the bare dicts' note gave (a later run of the same console with others says its own). */
    saidSpe?: number;
    /** Bare dicts dropped for want of their steps per epoch (the log is then refused, saying why). */
    unstepped?: number;
    /** The closing summary's run time × steps per second: the run's steps, to the summary's rounding. */
    summarySteps?: number; summaryLine?: number;
  } | undefined;
  /** The Trainer's banner: `Num Epochs = E`, `Total optimization steps = T` (and T's line). */
  private banner: { epochs?: number; steps?: number; stepsLine?: number } = {};
  /** How the banner names its total: `Total optimization steps` (the Trainer) or `Total steps` (Unsloth). */
  private bannerWord = 'Total optimization steps';
  /** The last tqdm bar count seen on a line of its own (`\r`-separated refreshes), for a dict at the next line's start. */
  private seenBar: [number, number] | undefined;
  /**
   * The last tqdm bar `| N/T [` in `text` before `end` (of total `total` when given: the training bar
   * behind an evaluation's), or undefined. Looked for backwards 4 KB at a time, so a line of a
   * thousand refreshes costs what reading it did. A bar with a description (`Loading checkpoint
   * shards: 100%|…| 4/4 [`) is never the Trainer's: passed over (describedBar).
   */
  private static lastBar(text: string, end: number, total?: number): [number, number] | undefined {
    for (let hi = end; hi > 0; hi -= 4096) {
      const lo = Math.max(0, hi - 4096 - 64);
      const part = text.slice(lo, hi);
      HF_BAR_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
      const found: RegExpExecArray[] = [];
      while ((m = HF_BAR_RE.exec(part))) if (total === undefined || Number(m[2]) === total) found.push(m);
      // The last one without a description (only the bars at the end are looked at for one).
      for (let k = found.length - 1; k >= 0; k--) if (!describedBar(text, lo + found[k].index)) return [Number(found[k][1]), Number(found[k][2])];
      if (total === undefined && hi < end) return undefined;
    }
    return undefined;
  }
  /**
   * A console dict line (`… 500/22184 [01:40<…]{'loss': 2.56, 'learning_rate': …, 'epoch': 0.05}`):
   * one row at the bar's step. False when no progress bar has been seen yet, on this line or before
   * (a dict printed by some other script, `{'learning_rate': 0.001}` in a config dump): not this format.
   */
  private hfLine(text: string, at: number, n: number): boolean {
    // No bar on this line nor one of its own before it: the training bar's count as last seen (its
    // refreshes and a dict on one line, then dicts at their lines' starts: a real buffered TRL
    // console, whose only bar-only lines before were its dataset's described ones, not the Trainer's).
    const hf = this.hf;
    const own = TextReader.lastBar(text, at);
    let bar = own ?? this.seenBar ?? (hf && hf.mode !== 'bare' && hf.total > 0 && hf.count >= 0 ? [hf.count, hf.total] : undefined);
    // A bar of an earlier line, the training bar not known yet, whose total is not the banner's
    // "Total optimization steps = N": some other loop's (the Trainer's bar counts to the banner's N).
    if (!own && bar && !(hf && hf.total > 0) && this.banner.steps !== undefined && bar[1] !== this.banner.steps) bar = undefined;
    if (!bar) return this.hfBare(text, at, n);
    const close = text.indexOf('}', at);
    const done = this.hfDict(text.slice(at, close < 0 ? undefined : close + 1), text, at, n, bar);
    // Bar refreshes written after the dict on the same line (a buffered burst ends mid-line) move
    // the count for the dicts that follow.
    if (close >= 0 && close + 1 < text.length && (text.includes('it/s]', close) || text.includes('s/it]', close))) this.noteBars(text.slice(close + 1), n);
    return done;
  }
  /**
   * The bars in `text` noted: the last one seen (for a dict at the next line's start) and the
   * training bar's count. True when `text` has a bar.
   */
  private noteBars(text: string, n: number): boolean {
    const bar = TextReader.lastBar(text, text.length);
    if (!bar) {
      // Only described bars (a model's `Loading checkpoint shards: … 4/4 [`): a bar line still, but
      // not the Trainer's, so not the one a dict at the next line's start takes its step from.
      HF_BAR_RE.lastIndex = 0;
      return HF_BAR_RE.test(text.slice(-(2 * 4096 + 64)));
    }
    this.seenBar = bar;
    // Dicts without bars so far: a bar now (a pasted terminal's final one) gives the planned end.
    if (this.hf?.mode === 'bare' && this.hf.total === 0) this.bareTotal(bar[1], n);
    const total = this.hf?.total ?? 0;
    // The training bar behind an evaluation's, when the last bar is the evaluation's.
    const own = total > 0 ? (bar[1] === total ? bar : TextReader.lastBar(text, text.length, total)) : undefined;
    if (own) this.hf!.count = own[0];
    return true;
  }
  /**
   * A console dict with no progress bar before it (a capture of the script's stdout alone, tqdm's
   * bars having gone to stderr; a terminal pasted after the bar was redrawn over): a row held until
   * the steps per epoch are known (hfFlush), when it is a Trainer dict with its epoch. False for any
   * other dict (`{'learning_rate': 0.001}` in a config dump): not this format.
   */
  private hfBare(text: string, at: number, n: number, parsed?: { rec: Rec; fields: number }): boolean {
    const close = text.indexOf('}', at);
    const { rec, fields } = parsed ?? pairsRow(HF_PAIR_RE, text.slice(at, close < 0 ? undefined : close + 1), 'step');
    if (!this.hf && !('train_runtime' in rec) && !(typeof rec.epoch === 'number' && Object.keys(rec).some((k) => k === 'loss' || k.startsWith('eval_')))) return false;
    const hf = (this.hf ??= { total: 0, count: -1, mode: 'bare', held: [] });
    if (hf.mode !== 'bare') return false;
    // A run's closing summary: its dicts take their steps from it now (a sweep's runs printed one
    // after another each close with their own; the next run's dicts are another run's).
    if (this.hfSummary(rec, n)) { if (hf.held.length) this.hfFlushBare(hf); return true; }
    const epoch = typeof rec.epoch === 'number' && Number.isFinite(rec.epoch) && rec.epoch >= 0 ? rec.epoch : undefined;
    if (epoch === undefined || fields === 0) {
      this.sink.rowsRead++;
      this.sink.drop(n, 'nostep', "a Trainer log line without its epoch (and no progress bar) gives no step; dropped");
      return true;
    }
    hf.epoch = epoch;
    hf.held.push({ rec, line: n, len: text.length, count: -1, epoch });
    if (hf.held.length >= MAX_HF_HELD) this.hfFlush();
    return true;
  }
  /** A bar's total after dicts without bars: the planned end, unless the Trainer's banner said it first. */
  private bareTotal(total: number, n: number): void {
    this.hf!.total = total;
    if (!(this.total > 0)) this.planned(-1, total, n, 'bar');
  }
  /** The run's closing summary dict (train_loss = the mean over the run): not a point on the curve; its epoch is the last. */
  private hfSummary(rec: Rec, n: number): boolean {
    if (!('train_runtime' in rec)) return false;
    this.problems.add('summary', n, 'info', 'end-of-training summary (train_runtime, mean train_loss) left out of the curve');
    if (typeof rec.epoch === 'number' && rec.epoch > 0) this.hf!.finalEpoch = rec.epoch;
    const t = rec.train_runtime, sps = rec.train_steps_per_second;
    // (A product past 10^12 steps is no run's: a corrupt summary, never a scale for its epochs.)
    if (typeof t === 'number' && typeof sps === 'number' && t > 0 && sps > 0 && t * sps <= 1e12) { this.hf!.summarySteps = t * sps; this.hf!.summaryLine = n; }
    return true;
  }
  /** One console dict (`dict`, read at `at` of line `n`, `bar` the last bar before it): a row, held or added. */
  private hfDict(dict: string, text: string, at: number, n: number, bar: [number, number]): boolean {
    const hf = (this.hf ??= { total: 0, count: -1, mode: 'unknown', held: [] });
    const parsed = pairsRow(HF_PAIR_RE, dict, 'step');
    const { rec, fields } = parsed;
    if (this.hfSummary(rec, n)) return true;
    // Dicts that came without a bar go on so once a bar shows (the final one of a pasted terminal): its total is the planned end.
    if (hf.mode === 'bare') {
      // A training dict behind a bar still running: the log has bars after all (a dict or two was
      // printed before the first bar drew): the bars give the steps from here, as without those.
      if ('loss' in rec && bar[0] < bar[1] && hf.held.length <= MAX_DICTS_BEFORE_BAR) {
        for (const r of hf.held) { this.sink.rowsRead++; this.sink.drop(r.line, 'nostep', 'a Trainer log line before the training progress bar gives its step; dropped'); }
        hf.held = [];
        hf.mode = 'unknown';
        hf.total = 0;
      } else {
        if (hf.total === 0) this.bareTotal(bar[1], n);
        return this.hfBare(text, at, n, parsed);
      }
    }
    const training = 'loss' in rec;
    // The training bar: the one before the first training dict (an evaluation has a bar of its own).
    if (training && hf.total === 0) hf.total = bar[1];
    const own = hf.total > 0 ? TextReader.lastBar(text, at, hf.total) : undefined;
    if (own) hf.count = own[0];
    else if (bar[1] === hf.total) hf.count = bar[0];
    if (hf.count < 0 || fields === 0) {
      this.sink.rowsRead++;
      this.sink.drop(n, 'nostep', 'a Trainer log line before the training progress bar gives its step; dropped');
      return true;
    }
    this.planned(hf.count, hf.total, n, 'bar');
    const epoch = typeof rec.epoch === 'number' && Number.isFinite(rec.epoch) ? rec.epoch : undefined;
    if (epoch !== undefined) { hf.epoch = epoch; hf.epochStep = hf.count; }
    const row: HfRow = { rec, line: n, len: text.length, count: hf.count, epoch };
    // Whether the dicts keep pace with the bar: two training dicts at the same count say they do not
    // (the script's stdout is block-buffered when redirected, tqdm's stderr is not: the dicts then come
    // in bursts, each long after its step). Decided on the first training dicts; held until then.
    if (hf.mode === 'stream') { this.hfAdd(row, row.count); return true; }
    hf.held.push(row);
    if (training && hf.mode === 'unknown') {
      const train = hf.held.filter((r) => 'loss' in r.rec);
      const k = train.length;
      if (k >= 2 && train[k - 1].count === train[k - 2].count) hf.mode = 'buffered';
      else if (k >= 4) {
        hf.mode = 'stream';
        for (const r of hf.held) this.hfAdd(r, r.count);
        hf.held = [];
      }
    }
    // A buffered log's rows are held to the end (their steps need the whole log); a bounded number.
    if (hf.mode === 'buffered' && hf.held.length >= MAX_HF_HELD) this.hfFlush();
    return true;
  }
  private hfAdd(r: HfRow, step: number): void {
    r.rec.step = step;
    this.sink.add(r.rec, r.line, r.len);
  }
  /**
   * The held rows added. Buffered: each at its printed epoch × the steps per epoch — the bar's total
   * over the closing summary's epoch when the run ended, else the smallest bar count over epoch of a
   * dict (a burst is written when the buffer fills, right after its last dict's step) — said once.
   */
  private hfFlush(): void {
    const hf = this.hf;
    if (!hf || hf.held.length === 0) return;
    if (hf.mode === 'bare') { this.hfFlushBare(hf); return; }
    let spe = 0, why = '';
    if (hf.mode === 'buffered') {
      if (hf.finalEpoch && hf.total > 0) { spe = hf.total / hf.finalEpoch; why = `the bar's total ${hf.total} over the final epoch ${hf.finalEpoch}`; }
      else {
        for (const r of hf.held) if ('loss' in r.rec && r.epoch && r.epoch > 0 && (spe === 0 || r.count / r.epoch < spe)) spe = r.count / r.epoch;
        why = 'the bar\'s count over the printed epoch, the smallest of the dicts: approximate';
      }
    }
    const held = hf.held;
    hf.held = [];
    let moved = 0;
    // On the logging interval, as dicts without a bar are placed (an epoch printed to 2 decimals, 0.06
    // of a 181-step run, is step 10.86: a real TRL console's first dict is at step 10, not 11).
    const placed = spe > 0 && held.every((r) => r.epoch !== undefined) ? bareSteps(held, spe, hf.total > 0 ? hf.total : 0) : undefined;
    held.forEach((r, k) => {
      // (An evaluation stays at its epoch × the steps per epoch: the Trainer evaluates at an epoch's end, off the logging grid.)
      const step = placed && 'loss' in r.rec ? placed.steps[k] : spe > 0 && r.epoch !== undefined ? Math.round(r.epoch * spe) : r.count;
      if (step !== r.count) moved++;
      this.hfAdd(r, step);
      if (r.epoch !== undefined && r.epoch === hf.epoch) hf.epochStep = step;
    });
    if (moved > 0 && !hf.said) {
      hf.said = true;
      const ls = placed && !placed.counted && placed.ls > 1 ? `, rounded to the logging interval of ${placed.ls} steps` : '';
      this.problems.add('hfbuffered', held[0].line, 'info', `the Trainer's printed lines came in bursts, after the progress bar had moved on (the script's output was buffered, the bar's was not): their steps are the printed epoch × ${fmtSpe(spe)} steps per epoch (${why})${ls}; run with PYTHONUNBUFFERED=1 to keep them in step, or fit the run's trainer_state.json`);
    }
  }
  /**
   * Dicts that came without a progress bar, added at their printed epoch × the steps per epoch: the
   * run's total (the banner's, else a final bar's) over the closing summary's epoch, else the banner's
   * total over its epochs, else the summary's run time × steps per second over its epoch; placed by
   * bareSteps. Without any, they are dropped and the log is refused saying why (end()).
   */
  private hfFlushBare(hf: NonNullable<TextReader['hf']>): void {
    const held = hf.held;
    hf.held = [];
    const { epochs, steps } = this.banner;
    let spe = 0, why = '';
    // The printed epoch's own scale first: the run's total over the epoch the closing summary printed
    // (Unsloth's banner said "Num Epochs = 1" of a run whose printed epoch reached 2.0).
    let total = steps ?? (hf.total > 0 ? hf.total : 0);
    if (hf.finalEpoch && total > 0) {
      spe = total / hf.finalEpoch;
      why = `${steps ? `the banner's "${this.bannerWord} = ${steps}"` : `the progress bar's total ${total}`} over the closing summary's epoch ${hf.finalEpoch}`;
    } else if (epochs && steps) { spe = steps / epochs; why = `the Trainer's banner: "${this.bannerWord} = ${steps}" over "Num Epochs = ${epochs}"${Number.isInteger(spe) ? '' : ', approximate'}`; }
    else if (hf.finalEpoch && hf.summarySteps && hf.summarySteps >= 1) {
      // train_steps_per_second is printed to 3 decimals: the steps are as exact as that.
      total = Math.round(hf.summarySteps);
      spe = total / hf.finalEpoch;
      if (!(this.total > 0) || this.totalWord === 'summary') this.planned(-1, total, hf.summaryLine ?? 0, 'summary');
      why = `the closing summary's train_runtime × train_steps_per_second ≈ ${total} steps over its epoch ${hf.finalEpoch}, approximate`;
    }
    if (!(spe > 0) || !Number.isFinite(spe)) {
      for (const r of held) { this.sink.rowsRead++; this.sink.drop(r.line, 'nostep', 'a Trainer log line without a progress bar, its steps per epoch not known; dropped'); }
      hf.unstepped = (hf.unstepped ?? 0) + held.length;
      return;
    }
    const { steps: at, ls, counted } = bareSteps(held, spe, total);
    for (let k = 0; k < held.length; k++) {
      this.hfAdd(held[k], at[k]);
      if (held[k].epoch === hf.epoch) hf.epochStep = at[k];
    }
    if (!hf.said || (hf.saidSpe !== undefined && Math.abs(spe / hf.saidSpe - 1) > 0.02)) {
      hf.said = true;
      hf.saidSpe = spe;
      const how = counted
        ? `, counted in order ${ls} step${ls === 1 ? '' : 's'} apart (the epoch is printed more coarsely than the dicts come)`
        : ls > 1 ? `, rounded to the logging interval of ${ls} steps` : '';
      this.problems.add('hfbare', held[0].line, 'info', `no progress bar gives these Trainer lines their steps (the script's output captured alone, or a terminal pasted after its bar was redrawn): their steps are the printed epoch × ${fmtSpe(spe)} steps per epoch (${why})${how}; the run's trainer_state.json has the exact steps`);
    }
  }
  protected onLine(line: string, n: number): void {
    let text = withoutModelFiles(stripAnsi(line));
    // An evaluation's head on a line of its own (EVAL_HEAD_RE): its metrics are the next line's that
    // is not blank, if that line has no counter of its own.
    if (this.evalHead) {
      const h = this.evalHead;
      const blank = text.trim() === '';
      if (!blank || n - h.line >= EVAL_HEAD_REACH) this.evalHead = undefined;
      if (!blank && n - h.line <= EVAL_HEAD_REACH && this.evalBody(text, h, n, line.length)) return;
    }
    if (text.length <= 200) {
      const h = EVAL_HEAD_RE.exec(text);
      if (h) { this.evalHead = { step: Number(h[1]), line: n }; return; }
    }
    // pycls' and PySlowFast's json_stats lines (their console, their json_stats.log).
    if (text.includes('json_stats: {')) {
      const j = jsonStats(text);
      if (j) { this.jsonStatsLine(j, n, line.length); return; }
    }
    // Caffe's console (glog): a test phase's outputs are one row, closed by the first other line.
    if (this.block?.caffe && !text.includes(' net output #')) this.flushBlock();
    if ((this.caffe || text.includes('] Iteration ') || text.includes('Initializing solver')) && this.caffeLine(text, n, line.length)) return;
    // TensorFlow 1's Estimator console.
    if ((this.tf || text.includes('loss = ') || text.includes('Saving dict for global step') || text.startsWith('INFO:tensorflow:*****')) && this.tfLine(text, n, line.length)) return;
    // absl's glog prefix on a line neither reader took (`I0325 14:00:22.976243 130295542103168
    // train.py:652] Finished training step 0. Batch size: 512, Loss: …`, the Flax examples): the
    // message is the line (its `train.py:652]` had read as a metric, "train.py" = 652).
    if (GLOG_START_RE.test(text)) text = text.replace(GLOG_PREFIX_RE, '');
    // A Coqui Trainer's block (its heads and metric lines; any other line closes an open block).
    if ((this.block?.coqui || text.includes('> ')) && this.coquiLine(text, n)) return;
    // pytorch-CycleGAN-and-pix2pix's loss_log.txt (and its script's stdout): a launch's head, a loss line, an epoch's end.
    if ((text.includes('(epoch: ') || text.includes(' Training Loss (') || (this.gan && text.startsWith('End of epoch '))) && this.ganText(text, n, line.length)) return;
    // LitGPT's console (its TrainArgs, training, validation lines) and LeRobot's.
    if ((this.lit || text.includes(' | iter ') || text.includes('TrainArgs(')) && this.litLine(text, n, line.length)) return;
    // lit-gpt's console of 2023 (TinyLlama's): its printed hyper-parameters (kept for the planned end,
    // the line read on as before) and its iteration lines.
    if (!this.lit23?.rows && text.startsWith("{'") && text.includes("'max_iters': ")) this.lit23Params(text, n);
    if (text.includes(': loss ') && text.includes(' step ') && /^[ \t]{0,8}iter /.test(text)) {
      const r = LITGPT23_LINE_RE.exec(text);
      if (r) { this.lit23Row(r, n, line.length); return; }
    }
    if ((this.lerobot || text.includes('step:') || text.includes('steps')) && this.leRobotLine(text, n, line.length)) return;
    // Flair's training.log: its parameters (kept for the planned end, the line read on as before), its
    // training lines, each epoch's end and its dev split's evaluation.
    if ((text.includes('max_epochs: ') || text.includes('anneal_factor: ')) && text.length <= 200) {
      const p = FLAIR_PARAM_RE.exec(text);
      if (p?.[1] === 'max_epochs' && /^\d{1,9}$/.test(p[2]) && Number(p[2]) > 0) this.flairParams.maxEpochs = { value: Number(p[2]), line: n };
      else if (p?.[1] === 'anneal_factor' && Number(p[2]) > 0 && Number(p[2]) < 1) this.flairParams.anneal = { value: p[2], line: n };
    }
    if ((text.includes(' - iter ') || (this.flair && (text.includes(' done: loss ') || text.includes('DEV : loss ')))) && this.flairLine(text, n, line.length)) return;
    // MXNet's Speedometer and GluonCV's scripts: a training line, an epoch's end, an LR printed between.
    if (text.includes('samples/sec')) {
      const b = mxBatchLine(text);
      if (b) { this.mxRow(b, n, text, line.length); return; }
    }
    if (this.mx) {
      if (text.includes('Epoch[') && this.mxEpochLine(text, n, line.length)) return;
      if (this.mx.shape === 'gluon' && text.includes('[Epoch ') && GLUON_EPOCH_RE.test(text)) return;
    }
    if ((this.mx || text.includes(' lr_epoch_diff ')) && text.includes('lr') && text.length <= 1000) {
      const r = MXNET_LR_RE.exec(text);
      if (r) {
        const lr = printedNumber(r[1]);
        if (Number.isFinite(lr)) {
          if (this.mx) this.mx.lr = lr;
          else this.mxLrFirst = lr;
        }
        return;
      }
    }
    // MLPerf's MLLOG events (`:::MLLOG {"key": "train_loss", "value": …, "metadata": {…}}`).
    const ml = text.indexOf(':::MLLOG {');
    if (ml >= 0) { this.mllogLine(text.slice(ml + 9), n, line.length); return; }
    // Lightning's ModelCheckpoint message: the monitored metric at its step (`'val_loss' reached
    // 1.61913`), or nothing (`was not in top 5`); its words are no metrics.
    if (text.includes(', global step ')) {
      const c = LIGHTNING_CKPT_RE.exec(text);
      if (c) {
        const v = c[3] === undefined ? NaN : Number(c[3]);
        if (Number.isFinite(v)) {
          const rec: Rec = Object.create(null) as Rec;
          rec.step = Number(c[1]);
          rec[c[2]] = v;
          this.sink.add(rec, n, line.length);
        }
        return;
      }
    }
    // CLU's LoggingWriter (the Flax examples, big_vision): `[2000] train_loss=3.73, …`, a row at its step.
    if (text.includes('] ') && text.includes('=')) {
      const c = cluLine(text);
      if (c) { this.cluRow(c.step, c.pairs, n, line.length); return; }
    }
    // A step line with its counter at the start (nanochat, nanoGPT, Megatron, torchtitan, llm.c: the
    // common case) is read before any other format is looked for.
    const llmc = LLMC_STEP_RE.exec(text);
    const kp = llmc ? null : NANOGPT_LOG_RE.exec(text);
    if (kp) { this.stepRow({ step: Number(kp[1]), rest: `${kp[2]} ${text.slice(kp[0].length)}`, total: undefined, counter: '' }, n, line.length, NANOGPT_LOG_KEYS); return; }
    const direct = llmc ? { step: Number(llmc[1]), rest: text.slice(llmc[0].length), total: undefined, counter: '' } : stepAtStart(text);
    if (direct) { this.stepRow(direct, n, line.length, llmc ? LLMC_KEYS : undefined); return; }
    if ((this.olmoStep !== undefined || text.includes('[step=')) && this.olmoLine(text, n)) return;
    if (text.includes('Epoch ')) {
      const ke = KERAS_EPOCH_RE.exec(text);
      if (ke) { this.keras = { epoch: Number(ke[1]), epochs: Number(ke[2]), per: this.keras?.per ?? 0, line: n, taken: false, target: 0 }; return; }
    }
    if (this.averagedFrom === undefined && this.rowStep !== undefined && text.startsWith('Switching to ASGD')) {
      // AWD-LSTM's switch to averaged SGD (NT-ASGD): from the next epoch on, its weights are averaged.
      this.averagedFrom = { step: this.rowStep, line: n };
      return;
    }
    if (this.lrCut === undefined && text.includes('educing learning rate')) {
      const c = LR_CUT_RE.exec(text);
      if (c) this.lrCut = { line: n, said: text.trim().slice(0, 120) };
    }
    if (this.keras && text.includes('/') && this.kerasLine(text, n, line.length)) return;
    if (text.length <= 200 && text.includes('poch')) {
      const h = NNUNET_EPOCH_RE.exec(text);
      if (h) { this.nnunetHead(Number(h[1]), n); return; }
    }
    if (this.sink.rowsRead === this.epochRows.rows && text.includes('/') && text.length <= 400) {
      const y = YOLO_RESULTS_RE.exec(text);
      if (y) { this.yoloRow(y, n, line.length); return; }
    }
    if (text.startsWith('epoch') && FASTAI_HEAD_RE.test(text)) {
      const names = text.trim().split(/[ \t]+/);
      this.fastai = names.length <= 41 ? names : undefined;
      return;
    }
    if (this.fastai) {
      const cells = fastaiRow(text, this.fastai.length);
      if (cells) { this.fastaiLine(cells, n, line.length); return; }
    }
    // spaCy's table: its header, then its rule (which tells where each name is), then its rows.
    const spacyHead = this.spacyHead;
    this.spacyHead = undefined;
    if (text.length <= 4096 && text.includes('LOSS') && SPACY_HEAD_RE.test(text)) { this.spacyHead = text; return; }
    if (spacyHead !== undefined && TABLE_RULE_RE.test(text.slice(0, 4097))) {
      const names = spacyNames(spacyHead, text);
      if (names) {
        this.spacy = names;
        this.problems.add('spacy', n, 'info', `spaCy's training table (${names.length} columns under its rule): a row an evaluation at its step ("#"), its epoch ("E"); a LOSS column is that component's loss summed over the steps since the previous row (eval_frequency), not a mean: its scale is the interval's and the batches', which grow when the batch size compounds (the default of spaCy's CPU configs, [training.batcher.size] compounding.v1), so a rise or fall there is partly the batch's`);
        return;
      }
    }
    if (this.spacy) {
      const cells = spacyRow(text, this.spacy.length);
      if (cells) { this.spacyLine(cells, n, line.length); return; }
      // spaCy's word that training ended (max_steps, max_epochs or its patience): its last row is the run's end.
      if (text.includes('Saved pipeline to output directory') && this.spacyLast !== undefined) { this.spacyEnd = { line: n, step: this.spacyLast }; return; }
    }
    if (this.nnunet && text.length <= 200) {
      const f = NNUNET_METRIC_RE.exec(text);
      if (f) { this.nnunetField(f, n); return; }
    }
    if (text.includes('epoch') && this.fairseqLine(text, n)) return;
    if (text.includes('max_update')) this.fairseqPlan(text, n);
    if (text.includes("{'")) {
      const at = text.search(HF_DICT_RE);
      if (at >= 0 && this.hfLine(text, at, n)) return;
    }
    // The Trainer's banner: the steps per epoch of dicts printed without a bar.
    if (text.includes(' = ') && (text.includes('Num Epochs') || text.includes('Total optimization steps') || text.includes('Total steps'))) {
      HF_BANNER_RE.lastIndex = 0;
      let b: RegExpExecArray | null, any = false;
      while ((b = HF_BANNER_RE.exec(text))) {
        any = true;
        const v = Number(b[2].replace(/,/g, ''));
        if (!(v > 0 && Number.isSafeInteger(v))) continue;
        if (b[1] === 'Num Epochs') this.banner.epochs = v;
        else { this.banner.steps = v; this.banner.stepsLine = n; this.bannerWord = b[1]; if (!(this.total > 0)) this.planned(-1, v, n, 'banner'); }
      }
      if (any) return;
    }
    // Between dicts, the bars' counts as they go (a dict at a line's start takes the last one). A tqdm
    // bar always shows its rate, `4.96it/s]` or `1.05s/it]`: other lines pay one search for it.
    if (text.includes('it/s') || text.includes('s/it')) {
      if (this.noteBars(text, n) && this.hf) return;
      if (this.postfixLine(text, n)) return;
    }
    if (text.includes('[batch=')) {
      const h = COMPOSER_HEAD_RE.exec(text);
      if (h) { this.composerHead(h, n); return; }
    }
    if (this.block && !this.block.nnunet) {
      const f = COMPOSER_FIELD_RE.exec(text);
      if (f) {
        // At most MAX_BLOCK_FIELDS metrics a block (a hostile block of a million lines is not one row of a million columns).
        if (f[1].toLowerCase() !== 'step' && this.block.fields < MAX_BLOCK_FIELDS && !Object.prototype.hasOwnProperty.call(this.block.rec, f[1])) {
          this.block.rec[f[1]] = printedNumber(f[2]);
          this.block.fields++;
        }
        return;
      }
    }
    if (text.includes(' : Up. ') && this.marianLine(text, n, line.length)) return;
    // Megatron's and GPT-NeoX's data builder: the epochs of its training data the planned iterations
    // take (the first such line is the training split's; valid and test follow).
    if (this.dataEpochs === undefined && text.includes('total number of epochs:')) {
      const m = /total number of epochs:[ \t]{0,20}(\d{1,9})[ \t]*$/.exec(text);
      if (m) { this.dataEpochs = Number(m[1]); return; }
    }
    // build-nanogpt's first DataLoaderLite (the GPT-2 video, and its many course forks) prints the
    // batches its data makes, `1 epoch = 20 batches` (or `steps`), after `loaded 338025 tokens`: a
    // run of 5,000 steps on it passes over the data 250 times (a real fork's loss fell to 0.013,
    // memorised). With gradient accumulation (`=> calculated gradient accumulation steps: 32`) a
    // step takes that many batches. The last print wins: a file of runs prints it for each.
    if (text.startsWith('1 epoch = ')) {
      const m = /^1 epoch = (\d{1,12}) (batches|steps)[ \t]*$/.exec(text);
      if (m && Number(m[1]) > 0) { this.nanoEpoch = { per: Number(m[1]), line: n, said: m[0].trimEnd() }; return; }
    }
    // (build-nanogpt prints its accumulation before it loads the data.)
    if (text.includes('calculated gradient accumulation steps:')) {
      const g = /calculated gradient accumulation steps:[ \t]{0,8}(\d{1,6})[ \t]*$/.exec(text);
      if (g && Number(g[1]) > 0) this.nanoAccum = { n: Number(g[1]), line: n };
    }
    // (The shard's path ends in .pt, a model file's extension: read from the line as printed.)
    if (text.includes('Loading dataset from ')) {
      const d = ONMT_LOAD_RE.exec(stripAnsi(line));
      if (d) { this.onmtLoad(d[1], n); return; }
    }
    if (this.rowStep !== undefined && text.includes('Validation ')) {
      const v = ONMT_VALID_RE.exec(text);
      if (v) { this.onmtValid(v, n, line.length); return; }
    }
    // DeepSpeed's config print (`[config.py:999:print]   gradient_accumulation_steps .. 2`), before
    // training: the micro-batches an optimizer step takes, for a script that counts micro-batches
    // (the line goes on to the other readers, as before).
    if (!this.dschatSeen && this.dsGas === undefined && text.includes('gradient_accumulation_steps ..')) {
      const g = /\][ \t]{1,8}gradient_accumulation_steps \.{1,40} (\d{1,6})[ \t]*$/.exec(text);
      if (g && Number(g[1]) > 0) this.dsGas = { n: Number(g[1]), line: n };
    }
    // MMEngine's config print (`… - mmengine - INFO - Config:`, then the resolved config): XTuner's
    // `accumulative_counts = 16` (or the optimizer wrapper's `accumulative_counts=16,`) makes one
    // optimizer step each N iterations, while `Iter(train) [ 10/1000]` counts iterations (micro-batches):
    // said, as the axis is not optimizer steps (a real XTuner QLoRA console: 16 a step).
    if (text.endsWith(' - mmengine - INFO - Config:')) this.mmConfig = true;
    else if (this.mmConfig && !this.mmAccumSaid && text.includes('accumulative_counts')) {
      const a = /^(?:accumulative_counts = |[ \t]{1,12}accumulative_counts=)(\d{1,6}),?[ \t]*$/.exec(text);
      if (a && Number(a[1]) > 1) {
        this.mmAccumSaid = true;
        this.problems.add('accumulation', n, 'info', `the config MMEngine printed sets accumulative_counts = ${a[1]} (gradient accumulation): its step counter ("Iter(train) [N/…]", "Epoch(train) [e][N/…]") counts iterations, one micro-batch each, so the x axis is micro-batches, ${a[1]} to an optimizer step; tokens per step for this log are the tokens of one micro-batch, not of an optimizer step`);
      }
    }
    if (text.startsWith('***** Evaluating perplexity')) {
      const h = DSCHAT_EVAL_RE.exec(text);
      if (h) { this.dschat = { epoch: Number(h[1]), of: Number(h[2]), line: n }; this.dschatSeen = true; return; }
    }
    // DeepSpeed's own step lines carry the LR (no loss): read in a DeepSpeed-Chat console only, where
    // they are the steps its evaluations come after.
    if (this.dschatSeen && text.includes('] step=')) {
      const d = DS_STEP_RE.exec(text);
      if (d) { this.rowAt(Number(d[1]), { lr: Number(d[2]) }, n, line.length); return; }
    }
    if (this.dschat && this.dschat.line === n - 1 && text.startsWith('ppl: ')) {
      const v = DSCHAT_PPL_RE.exec(text);
      if (v) { this.dschatPpl(Number(v[1]), n, line.length); return; }
    }
    if (this.dschat && this.dschat.line === n - 1 && text.startsWith("'step':")) {
      const v = DS_PPL_DICT_RE.exec(text);
      if (v) { this.dsPplDict(Number(v[1]), Number(v[2]), text, n, line.length); return; }
    }
    if (this.rowStep !== undefined && text.charCodeAt(0) === 42 /* '*' */) {
      const v = METRIC_LOGGER_EVAL_RE.exec(text);
      if (v) { this.metricLoggerEval(v, n, line.length); return; }
    }
    if (text.includes('train dataloader has ')) {
      // PaddleOCR, before its first epoch: the iterations an epoch takes (its counter runs on over epochs).
      const m = /\btrain dataloader has (\d{1,12}) iters[ \t]*$/.exec(text);
      if (m && Number(m[1]) >= 1) { this.loaderIters = { count: Number(m[1]), line: n }; return; }
    }
    if (this.ep === undefined && text.includes('resumed epoch')) {
      // MMCV 1.x's runner resumed from a checkpoint (`resumed epoch 22, iter 21472`; MMEngine's
      // `resumed epoch: 22, iter: 21472`): the epochs and iterations done before this log's first line.
      const m = RESUMED_EPOCH_RE.exec(text);
      if (m && Number(m[1]) >= 1 && Number(m[2]) >= Number(m[1])) { this.resumed = { epoch: Number(m[1]), iter: Number(m[2]), line: n }; return; }
    }
    if (text.startsWith('Scheduled epochs: ')) {
      // timm's train.py, before its first epoch: the epochs it is set for (warm-up and cooldown included).
      const m = /^Scheduled epochs: (\d{1,6})[ \t]*$/.exec(text);
      if (m && Number(m[1]) >= 1) { this.scheduled = { epochs: Number(m[1]), said: `timm's "Scheduled epochs: ${m[1]}", line ${n}` }; return; }
    }
    if (text.includes('cfg.training.epochs : ')) {
      const m = JOEY_EPOCHS_RE.exec(text);
      if (m && Number(m[1]) >= 1) { this.scheduled = { epochs: Number(m[1]), said: `Joey NMT's config ("cfg.training.epochs : ${m[1]}", line ${n})` }; return; }
    }
    if (text.includes('cfg.training.validation_freq : ')) {
      const m = JOEY_VALID_FREQ_RE.exec(text);
      if (m && Number(m[1]) >= 1) { (this.joey ??= {}).freq = { every: Number(m[1]), line: n }; return; }
    }
    if (text.includes('joeynmt.prediction - ') && this.joeyLine(text, n, line.length)) return;
    if (this.rowStep !== undefined && (text.includes('nd of epoch') || text.includes('nd of training'))) {
      // word_language_model's summaries (`| end of epoch 1 | … | valid loss 5.80 | …`, `| End of
      // training | test loss 4.98 | …`): the evaluation's metrics, held out by name, at the last training step.
      const v = WLM_END_RE.exec(text);
      if (v) {
        const metrics: Rec = Object.create(null) as Rec;
        // (`time: 140.23s` is the epoch's time, not the run's clock.)
        if (textPairs(v[2], metrics, (key) => (/^time$/i.test(key) ? undefined : evalKey(key)))) {
          if (text.includes('(t0 on)')) this.averagedEval(metrics, Number(v[1]), n);
          else if (typeof metrics.valid_loss === 'number' && Number.isFinite(metrics.valid_loss)) this.wlmValid = metrics.valid_loss;
          this.atLastStep(metrics, n, line.length);
        }
        return;
      }
    }
    if (text.startsWith('Test: [') || text.startsWith('Test (EMA): [')) {
      // timm's evaluation: its last batch's running mean is the evaluation's loss, at the last training
      // step. With --model-ema the averaged weights are evaluated after it (`Test (EMA):`): a series of
      // its own, `val_loss_ema`, not a second value of the same evaluation.
      const v = TIMM_TEST_RE.exec(text);
      if (v && this.rowStep !== undefined && v[1] === v[2] && Number.isFinite(Number(v[3]))) this.atLastStep({ [text.charCodeAt(5) === 40 /* '(' */ ? 'val_loss_ema' : 'val_loss']: Number(v[3]) }, n, line.length);
      if (v) return;
    }
    // RWKV-LM's train_log.txt: a launch's head, its arguments, a row per mini-epoch.
    if (text.startsWith('NEW RUN ') && RWKV_RUN_RE.test(text)) { this.rwkv = { head: n }; return; }
    if (this.rwkv?.head === n - 1 && text.startsWith('{') && text.includes("'epoch_steps': ")) {
      const arg = (k: string) => { const m = new RegExp(`'${k}': (\\d{1,9})[,}]`).exec(text); return m ? Number(m[1]) : undefined; };
      this.rwkv = { head: this.rwkv.head, steps: arg('epoch_steps'), count: arg('epoch_count'), begin: arg('epoch_begin'), line: n };
      return;
    }
    if (text.length <= 120 && text.charCodeAt(0) >= 48 && text.charCodeAt(0) <= 57) {
      const r = RWKV_LINE_RE.exec(text);
      if (r) {
        // Mini-epochs of epoch_steps steps each (when its arguments said so): its step is the end of the mini-epoch.
        const per = this.rwkv?.steps && this.rwkv.steps > 0 ? this.rwkv.steps : 1;
        this.rwkvRows++;
        this.rowAt((Number(r[1]) + 1) * per, { loss: printedNumber(r[2]), lr: Number(r[3]) }, n, line.length);
        return;
      }
    }
    // Darknet's iteration line: a row at the iteration, the running average Darknet prints as its
    // loss and plots (chart.png's "avg loss"; first, so the fit opens on it: a batch's own loss, often
    // of one image, swings tenfold from one iteration to the next), the batch's loss, the LR, the images seen.
    if (text.includes(' rate, ')) {
      const d = DARKNET_RE.exec(text);
      if (d) { this.rowAt(Number(d[1]), { avg_loss: printedNumber(d[3]), loss: printedNumber(d[2]), lr: Number(d[4]), images: Number(d[6]) }, n, line.length); return; }
    }
    const held = text.length <= 160 ? bareEval(text) : undefined;
    if (held) {
      // A held-out metric on a line of its own, with no step: at the last training step (the model it
      // evaluated), or with the first step's row when it came before any (build-nanogpt's step 0).
      if (this.rowStep !== undefined) this.atLastStep(held, n, line.length);
      else this.firstEval = Object.assign(this.firstEval ?? (Object.create(null) as Rec), held);
      return;
    }
    if (this.ep && text.includes('][Avg]')) {
      // PaddleClas' evaluation over the whole split, after its per-batch lines: the epoch's held-out metrics.
      const v = PADDLE_EVAL_AVG_RE.exec(text);
      if (v) {
        const metrics: Rec = Object.create(null) as Rec;
        if (textPairs(v[2], metrics, (key) => evalKey(key))) this.rowAt(this.ep.within ? this.epochStart(this.ep, Number(v[1]) + 1) : this.ep.lastStep, metrics as Record<string, number>, n, line.length);
        return;
      }
    }
    const m = stepAnywhere(text);
    if (m) { this.stepRow(m, n, line.length, (text.includes('Tokens per Sec:') || text.includes('Tokens per sec:')) ? JOEY_KEYS : undefined); return; }
    // A line that sums up an epoch, in a log whose rows are all such lines so far (a log with step
    // lines keeps them: its epoch summaries would go back to step 1).
    if (this.sink.rowsRead === this.epochRows.rows) {
      const e = epochLine(text);
      if (e) this.epochRow(e, n, line.length);
    }
  }
  /**
   * A CLU LoggingWriter line (cluLine): its pairs a row at its step, merged with the step's other
   * rows (its training summary `train_loss`, its evaluation `eval_loss`, held out by name).
   * `steps_per_sec` and `uptime` are the writer's rate and clock (its periodic actions'), no metrics.
   */
  private cluRow(step: number, pairs: Array<[string, string]>, n: number, len: number): void {
    const rec: Rec = Object.create(null) as Rec;
    for (const [k, v] of pairs) {
      if (k === 'step' || Object.prototype.hasOwnProperty.call(rec, k)) continue;
      if (k === 'steps_per_sec') this.sink.hintRole(k, 'other', "CLU's steps a second (its ReportProgress hook): a rate, not a metric");
      else if (k === 'uptime') this.sink.hintRole(k, 'other', "CLU's seconds since the run started (its ReportProgress hook): a clock, not a metric");
      rec[k] = printedNumber(v);
    }
    rec.step = step;
    this.sink.add(rec, n, len);
    this.rowStep = step;
  }
  /** A pycls / PySlowFast log (jsonStats): its iterations' rows so far, and the last such line's epochs and iterations an epoch. */
  private sf: { iterRows: number; epochs?: number; iters?: number; line?: number } | undefined;
  /**
   * One pycls / PySlowFast `json_stats` line. `"iter": "10/316"` counts the iterations done within
   * the epoch `"epoch": "1/20"` (both from 1): a `train_iter` line's row is at (epoch − 1) × 316 + 10,
   * and 20 × 316 is the planned end. A `train_epoch` line holds the epoch's means (its loss, the mean
   * of its iterations'): left out beside the iterations' rows, as fairseq's epoch summaries are; the
   * rows when it is all the log has (its `json_stats.log`), at their epochs, the epochs the axis. A
   * `val_epoch` (pycls: `test_epoch`) line is the evaluation after an epoch, held out (PySlowFast's
   * holds errors only, no loss) at that epoch's end; running bests (`min_top1_err`) are no
   * measurement, and the evaluation's own batches (`val_iter`) one batch's each: not read.
   */
  private jsonStatsLine(j: JsonStats, n: number, len: number): void {
    const sf = (this.sf ??= { iterRows: 0 });
    const e = j.epoch;
    if (e === undefined || !(e >= 1)) return;
    const held = j.type === 'val_epoch' || j.type === 'test_epoch';
    const train = j.type.startsWith('train_iter');
    if (!held && !train && j.type !== 'train_epoch') return;
    const rec: Rec = Object.create(null) as Rec;
    for (const [k, v] of j.values) {
      if (k === 'step' || k === '_type' || /^(?:min|max)_/.test(k) || Object.prototype.hasOwnProperty.call(rec, k)) continue;
      if (/^(?:dt|dt_data|dt_net)$/.test(k)) this.sink.hintRole(k, 'other', `seconds an iteration took ("${k}", as pycls and PySlowFast time it), not a clock nor tokens`);
      rec[held ? (j.type === 'test_epoch' ? `test_${k}` : evalKey(k)) : k] = v;
    }
    if (train) {
      if (j.iter === undefined || !(j.iters! > 0)) return;
      const step = (e - 1) * j.iters! + j.iter;
      this.problems.once('jsonstats', n, 'info', `json_stats lines (pycls, PySlowFast): "iter" counts the iterations within its epoch, so a row's step is (epoch − 1) × the iterations an epoch takes (its "iter" total, ${j.iters}) + iter; the train_epoch lines (the epoch's means) are left out beside them`);
      sf.iterRows++;
      sf.iters = j.iters;
      if (j.epochs !== undefined && j.epochs > 0) { sf.epochs = j.epochs; sf.line = n; }
      rec.step = step;
      rec.epoch = e;
      this.sink.add(rec, n, len);
      this.rowStep = step;
      return;
    }
    if (sf.iterRows > 0) {
      // (An epoch's means beside its iterations' rows: not a point of the same curve.)
      if (!held || !sf.iters) return;
      // The evaluation after epoch e: at that epoch's last iteration.
      this.flushBlock();
      rec.step = e * sf.iters;
      this.sink.add(rec, n, len);
      return;
    }
    // Epoch lines alone (json_stats.log): a row an epoch, the epochs the axis; an evaluation joins its epoch's row.
    if (held && this.block?.sfEpoch === e) {
      for (const k of Object.keys(rec)) if (!Object.prototype.hasOwnProperty.call(this.block.rec, k)) { this.block.rec[k] = rec[k]; this.block.fields++; }
      return;
    }
    this.flushBlock();
    this.problems.once('jsonstatsepochs', n, 'info', 'json_stats lines of whole epochs only (train_epoch: the means over each epoch; no train_iter lines to tell the iterations an epoch takes): a row an epoch, the epochs the axis');
    rec.epoch = e;
    this.epochRowSeen(e, j.epochs, n);
    this.epochRows.said = `the json_stats lines' "epoch": "N/${j.epochs ?? '?'}" (line ${n})`;
    this.block = { rec, line: n, fields: Object.keys(rec).length, sfEpoch: e };
  }
  /** A pycls / PySlowFast log's planned end: its last launch's epochs × the iterations one takes ("epoch": "N/20", "iter": "k/316"). */
  private sfPlan(log: ParsedLog): void {
    const sf = this.sf;
    if (!sf || sf.iterRows === 0 || !sf.iters || !sf.epochs) return;
    const source = `the json_stats lines' "epoch": "N/${sf.epochs}" × "iter": "k/${sf.iters}" (line ${sf.line})`;
    log.run = { ...(log.run ?? {}), epochsLogged: { count: sf.epochs, source, stepsPerPass: sf.iters } };
    if (!log.run.plannedSteps) log.run.plannedSteps = { steps: sf.epochs * sf.iters, source };
  }
  /**
   * A YOLOv5/YOLOv7 results.txt row (YOLO_RESULTS_RE): a row at its epoch (counted from 0; `/399`
   * is the last, so 400 are planned), its GPU memory in GB and its fields by position; `val_loss`
   * is the sum of the three held-out terms, as the file's `total` (`loss`) is of the training ones.
   */
  private yoloRow(y: RegExpExecArray, n: number, len: number): void {
    const rec: Rec = Object.create(null) as Rec;
    const epoch = Number(y[1]);
    rec.epoch = epoch;
    rec.gpu_mem = Number(y[3]);
    const cells = y[4].trim().split(/[ \t]+/).map(Number);
    YOLO_RESULTS_NAMES.forEach((name, i) => { if (Number.isFinite(cells[i])) rec[name] = cells[i]; });
    // The held-out total as the file's training total is made (the sum of its three terms), so the
    // whole held-out loss is set against the whole training loss.
    const val = cells[10] + cells[11] + cells[12];
    if (Number.isFinite(val)) rec.val_loss = val;
    this.epochRowSeen(epoch, Number(y[2]) + 1, n);
    this.epochRows.yolo = true;
    this.sink.add(rec, n, len);
  }
  /** Rows read from epoch summary lines (epochLine): the first epoch, the last, and the epochs planned. */
  private epochRows: { rows: number; first?: number; last?: number; of?: number; ofLine?: number; yolo?: boolean; said?: string } = { rows: 0 };
  /**
   * An epoch's summary line (`Epoch 3/40 - Train Loss: 2.12, Val Loss: 2.28`, SpeechBrain's
   * `epoch: 3, lr: … - train loss: … - valid loss: …`): a row at its epoch (its step: the log has no
   * other, and the fit says so, as nnU-Net's). The losses
   * named for validation (`Val Loss`, `valid loss`) are held-out losses by their names.
   */
  private epochRow(e: StepLine, n: number, len: number): void {
    const rec: Rec = Object.create(null) as Rec;
    textPairs(e.rest, rec, (key) => {
      const low = key.toLowerCase();
      return low === 'step' || low === 'steps' || low === 'epoch' ? undefined : key;
    });
    rec.epoch = e.step;
    this.epochRowSeen(e.step, e.total, n);
    this.sink.add(rec, n, len);
  }
  /** A row of one epoch read (line n): the first epoch, the last, and the epochs planned when said. */
  private epochRowSeen(epoch: number, of: number | undefined, n: number): void {
    const r = this.epochRows;
    r.rows++;
    r.first ??= epoch;
    r.last = epoch;
    if (of !== undefined && of > 0) { r.of = of; r.ofLine = n; }
  }
  /**
   * nnU-Net's log (NNUNET_EPOCH_RE, NNUNET_METRIC_RE): an epoch's block is one row at its epoch, of
   * the metrics printed after its head (v1 prints the LR after the losses, v2 before: both are
   * the block's). No step: its steps are its epochs.
   */
  private nnunet = false;
  private nnunetHead(epoch: number, n: number): void {
    this.flushBlock();
    this.nnunet = true;
    const rec: Rec = Object.create(null) as Rec;
    rec.epoch = epoch;
    this.block = { rec, line: n, fields: 0, nnunet: true };
  }
  private nnunetField(f: RegExpExecArray, n: number): void {
    const b = this.block;
    const name = NNUNET_NAMES.get(f[1]);
    if (!b || !name || own(b.rec, name) !== undefined) return;
    b.rec[name] = Number(f[2]);
    b.fields++;
    // The block's row is where its first metric was printed (its problems point there).
    if (b.fields === 1) b.line = n;
  }
  /** The header of the fastai table being read (its names, `epoch` first). */
  private fastai: string[] | undefined;
  /** A spaCy table's header line, until the next line says whether a rule follows it. */
  private spacyHead: string | undefined;
  /** The names of the spaCy table being read (`E`, `#`, then its losses and scores). */
  private spacy: string[] | undefined;
  /** The step of the spaCy table's last row, and where spaCy said training ended (after its last row). */
  private spacyLast: number | undefined;
  private spacyEnd: { line: number; step: number } | undefined;
  /** The first line where a scheduler said it cut the LR because a metric stalled (LR_CUT_RE). */
  private lrCut: { line: number; said: string } | undefined;
  /** Where an AWD-LSTM script said it switched to averaged SGD ("Switching to ASGD"), at the last training step before it. */
  private averagedFrom: { step: number; line: number } | undefined;
  /** word_language_model's last `valid loss` printed before its averaged-SGD epochs (`(t0 on)`). */
  private wlmValid: number | undefined;
  private wlmStale = false;
  /**
   * An AWD-LSTM epoch summary after its switch to averaged SGD, as the scripts derived from Miconi's
   * backpropamine code (Fast Weight Memory's among them) print it: `| end of epoch 767 (t0 on) | … |
   * valid loss 4.07 | valid ppl 58.84 | valloss2 ppl 58.48`. Their `valid loss` is the variable last set
   * before the switch, printed again (the averaged model's evaluation goes to `valloss2`): a real run
   * printed 4.07 on all 134 such lines while its `valloss2 ppl` fell from 58.48 to 57.83. Where the
   * printed value is that repeat, the held-out loss is the log of `valloss2 ppl` (its perplexity is
   * the exponential of the loss), said once.
   */
  private averagedEval(metrics: Rec, epoch: number, n: number): void {
    const ppl = metrics.val_valloss2_ppl;
    if (typeof ppl !== 'number' || !(Number.isFinite(ppl) && ppl > 0) || this.wlmValid === undefined || metrics.valid_loss !== this.wlmValid) return;
    const stale = metrics.valid_loss;
    metrics.valid_loss = Math.log(ppl);
    metrics.valid_ppl = ppl;
    if (!this.wlmStale) {
      this.wlmStale = true;
      this.problems.add('averagedeval', n, 'info', `from epoch ${epoch} ("(t0 on)": averaged SGD) the "valid loss" printed (${stale}) is the last one before the switch, printed again; the averaged model's evaluation is "valloss2 ppl": "valid_loss" there is its log`);
    }
  }
  /**
   * A spaCy table's row: at its step, its epoch, each cell under its name. The components' losses
   * first and the shared embedding's (`LOSS TOK2VEC`, `LOSS TRANSFORMER`: the gradient its listeners
   * pass back, which rises as they learn) after them, so a component's loss is the curve fitted.
   */
  private spacyLine(cells: string[], n: number, len: number): void {
    const names = this.spacy!;
    const rec: Rec = Object.create(null) as Rec;
    const epoch = Number(cells[0]), step = Number(cells[1]);
    rec.step = step;
    this.spacyLast = step;
    this.spacyEnd = undefined;
    rec.epoch = epoch;
    const embed = (name: string) => /^LOSS (TOK2VEC|TRANSFORMER|TRANS\.\.\.|TOK2V\.\.\.)$/.test(name);
    for (const pass of [0, 1]) {
      for (let i = 2; i < cells.length; i++) {
        if ((pass === 0) === embed(names[i]) || own(rec, names[i])) continue;
        rec[names[i]] = Number(cells[i]);
      }
    }
    // Its epochs: the passes over the data so far (as an epoch printed on each line).
    const pe = (this.epochPairs ??= { first: epoch, last: epoch, fractional: false });
    pe.first = Math.min(pe.first, epoch);
    pe.last = epoch;
    this.sink.add(rec, n, len);
  }
  /**
   * A fastai table's row: at its epoch, each cell that is a number under its header's name (`#na#`,
   * no validation that epoch, and the `time` column's `02:25` are not). Each table starts its epochs
   * again: a file of several tables (fit calls one after another) is read as its last, said so.
   */
  private fastaiLine(cells: string[], n: number, len: number): void {
    const names = this.fastai!;
    const rec: Rec = Object.create(null) as Rec;
    // The table's epoch is its step: a table after another starts again (a restart, said).
    rec.step = rec.epoch = Number(cells[0]);
    for (let i = 1; i < cells.length; i++) {
      const v = cells[i];
      if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(v) && !own(rec, names[i])) rec[names[i]] = Number(v);
    }
    this.sink.add(rec, n, len);
  }
  /** Megatron's / GPT-NeoX's "total number of epochs: N" (the training data's passes its planned iterations take). */
  private dataEpochs: number | undefined;
  /**
   * OpenNMT-py's training shard loads (ONMT_LOAD_RE): the first shard's path and line, and the step of
   * the last row before each time it was loaded (a pass begins there: the iterator cycles through the
   * shards from the first).
   */
  private onmtPasses: { path: string; line: number; shards: Set<string>; starts: number[] } | undefined;
  /** An OpenNMT-py shard load (ONMT_LOAD_RE): a training shard's (`<data>.train….pt`; not `.valid`) is kept in onmtPasses. */
  private onmtLoad(path: string, n: number): void {
    const base = path.slice(path.lastIndexOf('/') + 1);
    // The last `.train` or `.valid` in the name says which (lastIndexOf: a greedy `.*\.(train|valid)` backtracks
    // quadratically, 1.9 ms on each line of a 1,000-character path).
    if (base.lastIndexOf('.train') <= base.lastIndexOf('.valid')) return;
    const p = this.onmtPasses ??= { path, line: n, shards: new Set(), starts: [] };
    if (p.shards.size < 10000) p.shards.add(path);
    if (path === p.path) p.starts.push(this.rowStep ?? 0);
  }
  /**
   * OpenNMT-py's passes (onmtPasses): each load of the first training shard begins one, so the loads are
   * the passes begun; a pass's steps are the steps between two loads (the last row before each), their median.
   */
  private onmtPassesOf(log: ParsedLog): void {
    const p = this.onmtPasses;
    if (!p || p.starts.length < 2 || log.run?.epochsLogged || log.rows === 0) return;
    const lengths: number[] = [];
    for (let i = 1; i < p.starts.length; i++) lengths.push(p.starts[i] - p.starts[i - 1]);
    const per = median(lengths);
    if (!(per > 0)) return;
    const loads = p.starts.length;
    // The passes the run is set for, where its planned end is known (as a Trainer's epoch is read): that end over a pass's steps.
    const end = log.run?.plannedSteps;
    const planned = end && end.steps / per > loads ? Math.round((10 * end.steps) / per) / 10 : undefined;
    const shards = p.shards.size > 1 ? `${formatInteger(p.shards.size)} training shards a pass, ` : '';
    const said = `OpenNMT-py's "Loading dataset from …" lines (line ${p.line} the first): its training iterator loaded ${p.path} ${formatInteger(loads)} times, each the start of a pass over the data (${shards}about ${formatInteger(per)} steps a pass, between the last step lines before its loads)`;
    // (The planned passes are the count the fit takes; the words say too how far the log went: a real
    // LSTM console stopped at step 42,150 of 100,000, in its 54th pass of the 125 planned, had read
    // "the run makes 125 passes" alone.)
    const reached = planned !== undefined && this.rowStep !== undefined && this.rowStep < end!.steps ? `; the log reaches the ${ordinal(loads)}, at step ${formatInteger(this.rowStep)}` : '';
    log.run = { ...(log.run ?? {}), epochsLogged: { count: planned ?? loads, source: planned !== undefined ? `${said}; the ${formatInteger(end!.steps)} steps planned make ${planned} passes${reached}` : said, stepsPerPass: per } };
  }
  /** build-nanogpt's `1 epoch = N batches` (the batches its data makes), the last printed. */
  private nanoEpoch: { per: number; line: number; said: string } | undefined;
  /** Its `=> calculated gradient accumulation steps: N` (printed before the data loads), the last printed. */
  private nanoAccum: { n: number; line: number } | undefined;
  /** Marian's epochs: the first and last "Ep." seen (passes over the data). */
  private marian: { first: number; last: number } | undefined;
  /**
   * Marian NMT's lines (MARIAN_HEAD_RE): a training line is a row at its update (`Up.`), its `Cost`
   * (the training cost, per target word by default) and `L.r.`; a validation line is a row at its
   * update of its metric, `val_xent` for `ce-mean-words` (the per-word cross-entropy, as OpenNMT's),
   * else `val_<metric>` (perplexity, bleu, …).
   */
  private marianLine(text: string, n: number, len: number): boolean {
    const v = text.includes('[valid]') ? MARIAN_VALID_RE.exec(text) : null;
    const h = v ?? MARIAN_HEAD_RE.exec(text);
    if (!h) return false;
    const rec: Rec = Object.create(null) as Rec;
    const epoch = Number(h[1]), step = Number(h[2]);
    rec.step = step;
    rec.epoch = epoch;
    if (v) {
      const value = Number(v[4]);
      const metric = v[3].toLowerCase();
      rec[metric === 'ce-mean-words' ? 'val_xent' : `val_${metric.replace(/[^a-z0-9]+/g, '_')}`] = value;
    } else {
      const c = MARIAN_COST_RE.exec(text);
      if (!c) return false;
      rec.cost = Number(c[1]);
      const lr = MARIAN_LR_RE.exec(text);
      if (lr) rec.lr = Number(lr[1]);
    }
    const m = (this.marian ??= { first: epoch, last: epoch });
    m.first = Math.min(m.first, epoch);
    m.last = Math.max(m.last, epoch);
    this.sink.add(rec, n, len);
    return true;
  }
  /** The epochs planned, for an epoch counter that does not print them (timm's `Scheduled epochs: N`, Joey NMT's `cfg.training.epochs : N`), and where said. */
  private scheduled: { epochs: number; said: string } | undefined;
  /** Joey NMT's train.log: its validation_freq (from its logged config), its last validation's step, whether it is decoding its dev/test sets after training. */
  private joey: { freq?: { every: number; line: number }; lastVal?: number; testing?: boolean } | undefined;
  /**
   * Joey NMT's `joeynmt.prediction` lines. In training it validates right after the step that is a
   * multiple of validation_freq (`if self.stats.steps % self.validation_freq == 0`, after that step's
   * line if it logged one) and prints `Evaluation result (greedy) loss:   3.72, ppl:  41.47, acc:   0.12,
   * generation: 65.0011[sec], …` with no step: its row is at that step, the first multiple of
   * validation_freq from the last step logged (after the validation before it), its metrics held out
   * by name (`val_loss`). Without the logged validation_freq, at the last step logged (said). After
   * training (`Decoding on dev set...`, `… test set...`) its evaluations are the best checkpoint's, no rows.
   */
  private joeyLine(text: string, n: number, len: number): boolean {
    if (text.includes('joeynmt.prediction - Decoding on ')) { (this.joey ??= {}).testing = true; return true; }
    const at = text.indexOf('joeynmt.prediction - Evaluation result (');
    if (at < 0 || this.rowStep === undefined) return false;
    const j = (this.joey ??= {});
    if (j.testing) return true;
    const close = text.indexOf(')', at + 40);
    if (close < 0) return false;
    const metrics: Rec = Object.create(null) as Rec;
    // (`generation: 65.0011[sec]`, `evaluation: 0.0000[sec]` are its durations, no metrics.)
    if (!textPairs(text.slice(close + 1, close + 1 + 1000), metrics, (key) => (/^(generation|evaluation)$/i.test(key) ? undefined : evalKey(key)))) return true;
    const last = this.rowStep;
    let step = last;
    if (j.freq) {
      const v = j.freq.every;
      step = Math.ceil(last / v) * v;
      if (j.lastVal !== undefined && j.lastVal >= step) step = j.lastVal + v;
      this.problems.once('joeyvalid', n, 'info', `Joey NMT's validations ("Evaluation result (…) loss: …", line ${n}) print no step: each is at the step that is a multiple of its validation_freq (${v}, line ${j.freq.line}) it follows, held out (val_loss)`);
    } else {
      this.problems.once('joeyvalid', n, 'info', `Joey NMT's validations ("Evaluation result (…) loss: …", line ${n}) print no step, and its validation_freq is not in the log: each is placed at the last step logged before it (the step it ran at may be up to a logging interval later)`);
    }
    j.lastVal = step;
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    for (const k of Object.keys(metrics)) rec[k] = metrics[k];
    this.sink.add(rec, n, len);
    return true;
  }
  /** An OpenMMLab runner's `resumed epoch 22, iter 21472` before the first step line: the checkpoint's epoch and iteration, and the line. */
  private resumed: { epoch: number; iter: number; line: number } | undefined;
  /** The step of the last step line's row (an evaluation printed after it is at that step). */
  private rowStep: number | undefined;
  /**
   * OpenNMT-py's validation (ONMT_VALID_RE), after the step lines it follows: at the last step, its
   * perplexity as `val_xent`, the cross-entropy it is the exponential of (OpenNMT computes
   * ppl = exp(xent), capped at exp(100)), and its accuracy as `val_acc`.
   */
  private onmtValid(v: RegExpExecArray, n: number, len: number): void {
    const value = Number(v[2]);
    if (!Number.isFinite(value)) return;
    if (v[1] === 'perplexity') {
      if (value > 0) this.atLastStep({ val_xent: Math.log(value) }, n, len);
    } else this.atLastStep({ val_acc: value }, n, len);
  }
  /** DeepSpeed-Chat's evaluation head (DSCHAT_EVAL_RE) whose perplexity comes on the next line. */
  private dschat: { epoch: number; of: number; line: number } | undefined;
  /**
   * DeepSpeed-Chat's held-out perplexity after an epoch: `val_loss`, the cross-entropy it is the
   * exponential of (its `evaluation()` returns exp of the mean loss), at the step the epoch ended
   * (the last DeepSpeed `step=N` line; epoch 0's, before training, at step 0). Epoch k ending at step s
   * plans `of` epochs of s/k steps each.
   */
  private dschatPpl(ppl: number, n: number, len: number): void {
    const { epoch, of } = this.dschat!;
    this.dschat = undefined;
    const step = epoch === 0 ? 0 : this.rowStep;
    if (step === undefined || !(ppl > 0)) return;
    if (!this.dschatSaid) {
      this.dschatSaid = true;
      this.problems.add('dschat', n, 'info', `"val_loss" is the log of the perplexity printed after each epoch ("ppl: ${ppl}"): the held-out cross-entropy it is the exponential of`);
    }
    if (epoch > 0 && step > 0 && step % epoch === 0) this.planned(step, (of * step) / epoch, n, 'dschat');
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    rec.epoch = epoch;
    rec.val_loss = Math.log(ppl);
    this.sink.add(rec, n, len);
  }
  private dschatSaid = false;
  /** Inside MMEngine's config print (after its `Config:` line); its accumulative_counts said. */
  private mmConfig = false;
  private mmAccumSaid = false;
  /** DeepSpeed's gradient_accumulation_steps as its config print says it, and the line. */
  private dsGas: { n: number; line: number } | undefined;
  /** The dict form's step (DS_PPL_DICT_RE) mapped to DeepSpeed's counter: how, said once. */
  private dsDict: { said: boolean; byCounter: boolean } | undefined;
  /**
   * The dict form of the evaluation (DS_PPL_DICT_RE; DeepSpeedExamples' data-efficiency GPT-2
   * fine-tuning): `val_loss` = ln(ppl), its `evaluation()` being exp of the mean loss. The script's
   * 'step' counts its loop's micro-batches from 0 and is printed after micro-batch 'step' is done,
   * while DeepSpeed's `[Rank 0] step=N` counts optimizer steps (one each gradient_accumulation_steps
   * micro-batches: 524 at 'step' 1047 with 2): the row is at optimizer step ⌊('step' + 1) / gas⌋, the
   * axis of DeepSpeed's step lines (their LR). Without the config print, at DeepSpeed's last counter
   * before it (behind by up to its steps_per_print). The trainer's banner (`Total optimization steps =
   * 1048`) counts the script's 'step' (its loop), so it is the end ÷ gas. `seq_len` and `consume
   * layer-tokens` (random-LTD's tokens × layers kept, not tokens seen) are not read.
   */
  private dsPplDict(scriptStep: number, ppl: number, text: string, n: number, len: number): void {
    this.dschat = undefined;
    if (!(ppl > 0)) return;
    const gas = this.dsGas?.n;
    const d = this.dsDict ?? (this.dsDict = { said: false, byCounter: gas === undefined });
    let step = gas !== undefined ? Math.floor((scriptStep + 1) / gas) : this.rowStep ?? scriptStep;
    // The mapping must keep up with DeepSpeed's own counter: if it falls behind, the counter it is.
    if (!d.byCounter && this.rowStep !== undefined && step < this.rowStep) {
      d.byCounter = true;
      this.problems.add('dschat', n, 'info', `'step' ${scriptStep} would be optimizer step ${step} (÷ ${gas}), behind DeepSpeed's counter (step=${this.rowStep}): from here on an evaluation is at DeepSpeed's last step line before it`);
    }
    if (d.byCounter && this.rowStep !== undefined) step = Math.max(step, this.rowStep);
    if (!d.said) {
      d.said = true;
      const axis = gas !== undefined
        ? `the script's 'step' counts its micro-batches (from 0), DeepSpeed's "step=N" its optimizer steps, one each ${gas} micro-batches (gradient_accumulation_steps, line ${this.dsGas!.line}): a row is at optimizer step ⌊('step' + 1) / ${gas}⌋ ('step' ${scriptStep} at ${step})`
        : this.rowStep !== undefined ? `the script's 'step' counts its micro-batches; without DeepSpeed's gradient_accumulation_steps printed, a row is at DeepSpeed's last "step=N" line before it (behind by up to its steps_per_print)`
        : `the x axis is the script's own 'step' (its loop's micro-batches, not optimizer steps: no DeepSpeed step line or gradient_accumulation_steps says how many a step takes)`;
      const ltd = text.includes("'consume layer-tokens'") ? `; its 'consume layer-tokens' (random-LTD's tokens × layers kept) is not tokens seen, not read as a tokens column` : '';
      this.problems.add('dschat', n, 'info', `"val_loss" is the log of the perplexity printed every few steps ("'step':${scriptStep}, 'ppl': ${ppl}"): the held-out cross-entropy it is the exponential of; ${axis}${ltd}`);
      // The trainer's banner counts the script's loop ('step'): as optimizer steps, ÷ gas.
      if (gas !== undefined && this.totalWord === 'banner' && this.total > 0) {
        const t = Math.floor(this.total / gas);
        if (gas > 1) { this.dsBanner = { micro: this.total, line: this.totalLine }; this.total = 0; this.planned(-1, t, this.dsBanner.line, 'dsbanner'); }
      }
    }
    this.dsLastScript = scriptStep;
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    rec.val_loss = Math.log(ppl);
    this.sink.add(rec, n, len);
  }
  /** The banner's total in the script's micro-batches when it was turned into optimizer steps (dsPplDict). */
  private dsBanner: { micro: number; line: number } | undefined;
  /** The last script 'step' of the dict form read. */
  private dsLastScript: number | undefined;
  /** A DeepSpeed-Chat evaluation head was read (its DeepSpeed step lines are then rows). */
  private dschatSeen = false;
  /** A training row at `step` of the `fields` a line holds by position (DeepSpeed's, Darknet's, RWKV's): the last step from here on. */
  private rowAt(step: number, fields: Record<string, number>, n: number, len: number): void {
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    for (const k of Object.keys(fields)) rec[k] = fields[k];
    this.sink.add(rec, n, len);
    this.rowStep = step;
  }
  /** An evaluation printed after the step lines it follows (OpenNMT-py's, the MetricLogger's, timm's): a row of its metrics at the last step. */
  private atLastStep(metrics: Rec, n: number, len: number): void {
    const rec: Rec = Object.create(null) as Rec;
    rec.step = this.rowStep!;
    for (const k of Object.keys(metrics)) rec[k] = metrics[k];
    this.sink.add(rec, n, len);
  }
  /**
   * The evaluation's summary a MetricLogger console prints after each epoch (DeiT, MAE, ConvNeXt:
   * `* Acc@1 81.234 Acc@5 95.678 loss 0.812`): at the last training step, its loss held out by name
   * (`val_loss`) with its accuracies. The evaluation's own progress lines (`Test:  [ 10/121] … loss:
   * 5.5266 (5.4813)`) are running means within it, not rows.
   */
  private metricLoggerEval(v: RegExpExecArray, n: number, len: number): void {
    this.atLastStep({ val_acc1: Number(v[1]), val_acc5: Number(v[2]), val_loss: Number(v[3]) }, n, len);
  }
  /**
   * Keras' console (KERAS_EPOCH_RE): the epoch's progress line, its last refresh that reached the
   * target (the epoch's mean loss, and the validation metrics Keras adds then) is a row at step =
   * epoch × the steps an epoch takes. Refreshes before it (running means within the epoch) are not
   * rows. The epoch header's total, times the steps an epoch takes, is the planned end.
   */
  private keras: { epoch: number; epochs: number; per: number; line: number; taken: boolean; target: number } | undefined;
  private kerasLine(text: string, n: number, len: number): boolean {
    const k = this.keras!;
    const refreshes = kerasRefreshes(text);
    if (!refreshes.length) return false;
    // One row an epoch: its line with the validation metrics ends it (the bars of evaluate() or
    // predict() after the last epoch are not training rows). Keras 3 without a terminal draws the
    // bar at its target twice, before and after validation: the later (the epoch's logs) wins.
    if (k.taken) return true;
    let done: (typeof refreshes)[number] | undefined;
    for (const r of refreshes) if (r.count === r.target && r.target > 0 && (k.target === 0 || r.target === k.target)) done = r;
    if (!done) return true;
    const rec: Rec = Object.create(null) as Rec;
    KERAS_PAIR_RE.lastIndex = 0;
    let p: RegExpExecArray | null;
    while ((p = KERAS_PAIR_RE.exec(done.text))) if (p[1] !== 'ETA' && !(p[1] in rec)) rec[p[1]] = Number(p[2]);
    k.per = done.target;
    const step = k.epoch * done.target;
    rec.step = step;
    rec.epoch = k.epoch;
    this.planned(step, k.epochs * done.target, k.line, 'keras');
    k.target = done.target;
    k.taken = /(^|[ \t])-[ \t]{1,4}val_/.test(done.text);
    this.sink.add(rec, n, len);
    return true;
  }
  /**
   * An epoch written before a line's step counter (`[Train][Epoch 3/300][Iter: 100/1252]`,
   * PaddleClas; `Epoch: [2] [  100/14658]`, PaddleDetection; `epoch: [3/500], iter: 2910`, PaddleOCR;
   * `epoch: 3, iter: 150/120000`, PaddleSeg). The counter may count within the epoch (it starts
   * again when the epoch moves on: PaddleClas, PaddleDetection): the step is then the epochs before
   * times the counter's total, plus the count. Else it is the run's, as written. Either way the
   * epochs and the steps one takes are the run's passes (withPlan).
   */
  private ep: EpochCounter | undefined;
  /** The first step of `epoch` under a within-epoch counter (`per` steps an epoch, from `base` when the length changed). */
  private epochStart(e: EpochCounter, epoch: number): number {
    return e.base ? e.base.step + (epoch - e.base.epoch) * e.per! : (epoch - e.first) * e.per!;
  }
  private epochStep(epoch: number, of: number | undefined, m: StepLine, n: number): number {
    const fresh = this.ep === undefined;
    const e: EpochCounter = (this.ep ??= { first: epoch, last: epoch, lastCount: m.step, lastStep: m.step, within: false, firstStep: new Map() });
    if (of !== undefined && of >= 1) e.of = of;
    else if (e.of === undefined && this.scheduled) { e.of = this.scheduled.epochs; e.ofSaid = this.scheduled.said; }
    const r = this.resumed;
    if (fresh && r && epoch === r.epoch + 1 && m.total !== undefined && m.total > 0 && m.step <= m.total) {
      // A run resumed after epoch R at iteration I (MMCV's `resumed epoch 22, iter 21472`, then
      // `Epoch [23][50/976]`): its counter counts within the epoch, epoch R + 1 from step I. Read from
      // 0, a real MMDetection 2.x run's 36 epochs had ended at step 13,638 of its planned 35,136.
      e.within = true;
      e.per = m.total;
      e.base = { epoch, step: r.iter };
      e.resumed = r;
      if (e.of) this.planned(-1, this.epochStart(e, e.of + 1), n, 'epochs');
      this.problems.add('resumedepoch', n, 'info', `the run resumed from a checkpoint ("resumed epoch ${r.epoch}, iter ${r.iter}", line ${r.line}): epoch ${epoch}'s "${m.counter.trim()}" counts within the epoch from step ${formatInteger(r.iter)}, ${formatInteger(m.total)} steps an epoch`, 'a resumed run placed after its checkpoint');
    }
    if (fresh && !e.within && m.total !== undefined && m.total > 0 && m.step <= m.total && m.lead !== undefined && MMENGINE_EPOCH_LEAD_RE.test(m.lead.slice(-40))) {
      // MMEngine's EpochBasedTrainLoop prints `Epoch(train) [e][i/N]`: i counts within the epoch and N
      // is the epoch's length (its dataloader's), told from the first line. Read as the run's total
      // until a second epoch began, a real XTuner console cut inside its first epoch (iteration 340)
      // had its planned end at 381, where its config's max_epochs = 3 made it 3 × 381.
      e.within = true;
      e.per = m.total;
      e.stated = true;
      if (e.of) this.planned(-1, e.of * m.total, n, 'epochs');
    }
    if (epoch > e.last && !e.within && m.step <= e.lastCount && m.total !== undefined && m.total > 0) {
      // The counter started again as the epoch moved on (or stayed: a console that prints only each
      // epoch's first iteration, `Epoch: [1]  [0/4]`, torchvision's references): it counts within the
      // epoch. A total it gave as the run's planned end is the epoch's.
      e.within = true;
      e.per = m.total;
      if (this.total === m.total) this.total = 0;
      if (e.of) this.planned(-1, e.of * m.total, n, 'epochs');
    }
    if (epoch > e.last && !e.within && m.step <= e.lastCount && m.total === undefined && e.lastCount > 0) {
      // A counter without a total that starts again as the epoch moves on (a hand-written loop's
      // `for bidx, batch in enumerate(loader)` printed as `ep: 1, batch: 20, …`) counts within the
      // epoch too: read as a restart, every earlier epoch's rows would be superseded. The epoch's
      // length is not printed: taken as its last count (the epoch may run on a print interval more).
      e.within = true;
      e.per = e.lastCount;
      this.problems.add('epochcount', n, 'info', `the "${counterWord(m.counter)}" counter starts again as epoch ${epoch} begins (${m.step} after ${e.lastCount}) and prints no total: it counts within the epoch, an epoch taken as its last count printed (${e.lastCount}), so the steps from epoch ${epoch} on are approximate (an epoch may run a print interval longer)`);
    }
    if (e.within && m.total !== undefined && m.total > 0 && m.total !== e.per) {
      // Another run in the same file, started again from its first epoch with epochs of another length
      // (a real YOLOX log: 112 iterations an epoch, then 14): its counter's total is now the epoch's.
      // A run resumed at a later epoch with epochs of another length (a real PaddleClas run resumed at
      // epoch 238 of 400: 98 iterations an epoch, then 97) keeps the steps of the epochs before it:
      // its epochs count on from that epoch's first step.
      e.base = epoch > e.first ? { epoch, step: this.epochStart(e, epoch) } : e.resumed && epoch === e.first ? { epoch, step: e.resumed.iter } : undefined;
      e.per = m.total;
      if (e.of) this.planned(-1, this.epochStart(e, e.of + (e.first === 0 ? 0 : 1)), n, 'epochs');
    }
    if (epoch > e.last) e.last = epoch;
    e.latest = epoch;
    e.lastCount = m.step;
    const step = e.within ? this.epochStart(e, epoch) + m.step : m.step;
    if (!e.firstStep.has(epoch)) e.firstStep.set(epoch, step);
    e.lastStep = step;
    return step;
  }
  /** A step line's row: its step, the metrics in the rest of the line (`keys`: llm.c's abbreviated keys, build-nanogpt's words, named). */
  private stepRow(m: StepLine, n: number, len: number, keys?: ReadonlyMap<string, string>): void {
    if (m.total === undefined && STEPS_COUNT_RE.test(m.counter) && !LOSS_WORD_RE.test(m.rest)) { this.stepsBanner(m, n); return; }
    const ep = m.lead ? EPOCH_LEAD_RE.exec(m.lead.slice(-200)) : null;
    // An evaluation's lines under an epoch (`[Eval][Epoch 10][Iter: 0/98]`, PaddleClas) count its own
    // loop: placed at the end of that epoch (within-epoch counters) or at the last training step.
    const evalTag = !!ep && EVAL_TAG_RE.test(m.lead!);
    // Its batches' lines (`[Eval][Epoch 400][Iter: 20/25]CELoss: 3.92440, …`) hold one batch's metrics,
    // not the evaluation's: the `[Avg]` line after them does (the last batch's 3.92 had been the
    // evaluation's loss of a real PaddleClas run whose [Avg] said 3.20).
    if (evalTag && /^iter/i.test(m.counter) && m.lead!.endsWith('[')) {
      this.problems.once('evalbatches', n, 'info', "the evaluation's per-batch lines ([Eval][Epoch N][Iter: k/M]) hold one batch's metrics each: not read; the [Avg] line after them is the evaluation's");
      return;
    }
    let step = m.step;
    if (ep && !evalTag) step = this.epochStep(Number(ep[1]), ep[2] === undefined ? undefined : Number(ep[2]), m, n);
    else if (ep && this.ep) step = this.ep.within ? this.epochStart(this.ep, Number(ep[1]) + 1) : this.ep.lastStep;
    // An evaluation's line (`validation loss at iteration 100 | lm loss value: 7.67 | lm loss PPL: …`,
    // Megatron; `Eval step 100: loss 2.3`): its metrics are the evaluation's, named so.
    const evalLine = (m.lead !== undefined && EVAL_LEAD_RE.test(m.lead.slice(-EVAL_LEAD_TAIL))) || evalTag;
    // (A counter within the epoch, or an evaluation's, does not total the run: NeMo's `Validation:
    // iteration 20/20` after its `Training epoch 0, iteration 50/99` lines had made the plan 20 steps.)
    if (m.total !== undefined && !evalLine && !this.ep?.within) {
      // Steps that go back to the start of a new total are a new run, not a resume of the one before
      // (a real PaddlePaddle loop of 14 launches appended, `step: 10 (total: 1060)` after a launch of
      // `(total: 81)` logged at every step: its steps 1 to 9 had stayed under the last launch's).
      // So are steps past twice the total planned before them (a real PaddleSeg workerlog: a 50-iteration
      // smoke run, then another run resumed at iteration 10,010 of 50,000: its 5 rows had stayed).
      // The same first step again under a new total is a new run too: a launch that died after its
      // first line (a real PaddleDetection workerlog: `[ 0/2624]`, then `[ 0/70]`, then `[ 0/1320]`, each
      // a launch of its own, had been read as step 0 logged again).
      if (this.total > 0 && m.total !== this.total) {
        if (m.step <= this.planStep && m.step <= 0.05 * m.total) this.sink.newRun(n, `its step lines' total goes from ${this.total} to ${m.total} and its steps start again, at ${m.step}`);
        else if (m.step > this.planStep && m.step > 2 * this.total) this.sink.newRun(n, `its step lines' total goes from ${this.total} to ${m.total} and its steps jump from ${this.planStep} to ${m.step}, past that plan's end`);
      }
      this.planStep = m.step;
      // (A total the banner gave and the step lines repeat is the step lines'.)
      this.planned(m.step, m.total, n, m.total !== this.total || this.totalWord === STEPS_BANNER ? counterWord(m.counter) : this.totalWord);
    }
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    const any = textPairs(m.rest, rec, (key) => {
      const low = key.toLowerCase();
      if (low === 'step' || low === 'steps' || low === 'iter') return undefined;
      // (An evaluation's own count in its lead, Transformer-XL's `| Eval   3 at step 12000 |`, is no metric.)
      if (evalLine && /^(?:validation|valid|val|eval|evaluation|test)$/.test(low)) return undefined;
      if (keys) key = keys.get(key) ?? key;
      return evalLine ? evalKey(key) : key;
    });
    // The epoch before the counter, when no `epoch: N` pair named it (`[Epoch 3/300][Iter: …]`); the
    // words before it are no metric's name (NeMo's `Training epoch 0, iteration 1/99 | …` had given a
    // column "Training_epoch").
    if (ep) {
      for (const k of Object.keys(rec)) if ((/[ _]epoch$/i.test(k) || /^ep$/i.test(k)) && rec[k] === Number(ep[1])) delete rec[k];
    }
    if (ep && !Object.keys(rec).some((k) => k.toLowerCase() === 'epoch')) rec.epoch = Number(ep[1]);
    else if (typeof rec.epoch === 'number' && Number.isFinite(rec.epoch) && rec.epoch >= 0 && rec.epoch < 1e6 && !evalLine) {
      const pe = (this.epochPairs ??= { first: rec.epoch, last: rec.epoch, fractional: false });
      pe.first = Math.min(pe.first, rec.epoch);
      pe.last = rec.epoch;
      if (!Number.isInteger(rec.epoch)) pe.fractional = true;
    }
    if (!evalLine) this.dropEchoes(rec, n);
    // TransReID's processor.py: `loss_meter.reset()` as each epoch begins, `loss_meter.update(loss.item(),
    // img.shape[0])` each iteration, `loss_meter.avg` logged every LOG_PERIOD iterations as `(n_iter + 1)`.
    if (ep && !evalTag && !evalLine && m.lead !== undefined && TRANSREID_LEAD_RE.test(m.lead.slice(-200))) this.epochMean(rec, 'Loss', Number(ep[1]), m.step, n, 'TransReID\'s "Loss:"', 'its loss_meter.avg');
    if (any && this.firstEval && !evalLine) {
      for (const k of Object.keys(this.firstEval)) if (own(rec, k) === undefined) rec[k] = this.firstEval[k];
      this.firstEval = undefined;
    }
    if (any) { this.sink.add(rec, n, len); this.rowStep = step; }
  }
  /** The last running mean since its epoch began a console printed (epochMean): its epoch, the iterations it is over, its value. */
  private avgMeter: { epoch: number; count: number; avg: number } | undefined;
  /** The counter did not start again with an epoch: the means are not read as epochMean reads them. */
  private avgMeterOff = false;
  /**
   * A training loss printed as the running mean since the epoch began, an AverageMeter reset as each
   * epoch begins (`rec[key]`, over `count` iterations of `epoch`), made the mean over the row's own
   * logging interval. Fitted as printed, the curve was a sawtooth of cumulative means whose last value
   * is the last epoch's mean (a real SOLIDER-REID run: 11.714 at Epoch[1] Iter[180], 9.611 at Epoch[2]
   * Iter[20]). Two consecutive means of an epoch, a₀ over n₀ iterations and a₁ over n₁, give the exact
   * mean over the iterations between, (a₁n₁ − a₀n₀)/(n₁ − n₀) (the iterations weighing alike: batches of
   * one size); an epoch's first line is its own interval's mean. The row keeps its step. `said`: the
   * console and its printed name, for the note (`TransReID's "Loss:"`); `how`: the mean its source
   * prints.
   */
  private epochMean(rec: Rec, key: string, epoch: number, count: number, n: number, said: string, how: string): void {
    const avg = own(rec, key);
    if (typeof avg !== 'number' || !Number.isFinite(avg)) return;
    const prev = this.avgMeter;
    this.avgMeter = { epoch, count, avg };
    if (!(count > 0)) return;
    this.problems.once('epochmean', n, 'info', `${said} (line ${n} the first) is the running mean since the epoch began (${how}, reset each epoch): each row's loss is now the mean over its own logging interval, recovered exactly from two consecutive means (an epoch's first line is its first interval's)`);
    if (prev !== undefined && prev.epoch !== epoch && count > prev.count && !this.avgMeterOff) {
      // (The counter must start again as the epoch moves on: else the line is not the one read here.)
      this.avgMeterOff = true;
      this.problems.add('epochmeanoff', n, 'warning', `epoch ${epoch}'s iteration counter did not start again (line ${n}: ${count} after ${prev.count} in epoch ${prev.epoch}): ${said} is kept as printed from here on`);
    }
    if (this.avgMeterOff || prev === undefined || prev.epoch !== epoch) return;
    if (count <= prev.count) {
      this.problems.once('epochmeanback', n, 'info', `epoch ${epoch}'s iteration counter went back (line ${n}: ${count} after ${prev.count}) without a new epoch: the mean it prints is not over the iterations after the line before, so ${said} is kept as printed`);
      return;
    }
    rec[key] = (avg * count - prev.avg * prev.count) / (count - prev.count);
  }
  /** A held-out metric printed on its own line before the first step's (bareEval): added to that step's row. */
  private firstEval: Rec | undefined;
  /** The count of steps a banner printed before any row, as printed (`Steps: 30518`), when it planned the end. */
  private stepsSaid = '';
  /** An evaluation's head read on a line of its own (EVAL_HEAD_RE), waiting for its metrics' line. */
  private evalHead: { step: number; line: number } | undefined;
  /**
   * The line after an evaluation's head (`── EVAL step 2500 ──`): its `key=value` pairs are the
   * evaluation's at the head's step, held out by name (`loss=5.9729` → `val_loss`), when they name a
   * loss and the line has no step counter of its own (then it is a line of its own kind, read as such).
   */
  private evalBody(text: string, h: { step: number; line: number }, n: number, len: number): boolean {
    if (text.length > 4000 || !LOSS_WORD_RE.test(text) || stepOfLine(text)) return false;
    const metrics: Rec = Object.create(null) as Rec;
    if (!textPairs(text, metrics, (key) => evalKey(key))) return false;
    if (!Object.keys(metrics).some((k) => LOSS_WORD_RE.test(k) && typeof metrics[k] === 'number')) return false;
    const rec: Rec = Object.create(null) as Rec;
    rec.step = h.step;
    for (const k of Object.keys(metrics)) if (typeof metrics[k] === 'number') rec[k] = metrics[k];
    this.sink.add(rec, n, len);
    return true;
  }
  /**
   * A count of steps where a step counter would be, with no loss (STEPS_COUNT_RE: a hand-written loop's
   * banner `  Steps: 30518, Tokens: 1,000,013,824`, printed again at each launch of a real console):
   * no step's metrics, so no row (read as one, its row at step 30518 had made a restart at the next
   * step line and a "Tokens" column). Printed before any row, it is the planned end, unless a step
   * line's `N/T` says otherwise.
   */
  private stepsBanner(m: StepLine, n: number): void {
    const planned = this.sink.rowsRead === 0 && !(this.total > 0) && m.step > 0;
    const said = m.counter.trim().replace(/[,;:|]$/, '');
    if (planned) { this.planned(-1, m.step, n, STEPS_BANNER); this.stepsSaid = said; }
    this.problems.once('stepsbanner', n, 'info', `"${said}" counts steps and holds no loss: a banner, not a row${planned ? ` (${formatInteger(m.step)} the planned end, unless a step line's "N/T" says another)` : ''}`);
  }
  /** MLPerf's MLLOG: the benchmark, the global batch (sequences) and the sequence length its events gave. */
  private mllog: { benchmark?: string; gbs?: number; seq?: number; unstepped: number } | undefined;
  /**
   * One MLLOG event (the MLPerf training results' logs). `global_batch_size`, `max_sequence_length`
   * and `submission_benchmark` are kept; `opt_learning_rate_training_steps` plans the run;
   * `train_loss` and `eval_accuracy` are rows at their step: `step_num`, else `samples_count` over the
   * global batch, else `epoch_num` over the tokens a step takes (the GPT-3 benchmark counts its
   * evaluations in tokens), each only when it divides exactly. The GPT-3 and LLaMA-2 70B LoRA
   * benchmarks' `eval_accuracy` is a held-out loss (log perplexity, the eval loss), named `val_loss`;
   * any other's stays `eval_accuracy`.
   */
  private mllogLine(json: string, n: number, len: number): void {
    if (json.length > 100_000) return;
    let e: unknown;
    try { e = JSON.parse(json); } catch { return; }
    if (!e || typeof e !== 'object' || Array.isArray(e)) return;
    const key = own(e as Record<string, unknown>, 'key'), value = own(e as Record<string, unknown>, 'value');
    const meta = own(e as Record<string, unknown>, 'metadata');
    const m = (this.mllog ??= { unstepped: 0 });
    const md = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
    const whole = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined);
    if (key === 'submission_benchmark' && typeof value === 'string') { m.benchmark = value.slice(0, 100); return; }
    if (key === 'global_batch_size') { m.gbs = whole(value); return; }
    if (key === 'max_sequence_length') { m.seq = whole(value); return; }
    if (key === 'opt_learning_rate_training_steps') { const t = whole(value); if (t) this.planned(-1, t, n, 'mllog'); return; }
    if ((key !== 'train_loss' && key !== 'eval_accuracy') || typeof value !== 'number' || !Number.isFinite(value)) return;
    const exact = (a: number | undefined, b: number | undefined): number | undefined => (a !== undefined && b && a % b === 0 ? a / b : undefined);
    const step = whole(own(md ?? {}, 'step_num')) ?? exact(whole(own(md ?? {}, 'samples_count')), m.gbs) ??
      exact(whole(own(md ?? {}, 'epoch_num')), m.gbs && m.seq ? m.gbs * m.seq : undefined);
    if (step === undefined) {
      if (m.unstepped++ === 0) this.problems.add('mllognostep', n, 'info', `an MLLOG "${key}" event with no step: no step_num, and no samples_count or epoch_num that the global batch${m.gbs ? '' : ' (not logged before it)'} divides; such events are skipped`);
      return;
    }
    const rec: Rec = Object.create(null) as Rec;
    rec.step = step;
    rec[key === 'train_loss' ? 'train_loss' : MLPERF_LOSS_EVALS.has(m.benchmark ?? '') ? 'val_loss' : 'eval_accuracy'] = value;
    this.sink.add(rec, n, len);
  }
  /** The value each held-out metric last had on a training step line, and whether the echo was said. */
  private evalEcho: { last: Map<string, number>; said: boolean } | undefined;
  /**
   * A held-out metric on a training line that repeats its value on the line before it is the last
   * evaluation printed again (NeMo's `Training epoch 0, iteration 63/99 | … | val_loss: 1.619`, on
   * every line after a validation; Lightning's bar metrics): kept once, at its first line, and said.
   * (The last value is remembered from the lines of training metrics only.)
   */
  private dropEchoes(rec: Rec, n: number): void {
    // Only beside a training metric: a line of the evaluation alone is an evaluation, even of the
    // same value (llm.c's last `s:19560 tel:3.2722` after `s:19250 tel:3.2722`).
    const keys = Object.keys(rec);
    if (!keys.some((k) => k !== 'step' && k !== 'epoch' && !HELD_OUT_NAME_RE.test(k))) return;
    for (const key of keys) {
      if (!HELD_OUT_NAME_RE.test(key)) continue;
      const v = rec[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const e = (this.evalEcho ??= { last: new Map(), said: false });
      if (e.last.get(key) === v) {
        delete rec[key];
        if (!e.said) {
          e.said = true;
          this.problems.add('evalecho', n, 'info', `"${key}" repeats its last value on the training lines after it (the last evaluation printed again, as NeMo and Lightning do): each value is kept once, at its first line`);
        }
      } else e.last.set(key, v);
    }
  }
  /**
   * tqdm bars whose postfix carries the loss: each refresh (a `\r`-separated piece) is a row at the
   * bar's count. A bar whose description names an epoch (`Epoch 3:`, Lightning) counts within the
   * epoch: the counts of the epochs before are added; a `global_step=` in the postfix (NeMo) is the
   * step as it stands. A bar without an epoch (diffusers' `Steps:`) counts the run: its total is the
   * planned end.
   */
  private pf: { epoch: number; offset: number; max: number } | undefined;
  private postfixLine(text: string, n: number): boolean {
    let any = false;
    // A bar is often drawn twice a step (the count, then the metrics): a run of refreshes at one
    // step is one row, its last.
    let pending: { rec: Rec; len: number } | undefined;
    const flush = () => { if (pending) this.sink.add(pending.rec, n, pending.len); pending = undefined; };
    let lineMax = -Infinity;
    for (const seg of text.split('\r')) {
      const m = tqdmLossSegment(seg.slice(0, 8192));
      if (!m) continue;
      // (Lightning's `v_num` is the logger's version, not a metric.)
      const { rec } = pairsRow(TQDM_PAIR_RE, m[4], 'v_num', (k) => k.trim().replace(/\s+/g, '_'));
      // kohya's sd-scripts draw `avr_loss=` (a real SD-1.5 LoRA console: `100/2000 [… avr_loss=0.0725]`):
      // its LossRecorder's moving average, not the step's loss: said, as the running means of other logs are.
      if (own(rec, 'avr_loss') !== undefined) this.problems.once('avrloss', n, 'info', `"avr_loss" (the progress bar's postfix, line ${n} the first) is sd-scripts' moving average of the loss, not the step's own: the mean over every step so far in the first epoch, then over the last epoch's worth of steps (its LossRecorder keeps one loss per step of an epoch); a law fitted to it follows a smoothed curve that lags the loss`);
      const count = Number(m[2]), total = Number(m[3]);
      const e = /(?:^|\s)epoch\s*(\d{1,6})\b/i.exec(m[1]);
      const tt = TORCHTUNE_DESC_RE.exec(m[1]);
      const pf = (this.pf ??= { epoch: -1, offset: 0, max: 0 });
      let step: number;
      if (tt) {
        // torchtune: the description's step is the global one (the bar counts within the epoch).
        step = Number(tt[2]);
        rec.loss = Number(tt[3]);
        rec.epoch = Number(tt[1]);
      } else if (typeof rec.global_step === 'number' && Number.isFinite(rec.global_step)) {
        step = rec.global_step;
        delete rec.global_step;
      } else if (e) {
        const epoch = Number(e[1]);
        if (epoch > pf.epoch) {
          if (pf.epoch >= 0) pf.offset += pf.max;
          pf.epoch = epoch; pf.max = 0;
        }
        pf.max = Math.max(pf.max, count);
        step = pf.offset + count;
      } else {
        step = count;
        this.planned(count, total, n, 'tqdm');
      }
      if (e) rec.epoch = Number(e[1]);
      // One line's refreshes only go forward: a count below one drawn before it on the same line is
      // another process's bar (a real multi-host Levanter run's 8 workers draw into one stream).
      if (step < lineMax) continue;
      lineMax = step;
      rec.step = step;
      if (pending && pending.rec.step !== step) flush();
      pending = { rec, len: seg.length };
      any = true;
    }
    flush();
    return any;
  }
  /**
   * fairseq's console (FAIRSEQ_INNER_RE, FAIRSEQ_SUMMARY_RE, FAIRSEQ_JSON_RE): the training lines are
   * the curve, at their `num_updates`; a validation line's metrics are `valid_…` at its update. An
   * epoch's summary (the epoch's mean) is left out once training lines come, and is the curve when
   * they do not (a log_interval longer than an epoch). Per-batch sizes (ntokens…) are not metrics.
   */
  private fs: { inner: boolean; epoch?: number; epochStep?: number; perEpoch?: number } | undefined;
  private fairseqLine(text: string, n: number): boolean {
    let tag: string, epoch: number, pairs: Array<[string, unknown]>;
    let within: number | undefined, size: number | undefined;
    const j = text.includes('][') ? FAIRSEQ_JSON_RE.exec(text) : null;
    if (j) {
      let o: unknown;
      try { o = JSON.parse(j[2]); } catch { return false; }
      if (!o || typeof o !== 'object' || Array.isArray(o)) return false;
      tag = j[1];
      pairs = Object.entries(o as Record<string, unknown>);
      const e = (o as Record<string, unknown>).epoch;
      epoch = typeof e === 'number' ? e : Number(e);
    } else {
      const m = FAIRSEQ_INNER_RE.exec(text);
      if (m) {
        tag = 'train_inner'; epoch = Number(m[1]); within = Number(m[2]); size = Number(m[3]);
        pairs = m[4].split(',').map((p) => { const eq = p.indexOf('='); return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as [string, unknown]; }).filter(([k]) => k !== '');
      } else {
        const sm = FAIRSEQ_SUMMARY_RE.exec(text);
        if (!sm || !/num_updates \d/.test(sm[3])) return false;
        const parts = sm[3].split('|').map((p) => p.trim());
        const valid = sm[1] === 'valid' || parts[0].startsWith('valid on ');
        if (!valid && sm[1] !== undefined && sm[1] !== 'train') return false;
        tag = valid ? 'valid' : 'train'; epoch = Number(sm[2]);
        pairs = parts.map((p) => { const sp = p.lastIndexOf(' '); return [p.slice(0, sp).trim(), p.slice(sp + 1)] as [string, unknown]; }).filter(([k]) => /^[A-Za-z_][\w]*$/.test(k));
      }
    }
    const fs = (this.fs ??= { inner: false });
    if (tag === 'train_inner') fs.inner = true;
    else if (tag === 'train' && fs.inner) return true;
    const prefix = tag === 'valid' ? 'valid_' : tag === 'train' ? 'train_' : '';
    const rec: Rec = Object.create(null) as Rec;
    let step: number | undefined, update: number | undefined;
    for (const [k0, v0] of pairs) {
      const k = prefix && k0.startsWith(prefix) ? k0.slice(prefix.length) : k0;
      const v = typeof v0 === 'number' ? v0 : typeof v0 === 'string' && /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^(?:nan|-?inf)$/i.test(v0.trim()) ? printedNumber(v0.trim()) : undefined;
      if (v === undefined) continue;
      if (k === 'num_updates') { step = v; continue; }
      if (k === 'update' && j) { update = v; continue; }
      // Per-batch sizes (the tokens of one update is not the tokens seen), a running best, the epoch (set below).
      if (/^(ntokens|nsentences|sample_size|epoch)$|^best_/.test(k)) continue;
      rec[tag === 'valid' ? `valid_${k}` : k] = v;
    }
    if (step === undefined && within !== undefined && size !== undefined && epoch >= 1) step = (epoch - 1) * size + within;
    if (step === undefined || !Number.isFinite(step)) return true;
    if (tag !== 'valid') {
      // Passes so far: the update within the epoch over the updates an epoch takes (json: "update").
      const at0 = within !== undefined && size ? epoch - 1 + within / size : update;
      const at = at0 === undefined ? undefined : Math.round(at0 * 1000) / 1000;
      if (at !== undefined && Number.isFinite(at)) { rec.epoch = at; fs.epoch = at; fs.epochStep = step; }
      if (size) fs.perEpoch = size;
    }
    rec.step = step;
    this.sink.add(rec, n, text.length);
    return true;
  }
  /** fairseq's planned end: `max_update=100000` in its Namespace dump, `'max_update': 400000` in hydra's config (0: none). */
  private fairseqPlan(text: string, n: number): void {
    const m = /(?:[\s(,]max_update=|'max_update':\s{0,4})(\d{1,12})(?!\d)/.exec(text);
    if (m && Number(m[1]) > 0) this.planned(-1, Number(m[1]), n, 'max_update');
  }
  /** The log, with the planned last step its step lines state. */
  private withPlan(log: ParsedLog): ParsedLog {
    if (this.total > 0) {
      const zero = this.fromZero && !this.reachedTotal;
      const last = zero ? this.total - 1 : this.total;
      const source = this.totalWord === 'bar' || this.totalWord === 'tqdm'
        ? `the ${this.totalWord === 'bar' ? 'Trainer\'s ' : ''}progress bar ("N/${this.total}", line ${this.totalLine})`
        // (The Trainer's when its dicts are the rows; diffusers' and ColossalAI's example scripts print the
        // same "***** Running training *****" block with their own logger, as a real DreamBooth console does.)
        : this.totalWord === 'banner' ? `${this.hf ? "the Trainer's" : 'the training'} banner ("${this.bannerWord} = ${this.total}", line ${this.totalLine})`
        : this.totalWord === 'summary' ? `the Trainer's closing summary (train_runtime × train_steps_per_second ≈ ${this.total}, line ${this.totalLine})`
        : this.totalWord === 'max_update' ? `fairseq's max_update = ${this.total} (line ${this.totalLine})`
        : this.totalWord === 'dsbanner' && this.dsBanner && this.dsGas ? `the script's banner ("${this.bannerWord} = ${this.dsBanner.micro}", line ${this.dsBanner.line}), which counts its 'step' (micro-batches${this.dsLastScript !== undefined ? `: 'step' ${this.dsLastScript} the last printed` : ''}), ÷ ${this.dsGas.n} (DeepSpeed's gradient_accumulation_steps) = ${this.total} optimizer steps`
        : this.totalWord === 'dschat' ? `DeepSpeed-Chat's "Evaluating perplexity, Epoch N/E" lines: E epochs of the steps the first took (line ${this.totalLine})`
        : this.totalWord === 'mllog' ? `MLPerf's opt_learning_rate_training_steps = ${this.total} (line ${this.totalLine})`
        : this.totalWord === STEPS_BANNER ? `the log's banner ("${this.stepsSaid}", line ${this.totalLine})`
        : this.totalWord === 'epochs' && this.ep?.base ? `${this.ep.ofSaid ? this.ep.ofSaid : `the log's epoch counter ("epoch N/${this.ep.of}")`}: ${formatInteger(this.ep.base.step)} steps before epoch ${this.ep.base.epoch}, then ${this.ep.per} steps an epoch (its step counter's total from line ${this.totalLine} on)`
        : this.totalWord === 'epochs' && this.ep ? `${this.ep.ofSaid ? this.ep.ofSaid : `the log's epoch counter ("epoch N/${this.ep.of}")`} × ${this.ep.per} steps an epoch (its step counter's total, line ${this.totalLine})`
        : this.totalWord === 'keras' && this.keras ? `Keras' "Epoch N/${this.keras.epochs}" lines × ${this.keras.per} steps an epoch (line ${this.totalLine})`
        : this.totalWord.endsWith(' (total)') ? `the log's step lines ("${this.totalWord.slice(0, -8)}: N (total: ${this.total})", line ${this.totalLine})`
        : `the log's step lines ("${this.totalWord} N/${this.total}", line ${this.totalLine}${zero ? `; counted from 0, so the last is ${this.totalWord} ${last}` : ''})`;
      if (last > 0) log.run = { ...(log.run ?? {}), plannedSteps: { steps: last, source } };
    }
    // A Coqui Trainer's epochs and the steps each takes.
    this.coquiPlan(log);
    this.rwkvPlan(log);
    // A GAN loss log's whole loss, epochs and the images each takes.
    this.ganPlan(log);
    this.litPlan(log);
    this.lit23Plan(log);
    this.leRobotPlan(log);
    this.flairPlan(log);
    this.mxPlan(log);
    this.caffePlan(log);
    this.tfPlan(log);
    this.sfPlan(log);
    // spaCy said its training ended after its table's last row: the run's end is that row's step.
    if (this.spacyEnd && !log.run?.plannedSteps) {
      log.run = { ...(log.run ?? {}), plannedSteps: { steps: this.spacyEnd.step, source: `"Saved pipeline to output directory" (line ${this.spacyEnd.line}): spaCy ended training after its last row (by max_steps, max_epochs or its patience)` } };
    }
    // fairseq's epoch counter: the updates an epoch takes are printed (`100 / 1132`).
    const fs = this.fs;
    if (fs?.epoch !== undefined && fs.epochStep !== undefined) {
      const e = epochsFromFraction(fs.epoch, fs.epochStep, this.total > 0 ? this.total : undefined, "fairseq's epoch counter");
      if (e) log.run = { ...(log.run ?? {}), epochsLogged: fs.perEpoch ? { ...e, stepsPerPass: fs.perEpoch } : e };
    }
    // Epochs written before the step counter (EPOCH_LEAD_RE): the passes (planned when the epoch
    // says of how many, else as far as seen) and the steps one takes.
    const ep = this.ep;
    // (A resumed run's one epoch logged is a pass of the epoch's length, after the checkpoint's.)
    if (ep && (ep.last > ep.first || (ep.resumed && ep.within) || ep.stated)) {
      const a = ep.firstStep.get(ep.first)!, b = ep.firstStep.get(ep.last)!;
      const per = ep.within ? ep.per! : (b - a) / (ep.last - ep.first);
      const base = ep.first === 0 ? 1 : 0;
      const count = ep.of ?? ep.last + base;
      const resumed = ep.resumed ? `; resumed after epoch ${ep.resumed.epoch}, line ${ep.resumed.line}` : '';
      if (per > 0) {
        log.run = { ...(log.run ?? {}), epochsLogged: { count, source: ep.ofSaid ? ep.ofSaid : ep.of ? `the log's epoch counter ("epoch ${ep.latest ?? ep.last}/${ep.of}")` : `the log's epoch counter (epochs ${ep.first} to ${ep.last}${resumed})`, stepsPerPass: per } };
        if (!log.run.plannedSteps && ep.of && !ep.within) log.run.plannedSteps = { steps: Math.round(ep.of * per), source: `${ep.ofSaid ?? `the log's epoch counter ("epoch N/${ep.of}")`} × ${Number(per.toPrecision(4))} steps an epoch (between the first steps of epochs ${ep.first} and ${ep.last})` };
      }
    }
    // PaddleOCR's word of an epoch's iterations, where the log did not go past one epoch: the planned end.
    const li = this.loaderIters;
    if (ep && ep.of && !ep.within && li && !log.run?.plannedSteps) {
      log.run = { ...(log.run ?? {}), plannedSteps: { steps: ep.of * li.count, source: `the log's epoch counter ("epoch N/${ep.of}") × "train dataloader has ${li.count} iters" (line ${li.line})` } };
      if (!log.run.epochsLogged) log.run.epochsLogged = { count: ep.of, source: `the log's epoch counter ("epoch ${ep.latest ?? ep.last}/${ep.of}")`, stepsPerPass: li.count };
    }
    // Epoch summary lines: an epoch is a step; the epochs planned (`Epoch N/T`) end the run.
    const er = this.epochRows;
    const batches = er.rows > 0 && er.rows === this.sink.rowsRead && !er.yolo ? withBatchSteps(log) : undefined;
    if (batches && er.last !== undefined && er.first !== undefined) {
      // Their batches' lines behind the epoch alone: a line is a step, an epoch the lines it takes.
      log = batches.log;
      const count = er.of ?? er.last + (er.first === 0 ? 1 : 0);
      const per = batches.perEpoch;
      const lines = `"${batches.loss}" lines, ${formatInteger(per)} an epoch`;
      log.run = { ...(log.run ?? {}), epochsLogged: { count, source: er.of ? `the log's epoch lines ("Epoch N/${er.of}", line ${er.ofLine}) of ${lines}` : `the log's epoch lines (epochs ${er.first} to ${er.last}) of ${lines}`, stepsPerPass: per } };
      if (er.of && !log.run.plannedSteps) log.run.plannedSteps = { steps: er.of * per, source: `the log's epoch lines ("Epoch N/${er.of}", line ${er.ofLine}) × ${formatInteger(per)} "${batches.loss}" lines an epoch` };
    } else if (er.rows > 0 && er.rows === this.sink.rowsRead && er.last !== undefined && er.first !== undefined) {
      const base = er.first === 0 ? 1 : 0;
      const count = er.of ?? er.last + base;
      const said = er.yolo ? `the results.txt rows ("epoch/${(er.of ?? 0) - 1}", line ${er.ofLine}, counted from 0)` : er.said ?? `the log's epoch lines ("Epoch N/${er.of}", line ${er.ofLine})`;
      if (count > 1) log.run = { ...(log.run ?? {}), epochsLogged: { count, source: er.of ? said : `the log's epoch lines (epochs ${er.first} to ${er.last})`, stepsPerPass: 1 } };
      if (er.of && !log.run?.plannedSteps) {
        const last = er.first === 0 ? er.of - 1 : er.of;
        log.run = { ...(log.run ?? {}), plannedSteps: { steps: last, source: `${said}: one step an epoch` } };
      }
    }
    // Keras' epochs: the passes planned, and the steps each takes (its progress bar's target).
    const k = this.keras;
    if (k && k.per > 0 && this.total > 0) log.run = { ...(log.run ?? {}), epochsLogged: { count: k.epochs, source: `Keras' "Epoch ${k.epoch}/${k.epochs}" lines`, stepsPerPass: k.per } };
    // A scheduler's own word that it cut the LR (it can again), else Keras' LR column.
    const cuts = this.lrCut
      ? `the log says the LR was cut when a metric stalled ("${this.lrCut.said}", line ${this.lrCut.line})`
      : k ? kerasLrCuts(log.columns.map((c) => c.name), "Keras' console") : undefined;
    if (cuts) log.run = { ...(log.run ?? {}), lrCuts: cuts };
    if (this.averagedFrom) log.run = { ...(log.run ?? {}), averagedFrom: this.averagedFrom };
    this.nanoEpochPlan(log);
    this.onmtPassesOf(log);
    // Megatron's / GPT-NeoX's planned passes over the training data (a run over repeated data when more than one).
    if (this.dataEpochs !== undefined && this.dataEpochs > 1 && !log.run?.epochsLogged) {
      log.run = { ...(log.run ?? {}), epochsLogged: { count: this.dataEpochs, source: `"total number of epochs: ${this.dataEpochs}" (the training data's passes the planned iterations take, as the data builder printed it)` } };
    }
    // Marian's epochs.
    const mr = this.marian;
    if (mr && mr.last > mr.first) {
      const e = epochsSeen({ first: mr.first, last: mr.last, fractional: false }, undefined, 'Marian\'s "Ep." counter');
      if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
    }
    // A Trainer console's epoch: the passes the run is set for (as tail.ts reads an epoch column).
    const hf = this.hf;
    if (hf?.epoch !== undefined && hf.epochStep !== undefined) {
      const e = epochsFromFraction(hf.epoch, hf.epochStep, this.total > 0 ? this.total : undefined, "the Trainer's printed \"epoch\"");
      if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
    }
    // Else an epoch printed as a metric on each line (SpeechBrain's `epoch: 3, …, steps: 6018 - train
    // loss: …`): the passes it counts, as a CSV's epoch column.
    const pe = this.epochPairs;
    if (!log.run?.epochsLogged && pe) {
      const e = epochsSeen(pe, undefined, 'the "epoch" its lines print');
      if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
    }
    return log;
  }
  /** The `epoch` its step lines print as a metric: the first and last seen (whole or fractional). */
  private epochPairs: { first: number; last: number; fractional: boolean } | undefined;
  override end(): ParsedLog {
    this.flushBlock();
    this.hfFlush();
    this.mxFlush();
    return this.refuseLossless(this.refuseUnstepped(this.withPlan(super.end())));
  }
  /** Trainer dicts without bars whose steps nothing gives, and nothing else read: refused, saying why (a whole read and a live one alike). */
  private refuseUnstepped(log: ParsedLog): ParsedLog {
    if (log.rows === 0 && (this.hf?.unstepped ?? 0) > 0) throw new LogReadError(`${baseName(log.file)}: ${HF_NO_STEPS}`);
    return log;
  }
  override snapshot(): ParsedLog | undefined {
    // A Composer block still open is the log's last row, and held Trainer dicts are rows, as a whole
    // read has them: added to a fork.
    if ((this.block && this.block.fields > 0) || (this.hf && this.hf.held.length > 0) || (this.mx && this.mx.held.length > 0)) {
      const f = this.fork();
      f.flushBlock();
      f.hfFlush();
      f.mxFlush();
      const log = f.snapshotOwn();
      return log && f.refuseLossless(f.refuseUnstepped(f.withPlan(log)));
    }
    const log = super.snapshot();
    return log && this.refuseLossless(this.withPlan(log));
  }
  private snapshotOwn(): ParsedLog | undefined { return super.snapshot(); }
  override fork(): TextReader {
    const f = super.fork() as TextReader;
    if (this.block) f.block = { ...this.block, rec: Object.assign(Object.create(null) as Rec, this.block.rec) };
    if (this.pf) f.pf = { ...this.pf };
    if (this.fs) f.fs = { ...this.fs };
    if (this.coqui) f.coqui = { ...this.coqui, starts: new Map(this.coqui.starts) };
    if (this.gan) f.gan = { ...this.gan };
    if (this.lit) f.lit = { ...this.lit, args: new Map(this.lit.args) };
    if (this.lit23) f.lit23 = { ...this.lit23 };
    if (this.lerobot) f.lerobot = { ...this.lerobot };
    if (this.hf) f.hf = { ...this.hf, held: this.hf.held.map((r) => ({ ...r, rec: Object.assign(Object.create(null) as Rec, r.rec) })) };
    f.banner = { ...this.banner };
    if (this.evalEcho) f.evalEcho = { last: new Map(this.evalEcho.last), said: this.evalEcho.said };
    if (this.firstEval) f.firstEval = Object.assign(Object.create(null) as Rec, this.firstEval);
    if (this.rwkv) f.rwkv = { ...this.rwkv };
    f.flairParams = { ...this.flairParams };
    if (this.flair) f.flair = { ...this.flair };
    if (this.mx) f.mx = { ...this.mx, held: this.mx.held.map((h) => ({ ...h, rec: Object.assign(Object.create(null) as Rec, h.rec) })), losses: this.mx.losses.slice(), others: this.mx.others.slice(), validations: this.mx.validations.slice() };
    if (this.caffe) f.caffe = { ...this.caffe };
    if (this.tf) f.tf = { ...this.tf };
    if (this.sf) f.sf = { ...this.sf };
    // (The epoch counters change as lines come: the fork that reads a line still being written has its own.)
    if (this.ep) f.ep = { ...this.ep, firstStep: new Map(this.ep.firstStep) };
    f.epochRows = { ...this.epochRows };
    if (this.keras) f.keras = { ...this.keras };
    if (this.epochPairs) f.epochPairs = { ...this.epochPairs };
    return f;
  }
}

/**
 * A held-out metric alone on its line, with no step: `validation loss: 3.8213` (build-nanogpt's
 * console, a hand-written loop's `Val loss: 0.23`; `test loss` as `test_loss`), build-nanogpt's
 * `HellaSwag accuracy: 2497/10042=0.2487` (as its log.txt names it). Anchored and bounded: linear.
 */
const BARE_EVAL_RE = /^(validation|valid|val|eval|dev|test)[ _]loss[ \t]{0,4}[:=][ \t]{0,4}([-+]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][-+]?\d{1,3})?)[ \t]*$/i;
const HELLASWAG_RE = /^HellaSwag accuracy: \d{1,12}\/\d{1,12}=(\d{1,3}(?:\.\d{1,20})?)[ \t]*$/;
function bareEval(text: string): Rec | undefined {
  const c = text.charCodeAt(0) | 32;
  if (c !== 118 /* v */ && c !== 101 /* e */ && c !== 100 /* d */ && c !== 116 /* t */ && c !== 104 /* h */) return undefined;
  const rec = Object.create(null) as Rec;
  const v = BARE_EVAL_RE.exec(text);
  if (v) { rec[/^test$/i.test(v[1]) ? 'test_loss' : 'val_loss'] = Number(v[2]); return rec; }
  const h = HELLASWAG_RE.exec(text);
  if (h) { rec.hellaswag_acc_norm = Number(h[1]); return rec; }
  return undefined;
}

/** Most metric lines kept from one Composer block. */
const MAX_BLOCK_FIELDS = 1000;
/**
 * The steps of Trainer dicts printed without a bar, from their epoch × `spe`. The logging interval
 * is the median gap between the training dicts; each step is rounded to it. When the epoch is printed
 * more coarsely than the dicts come (2 decimals of a 625-step epoch logged every step: six dicts at
 * "0.01"), that would give two dicts one step: the dicts are then counted in order instead, within
 * each stretch without a jump (a log cut by hand), the interval being the stretches' span over their
 * dicts, each stretch placed where its epochs say on average (not past `total`, the run's last step
 * when known). An evaluation takes the step of the
 * training dict before it.
 */
/** The most decimals a printed epoch of `held` has (at most 12). */
function epochDecimals(held: readonly HfRow[]): number {
  let dec = 0;
  for (const r of held) { const t = String(r.epoch); const d = t.includes('e') ? 12 : t.includes('.') ? t.length - t.indexOf('.') - 1 : 0; if (d > dec) dec = d; }
  return Math.min(12, dec);
}

function bareSteps(held: readonly HfRow[], spe: number, total: number): { steps: number[]; ls: number; counted: boolean } {
  const train = held.map((r, k) => ('loss' in r.rec ? k : -1)).filter((k) => k >= 0);
  const raw = held.map((r) => r.epoch! * spe);
  const gaps = train.slice(1).map((k, i) => raw[k] - raw[train[i]]).filter((g) => g > 0).sort((a, b) => a - b);
  let ls = gaps.length ? Math.round(gaps[Math.floor(gaps.length / 2)]) : 0;
  // An epoch printed coarsely (2 decimals of a 181-step run: 1.81 steps) makes single gaps 9.05 or
  // 10.86 for an interval of 10: the mean gap over the whole run says it, when no gap is far above it
  // (a stretch cut out of the log).
  if (gaps.length >= 4) {
    const mean = (raw[train[train.length - 1]] - raw[train[0]]) / (train.length - 1);
    const res = Math.pow(10, -epochDecimals(held)) * spe;
    if (res > 0.5 && Math.round(mean) !== ls && Math.abs(mean - ls) <= res && gaps[gaps.length - 1] <= mean + 2 * res) ls = Math.round(mean);
  }
  const slack = Math.max(0.5, 0.0051 * spe);
  const steps = raw.map((v, k) => {
    const snapped = ls > 0 ? Math.round(v / ls) * ls : Math.round(v);
    // A training dict's epoch counts the batches seen over a pass's batches, while the run's total
    // counts each pass's last, partial accumulation as a whole step: `spe` is then up to a step
    // above the true steps a pass, and v up to one step a pass above its step (a real LLaMA-Factory
    // DPO console: 1,355 examples in 16-example steps, 84.7 a pass, 170 in all; its dict at step 70
    // printed epoch 0.83, 70.55 here). Allowed while the interval still tells the steps apart.
    const e = held[k].epoch ?? 0;
    const above = 'loss' in held[k].rec && e > 0 && slack + e < ls / 2 ? e : 0;
    return snapped > 0 && snapped - v <= slack && v - snapped <= slack + above ? snapped : Math.round(v);
  });
  let clash = false;
  for (let i = 1; i < train.length && !clash; i++) clash = steps[train[i]] <= steps[train[i - 1]];
  if (!clash) return { steps, ls, counted: false };
  // The epoch's printed resolution in steps: 10^−decimals × spe (the most decimals printed).
  const res = Math.max(1, Math.pow(10, -epochDecimals(held)) * spe);
  // Stretches: cut where the epoch jumps by more than a few resolutions (lines cut out of the log).
  const stretches: number[][] = [];
  for (const k of train) {
    const cur = stretches[stretches.length - 1];
    if (cur && raw[k] - raw[cur[cur.length - 1]] <= 4 * res) cur.push(k);
    else stretches.push([k]);
  }
  let span = 0, count = 0;
  for (const st of stretches) if (st.length >= 2) { span += raw[st[st.length - 1]] - raw[st[0]]; count += st.length - 1; }
  ls = count > 0 ? Math.max(1, Math.round(span / count)) : 1;
  const out = steps.slice();
  for (const st of stretches) {
    let off = 0;
    st.forEach((k, j) => { off += raw[k] - ls * j; });
    let a = Math.round(off / st.length / ls) * ls;
    // Not past the run's last step (the last stretch of a finished run ends there).
    if (total > 0) a = Math.min(a, total - ls * (st.length - 1));
    a = Math.max(ls, a);
    st.forEach((k, j) => { out[k] = a + ls * j; });
  }
  // Evaluations: at the step of the training dict before them (else their own rounded epoch).
  let prev: number | undefined;
  for (let k = 0; k < held.length; k++) {
    if ('loss' in held[k].rec) prev = out[k];
    else if (prev !== undefined) out[k] = prev;
  }
  return { steps: out, ls, counted: true };
}

/** Most Trainer dicts printed before the first progress bar of a log that has bars (more: a log without bars, whose last bar is a final redraw). */
const MAX_DICTS_BEFORE_BAR = 3;
/** Most Trainer dicts held for a buffered console log before they are added with the steps known so far. */
const MAX_HF_HELD = 200_000;

/** A Trainer console dict read, with the training bar's count when it was printed. */
interface HfRow { rec: Rec; line: number; len: number; count: number; epoch?: number }

/**
 * A text line's `key: value` pairs (TEXT_PAIR_RE) into `rec`, each key as printed with its spaces as
 * underscores, then as `keyOf` names it (undefined: not kept); a value that starts like a number is
 * one. Whether any pair was kept.
 */
function textPairs(text: string, rec: Rec, keyOf: (key: string) => string | undefined): boolean {
  TEXT_PAIR_RE.lastIndex = 0;
  let p: RegExpExecArray | null;
  let any = false;
  while ((p = TEXT_PAIR_RE.exec(text))) {
    // NeMo's `train_step_timing in s: 0.25`: the unit stays in the name, as its progress bar's pairs have it.
    const key = keyOf(p.groups!.key.trim().replace(/\s+/g, '_') + (p.groups!.inunit ? `_in_${p.groups!.inunit}` : ''));
    if (key === undefined) continue;
    // A list of several values is one value per parameter group for an LR (the first group's is the
    // run's LR, as its scheduler sets it); of anything else, no one value.
    if (p.groups!.open && p.groups!.more && !/lr|learning/i.test(key)) continue;
    const raw = p.groups!.value;
    rec[key] = /^[-+]?\d/.test(raw) || /^[-+]?\./.test(raw) ? Number(raw) : raw;
    any = true;
  }
  return any;
}

/**
 * The `key: value` pairs `re` finds in `text` (group 1 the key, named by `keyOf`; group 2 a number)
 * as a fresh row: the first of each key, `skip` left out, at most MAX_BLOCK_FIELDS.
 */
function pairsRow(re: RegExp, text: string, skip: string, keyOf: (k: string) => string = (k) => k): { rec: Rec; fields: number } {
  const rec: Rec = Object.create(null) as Rec;
  re.lastIndex = 0;
  let p: RegExpExecArray | null, fields = 0;
  while ((p = re.exec(text)) && fields < MAX_BLOCK_FIELDS) {
    const key = keyOf(p[1]);
    if (key === skip || Object.prototype.hasOwnProperty.call(rec, key)) continue;
    rec[key] = printedNumber(p[2]);
    fields++;
  }
  return { rec, fields };
}

function fmtSpe(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * A scheduler's message that it cut the LR because a metric stalled: Keras' ReduceLROnPlateau
 * (`Epoch 12: ReduceLROnPlateau reducing learning rate to 0.0005.`) and PyTorch's with verbose on
 * (`Epoch 00012: reducing learning rate of group 0 to 1.0000e-04.`). Literal phrases: linear.
 */
const LR_CUT_RE = /ReduceLROnPlateau reducing learning rate to|[Rr]educing learning rate of group \d{1,6} to/;

/** Top-level trainer_state.json numbers kept as the run's plan (log.run.params). */
const TRAINER_PLAN_KEYS = ['max_steps', 'num_train_epochs', 'epoch', 'global_step', 'logging_steps', 'eval_steps', 'save_steps', 'train_batch_size'] as const;

/** A reader of one JSON document: gathered whole (at most MAX_DOCUMENT), then read at end(). */
abstract class DocumentReader implements Reader {
  private parts: string[] = [];
  private size = 0;
  constructor(protected file: string, protected sink: RecordSink, protected problems: ProblemLog, protected startLine: number, private tooBig: string) {}
  push(text: string): void {
    this.size += text.length;
    if (this.size > MAX_DOCUMENT) throw new LogReadError(`${baseName(this.file)}: ${this.tooBig.replace('{MB}', String(MAX_DOCUMENT >> 20))}`);
    this.parts.push(text);
  }
  /** The document gathered (once). */
  protected whole(): string {
    const text = this.parts.join('');
    this.parts = [];
    return text;
  }
  /** Not valid JSON: said at the line the parser stopped, nothing read. */
  protected invalid(text: string, e: unknown): ParsedLog {
    const m = /position (\d+)/.exec(String((e as Error).message));
    const line = m ? newlines(text.slice(0, Number(m[1]))) + 1 + this.startLine : 0;
    this.problems.add('json', line, 'error', `not valid JSON (${(e as Error).message}); nothing read`);
    return this.sink.end();
  }
  /** Each object of `list` with its line (`lines`: 1-based, of the list's elements); anything else dropped, said as `what`. */
  protected eachRecord(list: unknown[], lines: number[], what: string, take: (rec: Rec, line: number) => void): void {
    list.forEach((entry: unknown, i) => {
      const line = lines[i] === undefined ? 0 : lines[i] + this.startLine;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        this.sink.rowsRead++;
        this.sink.drop(line, 'json', `${what} is not an object; skipped`);
        return;
      }
      take(entry as Rec, line);
    });
  }
  abstract end(): ParsedLog;
}

/** trainer_state.json is one JSON document: gathered, then `log_history` is read entry by entry. */
class TrainerStateReader extends DocumentReader {
  constructor(file: string, sink: RecordSink, problems: ProblemLog, startLine = 0) {
    super(file, sink, problems, startLine, 'a trainer_state.json over {MB} MB is not read whole; export the log history as JSONL');
  }
  end(): ParsedLog {
    const text = this.whole();
    let doc: unknown;
    try {
      doc = parseJsonLenient(text);
    } catch (e) {
      return this.invalid(text, e);
    }
    const hist = (doc as Rec | null)?.log_history;
    if (!Array.isArray(hist)) {
      this.problems.add('json', 0, 'error', 'no log_history array: not a Hugging Face trainer_state.json');
      return this.sink.end();
    }
    this.eachRecord(hist, entryLines(text), 'log_history entry', (rec, line) => {
      if ('train_runtime' in rec) {
        // The closing summary (train_loss = mean over the run), not a point on the curve.
        this.problems.add('summary', line, 'info', 'end-of-training summary entry (train_runtime, mean train_loss) left out of the curve');
        return;
      }
      this.sink.add(flatten(rec), line);
    });
    const log = this.sink.end();
    // The run's plan, written beside log_history at every checkpoint: max_steps (the planned last
    // step, computed by the Trainer from num_train_epochs when not set), num_train_epochs, epoch…
    const plan: [string, string][] = [];
    for (const k of TRAINER_PLAN_KEYS) {
      const v = own(doc as Rec, k);
      if (typeof v === 'number' && Number.isFinite(v)) plan.push([k, String(v)]);
    }
    if (plan.length) log.run = { ...(log.run ?? {}), params: [...(log.run?.params ?? []), ...plan] };
    // A dataset without a length (streamed): no planned epochs, but the logged epoch counts the passes.
    const nte = own(doc as Rec, 'num_train_epochs');
    if (typeof nte === 'number' && nte >= NO_EPOCH_LIMIT) {
      // From log_history itself, in its order (the epoch is not kept as a column beside the step).
      const steps: number[] = [], epochs: number[] = [];
      for (const rec of hist) {
        if (typeof rec !== 'object' || rec === null) continue;
        const st = (rec as Rec).step, ep = (rec as Rec).epoch;
        if (typeof st === 'number' && typeof ep === 'number') { steps.push(st); epochs.push(ep); }
      }
      const ms = own(doc as Rec, 'max_steps');
      const e = passesOfStream(steps, epochs, typeof ms === 'number' && ms > 0 ? ms : undefined, 'trainer_state.json\'s "epoch"');
      if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
    }
    return log;
  }
}

/** 1-based line of each element's opening brace in the top-level "log_history" array. */
function entryLines(text: string): number[] {
  const key = text.search(/"log_history"\s*:/);
  if (key < 0) return [];
  const open = text.indexOf('[', key);
  return open < 0 ? [] : arrayElements(text, open).lines;
}

/**
 * The objects of the JSON array that opens at text[open]: the 1-based line of each one's opening
 * brace and the index just past its closing brace (an element cut off by the end is not listed).
 */
function arrayElements(text: string, open: number): { lines: number[]; ends: number[] } {
  const lines: number[] = [], ends: number[] = [];
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < open; k = text.indexOf('\n', k + 1)) line++;
  let depth = 0, inStr = false, at = 0;
  for (let i = open; i < text.length; i++) {
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
      if (depth === 2 && ch === 123) at = line;
    } else if (ch === 93 || ch === 125) {
      depth--;
      if (depth === 1 && ch === 125) { lines.push(at); ends.push(i + 1); }
      if (depth === 0) break;
    }
  }
  return { lines, ends };
}

/**
 * A JSON document of a training history that is not a trainer_state.json: Keras's `History.history`
 * saved with json.dump (`{"loss": [...], "val_loss": [...], ...}`: one value per epoch, row k the
 * end of epoch k), or a list of per-epoch records (skorch's `history.json`: `[{"epoch": 1,
 * "train_loss": ..., "batches": [...]}, ...]`, arrays in a record left out). A list cut off while it
 * was written (a run stopped mid-save) is read up to its last complete record, and said so.
 */
class JsonHistoryReader extends DocumentReader {
  constructor(file: string, sink: RecordSink, problems: ProblemLog, startLine = 0) {
    super(file, sink, problems, startLine, 'a JSON document over {MB} MB is not read whole; write the history as JSONL (one record per line)');
  }
  end(): ParsedLog {
    let text = this.whole();
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const open = text.search(/\S/);
    let doc: unknown;
    try {
      doc = parseJsonLenient(text);
    } catch (e) {
      // A list of records cut off: its complete records.
      const els = open >= 0 && text[open] === '[' ? arrayElements(text, open) : undefined;
      if (els && els.ends.length > 0) {
        const cut = els.ends[els.ends.length - 1];
        try {
          doc = parseJsonLenient(text.slice(0, cut) + ']');
          const line = els.lines[els.lines.length - 1] + this.startLine;
          this.problems.add('json', line, 'warning', `the JSON list ends inside the record after this one (the file was cut off while written): read its ${els.ends.length} complete record(s)`);
        } catch { /* reported below */ }
      }
      if (doc === undefined) return this.invalid(text, e);
    }
    if (Array.isArray(doc)) {
      // The records' epochs, for a list whose step column keeps the epoch out of the columns (Chainer's
      // and ESPnet's LogReport: `epoch` beside `iteration`).
      const seen = { first: Infinity, last: NaN, fractional: false };
      this.eachRecord(doc, open >= 0 ? arrayElements(text, open).lines : [], 'list element', (entry, line) => {
        const rec: Rec = Object.create(null) as Rec;
        for (const k of Object.keys(entry)) {
          const v = entry[k];
          if (!Array.isArray(v)) rec[k] = v;
        }
        const ep = own(rec, 'epoch');
        if (typeof ep === 'number' && ep >= 0 && ep < 1e6) {
          if (ep < seen.first) seen.first = ep;
          if (!Number.isInteger(ep)) seen.fractional = true;
          seen.last = ep;
        }
        this.sink.add(flatten(rec), line);
      });
      return withEpochs(this.sink.end(), seen);
    }
    if (typeof doc !== 'object' || doc === null) {
      this.problems.add('json', 0, 'error', 'a JSON value that is neither a list of records nor an object of per-epoch lists; nothing read');
      return this.sink.end();
    }
    const sacred = sacredRows(doc as Rec);
    if (sacred) {
      const line = 1 + this.startLine;
      for (const [kind, severity, message] of sacred.notes) this.problems.add(kind, line, severity, message);
      for (const rec of sacred.rows) this.sink.add(rec, line);
      const log = this.sink.end();
      // Sacred's run.json beside it says whether the run ended (COMPLETED): then its last step is its end.
      const status = sacredStatus(pathJoin(pathDirname(this.file), 'run.json'));
      const last = sacred.rows.length ? sacred.rows[sacred.rows.length - 1].step as number : NaN;
      if (status?.status === 'COMPLETED' && sacred.aligned && last > 0) {
        log.run = { ...(log.run ?? {}), plannedSteps: { steps: last, source: `run.json: Sacred marked the run COMPLETED${status.stop ? ` (stop_time ${status.stop})` : ''}` } };
      }
      return log;
    }
    const cat = catboostRows(doc as Rec);
    if (cat) {
      const line = 1 + this.startLine;
      this.problems.add('catboost', line, 'info', cat.said);
      for (const rec of cat.rows) this.sink.add(rec, line);
      const log = this.sink.end();
      if (cat.end) log.run = { ...(log.run ?? {}), plannedSteps: cat.end };
      return log;
    }
    // An object of per-epoch lists: the longest lists are the epochs; a shorter one (a metric
    // computed every few epochs) cannot be placed and is left out, said.
    const lud = ludwigLists(doc as Rec);
    if (lud) this.problems.add('ludwig', 1 + this.startLine, 'info', `Ludwig's training statistics: ${lud.said}`);
    const obj = lud ? lud.lists : doc as Rec;
    const keys = Object.keys(obj).filter((k) => Array.isArray(obj[k]) && (obj[k] as unknown[]).some((v) => typeof v === 'number' || typeof v === 'string'));
    const n = keys.reduce((m, k) => Math.max(m, (obj[k] as unknown[]).length), 0);
    const line = 1 + this.startLine;
    if (keys.length === 0) {
      // (A nested document shaped like Ludwig's at its head, without its training split's `combined`.)
      this.problems.add('json', line, 'error', 'a JSON object with no list of per-epoch values at its top level, nor Ludwig\'s training statistics (training → combined → lists); nothing read');
      return this.sink.end();
    }
    const short = keys.filter((k) => (obj[k] as unknown[]).length < n);
    if (short.length) {
      const named = short.slice(0, 5).map((k) => `"${k.length > 60 ? `${k.slice(0, 60)}…` : k}" (${(obj[k] as unknown[]).length} values)`).join(', ') + (short.length > 5 ? ` and ${short.length - 5} more lists` : '');
      this.problems.add('json', line, 'warning', `${named} ${short.length === 1 ? 'has' : 'have'} fewer values than the ${n} epochs of the longest list: which epochs they belong to cannot be told, left out`);
    }
    const full = keys.filter((k) => (obj[k] as unknown[]).length === n);
    const epochKey = full.includes('epoch') || full.includes('step') ? undefined : 'epoch';
    for (let i = 0; i < n; i++) {
      const rec: Rec = Object.create(null) as Rec;
      if (epochKey) rec[epochKey] = i + 1;
      for (const k of full) rec[k] = (obj[k] as unknown[])[i];
      this.sink.add(rec, line);
    }
    const log = this.sink.end();
    // Keras' History.history (lists of the same length, one per epoch, no Ludwig structure).
    const cuts = lud ? undefined : kerasLrCuts(full, 'This history');
    if (cuts) log.run = { ...(log.run ?? {}), lrCuts: cuts };
    if (epochKey && n > 1) {
      log.run = { ...(log.run ?? {}), epochsLogged: { count: n, source: `the history's ${n} values per metric, one per epoch (no epoch column: row k is the end of epoch k)` } };
      return log;
    }
    return withEpochs(log);
  }
}

/**
 * CatBoost's `catboost_info/catboost_training.json` (detect.ts catboostHead), written by every fit: its
 * `meta` names the metrics (`learn_metrics`, `test_metrics`) and the sets (`learn_sets`, `test_sets`),
 * and plans `iteration_count` iterations; each entry of `iterations` holds an iteration (counted from 0)
 * with each set's values in the order of its metrics, `passed_time` and `remaining_time` (seconds). A
 * row per entry: the learn set's metrics under their names (`Logloss`, as its learn_error.tsv heads
 * them), an eval set's under the set's name (`test_Logloss`). CatBoost closes the document when the
 * fit ends: read whole, the run ended at its last iteration, the planned last one or earlier (its
 * overfitting detector, `od_type`/`early_stopping_rounds`, stops a fit early). Undefined for any other document.
 */
function catboostRows(doc: Rec): { rows: Rec[]; said: string; end?: { steps: number; source: string } } | undefined {
  const meta = own(doc, 'meta'), its = own(doc, 'iterations');
  if (!meta || typeof meta !== 'object' || Array.isArray(meta) || !Array.isArray(its)) return undefined;
  const m = meta as Rec;
  const names = (key: string): string[] | undefined => {
    const v = own(m, key);
    if (!Array.isArray(v)) return undefined;
    return v.map((x) => {
      const name = x && typeof x === 'object' ? own(x as Rec, 'name') : undefined;
      return typeof name === 'string' ? name : '';
    });
  };
  const sets = (key: string): string[] => {
    const v = own(m, key);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
  };
  const learn = names('learn_metrics'), test = names('test_metrics') ?? [];
  const count = own(m, 'iteration_count');
  if (!learn || learn.length === 0 || typeof count !== 'number') return undefined;
  const learnSets = sets('learn_sets'), testSets = sets('test_sets');
  const rows: Rec[] = [];
  let last = -1;
  for (const entry of its as unknown[]) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
    const e = entry as Rec;
    const it = own(e, 'iteration');
    if (typeof it !== 'number' || !Number.isInteger(it) || it < 0) continue;
    const rec: Rec = Object.create(null) as Rec;
    rec.iteration = it;
    const put = (set: string, metrics: string[], prefix: string) => {
      const v = own(e, set);
      if (!Array.isArray(v)) return;
      metrics.forEach((name, j) => { if (name && typeof v[j] === 'number') rec[prefix + name] = v[j]; });
    };
    for (const set of learnSets.length ? learnSets : ['learn']) put(set, learn, learnSets.length > 1 ? `${set}_` : '');
    for (const set of testSets) put(set, test, `${set}_`);
    for (const k of ['passed_time', 'remaining_time']) {
      const t = own(e, k);
      if (typeof t === 'number') rec[k] = t;
    }
    rows.push(rec);
    last = Math.max(last, it);
  }
  const metricsSaid = `${learn.filter(Boolean).join(', ')} on the learn set${testSets.length ? `, ${test.filter(Boolean).join(', ')} on ${testSets.join(', ')}` : ''}`;
  const said = `CatBoost's catboost_training.json: ${formatInteger(rows.length)} iteration(s) logged (${metricsSaid}), of the ${formatInteger(count)} its meta plans ("iteration_count": ${count})`;
  if (last < 0 || !(count >= 1)) return { rows, said };
  const end = last >= count - 1
    ? { steps: count - 1, source: `CatBoost's "iteration_count": ${count} in catboost_training.json (iterations 0–${count - 1}), all of them logged` }
    : { steps: last, source: `catboost_training.json is closed after iteration ${last} of the ${count} planned ("iteration_count": ${count}): the fit ended there (CatBoost's overfitting detector stops a fit early)` };
  return { rows, said, end };
}

/**
 * Ludwig's `training_statistics.json` (LUDWIG_HEAD_RE) as an object of lists: per split (`training`,
 * `validation`, `test`) and output feature (`combined`: the model's total) a list of each metric, one
 * value per evaluation. Named as a history's: the training split's combined metrics bare (`loss`), the
 * others' prefixed `val_` / `test_`, a feature's own with its name (`label_loss`, `val_label_loss`).
 * The evaluations are at each epoch, or every `frequency` epochs or steps (`evaluation_frequency`);
 * undefined for any other document.
 */
function ludwigLists(doc: Rec): { lists: Rec; said: string } | undefined {
  const splits: [string, string][] = [['training', ''], ['validation', 'val_'], ['test', 'test_']];
  const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
  const training = own(doc, 'training');
  if (!isObj(training) || !isObj(own(training, 'combined'))) return undefined;
  const lists: Rec = Object.create(null) as Rec;
  let n = 0;
  for (const [split, prefix] of splits) {
    const s = own(doc, split);
    if (!isObj(s)) continue;
    for (const feature of Object.keys(s)) {
      const f = own(s, feature);
      if (!isObj(f)) continue;
      for (const metric of Object.keys(f)) {
        const v = own(f, metric);
        if (!Array.isArray(v)) continue;
        lists[`${prefix}${feature === 'combined' ? '' : `${feature}_`}${metric}`] = v;
        n = Math.max(n, v.length);
      }
    }
  }
  const freq = own(doc, 'evaluation_frequency');
  const every = isObj(freq) && typeof own(freq, 'frequency') === 'number' && (own(freq, 'frequency') as number) > 0 ? own(freq, 'frequency') as number : 1;
  const period = isObj(freq) && own(freq, 'period') === 'step' ? 'step' : 'epoch';
  if (period === 'step' || every !== 1) lists[period] = Array.from({ length: n }, (_, i) => (i + 1) * every);
  return { lists, said: `one value per evaluation, ${every === 1 ? `at each ${period}` : `every ${every} ${period}s`}${isObj(freq) ? ' (its evaluation_frequency)' : ''}; the training split's metrics bare, the validation's val_, the test's test_` };
}

/** run.json's size at most (Sacred writes a few KB: the experiment, host, status and times). */
const MAX_SACRED_RUN_JSON = 1 << 20;

/**
 * A Sacred run.json's `status` (COMPLETED, RUNNING, FAILED, INTERRUPTED, …) and `stop_time`, read
 * here (a parser runs off the editor's thread); undefined when the file is missing, not a regular
 * file, over 1 MB, or not such a JSON object.
 */
function sacredStatus(file: string): { status: string; stop?: string } | undefined {
  try {
    const st = fs.lstatSync(file);
    if (!st.isFile() || st.size > MAX_SACRED_RUN_JSON) return undefined;
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
    const status = own(doc as Rec, 'status'), stop = own(doc as Rec, 'stop_time');
    if (typeof status !== 'string' || status.length > 40) return undefined;
    return { status, ...(typeof stop === 'string' && stop.length <= 40 ? { stop } : {}) };
  } catch {
    return undefined;
  }
}

/** A Sacred metric's values read at most (a longer metric is read to here, said). */
const MAX_SACRED_VALUES = 5_000_000;

/**
 * Sacred's `metrics.json` (its FileStorageObserver writes `<run id>/metrics.json` beside run.json,
 * config.json and cout.txt): `{"<name>": {"steps": [...], "timestamps": [...], "values": [...]}}`, a
 * metric a key, one entry per `_run.log_scalar(name, value, step)`. Rows joined by step, a column a
 * metric; a step logged twice for one metric keeps its last value (said). Without `step=`, Sacred
 * counts each metric's own calls from 0, so metrics logged at different rates do not line up by
 * step: said when their counts differ. Undefined for any other document (every top-level value must
 * be an object with `steps` and `values` lists).
 */
function sacredRows(doc: Rec): { rows: Rec[]; notes: Array<[string, 'info' | 'warning', string]>; aligned: boolean } | undefined {
  const names = Object.keys(doc);
  if (names.length === 0) return undefined;
  const metrics: Array<{ name: string; steps: unknown[]; values: unknown[]; times: unknown; n: number }> = [];
  for (const name of names) {
    const m = own(doc, name);
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return undefined;
    const steps = own(m as Rec, 'steps'), values = own(m as Rec, 'values');
    if (!Array.isArray(steps) || !Array.isArray(values)) return undefined;
    metrics.push({ name, steps, values, times: own(m as Rec, 'timestamps'), n: Math.min(steps.length, values.length, MAX_SACRED_VALUES) });
  }
  const notes: Array<[string, 'info' | 'warning', string]> = [];
  const short = (n: string) => `"${n.length > 60 ? `${n.slice(0, 60)}…` : n}"`;
  for (const { name, steps, values } of metrics) {
    if (steps.length !== values.length) notes.push(['sacred-length', 'warning', `${short(name)} has ${steps.length} steps and ${values.length} values: the first ${Math.min(steps.length, values.length)} of each are read`]);
    if (Math.min(steps.length, values.length) > MAX_SACRED_VALUES) notes.push(['sacred-length', 'warning', `${short(name)} has ${Math.min(steps.length, values.length)} values: the first ${MAX_SACRED_VALUES} are read`]);
  }
  // Without step=, Sacred counts each metric's own calls from 0: metrics logged at different rates
  // (the training loss each batch, a validation loss each epoch) do not line up by step. Each is then
  // placed by its timestamps at the step of the metric with the most values logged last before it.
  const counters = metrics.every((m) => { for (let i = 0; i < m.n; i++) if (m.steps[i] !== i) return false; return true; });
  const unaligned = counters && new Set(metrics.map((m) => m.n)).size > 1;
  const ref = metrics.reduce((a, b) => (b.n > a.n ? b : a));
  const byTime = unaligned ? timeSteps(metrics, ref) : undefined;
  const byStep = new Map<number, Rec>();
  let twice = 0, twiceName = '', badSteps = 0;
  metrics.forEach(({ name, steps, values, n }, j) => {
    const placed = byTime?.[j];
    for (let i = 0; i < n; i++) {
      const step = placed ? placed[i] : steps[i];
      if (typeof step !== 'number' || !Number.isFinite(step)) { badSteps++; continue; }
      let rec = byStep.get(step);
      if (!rec) {
        rec = Object.create(null) as Rec;
        rec.step = step;
        byStep.set(step, rec);
      }
      // (A metric named "step" is a column of its own: the row's step is the one Sacred stored.)
      const col = name === 'step' ? 'step (logged)' : name;
      if (Object.prototype.hasOwnProperty.call(rec, col) && twice++ === 0) twiceName = name;
      setOwn(rec, col, values[i]);
    }
  });
  if (badSteps > 0) notes.push(['sacred-step', 'warning', `${badSteps} value(s) whose step is not a number: left out`]);
  if (twice > 0) notes.push(['sacred-step', 'warning', `${twice} value(s) ${byTime ? 'placed' : 'logged again'} at a step that metric already had (the first in ${short(twiceName)}): the last value at each step is kept`]);
  const rows = [...byStep.keys()].sort((a, b) => a - b).map((k) => byStep.get(k)!);
  const counts = metrics.map((m) => `${short(m.name)} ${m.n}`);
  const how = !unaligned ? ''
    : byTime ? `; each metric counts its own log_scalar calls from 0 (no step= given), so each is placed by its timestamps at the step of ${short(ref.name)} (the metric with the most values) logged last before it`
      : `; every step counts its metric's own log_scalar calls from 0 (no step= given), so metrics logged at different rates do not line up: step k is each metric's k-th value`;
  notes.push(['sacred', 'info', `Sacred's metrics.json: ${metrics.length.toLocaleString('en-US')} metric${metrics.length === 1 ? '' : 's'}, joined by step (${counts.slice(0, 6).join(', ')}${counts.length > 6 ? `, and ${counts.length - 6} more` : ''} values)${how}`]);
  return { rows, notes, aligned: !unaligned || !!byTime };
}

/**
 * Each metric's values placed at steps of `ref` by time: a value's step is the index of ref's last
 * value logged at or before it (0 when none was); a metric with as many values as ref keeps its
 * own count. Undefined unless every metric has a timestamp a
 * value that parses (Sacred writes ISO times) and ref's are in order.
 */
function timeSteps(metrics: ReadonlyArray<{ times: unknown; n: number }>, ref: { times: unknown; n: number }): number[][] | undefined {
  const parse = (m: { times: unknown; n: number }): number[] | undefined => {
    if (!Array.isArray(m.times) || m.times.length < m.n) return undefined;
    const t: number[] = [];
    for (let i = 0; i < m.n; i++) {
      const v = m.times[i];
      const x = typeof v === 'string' && v.length <= 40 ? Date.parse(v) : NaN;
      if (!Number.isFinite(x)) return undefined;
      t.push(x);
    }
    return t;
  };
  const tRef = parse(ref);
  if (!tRef) return undefined;
  for (let i = 1; i < tRef.length; i++) if (tRef[i] < tRef[i - 1]) return undefined;
  const out: number[][] = [];
  for (const m of metrics) {
    // (Metrics logged as often as ref, in the same loop, keep their own count: no jitter of times.)
    if (m === ref || m.n === ref.n) { out.push(tRef.map((_, i) => i)); continue; }
    const t = parse(m);
    if (!t) return undefined;
    out.push(t.map((x) => {
      // The last index of tRef at or before x (binary search).
      let lo = 0, hi = tRef.length - 1, at = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (tRef[mid] <= x) { at = mid; lo = mid + 1; } else hi = mid - 1;
      }
      return at;
    }));
  }
  return out;
}

/** The passes over the data a history's epoch column shows (as tail.ts reads a CSV's): whole epochs first … last. */
function withEpochs(log: ParsedLog, records?: { first: number; last: number; fractional: boolean }): ParsedLog {
  const col = log.columns.find((c) => c.role === 'epoch');
  const v = col ? log.data[col.name] : undefined;
  if (col && !v && records && Number.isFinite(records.last) && log.kind === 'run') {
    // (Not kept beside a step column: the epochs the records held.)
    const e = epochsSeen(records, undefined, `the records' "${col.name}"`);
    if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
    return log;
  }
  if (!col || !v) return log;
  let first = Infinity, last = NaN, fractional = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isFinite(x) || x < 0 || x >= 1e6) continue;
    if (x < first) first = x;
    if (!Number.isInteger(x)) fractional = true;
    last = x;
  }
  const e = Number.isFinite(last) ? epochsSeen({ first, last, fractional }, undefined, `the history's "${col.name}"`) : undefined;
  if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
  return log;
}

// ------------------------------------------------------------------------------ entry points

/** `startLine`: blank lines before the text the reader is given (skipped while detecting). */
function makeReader(format: LogFormat, file: string, opts: ParseOptions, problems: ProblemLog, sizeHint: number, startLine = 0): Reader {
  switch (format) {
    case 'csv': return new CsvReader(file, opts, problems, sizeHint, undefined, startLine);
    case 'jsonl': return new JsonlReader(new RecordSink(file, format, opts, problems), problems, opts, sizeHint, startLine);
    case 'text': return new TextReader(new RecordSink(file, format, opts, problems), problems, opts, 0, startLine);
    case 'trainer_state': return new TrainerStateReader(file, new RecordSink(file, format, opts, problems), problems, startLine);
    case 'json': return new JsonHistoryReader(file, new RecordSink(file, format, opts, problems), problems, startLine);
    default: throw new LogReadError(`${baseName(file)}: ${format} is read from the file or folder (parseLogFile), not as text`);
  }
}

/**
 * The whitespace-only lines at the start of `text`: the characters up to the last line end before
 * the first other character, and the number of line ends in them (`all`: nothing else in `text`).
 * One pass, so 32 MB of leading blank lines are skipped once, not re-trimmed per chunk.
 */
function blankPrefix(text: string): { chars: number; lines: number; all: boolean } {
  let lines = 0;
  let cut = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { lines++; cut = i + 1; }
    else if (!(c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff)) return { chars: cut, lines, all: false };
  }
  return { chars: cut, lines, all: true };
}

/**
 * A decoder for text that starts with a UTF-16 byte-order mark, undefined for any other start.
 * Throws LogReadError naming the file when this Node.js cannot decode it.
 */
function utf16Decoder(path: string, head: Uint8Array): InstanceType<typeof TextDecoder> | undefined {
  const enc = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : undefined;
  if (!enc) return undefined;
  try { return new TextDecoder(enc); } catch { throw new LogReadError(`${path}: ${enc.toUpperCase()} text, which this Node.js cannot decode; save it as UTF-8`); }
}

/** NUL bytes at every other position near the start: UTF-16 text without a byte-order mark. */
function looksUtf16(head: Uint8Array): boolean {
  const n = Math.min(head.length, 512) & ~1;
  if (n < 4) return false;
  let even = 0, odd = 0;
  for (let i = 0; i < n; i += 2) { if (head[i] === 0) even++; if (head[i + 1] === 0) odd++; }
  return Math.max(even, odd) >= 0.4 * (n / 2) && Math.min(even, odd) <= 0.05 * (n / 2);
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


/** The one cancellation error (src/core/cancel.ts), as the reader throws it. */
function abortError(): Error {
  return new Cancelled('parsing was cancelled');
}

function nulAt(text: string): number {
  return text.slice(0, 8192).indexOf('\0');
}

function binaryError(file: string, head: Uint8Array, nul: number): LogReadError {
  if (looksUtf16(head)) return new LogReadError(`${file}: UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)`);
  return new LogReadError(`${file}: binary file (NUL byte at offset ${nul}), not a text log`);
}

function unknownFormat(file: string, head = ''): LogReadError {
  const hint = consoleHint(head);
  if (hint) return new LogReadError(`${baseName(file)}: ${hint}`);
  // The Trainer's summaries beside its trainer_state.json: one value a metric, no curve.
  if (/^(?:all|train|eval)_results\.json$/i.test(baseName(file)) && /"(?:train|eval)_(?:loss|runtime)"/.test(head)) {
    return new LogReadError(`${baseName(file)}: a Hugging Face Trainer summary (one value a metric, no curve): fit the run's trainer_state.json (in its output folder, or its last checkpoint-N/ folder)`);
  }
  const seen = sampleLine(head);
  const crash = tracebackOf(head);
  return new LogReadError(`${baseName(file)}: not a training log this reader knows (CSV, JSONL, trainer_state.json or trainer stdout with 'step N: … loss …' lines; the README lists every format read)${seen ? `; the line most like a metric's, line ${seen.line}: "${seen.text}"` : ''}${crash ? `; it holds a Python traceback ending in ${crash.error} (line ${crash.line}): the run may have stopped before it printed a metric` : ''}`);
}

/**
 * The exception a Python traceback in `text` ends with (the first line after the last `Traceback (most
 * recent call last):` that is not indented: `AssertionError`, `RuntimeError: CUDA out of memory`), its
 * name and 1-based line. A real PaddleOCR workerlog that crashed before its first step was refused
 * without a word of it. Linear.
 */
function tracebackOf(text: string): { error: string; line: number } | undefined {
  const at = text.lastIndexOf('Traceback (most recent call last):');
  if (at < 0) return undefined;
  const line = lineOf(text, at);
  const rest = text.slice(at, at + 200_000).split('\n');
  for (let k = 1; k < rest.length; k++) {
    const l = rest[k];
    if (l === '' || l.charCodeAt(0) === 32 || l.charCodeAt(0) === 9) continue;
    const m = /^([A-Za-z_][\w.]{0,100}(?:Error|Exception|Interrupt|Exit|Warning)\b)/.exec(l);
    return m ? { error: m[1].split('.').pop()!, line: line + k } : undefined;
  }
  return undefined;
}

/**
 * The line of a refused file's head most like a metric line (the first that names a loss beside a
 * number, else the first with three numbers), cut to 80 characters and its control characters
 * dropped, so that the refusal shows what was read.
 */
function sampleLine(head: string): { line: number; text: string } | undefined {
  let n = 0;
  let numbers: { line: number; text: string } | undefined;
  for (let i = 0; i < head.length && n < 2000;) {
    let j = head.indexOf('\n', i);
    if (j < 0) j = head.length;
    n++;
    const l = head.slice(i, Math.min(j, i + 400)).trim();
    i = j + 1;
    if (!/\d/.test(l)) continue;
    const loss = /loss/i.test(l);
    if (!loss && (numbers || (l.match(/\d+(?:\.\d+)?/g)?.length ?? 0) < 3)) continue;
    const clean = l.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, ' ');
    const seen = { line: n, text: clean.length > 80 ? `${clean.slice(0, 80)}…` : clean };
    if (loss) return seen;
    numbers = seen;
  }
  return numbers;
}

/**
 * Parses a whole text (an editor buffer). Throws LogReadError for binary or unrecognised content.
 * `detectName`: the name its format is judged by, when not `fileName`'s (a notebook's outputs: a text log).
 */
export function parseLogText(text: string, fileName: string, opts: ParseOptions = {}, detectName = fileName): ParsedLog {
  if (opts.signal?.aborted) throw abortError();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bytes = Buffer.byteLength(text, 'utf8');
  const nul = nulAt(text);
  if (nul >= 0) throw new LogReadError(`${baseName(fileName)}: binary file (NUL byte at offset ${nul}), not a text log`);
  const blank = blankPrefix(text);
  if (blank.all && text.trim() === '') return emptyLog(fileName, bytes);
  if (blank.chars > 0) text = text.slice(blank.chars);
  // All ASCII (as many bytes as characters): the fast paths read the bytes.
  const asciiText = bytes === text.length + blank.chars && opts.fastPath !== false;
  const head: HeadState = { chars: 0, lines: 0 };
  const d = decideFormat(detectName, text, false, head);
  if (!d.format) throw unknownFormat(fileName, head.head ?? text.slice(0, DETECT_HEAD_CHARS));
  text = d.text;
  const problems = new ProblemLog(baseName(fileName));
  const reader = makeReader(d.format, fileName, opts, problems, text.length, blank.lines + head.lines);
  // Chunked so that progress can be reported on big buffers.
  const CH = 1 << 22;
  for (let i = 0; i < text.length; i += CH) {
    const part = text.slice(i, i + CH);
    reader.push(part, asciiText ? Buffer.from(part, 'latin1') : undefined);
    opts.onProgress?.(Math.min(text.length, i + CH), text.length);
  }
  const log = reader.end();
  log.stats.bytes = bytes;
  return settled(log);
}

/**
 * Streams a file from disk: UTF-8 decoded incrementally (bad bytes reported by line), parsed chunk
 * by chunk, only the kept numeric columns stored. Rejects with LogReadError when the file cannot
 * be read, is binary or is not a log; with the core's `Cancelled` error when `opts.signal` aborts.
 */
/** What a run folder is, in words, for a file of it that is no log (`stdout.log` in an AllenNLP folder). */
const RUN_FOLDER_WORDS: Record<RunKind, string> = {
  tfevents: 'a TensorBoard run (its event files)', mlflow: 'an MLflow run', wandb: 'a W&B run', dvclive: 'a DVCLive folder',
  allennlp: 'an AllenNLP serialization folder (its metrics_epoch_N.json files)', raytune: 'a Ray Tune trial (its progress.csv)',
};

/** A log as every reader hands it on: an epoch's restarts resolved, a detector's whole loss added. */
function settled(log: ParsedLog): ParsedLog {
  return withLossTotals(withEpochRestarts(log));
}

export async function parseLogFile(path: string, opts: ParseOptions = {}): Promise<ParsedLog> {
  try {
    const log = await parseLogFileAt(path, opts);
    // (A notebook's log is settled as its outputs' text is read, before its lines are placed in its cells.)
    return notebookLogs.has(log) ? log : settled(log);
  } catch (e) {
    // A file of a run folder that is no log itself: the folder is what to fit, said.
    if (e instanceof LogReadError && e.message.includes('not a training log this reader knows')) {
      const kind = await runFolderKind(pathDirname(path)).catch(() => undefined);
      if (kind && kind !== 'runs') throw new LogReadError(`${e.message}; its folder is ${RUN_FOLDER_WORDS[kind]}: fit the folder itself (right-click it in the explorer, or give the folder to the CLI)`);
    }
    throw e;
  }
}

setFileParser(parseLogFile);

async function parseLogFileAt(path: string, opts: ParseOptions): Promise<ParsedLog> {
  if (opts.signal?.aborted) throw abortError();
  let total: number;
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(path);
    total = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LogReadError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message})`);
  }
  // Run folders (TensorBoard, MLflow, W&B) and binary run logs: runs.ts.
  const run = await parseRunPath(path, opts, st);
  if (run) return run;
  if (st.isDirectory()) throw new LogReadError(`${path}: is a directory, not a log file`);
  if (isNotebookName(path)) return (await parseNotebookFile(path, opts, true))!;
  if (isGzipName(path)) return parseGzipFile(path, opts);
  let fh: fs.promises.FileHandle;
  try {
    // Only a regular file: a named pipe would block the read forever ("empty" it is not).
    ({ fh, size: total } = await openRegular(path));
  } catch (e) {
    if (e instanceof FileError && e.code === 'EISDIR') throw new LogReadError(`${path}: is a directory, not a log file`);
    throw new LogReadError(e instanceof Error ? e.message : String(e));
  }
  if (total === 0) {
    await fh.close();
    return emptyLog(path, 0);
  }
  // Incremental reads (incremental.ts): when the file ends with a line end, the reader is kept
  // open after it (a last line still being written is read whole each time, as here).
  let live = opts.live;
  /** With `live`: the bytes after the file's last line end (a line still being written), read last. */
  let cutBytes: Buffer | undefined;
  if (live) {
    const bom = Buffer.alloc(2);
    await fh.read(bom, 0, 2, 0);
    const utf16 = (bom[0] === 0xff && bom[1] === 0xfe) || (bom[0] === 0xfe && bom[1] === 0xff);
    const end = utf16 ? 0 : await lastLineEnd(fh, total, Math.max(0, total - MAX_LIVE_TAIL - 1));
    if (end === 0) live = undefined;
    else if (end < total) {
      // Read up to the line end (the reader is kept there), then the rest as the last line.
      cutBytes = Buffer.alloc(total - end);
      const { bytesRead } = await fh.read(cutBytes, 0, cutBytes.length, end);
      cutBytes = cutBytes.subarray(0, bytesRead);
      total = end;
    }
  }
  let decoder = new TextDecoder('utf-8');
  let reader: Reader | undefined;
  let bytes = 0;
  let pending = '';
  /** Blank lines skipped before the first content (line numbers count them), and a preamble dropped. */
  let skipped = 0;
  const head: HeadState = { chars: 0, lines: 0 };
  // Two buffers reused for every read (no per-chunk garbage outside the JS heap): while one chunk
  // is parsed, the next is read into the other (the copy from the file runs on libuv's thread).
  const bufs = [Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(1 << 20)];
  const buf = bufs[0];
  let asciiSoFar = true;
  // Big CSV files: once the roles are decided, the rest is cut at line ends and read by helper
  // threads too (parallel.ts); this thread reads up to `stopAt`, then joins the parts.
  const threads = Math.max(1, Math.floor(opts.threads ?? coreCount()));
  let split = threads > 1 && total >= (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES) ? parseWorkerFile() : undefined;
  let joined = 0;
  let stopAt = total;
  /** The columns' memory budget was looked at (once, when the kept columns are known). */
  let budgetChecked = false;
  /** The warning for a read the budget ended, placed on the first line left out once the read is done. */
  let budgetNote: string | undefined;
  const problems = new ProblemLog(baseName(path));
  let parts: { run: PartsRun; cuts: number[] } | undefined;
  // The helpers start now, while this thread reads the head (parallel.ts bootHelpers); the file is
  // cut once the columns are decided and every helper is ready. Stopped when not needed after all.
  let helpers: Helpers | undefined = split ? bootHelpers(split, threads - 1) : undefined;
  let planned = false;
  const readUntil = async (limit: number, h: fs.promises.FileHandle): Promise<ParsedLog | undefined> => {
    /** The read of the next chunk already under way: into bufs[which], `len` bytes from `at`. */
    let ahead: { read: Promise<fs.promises.FileReadResult<Buffer>>; at: number; len: number } | undefined;
    let which = 0;
    try {
      for (;;) {
        if (opts.signal?.aborted) throw abortError();
        if (bytes >= limit) break;
        // Small reads until the columns are decided: the parts then start soon after the sampled rows.
        const want = split && !parts && !planned ? 1 << 16 : buf.length;
        const len = Math.min(want, limit - bytes);
        let got: fs.promises.FileReadResult<Buffer>;
        if (ahead && ahead.at === bytes && ahead.len === len) got = await ahead.read;
        else {
          if (ahead) await ahead.read.catch(() => undefined);
          got = await h.read(bufs[which], 0, len, bytes);
        }
        ahead = undefined;
        const { bytesRead } = got;
        if (bytesRead === 0) break;
        const chunk = bufs[which].subarray(0, bytesRead);
        which = 1 - which;
        const nextLen = Math.min(buf.length, limit - bytes - bytesRead);
        if (want === buf.length && nextLen > 0) ahead = { read: h.read(bufs[which], 0, nextLen, bytes + bytesRead), at: bytes + bytesRead, len: nextLen };
        if (bytes === 0) {
          const utf16 = utf16Decoder(path, chunk);
          if (utf16) {
            // UTF-16 with a byte-order mark (Windows tools write it): decoded, not called binary;
            // read on this thread only (the helper threads decode UTF-8).
            decoder = utf16;
            asciiSoFar = false;
            split = undefined;
          } else {
            const nul = chunk.subarray(0, 8192).indexOf(0);
            if (nul >= 0 && binaryRunFormat(baseName(path), chunk) === 'tfevents') return parseTfevents([path], path, opts);
            if (nul >= 0) throw binaryError(path, chunk, nul);
            // A notebook not named .ipynb (its JSON has `cells` and `nbformat`): read as one; any other JSON goes on here.
            if (looksLikeNotebookHead(chunk)) {
              const nb = await parseNotebookFile(path, opts, false);
              if (nb) return nb;
            }
          }
        }
        bytes += bytesRead;
        // Pure-ASCII chunks (most logs) skip UTF-8 decoding; after the first other byte the
        // streaming decoder takes over for good (it may hold a partial character).
        // A UTF-8 byte-order mark (as the decoder would, it is dropped) does not make the rest non-ASCII.
        const body = bytes === bytesRead && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
        const ascii = asciiSoFar && isAscii(body);
        // The fast CSV path reads the bytes and needs no text of them.
        if (!(ascii && reader?.pushAscii?.(body))) {
          let text: string;
          let pushBytes: Buffer | undefined;
          if (ascii) { text = body.toString('latin1'); pushBytes = body; }
          else { asciiSoFar = false; text = decoder.decode(chunk, { stream: true }); }
          if (!reader) {
            pushBytes = undefined;
            pending += text;
            // Leading blank lines are counted and dropped as they come (never re-scanned).
            const blank = blankPrefix(pending);
            if (blank.chars > 0) { skipped += blank.lines; pending = pending.slice(blank.chars); }
            if (blank.all) continue;
            // Undecided by the first 64 KB: read on up to LONG_HEAD_CHARS (a long first line), or past a text log's preamble.
            const d = decideFormat(path, pending, bytes < total, head);
            if (d.wait) { pending = d.text; continue; }
            text = d.text;
            pending = '';
            if (asciiSoFar) pushBytes = Buffer.from(text, 'latin1');
            if (!d.format) throw unknownFormat(path, head.head ?? text.slice(0, DETECT_HEAD_CHARS));
            reader = makeReader(d.format, path, opts, problems, total, skipped + head.lines);
            if (!(reader instanceof CsvReader || reader instanceof JsonlReader)) split = undefined;
          }
          reader.push(text, pushBytes);
        }
        if (!split && helpers && !parts) {
          helpers.stop();
          helpers = undefined;
        }
        // A console log whose columns reached their budget (Collector.limitBytes): nothing after it is read.
        if (reader instanceof TextReader && reader.collector?.full) {
          total = stopAt = limit = bytes;
          cutBytes = undefined;
          live = undefined;
          break;
        }
        // The columns' memory budget, once the kept columns are known: where they reach it at the
        // lines per byte of the file's first 4 MB (the same cut for any thread count or chunk size,
        // unless the text read before the columns were known already holds more; before the file is
        // cut for the helper threads, which then read up to there only).
        // (UTF-8 only: a UTF-16 file's line ends are two bytes, and other characters hold a byte 10 too.)
        if (!budgetChecked && !parts && decoder.encoding === 'utf-8' && (reader instanceof CsvReader || reader instanceof JsonlReader) && reader.collector) {
          const c = reader.collector;
          budgetChecked = true;
          const perRow = columnRowBytes(c);
          const rowsFit = Math.floor((opts.maxColumnBytes ?? MAX_COLUMN_BYTES) / perRow);
          // (A line takes a byte at least: a file of fewer bytes than rowsFit fits, unread again.)
          const head = total <= rowsFit ? Buffer.alloc(0) : await bytesAt(h, 0, Math.min(total, BUDGET_SAMPLE_BYTES));
          // Within the sample: just after its rowsFit-th line (each line taken for a row); past it, at its bytes per line.
          let lines = 0;
          let fits = -1;
          for (let k = head.indexOf(10); k >= 0; k = head.indexOf(10, k + 1)) if (++lines === rowsFit) fits = k + 1;
          if (fits < 0) fits = head.length ? Math.floor(rowsFit * (head.length / Math.max(1, lines))) : total;
          if (fits < total) {
            // At a line end, so a row is never cut: the last one before `fits`; when the text already read
            // reaches past it (a budget of a few rows a chunk), the end of the line being read.
            let end = fits > bytes ? (head[fits - 1] === 10 ? fits : await lastLineEnd(h, fits, bytes)) : 0;
            if (end <= bytes) end = await nextLineEnd(h, bytes, total);
            if (end < total) {
              budgetNote = columnBudgetNote(c, opts.maxColumnBytes ?? MAX_COLUMN_BYTES, { left: total - end, whole: total, need: (total * lines * perRow) / head.length });
              total = end;
              limit = Math.min(limit, end);
              stopAt = Math.min(stopAt, end);
              // Nothing to read after the cut: no line being written, no later appends read.
              cutBytes = undefined;
              live = undefined;
            }
          }
        }
        opts.onProgress?.(Math.min(total, Math.round((bytes / limit) * total)), total);
        if (split && helpers && !parts && (reader instanceof CsvReader || reader instanceof JsonlReader)) {
          const plan: PartPlan | undefined = reader.plan();
          planned = plan !== undefined;
          if (plan && opts.awaitHelpers) await helpers.whenReady();
          if (plan && helpers.ready()) {
            const cuts = await cutAtLines(path, bytes, total, threads);
            if (cuts.length > 1) {
              const ranges = cuts.slice(1).map((end, k): [number, number] => [cuts[k], end]);
              // The parts write their rows into the columns' memory, each in a region of its own
              // (rows estimated from the rows per byte so far, with a margin), and are joined there.
              const rate = reader.position().line / bytes;
              const regions = [0];
              for (let k = 0; k < cuts.length; k++) regions.push(regions[k] + Math.ceil((cuts[k] - (k === 0 ? 0 : cuts[k - 1])) * rate * (opts.sharedMargin ?? 1.03)) + (opts.sharedMargin === undefined ? 4096 : 0));
              const shared = opts.shareColumns === false ? undefined : reader.collector?.shareColumns(regions);
              parts = { run: helpers.start(path, plan, ranges, shared), cuts };
              stopAt = limit = cuts[0];
            }
            split = undefined;
          }
        }
      }
    } finally {
      // A read still under way (the limit moved, or an error): settled before the handle closes.
      if (ahead) await ahead.read.catch(() => undefined);
    }
    return undefined;
  };
  try {
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
      const csv = reader as CsvReader | JsonlReader;
      // Every helper is done (its rows written, or failed): the shared columns are this thread's.
      csv.collector?.unshare();
      let k = 0;
      // Join the parts in order while they are usable; whatever is left is read here. A part is
      // read as if a row starts where it starts: so it is joined only when the text before it ends
      // at a row's end (no row held over, e.g. a quoted field with a line end across the cut).
      let atRowEnd = !csv.position().pending;
      for (; k < results.length; k++) {
        const r = results[k];
        const at = csv.position();
        if (!r || r.quoted || !atRowEnd || (r.pending && k < results.length - 1)) break;
        atRowEnd = !r.pending;
        csv.absorb(r, at.line);
        bytes = cuts[k + 1];
        joined++;
      }
      if (k < results.length) await readUntil(total, fh);
    }
  } catch (e) {
    parts?.run.stop();
    if (opts.signal?.aborted || isCancelled(e)) throw abortError();
    if (e instanceof LogReadError) throw e;
    throw new LogReadError(`${path}: cannot read (${(e as Error).message})`);
  } finally {
    // (Helpers never handed a part wait for one: ended here.)
    helpers?.stop();
    await fh?.close();
  }
  const tail = asciiSoFar ? '' : decoder.decode();
  if (!reader) {
    // (A line still being written is then part of the text, and no reader is kept.)
    const rest = pending + tail + (cutBytes ? new TextDecoder('utf-8').decode(cutBytes) : '');
    bytes += cutBytes?.length ?? 0;
    cutBytes = undefined;
    live = undefined;
    if (rest.trim() === '' && head.chars === 0) return emptyLog(path, bytes);
    const d = decideFormat(path, rest, false, head);
    if (!d.format) throw unknownFormat(path, head.head ?? rest.slice(0, DETECT_HEAD_CHARS));
    reader = makeReader(d.format, path, opts, problems, total, skipped + head.lines);
    reader.push(d.text);
  } else if (tail) reader.push(tail);
  const snap = live && !tail && decoder.encoding === 'utf-8' ? reader.snapshot?.() : undefined;
  if (live && snap) {
    const state: LiveState = { reader, offset: total, decoder, ascii: asciiSoFar };
    // The last line still being written: read by a fork, the kept reader staying at the line end.
    const log = cutBytes ? liveFinish(state, cutBytes) : snap;
    if (log) {
      if (!cutBytes) log.stats.bytes = bytes;
      if (joined > 0) log.stats.parts = joined;
      live.keep(state);
      return log;
    }
  }
  if (cutBytes) {
    if (asciiSoFar && isAscii(cutBytes)) reader.push(cutBytes.toString('latin1'), cutBytes);
    else {
      const t = decoder.decode(cutBytes);
      if (t) reader.push(t);
    }
    bytes += cutBytes.length;
  }
  addBudgetNote(problems, reader, budgetNote);
  const log = reader.end();
  log.stats.bytes = bytes;
  if (joined > 0) log.stats.parts = joined;
  return log;
}

/**
 * A Jupyter notebook (notebook.ts): the text its code cells' outputs hold (or the Trainer's table it
 * displayed, as a CSV) read by the text (or table) readers, then every message placed in the
 * notebook: `nb.ipynb: cell 3 (In [6]), output line 645: …`, with a note mapping the lines read to
 * the cells. `sure` (the name says notebook): a file that is no notebook is refused saying why;
 * otherwise it is undefined, and the file is read as what it is.
 */
async function parseNotebookFile(path: string, opts: ParseOptions, sure: boolean): Promise<ParsedLog | undefined> {
  const name = baseName(path);
  let nb: NotebookText | undefined;
  try {
    nb = await readNotebook(path, { signal: opts.signal, sure, onProgress: opts.onProgress });
  } catch (e) {
    if (opts.signal?.aborted || isCancelled(e)) throw abortError();
    if (e instanceof NotebookError) throw new LogReadError(`${name}: ${e.message}`);
    throw new LogReadError(e instanceof FileError ? e.message : `${path}: cannot read (${(e as Error).message})`);
  }
  if (!nb) return undefined;
  const { pieces } = nb;
  let log: ParsedLog;
  try {
    // Judged as a text log (`.log`: a long preamble of pip output is read past) or, the Trainer's table, a CSV.
    log = settled(parseLogText(nb.text, path, { ...opts, live: undefined, onProgress: undefined }, `${path}.${nb.kind === 'csv' ? 'csv' : 'log'}`));
  } catch (e) {
    if (e instanceof LogReadError) throw new LogReadError(`${placeLines(e.message, pieces)}; ${nb.notes[0].message.slice(name.length + 2)}`);
    throw e;
  }
  const problems = log.problems.map((p) => {
    const lead = p.line > 0 ? `${name}:${p.line}: ` : `${name}: `;
    if (!p.message.startsWith(lead)) return { ...p, message: placeLines(p.message, pieces) };
    const body = placeLines(p.message.slice(lead.length), pieces);
    const where = p.line > 0 ? placeOf(pieces, p.line) : undefined;
    return { ...p, message: where ? `${name}: ${where}: ${body}` : `${name}: ${body}` };
  });
  for (const n of nb.notes) problems.push({ line: 0, severity: n.severity, message: n.message });
  const run = log.run ? { ...log.run } : undefined;
  if (run?.plannedSteps) run.plannedSteps = { ...run.plannedSteps, source: placeLines(run.plannedSteps.source, pieces) };
  if (run?.epochsLogged) run.epochsLogged = { ...run.epochsLogged, source: placeLines(run.epochsLogged.source, pieces) };
  const out: ParsedLog = { ...log, problems, ...(run ? { run } : {}) };
  if (nb.plannedSteps && !out.run?.plannedSteps) out.run = { ...(out.run ?? {}), plannedSteps: nb.plannedSteps };
  if (nb.epochs && !out.run?.epochsLogged) out.run = { ...(out.run ?? {}), epochsLogged: nb.epochs };
  // The text read stands for the file: its printed head (logHead.ts) and its edges (tail.ts) are the text's, not the JSON's.
  const edges = new TextEdges();
  if (nb.text.length <= 1 << 17) edges.push(Buffer.from(nb.text));
  else { edges.push(Buffer.from(nb.text.slice(0, 1 << 16))); edges.push(Buffer.from(nb.text.slice(-(1 << 16)))); }
  inflatedEdges.set(out, edges.edges());
  notebookLogs.set(out, { head: nb.kind === 'text' ? nb.text.slice(0, 256 * 1024) : '' });
  return out;
}

/**
 * A gzipped log (gzip.ts): its text streamed into the reader its name without `.gz` and its head
 * choose, as a plain file's is (on this thread; no live reads: a growing .gz is read whole again).
 * Damaged or cut-off compressed data keeps the text before the damage, with a warning; the
 * expansion budget keeps the text up to it, with a warning.
 */
async function parseGzipFile(path: string, opts: ParseOptions): Promise<ParsedLog> {
  const inner = gzInnerName(path);
  const problems = new ProblemLog(baseName(path));
  let decoder = new TextDecoder('utf-8');
  let reader: Reader | undefined;
  let pending = '';
  let skipped = 0;
  let bytes = 0;
  let ascii = true;
  let size = 0;
  // Its first and last 64 KB of text, kept for its tail facts (tail.ts), which would otherwise inflate it again.
  const edges = new TextEdges();
  // The columns' memory budget (as for a plain file): once the kept columns are known, the text where
  // they reach it at the lines per byte so far; the text ends at a line end there.
  let lines = 0;
  let textLimit: number | undefined;
  let budgetNote: string | undefined;
  const onChunk = (whole: Buffer, compressedRead: number, compressedSize: number): boolean => {
    size = compressedSize;
    let chunk = whole;
    if (textLimit !== undefined && bytes + chunk.length > textLimit) {
      let nl = chunk.subarray(0, Math.max(0, textLimit - bytes)).lastIndexOf(10);
      if (nl < 0) nl = chunk.indexOf(10);
      if (nl >= 0) {
        chunk = chunk.subarray(0, nl + 1);
        budgetNote = columnBudgetNote((reader as CsvReader | JsonlReader).collector!, opts.maxColumnBytes ?? MAX_COLUMN_BYTES);
      }
    }
    const stop = budgetNote !== undefined;
    pushChunk(chunk, compressedRead, compressedSize);
    if (reader instanceof TextReader && reader.collector?.full) return false;
    if (!stop && textLimit === undefined) {
      for (let k = chunk.indexOf(10); k >= 0; k = chunk.indexOf(10, k + 1)) lines++;
      const c = decoder.encoding === 'utf-8' && (reader instanceof CsvReader || reader instanceof JsonlReader) ? reader.collector : undefined;
      if (c) textLimit = Math.floor(((opts.maxColumnBytes ?? MAX_COLUMN_BYTES) / columnRowBytes(c)) * (bytes / Math.max(1, lines)));
    }
    return !stop;
  };
  const pushChunk = (chunk: Buffer, compressedRead: number, compressedSize: number): void => {
    edges.push(chunk);
    if (bytes === 0) {
      const utf16 = utf16Decoder(path, chunk);
      if (utf16) {
        decoder = utf16;
        ascii = false;
      } else {
        const nul = chunk.subarray(0, 8192).indexOf(0);
        if (nul >= 0) throw new LogReadError(`${path}: ${looksUtf16(chunk) ? 'UTF-16 text without a byte-order mark inside the gzip data; save it as UTF-8' : `binary data inside the gzip file (NUL byte at offset ${nul} of its text), not a text log`}`);
      }
    }
    const body = bytes === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
    bytes += chunk.length;
    const plain = ascii && isAscii(body);
    if (plain && reader?.pushAscii?.(body)) { opts.onProgress?.(compressedRead, compressedSize); return; }
    let text: string;
    let raw: Buffer | undefined;
    if (plain) { text = body.toString('latin1'); raw = body; } else { ascii = false; text = decoder.decode(chunk, { stream: true }); }
    if (!reader) {
      pending += text;
      const blank = blankPrefix(pending);
      if (blank.chars > 0) { skipped += blank.lines; pending = pending.slice(blank.chars); }
      if (blank.all || pending.length < LONG_HEAD_CHARS) return;
      const started = startReader(pending, true);
      if (!started) return;
      [reader, text] = started;
      raw = ascii ? Buffer.from(text, 'latin1') : undefined;
    }
    reader.push(text, raw);
    opts.onProgress?.(compressedRead, compressedSize);
  };
  const head: HeadState = { chars: 0, lines: 0 };
  /** The reader the text's format (by the inner name) takes, and the text it starts at; undefined (the text kept pending) while undecided. */
  const startReader = (text: string, more: boolean): [Reader, string] | undefined => {
    const d = decideFormat(inner, text, more, head);
    pending = d.wait ? d.text : '';
    if (d.wait) return undefined;
    if (!d.format) throw unknownFormat(path, head.head ?? text.slice(0, DETECT_HEAD_CHARS));
    return [makeReader(d.format, path, { ...opts, live: undefined }, problems, size * 4, skipped + head.lines), d.text];
  };
  let result;
  try {
    result = await inflateFile(path, onChunk, { signal: opts.signal, maxBytes: opts.maxInflatedBytes, wholeLines: true });
  } catch (e) {
    if (opts.signal?.aborted || isCancelled(e)) throw abortError();
    if (e instanceof LogReadError) throw e;
    throw new LogReadError(e instanceof FileError ? e.message : `${path}: cannot read (${(e as Error).message})`);
  }
  if (result.damaged && bytes === 0) throw new LogReadError(`${path}: not a readable gzip file (${result.damaged})`);
  const tail = ascii ? '' : decoder.decode();
  if (!reader) {
    const rest = pending + tail;
    if (rest.trim() === '' && head.chars === 0) return emptyLog(path, bytes);
    const started = startReader(rest, false);
    if (!started) throw unknownFormat(path, rest.slice(0, DETECT_HEAD_CHARS));
    const [r, text] = started;
    reader = r;
    reader.push(text);
  } else if (tail) reader.push(tail);
  const mb = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;
  if (result.damaged) problems.add('gzip', 0, 'warning', `the compressed data is damaged or cut off after ${mb(bytes)} of text (${result.damaged}); the text before it is read`, 'damaged gzip data');
  if (result.stopped === 'budget') problems.add('gzip-budget', 0, 'warning', `inflates to more than its ${mb(opts.maxInflatedBytes ?? MAX_INFLATED_BYTES)} budget (from ${mb(size)} compressed): the lines up to there are read, the rest left out (uncompress it to read it all)`, 'expansion budget');
  addBudgetNote(problems, reader, budgetNote);
  const log = reader.end();
  log.stats.bytes = bytes;
  inflatedEdges.set(log, edges.edges());
  return log;
}

/** A reader kept open after the last complete line of a file (incremental.ts). */
export interface LiveState {
  reader: Reader;
  /** Bytes consumed: the file up to and including its last line end. */
  offset: number;
  decoder: InstanceType<typeof TextDecoder>;
  ascii: boolean;
}

/** The column budget's warning (columnBudgetNote), on the first line left out: the one after the reader's last. */
function addBudgetNote(problems: ProblemLog, reader: Reader, note: string | undefined): void {
  if (note && (reader instanceof CsvReader || reader instanceof JsonlReader)) problems.add('column-budget', reader.position().line + 1, 'warning', note, 'memory budget');
}

/** `len` bytes of the file from `pos` (fewer at its end). */
export async function bytesAt(fh: fs.promises.FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.alloc(Math.max(0, len));
  if (len <= 0) return b;
  const { bytesRead } = await fh.read(b, 0, len, pos);
  return b.subarray(0, bytesRead);
}

/** Byte offset just after the first line end at `from - 1` or later (`from` itself when a line ends just before it); `size` when none. */
export async function nextLineEnd(fh: fs.promises.FileHandle, from: number, size: number): Promise<number> {
  const buf = Buffer.allocUnsafe(1 << 16);
  for (let at = Math.max(0, from - 1); at < size;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - at), at);
    if (bytesRead === 0) break;
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    if (nl >= 0) return at + nl + 1;
    at += bytesRead;
  }
  return size;
}

/** Byte offset just after the last line end in the first `size` bytes (0 = none). */
export async function lastLineEnd(fh: fs.promises.FileHandle, size: number, floor = 0): Promise<number> {
  const buf = Buffer.allocUnsafe(1 << 16);
  for (let end = size; end > floor;) {
    const start = Math.max(floor, end - buf.length);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(10);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return 0;
}

/**
 * The whole read's answer for a file whose last line is still being written: `tail` (the bytes
 * after state.offset, no line end in them) read as its last line by a fork of the kept reader,
 * which itself stays at the line end. Undefined when the reader cannot fork (read it whole).
 */
export function liveFinish(state: LiveState, tail: Buffer): ParsedLog | undefined {
  const r = state.reader.fork?.();
  if (!r) return undefined;
  // At a line end the streaming decoder holds no partial character: a fresh one reads the rest
  // as it would (the whole read flushes it at the end).
  if (state.ascii && isAscii(tail)) r.push(tail.toString('latin1'), tail);
  else r.push(new TextDecoder('utf-8').decode(tail));
  const log = r.end();
  log.stats.bytes = state.offset + tail.length;
  return settled(log);
}

/**
 * Feeds the complete lines of `chunk` (bytes following state.offset, ending with a line end) to the
 * kept reader and returns the log so far; undefined when the reader cannot go on (read it whole).
 */
export function liveAppend(state: LiveState, chunk: Buffer): ParsedLog | undefined {
  if (chunk.length > 0) {
    let text: string;
    let bytes: Buffer | undefined;
    if (state.ascii && isAscii(chunk)) { text = chunk.toString('latin1'); bytes = chunk; }
    else { state.ascii = false; text = state.decoder.decode(chunk, { stream: true }); }
    state.reader.push(text, bytes);
    state.offset += chunk.length;
  }
  const snap = state.reader.snapshot?.();
  if (!snap) return undefined;
  snap.stats.bytes = state.offset;
  return settled(snap);
}

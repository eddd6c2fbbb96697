/**
 * Jupyter notebooks (nbformat 4 JSON, `.ipynb`): most Kaggle, Colab, kohya and diffusers runs reach
 * GitHub as a notebook whose code cells' outputs hold the whole training console (a real kohya
 * sd-scripts LoRA run on Kaggle: its 2,000 steps' progress bars are cell 3's stdout). The notebook is
 * read through those outputs — `stream` text (stdout, stderr), the `text/plain` of `display_data` and
 * `execute_result` — joined into one text log for the text readers; the Hugging Face Trainer's own
 * log in a notebook, the HTML table its NotebookProgressCallback displays (`<th>Step</th><th>Training
 * Loss</th>…`), becomes a table of its rows instead.
 *
 * Read in one pass over the file's bytes, chunk by chunk, never building the notebook's object tree
 * and never executing anything: a small iterative JSON scanner keeps only the strings it needs (cell
 * types, execution counts, output types and texts) and steps over everything else, base64 images of
 * tens of MB included, without decoding them. The text taken is bounded (MAX_NOTEBOOK_TEXT), nesting
 * is bounded (MAX_DEPTH), and keys are compared as text (a `__proto__` key is data).
 */
import { Cancelled } from '../cancel';
import { openRegular } from '../files';
import { formatInteger } from '../format';
import { inflateFile, isGzipName } from './gzip';

/** Whether the name says notebook (gzipped too: `run.ipynb.gz`). */
export const isNotebookName = (p: string): boolean => /\.ipynb(?:\.gz)?$/i.test(p);

/**
 * The most output text taken from one notebook: 256 MB, as much as the largest text log read whole
 * (splitRuns' MAX_SPLIT_BYTES); the outputs after it are left out, said.
 */
export const MAX_NOTEBOOK_TEXT = 256 * 2 ** 20;
/** Deeper nesting is no notebook (nbformat's own is 7 levels; widget state a few more). */
const MAX_DEPTH = 512;
/** The most cells read (a notebook of more is read up to there, said). */
const MAX_CELLS = 100_000;
/** The HTML of one output kept to look for the Trainer's table (a real 5,604-step table is 40 KB). */
const MAX_HTML = 16 * 2 ** 20;

/**
 * A JSON object whose head names a notebook's keys: Jupyter writes its keys sorted (`"cells"` first),
 * Kaggle writes `"metadata"`, `"nbformat"` and then `"cells"`. Only a hint: the scan decides.
 */
export function looksLikeNotebookHead(head: Buffer): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] !== 0x7b) return false;
  const text = head.subarray(i, i + 65536).toString('latin1');
  return /"cells"[ \t\r\n]{0,64}:[ \t\r\n]{0,64}\[/.test(text) || /"nbformat"[ \t\r\n]{0,64}:[ \t\r\n]{0,64}\d/.test(text);
}

/** Where a stretch of the joined text comes from: a cell's outputs, from its output line `from`. */
export interface NotebookPiece {
  /** First line (1-based) of the joined text that is this cell's. */
  line: number;
  /** Lines of the joined text that are this cell's. */
  lines: number;
  /** The cell's index in the notebook's `cells` (from 0, as nbformat and Jupyter's API count them). */
  cell: number;
  /** Its `execution_count` (the `In [N]` Jupyter shows), or null. */
  count: number | null;
  /** What the lines are: the cell's printed output, or the Trainer's table of it. */
  what: 'output' | 'table';
}

export interface NotebookText {
  /** The text read: the code cells' outputs joined, or the Trainer table's rows as CSV. */
  text: string;
  /** `csv` when the text is the Trainer's table, else `text`. */
  kind: 'text' | 'csv';
  pieces: NotebookPiece[];
  /** nbformat's major version. */
  nbformat: number;
  cells: number;
  /** Image and other binary outputs stepped over, never decoded. */
  images: number;
  /** Notes to add as problems (line 0): how the lines map to cells, what was left out and why. */
  notes: { severity: 'info' | 'warning'; message: string }[];
  /** The planned end the Trainer's progress bar above its table states (`[544/544 19:38, Epoch 2/2]`). */
  plannedSteps?: { steps: number; source: string };
  /** The epochs that bar states (`Epoch 2/2`): the passes over the data its planned steps make. */
  epochs?: { count: number; source: string; stepsPerPass: number };
}

/** One output of a cell, as the scan collected it. */
interface Output {
  type?: string;
  name?: string;
  text: string[];
  plain: string[];
  html: string[];
  /** A `text` that is neither a string nor a list of strings (said, skipped). */
  odd: boolean;
}

interface Cell {
  /** Its index in `cells`, from 0. */
  index: number;
  type?: string;
  count: number | null;
  texts: { text: string; stream?: string }[];
  tables: string[];
}

// Roles of a JSON value, from where it is in the notebook.
const enum R {
  Skip, Root, Cells, Cell, Outputs, Output, Data, CellType, Count, NbFormat, OType, OName,
  Text, Plain, Html, TextArr, PlainArr, HtmlArr,
}

/** The role of a value under a container of role `parent` at key `key` (objects) or any index (arrays). */
function childRole(parent: R, key: string | undefined): R {
  switch (parent) {
    case R.Root:
      return key === 'cells' ? R.Cells : key === 'nbformat' ? R.NbFormat : R.Skip;
    case R.Cells: return R.Cell;
    case R.Cell:
      return key === 'cell_type' ? R.CellType : key === 'execution_count' ? R.Count : key === 'outputs' ? R.Outputs : R.Skip;
    case R.Outputs: return R.Output;
    case R.Output:
      return key === 'output_type' ? R.OType : key === 'name' ? R.OName : key === 'text' ? R.Text : key === 'data' ? R.Data : R.Skip;
    // image/png, image/jpeg, application/vnd.jupyter.widget-view+json, …: stepped over, never decoded.
    case R.Data: return key === 'text/plain' ? R.Plain : key === 'text/html' ? R.Html : R.Skip;
    case R.TextArr: return R.Text;
    case R.PlainArr: return R.Plain;
    case R.HtmlArr: return R.Html;
    default: return R.Skip;
  }
}

/** Objects whose keys are looked at (every other role that is a container is a list). */
const KEYED = new Set<R>([R.Root, R.Cell, R.Output, R.Data]);

export class NotebookError extends Error {}

/**
 * Logs read from a notebook (parse.ts), with the first 256 KB of the text read (a text log's printed
 * head, logHead.ts) and its first and last 64 KB (tail.ts): the file's own bytes are JSON, not the log.
 */
export const notebookLogs = new WeakMap<object, { head: string }>();
/** Whether `log` was read from a notebook. */
export const isNotebookLog = (log: object): boolean => notebookLogs.has(log);

/** `line N` in a message about the text read from a notebook, said as where it is in the notebook. */
export function placeLines(text: string, pieces: readonly NotebookPiece[]): string {
  return text.replace(/\bline (\d{1,9})\b/g, (m, n: string) => placeOf(pieces, Number(n)) ?? m);
}

/** JSON string escapes (the raw bytes between the quotes, decoded as UTF-8 first). Linear. */
function unescapeJson(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_m, hex: string | undefined, c: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    switch (c) {
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      default: return c as string;
    }
  });
}

/**
 * The scanner: a JSON tokenizer fed chunk by chunk that keeps a notebook's cells and outputs.
 * Throws NotebookError for text that is not JSON (with the byte offset).
 */
class Scanner {
  // The containers open, innermost last: their kind (true = object) and role, and the key being read.
  private isObj: boolean[] = [];
  private roles: R[] = [];
  private keys: (string | undefined)[] = [];
  /** What comes next: a value, a key (or the object's end), a colon, a comma or the end of a container. */
  private want: 'value' | 'key' | 'keyOrEnd' | 'valueOrEnd' | 'colon' | 'after' = 'value';
  // Inside a string: whether it is a key, the role it fills, its kept bytes (up to `cap`), an escape pending.
  private inString = false;
  private strIsKey = false;
  private strRole = R.Skip;
  private strParts: Buffer[] = [];
  private strBytes = 0;
  private strCap = 0;
  private strCut = false;
  private escape = false;
  // Inside a number or literal: its role and text so far.
  private inLit = false;
  private litRole = R.Skip;
  private lit = '';
  private offset = 0;
  private done = false;

  nbformat: number | undefined;
  sawCells = false;
  cells: Cell[] = [];
  cellCount = 0;
  images = 0;
  oddTexts: number[] = [];
  private cell: Cell | undefined;
  private output: Output | undefined;
  /** Text bytes kept so far (the budget), and where it ran out. */
  taken = 0;
  cutAt: number | undefined;
  tooManyCells = false;

  constructor(private readonly budget: number) {}

  private fail(what: string, at: number): never {
    throw new NotebookError(`not JSON: ${what} at byte ${formatInteger(this.offset + at)}`);
  }

  /** The role of the value about to start. */
  private nextRole(): R {
    const d = this.roles.length;
    if (d === 0) return R.Root;
    const parent = this.roles[d - 1];
    if (parent === R.Skip) return R.Skip;
    return childRole(parent, this.isObj[d - 1] ? this.keys[d - 1] : undefined);
  }

  push(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        i = this.stringPart(buf, i);
        continue;
      }
      if (this.inLit) {
        let j = i;
        while (j < n && !isDelimiter(buf[j])) j++;
        if (this.litRole !== R.Skip && this.lit.length < 64) this.lit += buf.toString('latin1', i, Math.min(j, i + 64));
        if (j === n) { i = n; continue; }
        this.inLit = false;
        this.endLiteral(j);
        this.want = 'after';
        i = j;
        continue;
      }
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) { i++; continue; }
      if (this.done) this.fail('text after the end of the JSON value', i);
      switch (this.want) {
        case 'value':
        case 'valueOrEnd':
          if (c === 0x5d && this.want === 'valueOrEnd') { this.close(); i++; continue; }
          i = this.startValue(buf, i);
          continue;
        case 'key':
        case 'keyOrEnd':
          if (c === 0x7d && this.want === 'keyOrEnd') { this.close(); i++; continue; }
          if (c !== 0x22) this.fail('a key expected', i);
          this.beginString(true, KEYED.has(this.roles[this.roles.length - 1]) ? R.Root : R.Skip, 64);
          i++;
          continue;
        case 'colon':
          if (c !== 0x3a) this.fail('":" expected', i);
          this.want = 'value';
          i++;
          continue;
        case 'after': {
          const d = this.roles.length;
          if (d === 0) { this.done = true; continue; }
          const obj = this.isObj[d - 1];
          if (c === 0x2c) { this.want = obj ? 'key' : 'value'; i++; continue; }
          if ((obj && c === 0x7d) || (!obj && c === 0x5d)) { this.close(); i++; continue; }
          this.fail('"," or the end of a container expected', i);
        }
      }
    }
    this.offset += n;
  }

  private startValue(buf: Buffer, i: number): number {
    const role = this.nextRole();
    const d = this.roles.length;
    // An image (`image/png`, base64 of up to tens of MB): counted, stepped over, never decoded.
    if (d > 0 && this.roles[d - 1] === R.Data && this.keys[d - 1]?.startsWith('image/')) this.images++;
    const c = buf[i];
    if (c === 0x7b || c === 0x5b) {
      if (this.roles.length >= MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`, i);
      const obj = c === 0x7b;
      let r = role;
      if (role === R.Text || role === R.Plain || role === R.Html) {
        // A text given as a list of strings (nbformat's multi-line strings); an object there is no text.
        r = obj ? R.Skip : role === R.Text ? R.TextArr : role === R.Plain ? R.PlainArr : R.HtmlArr;
        if (obj && role === R.Text && this.output) this.output.odd = true;
      } else if (role !== R.Skip && (KEYED.has(role) ? !obj : obj || !(role === R.Cells || role === R.Outputs))) {
        // The wrong kind of value for its place (`"outputs": {}`, a list as a cell, an object as a cell type): stepped over.
        r = R.Skip;
      }
      if (role === R.Skip) r = R.Skip;
      if (!obj && role === R.Root) r = R.Skip;
      if (r === R.Cells) this.sawCells = true;
      if (r === R.Cell) {
        this.cellCount++;
        if (this.cellCount > MAX_CELLS) { this.tooManyCells = true; r = R.Skip; } else this.cell = { index: this.cellCount - 1, count: null, texts: [], tables: [] };
      }
      if (r === R.Output) this.output = { text: [], plain: [], html: [], odd: false };
      if (r === R.Data && this.output === undefined) r = R.Skip;
      this.isObj.push(obj);
      this.roles.push(r);
      this.keys.push(undefined);
      this.want = obj ? 'keyOrEnd' : 'valueOrEnd';
      return i + 1;
    }
    if (c === 0x22) {
      const cap = role === R.Text || role === R.Plain ? this.budget - this.taken : role === R.Html ? MAX_HTML : role === R.CellType || role === R.OType || role === R.OName ? 64 : 0;
      this.beginString(false, cap > 0 ? role : R.Skip, Math.max(0, cap));
      if (role === R.Text || role === R.Plain) { if (cap <= 0 && this.cutAt === undefined) this.cutAt = this.cellCount - 1; }
      return i + 1;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
      // A text that is a number or a literal is no text: said once per cell.
      if (role === R.Text && this.output) this.output.odd = true;
      this.inLit = true;
      this.litRole = role === R.Count || role === R.NbFormat ? role : R.Skip;
      this.lit = '';
      return i;
    }
    return this.fail(`unexpected character ${JSON.stringify(String.fromCharCode(c))}`, i);
  }

  private beginString(key: boolean, role: R, cap: number): void {
    this.inString = true;
    this.strIsKey = key;
    this.strRole = role;
    this.strParts = [];
    this.strBytes = 0;
    this.strCap = role === R.Skip ? 0 : cap;
    this.strCut = false;
    this.escape = false;
  }

  /** Reads on inside a string from `i`; the index after what was read. */
  private stringPart(buf: Buffer, i: number): number {
    const n = buf.length;
    let j = i;
    for (;;) {
      if (this.escape) {
        this.escape = false;
        j++;
        if (j >= n) { this.keep(buf, i, n); return n; }
        continue;
      }
      const q = buf.indexOf(0x22, j);
      const b = buf.indexOf(0x5c, j);
      if (b >= 0 && (q < 0 || b < q)) {
        // An escape: the character after the backslash is part of it (possibly in the next chunk).
        j = b + 1;
        if (j >= n) { this.escape = true; this.keep(buf, i, n); return n; }
        j++;
        if (j >= n) { this.keep(buf, i, n); return n; }
        continue;
      }
      if (q < 0) { this.keep(buf, i, n); return n; }
      this.keep(buf, i, q);
      this.inString = false;
      this.endString();
      return q + 1;
    }
  }

  private keep(buf: Buffer, from: number, to: number): void {
    if (this.strCap <= 0 || from >= to) return;
    const room = this.strCap - this.strBytes;
    if (room <= 0) { this.strCut = true; return; }
    const end = Math.min(to, from + room);
    if (end < to) this.strCut = true;
    // A copy: the chunk's buffer is reused for the next read.
    this.strParts.push(Buffer.from(buf.subarray(from, end)));
    this.strBytes += end - from;
  }

  private endString(): void {
    const raw = this.strParts.length === 1 ? this.strParts[0] : Buffer.concat(this.strParts, this.strBytes);
    this.strParts = [];
    const d = this.roles.length;
    if (this.strIsKey) {
      this.keys[d - 1] = this.strRole === R.Skip || this.strCut ? undefined : unescapeJson(raw.toString('utf8'));
      this.want = 'colon';
      return;
    }
    this.want = 'after';
    const role = this.strRole;
    if (role === R.Skip) return;
    const s = unescapeJson(raw.toString('utf8'));
    const o = this.output;
    switch (role) {
      case R.CellType: if (this.cell && !this.strCut) this.cell.type = s; break;
      case R.OType: if (o && !this.strCut) o.type = s; break;
      case R.OName: if (o && !this.strCut) o.name = s; break;
      case R.Text: case R.Plain:
        if (o) (role === R.Text ? o.text : o.plain).push(s);
        this.taken += this.strBytes;
        if (this.strCut && this.cutAt === undefined) this.cutAt = this.cellCount - 1;
        break;
      case R.Html: if (o && !this.strCut) o.html.push(s); break;
      default: break;
    }
  }

  private endLiteral(at: number): void {
    const t = this.lit;
    if (!/^(?:-?(?:0|[1-9][0-9]{0,30})(?:\.[0-9]{1,30})?(?:[eE][+-]?[0-9]{1,5})?|true|false|null)$/.test(t) && this.litRole !== R.Skip) this.fail(`${JSON.stringify(t.slice(0, 20))} is no JSON value`, at);
    if (this.litRole === R.Count && this.cell) this.cell.count = /^[0-9]{1,15}$/.test(t) ? Number(t) : null;
    if (this.litRole === R.NbFormat && /^[0-9]{1,6}$/.test(t)) this.nbformat = Number(t);
  }

  private close(): void {
    const role = this.roles.pop();
    this.isObj.pop();
    this.keys.pop();
    this.want = 'after';
    if (this.roles.length === 0) this.done = true;
    if (role === R.Output && this.output && this.cell) this.endOutput(this.output, this.cell);
    if (role === R.Output) this.output = undefined;
    if (role === R.Cell && this.cell) {
      // Only code cells have outputs (a markdown cell's attachments are no output).
      if ((this.cell.type === undefined || this.cell.type === 'code') && (this.cell.texts.length || this.cell.tables.length)) this.cells.push(this.cell);
      this.cell = undefined;
    }
  }

  private endOutput(o: Output, cell: Cell): void {
    const cellIndex = this.cellCount - 1;
    if (o.odd) this.oddTexts.push(cellIndex);
    const type = o.type ?? '';
    if (type === 'stream') {
      if (o.text.length) cell.texts.push({ text: o.text.join(''), stream: o.name ?? 'stdout' });
    } else if (type === 'display_data' || type === 'execute_result' || type === 'update_display_data') {
      const html = o.html.join('');
      if (TRAINER_TABLE_RE.test(html)) cell.tables.push(html);
      else if (o.plain.length) cell.texts.push({ text: o.plain.join('') });
    }
  }

  finish(): void {
    if (this.inString || this.inLit || this.roles.length > 0 || !this.done) throw new NotebookError(`not JSON: the text ends inside ${this.inString ? 'a string' : 'an unclosed object or list'} (cut off at byte ${formatInteger(this.offset)}?)`);
  }
}

const isDelimiter = (c: number): boolean => c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The Trainer's NotebookProgressCallback table (transformers/utils/notebook.py): its header names a training or validation loss. */
const TRAINER_TABLE_RE = /<th>(?:Training Loss|Validation Loss)<\/th>/;

interface TrainerTable { header: string[]; rows: string[][]; progress?: { value: number; max: number; text: string } }

/** The Trainer table's header and rows (`<th>…</th>`, `<td>…</td>`, as `text_to_html_table` writes them). Linear. */
function trainerTable(html: string): TrainerTable | undefined {
  const thead = html.indexOf('<thead>');
  const tbody = html.indexOf('<tbody>');
  if (thead < 0 || tbody < thead) return undefined;
  const header = [...html.slice(thead, tbody).matchAll(/<th>([^<]{0,200})<\/th>/g)].map((m) => m[1].trim());
  const end = html.indexOf('</tbody>', tbody);
  const body = html.slice(tbody, end < 0 ? html.length : end);
  const rows: string[][] = [];
  for (const tr of body.split('<tr')) {
    const cells = [...tr.matchAll(/<td>([^<]{0,200})<\/td>/g)].map((m) => m[1].trim());
    if (cells.length) rows.push(cells);
  }
  const p = /<progress value='(\d{1,12})' max='(\d{1,12})'/.exec(html);
  const bar = /\[ {0,12}\d{1,12}\/\d{1,12} [^\]\n]{0,80}\]/.exec(html);
  return { header, rows, progress: p ? { value: Number(p[1]), max: Number(p[2]), text: bar ? bar[0] : `${p[1]}/${p[2]}` } : undefined };
}

/**
 * The Trainer table's column names as the Trainer logs them: `Step`/`Epoch` the counter, `Training
 * Loss` its `loss`, `Validation Loss` `eval_loss`, and every other column one of the evaluation's
 * metrics, which the callback prints without their `eval_` prefix, title-cased (`Num Tokens` is
 * `eval_num_tokens`).
 */
function trainerColumn(name: string, first: boolean): string {
  if (first && /^(?:step|epoch)$/i.test(name)) return name.toLowerCase();
  if (name === 'Training Loss') return 'loss';
  if (name === 'Validation Loss') return 'eval_loss';
  const snake = name.toLowerCase().replace(/[^a-z0-9]{1,50}/g, '_').replace(/^_|_$/g, '');
  return `eval_${snake || 'metric'}`;
}

const cellWords = (cell: number, count: number | null): string => `cell ${cell}${count !== null ? ` (In [${count}])` : ''}`;

/** Where line `line` (1-based) of the text read is in the notebook, in words: `cell 3 (In [6]), output line 645`. */
export function placeOf(pieces: readonly NotebookPiece[], line: number): string | undefined {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid];
    if (line < p.line) hi = mid - 1;
    else if (line >= p.line + p.lines) lo = mid + 1;
    else {
      const k = line - p.line;
      if (p.what === 'table') return `${cellWords(p.cell, p.count)}, the Trainer's table, ${k === 0 ? 'its header' : `row ${k}`}`;
      return `${cellWords(p.cell, p.count)}, output line ${k + 1}`;
    }
  }
  return undefined;
}

/** The note that maps the lines read to the cells (at most 8 named). */
function mapNote(name: string, pieces: readonly NotebookPiece[], kind: 'text' | 'csv', images: number): string {
  const shown = pieces.slice(0, 8).map((p) => `${p.lines === 1 ? `line ${formatInteger(p.line)}` : `lines ${formatInteger(p.line)}–${formatInteger(p.line + p.lines - 1)}`} ${cellWords(p.cell, p.count)}`);
  const more = pieces.length > 8 ? `, and ${pieces.length - 8} more cells` : '';
  const imgs = images > 0 ? `; ${formatInteger(images)} image or widget output${images === 1 ? '' : 's'} stepped over unread` : '';
  const what = kind === 'csv' ? 'the Hugging Face Trainer\'s table of its training log (the last it displayed), read as a table' : 'the text its code cells printed (stream output and text/plain, joined in order)';
  return `${name}: a Jupyter notebook, read through ${what}: ${shown.join(', ')}${more} (cells counted from 0, as in the notebook's file; line numbers in these messages count the lines so read)${imgs}`;
}

/**
 * Reads a notebook file into the text its outputs hold (see the module's comment). Returns undefined
 * when the file is JSON but no notebook (no top-level `cells` list and `nbformat`) and `sure` is false;
 * throws NotebookError saying why otherwise.
 */
export async function readNotebook(file: string, opts: { signal?: AbortSignal; sure?: boolean; onProgress?: (read: number, total: number) => void; maxText?: number } = {}): Promise<NotebookText | undefined> {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const scan = new Scanner(opts.maxText ?? MAX_NOTEBOOK_TEXT);
  let first = true;
  /** Scans a chunk; false when the text is no JSON and the caller is not sure it is a notebook. */
  const feed = (chunk: Buffer): boolean => {
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    first = false;
    try {
      scan.push(chunk);
    } catch (e) {
      if (!opts.sure && e instanceof NotebookError) return false;
      throw e;
    }
    return true;
  };
  if (isGzipName(file)) {
    // A gzipped notebook (`run.ipynb.gz`): inflated as a stream, within the gzip expansion budget.
    let no = false;
    const r = await inflateFile(file, (chunk, read, size) => {
      if (opts.signal?.aborted) throw new Cancelled('reading the notebook was cancelled');
      if (!feed(chunk)) { no = true; return false; }
      opts.onProgress?.(read, size);
      return true;
    }, { signal: opts.signal });
    if (no) return undefined;
    if (r.damaged) {
      if (!opts.sure) return undefined;
      throw new NotebookError(`the compressed data is damaged or cut off (${r.damaged})`);
    }
  } else {
    const { fh, size } = await openRegular(file);
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      let pos = 0;
      for (;;) {
        if (opts.signal?.aborted) throw new Cancelled('reading the notebook was cancelled');
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        if (!feed(buf.subarray(0, bytesRead))) return undefined;
        pos += bytesRead;
        opts.onProgress?.(pos, size);
      }
    } finally {
      await fh.close();
    }
  }
  try {
    scan.finish();
  } catch (e) {
    if (!opts.sure) return undefined;
    throw e;
  }
  if (!scan.sawCells || scan.nbformat === undefined) {
    if (!opts.sure) return undefined;
    if (scan.nbformat !== undefined && scan.nbformat < 4) throw new NotebookError(`a Jupyter notebook of nbformat ${scan.nbformat} (its cells under "worksheets"): only nbformat 4 is read; open it in Jupyter and save it to convert it`);
    throw new NotebookError(`not a Jupyter notebook: no top-level ${scan.sawCells ? '"nbformat"' : '"cells" list'} (nbformat 4 JSON)`);
  }
  if (scan.nbformat < 4) throw new NotebookError(`a Jupyter notebook of nbformat ${scan.nbformat}: only nbformat 4 is read; open it in Jupyter and save it to convert it`);
  const notes: NotebookText['notes'] = [];
  if (scan.cutAt !== undefined) notes.push({ severity: 'warning', message: `${name}: its outputs hold more than ${Math.round((opts.maxText ?? MAX_NOTEBOOK_TEXT) / 2 ** 20)} MB of text: read up to cell ${scan.cutAt}, the rest left out` });
  if (scan.tooManyCells) notes.push({ severity: 'warning', message: `${name}: more than ${formatInteger(MAX_CELLS)} cells: the first ${formatInteger(MAX_CELLS)} are read` });
  if (scan.oddTexts.length) notes.push({ severity: 'warning', message: `${name}: an output's "text" in cell ${[...new Set(scan.oddTexts)].slice(0, 5).join(', ')} is neither a string nor a list of strings: left out` });
  const cells = scan.cells;
  // The Trainer's table, when the notebook displayed one with rows: its last (each update of the bar
  // displays the table again; the last holds every row).
  let table: { t: TrainerTable; cell: Cell } | undefined;
  let tables = 0;
  for (const c of cells) {
    for (const html of c.tables) {
      const t = trainerTable(html);
      if (!t || t.rows.length === 0 || t.header.length < 2) continue;
      tables++;
      table = { t, cell: c };
    }
  }
  if (table) {
    const { t, cell } = table;
    const cols = t.header.map((h, k) => trainerColumn(h, k === 0));
    const esc = (v: string) => (v === 'No log' ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [cols.join(','), ...t.rows.map((r) => cols.map((_, k) => esc(r[k] ?? '')).join(','))];
    const pieces: NotebookPiece[] = [{ line: 1, lines: lines.length, cell: cell.index, count: cell.count, what: 'table' }];
    const stepTable = cols[0] === 'step';
    const plannedSteps = stepTable && t.progress && t.progress.max > 0
      ? { steps: t.progress.max, source: `the Trainer's progress bar above its table in ${cellWords(cell.index, cell.count)} ("${t.progress.text.replace(/\s{2,}/g, ' ')}")` }
      : undefined;
    // Its `Epoch 2/2`: the planned steps pass over the data that many times (a real Gemma SFT
    // notebook's 544 steps, 2 epochs, its loss 0.0088 by step 500: a run over repeated data).
    const ep = plannedSteps ? /Epoch (\d{1,6}(?:\.\d{1,4})?)\/(\d{1,6})\b/.exec(t.progress!.text) : null;
    const epochs = ep && Number(ep[2]) > 1 ? { count: Number(ep[2]), source: `the Trainer's progress bar above its table in ${cellWords(cell.index, cell.count)} ("Epoch ${ep[1]}/${ep[2]}")`, stepsPerPass: plannedSteps!.steps / Number(ep[2]) } : undefined;
    const printed = cells.reduce((n, c) => n + c.texts.length, 0);
    if (tables > 1) notes.push({ severity: 'info', message: `${name}: ${tables} Trainer tables displayed: the last, in ${cellWords(cell.index, cell.count)}, is read (each update of the progress bar displays the table again)` });
    if (printed > 0) notes.push({ severity: 'info', message: `${name}: its cells' printed text is not read: the Trainer's table is the run's log` });
    return { text: `${lines.join('\n')}\n`, kind: 'csv', pieces, nbformat: scan.nbformat, cells: scan.cellCount, images: scan.images, notes: [{ severity: 'info', message: mapNote(name, pieces, 'csv', scan.images) }, ...notes], plannedSteps, ...(epochs ? { epochs } : {}) };
  }
  const parts: string[] = [];
  const pieces: NotebookPiece[] = [];
  let line = 1;
  for (const c of cells) {
    let text = '';
    let stream: string | undefined;
    for (const t of c.texts) {
      // Consecutive writes to one stream go on where the last stopped (as Jupyter shows them); any
      // other output starts on a line of its own.
      if (text && !text.endsWith('\n') && !(t.stream !== undefined && t.stream === stream)) text += '\n';
      text += t.text;
      stream = t.stream;
    }
    if (!text) continue;
    if (!text.endsWith('\n')) text += '\n';
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    pieces.push({ line, lines: n, cell: c.index, count: c.count, what: 'output' });
    parts.push(text);
    line += n;
  }
  if (parts.length === 0) throw new NotebookError(`a Jupyter notebook whose code cells hold no output text (${formatInteger(scan.cellCount)} cells${scan.images ? `, ${formatInteger(scan.images)} image or widget outputs` : ''}): nothing to read; save it with its outputs`);
  return { text: parts.join(''), kind: 'text', pieces, nbformat: scan.nbformat, cells: scan.cellCount, images: scan.images, notes: [{ severity: 'info', message: mapNote(name, pieces, 'text', scan.images) }, ...notes] };
}

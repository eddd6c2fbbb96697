/**
 * Reading eval results into what the inference-compute laws need:
 *  - repeated samples: one row per attempt (problem id + correct / a score with a threshold), or
 *    one row per problem with `n` attempts and `c` correct — grouped by model and budget when the
 *    table has those columns;
 *  - lm-evaluation-harness `samples_*.jsonl` (`--log_samples`): one line per document and filter,
 *    `doc_id` + the per-sample metric (`metrics` names it); a document on several lines (repeats
 *    logged separately, runs concatenated) is several attempts; a fractional per-document metric
 *    over m responses (e.g. pass@1 with `repeats: m`) is read as c = value·m of n = m;
 *  - thinking-budget tables: (model, parameters, thinking tokens per query, accuracy) rows.
 * Roles are inferred from the column names and values, as for training logs, with overrides.
 * CSV goes through papaparse; JSON lines through JSON.parse. readEvalText is pure; readEvalFile is
 * the one edge that touches the file system (regular files only, size-capped).
 */
import * as fs from 'node:fs';
import Papa from 'papaparse';
import type { Problem } from '../dataset';
import { csvDelimiter } from '../logs/detect';
import { normalizeName } from '../logs/roles';
import { lineSpans } from '../lines';

export { EVAL_ROLES, type EvalRole } from './roles';
import type { EvalRole } from './roles';

export type EvalKind = 'samples' | 'counts' | 'budget';

export interface EvalColumn {
  name: string;
  role: EvalRole;
  confidence: number;
  reason: string;
}

/** One (model, budget) group of a repeated-sampling file. */
export interface RepeatedGroup {
  /** "model · budget" or "all" when the file has neither column. */
  key: string;
  model?: string;
  budget?: number;
  problems: string[];
  n: Int32Array;
  c: Int32Array;
  /** Mean of a per-attempt token column (when the budget column varies per attempt). */
  meanTokens?: number;
}

export interface BudgetRow {
  model: string;
  params: number;
  tokens: number;
  /** Fraction in [0, 1]. */
  accuracy: number;
  prompt: number;
  trainTokens: number;
  line: number;
}

export interface EvalData {
  file: string;
  format: 'csv' | 'jsonl' | 'lm-eval';
  kind: EvalKind;
  columns: EvalColumn[];
  /** Data rows read. */
  rows: number;
  groups: RepeatedGroup[];
  budget: BudgetRow[];
  problems: Problem[];
  notes: string[];
}

export interface EvalReadOptions {
  roleOverrides?: Record<string, EvalRole>;
  /** A score counts as a success at or above this (default 0.5). */
  threshold?: number;
  /** lm-eval: which per-sample metric (default: the sample's `metrics` list, else a known name). */
  metric?: string;
}

type Cell = string | number | boolean | null;

/** Rows kept as arrays aligned with `names`: no object keyed by user text. */
interface Table { names: string[]; rows: Cell[][]; lines: number[] }

const MAX_PROBLEMS_LISTED = 20;

class Problems {
  readonly list: Problem[] = [];
  private counts = new Map<string, number>();
  constructor(private file: string) {}
  add(kind: string, line: number, severity: Problem['severity'], message: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= MAX_PROBLEMS_LISTED) this.list.push({ line, severity, message: line > 0 ? `${this.file}:${line}: ${message}` : `${this.file}: ${message}` });
  }
  finish(): Problem[] {
    for (const [kind, n] of this.counts) {
      if (n > MAX_PROBLEMS_LISTED) this.list.push({ line: 0, severity: 'warning', message: `${this.file}: ${n - MAX_PROBLEMS_LISTED} more lines with ${kind} (${n} in all)` });
    }
    return this.list;
  }
}

// ------------------------------------------------------------------------------------ roles

const PROBLEM = new Set(['problem', 'problem_id', 'question_id', 'task_id', 'doc_id', 'id', 'qid', 'instance_id', 'example_id',
  'prompt_id', 'item_id', 'question', 'idx', 'index', 'problem_idx', 'problem_index', 'uid', 'puzzle_id', 'doc']);
const ATTEMPT = new Set(['attempt', 'attempt_id', 'attempt_idx', 'sample', 'sample_id', 'sample_idx', 'sample_index', 'seed', 'trial',
  'try', 'generation', 'generation_id', 'gen_idx', 'completion_id', 'completion_idx', 'repeat', 'rollout', 'rollout_id', 'draw']);
const CORRECT = new Set(['correct', 'is_correct', 'passed', 'pass', 'success', 'solved', 'is_solved', 'exact_match', 'em', 'acc',
  'accuracy', 'resolved', 'result', 'label', 'verdict', 'ok', 'match', 'correctness', 'pass@1', 'pass_at_1', 'pass_1']);
const SCORE = new Set(['score', 'reward', 'grade', 'rating', 'value', 'fraction_passed', 'tests_passed_fraction', 'pass_rate', 'f1']);
const N_NAMES = new Set(['n', 'n_samples', 'num_samples', 'attempts', 'num_attempts', 'n_attempts', 'total', 'trials', 'num_trials', 'k_total', 'samples']);
const C_NAMES = new Set(['c', 'n_correct', 'num_correct', 'correct', 'successes', 'num_success', 'num_successes', 'n_success', 'num_passed',
  'passed', 'solved', 'n_solved', 'num_solved', 'hits', 'correct_count', 'num_right']);
const MODEL = new Set(['model', 'model_name', 'model_id', 'checkpoint', 'system', 'policy', 'name', 'engine', 'llm']);
const PARAMS = new Set(['params', 'parameters', 'n_params', 'num_params', 'nparams', 'model_size', 'size', 'param_count',
  'num_parameters', 'n_parameters', 'non_embedding_params']);
const BUDGET = new Set(['thinking_tokens', 'reasoning_tokens', 'thinking_budget', 'budget', 'token_budget', 'max_tokens', 'max_new_tokens',
  'generated_tokens', 'output_tokens', 'completion_tokens', 'tokens_per_query', 'tokens', 'gen_tokens', 'response_tokens', 'num_tokens',
  'avg_tokens', 'mean_tokens', 'think_tokens', 'reasoning_budget', 'thinking_budget_tokens', 'test_time_tokens', 'inference_tokens']);
const PROMPT = new Set(['prompt_tokens', 'input_tokens', 'prompt_len', 'prompt_length', 'context_tokens']);
const TRAIN = new Set(['train_tokens', 'training_tokens', 'pretrain_tokens', 'pretraining_tokens', 'data_tokens', 'd', 'tokens_trained']);

interface Guess { roles: EvalRole[]; confidence: number; reason: string }

function byName(raw: string): Guess {
  const n = normalizeName(raw);
  const cands: EvalRole[] = [];
  if (N_NAMES.has(n)) cands.push('n');
  if (C_NAMES.has(n)) cands.push('c');
  if (PROBLEM.has(n)) cands.push('problem');
  if (ATTEMPT.has(n)) cands.push('attempt');
  if (CORRECT.has(n) || /^(is_)?correct|^pass(ed)?$|exact_match/.test(n)) cands.push('correct');
  if (SCORE.has(n)) cands.push('score');
  if (/^(acc|accuracy|pass@1|pass_at_1|pass_1|score|solve_rate|success_rate|mean_accuracy|exact_match|em)$|accuracy$/.test(n)) cands.push('accuracy');
  if (MODEL.has(n)) cands.push('model');
  if (PARAMS.has(n) || (/param/.test(n) && !/hyper/.test(n))) cands.push('params');
  if (PROMPT.has(n)) cands.push('prompt');
  else if (TRAIN.has(n) || /^(train|training|pretrain|pretraining)_/.test(n) && /token/.test(n)) cands.push('train_tokens');
  else if (BUDGET.has(n) || (/think|reason|generat|output|completion/.test(n) && /token|budget|len/.test(n))) cands.push('budget');
  if (cands.length === 0) return { roles: ['other'], confidence: 0.5, reason: 'no known role for this name' };
  return { roles: [...new Set(cands)], confidence: 0.85, reason: `named '${raw}'` };
}

type ValueKind = 'bool' | 'binary' | 'fraction' | 'count' | 'number' | 'text' | 'empty';

function valueKind(values: Cell[]): ValueKind {
  let bool = 0, num = 0, text = 0, binary = 0, fraction = 0, count = 0;
  for (const v of values) {
    if (v === null || v === '') continue;
    if (typeof v === 'boolean') { bool++; continue; }
    const x = typeof v === 'number' ? v : boolWord(v) !== undefined ? NaN : Number(v);
    if (typeof v === 'string' && boolWord(v) !== undefined) { bool++; continue; }
    if (Number.isNaN(x)) { text++; continue; }
    num++;
    if (x === 0 || x === 1) binary++;
    if (x >= 0 && x <= 1) fraction++;
    if (Number.isInteger(x) && x >= 0) count++;
  }
  const seen = bool + num + text;
  if (seen === 0) return 'empty';
  if (text > seen / 2) return 'text';
  if (bool > 0 && bool + binary === bool + num) return 'bool';
  if (num === 0) return 'text';
  if (binary === num) return 'binary';
  if (fraction === num) return 'fraction';
  if (count === num) return 'count';
  return 'number';
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'pass', 'passed', 'correct', 'right', 'success', 'solved', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'fail', 'failed', 'incorrect', 'wrong', 'failure', 'unsolved', 'f']);

function boolWord(s: string): boolean | undefined {
  const t = s.trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return undefined;
}

function num(v: Cell): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return NaN;
  const t = v.trim();
  if (t === '') return NaN;
  const b = boolWord(t);
  if (b !== undefined) return b ? 1 : 0;
  const pct = /%$/.test(t);
  const x = Number(pct ? t.slice(0, -1) : t);
  return pct ? x / 100 : x;
}

/** Roles for the table, and the kind of file they make. */
export function inferEvalRoles(names: string[], sample: Cell[][], overrides?: Record<string, EvalRole>): { columns: EvalColumn[]; kind: EvalKind | undefined } {
  const guesses = names.map((name, j) => ({ name, g: byName(name), vk: valueKind(sample.map((r) => r[j] ?? null)) }));
  const ov = (name: string): EvalRole | undefined => (overrides && Object.prototype.hasOwnProperty.call(overrides, name) ? overrides[name] : undefined);
  const roles = new Map<string, { role: EvalRole; confidence: number; reason: string }>();
  const taken = new Set<EvalRole>();
  for (const { name } of guesses) {
    const o = ov(name);
    if (o) { roles.set(name, { role: o, confidence: 1, reason: 'set by the user' }); if (o !== 'other' && o !== 'ignore') taken.add(o); }
  }
  const has = (r: EvalRole) => guesses.some(({ name, g }) => {
    const o = roles.get(name);
    return o ? o.role === r : g.roles.includes(r);
  });
  // The kind decides the ambiguous names (acc: a success per attempt, or a table's accuracy).
  let kind: EvalKind | undefined;
  const hasN = has('n'), hasC = has('c');
  if (hasN && hasC && has('problem')) kind = 'counts';
  else if (has('problem') && (has('correct') || has('score'))) kind = 'samples';
  else if (has('budget') && (has('accuracy') || has('correct') || has('score'))) kind = 'budget';
  else if (hasN && hasC) kind = 'counts';
  const prefer: Record<EvalKind, EvalRole[]> = {
    counts: ['problem', 'n', 'c', 'model', 'budget', 'params', 'other'],
    samples: ['problem', 'attempt', 'correct', 'score', 'model', 'budget', 'params', 'prompt', 'other'],
    budget: ['model', 'params', 'budget', 'accuracy', 'prompt', 'train_tokens', 'other'],
  };
  const allowed = kind ? prefer[kind] : (['problem', 'attempt', 'correct', 'score', 'n', 'c', 'model', 'params', 'budget', 'prompt', 'accuracy', 'train_tokens'] as EvalRole[]);
  const single: EvalRole[] = ['problem', 'attempt', 'correct', 'score', 'n', 'c', 'model', 'params', 'budget', 'prompt', 'accuracy', 'train_tokens'];
  for (const { name, g, vk } of guesses) {
    if (roles.has(name)) continue;
    let pick: EvalRole = 'other';
    for (const r of allowed) {
      if (!g.roles.includes(r) || taken.has(r)) continue;
      // Content must fit the role.
      if ((r === 'correct') && !(vk === 'bool' || vk === 'binary' || vk === 'fraction')) continue;
      if ((r === 'score') && !(vk === 'binary' || vk === 'fraction' || vk === 'number' || vk === 'count')) continue;
      if ((r === 'n' || r === 'c') && vk !== 'count' && vk !== 'binary') continue;
      if ((r === 'params' || r === 'budget' || r === 'prompt' || r === 'train_tokens' || r === 'accuracy') && (vk === 'text' || vk === 'bool')) continue;
      pick = r;
      break;
    }
    let reason = g.reason;
    if (pick === 'other' && g.roles[0] !== 'other') reason = `${g.reason}, but its values or another column rule out ${g.roles.join('/')}`;
    if (pick === 'correct' && vk === 'fraction') reason += '; fractional values: read as a score with a threshold';
    roles.set(name, { role: pick, confidence: pick === 'other' ? 0.5 : g.confidence, reason });
    if (single.includes(pick)) taken.add(pick);
  }
  const columns = names.map((name) => ({ name, ...(roles.get(name) as { role: EvalRole; confidence: number; reason: string }) }));
  // Re-decide the kind from the final roles (overrides may have changed it).
  const got = (r: EvalRole) => columns.some((c) => c.role === r);
  let finalKind: EvalKind | undefined;
  if (got('n') && got('c') && (got('problem') || countsPlausible(sample, columns, (name) => ov(name) !== undefined))) finalKind = 'counts';
  else if (got('problem') && (got('correct') || got('score'))) finalKind = 'samples';
  else if (got('budget') && got('accuracy')) finalKind = 'budget';
  return { columns, kind: finalKind };
}

/**
 * Counts (n attempts, c correct) hold c ≤ n on every row: a sweep table whose `N` (parameters) and
 * `C` (compute) columns read as n and c is not one (C is far above N there). Roles the user set are
 * taken as they are.
 */
function countsPlausible(sample: Cell[][], columns: EvalColumn[], userSet: (name: string) => boolean): boolean {
  const jn = columns.findIndex((c) => c.role === 'n'), jc = columns.findIndex((c) => c.role === 'c');
  if (userSet(columns[jn].name) || userSet(columns[jc].name)) return true;
  let rows = 0, bad = 0;
  for (const r of sample) {
    const n = Number(r[jn]), c = Number(r[jc]);
    if (r[jn] === null || r[jc] === null || !Number.isFinite(n) || !Number.isFinite(c)) continue;
    rows++;
    if (c > n || c < 0) bad++;
  }
  return rows > 0 && bad <= 0.05 * rows;
}

// ----------------------------------------------------------------------------------- tables

function uniqueNames(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((r, i) => {
    let name = String(r).trim().replace(/^\ufeff/, '');
    if (name === '') name = `column ${i + 1}`;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return k === 0 ? name : `${name} (${k + 1})`;
  });
}

function csvTable(text: string, problems: Problems): Table {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const res = Papa.parse<string[]>(text, { delimiter: csvDelimiter(firstLine) ?? ',', skipEmptyLines: false });
  const data = res.data;
  let i = 0;
  while (i < data.length && data[i].length === 1 && data[i][0].trim() === '') i++;
  if (i >= data.length) return { names: [], rows: [], lines: [] };
  // papaparse keeps quoted newlines inside a row: count lines as it goes.
  const names = uniqueNames(data[i]);
  const rows: Cell[][] = [];
  const lines: number[] = [];
  let line = i + 1;
  for (let r = i + 1; r < data.length; r++) {
    line++;
    const row = data[r];
    if (row.length === 1 && row[0].trim() === '') continue;
    if (row.length !== names.length && !(row.length === names.length + 1 && row[names.length] === '')) {
      problems.add('the wrong number of fields', line, 'warning', `${row.length} fields where the header has ${names.length}; row dropped`);
      continue;
    }
    rows.push(row.slice(0, names.length));
    lines.push(line);
  }
  for (const e of res.errors) if (e.code === 'MissingQuotes') problems.add('unclosed quotes', (e.row ?? 0) + 2, 'warning', 'a quoted field is never closed');
  return { names, rows, lines };
}

type Json = Record<string, unknown>;

function jsonRecords(text: string, problems: Problems): { rec: Json; line: number }[] {
  const out: { rec: Json; line: number }[] = [];
  for (const [from, to, line] of lineSpans(text)) {
    const s = text.slice(from, to).trim();
    if (s === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(s.replace(/(:\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1null'));
    } catch {
      problems.add('lines that are not JSON', line, 'warning', 'not a JSON object; line dropped');
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.add('lines that are not JSON', line, 'warning', 'not a JSON object; line dropped');
      continue;
    }
    out.push({ rec: v as Json, line });
  }
  return out;
}

function flatTable(recs: { rec: Json; line: number }[]): Table {
  const index = new Map<string, number>();
  const names: string[] = [];
  for (const { rec } of recs) {
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      if (v !== null && typeof v === 'object') continue;
      if (!index.has(k)) { index.set(k, names.length); names.push(k); }
    }
  }
  const rows = recs.map(({ rec }) => {
    const row: Cell[] = new Array(names.length).fill(null);
    for (const k of Object.keys(rec)) {
      const j = index.get(k);
      const v = rec[k];
      if (j !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) row[j] = v;
    }
    return row;
  });
  return { names, rows, lines: recs.map((r) => r.line) };
}

const LM_EVAL_METRICS = ['exact_match', 'acc', 'acc_norm', 'pass@1', 'pass_at_1', 'correct', 'score', 'f1', 'em'];

function isLmEval(recs: { rec: Json }[]): boolean {
  const r = recs[0]?.rec;
  return !!r && Object.prototype.hasOwnProperty.call(r, 'doc_id') &&
    (Object.prototype.hasOwnProperty.call(r, 'filtered_resps') || Object.prototype.hasOwnProperty.call(r, 'resps'));
}

/** Responses of one lm-eval sample: the inner list of `resps` ([[r1, r2, …]] or [r1, …]). */
function responseCount(rec: Json): number {
  const r = rec.resps ?? rec.filtered_resps;
  if (!Array.isArray(r)) return 0;
  if (r.length === 1 && Array.isArray(r[0])) return r[0].length;
  return r.length;
}

/** lm-eval samples → the generic table: problem, filter (group), correct, responses. */
function lmEvalTable(recs: { rec: Json; line: number }[], opts: EvalReadOptions, problems: Problems, notes: string[]): Table {
  let metric = opts.metric;
  if (!metric) {
    for (const { rec } of recs.slice(0, 50)) {
      const m = rec.metrics;
      if (Array.isArray(m) && typeof m[0] === 'string' && typeof rec[m[0]] === 'number') { metric = m[0]; break; }
    }
  }
  if (!metric) metric = LM_EVAL_METRICS.find((m) => recs.some(({ rec }) => typeof rec[m] === 'number'));
  if (!metric) throw new Error('an lm-evaluation-harness samples file, but no per-sample metric was found (looked for a `metrics` list and for exact_match, acc, pass@1, …); name one with --metric');
  const filters = new Set(recs.map(({ rec }) => String(rec.filter ?? '')));
  const names = ['doc_id', 'filter', metric, 'responses'];
  const rows: Cell[][] = [];
  const lines: number[] = [];
  for (const { rec, line } of recs) {
    const v = rec[metric];
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      problems.add(`no ${metric}`, line, 'warning', `no numeric "${metric}" on this sample; skipped`);
      continue;
    }
    rows.push([rec.doc_id === undefined || rec.doc_id === null ? null : String(rec.doc_id), String(rec.filter ?? ''), typeof v === 'boolean' ? (v ? 1 : 0) : v, responseCount(rec)]);
    lines.push(line);
  }
  notes.push(`lm-evaluation-harness samples: metric "${metric}" per sample${filters.size > 1 ? `, one group per filter (${[...filters].join(', ')})` : ''}`);
  return { names, rows, lines };
}

// --------------------------------------------------------------------------------- assembly

/** Reads eval results from the text of a file. Throws with a clear message when the file is not one. */
export function readEvalText(file: string, text: string, opts: EvalReadOptions = {}): EvalData {
  const name = file.split(/[\\/]/).pop() ?? file;
  const problems = new Problems(name);
  const notes: string[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.slice(0, 8192).includes('\0')) throw new Error(`${name}: binary file, not an eval table`);
  if (text.includes('\ufffd')) problems.add('bytes that are not UTF-8', 0, 'warning', 'bytes that are not valid UTF-8 (shown as \ufffd)');
  const first = text.trimStart()[0];
  let format: EvalData['format'] = 'csv';
  let table: Table;
  let lm = false;
  if (first === '{') {
    const recs = jsonRecords(text, problems);
    if (isLmEval(recs)) { format = 'lm-eval'; lm = true; table = lmEvalTable(recs, opts, problems, notes); }
    else { format = 'jsonl'; table = flatTable(recs); }
  } else {
    table = csvTable(text, problems);
  }
  if (table.names.length === 0) throw new Error(`${name}: empty: no header or records`);
  const sample = table.rows.slice(0, 1000);
  let overrides = opts.roleOverrides;
  if (lm) overrides = { doc_id: 'problem', filter: 'model', [table.names[2]]: 'correct', responses: 'other', ...(overrides ?? {}) };
  const { columns, kind } = inferEvalRoles(table.names, sample, overrides);
  if (lm) for (const c of columns) if (c.reason === 'set by the user' && !opts.roleOverrides?.[c.name]) c.reason = 'lm-evaluation-harness field';
  const describe = () => columns.map((c) => `${c.name} → ${c.role}`).join(', ');
  if (!kind) {
    throw new Error(`${name}: not a repeated-sampling eval (needs a problem id and a correct/score column, or n and c columns) nor a thinking-budget table (needs a tokens column and an accuracy column). Columns: ${describe()}. Set a column's role to override.`);
  }
  const col = (r: EvalRole) => table.names.indexOf(columns.find((c) => c.role === r)?.name ?? '\0');
  const data: EvalData = { file, format, kind, columns, rows: table.rows.length, groups: [], budget: [], problems: [], notes };
  if (kind === 'budget') readBudget(table, col, data, problems);
  else readRepeated(table, col, kind, data, problems, opts, lm);
  data.problems = problems.finish();
  return data;
}

function readBudget(t: Table, col: (r: EvalRole) => number, out: EvalData, problems: Problems): void {
  const jm = col('model'), jp = col('params'), jb = col('budget'), ja = col('accuracy'), jq = col('prompt'), jd = col('train_tokens');
  const acc = t.rows.map((r) => num(r[ja]));
  const percent = acc.some((a) => a > 1) && acc.every((a) => !(a > 100));
  if (percent) out.notes.push('accuracy read as a percentage (values above 1)');
  for (let i = 0; i < t.rows.length; i++) {
    const r = t.rows[i];
    const line = t.lines[i];
    const tokens = num(r[jb]);
    let a = acc[i];
    if (percent) a /= 100;
    if (!(tokens > 0 && Number.isFinite(tokens))) { problems.add('no token budget', line, 'warning', `tokens "${String(r[jb] ?? '')}" is not a positive number; row skipped`); continue; }
    if (!(a >= 0 && a <= 1)) { problems.add('no accuracy', line, 'warning', `accuracy "${String(r[ja] ?? '')}" is not in [0, 1]; row skipped`); continue; }
    const N = jp >= 0 ? num(r[jp]) : NaN, D = jd >= 0 ? num(r[jd]) : NaN;
    // A corrupt cell (1e300 tokens): its FLOPs (2·N·t a query, 6·N·D to train) would be Infinity.
    if (N > 0 && (!Number.isFinite(2 * N * tokens) || (D > 0 && !Number.isFinite(6 * N * D)))) {
      problems.add('FLOPs overflow', line, 'warning', `its FLOPs (${Number.isFinite(2 * N * tokens) ? '6·N·D to train' : '2·N·t a query'}) are beyond a 64-bit float; row skipped`);
      continue;
    }
    out.budget.push({
      model: jm >= 0 && r[jm] !== null && String(r[jm]).trim() !== '' ? String(r[jm]).trim() : 'model',
      params: N, tokens, accuracy: a,
      prompt: jq >= 0 ? num(r[jq]) : NaN, trainTokens: D, line,
    });
  }
  if (out.budget.length === 0) problems.add('no usable rows', 0, 'error', 'no row has both a positive token budget and an accuracy');
}

/** Most distinct budget values that still make groups (more: a per-attempt token count). */
const MAX_BUDGET_GROUPS = 32;

function readRepeated(t: Table, col: (r: EvalRole) => number, kind: EvalKind, out: EvalData, problems: Problems, opts: EvalReadOptions, lm: boolean): void {
  const jp = col('problem'), jm = col('model'), jb = col('budget'), ja = col('attempt');
  const jc = kind === 'counts' ? col('c') : col('correct') >= 0 ? col('correct') : col('score');
  const jn = col('n');
  const jr = lm ? t.names.indexOf('responses') : -1;
  const threshold = opts.threshold ?? 0.5;
  const budgetValues = new Set<number>();
  if (jb >= 0) for (const r of t.rows) { const b = num(r[jb]); if (Number.isFinite(b)) budgetValues.add(b); if (budgetValues.size > MAX_BUDGET_GROUPS) break; }
  const budgetGroups = jb >= 0 && budgetValues.size <= MAX_BUDGET_GROUPS;
  if (jb >= 0 && !budgetGroups) out.notes.push(`"${t.names[jb]}" varies per attempt: read as tokens used, not as a budget setting`);
  interface Acc { model?: string; budget?: number; ids: Map<string, number>; problems: string[]; n: number[]; c: number[]; seen: Set<string>; tokens: number; tokenN: number }
  const groups = new Map<string, Acc>();
  let fractional = 0, thresholded = false, duplicates = 0, fromResponses = 0;
  const scoreCol = kind === 'samples' && (columns(out, t.names[jc])?.role === 'score');
  const valuesBinary = t.rows.every((r) => { const v = num(r[jc]); return !Number.isFinite(v) || v === 0 || v === 1; });
  // lm-eval: a fractional metric on a document with m > 1 responses is a mean over its repeats.
  const perDocMean = lm && jr >= 0 && t.rows.some((r) => { const v = num(r[jc]), m = num(r[jr]); return v > 0 && v < 1 && m > 1; });
  for (let i = 0; i < t.rows.length; i++) {
    const r = t.rows[i];
    const line = t.lines[i];
    const id = jp >= 0 && r[jp] !== null ? String(r[jp]).trim() : '';
    if (id === '') { problems.add('no problem id', line, 'warning', 'no problem id; row skipped'); continue; }
    const model = jm >= 0 && r[jm] !== null && String(r[jm]).trim() !== '' ? String(r[jm]).trim() : undefined;
    const budget = budgetGroups ? num(r[jb]) : undefined;
    const key = [model, budget !== undefined && Number.isFinite(budget) ? `${budget} tokens` : undefined].filter((x) => x !== undefined).join(' · ') || 'all';
    let g = groups.get(key);
    if (!g) { g = { model, budget: budget !== undefined && Number.isFinite(budget) ? budget : undefined, ids: new Map(), problems: [], n: [], c: [], seen: new Set(), tokens: 0, tokenN: 0 }; groups.set(key, g); }
    let addN: number, addC: number;
    const v = num(r[jc]);
    if (kind === 'counts') {
      const n = num(r[jn]);
      if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(v) && v >= 0 && v <= n)) {
        problems.add('bad counts', line, 'warning', `needs whole numbers 0 ≤ c ≤ n, n ≥ 1 (got n = ${String(r[jn])}, c = ${String(r[jc])}); row skipped`);
        continue;
      }
      addN = n; addC = v;
    } else {
      if (!Number.isFinite(v)) { problems.add('no correctness value', line, 'warning', `"${String(r[jc] ?? '')}" is not a correctness value; row skipped`); continue; }
      const m = jr >= 0 ? num(r[jr]) : NaN;
      if (perDocMean && Number.isInteger(m) && m > 1 && v >= 0 && v <= 1 && Math.abs(v * m - Math.round(v * m)) < 1e-6) {
        // A per-document mean over m responses (pass@1 with repeats): c = v·m of n = m.
        addN = m; addC = Math.round(v * m); fromResponses++;
      } else {
        if (!(v === 0 || v === 1)) fractional++;
        if (scoreCol || !valuesBinary) thresholded = true;
        addN = 1; addC = (scoreCol || !valuesBinary ? v >= threshold : v >= 0.5) ? 1 : 0;
      }
      if (ja >= 0 && r[ja] !== null) {
        const dk = `${id}\u0000${String(r[ja])}`;
        if (g.seen.has(dk)) { duplicates++; problems.add('duplicate attempts', line, 'warning', `attempt ${String(r[ja])} of problem ${id} appears again; later row skipped`); continue; }
        g.seen.add(dk);
      }
    }
    if (jb >= 0 && !budgetGroups) { const tk = num(r[jb]); if (Number.isFinite(tk)) { g.tokens += tk; g.tokenN++; } }
    let u = g.ids.get(id);
    if (u === undefined) { u = g.problems.length; g.ids.set(id, u); g.problems.push(id); g.n.push(0); g.c.push(0); }
    g.n[u] += addN;
    g.c[u] += addC;
  }
  if (thresholded) out.notes.push(`"${t.names[jc]}" holds scores: an attempt counts as correct when its score ≥ ${threshold}${fractional ? ` (${fractional} fractional values)` : ''}`);
  if (fromResponses) out.notes.push(`${fromResponses} documents carry a fractional per-document metric over their repeated responses: read as c = value × responses`);
  if (duplicates) out.notes.push(`${duplicates} duplicate (problem, attempt) rows skipped`);
  for (const [key, g] of groups) {
    out.groups.push({
      key, model: g.model, budget: g.budget, problems: g.problems, n: Int32Array.from(g.n), c: Int32Array.from(g.c),
      meanTokens: g.tokenN > 0 ? g.tokens / g.tokenN : undefined,
    });
  }
  out.groups.sort((a, b) => (a.model ?? '').localeCompare(b.model ?? '') || (a.budget ?? 0) - (b.budget ?? 0));
  if (out.groups.length === 0) problems.add('no usable rows', 0, 'error', 'no row has both a problem id and a correctness value');
  if (kind === 'samples' && out.groups.every((g) => g.n.every((x) => x <= 1))) {
    out.notes.push(lm
      ? 'every document has one sample: lm-eval logged one value per document (after its filter), so pass@k for k > 1 cannot be estimated; log repeats as separate samples, or use a metric averaged over the repeats'
      : 'every problem has one attempt: pass@k for k > 1 cannot be estimated');
  }
}

function columns(out: EvalData, name: string): EvalColumn | undefined {
  return out.columns.find((c) => c.name === name);
}

/** Cheap test on a file's head: does it look like eval results (samples/counts/budget)? */
export function looksLikeEval(fileName: string, head: string, roleOverrides?: Record<string, EvalRole>): EvalKind | undefined {
  try {
    const cut = head.lastIndexOf('\n');
    const text = cut > 0 ? head.slice(0, cut) : head;
    // The user's eval roles count: a table whose columns only they can name is eval results too.
    const d = readEvalText(fileName, text, { roleOverrides });
    // A training log (a step or a loss column) that also has tokens and an accuracy is not a budget table.
    // A training log or sweep table (a loss, step or epoch column) is not eval results, unless the
    // user's roles say so.
    const training = d.columns.some((c) => /(^|_)(loss|step|global_step|epoch)$/.test(normalizeName(c.name)));
    const userSaid = roleOverrides !== undefined && d.columns.some((c) => Object.prototype.hasOwnProperty.call(roleOverrides, c.name));
    if (training && !userSaid) return undefined;
    return d.kind;
  } catch {
    return undefined;
  }
}

/** Largest eval file read (eval logs are read whole: lm-eval samples carry each document's text). */
export const MAX_EVAL_BYTES = 512 << 20;

/** Reads an eval file: regular files only, at most MAX_EVAL_BYTES, UTF-8. */
export async function readEvalFile(path: string, opts: EvalReadOptions = {}): Promise<EvalData> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message})`);
  }
  if (!st.isFile()) throw new Error(`${path}: not a regular file`);
  if (st.size > MAX_EVAL_BYTES) throw new Error(`${path}: ${(st.size / 2 ** 20).toFixed(0)} MB is more than the ${MAX_EVAL_BYTES >> 20} MB an eval file may have`);
  const text = new TextDecoder('utf-8').decode(await fs.promises.readFile(path));
  return readEvalText(path, text, opts);
}

/** The first `bytes` of a regular file as text ('' when it cannot be read). */
export async function readHead(path: string, bytes = 65536): Promise<string> {
  try {
    const st = await fs.promises.stat(path);
    if (!st.isFile()) return '';
    const fh = await fs.promises.open(path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(bytes, st.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}

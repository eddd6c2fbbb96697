/**
 * Which columns of a sweep table become N, D and the loss, and in words what was taken from which
 * column. Any sweep table: its loss column can be chosen (`series`), an eval loss is preferred over
 * a (run-averaged) training loss. A runs-table export (W&B, one row per run with config and summary
 * columns) also: N counted from the config columns (never guessed), D from a tokens column or the
 * step each run reached × tokens per step, a loss from an eval perplexity (ln ppl).
 * Pure: no I/O, no `vscode`.
 */
import type { SweepTable } from './dataset';
import type { ParsedLog } from './logs';
import { dropStrays, normalizeName, sweepRowUsable, toSweep } from './logs';
import { runsExportShape } from './logs/runsExport';
import { own } from './own';
import { analyzeConfig } from './config';
import { formatCount, formatInteger, formatNumber, plural } from './format';

/** A column a sweep's loss can be read from. */
export interface LossColumn {
  name: string;
  kind: 'eval' | 'train' | 'perplexity';
}

export interface SweepColumns {
  /** The sweep table; undefined with `error` when N, D or the loss cannot be had. */
  table?: SweepTable;
  /** The loss columns to choose from (the series picker), and the one used. */
  lossColumns: LossColumn[];
  loss?: string;
  /** What was taken from which column, for the report's messages. */
  notes: string[];
  error?: string;
  /** What the table lacks that the user can give: every run's model size, or tokens per step. */
  missing?: 'params' | 'tokensPerStep';
}

/** Config keys that make the tokens of one step (batch, sequence length, accumulation, devices). */
const BATCH_KEYS = /batch|seq|block_size|accum|world|devices|gpus|nodes|context/i;

/** The largest number of distinct model configs counted per table (each is a config analysis). */
const MAX_CONFIGS = 200;

const isPerplexity = (name: string): boolean => /(^|[_/])(ppl|perplexity)([_/]|$)/.test(normalizeName(name));
const runAveraged = (name: string): boolean => /(^|[_/])(avg|mean|average|smoothed)([_/]|$)/.test(normalizeName(name));

/** The loss columns of a sweep (eval losses, eval perplexities of a runs export, training losses). */
export function lossColumns(log: ParsedLog): LossColumn[] {
  const exported = !!runsExportShape(log.columns.map((c) => c.name));
  const out: LossColumn[] = [];
  for (const c of log.columns) {
    if (!own(log.data, c.name)) continue;
    if (c.role === 'eval_loss') out.push({ name: c.name, kind: 'eval' });
    else if (c.role === 'loss') out.push({ name: c.name, kind: 'train' });
    else if (exported && c.role === 'other' && isPerplexity(c.name)) out.push({ name: c.name, kind: 'perplexity' });
  }
  return out;
}

const RANK: Record<LossColumn['kind'], number> = { eval: 0, perplexity: 1, train: 2 };

function describe(c: LossColumn): string {
  if (c.kind === 'eval') return `"${c.name}" (an eval loss)`;
  if (c.kind === 'perplexity') return `ln of "${c.name}" (an eval perplexity; loss = ln ppl, in nats)`;
  return `"${c.name}" (${runAveraged(c.name) ? 'a run-averaged training loss' : 'the training loss'})`;
}

/** The loss column used: the one asked for, else the first eval loss, else an eval perplexity, else the training loss. */
function chooseLoss(cols: LossColumn[], asked: string | undefined, notes: string[]): LossColumn | undefined {
  if (cols.length === 0) return undefined;
  const byDefault = [...cols].sort((a, b) => RANK[a.kind] - RANK[b.kind])[0];
  if (asked !== undefined && asked !== '') {
    const found = cols.find((c) => c.name === asked);
    if (found) {
      notes.push(`loss from ${describe(found)}, as chosen`);
      return found;
    }
    notes.push(`no loss column "${asked}" in this table (loss columns: ${cols.map((c) => c.name).join(', ')}); used ${describe(byDefault)}`);
    return byDefault;
  }
  if (cols.length === 1) {
    notes.push(`loss from ${describe(byDefault)}`);
    return byDefault;
  }
  const train = cols.find((c) => c.kind === 'train');
  const over = byDefault.kind !== 'train' && train ? `, preferred over ${describe(train)}` : '';
  notes.push(`loss from ${describe(byDefault)}${over}; choose another with --series (or the Series control): ${cols.filter((c) => c !== byDefault).map((c) => `"${c.name}"`).join(', ')}`);
  return byDefault;
}

function column(log: ParsedLog, role: string): string | undefined {
  return log.columns.find((c) => c.role === role && own(log.data, c.name))?.name;
}

/**
 * The config columns of a runs export (`model.n_layers`, `batch_size`, …): numeric columns that
 * are neither a role column nor a summary metric (`train/…`, `_runtime`).
 */
function configColumns(log: ParsedLog): string[] {
  return log.columns
    .filter((c) => c.role === 'other' && own(log.data, c.name) && !c.name.includes('/') && !c.name.startsWith('_'))
    .map((c) => c.name);
}

/** A config column giving the tokens of one optimizer step (`tokens_per_batch`, `batch_size_tokens`, `tok / batch`). */
function batchTokensColumn(log: ParsedLog): string | undefined {
  return log.columns.find((c) => c.role === 'other' && own(log.data, c.name) &&
    /(^|[_/])(tok|tokens?)[_/]?(per_?)?(batch|step)($|[_/])|(^|[_/])batch_?(size_?)?(in_?)?tok(en)?s?($|[_/])/.test(normalizeName(c.name)))?.name;
}

/** One row's config columns as a JSON text (dotted names nested: `model.n_layers` → {model: {n_layers}}). */
function rowConfig(log: ParsedLog, cols: readonly string[], i: number): string {
  const root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of cols) {
    const v = own(log.data, name)![i];
    if (!Number.isFinite(v)) continue;
    const parts = name.split('.');
    let o = root;
    for (const p of parts.slice(0, -1)) {
      const next = own(o, p);
      if (next && typeof next === 'object') o = next as Record<string, unknown>;
      else { const n = Object.create(null) as Record<string, unknown>; o[p] = n; o = n; }
    }
    o[parts[parts.length - 1]] = v;
  }
  return JSON.stringify(root);
}

interface RowModel { params?: number; tokensPerStep?: number; missing: string[]; used: string[] }

/** N (and tokens per step) of each row from its config columns, counted once per distinct config. */
function modelsFromConfigColumns(log: ParsedLog, all: readonly string[]): { rows: RowModel[]; distinct: number; refused: boolean } {
  const count = (text: string): ReturnType<typeof analyzeConfig> => {
    try { return analyzeConfig(text, 'runs-table row.json'); } catch { return undefined; }
  };
  // The columns that count: those the first countable row's size and tokens came from, and the
  // batch ingredients. Seeds, learning rates and the like vary per run and must not make every row
  // a config of its own.
  let cols = all;
  for (let i = 0; i < Math.min(log.rows, 8); i++) {
    const a = count(rowConfig(log, all, i));
    if (!a?.params) continue;
    const used = new Set([...a.derivedFrom.params, ...a.derivedFrom.tokens].map((r) => a.sources[r]?.path));
    cols = all.filter((c) => used.has(c) || BATCH_KEYS.test(c));
    break;
  }
  const cache = new Map<string, RowModel>();
  const rows: RowModel[] = [];
  let refused = false;
  for (let i = 0; i < log.rows; i++) {
    const text = rowConfig(log, cols, i);
    let m = cache.get(text);
    if (!m) {
      if (cache.size >= MAX_CONFIGS) { refused = true; m = { missing: [], used: [] }; }
      else {
        const a = count(text);
        const tps = a?.breakdown.tokensPerStep;
        m = {
          params: a?.params?.active, tokensPerStep: tps && tps > 0 && a?.breakdown.seqLen ? tps : undefined,
          missing: a?.missing ?? [], used: a ? a.derivedFrom.params.map((r) => a!.sources[r]?.path ?? r) : [],
        };
        cache.set(text, m);
      }
    }
    rows.push(m);
  }
  return { rows, distinct: cache.size, refused };
}

/** What the config columns of the first row say, for a message (at most 8 of them). */
function configSample(log: ParsedLog, all: readonly string[]): string {
  const modelish = (n: string): number => (/layer|head|embd|d_model|hidden|dim|vocab|width|seq/i.test(n) ? 0 : /model|expert/i.test(n) ? 1 : 2);
  const cols = [...all].sort((a, b) => modelish(a) - modelish(b));
  const shown = cols.slice(0, 8).map((n) => `${n} = ${formatCount(own(log.data, n)![0])}`);
  return shown.length ? `${shown.join(', ')}${cols.length > 8 ? `, … (${cols.length} config columns)` : ''}` : 'no numeric config columns';
}

/**
 * The sweep table of a runs-table export: N, D and the loss of each run, each from a column named
 * in the notes. `params`/`tokensPerStep` > 0 (given by the user) apply to every run.
 */
function runsExportTable(log: ParsedLog, loss: LossColumn, opts: { params: number; tokensPerStep: number }, notes: string[]): Pick<SweepColumns, 'table' | 'error' | 'missing'> {
  const n = log.rows;
  const L = own(log.data, loss.name)!;
  const lossOf = loss.kind === 'perplexity' ? (i: number) => (L[i] >= 1 ? Math.log(L[i]) : NaN) : (i: number) => L[i];
  const cfgCols = configColumns(log);
  let models: ReturnType<typeof modelsFromConfigColumns> | undefined;
  const configModels = () => (models ??= modelsFromConfigColumns(log, cfgCols));
  // N: a parameter column, else the user's size for every run, else counted from the config columns.
  const pCol = column(log, 'params');
  let N: (i: number) => number;
  if (pCol) {
    const P = own(log.data, pCol)!;
    N = (i) => P[i];
    notes.push(`N from "${pCol}"`);
  } else if (opts.params > 0) {
    N = () => opts.params;
    notes.push(`N = ${formatInteger(opts.params)} for every run, as given (the table has no parameter column)`);
  } else {
    const m = configModels();
    const counted = m.rows.filter((r) => r.params).length;
    if (counted === 0) {
      const missing = m.rows[0]?.missing ?? [];
      return {
        error: `the model size of the runs cannot be computed: the config columns (${configSample(log, cfgCols)}) give ${missing.length ? `no ${missing.join(', no ')}` : 'no model shape'}, and there is no parameter column. Export the width and vocabulary columns with the runs, mark a column holding the size as params ("Set Column Role…"), or, when every run has the same size, give it (the panel's Model size field, \`scaling-lens fit --params N\`)`,
        missing: 'params',
      };
    }
    const used = [...new Set(m.rows.flatMap((r) => r.used))];
    N = (i) => m.rows[i].params ?? NaN;
    notes.push(`N counted from the config columns (${used.join(', ')}) of each run: ${plural(m.distinct, 'distinct model config')}${counted < n ? `; ${n - counted} runs without a countable config left out` : ''}${m.refused ? `; more than ${MAX_CONFIGS} distinct configs, the rest not counted` : ''}`);
  }
  // D: a tokens column, else the step each run reached × tokens per step, else C/(6N).
  const tCol = column(log, 'tokens');
  const sCol = column(log, 'step');
  const fCol = column(log, 'flops');
  let D: (i: number) => number;
  if (tCol) {
    const T = own(log.data, tCol)!;
    D = (i) => T[i];
    notes.push(`D from "${tCol}"`);
  } else if (sCol && opts.tokensPerStep > 0) {
    const S = own(log.data, sCol)!;
    D = (i) => S[i] * opts.tokensPerStep;
    notes.push(`D = "${sCol}" × ${formatInteger(opts.tokensPerStep)} tokens per step (as given)`);
  } else if (sCol && batchTokensColumn(log)) {
    const S = own(log.data, sCol)!;
    const bCol = batchTokensColumn(log)!;
    const B = own(log.data, bCol)!;
    D = (i) => S[i] * B[i];
    notes.push(`D = "${sCol}" × "${bCol}" (tokens per batch)`);
  } else if (sCol && configModels().rows.some((r) => r.tokensPerStep)) {
    const S = own(log.data, sCol)!;
    const m = configModels();
    D = (i) => S[i] * (m.rows[i].tokensPerStep ?? NaN);
    notes.push(`D = "${sCol}" × the batch size × sequence length of each run's config columns (one data-parallel device assumed)`);
  } else if (fCol) {
    const F = own(log.data, fCol)!;
    D = (i) => F[i] / (6 * N(i));
    notes.push(`D = C/(6N) from "${fCol}"`);
  } else {
    return {
      error: `the training tokens of the runs cannot be computed: no tokens or FLOPs column${sCol ? `, and no tokens per step for "${sCol}" (the config columns give no batch size × sequence length)` : ' and no step column'}. Give it (the scalingLens.fit.tokensPerStep setting, \`--tokens-per-step T\`)`,
      missing: sCol ? 'tokensPerStep' : undefined,
    };
  }
  const usable: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = N(i), d = D(i), l = lossOf(i);
    if (sweepRowUsable(a, d, l)) usable.push(i);
  }
  if (usable.length < n) notes.push(`${n - usable.length} of ${n} runs left out: no finite N, D or loss, or FLOPs beyond a 64-bit float`);
  const { keep, strays } = dropStrays(usable, [['N', N], ['D', D], ['loss', lossOf]], log.lines);
  if (strays) notes.push(strayNote(strays, `${n} runs`));
  const F = fCol ? own(log.data, fCol) : undefined;
  const table: SweepTable = {
    N: Float64Array.from(keep, (i) => N(i)),
    D: Float64Array.from(keep, (i) => D(i)),
    C: Float64Array.from(keep, (i) => (F && Number.isFinite(F[i]) ? F[i] : 6 * N(i) * D(i))),
    loss: Float64Array.from(keep, lossOf),
    lines: Uint32Array.from(keep, (i) => log.lines[i]),
    tokensGiven: !!tCol,
    ...(strays ? { strays } : {}),
  };
  const S = sCol ? own(log.data, sCol) : undefined;
  if (S) table.step = Float64Array.from(keep, (i) => S[i]);
  const lrCol = column(log, 'lr');
  if (lrCol) table.lr = Float64Array.from(keep, (i) => own(log.data, lrCol)![i]);
  const runCol = log.columns.find((c) => c.role === 'run' && own(log.labels, c.name));
  if (runCol) table.runIds = keep.map((i) => own(log.labels, runCol.name)![i]);
  return { table };
}

/** N, D and the loss of a sweep table, with the loss column chosen (`series`) and what came from where. */
export function sweepColumns(log: ParsedLog, opts: { series?: string; params: number; tokensPerStep: number }): SweepColumns {
  const notes: string[] = [];
  const cols = lossColumns(log);
  const shape = runsExportShape(log.columns.map((c) => c.name));
  if (shape) notes.push(`a runs-table export: one row per run ("${shape.name}"), its config and summary columns read as a sweep of ${log.rows} runs`);
  const chosen = chooseLoss(cols, opts.series, notes);
  if (!chosen) return { lossColumns: cols, notes, error: 'no loss column (a loss, an eval loss or, in a runs export, an eval perplexity)' };
  if (shape) {
    const r = runsExportTable(log, chosen, opts, notes);
    return { lossColumns: cols, loss: chosen.name, notes, ...r };
  }
  const table = toSweep(log, { loss: chosen.name });
  if (table && table.N.length < log.rows) notes.push(...leftOutNotes(log, table));
  return { lossColumns: cols, loss: chosen.name, notes, table };
}

/**
 * How many rows a sweep table left out, and the first one's line: those without finite, positive N
 * and D, a finite loss, or whose C = 6ND overflows; and, said apart, the stray values (convert.ts
 * strayRows).
 */
function leftOutNotes(log: ParsedLog, table: SweepTable): string[] {
  const stray = new Set(table.strays?.lines ?? []);
  let j = 0, first = 0;
  for (let i = 0; i < log.rows; i++) {
    if (j < table.lines.length && table.lines[j] === log.lines[i]) { j++; continue; }
    if (stray.has(log.lines[i])) continue;
    first = log.lines[i];
    break;
  }
  const rows = plural(log.rows, 'row', formatInteger(log.rows));
  const notes: string[] = [];
  const left = log.rows - table.N.length - stray.size;
  if (left > 0) notes.push(`${formatInteger(left)} of ${rows} left out: no finite, positive N and D, no finite loss, or FLOPs beyond a 64-bit float${first > 0 ? ` (the first at line ${first})` : ''}`);
  if (table.strays) notes.push(strayNote(table.strays, rows));
  return notes;
}

/** "K of <all> left out as stray: …" for the rows dropStrays left out. */
function strayNote(s: NonNullable<SweepTable['strays']>, all: string): string {
  const what = s.column === 'N' ? 'parameters' : s.column === 'D' ? 'tokens' : s.column === 'C' ? 'FLOPs' : 'loss';
  return `${formatInteger(s.lines.length)} of ${all} left out as stray: a value over 10^6× from every other row's, in other units or corrupt (the first, ${what} ${formatNumber(s.value, 4)} at line ${s.line}), which would pull the whole fit`;
}

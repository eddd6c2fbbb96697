/**
 * What a text log says about its own run in the lines it printed before training: the parameter
 * count and the tokens per optimizer step, as nanochat, nanoGPT, llm.c and the GPT-2 tutorials print
 * them. Used when no config gives them (the log's own words, not a guess from a neighbouring file).
 * Read as text; each pattern starts with a literal phrase (linear); the first match of each wins.
 */
import { readHead } from './files';
import { gzipHead, isGzipName } from './logs/gzip';
import { isNotebookName, notebookLogs } from './logs/notebook';
import { formatInteger } from './format';
import { lineOf } from './lines';
import { analyzeConfig } from './config';
import type { NearbyConfig } from './nearbyConfigs';

/** Bytes of a text log's head read for its printed plan (schedule, model size, batch). */
export const LOG_HEAD_BYTES = 256 * 1024;

/**
 * The first LOG_HEAD_BYTES of a text log's text (a regular file only; a gzipped log's inflated), as
 * the pipeline's schedule texts take it.
 */
export async function readLogHead(file: string, log?: object): Promise<NearbyConfig | undefined> {
  // A notebook's head is the text its outputs hold, as its parse kept it (its JSON printed nothing).
  const nb = log ? notebookLogs.get(log) : undefined;
  if (nb) return nb.head ? { file, text: nb.head } : undefined;
  if (isNotebookName(file)) return undefined;
  // (A gzipped log's head is its text's: its compressed bytes printed nothing.)
  const buf = isGzipName(file) ? await gzipHead(file, LOG_HEAD_BYTES) : await readHead(file, LOG_HEAD_BYTES);
  return buf === undefined ? undefined : { file, text: buf.toString('utf8') };
}

export interface PrintedModel {
  /** Parameters the log printed, and the line (1-based). */
  params?: number;
  paramsLine?: number;
  /** The count was printed rounded (`123.59M`): approximate. */
  paramsRounded?: boolean;
  /** Tokens per optimizer step (the global batch in tokens) the log printed, and the line. */
  tokensPerStep?: number;
  tokensLine?: number;
  /** The count is the sum over Megatron's model-parallel ranks (this many). */
  paramsRanks?: number;
  /** The count is OLMo's printed ModelConfig(…), counted as transformers' OLMo. */
  paramsFromOlmoConfig?: boolean;
  /** Tokens per step from Megatron's arguments (global_batch_size × seq_length). */
  tokensMegatron?: boolean;
  /** Tokens per step from GPT-NeoX's arguments (train_batch_size × seq_length). */
  tokensNeox?: boolean;
  /** Tokens per step from MaxText's printed config (global_batch_size_to_train_on × max_target_length). */
  tokensMaxText?: boolean;
  /** Tokens per step from MLPerf's MLLOG events (global_batch_size × max_sequence_length). */
  tokensMllog?: boolean;
  /** Tokens per step from torchtitan's `Trainer is initialized with …` line (global batch size × sequence length). */
  tokensTitan?: boolean;
  /** Tokens per step as a banner's planned tokens over its planned steps (`Steps: 30518, Tokens: 1,000,013,824`). */
  tokensOfBudget?: { steps: number; tokens: number };
  /**
   * A banner's planned total, `Total: 165,000 steps = 2703.4M tokens`, as printed (`text`, maybe rounded
   * to its last digit), its line, and whether the tokens per step read elsewhere times those steps
   * falls within its rounding (`agrees`; undefined when the tokens per step came from it).
   */
  plannedTotal?: { steps: number; text: string; line: number; agrees?: boolean };
}

/** `Number of parameters: 560,988,160` (nanochat), `number of parameters: 123.59M` (nanoGPT), `number parameters: 6.738 billion` (MaxText). */
const PARAMS_LINE = /^[ \t]*(?:number of parameters|number parameters|num_parameters|total parameters)[ \t]*[:=][ \t]*(\d[\d,]*(?:\.\d+)?)[ \t]*([KMB]|thousand|million|billion)?[ \t]*\r?$/im;
/**
 * torchtitan's count as its trainer logs it, in colours: `Model llama3 150M \x1b[31msize: 75,516,672 total
 * parameters` (a real console, 2026).
 */
const PARAMS_TITAN = /Model [^\n]{1,120}?size: (\d{1,3}(?:,\d{3}){0,5}) total parameters/;
/**
 * A hand-written loop's banner naming its total, the unit or the word `total` after the count:
 * `  Parameters: 63.2M total` (a real MLX console, 2026, above `Ternary: 35.3M` and `Continuous: 27.9M`,
 * its parts), `  Total: 27,258,112 params` (a real PyTorch console, 2026, below each stage's count). A
 * K/M/B suffix scales the count (63.2M = 63.2 × 10^6, rounded). Groups: 1–2 the first form's count and
 * suffix, 3–4 the second's. Anchored, bounded: linear.
 */
const PARAMS_BANNER = /^[ \t]{0,12}(?:parameters[ \t]{0,4}:[ \t]{0,4}(\d{1,3}(?:,\d{3}){1,5}|\d{1,15}(?:\.\d{1,6})?)[ \t]?([KMB])?[ \t]{1,4}total|total[ \t]{0,4}:[ \t]{0,4}(\d{1,3}(?:,\d{3}){1,5}|\d{1,15}(?:\.\d{1,6})?)[ \t]?([KMB])?[ \t]{1,4}params)[ \t]*\r?$/im;
/** llm.c's table: `| num_parameters        | 124475904                                          |`. */
const PARAMS_TABLE = /^\|[ \t]*num_parameters[ \t]*\|[ \t]*(\d+)[ \t]*\|/im;
/**
 * Megatron's count per model-parallel rank: ` > number of parameters on (tensor, pipeline) model parallel
 * rank (3, 0): 1904025088`. The model is the sum over its distinct ranks (data-parallel replicas print
 * the same pair again). Groups: 1 tensor rank, 2 pipeline rank, 3 the count.
 */
const MEGATRON_RANK_PARAMS = /number of parameters on \(tensor, pipeline\) model parallel rank \((\d{1,5}), (\d{1,5})\):[ \t]*(\d{1,15})/g;
/** Megatron's arguments, `  global_batch_size ......... 16` and `  seq_length ......... 2048`: tokens per step. */
const MEGATRON_ARG = (key: string) => new RegExp(`^[ \\t]*${key}[ \\t]\\.{3,}[ \\t](\\d{1,12})[ \\t]*\\r?$`, 'm');
/** GPT-NeoX's arguments, `  train_batch_size ................ 1024........................updated` (or `default`). */
const NEOX_ARG = (key: string) => new RegExp(`^[ \\t]*${key}[ \\t]\\.{3,}[ \\t](\\d{1,12})\\.{3,}(?:updated|default)[ \\t]*\\r?$`, 'm');
/**
 * Tokens per step: GPT-2 tutorials and llm.c's train_gpt2.py, nanoGPT, nanochat; a hand-written loop's
 * product printed with its unit, `  Batch: 8 × 4 accum × 512 seq = 16,384 tokens/step` (a real console,
 * 2026: its fit had gone against steps).
 */
const TOKENS_LINES = [
  /total desired batch size:[ \t]*(\d[\d,]*)[ \t]*\r?$/im,
  /tokens per iteration will be:[ \t]*(\d[\d,]*)[ \t]*\r?$/im,
  /^Total batch size[ \t]+(\d[\d,]*)[ \t]*=>/im,
  /=[ \t]{0,4}(\d{1,3}(?:,\d{3}){1,4}|\d{1,15})[ \t]{0,4}tokens(?:\/| per )step[ \t]*\r?$/im,
];
/**
 * A banner's plan of steps and tokens on one line, `  Steps: 30518, Tokens: 1,000,013,824` (a real
 * hand-written loop's console, 2026, at each launch): the tokens a step takes when the steps divide
 * them exactly (32,768 there, its `Batch: 2 × 4 accum` of 4,096-token sequences). Groups: 1 the
 * steps, 2 the tokens. Anchored, bounded: linear.
 */
const STEPS_TOKENS_LINE = /^[ \t]{0,12}(?:total[ \t])?steps[ \t]{0,4}[:=][ \t]{0,4}(\d{1,3}(?:,\d{3}){1,4}|\d{1,15}),[ \t]{0,4}(?:total[ \t])?tokens[ \t]{0,4}[:=][ \t]{0,4}(\d{1,3}(?:,\d{3}){1,6}|\d{1,20})[ \t]*\r?$/im;
/**
 * A banner's planned steps and the tokens they take, `  Total: 165,000 steps = 2703.4M tokens` (a real
 * hand-written loop's console, 2026, below its `= 16,384 tokens/step`). The tokens may be rounded and
 * carry a K/M/B suffix (2703.4M = 2,703.4 × 10^6, to ±0.05M). Groups: 1 the steps, 2 the tokens, 3 the
 * suffix. Anchored, bounded: linear.
 */
const TOTAL_STEPS_TOKENS_LINE = /^[ \t]{0,12}total[ \t]{0,4}:[ \t]{0,4}(\d{1,3}(?:,\d{3}){1,4}|\d{1,15})[ \t]{1,4}steps[ \t]{0,4}=[ \t]{0,4}(\d{1,3}(?:,\d{3}){1,6}|\d{1,20}(?:\.\d{1,6})?)[ \t]?([KMB])?[ \t]{1,4}tokens[ \t]*\r?$/im;
const SCALE: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, thousand: 1e3, million: 1e6, billion: 1e9 };
/** An MLLOG event's whole-number value: `:::MLLOG {…, "key": "global_batch_size", "value": 2048, …}`. */
const MLLOG_ARG = (key: string) => new RegExp(`:::MLLOG \\{[^\\n]{0,200}?"key": "${key}", "value": (\\d{1,12})[,}]`);
/** MaxText's printed config, `Config param global_batch_size_to_train_on: 96` (a whole number, maybe written `96.0`). */
const MAXTEXT_ARG = (key: string) => new RegExp(`^Config param ${key}: (\\d{1,12})(?:\\.0{1,6})?[ \\t]*\\r?$`, 'm');
/**
 * Tokens per step as frameworks print a global batch (sequences) and the sequences' length, in this
 * order: Megatron's arguments (a fixed global batch: no batch ramp-up), GPT-NeoX's (the global batch
 * is DeepSpeed's train_batch_size), MLPerf's MLLOG events, MaxText's printed config.
 */
const BATCH_TIMES_LENGTH: ReadonlyArray<{ batch: RegExp; length: RegExp; flag: 'tokensMegatron' | 'tokensNeox' | 'tokensMllog' | 'tokensMaxText' | 'tokensTitan'; unless?: RegExp }> = [
  { batch: MEGATRON_ARG('global_batch_size'), length: MEGATRON_ARG('seq_length'), flag: 'tokensMegatron', unless: /^[ \t]*rampup_batch_size[ \t]\.{3,}[ \t](?!None)/m },
  { batch: NEOX_ARG('train_batch_size'), length: NEOX_ARG('seq_length'), flag: 'tokensNeox' },
  { batch: MLLOG_ARG('global_batch_size'), length: MLLOG_ARG('max_sequence_length'), flag: 'tokensMllog' },
  { batch: MAXTEXT_ARG('global_batch_size_to_train_on'), length: MAXTEXT_ARG('max_target_length'), flag: 'tokensMaxText' },
  // torchtitan: `Trainer is initialized with local batch size 8, global batch size 16, gradient accumulation steps 2, sequence length 2048, …`.
  { batch: /Trainer is initialized with [^\n]{0,100}?global batch size (\d{1,12}),/, length: /Trainer is initialized with [^\n]{0,200}?sequence length (\d{1,12}),/, flag: 'tokensTitan' },
];


/** The model size and tokens per step a text log's head printed (undefined where it printed none). */
export function printedModel(head: string): PrintedModel {
  const out: PrintedModel = {};
  const banner = (m: RegExpExecArray | null): RegExpExecArray | null => {
    // The banner's second form (groups 3–4) as the first's (groups 1–2).
    if (m && m[1] === undefined) { m[1] = m[3]; m[2] = m[4]; }
    return m;
  };
  const p = PARAMS_LINE.exec(head) ?? PARAMS_TABLE.exec(head) ?? PARAMS_TITAN.exec(head) ?? banner(PARAMS_BANNER.exec(head));
  if (p) {
    const digits = p[1].replace(/,/g, '');
    const v = Number(digits) * (p[2] ? SCALE[p[2]] : 1);
    if (Number.isFinite(v) && v >= 1) {
      out.params = Math.round(v);
      out.paramsLine = lineOf(head, p.index);
      out.paramsRounded = p[2] !== undefined || digits.includes('.');
    }
  }
  if (!p) {
    MEGATRON_RANK_PARAMS.lastIndex = 0;
    const ranks = new Map<string, number>();
    let first = -1;
    for (let m: RegExpExecArray | null; (m = MEGATRON_RANK_PARAMS.exec(head));) {
      if (first < 0) first = m.index;
      ranks.set(`${m[1]},${m[2]}`, Number(m[3]));
    }
    const sum = [...ranks.values()].reduce((a, b) => a + b, 0);
    // Every tensor rank of each pipeline stage must have printed (a rank missing would undercount).
    const tp = new Set([...ranks.keys()].map((k) => k.split(',')[0])).size, pp = new Set([...ranks.keys()].map((k) => k.split(',')[1])).size;
    if (ranks.size > 0 && ranks.size === tp * pp && sum >= 1) {
      out.params = sum;
      out.paramsLine = lineOf(head, first);
      out.paramsRounded = false;
      out.paramsRanks = ranks.size;
    }
  }
  if (out.params === undefined) {
    const o = olmoModelParams(head);
    if (o) { out.params = o.params; out.paramsLine = o.line; out.paramsRounded = false; out.paramsFromOlmoConfig = true; }
  }
  // A global batch of sequences times their length, as a framework prints them: the first found.
  for (const src of BATCH_TIMES_LENGTH) {
    const b = src.batch.exec(head), l = src.length.exec(head);
    if (!b || !l || src.unless?.test(head)) continue;
    const v = Number(b[1]) * Number(l[1]);
    if (v >= 1) { out.tokensPerStep = v; out.tokensLine = lineOf(head, b.index); out[src.flag] = true; break; }
  }
  const budget = out.tokensPerStep ? null : STEPS_TOKENS_LINE.exec(head);
  if (budget) {
    const steps = Number(budget[1].replace(/,/g, '')), tokens = Number(budget[2].replace(/,/g, ''));
    if (steps >= 1 && Number.isSafeInteger(tokens) && tokens % steps === 0 && tokens >= steps) {
      out.tokensPerStep = tokens / steps;
      out.tokensLine = lineOf(head, budget.index);
      out.tokensOfBudget = { steps, tokens };
    }
  }
  for (const re of out.tokensPerStep ? [] : TOKENS_LINES) {
    const t = re.exec(head);
    if (!t) continue;
    const v = Number(t[1].replace(/,/g, ''));
    if (Number.isFinite(v) && v >= 1) {
      out.tokensPerStep = v;
      out.tokensLine = lineOf(head, t.index);
      break;
    }
  }
  const total = TOTAL_STEPS_TOKENS_LINE.exec(head);
  const scale = total?.[3] === undefined ? 1 : Object.prototype.hasOwnProperty.call(SCALE, total[3]) ? SCALE[total[3]] : NaN;
  if (total && Number.isFinite(scale)) {
    // The tokens as printed stand for every count that rounds to them: ± half their last digit.
    const digits = total[2].replace(/,/g, ''), dot = digits.indexOf('.');
    const half = 0.5 * scale * (dot < 0 ? 1 : 10 ** -(digits.length - dot - 1)) * (total[3] === undefined && dot < 0 ? 0 : 1);
    const steps = Number(total[1].replace(/,/g, '')), mid = Number(digits) * scale;
    const line = lineOf(head, total.index);
    if (steps >= 1 && mid >= steps) {
      out.plannedTotal = { steps, text: `${total[2]}${total[3] ?? ''}`, line };
      if (out.tokensPerStep !== undefined) {
        out.plannedTotal.agrees = Math.abs(out.tokensPerStep * steps - mid) <= half;
      } else {
        // Tokens per step only when a single whole number of them fits the rounding.
        const lo = Math.ceil((mid - half) / steps), hi = Math.floor((mid + half) / steps);
        if (lo === hi && lo >= 1) { out.tokensPerStep = lo; out.tokensLine = line; }
      }
    }
  }
  return out;
}

/** OLMo's model printed as a dataclass: `model=ModelConfig(d_model=2048, n_heads=16, …, weight_tying=True, …)`. */
const OLMO_MODEL_CONFIG = /\bModelConfig\(d_model=(\d{1,7}),([^\n)]{0,4000})\)/;
/**
 * The parameters of the model OLMo printed (its TrainConfig's ModelConfig), counted as the Hugging
 * Face OLMo model it converts to: SwiGLU MLP (mlp_hidden_size, else mlp_ratio × d_model, split in two
 * halves), no biases, non-parametric layer norms, the padded embedding (tied or not). Other blocks
 * (biases, another activation) are not counted.
 */
function olmoModelParams(head: string): { params: number; line: number } | undefined {
  const m = OLMO_MODEL_CONFIG.exec(head);
  if (!m) return undefined;
  const kv = new Map<string, string>();
  for (const p of m[2].split(',')) {
    const eq = p.indexOf('=');
    if (eq > 0) kv.set(p.slice(0, eq).trim(), p.slice(eq + 1).trim().replace(/^'|'$/g, ''));
  }
  const int = (k: string): number | undefined => { const v = kv.get(k); return v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : undefined; };
  const d = Number(m[1]), heads = int('n_heads'), layers = int('n_layers');
  if (!heads || !layers || kv.get('activation_type') !== 'swiglu' || kv.get('include_bias') !== 'False' || kv.get('block_type') !== 'sequential') return undefined;
  const hidden = int('mlp_hidden_size') ?? (int('mlp_ratio') ?? 4) * d;
  const kvHeads = int('n_kv_heads') ?? (kv.get('multi_query_attention') === 'True' ? 1 : heads);
  const vocab = int('embedding_size') ?? int('vocab_size');
  if (!vocab) return undefined;
  const config = JSON.stringify({
    model_type: 'olmo', hidden_size: d, intermediate_size: hidden / 2, num_hidden_layers: layers, num_attention_heads: heads,
    num_key_value_heads: kvHeads, vocab_size: vocab, tie_word_embeddings: kv.get('weight_tying') === 'True', attention_bias: false,
  });
  const n = analyzeConfig(config, 'config.json')?.params?.total;
  return n && n >= 1 ? { params: n, line: lineOf(head, m.index) } : undefined;
}

/** The words a summary uses for a printed model size. */
export function printedParamsNote(m: PrintedModel, logName: string): string {
  const n = m.params ?? 0;
  if (m.paramsFromOlmoConfig) return `N = ${formatInteger(n)} parameters, counted from the ModelConfig(…) OLMo printed in ${logName}, line ${m.paramsLine} (as transformers' OLMo)`;
  if (m.paramsRanks) return m.paramsRanks === 1 ? `N = ${formatInteger(n)} parameters as Megatron printed them in ${logName}, line ${m.paramsLine}` : `N = ${formatInteger(n)} parameters: the sum of the counts Megatron printed for its ${m.paramsRanks} model-parallel ranks in ${logName}, from line ${m.paramsLine}`;
  return m.paramsRounded
    ? `N ≈ ${formatInteger(n)} parameters as printed (rounded) in ${logName}, line ${m.paramsLine}`
    : `N = ${formatInteger(n)} parameters as printed in ${logName}, line ${m.paramsLine}`;
}

/** The words a summary uses for printed tokens per step (and how they stand to a printed planned total). */
export function printedTokensNote(m: PrintedModel, logName: string): string {
  const note = tokensNoteOnly(m, logName);
  const t = m.plannedTotal;
  if (!t) return note;
  if (t.agrees === undefined) return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step (the ${t.text} tokens printed for the ${formatInteger(t.steps)} steps planned in ${logName}, line ${t.line}: the one whole number of tokens per step that rounds to them)`;
  const times = `× the ${formatInteger(t.steps)} steps planned = ${formatInteger((m.tokensPerStep ?? 0) * t.steps)} tokens`;
  return t.agrees
    ? `${note}; ${times}, as the total printed (${t.text}, line ${t.line})`
    : `${note}; ${times}, but line ${t.line} printed ${t.text} tokens: they disagree, the tokens per step kept`;
}

function tokensNoteOnly(m: PrintedModel, logName: string): string {
  if (m.tokensNeox) return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step (train_batch_size × seq_length as GPT-NeoX printed them in ${logName}, from line ${m.tokensLine})`;
  if (m.tokensMllog) return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step (global_batch_size × max_sequence_length as the MLLOG events in ${logName} give them, from line ${m.tokensLine})`;
  if (m.tokensMaxText) return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step (global_batch_size_to_train_on × max_target_length as MaxText printed them in ${logName}, from line ${m.tokensLine})`;
  if (m.tokensTitan) return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step (global batch size × sequence length as torchtitan printed them in ${logName}, line ${m.tokensLine})`;
  if (m.tokensOfBudget) return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step (the ${formatInteger(m.tokensOfBudget.tokens)} tokens over the ${formatInteger(m.tokensOfBudget.steps)} steps planned, as printed in ${logName}, line ${m.tokensLine})`;
  if (m.tokensMegatron) return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step (global_batch_size × seq_length as Megatron printed them in ${logName}, from line ${m.tokensLine})`;
  return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step as printed in ${logName}, line ${m.tokensLine}`;
}

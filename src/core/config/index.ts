/**
 * The training-config layer: read a YAML / JSON / TOML / nanoGPT-style Python config as text
 * (never executed), find the keys that fix the model's size and the training length, and derive
 * parameters, tokens, FLOPs, tokens per parameter and a predicted final loss, each number tied
 * back to the source ranges it came from. Plain data only: the editor glue turns it into hovers,
 * diagnostics and code actions; the CLI prints it.
 *
 * Rules (each one also written into `notes` when it applies to a file):
 * - Tokens D = steps × global batch × sequence length, where global batch = the explicit global
 *   batch key, else micro batch × gradient accumulation × data-parallel size (missing factors = 1,
 *   noted). An explicit token-budget key wins over that product; epochs × dataset tokens is used
 *   when there are no steps.
 * - nanoGPT (Python): train.py's `tokens_per_iter = gradient_accumulation_steps * batch_size *
 *   block_size`. nanoGPT divides gradient_accumulation_steps by the number of GPUs at start-up, so
 *   the configured value is already global: we never multiply by a device count there. Keys the
 *   file leaves out take train.py's defaults (noted).
 * - FLOPs ≈ 6·N·D with N = total parameters (active parameters for MoE), as Chinchilla counts;
 *   `flopsWithAttention` adds Kaplan et al.'s attention term 6·n_layer·seq_len·d_model per token.
 * - Tokens per parameter and the predicted loss use N = total parameters including embeddings,
 *   Chinchilla's convention (active parameters for MoE).
 */
import type { Problem, SourcePos } from '../dataset';
import { REPLICATION_LAW, CHINCHILLA_TOKENS_PER_PARAM, chinchillaLoss, type ChinchillaParams } from '../fit/laws';
import { detectConfigFormat, readConfig, type ConfigFormat, type RawEntry, type SourceRange } from './readers';
import { roleOf, kindOf, type Role } from './roles';
import { countParams, llamaFfnDim, type ArchSpec, type ParamCount } from './params';
import { fmtInt } from './summary';

export type { ConfigFormat, RawEntry, SourceRange } from './readers';
export type { ArchSpec, ParamCount } from './params';
export type { Role } from './roles';
export { countParams, llamaFfnDim } from './params';
export { detectConfigFormat, readConfig } from './readers';
export { evalPythonLiteral } from './pyeval';
export { summaryRows, architectureName, fmtInt, fmtSci, fmtShort, type SummaryRow } from './summary';

export interface ConfigValue {
  /** The key as written (last path segment). */
  key: string;
  /** Dotted path from the document root. */
  path: string;
  value: number | string | boolean | null;
  /** The key's range. */
  range: { start: SourcePos; end: SourcePos };
  /** The value's range (for edits). */
  valueRange: { start: SourcePos; end: SourcePos };
  /** The value's source text (`5 * 8`, `"4800ba"`). */
  raw: string;
}

export interface ConfigBreakdown {
  steps?: number;
  globalBatch?: number;
  microBatch?: number;
  gradAccum?: number;
  dataParallel?: number;
  seqLen?: number;
  tokensPerStep?: number;
  epochs?: number;
  datasetTokens?: number;
}

export interface ConfigAnalysis {
  file: string;
  format: ConfigFormat;
  architecture: 'gpt2' | 'llama' | 'moe' | 'unknown';
  params?: ParamCount;
  /** The architecture the count was made from (defaults filled in). */
  arch?: ArchSpec;
  tokens?: number;
  /** 6·N·D, N = active parameters. */
  flops?: number;
  /** 6·N·D + 6·n_layer·seq_len·d_model·D. */
  flopsWithAttention?: number;
  tokensPerParam?: number;
  predictedLoss?: number;
  /** Which law predicted the loss. */
  lawName: string;
  /** Reference ratio (default 20) and what it means for this model. */
  reference: { tokensPerParam: number; tokens?: number; steps?: number };
  breakdown: ConfigBreakdown;
  /** The keys each number came from, by role. */
  sources: Partial<Record<Role, ConfigValue>>;
  /** Which roles (keys in `sources`) each derived number came from. */
  derivedFrom: { params: Role[]; tokens: Role[] };
  /** Keys that would be needed for what is absent. */
  missing: string[];
  /** Assumptions and defaults used, in words. */
  notes: string[];
  problems: Problem[];
}

export interface AnalyzeOptions {
  /** Law for the predicted loss (default: the Besiroglu et al. 2024 replication). */
  law?: ChinchillaParams;
  /** Its name, shown next to the predicted loss. */
  lawName?: string;
  /** Compute-optimal tokens per parameter (default 20). */
  referenceTokensPerParam?: number;
}

// nanoGPT train.py defaults, used for Python configs that leave a key out.
const NANOGPT_DEFAULTS = {
  n_layer: 12, n_head: 12, n_embd: 768, block_size: 1024, bias: false, vocab_size: 50304,
  batch_size: 12, gradient_accumulation_steps: 5 * 8, max_iters: 600000,
};
/** Keys only nanoGPT-style configs use. */
const NANOGPT_SIGNATURE = new Set(['n_embd', 'n_layer', 'block_size', 'max_iters', 'gradient_accumulation_steps', 'init_from', 'lr_decay_iters', 'eval_iters']);
// nanoGPT's `from_pretrained` table (init_from = 'gpt2*'): vocab 50257, block 1024, bias True.
const GPT2_PRETRAINED: Record<string, { n_layer: number; n_head: number; n_embd: number }> = {
  gpt2: { n_layer: 12, n_head: 12, n_embd: 768 },
  'gpt2-medium': { n_layer: 24, n_head: 16, n_embd: 1024 },
  'gpt2-large': { n_layer: 36, n_head: 20, n_embd: 1280 },
  'gpt2-xl': { n_layer: 48, n_head: 25, n_embd: 1600 },
};
// Datasets shipped with nanoGPT whose meta.pkl sets the vocabulary.
const NANOGPT_DATASET_VOCAB: Record<string, number> = { shakespeare_char: 65 };
// torchtitan's llama3 flavors (torchtitan/models/llama3/__init__.py), vocabulary of the Llama 3 tokenizer.
const TORCHTITAN_LLAMA3: Record<string, { dim: number; n_layers: number; n_heads: number; n_kv_heads: number; multiple_of: number; ffn_dim_multiplier: number }> = {
  '8b': { dim: 4096, n_layers: 32, n_heads: 32, n_kv_heads: 8, multiple_of: 1024, ffn_dim_multiplier: 1.3 },
  '70b': { dim: 8192, n_layers: 80, n_heads: 64, n_kv_heads: 8, multiple_of: 4096, ffn_dim_multiplier: 1.3 },
  '405b': { dim: 16384, n_layers: 126, n_heads: 128, n_kv_heads: 8, multiple_of: 4096, ffn_dim_multiplier: 1.2 },
};

/** "600_000" (YAML 1.2 reads underscores as a string), "1e9"; with `suffixes`, "300B", "2.5T", "50M". */
function numericString(s: string, suffixes: boolean): number | undefined {
  const m = /^\s*([+-]?[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([kKMBGT]?)\s*$/.exec(s);
  if (!m || (m[2] && !suffixes)) return undefined;
  const scale: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12 };
  const n = Number(m[1].replace(/_/g, '')) * scale[m[2]];
  return Number.isFinite(n) ? n : undefined;
}

/** Sizes and counts that make no sense at zero or below (steps ≤ 0 and data-parallel -1 have meanings). */
const MUST_BE_POSITIVE = new Set<Role>(['n_layer', 'd_model', 'n_head', 'n_kv_head', 'head_dim', 'vocab_size', 'd_ff', 'expansion_ratio',
  'multiple_of', 'ffn_dim_multiplier', 'seq_len', 'n_positions', 'epochs', 'dataset_tokens', 'token_budget', 'batch_size', 'global_batch_size',
  'grad_accum', 'experts', 'experts_per_token']);

const LLAMA_LIKE = /llama|mistral|mixtral|qwen|gemma|deepseek|olmo|phi3|phi-3|internlm|baichuan|granite|smollm/i;
const GPT2_LIKE = /gpt2|gpt-2|gpt_neo|gpt-neo|gptj|mpt|nanogpt|opt/i;

function toConfigValue(e: RawEntry): ConfigValue {
  return { key: e.key, path: e.path, value: e.value ?? null, range: e.range, valueRange: e.valueRange, raw: e.raw };
}

/** Composer/OLMo durations: "4800ba" (batches), "2ep", "1000000tok", "500sp" (samples), "2e12T" (OLMo tokens). */
function parseDuration(v: number | string | boolean | null): { unit: 'steps' | 'epochs' | 'tokens' | 'samples'; n: number; suffix: string } | undefined {
  if (typeof v === 'number') return { unit: 'steps', n: v, suffix: '' };
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*(ba|ep|tok|sp|T|)\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1].replace(/_/g, ''));
  const unit = m[2] === 'ep' ? 'epochs' : m[2] === 'tok' || m[2] === 'T' ? 'tokens' : m[2] === 'sp' ? 'samples' : 'steps';
  return { unit, n, suffix: m[2] };
}



/**
 * Analyses a training config. Returns undefined when the file is not a training/model config
 * (too few recognised keys), so unrelated YAML/JSON/TOML/Python files get nothing.
 */
export function analyzeConfig(text: string, fileName: string, opts: AnalyzeOptions = {}): ConfigAnalysis | undefined {
  const format = detectConfigFormat(fileName, text);
  if (!format) return undefined;
  const read = readConfig(text, format);
  const problems: Problem[] = [...read.problems];
  const notes: string[] = [];
  const byPath = new Map(read.entries.map((e) => [e.path, e]));

  // Resolve `${variables.x}` interpolations (llm-foundry / OmegaConf) to the referenced scalar.
  const resolve = (e: RawEntry): RawEntry => {
    for (let depth = 0; depth < 8 && typeof e.value === 'string'; depth++) {
      const m = /^\$\{\s*([A-Za-z0-9_.\-]+)\s*\}$/.exec(e.value);
      const target = m ? byPath.get(m[1]) : undefined;
      if (!target) break;
      e = { ...e, value: target.value };
    }
    return e;
  };

  // Pick one entry per role.
  const best = new Map<Role, { entry: RawEntry; rank: number; order: number }>();
  /** Roles whose key is present but not a literal: never replaced by a default. */
  const unreadable = new Set<Role>();
  read.entries.forEach((raw, order) => {
    const r = roleOf(raw);
    if (!r) return;
    const role = r.spec.role;
    if (raw.value === undefined) {
      unreadable.add(role);
      problems.push({
        line: raw.valueRange.start.line, column: raw.valueRange.start.column, severity: 'warning',
        message: `${raw.key}: not a literal (${raw.notLiteral ?? 'unsupported expression'}); Scaling Lens never runs config code, so this value is ignored.`,
      });
      return;
    }
    let e = resolve(raw);
    const kind = kindOf(role);
    if (kind === 'number' && typeof e.value === 'string') {
      const n = numericString(e.value, role === 'token_budget' || role === 'dataset_tokens');
      if (n !== undefined) e = { ...e, value: n };
    }
    const v = e.value;
    const ok =
      kind === 'number' ? typeof v === 'number' && Number.isFinite(v)
      : kind === 'boolean' ? typeof v === 'boolean'
      : kind === 'string' ? typeof v === 'string'
      : parseDuration(v ?? null) !== undefined;
    if (!ok) return;
    if (typeof v === 'number' && MUST_BE_POSITIVE.has(role) && !(v > 0)) {
      problems.push({ line: e.valueRange.start.line, column: e.valueRange.start.column, severity: 'warning', message: `${e.key} = ${v}: must be positive; ignored.` });
      unreadable.add(role);
      return;
    }
    const prev = best.get(role);
    if (!prev || r.rank < prev.rank) best.set(role, { entry: e, rank: r.rank, order });
  });

  const sources: Partial<Record<Role, ConfigValue>> = {};
  for (const [role, b] of best) sources[role] = toConfigValue(b.entry);
  const num = (role: Role): number | undefined => {
    const v = best.get(role)?.entry.value;
    return typeof v === 'number' ? v : undefined;
  };
  const bool = (role: Role): boolean | undefined => {
    const v = best.get(role)?.entry.value;
    return typeof v === 'boolean' ? v : undefined;
  };
  const str = (role: Role): string | undefined => {
    const v = best.get(role)?.entry.value;
    return typeof v === 'string' ? v : undefined;
  };

  // Is this a training/model config at all?
  // Model-size keys, or a training length that can become tokens. A file that is a training log
  // (trainer_state.json's `log_history`) is the log layer's, not ours.
  const has = (r: Role): boolean => best.has(r) || unreadable.has(r);
  const numericRoles = new Set([...best.keys(), ...unreadable].filter((r) => kindOf(r) !== 'string' && kindOf(r) !== 'boolean'));
  const modelAnchor = has('n_layer') || has('d_model');
  const lengthAnchor = (has('max_steps') || has('max_duration') || has('epochs')) && (has('seq_len') || has('token_budget') || (format === 'python' && read.entries.some((e) => NANOGPT_SIGNATURE.has(e.key))));
  const budgetAnchor = has('token_budget') && (has('seq_len') || has('batch_size') || has('global_batch_size') || has('max_steps'));
  const flavorOnly = format === 'toml' && best.has('flavor') && (best.has('max_steps') || best.has('seq_len'));
  const isLog = read.entries.some((e) => e.segments[0] === 'log_history') || /"log_history"\s*:/.test(text);
  if (isLog || (!flavorOnly && (numericRoles.size < 2 || !(modelAnchor || lengthAnchor || budgetAnchor)))) return undefined;

  const missing: string[] = [];
  // nanoGPT's train.py defaults and its tokens-per-iteration rule apply to Python files that use
  // nanoGPT's own names; other Python training scripts get only what they say.
  const python = format === 'python' && read.entries.some((e) => NANOGPT_SIGNATURE.has(e.key));

  // ---- architecture
  const typeHint = [str('model_type'), str('init_from'), str('flavor'), best.get('model_type')?.entry.path].filter(Boolean).join(' ');
  let nLayer = num('n_layer');
  let dModel = num('d_model');
  let nHead = num('n_head');
  let nKvHead = num('n_kv_head');
  let vocab = num('vocab_size');
  let dFf = num('d_ff');
  let multipleOf = num('multiple_of');
  let ffnMult = num('ffn_dim_multiplier');
  let seqLen = num('seq_len');
  let bias = bool('bias');
  if (bias === undefined && bool('no_bias') !== undefined) bias = !bool('no_bias');
  const experts = num('experts');
  const expertsPerToken = num('experts_per_token');

  // nanoGPT: init_from = 'gpt2*' loads OpenAI's shapes; other keys default to train.py's values.
  if (python) {
    const init = str('init_from');
    const pre = init ? GPT2_PRETRAINED[init] : undefined;
    if (pre) {
      nLayer ??= pre.n_layer; nHead ??= pre.n_head; dModel ??= pre.n_embd;
      vocab ??= 50257; bias ??= true;
      if (!best.has('seq_len')) seqLen = 1024;
      notes.push(`init_from = '${init}': model shape from OpenAI's ${init} checkpoint (n_layer ${pre.n_layer}, n_head ${pre.n_head}, n_embd ${pre.n_embd}, vocab 50257, block 1024, bias True).`);
    }
    const defaulted: string[] = [];
    const dflt = <T>(cur: T | undefined, role: Role, name: keyof typeof NANOGPT_DEFAULTS, value: T): T | undefined => {
      if (cur !== undefined || unreadable.has(role)) return cur;
      defaulted.push(`${name} = ${typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value)}`);
      return value;
    };
    nLayer = dflt(nLayer, 'n_layer', 'n_layer', NANOGPT_DEFAULTS.n_layer);
    nHead = dflt(nHead, 'n_head', 'n_head', NANOGPT_DEFAULTS.n_head);
    dModel = dflt(dModel, 'd_model', 'n_embd', NANOGPT_DEFAULTS.n_embd);
    seqLen = dflt(seqLen, 'seq_len', 'block_size', NANOGPT_DEFAULTS.block_size);
    bias = dflt(bias, 'bias', 'bias', NANOGPT_DEFAULTS.bias);
    if (vocab === undefined && !unreadable.has('vocab_size')) {
      const ds = str('dataset');
      if (ds && NANOGPT_DATASET_VOCAB[ds] !== undefined) {
        vocab = NANOGPT_DATASET_VOCAB[ds];
        notes.push(`vocab_size = ${vocab}: nanoGPT reads it from data/${ds}/meta.pkl.`);
      } else {
        vocab = NANOGPT_DEFAULTS.vocab_size;
        notes.push("vocab_size absent: nanoGPT's default 50304 (GPT-2's 50257 padded to a multiple of 64), unless the dataset's meta.pkl says otherwise.");
      }
    }
    if (defaulted.length) notes.push(`Not in the file, so nanoGPT train.py's defaults: ${defaulted.join(', ')}.`);
  }

  // torchtitan: `[model] name = "llama3"`, `flavor = "8B"` names a shape defined in code.
  const flavor = str('flavor')?.toLowerCase();
  if (flavor && TORCHTITAN_LLAMA3[flavor] && nLayer === undefined && dModel === undefined) {
    const f = TORCHTITAN_LLAMA3[flavor];
    nLayer = f.n_layers; dModel = f.dim; nHead = f.n_heads; nKvHead ??= f.n_kv_heads;
    multipleOf ??= f.multiple_of; ffnMult ??= f.ffn_dim_multiplier;
    if (vocab === undefined) { vocab = 128256; notes.push('vocab_size absent: 128,256 (the Llama 3 tokenizer).'); }
    notes.push(`flavor "${str('flavor')}": torchtitan's llama3 ${str('flavor')} shape (dim ${f.dim}, n_layers ${f.n_layers}, n_heads ${f.n_heads}, n_kv_heads ${f.n_kv_heads}).`);
  }

  let family: 'gpt2' | 'llama' | undefined;
  if (LLAMA_LIKE.test(typeHint)) family = 'llama';
  else if (GPT2_LIKE.test(typeHint)) family = 'gpt2';
  else if (python) family = 'gpt2';
  else if (best.has('n_kv_head') || multipleOf !== undefined || /silu|swiglu|swish/i.test(str('hidden_act') ?? '')) family = 'llama';
  else if (best.has('expansion_ratio') || best.get('d_model')?.entry.key === 'n_embd' || best.has('bias') || best.has('no_bias')) family = 'gpt2';
  else if (best.get('d_ff')?.entry.key === 'intermediate_size' || best.get('d_ff')?.entry.key === 'ffn_hidden_size') family = 'llama';
  else if (nLayer !== undefined && dModel !== undefined) {
    family = 'gpt2';
    notes.push('Architecture not named: counted as a GPT-2-style transformer (GELU MLP, learned positions, tied embeddings).');
  }
  const moe = experts !== undefined && experts > 1;
  const architecture: ConfigAnalysis['architecture'] = moe ? 'moe' : family ?? 'unknown';
  if (/mpt/i.test(typeHint) && bias === undefined) { bias = false; notes.push('MPT: no_bias defaults to true.'); }

  let arch: ArchSpec | undefined;
  let params: ParamCount | undefined;
  const need = (cond: boolean, key: string): void => { if (cond) missing.push(key); };
  need(nLayer === undefined, 'n_layer (or num_hidden_layers)');
  need(dModel === undefined, 'd_model (or n_embd / hidden_size)');
  need(vocab === undefined, 'vocab_size');
  if (family === 'llama') {
    if (dFf === undefined && dModel !== undefined && multipleOf !== undefined) dFf = llamaFfnDim(dModel, multipleOf, ffnMult);
    need(dFf === undefined, 'intermediate_size (or ffn_hidden_size)');
    need(nHead === undefined && nKvHead !== undefined, 'num_attention_heads');
  }
  if (moe) need(expertsPerToken === undefined, 'num_experts_per_tok');
  if (family && nLayer !== undefined && dModel !== undefined && vocab !== undefined && (family === 'gpt2' || dFf !== undefined)) {
    const heads = nHead ?? (nKvHead === undefined ? 1 : undefined);
    if (heads !== undefined) {
      if (nHead !== undefined && dModel % nHead !== 0 && num('head_dim') === undefined) {
        const s = sources.n_head ?? sources.d_model;
        problems.push({ line: s?.range.start.line ?? 0, column: s?.range.start.column, severity: 'warning', message: `d_model ${dModel} is not divisible by n_head ${nHead}.` });
      }
      let tied = bool('tie_embeddings');
      if (tied === undefined) {
        tied = family === 'gpt2' || /gemma/i.test(typeHint);
        if (!python) notes.push(tied ? `Embeddings tied to the output layer (${family === 'gpt2' ? 'GPT-2' : 'Gemma'} default).` : 'Untied lm_head (tie_word_embeddings defaults to false for Llama-style models).');
      }
      if (family === 'gpt2' && bias === undefined) { bias = true; notes.push('bias absent: biases counted, as in GPT-2.'); }
      let positions = 0;
      // Learned position embeddings for GPT-2-style models, unless rotary (GPT-NeoX, rope keys) or ALiBi.
      const rotary = /neox|rope|rotary/i.test(typeHint) || read.entries.some((e) => /^(rope_theta|rotary_pct|rotary_emb_base|rotary_dim|rope_scaling|position_embedding_type)$/.test(e.key) && e.value !== null && e.value !== 'absolute' && e.value !== 'learned');
      if (family === 'gpt2' && rotary) notes.push('Rotary position encoding: no learned position embeddings.');
      if (family === 'gpt2' && !bool('alibi') && !rotary) {
        positions = num('n_positions') ?? seqLen ?? 0;
        if (!positions) missing.push('block_size / n_positions (learned position embeddings)');
      }
      arch = {
        family, nLayer, dModel, nHead: heads, nKvHead, headDim: num('head_dim'), vocabSize: vocab,
        dFf: family === 'gpt2' ? dFf ?? (num('expansion_ratio') !== undefined ? num('expansion_ratio')! * dModel : undefined) : dFf,
        positions, tiedEmbeddings: tied, bias: family === 'gpt2' ? bias ?? true : bias ?? false,
        experts: moe ? experts : undefined, expertsPerToken: moe ? expertsPerToken ?? 1 : undefined,
      };
      if (family === 'llama') {
        const ab = bool('attention_bias');
        if (ab !== undefined) arch.attnBias = ab ? 'all' : 'none';
        else if (/qwen2/i.test(typeHint)) { arch.attnBias = 'qkv'; notes.push('Qwen2: biases on the q, k and v projections.'); }
        const mb = bool('mlp_bias');
        if (mb !== undefined) arch.mlpBias = mb;
      }
      params = countParams(arch);
    }
  }

  // ---- tokens
  const breakdown: ConfigBreakdown = {};
  let steps = num('max_steps');
  let tokensFromDuration: number | undefined;
  let samplesFromDuration: number | undefined;
  let epochs = num('epochs');
  if (steps !== undefined && steps <= 0) {
    notes.push(`${sources.max_steps?.key} = ${steps}: no step limit, so the epochs decide.`);
    steps = undefined;
  }
  const dur = best.has('max_duration') ? parseDuration(best.get('max_duration')!.entry.value ?? null) : undefined;
  if (dur && steps === undefined) {
    if (dur.unit === 'steps') { steps = dur.n; if (!dur.suffix) notes.push('max_duration without a unit read as steps (batches).'); }
    else if (dur.unit === 'tokens') tokensFromDuration = dur.n;
    else if (dur.unit === 'samples') samplesFromDuration = dur.n;
    else epochs ??= dur.n;
  }
  if (python) {
    if (steps === undefined && !unreadable.has('max_steps')) { steps = NANOGPT_DEFAULTS.max_iters; notes.push(`max_iters absent: nanoGPT's default ${fmtInt(steps)}.`); }
  }
  if (seqLen === undefined && num('n_positions') !== undefined) {
    seqLen = num('n_positions');
    if (steps !== undefined || samplesFromDuration !== undefined) notes.push(`Sequence length taken from ${sources.n_positions?.key} = ${seqLen} (the model's context); set a seq_len key if training uses shorter sequences.`);
  }
  let micro = num('batch_size');
  let accum = num('grad_accum');
  let dp = num('data_parallel');
  if (dp !== undefined && dp <= 0) {
    notes.push(`${sources.data_parallel?.key} = ${dp}: decided at launch (all remaining devices), so counted as 1.`);
    dp = undefined;
  }
  let globalBatch = num('global_batch_size');
  if (python) {
    if (micro === undefined && !unreadable.has('batch_size')) { micro = NANOGPT_DEFAULTS.batch_size; notes.push(`batch_size absent: nanoGPT's default ${micro}.`); }
    if (accum === undefined && !unreadable.has('grad_accum')) { accum = NANOGPT_DEFAULTS.gradient_accumulation_steps; notes.push(`gradient_accumulation_steps absent: nanoGPT's default ${accum} (5 * 8).`); }
    if (micro !== undefined && accum !== undefined) globalBatch = micro * accum;
    notes.push('nanoGPT: tokens per iteration = gradient_accumulation_steps × batch_size × block_size; gradient_accumulation_steps is already the global count (train.py divides it by the GPU count).');
  } else if (globalBatch !== undefined) {
    if (micro !== undefined && accum !== undefined && dp !== undefined && micro * accum * dp !== globalBatch) {
      const s = sources.global_batch_size!;
      problems.push({ line: s.range.start.line, column: s.range.start.column, severity: 'warning', message: `${s.key} = ${globalBatch} but micro batch × gradient accumulation × data-parallel = ${micro} × ${accum} × ${dp} = ${micro * accum * dp}.` });
    }
    if (accum === undefined && micro !== undefined && dp !== undefined && globalBatch % (micro * dp) === 0) accum = globalBatch / (micro * dp);
  } else if (micro !== undefined) {
    const a = accum ?? 1;
    const d = dp ?? 1;
    globalBatch = micro * a * d;
    const assumed: string[] = [];
    if (accum === undefined) assumed.push('gradient accumulation 1');
    if (dp === undefined) assumed.push('1 data-parallel device (set world_size / num_devices for more)');
    if (assumed.length) notes.push(`Global batch = micro batch × gradient accumulation × data-parallel size, assuming ${assumed.join(' and ')}.`);
  }
  Object.assign(breakdown, { microBatch: micro, gradAccum: accum, dataParallel: python ? undefined : dp, globalBatch, seqLen, steps, epochs });
  if (globalBatch !== undefined && seqLen !== undefined) breakdown.tokensPerStep = globalBatch * seqLen;

  let tokens: number | undefined;
  const budget = num('token_budget');
  const datasetTokens = num('dataset_tokens');
  if (datasetTokens !== undefined) breakdown.datasetTokens = datasetTokens;
  if (budget !== undefined) {
    tokens = budget;
    if (steps !== undefined && breakdown.tokensPerStep !== undefined) {
      const implied = steps * breakdown.tokensPerStep;
      if (Math.abs(implied - budget) > 0.01 * budget) {
        const s = sources.token_budget!;
        problems.push({ line: s.range.start.line, column: s.range.start.column, severity: 'info', message: `${s.key} = ${fmtInt(budget)} but steps × tokens per step = ${fmtInt(implied)}; using ${s.key}.` });
      }
    }
  } else if (tokensFromDuration !== undefined) {
    tokens = tokensFromDuration;
  } else if (samplesFromDuration !== undefined && seqLen !== undefined) {
    tokens = samplesFromDuration * seqLen;
  } else if (steps !== undefined && breakdown.tokensPerStep !== undefined) {
    tokens = steps * breakdown.tokensPerStep;
  } else if (steps === undefined && epochs !== undefined && datasetTokens !== undefined) {
    tokens = epochs * datasetTokens;
    notes.push('Tokens = epochs × dataset tokens.');
  }
  if (tokens === undefined) {
    if (steps === undefined && samplesFromDuration === undefined) {
      missing.push(epochs !== undefined ? 'dataset_tokens (with the epochs) or max_steps' : 'max_steps (or max_iters / train_iters / max_duration) or a token budget (tokens)');
    }
    if (globalBatch === undefined && samplesFromDuration === undefined) missing.push('batch size (per_device_train_batch_size / micro_batch_size / global_batch_size)');
    if (seqLen === undefined) missing.push('sequence length (max_seq_len / seq_len / block_size)');
  }

  // ---- derived
  const law = opts.law ?? REPLICATION_LAW;
  const ref = opts.referenceTokensPerParam ?? CHINCHILLA_TOKENS_PER_PARAM;
  const analysis: ConfigAnalysis = {
    file: fileName, format, architecture, params, arch, tokens,
    lawName: opts.law ? opts.lawName ?? 'fitted law' : 'Besiroglu et al. 2024 replication of Chinchilla',
    reference: { tokensPerParam: ref }, breakdown, sources, missing, notes, problems,
    derivedFrom: { params: [], tokens: [] },
  };
  const present = (roles: Role[]): Role[] => roles.filter((r) => sources[r] !== undefined);
  if (params) {
    analysis.derivedFrom.params = present(['n_layer', 'd_model', 'n_head', 'n_kv_head', 'head_dim', 'vocab_size', 'd_ff', 'expansion_ratio',
      'multiple_of', 'ffn_dim_multiplier', 'n_positions', 'seq_len', 'experts', 'experts_per_token', 'tie_embeddings', 'bias', 'no_bias', 'init_from', 'flavor']);
  }
  if (tokens !== undefined) {
    analysis.derivedFrom.tokens = budget !== undefined ? present(['token_budget'])
      : present(['max_steps', 'max_duration', 'epochs', 'dataset_tokens', 'global_batch_size', 'batch_size', 'grad_accum', 'data_parallel', 'seq_len', 'n_positions']);
  }
  if (params) {
    analysis.reference.tokens = ref * params.active;
    if (breakdown.tokensPerStep) analysis.reference.steps = Math.ceil(analysis.reference.tokens / breakdown.tokensPerStep);
    if (moe) notes.push(`Mixture of experts: tokens per parameter, FLOPs and the predicted loss use the ${fmtInt(params.active)} active parameters (of ${fmtInt(params.total)}).`);
  }
  if (params && tokens !== undefined && tokens > 0) {
    const N = params.active;
    analysis.flops = 6 * N * tokens;
    if (arch && seqLen !== undefined) analysis.flopsWithAttention = analysis.flops + 6 * arch.nLayer * seqLen * arch.dModel * tokens;
    analysis.tokensPerParam = tokens / N;
    analysis.predictedLoss = chinchillaLoss(law, N, tokens);
  }
  return analysis;
}

const within = (r: SourceRange, line: number, column: number): boolean =>
  (line > r.start.line || (line === r.start.line && column >= r.start.column)) &&
  (line < r.end.line || (line === r.end.line && column <= r.end.column));

/** The recognised key under the cursor (1-based line, 0-based column), on its key or its value. */
export function keyAt(analysis: ConfigAnalysis, line: number, column: number): ConfigValue | undefined {
  for (const v of Object.values(analysis.sources)) {
    if (v && (within(v.range, line, column) || within(v.valueRange, line, column))) return v;
  }
  return undefined;
}

/**
 * The edit that makes the config train on ≈ `ratio` tokens per (active) parameter: which key to
 * change and its new integer value (`newText` keeps the value's spelling: quotes, a "ba" unit).
 * Uses the step key (tokens per step stays); else the token-budget key. Undefined when the config
 * has no such key or too little to compute it.
 */
export function stepsForTokensPerParam(analysis: ConfigAnalysis, ratio: number): { key: ConfigValue; newValue: number; newText: string } | undefined {
  if (!analysis.params || !(ratio > 0)) return undefined;
  const target = ratio * analysis.params.active;
  const budget = analysis.sources.token_budget;
  if (budget) {
    const newValue = Math.round(target);
    return { key: budget, newValue, newText: respell(budget.raw, newValue) };
  }
  const perStep = analysis.breakdown.tokensPerStep;
  if (!perStep) return undefined;
  const newValue = Math.max(1, Math.round(target / perStep));
  // Any numeric step key, including Hugging Face's max_steps = -1 (a positive value overrides the epochs).
  const stepsKey = analysis.sources.max_steps && typeof analysis.sources.max_steps.value === 'number' ? analysis.sources.max_steps : undefined;
  if (stepsKey) return { key: stepsKey, newValue, newText: respell(stepsKey.raw, newValue) };
  const dur = analysis.sources.max_duration;
  if (dur) {
    const d = parseDuration(dur.value);
    if (d && d.unit === 'steps') return { key: dur, newValue, newText: respell(dur.raw, newValue, d.suffix || undefined) };
  }
  return undefined;
}

/** The new value written like the old one: same quotes, unit suffix kept. */
function respell(raw: string, n: number, suffix?: string): string {
  const t = raw.trim();
  const q = /^(["'])/.exec(t)?.[1] ?? '';
  const unit = suffix ?? (/^["']?[0-9._eE+-]+\s*([A-Za-z]+)["']?$/.exec(t)?.[1] ?? '');
  return `${q}${n}${unit}${q}`;
}

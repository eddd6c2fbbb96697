/**
 * Stage 2 of a config's analysis: the model's shape and its exact parameter count.
 * - A Hugging Face config.json with a `model_type`: the family's builder (families.ts), exactly as
 *   transformers builds the model; an unknown `model_type` gets a problem and no count.
 * - Trainer configs (nanoGPT Python, YAML, TOML): a GPT-2-style or Llama-style decoder from the
 *   role keys, with nanoGPT's and torchtitan's defaults where the file names them, and MoE keys
 *   (expert width, shared experts, dense first layers) when present.
 * Either way, size keys the count did not read become problems (uncounted.ts).
 */
import { own } from '../own';
import type { Problem } from '../dataset';
import type { ConfigFormat, RawEntry } from './readers';
import type { RoleValues } from './roleValues';
import type { Role } from './roles';
import { MAX_LAYERS, countModel, llamaFfnDim, shapeProblem, specFromArch, type ArchSpec, type ModelSpec, type ParamCount } from './params';
import { buildFamily, familyOf, modelTypeOfArchitecture, SUPPORTED_MODEL_TYPES, type FamilyInfo } from './families';
import { uncountedKeys } from './uncounted';

export type Architecture = 'gpt2' | 'llama' | 'moe' | 'unknown';

export interface ModelResult {
  architecture: Architecture;
  /** The Hugging Face family the count follows, when the config named one Scaling Lens knows. */
  family?: FamilyInfo;
  spec?: ModelSpec;
  params?: ParamCount;
  /** Sequence length (nanoGPT's default block_size when the file leaves it out). */
  seqLen?: number;
  /** Whether the count read every size key of the file (no problem about uncounted keys). */
  complete: boolean;
  /** The problems that say what the count leaves out (also in the context's problems). */
  notCounted: Problem[];
  /** The config names a model no transformer count fits (a recurrent net): why there is no count. */
  notTransformer?: Problem;
}

export interface StageContext {
  format: ConfigFormat;
  entries: RawEntry[];
  roles: RoleValues;
  /** nanoGPT-style Python (its names, defaults and token rule apply). */
  python: boolean;
  notes: string[];
  missing: string[];
  problems: Problem[];
}

// nanoGPT train.py defaults, used for Python configs that leave a key out.
export const NANOGPT_DEFAULTS = {
  n_layer: 12, n_head: 12, n_embd: 768, block_size: 1024, bias: false, vocab_size: 50304,
  batch_size: 12, gradient_accumulation_steps: 5 * 8, max_iters: 600000,
};
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

const LLAMA_LIKE = /llama|mistral|mixtral|qwen|gemma|deepseek|olmo|phi3|phi-3|internlm|baichuan|granite|smollm/i;
const GPT2_LIKE = /gpt2|gpt-2|gpt_neo|gpt-neo|gptj|mpt|nanogpt|opt/i;
/** A model type that names a recurrent network: `lstm`, `blstm`, `BiLSTM`, `gru`, `rnn`, `rnnlm`. */
const RECURRENT = /^(?:bi|b)?(?:lstm|gru|rnn)(?:[_-]?lm)?$/i;
const MLA_ROLES: Role[] = ['q_lora_rank', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim'];

/** The model stage: family builder for a config.json with a model_type, generic shapes otherwise. */
export function resolveModel(ctx: StageContext): ModelResult {
  if (ctx.format !== 'json') {
    // A YAML/TOML section holding a Hugging Face model config (`model: {model_type: qwen2_moe,
    // hidden_size: …}`) is counted by its family, exactly as a config.json.
    const hf = ctx.entries.find((e) => e.key === 'model_type' && e.segments.length <= 3 && typeof e.value === 'string' && familyOf(e.value) !== undefined
      && ctx.entries.some((x) => x.segments.length === e.segments.length && x.segments.slice(0, -1).join('.') === e.segments.slice(0, -1).join('.') && /^(hidden_size|num_hidden_layers|n_embd|d_model)$/.test(x.key)));
    if (hf) return hfModel(ctx, hf, String(hf.value), hf.segments.slice(0, -1).join('.') || undefined);
    return genericModel(ctx);
  }
  const top = (key: string) => ctx.entries.find((e) => e.segments.length === 1 && e.key === key && typeof e.value === 'string');
  const modelType = top('model_type');
  if (modelType) return hfModel(ctx, modelType, String(modelType.value));
  // No model_type, but `"architectures": ["LlamaForCausalLM"]` names the transformers class.
  const arch = top('architectures');
  const fromArch = arch ? modelTypeOfArchitecture(String(arch.value)) : undefined;
  if (arch && fromArch) {
    ctx.notes.push(`model_type absent: "${fromArch}" from architectures "${String(arch.value)}".`);
    return hfModel(ctx, arch, fromArch);
  }
  // A transformers class the counter does not know: a problem, not a guess.
  if (arch && /(ForCausalLM|LMHeadModel|ForConditionalGeneration)$/.test(String(arch.value))) return hfModel(ctx, arch, String(arch.value));
  return genericModel(ctx);
}

function hfModel(ctx: StageContext, modelType: RawEntry, type: string, section?: string): ModelResult {
  const at = { line: modelType.range.start.line, column: modelType.range.start.column };
  const built = buildFamily(type, ctx.entries, section);
  if (!built) {
    const multimodal = /^gemma3$|llava|vl|vision|idefics|mllama|paligemma|qwen2_5_omni|qwen3_omni/i.test(type);
    const p: Problem = {
      ...at, severity: 'warning',
      message: `${modelType.key} "${type}" is not a family Scaling Lens counts exactly${multimodal ? ' (a multimodal model: its vision/audio towers are not counted)' : ''}, so no parameter count is given rather than a guess. Counted exactly: ${SUPPORTED_MODEL_TYPES.join(', ')}.`,
    };
    ctx.problems.push(p);
    return { architecture: 'unknown', complete: false, notCounted: [p] };
  }
  ctx.notes.push(...built.notes);
  for (const m of built.missing) ctx.missing.push(m);
  const counted = new Set(built.spec?.extra ? ['text_config', 'vision_config'] : []);
  const uncounted = uncountedKeys(ctx.entries, new Set([...built.used, ...ctx.roles.rolePaths]), { towers: ctx.format === 'json', counted });
  ctx.problems.push(...uncounted);
  if (!built.spec) return { architecture: 'unknown', family: built.family, complete: uncounted.length === 0, notCounted: uncounted };
  const params = countModel(built.spec);
  const bad = shapeProblem(built.spec, params);
  if (bad) {
    const p: Problem = { ...at, severity: 'warning', message: `${modelType.key} "${type}": no parameter count, as ${bad}; a count from this shape would be wrong.` };
    ctx.problems.push(p);
    return { architecture: 'unknown', family: built.family, complete: false, notCounted: [...uncounted, p] };
  }
  ctx.notes.push(`${built.family.name} (model_type "${built.family.id}"): counted module by module as transformers' ${built.family.module} builds it.`);
  if (params.mtp) ctx.notes.push(`Multi-token-prediction module${(built.spec.mtpLayers ?? 1) > 1 ? 's' : ''} (num_nextn_predict_layers = ${built.spec.mtpLayers}): ${params.mtp.toLocaleString('en-US')} parameters in the checkpoint beside the model (its embedding and output head are the model's; a checkpoint that stores copies of them, as DeepSeek's does, holds ${((built.spec.mtpLayers ?? 1) * 2 * built.spec.vocabSize * built.spec.dModel).toLocaleString('en-US')} more); transformers does not load ${(built.spec.mtpLayers ?? 1) > 1 ? 'them' : 'it'}, so not in the total.`);
  return { architecture: built.spec.moe ? 'moe' : 'llama', family: built.family, spec: built.spec, params, complete: uncounted.length === 0, notCounted: uncounted };
}

function genericModel(ctx: StageContext): ModelResult {
  const { roles, notes, missing, problems, python } = ctx;
  const num = (r: Role) => roles.num(r);
  const bool = (r: Role) => roles.bool(r);
  const str = (r: Role) => roles.str(r);
  const typeHint = [str('model_type'), str('init_from'), str('flavor'), roles.best.get('model_type')?.entry.path].filter(Boolean).join(' ');
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
    const pre = init ? own(GPT2_PRETRAINED, init) : undefined;
    if (pre) {
      nLayer ??= pre.n_layer; nHead ??= pre.n_head; dModel ??= pre.n_embd;
      vocab ??= 50257; bias ??= true;
      if (!roles.best.has('seq_len')) seqLen = 1024;
      notes.push(`init_from = '${init}': model shape from OpenAI's ${init} checkpoint (n_layer ${pre.n_layer}, n_head ${pre.n_head}, n_embd ${pre.n_embd}, vocab 50257, block 1024, bias True).`);
    }
    const defaulted: string[] = [];
    const dflt = <T>(cur: T | undefined, role: Role, name: keyof typeof NANOGPT_DEFAULTS, value: T): T | undefined => {
      if (cur !== undefined || roles.unreadable.has(role)) return cur;
      defaulted.push(`${name} = ${typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value)}`);
      return value;
    };
    nLayer = dflt(nLayer, 'n_layer', 'n_layer', NANOGPT_DEFAULTS.n_layer);
    nHead = dflt(nHead, 'n_head', 'n_head', NANOGPT_DEFAULTS.n_head);
    dModel = dflt(dModel, 'd_model', 'n_embd', NANOGPT_DEFAULTS.n_embd);
    seqLen = dflt(seqLen, 'seq_len', 'block_size', NANOGPT_DEFAULTS.block_size);
    bias = dflt(bias, 'bias', 'bias', NANOGPT_DEFAULTS.bias);
    if (vocab === undefined && !roles.unreadable.has('vocab_size')) {
      const ds = str('dataset');
      const dsVocab = ds ? own(NANOGPT_DATASET_VOCAB, ds) : undefined;
      if (ds && dsVocab !== undefined) {
        vocab = dsVocab;
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
  const tt = flavor ? own(TORCHTITAN_LLAMA3, flavor) : undefined;
  if (flavor && tt && nLayer === undefined && dModel === undefined) {
    const f = tt;
    nLayer = f.n_layers; dModel = f.dim; nHead = f.n_heads; nKvHead ??= f.n_kv_heads;
    multipleOf ??= f.multiple_of; ffnMult ??= f.ffn_dim_multiplier;
    if (vocab === undefined) { vocab = 128256; notes.push('vocab_size absent: 128,256 (the Llama 3 tokenizer).'); }
    notes.push(`flavor "${str('flavor')}": torchtitan's llama3 ${str('flavor')} shape (dim ${f.dim}, n_layers ${f.n_layers}, n_heads ${f.n_heads}, n_kv_heads ${f.n_kv_heads}).`);
  }

  // A model the config names as recurrent (a real PaddleSpeech punctuation run's dumped config:
  // `'model_type': 'lstm'` beside `hidden_size`, `num_layers`, `vocab_size`): its sizes read as a
  // transformer's would give a count of a model it is not. A problem, not a guess.
  const mt = roles.best.get('model_type')?.entry;
  if (mt && typeof mt.value === 'string' && RECURRENT.test(mt.value.trim())) {
    const p: Problem = { line: mt.range.start.line, column: mt.range.start.column, severity: 'warning', message: `${mt.key} "${mt.value}" is a recurrent network (LSTM, GRU or RNN), not a transformer: no parameter count is given rather than a transformer's from its sizes.` };
    problems.push(p);
    return { architecture: 'unknown', complete: false, notCounted: [p], notTransformer: p };
  }
  let family: 'gpt2' | 'llama' | undefined;
  if (LLAMA_LIKE.test(typeHint)) family = 'llama';
  else if (GPT2_LIKE.test(typeHint)) family = 'gpt2';
  else if (python) family = 'gpt2';
  else if (roles.best.has('n_kv_head') || multipleOf !== undefined || /silu|swiglu|swish/i.test(str('hidden_act') ?? '')) family = 'llama';
  else if (roles.best.has('expansion_ratio') || roles.best.get('d_model')?.entry.key === 'n_embd' || roles.best.has('bias') || roles.best.has('no_bias')) family = 'gpt2';
  else if (roles.best.get('d_ff')?.entry.key === 'intermediate_size' || roles.best.get('d_ff')?.entry.key === 'ffn_hidden_size' || roles.best.has('moe_d_ff')) family = 'llama';
  else if (nLayer !== undefined && dModel !== undefined) {
    family = 'gpt2';
    notes.push('Architecture not named: counted as a GPT-2-style transformer (GELU MLP, learned positions, tied embeddings).');
  }
  const moe = experts !== undefined && experts > 1;
  const architecture: Architecture = moe ? 'moe' : family ?? 'unknown';
  if (/mpt/i.test(typeHint) && bias === undefined) { bias = false; notes.push('MPT: no_bias defaults to true.'); }

  const mla = MLA_ROLES.filter((r) => roles.best.has(r));
  const notCounted: Problem[] = [];
  if (mla.length) {
    const s = roles.best.get(mla[0])!.entry;
    notCounted.push({ line: s.range.start.line, column: s.range.start.column, severity: 'warning', message: `${mla.map((r) => roles.best.get(r)!.entry.key).join(', ')}: multi-head latent attention is counted exactly only in a DeepSeek config.json (model_type deepseek_v2 / deepseek_v3); this count uses standard attention.` });
  }

  let spec: ModelSpec | undefined;
  let params: ParamCount | undefined;
  const need = (cond: boolean, key: string): void => { if (cond) missing.push(key); };
  need(nLayer === undefined, 'n_layer (or num_hidden_layers)');
  need(dModel === undefined, 'd_model (or n_embd / hidden_size)');
  need(vocab === undefined, 'vocab_size');
  const expertDff = num('moe_d_ff');
  if (family === 'llama') {
    if (dFf === undefined && dModel !== undefined && multipleOf !== undefined) dFf = llamaFfnDim(dModel, multipleOf, ffnMult);
    if (dFf === undefined && moe && expertDff !== undefined && (num('first_dense') ?? 0) === 0) dFf = expertDff;
    need(dFf === undefined, 'intermediate_size (or ffn_hidden_size)');
    need(nHead === undefined && nKvHead !== undefined, 'num_attention_heads');
  }
  if (moe) need(expertsPerToken === undefined, 'num_experts_per_tok');
  if (nLayer !== undefined && nLayer > MAX_LAYERS) {
    const s = roles.best.get('n_layer')?.entry;
    problems.push({ line: s?.range.start.line ?? 0, column: s?.range.start.column, severity: 'warning', message: `${s?.key ?? 'n_layer'} = ${nLayer}: more layers than any model (limit ${MAX_LAYERS.toLocaleString('en-US')}); no parameter count.` });
    nLayer = undefined;
  }
  if (family && nLayer !== undefined && dModel !== undefined && vocab !== undefined && (family === 'gpt2' || dFf !== undefined)) {
    const heads = nHead ?? (nKvHead === undefined ? 1 : undefined);
    if (heads !== undefined) {
      if (nHead !== undefined && dModel % nHead !== 0 && num('head_dim') === undefined) {
        const s = roles.best.get('n_head')?.entry ?? roles.best.get('d_model')?.entry;
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
      const rotary = /neox|rope|rotary/i.test(typeHint) || ctx.entries.some((e) => /^(rope_theta|rotary_pct|rotary_emb_base|rotary_dim|rope_scaling|position_embedding_type)$/.test(e.key) && e.value !== null && e.value !== 'absolute' && e.value !== 'learned');
      if (family === 'gpt2' && rotary) notes.push('Rotary position encoding: no learned position embeddings.');
      if (family === 'gpt2' && !bool('alibi') && !rotary) {
        positions = num('n_positions') ?? seqLen ?? 0;
        if (!positions) missing.push('block_size / n_positions (learned position embeddings)');
      }
      const arch: ArchSpec = {
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
      if (moe) {
        if (expertDff !== undefined) arch.expertDff = expertDff;
        const shared = num('shared_d_ff') ?? (num('n_shared_experts') ?? 0) * (expertDff ?? arch.dFf ?? 0);
        if (shared > 0) arch.sharedDff = shared;
        arch.firstDenseLayers = num('first_dense');
      }
      spec = specFromArch(arch);
      if (spec.moe) {
        const step = num('sparse_step');
        const freq = num('moe_layer_freq');
        if (step && step > 1) spec.moe.layers = spec.moe.layers.filter((i) => (i + 1) % step === 0);
        if (freq && freq > 1) spec.moe.layers = spec.moe.layers.filter((i) => i % freq === 0);
      }
      params = countModel(spec);
      const bad = shapeProblem(spec, params);
      if (bad) {
        const s = roles.best.get('d_model')?.entry ?? roles.best.get('n_layer')?.entry;
        problems.push({ line: s?.range.start.line ?? 0, column: s?.range.start.column, severity: 'warning', message: `The model's shape (${family}-style) gets no parameter count, as ${bad}; a count from it would be wrong.` });
        spec = undefined;
        params = undefined;
      }
    }
  }
  notCounted.push(...uncountedKeys(ctx.entries, ctx.roles.rolePaths, { towers: false }));
  problems.push(...notCounted);
  return { architecture, spec, params, seqLen, complete: notCounted.length === 0, notCounted };
}

/**
 * Hugging Face `config.json` → ModelSpec, one builder per `model_type`, each following the module
 * structure of transformers' `modeling_<family>.py` (which Linears have biases, which norms exist
 * and whether they have weights and biases, when the embeddings are tied, which layers are
 * mixture-of-experts), and the defaults of its `configuration_<family>.py` for keys a file leaves
 * out. The total of the resulting count equals `AutoModelForCausalLM.from_config(cfg).num_parameters()`.
 *
 * Checked against the published counts in test/unit/config.families.test.ts (fixtures under
 * test/fixtures/configs/, sources in test/fixtures/SOURCES.md).
 */
import type { RawEntry } from './readers';
import type { PyValue } from './pyeval';
import { MAX_LAYERS, type MhaSpec, type ModelSpec, type MoeSpec } from './params';

export interface FamilyInfo {
  /** The `model_type`. */
  id: string;
  /** Human name, e.g. "Qwen2-MoE". */
  name: string;
  /** The transformers class the count follows. */
  module: string;
}

export interface FamilyResult {
  family: FamilyInfo;
  spec?: ModelSpec;
  /** Top-level keys the count read. */
  used: Set<string>;
  /** Keys that would be needed. */
  missing: string[];
  notes: string[];
}

/** The top-level keys of a config.json, with list values gathered from their elements. */
export class HfKeys {
  readonly used: Set<string>;
  readonly missing: string[];
  readonly notes: string[];
  private readonly scalars = new Map<string, PyValue>();
  private readonly lists = new Map<string, PyValue[]>();

  /** `prefix`: read the keys of a nested section (`text_config`), sharing the parent's used/missing/notes. */
  constructor(private readonly entries: RawEntry[], private readonly prefix?: string, parent?: HfKeys) {
    this.used = parent?.used ?? new Set<string>();
    this.missing = parent?.missing ?? [];
    this.notes = parent?.notes ?? [];
    for (const e of entries) {
      if (e.value === undefined) continue;
      let segs = e.segments;
      if (prefix !== undefined) {
        if (segs[0] !== prefix) continue;
        segs = segs.slice(1);
      }
      if (segs.length === 1) { if (!this.scalars.has(segs[0])) this.scalars.set(segs[0], e.value); }
      else if (segs.length === 2 && /^[0-9]+$/.test(segs[1])) {
        const l = this.lists.get(segs[0]) ?? [];
        l.push(e.value);
        this.lists.set(segs[0], l);
      }
    }
  }

  /** The keys of a nested section. */
  sub(prefix: string): HfKeys {
    return new HfKeys(this.entries, this.prefix === undefined ? prefix : `${this.prefix}.${prefix}`, this);
  }

  /** Dotted path of a key of this section. */
  path(key: string): string {
    return this.prefix === undefined ? key : `${this.prefix}.${key}`;
  }

  /** The raw value of the first alias present (null counts as absent). */
  private raw(keys: string[]): { key: string; value: PyValue } | undefined {
    for (const k of keys) {
      const v = this.scalars.get(k);
      if (v !== undefined && v !== null) { this.used.add(this.path(k)); return { key: k, value: v }; }
      if (this.scalars.has(k)) this.used.add(this.path(k)); // an explicit null is read (e.g. q_lora_rank: null)
    }
    return undefined;
  }

  has(key: string): boolean { return this.scalars.has(key) || this.lists.has(key); }

  /** A positive number; `dflt` is transformers' default (noted when used), otherwise the key is missing. */
  num(keys: string | string[], dflt?: number, dfltWhy?: string): number | undefined {
    const ks = typeof keys === 'string' ? [keys] : keys;
    const r = this.raw(ks);
    if (r && typeof r.value === 'number' && Number.isInteger(r.value) && r.value >= 0) return r.value;
    if (dflt !== undefined) {
      if (!ks.some((k) => this.scalars.has(k))) this.notes.push(`${this.path(ks[0])} absent: ${dfltWhy ?? `the transformers default ${dflt}`}.`);
      return dflt;
    }
    this.missing.push(this.path(ks[0]));
    return undefined;
  }

  /** A number that may be null / absent on purpose (`q_lora_rank: null`). */
  optNum(key: string): number | undefined {
    const r = this.raw([key]);
    return r && typeof r.value === 'number' && Number.isInteger(r.value) && r.value > 0 ? r.value : undefined;
  }

  bool(key: string, dflt: boolean): boolean {
    const r = this.raw([key]);
    return r && typeof r.value === 'boolean' ? r.value : dflt;
  }

  /** Integer list (`mlp_only_layers: [0, 3]`); empty when absent. */
  ints(key: string): number[] {
    const l = this.lists.get(key);
    if (this.scalars.has(key) || l) this.used.add(this.path(key));
    return (l ?? []).filter((v): v is number => typeof v === 'number');
  }
}

type Builder = (c: HfKeys) => ModelSpec | undefined;

interface LlamaLike {
  family: string;
  /** q/k/v and o biases (default: `attention_bias`, false). */
  bias?: (c: HfKeys) => { qkv: boolean; out: boolean };
  tieDefault: boolean;
  headDimDefault?: number;
  qkNorm?: MhaSpec['qkNorm'];
  /** One learned attention-sink logit per head (gpt-oss). */
  sinks?: boolean;
  normsPerLayer?: number;
  norm?: ModelSpec['norm'];
  /** The MoE block, when the family has one. */
  moe?: (c: HfKeys, nLayer: number, dFf: number) => MoeSpec | undefined;
  /** Defaults of the configuration class for keys a file may leave out (Gemma3TextConfig inside a Gemma 3 config). */
  defaults?: Record<string, number>;
}

const attentionBias = (c: HfKeys) => { const b = c.bool('attention_bias', false); return { qkv: b, out: b }; };

function llamaLike(o: LlamaLike): Builder {
  return (c) => {
    const dv = (k: string): number | undefined => o.defaults?.[k];
    const nLayer = c.num('num_hidden_layers', dv('num_hidden_layers'));
    const d = c.num('hidden_size', dv('hidden_size'));
    const vocab = c.num('vocab_size', dv('vocab_size'));
    const nHead = c.num('num_attention_heads', dv('num_attention_heads'));
    const dFf = c.num('intermediate_size', dv('intermediate_size'));
    if (nLayer === undefined || d === undefined || vocab === undefined || nHead === undefined || dFf === undefined) return undefined;
    const nKv = c.num('num_key_value_heads', dv('num_key_value_heads') ?? nHead, dv('num_key_value_heads') === undefined ? `num_attention_heads (${nHead}), no grouped-query attention` : undefined);
    const hd = c.optNum('head_dim') ?? o.headDimDefault ?? d / nHead;
    if (c.optNum('head_dim') === undefined && o.headDimDefault !== undefined) c.notes.push(`${c.path('head_dim')} absent: the transformers default ${o.headDimDefault}.`);
    const bias = (o.bias ?? attentionBias)(c);
    const spec: ModelSpec = {
      family: o.family, nLayer, dModel: d, vocabSize: vocab, positions: 0,
      tiedEmbeddings: c.bool('tie_word_embeddings', o.tieDefault),
      attention: { kind: 'mha', nHead, nKvHead: nKv ?? nHead, headDim: hd, qkvBias: bias.qkv, outBias: bias.out, qkNorm: o.qkNorm, ...(o.sinks ? { sinks: true } : {}) },
      mlp: { dFf, gated: true, bias: c.bool('mlp_bias', false) },
      norm: o.norm ?? { weight: true, bias: false }, normsPerLayer: o.normsPerLayer ?? 2,
    };
    if (o.moe) {
      spec.moe = o.moe(c, nLayer, dFf);
      if (!spec.moe && c.missing.length) return undefined;
    }
    return spec;
  };
}

const range = (n: number, keep: (i: number) => boolean): number[] => Array.from({ length: n }, (_, i) => i).filter(keep);

/** Mixtral: every layer's MLP is `num_local_experts` SwiGLU experts of `intermediate_size` and a router. */
const mixtralMoe = (c: HfKeys, nLayer: number, dFf: number): MoeSpec | undefined => {
  const experts = c.num('num_local_experts', 8);
  const perToken = c.num('num_experts_per_tok', 2);
  if (experts === undefined || perToken === undefined) return undefined;
  return { experts, perToken, dFf, gated: true, bias: false, layers: range(nLayer, () => true), sharedDff: 0, sharedGate: false };
};

/**
 * Qwen2-MoE / Qwen3-MoE: layer i is sparse when it is not in `mlp_only_layers`, `num_experts` > 0
 * and (i + 1) % `decoder_sparse_step` == 0; other layers have a dense MLP of `intermediate_size`.
 * Qwen2-MoE adds a shared expert of `shared_expert_intermediate_size` with a sigmoid gate.
 */
const qwenMoe = (shared: boolean) => (c: HfKeys, nLayer: number): MoeSpec | undefined => {
  const experts = c.num('num_experts', 60);
  const perToken = c.num('num_experts_per_tok', 4);
  const dFf = c.num('moe_intermediate_size');
  const step = c.num('decoder_sparse_step', 1) ?? 1;
  const only = new Set(c.ints('mlp_only_layers'));
  const sharedDff = shared ? c.num('shared_expert_intermediate_size', 5632) ?? 0 : 0;
  if (experts === undefined || perToken === undefined || dFf === undefined) return undefined;
  if (experts === 0) return undefined;
  const layers = range(nLayer, (i) => !only.has(i) && step > 0 && (i + 1) % step === 0);
  return { experts, perToken, dFf, gated: true, bias: false, layers, sharedDff, sharedGate: shared };
};

/**
 * DeepSeek V2/V3: multi-head latent attention; layer i is MoE when i ≥ `first_k_dense_replace`
 * and i % `moe_layer_freq` == 0 (DeepSeek's code; transformers reads only the first rule, the same
 * for every released model), with `n_routed_experts` experts of `moe_intermediate_size` and one
 * shared MLP of `n_shared_experts` × `moe_intermediate_size`; the first layers are dense.
 */
function deepseek(family: 'deepseek_v2' | 'deepseek_v3'): Builder {
  return (c) => {
    const v3 = family === 'deepseek_v3';
    const nLayer = c.num('num_hidden_layers');
    const d = c.num('hidden_size');
    const vocab = c.num('vocab_size');
    const nHead = c.num('num_attention_heads');
    const dFf = c.num('intermediate_size');
    const kvLoraRank = c.num('kv_lora_rank', 512);
    const qkNope = c.num('qk_nope_head_dim', 128);
    const qkRope = c.num('qk_rope_head_dim', 64);
    const vHead = c.num('v_head_dim', 128);
    const qLoraRank = c.has('q_lora_rank') ? c.optNum('q_lora_rank') : 1536;
    const experts = c.num('n_routed_experts', v3 ? 256 : 64);
    const perToken = c.num('num_experts_per_tok', 8);
    const moeFf = c.num('moe_intermediate_size', v3 ? 2048 : 1407);
    const nShared = c.optNum('n_shared_experts') ?? 0;
    const firstDense = c.num('first_k_dense_replace', v3 ? 3 : 0) ?? 0;
    const freq = c.num('moe_layer_freq', 1) ?? 1;
    if ([nLayer, d, vocab, nHead, dFf, kvLoraRank, qkNope, qkRope, vHead, experts, perToken, moeFf].some((v) => v === undefined)) return undefined;
    const spec: ModelSpec = {
      family, nLayer: nLayer!, dModel: d!, vocabSize: vocab!, positions: 0,
      tiedEmbeddings: c.bool('tie_word_embeddings', false),
      attention: { kind: 'mla', nHead: nHead!, qLoraRank, kvLoraRank: kvLoraRank!, qkNopeHeadDim: qkNope!, qkRopeHeadDim: qkRope!, vHeadDim: vHead!, bias: c.bool('attention_bias', false) },
      mlp: { dFf: dFf!, gated: true, bias: false },
      norm: { weight: true, bias: false }, normsPerLayer: 2,
    };
    if (experts! > 0) {
      spec.moe = {
        experts: experts!, perToken: perToken!, dFf: moeFf!, gated: true, bias: false,
        layers: range(nLayer!, (i) => i >= firstDense && freq > 0 && i % freq === 0), sharedDff: nShared * moeFf!, sharedGate: false,
      };
    }
    if (v3) {
      const mtp = c.num('num_nextn_predict_layers', 0) ?? 0;
      if (mtp > 0) spec.mtpLayers = mtp;
      if (spec.moe) c.notes.push(`DeepSeek-V3's router bias (e_score_correction_bias, ${spec.moe.experts} per MoE layer) is a buffer in transformers, not a parameter: not counted.`);
    }
    return spec;
  };
}

/** GPT-2: learned positions, LayerNorm with bias, biases everywhere, GELU MLP of n_inner (4·n_embd), tied head. */
const gpt2: Builder = (c) => {
  const nLayer = c.num('n_layer', 12);
  const d = c.num('n_embd', 768);
  const vocab = c.num('vocab_size', 50257);
  const nHead = c.num('n_head', 12);
  const positions = c.num('n_positions', 1024);
  if (nLayer === undefined || d === undefined || vocab === undefined || nHead === undefined || positions === undefined) return undefined;
  const inner = c.optNum('n_inner') ?? 4 * d;
  return {
    family: 'gpt2', nLayer, dModel: d, vocabSize: vocab, positions, tiedEmbeddings: c.bool('tie_word_embeddings', true),
    attention: { kind: 'mha', nHead, nKvHead: nHead, headDim: d / nHead, qkvBias: true, outBias: true },
    mlp: { dFf: inner, gated: false, bias: true }, norm: { weight: true, bias: true }, normsPerLayer: 2,
  };
};

/** GPT-NeoX / Pythia: rotary (no positions), LayerNorm with bias, fused qkv with bias, GELU MLP with bias, untied embed_out. */
const gptNeox: Builder = (c) => {
  const nLayer = c.num('num_hidden_layers');
  const d = c.num('hidden_size');
  const vocab = c.num('vocab_size');
  const nHead = c.num('num_attention_heads');
  const dFf = c.num('intermediate_size');
  if (nLayer === undefined || d === undefined || vocab === undefined || nHead === undefined || dFf === undefined) return undefined;
  const bias = c.bool('attention_bias', true);
  return {
    family: 'gpt_neox', nLayer, dModel: d, vocabSize: vocab, positions: 0, tiedEmbeddings: c.bool('tie_word_embeddings', false),
    attention: { kind: 'mha', nHead, nKvHead: nHead, headDim: d / nHead, qkvBias: bias, outBias: bias },
    mlp: { dFf, gated: false, bias: true }, norm: { weight: true, bias: true }, normsPerLayer: 2,
  };
};

/**
 * Falcon: fused query_key_value of (heads + 2·kv heads)·head_dim (multi-query: one k/v head; the
 * new decoder architecture: `num_kv_heads`), biases only with `bias`, GELU MLP of 4·d, LayerNorm
 * with bias: one per block when attention and MLP run in parallel, two otherwise (ln_attn/ln_mlp
 * for the new architecture), tied head. The first Falcon configs (RefinedWeb) spell the keys n_embed/n_head/n_layer.
 */
const falcon: Builder = (c) => {
  const nLayer = c.num(['num_hidden_layers', 'n_layer']);
  const d = c.num(['hidden_size', 'n_embed']);
  const vocab = c.num('vocab_size');
  const nHead = c.num(['num_attention_heads', 'n_head']);
  if (nLayer === undefined || d === undefined || vocab === undefined || nHead === undefined) return undefined;
  const newArch = c.bool('new_decoder_architecture', false);
  const multiQuery = c.bool('multi_query', true);
  const parallel = c.bool('parallel_attn', true);
  const bias = c.bool('bias', false);
  const kvHeads = c.optNum('num_kv_heads') ?? c.optNum('n_head_kv');
  const nKv = newArch ? kvHeads ?? nHead : multiQuery ? 1 : nHead;
  const lnParallel = c.optNum('num_ln_in_parallel_attn') ?? 2;
  const norms = newArch ? (lnParallel === 2 ? 2 : 1) : parallel ? 1 : 2;
  const dFf = c.optNum('ffn_hidden_size') ?? 4 * d;
  return {
    family: 'falcon', nLayer, dModel: d, vocabSize: vocab, positions: 0, tiedEmbeddings: c.bool('tie_word_embeddings', true),
    attention: { kind: 'mha', nHead, nKvHead: nKv, headDim: d / nHead, qkvBias: bias, outBias: bias },
    mlp: { dFf, gated: false, bias }, norm: { weight: true, bias: true }, normsPerLayer: norms,
  };
};

/** MPT: ALiBi (no positions), no Linear biases, LayerNorms whose bias transformers removes, GELU MLP of expansion_ratio·d, tied head. */
const mpt: Builder = (c) => {
  const nLayer = c.num('n_layers', 24);
  const d = c.num('d_model', 2048);
  const vocab = c.num('vocab_size', 50368);
  const nHead = c.num('n_heads', 16);
  const ratio = c.num('expansion_ratio', 4) ?? 4;
  if (nLayer === undefined || d === undefined || vocab === undefined || nHead === undefined) return undefined;
  return {
    family: 'mpt', nLayer, dModel: d, vocabSize: vocab, positions: 0, tiedEmbeddings: c.bool('tie_word_embeddings', true),
    attention: { kind: 'mha', nHead, nKvHead: nHead, headDim: d / nHead, qkvBias: false, outBias: false },
    mlp: { dFf: ratio * d, gated: false, bias: false }, norm: { weight: true, bias: false }, normsPerLayer: 2,
  };
};

/**
 * gpt-oss: every layer's MLP is `num_local_experts` experts of `intermediate_size` (gate_up_proj and
 * down_proj with their biases) and a router with a bias; `experts_per_token` is the original
 * checkpoint's spelling of `num_experts_per_tok`.
 */
const gptOssMoe = (c: HfKeys, nLayer: number, dFf: number): MoeSpec | undefined => {
  const experts = c.num(['num_local_experts', 'num_experts'], 128);
  const perToken = c.num(['num_experts_per_tok', 'experts_per_token'], 4);
  if (experts === undefined || perToken === undefined) return undefined;
  c.notes.push('gpt-oss: attention sinks (one logit per head), biases on q/k/v/o, the experts and the router counted. Its checkpoints store the expert matrices in MXFP4 (17 bytes per 32 weights) and the rest in BF16, so their size is not 2 bytes per parameter.');
  return { experts, perToken, dFf, gated: true, bias: true, layers: range(nLayer, () => true), sharedDff: 0, sharedGate: false, routerBias: true };
};

/**
 * GLM-4.5 (Glm4MoeForCausalLM): layer i is MoE when i ≥ `first_k_dense_replace`, with
 * `n_routed_experts` experts of `moe_intermediate_size`, a router without bias (its
 * e_score_correction_bias is a buffer) and one shared MLP of `n_shared_experts` × `moe_intermediate_size`;
 * the first layers have a dense MLP of `intermediate_size`. q/k/v biases with `attention_bias`, none
 * on o_proj; per-head q/k RMSNorms with `use_qk_norm`. Partial rotary has no parameters.
 */
const glm4MoeMoe = (c: HfKeys, nLayer: number): MoeSpec | undefined => {
  const experts = c.num('n_routed_experts', 128);
  const perToken = c.num('num_experts_per_tok', 8);
  const moeFf = c.num('moe_intermediate_size', 1408);
  const nShared = c.num('n_shared_experts', 1) ?? 0;
  const firstDense = c.num('first_k_dense_replace', 1) ?? 0;
  if (experts === undefined || perToken === undefined || moeFf === undefined || experts === 0) return undefined;
  return { experts, perToken, dFf: moeFf, gated: true, bias: false, layers: range(nLayer, (i) => i >= firstDense), sharedDff: nShared * moeFf, sharedGate: false };
};

const glm4Moe: Builder = (c) => {
  const spec = llamaLike({
    family: 'glm4_moe', tieDefault: false,
    bias: (k) => ({ qkv: k.bool('attention_bias', false), out: false }),
    moe: glm4MoeMoe,
  })(c);
  if (!spec) return undefined;
  if (c.bool('use_qk_norm', false) && spec.attention.kind === 'mha') spec.attention.qkNorm = 'head';
  // GLM-4.5's checkpoints hold one multi-token-prediction layer after the last (model.layers.46 in
  // GLM-4.5-Air); Glm4MoeModel builds only num_hidden_layers and skips it on loading.
  const mtp = c.num('num_nextn_predict_layers', 0) ?? 0;
  if (mtp > 0) spec.mtpLayers = mtp;
  if (spec.moe) c.notes.push(`GLM-4.5's router bias (e_score_correction_bias, ${spec.moe.experts} per MoE layer) is a buffer in transformers, not a parameter: not counted.`);
  return spec;
};

const qwen2Bias = (c: HfKeys) => ({ qkv: c.bool('qkv_bias', true), out: false });

const gemma3Text = (family: string, defaults?: Record<string, number>) =>
  llamaLike({ family, tieDefault: true, headDimDefault: 256, normsPerLayer: 4, qkNorm: 'head', defaults });

/**
 * SigLIP vision tower (transformers' SiglipVisionModel): patch convolution, learned positions,
 * pre-norm encoder layers (LayerNorm with bias, q/k/v/o and a GELU MLP with biases), post
 * LayerNorm, and the attention-pooling head when `vision_use_head`.
 */
function siglipVision(v: HfKeys): number | undefined {
  const d = v.num('hidden_size', 768);
  const ff = v.num('intermediate_size', 3072);
  const layers = v.num('num_hidden_layers', 12);
  const channels = v.num('num_channels', 3);
  const image = v.num('image_size', 224);
  const patch = v.num('patch_size', 16);
  if (d === undefined || ff === undefined || layers === undefined || channels === undefined || image === undefined || !patch || layers > MAX_LAYERS) return undefined;
  const positions = Math.floor(image / patch) ** 2;
  const layer = 2 * 2 * d + 4 * (d * d + d) + (d * ff + ff) + (ff * d + d);
  let n = channels * patch * patch * d + d + positions * d + layers * layer + 2 * d;
  if (v.bool('vision_use_head', true)) n += d + 3 * d * d + 3 * d + d * d + d + 2 * d + (d * ff + ff) + (ff * d + d);
  return n;
}

/**
 * Gemma 3 (4B and larger, multimodal): the Gemma 3 text model from `text_config` (Gemma3TextConfig
 * defaults for the keys the file leaves out), the SigLIP vision tower from `vision_config`, and the
 * multi-modal projector (a vision → text matrix and an RMSNorm of the vision width).
 */
const gemma3: Builder = (c) => {
  const text = gemma3Text('gemma3', { vocab_size: 262_208, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 26, num_attention_heads: 8, num_key_value_heads: 4 })(c.sub('text_config'));
  const v = c.sub('vision_config');
  const vision = siglipVision(v);
  if (!text || vision === undefined) return undefined;
  const vd = v.num('hidden_size', 768) ?? 768;
  text.extra = { label: 'vision tower (SigLIP) and projector', count: vision + vd * text.dModel + vd };
  return text;
};

export const FAMILIES: Record<string, { info: Omit<FamilyInfo, 'id'>; build: Builder }> = {
  llama: { info: { name: 'Llama', module: 'LlamaForCausalLM' }, build: llamaLike({ family: 'llama', tieDefault: false }) },
  mistral: { info: { name: 'Mistral', module: 'MistralForCausalLM' }, build: llamaLike({ family: 'mistral', tieDefault: false }) },
  mixtral: { info: { name: 'Mixtral', module: 'MixtralForCausalLM' }, build: llamaLike({ family: 'mixtral', tieDefault: false, moe: mixtralMoe }) },
  qwen2: { info: { name: 'Qwen2 / Qwen2.5', module: 'Qwen2ForCausalLM' }, build: llamaLike({ family: 'qwen2', tieDefault: false, bias: () => ({ qkv: true, out: false }) }) },
  qwen2_moe: { info: { name: 'Qwen2-MoE (Qwen1.5-MoE)', module: 'Qwen2MoeForCausalLM' }, build: llamaLike({ family: 'qwen2_moe', tieDefault: false, bias: qwen2Bias, moe: qwenMoe(true) }) },
  qwen3: { info: { name: 'Qwen3', module: 'Qwen3ForCausalLM' }, build: llamaLike({ family: 'qwen3', tieDefault: false, headDimDefault: 128, qkNorm: 'head' }) },
  qwen3_moe: { info: { name: 'Qwen3-MoE', module: 'Qwen3MoeForCausalLM' }, build: llamaLike({ family: 'qwen3_moe', tieDefault: false, headDimDefault: 128, qkNorm: 'head', moe: qwenMoe(false) }) },
  deepseek_v2: { info: { name: 'DeepSeek-V2', module: 'DeepseekV2ForCausalLM' }, build: deepseek('deepseek_v2') },
  deepseek_v3: { info: { name: 'DeepSeek-V3', module: 'DeepseekV3ForCausalLM' }, build: deepseek('deepseek_v3') },
  gemma: { info: { name: 'Gemma', module: 'GemmaForCausalLM' }, build: llamaLike({ family: 'gemma', tieDefault: true, headDimDefault: 256 }) },
  gemma2: { info: { name: 'Gemma 2', module: 'Gemma2ForCausalLM' }, build: llamaLike({ family: 'gemma2', tieDefault: true, headDimDefault: 256, normsPerLayer: 4 }) },
  gemma3_text: { info: { name: 'Gemma 3 (text)', module: 'Gemma3ForCausalLM' }, build: gemma3Text('gemma3_text') },
  gemma3: { info: { name: 'Gemma 3 (text + vision)', module: 'Gemma3ForConditionalGeneration' }, build: gemma3 },
  phi3: { info: { name: 'Phi-3', module: 'Phi3ForCausalLM' }, build: llamaLike({ family: 'phi3', tieDefault: false, bias: () => ({ qkv: false, out: false }) }) },
  olmo: { info: { name: 'OLMo', module: 'OlmoForCausalLM' }, build: llamaLike({ family: 'olmo', tieDefault: false, norm: { weight: false, bias: false } }) },
  olmo2: { info: { name: 'OLMo 2', module: 'Olmo2ForCausalLM' }, build: llamaLike({ family: 'olmo2', tieDefault: false, qkNorm: 'full' }) },
  olmoe: {
    info: { name: 'OLMoE', module: 'OlmoeForCausalLM' },
    build: llamaLike({
      family: 'olmoe', tieDefault: false, qkNorm: 'full',
      moe: (c, nLayer, dFf) => {
        const experts = c.num('num_experts', 64);
        const perToken = c.num('num_experts_per_tok', 8);
        if (experts === undefined || perToken === undefined) return undefined;
        return { experts, perToken, dFf, gated: true, bias: false, layers: range(nLayer, () => true), sharedDff: 0, sharedGate: false };
      },
    }),
  },
  gpt_neox: { info: { name: 'GPT-NeoX / Pythia', module: 'GPTNeoXForCausalLM' }, build: gptNeox },
  falcon: { info: { name: 'Falcon', module: 'FalconForCausalLM' }, build: falcon },
  refinedweb: { info: { name: 'Falcon (RefinedWeb)', module: 'FalconForCausalLM' }, build: falcon },
  refinedwebmodel: { info: { name: 'Falcon (RefinedWeb)', module: 'FalconForCausalLM' }, build: falcon },
  mpt: { info: { name: 'MPT', module: 'MptForCausalLM' }, build: mpt },
  gpt2: { info: { name: 'GPT-2', module: 'GPT2LMHeadModel' }, build: gpt2 },
  gpt_oss: {
    info: { name: 'gpt-oss', module: 'GptOssForCausalLM' },
    build: llamaLike({
      family: 'gpt_oss', tieDefault: false, headDimDefault: 64, sinks: true, moe: gptOssMoe,
      bias: (c) => { const b = c.bool('attention_bias', true); return { qkv: b, out: b }; },
    }),
  },
  glm4_moe: { info: { name: 'GLM-4.5 (GLM-4-MoE)', module: 'Glm4MoeForCausalLM' }, build: glm4Moe },
};

export const SUPPORTED_MODEL_TYPES = Object.keys(FAMILIES).filter((k) => !k.startsWith('refinedweb'));

/** The model_type whose transformers class is `architecture` ("LlamaForCausalLM" → "llama"), for configs without a model_type. */
export function modelTypeOfArchitecture(architecture: string): string | undefined {
  const a = architecture.toLowerCase();
  if (a === 'rwforcausallm') return 'falcon';
  for (const [id, f] of Object.entries(FAMILIES)) if (f.info.module.toLowerCase() === a && !id.startsWith('refinedweb')) return id;
  return undefined;
}

/** The family builder for a `model_type` (case-insensitive), or undefined. */
export function familyOf(modelType: string): { info: FamilyInfo; build: Builder } | undefined {
  const id = modelType.toLowerCase();
  const f = Object.prototype.hasOwnProperty.call(FAMILIES, id) ? FAMILIES[id] : undefined;
  return f ? { info: { id, ...f.info }, build: f.build } : undefined;
}

/** Builds the spec of a config.json whose `model_type` names a known family. */
export function buildFamily(modelType: string, entries: RawEntry[], section?: string): FamilyResult | undefined {
  const f = familyOf(modelType);
  if (!f) return undefined;
  const c = new HfKeys(entries, section);
  c.used.add(c.path('model_type'));
  const layers = c.num(['num_hidden_layers', 'n_layer', 'n_layers'], 0);
  c.notes.length = 0;
  if (layers !== undefined && layers > MAX_LAYERS) {
    c.missing.push(`a plausible layer count (≤ ${MAX_LAYERS.toLocaleString('en-US')}; the file says ${layers.toLocaleString('en-US')})`);
    return { family: f.info, used: c.used, missing: c.missing, notes: c.notes };
  }
  const spec = f.build(c);
  return { family: f.info, spec: c.missing.length ? undefined : spec, used: c.used, missing: c.missing, notes: c.notes };
}

/**
 * Exact parameter counts of decoder-only transformers, module by module, as Hugging Face
 * `transformers` builds them (so that `total` equals `model.num_parameters()`).
 *
 * A model is described by a `ModelSpec`: the token embedding (and learned positions), the output
 * layer (tied or not), `nLayer` blocks of attention + MLP (some of them mixture-of-experts blocks),
 * the norms and the final norm. Rotary and ALiBi position encodings have no parameters.
 * families.ts builds a ModelSpec from a Hugging Face config.json per `model_type`; the generic
 * GPT-2 / Llama shapes of trainer configs (nanoGPT, YAML, TOML) go through `specFromArch`.
 *
 * The split reported:
 * - `embedding`: token embedding + learned position embedding + untied lm_head.
 * - `nonEmbedding`: the weight matrices of attention, MLPs, experts and routers: Kaplan et al.
 *   (2020)'s N, which leaves out embeddings, biases and norms. For GPT-2 this is 12·n_layer·d_model².
 * - `other`: biases and norm weights, so total = embedding + nonEmbedding + other.
 * - `active`: what one token uses: total minus the routed experts it is not sent to (the router,
 *   the shared experts and the dense layers are used by every token).
 * - `mtp`: DeepSeek-V3's multi-token-prediction modules, which the checkpoint holds but
 *   `transformers` does not load: reported apart, not in total.
 */

export interface MhaSpec {
  kind: 'mha';
  nHead: number;
  nKvHead: number;
  headDim: number;
  /** Biases on the q, k and v projections. */
  qkvBias: boolean;
  /** Bias on the output projection. */
  outBias: boolean;
  /** Norms on queries and keys: one weight of head_dim (Qwen3, Gemma 3) or one over all heads (OLMo 2, OLMoE). */
  qkNorm?: 'head' | 'full';
  /** gpt-oss's attention sinks: one learned logit per head. */
  sinks?: boolean;
}

/** DeepSeek's multi-head latent attention. */
export interface MlaSpec {
  kind: 'mla';
  nHead: number;
  /** Low-rank query (q_a_proj → q_a_layernorm → q_b_proj); undefined = one q_proj. */
  qLoraRank?: number;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
  /** `attention_bias`: biases on q_a_proj, kv_a_proj_with_mqa and o_proj. */
  bias: boolean;
}

export interface MlpSpec {
  /** Hidden width. */
  dFf: number;
  /** SwiGLU/GeGLU (gate, up, down) or a plain two-matrix MLP (GPT-2). */
  gated: boolean;
  bias: boolean;
}

export interface MoeSpec {
  /** Routed experts per MoE layer. */
  experts: number;
  /** Routed experts each token goes through. */
  perToken: number;
  /** Width of one routed expert. */
  dFf: number;
  gated: boolean;
  /** Biases in the expert MLPs (GPT-2-style MoE of trainer configs). */
  bias: boolean;
  /** Which layers (0-based) have the MoE block; the others have the dense `mlp`. */
  layers: number[];
  /** Width of the shared expert MLP every token goes through (0: none). */
  sharedDff: number;
  /** Qwen2-MoE's sigmoid gate on the shared expert (a d_model → 1 Linear). */
  sharedGate: boolean;
  /** A bias on the router (gpt-oss). */
  routerBias?: boolean;
}

export interface ModelSpec {
  /** The family id (the config's `model_type`, or `gpt2` / `llama` for generic shapes). */
  family: string;
  nLayer: number;
  dModel: number;
  vocabSize: number;
  /** Learned position embeddings (0: none, e.g. RoPE/ALiBi). */
  positions: number;
  tiedEmbeddings: boolean;
  attention: MhaSpec | MlaSpec;
  /** The MLP of dense layers. */
  mlp: MlpSpec;
  moe?: MoeSpec;
  /** Every norm's parameters: weight (RMSNorm, LayerNorm) and bias (LayerNorm with bias); none for OLMo's non-parametric LayerNorm. */
  norm: { weight: boolean; bias: boolean };
  /** Norms of d_model width per block (2 pre-norms; 1 for parallel blocks; 4 for Gemma 2/3). */
  normsPerLayer: number;
  /** DeepSeek-V3 multi-token-prediction modules (counted apart). */
  mtpLayers?: number;
  /** Parameters outside the decoder that the model holds (a vision tower and its projector), in total and active. */
  extra?: { label: string; count: number };
}

export interface ParamCount {
  total: number;
  active: number;
  embedding: number;
  nonEmbedding: number;
  other: number;
  /** Multi-token-prediction modules held by the checkpoint beside the model (not in total). */
  mtp?: number;
  /** Parameters outside the decoder (vision tower…), in total: total = embedding + nonEmbedding + other + extra. */
  extra?: number;
}

/** Weights and biases of one block part. */
interface Part { w: number; b: number }
const add = (...ps: Part[]): Part => ps.reduce((s, p) => ({ w: s.w + p.w, b: s.b + p.b }), { w: 0, b: 0 });
const linear = (inF: number, outF: number, bias: boolean): Part => ({ w: inF * outF, b: bias ? outF : 0 });

function normOf(spec: ModelSpec, width: number): Part {
  return { w: 0, b: (spec.norm.weight ? width : 0) + (spec.norm.bias ? width : 0) };
}
/** RMSNorm inside attention (q/k norms, MLA's latent norms): a weight only. */
const rms = (width: number): Part => ({ w: 0, b: width });

function attentionOf(spec: ModelSpec): Part {
  const d = spec.dModel;
  const a = spec.attention;
  if (a.kind === 'mla') {
    const qHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
    const q = a.qLoraRank
      ? add(linear(d, a.qLoraRank, a.bias), rms(a.qLoraRank), linear(a.qLoraRank, a.nHead * qHead, false))
      : linear(d, a.nHead * qHead, false);
    const kv = add(linear(d, a.kvLoraRank + a.qkRopeHeadDim, a.bias), rms(a.kvLoraRank), linear(a.kvLoraRank, a.nHead * (a.qkNopeHeadDim + a.vHeadDim), false));
    return add(q, kv, linear(a.nHead * a.vHeadDim, d, a.bias));
  }
  const qDim = a.nHead * a.headDim;
  const kvDim = a.nKvHead * a.headDim;
  const proj = add(linear(d, qDim, a.qkvBias), linear(d, kvDim, a.qkvBias), linear(d, kvDim, a.qkvBias), linear(qDim, d, a.outBias));
  const qk = a.qkNorm === 'head' ? rms(2 * a.headDim) : a.qkNorm === 'full' ? rms(qDim + kvDim) : { w: 0, b: 0 };
  return add(proj, qk, { w: 0, b: a.sinks ? a.nHead : 0 });
}

export function mlpOf(d: number, m: { dFf: number; gated: boolean; bias: boolean }): Part {
  return m.gated
    ? add(linear(d, m.dFf, m.bias), linear(d, m.dFf, m.bias), linear(m.dFf, d, m.bias))
    : add(linear(d, m.dFf, m.bias), linear(m.dFf, d, m.bias));
}

/** One block, and what a token leaves unused in it. */
function blockOf(spec: ModelSpec, moeLayer: boolean): { part: Part; idle: number } {
  const d = spec.dModel;
  const base = add(attentionOf(spec), normOf(spec, d * spec.normsPerLayer));
  const m = spec.moe;
  if (!moeLayer || !m) return { part: add(base, mlpOf(d, spec.mlp)), idle: 0 };
  const expert = mlpOf(d, { dFf: m.dFf, gated: m.gated, bias: m.bias });
  const one = expert.w + expert.b;
  const parts = [base, { w: m.experts * expert.w, b: m.experts * expert.b }, linear(d, m.experts, m.routerBias === true)];
  if (m.sharedDff > 0) parts.push(mlpOf(d, { dFf: m.sharedDff, gated: m.gated, bias: false }));
  if (m.sharedGate) parts.push(linear(d, 1, false));
  return { part: add(...parts), idle: (m.experts - Math.min(m.perToken, m.experts)) * one };
}

/** More layers than any model has: such a value is a typo or a hostile file, not a model. */
export const MAX_LAYERS = 100_000;
/** More parameters than this (10^15, 500× the largest model yet) is a config's mistake, not a model. */
export const MAX_PARAMS = 1e15;
/** A size as a problem quotes it. */
const shown = (v: number): string => (Number.isNaN(v) ? 'not a number' : Number.isFinite(v) ? String(v) : 'beyond a 64-bit float');

/**
 * Why a shape cannot be counted, or undefined when it can: every size a whole number (positive where a
 * model needs one: layers, width, vocabulary, heads), the per-head width positive, and the count finite
 * and at most MAX_PARAMS. A config whose `hidden_size` is -1, 0.5 or 1e300 gets no count, never NaN.
 */
export function shapeProblem(spec: ModelSpec, count?: ParamCount): string | undefined {
  const sizes: [string, number, boolean][] = [
    ['layers', spec.nLayer, true], ['model width', spec.dModel, true], ['vocabulary', spec.vocabSize, true],
    ['learned positions', spec.positions, false], ['MLP width', spec.mlp.dFf, false],
  ];
  const at = spec.attention;
  if (at.kind === 'mha') sizes.push(['attention heads', at.nHead, true], ['key/value heads', at.nKvHead, true]);
  else {
    sizes.push(['attention heads', at.nHead, true], ['kv_lora_rank', at.kvLoraRank, true], ['qk_nope_head_dim', at.qkNopeHeadDim, false],
      ['qk_rope_head_dim', at.qkRopeHeadDim, false], ['v_head_dim', at.vHeadDim, true]);
    if (at.qLoraRank !== undefined) sizes.push(['q_lora_rank', at.qLoraRank, true]);
  }
  if (spec.moe) sizes.push(['experts', spec.moe.experts, true], ['experts per token', spec.moe.perToken, true], ['expert width', spec.moe.dFf, true], ['shared expert width', spec.moe.sharedDff, false]);
  if (spec.mtpLayers !== undefined) sizes.push(['multi-token-prediction modules', spec.mtpLayers, false]);
  for (const [what, v, positive] of sizes) {
    if (!Number.isInteger(v) || v < 0 || (positive && v === 0) || v > MAX_PARAMS) return `its ${what} (${shown(v)}) is not a ${positive ? 'positive ' : ''}whole number${v > MAX_PARAMS ? ` up to ${MAX_PARAMS.toExponential(0)}` : ''}`;
  }
  if (at.kind === 'mha' && !(at.headDim > 0 && Number.isFinite(at.headDim))) return `its per-head width (${shown(at.headDim)}) is not a positive number`;
  if (spec.moe && spec.moe.perToken > spec.moe.experts) return `it routes each token to ${spec.moe.perToken} of ${spec.moe.experts} experts`;
  if (count && !(count.total > 0 && count.total <= MAX_PARAMS && count.active > 0)) {
    return `its count (${Number.isFinite(count.total) ? count.total.toExponential(2) : 'beyond a 64-bit float'}) is ${count.total > 0 ? `more than ${MAX_PARAMS.toExponential(0)} parameters` : 'not a positive number'}`;
  }
  return undefined;
}

export function countModel(spec: ModelSpec): ParamCount {
  const d = spec.dModel;
  const nSparse = new Set((spec.moe?.layers ?? []).filter((i) => Number.isInteger(i) && i >= 0 && i < spec.nLayer)).size;
  const nDense = spec.nLayer - nSparse;
  const dense = blockOf(spec, false);
  const sparse = spec.moe ? blockOf(spec, true) : dense;
  const scale = (p: Part, n: number): Part => ({ w: p.w * n, b: p.b * n });
  const body = add(scale(dense.part, nDense), scale(sparse.part, nSparse), normOf(spec, d)); // + the final norm
  const idle = nSparse * sparse.idle;
  const embedding = spec.vocabSize * d + spec.positions * d + (spec.tiedEmbeddings ? 0 : spec.vocabSize * d);
  const extra = spec.extra?.count ?? 0;
  const total = embedding + body.w + body.b + extra;
  const out: ParamCount = { total, active: total - idle, embedding, nonEmbedding: body.w, other: body.b };
  if (spec.extra) out.extra = extra;
  if (spec.mtpLayers) {
    // DeepSeek-V3 MTP module: enorm, hnorm, eh_proj (2d → d), one MoE block, shared_head.norm;
    // its embedding and output head are the main model's.
    const blk = blockOf(spec, spec.moe !== undefined);
    out.mtp = spec.mtpLayers * (blk.part.w + blk.part.b + 2 * d * d + 3 * d);
  }
  return out;
}

/** The generic shapes of trainer configs (nanoGPT, YAML/TOML): GPT-2-style or Llama-style blocks. */
export interface ArchSpec {
  family: 'gpt2' | 'llama';
  nLayer: number;
  dModel: number;
  nHead: number;
  /** Key/value heads (grouped-query attention); defaults to nHead. */
  nKvHead?: number;
  /** Per-head width; defaults to dModel / nHead. */
  headDim?: number;
  vocabSize: number;
  /** MLP hidden width (per expert for MoE). Default: 4·dModel for gpt2. Required for llama. */
  dFf?: number;
  /** Learned position embeddings of this many positions (0 or undefined: none, e.g. RoPE/ALiBi). */
  positions?: number;
  tiedEmbeddings: boolean;
  /** Biases on the Linears and LayerNorms (GPT-2 style). */
  bias: boolean;
  /** Llama family only: attention biases on q, k, v (Qwen2) or on all four projections; default follows `bias`. */
  attnBias?: 'none' | 'qkv' | 'all';
  /** Llama family only: biases in the MLP (`mlp_bias`); default follows `bias`. */
  mlpBias?: boolean;
  /** Number of MLP experts per layer (MoE); 1 or undefined for dense. */
  experts?: number;
  /** Experts each token is routed to. */
  expertsPerToken?: number;
  /** Width of one routed expert when it differs from dFf. */
  expertDff?: number;
  /** Shared expert width (every token). */
  sharedDff?: number;
  /** Leading dense layers before the MoE layers. */
  firstDenseLayers?: number;
}

/**
 * GPT-2 / nanoGPT: learned positions, LayerNorm (bias only with `bias`), GELU MLP of 4·d_model,
 * biases on every Linear when `bias`, tied lm_head. GPT-2 small = 124,439,808 with biases.
 * Llama: RMSNorm, SwiGLU, grouped-query attention, untied unless `tiedEmbeddings`. Llama-2-7B = 6,738,415,616.
 */
export function specFromArch(a: ArchSpec): ModelSpec {
  const gpt2 = a.family === 'gpt2';
  const headDim = a.headDim ?? a.dModel / a.nHead;
  const attnMode = gpt2 ? (a.bias ? 'all' : 'none') : a.attnBias ?? (a.bias ? 'all' : 'none');
  const dFf = a.dFf ?? 4 * a.dModel;
  const mlp: MlpSpec = { dFf, gated: !gpt2, bias: gpt2 ? a.bias : a.mlpBias ?? a.bias };
  const spec: ModelSpec = {
    family: a.family, nLayer: a.nLayer, dModel: a.dModel, vocabSize: a.vocabSize, positions: a.positions ?? 0,
    tiedEmbeddings: a.tiedEmbeddings,
    attention: { kind: 'mha', nHead: a.nHead, nKvHead: a.nKvHead ?? a.nHead, headDim, qkvBias: attnMode !== 'none', outBias: attnMode === 'all' },
    mlp, norm: { weight: true, bias: gpt2 && a.bias }, normsPerLayer: 2,
  };
  if (a.experts && a.experts > 1) {
    const first = Math.min(a.firstDenseLayers ?? 0, a.nLayer);
    spec.moe = {
      experts: a.experts, perToken: a.expertsPerToken ?? 1, dFf: a.expertDff ?? dFf, gated: mlp.gated, bias: mlp.bias,
      layers: Array.from({ length: a.nLayer - first }, (_, i) => i + first), sharedDff: a.sharedDff ?? 0, sharedGate: false,
    };
  }
  return spec;
}

export function countParams(a: ArchSpec): ParamCount {
  return countModel(specFromArch(a));
}

/** torchtitan / Meta Llama's SwiGLU width rule: 2/3·4d, times a multiplier, rounded up to a multiple. */
export function llamaFfnDim(dim: number, multipleOf: number, ffnDimMultiplier?: number): number {
  let hidden = Math.floor((2 * 4 * dim) / 3);
  if (ffnDimMultiplier !== undefined) hidden = Math.floor(ffnDimMultiplier * hidden);
  return multipleOf * Math.ceil(hidden / multipleOf);
}

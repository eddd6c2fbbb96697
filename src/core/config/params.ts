/**
 * Exact parameter counts of decoder-only transformers from their architecture hyper-parameters.
 *
 * Conventions (checked against the real models, see test/unit/config.params.test.ts):
 * - GPT-2 / nanoGPT: learned position embeddings, LayerNorm (with a bias only when `bias`),
 *   GELU MLP of width d_ff (4·d_model by default), biases on every Linear when `bias`, lm_head tied
 *   to the token embedding. GPT-2 small = 124,439,808 with biases, 124,337,664 without.
 * - Llama: RMSNorm (weight only), no biases, SwiGLU MLP (three d_model×d_ff matrices),
 *   grouped-query attention (k and v project to n_kv_head·head_dim), untied lm_head unless
 *   `tiedEmbeddings`. Llama-2-7B = 6,738,415,616.
 * - Mixture of experts: each layer has `experts` copies of the MLP and a d_model×experts router;
 *   a token goes through `expertsPerToken` of them. Mixtral-8x7B = 46.70 B total, 12.88 B active.
 *
 * The split reported:
 * - `embedding`: token embedding + learned position embedding + untied lm_head.
 * - `nonEmbedding`: the weight matrices of attention and MLP (and the MoE router): Kaplan et al.
 *   (2020)'s N, which leaves out embeddings, biases and norms. For GPT-2 this is 12·n_layer·d_model².
 * - `other`: biases and norm weights, so total = embedding + nonEmbedding + other.
 * - `active`: what one token uses (total for dense models).
 */

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
  /** Llama family only: attention biases on q, k, v (Qwen2) or on all four projections
   *  (`attention_bias: true`); default follows `bias`. */
  attnBias?: 'none' | 'qkv' | 'all';
  /** Llama family only: biases in the MLP (`mlp_bias`); default follows `bias`. */
  mlpBias?: boolean;
  /** Number of MLP experts per layer (MoE); 1 or undefined for dense. */
  experts?: number;
  /** Experts each token is routed to. */
  expertsPerToken?: number;
}

export interface ParamCount {
  total: number;
  active: number;
  embedding: number;
  nonEmbedding: number;
  other: number;
}

export function countParams(a: ArchSpec): ParamCount {
  const d = a.dModel;
  const L = a.nLayer;
  const hd = a.headDim ?? d / a.nHead;
  const kv = a.nKvHead ?? a.nHead;
  const gpt2 = a.family === 'gpt2';
  const ff = a.dFf ?? 4 * d;
  const qDim = a.nHead * hd;
  const kvDim = kv * hd;

  const attnW = d * qDim + 2 * d * kvDim + qDim * d;
  const attnMode = gpt2 ? (a.bias ? 'all' : 'none') : a.attnBias ?? (a.bias ? 'all' : 'none');
  const attnB = attnMode === 'all' ? qDim + 2 * kvDim + d : attnMode === 'qkv' ? qDim + 2 * kvDim : 0;
  const mlpHasBias = gpt2 ? a.bias : a.mlpBias ?? a.bias;
  const mlpW = gpt2 ? 2 * d * ff : 3 * d * ff;
  const mlpB = mlpHasBias ? (gpt2 ? ff + d : 2 * ff + d) : 0;
  // LayerNorm has weight (+ bias when `bias`); RMSNorm only a weight.
  const norm = gpt2 && a.bias ? 2 * d : d;

  const experts = a.experts && a.experts > 1 ? a.experts : 1;
  const perTok = experts > 1 ? Math.min(a.expertsPerToken ?? 1, experts) : 1;
  const router = experts > 1 ? d * experts : 0;

  const nonEmbedding = L * (attnW + experts * mlpW + router);
  const other = L * (attnB + experts * mlpB + 2 * norm) + norm;
  const embedding = a.vocabSize * d + (a.positions ? a.positions * d : 0) + (a.tiedEmbeddings ? 0 : a.vocabSize * d);
  const total = embedding + nonEmbedding + other;
  const inactive = L * (experts - perTok) * (mlpW + mlpB);
  return { total, active: total - inactive, embedding, nonEmbedding, other };
}

/** torchtitan / Meta Llama's SwiGLU width rule: 2/3·4d, times a multiplier, rounded up to a multiple. */
export function llamaFfnDim(dim: number, multipleOf: number, ffnDimMultiplier?: number): number {
  let hidden = Math.floor((2 * 4 * dim) / 3);
  if (ffnDimMultiplier !== undefined) hidden = Math.floor(ffnDimMultiplier * hidden);
  return multipleOf * Math.ceil(hidden / multipleOf);
}

/**
 * Which config keys mean what. A key is matched by its last path segment, normalised (lower case,
 * `-` → `_`, so Megatron's `--num-layers` spelling works), sometimes only under a given parent
 * section (torchtitan's `[training] steps`, `[model] dim`). Earlier aliases win over later ones;
 * for the same alias the first occurrence in the file wins.
 */
import type { RawEntry } from './readers';

export type Role =
  | 'n_layer' | 'd_model' | 'n_head' | 'n_kv_head' | 'head_dim' | 'vocab_size' | 'd_ff'
  | 'expansion_ratio' | 'multiple_of' | 'ffn_dim_multiplier'
  | 'seq_len' | 'n_positions'
  | 'max_steps' | 'max_duration' | 'epochs' | 'dataset_tokens' | 'token_budget'
  | 'batch_size' | 'global_batch_size' | 'grad_accum' | 'data_parallel'
  | 'experts' | 'experts_per_token' | 'moe_d_ff' | 'shared_d_ff' | 'n_shared_experts' | 'first_dense' | 'moe_layer_freq' | 'sparse_step'
  | 'q_lora_rank' | 'kv_lora_rank' | 'qk_nope_head_dim' | 'qk_rope_head_dim' | 'v_head_dim' | 'mtp_layers'
  | 'tie_embeddings' | 'bias' | 'no_bias' | 'alibi' | 'attention_bias' | 'mlp_bias'
  | 'model_type' | 'init_from' | 'dataset' | 'flavor' | 'hidden_act';

interface RoleSpec {
  role: Role;
  kind: 'number' | 'boolean' | 'string' | 'duration';
  aliases: string[];
  /** Aliases that only count under a parent section whose name matches. */
  scoped?: { alias: string; parent: RegExp }[];
}

const MODEL = /model|arch|transformer|network|^$/;
const TRAIN = /train|trainer|optim|schedule|^$/;

export const ROLES: RoleSpec[] = [
  { role: 'n_layer', kind: 'number', aliases: ['n_layer', 'num_hidden_layers', 'n_layers', 'num_layers', 'nlayers'], scoped: [{ alias: 'depth', parent: MODEL }] },
  { role: 'd_model', kind: 'number', aliases: ['n_embd', 'd_model', 'hidden_size', 'n_embed', 'emb_dim', 'embed_dim', 'model_dim'], scoped: [{ alias: 'dim', parent: MODEL }] },
  { role: 'n_head', kind: 'number', aliases: ['n_head', 'num_attention_heads', 'n_heads', 'num_heads'] },
  { role: 'n_kv_head', kind: 'number', aliases: ['num_key_value_heads', 'n_kv_heads', 'num_kv_heads', 'n_kv_head', 'num_query_groups', 'n_head_kv'] },
  { role: 'head_dim', kind: 'number', aliases: ['head_dim', 'kv_channels'] },
  { role: 'vocab_size', kind: 'number', aliases: ['vocab_size', 'padded_vocab_size', 'n_vocab'] },
  { role: 'd_ff', kind: 'number', aliases: ['intermediate_size', 'ffn_hidden_size', 'd_ff', 'ffn_dim', 'n_inner', 'mlp_hidden_dim'] },
  { role: 'expansion_ratio', kind: 'number', aliases: ['expansion_ratio', 'mlp_ratio'] },
  { role: 'multiple_of', kind: 'number', aliases: ['multiple_of'] },
  { role: 'ffn_dim_multiplier', kind: 'number', aliases: ['ffn_dim_multiplier'] },
  { role: 'seq_len', kind: 'number', aliases: ['block_size', 'max_seq_len', 'seq_len', 'seq_length', 'max_seq_length', 'sequence_length', 'sequence_len', 'max_sequence_length', 'encoder_seq_length', 'context_length'] },
  { role: 'n_positions', kind: 'number', aliases: ['n_positions', 'max_position_embeddings', 'n_ctx'] },
  { role: 'max_steps', kind: 'number', aliases: ['max_steps', 'max_iters', 'train_iters', 'num_train_steps', 'total_steps', 'train_steps', 'max_train_steps'], scoped: [{ alias: 'steps', parent: TRAIN }, { alias: 'iters', parent: TRAIN }] },
  { role: 'max_duration', kind: 'duration', aliases: ['max_duration'] },
  { role: 'epochs', kind: 'number', aliases: ['num_train_epochs', 'num_epochs', 'max_epochs'], scoped: [{ alias: 'epochs', parent: TRAIN }] },
  { role: 'dataset_tokens', kind: 'number', aliases: ['dataset_tokens', 'num_dataset_tokens', 'train_dataset_tokens', 'dataset_size_tokens', 'tokens_per_epoch'] },
  { role: 'token_budget', kind: 'number', aliases: ['token_budget', 'train_tokens', 'max_tokens', 'total_tokens', 'training_tokens', 'num_tokens', 'tokens'] },
  { role: 'global_batch_size', kind: 'number', aliases: ['global_batch_size', 'global_train_batch_size', 'train_batch_size'] },
  { role: 'batch_size', kind: 'number', aliases: ['per_device_train_batch_size', 'micro_batch_size', 'device_train_microbatch_size', 'train_micro_batch_size_per_gpu', 'local_batch_size', 'batch_size'] },
  { role: 'grad_accum', kind: 'number', aliases: ['gradient_accumulation_steps', 'grad_accum', 'grad_accum_steps', 'gradient_accumulation', 'accumulate_grad_batches'] },
  { role: 'data_parallel', kind: 'number', aliases: ['data_parallel_size', 'world_size', 'n_gpus', 'num_gpus', 'num_devices', 'dp_size', 'data_parallel_degree', 'data_parallel_shard_degree'] },
  { role: 'experts', kind: 'number', aliases: ['num_local_experts', 'num_experts', 'n_experts', 'moe_num_experts', 'n_routed_experts', 'num_moe_experts'] },
  { role: 'experts_per_token', kind: 'number', aliases: ['num_experts_per_tok', 'experts_per_token', 'moe_top_k', 'n_activated_experts', 'moe_router_topk'], scoped: [{ alias: 'top_k', parent: /moe|expert|router|model|ffn/ }] },
  { role: 'moe_d_ff', kind: 'number', aliases: ['moe_intermediate_size', 'moe_ffn_hidden_size', 'expert_intermediate_size', 'moe_inter_dim', 'moe_hidden_dim'] },
  { role: 'shared_d_ff', kind: 'number', aliases: ['shared_expert_intermediate_size', 'moe_shared_expert_intermediate_size'] },
  { role: 'n_shared_experts', kind: 'number', aliases: ['n_shared_experts', 'num_shared_experts', 'moe_num_shared_experts'] },
  { role: 'first_dense', kind: 'number', aliases: ['first_k_dense_replace', 'n_dense_layers', 'first_k_dense', 'num_dense_layers'] },
  { role: 'moe_layer_freq', kind: 'number', aliases: ['moe_layer_freq'] },
  { role: 'sparse_step', kind: 'number', aliases: ['decoder_sparse_step'] },
  { role: 'q_lora_rank', kind: 'number', aliases: ['q_lora_rank'] },
  { role: 'kv_lora_rank', kind: 'number', aliases: ['kv_lora_rank'] },
  { role: 'qk_nope_head_dim', kind: 'number', aliases: ['qk_nope_head_dim'] },
  { role: 'qk_rope_head_dim', kind: 'number', aliases: ['qk_rope_head_dim'] },
  { role: 'v_head_dim', kind: 'number', aliases: ['v_head_dim'] },
  { role: 'mtp_layers', kind: 'number', aliases: ['num_nextn_predict_layers', 'mtp_num_layers', 'n_mtp_layers'] },
  { role: 'tie_embeddings', kind: 'boolean', aliases: ['tie_word_embeddings', 'tie_embeddings', 'weight_tying', 'tied_embeddings', 'share_embeddings_and_output_weights'] },
  { role: 'bias', kind: 'boolean', aliases: ['bias', 'use_bias', 'add_bias_linear', 'include_bias'] },
  { role: 'no_bias', kind: 'boolean', aliases: ['no_bias'] },
  { role: 'alibi', kind: 'boolean', aliases: ['alibi'] },
  { role: 'attention_bias', kind: 'boolean', aliases: ['attention_bias', 'qkv_bias'] },
  { role: 'mlp_bias', kind: 'boolean', aliases: ['mlp_bias'] },
  { role: 'model_type', kind: 'string', aliases: ['model_type', 'architectures', 'model_name', 'arch'], scoped: [{ alias: 'name', parent: /^model$/ }] },
  { role: 'init_from', kind: 'string', aliases: ['init_from'] },
  { role: 'dataset', kind: 'string', aliases: ['dataset'] },
  { role: 'flavor', kind: 'string', aliases: ['flavor'] },
  { role: 'hidden_act', kind: 'string', aliases: ['hidden_act', 'activation_function', 'activation'] },
];

/** Sections whose numbers are not about training the model (evaluation loaders, generation…). */
const EXCLUDED_SECTION = /eval|valid|generation|sampling|inference|tokenizer|^test|callbacks?$|logger|scheduler$|profil/;

const normalise = (s: string): string => s.toLowerCase().replace(/-/g, '_');

export interface RoleMatch {
  role: Role;
  entry: RawEntry;
  /** Lower is better: the alias's index in its role's list. */
  rank: number;
}

/** Which role (if any) a leaf plays, by its key and its parent section. */
export function roleOf(entry: RawEntry): { spec: RoleSpec; rank: number } | undefined {
  const segs = entry.segments.map(normalise);
  if (segs.slice(0, -1).some((s) => EXCLUDED_SECTION.test(s))) return undefined;
  const key = segs[segs.length - 1];
  const parent = segs.length > 1 ? segs[segs.length - 2] : '';
  for (const spec of ROLES) {
    const i = spec.aliases.indexOf(key);
    if (i >= 0) return { spec, rank: i };
    const scoped = spec.scoped?.find((s) => s.alias === key && s.parent.test(parent));
    if (scoped) return { spec, rank: spec.aliases.length };
  }
  return undefined;
}

export function kindOf(role: Role): RoleSpec['kind'] {
  return ROLES.find((r) => r.role === role)?.kind ?? 'number';
}

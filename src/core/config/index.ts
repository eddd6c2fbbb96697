/**
 * The training-config layer: read a YAML / JSON / TOML / nanoGPT-style Python config as text
 * (never executed), find the keys that fix the model's size and the training length, and derive
 * parameters, tokens, FLOPs, tokens per parameter and a predicted final loss, each number tied
 * back to the source ranges it came from. Plain data only: the editor glue turns it into hovers,
 * diagnostics and code actions; the CLI prints it.
 *
 * Stages (each in its own file, each adding to the notes / missing keys / problems):
 * 1. roleValues.ts — one value per role (roles.ts), numeric strings, interpolations, bad values.
 * 2. model.ts — the model's shape and exact parameter count (families.ts for a Hugging Face
 *    config.json, generic GPT-2/Llama shapes for trainer configs), uncounted size keys.
 * 3. tokens.ts — training tokens from steps × batch × sequence length, budgets, epochs.
 * 4. here — FLOPs ≈ 6·N·D, tokens per parameter, predicted loss and the ratio finding, with
 *    N = total parameters, or the active parameters of a mixture of experts (what one token
 *    uses, as in Chinchilla-style accounting); `flopsWithAttention` adds Kaplan et al.'s attention
 *    term 6·n_layer·seq_len·d_model per token.
 */
import { REPLICATION_LAW, CHINCHILLA_TOKENS_PER_PARAM, chinchillaLoss } from '../fit/laws';
import { detectConfigFormat, readConfig, type ConfigFormat } from './readers';
import { kindOf, type Role } from './roles';
import { RoleValues } from './roleValues';
import { resolveModel } from './model';
import { resolveTokens } from './tokens';
import type { AnalyzeOptions, ConfigAnalysis } from './types';
import { tokensPerParamFinding } from './ratio';
import { budgetKey } from './edits';
import { fmtShort } from './summary';

export type { ConfigFormat, RawEntry, SourceRange } from './readers';
export type { ArchSpec, ModelSpec, ParamCount } from './params';
export type { Role } from './roles';
export type { ConfigValue } from './roleValues';
export type { ConfigBreakdown, ConfigAnalysis, AnalyzeOptions } from './types';
export type { FamilyInfo } from './families';
export { countParams, countModel, specFromArch, llamaFfnDim } from './params';
export { SUPPORTED_MODEL_TYPES } from './families';
export { detectConfigFormat, readConfig } from './readers';
export { evalPythonLiteral } from './pyeval';
export { tokensPerParamFinding, type RatioFindingInput } from './ratio';
export { summaryRows, architectureName, fmtInt, fmtSci, fmtShort, type SummaryRow } from './summary';
export { budgetKey, keyAt, stepsForTokensPerParam } from './edits';



/** Keys only nanoGPT-style configs use. */
const NANOGPT_SIGNATURE = new Set(['n_embd', 'n_layer', 'block_size', 'max_iters', 'gradient_accumulation_steps', 'init_from', 'lr_decay_iters', 'eval_iters']);

/**
 * Analyses a training config. Returns undefined when the file is not a training/model config
 * (too few recognised keys), so unrelated YAML/JSON/TOML/Python files get nothing.
 */
export function analyzeConfig(text: string, fileName: string, opts: AnalyzeOptions = {}): ConfigAnalysis | undefined {
  const format = detectConfigFormat(fileName, text);
  if (!format) return undefined;
  const read = readConfig(text, format);
  const roles = new RoleValues(read.entries);
  if (!isTrainingConfig(format, read.entries, roles, text)) return undefined;

  const python = format === 'python' && read.entries.some((e) => NANOGPT_SIGNATURE.has(e.key));
  const ctx = { format, entries: read.entries, roles, python, notes: [] as string[], missing: [] as string[], problems: [...read.problems, ...roles.problems] };
  const model = resolveModel(ctx);
  const { tokens, breakdown } = resolveTokens(ctx, model.seqLen);

  const ref = opts.referenceTokensPerParam ?? CHINCHILLA_TOKENS_PER_PARAM;
  const sources = roles.sources();
  const analysis: ConfigAnalysis = {
    file: fileName, format, architecture: model.architecture, family: model.family, countComplete: model.complete, notCounted: model.notCounted,
    params: model.params, arch: model.spec, tokens, ...(model.notTransformer ? { notTransformer: model.notTransformer } : {}),
    lawName: opts.law ? opts.lawName ?? 'fitted law' : 'Besiroglu et al. 2024 replication of Chinchilla',
    reference: { tokensPerParam: ref }, breakdown, sources, missing: ctx.missing, notes: ctx.notes, problems: ctx.problems,
    derivedFrom: { params: [], tokens: [] },
  };
  const present = (rs: Role[]): Role[] => rs.filter((r) => sources[r] !== undefined);
  if (model.params) {
    analysis.derivedFrom.params = present(['n_layer', 'd_model', 'n_head', 'n_kv_head', 'head_dim', 'vocab_size', 'd_ff', 'expansion_ratio',
      'multiple_of', 'ffn_dim_multiplier', 'n_positions', 'seq_len', 'experts', 'experts_per_token', 'moe_d_ff', 'shared_d_ff', 'n_shared_experts',
      'first_dense', 'moe_layer_freq', 'sparse_step', 'q_lora_rank', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim', 'mtp_layers',
      'tie_embeddings', 'bias', 'no_bias', 'init_from', 'flavor']);
  }
  if (tokens !== undefined) {
    analysis.derivedFrom.tokens = sources.token_budget ? present(['token_budget'])
      : present(['max_steps', 'max_duration', 'epochs', 'dataset_tokens', 'global_batch_size', 'batch_size', 'grad_accum', 'data_parallel', 'seq_len', 'n_positions']);
  }
  derive(analysis, opts);
  return analysis;
}

/**
 * Is this a training/model config at all? Model-size keys, or a training length that can become
 * tokens. A file that is a training log (trainer_state.json's `log_history`) is the log layer's.
 */
function isTrainingConfig(format: ConfigFormat, entries: ReturnType<typeof readConfig>['entries'], roles: RoleValues, text: string): boolean {
  const has = (r: Role): boolean => roles.has(r);
  const numericRoles = new Set([...roles.best.keys(), ...roles.unreadable].filter((r) => kindOf(r) !== 'string' && kindOf(r) !== 'boolean'));
  const modelAnchor = has('n_layer') || has('d_model');
  const lengthAnchor = (has('max_steps') || has('max_duration') || has('epochs')) && (has('seq_len') || has('token_budget') || (format === 'python' && entries.some((e) => NANOGPT_SIGNATURE.has(e.key))));
  const budgetAnchor = has('token_budget') && (has('seq_len') || has('batch_size') || has('global_batch_size') || has('max_steps'));
  const flavorOnly = format === 'toml' && roles.best.has('flavor') && (roles.best.has('max_steps') || roles.best.has('seq_len'));
  const isLog = entries.some((e) => e.segments[0] === 'log_history') || /"log_history"\s*:/.test(text);
  return !isLog && (flavorOnly || (numericRoles.size >= 2 && (modelAnchor || lengthAnchor || budgetAnchor)));
}

/** Stage 4: FLOPs, tokens per parameter, the predicted loss and the ratio finding. */
function derive(a: ConfigAnalysis, opts: AnalyzeOptions): void {
  const p = a.params;
  if (!p) return;
  const moe = p.active !== p.total;
  a.paramsUsed = moe ? 'active' : 'total';
  const N = p.active;
  a.reference.tokens = a.reference.tokensPerParam * N;
  if (a.breakdown.tokensPerStep) a.reference.steps = Math.ceil(a.reference.tokens / a.breakdown.tokensPerStep);
  if (moe) a.notes.push(`Mixture of experts: tokens per parameter, FLOPs (6·N·D) and the predicted loss use the ${N.toLocaleString('en-US')} active parameters per token (of ${p.total.toLocaleString('en-US')}).`);
  const D = a.tokens;
  if (D === undefined || !(D > 0)) return;
  a.flops = 6 * N * D;
  const seqLen = a.breakdown.seqLen;
  if (a.arch && seqLen !== undefined) a.flopsWithAttention = a.flops + 6 * a.arch.nLayer * seqLen * a.arch.dModel * D;
  a.tokensPerParam = D / N;
  a.predictedLoss = chinchillaLoss(opts.law ?? REPLICATION_LAW, N, D);
  const key = budgetKey(a);
  if (key) {
    a.ratioFinding = tokensPerParamFinding({
      tokens: D, params: N, countLabel: moe ? `active parameters of ${fmtShort(p.total)} total` : 'total parameters',
      referenceRatio: a.reference.tokensPerParam, warnBelow: opts.warnBelow ?? 10, warnAbove: opts.warnAbove ?? 200,
      line: key.range.start.line, column: key.range.start.column,
    });
  }
}

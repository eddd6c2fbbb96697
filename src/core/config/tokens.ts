/**
 * Stage 3 of a config's analysis: the training length in tokens.
 * - Tokens D = steps × global batch × sequence length, where global batch = the explicit global
 *   batch key, else micro batch × gradient accumulation × data-parallel size (missing factors = 1,
 *   noted). An explicit token-budget key wins over that product; epochs × dataset tokens is used
 *   when there are no steps.
 * - nanoGPT (Python): train.py's `tokens_per_iter = gradient_accumulation_steps * batch_size *
 *   block_size`. nanoGPT divides gradient_accumulation_steps by the number of GPUs at start-up, so
 *   the configured value is already global: we never multiply by a device count there. Keys the
 *   file leaves out take train.py's defaults (noted).
 */
import { parseDuration } from './roleValues';
import { NO_EPOCH_LIMIT } from '../fit/schedule';
import { NANOGPT_DEFAULTS, type StageContext } from './model';
import { fmtInt } from './summary';
import type { ConfigBreakdown } from './types';

export type { ConfigBreakdown } from './types';


export interface TokensResult {
  tokens?: number;
  breakdown: ConfigBreakdown;
}

export function resolveTokens(ctx: StageContext, modelSeqLen: number | undefined): TokensResult {
  const { roles, notes, missing, problems, python } = ctx;
  const num = roles.num.bind(roles);
  const src = (r: Parameters<typeof roles.num>[0]) => roles.best.get(r)?.entry;
  let seqLen = modelSeqLen ?? num('seq_len');
  const breakdown: ConfigBreakdown = {};
  let steps = num('max_steps');
  let tokensFromDuration: number | undefined;
  let samplesFromDuration: number | undefined;
  let epochs = num('epochs');
  if (epochs !== undefined && !(epochs < NO_EPOCH_LIMIT)) {
    notes.push(`${src('epochs')?.key} = ${epochs}: no epoch limit (sys.maxsize), so the steps decide.`);
    epochs = undefined;
  }
  if (steps !== undefined && steps <= 0) {
    notes.push(`${src('max_steps')?.key} = ${steps}: no step limit, so the epochs decide.`);
    steps = undefined;
  }
  const dur = roles.best.has('max_duration') ? parseDuration(roles.best.get('max_duration')!.entry.value ?? null) : undefined;
  if (dur && steps === undefined) {
    if (dur.unit === 'steps') { steps = dur.n; if (!dur.suffix) notes.push('max_duration without a unit read as steps (batches).'); }
    else if (dur.unit === 'tokens') tokensFromDuration = dur.n;
    else if (dur.unit === 'samples') samplesFromDuration = dur.n;
    else epochs ??= dur.n;
  }
  if (python && steps === undefined && !roles.unreadable.has('max_steps')) {
    steps = NANOGPT_DEFAULTS.max_iters;
    notes.push(`max_iters absent: nanoGPT's default ${fmtInt(steps)}.`);
  }
  if (seqLen === undefined && num('n_positions') !== undefined) {
    seqLen = num('n_positions');
    if (steps !== undefined || samplesFromDuration !== undefined) notes.push(`Sequence length taken from ${src('n_positions')?.key} = ${seqLen} (the model's context); set a seq_len key if training uses shorter sequences.`);
  }
  let micro = num('batch_size');
  let accum = num('grad_accum');
  let dp = num('data_parallel');
  if (dp !== undefined && dp <= 0) {
    notes.push(`${src('data_parallel')?.key} = ${dp}: decided at launch (all remaining devices), so counted as 1.`);
    dp = undefined;
  }
  let globalBatch = num('global_batch_size');
  if (python) {
    if (micro === undefined && !roles.unreadable.has('batch_size')) { micro = NANOGPT_DEFAULTS.batch_size; notes.push(`batch_size absent: nanoGPT's default ${micro}.`); }
    if (accum === undefined && !roles.unreadable.has('grad_accum')) { accum = NANOGPT_DEFAULTS.gradient_accumulation_steps; notes.push(`gradient_accumulation_steps absent: nanoGPT's default ${accum} (5 * 8).`); }
    if (micro !== undefined && accum !== undefined) globalBatch = micro * accum;
    notes.push('nanoGPT: tokens per iteration = gradient_accumulation_steps × batch_size × block_size; gradient_accumulation_steps is already the global count (train.py divides it by the GPU count).');
  } else if (globalBatch !== undefined) {
    if (micro !== undefined && accum !== undefined && dp !== undefined && micro * accum * dp !== globalBatch) {
      const s = src('global_batch_size')!;
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
        const s = src('token_budget')!;
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
  return { tokens, breakdown };
}

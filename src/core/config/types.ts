/**
 * The config layer's result types, in a module of their own so that the stages and the summary
 * import them without importing the analysis entry (no import cycle).
 */
import type { Problem } from '../dataset';
import type { ChinchillaParams } from '../fit/laws';
import type { ConfigFormat } from './readers';
import type { Role } from './roles';
import type { ConfigValue } from './roleValues';
import type { Architecture } from './model';
import type { FamilyInfo } from './families';
import type { ModelSpec, ParamCount } from './params';

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
  architecture: Architecture;
  /** The Hugging Face family (model_type) the count follows, when recognised. */
  family?: FamilyInfo;
  /** False when the file has size keys (or layer types, towers) the count leaves out. */
  countComplete: boolean;
  /** The problems saying what the parameter count leaves out (also in `problems`). */
  notCounted: Problem[];
  params?: ParamCount;
  /** The config names a model no transformer count fits (`model_type: 'lstm'`): why there is no count. */
  notTransformer?: Problem;
  /** The model the count was made from (defaults filled in). */
  arch?: ModelSpec;
  tokens?: number;
  /** 6·N·D, N = active parameters. */
  flops?: number;
  /** 6·N·D + 6·n_layer·seq_len·d_model·D. */
  flopsWithAttention?: number;
  tokensPerParam?: number;
  /** Which parameter count N the ratio, FLOPs and loss use. */
  paramsUsed?: 'total' | 'active';
  predictedLoss?: number;
  /** Which law predicted the loss. */
  lawName: string;
  /** Reference ratio (default 20) and what it means for this model. */
  reference: { tokensPerParam: number; tokens?: number; steps?: number };
  /** The tokens-per-parameter finding (outside [warnBelow, warnAbove]) on the key that sets the training length. */
  ratioFinding?: Problem;
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
  /** Below this ratio the config gets a warning (default 10). */
  warnBelow?: number;
  /** Above this ratio the config gets an information finding (default 200). */
  warnAbove?: number;
}

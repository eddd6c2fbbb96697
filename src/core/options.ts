/**
 * Every option of an analysis, its default and its valid range, in one place. The CLI's flags, the
 * extension's settings and the webview's controls all go through `validateOptions`: strict (an
 * out-of-range value is refused with a message naming the option) for the CLI, clamping for values
 * that come from a webview. Pure: no Node, no DOM, no protocol import (the protocol re-exports these).
 */
import { RUN_LAW_NAMES, type LawName, type RunLawName } from './fit/types';
import { CHINCHILLA_TOKENS_PER_PARAM } from './fit/laws';

export type { LawName } from './fit/types';
/** Eval files (src/core/evals): pass@k from repeated samples, or accuracy against thinking tokens. */
export type EvalLaw = 'passk' | 'budget';
export type LawChoice = 'auto' | LawName | EvalLaw;
/** What a chart's x-axis is: a run's tokens, steps or FLOPs; a sweep's parameters, tokens or FLOPs. */
export type XKind = 'tokens' | 'step' | 'flops' | 'params';

/** The loss laws (what the default-law setting offers). */
export const LAW_CHOICES: readonly LawChoice[] = ['auto', 'run', 'chinchilla', 'isoflop', 'kaplan'];
/** The eval laws: chosen per file (`--law passk|budget`, or recognised from its columns), never a default. */
export const EVAL_LAWS: readonly EvalLaw[] = ['passk', 'budget'];
export const X_KINDS: readonly XKind[] = ['tokens', 'step', 'flops', 'params'];

/** What the user can change from the panel's controls (and the CLI's flags). */
export interface ViewOptions {
  /** The loss series to fit (a run's `loss`, `val_loss`, `eval_*_loss`, …); a sweep's loss column. */
  series?: string;
  law: LawChoice;
  /** 'auto': the one default-axis rule (runs: tokens, else FLOPs, else steps; sweeps: the law's axis). */
  xKind: XKind | 'auto';
  logScale: boolean;
  /** Extrapolation target in tokens (0 = automatic: ten times the last logged x). */
  targetTokens: number;
  /** Percentage of a run's curve ignored at the start (warm-up). */
  warmupPercent: number;
  /**
   * Runs whose LR schedule is known skip exactly its warm-up; true: the user asked for
   * `warmupPercent` on such a run too (the panel's "Skip first %" field, the CLI's --skip), and
   * the larger of the two is skipped. Also true when the user typed a skip on a run without a schedule:
   * either way the skip is theirs, and no early plateau is looked for (fit/plateau.ts).
   */
  skipOverSchedule: boolean;
  /** A FLOP budget for the compute-optimal allocation (0 = none). */
  budget: number;
  /** Allocation view: expected lifetime inference tokens (Sardana et al. 2023; 0 = ignore inference). */
  inferenceTokens: number;
  /** Allocation view: unique training tokens available (Muennighoff et al. 2023; 0 = unlimited). */
  uniqueTokens: number;
  /**
   * Sweep tables: the label column whose values split the table into sweeps fitted one at a time
   * ('auto' = the run/experiment column when it holds several sweeps; 'none' = pool every row).
   */
  groupBy: string;
  /** Which group the chart shows: one group's name, or ALL_GROUPS to overlay them all. */
  group?: string;
  /** pass@k: forecast up to this k (0 = ten times the attempts per problem). */
  forecastTo: number;
  /** Train bigger or think longer: target accuracy, a fraction or a percentage (0 = automatic). */
  targetAccuracy: number;
  /** Train bigger or think longer: expected queries. */
  queries: number;
  /** Train bigger or think longer: prompt tokens per query (0 = the table's, else none). */
  promptTokens: number;
  /**
   * Sweep tables that repeat a configuration: 'best-lr' keeps each run's final checkpoint and the
   * best learning rate per (N, D) (default); 'final' keeps every run's final checkpoint; 'all' every row.
   */
  repeats: 'best-lr' | 'final' | 'all';
  /**
   * Model parameters of a run, or of every run of a sweep whose table has no size (0 = unknown: a
   * training config beside the log, or the table's columns, may say). The panel's "Model size" field, the CLI's --params.
   */
  params: number;
}

/** Options of the engine that are not chart controls: fitting, thresholds, what a config said. */
export interface EngineOptions {
  bootstrap: number;
  seed: number;
  /** Sweep fits (Chinchilla): drop this many highest-loss points first (the 2024 replication drops 5). */
  dropHighestLoss: number;
  /** Tokens per optimizer step, when the log has steps but no tokens (0 = unknown). */
  tokensPerStep: number;
  /** Read training configs beside the log for the model size and tokens per step. */
  useConfigs: boolean;
  /**
   * Run fits: leave out an early plateau (a loss flat at first that then falls far faster: a bend no run
   * law can follow; fit/plateau.ts). A skip the user sets is used alone either way.
   */
  skipEarlyPlateau: boolean;
  /** Reference tokens per parameter (Chinchilla's ≈20) and the thresholds of the ratio findings. */
  referenceRatio: number;
  warnBelow: number;
  warnAbove: number;
  /** A run's finding fires when doubling the tokens would still lower the loss by more than this %. */
  minGainPercent: number;
  /** …and only when the fit describes the run: its R² (log space) at least this (a curve no power law follows says nothing of doubling). */
  minFitR2: number;
  /** A held-out loss whose last evaluations all stay this % (or twice its noise) above its lowest is reported (0 = never). */
  overfitRisePercent: number;
  /** Chinchilla starts: variable-projection screen ('fast') or the full 4,500-start grid. */
  strategy: 'fast' | 'grid';
  /** Threads for the grid (0 = all cores, at most 8). */
  threads: number;
  /** Time budget of one analysis in seconds (0 = none); a stuck analysis is cancelled alone. */
  timeBudgetSeconds: number;
  /** Run fits: 'auto' (the law with the smallest backtest error), or the power law, or one that follows the LR schedule. */
  runLaw: RunLawChoice;
  /** Run fits: fit only up to this step (≥ 1) or fraction of the run (0–1) and score the rest (0 = fit everything). */
  fitUntil: number;
  /** Eval files: a score counts as a correct attempt at or above this. */
  scoreThreshold: number;
  /** Eval files (lm-eval samples): the per-sample metric ('' = the file's `metrics` list). */
  evalMetric: string;
}

export type RunLawChoice = 'auto' | RunLawName;
export const RUN_LAW_CHOICES: readonly RunLawChoice[] = ['auto', ...RUN_LAW_NAMES];

export type AnalyzeOptions = ViewOptions & EngineOptions;

/** The choice that overlays every group of a sweep table. */
export const ALL_GROUPS = 'all groups';

export const DEFAULT_VIEW_OPTIONS: ViewOptions = {
  law: 'auto',
  xKind: 'auto',
  logScale: true,
  targetTokens: 0,
  warmupPercent: 10,
  skipOverSchedule: false,
  budget: 0,
  inferenceTokens: 0,
  uniqueTokens: 0,
  groupBy: 'auto',
  forecastTo: 0,
  targetAccuracy: 0,
  queries: 1e6,
  promptTokens: 0,
  repeats: 'best-lr',
  params: 0,
};

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  bootstrap: 200,
  seed: 42,
  dropHighestLoss: 0,
  tokensPerStep: 0,
  useConfigs: true,
  skipEarlyPlateau: true,
  referenceRatio: CHINCHILLA_TOKENS_PER_PARAM,
  warnBelow: 10,
  warnAbove: 200,
  minGainPercent: 1,
  minFitR2: 0.5,
  overfitRisePercent: 2,
  strategy: 'fast',
  threads: 0,
  timeBudgetSeconds: 120,
  runLaw: 'auto',
  fitUntil: 0,
  scoreThreshold: 0.5,
  evalMetric: '',
};

export const DEFAULT_ANALYZE_OPTIONS: AnalyzeOptions = { ...DEFAULT_VIEW_OPTIONS, ...DEFAULT_ENGINE_OPTIONS };

type Spec =
  | { kind: 'number'; min: number; max: number; integer?: boolean; what?: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string'; maxLength: number }
  | { kind: 'boolean' };

/** The valid range of every option (the package.json settings use the same bounds; a test checks). */
export const OPTION_SPECS: { readonly [K in keyof AnalyzeOptions]-?: Spec } = {
  series: { kind: 'string', maxLength: 500 },
  law: { kind: 'enum', values: [...LAW_CHOICES, ...EVAL_LAWS] },
  xKind: { kind: 'enum', values: ['auto', ...X_KINDS] },
  logScale: { kind: 'boolean' },
  targetTokens: { kind: 'number', min: 0, max: 1e30 },
  warmupPercent: { kind: 'number', min: 0, max: 90 },
  skipOverSchedule: { kind: 'boolean' },
  budget: { kind: 'number', min: 0, max: 1e32, what: 'FLOPs' },
  inferenceTokens: { kind: 'number', min: 0, max: 1e22 },
  uniqueTokens: { kind: 'number', min: 0, max: 1e22 },
  groupBy: { kind: 'string', maxLength: 500 },
  group: { kind: 'string', maxLength: 500 },
  repeats: { kind: 'enum', values: ['best-lr', 'final', 'all'] },
  bootstrap: { kind: 'number', min: 0, max: 100000, integer: true },
  seed: { kind: 'number', min: 0, max: 2147483647, integer: true },
  dropHighestLoss: { kind: 'number', min: 0, max: 1000000, integer: true },
  tokensPerStep: { kind: 'number', min: 0, max: 1e15 },
  params: { kind: 'number', min: 0, max: 1e16, integer: true },
  useConfigs: { kind: 'boolean' },
  skipEarlyPlateau: { kind: 'boolean' },
  referenceRatio: { kind: 'number', min: 1, max: 10000 },
  warnBelow: { kind: 'number', min: 0, max: 10000 },
  warnAbove: { kind: 'number', min: 1, max: 1000000 },
  minGainPercent: { kind: 'number', min: 0, max: 100 },
  minFitR2: { kind: 'number', min: -1000, max: 1 },
  overfitRisePercent: { kind: 'number', min: 0, max: 1000 },
  strategy: { kind: 'enum', values: ['fast', 'grid'] },
  threads: { kind: 'number', min: 0, max: 64, integer: true },
  timeBudgetSeconds: { kind: 'number', min: 0, max: 86400 },
  runLaw: { kind: 'enum', values: RUN_LAW_CHOICES },
  fitUntil: { kind: 'number', min: 0, max: 1e12 },
  scoreThreshold: { kind: 'number', min: -1e12, max: 1e12 },
  evalMetric: { kind: 'string', maxLength: 200 },
  forecastTo: { kind: 'number', min: 0, max: 1e9, integer: true },
  targetAccuracy: { kind: 'number', min: 0, max: 100 },
  queries: { kind: 'number', min: 0, max: 1e20 },
  promptTokens: { kind: 'number', min: 0, max: 1e9 },
};

/** The keys a webview may change (the rest are settings or CLI flags). */
export const VIEW_OPTION_KEYS: readonly (keyof ViewOptions)[] = [
  'series', 'law', 'xKind', 'logScale', 'targetTokens', 'warmupPercent', 'skipOverSchedule', 'budget', 'inferenceTokens', 'uniqueTokens', 'groupBy', 'group', 'repeats',
  'forecastTo', 'targetAccuracy', 'queries', 'promptTokens', 'params',
];

/** An option the user gave that cannot be used; `option` names it as the user spelled it. */
export class OptionsError extends Error {
  constructor(readonly option: string, message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

function own(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/**
 * Checks `input` against OPTION_SPECS and returns `base` with the valid values applied.
 * mode 'strict' throws OptionsError for the first bad value (names: `flags` maps an option to how the
 * user spelled it, e.g. `--drop-highest-loss`); mode 'clamp' clamps numbers and ignores bad values
 * (input from a webview: never trusted, never fatal). Unknown keys are ignored in both modes.
 */
export function validateOptions<T extends Partial<AnalyzeOptions>>(
  input: Record<string, unknown>, base: T, mode: 'strict' | 'clamp', flags: Partial<Record<keyof AnalyzeOptions, string>> = {},
  keys: readonly (keyof AnalyzeOptions)[] = Object.keys(OPTION_SPECS) as (keyof AnalyzeOptions)[],
): T {
  const out: Record<string, unknown> = { ...base };
  for (const key of keys) {
    if (!own(input, key)) continue;
    const v = input[key];
    if (v === undefined) continue;
    const spec = OPTION_SPECS[key];
    const name = flags[key] ?? key;
    const bad = (what: string): void => {
      if (mode === 'strict') throw new OptionsError(name, `${name} must be ${what}, got '${String(v)}'`);
    };
    switch (spec.kind) {
      case 'number': {
        const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
        if (typeof x !== 'number' || !Number.isFinite(x)) { bad(`a number${spec.what ? ` of ${spec.what}` : ''}`); break; }
        const range = `${spec.integer ? 'a whole number' : 'a number'} from ${bound(spec.min)} to ${bound(spec.max)}`;
        if (spec.integer && !Number.isInteger(x)) { bad(range); if (mode === 'clamp') out[key] = Math.round(Math.min(spec.max, Math.max(spec.min, x))); break; }
        if (x < spec.min || x > spec.max) { bad(range); out[key] = Math.min(spec.max, Math.max(spec.min, x)); break; }
        out[key] = x;
        break;
      }
      case 'enum':
        if (typeof v === 'string' && spec.values.includes(v)) out[key] = v;
        else bad(`one of ${spec.values.join(', ')}`);
        break;
      case 'string':
        if (typeof v === 'string') out[key] = v.slice(0, spec.maxLength);
        else bad('a text');
        break;
      case 'boolean':
        if (typeof v === 'boolean') out[key] = v;
        else bad('true or false');
        break;
    }
  }
  return out as T;
}

/** Options coming from a webview: only the view's keys, clamped to their ranges. */
export function sanitizeOptions(o: Partial<ViewOptions>, base: ViewOptions): ViewOptions {
  return validateOptions(o as Record<string, unknown>, base, 'clamp', {}, VIEW_OPTION_KEYS);
}

/** A range's end as typed on a command line: 1e16, not 10000000000000000. */
function bound(v: number): string {
  return Math.abs(v) >= 1e12 ? v.toExponential().replace('e+', 'e') : String(v);
}

/** Options and the report shape shared by every fit (consumed by the CLI, the worker and the chart). */
import type { BacktestEntry } from './backtest';
import type { ChinchillaParams } from './laws';

export type LawName = 'run' | 'chinchilla' | 'isoflop' | 'kaplan';
/**
 * Single-run laws: the power law in x, the same with a drop at each new pass over repeated data, and
 * the two laws that follow the LR schedule.
 */
export type RunLawName = 'power' | 'passes' | 'lr-annealing' | 'multi-power';

// ---- the fitted parameters of each law ----------------------------------------------------------

/** Single run, power law in x: L = E + B/x^β. */
export interface PowerParams {
  E: number;
  B: number;
  beta: number;
}

/**
 * Single run over repeated data: L = E + ρ^k·B/x^β − D·k, k the passes over the data completed by
 * the step (k = ⌊step / stepsPerPass⌋, at most passes − 1). One of the two drops is fitted: a fixed
 * drop D at each new pass (ρ = 1), or, where that fixed drop would put the floor of the run's last
 * planned pass (E − D·k) below zero, a fraction 1 − ρ of the reducible loss at each (D = 0).
 * stepsPerPass is the run's planned steps over its planned passes, not fitted.
 */
export interface PassesParams {
  E: number;
  B: number;
  beta: number;
  D: number;
  /** The fraction of the reducible loss B/x^β kept at each new pass (1: the drop is D). */
  keep: number;
  stepsPerPass: number;
}

/** Single run with its LR schedule, Tissue et al. 2024: L = L0 + A·S1^(−α) − C·S2. */
export interface LrAnnealingParams {
  L0: number;
  A: number;
  alpha: number;
  C: number;
  /** Decay factor of the annealing momentum (S2), fitted over the paper's range [0.99, 0.999]. */
  lambda: number;
}

/** Single run with its LR schedule, the multi-power law of Luo et al. 2025. */
export interface MultiPowerParams {
  L0: number;
  A: number;
  alpha: number;
  B: number;
  C: number;
  beta: number;
  gamma: number;
}

/** isoFLOP (Chinchilla Approach 2): N_opt = N0·C^a, D_opt = D0·C^b, from `budgets` parabolas. */
export interface IsoflopParams {
  a: number;
  b: number;
  N0: number;
  D0: number;
  budgets: number;
}

/** Kaplan et al. 2020 L(N, D). */
export interface KaplanParams {
  alphaN: number;
  alphaD: number;
  Nc: number;
  Dc: number;
}

/** A Kaplan report: L(N, D), and L(C) = (Cc/C)^αC on the compute frontier when it could be fitted. */
export interface KaplanFitParams extends KaplanParams {
  Cc?: number;
  alphaC?: number;
}

export type { ChinchillaParams };

/** The parameters of each single-run law. */
export interface RunLawParams {
  power: PowerParams;
  passes: PassesParams;
  'lr-annealing': LrAnnealingParams;
  'multi-power': MultiPowerParams;
}

/** The parameters of each sweep law. */
export interface SweepLawParams {
  chinchilla: ChinchillaParams;
  isoflop: IsoflopParams;
  kaplan: KaplanFitParams;
}

/** The keys that carry a bootstrap interval (Chinchilla's also give the allocation exponents a, b). */
export interface SweepLawCiKeys {
  chinchilla: keyof ChinchillaParams | 'a' | 'b';
  isoflop: 'a' | 'b';
  kaplan: keyof KaplanParams;
}

/** A failed fit's parameters: none (`{}` in JSON). Reading a key then gives `undefined`, as typed. */
export type NoParams<P> = { [K in keyof P]?: never };
/** Intervals by parameter key; a key is absent when there was no bootstrap. */
export type Intervals<K extends PropertyKey> = { [k in K]?: [number, number] };

/** Law, parameters and intervals of a fit, tied together: `params` has exactly its law's keys. */
export type LawFit =
  | { [L in keyof SweepLawParams]: { law: L; runLaw?: undefined; params: SweepLawParams[L] | NoParams<SweepLawParams[L]>; ci: Intervals<SweepLawCiKeys[L]> } }[keyof SweepLawParams]
  | { [R in RunLawName]: { law: 'run'; runLaw?: R; params: RunLawParams[R] | NoParams<RunLawParams[R]>; ci: Intervals<keyof RunLawParams[R]> } }[RunLawName];

/** One single-run law's fitted parameters, tagged with the law. */
export type RunLawFit = { [R in RunLawName]: { law: R; params: RunLawParams[R] } }[RunLawName];

/**
 * Every key of T, in a given order: the compiler refuses a list that names a key T lacks or
 * leaves one out (the unit test checks each law's reports against these lists).
 */
function keyList<T>() {
  return <const L extends readonly (keyof T & string)[]>(
    list: L & ([Exclude<keyof T, L[number]>] extends [never] ? unknown : { missingKeys: Exclude<keyof T, L[number]> }),
  ): L => list;
}

/** The parameters of each single-run law, in the order a report lists them, with their display labels. */
export const RUN_LAW_INFO = {
  power: {
    title: 'single run: L = E + B/x^β',
    params: keyList<PowerParams>()(['E', 'B', 'beta']),
    labels: { beta: 'β' },
  },
  passes: {
    title: 'single run over repeated data: L = E + ρ^k·B/x^β − D·k (k: passes over the data completed)',
    params: keyList<PassesParams>()(['E', 'B', 'beta', 'D', 'keep', 'stepsPerPass']),
    labels: { beta: 'β', keep: 'ρ (kept per pass)', stepsPerPass: 'steps per pass' },
  },
  'lr-annealing': {
    title: 'single run with its LR schedule: L = L0 + A·S1^(−α) − C·S2 (Tissue et al. 2024; S1, S2 in steps at peak LR)',
    params: keyList<LrAnnealingParams>()(['L0', 'A', 'alpha', 'C', 'lambda']),
    labels: { alpha: 'α', lambda: 'λ' },
  },
  'multi-power': {
    title: 'single run with its LR schedule: multi-power law (Luo et al. 2025)',
    params: keyList<MultiPowerParams>()(['L0', 'A', 'alpha', 'B', 'C', 'beta', 'gamma']),
    labels: { alpha: 'α', beta: 'β', gamma: 'γ' },
  },
} as const satisfies { readonly [R in RunLawName]: { title: string; params: readonly (keyof RunLawParams[R])[]; labels: Partial<Record<keyof RunLawParams[R], string>> } };

export const RUN_LAW_NAMES = Object.keys(RUN_LAW_INFO) as RunLawName[];

/**
 * What every law is, in one table (a new law adds its name to LawName and one entry here; the
 * compiler then asks for it everywhere a law is switched on). Read by the pipeline (which analysis
 * takes the law, the chart's natural axis), the CLI's text, the summaries and the webview.
 */
export interface LawInfo<P = Record<string, number>> {
  /** The analysis that fits it: a single run's curve, or a sweep table (one row per run). */
  takes: 'run' | 'sweep';
  /** The formula, as the summary shows it. */
  title: string;
  /** The x of its fitted curves on a sweep (runs are drawn against their own x). */
  axis: 'tokens' | 'flops' | 'params';
  /** Its parameters, in the order a report lists them (a run's depend on its run law: RUN_LAW_INFO). */
  params: readonly (keyof P & string)[];
  /** Display labels of its parameters, by key (keys not listed show as they are). */
  labels: Readonly<Partial<Record<keyof P, string>>>;
}

export const LAW_INFO: { readonly [L in LawName]: LawInfo<L extends keyof SweepLawParams ? SweepLawParams[L] : PowerParams> } = {
  run: { takes: 'run', title: RUN_LAW_INFO.power.title, axis: 'tokens', params: RUN_LAW_INFO.power.params, labels: RUN_LAW_INFO.power.labels },
  chinchilla: {
    takes: 'sweep', title: 'Chinchilla Approach 3: L = E + A/N^α + B/D^β', axis: 'flops',
    params: keyList<ChinchillaParams>()(['E', 'A', 'B', 'alpha', 'beta']), labels: { alpha: 'α', beta: 'β' },
  },
  isoflop: {
    takes: 'sweep', title: 'Chinchilla Approach 2 (isoFLOP): N_opt ∝ C^a, D_opt ∝ C^b', axis: 'params',
    params: keyList<IsoflopParams>()(['a', 'b', 'N0', 'D0', 'budgets']), labels: { N0: 'N₀', D0: 'D₀' },
  },
  kaplan: {
    takes: 'sweep', title: 'Kaplan 2020: L = [(Nc/N)^(αN/αD) + Dc/D]^αD', axis: 'tokens',
    params: keyList<KaplanFitParams>()(['alphaN', 'alphaD', 'Nc', 'Dc', 'Cc', 'alphaC']),
    labels: { alphaN: 'α_N', alphaD: 'α_D', alphaC: 'α_C', Nc: 'N_c', Dc: 'D_c', Cc: 'C_c' },
  },
};

export const LAW_NAMES = Object.keys(LAW_INFO) as LawName[];

/** The formula of a fit (a run's names its run law). */
export function lawTitle(f: Pick<LawFit, 'law' | 'runLaw'>): string {
  return f.law === 'run' && f.runLaw ? RUN_LAW_INFO[f.runLaw].title : LAW_INFO[f.law].title;
}

/** The parameter keys a fit of this law declares, in report order (kaplan's Cc, alphaC only when L(C) was fitted). */
export function paramKeys(f: Pick<LawFit, 'law' | 'runLaw'>): readonly string[] {
  return f.law === 'run' ? RUN_LAW_INFO[f.runLaw ?? 'power'].params : LAW_INFO[f.law].params;
}

/** The label of a fitted parameter (α for alpha, α_N for Kaplan's alphaN, …); a run's follow its run law. */
export function paramLabel(f: Pick<LawFit, 'law' | 'runLaw'> | undefined, key: string): string {
  if (!f) return key;
  const labels: Readonly<Record<string, string | undefined>> = f.law === 'run' ? RUN_LAW_INFO[f.runLaw ?? 'power'].labels : LAW_INFO[f.law].labels;
  return (Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined) ?? key;
}

/**
 * A fit's parameters as [key, value, interval] rows, in the report's order: for code that lists
 * every parameter (tables, CSV, the CLI text) without knowing the law.
 */
export function paramRows(f: Pick<LawFit, 'params' | 'ci'>): Array<[key: string, value: number, ci: [number, number] | undefined]> {
  const ci: Readonly<Record<string, [number, number] | undefined>> = f.ci;
  // The passes law fits one of its two drops: the other (ρ = 1, or D = 0) is not listed.
  const keep = paramValue(f, 'keep');
  const unfitted = keep !== undefined && paramValue(f, 'stepsPerPass') !== undefined ? (keep < 1 ? 'D' : 'keep') : undefined;
  return Object.entries(f.params as object as Readonly<Record<string, number | undefined>>)
    .filter((e): e is [string, number] => typeof e[1] === 'number' && e[0] !== unfitted)
    .map(([k, v]) => [k, v, Object.prototype.hasOwnProperty.call(ci, k) ? ci[k] : undefined]);
}

/**
 * An interval as text. A zero-width 95% interval is no interval: the resamples (95% of them at
 * least) stopped at the same value (a parameter held at its bound, such as E = 0 or β at the edge of
 * its range), so it is said so rather than printed as "0 – 0". Equal as printed counts as equal.
 */
export function intervalText(ci: [number, number] | undefined, fmt: (v: number) => string, sep = ' – '): string | undefined {
  if (!ci) return undefined;
  const lo = fmt(ci[0]), hi = fmt(ci[1]);
  return lo === hi ? `pinned at ${lo} (no spread across the resamples)` : `${lo}${sep}${hi}`;
}

/**
 * What to add after an interval that does not contain the fitted value itself: a percentile bootstrap
 * interval can leave it out (a fit at a bound, 0 for a floor, whose resamples all move off it; a
 * skewed spread). Printed bare, "0 (0.02 – 0.63)" reads as a mistake; it says what it means instead.
 * Empty when the value is inside (or either is not a number). Equal as printed counts as inside.
 */
export function outsideNote(ci: [number, number] | undefined, value: number | undefined, fmt: (v: number) => string): string {
  if (!ci || value === undefined || !Number.isFinite(value) || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return '';
  if ((value >= ci[0] || fmt(value) === fmt(ci[0])) && (value <= ci[1] || fmt(value) === fmt(ci[1]))) return '';
  return ` (the fitted ${fmt(value)} lies outside it: the resamples fit this parameter elsewhere, so it is poorly determined)`;
}

/** One parameter of a fit by a key known only at run time (a table's column), or undefined. */
export function paramValue(f: Pick<LawFit, 'params'>, key: string): number | undefined {
  const p = f.params as object as Readonly<Record<string, number | undefined>>;
  return Object.prototype.hasOwnProperty.call(p, key) ? p[key] : undefined;
}

/** One interval of a fit by a key known only at run time, or undefined. */
export function intervalOf(f: Pick<LawFit, 'ci'>, key: string): [number, number] | undefined {
  const ci: Readonly<Record<string, [number, number] | undefined>> = f.ci;
  return Object.prototype.hasOwnProperty.call(ci, key) ? ci[key] : undefined;
}

/** A sweep law's name, or a single-run law's: what fixes a report's parameter keys. */
export type ParamLaw = keyof SweepLawParams | RunLawName;
export type ParamsOf<K extends ParamLaw> = K extends keyof SweepLawParams ? SweepLawParams[K] : K extends RunLawName ? RunLawParams[K] : never;

/**
 * A fit's parameters, typed, when it is a fit of `law` (a sweep law, or a run's law: 'power',
 * 'lr-annealing', 'multi-power') and the fit succeeded; else undefined.
 */
export function paramsFor<K extends ParamLaw>(f: Pick<LawFit, 'law' | 'runLaw' | 'params'>, law: K): ParamsOf<K> | undefined {
  const same = f.law === 'run' ? (f.runLaw ?? 'power') === law : f.law === law;
  return same && isFitted(f) ? (f.params as ParamsOf<K>) : undefined;
}

/**
 * The parameters of a fit its caller knows succeeded (a law's own fitter, a test): typed by the
 * report's law; throws with the report's last message when the fit failed.
 */
export function fittedParams<P extends object>(f: { params: P | NoParams<P>; messages?: readonly string[] }): P {
  if (!isFitted(f)) throw new Error(`no fitted parameters: ${f.messages?.[f.messages.length - 1] ?? 'the fit failed'}`);
  return f.params as P;
}

/** Whether a fit produced parameters (a failed fit's are `{}`). */
export function isFitted(f: Pick<LawFit, 'params'>): boolean {
  return Object.keys(f.params).length > 0;
}

export interface FitOptions {
  law?: 'auto' | LawName;
  /** Sweep fits: drop this many highest-loss points first (the 2024 replication drops 5). */
  dropHighestLoss?: number;
  /** Bootstrap resamples for intervals and bands (0 = none). Default 200. */
  bootstrap?: number;
  /** Seed of the RNG (bootstrap). Default 42. */
  seed?: number;
  /** Run fits: extrapolate to this x (tokens, steps or FLOPs — the x of the curve). */
  targetTokens?: number;
  /** Compute budget C (FLOPs) for the compute-optimal allocation. */
  budget?: number;
  /** Run fits: ignore the first fraction of the points (warm-up). Default 0.1. */
  skipFraction?: number;
  /** Chinchilla start strategy: 'fast' (variable-projection screen, default) or the full 4,500-start 'grid'. */
  strategy?: 'fast' | 'grid';
  /** Two-sided level of the bootstrap percentile intervals. Default 0.95. */
  ciLevel?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface Curve {
  name: string;
  kind: 'fit' | 'extrapolation' | 'band' | 'isoflop' | 'frontier' | 'backtest';
  x: number[];
  y: number[];
  lo?: number[];
  hi?: number[];
}

/** What every report has besides its law's parameters (LawFit). */
export interface FitReportBase {
  /** Points used by the fit. */
  n: number;
  /** Points dropped (invalid values, warm-up, highest-loss drops, unusable budgets). */
  dropped: number;
  /** Run fits on a prefix (fitUntil): the later points, held out and scored, not dropped. */
  heldOut?: number;
  objective: number;
  /** R² of log(loss) (isoflop: of log N_opt vs log C). */
  r2: number;
  optimal?: { a: number; b: number; G: number; tokensPerParam: number };
  /**
   * Run fits: `tokens` is the target in the curve's x (tokens, steps or FLOPs), `step` the optimizer step
   * when known. `inSample`: the target is inside the fitted range (a finished run fitted whole: its planned
   * end is its last logged step), so the value is the fit there, not an extrapolation.
   */
  prediction?: { tokens: number; step?: number; loss: number; lo: number; hi: number; inSample?: boolean };
  /** Run fits: refits on the first 25/50/75% scored on the rest (and the held-out entry of a prefix fit). */
  backtest?: BacktestEntry[];
  /** Run fits: every law tried, with its mean absolute backtest error. */
  candidates?: Array<RunLawFit & { backtestErrorPct: number }>;
  /** Run fits: the LR schedule the schedule-aware laws used. */
  schedule?: { source: string; kind: string; warmup: number; total: number; futureKnown: boolean; skipPercent?: number;
    /** `total` is the most steps an LR schedule is built to, not the run's end (a planned end lies past it). */
    reachOnly?: boolean };
  /** Run fits: an early plateau left out (fit/plateau.ts): its points, up to the step (else x) `to`. */
  plateau?: { points: number; to: number };
  /** Run fits: isolated spikes left out of the fit (up to 100; x in the fit's x): the chart marks them at its top edge instead of scaling to them. */
  spikes?: { x: number[]; loss: number[] };
  /** Run fits: whether the data supports the extrapolation, why not, and how the band was made. */
  trust?: { supported: boolean; reasons: string[]; band: string };
  allocation?: { budget: number; N: number; D: number; loss: number; tokensPerParam: number };
  messages: string[];
  curves: Curve[];
  xKind?: 'tokens' | 'step' | 'flops';
  /** Run fits: `epoch` when the log's steps are its epochs (one row per epoch, no step column): `step`, `horizon` and the texts count epochs. */
  stepUnit?: 'epoch';
  /** Run fits: objective evaluations (bootstrap included), and how many laws started from a previous optimum (live refit). */
  work?: { evaluations: number; warmStarted: number };
}

/**
 * A fit's result: a union on `law` (and on `runLaw` for a run), so the parameters and intervals
 * have exactly their law's keys (LAW_INFO / RUN_LAW_INFO list them): a misspelt key does not compile.
 */
export type FitReport = FitReportBase & LawFit;
/** A report of one law (what each law's fitter returns). */
export type ReportOf<L extends LawName> = FitReportBase & Extract<LawFit, { law: L }>;

/** An empty report carrying why a fit could not be made. */
export function failedReport<L extends LawName>(law: L, n: number, dropped: number, message: string): FitReportBase & { law: L; params: Record<string, never>; ci: Record<string, never> } {
  return { law, n, dropped, params: {}, ci: {}, objective: NaN, r2: NaN, messages: [message], curves: [] };
}

/** Throws the core's one cancellation error (`Cancelled`, src/core/cancel.ts) when the signal fired. */
export { throwIfCancelled as checkAbort } from '../cancel';

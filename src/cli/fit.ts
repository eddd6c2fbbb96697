/**
 * `scaling-lens fit FILE [options]`: the command line over the one pipeline (src/core/pipeline.ts),
 * the same analysis the editor shows. A fit the data cannot support prints its reason and exits 1;
 * bad options exit 2; never a stack trace.
 */
import { analyzeFile, type Analysis } from '../core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS, LAW_CHOICES, OptionsError, validateOptions, type AnalyzeOptions } from '../core/options';
import { intervalText, lawTitle, outsideNote, paramLabel, paramRows, paramsFor, type FitReportBase, type LawFit } from '../core/fit/types';
import { fitToJson } from '../core/summary';
import { axisName, formatNumber, formatSignedPercent, scheduleLine } from '../core/format';
import { jsonSafe, terminalLines, terminalSafe } from '../core/escape';
import type { GroupView, LogState } from '../protocol';
import { EVAL_USAGE, evalText, parseRole } from './evals';
import type { EvalRole } from '../core/evals';
import { COLUMN_ROLES, type ColumnRole, type ParseOptions } from '../core/logs/types';
import { parseLogFile } from '../core/logs';
import type { TrainLaw } from '../core/evals/entry';

export const USAGE = `usage: scaling-lens fit FILE [options]
  --law ${LAW_CHOICES.join('|')}|schedule|passk|budget   law to fit (auto: a run → run, a sweep → chinchilla, or the run law with one model size;
                           schedule: a run's curve with the LR-annealing law, as --run-law lr-annealing)
  --run-law auto|power|passes|lr-annealing|multi-power   run fits: E + B/x^β; the same less a drop at each new
                           pass over repeated data; or a law that follows the LR schedule
                           (auto, the default: the one with the smallest backtest error)
  --fit-until STEP|FRACTION   run fits: fit only up to a step (≥ 1) or a fraction of the run (0–1); the held-out
                           error at the last logged point goes into "backtest"
  --group COLUMN|none|auto sweep tables: fit each value of the label column COLUMN as its own sweep
                           (auto, the default: the run/experiment column when it holds several sweeps; none: pool every row)
  --repeats best-lr|final|all  sweeps with checkpoints or several learning rates: keep each run's final
                           checkpoint and the best learning rate per (N, D) (default), every final checkpoint, or every row
  --drop-highest-loss K    sweep fits (Chinchilla, Kaplan): drop the K highest-loss points first
  --bootstrap B            bootstrap resamples for intervals and bands (default 200, 0 = none)
  --seed S                 RNG seed (default 42)
  --target-tokens D        run fits: extrapolate the loss to D tokens (default: the end of the planned LR schedule
                           when the log or a config beside it gives one, else 10× the last point)
  --budget C               compute budget in FLOPs for the compute-optimal allocation
  --series NAME            which loss series: a run's (default the training loss) or a sweep's loss column
                           (default an eval loss, preferred over a run-averaged training loss)
  --tokens-per-step T      tokens per optimizer step when the log (or a runs table) has steps only
  --params N               the model's parameters (runs: default from a training config beside the log;
                           a runs table without a size: every run's)
  --role COLUMN=ROLE       a log column's role, as the editor's "Set Column Role…" (ROLE: ${COLUMN_ROLES.slice(0, 6).join(', ')},
                           ${COLUMN_ROLES.slice(6).join(', ')}); eval tables: see below; repeatable
  --no-config              do not read training configs beside the log
  --no-plateau-skip        run fits: keep an early plateau (a loss flat at first, then falling far faster)
                           and an unstable start (spikes in the first quarter only), which are left out by
                           default (a --skip given is used alone either way)
  --x tokens|flops|step|params   the x-axis (default: runs tokens, else FLOPs, else steps; sweeps the law's own)
  --skip F                 run fits: ignore the first fraction F of the points (default 0.1; when the LR
                           schedule is known, its warm-up is skipped instead, unless --skip is given)
  --reference-ratio R      compute-optimal tokens per parameter for findings (default 20)
  --strategy fast|grid     starts: Chinchilla's variable-projection screen and Kaplan's screen on 1,000 rows (default), or every start on every row
  --threads T              with --strategy grid: threads for the grid (default 0: all cores, at most 8; 1 = no workers)
  --max-log-mb MB          the most memory a CSV or JSON-lines log's columns may take (default 1024, as the
                           editor's scalingLens.memory.logMegabytes); a bigger log is read up to there, with a warning
  --json                   one JSON object on stdout
  --curves                 with --json: include the chart curves
`;

class UsageError extends Error {}

/** How each option is spelled on the command line (for messages). */
const FLAGS: Partial<Record<keyof AnalyzeOptions, string>> = {
  law: '--law', groupBy: '--group', repeats: '--repeats', dropHighestLoss: '--drop-highest-loss', bootstrap: '--bootstrap', seed: '--seed',
  targetTokens: '--target-tokens', budget: '--budget', series: '--series', tokensPerStep: '--tokens-per-step', params: '--params',
  xKind: '--x', warmupPercent: '--skip', referenceRatio: '--reference-ratio', strategy: '--strategy', threads: '--threads',
  runLaw: '--run-law', fitUntil: '--fit-until',
  scoreThreshold: '--threshold', evalMetric: '--metric', forecastTo: '--forecast-to', targetAccuracy: '--target-accuracy',
  queries: '--queries', promptTokens: '--prompt-tokens',
};
const BY_FLAG = new Map(Object.entries(FLAGS).map(([k, f]) => [f as string, k as keyof AnalyzeOptions]));

export interface FitArgs {
  file: string;
  json: boolean;
  curves: boolean;
  options: AnalyzeOptions;
  /** `--role COLUMN=ROLE` overrides of an eval table's columns. */
  evalRoles?: Record<string, EvalRole>;
  /** `--role COLUMN=ROLE` overrides of a log's columns (as the editor's "Set Column Role…"). */
  logRoles?: Record<string, ColumnRole>;
  /** Thinking-budget tables: a sweep file whose fitted Chinchilla law gives the compute-optimal training tokens. */
  trainLaw?: string;
  /** The options given as flags (a law that ignores one of them says so). */
  explicit: Set<keyof AnalyzeOptions>;
  /** `--max-log-mb`: the most one log's kept columns may take, in MB (ParseOptions.maxColumnBytes). */
  maxLogMb?: number;
}

export function parseFitArgs(args: string[]): FitArgs | 'help' {
  const raw: Record<string, unknown> = {};
  let file: string | undefined;
  let json = false, curves = false;
  let evalRoles: Record<string, EvalRole> | undefined;
  let logRoles: Record<string, ColumnRole> | undefined;
  let trainLaw: string | undefined;
  let maxLogMb: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    switch (flag) {
      case '-h': case '--help': return 'help';
      case '--json': json = true; continue;
      case '--curves': curves = true; continue;
      case '--no-config': raw.useConfigs = false; continue;
      case '--no-plateau-skip': raw.skipEarlyPlateau = false; continue;
      case '--role': {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        evalRoles ??= Object.create(null) as Record<string, EvalRole>;
        logRoles ??= Object.create(null) as Record<string, ColumnRole>;
        const err = parseRole(v ?? '', logRoles, evalRoles);
        if (err) throw new UsageError(err);
        continue;
      }
      case '--max-log-mb': {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        const mb = Number(v);
        if (v === undefined || v.trim() === '' || !Number.isInteger(mb) || mb < 1 || mb > 65536) throw new UsageError(`--max-log-mb must be a whole number of MB from 1 to 65536, got '${v ?? ''}'`);
        maxLogMb = mb;
        continue;
      }
      case '--train-law': {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (!v) throw new UsageError('--train-law needs a sweep file');
        trainLaw = v;
        continue;
      }
    }
    const key = BY_FLAG.get(flag);
    if (key) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      if (key === 'law' && v === 'schedule') {
        raw.law = 'run';
        raw.runLaw = 'lr-annealing';
      } else if (key === 'warmupPercent') {
        const f = Number(v);
        if (v.trim() === '' || !(f >= 0 && f <= 0.9)) throw new UsageError(`--skip must be a fraction from 0 to 0.9, got '${v}'`);
        raw.warmupPercent = 100 * f;
      } else {
        raw[key] = v;
      }
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
    if (file !== undefined) throw new UsageError(`one FILE only (got '${file}' and '${a}')`);
    file = a;
  }
  if (file === undefined) throw new UsageError('missing FILE');
  try {
    const options = validateOptions(raw, { ...DEFAULT_ANALYZE_OPTIONS }, 'strict', FLAGS);
    return { file, json, curves, options, evalRoles, logRoles, trainLaw, explicit: new Set(Object.keys(raw) as (keyof AnalyzeOptions)[]), ...(maxLogMb !== undefined ? { maxLogMb } : {}) };
  } catch (e) {
    if (e instanceof OptionsError) throw new UsageError(e.message);
    throw e;
  }
}

const g = (x: number): string => formatNumber(x, 5);

const UNIT: Record<string, string> = { tokens: 'tokens', step: 'steps', flops: 'FLOPs' };

function fitLines(r: Omit<FitReportBase, 'curves' | 'xKind'> & LawFit & { xKind?: string }, indent: string): string[] {
  const out: string[] = [];
  const title = lawTitle(r);
  const su = r.stepUnit ?? 'step';
  out.push(`${indent}law: ${title}${r.xKind && r.law === 'run' ? ` (x = ${axisName(r.xKind, su)})` : ''}`);
  if (r.schedule) out.push(`${indent}${scheduleLine(r.schedule, String, su)}`);
  out.push(`${indent}points: ${r.n} used, ${r.dropped} dropped${r.plateau ? ` (${r.plateau.points} of them an early plateau, said below)` : ''}${r.heldOut ? `, ${r.heldOut} held out (after the --fit-until cut, scored)` : ''}`);
  const rows = paramRows(r);
  if (rows.length > 0) {
    out.push(`${indent}parameters:`);
    const width = Math.max(8, ...rows.map(([k]) => paramLabel(r, k).length));
    for (const [k, v, ci] of rows) {
      const iv = intervalText(ci, g, ', ');
      out.push(`${indent}  ${paramLabel(r, k).padEnd(width)} ${g(v).padStart(12)}${iv ? `   ${iv.startsWith('pinned') ? iv : `[${iv}]${outsideNote(ci, v, g)}`}` : ''}`);
    }
    out.push(`${indent}objective: ${g(r.objective)}   R² (${r.law === 'isoflop' ? 'log N_opt vs log C' : 'log loss'}): ${g(r.r2)}`);
  }
  if (r.optimal) out.push(`${indent}compute-optimal: N ∝ C^${g(r.optimal.a)}, D ∝ C^${g(r.optimal.b)}, G = ${g(r.optimal.G)}, ${g(r.optimal.tokensPerParam)} tokens/param`);
  if (r.allocation) {
    const a = r.allocation;
    out.push(`${indent}allocation at C = ${g(a.budget)}: N = ${g(a.N)}, D = ${g(a.D)}, loss ${g(a.loss)}, ${g(a.tokensPerParam)} tokens/param`);
  }
  if (r.prediction) {
    const p = r.prediction;
    const band = Number.isFinite(p.lo) ? ` [${g(p.lo)}, ${g(p.hi)}]` : '';
    const unit = r.xKind === 'step' ? `${su}s` : UNIT[r.xKind ?? ''] ?? '';
    const at = p.step !== undefined && r.xKind !== 'step'
      ? `${su} ${g(p.step)} (${g(p.tokens)} ${unit})` : `${g(p.tokens)}${unit ? ` ${unit}` : ''}`;
    out.push(`${indent}${p.inSample ? `fitted at ${at} (the last logged point: in-sample, not a prediction)` : `prediction at ${at}`}: loss ${g(p.loss)}${band}`);
  }
  if (r.backtest && r.backtest.length > 0) {
    out.push(`${indent}backtests (how far to trust this): fitted on → predicted at → predicted / actual loss, error`);
    for (const b of r.backtest) {
      out.push(`${indent}  ${`${Math.round(100 * b.fitFraction)}%`.padStart(4)}${b.heldOut ? ' (held out)' : ''} → ${b.horizonKind === 'step' ? `${su} ` : ''}${g(b.horizon)}${b.horizonKind !== 'step' ? ` ${UNIT[b.horizonKind] ?? ''}` : ''}: ${g(b.predicted)} / ${g(b.actual)}, ${formatSignedPercent(b.errorPct)}`);
    }
  }
  if (r.trust) out.push(`${indent}trust: ${r.trust.supported ? `the data supports this ${r.prediction?.inSample ? 'fit' : 'extrapolation'}` : `NOT supported — ${r.trust.reasons.join('; ')}`}`);
  for (const m of r.messages) out.push(`${indent}note: ${m}`);
  return out;
}

/**
 * One fit report's lines under a title (used by `scaling-lens sweep` for the fit across runs), not yet
 * made terminal-safe: the caller escapes each line once when it joins them (escaping a joined block
 * again would print its newlines as \x0a).
 */
export function fitReportLines(title: string, r: Omit<FitReportBase, 'curves' | 'xKind'> & LawFit & { xKind?: string }): string[] {
  return [title, ...fitLines(r, '  ')];
}

function groupLines(gr: GroupView): string[] {
  if (!gr.fit) return [`    not fitted: ${gr.error ?? 'the fit failed'}`];
  return fitLines(gr.fit, '    ');
}

/** The analysis as text (what the editor's summary shows). */
export function fitText(a: Analysis): string {
  const s: LogState = a.state;
  if (s.evals) {
    const asked = s.options.groupBy !== 'auto' && s.options.groupBy !== 'none' && s.options.groupBy !== '' ? s.options.group : undefined;
    return evalText(s.file, s.evals, asked) + (s.fitError ? `  error: ${s.fitError}\n` : '');
  }
  const out: string[] = [s.file];
  out.push(`  ${s.format} ${s.logKind}, ${s.rows} rows${s.options.series ? `, series "${s.options.series}"` : ''}, x = ${axisName(s.options.xKind, s.stepUnit)}`);
  if (s.configNote) out.push(`  config: ${s.configNote}`);
  if (s.fit) out.push(...fitLines(s.fit, '  '));
  if (s.groups) {
    out.push(`  ${s.groups.length} groups by "${s.groupColumn}":`);
    for (const gr of s.groups) out.push(`  ${gr.name} (${gr.rows} rows)`, ...groupLines(gr));
  }
  if (s.fitError) out.push(`  error: ${s.fitError}`);
  for (const f of a.findings.filter((p) => p.severity !== 'error').slice(0, 20)) out.push(`  finding (line ${f.line}): ${f.message}`);
  // Series, column and file names come from the file: no control sequences reach the terminal.
  return terminalLines(out);
}

/** The analysis as the CLI's --json object (the same shape as the panel's "Copy as JSON"). */
export function fitJson(a: Analysis, curves: boolean): string {
  return jsonSafe(JSON.stringify(fitToJson(a.state, { curves, findings: a.findings }))) + '\n';
}

/**
 * `--train-law SWEEP`: the Chinchilla law fitted to a sweep file, through the same pipeline (the
 * editor's `scalingLens.prediction.law: workspace` takes the law last fitted in the workspace).
 */
export async function fittedTrainLaw(sweep: string, o: AnalyzeOptions): Promise<TrainLaw> {
  const a = await analyzeFile(sweep, { ...DEFAULT_ANALYZE_OPTIONS, law: 'chinchilla', bootstrap: 0, seed: o.seed, dropHighestLoss: o.dropHighestLoss });
  const p = a.state.fit && paramsFor(a.state.fit, 'chinchilla');
  if (!p || !Object.values(p).every(Number.isFinite)) throw new Error(`--train-law ${sweep}: no Chinchilla law fitted${a.state.fitError ? `: ${a.state.fitError}` : ''}`);
  const name = sweep.split(/[\\/]/).pop() ?? sweep;
  return { law: { E: p.E, A: p.A, B: p.B, alpha: p.alpha, beta: p.beta }, source: `the law fitted to ${name}` };
}

export async function runFit(args: string[]): Promise<number> {
  let parsed: FitArgs | 'help';
  try {
    parsed = parseFitArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`scaling-lens fit: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n' + EVAL_USAGE);
    return 0;
  }
  let analysis: Analysis;
  try {
    const trainLaw = parsed.trainLaw === undefined ? undefined : await fittedTrainLaw(parsed.trainLaw, parsed.options);
    const maxColumnBytes = parsed.maxLogMb !== undefined ? parsed.maxLogMb * 1048576 : undefined;
    analysis = await analyzeFile(parsed.file, parsed.options, {
      roleOverrides: parsed.logRoles, evalRoleOverrides: parsed.evalRoles, trainLaw, explicit: parsed.explicit,
      ...(maxColumnBytes !== undefined ? { parse: (f: string, o: ParseOptions) => parseLogFile(f, { ...o, maxColumnBytes }) } : {}),
    });
  } catch (e) {
    process.stderr.write(`scaling-lens fit: ${terminalSafe((e instanceof Error ? e.message : String(e)).split('\n')[0])}\n`);
    return 1;
  }
  const s = analysis.state;
  // Only a thinking-budget table's comparison takes training tokens from a law: elsewhere the flag is said to be unused.
  if (parsed.trainLaw !== undefined && s.evals?.kind !== 'budget') {
    process.stderr.write(`scaling-lens fit: --train-law applies to thinking-budget tables only; not used on this ${s.evals ? 'repeated-sampling eval' : s.logKind}\n`);
  }
  if (parsed.json) process.stdout.write(fitJson(analysis, parsed.curves));
  else process.stdout.write(fitText(analysis));
  if (s.fitError) {
    process.stderr.write(`scaling-lens fit: ${terminalSafe(s.fitError.split('\n')[0])}\n`);
    return 1;
  }
  return 0;
}

/**
 * The one pipeline: a log (a file, or an already parsed log) + options + the configs beside it →
 * an analysis (series, axis, law, groups, fit, findings). The CLI (`scaling-lens fit`), the
 * extension's worker and the tests all call `analyzeFile` or `analyze`, so the same file gives the
 * same answer everywhere.
 *
 * A new kind of analysis is an `Analyzer` (src/core/analyzer.ts) added to ANALYZERS; a new law is an
 * entry in LAW_INFO (src/core/fit/types.ts) and a case in fitSweep / the run fit.
 */
import type { ParsedLog, ParseOptions } from './logs';
import { parseLogFile, withTailFacts } from './logs';
import { parsePrefix, runMetaAtCut } from './logs/prefix';
import { isNotebookName } from './logs/notebook';
import { isCancelled, throwIfCancelled } from './cancel';
import { DEFAULT_ANALYZE_OPTIONS, type AnalyzeOptions } from './options';
import { applyConfigModel, nearbyConfigsFor, runFolderConfigs, type NearbyConfig } from './nearbyConfigs';
import { runAnalyzer, sweepAnalyzer } from './analyze';
import type { Analysis, AnalysisContext, Analyzer, WarmStart } from './analyzer';
import { LOG_HEAD_BYTES, printedModel, printedParamsNote, printedTokensNote, readLogHead } from './logHead';
import { basename, dirname, resolve } from 'node:path';
import { stat } from 'node:fs/promises';

/** A text log's first 256 KB, where a script printed before the metrics states its schedule (regular files only). */
import { analyzeEvalFile, isEvalFile, type TrainLaw } from './evals/entry';
import type { EvalRole } from './evals/read';

export type { Analysis, AnalysisContext, Analyzer, WarmStart } from './analyzer';
export type { NearbyConfig } from './nearbyConfigs';
export { findNearbyConfigs, modelFromConfigs, nearbyConfigsFor } from './nearbyConfigs';

/** Every analysis kind, built-in first; the highest `claims` wins (ties: the earlier one). */
export const ANALYZERS: Analyzer[] = [runAnalyzer, sweepAnalyzer];

export interface AnalyzeContext {
  /** Configs beside the log (text, never executed); when absent and `useConfigs`, `analyzeFile` looks them up. */
  configs?: readonly NearbyConfig[];
  /** Why no config beside the log was taken (a folder of many logs), for the summary. */
  configsNote?: string;
  /** The first part of a text log (a training script it printed first may state the LR schedule). */
  logHead?: NearbyConfig;
  /** The fit of this log before it grew, with the same options (live refit): fits start from its optimum. */
  warm?: WarmStart;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
  /** The options the user asked for explicitly (CLI flags): only those are refused with a message when a law ignores them. */
  explicit?: ReadonlySet<keyof AnalyzeOptions>;
  /** A prefix fit's first pass: the cut's line only (Analysis.cutLine), nothing fitted. */
  probeCut?: boolean;
}

/** The analyzer that takes this log. */
export function analyzerFor(log: ParsedLog, options: AnalyzeOptions): Analyzer {
  let best = ANALYZERS[0];
  let score = -Infinity;
  for (const a of ANALYZERS) {
    const s = a.claims(log, options);
    if (s > score) { best = a; score = s; }
  }
  return best;
}

/**
 * Analyse a parsed log. `options` must be validated (src/core/options.ts `validateOptions`);
 * `params`/`tokensPerStep` left at 0 are taken from the first config in `ctx.configs` that gives them.
 */
export function analyze(log: ParsedLog, options: AnalyzeOptions, ctx: AnalyzeContext = {}): Analysis {
  const opts: AnalyzeOptions = { ...options };
  const analyzer = analyzerFor(log, opts);
  let configNote: string | undefined;
  const skipped: string[] = [];
  // A run folder's own config (MLflow params, W&B config, Lightning hparams.yaml) comes first.
  const configs = [...(log.run?.configs ?? []), ...(ctx.configs ?? [])];
  if (analyzer.usesConfigs && opts.useConfigs && configs.length && !(opts.params > 0)) {
    const { note, model } = applyConfigModel(configs, opts, skipped, {});
    configNote = model ? note : note ?? ctx.configsNote;
  } else if (analyzer.usesConfigs && opts.useConfigs && !(opts.params > 0) && ctx.configsNote) {
    configNote = ctx.configsNote;
  }
  // What the log printed of its own run (nanochat, nanoGPT, llm.c): where no config gave it.
  if (analyzer.usesConfigs && ctx.logHead && (!(opts.params > 0) || !(opts.tokensPerStep > 0))) {
    const printed = printedModel(ctx.logHead.text);
    const logName = basename(ctx.logHead.file);
    const said: string[] = [];
    let tookN = false;
    if (printed.params && !(opts.params > 0)) {
      opts.params = printed.params;
      tookN = true;
      said.push(printedParamsNote(printed, logName));
    }
    if (printed.tokensPerStep && !(opts.tokensPerStep > 0)) {
      opts.tokensPerStep = printed.tokensPerStep;
      said.push(printedTokensNote(printed, logName));
    }
    // N from the log replaces a note on why no config gave it; tokens per step add to a config's note.
    if (said.length) configNote = tookN || !configNote ? said.join('; ') : `${configNote}; ${said.join('; ')}`;
  }
  throwIfCancelled(ctx.signal);
  const scheduleTexts = [...(ctx.logHead ? [ctx.logHead] : []), ...(opts.useConfigs ? configs : [])];
  const context: AnalysisContext = {
    log, options: opts, configNote, signal: ctx.signal, scheduleTexts, explicit: ctx.explicit, warm: ctx.warm, probeCut: ctx.probeCut,
    userModel: { params: options.params, tokensPerStep: options.tokensPerStep },
    progress: (f, m) => ctx.onProgress?.(Math.min(1, Math.max(0, f)), m),
  };
  const analysis = analyzer.analyze(context);
  // The view echoes the user's model size, not the one a config gave (the panel shows that as a hint).
  analysis.state.options.params = options.params;
  // A config beside the log that was refused (alias bomb, nesting too deep): the log is analysed
  // without it, and its problems say why.
  for (const message of skipped) {
    analysis.state.problems.push({ line: 0, severity: 'warning', message });
    analysis.state.problemCount++;
  }
  return analysis;
}

export interface AnalyzeFileContext extends AnalyzeContext {
  /** Role overrides by column name (the `scalingLens.columnRoles` setting). */
  roleOverrides?: ParseOptions['roleOverrides'];
  /** Role overrides of an eval file's columns (problem, correct, n, c, budget, accuracy, …). */
  evalRoleOverrides?: Record<string, EvalRole>;
  /**
   * Thinking-budget tables: the law giving a model's compute-optimal training tokens when the table
   * has none (a law fitted in the workspace, `--train-law`); default the Chinchilla replication.
   */
  trainLaw?: TrainLaw;
  /** How to parse (the worker passes its cache); default parseLogFile. */
  parse?: (file: string, opts: ParseOptions) => Promise<ParsedLog>;
  /**
   * Asked after the parse: the previous fit to start from when the log only grew since it (the
   * worker knows from its incremental read); undefined = a cold fit. Overrides `warm`.
   */
  warmStart?: (log: ParsedLog) => WarmStart | undefined;
}

/** The role overrides an analysis needs: the user's, plus the group column as the run label. */
export function effectiveRoleOverrides(options: AnalyzeOptions, overrides: ParseOptions['roleOverrides'] = {}): NonNullable<ParseOptions['roleOverrides']> {
  const out = { ...overrides };
  if (options.groupBy !== 'auto' && options.groupBy !== 'none' && options.groupBy !== '') out[options.groupBy] = 'run';
  return out;
}

/** Parse `file` (reading up to half the progress) and analyse it, with the configs beside it unless `useConfigs` is off. */
export async function analyzeFile(file: string, options: AnalyzeOptions = DEFAULT_ANALYZE_OPTIONS, ctx: AnalyzeFileContext = {}): Promise<Analysis> {
  // Eval results (repeated samples, lm-eval samples, thinking-budget tables) are not training logs.
  if (await isEvalFile(file, options, ctx.evalRoleOverrides)) {
    return analyzeEvalFile(file, options, { roleOverrides: ctx.evalRoleOverrides, trainLaw: ctx.trainLaw, signal: ctx.signal, onProgress: ctx.onProgress });
  }
  const parse = ctx.parse ?? parseLogFile;
  let last = 0;
  const log = await parse(file, {
    roleOverrides: effectiveRoleOverrides(options, ctx.roleOverrides),
    signal: ctx.signal,
    onProgress: (read, total) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      // MB only where they say something: a small file (or a run folder, total unknown) is just "Reading".
      const mb = (v: number) => (v >= 10e6 ? (v / 1e6).toFixed(0) : (v / 1e6).toFixed(1));
      ctx.onProgress?.(total > 0 ? 0.5 * (read / total) : 0, total >= 1e6 ? `Reading ${mb(read)} of ${mb(total)} MB` : 'Reading the log');
    },
  });
  // A run folder read as one file of its own (Ultralytics' results.csv, a Ray Tune trial's
  // progress.csv): that file's first and last rows, as when it is opened itself; the folder's own
  // configs are the run's, not those of the folder around it.
  const inner = resolve(log.file) !== resolve(file) && resolve(dirname(log.file)) === resolve(file) ? log.file : undefined;
  const ownConfigs = inner !== undefined && (log.run?.configs?.length ?? 0) > 0;
  const wantsConfigs = options.useConfigs && !(options.params > 0) && !ownConfigs && analyzerFor(log, options).usesConfigs;
  // A TensorBoard run folder read as one log: the configs it holds are the run's.
  const folderRun = !ctx.configs && wantsConfigs && log.format === 'tfevents' && (await isDirectory(file)) ? await runFolderConfigs(file) : undefined;
  const nearby = ctx.configs ? { configs: [...ctx.configs], note: ctx.configsNote } : folderRun ?? (wantsConfigs ? await nearbyConfigsFor(file) : { configs: [] });
  // What the log's first and last rows say of the whole run (a planned end, its epochs): tail.ts.
  let full = await withTailFacts(inner ?? file, log);
  let logHead = log.format === 'text' ? await readLogHead(file, log) : undefined;
  // A prefix fit (--fit-until) knows what the file said up to its cut, not after: the passes an epoch
  // column reaches by the end, a planned end a later launch printed, an LR cut made later. A text,
  // CSV or JSONL log's run facts and head are read again from the file cut there (a folder, a
  // notebook or a binary store keeps the whole file's).
  if (options.fitUntil > 0 && inner === undefined && (log.format === 'text' || log.format === 'csv' || log.format === 'jsonl') && !isNotebookName(file)) {
    const probe = analyze(full, options, { configs: nearby.configs, configsNote: nearby.note, logHead, explicit: ctx.explicit, signal: ctx.signal, probeCut: true });
    if (probe.cutLine !== undefined) {
      try {
        const prefix = await parsePrefix(file, probe.cutLine, { roleOverrides: effectiveRoleOverrides(options, ctx.roleOverrides), signal: ctx.signal });
        const atCut = await withTailFacts(file, prefix.log);
        full = { ...full, run: runMetaAtCut(full.run, atCut.run) };
        if (logHead) logHead = { file, text: prefix.text.subarray(0, LOG_HEAD_BYTES).toString('utf8') };
      } catch (e) {
        // (Unreadable as a prefix, a rare cut through a multi-line record: the whole file's facts stay.)
        if (isCancelled(e) || ctx.signal?.aborted) throw e;
      }
    }
  }
  return analyze(full, options, {
    configs: nearby.configs, configsNote: nearby.note, signal: ctx.signal, explicit: ctx.explicit, logHead,
    warm: ctx.warmStart ? ctx.warmStart(log) : ctx.warm,
    onProgress: (f, m) => ctx.onProgress?.(0.5 + 0.5 * f, m),
  });
}

/** Whether `file` is a directory (false when it cannot be read). */
async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

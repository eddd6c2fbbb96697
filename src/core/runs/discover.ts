/**
 * Run discovery: walk a folder (bounded, regular files only), find the run folders in it and read
 * each one's log (the log layer's parseLogFile) and config (the config layer's analyzeConfig, never
 * executed) into a RunInfo: model size (total and active, exact from the config), tokens so far,
 * final loss, tokens per parameter and the learning-rate schedule.
 *
 * Layouts understood (a run folder = a folder holding a training log; its config sits beside it or
 * one folder up):
 * - Hugging Face Trainer output dir: trainer_state.json + config.json. Tokens from
 *   `num_input_tokens_seen` when logged, else steps × tokens per step from a training-arguments file
 *   (JSON/YAML/TOML with batch size and sequence length; training_args.bin is a pickle and never read).
 *   An output dir holding only `checkpoint-N/` folders is one run read from its latest checkpoint.
 * - PyTorch Lightning: lightning_logs/version_N/ with hparams.yaml + metrics.csv.
 * - nanoGPT-style: a config .py + a JSONL or stdout log; tokens per iteration from the config.
 * - torchtitan / LLM Foundry: a TOML or YAML config + a log.
 * A folder with a log but no readable model size (or no token count) is listed with the reason and
 * left out of fits.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ConfigAnalysis } from '../config';
import { hollowLossColumns, hollowLossText, isTfeventsName, parseLogFile, runStamp, toRunCurves, type ParsedLog } from '../logs';
import type { RunCurve } from '../dataset';
import { classifySchedule, type Schedule } from './schedule';
import type { DiscoverResult, RunInfo, RunLayout } from './types';
import { walk, type WalkLimits, type WalkedDir } from './walk';
import { Cancelled, isCancelled } from '../cancel';
import { isTrainingLogFile } from '../detectLogs';
import { median } from '../stats';
import { isGzipName } from '../logs/gzip';
import { stepUnitOf } from '../logs/epochs';
import { ALLENNLP_EPOCH_FILE } from '../logs/allennlpFiles';
import { modelFromConfigs, nearbyConfigsFor, runFolderConfigs, type ConfigModelInfo } from '../nearbyConfigs';
import { printedModel, printedParamsNote, readLogHead, type PrintedModel } from '../logHead';
import { heldOutRises } from '../overfit';
import { DEFAULT_ANALYZE_OPTIONS } from '../options';

const DEFAULT_OVERFIT_RISE = DEFAULT_ANALYZE_OPTIONS.overfitRisePercent;

export interface DiscoverOptions {
  limits?: Partial<WalkLimits>;
  /** Tokens per optimizer step (the setting scalingLens.fit.tokensPerStep): as in Fit, it wins over a config's when > 0 (0 = none). */
  tokensPerStep?: number;
  /** Largest log file read. Default 2 GB. */
  maxLogBytes?: number;
  /** The most one log's kept columns may take (ParseOptions.maxColumnBytes; the setting scalingLens.memory.logMegabytes). */
  maxColumnBytes?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, message: string) => void;
  /**
   * Results of an earlier discovery, reused for a run whose log and configs are unchanged (same
   * sizes and modification times). Filled by discoverRuns.
   */
  cache?: Map<string, { key: string; run: RunInfo }>;
  /** A held-out loss whose last evaluations stay this % above its lowest is noted (the setting scalingLens.diagnostics.overfitRisePercent; default 2, 0 = never). */
  overfitRisePercent?: number;
}

const MAX_CONFIGS_PER_DIR = 12;
const LOG_NAME = /\.(csv|tsv|jsonl|ndjson|log|txt|out)$/i;
const CONFIG_NAME = /\.(ya?ml|json|toml|py)$/i;
/** A JSON training history's usual names: `history.json`, `training_history.json`, `model_history.json`. */
const HISTORY_JSON = /(^|[_.-])history\.json$/i;
/** Sacred's metrics.json, in a folder with its run.json: ranked with the JSON histories. */
const SACRED_METRICS_RANK = 4.3;
const CHECKPOINT = /^checkpoint-(\d+)$/;
/** The log entry of a run-store folder (MLflow run, W&B run): the folder itself is read as the log. */
const STORE = '\0store';
/** The final loss: the median of the last ≤ 5 logged points within the last 2 % of the run's steps. */
export const FINAL_LOSS_RULE = 'median of the last ≤ 5 logged points within the last 2% of the run';
/** Most intermediate points a constant/WSD run contributes to a sweep of whole curves. */
const MAX_CURVE_POINTS = 16;

/** Log candidates in order of preference. */
function logRank(name: string): number {
  // A gzipped log (`train.jsonl.gz`) ranks just after the same log uncompressed.
  if (isGzipName(name)) {
    const r = isTfeventsName(name) ? -1 : logRank(name.slice(0, -3));
    return r < 0 ? -1 : r + 0.5;
  }
  const n = name.toLowerCase();
  if (n === 'trainer_state.json') return 0;
  if (n === 'metrics.csv') return 1;
  if (/\.(jsonl|ndjson)$/.test(n)) return 2;
  if (/\.(csv|tsv)$/.test(n)) return 3;
  if (LOG_NAME.test(n)) return 4;
  // A JSON training history (Keras's History saved with json.dump, skorch's history.json).
  if (HISTORY_JSON.test(n)) return 4.25;
  // TensorBoard event files (a Lightning run logged with TensorBoardLogger): the folder is read as one log.
  if (isTfeventsName(name)) return 5;
  return -1;
}

/** Config candidates in order of preference (lower first). */
function configRank(name: string): number {
  const n = name.toLowerCase();
  if (n === 'config.json') return 0;
  if (n === 'hparams.yaml' || n === 'hparams.yml') return 1;
  if (/config|train|model|args|hparams|params/.test(n)) return 2;
  return 3;
}

function isConfigName(name: string): boolean {
  const n = name.toLowerCase();
  return CONFIG_NAME.test(n) && n !== 'trainer_state.json' && !HISTORY_JSON.test(n) && !/^(package|package-lock|tsconfig|tokenizer|tokenizer_config|special_tokens_map|generation_config|vocab|merges|adapter_config)\.json$/.test(n) && !/\.(jsonl|ndjson)$/.test(n);
}

async function statFile(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const st = await fsp.lstat(file);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The training-loss series with the most points, else the eval series with the most. */
export function mainCurve(log: ParsedLog, curves: RunCurve[]): RunCurve | undefined {
  if (curves.length === 0) return undefined;
  const lossCols = new Set(log.columns.filter((c) => c.role === 'loss').map((c) => c.name));
  const isTrain = (c: RunCurve) => lossCols.has(c.series);
  const score = (c: RunCurve) => (isTrain(c) ? 1e15 : 0) + c.loss.length;
  return curves.reduce((best, c) => (score(c) > score(best) ? c : best));
}

/** The final loss of a curve: see FINAL_LOSS_RULE. */
export function finalLoss(curve: RunCurve): number | undefined {
  const n = curve.loss.length;
  if (n === 0) return undefined;
  const lastStep = curve.step[n - 1];
  const vals: number[] = [];
  for (let i = n - 1; i >= 0 && vals.length < 5; i--) {
    if (Number.isFinite(lastStep) && lastStep > 0 && curve.step[i] < 0.98 * lastStep && vals.length > 0) break;
    if (Number.isFinite(curve.loss[i])) vals.push(curve.loss[i]);
  }
  if (vals.length === 0) return undefined;
  return median(vals);
}

function layoutOf(logName: string, format: string, dir: string, config: string | undefined, analysis: ConfigAnalysis | undefined, sacredDir: boolean): RunLayout {
  if (logName === 'trainer_state.json') return 'hf-trainer';
  if (format === 'mlflow' || format === 'wandb' || format === 'dvclive' || format === 'allennlp') return format;
  if (logName === 'metrics.json' && format === 'json' && sacredDir) return 'sacred';
  const cfgName = config ? path.basename(config).toLowerCase() : '';
  if (/^hparams\.ya?ml$/.test(cfgName) || /^version_\d+$/.test(path.basename(dir)) || path.basename(path.dirname(dir)) === 'lightning_logs') return 'lightning';
  if (!analysis) return 'log-only';
  if (analysis.format === 'python') return 'nanogpt';
  if (analysis.format === 'toml') return 'torchtitan';
  if (analysis.format === 'yaml') return 'yaml-config';
  return 'json-config';
}

/** Intermediate points valid for a sweep: after warm-up, inside the constant phase, ≥ 10 % of the final tokens, log-spaced. */
function validCurvePoints(curve: RunCurve, tokens: Float64Array, schedule: Schedule, log: ParsedLog, stepCol: Float64Array | undefined): RunInfo['curvePoints'] {
  if (schedule.kind !== 'constant' && schedule.kind !== 'wsd') return undefined;
  // Schedule indices are rows of the log: turn them into step bounds.
  const rowStep = (i: number) => (stepCol ? stepCol[Math.min(i, log.rows - 1)] : i + 1);
  const fromStep = rowStep(schedule.warmupEnd);
  const toStep = schedule.stableEnd >= log.rows ? Infinity : rowStep(schedule.stableEnd);
  let lastD = NaN;
  for (let i = tokens.length - 1; i >= 0; i--) if (Number.isFinite(tokens[i]) && tokens[i] > 0) { lastD = tokens[i]; break; }
  if (!(lastD > 0)) return undefined;
  const idx: number[] = [];
  for (let i = 0; i < curve.loss.length; i++) {
    const s = curve.step[i];
    const d = tokens[i];
    if (s >= fromStep && s < toStep && d >= 0.1 * lastD && Number.isFinite(curve.loss[i]) && curve.loss[i] > 0) idx.push(i);
  }
  if (idx.length === 0) return undefined;
  // Log-spaced in tokens: the point nearest each of MAX_CURVE_POINTS targets, kept once.
  const lo = Math.log(tokens[idx[0]]);
  const hi = Math.log(tokens[idx[idx.length - 1]]);
  const picked = new Set<number>();
  let j = 0;
  for (let k = 0; k < MAX_CURVE_POINTS; k++) {
    const target = lo + ((hi - lo) * k) / (MAX_CURVE_POINTS - 1);
    while (j + 1 < idx.length && Math.abs(Math.log(tokens[idx[j + 1]]) - target) <= Math.abs(Math.log(tokens[idx[j]]) - target)) j++;
    picked.add(idx[j]);
  }
  const sel = [...picked].sort((a, b) => a - b);
  return {
    tokens: sel.map((i) => tokens[i]), loss: sel.map((i) => curve.loss[i]), step: sel.map((i) => curve.step[i]), lines: sel.map((i) => curve.lines[i]),
  };
}

interface DirIndex {
  byDir: Map<string, WalkedDir>;
  root: string;
}

/** Config files to read for a run folder: its own, then one folder up (never above the root). */
function configCandidates(idx: DirIndex, dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const w = idx.byDir.get(d);
    if (!w) continue;
    const names = w.files.filter(isConfigName).sort((a, b) => configRank(a) - configRank(b) || a.localeCompare(b)).slice(0, MAX_CONFIGS_PER_DIR);
    for (const n of names) out.push(path.join(d, n));
  }
  return out;
}

interface Candidate {
  /** The run folder shown. */
  runDir: string;
  /** Folder holding the log. */
  logDir: string;
  logs: string[];
  configDirs: string[];
}

/** Run folders of the walk: every folder with a log candidate, HF checkpoints folded into their output dir. */
function candidates(idx: DirIndex): Candidate[] {
  const out: Candidate[] = [];
  // MLflow run folders (meta.yaml beside metrics/), W&B run folders (run-*/ with a .wandb log or
  // files/wandb-summary.json) and DVCLive folders are read whole by the log layer; nothing inside them
  // is a run of its own.
  const stores: string[] = [];
  for (const w of idx.byDir.values()) {
    const mlflow = w.files.includes('meta.yaml') && w.dirs.includes('metrics');
    const wandb = /^(offline-)?run-/.test(path.basename(w.dir)) && (w.files.some((n) => n.endsWith('.wandb')) || !!idx.byDir.get(path.join(w.dir, 'files'))?.files.includes('wandb-summary.json'));
    // A DVCLive folder (plots/metrics/ beside its metrics.json, params.yaml or dvc.yaml): its metric files are one run.
    const dvclive = w.dirs.includes('plots') && !!idx.byDir.get(path.join(w.dir, 'plots'))?.dirs.includes('metrics') && ['metrics.json', 'params.yaml', 'dvc.yaml'].some((n) => w.files.includes(n));
    // An AllenNLP serialization folder (metrics_epoch_N.json files): its epoch files are one run.
    const allennlp = w.files.some((n) => ALLENNLP_EPOCH_FILE.test(n));
    if (!mlflow && !wandb && !dvclive && !allennlp) continue;
    stores.push(w.dir);
    const configDirs = [w.dir, path.join(w.dir, 'files')];
    if (w.dir !== idx.root) configDirs.push(path.dirname(w.dir));
    out.push({ runDir: w.dir, logDir: w.dir, logs: [STORE], configDirs });
  }
  const inStore = (d: string) => stores.some((s) => d === s || d.startsWith(s + path.sep));
  for (const w of idx.byDir.values()) {
    if (inStore(w.dir)) continue;
    // Sacred's run folder (its FileStorageObserver: metrics.json beside run.json and config.json).
    const sacred = w.files.includes('run.json');
    const rank = (n: string) => (sacred && n === 'metrics.json' ? SACRED_METRICS_RANK : logRank(n));
    const logs = w.files.filter((n) => rank(n) >= 0).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    if (logs.length === 0) continue;
    const base = path.basename(w.dir);
    const parentDir = path.dirname(w.dir);
    const parent = w.dir === idx.root ? undefined : idx.byDir.get(parentDir);
    const m = CHECKPOINT.exec(base);
    if (m && logs.includes('trainer_state.json') && parent) {
      if (parent.files.includes('trainer_state.json')) continue; // the output dir has the final state
      const later = parent.dirs.some((d) => {
        const k = CHECKPOINT.exec(d);
        return k && Number(k[1]) > Number(m[1]) && idx.byDir.get(path.join(parentDir, d))?.files.includes('trainer_state.json');
      });
      if (later) continue;
      out.push({ runDir: parentDir, logDir: w.dir, logs: ['trainer_state.json'], configDirs: [w.dir, parentDir] });
      continue;
    }
    const configDirs = [w.dir];
    if (parent) configDirs.push(parentDir);
    out.push({ runDir: w.dir, logDir: w.dir, logs, configDirs });
  }
  return out;
}

/** Finds and reads every run folder under `root`. */
export async function discoverRuns(root: string, opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const rootAbs = path.resolve(root);
  const problems: string[] = [];
  const st = await fsp.stat(rootAbs).catch(() => undefined);
  if (!st) return { root: rootAbs, runs: [], problems: [`${rootAbs}: no such folder`] };
  if (!st.isDirectory()) return { root: rootAbs, runs: [], problems: [`${rootAbs}: not a folder`] };
  const walked = await walk(rootAbs, opts.limits, opts.signal);
  if (walked.truncated) problems.push(`The walk ${walked.truncated}; runs beyond that are not listed (raise the limits to see them).`);
  for (const u of walked.unreadable) problems.push(`${u.dir}: cannot read the folder (${u.reason}).`);
  const idx: DirIndex = { byDir: new Map(walked.dirs.map((w) => [w.dir, w])), root: rootAbs };
  const cands = candidates(idx);
  const runs: RunInfo[] = [];
  const seenCache = new Set<string>();
  for (let k = 0; k < cands.length; k++) {
    if (opts.signal?.aborted) throw abortError();
    const c = cands[k];
    opts.onProgress?.(k, cands.length, `Reading ${toPosix(path.relative(rootAbs, c.runDir)) || '.'}`);
    const run = await readRun(c, idx, opts, problems, seenCache);
    if (run) runs.push(run);
  }
  if (opts.cache) for (const key of [...opts.cache.keys()]) if (!seenCache.has(key)) opts.cache.delete(key);
  runs.sort((a, b) => a.rel.localeCompare(b.rel));
  return { root: rootAbs, runs, problems };
}

function abortError(): Error {
  return new Cancelled('run discovery was cancelled');
}

async function readRun(c: Candidate, idx: DirIndex, opts: DiscoverOptions, problems: string[], seenCache: Set<string>): Promise<RunInfo | undefined> {
  const maxLog = opts.maxLogBytes ?? 2 * 1024 ** 3;
  const configFiles = configCandidates(idx, c.configDirs);
  // Cache key: every file this run depends on, with its size and modification time.
  const store = c.logs[0] === STORE;
  const files = [...(store ? [] : c.logs.map((n) => path.join(c.logDir, n))), ...configFiles];
  const stats = await Promise.all(files.map(statFile));
  if (store) stats.unshift({ size: 1, mtimeMs: 0 });
  const stamp = store ? await runStamp(c.logDir).catch(() => 'gone') : '';
  const key = stamp + files.map((f, i) => `${f}:${stats[i]?.size ?? -1}:${stats[i]?.mtimeMs ?? -1}`).join('|') + `|tps=${opts.tokensPerStep ?? 0}|ovf=${opts.overfitRisePercent ?? DEFAULT_OVERFIT_RISE}`;
  const cached = opts.cache?.get(c.runDir + '\0' + c.logDir);
  seenCache.add(c.runDir + '\0' + c.logDir);
  if (cached && cached.key === key) return cached.run;

  // The log: the first candidate that reads as a single run with a loss series.
  let log: ParsedLog | undefined;
  let curve: RunCurve | undefined;
  let curves: RunCurve[] = [];
  let logFile = '';
  const skipped: string[] = [];
  let triedEvents = false;
  for (let i = 0; i < c.logs.length && !log; i++) {
    const events = isTfeventsName(c.logs[i]) || c.logs[i] === STORE;
    if (events && triedEvents) continue;
    const file = events ? c.logDir : path.join(c.logDir, c.logs[i]);
    const s = stats[i];
    if (!s || s.size === 0) continue;
    if (s.size > maxLog) { skipped.push(`${c.logs[i]}: larger than ${Math.round(maxLog / 2 ** 20)} MB, not read`); continue; }
    if (events) triedEvents = true;
    else {
      if (c.logs[i] !== 'trainer_state.json' && !(await isTrainingLogFile(file))) continue;
    }
    let parsed: ParsedLog;
    try {
      parsed = await parseLogFile(file, { signal: opts.signal, maxColumnBytes: opts.maxColumnBytes });
    } catch (e) {
      if (isCancelled(e)) throw e;
      skipped.push((e as Error).message);
      continue;
    }
    if (parsed.kind !== 'run') continue; // a sweep table is not a run
    const all = toRunCurves(parsed);
    const cv = mainCurve(parsed, all);
    if (!cv) {
      const hollow = hollowLossColumns(parsed);
      if (hollow.length) skipped.push(`${toPosix(path.relative(idx.root, file)) || c.logs[i]}: ${hollowLossText(hollow)}; not listed`);
      continue;
    }
    log = parsed;
    curve = cv;
    curves = all;
    logFile = file;
  }
  if (!log || !curve) {
    for (const s of skipped) problems.push(s);
    return undefined;
  }

  const rel = toPosix(path.relative(idx.root, c.runDir)) || '.';
  const group = rel === '.' ? '.' : toPosix(path.dirname(rel));
  const runProblems: string[] = [];
  for (const s of skipped) runProblems.push(s);
  const errors = log.problems.filter((p) => p.severity === 'error');
  if (errors.length) runProblems.push(`${path.basename(logFile)}: ${errors[0].message}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`);

  // The configs Fit on this log reads, by the same rules (one pipeline: the Runs view, a fit across
  // runs and the panel give a run the same model size): the run store's own (MLflow params, the W&B
  // config) first, then what nearbyConfigsFor finds beside the log; configs that disagree give none.
  // (A TensorBoard folder read as one log: the configs it holds are the run's, as Fit reads them.)
  const near = (log.format === 'tfevents' && logFile === c.logDir ? await runFolderConfigs(logFile) : undefined) ?? await nearbyConfigsFor(logFile);
  const sizeInfo: ConfigModelInfo = {};
  const model = modelFromConfigs([...(log.run?.configs ?? []), ...near.configs], runProblems, sizeInfo);
  const sized = model ? { file: model.file, a: model.analysis } : undefined;
  const firstConfig = sizeInfo.firstRead ? { file: sizeInfo.firstRead.file, a: sizeInfo.firstRead.analysis } : undefined;
  // As Fit: what a text log printed of its own run, where no config gave it.
  const head = log.format === 'text' && (!model || !model.tokensPerStep) ? await readLogHead(logFile, log) : undefined;
  const printed: PrintedModel = head ? printedModel(head.text) : {};
  const logName = path.basename(logFile);

  const lastStep = curve.step.length ? curve.step[curve.step.length - 1] : NaN;
  // Tokens: the log's own count, else steps × tokens per step.
  let tokensArr: Float64Array | undefined;
  let tokensSource: string | undefined;
  if (curve.tokens && curve.tokens.some((v) => Number.isFinite(v) && v > 0)) {
    tokensArr = curve.tokens;
    const col = log.columns.find((x) => x.role === 'tokens');
    tokensSource = `logged (${col?.name ?? 'tokens'})`;
  } else {
    // As Fit: the setting wins over a config's tokens per step.
    const setting = opts.tokensPerStep && opts.tokensPerStep > 0 ? opts.tokensPerStep : undefined;
    const tps = setting ?? model?.tokensPerStep ?? printed.tokensPerStep;
    if (tps) {
      tokensArr = Float64Array.from(curve.step, (s) => s * tps);
      const from = setting !== undefined ? 'setting' : model?.tokensPerStep ? path.basename(model.tokensFile ?? model.file) : `printed in ${logName}, line ${printed.tokensLine}`;
      tokensSource = `steps × ${tps.toLocaleString('en-US')} tokens per step (${from})`;
    }
  }
  let tokens: number | undefined;
  if (tokensArr) for (let i = tokensArr.length - 1; i >= 0; i--) if (Number.isFinite(tokensArr[i]) && tokensArr[i] > 0) { tokens = tokensArr[i]; break; }

  const loss = finalLoss(curve);
  const lrCol = log.columns.find((x) => x.role === 'lr' && log.data[x.name]);
  const stepCol = log.columns.find((x) => x.role === 'step' && log.data[x.name]);
  const schedule = classifySchedule(lrCol ? log.data[lrCol.name] : undefined);

  const run: RunInfo = {
    path: c.runDir, rel, group,
    layout: layoutOf(path.basename(logFile), log.format, c.logDir, sized?.file ?? firstConfig?.file, sized?.a ?? firstConfig?.a, !!idx.byDir.get(c.logDir)?.files.includes('run.json')),
    log: logFile, logFormat: log.format,
    schedule: schedule.kind, scheduleNote: schedule.description,
    points: curve.loss.length, lossSeries: curve.series,
    problems: runProblems, usable: false,
    logSize: stats[c.logs.indexOf(path.basename(logFile))]?.size ?? 0,
    logMtimeMs: stats[c.logs.indexOf(path.basename(logFile))]?.mtimeMs ?? 0,
  };
  if (Number.isFinite(lastStep)) run.steps = lastStep;
  const unit = stepUnitOf(log);
  if (unit) run.stepUnit = unit;
  // As Fit says it: a held-out loss that has turned up (the first run of the log's).
  const rise = heldOutRises(log, curves, (opts.overfitRisePercent ?? DEFAULT_OVERFIT_RISE) / 100)[0];
  if (rise) {
    run.heldOutRise = { series: rise.series, best: rise.best, bestStep: rise.bestStep, rise: rise.rise, ...(rise.trainChange !== undefined ? { trainChange: rise.trainChange } : {}) };
  }
  if (loss !== undefined) run.loss = loss;
  else runProblems.push(`${path.basename(logFile)}: no finite loss in "${curve.series}"`);
  if (sized?.a.params) {
    run.config = sized.file;
    run.params = { total: sized.a.params.total, active: sized.a.params.active };
    run.architecture = sized.a.architecture;
    if (sized.a.tokens !== undefined) run.plannedTokens = sized.a.tokens;
  } else if (printed.params) {
    run.params = { total: printed.params, active: printed.params };
    run.paramsSource = printedParamsNote(printed, logName);
  } else if (sizeInfo.note ?? near.note) {
    if (firstConfig) run.config = firstConfig.file;
    runProblems.push(`No readable model size: ${sizeInfo.note ?? near.note}; left out of fits.`);
  } else if (firstConfig) {
    run.config = firstConfig.file;
    if (firstConfig.a.tokens !== undefined) run.plannedTokens = firstConfig.a.tokens;
    const need = firstConfig.a.missing.filter((m) => !/steps|batch|sequence|dataset|token/i.test(m));
    runProblems.push(`No readable model size: ${path.basename(firstConfig.file)} lacks ${need.length ? need.join(', ') : 'the architecture keys'}; left out of fits.`);
  } else {
    const where = c.configDirs.map((d) => toPosix(path.relative(idx.root, d)) || '.').join(' and ');
    runProblems.push(`No readable model size: no training or model config (.json, .yaml, .toml, .py) with the architecture in ${where}; left out of fits.`);
  }
  if (tokens !== undefined) {
    run.tokens = tokens;
    run.tokensSource = tokensSource;
  } else {
    runProblems.push(log.format === 'trainer_state'
      ? 'No token count: trainer_state.json has no num_input_tokens_seen (train with include_num_input_tokens_seen=True) and no training-arguments file (JSON/YAML) beside it gives the batch size and sequence length; left out of fits.'
      : 'No token count: the log has no tokens column and no config beside it gives tokens per step (batch × sequence length); left out of fits.');
  }
  if (run.params && run.tokens !== undefined) run.tokensPerParam = run.tokens / run.params.active;
  run.usable = !!run.params && run.tokens !== undefined && run.loss !== undefined && run.loss > 0;
  if (tokensArr && run.usable) run.curvePoints = validCurvePoints(curve, tokensArr, schedule, log, stepCol ? log.data[stepCol.name] : undefined);
  opts.cache?.set(c.runDir + '\0' + c.logDir, { key, run });
  return run;
}

export { savedRuns } from './saved';

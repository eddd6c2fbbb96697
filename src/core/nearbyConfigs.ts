/**
 * Training configs beside a log: the model size (and tokens per step) a run's log does not carry.
 * Read as text (never executed), only regular files, at most 8 per folder and 512 KB each; the log's
 * folder first, then its parent. Used by the one pipeline, so the CLI and the editor agree.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { analyzeConfig, detectConfigFormat, readConfig, type ConfigAnalysis } from './config';
import { formatInteger } from './format';

export interface NearbyConfig {
  file: string;
  text: string;
  /** Why this config is taken to belong to the log (said in the message that uses it). */
  why?: string;
}

const CONFIG_FILE = /\.(ya?ml|json|toml|py)$/i;
const MAX_CONFIG_BYTES = 512 * 1024;
const MAX_PER_FOLDER = 8;
/** Files that are training logs, not configs (counted to tell a run's own folder from a folder of many logs). */
const LOG_FILE = /(\.(csv|tsv|jsonl|log)(\.gz)?$)|(trainer_state\.json(\.gz)?$)|(^events\.out\.tfevents\.)|(\.txt(\.gz)?$)/i;
const NOT_LOG_TXT = /^(readme|requirements|license|licence|notes?|changelog)/i;
/** The names a run's own config usually has (HF, Lightning, nanoGPT, LLM Foundry, torchtitan, argparse dumps, YOLOv5's hyp.yaml and opt.yaml). */
const USUAL_CONFIG = /^(config|hparams|training_args|train_args|args|params|hyperparams|cfg|run_config|train_config|training_config|trainer_config|model_config|train|training|hyp|opt)\.(ya?ml|json|toml|py)$/i;
/** Words that name a file's role rather than its run, dropped before comparing a log's and a config's names. */
const ROLE_WORDS = new Set(['metrics', 'metric', 'log', 'logs', 'train', 'training', 'history', 'events', 'stdout', 'output', 'out', 'config', 'configs', 'cfg', 'hparams', 'hyperparams', 'params', 'args', 'training_args', 'settings']);

/** A file name's run stem: lower case, extension and role words (metrics, log, config, hparams…) dropped. */
export function runStem(name: string): string {
  const base = name.toLowerCase().replace(/\.gz$/, '').replace(/\.[a-z0-9]+$/, '');
  return base.split(/[-_.\s]+/).filter((w) => w && !ROLE_WORDS.has(w)).join('_');
}

function isLogName(n: string): boolean {
  return LOG_FILE.test(n) && !(/\.txt(\.gz)?$/i.test(n) && NOT_LOG_TXT.test(n));
}

export interface NearbyConfigs {
  configs: NearbyConfig[];
  /** Why no config beside the log is used, or which are left out (for the summary). */
  note?: string;
}

async function readConfigFile(file: string, why: string): Promise<NearbyConfig | undefined> {
  try {
    const st = await fsp.lstat(file);
    if (!st.isFile() || st.size > MAX_CONFIG_BYTES) return undefined;
    return { file, text: await fsp.readFile(file, 'utf8'), why };
  } catch {
    return undefined; // unreadable: skip
  }
}

/**
 * Configs that plausibly belong to `logFile`, with why:
 * - a config whose name has the log's run stem (`run7_metrics.csv` ↔ `run7_hparams.yaml`), in any folder;
 * - a config named as the log's folder (an OpenMMLab work dir: `work_dirs/<config>/<config>.py`);
 * - in the log's own run folder (no other log beside it): every config there;
 * - beside a log with one other log (train + eval): configs with a run config's usual name
 *   (config.json, hparams.yaml, training_args.json, train_config.py…);
 * - one folder up, only from a run folder (e.g. `run/logs/metrics.csv` → `run/config.yaml`), usual names only,
 *   and only when that folder holds no log of its own.
 * A folder of many logs (three or more) gives only stem matches: which of its configs goes with
 * which log cannot be told, and the note says so.
 */
/**
 * The configs a TensorBoard run folder holds beside its event files (a real PaddleSpeechTask run,
 * `exp/pr_lstm/`: the `config.yaml` its trainer dumped beside two launches' event files). The folder
 * is read as one log, so its configs are that run's, not those of the folder around it. Undefined
 * when it holds no config file (the folder around it is searched, as for a log).
 */
export async function runFolderConfigs(dir: string): Promise<NearbyConfigs | undefined> {
  let names: string[];
  try {
    names = (await fsp.readdir(dir)).sort();
  } catch {
    return undefined;
  }
  const configNames = names.filter((n) => CONFIG_FILE.test(n) && !isLogName(n));
  if (!configNames.length) return undefined;
  const folder = path.basename(path.resolve(dir));
  const configs: NearbyConfig[] = [];
  for (const n of configNames.slice(0, MAX_PER_FOLDER)) {
    const c = await readConfigFile(path.join(dir, n), `in the run folder ${folder}/ whose event files are read`);
    if (c) configs.push(c);
  }
  return { configs };
}

export async function nearbyConfigsFor(logFile: string): Promise<NearbyConfigs> {
  const self = path.resolve(logFile);
  const dir = path.dirname(self);
  const own = path.basename(self);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return { configs: [] };
  }
  names.sort();
  const logs = names.filter((n) => n !== own && isLogName(n));
  const stem = runStem(own);
  const configNames = names.filter((n) => CONFIG_FILE.test(n) && n !== own && !isLogName(n));
  const picked: Array<{ name: string; why: string }> = [];
  const stemMatches = stem ? configNames.filter((n) => runStem(n) === stem) : [];
  for (const n of stemMatches) picked.push({ name: n, why: `its name matches the log's (${stem})` });
  const folder = path.basename(dir) || dir;
  const taken = (n: string) => picked.some((p) => p.name === n);
  // An OpenMMLab work dir (work_dirs/<config>/) holds the config it ran as <config>.py beside its
  // timestamped logs (20230206_203013.log and .log.json, one pair a launch): the run's config whatever the logs' count.
  for (const n of configNames) if (!taken(n) && n.replace(CONFIG_FILE, '') === folder) picked.push({ name: n, why: `named as the log's folder ${folder}/ (an OpenMMLab work dir)` });
  let note: string | undefined;
  if (logs.length === 0) {
    for (const n of configNames) if (!taken(n)) picked.push({ name: n, why: `in the log's own run folder ${folder}/` });
  } else if (logs.length === 1) {
    for (const n of configNames) if (!taken(n) && USUAL_CONFIG.test(n)) picked.push({ name: n, why: `a run config's usual name, beside this log and ${logs[0]}` });
  } else if (!picked.length && configNames.length) {
    note = `no config used: ${folder}/ holds ${logs.length + 1} logs and ${configNames.length} config(s), none named like this log, so which config belongs to this run cannot be told (set the model size, or give the config the log's name)`;
  }
  const configs: NearbyConfig[] = [];
  for (const p of picked.slice(0, MAX_PER_FOLDER)) {
    const c = await readConfigFile(path.join(dir, p.name), p.why);
    if (c) configs.push(c);
  }
  if (configs.length === 0 && logs.length === 0) {
    // The log's folder may be a subfolder of the run (logs/, checkpoint-N/): its parent's usual configs.
    const up = path.dirname(dir);
    let upNames: string[] = [];
    try {
      if (up !== dir) upNames = (await fsp.readdir(up)).sort();
    } catch {
      upNames = [];
    }
    if (!upNames.some(isLogName)) {
      for (const n of upNames.filter((x) => CONFIG_FILE.test(x) && USUAL_CONFIG.test(x)).slice(0, MAX_PER_FOLDER)) {
        const c = await readConfigFile(path.join(up, n), `a run config's usual name, one folder up from the log's own folder ${folder}/`);
        if (c) configs.push(c);
      }
    }
  }
  return { configs, note };
}

/** Config files that plausibly belong to `logFile` (see nearbyConfigsFor), most likely first. */
export async function findNearbyConfigs(logFile: string): Promise<NearbyConfig[]> {
  return (await nearbyConfigsFor(logFile)).configs;
}

export interface ConfigModel {
  /** Active parameters N. */
  params: number;
  tokensPerStep?: number;
  /** Where they came from, for the summary. */
  note: string;
  /** The config that gave the tokens per step (the one that gave N when it has them). */
  tokensFile?: string;
  /** The config that gave N, and what it says (total and active counts, architecture, planned tokens). */
  file: string;
  analysis: ConfigAnalysis;
}

/** What modelFromConfigs says beside its answer. */
export interface ConfigModelInfo {
  /** Why no config gave the model size (configs that disagree). */
  note?: string;
  /** The first config that could be read at all (to say what it lacks when none gives N). */
  firstRead?: { file: string; analysis: ConfigAnalysis };
}

/**
 * The model size the configs give. The run's own configs (a run folder's, passed first and without
 * `why`) win; among configs found beside the log, those that give a parameter count must agree
 * (within 1%): when they do not, none is used and `info.note` says which disagreed. A config that is
 * hostile or broken (an alias bomb, 170 KB of nested brackets, a cycle) is skipped, never failing the
 * log's analysis; when `skipped` is given, it gets one line per such config saying why, for the
 * log's problems.
 */
export function modelFromConfigs(configs: readonly NearbyConfig[], skipped?: string[], info?: ConfigModelInfo): ConfigModel | undefined {
  const found: Array<{ c: NearbyConfig; N: number; tps?: number; cfg: ConfigAnalysis }> = [];
  // Tokens per step may come from a config without the architecture (HF's training_args.json beside config.json).
  let stepper: { file: string; tps: number } | undefined;
  for (const c of configs) {
    const name = path.basename(c.file);
    let cfg: ReturnType<typeof analyzeConfig>;
    try {
      cfg = analyzeConfig(c.text, c.file);
    } catch (e) {
      skipped?.push(`${name} beside the log was not used: ${e instanceof Error ? e.message : String(e)}`);
      continue; // a config we cannot read is not the log's problem
    }
    if (cfg && info && !info.firstRead) info.firstRead = { file: c.file, analysis: cfg };
    const given = cfg?.breakdown.tokensPerStep;
    if (!stepper && given && given > 0) stepper = { file: c.file, tps: given };
    const N = cfg?.params?.active;
    if (!cfg || !N) {
      // A config of the run that names a model no transformer count fits (an LSTM): said, not skipped in silence.
      if (cfg?.notTransformer && info && !info.note) info.note = `no model size from ${name}: ${cfg.notTransformer.message.replace(/\.$/, '')} (line ${cfg.notTransformer.line})`;
      // Only the readers' budget and depth refusals are worth a line: any YAML or JSON file may sit beside a log.
      const format = cfg ? undefined : detectConfigFormat(c.file, c.text);
      const problems = cfg ? cfg.problems : format ? readConfig(c.text, format).problems : [];
      const refused = problems.find((p) => p.severity === 'error' && /not read/.test(p.message));
      if (refused) skipped?.push(`${name} beside the log was not used: ${refused.message}`);
      continue;
    }
    const tps = cfg.breakdown.tokensPerStep;
    found.push({ c, N, tps: tps && tps > 0 ? tps : undefined, cfg });
    if (c.why === undefined && stepper) break; // the run's own config (and tokens per step known)
  }
  if (!found.length) return undefined;
  const first = found[0];
  if (first.c.why !== undefined) {
    const other = found.find((f) => Math.abs(f.N - first.N) > 0.01 * first.N);
    if (other) {
      if (info) info.note = `no config used for the model size: ${path.basename(first.c.file)} (N = ${formatInteger(first.N)}) and ${path.basename(other.c.file)} (N = ${formatInteger(other.N)}) beside the log disagree, so which one is this run's cannot be told`;
      return undefined;
    }
  }
  const tps = first.tps ? { file: first.c.file, tps: first.tps } : stepper;
  return {
    params: first.N,
    tokensPerStep: tps?.tps,
    tokensFile: tps?.file,
    file: first.c.file,
    analysis: first.cfg,
    note: `N = ${formatInteger(first.N)} parameters from ${path.basename(first.c.file)}${first.c.why ? ` (${first.c.why})` : ' (the run\'s own config)'}`,
  };
}

/**
 * The model size and tokens per step the configs give, applied to `opts` where the user left them at
 * 0, and the note that says where they came from (the summary's "config:" line). One rule for a log
 * and for one run of a folder of runs (its own configs).
 */
export function applyConfigModel(configs: readonly NearbyConfig[], opts: { params: number; tokensPerStep: number }, skipped?: string[], info?: ConfigModelInfo): { note?: string; model?: ConfigModel } {
  const m = modelFromConfigs(configs, skipped, info);
  if (!m) return { note: info?.note };
  opts.params = m.params;
  let note = m.note;
  if (m.tokensPerStep && !(opts.tokensPerStep > 0)) {
    opts.tokensPerStep = m.tokensPerStep;
    note += `, ${formatInteger(m.tokensPerStep)} tokens per step${m.tokensFile && m.tokensFile !== m.file ? ` from ${path.basename(m.tokensFile)}` : ''}`;
  }
  return { note, model: m };
}

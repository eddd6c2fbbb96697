/**
 * Training configs beside a log: the model size (and tokens per step) a run's log does not carry.
 * Read as text (never executed), only regular files, at most 8 per folder and 512 KB each; the log's
 * folder first, then its parent. Used by the one pipeline, so the CLI and the editor agree.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { analyzeConfig, detectConfigFormat, readConfig } from './config';
import { formatInteger } from './format';

export interface NearbyConfig {
  file: string;
  text: string;
}

const CONFIG_FILE = /\.(ya?ml|json|toml|py)$/i;
const MAX_CONFIG_BYTES = 512 * 1024;
const MAX_PER_FOLDER = 8;

/** Config files beside `logFile` (else one folder up), most likely first (names with config/train). */
export async function findNearbyConfigs(logFile: string): Promise<NearbyConfig[]> {
  const out: NearbyConfig[] = [];
  const self = path.resolve(logFile);
  const dirs = [path.dirname(self), path.dirname(path.dirname(self))];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      continue;
    }
    const candidates = names
      .filter((n) => CONFIG_FILE.test(n) && n !== 'trainer_state.json' && path.join(dir, n) !== self)
      .sort((a, b) => Number(/config|train/i.test(b)) - Number(/config|train/i.test(a)) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, MAX_PER_FOLDER);
    for (const n of candidates) {
      const file = path.join(dir, n);
      try {
        const st = await fsp.lstat(file);
        if (!st.isFile() || st.size > MAX_CONFIG_BYTES) continue;
        out.push({ file, text: await fsp.readFile(file, 'utf8') });
      } catch {
        /* unreadable: skip */
      }
    }
    if (out.length) break;
  }
  return out;
}

export interface ConfigModel {
  /** Active parameters N. */
  params: number;
  tokensPerStep?: number;
  /** Where they came from, for the summary. */
  note: string;
}

/**
 * The first config that gives a parameter count (and its tokens per step, when it has one). A
 * config that is hostile or broken (an alias bomb, 170 KB of nested brackets, a cycle) is skipped,
 * never failing the log's analysis; when `skipped` is given, it gets one line per such config
 * saying why, for the log's problems.
 */
export function modelFromConfigs(configs: readonly NearbyConfig[], skipped?: string[]): ConfigModel | undefined {
  for (const c of configs) {
    const name = path.basename(c.file);
    let cfg: ReturnType<typeof analyzeConfig>;
    try {
      cfg = analyzeConfig(c.text, c.file);
    } catch (e) {
      skipped?.push(`${name} beside the log was not used: ${e instanceof Error ? e.message : String(e)}`);
      continue; // a config we cannot read is not the log's problem
    }
    const N = cfg?.params?.active;
    if (!cfg || !N) {
      // Only the readers' budget and depth refusals are worth a line: any YAML or JSON file may sit beside a log.
      const format = cfg ? undefined : detectConfigFormat(c.file, c.text);
      const problems = cfg ? cfg.problems : format ? readConfig(c.text, format).problems : [];
      const refused = problems.find((p) => p.severity === 'error' && /not read/.test(p.message));
      if (refused) skipped?.push(`${name} beside the log was not used: ${refused.message}`);
      continue;
    }
    const tps = cfg.breakdown.tokensPerStep;
    return {
      params: N,
      tokensPerStep: tps && tps > 0 ? tps : undefined,
      note: `N = ${formatInteger(N)} parameters from ${name}`,
    };
  }
  return undefined;
}

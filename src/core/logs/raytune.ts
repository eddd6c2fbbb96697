/**
 * A Ray Tune trial folder (`~/ray_results/<experiment>/<trial>/`): `progress.csv` (one row a reported
 * iteration; `training_iteration` its counter) or `result.json` (the same rows as JSON lines), read as
 * any CSV or JSON-lines log, and `params.json`, the trial's configuration (its searched
 * hyperparameters): the run's params (nested keys joined by '/', as Ray's `config/…` columns are) and
 * its config. An experiment folder is a set of trials (runs.ts).
 */
import * as path from 'node:path';
import { parseJsonLenient } from './json';
import { baseName } from './collector';
import { readSmallText } from './textfiles';
import type { ParsedLog, ParseOptions } from './types';
import { rayTrialLabel, rayTuneTrialLog } from './raytuneFiles';
import { LogReadError } from './errors';

/** params.json's scalars, nested keys joined by '/', at most 2,000 of them, 6 levels deep (own properties only). */
function flatParams(v: unknown, prefix = '', out: [string, string][] = [], depth = 0): [string, string][] {
  if (out.length >= 2000 || depth > 6 || typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    const key = prefix ? `${prefix}/${k}` : k;
    if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') out.push([key, String(x)]);
    else if (typeof x === 'object' && x !== null && !Array.isArray(x)) flatParams(x, key, out, depth + 1);
    if (out.length >= 2000) break;
  }
  return out;
}

/** A trial folder as one log: its progress.csv (or result.json), with params.json as its params and config. */
export async function parseRayTuneTrial(dir: string, parse: (file: string, opts: ParseOptions) => Promise<ParsedLog>, opts: ParseOptions = {}): Promise<ParsedLog> {
  const file = await rayTuneTrialLog(dir);
  if (!file) throw new LogReadError(`${dir}: not a Ray Tune trial (no params.json beside a progress.csv or result.json)`);
  const log = await parse(file, opts);
  const paramsFile = path.join(dir, 'params.json');
  const text = await readSmallText(paramsFile, 1 << 20);
  let params: [string, string][] = [];
  if (text !== undefined) {
    try { params = flatParams(parseJsonLenient(text)); } catch (e) {
      log.problems.push({ line: 0, severity: 'warning', message: `${baseName(dir)}: params.json is not JSON (${(e as Error).message.slice(0, 120)}); the trial's configuration is not read` });
    }
  }
  // RLlib's algorithm config (`env`, `framework`, AlgorithmConfig's private keys): its `num_epochs`
  // (`num_sgd_iter` before) is the SGD passes over each sampled batch, not passes over a dataset: not
  // read as the run's epochs (a real PPO trial's 30 had been "30 passes over its data").
  const keys = new Set(params.map(([k]) => k));
  if (keys.has('env') && (keys.has('framework') || params.some(([k]) => k.startsWith('_AlgorithmConfig')))) {
    const rlEpochs = params.filter(([k]) => k === 'num_epochs' || k === 'num_sgd_iter');
    if (rlEpochs.length) {
      params = params.filter(([k]) => k !== 'num_epochs' && k !== 'num_sgd_iter');
      log.problems.push({ line: 0, severity: 'info', message: `${baseName(dir)}: an RLlib trial: its ${rlEpochs.map(([k, v]) => `${k} = ${v}`).join(', ')} counts the SGD passes over each sampled batch, not passes over a dataset, and is not read as the run's epochs` });
    }
  }
  log.run = { ...(log.run ?? {}), name: rayTrialLabel(baseName(dir)), ...(params.length ? { params } : {}), ...(text !== undefined ? { configs: [{ file: paramsFile, text }] } : {}) };
  log.problems.push({ line: 0, severity: 'info', message: `${baseName(dir)}: a Ray Tune trial: ${baseName(file)} (a row each reported iteration, training_iteration its step), params.json its configuration${params.length ? ` (${params.length} value${params.length === 1 ? '' : 's'})` : ''}` });
  return log;
}

/**
 * Which folders are Ray Tune trials, by their entries' names alone (the extension host's watchers and
 * menus use these; the reader, raytune.ts, stays in the workers). A trial folder holds `params.json`
 * (its configuration) beside `progress.csv` (one row a reported iteration) or `result.json` (the same
 * rows as JSON lines); an experiment folder holds trial folders (and Ray's experiment_state-*.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseName } from './collector';
import { isFile } from './textfiles';
import { walkFiles, type RunRef } from './walk';

/**
 * A trial's name as a label: its folder's name without the date Ray appends
 * (`PPO_CartPole-v1_b048f_00000_0_lr=0.0100_2024-11-14_02-03-49` → `…_lr=0.0100`; Ray 0.7 added a
 * random tail after it); its trainable, trial id and searched values stay.
 */
export function rayTrialLabel(folder: string): string {
  const short = folder.replace(/_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}[a-z0-9]{0,12}$/i, '');
  return short || folder;
}

/** The log of a trial folder: progress.csv, else result.json; undefined when it is no trial (no params.json). */
export async function rayTuneTrialLog(dir: string): Promise<string | undefined> {
  if (!(await isFile(path.join(dir, 'params.json')))) return undefined;
  for (const n of ['progress.csv', 'result.json']) if (await isFile(path.join(dir, n))) return path.join(dir, n);
  return undefined;
}

/** The Ray Tune trial a file belongs to (its progress.csv, result.json or params.json). */
export async function rayTuneTrialOf(file: string): Promise<string | undefined> {
  const name = baseName(file);
  if (name !== 'progress.csv' && name !== 'result.json' && name !== 'params.json') return undefined;
  const dir = path.dirname(file);
  return (await rayTuneTrialLog(dir)) ? dir : undefined;
}

/** The trials under a folder (itself, or trial folders up to 3 levels down), in path order. */
export async function listRayTuneRuns(dir: string): Promise<RunRef[]> {
  if (await rayTuneTrialLog(dir)) return [{ path: dir, name: rayTrialLabel(baseName(dir)), kind: 'raytune' }];
  const found = await walkFiles(dir, (n) => baseName(n) === 'params.json', { depth: 3, entries: 20000, files: 5000 });
  const out: RunRef[] = [];
  for (const d of [...new Set(found.files.map((f) => path.dirname(f)))].sort()) {
    if (await rayTuneTrialLog(d)) out.push({ path: d, name: rayTrialLabel(path.relative(dir, d).split(path.sep).join('/') || baseName(d)), kind: 'raytune' });
  }
  return out;
}

/** An experiment folder of Ray's: its experiment_state-*.json beside trial folders. */
export async function isRayTuneExperiment(dir: string): Promise<boolean> {
  try {
    return (await fs.promises.readdir(dir)).some((n) => /^experiment_state-.{1,80}\.json$/.test(n));
  } catch {
    return false;
  }
}

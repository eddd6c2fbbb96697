/**
 * Which files and folders are runs (TensorBoard event files, W&B and MLflow run folders), by name
 * and a few head bytes, without the readers: the extension host's watchers and menus use these, and
 * the readers (runs.ts, wandb.ts with its YAML) stay out of the host's bundle.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDir, isFile, readSmallText } from './textfiles';
import { isTfeventsName, looksLikeTfRecord } from './tfevents';
import { isMlflowRun } from './mlflow';
import { dvcliveRunOf } from './dvclive';
import { allennlpRunOf } from './allennlpFiles';
import { isRayTuneExperiment, rayTuneTrialOf } from './raytuneFiles';
import { walkFiles, type RunKind } from './walk';
import { readHead as readRegularHead } from '../files';
import { baseName } from './collector';

/** A file that marks a run folder: an event file, a .wandb log, an MLflow meta.yaml, a W&B summary, DVCLive's metrics.json, AllenNLP's metrics_epoch_N.json, a Ray Tune trial's progress.csv. */
export function isRunFileName(name: string): boolean {
  return isTfeventsName(name) || /(^|[\\/])(meta\.yaml|wandb-summary\.json|metrics\.json|metrics_epoch_\d{1,7}\.json|progress\.csv|[^\\/]*\.wandb)$/.test(name);
}

/** Run files under a folder just created (watchers may report a new folder but not the files in it). */
export async function runFilesUnder(dir: string): Promise<string[]> {
  return (await walkFiles(dir, isRunFileName, { depth: 3, entries: 5000, files: 256 })).files;
}

/** The binary run-log format of a file, by name or by its first bytes; undefined for other files. */
export function binaryRunFormat(name: string, head: Uint8Array): RunKind | undefined {
  if (head.length >= 7 && head[0] === 0x3a && head[1] === 0x57 && head[2] === 0x26 && head[3] === 0x42) return 'wandb';
  if (looksLikeTfRecord(head)) return 'tfevents';
  if (isTfeventsName(name) && head.length < 12) return 'tfevents';
  return undefined;
}

/** A W&B run folder (`run-*` or `offline-run-*` with files/ or a .wandb log), or its files/ folder. */
export async function wandbRunFiles(dir: string): Promise<{ run: string; files: string; log?: string } | undefined> {
  let run = dir;
  if (baseName(dir) === 'files' && /^(offline-)?run-/.test(baseName(path.dirname(dir)))) run = path.dirname(dir);
  if (!/^(offline-)?run-/.test(baseName(run)) && !(await isFile(path.join(run, 'files', 'wandb-summary.json')))) return undefined;
  let log: string | undefined;
  try {
    for (const e of await fs.promises.readdir(run, { withFileTypes: true })) if (e.isFile() && e.name.endsWith('.wandb')) { log = path.join(run, e.name); break; }
  } catch {
    return undefined;
  }
  const files = path.join(run, 'files');
  if (!log && !(await isDir(files))) return undefined;
  return { run, files, log };
}

/**
 * The run folders a file belongs to, for the explorer's menus: an event file's folder (and the
 * parent of Keras' train/ and validation/), an MLflow run (and its experiment), a W&B run, a DVCLive folder.
 */
export async function runFoldersOf(file: string): Promise<string[]> {
  const name = baseName(file);
  const dir = path.dirname(file);
  if (isTfeventsName(name)) {
    // By name and content: a file named like an event file whose first bytes are not a TFRecord
    // header is not one (a file just created, still shorter than a header, may be).
    const head = await readRegularHead(file, 12);
    if (head === undefined || binaryRunFormat(name, head) !== 'tfevents') return [];
    const out = [dir];
    if (/^(train|training|validation|valid|val|eval|test)$/i.test(baseName(dir))) out.push(path.dirname(dir));
    return out;
  }
  if (name === 'meta.yaml' && (await isMlflowRun(dir))) {
    const exp = path.dirname(dir);
    return (await readSmallText(path.join(exp, 'meta.yaml'), 65536)) !== undefined ? [dir, exp] : [dir];
  }
  const dv = /\.(tsv|json|yaml)$/i.test(name) ? await dvcliveRunOf(file) : undefined;
  if (dv) return [dv];
  const an = /\.json$/i.test(name) ? await allennlpRunOf(file) : undefined;
  if (an) return [an];
  // A Ray Tune trial, and its experiment when Ray's experiment_state-*.json marks it.
  const rt = await rayTuneTrialOf(file);
  if (rt) return (await isRayTuneExperiment(path.dirname(rt))) ? [rt, path.dirname(rt)] : [rt];
  if (name === 'wandb-summary.json' || name.endsWith('.wandb')) {
    const w = await wandbRunFiles(name.endsWith('.wandb') ? dir : path.dirname(dir));
    return w ? [w.run] : [];
  }
  return [];
}

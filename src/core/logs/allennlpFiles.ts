/**
 * Which folders are AllenNLP serialization folders (`metrics_epoch_N.json` files), by their entries'
 * names alone: the extension host's watchers and menus use these, the reader (allennlp.ts) stays in
 * the workers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseName } from './collector';
import { isFile } from './textfiles';
import { walkFiles, type RunRef } from './walk';

/** `metrics_epoch_12.json`: group 1 the epoch. */
export const ALLENNLP_EPOCH_FILE = /^metrics_epoch_(\d{1,7})\.json$/;

/** The epoch files of a folder (regular files only), in epoch order. */
export async function epochFiles(dir: string): Promise<Array<{ epoch: number; file: string }> | undefined> {
  let list: fs.Dirent[];
  try { list = await fs.promises.readdir(dir, { withFileTypes: true }); } catch { return undefined; }
  const out: Array<{ epoch: number; file: string }> = [];
  for (const e of list) {
    const m = ALLENNLP_EPOCH_FILE.exec(e.name);
    if (m && e.isFile()) out.push({ epoch: Number(m[1]), file: path.join(dir, e.name) });
  }
  return out.sort((a, b) => a.epoch - b.epoch);
}

/** An AllenNLP serialization folder: a `metrics_epoch_N.json` in it. */
export async function isAllennlpRun(dir: string): Promise<boolean> {
  if (await isFile(path.join(dir, 'metrics_epoch_0.json'))) return true;
  const files = await epochFiles(dir);
  return !!files && files.length > 0;
}

/** The AllenNLP folder a file belongs to (an epoch file, or config.json / metrics.json beside them). */
export async function allennlpRunOf(file: string): Promise<string | undefined> {
  const name = baseName(file);
  if (!ALLENNLP_EPOCH_FILE.test(name) && name !== 'metrics.json' && name !== 'config.json') return undefined;
  const dir = path.dirname(file);
  return (await isAllennlpRun(dir)) ? dir : undefined;
}

/** The AllenNLP runs under a folder (itself, or serialization folders up to 3 levels down). */
export async function listAllennlpRuns(dir: string): Promise<RunRef[]> {
  if (await isAllennlpRun(dir)) return [{ path: dir, name: baseName(dir), kind: 'allennlp' }];
  const found = await walkFiles(dir, (n) => ALLENNLP_EPOCH_FILE.test(baseName(n)), { depth: 3, entries: 20000, files: 20000 });
  const dirs = [...new Set(found.files.map((f) => path.dirname(f)))].sort();
  return dirs.map((d) => ({ path: d, name: path.relative(dir, d).split(path.sep).join('/') || baseName(d), kind: 'allennlp' as const }));
}


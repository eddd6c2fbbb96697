/**
 * A log holding several runs one after another (a sweep's runs printed to one console, trials of a
 * search appended to one metrics file), cut into one file per run. The reader keeps only the last run
 * and records where each later one starts (ParseStats.runStarts); this writes every run beside the log,
 * each in a folder of its own (`<stem>-runs/run-<k>/<name>`), never into an existing folder, so each
 * is a run the Runs view lists and can be fitted and compared. Used by the CLI (`scaling-lens split`)
 * and the editor's worker alike.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { openRegular } from '../files';
import { throwIfCancelled } from '../cancel';
import { parseLogFile } from './parse';
import { isNotebookLog } from './notebook';

/** Formats whose lines can be cut apart (a CSV's header is repeated at the top of each part). */
const SPLITTABLE = new Set(['text', 'jsonl', 'csv']);
/** The largest log split (it is read whole). */
export const MAX_SPLIT_BYTES = 256 * 2 ** 20;
/** The most runs one log is cut into. */
export const MAX_SPLIT_RUNS = 1000;

/**
 * The text of each run: lines before the first of `starts` (1-based lines where a later run's first
 * row is), then each stretch from one start to the next. `header`: lines put at the top of every part
 * after the first (a CSV's header line).
 */
export function splitRunTexts(text: string, starts: readonly number[], header = ''): string[] {
  const lines = text.split('\n');
  const cuts = [...new Set(starts)].filter((s) => s > 1 && s <= lines.length).sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const s of [...cuts, lines.length + 1]) {
    const part = lines.slice(from, s - 1).join('\n');
    out.push(out.length === 0 || !header ? part : `${header}\n${part}`);
    from = s - 1;
  }
  // Each part ends with a line end (the last keeps the file's own ending).
  return out.map((p, i) => (i < out.length - 1 && !p.endsWith('\n') ? `${p}\n` : p));
}

/**
 * The folder the runs of `file` are written to, beside it: `hp_search.log` → `hp_search-runs/`. Each
 * run gets a folder of its own in it (`run-3/hp_search.log`, the log's own name kept), as the Runs
 * view, Compare Runs and Fit Across Runs find runs: one folder each.
 */
export function runsFolderOf(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}-runs`);
}

/** Run k's file: `hp_search-runs/run-3/hp_search.log`. */
export function runFileName(file: string, k: number): string {
  return path.join(runsFolderOf(file), `run-${k}`, path.basename(file));
}

export interface SplitResult {
  /** Runs found in the log (1: nothing to split). */
  runs: number;
  /** Files written, one per run, in the log's order. */
  files: string[];
  /** The folder they are in (`<stem>-runs`, a folder per run inside). */
  folder?: string;
  /** Why nothing was written, when nothing was. */
  note?: string;
}

/** Splits `file` into its runs (see the module's comment). Refuses, saying why, rather than overwrite a file. */
export async function splitRunsOfFile(file: string, opts: { signal?: AbortSignal } = {}): Promise<SplitResult> {
  const log = await parseLogFile(file, { signal: opts.signal });
  const name = path.basename(file);
  const starts = log.stats.runStarts ?? [];
  if (starts.length === 0) return { runs: 1, files: [], note: `${name} holds one run: nothing to split` };
  // A notebook's lines are its outputs' (a run starts again in the text of a cell), not the file's JSON lines.
  if (isNotebookLog(log)) return { runs: starts.length + 1, files: [], note: `${name}: a notebook's runs are not split into files (its lines are its cells' output, not the file's); each run's cell output saved as a text log can be split` };
  if (!SPLITTABLE.has(log.format)) return { runs: starts.length + 1, files: [], note: `${name}: only text, CSV and JSONL logs are split (this one is ${log.format})` };
  if (starts.length + 1 > MAX_SPLIT_RUNS) return { runs: starts.length + 1, files: [], note: `${name} holds ${starts.length + 1} runs, more than ${MAX_SPLIT_RUNS}: not split` };
  throwIfCancelled(opts.signal);
  const { fh, size } = await openRegular(file);
  let text: string;
  try {
    if (size > MAX_SPLIT_BYTES) return { runs: starts.length + 1, files: [], note: `${name} is ${Math.round(size / 2 ** 20)} MB, more than ${MAX_SPLIT_BYTES / 2 ** 20} MB: not split` };
    // Read and written as latin1: one character a byte, so every byte is written back as it was
    // (a non-UTF-8 byte too), and lines are cut at the same '\n' bytes.
    text = await fh.readFile('latin1');
  } finally { await fh.close(); }
  const header = log.format === 'csv' ? text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length).replace(/\r$/, '') : '';
  const parts = splitRunTexts(text, starts, header);
  const files = parts.map((_, i) => runFileName(file, i + 1));
  const folder = runsFolderOf(file);
  throwIfCancelled(opts.signal);
  // The folder is made here, or nothing is written (never into, or over, what is there).
  try {
    await fsp.mkdir(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { runs: parts.length, files: [], note: `${path.basename(folder)} already exists beside ${name}: nothing written (move it away to split ${name} again)` };
    throw e;
  }
  for (let i = 0; i < parts.length; i++) {
    await fsp.mkdir(path.dirname(files[i]));
    await fsp.writeFile(files[i], parts[i], { flag: 'wx', encoding: 'latin1' });
  }
  return { runs: parts.length, files, folder };
}

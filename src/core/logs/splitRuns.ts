/**
 * A log holding several runs one after another (a sweep's runs printed to one console, trials of a
 * search appended to one metrics file), cut into one file per run. The reader keeps only the last run
 * and records where each later one starts (ParseStats.runStarts); this writes every run beside the log
 * as `<name>.run-<k><ext>`, never over an existing file, so each can be fitted and compared. Used by
 * the CLI (`scaling-lens split`) and the editor's worker alike.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { openRegular } from '../files';
import { throwIfCancelled } from '../cancel';
import { parseLogFile } from './parse';

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

/** `hp_search.log` → `hp_search.run-3.log`. */
export function runFileName(file: string, k: number): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.run-${k}${ext}`);
}

export interface SplitResult {
  /** Runs found in the log (1: nothing to split). */
  runs: number;
  /** Files written, one per run, in the log's order. */
  files: string[];
  /** Why nothing was written, when nothing was. */
  note?: string;
}

/** Splits `file` into its runs (see the module's comment). Refuses, saying why, rather than overwrite a file. */
export async function splitRunsOfFile(file: string, opts: { signal?: AbortSignal } = {}): Promise<SplitResult> {
  const log = await parseLogFile(file, { signal: opts.signal });
  const name = path.basename(file);
  const starts = log.stats.runStarts ?? [];
  if (starts.length === 0) return { runs: 1, files: [], note: `${name} holds one run: nothing to split` };
  if (!SPLITTABLE.has(log.format)) return { runs: starts.length + 1, files: [], note: `${name}: only text, CSV and JSONL logs are split (this one is ${log.format})` };
  if (starts.length + 1 > MAX_SPLIT_RUNS) return { runs: starts.length + 1, files: [], note: `${name} holds ${starts.length + 1} runs, more than ${MAX_SPLIT_RUNS}: not split` };
  throwIfCancelled(opts.signal);
  const { fh, size } = await openRegular(file);
  let text: string;
  try {
    if (size > MAX_SPLIT_BYTES) return { runs: starts.length + 1, files: [], note: `${name} is ${Math.round(size / 2 ** 20)} MB, more than ${MAX_SPLIT_BYTES / 2 ** 20} MB: not split` };
    text = await fh.readFile('utf8');
  } finally { await fh.close(); }
  const header = log.format === 'csv' ? text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length).replace(/\r$/, '') : '';
  const parts = splitRunTexts(text, starts, header);
  const files = parts.map((_, i) => runFileName(file, i + 1));
  for (const f of files) {
    const taken = await fsp.lstat(f).then(() => true, () => false);
    if (taken) return { runs: parts.length, files: [], note: `${path.basename(f)} already exists: nothing written (move it away to split ${name} again)` };
  }
  throwIfCancelled(opts.signal);
  const written: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    await fsp.writeFile(files[i], parts[i], { flag: 'wx' });
    written.push(files[i]);
  }
  return { runs: parts.length, files: written };
}

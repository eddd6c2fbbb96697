/**
 * Which files are training logs (or eval tables), by name and the head of their content, never by
 * name alone. One definition for the editor's log index: a file opened in the editor is checked on
 * the worker when there is one (the host's fallback: one 16 KB head, more for a text log with a long
 * preamble, up to MAX_PREAMBLE_CHARS), a workspace scan's files there too (`detectLogFiles`), so a scan
 * of thousands of files costs the host thread nothing.
 */
import * as path from 'node:path';
import { readHead } from './files';
import { gzInnerName, gzipHead, isGzipName } from './logs/gzip';
import { decideFormat, GLOG_PREFIX, LOG_FILE_NAME_RE, LONG_HEAD_CHARS, looksLikeLog, MAX_PREAMBLE_CHARS, TEXT_LOG_NAME } from './logs/detect';
import { throwIfCancelled } from './cancel';
import { walkFiles } from './logs/walk';

/**
 * The manifest's `workspaceContains` activation events as one pattern (a test keeps them equal): the
 * editor scans a workspace only when it holds one of these (a workspace of training runs). Activated
 * by opening a JSON or text file in any other workspace, it checks the files opened, and no others.
 */
export const WORKSPACE_MARKERS = [
  '**/metrics.csv', '**/trainer_state.json', '**/*.jsonl', '**/events.out.tfevents.*',
  '**/mlruns/*/*/meta.yaml', '**/wandb/run-*/files/wandb-summary.json', '**/vis_data/scalars.json',
  '**/dvclive/metrics.json', '**/metrics_epoch_0.json',
  // Sacred's FileStorageObserver keeps each experiment's sources in `_sources/` beside the run folders.
  '**/_sources/*.py',
] as const;
export const MARKER_GLOB = `{${WORKSPACE_MARKERS.join(',')}}`;

/** File extensions the editor's log index watches (tables, JSON lines, JSON, text logs). */
export const LOG_CANDIDATE_EXTENSIONS = ['csv', 'tsv', 'jsonl', 'ndjson', 'json', 'log', 'txt', 'out'] as const;
const CANDIDATE_RE = new RegExp(`\\.(${LOG_CANDIDATE_EXTENSIONS.join('|')})(\\.gz)?$`, 'i');
/** Whether a file's name makes it worth reading its head (never a decision by itself); gzipped too (`train.jsonl.gz`). */
export const isLogCandidateName = (p: string): boolean => CANDIDATE_RE.test(p) || LOG_FILE_NAME_RE.test(gzInnerName(p));

/**
 * Candidate log files under a folder just created: a folder created with its files at once (a
 * logger starting a run, a folder moved or copied in) may be reported by the file watcher as the
 * folder alone, so its files are looked for here (bounded: 3 levels, 256 files).
 */
export async function logCandidatesUnder(dir: string): Promise<string[]> {
  return (await walkFiles(dir, isLogCandidateName, { depth: 3, entries: 5000, files: 256 })).files;
}

/** Bytes of a file's head read to decide. */
export const HEAD_BYTES = 16 * 1024;

/** Eval results come as tables or JSON lines. */
const isEvalName = (p: string): boolean => /\.(csv|tsv|jsonl|ndjson)$/i.test(p);

/**
 * A text log's longer head, read only when the first HEAD_BYTES of a .log/.txt/.out file decide
 * nothing: its metric lines may come after a printed training script (the NanoGPT speedrun logs
 * print 900+ lines of code first) or a very long first line. The parser reads as far to decide.
 */
export const TEXT_HEAD_BYTES = 256 * 1024;
const PRINTED_PROGRAM = /^[ \t]*(import \w|from [\w.]+ import |def \w|class \w)/m;
/** Composer (LLM Foundry) prints its whole resolved config, after this banner, before its first `[batch=N/T]:` block. */
/** A logger's line: `INFO`, NeMo's `[NeMo I …]`, glog's prefix (the Caffe reader's own). */
const LOGGING_RE = new RegExp(`\\bINFO\\b|\\[NeMo [DIWE] |^${GLOG_PREFIX}`, 'm');
const COMPOSER_CONFIG = /^\*{30}\r?\nConfig:\r?$/m;
/**
 * Frameworks that print their arguments and the model before the first metric line: fairseq (its
 * Namespace dump and model: the first `train_inner` line at 23 KB in a real log), Megatron (its
 * `--- arguments ---` block: the first iteration at 112 KB and 158 KB in two real Megatron-DeepSpeed logs),
 * PaddlePaddle's launchers (a real PaddleSeg log: 1,218 lines of environment and pip output, the first metric line at 65 KB).
 */
const ARGS_PREAMBLE = /fairseq|megatron|-{8} arguments -{8}|paddle/i;

/**
 * Whether `file` (a regular file: a named pipe is never opened) looks like a training log, from its
 * head (`head`: its first HEAD_BYTES when the caller has read them).
 */
export async function isTrainingLogFile(file: string, head?: Buffer): Promise<boolean> {
  // A gzipped log is judged by its text and its name without `.gz` (only the bytes needed are inflated).
  const gz = isGzipName(file);
  const headOf = (n: number) => (gz ? gzipHead(file, n) : readHead(file, n));
  const buf = gz ? await headOf(HEAD_BYTES) : head ?? await readHead(file, HEAD_BYTES);
  if (buf === undefined) return false;
  const name = path.basename(gzInnerName(file));
  if (looksLikeLog(name, buf.toString('utf8'))) return true;
  if (buf.length < HEAD_BYTES || !TEXT_LOG_NAME.test(name)) return false;
  // Only a head that may go on into a log reads further (a folder of text data shards reads 16 KB each):
  // one unbroken line, a printed program (Python imports, definitions), or tqdm progress bars (a
  // Trainer console whose buffered dicts come later: the first, in a real capture, at 106 KB).
  const text = buf.toString('latin1');
  const bars = text.includes('it/s') || text.includes('s/it');
  // Or a logger's lines (`[INFO]`, `INFO:`): a launcher's or framework's start-up output before the metrics
  // (a real TRL run under DeepSpeed: its first Trainer dict past 16 KB of DeepSpeed's INFO lines;
  // a real NeMo 2 run: its first training line at 28 KB, after `[NeMo I …]` and `[NeMo W …]` lines).
  // Or glog's (`I0821 09:21:09.346159  5405 solver.cpp:310] …`: a real Caffe console's first iteration
  // at line 601, after its printed solver and nets).
  const logging = LOGGING_RE.test(text);
  if (text.includes('\n') && !PRINTED_PROGRAM.test(text) && !bars && !logging && !COMPOSER_CONFIG.test(text) && !ARGS_PREAMBLE.test(text)) return false;
  const more = await headOf(TEXT_HEAD_BYTES);
  if (more === undefined || more.length <= buf.length) return false;
  if (looksLikeLog(name, more.toString('utf8'))) return true;
  if (more.length < TEXT_HEAD_BYTES) return false;
  // Past a longer preamble (a config printed again by each failed start), as far as the parser reads on.
  const all = await headOf(MAX_PREAMBLE_CHARS + LONG_HEAD_CHARS);
  return all !== undefined && decideFormat(name, all.toString('utf8'), false, { chars: 0, lines: 0 }).format === 'text';
}

/** Whether `file` (a regular file: a named pipe is never opened) looks like a training log or an eval table. */
export async function isLogFile(file: string): Promise<boolean> {
  const buf = await readHead(file, HEAD_BYTES);
  if (buf === undefined) return false;
  if (await isTrainingLogFile(file, buf)) return true;
  // The eval reader (papaparse) is loaded when an eval-named file is first judged, not with this module.
  return isEvalName(file) && (await import('./evals/read')).looksLikeEval(path.basename(file), buf.toString('utf8')) !== undefined;
}

/** The files among `files` that are logs, in their order; `concurrency` heads read at a time. */
export async function detectLogFiles(files: readonly string[], opts: { signal?: AbortSignal; concurrency?: number } = {}): Promise<string[]> {
  const is = new Array<boolean>(files.length).fill(false);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < files.length; i = next++) {
      throwIfCancelled(opts.signal);
      is[i] = await isLogFile(files[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, lane));
  return files.filter((_, i) => is[i]);
}

/**
 * Run folders and binary run logs: TensorBoard event files and folders, MLflow file-store runs and
 * experiments, W&B local runs. `parseRunPath` is the hook parseLogFile calls first: it returns
 * undefined for anything that is not one of these, and a ParsedLog (as from a CSV) otherwise.
 *
 * Folders are walked with limits (depth, entries, files); symbolic links are not followed and only
 * regular files are opened, so a named pipe or a link loop in a log folder cannot hang the reader.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogReadError } from './errors';
import { baseName, Collector, LAW_MIN_POINTS, lawPoints, ProblemLog, stepRange } from './collector';
import { isMlflowRun, listMlflowRuns, mlflowRunName, parseMlflowRun } from './mlflow';
import { isDvcliveRun, parseDvcliveRun } from './dvclive';
import { parseAllennlpRun } from './allennlp';
import { isAllennlpRun, listAllennlpRuns } from './allennlpFiles';
import { parseRayTuneTrial } from './raytune';
import { isRayTuneExperiment, listRayTuneRuns, rayTuneTrialLog } from './raytuneFiles';
import { SeriesSet } from './series';
import { readSmallText } from './textfiles';
import { listWandbRuns, parseWandbRun, wandbRunFiles } from './wandb';
import { isTfeventsName, TfeventsDecoder, tfeventsTime } from './tfevents';
import { binaryRunFormat } from './runFiles';
export { binaryRunFormat, isRunFileName, runFilesUnder, runFoldersOf } from './runFiles';
import type { ColumnInfo, ParsedLog, ParseOptions } from './types';

export { WALK_LIMITS, walkFiles } from './walk';
export type { RunKind, RunRef, WalkResult } from './walk';
import { WALK_LIMITS, walkFiles, type RunKind, type RunRef } from './walk';
import { Cancelled, isCancelled } from '../cancel';
import { plural } from '../format';

async function readHead(file: string, n: number): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}


/** A file's reader (parse.ts's parseLogFile, which imports this module and registers itself here). */
type FileParser = (file: string, opts: ParseOptions) => Promise<ParsedLog>;
let fileParser: FileParser | undefined;
/** parse.ts registers its parseLogFile: a Ray Tune trial's progress.csv is read as any CSV. */
export function setFileParser(f: FileParser): void { fileParser = f; }

/** A Ray Tune trial folder, its log read by the file reader. */
function parseTrial(dir: string, opts: ParseOptions): Promise<ParsedLog> {
  if (!fileParser) return Promise.reject(new LogReadError(`${dir}: no reader for its log`));
  return parseRayTuneTrial(dir, fileParser, opts);
}

/** The one cancellation error (src/core/cancel.ts), as the reader throws it. */
function abortError(): Error {
  return new Cancelled('parsing was cancelled');
}

/** Orders the event files of a run: by the time in their name, then by path. */
function byEventTime(a: string, b: string): number {
  const ta = tfeventsTime(baseName(a)), tb = tfeventsTime(baseName(b));
  if (ta !== tb && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * TensorBoard event files as one log. Files in the same folder are one run (restarts, several
 * writers) merged by step; files in different sub-folders (Keras' train/ and validation/, Lightning
 * versions) get the sub-folder as a tag prefix, as TensorBoard shows them as separate runs.
 */
export async function parseTfevents(files: string[], root: string, opts: ParseOptions = {}, note?: string): Promise<ParsedLog> {
  const sorted = [...files].sort(byEventTime);
  const multiDir = new Set(sorted.map((f) => path.dirname(f))).size > 1;
  const isDir = sorted.length > 1 || path.resolve(sorted[0] ?? root) !== path.resolve(root);
  const { log, set, rels } = await readEventFiles(sorted, root, opts, note, multiDir, isDir);
  // The last launch cannot be fitted at all (fewer points in every loss series than any law needs)
  // and an earlier one could: the folder is read as it stood before the launch that superseded the
  // latest one with enough points (k2/icefall's run folder: 31 launches, the last a crash stub of
  // steps 1 and 51 after one of 30 rows, steps 1–1451). Said, naming both event files.
  if (lawPoints(log) >= LAW_MIN_POINTS) return log;
  const launches = set.launches();
  const enough = [...launches].reverse().find((l) => l.lawGone >= LAW_MIN_POINTS);
  const k = enough ? rels.indexOf(enough.source) : -1;
  if (!enough || k <= 0) return log;
  let before: ParsedLog;
  try {
    before = (await readEventFiles(sorted.slice(0, k), root, { ...opts, onProgress: undefined }, note, multiDir, isDir)).log;
  } catch (e) {
    if (isCancelled(e)) throw e;
    return log;
  }
  if (lawPoints(before) < LAW_MIN_POINTS) return log;
  const stub = launches[launches.length - 1];
  const steps = (l: ParsedLog): string => {
    const st = l.columns.find((c) => c.role === 'step');
    const a = st && Object.prototype.hasOwnProperty.call(l.data, st.name) ? l.data[st.name] : undefined;
    return a && l.rows > 0 ? stepRange(a[0], a[l.rows - 1]) : '';
  };
  const aside = sorted.length - k;
  const stubSteps = steps(log);
  const message = `${baseName(root)}: the last launch, ${stub.source}, holds ${plural(lawPoints(log), 'point')} with a loss${stubSteps ? ` (${stubSteps})` : ''}, too few to fit (a loss-curve law needs at least ${LAW_MIN_POINTS}): the launch before it with enough points is read, ${enough.prev}${steps(before) ? `, ${steps(before)}` : ''} (${aside === 1 ? `the last event file, ${enough.source}, set aside` : `the ${aside} event files from ${enough.source} on set aside`})`;
  before.problems.push({ line: 0, severity: 'info', message });
  before.stats.launchRead = message;
  return before;
}

/** Reads the event files (sorted) as one log: the log, the series read, each file's name as the problems give it. */
async function readEventFiles(sorted: string[], root: string, opts: ParseOptions, note: string | undefined, multiDir: boolean, isDir: boolean): Promise<{ log: ParsedLog; set: SeriesSet; rels: string[] }> {
  const problems = new ProblemLog(baseName(root));
  if (note) problems.add('walk', 0, 'info', note);
  const set = new SeriesSet(root, 'tfevents', problems, opts);
  const dec = new TfeventsDecoder(set, problems);
  const rels: string[] = [];
  let total = 0;
  const sizes: number[] = [];
  for (const f of sorted) {
    let size = 0;
    try { size = (await fs.promises.stat(f)).size; } catch { /* reported when opened */ }
    sizes.push(size);
    total += size;
  }
  let done = 0;
  let bytes = 0, bad = 0, records = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (opts.signal?.aborted) throw abortError();
    const f = sorted[i];
    const rel = path.relative(isDir ? root : path.dirname(root), f).split(path.sep).join('/');
    rels.push(rel);
    const relDir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    const prefix = multiDir && relDir ? `${relDir}/` : '';
    try {
      const st = await dec.readFile(f, rel, prefix, { signal: opts.signal, onBytes: (b) => opts.onProgress?.(done + b, total) });
      bytes += st.bytes; bad += st.badRecords; records += st.records;
      if (st.records === 0 && st.bytes > 0 && st.badRecords === 0) problems.add('tf-empty', 0, 'info', `${rel}: no complete record yet`);
    } catch (e) {
      if (isCancelled(e)) throw e;
      if (sorted.length === 1) throw e instanceof LogReadError ? e : new LogReadError(`${rel}: cannot read (${(e as Error).message})`);
      problems.add('tf-file', 0, 'warning', `${rel}: ${(e as Error).message.replace(`${rel}: `, '')}; file skipped`);
    }
    done += sizes[i];
  }
  dec.finish();
  const log = set.finish('step');
  log.stats.bytes = bytes;
  log.stats.dropped = bad;
  if (records === 0 && log.rows === 0) problems.list.push({ line: 0, severity: 'error', message: `${baseName(root)}: no complete TensorBoard event in ${plural(sorted.length, 'file')}` });
  else if (log.columns.length <= 1) problems.list.push({ line: 0, severity: 'warning', message: `${baseName(root)}: ${records} events but no scalar summaries (images, histograms or graphs only)` });
  return { log, set, rels };
}

/**
 * The hook for parseLogFile: a directory (TensorBoard, MLflow or W&B run folder) or a binary run
 * log (event file, `.wandb`) becomes a ParsedLog; anything else gives undefined.
 */
export async function parseRunPath(p: string, opts: ParseOptions = {}, st?: fs.Stats): Promise<ParsedLog | undefined> {
  if (opts.signal?.aborted) throw abortError();
  if (!st) {
    try { st = await fs.promises.stat(p); } catch { return undefined; }
  }
  if (st.isDirectory()) return parseRunDir(p, opts);
  if (!st.isFile()) return undefined;
  const name = baseName(p);
  if (/\.wandb$/.test(name) && (await wandbRunFiles(path.dirname(p)))) return parseWandbRun(path.dirname(p), opts);
  if (!isTfeventsName(name)) return undefined;
  let head: Uint8Array;
  try { head = await readHead(p, 16); } catch { return undefined; }
  const kind = binaryRunFormat(name, head);
  if (kind === 'tfevents' || isTfeventsName(name)) return parseTfevents([p], p, opts);
  return undefined;
}

/** What a folder is, looking at its own entries (cheap: for the explorer's context key). */
export async function runFolderKind(dir: string): Promise<RunKind | 'runs' | undefined> {
  if (await isMlflowRun(dir)) return 'mlflow';
  if (await wandbRunFiles(dir)) return 'wandb';
  if (await isDvcliveRun(dir)) return 'dvclive';
  if (await isAllennlpRun(dir)) return 'allennlp';
  if (await rayTuneTrialLog(dir)) return 'raytune';
  let list: fs.Dirent[];
  try { list = await fs.promises.readdir(dir, { withFileTypes: true }); } catch { return undefined; }
  if (list.some((e) => e.isFile() && isTfeventsName(e.name))) return 'tfevents';
  return undefined;
}

/** A run folder (or a folder of runs) as one log. */
export async function parseRunDir(dir: string, opts: ParseOptions = {}): Promise<ParsedLog> {
  if (await isMlflowRun(dir)) return parseMlflowRun(dir, opts);
  if (await isDvcliveRun(dir)) return parseDvcliveRun(dir, opts);
  if (await isAllennlpRun(dir)) return parseAllennlpRun(dir, opts);
  // A Ray Tune trial (its progress.csv, not the event files Ray writes beside it), or an experiment of them.
  if (await rayTuneTrialLog(dir)) return parseTrial(dir, opts);
  if (await isRayTuneExperiment(dir)) {
    const trials = await listRayTuneRuns(dir);
    if (trials.length) return parseRunSet(dir, trials, opts);
  }
  const w = await parseWandbRun(dir, opts);
  if (w) return w;
  const yolo = await parseUltralyticsRun(dir, opts);
  if (yolo) return yolo;
  const ev = await walkFiles(dir, isTfeventsName);
  if (ev.files.length) {
    const note = ev.truncated ? `folder walk stopped at its limits (depth ${WALK_LIMITS.depth}, ${WALK_LIMITS.files} files): some event files may be left out` : undefined;
    return withHparams(await parseTfevents(ev.files, dir, opts, note), ev.files, dir);
  }
  const runs = [...(await listMlflowRuns(dir)), ...(await listWandbRuns(dir)), ...(await listAllennlpRuns(dir)), ...(await listRayTuneRuns(dir))];
  if (runs.length) return parseRunSet(dir, runs, opts);
  throw new LogReadError(`${dir}: a folder with no TensorBoard event files, MLflow run, W&B run, AllenNLP serialization folder or Ray Tune trial in it`);
}

/** Ultralytics' results.csv header: `epoch` first, then a loss term (YOLOv5 v6.1+ pads its names with spaces). */
const ULTRALYTICS_HEAD_RE = /^\s*epoch\s*,.*\btrain\/(?:box|giou)_loss\s*,/;
/** The configs an Ultralytics or YOLOv5 run folder holds beside its results.csv. */
const ULTRALYTICS_CONFIGS = ['args.yaml', 'hyp.yaml', 'opt.yaml'];

/**
 * An Ultralytics (YOLOv5 v6.1+, YOLOv8 and later) run folder, `runs/train/exp/`: its results.csv, a row
 * an epoch, rather than the event files YOLOv5 writes beside it (the same metrics, at a "step" that is
 * the epoch, unsaid), with the folder's args.yaml, hyp.yaml and opt.yaml as its configs: they give its
 * LR schedule and planned epochs. Undefined for any other folder.
 */
async function parseUltralyticsRun(dir: string, opts: ParseOptions): Promise<ParsedLog | undefined> {
  const file = path.join(dir, 'results.csv');
  let head: Uint8Array;
  try {
    if (!(await fs.promises.lstat(file)).isFile()) return undefined;
    head = await readHead(file, 4096);
  } catch { return undefined; }
  const line = Buffer.from(head).toString('utf8').split('\n', 1)[0];
  if (!fileParser || !ULTRALYTICS_HEAD_RE.test(line)) return undefined;
  const log = await fileParser(file, opts);
  const configs: { file: string; text: string }[] = [];
  for (const n of ULTRALYTICS_CONFIGS) {
    const f = path.join(dir, n);
    const text = await readSmallText(f, 512 * 1024);
    if (text !== undefined) configs.push({ file: f, text });
  }
  if (configs.length) log.run = { ...(log.run ?? {}), configs: [...configs, ...(log.run?.configs ?? [])] };
  const events = (await fs.promises.readdir(dir).catch(() => [] as string[])).some(isTfeventsName);
  log.problems.push({ line: 0, severity: 'info', message: `${baseName(dir)}: an Ultralytics YOLO run: read its results.csv (a row an epoch)${events ? ', not its event files (the same metrics, their steps its epochs)' : ''}${configs.length ? `, with its ${configs.map((c) => baseName(c.file)).join(', ')}` : ''}` });
  return log;
}

/** Lightning's hparams.yaml beside the event files: a config for the model size. */
async function withHparams(log: ParsedLog, files: string[], dir: string): Promise<ParsedLog> {
  const dirs = [dir, ...new Set(files.map((f) => path.dirname(f)))];
  for (const d of dirs) {
    const f = path.join(d, 'hparams.yaml');
    const text = await readSmallText(f, 512 * 1024);
    if (text !== undefined) { log.run = { ...log.run, configs: [{ file: f, text }] }; break; }
  }
  return log;
}

/** Parses one run (folder) of a set. */
function parseRun(r: RunRef, opts: ParseOptions): Promise<ParsedLog> {
  if (r.kind === 'mlflow') return parseMlflowRun(r.path, opts);
  if (r.kind === 'dvclive') return parseDvcliveRun(r.path, opts);
  if (r.kind === 'allennlp') return parseAllennlpRun(r.path, opts);
  if (r.kind === 'raytune') return parseTrial(r.path, opts);
  if (r.kind === 'wandb') return parseWandbRun(r.path, opts).then((l) => l ?? Promise.reject(new LogReadError(`${r.path}: not a W&B run`)));
  return parseRunDir(r.path, opts);
}

const MAX_SET = 200;

/**
 * Several runs as one log with a `run` column (the run names), rows of each run in turn: the shape
 * a CSV with a run column has, so curves come out one per run.
 */
export async function parseRunSet(dir: string, runs: RunRef[], opts: ParseOptions = {}): Promise<ParsedLog> {
  const problems = new ProblemLog(baseName(dir));
  if (runs.length > MAX_SET) problems.add('walk', 0, 'warning', `${runs.length} runs; the first ${MAX_SET} are read`);
  const logs: { ref: RunRef; log: ParsedLog }[] = [];
  for (const ref of runs.slice(0, MAX_SET)) {
    if (opts.signal?.aborted) throw abortError();
    try {
      logs.push({ ref, log: await parseRun(ref, { ...opts, onProgress: undefined }) });
    } catch (e) {
      if (isCancelled(e)) throw e;
      problems.add('run', 0, 'warning', `run ${ref.name}: ${(e as Error).message}; left out`);
    }
    opts.onProgress?.(logs.length, runs.length);
  }
  // Unique run labels (two runs may share a name).
  const seen = new Map<string, number>();
  const labels = logs.map(({ ref, log }) => {
    const base = log.run?.name ?? ref.name;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k === 1 ? base : `${base} (${k})`;
  });
  let runCol = 'run';
  const names = new Set(logs.flatMap(({ log }) => log.columns.map((c) => c.name)));
  for (let k = 2; names.has(runCol); k++) runCol = `run (${k})`;
  const format = logs[0]?.log.format ?? 'mlflow';
  const columns: ColumnInfo[] = [{ name: runCol, role: 'run', confidence: 1, reason: 'one run of the folder per label', numeric: false }];
  const byName = new Map<string, ColumnInfo>();
  for (const { log } of logs) for (const c of log.columns) if (!byName.has(c.name)) { byName.set(c.name, c); columns.push(c); }
  const c = new Collector(dir, format, 'run', problems, runCol);
  const where = new Map<string, number>();
  for (const { log } of logs) for (const name of Object.keys(log.data)) if (!where.has(name)) where.set(name, c.addColumn(name, byName.get(name)?.role ?? 'other'));
  let bytes = 0, read = 0, dropped = 0, superseded = 0;
  logs.forEach(({ ref, log }, i) => {
    bytes += log.stats.bytes; read += log.stats.rowsRead; dropped += log.stats.dropped; superseded += log.stats.superseded;
    for (const p of log.problems) problems.list.push({ ...p, message: `${ref.name}: ${p.message}` });
    const cols = Object.keys(log.data).map((n) => [where.get(n) as number, log.data[n]] as const);
    for (let r = 0; r < log.rows; r++) {
      for (const [j, arr] of cols) c.scratch[j] = arr[r];
      c.commit(log.lines[r], labels[i]);
    }
  });
  const out = c.finish(columns);
  out.stats.bytes = bytes; out.stats.rowsRead = read; out.stats.dropped = dropped; out.stats.superseded = superseded;
  // Restarts within the runs (each run is one segment of its own, not a restart).
  out.stats.segments = logs.length ? 1 + logs.reduce((a, { log }) => a + Math.max(0, log.stats.segments - 1), 0) : 0;
  out.run = {
    runs: logs.map(({ ref, log }, i) => {
      const { runs: _inner, ...meta } = log.run ?? {};
      return { name: labels[i], path: ref.path, ...(Object.keys(meta).length ? { meta } : {}) };
    }),
  };
  if (logs.length === 0) out.problems.push({ line: 0, severity: 'error', message: `${baseName(dir)}: none of the ${runs.length} runs could be read` });
  return out;
}

/** The runs a folder holds (one entry for a run folder), for multi-run views. */
export async function listRuns(dir: string): Promise<RunRef[]> {
  if (await isMlflowRun(dir)) return [{ path: dir, name: await mlflowRunName(dir), kind: 'mlflow' }];
  if (await isDvcliveRun(dir)) return [{ path: dir, name: baseName(dir), kind: 'dvclive' }];
  if (await isAllennlpRun(dir)) return [{ path: dir, name: baseName(dir), kind: 'allennlp' }];
  if ((await rayTuneTrialLog(dir)) || (await isRayTuneExperiment(dir))) return listRayTuneRuns(dir);
  const w = await wandbRunFiles(dir);
  if (w) return [{ path: w.run, name: baseName(w.run), kind: 'wandb' }];
  const ev = await walkFiles(dir, isTfeventsName);
  if (ev.files.length) {
    const byDir = new Map<string, true>();
    for (const f of ev.files) byDir.set(path.dirname(f), true);
    return [...byDir.keys()].sort().map((d) => ({ path: d, name: path.relative(dir, d).split(path.sep).join('/') || baseName(d), kind: 'tfevents' as const }));
  }
  return [...(await listMlflowRuns(dir)), ...(await listWandbRuns(dir)), ...(await listAllennlpRuns(dir)), ...(await listRayTuneRuns(dir))];
}


/** A cheap fingerprint of a run folder's files (count, total size, latest change) for caching. */
export async function runStamp(p: string): Promise<string> {
  const st = await fs.promises.stat(p);
  if (!st.isDirectory()) return `${st.size}:${st.mtimeMs}`;
  const { files } = await walkFiles(p, () => true, { depth: 5, entries: 20000, files: 5000 });
  let size = 0, mtime = 0;
  for (const f of files) {
    try { const s = await fs.promises.lstat(f); size += s.size; mtime = Math.max(mtime, s.mtimeMs); } catch { /* gone */ }
  }
  return `dir:${files.length}:${size}:${mtime}`;
}



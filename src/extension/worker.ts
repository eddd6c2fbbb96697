/**
 * Worker-thread entry (bundled to dist/worker.js): runs the one pipeline (src/core/pipeline.ts)
 * off the extension host's main loop. No `vscode` here. Keeps the last few parsed logs so changing
 * a chart option only refits.
 */
import { parentPort } from 'node:worker_threads';
import { statSync } from 'node:fs';
import { parseLogFile, runStamp } from '../core/logs';
import type { ParsedLog, ParseOptions } from '../core/logs';
import { analyzeFile, type WarmStart } from '../core/pipeline';
import { LiveLog } from '../core/logs/incremental';
import { isCancelled } from '../core/cancel';
import { DEFAULT_CACHE_MB, DEFAULT_LOG_MB, type ToWorker, type FromWorker, type RunsRequest, type RunsReplies } from './workerProtocol';
import { splitRunsOfFile } from '../core/logs/splitRuns';
import { discoverRuns, type RunInfo } from '../core/runs';
import { compareCurves, fitEachRun } from '../core/runs/curves';
import { fitRuns } from '../core/runs/fit';

/**
 * Per file: the parsed log, the incremental reader, whether `log` is the previous one grown (or the
 * same), and the last fit with the options it was made with (the next refit of a grown log starts
 * from its optimum).
 */
interface Cached { key: string; log: ParsedLog; live?: LiveLog; roles?: string; grew: boolean; fit?: { options: string; warm: WarmStart } }
const cache = new Map<string, Cached>();
const CACHE_SIZE = 4;
/**
 * The memory the cached logs' columns may hold (beyond the log read last, always kept), set by the
 * host from `scalingLens.memory.cacheMegabytes`. The columns are typed arrays, outside the heap that the
 * worker's resourceLimits bound: four 300 MB CSV logs (3.9M rows each) kept 812 MB of arrays and the
 * process grew to 1.8 GB; with a 256 MB budget, 284 MB and 1.0 GB.
 */
let cacheBytes = DEFAULT_CACHE_MB * 1048576;
/** The most one log's kept columns may take (`scalingLens.memory.logMegabytes`; ParseOptions.maxColumnBytes). */
let columnBytes = DEFAULT_LOG_MB * 1048576;

/**
 * The memory a parsed log's columns hold: the capacity of each distinct buffer behind them, and a
 * pointer per row of its text columns (run names; their strings are mostly shared).
 */
export function heldBytes(log: ParsedLog, seen = new Set<unknown>()): number {
  let n = 0;
  for (const a of [log.lines, ...Object.values(log.data)]) {
    if (seen.has(a.buffer)) continue;
    seen.add(a.buffer);
    n += a.buffer.byteLength;
  }
  for (const l of Object.values(log.labels ?? {})) {
    if (seen.has(l)) continue;
    seen.add(l);
    n += 8 * l.length;
  }
  return n;
}

/** Drops the least recently read logs until at most CACHE_SIZE remain and their columns fit `cacheBytes` (the last read stays). */
function trimCache(): void {
  const total = (): number => {
    const seen = new Set<unknown>();
    let n = 0;
    for (const c of cache.values()) n += heldBytes(c.log, seen);
    return n;
  };
  while (cache.size > CACHE_SIZE || (cache.size > 1 && total() > cacheBytes)) cache.delete(cache.keys().next().value as string);
}

/** Sets one log's column budget (the host's `memory` message; tests). */
export function setColumnBytes(bytes: number): void {
  columnBytes = bytes;
}

/** Sets the cache's memory budget (the host's `memory` message; tests). */
export function setCacheBytes(bytes: number): void {
  cacheBytes = Math.max(0, bytes);
  trimCache();
}

/** The files whose parsed log is cached, least recently read first (tests). */
export function cachedFiles(): string[] {
  return [...cache.keys()];
}
const running = new Map<number, AbortController>();

/**
 * Parse through the cache: the same file (size, mtime) — or run folder (its files' fingerprint) —
 * with the same role overrides is parsed once.
 */
async function cachedParse(file: string, opts: ParseOptions): Promise<ParsedLog> {
  const st = statSync(file);
  const stamp = st.isDirectory() ? await runStamp(file) : `${st.size}:${st.mtimeMs}`;
  opts = { ...opts, maxColumnBytes: columnBytes };
  // How it is read: the role overrides and the column budget (a reader kept open under another budget
  // would append past a smaller one's cut).
  const roles = `${columnBytes}:${JSON.stringify(opts.roleOverrides ?? {})}`;
  const key = `${stamp}:${roles}`;
  const hit = cache.get(file);
  if (hit?.key === key) {
    hit.grew = true;
    cache.delete(file);
    cache.set(file, hit);
    return hit.log;
  }
  // A file read before the same way: a growing log is read from where the last read ended
  // (incremental.ts; a truncated or rewritten file is read whole again).
  let live: LiveLog | undefined;
  let log: ParsedLog;
  let grew = false;
  if (st.isDirectory()) log = await parseLogFile(file, opts);
  else {
    live = hit?.live && hit.roles === roles ? hit.live : new LiveLog(file);
    const read = await live.read(opts);
    log = read.log;
    grew = read.mode !== 'full';
  }
  cache.delete(file);
  cache.set(file, { key, log, live, roles, grew, fit: grew ? hit?.fit : undefined });
  trimCache();
  return log;
}

/**
 * An AbortSignal that also reads the host's shared cancel flag, so the core's synchronous fit loops
 * (which poll `signal.aborted`) stop as soon as the host asks, without waiting for a message.
 */
function signalWithFlag(ac: AbortController, flag: Int32Array): AbortSignal {
  const signal = ac.signal;
  const proto = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted');
  Object.defineProperty(signal, 'aborted', {
    get: () => {
      if (Atomics.load(flag, 0) === 1 && !(proto?.get?.call(signal) as boolean)) ac.abort();
      return proto?.get?.call(signal) as boolean;
    },
  });
  return signal;
}

/** Runs one analysis request and reports through `send` (exported for tests of the worker's path). */
export async function handleAnalyze(req: Extract<ToWorker, { type: 'analyze' }>, send: (m: FromWorker) => void): Promise<void> {
  const ac = new AbortController();
  running.set(req.id, ac);
  const signal = signalWithFlag(ac, new Int32Array(req.cancelFlag));
  send({ type: 'started', id: req.id });
  // A log that only grew since its last fit with these options is refitted from that fit's optimum.
  const options = JSON.stringify([req.options, req.roleOverrides ?? {}]);
  let parsed: ParsedLog | undefined;
  try {
    const result = await analyzeFile(req.file, req.options, {
      roleOverrides: req.roleOverrides,
      evalRoleOverrides: req.evalRoleOverrides,
      trainLaw: req.trainLaw,
      parse: cachedParse,
      warmStart: (log) => {
        parsed = log;
        const c = cache.get(req.file);
        return c?.log === log && c.grew && c.fit?.options === options ? c.fit.warm : undefined;
      },
      signal,
      onProgress: (fraction, message) => send({ type: 'progress', id: req.id, fraction, message }),
    });
    const c = cache.get(req.file);
    if (c && parsed && c.log === parsed) c.fit = result.state.fit?.candidates ? { options, warm: { candidates: result.state.fit.candidates } } : undefined;
    send({ type: 'result', id: req.id, state: result.state, findings: result.findings });
  } catch (e) {
    send({ type: 'error', id: req.id, message: e instanceof Error ? e.message : String(e), cancelled: signal.aborted || isCancelled(e) });
  } finally {
    running.delete(req.id);
  }
}

/** Discovery results per root, reused while a run's files are unchanged. */
const runCaches = new Map<string, Map<string, { key: string; run: RunInfo }>>();

/** Runs one runs request (issue 12) and replies through `send`. */
export async function handleRuns(req: RunsRequest, send: (m: FromWorker) => void): Promise<void> {
  const ac = new AbortController();
  running.set(req.id, ac);
  const signal = ac.signal;
  const parse = (f: string) => cachedParse(f, { signal });
  try {
    let value: RunsReplies[RunsRequest['type']];
    switch (req.type) {
      case 'runs.discover': {
        let c = runCaches.get(req.root);
        if (!c) { c = new Map(); runCaches.set(req.root, c); }
        value = await discoverRuns(req.root, {
          tokensPerStep: req.tokensPerStep, overfitRisePercent: req.overfitRisePercent, limits: req.limits, cache: c, signal, maxColumnBytes: columnBytes,
          onProgress: (done, total, message) => send({ type: 'progress', id: req.id, fraction: total ? done / total : 0, message }),
        });
        break;
      }
      case 'runs.curves':
        value = await compareCurves(req.runs, { buckets: req.buckets, signal, parse });
        break;
      case 'runs.fitEach':
        value = await fitEachRun(req.runs, req.axis, { signal, parse, analyze: req.options });
        break;
      case 'runs.split':
        value = await splitRunsOfFile(req.file, { signal });
        break;
      case 'runs.fit':
        value = fitRuns(req.runs, req.options, { signal, onProgress: (fraction, message) => send({ type: 'progress', id: req.id, fraction, message }) });
        break;
    }
    send({ type: 'reply', id: req.id, value });
  } catch (e) {
    send({ type: 'error', id: req.id, message: e instanceof Error ? e.message : String(e), cancelled: signal.aborted || isCancelled(e) });
  } finally {
    running.delete(req.id);
  }
}

const port = parentPort;
if (port) {
  port.on('message', (m: ToWorker) => {
    if (m.type === 'analyze') void handleAnalyze(m, (r) => port.postMessage(r));
    else if (m.type.startsWith('runs.')) void handleRuns(m as RunsRequest, (r) => port.postMessage(r));
    else if (m.type === 'cancel') running.get(m.id)?.abort();
    else if (m.type === 'memory') {
      setColumnBytes(m.columnBytes);
      setCacheBytes(m.cacheBytes);
    }
  });
}

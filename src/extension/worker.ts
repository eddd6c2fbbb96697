/**
 * Worker-thread entry (bundled to dist/worker.js): parses and fits logs off the extension host's
 * main loop. No `vscode` here. Keeps the last few parsed logs so changing a chart option only refits.
 */
import { parentPort } from 'node:worker_threads';
import { statSync } from 'node:fs';
import { parseLogFile, runStamp } from '../core/logs';
import type { ParsedLog } from '../core/logs';
import { analyzeLog } from '../core/analyze';
import { analyzeConfig } from '../core/config';
import type { ToWorker, FromWorker } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('worker.js must run in a worker thread');

const cache = new Map<string, { key: string; log: ParsedLog }>();
const CACHE_SIZE = 4;
const running = new Map<number, AbortController>();

function send(m: FromWorker): void {
  port!.postMessage(m);
}

async function analyze(req: Extract<ToWorker, { type: 'analyze' }>): Promise<void> {
  const ac = new AbortController();
  running.set(req.id, ac);
  try {
    const st = statSync(req.file);
    // A run folder changes inside: fingerprint its files (count, sizes, latest change).
    const stamp = st.isDirectory() ? await runStamp(req.file) : `${st.size}:${st.mtimeMs}`;
    const key = `${stamp}:${JSON.stringify(req.roleOverrides)}`;
    let log = cache.get(req.file)?.key === key ? cache.get(req.file)!.log : undefined;
    if (!log) {
      let last = 0;
      log = await parseLogFile(req.file, {
        roleOverrides: req.roleOverrides,
        signal: ac.signal,
        onProgress: (read, total) => {
          const now = Date.now();
          if (now - last < 100) return;
          last = now;
          send({ type: 'progress', id: req.id, fraction: total > 0 ? 0.5 * (read / total) : 0, message: `Reading ${(read / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB` });
        },
      });
      cache.delete(req.file);
      cache.set(req.file, { key, log });
      while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    const options = { ...req.options };
    // Run folders carry their own config (MLflow params, W&B config, Lightning hparams.yaml): first.
    for (const c of [...(log.run?.configs ?? []), ...req.configs]) {
      if (options.params && options.params > 0) break;
      const cfg = analyzeConfig(c.text, c.file);
      const N = cfg?.params?.active;
      if (cfg && N) {
        options.params = N;
        const name = c.file.split(/[\\/]/).pop();
        options.configNote = `N = ${N.toLocaleString('en-US')} parameters from ${name}`;
        const tps = cfg.breakdown.tokensPerStep;
        if (tps && !(options.tokensPerStep > 0)) {
          options.tokensPerStep = tps;
          options.configNote += `, ${tps.toLocaleString('en-US')} tokens per step`;
        }
      }
    }
    const result = analyzeLog(log, {
      ...options,
      signal: ac.signal,
      onProgress: (fraction, message) => send({ type: 'progress', id: req.id, fraction, message }),
    });
    send({ type: 'result', id: req.id, state: result.state, findings: result.findings });
  } catch (e) {
    const aborted = ac.signal.aborted || (e instanceof Error && e.name === 'AbortError');
    send({ type: 'error', id: req.id, message: e instanceof Error ? e.message : String(e), aborted });
  } finally {
    running.delete(req.id);
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'analyze') void analyze(m);
  else if (m.type === 'cancel') running.get(m.id)?.abort();
});

/**
 * Worker-thread entry (bundled to dist/detectWorker.js): decides which files are training logs (by
 * name and head content, src/core/detectLogs) off the extension host's thread, for the log index
 * (the menus' `scalingLens.logFiles`). A worker of its own, so a file created or opened while a long
 * fit runs in the log worker gets its menus at once. No `vscode` here.
 */
import { parentPort } from 'node:worker_threads';
import { detectLogFiles } from '../core/detectLogs';
import type { DetectReply, DetectRequest } from './detectWorkerHost';

const port = parentPort;
if (port) {
  port.on('message', (m: DetectRequest) => {
    detectLogFiles(m.files).then(
      (logs) => port.postMessage({ id: m.id, logs } satisfies DetectReply),
      (e: unknown) => port.postMessage({ id: m.id, logs: [], error: e instanceof Error ? e.message : String(e) } satisfies DetectReply),
    );
  });
}

/**
 * Helper-thread entry of the parallel CSV read (see parallel.ts). Built by tsc to
 * out/src/core/logs/parseWorker.js and by esbuild to dist/parseWorker.js; started by parseLogFile.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CSV_PART_JOB, readCsvPart, type CsvPartJob } from './parallel';

const job = workerData as CsvPartJob | undefined;
if (!isMainThread && parentPort && job && job.kind === CSV_PART_JOB) {
  try {
    const r = readCsvPart(job);
    const transfer = [...r.block.cols.map((c) => c.buffer), r.block.lines.buffer] as ArrayBuffer[];
    parentPort.postMessage(r, [...new Set(transfer)]);
  } catch (e) {
    parentPort.postMessage({ error: (e as Error).message });
  }
}

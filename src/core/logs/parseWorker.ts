/**
 * Helper-thread entry of the parallel CSV / JSONL read (see parallel.ts). Built by tsc to
 * out/src/core/logs/parseWorker.js and by esbuild to dist/parseWorker.js; started by parseLogFile.
 */
import * as fs from 'node:fs';
import { isAscii } from 'node:buffer';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { baseName, ProblemLog } from './collector';
import { CSV_PART_BOOT, CSV_PART_JOB, type CsvPartJob, type CsvPartResult } from './parallel';
import { CsvReader, jsonlPartReader } from './parse';

/** Reads bytes [start, end) of a CSV or JSONL file with a plan (on a helper thread, or here in tests). */
function readPart(job: CsvPartJob): CsvPartResult {
  const fd = fs.openSync(job.file, 'r');
  try {
    const problems = new ProblemLog(baseName(job.file));
    const plan = job.plan;
    const reader = 'format' in plan ? jsonlPartReader(job.file, plan, problems, job.end - job.start) : new CsvReader(job.file, {}, problems, job.end - job.start, plan);
    if (job.shared && job.region !== undefined) reader.collector?.useShared(job.shared, job.region);
    const buf = Buffer.allocUnsafe(1 << 20);
    const decoder = new TextDecoder('utf-8');
    let ascii = true;
    for (let pos = job.start; pos < job.end;) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, job.end - pos), pos);
      if (n === 0) break;
      pos += n;
      const chunk = buf.subarray(0, n);
      if (ascii && isAscii(chunk)) { if (!reader.pushAscii?.(chunk)) reader.push(chunk.toString('latin1'), chunk); }
      else { ascii = false; reader.push(decoder.decode(chunk, { stream: true })); }
    }
    if (!ascii) reader.push(decoder.decode());
    return reader.endPart();
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the part and sends its rows (or the error). */
function run(job: CsvPartJob, port: NonNullable<typeof parentPort>): void {
  try {
    const r = readPart(job);
    // Rows written into the shared columns are not sent (only the views); the rest is transferred.
    const transfer = [...r.block.cols.map((c) => c.buffer), r.block.lines.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    port.postMessage(r, [...new Set(transfer)]);
  } catch (e) {
    port.postMessage({ error: (e as Error).message });
  }
}

const data = workerData as CsvPartJob | { kind: typeof CSV_PART_BOOT } | undefined;
const port = parentPort;
if (!isMainThread && port && data?.kind === CSV_PART_JOB) run(data, port);
else if (!isMainThread && port && data?.kind === CSV_PART_BOOT) {
  // Started before the file is cut (parallel.ts bootHelpers): ready now, the job comes next.
  port.once('message', (job: CsvPartJob) => run(job, port));
  port.postMessage({ ready: true });
}

/**
 * Helper-thread entry of the parallel Chinchilla grid (see gridParallel.ts). Built by tsc to
 * out/src/core/fit/gridWorker.js and by esbuild to dist/gridWorker.js; started by runGrid.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { GRID_JOB_KIND, GridJob, runGridHelper } from './gridParallel';

const job = workerData as GridJob | undefined;
if (!isMainThread && job && job.kind === GRID_JOB_KIND) runGridHelper(job);

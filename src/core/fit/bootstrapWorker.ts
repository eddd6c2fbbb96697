/**
 * Helper-thread entry of the bootstrap (see bootstrap.ts): rebuilds the law's refit from the job's
 * payload and claims resamples. Built by tsc to out/src/core/fit/bootstrapWorker.js and by esbuild to
 * dist/bootstrapWorker.js; started by runBootstrap.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { isBootstrapJob, runBootstrapHelper, type RefitOne } from './bootstrap';
import { chinchillaRefit, type ChinchillaRefitPayload } from './chinchilla';
import { kaplanRefit, type KaplanRefitPayload } from './kaplan';

function refitFor(law: string, payload: Record<string, unknown>): RefitOne | undefined {
  switch (law) {
    case 'chinchilla': return chinchillaRefit(payload as unknown as ChinchillaRefitPayload);
    case 'kaplan': return kaplanRefit(payload as unknown as KaplanRefitPayload);
    default: return undefined;
  }
}

const job: unknown = workerData;
if (!isMainThread && isBootstrapJob(job)) {
  const refit = refitFor(job.law.law, job.law.payload);
  if (refit) runBootstrapHelper(job, refit);
}

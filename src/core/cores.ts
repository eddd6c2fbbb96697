import * as os from 'node:os';

/** Cores available to this process (the parallel grid, bootstrap and parse size their helpers by it). */
export function coreCount(): number {
  const o = os as { availableParallelism?: () => number };
  const n = typeof o.availableParallelism === 'function' ? o.availableParallelism() : os.cpus().length;
  return Math.max(1, n || 1);
}

/**
 * Passes over the data from a logged epoch, apart from tail.ts (which reads files with papaparse) so
 * that the run-folder readers the extension host loads (series.ts) do not pull a CSV parser in.
 */
import { formatInteger } from '../format';
import type { ParsedLog } from './types';

export interface EpochsLogged {
  /** Passes over the data the run makes (planned, when the planned end is known), or has made so far. */
  count: number;
  /** Where that comes from, in words. */
  source: string;
  /** Steps a pass takes, when a whole pass or more was logged (the step over the epoch there). */
  stepsPerPass?: number;
}

/**
 * The passes over the data of a run whose epoch is logged as a fraction (Hugging Face: 0.01 … 3.0):
 * with the planned end, the passes the run is set for (epoch so far × planned steps / steps so far),
 * else the epoch reached. `what` names where the epoch was read.
 */
export function epochsFromFraction(epoch: number, step: number | undefined, planned: number | undefined, what: string): EpochsLogged | undefined {
  if (!(epoch >= 0 && epoch < 1e6)) return undefined;
  // At a whole pass or more, the epoch's rounding (to 2 decimals) errs by at most 0.5% on the steps a pass takes.
  const per = step && step > 0 && epoch >= 1 ? { stepsPerPass: step / epoch } : {};
  if (planned && step && step > 0 && planned > step && epoch > 0) {
    // To a tenth: the epoch is often logged rounded (1.03), which the ratio would magnify.
    const count = Math.round((10 * epoch * planned) / step) / 10;
    return { count, source: `${what}, ${epoch} at step ${formatInteger(step)} of ${formatInteger(planned)}`, ...per };
  }
  return { count: epoch, source: `${what} reaches ${epoch}`, ...per };
}

/**
 * Passes over the data from the epochs a log shows: logged as a fraction (some value not whole), as
 * epochsFromFraction reads its last value; else whole epochs first … last seen (Lightning, Keras:
 * counted from 0; some loops from 1). `what` names where they were read.
 */
export function epochsSeen(seen: { first: number; last: number; lastStep?: number; fractional: boolean }, planned: number | undefined, what: string): EpochsLogged | undefined {
  if (!(seen.last >= 0 && seen.last < 1e6)) return undefined;
  if (seen.fractional) return epochsFromFraction(seen.last, seen.lastStep, planned, what);
  return seen.last > seen.first ? { count: seen.last - seen.first + 1, source: `${what} counts epochs ${seen.first} to ${seen.last}` } : undefined;
}

/**
 * `epoch` when a log's steps are its epochs: a table of one row per epoch with no step column (Keras'
 * CSVLogger, YOLO's results.csv, timm's summary.csv), whose rows are read with the epoch as the step.
 */
export function stepUnitOf(log: Pick<ParsedLog, 'columns'>): 'epoch' | undefined {
  return log.columns.some((c) => c.role === 'epoch') && !log.columns.some((c) => c.role === 'step') ? 'epoch' : undefined;
}

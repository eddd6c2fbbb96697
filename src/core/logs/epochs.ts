/**
 * Passes over the data from a logged epoch, apart from tail.ts (which reads files with papaparse) so
 * that the run-folder readers the extension host loads (series.ts) do not pull a CSV parser in.
 */
import { formatInteger } from '../format';
import { own } from '../own';
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
 * An epoch count that is no limit: the Trainer writes `num_train_epochs` = sys.maxsize
 * (9223372036854775807) when `max_steps` ends a run over a dataset without a length (a real Whisper
 * run's trainer_state.json: read as 9.2e18 passes over its data).
 */
export const NO_EPOCH_LIMIT = 2 ** 31;

/**
 * The passes over its data of a run over a dataset without a length (a streamed dataset, which the
 * Trainer runs to `max_steps` with `num_train_epochs` = sys.maxsize): its logged epoch's fraction is
 * steps over max_steps, not a share of a pass, but its whole part goes up by one each time the stream
 * ends and starts again; a resumed run starts it again from 0. A real Whisper-tiny run's epoch went
 * 0 → 5, then 0 → 1 and 0 → 4 over two resumes: its data was seen about 12 times in 100,000 steps,
 * where its last epoch (4.01) says 4. Counted from the steps where the whole part goes up, in order
 * (rows sorted by step; a fall is a resume). `planned`: the planned last step (max_steps), when known.
 */
export function passesOfStream(step: ArrayLike<number>, epoch: ArrayLike<number>, planned: number | undefined, what: string): EpochsLogged | undefined {
  const ends: number[] = [];
  let prev = NaN, first = NaN, last = NaN;
  for (let i = 0; i < Math.min(step.length, epoch.length); i++) {
    const s = step[i], e = epoch[i];
    if (!Number.isFinite(s) || !Number.isFinite(e) || e < 0 || e >= 1e6) continue;
    if (!Number.isFinite(first)) first = s;
    last = s;
    const whole = Math.floor(e + 1e-9);
    if (Number.isFinite(prev) && whole > prev) ends.push(s);
    prev = whole;
  }
  if (ends.length === 0) return undefined;
  // A pass's length: the median gap between the stream's ends (the first pass from the run's first step).
  const gaps = ends.map((s, k) => s - (k === 0 ? Math.max(0, first) : ends[k - 1])).filter((g) => g > 0).sort((a, b) => a - b);
  const per = gaps.length ? gaps[gaps.length >> 1] : 0;
  if (!(per > 0)) return undefined;
  const end = planned && planned > last ? planned : last;
  // Passes by the run's end at that pace (to a tenth, as a planned end over planned passes gives a
  // pass's length), and at least those begun: the stream's ends seen and the pass after the last.
  const count = Math.max(ends.length + 1, Math.round((10 * end) / per) / 10);
  const at = planned && planned > last ? `; at that pace about ${count} passes by step ${formatInteger(planned)}` : '';
  return { count, source: `${what}: a dataset without a length whose stream started again ${ends.length} ${ends.length === 1 ? 'time' : 'times'} by step ${formatInteger(last)}, about every ${formatInteger(Math.round(per))} steps${at}`, stepsPerPass: per };
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

/** The names Keras gives the LR in its logs (`lr` before Keras 3, `learning_rate` since). */
const KERAS_LR_NAMES: ReadonlySet<string> = new Set(['lr', 'learning_rate']);

/**
 * Keras writes the LR into an epoch's logs only from a callback that sets it (ReduceLROnPlateau,
 * LearningRateScheduler), and the usual one cuts it when a monitored metric stalls: constant so far,
 * it can still fall at any later epoch (all three real Keras logs of test/fixtures did so: a CNN on
 * MNIST's validation loss fell 2.5× over two halvings in its last 13 epochs). `names`: the log's
 * columns; `where` says which Keras file. Undefined without a Keras LR column.
 */
export function kerasLrCuts(names: readonly string[], where: string): string | undefined {
  const lr = names.find((n) => KERAS_LR_NAMES.has(n));
  return lr ? `${where} logs the LR ("${lr}"), which Keras does only from a callback that sets it, most often ReduceLROnPlateau, which cuts it when a metric stalls` : undefined;
}

/**
 * A CSV header as Keras' CSVLogger writes it: `epoch`, then the epoch's log keys sorted.
 */
export function kerasCsvHeader(names: readonly string[]): boolean {
  if (names.length < 3 || names[0] !== 'epoch') return false;
  for (let i = 2; i < names.length; i++) if (!(names[i - 1] < names[i])) return false;
  return true;
}

/**
 * A Keras `History.history` saved as a CSV (`pd.DataFrame(history.history).to_csv(…)`): `loss` and
 * `val_loss`, every `val_` metric beside its training twin, and no column that counts steps or epochs
 * (pandas' index, unnamed, at most). Row k is the end of epoch k, as in the JSON form of the same
 * history: the log with an `epoch` column (1, 2, …), pandas' index no step, the passes and the LR cuts
 * said. Any other log is returned as it is.
 */
export function withHistoryEpochs(log: ParsedLog, names: readonly string[]): ParsedLog {
  if (log.kind !== 'run' || log.rows === 0) return log;
  const set = new Set(names);
  if (!set.has('loss') || !set.has('val_loss') || set.has('epoch')) return log;
  for (const n of names) if (n.startsWith('val_') && !set.has(n.slice(4))) return log;
  const index = pandasIndex(log);
  if (log.columns.some((c) => c !== index && (c.role === 'step' || c.role === 'epoch' || c.role === 'tokens' || c.role === 'flops' || c.role === 'run'))) return log;
  const epoch = new Float64Array(log.rows);
  for (let i = 0; i < epoch.length; i++) epoch[i] = i + 1;
  const why = 'no epoch column: row k is the end of epoch k (a Keras History saved as a CSV: loss and val_loss, a val_ twin for each metric)';
  let { columns, data } = log;
  if (index) {
    data = { ...data };
    delete data[index.name];
    columns = columns.map((c) => (c === index ? { ...c, role: 'other', confidence: 0.9, reason: "pandas' index (0, 1, 2, …), not a step" } : c));
  }
  const run = { ...(log.run ?? {}), epochsLogged: { count: log.rows, source: `the history's ${log.rows} rows, one per epoch (a Keras History saved as a CSV, without an epoch column)` } };
  const cuts = kerasLrCuts(names, 'This history');
  if (cuts && !run.lrCuts) run.lrCuts = cuts;
  return {
    ...log,
    columns: [{ name: 'epoch', role: 'epoch', confidence: 0.9, reason: why, numeric: true }, ...columns],
    data: { epoch, ...data },
    run,
  };
}

/** pandas' index written by `to_csv()` (an unnamed first column, 0, 1, 2, … on every row), taken for a step: not one. */
function pandasIndex(log: ParsedLog): ParsedLog['columns'][number] | undefined {
  const c = log.columns[0];
  const v = c && (c.name === 'column 1' || c.name === 'Unnamed: 0') && c.role === 'step' ? log.data[c.name] : undefined;
  if (!v || v.length !== log.rows) return undefined;
  for (let i = 0; i < v.length; i++) if (v[i] !== i) return undefined;
  return c;
}

/**
 * `epoch` when a log's steps are its epochs: a table of one row per epoch with no step column (Keras'
 * CSVLogger, YOLO's results.csv, timm's summary.csv), whose rows are read with the epoch as the step.
 */
export function stepUnitOf(log: Pick<ParsedLog, 'columns'>): 'epoch' | undefined {
  return log.columns.some((c) => c.role === 'epoch') && !log.columns.some((c) => c.role === 'step') ? 'epoch' : undefined;
}

/** What withBatchSteps made of a log whose epoch lines are its batches'. */
export interface BatchSteps {
  log: ParsedLog;
  /** The loss its step counts (its lines), and the lines an epoch takes (the median over the whole epochs). */
  loss: string;
  perEpoch: number;
}

/**
 * A hand-written loop that prints its batches' loss behind the epoch alone (`Epoch 1 - Batch loss:
 * 12.13`, hundreds of lines an epoch, no batch counter): read at the epoch, every line of an epoch
 * would sit on one x. When the loss with the most values has two or more lines in most epochs, its
 * lines are the run's steps, counted in order (a `step` column: 1, 2, …); a line without it (the
 * epoch's `Average Train Loss`, its validation) sits at the last step before it, as an evaluation
 * printed after its steps does. Undefined for any other log (one line an epoch stays a step an epoch).
 */
export function withBatchSteps(log: ParsedLog): BatchSteps | undefined {
  if (log.kind !== 'run' || log.rows < 4 || stepUnitOf(log) !== 'epoch' || own(log.data, 'step') !== undefined) return undefined;
  const epochCol = log.columns.find((c) => c.role === 'epoch');
  const epoch = epochCol && log.data[epochCol.name];
  if (!epoch) return undefined;
  let loss: string | undefined;
  let most = 0;
  for (const c of log.columns) {
    const v = c.role === 'loss' ? log.data[c.name] : undefined;
    if (!v) continue;
    let n = 0;
    for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) n++;
    if (n > most) { most = n; loss = c.name; }
  }
  if (!loss) return undefined;
  const v = log.data[loss];
  // Its lines per epoch, in the order the epochs came.
  const per: number[] = [];
  let at = NaN;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) continue;
    if (epoch[i] !== at) { per.push(0); at = epoch[i]; }
    per[per.length - 1]++;
  }
  const sorted = per.slice().sort((a, b) => a - b);
  if (sorted[sorted.length >> 1] < 2) return undefined;
  // An epoch's lines: the median over the whole epochs (the last may have been cut short).
  const whole = per.length > 1 ? per.slice(0, -1).sort((a, b) => a - b) : sorted;
  const perEpoch = whole[whole.length >> 1];
  const step = new Float64Array(log.rows);
  let count = 0;
  for (let i = 0; i < step.length; i++) {
    if (Number.isFinite(v[i])) count++;
    step[i] = count > 0 ? count : NaN;
  }
  const reason = `no step column: each "${loss}" line is a step, counted in order (${formatInteger(perEpoch)} an epoch); the epoch's other lines sit at its last step`;
  return {
    log: { ...log, columns: [{ name: 'step', role: 'step', confidence: 0.8, reason, numeric: true }, ...log.columns], data: { step, ...log.data } },
    loss,
    perEpoch,
  };
}

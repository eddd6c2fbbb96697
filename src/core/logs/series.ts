/**
 * Metric series keyed by name (TensorBoard tags, MLflow metric files, W&B history keys), each a
 * list of (step, value) points, merged by step into the same ParsedLog the CSV reader produces.
 *
 * Within a series a step that goes back is a restart (a resumed job, or a later event file of the
 * same run): the points from that step on are superseded, as for a restarted CSV. A step logged
 * twice keeps the later value. Series whose name gives a role the fit never reads (lr, throughput,
 * accuracy…) keep only a sample for role inference, so memory follows the columns that matter.
 * Names are looked up in a Map: a tag called `__proto__` or `constructor` is a plain column.
 */
import { Collector, keptRole, ProblemLog } from './collector';
import { decideKind } from './kind';
import { inferRoles, type SampleValue } from './roles';
import { GrowF64, GrowU32 } from './store';
import type { ColumnInfo, ColumnRole, LogFormat, ParsedLog, ParseOptions } from './types';
import { plural } from '../format';
import { epochsSeen } from './epochs';

const SAMPLE = 1000;
/** Distinct series kept per log: a file with a million tags cannot take the memory of a million columns. */
const MAX_SERIES = 10000;
/** Series stored whole: the roles the log layer keeps (as for a CSV), and epoch; the rest keep a sample. */
const stores = (role: ColumnRole): boolean => keptRole(role, true) || role === 'epoch';

/** A null-prototype object from entries: keys from files (`__proto__`, `constructor`) stay plain data. */
export function dict<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const o = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) o[k] = v;
  return o;
}

export class Series {
  readonly steps = new GrowF64();
  readonly values = new GrowF64();
  readonly refs = new GrowU32();
  readonly sample: number[] = [];
  points = 0;
  private last = -Infinity;
  private lastSource = '';
  constructor(readonly name: string, readonly stored: boolean, private owner: SeriesSet, readonly overflow = false) {}

  /** One point; `ref` is the record (or line) number in `source`, kept as the row's source line. */
  push(step: number, value: number, ref: number, source: string): void {
    this.points++;
    if (this.overflow) return;
    if (this.sample.length < SAMPLE) this.sample.push(value);
    const st = this.steps;
    if (step <= this.last) {
      if (step === this.last) {
        // Same step again: the later value wins.
        const i = st.length - 1;
        if (!this.stored) { this.refs.set(i, ref); return; }
        if (this.values.get(i) !== value && !(value !== value && this.values.get(i) !== this.values.get(i))) this.owner.superseded++;
        this.values.set(i, value);
        this.refs.set(i, ref);
        return;
      }
      // Restart: drop the points from `step` on.
      let lo = 0, hi = st.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (st.get(mid) < step) lo = mid + 1; else hi = mid;
      }
      const gone = st.length - lo;
      // Back before every earlier point: a launch from the start; how many values (finite) it drops.
      let whole = -1;
      if (lo === 0) {
        whole = 0;
        if (this.stored) for (let i = 0; i < gone; i++) if (Number.isFinite(this.values.buf[i])) whole++;
      }
      st.truncate(lo);
      if (this.stored) this.values.truncate(lo);
      this.refs.truncate(lo);
      this.owner.restart(source, this.lastSource, this.last, step, gone, whole, this.name);
    }
    this.last = step;
    this.lastSource = source;
    st.push(step);
    if (this.stored) this.values.push(value);
    this.refs.push(ref);
  }
}

interface Restart {
  source: string; prev: string; from: number; to: number; series: number; gone: number;
  /** A series went back before its first point (a launch from the start). */
  whole: boolean;
  /** The most values a loss series lost that way: the launch superseded held that many. */
  lawGone: number;
}

/** A launch from the start that superseded the one before, as `SeriesSet.launches` lists them. */
export interface LaunchStart { source: string; prev: string; lawGone: number }

export class SeriesSet {
  private readonly byName = new Map<string, Series>();
  readonly order: Series[] = [];
  superseded = 0;
  private readonly restarts = new Map<string, Restart>();

  /** The user's role overrides as a null-prototype object: a tag named `constructor` finds nothing. */
  private readonly overrides: Record<string, ColumnRole>;

  constructor(readonly file: string, readonly format: LogFormat, readonly problems: ProblemLog, opts: ParseOptions = {}) {
    this.overrides = dict(Object.entries(opts.roleOverrides ?? {}));
  }

  /** Points of series past MAX_SERIES land here (counted, not kept). */
  private overflow: Series | undefined;

  /** The series called `name`, created on first use (past MAX_SERIES names: a sink, reported once). */
  get(name: string): Series {
    let s = this.byName.get(name);
    if (!s && this.order.length >= MAX_SERIES) {
      if (!this.overflow) {
        this.overflow = new Series('', false, this, true);
        this.problems.add('series-cap', 0, 'warning', `more than ${MAX_SERIES} distinct metric names; the others are left out (first left out: '${name.slice(0, 80)}')`);
      }
      return this.overflow;
    }
    if (!s) {
      const [info] = inferRoles([name], dict([[name, []]]), this.overrides);
      s = new Series(name, stores(info.role), this);
      if (info.role === 'loss' || info.role === 'eval_loss') this.lawSeries.add(name);
      this.byName.set(name, s);
      this.order.push(s);
    }
    return s;
  }

  has(name: string): boolean { return this.byName.has(name); }

  /** Series whose name says a training or evaluation loss (what a loss-curve law is fitted to). */
  private readonly lawSeries = new Set<string>();

  /** `whole`: the values a series going back before its first point drops (else −1); `name`: the series. */
  restart(source: string, prev: string, from: number, to: number, gone: number, whole = -1, name = ''): void {
    const key = `${source}\u0000${to}`;
    let r = this.restarts.get(key);
    if (r) { r.series++; r.gone += gone; r.from = Math.max(r.from, from); }
    else this.restarts.set(key, r = { source, prev, from, to, series: 1, gone, whole: false, lawGone: 0 });
    if (whole >= 0) {
      r.whole = true;
      if (this.lawSeries.has(name)) r.lawGone = Math.max(r.lawGone, whole);
    }
    this.superseded += gone;
  }

  /** The launches from the start that superseded the one before (a series went back before its first point), in reading order. */
  launches(): LaunchStart[] {
    return [...this.restarts.values()].filter((r) => r.whole).map((r) => ({ source: r.source, prev: r.prev, lawGone: r.lawGone }));
  }

  /**
   * The ParsedLog: one row per step that any kept series has (a step column named `stepName`
   * first), columns with roles inferred from the names and sampled values as for a CSV header.
   */
  finish(stepName = 'step', extra: { names: string[]; sample: Record<string, SampleValue[]> } = { names: [], sample: {} }): ParsedLog {
    const problems = this.problems;
    for (const r of this.restarts.values()) {
      const where = r.source === r.prev ? r.source : `${r.source} (after ${r.prev})`;
      problems.add('restart', 0, 'info',
        `restart in ${where}: step goes back from ${r.from} to ${r.to} in ${r.series} series; ${plural(r.gone, 'earlier point')} from step ${r.to} on superseded`, 'restarts');
    }
    let step = stepName;
    for (let k = 2; this.byName.has(step); k++) step = `${stepName} (${k})`;
    const names = [step, ...this.order.map((s) => s.name), ...extra.names];
    const sample = new Map<string, SampleValue[]>();
    const stepSample: number[] = [];
    for (const s of this.order) {
      sample.set(s.name, s.sample);
      for (let i = 0; i < s.steps.length && stepSample.length < SAMPLE; i++) stepSample.push(s.steps.get(i));
    }
    stepSample.sort((a, b) => a - b);
    sample.set(step, stepSample.filter((v, i) => i === 0 || v !== stepSample[i - 1]));
    for (const n of extra.names) sample.set(n, extra.sample[n] ?? []);
    const sampleObj = dict([...sample]);
    const user = Object.prototype.hasOwnProperty.call(this.overrides, step);
    const overrides = dict<ColumnRole>([...Object.entries(this.overrides), ...(user ? [] : [[step, 'step'] as [string, ColumnRole]])]);
    let columns: ColumnInfo[] = inferRoles(names, sampleObj, overrides);
    // The step column is the step by construction; say so rather than "set by the user".
    columns = columns.map((c) => (c.name === step && !user
      ? { ...c, confidence: 1, reason: `the ${this.format === 'tfevents' ? 'event' : 'logged'} step` } : c));
    const kind = decideKind(columns, sampleObj);
    const hasStep = columns.some((c) => c.role === 'step');
    const c = new Collector(this.file, this.format, kind, problems);
    const kept: { j: number; s: Series | undefined; extra?: number[] }[] = [];
    for (const col of columns) {
      if (!keptRole(col.role, hasStep) || !(col.numeric || col.role !== 'other')) continue;
      const s = this.byName.get(col.name);
      if (col.name !== step && (!s || !s.stored)) continue;
      kept.push({ j: c.addColumn(col.name, col.role), s: col.name === step ? undefined : s });
    }
    const stepK = columns.find((x) => x.name === step)?.role === 'step' ? kept.find((k) => k.s === undefined) : undefined;
    // Rows: the union of the steps of the kept series (all series when none is kept), by a k-way
    // merge of the series (each is sorted once restarts are resolved).
    const keptSeries = kept.filter((k) => k.s);
    const pool: { s: Series; j: number }[] = keptSeries.length
      ? keptSeries.map((k) => ({ s: k.s as Series, j: k.j }))
      : this.order.map((s) => ({ s, j: -1 }));
    let bound = 0;
    for (const p of pool) bound = Math.max(bound, p.s.steps.length);
    c.reserve(bound);
    const ptr = new Int32Array(pool.length);
    const sc = c.scratch;
    let n = 0;
    for (;;) {
      let st = Infinity;
      for (let k = 0; k < pool.length; k++) {
        const p = ptr[k];
        const sp = pool[k].s.steps;
        if (p < sp.length && sp.buf[p] < st) st = sp.buf[p];
      }
      if (st === Infinity) break;
      let ref = 0xffffffff;
      if (stepK) sc[stepK.j] = st;
      for (let k = 0; k < pool.length; k++) {
        const { s, j } = pool[k];
        const p = ptr[k];
        if (p < s.steps.length && s.steps.buf[p] === st) {
          if (j >= 0) sc[j] = s.values.buf[p];
          const rf = s.refs.buf[p];
          if (rf < ref) ref = rf;
          ptr[k] = p + 1;
        }
      }
      c.commit(ref === 0xffffffff ? 0 : ref);
      n++;
    }
    let points = this.overflow?.points ?? 0;
    for (const s of this.order) points += s.points;
    c.stats.rowsRead = points;
    c.stats.superseded = this.superseded;
    c.stats.segments = n > 0 ? 1 + new Set([...this.restarts.values()].map((r) => `${r.source}\u0000${r.to}`)).size : 0;
    const keptPoints = pool.reduce((a, p) => a + p.s.steps.length, 0);
    c.stats.merged = Math.max(0, keptPoints - n);
    const log = c.finish(columns);
    // The passes over the data its epoch series shows (HF's `train/epoch`, Lightning's `epoch`), as
    // tail.ts reads an epoch column of a CSV: a run that repeats its data is said so.
    const ep = columns.find((x) => x.role === 'epoch');
    const es = ep ? this.byName.get(ep.name) : undefined;
    if (es?.stored && es.values.length > 0) {
      const e = epochsOfSeries(es, ep!.name);
      if (e) log.run = { ...(log.run ?? {}), epochsLogged: e };
    }
    const avg = icefallAverages(columns);
    if (avg.length) log.run = { ...(log.run ?? {}), averagedLosses: avg, wholeLoss: avg[0].of };
    return log;
  }
}

/**
 * k2/icefall's two trackers of the training loss, as its train.py writes them with MetricsTracker's
 * write_summary (each key's sum over the frames it counts): `train/current_<key>`, the batch's own loss
 * per frame, and `train/tot_<key>`, a sum of the batches' losses and frames decayed by
 * `1 − 1/reset_interval` at every batch (`tot_loss = tot_loss * (1 - 1 / params.reset_interval) +
 * loss_info`, begun again each epoch): a moving average that lags the batch's loss. Both are loss
 * columns here: the batch's own is the whole loss (the pair of `loss` names it), the average said.
 */
function icefallAverages(columns: ColumnInfo[]): Array<{ series: string; of: string; why: string }> {
  const loss = new Set(columns.filter((c) => c.role === 'loss').map((c) => c.name));
  if (!loss.has('train/current_loss') || !loss.has('train/tot_loss')) return [];
  const out: Array<{ series: string; of: string; why: string }> = [];
  for (const name of loss) {
    if (!name.startsWith('train/tot_')) continue;
    const of = `train/current_${name.slice('train/tot_'.length)}`;
    if (!loss.has(of)) continue;
    out.push({
      series: name, of,
      why: `"${name}" is icefall's moving average of "${of}" (the batch's own loss per frame): the batches' losses and frames summed, the sum decayed by 1 − 1/reset_interval at each batch and begun again each epoch (reset_interval is not in the event files), so it lags the loss`,
    });
  }
  // The whole loss's pair first (the run opens with its batch's own loss).
  return out.sort((a, b) => (a.series === 'train/tot_loss' ? -1 : b.series === 'train/tot_loss' ? 1 : 0));
}

/** Passes over the data from an epoch series: its last value and step (a fraction, as HF logs it), or whole epochs first … last seen. */
function epochsOfSeries(s: Series, name: string): { count: number; source: string } | undefined {
  let first = Infinity, fractional = false, lastV = NaN, lastStep = -Infinity;
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values.get(i), st = s.steps.get(i);
    if (!Number.isFinite(v) || v < 0 || v >= 1e6) continue;
    if (v < first) first = v;
    if (!Number.isInteger(v)) fractional = true;
    if (st >= lastStep) { lastStep = st; lastV = v; }
  }
  return Number.isFinite(lastV) ? epochsSeen({ first, last: lastV, lastStep, fractional }, undefined, `the run's "${name}" series`) : undefined;
}

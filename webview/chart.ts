/**
 * The chart (Chart.js). Log axes are drawn as log10 values on linear scales, so Chart.js's LTTB
 * decimation (which needs a linear x axis and unparsed data) keeps 10^6 points interactive; the tick
 * labels and tooltips show the real values.
 */
import {
  Chart, LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Legend, Filler, Decimation,
  type ChartDataset,
} from 'chart.js';
import { resolvedXKind, type AllocationState, type CurveView, type LogState, type ViewState, type XKind } from '../src/protocol';
import { extent } from '../src/core/downsample';
import { atX, axisName, drawnShare, fmt, markerName, theme, themeBackground, withAlpha, type Theme } from './common';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Legend, Filler, Decimation);

type Pt = { x: number; y: number };
/** A spike's marker: drawn at the top edge, its real loss kept for the tooltip. */
type SpikePt = Pt & { loss: number };
type DS = ChartDataset<'line', Pt[]> | ChartDataset<'scatter', Pt[]>;

const X_LABEL: Record<XKind, string> = { tokens: 'tokens', step: 'step', flops: 'training FLOPs', params: 'parameters N' };

function points(xs: number[], ys: number[], log: boolean): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (log && (x <= 0 || y <= 0)) continue;
    out.push(log ? { x: Math.log10(x), y: Math.log10(y) } : { x, y });
  }
  return out;
}

/**
 * A band open below to 0 (a new pass over repeated data ahead) cannot reach 0 on a log axis: its
 * lower edge is drawn a decade under the lowest loss on the chart (the band's, or `floor`: the
 * lowest logged), so it runs off the bottom of the plot and reads as open below.
 */
export function openBelowOnLog(lo: number[], hi: number[], floor = Infinity): number[] {
  if (!lo.some((v) => v <= 0)) return lo;
  const min = Math.min(floor > 0 ? floor : Infinity, minPositive(hi), minPositive(lo));
  return Number.isFinite(min) ? lo.map((v) => (v > 0 ? v : min / 10)) : lo;
}

/**
 * A band open above (a held-out loss on repeated data: overfitting can raise it by any amount) has no
 * upper edge to draw: it is drawn a decade (a log axis) or as far again (linear) over the highest
 * value on the chart (the band's finite edges, or `ceil`: the highest logged), so it runs off the top.
 */
export function openAboveOnChart(hi: number[], lo: number[], ceil: number, log: boolean): number[] {
  if (!hi.some((v) => v === Infinity)) return hi;
  const top = Math.max(ceil, maxFinite(hi), maxFinite(lo));
  return top > 0 && Number.isFinite(top) ? hi.map((v) => (v === Infinity ? (log ? 10 * top : 2 * top) : v)) : hi;
}

/**
 * The y range of a run's chart with an open band or isolated spikes left out of the fit: the logged
 * points (spikes aside), the fitted curves, the prediction and the band's finite edges, with a
 * margin. The open edge (drawn a decade past the data) then runs off the plot, and a spike of 1e300
 * is marked at the top edge, instead of squeezing the curve into a sliver of the plot. Plotted units
 * (log10 on a log axis); undefined ends are left to Chart.js.
 */
export function runYRange(s: LogState, log: boolean): { min?: number; max?: number } {
  const f = s.fit;
  if (!f) return {};
  const kind = resolvedXKind(s);
  const bands = f.curves.filter((c) => (c.xKind ?? kind) === kind && (c.yKind ?? 'loss') === 'loss' && c.lo && c.hi);
  const spiky = (f.spikes?.x.length ?? 0) > 0;
  const above = spiky || bands.some((c) => c.hi!.some((v) => v === Infinity));
  const below = log && bands.some((c) => c.lo!.some((v) => v <= 0));
  if (!above && !below) return {};
  let lo = Infinity, hi = -Infinity;
  const take = (v: number) => {
    if (!Number.isFinite(v) || (log && v <= 0)) return;
    const y = log ? Math.log10(v) : v;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  };
  for (const v of observedWithoutSpikes(s)?.y ?? []) take(v);
  for (const c of f.curves) {
    if ((c.xKind ?? kind) !== kind || (c.yKind ?? 'loss') !== 'loss') continue;
    for (const v of c.y) take(v);
    for (const v of c.lo ?? []) take(v);
    for (const v of c.hi ?? []) take(v);
  }
  if (f.prediction) take(f.prediction.loss);
  if (!(hi >= lo)) return {};
  const pad = 0.05 * Math.max(hi - lo, log ? 0.02 : Math.abs(hi) * 0.02 || 1);
  return { min: below ? lo - pad : undefined, max: above ? hi + pad : undefined };
}

/**
 * The logged points without the isolated spikes the fit left out (a point is one when its x and loss
 * are a spike's), so the line joins the points around them; the same object when there are none.
 */
function observedWithoutSpikes(s: LogState): LogState['observed'] {
  const o = s.observed, sp = s.fit?.spikes;
  if (!o || !sp || sp.x.length === 0) return o;
  const at = new Map<number, number>();
  for (let i = 0; i < sp.x.length; i++) at.set(sp.x[i], sp.loss[i]);
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < o.x.length; i++) {
    if (at.get(o.x[i]) === o.y[i]) continue;
    x.push(o.x[i]);
    y.push(o.y[i]);
  }
  return { series: o.series, x, y };
}

/** The highest finite value (−Infinity when none). */
function maxFinite(ys: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < ys.length; i++) if (Number.isFinite(ys[i]) && ys[i] > m) m = ys[i];
  return m;
}

/** The lowest positive finite value (Infinity when none). */
function minPositive(ys: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < ys.length; i++) if (ys[i] > 0 && ys[i] < m) m = ys[i];
  return m;
}

function realValue(v: number, log: boolean): number {
  return log ? Math.pow(10, v) : v;
}

/** Colour of a run in a sweep by model size: a blue → yellow ramp over log N. */
function sizeColor(t: number, th: Theme): string {
  const hue = 230 - 180 * t;
  return th.highContrast ? `hsl(${hue}, 100%, 60%)` : `hsl(${hue}, 70%, 55%)`;
}

/** Colour of group k of a table of several sweeps: hues a golden angle apart, so neighbours differ. */
export function groupColor(k: number, th: Theme): string {
  const hue = (210 + k * 137.508) % 360;
  return th.highContrast ? `hsl(${hue}, 100%, 62%)` : `hsl(${hue}, 68%, 52%)`;
}

function curveDatasets(curves: CurveView[], xKind: XKind, log: boolean, th: Theme, sweep = false, group?: { name: string; color: string }, floor = Infinity, ceil = -Infinity): DS[] {
  const out: DS[] = [];
  let iso = 0;
  // On a sweep, the fitted curves are one per model size, smallest first: colour them like the points.
  const fits = curves.filter((c) => c.kind === 'fit' && (c.xKind ?? xKind) === xKind);
  let fitIndex = 0;
  for (const c of curves) {
    if ((c.xKind ?? xKind) !== xKind || (c.yKind ?? 'loss') !== 'loss') continue;
    if (c.lo && c.hi && c.lo.length === c.x.length) {
      out.push({
        type: 'line', label: `${c.name} (lower)`, data: points(c.x, log ? openBelowOnLog(c.lo, c.hi, floor) : c.lo, log), parsing: false,
        borderWidth: 0, pointRadius: 0, fill: false, borderColor: th.band, backgroundColor: th.band, order: 5,
      });
      out.push({
        type: 'line', label: `${c.name} band`, data: points(c.x, openAboveOnChart(c.hi, c.lo, ceil, log), log), parsing: false,
        borderWidth: 0, pointRadius: 0, fill: '-1', borderColor: th.band, backgroundColor: th.band, order: 5,
      });
    }
    if (c.kind === 'band') continue;
    if (c.kind === 'backtest') {
      // A backtest's held-out prediction: a ghost of the fit, refitted on a prefix only.
      out.push({
        type: 'line', label: c.name, data: points(c.x, c.y, log), parsing: false,
        borderColor: withAlpha(th.fit, 0.45), backgroundColor: withAlpha(th.fit, 0.45), borderWidth: 1.2, pointRadius: 0,
        borderDash: [2, 3], fill: false, order: 2,
      });
      continue;
    }
    if (group) {
      // Overlaid groups: every curve of a group in its colour, one legend entry per group.
      out.push({
        type: 'line', label: out.length === 0 ? group.name : '', data: points(c.x, c.y, log), parsing: false,
        borderColor: group.color, backgroundColor: group.color, borderWidth: c.kind === 'frontier' ? 2.5 : 1.2, pointRadius: 0,
        borderDash: c.kind === 'extrapolation' ? [6, 4] : undefined, fill: false, order: 1,
      });
      continue;
    }
    const color = c.kind === 'isoflop' ? withAlpha(th.series[iso++ % th.series.length], 0.9)
      : c.kind === 'frontier' ? th.marker
      : sweep && c.kind === 'fit' ? sizeColor(fits.length > 1 ? fitIndex++ / (fits.length - 1) : 0.5, th)
      : th.fit;
    out.push({
      type: 'line', label: c.name, data: points(c.x, c.y, log), parsing: false,
      borderColor: color, backgroundColor: color, borderWidth: c.kind === 'isoflop' ? 1.5 : 2.5, pointRadius: 0,
      borderDash: c.kind === 'extrapolation' ? [6, 4] : undefined, fill: false, order: 1,
    });
  }
  return out;
}

function runDatasets(s: LogState, th: Theme, top: number | undefined): { ds: DS[]; spikes: number } {
  const log = s.options.logScale;
  const ds: DS[] = [];
  const observed = observedWithoutSpikes(s);
  if (observed) {
    const data = points(observed.x, observed.y, log);
    ds.push({
      type: 'line', label: observed.series, data, parsing: false, order: 3,
      borderColor: withAlpha(th.series[0], 0.85), backgroundColor: th.series[0], borderWidth: 1.2,
      pointRadius: data.length > 400 ? 0 : 2, fill: false,
    });
  }
  // Isolated spikes the fit left out: marked at the top edge (their real loss in the tooltip), not
  // scaled to (one 1e300 would flatten the curve into the bottom pixel row).
  const sp = s.fit?.spikes;
  let spikes = 0;
  if (sp && sp.x.length > 0 && top !== undefined) {
    const data: SpikePt[] = [];
    for (let i = 0; i < sp.x.length; i++) {
      if (Number.isFinite(sp.x[i]) && (!log || sp.x[i] > 0)) data.push({ x: log ? Math.log10(sp.x[i]) : sp.x[i], y: top, loss: sp.loss[i] });
    }
    ds.push({
      type: 'scatter', label: `left out of the fit: ${sp.x.length === 1 ? 'an isolated spike' : `${sp.x.length} isolated spikes`} (off the scale)`, data, parsing: false, clip: false,
      pointRadius: 6, pointStyle: 'triangle', borderColor: th.muted, backgroundColor: th.muted, order: 0,
    });
    spikes = data.length;
  }
  if (s.fit) ds.push(...curveDatasets(s.fit.curves, resolvedXKind(s), log, th, false, undefined, observed ? minPositive(observed.y) : Infinity, observed ? maxFinite(observed.y) : -Infinity));
  const p = s.fit?.prediction;
  if (p && Number.isFinite(p.loss)) {
    ds.push({
      type: 'scatter', label: `${p.inSample ? 'fit' : 'prediction'} at ${atX(axisName(resolvedXKind(s), s.stepUnit), p.tokens)}${p.inSample ? ' (last logged)' : ''}`, data: points([p.tokens], [p.loss], log),
      pointRadius: 5, pointStyle: 'rectRot', borderColor: th.fit, backgroundColor: th.fit, order: 0,
    });
  }
  const m = s.marker;
  if (m && m.loss !== undefined && resolvedXKind(s) === 'tokens') {
    ds.push({
      type: 'scatter', label: markerName(m), data: points([m.tokens], [m.loss], log),
      pointRadius: 7, pointStyle: 'triangle', borderColor: th.marker, backgroundColor: th.marker, order: 0,
    });
  }
  return { ds, spikes };
}

/** "; 18,750 of 150,000 drawn (1 in 8)" for a sweep the chart draws part of (the fit uses every run). */
function drawnOf(sw: NonNullable<LogState['sweep']>): string {
  return sw.total && sw.total > sw.N.length ? `; ${drawnShare(sw.N.length, sw.total)}` : '';
}

function sweepDatasets(s: LogState, th: Theme): DS[] {
  const log = s.options.logScale;
  const sw = s.sweep!;
  const xk = resolvedXKind(s);
  const xs = xk === 'params' ? sw.N : xk === 'tokens' ? sw.D : sw.C;
  if (sw.group && s.groups) return groupDatasets(s, th);
  const logN = sw.N.map((n) => Math.log10(n));
  const [lo, hi] = extent(logN);
  const data: Pt[] = [];
  const colors: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = sw.loss[i];
    if (!Number.isFinite(x) || !Number.isFinite(y) || (log && (x <= 0 || y <= 0))) continue;
    data.push(log ? { x: Math.log10(x), y: Math.log10(y) } : { x, y });
    colors.push(sizeColor(hi > lo ? (logN[i] - lo) / (hi - lo) : 0.5, th));
  }
  const ds: DS[] = [{
    type: 'scatter', label: `runs (colour: model size, small → large)${drawnOf(sw)}`, data, pointRadius: 3.5,
    backgroundColor: colors, borderColor: colors, order: 2,
  }];
  if (s.fit) ds.push(...curveDatasets(s.fit.curves, resolvedXKind(s), log, th, true));
  // The compute-optimal point for the budget the user typed, on the frontier.
  const al = s.fit?.allocation;
  if (al && Number.isFinite(al.loss)) {
    const x = xk === 'flops' ? al.budget : xk === 'params' ? al.N : al.D;
    ds.push({
      type: 'scatter', label: `optimal for ${fmt(al.budget, 3)} FLOPs: N = ${fmt(al.N, 3)}, D = ${fmt(al.D, 3)}`, data: points([x], [al.loss], log),
      pointRadius: 8, pointStyle: 'triangle', borderColor: th.marker, backgroundColor: th.marker, order: 0,
    });
  }
  return ds;
}

/** Every group of a table of several sweeps, overlaid: its runs and its fitted curves in its colour. */
function groupDatasets(s: LogState, th: Theme): DS[] {
  const log = s.options.logScale;
  const sw = s.sweep!;
  const xk = resolvedXKind(s);
  const xs = xk === 'params' ? sw.N : xk === 'tokens' ? sw.D : sw.C;
  const groups = s.groups ?? [];
  const data: Pt[][] = groups.map(() => []);
  for (let i = 0; i < xs.length; i++) {
    const k = sw.group![i];
    const x = xs[i];
    const y = sw.loss[i];
    if (k < 0 || k >= groups.length || !Number.isFinite(x) || !Number.isFinite(y) || (log && (x <= 0 || y <= 0))) continue;
    data[k].push(log ? { x: Math.log10(x), y: Math.log10(y) } : { x, y });
  }
  const ds: DS[] = [];
  groups.forEach((g, k) => {
    const color = groupColor(k, th);
    ds.push({ type: 'scatter', label: k === 0 && sw.total ? `runs${drawnOf(sw)}` : '', data: data[k], pointRadius: 2.5, backgroundColor: withAlpha(color, 0.8), borderColor: color, order: 2 });
    if (g.fit) ds.push(...curveDatasets(g.fit.curves, xk, log, th, true, { name: g.name, color }));
    else ds.push({ type: 'scatter', label: `${g.name} (not fitted)`, data: [], backgroundColor: color, borderColor: color });
  });
  return ds;
}

function allocationDatasets(a: AllocationState, th: Theme): DS[] {
  const log = a.options.logScale;
  const ds: DS[] = [{
    type: 'line', label: 'compute-optimal N(C)', data: points(a.frontier.x, a.frontier.y, log), parsing: false,
    borderColor: th.fit, backgroundColor: th.fit, borderWidth: 2.5, pointRadius: 0, fill: false, order: 1,
  }, {
    type: 'scatter', label: `optimum at C = ${fmt(a.budget, 3)}`, data: points([a.budget], [a.N], log),
    pointRadius: 7, pointStyle: 'triangle', borderColor: th.marker, backgroundColor: th.marker, order: 0,
  }];
  if (a.current) {
    ds.push({
      type: 'scatter', label: a.current.source, data: points([6 * a.current.N * a.current.D], [a.current.N], log),
      pointRadius: 6, pointStyle: 'rectRot', borderColor: th.series[0], backgroundColor: th.series[0], order: 0,
    });
  }
  return ds;
}

/** A point with only x on a log axis (eval charts: k or tokens on a log axis, pass@k or accuracy linear). */
function logXPoints(xs: number[], ys: number[], logX: boolean): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i], y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y) || (logX && x <= 0)) continue;
    out.push({ x: logX ? Math.log10(x) : x, y });
  }
  return out;
}

/** Logistic accuracy of a thinking-budget curve (the core's formula; the webview draws it). */
function logistic(p: { floor: number; ceiling: number; slope: number; mid: number }, t: number): number {
  const z = p.slope * (Math.log(t) - p.mid);
  return p.floor + (p.ceiling - p.floor) / (1 + Math.exp(-z));
}

/** pass@k (every group's estimate, the shown group's band and forecasts) or accuracy against thinking tokens. */
function evalDatasets(s: LogState, th: Theme): { ds: DS[]; xLabel: string; yLabel: string } {
  const ev = s.evals!;
  const logX = s.options.logScale;
  const ds: DS[] = [];
  if (ev.kind === 'passk') {
    const groups = ev.passk ?? [];
    const shown = groups.find((g) => g.key === s.options.group) ?? groups[0];
    groups.forEach((g, k) => {
      const color = groups.length > 1 ? groupColor(k, th) : th.series[0];
      const ks = g.passAtK.map((p) => p.k);
      if (g === shown && g.passAtK.some((p) => Number.isFinite(p.lo))) {
        ds.push({ type: 'line', label: `${g.key} (lower)`, data: logXPoints(ks, g.passAtK.map((p) => p.lo), logX), parsing: false, borderWidth: 0, pointRadius: 0, fill: false, borderColor: th.band, backgroundColor: th.band, order: 5 });
        ds.push({ type: 'line', label: '95% interval over problems', data: logXPoints(ks, g.passAtK.map((p) => p.hi), logX), parsing: false, borderWidth: 0, pointRadius: 0, fill: '-1', borderColor: th.band, backgroundColor: th.band, order: 5 });
      }
      ds.push({
        type: 'line', label: groups.length > 1 ? `pass@k ${g.key}` : 'pass@k (unbiased estimate)', data: logXPoints(ks, g.passAtK.map((p) => p.value), logX), parsing: false,
        borderColor: color, backgroundColor: color, borderWidth: g === shown ? 2.5 : 1.5, pointRadius: ks.length <= 40 ? 2 : 0, fill: false, order: 2,
      });
      if (g !== shown) return;
      for (const f of g.forecasts) {
        const c = f.law === 'beta' ? th.fit : th.marker;
        ds.push({
          type: 'line', label: f.law === 'beta' ? `Beta-binomial forecast (α ${fmt(f.params.alpha, 3)}, β ${fmt(f.params.beta, 3)})` : `power law −log pass@k = ${fmt(f.params.a, 3)}·k^−${fmt(f.params.b, 3)}`,
          data: logXPoints(f.at.map((p) => p.k), f.at.map((p) => p.value), logX), parsing: false,
          borderColor: c, backgroundColor: c, borderWidth: 2, borderDash: f.law === 'beta' ? [8, 4] : [3, 3], pointRadius: 3, fill: false, order: 1,
        });
      }
    });
    return { ds, xLabel: 'k (attempts per problem)', yLabel: 'pass@k' };
  }
  const models = ev.budget?.models ?? [];
  models.forEach((m, k) => {
    const color = groupColor(k, th);
    ds.push({ type: 'scatter', label: '', data: logXPoints(m.points.map((p) => p.tokens), m.points.map((p) => p.accuracy), logX), pointRadius: 4, backgroundColor: withAlpha(color, 0.85), borderColor: color, order: 2 });
    if (!m.fit) return;
    const [lo, hi] = m.fit.tokenRange;
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i <= 120; i++) {
      const t = Math.exp(Math.log(lo / 2) + (i / 120) * (Math.log(hi * 2) - Math.log(lo / 2)));
      xs.push(t);
      ys.push(logistic(m.fit.params, t));
    }
    ds.push({ type: 'line', label: `${m.model}${m.params > 0 ? ` (${fmt(m.params, 3)} params)` : ''}`, data: logXPoints(xs, ys, logX), parsing: false, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0, fill: false, order: 1 });
  });
  const target = ev.budget?.compare?.targetAccuracy;
  if (target !== undefined && models.length) {
    const all = models.flatMap((m) => m.points.map((p) => p.tokens));
    const [allLo, allHi] = extent(all);
    const a = allLo / 2, b = allHi * 2;
    ds.push({ type: 'line', label: `target ${fmt(100 * target, 3)}%`, data: logXPoints([a, b], [target, target], logX), parsing: false, borderColor: th.fg, backgroundColor: th.fg, borderWidth: 1, borderDash: [2, 4], pointRadius: 0, fill: false, order: 3 });
  }
  return { ds, xLabel: 'thinking tokens per query', yLabel: 'accuracy' };
}

export interface Drawn {
  chart: Chart;
  xKind: XKind;
  logScale: boolean;
  /** Isolated spikes marked at the top edge instead of scaled to. */
  spikesMarked: number;
  /** No dataset has a point: the axes alone (a loss NaN in every row). */
  empty: boolean;
}

/** Draw (or redraw) the chart for a state into `canvas`. */
export function draw(canvas: HTMLCanvasElement, state: ViewState, previous: Chart | undefined, compact: boolean): Drawn {
  previous?.destroy();
  const th = theme();
  const log = state.options.logScale;
  let datasets: DS[];
  let xLabel: string;
  let yLabel = 'loss';
  let xKind: XKind = resolvedXKind(state);
  let yLog = log;
  let yTick = (v: number | string) => fmt(realValue(Number(v), log), 3);
  let yRange: { min?: number; max?: number } = {};
  let spikesMarked = 0;
  if (state.kind === 'log' && state.evals) {
    const e = evalDatasets(state, th);
    datasets = e.ds;
    xLabel = e.xLabel;
    yLabel = e.yLabel;
    yLog = false;
    yTick = (v: number | string) => `${fmt(100 * Number(v), 3)}%`;
  } else if (state.kind === 'allocation') {
    datasets = allocationDatasets(state, th);
    xLabel = 'training FLOPs C';
    yLabel = 'parameters N';
    xKind = 'flops';
  } else if (state.logKind === 'sweep' && state.sweep) {
    datasets = sweepDatasets(state, th);
    xLabel = X_LABEL[xKind];
  } else {
    if (state.kind === 'log') yRange = runYRange(state, log);
    const run = runDatasets(state, th, yRange.max);
    datasets = run.ds;
    spikesMarked = run.spikes;
    xLabel = xKind === 'step' && state.kind === 'log' && state.stepUnit === 'epoch' ? 'epoch' : X_LABEL[xKind];
  }
  const tick = (v: number | string) => fmt(realValue(Number(v), log), 3);
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line', Pt[]>[] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'linear',
          title: { display: !compact, text: log ? `${xLabel} (log scale)` : xLabel, color: th.fg },
          ticks: { color: th.fg, callback: tick, maxTicksLimit: compact ? 4 : 8 },
          grid: { color: th.grid },
        },
        y: {
          type: 'linear',
          ...yRange,
          title: { display: !compact, text: yLog ? `${yLabel} (log scale)` : yLabel, color: th.fg },
          ticks: { color: th.fg, callback: yTick, maxTicksLimit: compact ? 4 : 8 },
          grid: { color: th.grid },
        },
      },
      plugins: {
        legend: { display: !compact, labels: { color: th.fg, boxWidth: 12, filter: (item) => item.text !== '' && !String(item.text).endsWith('(lower)') } },
        decimation: { enabled: true, algorithm: 'lttb', samples: compact ? 400 : 2000, threshold: 4000 },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const p = ctx.raw as Pt | SpikePt;
              return `${ctx.dataset.label ?? ''}: ${fmt(realValue(p.x, log), 4)} → ${fmt('loss' in p ? p.loss : realValue(p.y, yLog), 4)}`;
            },
          },
        },
      },
    },
    plugins: [themeBackground],
  });
  const empty = datasets.every((d) => d.data.length === 0);
  if (empty) canvas.setAttribute('aria-label', 'An empty chart: no finite value to draw');
  return { chart, xKind, logScale: log, spikesMarked, empty };
}

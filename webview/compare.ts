/**
 * The compare chart: several runs' loss curves on one chart against a common axis (tokens, FLOPs or
 * steps), coloured by model size, with a legend naming each run's N and tokens-per-parameter ratio,
 * and each run's own fit on request. The host sends curves already downsampled (≤ 2,000 points a
 * run), so 30 runs and a million logged points stay interactive.
 */
import {
  Chart, LineController, LineElement, PointElement, LinearScale, Tooltip, Decimation, type ChartDataset,
} from 'chart.js';
import { isToCompareWebview, type CompareState, type ToCompareWebview, type FitView } from '../src/protocol';
import type { CompareAxis, CompareCurve } from '../src/core/runs/curves';
import { canvasPainted, el, fmt, fmtCount, onMessageOf, onThemeChange, send, theme, themeBackground, withAlpha } from './common';
import { paramRows, paramsFor } from '../src/core/fit/types';
import { extent } from '../src/core/downsample';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Decimation);

type Pt = { x: number; y: number };
const AXIS_NAMES: Record<CompareAxis, string> = { tokens: 'Tokens', flops: 'FLOPs (6·N·D)', step: 'Steps' };

/** The axis's name for these runs: the step axis of runs whose steps are their epochs says so (all of them, or how many). */
function axisName(a: CompareAxis, runs: readonly CompareCurve[]): string {
  if (a !== 'step') return AXIS_NAMES[a];
  const on = runs.filter((c) => c.x.step);
  const epochs = on.filter((c) => c.stepUnit === 'epoch').length;
  return epochs === 0 ? 'Steps' : epochs === on.length ? 'Epochs' : `Steps (epochs for ${epochs} of ${on.length} runs)`;
}

const app = document.getElementById('app')!;
let state: CompareState | undefined;
let axis: CompareAxis = 'tokens';
let logScale = true;
let chart: Chart | undefined;
const hidden = new Set<string>();
let fits: { axis: CompareAxis; byRel: Map<string, { fit?: FitView; error?: string }> } | undefined;
let fitsWanted = false;

/** Model size → colour: a blue → yellow ramp over log N (the sweep chart's ramp); grey when unknown. */
function colorOf(c: CompareCurve, lo: number, hi: number, hc: boolean): string {
  const N = c.params?.active;
  if (!N) return hc ? '#ffffff' : 'rgba(140,140,140,0.9)';
  const t = hi > lo ? (Math.log10(N) - lo) / (hi - lo) : 0.5;
  return `hsl(${230 - 180 * t}, ${hc ? 100 : 70}%, ${hc ? 60 : 55}%)`;
}

function pts(xs: number[] | undefined, ys: number[], log: boolean): Pt[] {
  const out: Pt[] = [];
  if (!xs) return out;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i], y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y) || (log && (x <= 0 || y <= 0))) continue;
    out.push(log ? { x: Math.log10(x), y: Math.log10(y) } : { x, y });
  }
  return out;
}

const real = (v: number) => (logScale ? Math.pow(10, v) : v);

function sizeRange(curves: CompareCurve[]): [number, number] {
  const logs = curves.map((c) => c.params?.active).filter((n): n is number => !!n).map(Math.log10);
  return logs.length ? extent(logs) : [0, 0];
}

function label(c: CompareCurve): string {
  const p = c.params;
  const n = p ? (p.total === p.active ? `N ${fmtCount(p.total)}` : `N ${fmtCount(p.total)} (${fmtCount(p.active)} active)`) : 'N unknown';
  const ratio = c.tokensPerParam !== undefined ? `${fmt(c.tokensPerParam, 3)} tok/param` : 'ratio unknown';
  return `${c.rel} · ${n} · ${ratio}${axis === 'step' && c.stepUnit === 'epoch' ? ' · x in epochs' : ''}`;
}

function draw(): void {
  if (!state) return;
  const canvas = document.getElementById('sl-compare-canvas') as HTMLCanvasElement | null;
  if (!canvas) return;
  chart?.destroy();
  const th = theme();
  const curves = state.data.curves.filter((c) => !c.problem);
  const [lo, hi] = sizeRange(curves);
  const datasets: ChartDataset<'line', Pt[]>[] = [];
  for (const c of curves) {
    if (hidden.has(c.rel)) continue;
    const color = colorOf(c, lo, hi, th.highContrast);
    datasets.push({
      label: label(c), data: pts(c.x[axis], c.y, logScale), parsing: false, borderColor: withAlpha(color, 0.9), backgroundColor: color,
      borderWidth: 1.4, pointRadius: 0, fill: false, order: 2,
    });
    const f = fits && fits.axis === axis ? fits.byRel.get(c.rel)?.fit : undefined;
    if (f) {
      for (const cv of f.curves) {
        if (cv.kind !== 'fit' && cv.kind !== 'extrapolation') continue;
        datasets.push({
          label: `${c.rel} fit: ${fitFormula(f)}`, data: pts(cv.x, cv.y, logScale), parsing: false,
          borderColor: color, backgroundColor: color, borderWidth: 2, borderDash: cv.kind === 'extrapolation' ? [2, 3] : [7, 4], pointRadius: 0, fill: false, order: 1,
        });
      }
    }
  }
  const tick = (v: number | string) => fmt(real(Number(v)), 3);
  chart = new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: `${axisName(axis, curves)}${logScale ? ' (log scale)' : ''}`, color: th.fg }, ticks: { color: th.fg, callback: tick, maxTicksLimit: 8 }, grid: { color: th.grid } },
        y: { type: 'linear', title: { display: true, text: `loss${logScale ? ' (log scale)' : ''}`, color: th.fg }, ticks: { color: th.fg, callback: tick, maxTicksLimit: 8 }, grid: { color: th.grid } },
      },
      plugins: {
        legend: { display: false },
        decimation: { enabled: true, algorithm: 'lttb', samples: 1000, threshold: 2000 },
        tooltip: { callbacks: { label: (ctx) => { const p = ctx.raw as Pt; return `${ctx.dataset.label ?? ''}: ${fmt(real(p.x), 4)} → ${fmt(real(p.y), 4)}`; } } },
      },
    },
    plugins: [themeBackground],
  });
  const drawn = curves.filter((c) => !hidden.has(c.rel) && c.x[axis]).length;
  requestAnimationFrame(() => {
    const painted = canvasPainted(canvas);
    document.body.dataset.rendered = String(painted);
    document.body.dataset.draws = String(Number(document.body.dataset.draws ?? 0) + 1);
    document.body.dataset.axis = axis;
    document.body.dataset.fits = String(fits && fits.axis === axis ? [...fits.byRel.values()].filter((f) => f.fit).length : 0);
    send({
      type: 'rendered', canvasPainted: painted, xKind: axis, logScale,
      summary: `${drawn} runs on ${axis}${fits && fits.axis === axis ? `, ${[...fits.byRel.values()].filter((f) => f.fit).length} fits` : ''}`,
    });
  });
}

function legend(curves: CompareCurve[]): HTMLElement {
  const th = theme();
  const ok = curves.filter((c) => !c.problem);
  const [lo, hi] = sizeRange(ok);
  const list = el('ul', { class: 'sl-compare-legend', 'aria-label': 'Runs (click to hide or show)' });
  const sorted = [...curves].sort((a, b) => (a.params?.active ?? Infinity) - (b.params?.active ?? Infinity) || a.rel.localeCompare(b.rel));
  for (const c of sorted) {
    const color = colorOf(c, lo, hi, th.highContrast);
    const swatch = el('span', { class: 'sl-swatch', 'aria-hidden': 'true' });
    swatch.style.background = c.problem ? 'transparent' : color;
    const fit = fits && fits.axis === axis ? fits.byRel.get(c.rel) : undefined;
    const extra = c.problem ? ` — ${c.problem}`
      : fit?.fit ? ` — fit ${fitExponents(fit.fit)}`
      : fit?.error ? ` — no fit: ${fit.error}` : c.x[axis] ? '' : ` — no ${axis} axis`;
    const b = el('button', { type: 'button', class: 'sl-legend-item', 'aria-pressed': String(!hidden.has(c.rel)), title: `${c.log}\n${fmtCount(c.points)} points logged, ${c.y.length} drawn` },
      swatch, el('span', { text: `${label(c)}${c.loss !== undefined ? ` · loss ${fmt(c.loss, 4)}` : ''}${extra}` }));
    if (c.problem) b.disabled = true;
    b.addEventListener('click', () => {
      if (hidden.has(c.rel)) hidden.delete(c.rel); else hidden.add(c.rel);
      b.setAttribute('aria-pressed', String(!hidden.has(c.rel)));
      draw();
    });
    const reveal = el('button', { type: 'button', class: 'sl-link', text: 'reveal', title: 'Reveal the run folder in the explorer' });
    reveal.addEventListener('click', () => send({ type: 'compareReveal', rel: c.rel }));
    list.append(el('li', {}, b, reveal));
  }
  return list;
}

function render(): void {
  if (!state) return;
  const d = state.data;
  const usable = d.curves.filter((c) => !c.problem);
  if (!usable.some((c) => c.x[axis])) axis = d.commonAxes[0] ?? (['tokens', 'flops', 'step'] as CompareAxis[]).find((a) => usable.some((c) => c.x[a])) ?? 'step';
  app.replaceChildren();
  const axisSel = el('select', { id: 'sl-axis', class: 'sl-select' });
  for (const a of ['tokens', 'flops', 'step'] as CompareAxis[]) {
    const have = usable.filter((c) => c.x[a]).length;
    const o = el('option', { value: a, text: `${axisName(a, usable)}${have < usable.length ? ` (${have} of ${usable.length} runs)` : ''}` });
    if (have === 0) o.disabled = true;
    if (a === axis) o.selected = true;
    axisSel.append(o);
  }
  axisSel.addEventListener('change', () => {
    axis = axisSel.value as CompareAxis;
    if (fitsWanted && fits?.axis !== axis) requestFits();
    render();
  });
  const logBox = el('input', { id: 'sl-log', type: 'checkbox' });
  logBox.checked = logScale;
  logBox.addEventListener('change', () => { logScale = logBox.checked; draw(); });
  const fitBtn = el('button', { type: 'button', class: 'sl-button', id: 'sl-fit-each', text: fitsWanted ? 'Hide fits' : 'Fit each run', title: 'Fit L = E + B/x^β to each run (the same fit as its own chart)' });
  fitBtn.addEventListener('click', () => {
    fitsWanted = !fitsWanted;
    if (fitsWanted && fits?.axis !== axis) requestFits();
    else render();
  });
  const png = el('button', { type: 'button', class: 'sl-button', text: 'Export PNG' });
  png.addEventListener('click', () => {
    const canvas = document.getElementById('sl-compare-canvas') as HTMLCanvasElement | null;
    if (canvas) send({ type: 'exportPng', dataUrl: canvas.toDataURL('image/png') });
  });
  const bar = el('div', { class: 'sl-controls', role: 'toolbar', 'aria-label': 'Compare controls' },
    el('label', { class: 'sl-field', for: 'sl-axis' }, el('span', { text: 'Axis' }), axisSel),
    el('label', { class: 'sl-field sl-check', for: 'sl-log' }, logBox, el('span', { text: 'Log scale' })),
    fitBtn, png);
  const head = el('div', { class: 'sl-summary-head' },
    el('h1', { text: state.title }),
    el('p', { class: 'sl-muted', text: `${d.curves.length} runs · ${fmtCount(d.totalPoints)} points logged, ${fmtCount(d.shownPoints)} drawn (each bucket's lowest and highest loss kept) · colour: model size, small (blue) → large (yellow)` }));
  const chartBox = el('div', { class: 'sl-chart-wrap sl-compare-chart' }, el('canvas', { id: 'sl-compare-canvas', role: 'img', 'aria-label': `Loss curves of ${d.curves.length} runs against ${axis}` }));
  app.append(head, bar, chartBox, legend(d.curves));
  if (!fitsWanted) fits = fits && fits.axis === axis ? fits : undefined;
  draw();
}

function requestFits(): void {
  send({ type: 'compareFit', axis });
  const b = document.getElementById('sl-fit-each');
  if (b) { b.textContent = 'Fitting…'; b.setAttribute('disabled', ''); }
}

function message(text: string, cls: string): void {
  chart?.destroy();
  chart = undefined;
  delete document.body.dataset.rendered;
  app.replaceChildren(el('p', { class: cls, id: 'sl-status', role: cls === 'sl-error' ? 'alert' : 'status', text }));
}

onMessageOf<ToCompareWebview>(isToCompareWebview, (m) => {
  switch (m.type) {
    case 'compare':
      state = m.state;
      fits = undefined;
      fitsWanted = false;
      render();
      break;
    case 'compareFits':
      fits = { axis: m.axis, byRel: new Map(m.fits.map((f) => [f.rel, f])) };
      fitsWanted = true;
      render();
      break;
    case 'busy':
      if (!state) message(m.message, 'sl-muted');
      break;
    case 'error':
      message(m.message, 'sl-error');
      break;
    case 'empty':
      message(m.message, 'sl-muted');
      break;
  }
});
onThemeChange(() => draw());
send({ type: 'ready' });

/** A run fit's formula with its numbers (the power law's; else the run law's parameters). */
function fitFormula(f: FitView): string {
  const p = paramsFor(f, 'power');
  return p ? `L = ${fmt(p.E, 3)} + ${fmt(p.B, 3)}/x^${fmt(p.beta, 3)}` : `${f.runLaw ?? f.law} ${fitExponents(f)}`;
}

/** A run fit's exponent and floor (β, E for the power law; every parameter for the schedule-aware laws). */
function fitExponents(f: FitView): string {
  const p = paramsFor(f, 'power');
  return p ? `β = ${fmt(p.beta, 3)}, E = ${fmt(p.E, 3)}` : paramRows(f).map(([k, v]) => `${k} = ${fmt(v, 3)}`).join(', ');
}

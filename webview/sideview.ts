/**
 * The side view: a compact chart of the active log and its key numbers, with a button that opens the
 * full panel. The host replays the last state whenever the view becomes visible again.
 */
import type { Chart } from 'chart.js';
import { resolvedXKind, type LogState, type ViewState } from '../src/protocol';
import { paramLabel, paramRows } from '../src/core/fit/types';
import { axisName, bandText, lossAtLabel, canvasPainted, el, emptyNote, fmt, fmtCount, onMessage, onThemeChange, send, type Shown } from './common';
import { draw } from './chart';

const app = document.getElementById('app')!;
let chart: Chart | undefined;
let current: ViewState | undefined;

function numbers(s: LogState): [string, string][] {
  const rows: [string, string][] = [['Rows', s.rows.toLocaleString('en-US')]];
  const f = s.fit;
  if (f) {
    for (const [k, v] of paramRows(f)) rows.push([paramLabel(f, k), fmt(v)]);
    rows.push(['R² (log)', fmt(f.r2)]);
    if (f.prediction) rows.push([lossAtLabel(axisName(resolvedXKind(s), s.stepUnit), f.prediction, false, s.stepUnit), `${fmt(f.prediction.loss)} (${bandText(f.prediction.lo, f.prediction.hi, (v) => fmt(v)) ?? 'no band'})`]);
    if (f.optimal) rows.push(['Tokens/param at optimum', fmt(f.optimal.tokensPerParam, 3)]);
  }
  if (!f && s.groups) {
    rows.push(['Groups', `${s.groups.length} by ${s.groupColumn ?? 'label'}`]);
    for (const g of s.groups.slice(0, 12)) rows.push([g.name, g.fit ? paramRows(g).slice(0, 2).map(([k, v]) => `${paramLabel(g, k)} ${fmt(v, 3)}`).join(', ') : (g.error ?? 'not fitted')]);
  }
  if (s.marker) rows.push(['Model size N', fmtCount(s.marker.params)]);
  const ev = s.evals;
  if (ev?.kind === 'passk') {
    const g = (ev.passk ?? []).find((x) => x.key === s.options.group) ?? ev.passk?.[0];
    if (g) {
      const last = g.passAtK[g.passAtK.length - 1];
      rows.push(['Problems', `${g.problems} × ${g.kMax} attempts`], ['pass@1', `${fmt(100 * (g.passAtK[0]?.value ?? NaN), 3)}%`]);
      if (last) rows.push([`pass@${last.k}`, `${fmt(100 * last.value, 3)}%`]);
      const f = g.forecast?.at[g.forecast.at.length - 1];
      if (f && g.forecast) rows.push([`pass@${f.k} (${g.forecast.law === 'beta' ? 'Beta' : 'power law'})`, `${fmt(100 * f.value, 3)}%`]);
    }
  } else if (ev?.budget) {
    for (const m of ev.budget.models.slice(0, 8)) rows.push([m.model, m.fit ? `${fmt(100 * m.fit.params.floor, 3)}% → ${fmt(100 * m.fit.params.ceiling, 3)}%` : (m.error ?? 'not fitted')]);
    if (ev.budget.compare?.cheapest) rows.push(['Cheapest', ev.budget.compare.cheapest]);
  }
  return rows;
}

function render(m: Shown): void {
  chart?.destroy();
  chart = undefined;
  delete document.body.dataset.rendered;
  if (m.type !== 'state' || m.state.kind !== 'log') {
    const text = m.type === 'state' ? 'Open a training log to see its fit here.' : m.message;
    app.replaceChildren(el('p', { class: m.type === 'error' ? 'sl-error' : 'sl-muted', id: 'sl-status', text }));
    return;
  }
  const s = m.state;
  current = s;
  const canvas = el('canvas', { id: 'sl-chart', role: 'img', 'aria-label': `Loss against ${resolvedXKind(s)} for ${s.name}` });
  const dl = el('dl', { class: 'sl-kv', id: 'sl-summary' });
  for (const [k, v] of numbers(s)) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  const open = el('button', { class: 'sl-button sl-primary', type: 'button', id: 'sl-open', text: 'Open full panel' });
  open.addEventListener('click', () => send({ type: 'openPanel' }));
  app.replaceChildren(
    el('h2', { class: 'sl-compact-title', text: s.name }),
    el('p', { class: 'sl-muted', text: `${s.format} · ${s.evals ? (s.evals.kind === 'passk' ? 'repeated samples' : 'thinking-budget table') : s.logKind === 'sweep' ? 'sweep table' : s.options.series ?? 'run'}` }),
    el('div', { class: 'sl-chart-wrap sl-compact' }, canvas),
    dl,
    ...(s.fitError ? [el('p', { class: 'sl-error', text: s.fitError })] : []),
    open,
  );
  const drawn = draw(canvas, s, undefined, true);
  chart = drawn.chart;
  emptyNote(canvas, drawn.empty);
  requestAnimationFrame(() => {
    const painted = canvasPainted(canvas);
    document.body.dataset.rendered = painted ? 'true' : 'false';
    send({ type: 'rendered', canvasPainted: painted, summary: dl.textContent ?? '', xKind: drawn.xKind, logScale: drawn.logScale });
  });
}

onMessage(render);
onThemeChange(() => { if (current) render({ type: 'state', state: current }); });
send({ type: 'ready' });

/**
 * The chart panel: controls, the chart, the summary (every fitted parameter with its interval,
 * goodness of fit, points used/dropped, the optimal allocation), copy/export, problems and columns.
 */
import type { Chart } from 'chart.js';
import { ALL_GROUPS, hasTextLines, resolvedXKind, type AllocationState, type FitView, type GroupView, type LawChoice, type LogState, type ViewOptions, type ViewState, type XKind } from '../src/protocol';
import { intervalOf, intervalText, outsideNote, paramLabel, paramRows, paramValue } from '../src/core/fit/types';
import type { ThinkOrTrainResult } from '../src/core/evals/thinkOrTrain';
import { axisName, bandText, drawnShare, lossAtLabel, markerName, scheduleLine, canvasPainted, el, emptyNote, fmt, fmtCount, formatSignedPercent, onMessage, onThemeChange, plural, send, theme, type Shown } from './common';
import { draw, groupColor } from './chart';
const LAWS: [LawChoice, string][] = [
  ['auto', 'Auto (from the file)'], ['run', 'One run: E + B/D^β'], ['chinchilla', 'Chinchilla (Approach 3)'],
  ['isoflop', 'isoFLOP (Approach 2)'], ['kaplan', 'Kaplan et al. 2020'],
];
const X_NAMES: Record<XKind, string> = { tokens: 'Tokens', step: 'Steps', flops: 'FLOPs', params: 'Parameters' };

const app = document.getElementById('app')!;
let chart: Chart | undefined;
let current: ViewState | undefined;

function setOptions(o: Partial<ViewOptions>): void {
  send({ type: 'setOptions', options: o });
}

function select(id: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const s = el('select', { id, class: 'sl-select' });
  for (const [v, text] of options) {
    const o = el('option', { value: v, text });
    if (v === value) o.selected = true;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  return el('label', { class: 'sl-field', for: id }, el('span', { text: label }), s);
}

function numberInput(id: string, label: string, value: number, placeholder: string, onChange: (v: number) => void, title?: string): HTMLElement {
  const shown = value >= 1e6 ? value.toExponential().replace('e+', 'e') : value > 0 ? String(value) : '';
  const i = el('input', { id, type: 'text', inputmode: 'decimal', class: 'sl-input', value: shown, placeholder, title, spellcheck: 'false' });
  i.addEventListener('change', () => {
    const v = i.value.trim() === '' ? 0 : Number(i.value);
    if (Number.isFinite(v) && v >= 0) {
      i.removeAttribute('aria-invalid');
      onChange(v);
    } else {
      i.setAttribute('aria-invalid', 'true');
    }
  });
  return el('label', { class: 'sl-field', for: id }, el('span', { text: label }), i);
}

function button(text: string, onClick: () => void, title?: string, id?: string): HTMLButtonElement {
  const b = el('button', { class: 'sl-button', type: 'button', text, title, id });
  b.addEventListener('click', onClick);
  return b;
}

/** The model size: a run's (placing the Chinchilla marker and the FLOPs axis), or every run's of a sweep without sizes. */
function paramsInput(s: LogState): HTMLElement {
  const fromConfig = s.options.params > 0 ? undefined : s.marker?.params;
  const hint = fromConfig ? `${fmtCount(fromConfig)} (config)` : s.logKind === 'sweep' ? "every run's" : 'unknown';
  const title = s.logKind === 'sweep'
    ? 'Parameters of every run, when the runs all have the same size and the table does not say it (e.g. 1.2e8)'
    : `Parameters of this model, e.g. 1.2e8 (empty: ${fromConfig ? 'the training config beside the log' : 'from a training config beside the log, when there is one'})`;
  return numberInput('sl-model-size', 'Model size (N)', s.options.params, hint, (v) => setOptions({ params: v }), title);
}

function controls(s: LogState): HTMLElement {
  const o = s.options;
  const bar = el('div', { class: 'sl-controls', role: 'toolbar', 'aria-label': 'Chart controls' });
  if (s.seriesNames.length > 0) {
    bar.append(select('sl-series', 'Series', s.seriesNames.map((n) => [n, n]), o.series ?? s.seriesNames[0], (v) => setOptions({ series: v })));
  }
  if (s.groups) {
    const opts: [string, string][] = [[ALL_GROUPS, `All ${s.groups.length} groups (overlay)`], ...s.groups.map((g): [string, string] => [g.name, `${g.name} (${g.rows})`])];
    bar.append(select('sl-group', `Group (${s.groupColumn ?? 'label'})`, opts, o.group ?? ALL_GROUPS, (v) => setOptions({ group: v })));
  }
  if (s.repeatsApply) {
    bar.append(select('sl-repeats', 'Points', [['best-lr', 'Final, best LR'], ['final', 'Final checkpoints'], ['all', 'All points']], o.repeats ?? 'best-lr',
      (v) => setOptions({ repeats: v as ViewOptions['repeats'] })));
  }
  bar.append(select('sl-law', 'Law', LAWS, o.law, (v) => setOptions({ law: v as LawChoice })));
  if (s.xKinds.length > 0) bar.append(select('sl-x', 'X-axis', s.xKinds.map((k) => [k, k === 'step' && s.stepUnit === 'epoch' ? 'Epochs' : X_NAMES[k]]), resolvedXKind(s), (v) => setOptions({ xKind: v as XKind })));
  const scale = button(o.logScale ? 'Log–log' : 'Linear', () => setOptions({ logScale: !o.logScale }), 'Toggle log-log and linear axes', 'sl-scale');
  scale.setAttribute('aria-pressed', String(o.logScale));
  bar.append(el('div', { class: 'sl-field' }, el('span', { text: 'Scale' }), scale));
  if (s.logKind === 'run') {
    // The placeholder says where "auto" extrapolated to this time (the planned end, or 10× the last point).
    const pred = s.fit?.prediction;
    const auto = pred && Number.isFinite(pred.tokens) ? `auto (${pred.step !== undefined && resolvedXKind(s) === 'step' ? `${s.stepUnit ?? 'step'} ${fmtCount(pred.step)}` : fmtCount(pred.tokens)})` : 'auto';
    bar.append(numberInput('sl-target', 'Target tokens', o.targetTokens, auto, (v) => setOptions({ targetTokens: v }), 'Extrapolate the loss to this many tokens, e.g. 2e10 (empty: the planned end of training when the LR schedule or the log states it, else 10× the last point)'));
    bar.append(paramsInput(s));
    const sched = s.fit?.schedule;
    const plateau = s.fit?.plateau;
    const plateauTitle = plateau ? ` An early plateau, ${plateau.points} points to ${fmtCount(plateau.to)}, is left out too: no run law can follow a loss that is flat, then falls far faster.` : '';
    if (sched?.skipPercent && !o.skipOverSchedule) {
      // A run over repeated data: the warm-up and the first share of the points, whichever is longer.
      bar.append(numberInput('sl-warmup', 'Skip first %', sched.skipPercent, `warm-up (${sched.warmup})`, (v) => setOptions({ warmupPercent: Math.min(90, v) }),
        `The run repeats its data: the LR warm-up (${sched.warmup} steps) and the first ${sched.skipPercent}% of the curve, whichever is longer, are skipped (a first pass falls faster than the later ones). 0: the warm-up only.`));
    } else if (sched && !o.skipOverSchedule) {
      // The schedule's warm-up is skipped (and an early plateau, when one was left out): the field says
      // so, and a value typed in applies on top of the warm-up, alone.
      const w = plateau ? `plateau (to ${fmtCount(plateau.to)})` : sched.warmup > 0 ? `warm-up (${sched.warmup})` : 'no warm-up';
      bar.append(numberInput('sl-warmup', 'Skip first %', 0, w, (v) => setOptions(v > 0 ? { warmupPercent: Math.min(90, v), skipOverSchedule: true } : { skipOverSchedule: false }),
        `The LR schedule is known: exactly its warm-up is skipped (${sched.warmup} steps), not a fixed share.${plateauTitle} Type a percentage to skip that much of the curve instead when it is more.`));
    } else {
      bar.append(numberInput('sl-warmup', 'Skip first %', o.warmupPercent, sched ? 'LR warm-up' : '0',
        // (A value typed in without a schedule is the user's skip too: no early plateau is looked for.)
        (v) => setOptions(sched && v === 0 ? { skipOverSchedule: false } : sched ? { warmupPercent: Math.min(90, v) } : { warmupPercent: Math.min(90, v), skipOverSchedule: true }),
        sched ? `Skipping the first ${o.warmupPercent}% of the curve, or the LR schedule's warm-up (${sched.warmup} steps) when that is longer. Empty: the warm-up only.`
          : `Ignore the first k% of the curve (warm-up) when fitting.${plateauTitle} A value typed in is used alone (an early plateau is then not looked for).`));
    }
  } else {
    if (s.logKind === 'sweep' && (s.needsParams || o.params > 0)) bar.append(paramsInput(s));
    bar.append(numberInput('sl-budget', 'Budget (FLOPs)', o.budget, 'e.g. 1e21', (v) => setOptions({ budget: v }), 'Compute-optimal allocation for this FLOP budget'));
  }
  return bar;
}

function paramsTable(f: FitView): HTMLElement {
  const t = el('table', { class: 'sl-table', id: 'sl-params' });
  t.append(el('caption', { text: `Fitted parameters (${f.law})` }));
  t.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'parameter' }), el('th', { scope: 'col', text: 'value' }), el('th', { scope: 'col', text: 'interval' }))));
  const body = el('tbody');
  for (const [k, v, ci] of paramRows(f)) {
    body.append(el('tr', {}, el('th', { scope: 'row', text: paramLabel(f, k) }), el('td', { text: fmt(v) }), el('td', { text: (intervalText(ci, (x) => fmt(x)) ?? '—') + outsideNote(ci, v, (x) => fmt(x)) })));
  }
  t.append(body);
  return t;
}

/** Per-group summary of a table of several sweeps: the exponents side by side, each row in its group's colour. */
function groupsTable(s: LogState, groups: GroupView[]): HTMLElement {
  const keys: [string, string][] = [['a', 'a'], ['b', 'b'], ['alpha', 'α'], ['beta', 'β'], ['E', 'E']];
  const shown = keys.filter(([k]) => groups.some((g) => paramValue(g, k) !== undefined));
  const t = el('table', { class: 'sl-table', id: 'sl-groups' });
  t.append(el('caption', { text: `${groups.length} groups by "${s.groupColumn ?? 'label'}", each fitted on its own` }));
  t.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'group' }), el('th', { scope: 'col', text: 'law' }), el('th', { scope: 'col', text: 'n' }),
    ...shown.map(([, label]) => el('th', { scope: 'col', text: label })), el('th', { scope: 'col', text: 'R²' }))));
  const body = el('tbody');
  const th = theme();
  groups.forEach((g, k) => {
    const name = button(g.name, () => setOptions({ group: g.name }), `Show only ${g.name}`);
    name.classList.add('sl-group-name');
    name.style.borderLeftColor = groupColor(k, th);
    const cells = g.fit
      ? [...shown.map(([key]) => {
        const v = paramValue(g, key);
        const ci = intervalOf(g, key);
        const iv = intervalText(ci, (x) => fmt(x, 3));
        return el('td', { text: v === undefined ? '—' : fmt(v, 3), title: iv && iv + outsideNote(ci, v, (x) => fmt(x, 3)) });
      }), el('td', { text: fmt(g.r2, 3) })]
      : [el('td', { colspan: shown.length + 1, class: 'sl-error', text: g.error ?? 'not fitted' })];
    body.append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', { text: g.law }), el('td', { text: String(g.n) }), ...cells));
  });
  t.append(body);
  return t;
}

const UNITS: Record<string, string> = { step: 'step', tokens: 'tokens', flops: 'FLOPs' };

/** "How far to trust this": whether the data supports the extrapolation, and the backtests. */
function trustSection(f: FitView): HTMLElement {
  const box = el('section', { class: 'sl-trust', id: 'sl-trust', 'aria-label': 'How far to trust this' });
  box.append(el('h2', { class: 'sl-subhead', text: 'How far to trust this' }));
  if (f.trust) {
    if (f.trust.supported) {
      box.append(el('p', { class: 'sl-note', text: `${f.prediction?.inSample ? 'Backed by the data (the fit at the last logged point: in-sample, not an extrapolation)' : 'Backed by the data'}. Band: ${f.trust.band}.` }));
    } else {
      // The verdict, then each reason on a line of its own (a run can have five), then the band.
      const n = f.trust.reasons.length;
      box.append(el('p', { class: 'sl-warning', role: 'status', id: 'sl-verdict', text: `Not supported (${n} reason${n === 1 ? '' : 's'}):` }));
      const list = el('ul', { class: 'sl-warning sl-reasons', id: 'sl-reasons', 'aria-labelledby': 'sl-verdict' });
      for (const r of f.trust.reasons) list.append(el('li', { text: r }));
      box.append(list, el('p', { class: 'sl-note', id: 'sl-band', text: `Band: ${f.trust.band}.` }));
    }
  }
  if (f.backtest?.length) {
    const t = el('table', { class: 'sl-table', id: 'sl-backtest' });
    t.append(el('caption', { text: 'Backtests: refitted on a prefix, predicting the rest (dotted curves)' }));
    t.append(el('thead', {}, el('tr', {}, el('th', { text: 'fitted on' }), el('th', { text: 'predicted at' }),
      el('th', { text: 'predicted' }), el('th', { text: 'actual' }), el('th', { text: 'error' }))));
    const body = el('tbody');
    for (const b of f.backtest) {
      const at = b.horizonKind === 'step' ? `${f.stepUnit ?? 'step'} ${fmtCount(b.horizon)}` : `${fmtCount(b.horizon)} ${UNITS[b.horizonKind] ?? ''}`;
      body.append(el('tr', {},
        el('th', { scope: 'row', text: `first ${Math.round(100 * b.fitFraction)}%${b.heldOut ? ' (held out)' : ''}` }),
        el('td', { text: at }), el('td', { text: fmt(b.predicted, 4) }), el('td', { text: fmt(b.actual, 4) }),
        el('td', { text: formatSignedPercent(b.errorPct) })));
    }
    t.append(body);
    box.append(t);
  }
  if (f.candidates && f.candidates.length > 1) {
    box.append(el('p', { class: 'sl-muted', text: `Laws tried (mean backtest error): ${f.candidates.map((c) => `${c.law} ${Number.isFinite(c.backtestErrorPct) ? `${c.backtestErrorPct.toFixed(2)}%` : 'n/a'}`).join(', ')}` }));
  }
  return box;
}

function kv(rows: [string, string][], id?: string): HTMLElement {
  const dl = el('dl', { class: 'sl-kv', id });
  for (const [k, v] of rows) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  return dl;
}

function summary(s: LogState): HTMLElement {
  const box = el('aside', { class: 'sl-summary', id: 'sl-summary', 'aria-label': 'Fit summary' });
  const f = s.fit;
  // What the analysis found in the run (a held-out loss that has turned up, …): first, as text.
  if (s.findings?.length) {
    const list = el('ul', { class: 'sl-findings', id: 'sl-findings', 'aria-label': 'Findings' });
    for (const p of s.findings) {
      const li = el('li', { class: p.severity === 'info' ? 'sl-note' : 'sl-warning' });
      // The line it is about (the last evaluation of a rise), one click away in a text log.
      if (p.line > 0 && hasTextLines(s)) li.append(lineButton(p.line), ' ');
      li.append(p.message);
      list.append(li);
    }
    box.append(list);
  }
  if (s.groups && !f) {
    const ok = s.groups.filter((g) => g.fit).length;
    box.append(kv([['Groups', `${s.groups.length} by "${s.groupColumn ?? 'label'}"`], ['Fitted', `${ok} of ${s.groups.length}`], ['Rows', String(s.rows)]], 'sl-goodness'),
      el('p', { class: 'sl-note', text: 'Each group is a sweep fitted on its own, drawn in its colour; the table below lists their exponents. Pick a group above to see one fit in full.' }));
    // What every group's fit says (the table's own notes: its loss column, rows left out, the intervals).
    const fitted = s.groups.filter((g) => g.fit);
    const said = fitted.length ? fitted : s.groups;
    for (const m of said[0]?.messages ?? []) if (said.every((g) => g.messages.includes(m))) box.append(el('p', { class: 'sl-note', text: m }));
  }
  if (f) {
    if (s.groups && s.options.group) box.append(el('p', { class: 'sl-note', text: `Group "${s.options.group}" of ${s.groups.length} (by ${s.groupColumn ?? 'label'})` }));
    box.append(paramsTable(f));
    const rows: [string, string][] = [
      ['Objective', fmt(f.objective)], ['R² (log space)', fmt(f.r2)], ['Points used', String(f.n)], ['Dropped', f.plateau ? `${f.dropped} (${f.plateau.points} an early plateau)` : String(f.dropped)],
    ];
    if (f.prediction) {
      const band = bandText(f.prediction.lo, f.prediction.hi, (v) => fmt(v));
      rows.push([lossAtLabel(axisName(resolvedXKind(s), s.stepUnit), f.prediction, true, s.stepUnit), `${fmt(f.prediction.loss)} ${band ? `(${band})` : '(no band drawn: see how far to trust this)'}`]);
    }
    if (f.optimal) {
      rows.push(['N_opt ∝ C^a', `a = ${fmt(f.optimal.a, 3)}`], ['D_opt ∝ C^b', `b = ${fmt(f.optimal.b, 3)}`], ['Tokens / parameter at optimum', fmt(f.optimal.tokensPerParam, 3)]);
    }
    if (f.allocation) {
      rows.push([`Optimal N for ${fmt(f.allocation.budget, 3)} FLOPs`, fmtCount(f.allocation.N)], ['Optimal D', fmtCount(f.allocation.D)], ['Predicted loss', fmt(f.allocation.loss)]);
    }
    box.append(kv(rows, 'sl-goodness'));
    // Where the LR schedule the fit used came from (the log's LR column, a config, the log's own plan).
    if (f.schedule) box.append(el('p', { class: 'sl-note', id: 'sl-schedule', text: `${scheduleLine(f.schedule, fmtCount, s.stepUnit)}.` }));
    if (f.backtest?.length || f.trust) box.append(trustSection(f));
    for (const m of f.messages) box.append(el('p', { class: 'sl-note', text: m }));
  }
  if (s.marker) {
    box.append(kv([
      ['Model size N', fmtCount(s.marker.params)],
      [markerName(s.marker), fmtCount(s.marker.tokens)],
      ['Ratio from', s.marker.source],
      ...(s.marker.loss !== undefined ? [['Fitted loss there', fmt(s.marker.loss)] as [string, string]] : []),
    ]));
  }
  if (s.configNote) box.append(el('p', { class: 'sl-note', text: s.configNote }));
  if (s.fitError) box.append(el('p', { class: 'sl-error', role: 'alert', text: s.fitError }));
  box.append(exportButtons());
  return box;
}

function exportButtons(): HTMLElement {
  return el('div', { class: 'sl-actions' },
    button('Copy JSON', () => send({ type: 'copy', format: 'json' }), 'Copy the fit as JSON'),
    button('Copy Markdown', () => send({ type: 'copy', format: 'markdown' }), 'Copy the summary as a Markdown table'),
    button('Export PNG', () => { if (chart) send({ type: 'exportPng', dataUrl: chart.toBase64Image('image/png') }); }, 'Save the chart as a PNG image'),
    button('Export CSV', () => send({ type: 'exportCsv' }), 'Save the fitted curve as CSV'),
  );
}

/** A "line N" button that shows the log at that line in the editor. */
function lineButton(line: number): HTMLElement {
  return button(`line ${line}`, () => send({ type: 'revealLine', line }), `Go to line ${line}`);
}

function details(s: LogState): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (s.problems.length) {
    const lines = hasTextLines(s);
    const list = el('ul', { class: 'sl-problems' });
    for (const p of s.problems) {
      const b = p.line > 0 && lines ? lineButton(p.line) : el('span', { class: 'sl-tag', text: p.line > 0 ? `line ${p.line}` : 'file' });
      list.append(el('li', { class: `sl-${p.severity}` }, b, ' ', p.message));
    }
    const more = s.problemCount > s.problems.length ? ` (first ${s.problems.length} shown)` : '';
    out.push(el('details', { class: 'sl-details' }, el('summary', { text: `${plural(s.problemCount, 'problem')}${more}` }), list));
  }
  const cols = el('table', { class: 'sl-table' });
  cols.append(el('thead', {}, el('tr', {}, el('th', { text: 'column' }), el('th', { text: 'role' }), el('th', { text: 'confidence' }), el('th', { text: 'why' }))));
  const body = el('tbody');
  for (const c of s.columns) body.append(el('tr', {}, el('td', { text: c.name }), el('td', { text: c.role }), el('td', { text: `${Math.round(c.confidence * 100)}%` }), el('td', { text: c.reason ?? '' })));
  cols.append(body);
  const total = s.columnCount ?? s.columns.length;
  out.push(el('details', { class: 'sl-details' }, el('summary', { text: total > s.columns.length ? `${total.toLocaleString('en-US')} columns (the first ${s.columns.length} listed) and their roles` : `${total} columns and their roles` }), cols,
    el('p', { class: 'sl-muted', text: 'Change a role with "Scaling Lens: Set Column Role…" or the scalingLens.columnRoles setting.' })));
  return out;
}

function header(title: string, meta: string): HTMLElement {
  return el('header', { class: 'sl-header' }, el('h1', { text: title }), el('p', { class: 'sl-muted', id: 'sl-meta', text: meta }));
}

function renderLog(s: LogState): void {
  const st = s.stats;
  const meta = [`${s.format} · ${s.logKind === 'sweep' ? 'sweep table' : 'single run'}`, `${s.rows.toLocaleString('en-US')} rows`,
    st.dropped ? `${st.dropped.toLocaleString('en-US')} dropped` : '', st.superseded ? `${st.superseded.toLocaleString('en-US')} superseded by later rows` : '',
    s.problemCount ? plural(s.problemCount, 'problem') : '',
    s.sweep?.total ? `chart: ${drawnShare(s.sweep.N.length, s.sweep.total)}, the fit uses all` : ''].filter(Boolean).join(' · ');
  const canvas = el('canvas', { id: 'sl-chart', role: 'img', 'aria-label': `Loss against ${resolvedXKind(s)} for ${s.name}` });
  app.replaceChildren(
    header(s.name, meta),
    controls(s),
    el('div', { class: 'sl-main' }, el('div', { class: 'sl-chart-wrap' }, canvas), summary(s)),
    ...(s.groups && !s.fit ? [el('div', { class: 'sl-groups-wrap' }, groupsTable(s, s.groups))] : []),
    ...details(s),
  );
  paint(canvas, s);
}

const pct = (v: number | undefined): string => (v === undefined || v === null || !Number.isFinite(v) ? '—' : `${fmt(100 * v, 3)}%`);

function table(id: string, caption: string, head: string[], rows: (string | HTMLElement)[][]): HTMLElement {
  const t = el('table', { class: 'sl-table', id });
  t.append(el('caption', { text: caption }));
  t.append(el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', text: h })))));
  const body = el('tbody');
  for (const r of rows) body.append(el('tr', {}, ...r.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', {}, c)))));
  t.append(body);
  return t;
}

function evalControls(s: LogState): HTMLElement {
  const ev = s.evals!;
  const o = s.options;
  const bar = el('div', { class: 'sl-controls', role: 'toolbar', 'aria-label': 'Eval controls' });
  if (ev.kind === 'passk') {
    const groups = ev.passk ?? [];
    if (groups.length > 1) bar.append(select('sl-group', 'Group', groups.map((g) => [g.key, `${g.key} (${plural(g.problems, 'problem')})`]), o.group ?? groups[0].key, (v) => setOptions({ group: v })));
    bar.append(numberInput('sl-forecast-to', 'Forecast to k', o.forecastTo, 'auto (10× n)', (v) => setOptions({ forecastTo: Math.round(v) }), 'Forecast pass@k up to this k'));
  } else {
    bar.append(...thinkingInputs(o));
  }
  const scale = button(o.logScale ? 'Log x' : 'Linear x', () => setOptions({ logScale: !o.logScale }), 'Toggle a log and a linear x-axis', 'sl-scale');
  scale.setAttribute('aria-pressed', String(o.logScale));
  bar.append(el('div', { class: 'sl-field' }, el('span', { text: 'Scale' }), scale));
  return bar;
}

/** Train bigger or think longer's inputs: the accuracy to reach, the queries expected, prompt tokens per query. */
function thinkingInputs(o: ViewOptions): HTMLElement[] {
  return [
    numberInput('sl-target-accuracy', 'Target accuracy %', o.targetAccuracy >= 1 ? o.targetAccuracy : 100 * o.targetAccuracy, 'auto', (v) => setOptions({ targetAccuracy: v }), 'Accuracy every model must reach (percent)'),
    numberInput('sl-queries', 'Queries', o.queries, 'e.g. 1e9', (v) => setOptions({ queries: v }), 'Expected number of queries over the deployment'),
    numberInput('sl-prompt', 'Prompt tokens', o.promptTokens, 'from the table', (v) => setOptions({ promptTokens: v }), 'Prompt tokens per query'),
  ];
}

/** Train bigger or think longer: each model's total compute, the cheapest, and where the answer flips. */
function thinkOrTrainBlock(c: ThinkOrTrainResult): HTMLElement[] {
  const flips = c.flips.map((f) => `from ${fmtCount(f.queries)} queries on, ${f.to} is cheaper than ${f.from}`);
  return [
    el('h2', { class: 'sl-subtitle', text: `Train bigger or think longer? ${pct(c.targetAccuracy)} accuracy, ${fmtCount(c.queries)} queries` }),
    table('sl-think-or-train', `total = 6·N·D + queries·2·N·(prompt ${fmtCount(c.promptTokens)} + thinking)`, ['model', 'training FLOPs', 'thinking tokens', 'total FLOPs'],
      c.rows.map((r) => [r.model + (r.model === c.cheapest ? ' ★ cheapest' : ''), fmt(r.trainFlops, 3),
        r.reachable ? `${fmtCount(r.thinkingTokens)}${r.extrapolated ? ' (extrapolated)' : ''}` : Number.isFinite(r.thinkingTokens) ? `${fmtCount(r.thinkingTokens)}: out of reach` : 'never reaches it', r.reachable ? fmt(r.totalFlops, 3) : '—'])),
    el('p', { class: 'sl-note', id: 'sl-flips', text: flips.length ? `The answer flips: ${flips.join('; ')}.` : `${c.segments[0]?.model ?? 'No model'} stays the cheapest at any number of queries.` }),
    el('p', { class: 'sl-muted', text: `Training tokens: ${[...new Set(c.rows.map((r) => r.trainSource))].join('; ')}.` }),
  ];
}

function evalSummary(s: LogState): HTMLElement {
  const ev = s.evals!;
  const box = el('aside', { class: 'sl-summary', id: 'sl-summary', 'aria-label': 'Eval summary' });
  if (ev.kind === 'passk') {
    const g = (ev.passk ?? []).find((x) => x.key === s.options.group) ?? ev.passk?.[0];
    if (g) {
      box.append(el('p', { class: 'sl-note', text: `${g.key === 'all' ? '' : `${g.key}: `}${plural(g.problems, 'problem')}, ${g.attempts.toLocaleString('en-US')} attempts (${g.kMax} per problem), ${g.successes.toLocaleString('en-US')} correct.` }));
      const shown = g.passAtK.filter((p) => (p.k & (p.k - 1)) === 0 || p.k === g.kMax);
      box.append(table('sl-passk', 'pass@k (Chen et al. 2021, unbiased), 95% bootstrap over problems', ['k', 'pass@k', 'interval'],
        shown.map((p) => [String(p.k), pct(p.value), Number.isFinite(p.lo) ? `${pct(p.lo)} – ${pct(p.hi)}` : '—'])));
      const bt = g.backtest;
      const rmse = (law: string) => { const x = bt?.scores.find((b) => b.law === law); return x && Number.isFinite(x.rmse) ? `${fmt(100 * x.rmse, 2)} pts` : '—'; };
      const last = (f: (typeof g.forecasts)[number]) => f.at[f.at.length - 1];
      box.append(table('sl-forecasts', bt ? `Forecasts; backtest: fitted on k ≤ ${bt.fitK}, RMSE on k = ${bt.scored[0]}…${bt.scored[1]}` : 'Forecasts (no backtest: fewer than 12 attempts per problem)',
        ['law', 'parameters', `pass@${g.forecasts[0] ? last(g.forecasts[0]).k : 'k'}`, 'backtest RMSE'],
        g.forecasts.map((f) => [
          `${f.law === 'beta' ? 'Beta-binomial (Schaeffer et al. 2025)' : 'power law (Brown et al. 2024)'}${g.forecast?.law === f.law ? ' ★' : ''}`,
          f.law === 'beta' ? `α = ${fmt(f.params.alpha, 3)}, β = ${fmt(f.params.beta, 3)}` : `a = ${fmt(f.params.a, 3)}, b = ${fmt(f.params.b, 3)}`,
          pct(last(f).value), rmse(f.law),
        ])));
      if (g.forecast) box.append(el('p', { class: 'sl-muted', text: '★ the forecast with the smaller backtest error.' }));
      for (const e of g.errors) box.append(el('p', { class: 'sl-error', text: `Not fitted — ${e}` }));
      for (const n of g.notes) box.append(el('p', { class: 'sl-note', text: n }));
    }
  } else if (ev.budget) {
    const b = ev.budget;
    box.append(table('sl-budget-fits', 'accuracy = floor + (ceiling − floor)·σ(slope·(ln t − ln t½)), one curve per model', ['model', 'floor', 'ceiling', 't½ tokens', 'slope', 'RMSE'],
      b.models.map((m) => m.fit
        ? [m.model, pct(m.fit.params.floor), pct(m.fit.params.ceiling), fmtCount(Math.exp(m.fit.params.mid)), fmt(m.fit.params.slope, 3), `${fmt(100 * m.fit.rmse, 2)} pts`]
        : [m.model, el('span', { class: 'sl-error', text: m.error ?? 'not fitted' }), '', '', '', ''])));
    if (b.compare) box.append(...thinkOrTrainBlock(b.compare));
    if (b.compareError) box.append(el('p', { class: 'sl-note', text: b.compareError }));
  }
  for (const n of ev.notes) box.append(el('p', { class: 'sl-note', text: n }));
  if (s.fitError) box.append(el('p', { class: 'sl-error', role: 'alert', text: s.fitError }));
  box.append(el('p', { class: 'sl-muted', text: `Sources: ${ev.sources.join('; ')}.` }));
  box.append(exportButtons());
  return box;
}

function renderEval(s: LogState): void {
  const ev = s.evals!;
  const meta = [`${s.format} · ${ev.kind === 'passk' ? 'repeated samples' : 'thinking-budget table'}`, `${s.rows.toLocaleString('en-US')} rows`,
    s.problemCount ? plural(s.problemCount, 'problem') : ''].filter(Boolean).join(' · ');
  const what = ev.kind === 'passk' ? 'pass@k against k' : 'accuracy against thinking tokens';
  const canvas = el('canvas', { id: 'sl-chart', role: 'img', 'aria-label': `${what} for ${s.name}` });
  app.replaceChildren(
    header(s.name, meta),
    evalControls(s),
    el('div', { class: 'sl-main' }, el('div', { class: 'sl-chart-wrap' }, canvas), evalSummary(s)),
    ...details(s),
  );
  paint(canvas, s);
}

function renderAllocation(a: AllocationState): void {
  const canvas = el('canvas', { id: 'sl-chart', role: 'img', 'aria-label': 'Compute-optimal model size against compute' });
  const rows: [string, string][] = [
    ['Budget C', `${fmt(a.budget, 3)} FLOPs`], ['Optimal parameters N', `${fmtCount(a.N)} (${fmt(a.N, 4)})`],
    ['Optimal tokens D', `${fmtCount(a.D)} (${fmt(a.D, 4)})`], ['Tokens per parameter', fmt(a.tokensPerParam, 3)], ['Predicted loss', fmt(a.loss)],
  ];
  if (a.current) {
    rows.push([`${a.current.source}: N`, fmtCount(a.current.N)], [`${a.current.source}: D`, fmtCount(a.current.D)],
      [`${a.current.source}: tokens/param`, fmt(a.current.D / a.current.N, 3)], [`${a.current.source}: predicted loss`, fmt(a.current.loss)]);
  }
  const variants: HTMLElement[] = [];
  if (a.inference) {
    const i = a.inference;
    variants.push(el('h2', { class: 'sl-subtitle', text: `With ${fmtCount(i.inferenceTokens)} inference tokens (Sardana et al. 2023)` }),
      kv([['Parameters N', fmtCount(i.N)], ['Training tokens D', fmtCount(i.D)], ['Tokens per parameter', fmt(i.tokensPerParam, 3)],
        ['Training + inference FLOPs', fmt(i.totalFlops, 3)], ['Chinchilla-optimal model, same loss', fmt(i.chinchillaTotalFlops, 3)],
        ['FLOPs saved', `${fmt(100 * i.savedFraction, 3)}%`]], 'sl-inference-result'));
  }
  if (a.repeated) {
    const r = a.repeated;
    variants.push(el('h2', { class: 'sl-subtitle', text: `With only ${fmtCount(r.uniqueTokens)} unique tokens (Muennighoff et al. 2023)` }),
      kv([['Epochs', fmt(r.epochs, 3)], ['Effective tokens D′', fmtCount(r.effectiveTokens)], ['Effective parameters N′', fmtCount(r.effectiveParams)],
        ['Predicted loss', `${fmt(r.loss)} (unique data: ${fmt(r.lossUnique)})`]], 'sl-repeated-result'));
  }
  if (a.note) variants.push(el('p', { class: 'sl-note', text: a.note }));
  const t = a.thinkOrTrain;
  if (t) {
    const think = el('section', { class: 'sl-think', id: 'sl-think', 'aria-label': 'Train bigger or think longer' });
    think.append(el('p', { class: 'sl-muted', text: `Thinking-budget table: ${t.name}` }));
    if (t.compare) think.append(...thinkOrTrainBlock(t.compare));
    if (t.error) think.append(el('p', { class: 'sl-error', role: 'alert', text: t.error }));
    variants.push(think);
  }
  const box = el('aside', { class: 'sl-summary', id: 'sl-summary', 'aria-label': 'Allocation' },
    kv(rows, 'sl-allocation'),
    ...variants,
    el('p', { class: 'sl-note', text: `Law: ${a.lawSource} — L = ${fmt(a.law.E)} + ${fmt(a.law.A)}/N^${fmt(a.law.alpha)} + ${fmt(a.law.B)}/D^${fmt(a.law.beta)}; C ≈ 6·N·D.` }),
    exportButtons());
  const bar = el('div', { class: 'sl-controls', role: 'toolbar', 'aria-label': 'Allocation controls' },
    numberInput('sl-budget', 'Budget (FLOPs)', a.budget, 'e.g. 1e21', (v) => { if (v > 0) setOptions({ budget: v }); }),
    numberInput('sl-inference', 'Inference tokens', a.options.inferenceTokens, 'none', (v) => setOptions({ inferenceTokens: v }), 'Expected lifetime inference tokens: minimise training + inference FLOPs (Sardana et al. 2023)'),
    numberInput('sl-unique', 'Unique tokens', a.options.uniqueTokens, 'unlimited', (v) => setOptions({ uniqueTokens: v }), 'Unique training tokens available: loss with repeated epochs (Muennighoff et al. 2023)'),
    el('div', { class: 'sl-field' }, el('span', { text: 'Scale' }), button(a.options.logScale ? 'Log–log' : 'Linear', () => setOptions({ logScale: !a.options.logScale }), 'Toggle log-log and linear axes', 'sl-scale')));
  if (t) {
    bar.append(...thinkingInputs(a.options));
  }
  bar.append(el('div', { class: 'sl-field' }, el('span', { text: 'Train or think' }),
    button(t ? 'Other table…' : 'Thinking-budget table…', () => send({ type: 'chooseThinkingTable' }),
      'Train bigger or think longer: compare the models of a thinking-budget table (model, parameters, thinking tokens, accuracy) at a target accuracy and query count, with this law for training tokens the table does not give', 'sl-think-choose')));
  app.replaceChildren(header('Compute-optimal allocation', `C = ${fmt(a.budget, 3)} FLOPs`), bar,
    el('div', { class: 'sl-main' }, el('div', { class: 'sl-chart-wrap' }, canvas), box));
  paint(canvas, a);
}

function paint(canvas: HTMLCanvasElement, s: ViewState): void {
  const drawn = draw(canvas, s, chart, false);
  chart = drawn.chart;
  emptyNote(canvas, drawn.empty);
  requestAnimationFrame(() => {
    const painted = canvasPainted(canvas);
    document.body.dataset.rendered = painted ? 'true' : 'false';
    document.body.dataset.xkind = drawn.xKind;
    document.body.dataset.logscale = String(drawn.logScale);
    document.body.dataset.spikes = String(drawn.spikesMarked);
    const text = document.getElementById('sl-summary')?.textContent ?? '';
    send({ type: 'rendered', canvasPainted: painted, summary: text.slice(0, 4000), xKind: drawn.xKind, logScale: drawn.logScale });
  });
}

function render(m: Shown): void {
  if (m.type === 'state') {
    current = m.state;
    if (m.state.kind === 'log' && m.state.evals) renderEval(m.state);
    else if (m.state.kind === 'log') renderLog(m.state);
    else renderAllocation(m.state);
    return;
  }
  chart?.destroy();
  chart = undefined;
  delete document.body.dataset.rendered;
  const cls = m.type === 'error' ? 'sl-error' : 'sl-muted';
  app.replaceChildren(el('p', { class: cls, role: m.type === 'error' ? 'alert' : 'status', id: 'sl-status', text: m.message }),
    ...(m.type === 'busy' ? [el('div', { class: 'sl-progress', 'aria-hidden': 'true' })] : []));
}

onMessage(render);
onThemeChange(() => { if (current) render({ type: 'state', state: current }); });
send({ type: 'ready' });

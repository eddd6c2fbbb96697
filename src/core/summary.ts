/**
 * Text forms of a view state: the summary as Markdown, the fit as JSON, the fitted curves as CSV.
 * Pure (shared by the panel's copy/export buttons and the CLI).
 */
import type { AllocationState, FitView, GroupView, LogState, ViewState } from '../protocol';
import { axisName, bandText, formatNumber } from './format';
import { intervalText, outsideNote, paramLabel, paramRows } from './fit/types';
import { evalsToJson, evalsToMarkdown } from './evals/summary';

const num = (v: number | undefined, digits = 4): string => (v === undefined || Number.isNaN(v) ? '—' : formatNumber(v, digits));

/** Markdown-safe text: escapes the characters that would change a table or add markup. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);
}

/** One group of a table of several sweeps, as JSON (the CLI's `groups` entries). */
export function groupToJson(g: GroupView): Record<string, unknown> {
  return {
    name: g.name, rows: g.rows, law: g.law, n: g.n, dropped: g.dropped, params: g.params, ci: g.ci,
    objective: g.objective, r2: g.r2, optimal: g.optimal, messages: g.messages, error: g.error,
  };
}

/**
 * The analysis as JSON: the CLI's `--json` output and the panel's "Copy as JSON" (one shape).
 * A table of several sweeps adds `groups` (one entry per group); `curves` adds the chart curves.
 */
export function fitToJson(state: ViewState, opts: { curves?: boolean; findings?: readonly { line: number; severity: string; message: string }[] } = {}): Record<string, unknown> {
  if (state.kind === 'allocation') {
    const { budget, law, lawSource, N, D, loss, tokensPerParam, current } = state;
    return { kind: 'allocation', budget, law, lawSource, N, D, loss, tokensPerParam, current };
  }
  if (state.evals) return evalsToJson(state, opts.findings);
  const f = state.fit;
  const out: Record<string, unknown> = {
    file: state.file, format: state.format, kind: state.logKind, rows: state.rows,
    series: state.options.series, xKind: state.options.xKind, stepUnit: state.stepUnit,
    law: f?.law ?? state.fitLaw, n: f?.n, dropped: f?.dropped, heldOut: f?.heldOut, params: f?.params, ci: f?.ci, objective: f?.objective, r2: f?.r2,
    optimal: f?.optimal, prediction: f?.prediction, allocation: f?.allocation,
    runLaw: f?.runLaw, backtest: f?.backtest, trust: f?.trust, candidates: f?.candidates, schedule: f?.schedule, plateau: f?.plateau, spikes: f?.spikes, messages: f?.messages,
    error: state.fitError, configNote: state.configNote, marker: state.marker,
  };
  if (state.groups) {
    out.groupColumn = state.groupColumn;
    out.group = state.options.group;
    out.groups = state.groups.map(groupToJson);
  }
  if (opts.findings) out.findings = opts.findings.map((p) => ({ line: p.line, severity: p.severity, message: p.message }));
  if (opts.curves) {
    out.curves = f?.curves;
    if (state.groups) (out.groups as Record<string, unknown>[]).forEach((g, i) => { g.curves = state.groups![i].fit?.curves; });
  }
  return out;
}

function fitMarkdown(f: FitView): string[] {
  const lines = ['| parameter | value | interval |', '|---|---|---|'];
  for (const [k, v, ci] of paramRows(f)) {
    lines.push(`| ${mdText(paramLabel(f, k))} | ${num(v)} | ${intervalText(ci, num) ?? '—'}${outsideNote(ci, v, num)} |`);
  }
  lines.push('', `Points used: ${f.n}, dropped: ${f.dropped}${f.heldOut ? `, held out: ${f.heldOut}` : ''}. Objective: ${num(f.objective)}. R² (log space): ${num(f.r2)}.`);
  if (f.optimal) lines.push(`Compute-optimal: N ∝ C^${num(f.optimal.a, 3)}, D ∝ C^${num(f.optimal.b, 3)}, ${num(f.optimal.tokensPerParam, 3)} tokens per parameter.`);
  if (f.prediction) {
    const band = bandText(f.prediction.lo, f.prediction.hi, num);
    lines.push(`${f.prediction.inSample ? 'Fitted (in-sample, the last logged point)' : 'Prediction'} at ${num(f.prediction.tokens)}: loss ${num(f.prediction.loss)} (${band ? `interval ${band}` : 'no band drawn'}).`);
  }
  if (f.allocation) lines.push(`For a budget of ${num(f.allocation.budget)} FLOPs: N = ${num(f.allocation.N)}, D = ${num(f.allocation.D)}, loss ${num(f.allocation.loss)}.`);
  for (const m of f.messages) lines.push(`- ${mdText(m)}`);
  return lines;
}

export function toMarkdown(state: ViewState): string {
  if (state.kind === 'allocation') return allocationMarkdown(state);
  const s: LogState = state;
  if (s.evals) return evalsToMarkdown(s, mdText);
  const out = [`## Scaling Lens — ${mdText(s.name)}`, '', `${s.format} ${s.logKind}, ${s.rows} rows.`];
  if (s.findings?.length) out.push('', ...s.findings.map((p) => `- **${p.severity === 'info' ? 'Note' : 'Warning'}** (line ${p.line}): ${mdText(p.message)}`));
  if (s.fit) out.push('', `Law: **${s.fit.law}**${s.options.series ? `, series \`${mdText(s.options.series)}\`` : ''}, x = ${axisName(s.options.xKind, s.stepUnit)}.`, '', ...fitMarkdown(s.fit));
  for (const g of s.groups ?? []) {
    out.push('', `### ${mdText(s.groupColumn ?? 'group')} = ${mdText(g.name)} (${g.rows} rows)`, '');
    if (g.fit) out.push(`Law: **${g.law}**.`, '', ...fitMarkdown(g.fit));
    else out.push(`> ${mdText(g.error ?? 'not fitted')}`);
  }
  if (s.fitError) out.push('', `> ${mdText(s.fitError)}`);
  return out.join('\n') + '\n';
}

function allocationMarkdown(a: AllocationState): string {
  return [
    `## Compute-optimal allocation for C = ${num(a.budget)} FLOPs`, '',
    `Law: ${mdText(a.lawSource)} (E = ${num(a.law.E)}, A = ${num(a.law.A)}, B = ${num(a.law.B)}, α = ${num(a.law.alpha)}, β = ${num(a.law.beta)}).`, '',
    '| | parameters N | tokens D | tokens/param | loss |', '|---|---|---|---|---|',
    `| compute-optimal | ${num(a.N)} | ${num(a.D)} | ${num(a.tokensPerParam, 3)} | ${num(a.loss)} |`,
    ...(a.current ? [`| ${mdText(a.current.source)} | ${num(a.current.N)} | ${num(a.current.D)} | ${num(a.current.D / a.current.N, 3)} | ${num(a.current.loss)} |`] : []),
    '',
  ].join('\n');
}

/** The fitted curves (and bands) as CSV: curve,kind,x,y,lo,hi. */
export function curvesToCsv(state: ViewState): string {
  const rows = ['curve,kind,x,y,lo,hi'];
  const curves = state.kind === 'allocation' ? [state.frontier] : state.fit?.curves ?? [];
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const c of curves) {
    for (let i = 0; i < c.x.length; i++) {
      rows.push([q(c.name), c.kind, c.x[i], c.y[i], c.lo?.[i] ?? '', c.hi?.[i] ?? ''].join(','));
    }
  }
  return rows.join('\n') + '\n';
}

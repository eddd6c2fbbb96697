/**
 * An eval analysis written out (JSON, Markdown): only types from the readers, so the extension
 * host (the panel's Copy as JSON / Markdown) does not load the eval reader with it.
 */
import type { LogState } from '../../protocol';
import type { EvalAnalysis } from './analyze';

/** An eval analysis as JSON (the CLI's --json and the panel's "Copy as JSON"): the shown group's
 * `passAtK`, `forecast` and `backtest` at the top, every group under `passk`, budget results under `budget`. */
export function evalsToJson(state: LogState, findings?: readonly { line: number; severity: string; message: string }[]): Record<string, unknown> {
  const ev = state.evals as EvalAnalysis;
  const name = state.options.group;
  const top = (ev.passk ?? []).find((g) => g.key === name) ?? ev.passk?.[0];
  const out: Record<string, unknown> = {
    file: state.file, format: state.format, kind: ev.kind, rows: state.rows, law: ev.kind,
  };
  if (top) {
    out.group = top.key;
    out.passAtK = top.passAtK;
    out.forecast = top.forecast ? { law: top.forecast.law, params: top.forecast.params, at: top.forecast.at, source: top.forecast.source } : null;
    out.backtest = top.backtest ?? null;
  }
  out.columns = ev.columns;
  out.notes = ev.notes;
  if (ev.passk) out.passk = ev.passk;
  if (ev.budget) out.budget = ev.budget;
  out.sources = ev.sources;
  out.error = state.fitError;
  if (findings) out.findings = findings.map((p) => ({ line: p.line, severity: p.severity, message: p.message }));
  // JSON has no Infinity/NaN: they become null (an unreachable target, a missing interval).
  return JSON.parse(JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as Record<string, unknown>;
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

/** An eval analysis as Markdown (the panel's "Copy Markdown"); `esc` escapes text from the file. */
export function evalsToMarkdown(state: LogState, esc: (s: string) => string): string {
  const ev = state.evals as EvalAnalysis;
  const out = [`## Scaling Lens — ${esc(state.name)}`, ''];
  if (ev.kind === 'passk') {
    const g = (ev.passk ?? []).find((x) => x.key === state.options.group) ?? ev.passk?.[0];
    if (g) {
      out.push(`${esc(g.key)}: ${g.problems} problems, ${g.attempts} attempts, ${g.successes} correct.`, '', '| k | pass@k | 95% interval |', '|---|---|---|');
      for (const p of g.passAtK.filter((p) => (p.k & (p.k - 1)) === 0 || p.k === g.kMax)) out.push(`| ${p.k} | ${pct(p.value)} | ${Number.isFinite(p.lo) ? `${pct(p.lo)} – ${pct(p.hi)}` : '—'} |`);
      out.push('', '| forecast | parameters | last k | backtest RMSE |', '|---|---|---|---|');
      for (const f of g.forecasts) {
        const s = g.backtest?.scores.find((b) => b.law === f.law);
        const last = f.at[f.at.length - 1];
        out.push(`| ${f.law === 'beta' ? 'Beta-binomial' : 'power law'} | ${Object.entries(f.params).filter(([k]) => k !== 'logLik').map(([k, v]) => `${k} = ${v.toPrecision(4)}`).join(', ')} | pass@${last.k} = ${pct(last.value)} | ${s && Number.isFinite(s.rmse) ? `${(100 * s.rmse).toFixed(2)} points` : '—'} |`);
      }
    }
  } else if (ev.budget) {
    out.push('| model | floor | ceiling | tokens at midpoint | slope |', '|---|---|---|---|---|');
    for (const m of ev.budget.models) {
      out.push(m.fit ? `| ${esc(m.model)} | ${pct(m.fit.params.floor)} | ${pct(m.fit.params.ceiling)} | ${Math.exp(m.fit.params.mid).toPrecision(4)} | ${m.fit.params.slope.toPrecision(3)} |` : `| ${esc(m.model)} | ${esc(m.error ?? 'not fitted')} | | | |`);
    }
    const c = ev.budget.compare;
    if (c) {
      out.push('', `Train bigger or think longer, ${pct(c.targetAccuracy)} accuracy over ${c.queries.toExponential(2)} queries: cheapest **${esc(c.cheapest ?? 'none')}**.`);
      for (const f of c.flips) out.push(`- from ${f.queries.toExponential(2)} queries on, ${esc(f.to)} is cheaper than ${esc(f.from)}`);
    }
  }
  out.push('', `Sources: ${ev.sources.join('; ')}.`);
  if (state.fitError) out.push('', `> ${esc(state.fitError)}`);
  return out.join('\n') + '\n';
}

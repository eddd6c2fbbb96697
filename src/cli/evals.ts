/**
 * The text form of an eval analysis for `scaling-lens fit FILE --law passk|budget` (the analysis
 * itself comes from the one pipeline, src/core/pipeline.ts → src/core/evals/entry.ts).
 */
import { EVAL_ROLES, type EvalAnalysis, type EvalRole } from '../core/evals';
import { COLUMN_ROLES, type ColumnRole } from '../core/logs/types';
import { formatNumber } from '../core/format';

export const EVAL_USAGE = `eval files (repeated samples, lm-eval samples_*.jsonl, thinking-budget tables):
  --law passk|budget       pass@k with forecasts, or accuracy-vs-thinking-tokens curves (auto-detected)
  --group NAME             pass@k: the group (model · budget, or lm-eval filter) shown first and at the top of --json
  --forecast-to K          pass@k: forecast up to k = K (default 10× the attempts per problem)
  --threshold X            a score counts as correct at or above X (default 0.5)
  --metric NAME            lm-eval: the per-sample metric (default: the file's \`metrics\`)
  --role COLUMN=ROLE       an eval table column's role (${EVAL_ROLES.join(', ')}); repeatable
  --target-accuracy A      budget: target accuracy for train-bigger-or-think-longer (fraction or %)
  --queries Q              budget: expected queries (default 1e6)
  --prompt-tokens P        budget: prompt tokens per query when the table has none
  --train-law SWEEP        budget: a model without training tokens in the table is trained to the compute-optimal
                           D for its N under the Chinchilla law fitted to SWEEP (default: the 2024 replication)
  (--bootstrap B, --seed S and --json as above)
`;

/**
 * Parses `COLUMN=ROLE` into the log's overrides (a log column role: loss, step, tokens, …) and/or
 * the eval table's (problem, attempt, …); a role both know (params, other, ignore) goes to both.
 * An error message when it is not one.
 */
export function parseRole(v: string, logInto: Record<string, ColumnRole>, evalInto: Record<string, EvalRole>): string | undefined {
  const k = v.lastIndexOf('=');
  const role = v.slice(k + 1);
  const col = v.slice(0, k);
  const isLog = (COLUMN_ROLES as readonly string[]).includes(role);
  const isEval = (EVAL_ROLES as readonly string[]).includes(role);
  if (k <= 0 || (!isLog && !isEval)) {
    const all = [...new Set<string>([...COLUMN_ROLES, ...EVAL_ROLES])];
    return `--role must be COLUMN=ROLE with ROLE one of ${all.join(', ')}, got '${v}'`;
  }
  if (isLog) logInto[col] = role as ColumnRole;
  if (isEval) evalInto[col] = role as EvalRole;
  return undefined;
}

const g = (x: number): string => {
  if (!Number.isFinite(x)) return formatNumber(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-4) ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
};
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');

/** Every group, or only `group` when given. */
export function evalText(file: string, a: EvalAnalysis, group?: string): string {
  const out: string[] = [file];
  out.push(`  ${a.kind === 'passk' ? 'repeated samples' : 'thinking-budget table'} (${a.format}, ${a.rows} rows): ${a.columns.filter((c) => c.role !== 'other').map((c) => `${c.name} → ${c.role}`).join(', ')}`);
  for (const n of a.notes) out.push(`  note: ${n}`);
  for (const grp of (a.passk ?? []).filter((x) => group === undefined || x.key === group)) {
    out.push(`  ${grp.key}: ${grp.problems} problems, ${grp.attempts} attempts (${grp.kMax}+ per problem), ${grp.successes} correct`);
    const show = grp.passAtK.filter((p) => (p.k & (p.k - 1)) === 0 || p.k === grp.kMax);
    out.push(`    pass@k (Chen et al. 2021)${Number.isFinite(show[0]?.lo) ? ' with 95% bootstrap interval over problems' : ''}:`);
    for (const p of show) out.push(`      k=${String(p.k).padEnd(6)} ${pct(p.value).padStart(6)}${Number.isFinite(p.lo) ? `   [${pct(p.lo)}, ${pct(p.hi)}]` : ''}`);
    for (const f of grp.forecasts) {
      const params = f.law === 'beta' ? `α = ${g(f.params.alpha)}, β = ${g(f.params.beta)}` : `a = ${g(f.params.a)}, b = ${g(f.params.b)}`;
      const best = grp.forecast?.law === f.law && grp.backtest ? ' (smaller backtest error)' : '';
      out.push(`    forecast, ${f.law === 'beta' ? 'Beta-binomial (Schaeffer et al. 2025)' : 'power law (Brown et al. 2024)'}: ${params}${best}`);
      out.push(`      ${f.at.map((p) => `pass@${p.k} = ${pct(p.value)}`).join(', ')}`);
    }
    if (grp.backtest) {
      const bt = grp.backtest;
      out.push(`    backtest: fitted on k ≤ ${bt.fitK}, scored on k = ${bt.scored[0]}…${bt.scored[1]}: ${bt.scores.map((s) => `${s.law} RMSE ${Number.isFinite(s.rmse) ? (100 * s.rmse).toFixed(2) + ' points' : `— (${s.error ?? 'no fit'})`}`).join(', ')}`);
    }
    for (const e of grp.errors) out.push(`    not fitted: ${e}`);
    for (const n of grp.notes) out.push(`    note: ${n}`);
  }
  if (a.budget) {
    for (const m of a.budget.models) {
      const head = `  ${m.model}${m.params > 0 ? ` (${g(m.params)} parameters)` : ''}: ${m.points.length} budgets`;
      if (!m.fit) { out.push(`${head}; not fitted: ${m.error}`); continue; }
      const p = m.fit.params;
      out.push(`${head}; accuracy = ${pct(p.floor)} + (${pct(p.ceiling)} − ${pct(p.floor)})·σ(${g(p.slope)}·(ln t − ln ${g(Math.exp(p.mid))}))   RMSE ${(100 * m.fit.rmse).toFixed(2)} points`);
      for (const n of m.fit.notes) out.push(`    note: ${n}`);
    }
    const c = a.budget.compare;
    if (c) {
      out.push(`  train bigger or think longer, for ${pct(c.targetAccuracy)} accuracy over ${g(c.queries)} queries (${g(c.promptTokens)} prompt tokens each):`);
      for (const r of c.rows) {
        out.push(r.reachable
          ? `    ${r.model.padEnd(16)} train ${g(r.trainFlops)} FLOPs (D = ${g(r.trainTokens)}, ${r.trainSource}) + ${g(r.thinkingTokens)} thinking tokens/query${r.extrapolated ? ' (beyond the measured budgets)' : ''} → total ${g(r.totalFlops)} FLOPs`
          : Number.isFinite(r.thinkingTokens)
            ? `    ${r.model.padEnd(16)} out of reach: ${g(r.thinkingTokens)} thinking tokens/query, a cost beyond a 64-bit float`
            : `    ${r.model.padEnd(16)} never reaches ${pct(c.targetAccuracy)} (its ceiling is lower)`);
      }
      if (c.cheapest) out.push(`    cheapest at ${g(c.queries)} queries: ${c.cheapest}`);
      for (const f of c.flips) out.push(`    from ${g(f.queries)} queries on, ${f.to} is cheaper than ${f.from}`);
    }
    if (a.budget.compareError) out.push(`  ${a.budget.compareError}`);
  }
  for (const p of a.problems.slice(0, 10)) out.push(`  ${p.severity}: ${p.message}`);
  return out.join('\n') + '\n';
}


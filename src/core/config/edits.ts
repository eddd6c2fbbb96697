/**
 * Where a config analysis sits in the file and how to edit it: the key under the cursor, the key
 * a finding sits on, the edit for a tokens-per-parameter ratio. Only types and the value parser:
 * the extension host imports this (hovers, quick fixes) without the YAML/TOML readers, which stay
 * in the config worker.
 */
import type { SourceRange } from './readers';
import { parseDuration, type ConfigValue } from './roleValues';
import type { ConfigAnalysis } from './types';

/** The key a ratio finding sits on: the first key the tokens came from, else the step/budget key, else the model size. */
export function budgetKey(a: ConfigAnalysis): ConfigValue | undefined {
  const s = a.sources;
  const from = a.derivedFrom.tokens[0];
  return (from && s[from]) ?? s.max_steps ?? s.token_budget ?? s.n_layer ?? s.d_model ?? Object.values(s)[0];
}

const within = (r: SourceRange, line: number, column: number): boolean =>
  (line > r.start.line || (line === r.start.line && column >= r.start.column)) &&
  (line < r.end.line || (line === r.end.line && column <= r.end.column));

/** The recognised key under the cursor (1-based line, 0-based column), on its key or its value. */
export function keyAt(analysis: ConfigAnalysis, line: number, column: number): ConfigValue | undefined {
  for (const v of Object.values(analysis.sources)) {
    if (v && (within(v.range, line, column) || within(v.valueRange, line, column))) return v;
  }
  return undefined;
}

/**
 * The edit that makes the config train on ≈ `ratio` tokens per (active) parameter: which key to
 * change and its new integer value (`newText` keeps the value's spelling: quotes, a "ba" unit).
 * Uses the step key (tokens per step stays); else the token-budget key. Undefined when the config
 * has no such key or too little to compute it.
 */
export function stepsForTokensPerParam(analysis: ConfigAnalysis, ratio: number): { key: ConfigValue; newValue: number; newText: string } | undefined {
  if (!analysis.params || !(ratio > 0)) return undefined;
  const target = ratio * analysis.params.active;
  const budget = analysis.sources.token_budget;
  if (budget) {
    const newValue = Math.round(target);
    return { key: budget, newValue, newText: respell(budget.raw, newValue) };
  }
  const perStep = analysis.breakdown.tokensPerStep;
  if (!perStep) return undefined;
  const newValue = Math.max(1, Math.round(target / perStep));
  // Any numeric step key, including Hugging Face's max_steps = -1 (a positive value overrides the epochs).
  const stepsKey = analysis.sources.max_steps && typeof analysis.sources.max_steps.value === 'number' ? analysis.sources.max_steps : undefined;
  if (stepsKey) return { key: stepsKey, newValue, newText: respell(stepsKey.raw, newValue) };
  const dur = analysis.sources.max_duration;
  if (dur) {
    const d = parseDuration(dur.value);
    if (d && d.unit === 'steps') return { key: dur, newValue, newText: respell(dur.raw, newValue, d.suffix || undefined) };
  }
  return undefined;
}

/** The new value written like the old one: same quotes, unit suffix kept. */
function respell(raw: string, n: number, suffix?: string): string {
  const t = raw.trim();
  const q = /^(["'])/.exec(t)?.[1] ?? '';
  const unit = suffix ?? (/^["']?[0-9._eE+-]+\s*([A-Za-z]+)["']?$/.exec(t)?.[1] ?? '');
  return `${q}${n}${unit}${q}`;
}

/**
 * The tokens-per-parameter finding, in one wording for configs and logs: the ratio, the D and N it
 * came from (and which parameter count N is: total, or active for a mixture of experts), the
 * threshold crossed and the compute-optimal reference.
 */
import type { Problem } from '../dataset';
import { formatCount, formatNumber } from '../format';

export interface RatioFindingInput {
  /** Training tokens D. */
  tokens: number;
  /** Parameters N the ratio divides by. */
  params: number;
  /** Which count N is, said after the number: "parameters", "active parameters (of 14.3B total)". */
  countLabel?: string;
  /** What the ratio is about ("this run", `run "a"`); omitted for a config. */
  what?: string;
  referenceRatio: number;
  warnBelow: number;
  warnAbove: number;
  line: number;
  column?: number;
}

const fmt = (v: number) => formatNumber(v, 3);

/** The finding, or undefined when the ratio is within [warnBelow, warnAbove]. */
export function tokensPerParamFinding(i: RatioFindingInput): Problem | undefined {
  if (!(i.params > 0) || !(i.tokens >= 0)) return undefined;
  const ratio = i.tokens / i.params;
  const ref = `the compute-optimal reference is ≈${fmt(i.referenceRatio)} tokens per parameter (Chinchilla, Hoffmann et al. 2022; Besiroglu et al. 2024 replication)`;
  const head = `Tokens per parameter is ${fmt(ratio)}${i.what ? ` for ${i.what}` : ''} (D = ${formatCount(i.tokens)} tokens, N = ${formatCount(i.params)} ${i.countLabel ?? 'parameters'})`;
  const at = { line: i.line, ...(i.column !== undefined ? { column: i.column } : {}) };
  if (ratio < i.warnBelow) {
    return { ...at, severity: 'warning', message: `${head}, below ${fmt(i.warnBelow)}: under-trained for its size; ${ref}.` };
  }
  if (ratio > i.warnAbove) {
    return { ...at, severity: 'info', message: `${head}, above ${fmt(i.warnAbove)}: over-trained relative to compute-optimal (often deliberate for inference); ${ref}.` };
  }
  return undefined;
}

/** Run vs sweep: a module of its own so every reader (text, run folders) can use it without import cycles. */
import { decimalNumber, own } from './collector';
import type { SampleValue } from './types';
import type { ColumnInfo, ColumnRole } from './types';
import { runsExportShape } from './runsExport';

/** Run vs sweep, from the roles and the sampled values. */
export function decideKind(columns: ColumnInfo[], sample: Record<string, ReadonlyArray<SampleValue>>): 'run' | 'sweep' {
  // A runs-table export (W&B): one row per run, whatever its columns say.
  if (runsExportShape(columns.map((c) => c.name))) return 'sweep';
  const col = (role: ColumnRole): ColumnInfo | undefined => columns.find((c) => c.role === role);
  const nums = (c: ColumnInfo | undefined): number[] =>
    c ? (own(sample, c.name) ?? []).map((v) => (typeof v === 'number' ? v : v === null || v === '' ? NaN : decimalNumber(v))).filter((v) => Number.isFinite(v)) : [];
  const params = nums(col('params'));
  if (params.length >= 2 && new Set(params).size >= 2) return 'sweep';
  const hasLoss = columns.some((c) => c.role === 'loss' || c.role === 'eval_loss');
  if (!col('step') && col('flops') && hasLoss) {
    const tokens = nums(col('tokens'));
    const increasing = tokens.length >= 2 && tokens.every((t, i) => i === 0 || t >= tokens[i - 1]);
    if (!increasing) return 'sweep';
  }
  return 'run';
}

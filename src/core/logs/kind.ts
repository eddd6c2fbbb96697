/** Run vs sweep: a module of its own so every reader (text, run folders) can use it without import cycles. */
import { decimalNumber, own } from './collector';
import type { SampleValue } from './types';
import type { ColumnInfo, ColumnRole } from './types';
import { runsExportShape } from './runsExport';
import { extent } from '../downsample';

/**
 * Run vs sweep, from the roles and the sampled values. A varying column only weakly named a parameter
 * count (`size`, its values no model size) beside a step counter that goes up (but where a run starts again) is a run's metric (YOLOX
 * prints its multi-scale input size, 320 to 800, on every step line): its role becomes 'other' here.
 */
export function decideKind(columns: ColumnInfo[], sample: Record<string, ReadonlyArray<SampleValue>>): 'run' | 'sweep' {
  // A runs-table export (W&B): one row per run, whatever its columns say.
  if (runsExportShape(columns.map((c) => c.name))) return 'sweep';
  const col = (role: ColumnRole): ColumnInfo | undefined => columns.find((c) => c.role === role);
  const nums = (c: ColumnInfo | undefined): number[] =>
    c ? (own(sample, c.name) ?? []).map((v) => (typeof v === 'number' ? v : v === null || v === '' ? NaN : decimalNumber(v))).filter((v) => Number.isFinite(v)) : [];
  const pc = col('params');
  const params = nums(pc);
  if (pc && params.length >= 2 && new Set(params).size >= 2) {
    // (Mostly going up: a file of runs one after another starts its step again at each.)
    const steps = nums(col('step'));
    let up = 0;
    for (let i = 1; i < steps.length; i++) if (steps[i] > steps[i - 1]) up++;
    if (!(pc.confidence < 0.5 && steps.length >= 2 && up >= 0.9 * (steps.length - 1))) return 'sweep';
    pc.role = 'other';
    const [pLo, pHi] = extent(params);
    pc.reason = `'${pc.name}' changes from step to step of one run (${pLo} to ${pHi}): a metric of the run, not a parameter count`;
  }
  const hasLoss = columns.some((c) => c.role === 'loss' || c.role === 'eval_loss');
  if (!col('step') && col('flops') && hasLoss) {
    const tokens = nums(col('tokens'));
    const increasing = tokens.length >= 2 && tokens.every((t, i) => i === 0 || t >= tokens[i - 1]);
    if (!increasing) return 'sweep';
  }
  return 'run';
}

/**
 * PaddleSeg's LR plan, as its console prints the resolved config when training starts
 * (`---------------Config Information---------------`, then the YAML: `iters: 120000`, and
 * `lr_scheduler:` with `type: PolynomialDecay`, `learning_rate: 0.01`, `power: 0.9`, `end_lr: 0.0`)
 * or as a PaddleSeg YAML config beside the log states it. Only `PolynomialDecay`, the scheduler of
 * PaddleSeg's configs, is read, as PaddleSeg builds it (paddleseg/cvlibs/config.py, `lr_scheduler`):
 * `decay_steps` defaults to `iters` (less `warmup_iters` when a warm-up is set), `end_lr` to 0,
 * `power` to 0.9; paddle.optimizer.lr.PolynomialDecay then gives, at iteration s ≤ decay_steps,
 * (lr − end_lr)·(1 − s/decay_steps)^power + end_lr; with `warmup_iters`, Paddle's LinearWarmup
 * rises from `warmup_start_lr` to `learning_rate` first and the decay starts after it. Scanned as
 * text with anchored, bounded patterns; nothing is executed.
 */
import { MAX_CURVE_STEPS, type CurvePlan } from './mmengine';
import { decimalNumber } from '../logs/collector';

/** PaddleSeg's plan (a curve, as schedule.ts's PlannedSchedule takes it). */
export type PaddleSegPlan = CurvePlan<'poly'>;

/** The banner PaddleSeg's train.py prints before the resolved config. */
const CONFIG_BANNER = '---------------Config Information---------------';
/** Most characters read after the last banner (a resolved config is a few KB). */
const MAX_CONFIG_CHARS = 65_536;
const ITERS_LINE = /^iters:[ \t]*(\d{1,9})[ \t]*\r?$/m;
const SCHEDULER_LINE = /^lr_scheduler:[ \t]*\r?$/m;
/** A key of the lr_scheduler block: indented, `key: value`. */
const BLOCK_KEY = /^[ \t]+([a-z_]{1,30}):[ \t]*([-+\w.]{1,40})[ \t]*\r?$/;

/** The plan of the last config PaddleSeg printed in `text` (the launch a log of several ends with), or of a PaddleSeg YAML config. */
export function paddleSegSchedule(text: string, fileName = 'the log'): PaddleSegPlan | undefined {
  const at = text.lastIndexOf(CONFIG_BANNER);
  const start = at >= 0 ? at : 0;
  const body = text.slice(start, start + MAX_CONFIG_CHARS);
  const sch = SCHEDULER_LINE.exec(body);
  const it = ITERS_LINE.exec(body);
  if (!sch || !it) return undefined;
  const keys = new Map<string, string>();
  for (const l of body.slice(sch.index + sch[0].length + 1).split('\n', 40)) {
    const m = BLOCK_KEY.exec(l);
    if (!m) break;
    keys.set(m[1], m[2]);
  }
  if (keys.get('type') !== 'PolynomialDecay' || /^true$/i.test(keys.get('cycle') ?? '')) return undefined;
  const num = (k: string): number | undefined => { const v = decimalNumber(keys.get(k) ?? ''); return keys.has(k) && Number.isFinite(v) ? v : undefined; };
  const iters = Number(it[1]);
  const base = num('learning_rate');
  if (!(iters > 0) || iters > MAX_CURVE_STEPS || !(base !== undefined && base > 0)) return undefined;
  const warm = Math.max(0, Math.round(num('warmup_iters') ?? 0));
  const warmStart = warm > 0 ? num('warmup_start_lr') : 0;
  // (PaddleSeg requires warmup_start_lr with warmup_iters.)
  if (warmStart === undefined || warm >= iters) return undefined;
  const endLr = num('end_lr') ?? 0, power = num('power') ?? 0.9;
  const decaySteps = num('decay_steps') ?? Math.max(1, iters - warm);
  if (!(power > 0) || !(decaySteps > 0) || !(endLr >= 0 && endLr <= base)) return undefined;
  const curve = new Float64Array(iters + 1);
  for (let s = 0; s <= iters; s++) {
    curve[s] = s < warm
      ? (warmStart + ((base - warmStart) * s) / warm) / base
      : ((base - endLr) * Math.pow(1 - Math.min(s - warm, decaySteps) / decaySteps, power) + endLr) / base;
  }
  const line = text.slice(0, start + it.index).split('\n').length;
  const said = [`power ${power}${keys.has('power') ? '' : ' (its default)'}`, `end_lr ${endLr}${keys.has('end_lr') ? '' : ' (its default)'}`,
    `decay_steps ${decaySteps}${keys.has('decay_steps') ? '' : ` (iters${warm ? ' − warmup_iters' : ''})`}`, ...(warm ? [`warm-up ${warm} iterations from ${warmStart}`] : [])];
  return {
    totalSteps: iters, warmupSteps: warm, decay: 'poly', minRatio: endLr / base, curve,
    source: `${fileName}, line ${line}: PaddleSeg's config (iters ${iters}, lr_scheduler PolynomialDecay, learning_rate ${base}, ${said.join(', ')})`,
  };
}

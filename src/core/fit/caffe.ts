/**
 * Caffe's LR plan, as its console prints the solver first (`Initializing solver from parameters:`
 * then `base_lr: 0.01`, `max_iter: 960`, `lr_policy: "poly"`, `power: 0.5`, …, one per line). The
 * policies are Caffe's own (caffe/src/caffe/solvers/sgd_solver.cpp, GetLearningRate), relative to
 * base_lr at iteration s: fixed 1; step γ^⌊s/stepsize⌋; multistep γ^(stepvalues passed); exp γ^s;
 * inv (1 + γs)^−power; poly (1 − s/max_iter)^power. (sigmoid rises: not a decay, not read.) Scanned as
 * text with anchored, bounded patterns; nothing is executed.
 */
import { MAX_CURVE_STEPS, type CurvePlan } from './mmengine';
import { decimalNumber } from '../logs/collector';

/** Caffe's plan (a curve, as schedule.ts's PlannedSchedule takes it). */
export type CaffePlan = CurvePlan<'constant' | 'multistep' | 'inverse_sqrt' | 'poly'>;

const SOLVER_LINE = /^[IWEF]\d{4} [\d:.]{8,15} {1,8}\d{1,10} solver\.cpp:\d{1,6}\] Initializing solver from parameters: ?\r?$/gm;
const KEY_LINE = /^([a-z_]{1,20}): ("?)([-+\w.]{1,40})\2\r?$/;
/** A glog line (the next message after the solver's parameters). */
const GLOG_LINE = /^[IWEF]\d{4} /;

/** The plan of the last solver a Caffe console printed in `text` (the launch a resumed log ends with). */
export function caffeSolverSchedule(text: string, fileName = 'the log'): CaffePlan | undefined {
  let at = -1;
  for (const m of text.matchAll(SOLVER_LINE)) at = m.index! + m[0].length;
  if (at < 0) return undefined;
  // The solver's parameters: its `key: value` lines (nested blocks and paths skipped), up to the next glog line.
  const keys = new Map<string, string[]>();
  const lines = text.slice(at, at + 16384).split('\n');
  for (let i = 1; i < lines.length && i < 200; i++) {
    if (GLOG_LINE.test(lines[i])) break;
    const m = KEY_LINE.exec(lines[i]);
    if (!m) continue;
    const list = keys.get(m[1]) ?? [];
    list.push(m[3]);
    keys.set(m[1], list);
  }
  const num = (k: string): number | undefined => { const v = decimalNumber(keys.get(k)?.[0] ?? ''); return keys.has(k) && Number.isFinite(v) ? v : undefined; };
  const maxIter = num('max_iter'), policy = keys.get('lr_policy')?.[0];
  if (!maxIter || !(maxIter > 0) || maxIter > MAX_CURVE_STEPS || !policy) return undefined;
  const gamma = num('gamma'), power = num('power'), stepsize = num('stepsize');
  const stepvalues = (keys.get('stepvalue') ?? []).map(Number).filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  let at_: (s: number) => number;
  let decay: CaffePlan['decay'];
  let said: string;
  switch (policy) {
    case 'fixed': at_ = () => 1; decay = 'constant'; said = 'fixed'; break;
    case 'step':
      if (!(gamma !== undefined && gamma > 0 && gamma <= 1 && stepsize && stepsize > 0)) return undefined;
      at_ = (s) => Math.pow(gamma, Math.floor(s / stepsize)); decay = 'multistep'; said = `step, gamma ${gamma} every ${stepsize}`; break;
    case 'multistep':
      if (!(gamma !== undefined && gamma > 0 && gamma <= 1 && stepvalues.length)) return undefined;
      at_ = (s) => Math.pow(gamma, stepvalues.filter((v) => v <= s).length); decay = 'multistep'; said = `multistep, gamma ${gamma} at ${stepvalues.join(', ')}`; break;
    case 'exp':
      if (!(gamma !== undefined && gamma > 0 && gamma <= 1)) return undefined;
      at_ = (s) => Math.pow(gamma, s); decay = 'multistep'; said = `exp, gamma ${gamma}`; break;
    case 'inv':
      if (!(gamma !== undefined && gamma >= 0 && power !== undefined && power >= 0)) return undefined;
      at_ = (s) => Math.pow(1 + gamma * s, -power); decay = 'inverse_sqrt'; said = `inv, gamma ${gamma}, power ${power}`; break;
    case 'poly':
      if (!(power !== undefined && power > 0)) return undefined;
      at_ = (s) => Math.pow(Math.max(0, 1 - s / maxIter), power); decay = 'poly'; said = `poly, power ${power}`; break;
    default: return undefined;
  }
  const total = Math.round(maxIter);
  const curve = new Float64Array(total + 1);
  for (let s = 0; s <= total; s++) curve[s] = at_(s);
  return {
    totalSteps: total, warmupSteps: 0, decay, minRatio: curve[total], curve,
    source: `${fileName}: Caffe's solver (lr_policy "${said}", max_iter ${total})`,
  };
}

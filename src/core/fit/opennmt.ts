/**
 * OpenNMT-py's LR plan, from its options as a log or a config beside it states them: the training
 * command a console's notes printed (`python train.py … -train_steps 100000 … -decay_method noam
 * -warmup_steps 8000 -learning_rate 2`), a YAML config (`decay_method: noam`, 2.x and later), or a
 * printed argparse Namespace (`decay_method='noam'`). The shapes are OpenNMT-py's own
 * (onmt/utils/optimizers.py), relative to their peak at optimizer step s, w = warmup_steps:
 * noam d^−½·min(s^−½, s·w^−1.5) — a linear warm-up to w, then √(w/s); rsqrt 1/√max(s, w) — flat to w,
 * then √(w/s); and, with no decay_method, the exponential decay learning_rate_decay^⌊max(s −
 * start_decay_steps + decay_steps, 0)/decay_steps⌋. Unset options take OpenNMT-py's defaults
 * (train_steps 100000, warmup_steps 4000, start_decay_steps 50000, decay_steps 10000), said so.
 * Scanned as text, line by line with anchored, bounded patterns; nothing is executed.
 */
import { MAX_CURVE_STEPS, type CurvePlan } from './mmengine';
import { formatInteger } from '../format';
import { decimalNumber } from '../logs/collector';
import { lineSpans } from '../lines';

/** OpenNMT-py's plan (schedule.ts's PlannedSchedule; noam's is plannedLr's inverse_sqrt, the others a curve). */
export type OpenNmtPlan = Omit<CurvePlan<'inverse_sqrt' | 'multistep'>, 'curve'> & { curve?: Float64Array };

const KEYS = ['decay_method', 'warmup_steps', 'train_steps', 'learning_rate_decay', 'start_decay_steps', 'decay_steps'] as const;
type Key = (typeof KEYS)[number];
const KEY = KEYS.join('|');
/** A command-line option: `-warmup_steps 8000`, `--decay_method noam`, `--train_steps=100000`. Groups: 1 key, 3 value. */
const FLAG_RE = new RegExp(`(?:^|[ \\t])--?(${KEY})(?:[ \\t]+|=)(['"]?)([-+\\w.]{1,40})\\2(?=[ \\t\\\\;]|\\r?$)`, 'g');
/** A YAML line: `decay_method: noam`. Groups: 1 key, 3 value. */
const YAML_RE = new RegExp(`^[ \\t]{0,16}(${KEY})[ \\t]*:[ \\t]*(['"]?)([-+\\w.]{1,40})\\2[ \\t]*(?:#.*)?\\r?$`);
/** A pair of a printed Namespace: `…, decay_method='noam', …, warmup_steps=8000, …`. Groups: 1 key, 3 value. */
const DUMP_RE = new RegExp(`[(,][ \\t]?(${KEY})=(['"]?)([-+\\w.]{1,40})\\2(?=[,)])`, 'g');
/** Longest line read (a Namespace of OpenNMT-py's ~200 options runs to a few KB). */
const MAX_LINE = 64 * 1024;

/** The options stated in `text`, each its last value and the line it is on (1-based). */
function options(text: string): Map<Key, { value: string; line: number; form: 'flag' | 'yaml' | 'dump' }> {
  const out = new Map<Key, { value: string; line: number; form: 'flag' | 'yaml' | 'dump' }>();
  for (const [start, end, line] of lineSpans(text, 4_000_000)) {
    if (end - start <= MAX_LINE) {
      const l = text.slice(start, end);
      // (A commented-out line, a script's `# python3 train.py -gpuid 0 \`, states nothing.)
      if (!/^[ \t]*#/.test(l) && /decay|_steps/.test(l)) {
        const y = YAML_RE.exec(l);
        if (y) out.set(y[1] as Key, { value: y[3], line, form: 'yaml' });
        else if (l.includes('Namespace(')) {
          for (const m of l.matchAll(DUMP_RE)) out.set(m[1] as Key, { value: m[3], line, form: 'dump' });
        } else {
          for (const m of l.matchAll(FLAG_RE)) out.set(m[1] as Key, { value: m[3], line, form: 'flag' });
        }
      }
    }
  }
  return out;
}

/**
 * The plan OpenNMT-py's options in `text` state, or undefined when they name no schedule read here:
 * a `decay_method` of noam or rsqrt, or (none named) an exponential decay whose `learning_rate_decay`
 * and its start or interval are stated. (noamwd, noam times an exponential decay, is not read.)
 */
export function openNmtSchedule(text: string, fileName = 'the log'): OpenNmtPlan | undefined {
  if (!/decay_method|learning_rate_decay/.test(text)) return undefined;
  const o = options(text);
  const said = (k: Key) => {
    const e = o.get(k)!;
    return e.form === 'flag' ? `-${k} ${e.value}` : e.form === 'yaml' ? `${k}: ${e.value}` : `${k}=${e.value}`;
  };
  const int = (k: Key, dflt: number): { v: number; words: string } | undefined => {
    const e = o.get(k);
    if (!e) return { v: dflt, words: `${k} not stated: OpenNMT-py's default ${formatInteger(dflt)}` };
    const v = decimalNumber(e.value);
    return Number.isInteger(v) && v > 0 ? { v, words: `"${said(k)}" (line ${e.line})` } : undefined;
  };
  const method = o.get('decay_method')?.value.replace(/^['"]|['"]$/g, '').toLowerCase();
  const total = int('train_steps', 100_000);
  if (!total || total.v > MAX_CURVE_STEPS) return undefined;
  const T = total.v;
  const head = `${fileName}: OpenNMT-py's options`;
  if (method === 'noam' || method === 'rsqrt') {
    const warm = int('warmup_steps', 4000);
    if (!warm) return undefined;
    const w = Math.min(T, warm.v);
    const m = `"${said('decay_method')}" (line ${o.get('decay_method')!.line})`;
    if (method === 'noam') {
      return {
        totalSteps: T, warmupSteps: w, decay: 'inverse_sqrt', minRatio: Math.sqrt(w / T),
        source: `${head} ${m}, ${warm.words}, ${total.words} (noam: a linear warm-up to step ${formatInteger(w)}, then the LR falls as 1/√step)`,
      };
    }
    const curve = new Float64Array(T + 1);
    for (let s = 0; s <= T; s++) curve[s] = Math.sqrt(w / Math.max(s, w));
    return {
      totalSteps: T, warmupSteps: 0, decay: 'inverse_sqrt', minRatio: curve[T], curve,
      source: `${head} ${m}, ${warm.words}, ${total.words} (rsqrt: the LR held to step ${formatInteger(w)}, then falling as 1/√step)`,
    };
  }
  if (method !== undefined && method !== 'none') return undefined;
  // The exponential decay OpenNMT-py applies with no decay_method: only where its rate is stated with
  // its start or its interval (OpenNMT-tf's configs have a start_decay_steps of their own, not this decay).
  const rateE = o.get('learning_rate_decay');
  const rate = decimalNumber(rateE?.value ?? '');
  if (!rateE || !(rate > 0 && rate <= 1) || (!o.has('start_decay_steps') && !o.has('decay_steps'))) return undefined;
  const start = int('start_decay_steps', 50_000), every = int('decay_steps', 10_000);
  if (!start || !every) return undefined;
  const curve = new Float64Array(T + 1);
  for (let s = 0; s <= T; s++) curve[s] = Math.pow(rate, Math.floor(Math.max(s - start.v + every.v, 0) / every.v));
  return {
    totalSteps: T, warmupSteps: 0, decay: 'multistep', minRatio: curve[T], curve,
    source: `${head} "${said('learning_rate_decay')}" (line ${rateE.line}), ${start.words}, ${every.words}, ${total.words} (the LR × ${rate} at step ${formatInteger(start.v)} and every ${formatInteger(every.v)} steps after)`,
  };
}

/**
 * LR plans two consoles print at their head, read as the scripts that print them use them (nothing is
 * executed; anchored, bounded patterns over the head's lines):
 *
 * - YOLOX's experiment table (`│ scheduler │ 'yoloxwarmcos' │`, `│ max_epoch │ 300 │`, …), its
 *   `yoloxwarmcos` as yolox/utils/lr_scheduler.py's yolox_warm_cos_lr computes it;
 * - Transformer-XL's printed arguments (`    - max_step : 125000`): kimiyoung's train.py (a cosine
 *   over max_step from step 0 under a linear warm-up), and the AWD-LSTM loop of Schlag et al. 2021
 *   (Fast Weight Memory, transformer_xl_ptb/train.py: a cosine to lr_min at max_decay_step, then the LR
 *   × ema_lr_mult from epoch std_epochs + 1, when its weights start being averaged).
 */
import { MAX_CURVE_STEPS, type CurvePlan } from './mmengine';
import { formatInteger } from '../format';
import { lineSpans } from '../lines';

/** A plan read from a console's printed arguments (a curve, as schedule.ts's PlannedSchedule takes it). */
export type PrintedPlan = CurvePlan<'cosine'>;

/** The head's lines read (a printed table or argument list comes before training). */
const MAX_LINES = 20_000;

/** A number as Python prints it (`300`, `0.05`, `1.2e-06`); undefined otherwise. */
function num(v: string | undefined): number | undefined {
  if (v === undefined || !/^[+-]?\d{1,12}(?:\.\d{0,20})?(?:e[-+]?\d{1,3})?$/i.test(v)) return undefined;
  const x = Number(v);
  return Number.isFinite(x) ? x : undefined;
}

/** The lines of `text` (up to MAX_LINES, each up to 400 characters read), with their 1-based numbers. */
function* linesOf(text: string): Generator<[string, number]> {
  for (const [start, end, n] of lineSpans(text, Infinity, MAX_LINES)) yield [text.slice(start, Math.min(end, start + 400)).replace(/\r$/, ''), n];
}

/** YOLOX's experiment table row: `│ min_lr_ratio     │ 0.05      │` (groups: 1 the key, 2 the value). */
const YOLOX_ROW = /^[│|][ \t]{0,40}([a-z_]{1,40})[ \t]{0,40}[│|]([^│|]{1,400})[│|][ \t]*$/;
const YOLOX_KEYS: ReadonlySet<string> = new Set(['scheduler', 'max_epoch', 'warmup_epochs', 'no_aug_epochs', 'min_lr_ratio', 'warmup_lr']);
/** How far into a log its YOLOX tables are looked for (a log of several launches prints one each). */
const YOLOX_TABLE_CHARS = 4_000_000;

/**
 * The rows of the YOLOX experiment tables a train_log.txt prints before training (`│ max_epoch │ 300 │`),
 * the keys the LR plan and the augmentation's end are read from: each key's value (quotes taken off) in
 * the last row printed (the last launch's table, when several launches printed one) and its line.
 * Lines up to the first 4 MB, each up to 400 characters (a longer line is no row of the table).
 * The one reader of the table for both (yoloxSchedule here, schedule.ts's augmentationOffOfLog).
 */
export function yoloxTable(text: string): Map<string, { value: string; line: number }> {
  const k = new Map<string, { value: string; line: number }>();
  for (const [start, end, n] of lineSpans(text, YOLOX_TABLE_CHARS)) {
    const c = text.charCodeAt(start);
    if (end - start <= 2 || end - start > 400 || (c !== 0x2502 && c !== 0x7c)) continue;
    const m = YOLOX_ROW.exec(text.slice(start, end).replace(/\r$/, ''));
    // (The value's blanks trimmed here, not by the pattern: a lazy value before a run of blanks backtracks.)
    const v = m && YOLOX_KEYS.has(m[1]) ? m[2].trim() : '';
    if (v) k.set(m![1], { value: v.replace(/^'|'$/g, ''), line: n });
  }
  return k;
}

/**
 * YOLOX's plan as its train_log.txt prints it (the experiment table before training; the last table
 * when several launches printed one): `scheduler 'yoloxwarmcos'` with `max_epoch`, `warmup_epochs`,
 * `no_aug_epochs`, `min_lr_ratio`, `warmup_lr`. yolox_warm_cos_lr at iteration s (the log's step,
 * (epoch − 1) × `stepsPerEpoch` + its `iter: N/…`, the iteration whose LR that line prints): (s/W)² of the
 * peak over the warm-up's W = stepsPerEpoch × warmup_epochs iterations, a cosine from the peak to
 * min_lr_ratio × peak ending at T − N (T = stepsPerEpoch × max_epoch, N = stepsPerEpoch ×
 * no_aug_epochs), then min_lr_ratio × peak held over the last no_aug_epochs. Only with `warmup_lr 0`
 * (YOLOX's default: the warm-up from 0; another start is an LR whose peak the table does not print)
 * and the iterations an epoch takes known from the log.
 */
export function yoloxSchedule(text: string, fileName: string, stepsPerEpoch: number | undefined): PrintedPlan | undefined {
  if (!text.includes('yoloxwarmcos') || !(stepsPerEpoch && Number.isInteger(stepsPerEpoch) && stepsPerEpoch > 0)) return undefined;
  const k = yoloxTable(text);
  if (k.get('scheduler')?.value !== 'yoloxwarmcos') return undefined;
  const maxEpoch = num(k.get('max_epoch')?.value), warm = num(k.get('warmup_epochs')?.value);
  const noAug = num(k.get('no_aug_epochs')?.value), ratio = num(k.get('min_lr_ratio')?.value), warmLr = num(k.get('warmup_lr')?.value);
  if (!(maxEpoch && Number.isInteger(maxEpoch) && maxEpoch >= 1) || warm === undefined || !(warm >= 0) || noAug === undefined || !(noAug >= 0)
    || ratio === undefined || !(ratio >= 0 && ratio <= 1) || warmLr !== 0) return undefined;
  const T = stepsPerEpoch * maxEpoch, W = stepsPerEpoch * warm, N = stepsPerEpoch * noAug;
  if (T > MAX_CURVE_STEPS || !(T - W - N > 0)) return undefined;
  const curve = new Float64Array(T + 1);
  for (let s = 0; s <= T; s++) {
    curve[s] = s <= W ? (W > 0 ? (s / W) ** 2 : 1)
      : s >= T - N ? ratio
      : ratio + 0.5 * (1 - ratio) * (1 + Math.cos((Math.PI * (s - W)) / (T - W - N)));
  }
  const line = k.get('scheduler')!.line;
  return {
    totalSteps: T, warmupSteps: W, decay: 'cosine', minRatio: ratio, curve,
    source: `${fileName}, line ${line}: YOLOX's printed experiment (scheduler 'yoloxwarmcos', warmup_epochs ${warm}, max_epoch ${maxEpoch}, no_aug_epochs ${noAug}, min_lr_ratio ${ratio}) at ${formatInteger(stepsPerEpoch)} iterations an epoch: a quadratic warm-up of ${formatInteger(W)} steps, a cosine to ${ratio} of the peak at step ${formatInteger(T - N)}, then held there to step ${formatInteger(T)}`,
  };
}

/** Transformer-XL's printed argument: `    - max_step : 125000` (groups: 1 the key, 2 the value). */
const TXL_ARG = /^ {4}- ([A-Za-z_]\w{0,60}) : (.{0,200})$/;

/**
 * The arguments a Transformer-XL train.py printed (`logging('    - {} : {}'.format(k, v))` for each,
 * between lines of `=`); the last block printed (a restarted run prints one each launch). With the
 * line each key is on.
 */
function txlArgs(text: string): Map<string, { value: string; line: number }> | undefined {
  let block: Map<string, { value: string; line: number }> | undefined, last: typeof block, inBlock = false;
  for (const [l, n] of linesOf(text)) {
    const m = l.startsWith('    - ') ? TXL_ARG.exec(l) : null;
    if (!m) { inBlock = false; continue; }
    if (!inBlock) { block = new Map(); last = block; inBlock = true; }
    block!.set(m[1], { value: m[2].trim(), line: n });
  }
  return last;
}

/**
 * The LR plan a Transformer-XL console printed in its arguments, on the log's step axis:
 *
 * - kimiyoung's train.py (`max_step`, `scheduler : cosine`, `warmup_step`, `lr`, `eta_min`): the LR
 *   lr × step / warmup_step below warmup_step, then CosineAnnealingLR(max_step, eta_min) stepped to
 *   the step itself (its closed form: a cosine from step 0, not from the warm-up's end, to eta_min at
 *   max_step; its `lr_min` is not the cosine's floor: "here we do not set eta_min to lr_min");
 * - the AWD-LSTM loop of Fast Weight Memory's transformer_xl_ptb/train.py (`max_decay_step`,
 *   `std_epochs`, `ema_epochs`, `ema_lr_mult`, `lr_min`): the same warm-up, then CosineAnnealingLR(
 *   max_decay_step − warmup_step, eta_min = lr_min) stepped each step up to max_decay_step (held
 *   after), and from the first step of epoch std_epochs + 1 (`Starting EMA`) the LR × ema_lr_mult,
 *   the scheduler no longer stepped, to the end of epoch `epochs`. Its epochs are placed as the
 *   log's axis places them, `stepsPerEpoch` (the `N/ 1327 batches` it prints) each; its steps are
 *   counted as the log's (the script's epochs take a few more batches than that nominal count: its
 *   sequence lengths are drawn around bptt).
 *
 * Another scheduler (inv_sqrt, constant, dev_perf: a plateau) is not read.
 */
export function transformerXlSchedule(text: string, fileName: string, stepsPerEpoch: number | undefined): PrintedPlan | undefined {
  if (!text.includes('    - ')) return undefined;
  const k = txlArgs(text);
  if (!k || k.get('scheduler')?.value !== 'cosine') return undefined;
  const lr = num(k.get('lr')?.value), w = num(k.get('warmup_step')?.value) ?? 0;
  if (!(lr && lr > 0) || !(w >= 0)) return undefined;
  const warm = (s: number) => (w > 0 && s < w ? s / w : undefined);
  const maxStep = num(k.get('max_step')?.value), maxDecay = num(k.get('max_decay_step')?.value);
  const said = (key: string) => `${key} ${k.get(key)!.value}`;
  const line = k.get('scheduler')!.line;
  if (maxStep !== undefined && maxDecay === undefined) {
    const etaMin = num(k.get('eta_min')?.value) ?? 0;
    const m = etaMin / lr;
    if (!(Number.isInteger(maxStep) && maxStep > w && maxStep <= MAX_CURVE_STEPS) || !(m >= 0 && m <= 1)) return undefined;
    const curve = new Float64Array(maxStep + 1);
    for (let s = 0; s <= maxStep; s++) curve[s] = warm(s) ?? m + (1 - m) * 0.5 * (1 + Math.cos((Math.PI * s) / maxStep));
    return {
      totalSteps: maxStep, warmupSteps: w, decay: 'cosine', minRatio: m, curve,
      source: `${fileName}, line ${line}: Transformer-XL's printed arguments (scheduler cosine, ${said('lr')}, ${said('warmup_step')}, ${said('max_step')}${k.has('eta_min') ? `, ${said('eta_min')}` : ''}): a linear warm-up, then a cosine from step 0 to ${Number(m.toPrecision(3))} of the peak at step ${formatInteger(maxStep)} (train.py's CosineAnnealingLR stepped to the step)`,
    };
  }
  if (maxDecay === undefined || !k.has('std_epochs')) return undefined;
  const lrMin = num(k.get('lr_min')?.value), stdEpochs = num(k.get('std_epochs')?.value), epochs = num(k.get('epochs')?.value);
  const emaEpochs = num(k.get('ema_epochs')?.value) ?? 0, mult = num(k.get('ema_lr_mult')?.value) ?? 1;
  if (lrMin === undefined || !(lrMin >= 0 && lrMin <= lr) || !(Number.isInteger(maxDecay) && maxDecay > w)) return undefined;
  if (!(stdEpochs !== undefined && Number.isInteger(stdEpochs) && stdEpochs >= 1 && epochs !== undefined && Number.isInteger(epochs) && epochs === stdEpochs + emaEpochs)) return undefined;
  if (!(stepsPerEpoch && Number.isInteger(stepsPerEpoch) && stepsPerEpoch > 0) || !(mult > 0 && mult <= 1)) return undefined;
  const total = epochs * stepsPerEpoch, emaFrom = stdEpochs * stepsPerEpoch;
  if (total > MAX_CURVE_STEPS) return undefined;
  const m = lrMin / lr, tMax = maxDecay - w;
  // (CosineAnnealingLR's first step is at warmup_step: its epoch counter is then 1.)
  const decayed = (s: number) => warm(s) ?? m + (1 - m) * 0.5 * (1 + Math.cos((Math.PI * (Math.min(s, maxDecay) - w + 1)) / tMax));
  const curve = new Float64Array(total + 1);
  for (let s = 0; s <= total; s++) curve[s] = s <= emaFrom ? decayed(s) : decayed(emaFrom) * mult;
  const ema = emaEpochs > 0 && mult < 1
    ? `, then from epoch ${stdEpochs + 1} (std_epochs ${stdEpochs}: step ${formatInteger(emaFrom)} at ${formatInteger(stepsPerEpoch)} steps an epoch) the LR × ema_lr_mult ${mult} to epoch ${epochs}`
    : '';
  return {
    totalSteps: total, warmupSteps: w, decay: 'cosine', minRatio: curve[total], curve,
    source: `${fileName}, line ${line}: the printed arguments of Fast Weight Memory's Transformer-XL (AWD-LSTM loop: scheduler cosine, ${said('lr')}, ${said('lr_min')}, ${said('warmup_step')}, ${said('max_decay_step')}, ${said('epochs')}): a linear warm-up, a cosine to lr_min at step ${formatInteger(maxDecay)}, held${ema}`,
  };
}

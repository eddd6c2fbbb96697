/**
 * The built-in analysis kinds: a single run's loss curve, and a sweep table (one row per run, of
 * one sweep or of several, fitted per group). Pure: no `vscode`, no I/O. The entry point that
 * picks a kind and fills options from configs is src/core/pipeline.ts.
 */
import type { Problem, RunCurve, SweepTable } from './dataset';
import type { ParsedLog } from './logs';
import { hollowLossColumns, hollowLossText, seriesColumn, toRunCurves, WHOLE_LOSS } from './logs';
import { stepUnitOf } from './logs/epochs';
import { rlReason, rlRunOf } from './logs/rl';
import { nonFiniteTailWhere } from './logs/collector';
import { fitRunCurve, fitSweep } from './fit';
import { distinctSizes } from './fit/sweep';
import { passesLoss } from './fit/run';
import { sweepColumns } from './sweepColumns';
import { prefixEnd } from './fit/backtest';
import { augmentationOffOfLog, lrCutsOfConfigs, optimizerChangesOfTexts, plannedEndOfLog, plannedEpochsOfLog, scheduleForLog, type AugmentationOff, type OptimizerChanges } from './fit/schedule';
import type { FitReport, LawName } from './fit/types';
import { LAW_INFO, paramsFor } from './fit/types';
import { CHINCHILLA_TOKENS_PER_PARAM } from './fit/laws';
import { isCancelled } from './cancel';
import { own, setOwn } from './own';
import { applyConfigModel } from './nearbyConfigs';
import { ALL_GROUPS, type AnalyzeOptions, type XKind } from './options';
import type { GroupView, LogState } from '../protocol';
import { epochWords, formatCount, formatNumber } from './format';
import { downsampleIndices, extent } from './downsample';
import { heldOutRises, heldOutRiseMessage } from './overfit';

/** The losses of a reinforcement-learning run by name (PPO's actor and critic, a policy's, a value head's, DPO/GRPO's). */
const RL_LOSS_NAME_RE = /^(?:act|actor|cri|critic|policy|pg|value|vf|ppo|grpo|dpo|rl)(?:[_/. -]|$)/i;
import { baseState, errorText, listed, parseFindings, ratioFinding, shownNames, toView, type Analysis, type AnalysisContext, type Analyzer } from './analyzer';

/** Most points fitted (a longer run: evenly strided, the last point kept); the chart gets at most 2·CHART_BUCKETS + 2 of them. */
export const MAX_POINTS = 2_000_000;
/**
 * Runs of a sweep table sent to the chart at most: beyond, every k-th row (the fit uses every row), so a
 * table of 10^6 runs does not pass 4 × 10^6 numbers through the extension host to be drawn.
 */
export const MAX_SWEEP_DRAWN = 20_000;

/**
 * The rows of a sweep the chart draws: all of them, or every k-th of a longer table with the total;
 * of a table of several sweeps, every k-th row of each (a small group keeps its first row).
 */
export function sweepForChart(t: { N: ArrayLike<number>; D: ArrayLike<number>; C: ArrayLike<number>; loss: ArrayLike<number> }, group?: number[]): NonNullable<LogState['sweep']> {
  const n = t.N.length;
  const k = Math.max(1, Math.ceil(n / MAX_SWEEP_DRAWN));
  if (k === 1) return { N: Array.from(t.N), D: Array.from(t.D), C: Array.from(t.C), loss: Array.from(t.loss), ...(group ? { group: [...group] } : {}) };
  const rows: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const g = group ? group[i] : 0;
    const c = seen.get(g) ?? 0;
    if (c % k === 0) rows.push(i);
    seen.set(g, c + 1);
  }
  const pick = (a: ArrayLike<number>): number[] => rows.map((i) => a[i]);
  return { N: pick(t.N), D: pick(t.D), C: pick(t.C), loss: pick(t.loss), ...(group ? { group: pick(group) } : {}), total: n };
}

/** Buckets of a run's chart: at most 2·this + 2 points drawn (the fit uses up to MAX_POINTS). */
export const CHART_BUCKETS = 4000;
/** Most groups fitted in one table (each is a full fit). */
const MAX_GROUPS = 100;

const fmt = (v: number, digits = 3): string => formatNumber(v, digits);

// ---- runs -------------------------------------------------------------------------------------

function xFor(curve: RunCurve, xKind: XKind, params: number): Float64Array | undefined {
  if (xKind === 'tokens') return curve.tokens;
  if (xKind === 'step') return curve.step.length ? curve.step : undefined;
  if (xKind === 'params') return undefined;
  if (curve.flops) return curve.flops;
  if (curve.tokens && params > 0) return curve.tokens.map((d) => 6 * params * d);
  return undefined;
}

/**
 * The one default-axis rule for a run: tokens, else FLOPs, else steps (the first this curve has
 * positive values for). The CLI and the editor both take `xKinds[0]` when the user chose none.
 */
const RUN_AXIS_ORDER: readonly XKind[] = ['tokens', 'flops', 'step'];

export function runAxes(curve: RunCurve, params: number): XKind[] {
  return RUN_AXIS_ORDER.filter((k) => {
    const x = xFor(curve, k, params);
    return !!x && x.some((v) => Number.isFinite(v) && v > 0);
  });
}


/**
 * The step after which augmentation stops, on the run's step axis: the epochs trained with it times
 * the steps an epoch takes (the log's epoch column, else the planned end over the planned epochs,
 * else one step an epoch when the steps count the epochs: YOLO's results.csv, Ultralytics' MLflow
 * metrics).
 */
function augmentStep(a: AugmentationOff | undefined, stepsPerPass: number | undefined, plannedEnd: number | undefined, steps: ArrayLike<number>): { step: number; what: string; source: string } | undefined {
  if (!a) return undefined;
  let last = 0;
  for (let i = 0; i < steps.length; i++) if (steps[i] > last) last = steps[i];
  let per = stepsPerPass && stepsPerPass > 0 ? stepsPerPass : plannedEnd && plannedEnd > 0 ? plannedEnd / a.epochs : last > 0 && last <= a.epochs ? 1 : 0;
  if (!(per > 0)) return undefined;
  if (Math.abs(per - 1) < 0.05) per = 1;
  return { step: (a.epochs - a.epochsOff) * per, what: a.what, source: a.source };
}

/**
 * An AWD-LSTM script's planned or possible optimizer changes on the run's steps: a planned switch to
 * averaged SGD and the `when` epochs' LR cuts at the end of their epochs (steps an epoch takes × the
 * epoch; none without it), an NT-ASGD switch at any later epoch unless the log shows it came (at
 * `averagedFrom`).
 */
function optimizerSteps(c: OptimizerChanges | undefined, stepsPerPass: number | undefined, averagedFrom: number | undefined): Array<{ step?: number; happened?: number; what: string; source: string }> {
  if (!c) return [];
  const out: Array<{ step?: number; happened?: number; what: string; source: string }> = [];
  const per = stepsPerPass && stepsPerPass > 0 ? stepsPerPass : 0;
  if (c.switchAfterEpoch !== undefined && per) out.push({ step: c.switchAfterEpoch * per, what: 'the optimizer switches to averaged SGD (ASGD)', source: `after epoch ${c.switchAfterEpoch}: ${c.source}` });
  if (c.switchWhenStalls) out.push({ ...(averagedFrom !== undefined ? { happened: averagedFrom } : {}), what: 'a switch to averaged SGD (NT-ASGD: when the validation loss stops improving)', source: c.source });
  if (per) for (const e of c.lrDivEpochs) out.push({ step: e * per, what: 'the LR is divided by 10', source: `after epoch ${e}: ${c.source}` });
  return out;
}

/**
 * A curve of one run of a folder of runs (an MLflow experiment, a W&B folder, AllenNLP folders) is
 * fitted as that run's own folder would be: on its rows alone (its LR column is its own, not the
 * runs' concatenated), with what its record says (params, configs, planned end, passes), not the
 * folder's, which says nothing of them. (Before, a YOLOv8 run fitted through its experiment folder lost
 * its 100 epochs and its augmentation switch: a band of ±16% that missed its end, where its own folder
 * gave one open below.)
 */
function oneRunView(log: ParsedLog, curve: RunCurve, texts: ReadonlyArray<{ file: string; text: string }>, useConfigs: boolean): { log: ParsedLog; texts: Array<{ file: string; text: string }> } {
  const runs = log.run?.runs;
  const entry = !runs ? undefined : curve.run !== undefined ? runs.find((r) => r.name === curve.run) : runs.length === 1 ? runs[0] : undefined;
  if (!entry) return { log, texts: [...texts] };
  const meta = entry.meta ?? {};
  const out = { log: { ...log, run: { ...meta } }, texts: [...texts, ...(useConfigs ? meta.configs ?? [] : [])] };
  const runCol = log.columns.find((c) => c.role === 'run' && own(log.labels, c.name));
  const labels = runCol ? own(log.labels, runCol.name) : undefined;
  if (!labels || runs!.length < 2) return out;
  const keep: number[] = [];
  for (let i = 0; i < log.rows; i++) if (labels[i] === entry.name) keep.push(i);
  // Its own columns only: another run's LR column (`train/learning_rate` beside this run's `train/lr`)
  // is all NaN on these rows, and would be taken for the LR before its own.
  const data: Record<string, Float64Array> = Object.create(null) as Record<string, Float64Array>;
  for (const k of Object.keys(log.data)) {
    const v = Float64Array.from(keep, (i) => log.data[k][i]);
    if (v.some((x) => !Number.isNaN(x))) setOwn(data, k, v);
  }
  const columns = log.columns.filter((c) => !own(log.data, c.name) || own(data, c.name));
  out.log = { ...out.log, rows: keep.length, columns, data, lines: Uint32Array.from(keep, (i) => log.lines[i]) };
  return out;
}

/** Whether a curve is of a column with this role, alone or per run (`name (run)`). */
function seriesHasRole(role: ReadonlyMap<string, string>, series: string, want: string): boolean {
  return role.get(seriesColumn(role, series)) === want;
}

/** The series a run opens with: the training loss with the most points (eval series otherwise); the whole loss before its parts. */
function defaultCurve(log: ParsedLog, curves: RunCurve[], role: ReadonlyMap<string, string>): RunCurve {
  const isTrain = (c: RunCurve): boolean => seriesHasRole(role, c.series, 'loss');
  // (Points a law can fit: positive. DeepSpeed-Chat's PPO log has an `unsuper_loss` of 0.0 on every
  // line, which had opened the run with "no finite, positive points".)
  const points = (c: RunCurve) => c.loss.reduce((n, v) => n + (Number.isFinite(v) && v > 0 ? 1 : 0), 0);
  // The whole loss before its parts: detectron2 logs `loss_box_reg`, `loss_cls`, … before `total_loss`.
  const conf = new Map(log.columns.map((c) => [c.name, c.confidence]));
  const base = (c: RunCurve): string => { const i = c.series.indexOf(' ('); return i >= 0 && !role.has(c.series) ? c.series.slice(0, i) : c.series; };
  const whole = (c: RunCurve): boolean => (conf.get(base(c)) ?? 0) >= 0.8 && (WHOLE_LOSS.test(base(c)) || base(c) === log.run?.wholeLoss);
  // Of as many points, Megatron's and GPT-NeoX's `lm_loss` before DeepSpeed's `loss` on its own
  // `steps: N loss: X` lines: the model's loss averaged over the logging interval, not one step's
  // engine loss (which may hold auxiliary terms).
  const lm = (c: RunCurve): number => (/^lm[_ ]loss$/i.test(base(c)) ? 0.5 : 0);
  const score = (c: RunCurve) => { const k = points(c); return (k > 0 ? 1e16 : 0) + (isTrain(c) ? 1e15 : 0) + (whole(c) ? 1e14 : 0) + k + lm(c); };
  let best = curves[0];
  let top = score(best);
  for (const c of curves) {
    const s = score(c);
    if (s > top) { best = c; top = s; }
  }
  return best;
}

/**
 * The last line of the file a user at a prefix fit's cut would have had: the line before the curve's
 * first row past the cut (everything printed up to then: an eval, an LR line), or undefined when no row
 * lies past it (the whole file is the prefix).
 */
function cutLineOf(curve: RunCurve, until: number): number | undefined {
  let lastIn = 0;
  for (let i = 0; i < curve.step.length; i++) if (curve.step[i] <= until && curve.lines[i] > lastIn) lastIn = curve.lines[i];
  let next = Infinity;
  for (let i = 0; i < curve.step.length; i++) if (curve.step[i] > until && curve.lines[i] > lastIn && curve.lines[i] < next) next = curve.lines[i];
  return lastIn > 0 && Number.isFinite(next) ? next - 1 : undefined;
}

function analyzeRun(ctx: AnalysisContext): Analysis {
  const { log, options: opts } = ctx;
  const state = baseState(log, opts);
  const findings = parseFindings(log);
  const curves = toRunCurves(log, { tokensPerStep: opts.tokensPerStep > 0 ? opts.tokensPerStep : undefined });
  state.seriesNames = shownNames(curves.map((c) => c.series));
  if (ctx.configNote) state.configNote = ctx.configNote;
  if (curves.length === 0) {
    const texty = log.columns.filter((c) => c.textFor === 'loss' || c.textFor === 'eval_loss');
    const how = '"Scaling Lens: Set Column Role…" (CLI: --role COLUMN=ROLE)';
    // Loss columns without one finite value (a run that diverged to NaN from the start): said as such.
    const hollow = hollowLossColumns(log);
    const why = hollow.length > 0 && texty.length === 0
      ? ` ${hollowLossText(hollow)}, so there is nothing to fit.`
      : texty.length === 0 ? ` Set a column's role with ${how}.`
      : ` Not read as a loss: ${texty.slice(0, 3).map((c) => `"${c.name}": ${c.reason}`).join('; ')}. Set its role to ${texty[0].textFor} with ${how} to read its numbers; the text cells are then skipped, each named by its line.`;
    state.fitError = `${state.name}: no loss series found (columns: ${listed(log.columns.map((c) => `${c.name} → ${c.role}`))}).${why}`;
    return { state, findings };
  }
  const roles = new Map<string, string>(log.columns.map((c) => [c.name, c.role]));
  let curve = defaultCurve(log, curves, roles);
  const rises = heldOutRises(log, curves, opts.overfitRisePercent / 100);
  // The analysis's own findings (after the parse problems): also the state's, for the panel.
  const found: Problem[] = (state.findings = []);
  const find = (p: Problem) => { findings.push(p); found.push(p); };
  for (const r of rises) find({ line: r.line, severity: 'warning', message: heldOutRiseMessage(r) });
  const messages: string[] = [];
  // Several runs one after another (a sweep printed to one console): said where the fit is, not only among the problems.
  const again = log.stats.runStarts?.length ?? 0;
  if (again > 0) messages.push(`this file holds ${again + 1} runs one after another (each starts again from its first step, line ${log.stats.runStarts![0]} the first): ${log.stats.launchRead ? 'the last holds too few points to fit, the latest with enough is fitted' : 'the last is fitted'}; "Scaling Lens: Split Runs into Files" (CLI: scaling-lens split) writes each to a file of its own`);
  // The last run (launch) could not be fitted at all and an earlier one is read instead: said where the fit is.
  if (log.stats.launchRead) messages.push(log.stats.launchRead);
  if (opts.series !== undefined && opts.series !== '') {
    const found = curves.find((c) => c.series === opts.series);
    if (found) curve = found;
    else messages.push(`no loss series "${opts.series}" in this log (found: ${listed(curves.map((c) => c.series))}); fitted "${curve.series}"`);
  }
  // A moving average the writer logs beside the loss it averages (icefall's `train/tot_*`): said, whichever is fitted.
  const fittedBase = seriesColumn(roles, curve.series);
  for (const a of log.run?.averagedLosses ?? []) {
    if (a.series === fittedBase) messages.push(`${a.why}: a law fitted to it follows a smoothed curve (choose "${a.of}" to fit the batch's own loss)`);
    else if (a.of === fittedBase) messages.push(`fitted "${a.of}", not "${a.series}": ${a.why}`);
  }
  state.options.series = curve.series;
  state.seriesNames = shownNames(curves.map((c) => c.series), curve.series);
  const run = oneRunView(log, curve, ctx.scheduleTexts ?? [], opts.useConfigs);
  // That run's own configs give its model size and tokens per step, as they do when its folder is
  // fitted alone (the folder of runs has no config of its own).
  const ownConfigs = run.log !== log ? run.log.run?.configs ?? [] : [];
  if (ownConfigs.length && opts.useConfigs && ctx.userModel && !(ctx.userModel.params > 0)) {
    const runModel = { params: 0, tokensPerStep: ctx.userModel.tokensPerStep };
    const { note, model } = applyConfigModel(ownConfigs, runModel);
    if (model) {
      opts.params = runModel.params;
      opts.tokensPerStep = runModel.tokensPerStep;
      state.configNote = note;
      if (runModel.tokensPerStep > 0 && !log.columns.some((c) => c.role === 'tokens')) curve = { ...curve, tokens: curve.step.map((s) => s * runModel.tokensPerStep) };
    }
  }
  state.xKinds = runAxes(curve, opts.params);
  if (state.xKinds.length === 0) {
    // Steps that are all 0 (a log of one epoch-0 row, or a run restarted from epoch 0 and logged again):
    // said with the rows, not as if the log had no step at all.
    const st = xFor(curve, 'step', opts.params);
    const rows = st ? st.reduce((k, v) => k + (Number.isFinite(v) ? 1 : 0), 0) : 0;
    state.fitError = st && rows > 0 && st.every((v) => !Number.isFinite(v) || v === 0)
      ? `${state.name}: the series "${curve.series}" has ${rows === 1 ? 'its one point at step 0' : `all its ${rows} points at step 0`}${again > 0 ? ' (the run logged again from its first step: restarted, or several runs written to one file)' : rows > 1 ? ' (a run restarted, several runs written to one file, or rows with no step counter of their own)' : ''}: a loss-curve law needs points at several steps after the first`
      : `${state.name}: the series "${curve.series}" has no step, token or FLOP values to plot against.`;
    return { state, findings };
  }
  let xKind: XKind = state.xKinds[0];
  if (opts.xKind !== 'auto') {
    if (state.xKinds.includes(opts.xKind)) xKind = opts.xKind;
    else messages.push(`no ${opts.xKind} values for "${curve.series}": fitted against ${xKind}`);
  }
  if (xKind === 'step') messages.push('no tokens column and no tokens per step: fitted against steps (set tokens per step for token counts)');
  // A table of one row per epoch (YOLO's results.csv, Keras' CSVLogger): its "steps" are its epochs.
  const epochCol = log.columns.find((c) => c.role === 'epoch');
  if (xKind === 'step' && epochCol && stepUnitOf(log)) messages.push(`the log has no step column: its steps here are its epochs ("${epochCol.name}")`);
  state.options.xKind = xKind;
  const xs = xFor(curve, xKind, opts.params)!;
  // Keep finite, positive points (log axes); the order is the log's, after restarts were resolved.
  // A run longer than MAX_POINTS is fitted and drawn on every k-th point, evenly over the whole run
  // and the last point included (the first MAX_POINTS alone would ignore what a live log appends).
  // Counted first, then only the points kept are copied (a run of 13M rows had four arrays of 13M here).
  const usable = (x: number, y: number) => Number.isFinite(x) && Number.isFinite(y) && x > 0 && y > 0;
  let m = 0;
  /** Points at x 0 or below (epochs counted from 0: Keras, timm, nnU-Net): left out, said. */
  let atZero = 0, zeroLine = 0, zeroX = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = curve.loss[i];
    if (usable(x, y)) m++;
    else if (Number.isFinite(x) && x <= 0 && Number.isFinite(y) && y > 0 && atZero++ === 0) { zeroLine = curve.lines[i]; zeroX = x; }
  }
  const stride = Math.max(1, Math.ceil(m / MAX_POINTS));
  const kept = stride === 1 ? m : Math.floor((m - 1) / stride) + 1 + ((m - 1) % stride !== 0 ? 1 : 0);
  const fx = new Float64Array(kept), fy = new Float64Array(kept), fs = new Float64Array(kept);
  const fl = new Uint32Array(kept);
  {
    // Every stride-th usable point, and the last.
    let j = 0, k = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const y = curve.loss[i];
      if (!usable(x, y)) continue;
      if (j % stride === 0 || j === m - 1) { fx[k] = x; fy[k] = y; fs[k] = curve.step[i]; fl[k] = curve.lines[i]; k++; }
      j++;
    }
  }
  if (atZero > 0 && m > 0) messages.push(`left out ${atZero === 1 ? `the point at ${xKind} ${formatNumber(zeroX)}` : `${atZero} points at ${xKind} 0 or below`} (line ${zeroLine}${atZero > 1 ? ', the first' : ''}): the laws are powers of ${xKind}, and the log axis has no 0`);
  /** Of the points at x > 0 with a loss: the last, the lowest below zero, how many, the losses of exactly 0 (as printed), the first of them and where their last stretch begins. */
  let lastAt = -1, low = -1, points = 0, zeros = 0, firstZero = -1, lastZeros = -1;
  for (let i = 0; i < xs.length; i++) {
    const y = curve.loss[i];
    if (!(Number.isFinite(xs[i]) && xs[i] > 0 && Number.isFinite(y))) continue;
    points++;
    if (y < 0 && (low < 0 || y < curve.loss[low])) low = i;
    if (y === 0) { zeros++; if (firstZero < 0) firstZero = i; if (lastAt < 0 || curve.loss[lastAt] !== 0) lastZeros = i; }
    lastAt = i;
  }
  // A loss of 0 on some lines of a run that goes on above it (a DPO loss printed 0.0 at a step, a
  // loss rounded to 0 by its printing): left out of the fit as before, and now said.
  if (zeros > 0 && m > 0 && curve.loss[lastAt] > 0) messages.push(`left out ${zeros === 1 ? `the loss of 0 at ${xKind} ${formatNumber(xs[firstZero])} (line ${curve.lines[firstZero]})` : `${zeros} losses of 0 (the first at ${xKind} ${formatNumber(xs[firstZero])}, line ${curve.lines[firstZero]})`}: the laws' floor is positive and their axes logarithmic`);
  /** A loss no law here describes: its curve drawn whole (on linear axes, unless the user chose), not fitted, and why. */
  const drawnNotFitted = (why: string): Analysis => {
    const ax: number[] = [], ay: number[] = [];
    for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]) && xs[i] > 0 && Number.isFinite(curve.loss[i])) { ax.push(xs[i]); ay.push(curve.loss[i]); }
    const keep = downsampleIndices(ay, CHART_BUCKETS);
    state.observed = keep.length === ay.length ? { series: curve.series, x: ax, y: ay } : { series: curve.series, x: keep.map((i) => ax[i]), y: keep.map((i) => ay[i]) };
    if (!ctx.explicit?.has('logScale')) state.options.logScale = false;
    state.fitError = why;
    return { state, findings };
  };
  // A loss that goes below zero (nnU-Net's Dice + cross-entropy) is no loss these laws describe: drawn
  // whole (on linear axes it shows), not fitted on its positive points alone.
  if (low >= 0) {
    // (A reinforcement-learning run's losses, DeepSpeed-Chat's PPO `act_loss` and `cri_loss`, are signed
    // objectives of a moving target: said as such, not compared to a Dice loss.)
    const rl = RL_LOSS_NAME_RE.test(curve.series);
    return drawnNotFitted(`${state.name}: "${curve.series}" goes below zero (to ${formatNumber(curve.loss[low])} at ${xKind} ${formatNumber(xs[low])}, line ${curve.lines[low]}). The laws here describe a loss that falls towards a positive floor, such as a cross-entropy; ${rl ? 'a reinforcement-learning loss (an actor\'s or a critic\'s, against rewards that change as the policy does) is not one' : 'a loss with a signed term (a Dice loss, as nnU-Net\'s Dice + cross-entropy) is not one'}, so its curve is drawn, not fitted.`);
  }
  // A loss that ends at 0 (as printed) has collapsed: a real LLaMA-Factory DPO console's loss went
  // 0.0017 … 0.0001, then 0.0 for its last 12 of 17 lines (the chosen answers always preferred). The
  // laws' floor is positive and their axes logarithmic: the points left would be fitted as a curve
  // that never reaches 0 (and were refused as "inside its LR warm-up"). Drawn whole, not fitted.
  if (lastAt >= 0 && curve.loss[lastAt] === 0) {
    return drawnNotFitted(`${state.name}: "${curve.series}" reaches 0 at ${xKind} ${formatNumber(xs[lastZeros])} (line ${curve.lines[lastZeros]}) and ends there (line ${curve.lines[lastAt]}): ${zeros} of its ${points} points are 0 as printed. The laws here describe a loss that falls towards a positive floor, on logarithmic axes; a loss that has reached 0 (a DPO or classification loss once every pair or example is told apart) leaves a power law nothing to say of where it goes, so its curve is drawn, not fitted.`);
  }
  if (stride > 1) {
    messages.push(`${formatCount(m)} points: every ${stride}th fitted (${formatCount(kept)}, the last included)`);
    m = kept;
  }
  const ox = Array.from(fx.subarray(0, m)), oy = Array.from(fy.subarray(0, m)), os = fs.subarray(0, m), olines = fl.subarray(0, m);
  // The chart draws the lowest and highest point of each stretch (spikes kept), never millions of
  // points through the extension host; the fit above uses them all.
  const drawn = downsampleIndices(oy, CHART_BUCKETS);
  state.observed = drawn.length === m ? { series: curve.series, x: ox, y: oy }
    : { series: curve.series, x: drawn.map((i) => ox[i]), y: drawn.map((i) => oy[i]) };
  if (drawn.length < m) messages.push(`chart: ${formatCount(drawn.length)} of the ${formatCount(m)} fitted points drawn (the lowest and highest of each stretch)`);
  if (opts.law !== 'auto' && opts.law !== 'passk' && opts.law !== 'budget' && LAW_INFO[opts.law].takes !== 'run') {
    state.fitError = `The ${opts.law} law needs a sweep table (one row per run with parameters and tokens or FLOPs); ${state.name} is a single run with no sweep table, so its curve is fitted with L(D) = E + B/D^β.`;
  }
  // Refused with a message only when the user asked for it (a CLI flag); a workspace default for sweeps is no news on a run.
  if (opts.dropHighestLoss > 0 && ctx.explicit?.has('dropHighestLoss')) messages.push(`drop-highest-loss (${opts.dropHighestLoss}) applies to sweep fits only; not used on a run`);
  if (ox.length === 0) {
    state.fitError = `${state.name}: no finite, positive points in "${curve.series}" against ${xKind}.`;
    return { state, findings };
  }
  const lastX = ox[ox.length - 1];
  const params = opts.params;
  // The extrapolation target, given in tokens, in the units of x (none: the run fit picks the
  // planned end of the LR schedule when it knows one, else 10× the last x).
  let target: number | undefined;
  if (opts.targetTokens > 0) {
    if (xKind === 'tokens') target = opts.targetTokens;
    else if (xKind === 'step' && opts.tokensPerStep > 0) target = opts.targetTokens / opts.tokensPerStep;
    else if (xKind === 'flops' && params > 0) target = 6 * params * opts.targetTokens;
    else messages.push(`target tokens ${formatCount(opts.targetTokens)} cannot be placed on the ${xKind} axis (no tokens per step${xKind === 'flops' ? ' or model size' : ''}); extrapolated to 10× the last ${xKind} instead`);
  }
  // The LR schedule: the log's LR column, continued by a plan in the log's own head or a config beside it.
  // A prefix fit (--fit-until) knows the LR only up to its cut, as the run would have logged it then.
  let lrUntil: number | undefined;
  if (opts.fitUntil > 0) {
    let lastStep = -Infinity, firstStep = Infinity;
    for (const s of os) { if (s > lastStep) lastStep = s; if (s < firstStep) firstStep = s; }
    lrUntil = opts.fitUntil < 1 ? prefixEnd(opts.fitUntil, firstStep, lastStep) : opts.fitUntil;
    if (ctx.probeCut) return { state, findings, cutLine: cutLineOf(curve, lrUntil) };
  }
  const { schedule, note: scheduleNote } = scheduleForLog(run.log, run.texts, { lrUntil });
  if (scheduleNote) messages.push(scheduleNote);
  ctx.progress(0.5, `Fitting ${curve.series}`);
  let report: FitReport | undefined;
  const epochs = plannedEpochsOfLog(run.log, run.texts);
  // A held-out loss (eval, validation): repeated data raises it (overfitting), not lowers it (memorisation).
  const heldOutLoss = seriesHasRole(roles, curve.series, 'eval_loss');
  // (Past the steps an LR schedule is built to too: timm's 310 epochs of 10,009 iterations.)
  const plannedEnd = plannedEndOfLog(run.log, Infinity);
  // An LR cut when a metric stalls: said by the log itself (Keras) or a config beside it.
  const lrCuts = run.log.run?.lrCuts ?? lrCutsOfConfigs(run.texts);
  // A reinforcement-learning run: its losses are no learning curve (said in the trust section).
  const rl = rlRunOf(run.log.columns.map((c) => c.name));
  // The loss NaN or infinite to the log's end: the run diverged, said where the fit is.
  const tail = log.run?.nonFiniteTails?.find((t) => t.column === curve.series);
  const diverged = tail && { ...(tail.axis === 'step' || (tail.axis === 'epoch' && stepUnitOf(log)) ? { step: tail.from.at } : {}), text: `the run diverged: ${nonFiniteTailWhere(tail)}; only the ${tail.before === 1 ? 'one row' : `${tail.before} rows`} before it can be fitted, and a law fitted on them says where the loss would have gone had the run not diverged, not where it went` };
  const augmentOff = augmentStep(augmentationOffOfLog(run.log, run.texts), epochs?.stepsPerPass, plannedEnd?.steps ?? (schedule?.planned ? schedule.total : schedule?.plannedEnd), os);
  const changesAhead = optimizerSteps(optimizerChangesOfTexts(run.texts), epochs?.stepsPerPass, run.log.run?.averagedFrom?.step);
  /** The user set the skip (the panel's field, --skip): over a schedule's warm-up (the larger of the two), and instead of a plateau's. */
  const usersSkip = opts.skipOverSchedule || !!ctx.explicit?.has('warmupPercent');
  try {
    report = fitRunCurve(ox, oy, {
      xKind: xKind as 'tokens' | 'step' | 'flops', bootstrap: opts.bootstrap, seed: opts.seed, targetTokens: target,
      skipFraction: opts.warmupPercent / 100, signal: ctx.signal,
      skipOverSchedule: usersSkip, epochs, heldOutLoss, plateauSkip: opts.skipEarlyPlateau && !usersSkip,
      steps: os, schedule, runLaw: opts.runLaw, fitUntil: opts.fitUntil > 0 ? opts.fitUntil : undefined, plannedEnd, augmentOff,
      ...(lrCuts ? { lrCuts } : {}), ...(changesAhead.length ? { changesAhead } : {}), ...(rl ? { rl: rlReason(rl) } : {}), ...(diverged ? { diverged } : {}),
      warm: ctx.warm?.candidates,
      onProgress: (f) => ctx.progress(0.5 + 0.5 * f, `Fitting ${curve.series}`),
    });
    // Without a fit, the fit's own last message says why (before the note on other loss series).
    const why = report.messages[report.messages.length - 1] ?? 'the fit failed';
    report.messages.unshift(`series "${curve.series}" vs ${xKind}`, ...messages);
    if (curves.length > 1) report.messages.push(`${curves.length} loss series in the log; fitted "${curve.series}"`);
    if (Object.keys(report.params).length > 0) state.fit = toView(report, xKind);
    else state.fitError ??= `${state.name}: ${why}`;
  } catch (e) {
    if (isCancelled(e)) throw e;
    state.fitError = `${state.name}: ${errorText(e)}`;
  }
  // The marker reads E + B/x^β: only for the power law (the "more training" finding also for the passes law).
  const runParams = report && paramsFor(report, 'power');
  // The compute-optimal point for this model size, when the size is known.
  if (params > 0) {
    const tokens = opts.referenceRatio * params;
    let loss: number | undefined;
    let xAtMarker: number | undefined = xKind === 'tokens' ? tokens : xKind === 'flops' ? 6 * params * tokens
      : opts.tokensPerStep > 0 ? tokens / opts.tokensPerStep : undefined;
    if (xAtMarker !== undefined && runParams) loss = runParams.E + runParams.B * Math.pow(xAtMarker, -runParams.beta);
    if (xAtMarker === undefined) xAtMarker = tokens;
    state.marker = {
      params, tokens, loss,
      source: `${opts.referenceRatio === CHINCHILLA_TOKENS_PER_PARAM ? 'Chinchilla' : 'reference'} ≈${fmt(opts.referenceRatio)} tokens/parameter (Hoffmann et al. 2022)`,
    };
    // Ratio finding on the run's last line.
    if (curve.tokens) {
      for (let i = curve.tokens.length - 1; i >= 0; i--) {
        if (!Number.isFinite(curve.tokens[i])) continue;
        const f = ratioFinding(params, curve.tokens[i], curve.lines[i], opts, 'this run');
        if (f) find(f);
        break;
      }
    }
  }
  // "More tokens would still pay off": the fitted curve's gain from doubling the last x. The passes
  // law's curve counts the passes begun on the way (twice the steps, twice the passes).
  const passes = report && paramsFor(report, 'passes');
  const lastStep = os.length ? os[os.length - 1] : NaN;
  const law = runParams ?? (passes && Number.isFinite(lastStep) && lastStep > 0 ? passes : undefined);
  if (law && Number.isFinite(law.E) && Number.isFinite(law.B) && Number.isFinite(law.beta)) {
    const { E, B, beta } = law;
    // (The passes begun, not capped at the planned ones: twice the steps, twice the passes.)
    const at = (x: number, s: number) => passes && law === passes
      ? passesLoss(passes, x, s, Infinity)
      : E + B * Math.pow(x, -beta);
    const now = at(lastX, lastStep);
    const doubled = at(2 * lastX, 2 * lastStep);
    const gain = (100 * (now - doubled)) / now;
    // (A fit that does not follow the run, R² below minFitR2, says nothing of doubling: a real PaddleOCR
    // CTC loss, a plateau then a sharp drop, had R² −0.03 and a finding from the line through it.)
    const r2 = report?.r2 ?? NaN;
    // The log's held-out loss (the one with the most points), when the fitted curve is a training loss.
    const evalCurve = heldOutLoss ? undefined : curves.filter((c) => roles.get(seriesColumn(roles, c.series)) === 'eval_loss' && c.loss.length >= 2)
      .sort((a, b) => b.loss.length - a.loss.length)[0];
    // What the law's own backtests missed by (refitted on shorter prefixes, the end of the fitted range
    // predicted): a gain smaller than that is not one this log can measure. (The real OpenNMT-py LSTM
    // fitted on half its run: −34% for twice the steps from a law whose backtests missed by 133%.)
    const bt = (report?.backtest ?? []).filter((b) => !b.heldOut && Number.isFinite(b.errorPct));
    const missed = bt.length ? bt.reduce((v, b) => v + Math.abs(b.errorPct), 0) / bt.length : NaN;
    // (A law below zero at twice the steps has broken down there, it says nothing of doubling: the passes
    // law of a real 3-epoch QLoRA state, one drop per pass begun, went from 0.66 to −0.18.)
    if (gain > opts.minGainPercent && !(r2 < opts.minFitR2) && doubled > 0) {
      const formula = passes && law === passes && passes.keep < 1
        ? `L = ${fmt(E)} + ${fmt(passes.keep)}^k·${fmt(B)}/x^${fmt(beta)} (k: passes completed)`
        : `L = ${fmt(E)} + ${fmt(B)}/x^${fmt(beta)}${passes && law === passes ? ` − ${fmt(passes.D)}·k (k: passes completed)` : ''}`;
      const says = `The fitted curve ${formula} says doubling the ${xKind === 'step' ? 'steps' : xKind === 'flops' ? 'FLOPs' : xKind} from ${formatCount(lastX)} to ${formatCount(2 * lastX)} would still lower "${curve.series}" from ${fmt(now, 4)} to ${fmt(doubled, 4)} (−${fmt(gain, 2)}%)`;
      find({
        line: olines[olines.length - 1], severity: 'info',
        // On repeated data the training loss also falls by memorisation: a lower one is no sign that more passes pay off.
        // A held-out loss that has already turned up answers the question the finding would raise.
        message: rises.length > 0 && !heldOutLoss
          ? `${says}, but the held-out loss "${rises[0].series}" has risen ${formatNumber(100 * rises[0].rise, 3)}% above its lowest since step ${formatCount(rises[0].bestStep)}: more training lowers this loss, not the held-out one.`
          : missed > gain
          ? `${says}, but refitted on shorter prefixes this law missed the run's later loss by ${fmt(missed, 3)}% on average, more than that gain: this log cannot tell how much more training would lower it.`
          : epochs && epochs.count > 1
          ? heldOutLoss
            ? `${says}, but the run makes ${fmt(epochs.count)} passes over its data (${epochs.source}): on repeated data a held-out loss can turn up at a later pass (overfitting), which this curve cannot foresee; watch it at each pass.`
            : evalCurve
            ? `${says}, but the run makes ${fmt(epochs.count)} passes over its data (${epochs.source}): on repeated data a lower training loss can be memorisation; the held-out loss "${evalCurve.series}" says whether more training pays off${opts.overfitRisePercent > 0 ? ` (it has not stayed ${fmt(opts.overfitRisePercent)}% above its lowest so far)` : ''}.`
            : `${says}, but the run makes ${fmt(epochs.count)} passes over its data (${epochs.source}): on repeated data a lower training loss can be memorisation; check a held-out loss before training longer.`
          : `${says}: more training would still pay off.`,
      });
    }
  }
  return { state, findings };
}

/**
 * A log whose steps are its epochs (a table of one row per epoch with no step column: Keras' CSVLogger,
 * YOLO's results.csv, timm's summary.csv) is fitted on the epoch as its step; what the analysis says
 * of it then counts epochs: the axis, the fit's texts and the analysis' own findings (not the parse
 * problems, which name the file's own columns).
 */
function inEpochs(a: Analysis, log: ParsedLog): Analysis {
  if (stepUnitOf(log) !== 'epoch') return a;
  const { state } = a;
  state.stepUnit = 'epoch';
  const f = state.fit;
  if (f) {
    f.stepUnit = 'epoch';
    f.messages = f.messages.map(epochWords);
    if (f.trust) f.trust = { ...f.trust, reasons: f.trust.reasons.map(epochWords), band: epochWords(f.trust.band) };
    if (f.schedule) f.schedule = { ...f.schedule, source: epochWords(f.schedule.source) };
    for (const c of f.curves) c.name = epochWords(c.name);
  }
  if (state.fitError) state.fitError = epochWords(state.fitError);
  for (const p of state.findings ?? []) p.message = epochWords(p.message);
  return a;
}

export const runAnalyzer: Analyzer = {
  id: 'run',
  claims: (log) => (log.kind === 'run' ? 1 : 0),
  usesConfigs: true,
  analyze: (ctx) => inEpochs(analyzeRun(ctx), ctx.log),
};

const columnList = (log: ParsedLog): string => log.columns.slice(0, 40).map((c) => `${c.name} → ${c.role}`).join(', ') + (log.columns.length > 40 ? `, … (${log.columns.length} columns)` : '');

// ---- sweeps -----------------------------------------------------------------------------------

function subsetSweep(s: SweepTable, idx: number[]): SweepTable {
  const pick = (a: Float64Array) => Float64Array.from(idx, (i) => a[i]);
  const t: SweepTable = { N: pick(s.N), D: pick(s.D), C: pick(s.C), loss: pick(s.loss), lines: Uint32Array.from(idx, (i) => s.lines[i]), tokensGiven: s.tokensGiven };
  if (s.runIds) t.runIds = idx.map((i) => s.runIds![i]);
  if (s.step) t.step = pick(s.step);
  if (s.lr) t.lr = pick(s.lr);
  return t;
}

const same = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/**
 * A sweep that repeats a configuration (every checkpoint of each run, several learning rates):
 * keep each run's final checkpoint (a run = consecutive rows of one size, learning rate and label
 * whose step grows), then the best learning rate per (N, D). Says what it kept.
 */
function resolveRepeats(s: SweepTable, mode: AnalyzeOptions['repeats'], messages: string[]): SweepTable {
  if (mode === 'all' || (!s.step && !s.lr)) return s;
  let idx = Array.from(s.N.keys());
  if (s.step) {
    const finals: number[] = [];
    for (let i = 0; i < idx.length; i++) {
      const next = i + 1 < idx.length ? i + 1 : -1;
      const continues = next >= 0 && s.step[next] > s.step[i] && same(s.N[next], s.N[i]) &&
        (!s.lr || same(s.lr[next], s.lr[i])) && (!s.runIds || s.runIds[next] === s.runIds[i]);
      if (!continues) finals.push(i);
    }
    // Checkpoints of one run come several to a run; a table of final points only (runs of different
    // lengths one after another look like checkpoints of one run) averages under 3 rows per "run".
    if (finals.length < idx.length && idx.length >= 3 * finals.length) {
      messages.push(`kept the final checkpoint of each of ${finals.length} runs (${finals.length} of ${idx.length} rows; choose "all points" to fit every checkpoint)`);
      idx = finals;
    }
  }
  if (mode === 'best-lr' && s.lr) {
    const best = new Map<string, number>();
    for (const i of idx) {
      const key = `${s.N[i].toPrecision(9)}|${s.D[i].toPrecision(9)}|${s.runIds ? '' : ''}`;
      const b = best.get(key);
      if (b === undefined || s.loss[i] < s.loss[b]) best.set(key, i);
    }
    if (best.size < idx.length) {
      messages.push(`kept the best learning rate per (N, D): ${best.size} of ${idx.length} runs (choose "final checkpoints" to keep every learning rate)`);
      idx = [...best.values()].sort((a, b) => a - b);
    }
  }
  return idx.length === s.N.length ? s : subsetSweep(s, idx);
}

/** The label column of a sweep table's rows (the log's run column). */
function labelColumn(log: ParsedLog): string | undefined {
  return log.columns.find((c) => c.role === 'run' && log.labels?.[c.name])?.name;
}

/**
 * How a sweep table splits into sweeps: by its label column when the user named it, or ('auto')
 * when 2–100 labels each hold ≥ 3 rows (a table of several sweeps, not one row per run id).
 */
function splitGroups(sweep: SweepTable, column: string | undefined, opts: AnalyzeOptions, messages: string[]): Map<string, number[]> | undefined {
  if (opts.groupBy === 'none') return undefined;
  const explicit = opts.groupBy !== 'auto';
  if (explicit && opts.groupBy !== column) {
    messages.push(`cannot group by "${opts.groupBy}": it is not a label column of this table${column ? ` (the label column is "${column}")` : ''}; fitted all rows together`);
    return undefined;
  }
  if (!sweep.runIds) return undefined;
  const groups = new Map<string, number[]>();
  sweep.runIds.forEach((id, i) => {
    const g = groups.get(id);
    if (g) g.push(i);
    else groups.set(id, [i]);
  });
  if (explicit) {
    if (groups.size > MAX_GROUPS) {
      messages.push(`"${column}" has ${groups.size} values, more than ${MAX_GROUPS} groups; fitted all rows together`);
      return undefined;
    }
    return groups.size >= 2 ? groups : undefined;
  }
  const big = [...groups.values()].filter((rows) => rows.length >= 3).length;
  if (groups.size >= 2 && groups.size <= MAX_GROUPS && big === groups.size) return groups;
  return undefined;
}

/** At most one ratio finding per sweep table: the spread of ratios and the run closest to the reference. */
function sweepRatioFinding(sweep: SweepTable, opts: AnalyzeOptions, name: string): Problem | undefined {
  let lo = Infinity, hi = -Infinity, below = 0, above = 0, n = 0;
  let best = -1, bestDist = Infinity;
  for (let i = 0; i < sweep.N.length; i++) {
    const N = sweep.N[i], D = sweep.D[i];
    if (!(N > 0 && D > 0)) continue;
    const r = D / N;
    n++;
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
    if (r < opts.warnBelow) below++;
    if (r > opts.warnAbove) above++;
    const dist = Math.abs(Math.log(r / opts.referenceRatio));
    if (dist < bestDist) { bestDist = dist; best = i; }
  }
  if (n === 0 || best < 0) return undefined;
  const id = sweep.runIds?.[best];
  const N = sweep.N[best], D = sweep.D[best];
  return {
    line: sweep.lines[best], severity: 'info',
    message: `Tokens per parameter in ${name}, a sweep of ${n} runs, range from ${fmt(lo)} to ${fmt(hi)} (${below} below ${fmt(opts.warnBelow)}, ${above} above ${fmt(opts.warnAbove)}): a sweep is off the compute-optimal ratio on purpose. The run on this line${id ? ` ("${id}")` : ''} is the closest to the reference ≈${fmt(opts.referenceRatio)} (Chinchilla, Hoffmann et al. 2022; Besiroglu et al. 2024 replication): N = ${formatCount(N)}, D = ${formatCount(D)}, ${fmt(D / N)} tokens per parameter.`,
  };
}

function fitOne(table: SweepTable, law: 'auto' | LawName, ctx: AnalysisContext, from: number, to: number, what: string): FitReport {
  const o = ctx.options;
  const lawName = law === 'auto' ? 'a scaling law' : `the ${law} law`;
  ctx.progress(from, `Fitting ${lawName} to ${what}`);
  // isoFLOP never drops points: it refuses a drop the user asked for, and ignores a workspace default silently.
  const drop = law === 'isoflop' && !ctx.explicit?.has('dropHighestLoss') ? 0 : o.dropHighestLoss;
  return fitSweep(table, {
    law, dropHighestLoss: drop, bootstrap: o.bootstrap, seed: o.seed,
    budget: o.budget > 0 ? o.budget : undefined, signal: ctx.signal, strategy: o.strategy,
    threads: o.threads > 0 ? o.threads : undefined,
    onProgress: (f) => ctx.progress(from + (to - from) * f, `Fitting ${lawName} to ${what}`),
  });
}

function analyzeSweep(ctx: AnalysisContext): Analysis {
  const { log, options: opts } = ctx;
  const state = baseState(log, opts);
  state.logKind = 'sweep';
  const findings = parseFindings(log);
  if (ctx.configNote) state.configNote = ctx.configNote;
  // N, D and the loss column (chosen with `series`; an eval loss by default), and what came from where.
  const read = sweepColumns(log, { series: opts.series, params: opts.params, tokensPerStep: opts.tokensPerStep });
  state.seriesNames = shownNames(read.lossColumns.map((c) => c.name), read.loss);
  if (read.loss !== undefined) state.options.series = read.loss;
  const table = read.table;
  if (read.error || !table || table.loss.length === 0) {
    state.fitError = `${state.name}: ${read.error ?? `a sweep table needs a parameter column and a tokens or FLOPs column besides the loss (columns: ${columnList(log)})`}.`;
    if (read.notes.length) state.fitError += ` (${read.notes.join('; ')})`;
    if (read.missing === 'params') state.needsParams = true;
    return { state, findings };
  }
  state.xKinds = ['params', 'tokens', 'flops'];
  const notes: string[] = [...read.notes];
  const sweep = resolveRepeats(table, opts.repeats, notes);
  state.repeatsApply = !!(table.step || table.lr);
  const f = sweepRatioFinding(sweep, opts, state.name);
  if (f) findings.push(f);
  // The eval laws (passk, budget) are routed to src/core/evals before a log is parsed.
  const law: 'auto' | LawName = opts.law === 'passk' || opts.law === 'budget' ? 'auto' : opts.law;
  if (law === 'run') {
    const sizes = distinctSizes(sweep.N);
    if (sizes >= 2) {
      const [nLo, nHi] = extent(sweep.N);
      const warning = `the single-run law on a sweep of ${sizes} model sizes (N from ${formatCount(nLo)} to ${formatCount(nHi)}) fits the final loss of each run against its training tokens and ignores model size: runs of different sizes are mixed in one curve; choose chinchilla, isoflop or kaplan to use N`;
      notes.push(`warning: ${warning}`);
      state.problems.push({ line: 0, severity: 'warning', message: `${state.name}: ${warning}` });
      state.problemCount++;
    } else {
      notes.push('the single-run law on a sweep table fits the final loss of each run against its training tokens (one model size)');
    }
  }
  const column = labelColumn(log);
  state.groupColumns = column ? [column] : [];
  const groups = splitGroups(sweep, column, opts, notes);
  if (!groups) {
    state.sweep = sweepForChart(sweep);
    try {
      const report = fitOne(sweep, law, ctx, 0.1, 1, `${sweep.N.length} runs`);
      report.messages.unshift(...notes);
      if (Object.keys(report.params).length > 0) state.fit = toView(report);
      // A failed fit still says where N, D and the loss came from (the report's messages are not shown then).
      else state.fitError = `${state.name}: ${report.messages[report.messages.length - 1] ?? 'the fit failed'}${read.notes.length > 1 ? ` (${read.notes.join('; ')})` : ''}`;
      if (!state.fit) state.fitLaw = report.law;
    } catch (e) {
      if (isCancelled(e)) throw e;
      state.fitError = `${state.name}: ${errorText(e)}`;
    }
  } else {
    state.groupColumn = column;
    const names = [...groups.keys()].sort();
    state.groups = [];
    names.forEach((name, k) => {
      const rows = groups.get(name)!;
      const g: GroupView = { name, rows: rows.length, law: law === 'auto' ? 'chinchilla' : law, n: 0, dropped: rows.length, params: {}, ci: {}, objective: NaN, r2: NaN, messages: [] };
      try {
        const r = fitOne(subsetSweep(sweep, rows), law, ctx, 0.1 + (0.9 * k) / names.length, 0.1 + (0.9 * (k + 1)) / names.length, `"${name}" (${rows.length} runs)`);
        r.messages.unshift(...notes);
        Object.assign(g, { law: r.law, n: r.n, dropped: r.dropped, params: r.params, ci: r.ci, objective: r.objective, r2: r.r2, optimal: r.optimal, messages: r.messages });
        if (Object.keys(r.params).length > 0) g.fit = toView(r);
        else g.error = r.messages[r.messages.length - 1] ?? 'the fit failed';
      } catch (e) {
        if (isCancelled(e)) throw e;
        g.error = errorText(e);
        g.messages.push(g.error);
      }
      state.groups!.push(g);
    });
    const chosen = opts.group && groups.has(opts.group) ? opts.group : ALL_GROUPS;
    state.options.group = chosen;
    if (chosen === ALL_GROUPS) {
      const index = new Map(names.map((n, i) => [n, i]));
      state.sweep = sweepForChart(sweep, sweep.runIds!.map((id) => index.get(id) ?? -1));
      const ok = state.groups.filter((g) => g.fit).length;
      if (ok === 0) state.fitError = `${state.name}: no group could be fitted (${state.groups.map((g) => `${g.name}: ${g.error}`).join('; ')})`;
    } else {
      const rows = groups.get(chosen)!;
      const t = subsetSweep(sweep, rows);
      state.sweep = sweepForChart(t);
      const g = state.groups.find((x) => x.name === chosen)!;
      if (g.fit) state.fit = g.fit;
      else state.fitError = `${state.name} ("${chosen}"): ${g.error}`;
    }
  }
  const shownLaw = state.fit?.law ?? state.groups?.find((g) => g.fit)?.law ?? state.fitLaw ?? (law === 'auto' ? 'chinchilla' : law);
  state.options.xKind = opts.xKind !== 'auto' && state.xKinds.includes(opts.xKind) ? opts.xKind : LAW_INFO[shownLaw].axis;
  return { state, findings };
}

/**
 * A table the log reader took for a run that is a table of runs: a parameter column, a loss and
 * tokens or FLOPs, and a run label that differs on every row (a sweep of one model size, a runs
 * export with one row per run).
 */
function isRunsTable(log: ParsedLog): boolean {
  const has = (role: string) => log.columns.some((c) => c.role === role && log.data[c.name]);
  if (!has('params') || !(has('loss') || has('eval_loss')) || !(has('tokens') || has('flops'))) return false;
  const col = labelColumn(log);
  if (!col || log.rows < 3) return false;
  return new Set(log.labels![col]).size === log.rows;
}

export const sweepAnalyzer: Analyzer = {
  id: 'sweep',
  claims: (log) => (log.kind === 'sweep' ? 1 : isRunsTable(log) ? 2 : 0),
  usesConfigs: false,
  analyze: analyzeSweep,
};

/**
 * MMEngine's `param_scheduler` (OpenMMLab: MMDetection 3, MMPose 1, MMPretrain, MMSegmentation 1, …)
 * as the resolved `config.py` beside a run's `vis_data/scalars.json` writes it, read as text (never
 * executed): the LR over its peak at every step of the run, the schedulers applied in order as MMEngine
 * chains them. Epoch-based windows (`by_epoch=True`) become steps with the steps an epoch takes, as the
 * log's epoch column showed them.
 *
 * Read: LinearLR (warm-up), MultiStepLR, StepLR, ExponentialLR, ConstantLR (multiplicative factors
 * over their window, kept after it), CosineAnnealingLR and PolyLR (from the LR at their start down to
 * `eta_min`, or `eta_min_ratio` of the base, then held). Another type: undefined (not guessed).
 */

/**
 * A plan given as its LR at every step, in the shape of schedule.ts's PlannedSchedule (not imported:
 * schedule.ts imports the readers that build one: this file, detectron2.ts, caffe.ts, paddleseg.ts).
 */
export interface CurvePlan<Decay extends string> {
  totalSteps: number;
  warmupSteps: number;
  decay: Decay;
  minRatio: number;
  /** The LR over its peak at every step 0..totalSteps. */
  curve: Float64Array;
  source: string;
}

/** MMEngine's (and detectron2's) plan. */
export type MmenginePlan = CurvePlan<'constant' | 'cosine' | 'poly' | 'multistep'>;

/** Most characters of a `param_scheduler = …` expression read (a resolved config's is < 1 KB). */
const MAX_EXPR = 20_000;
/** Most steps a planned curve holds (as MAX_STEPS in schedule.ts). */
export const MAX_CURVE_STEPS = 1_000_000;

type Value = number | string | boolean | number[];

/**
 * The index of the bracket that closes the expression starting at `from` (quotes respected; at most
 * MAX_EXPR characters), or of the line end when `toLineEnd` and no bracket opened before it; -1 when
 * neither comes.
 */
function closing(text: string, from: number, toLineEnd = false): number {
  let depth = 0, quote = '';
  for (let i = from; i < Math.min(text.length, from + MAX_EXPR); i++) {
    const ch = text[i];
    if (quote) { if (ch === quote) quote = ''; continue; }
    if (ch === '\'' || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') { if (--depth === 0) return i; }
    else if (toLineEnd && ch === '\n' && depth === 0) return i - 1;
  }
  return -1;
}

/** The text of `name = <expr>` at a line's start, its brackets balanced (quotes respected), or undefined. */
function assignment(text: string, name: string): string | undefined {
  const m = new RegExp(`^${name}\\s*=\\s*`, 'm').exec(text);
  if (!m) return undefined;
  const from = m.index + m[0].length;
  const end = closing(text, from, true);
  return end < 0 ? undefined : text.slice(from, end + 1);
}

/** The top-level `dict(…)` calls of an expression: each one's keyword arguments with simple values. */
function dicts(expr: string): Array<Map<string, Value>> {
  const out: Array<Map<string, Value>> = [];
  let i = 0;
  while ((i = expr.indexOf('dict(', i)) >= 0) {
    let j = closing(expr, i + 4);
    if (j < 0) j = expr.length;
    const body = expr.slice(i + 5, j);
    const args = new Map<string, Value>();
    // key=value with a number, a quoted string, True/False or a list of numbers: linear.
    for (const m of body.matchAll(/([A-Za-z_]\w{0,40})\s*=\s*('[^']{0,80}'|"[^"]{0,80}"|True|False|\[[-+\d.eE,\s]{0,400}\]|[-+]?\d[\d._]*(?:[eE][-+]?\d+)?)/g)) {
      const v = m[2];
      if (v === 'True' || v === 'False') args.set(m[1], v === 'True');
      else if (v.startsWith('[')) args.set(m[1], v.slice(1, -1).split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x)));
      else if (v.startsWith('\'') || v.startsWith('"')) args.set(m[1], v.slice(1, -1));
      else args.set(m[1], Number(v.replace(/_/g, '')));
    }
    out.push(args);
    i = j + 1;
  }
  return out;
}

/**
 * A planned LR at each logged step over its peak, from the LR at each iteration: with `shifted`, step s
 * (s iterations done, as MMEngine and mmcv log it) trained at iteration s − 1's LR; else at iteration
 * s's (detectron2 logs the iteration it ran). Undefined when the LR never rises above 0.
 */
export function perStep(it: Float64Array, shifted: boolean): Float64Array | undefined {
  const lr = shifted ? Float64Array.from(it, (_, s) => it[Math.max(0, s - 1)]) : Float64Array.from(it);
  let peak = 0;
  for (let s = 0; s < lr.length; s++) if (lr[s] > peak) peak = lr[s];
  if (!(peak > 0)) return undefined;
  for (let s = 0; s < lr.length; s++) lr[s] /= peak;
  return lr;
}

const numOf = (d: Map<string, Value>, k: string): number | undefined => { const v = d.get(k); return typeof v === 'number' && Number.isFinite(v) ? v : undefined; };

/**
 * The planned schedule of an MMEngine config's `param_scheduler`, or undefined (no such assignment,
 * a scheduler type not read, or an epoch-based plan without the steps an epoch takes).
 */
/**
 * XTuner's TrainLoop (`train_cfg = dict(max_epochs=8, type='xtuner.engine.runner.TrainLoop')`): its
 * epochs, each the log's planned iterations over max_epochs (mmengineSchedule's epoch), when they divide.
 */
export function xtunerEpochs(text: string, loggedIters: number): { count: number; per: number } | undefined {
  const cfg = dicts(assignment(text, 'train_cfg') ?? '')[0];
  const maxEpochs = cfg && numOf(cfg, 'max_epochs');
  if (!cfg || numOf(cfg, 'max_iters') !== undefined || maxEpochs === undefined || !(maxEpochs >= 1) || cfg.get('type') !== 'xtuner.engine.runner.TrainLoop') return undefined;
  const per = loggedIters / maxEpochs;
  return Number.isInteger(per) && per > 0 ? { count: maxEpochs, per } : undefined;
}

export function mmengineSchedule(text: string, fileName: string, stepsPerEpoch?: number, loggedIters?: { steps: number; source: string }): MmenginePlan | undefined {
  const expr = assignment(text, 'param_scheduler');
  if (!expr) return undefined;
  const scheds = dicts(expr);
  if (scheds.length === 0) return undefined;
  const cfg = dicts(assignment(text, 'train_cfg') ?? '')[0];
  const maxIters = cfg && numOf(cfg, 'max_iters');
  const maxEpochs = cfg && numOf(cfg, 'max_epochs');
  // XTuner's TrainLoop (`train_cfg = dict(max_epochs=8, type='xtuner.engine.runner.TrainLoop')`) runs
  // max_epochs × len(dataloader) iterations and logs them as `Iter(train) [  10/2000]`, with no epoch
  // column: an epoch is the log's planned iterations over max_epochs (a real InternVL QLoRA run: 2000 / 8).
  const xtunerPer = !stepsPerEpoch && loggedIters ? xtunerEpochs(text, loggedIters.steps)?.per : undefined;
  const per = stepsPerEpoch && stepsPerEpoch > 0 ? stepsPerEpoch : xtunerPer;
  const total = maxIters ?? (maxEpochs !== undefined && per ? Math.round(maxEpochs * per) : undefined);
  if (!total || total <= 0 || total > MAX_CURVE_STEPS) return undefined;
  const optim = dicts(assignment(text, 'optim_wrapper') ?? '');
  const base = optim.map((d) => numOf(d, 'lr')).find((v) => v !== undefined && v > 0) ?? 1;
  // The LR at each iteration i = 0 … total (0-based, as MMEngine counts them; a logged step s is
  // iteration s − 1 done). Windows [begin, end) in iterations; an epoch-based scheduler counts epochs
  // (floor(i / steps an epoch)) unless convert_to_iter_based, and changes at epoch boundaries then.
  const it = new Float64Array(total + 1).fill(base);
  let warmup = 0;
  const kinds: string[] = [];
  for (const d of scheds) {
    // (A resolved config names the class by its module, as XTuner's print does: `type='mmengine.optim.LinearLR'`.)
    const named = d.get('type');
    const type = typeof named === 'string' && named.startsWith('mmengine.optim.') ? named.slice(named.lastIndexOf('.') + 1) : named;
    if (typeof type !== 'string') return undefined;
    const byEpoch = d.get('by_epoch') !== false;
    if (byEpoch && !per) return undefined;
    const unit = byEpoch ? per! : 1;
    const begin = Math.max(0, Math.round((numOf(d, 'begin') ?? 0) * unit));
    // The window as planned (PolyLR's `end=40000` past an 8,000-iteration run: its decay is partial), the loops within the run.
    const planned = Math.round(Math.min(numOf(d, 'end') ?? total + 1, 1e12) * unit);
    const end = Math.min(total + 1, planned);
    const stepped = byEpoch && d.get('convert_to_iter_based') !== true;
    /** Progress into the window, in iterations (whole epochs when stepped). */
    const t = (i: number) => (stepped ? Math.floor((i - begin) / unit) * unit : i - begin);
    const span = Math.max(1, planned - begin);
    if (type === 'LinearLR') {
      const a = numOf(d, 'start_factor') ?? 1 / 3, b = numOf(d, 'end_factor') ?? 1;
      // (MMEngine reaches end_factor at the window's last iteration: end − begin − 1 iterations in; an
      // epoch window converted to iterations the same, as XTuner's `end=0.24` epochs: 60 iterations.)
      const n = Math.max(1, span - (stepped ? unit : 1));
      for (let i = begin; i <= total; i++) it[i] *= i < end ? a + (b - a) * Math.min(1, t(i) / n) : b;
      if (begin === 0 && a < b) warmup = Math.max(warmup, Math.min(end, total));
      kinds.push('linear warm-up');
    } else if (type === 'MultiStepLR' || type === 'StepLR' || type === 'ExponentialLR' || type === 'ConstantLR') {
      const gamma = numOf(d, 'gamma') ?? (type === 'ExponentialLR' ? NaN : 0.1);
      if (!(gamma > 0) && type !== 'ConstantLR') return undefined;
      const ms = d.get('milestones');
      const miles = type === 'MultiStepLR' && Array.isArray(ms) ? ms.map((m) => Math.round(m * unit)) : undefined;
      if (type === 'MultiStepLR' && !miles) return undefined;
      const stepSize = type === 'StepLR' ? (numOf(d, 'step_size') ?? NaN) * unit : NaN;
      if (type === 'StepLR' && !(stepSize > 0)) return undefined;
      const factor = type === 'ConstantLR' ? numOf(d, 'factor') ?? 1 / 3 : NaN;
      let last = 1;
      for (let i = begin; i <= total; i++) {
        if (i < end) {
          last = type === 'MultiStepLR' ? Math.pow(gamma, miles!.filter((m) => i >= m).length)
            : type === 'StepLR' ? Math.pow(gamma, Math.floor((i - begin) / stepSize))
            : type === 'ExponentialLR' ? Math.pow(gamma, t(i) / unit)
            : factor;
        } else if (type === 'ConstantLR') last = 1;
        it[i] *= last;
      }
      kinds.push(type === 'MultiStepLR' ? `×${gamma} at ${byEpoch ? 'epochs' : 'steps'} ${(ms as number[]).join(', ')}` : type);
    } else if (type === 'CosineAnnealingLR' || type === 'PolyLR') {
      const at = it[Math.min(begin, total)];
      const etaMin = numOf(d, 'eta_min') ?? (numOf(d, 'eta_min_ratio') !== undefined ? numOf(d, 'eta_min_ratio')! * base : 0);
      const T = type === 'CosineAnnealingLR' ? Math.max(1, Math.round((numOf(d, 'T_max') ?? (planned - begin) / unit) * unit)) : span;
      const power = numOf(d, 'power') ?? 1;
      let last = at;
      for (let i = begin; i <= total; i++) {
        if (i < end) {
          const u = Math.min(1, t(i) / T);
          last = etaMin + (at - etaMin) * (type === 'CosineAnnealingLR' ? 0.5 * (1 + Math.cos(Math.PI * u)) : Math.pow(1 - u, power));
        }
        it[i] = last;
      }
      kinds.push(type === 'CosineAnnealingLR' ? `cosine from ${byEpoch ? 'epoch' : 'step'} ${numOf(d, 'begin') ?? 0}` : `poly (power ${power})`);
    } else {
      return undefined;
    }
  }
  const lr = perStep(it, true);
  if (!lr) return undefined;
  const ends = maxIters !== undefined ? `max_iters=${maxIters}`
    : xtunerPer !== undefined ? `max_epochs=${maxEpochs} × ${xtunerPer} steps an epoch (XTuner's TrainLoop: ${loggedIters!.source} over max_epochs)`
    : `max_epochs=${maxEpochs} × ${Number(per!.toPrecision(4))} steps an epoch (the log's epoch column)`;
  const decay = kinds.some((k) => k.startsWith('cosine')) ? 'cosine' : kinds.some((k) => k.startsWith('poly')) ? 'poly'
    : kinds.some((k) => k.startsWith('×') || k === 'StepLR' || k === 'ExponentialLR') ? 'multistep' : 'constant';
  return {
    totalSteps: total, warmupSteps: warmup, decay, minRatio: lr[total], curve: lr,
    source: `${fileName}: param_scheduler (${kinds.join(', ')}), ${ends}`,
  };
}

/** The MMCV 1.x `lr_config` policies read (mmcvSchedule). */
const MMCV_POLICIES = new Set(['step', 'CosineAnnealing', 'Poly', 'Exp', 'fixed']);

/**
 * The planned schedule of an MMCV 1.x config (MMDetection 2.x, MMClassification 0.x, MMSegmentation
 * 0.x; the config.py beside a work dir's `*.log.json`, or the one its text log prints), read as text:
 * `lr_config = dict(policy='step', step=[8, 11], warmup='linear', warmup_iters=500, warmup_ratio=0.001)`
 * with `runner = dict(type='EpochBasedRunner', max_epochs=12)` (or `max_iters`, or the older
 * `total_epochs = 12`) and the base LR of `optimizer = dict(lr=0.02)`. As mmcv's LrUpdaterHook: the
 * regular LR set per epoch (`by_epoch`, its default) or per iteration from the policy (`step`: ×gamma
 * at each milestone, or every `step` epochs; `CosineAnnealing`, `Poly`, `Exp`, `fixed`), and over the
 * first `warmup_iters` iterations (epochs when `warmup_by_epoch`) a warm-up from `warmup_ratio` of it.
 * Another policy, or an epoch-based plan without the steps an epoch takes: undefined.
 */
export function mmcvSchedule(text: string, fileName: string, stepsPerEpoch?: number): MmenginePlan | undefined {
  const d = dicts(assignment(text, 'lr_config') ?? '')[0];
  const policy = d?.get('policy');
  if (!d || typeof policy !== 'string' || !MMCV_POLICIES.has(policy)) return undefined;
  const runner = dicts(assignment(text, 'runner') ?? '')[0];
  const per = stepsPerEpoch && stepsPerEpoch > 0 ? stepsPerEpoch : undefined;
  const maxIters = runner && numOf(runner, 'max_iters');
  const totalEpochs = /^total_epochs\s*=\s*(\d{1,6})\s*$/m.exec(text);
  const maxEpochs = (runner && numOf(runner, 'max_epochs')) ?? (totalEpochs ? Number(totalEpochs[1]) : undefined);
  const total = maxIters ?? (maxEpochs !== undefined && per ? Math.round(maxEpochs * per) : undefined);
  if (!total || total <= 0 || total > MAX_CURVE_STEPS) return undefined;
  const byEpoch = d.get('by_epoch') !== false;
  if (byEpoch && !per) return undefined;
  const unit = byEpoch ? per! : 1;
  const maxProgress = byEpoch ? Math.max(1, Math.round(total / unit)) : total;
  const optim = dicts(assignment(text, 'optimizer') ?? '')[0];
  const base = (optim && numOf(optim, 'lr')) ?? 1;
  if (!(base > 0)) return undefined;
  const gamma = numOf(d, 'gamma') ?? 0.1;
  const minLr = numOf(d, 'min_lr');
  const minRatioCfg = numOf(d, 'min_lr_ratio');
  const target = minLr ?? (minRatioCfg !== undefined ? minRatioCfg * base : 0);
  const stepArg = d.get('step');
  const miles = Array.isArray(stepArg) ? stepArg : undefined;
  const every = typeof stepArg === 'number' && stepArg > 0 ? stepArg : undefined;
  if (policy === 'step' && !miles && !every) return undefined;
  const power = numOf(d, 'power') ?? 1;
  /** The regular LR at progress p (epochs done, or iterations done). */
  const regular = (p: number): number => {
    switch (policy) {
      case 'step': {
        const exp = every ? Math.floor(p / every) : miles!.filter((m) => p >= m).length;
        const lr = base * Math.pow(gamma, exp);
        return minLr !== undefined ? Math.max(lr, minLr) : lr;
      }
      case 'CosineAnnealing': return target + (base - target) * 0.5 * (1 + Math.cos((Math.PI * Math.min(p, maxProgress)) / maxProgress));
      case 'Poly': return (base - (minLr ?? 0)) * Math.pow(Math.max(0, 1 - p / maxProgress), power) + (minLr ?? 0);
      case 'Exp': return base * Math.pow(gamma, p);
      default: return base;
    }
  };
  const warm = d.get('warmup');
  const warmKind = typeof warm === 'string' ? warm : undefined;
  const ratio = numOf(d, 'warmup_ratio') ?? 0.1;
  const warmIters = Math.round((numOf(d, 'warmup_iters') ?? 0) * (d.get('warmup_by_epoch') === true ? (per ?? NaN) : 1));
  const warmup = warmKind && warmIters > 0 ? Math.min(warmIters, total) : 0;
  // Iteration i (0-based) trains at: the regular LR of its epoch (or iteration), warmed up while i < warmup.
  const it = new Float64Array(total + 1);
  for (let i = 0; i <= total; i++) {
    const r = regular(byEpoch ? Math.floor(i / unit) : i);
    let lr = r;
    if (i < warmup) {
      if (warmKind === 'linear') lr = r * (1 - (1 - i / warmup) * (1 - ratio));
      else if (warmKind === 'constant') lr = r * ratio;
      else if (warmKind === 'exp') lr = r * Math.pow(ratio, 1 - i / warmup);
    }
    it[i] = lr;
  }
  const lr = perStep(it, true);
  if (!lr) return undefined;
  const unitWord = byEpoch ? 'epoch' : 'step';
  const what = policy === 'step' ? `×${gamma} ${every ? `every ${every} ${unitWord}s` : `at ${unitWord}s ${miles!.join(', ')}`}`
    : policy === 'CosineAnnealing' ? 'cosine' : policy === 'Poly' ? `poly (power ${power})` : policy === 'Exp' ? `×${gamma} each ${unitWord}` : 'fixed';
  const ends = maxIters !== undefined ? `max_iters=${maxIters}` : `max_epochs=${maxEpochs} × ${Number(per!.toPrecision(4))} steps an epoch (the log's epoch column)`;
  return {
    totalSteps: total, warmupSteps: warmup,
    decay: policy === 'CosineAnnealing' ? 'cosine' : policy === 'Poly' ? 'poly' : policy === 'fixed' ? 'constant' : 'multistep',
    minRatio: lr[total], curve: lr,
    source: `${fileName}: lr_config (${warmup > 0 ? `${warmKind} warm-up ${warmup} steps, ` : ''}${what}), ${ends}`,
  };
}

/**
 * The epochs an OpenMMLab config plans inside a dict, where a key scan of its lines does not look:
 * MMCV 1.x's `runner = dict(type='EpochBasedRunner', max_epochs=12)`, MMEngine's `train_cfg =
 * dict(max_epochs=300)`. The assignment named, with the count; or undefined.
 */
export function openmmlabEpochs(text: string): { count: number; key: string } | undefined {
  for (const name of ['runner', 'train_cfg']) {
    const d = dicts(assignment(text, name) ?? '')[0];
    const v = d && numOf(d, 'max_epochs');
    if (v !== undefined && v >= 1) return { count: v, key: `${name}'s max_epochs=${v}` };
  }
  return undefined;
}

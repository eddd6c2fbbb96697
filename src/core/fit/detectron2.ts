/**
 * Detectron2's LR plan, from the `config.yaml` it dumps beside `metrics.json` in its output folder
 * (or a config of its own YAML form), read as text: the `SOLVER:` block's `BASE_LR`, `MAX_ITER`,
 * `LR_SCHEDULER_NAME` (`WarmupMultiStepLR`: ×`GAMMA` at each of `STEPS`; `WarmupCosineLR`: a cosine
 * to `BASE_LR_END`) and its warm-up (`WARMUP_ITERS`, `WARMUP_FACTOR`, `WARMUP_METHOD` linear or
 * constant), as detectron2's `build_lr_scheduler` makes them (WarmupParamScheduler inside an
 * LRMultiplier). `metrics.json` logs at `"iteration": i` the LR iteration i trained at. Another
 * scheduler name: undefined (not guessed).
 *
 * A LazyConfig run (ViTDet, MViTv2, the new baselines: `lazyconfig_train_net.py`) dumps no `SOLVER:`
 * block but `train: max_iter:` and `lr_multiplier:`, fvcore's `WarmupParamScheduler` around a
 * `MultiStepParamScheduler` (or `CosineParamScheduler`), read as fvcore computes it: the multiplier at
 * iteration i is the scheduler's value at i / train.max_iter (LRMultiplier), its milestones counted on
 * its own `num_updates` (or its last milestone), so a config that shortened `train.max_iter` without them
 * spreads them over the run.
 */
import { MAX_CURVE_STEPS, perStep, type MmenginePlan } from './mmengine';

/** Most lines of a `SOLVER:` block read (a dumped config's has ~30). */
const MAX_BLOCK_LINES = 400;

/** The `SOLVER:` block's keys (two-space indent) with their values; a key's block list (`- 30000` lines) as `[a, b]`. */
function solverBlock(text: string): Map<string, string> | undefined {
  const m = /^SOLVER:[ \t]*\r?$/m.exec(text);
  if (!m) return undefined;
  const lines = text.slice(m.index + m[0].length + 1).split('\n', MAX_BLOCK_LINES);
  const keys = new Map<string, string>();
  const items = new Map<string, string[]>();
  let listKey: string | undefined;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    if (!/^[ \t]/.test(line)) break; // the block ends at the next top-level key
    const item = /^ {2}- ([-+\d.eE]{1,30})\s*$/.exec(line);
    if (item && listKey) { items.get(listKey)!.push(item[1]); continue; }
    const kv = /^ {2}([A-Z][A-Z0-9_]{0,40}):[ \t]*(.{0,200})$/.exec(line);
    if (!kv) continue;
    const v = kv[2].trim();
    listKey = v === '' ? kv[1] : undefined;
    if (listKey) items.set(listKey, []);
    else keys.set(kv[1], v);
  }
  for (const [k, v] of items) if (!keys.has(k)) keys.set(k, `[${v.join(', ')}]`);
  return keys;
}

/** Numbers of a YAML or Python list or tuple: `[30000, 40000]`, `(210000, 250000)`, `- 30000` lines (joined). */
function numbers(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const m = /^[[(]([-+\d.eE,\s]{0,400})[\])]$/.exec(v.trim());
  if (!m) return undefined;
  return m[1].split(',').map((x) => x.trim()).filter((x) => x !== '').map(Number).filter((x) => Number.isFinite(x));
}

const numberOf = (v: string | undefined): number | undefined => {
  const n = v !== undefined && /^[-+]?[\d.]+(?:[eE][-+]?\d+)?$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** The planned LR of a Detectron2 config (see the file's comment), or undefined. */
export function detectron2Schedule(text: string, fileName: string): MmenginePlan | undefined {
  const k = solverBlock(text);
  if (!k) return lazyConfigSchedule(text, fileName);
  const total = numberOf(k.get('MAX_ITER'));
  if (!total || !Number.isInteger(total) || total <= 0 || total > MAX_CURVE_STEPS) return undefined;
  const name = (k.get('LR_SCHEDULER_NAME') ?? 'WarmupMultiStepLR').replace(/^['"]|['"]$/g, '');
  if (name !== 'WarmupMultiStepLR' && name !== 'WarmupCosineLR') return undefined;
  const base = numberOf(k.get('BASE_LR')) ?? 1;
  if (!(base > 0)) return undefined;
  const gamma = numberOf(k.get('GAMMA')) ?? 0.1;
  const steps = (numbers(k.get('STEPS')) ?? []).filter((s) => s <= total);
  const end = name === 'WarmupCosineLR' ? (numberOf(k.get('BASE_LR_END')) ?? 0) / base : 0;
  const main = (i: number) => (name === 'WarmupCosineLR'
    ? end + 0.5 * (1 - end) * (1 + Math.cos((Math.PI * i) / total))
    : Math.pow(gamma, steps.filter((s) => i >= s).length));
  const warmIters = Math.min(total, Math.max(0, Math.round(numberOf(k.get('WARMUP_ITERS')) ?? 1000)));
  const factor = numberOf(k.get('WARMUP_FACTOR')) ?? 0.001;
  const method = (k.get('WARMUP_METHOD') ?? 'linear').replace(/^['"]|['"]$/g, '');
  if (method !== 'linear' && method !== 'constant') return undefined;
  // WarmupParamScheduler: below the warm-up, from factor × main(0) to main(warm-up end), linearly (or held at factor × main(0)).
  const curve = new Float64Array(total + 1);
  for (let i = 0; i <= total; i++) {
    curve[i] = i < warmIters
      ? (method === 'constant' ? factor * main(0) : factor * main(0) + (main(warmIters) - factor * main(0)) * (i / warmIters))
      : main(i);
  }
  const lr = perStep(curve, false);
  if (!lr) return undefined;
  const what = name === 'WarmupCosineLR' ? `cosine to ${end === 0 ? '0' : `${Number(end.toPrecision(3))} of the peak`}` : steps.length ? `×${gamma} at steps ${steps.join(', ')}` : 'constant';
  return {
    totalSteps: total, warmupSteps: warmIters,
    decay: name === 'WarmupCosineLR' ? 'cosine' : steps.length ? 'multistep' : 'constant',
    minRatio: lr[total], curve: lr,
    source: `${fileName}: SOLVER (${warmIters > 0 ? `${method} warm-up ${warmIters} steps, ` : ''}${what}), MAX_ITER=${total}`,
  };
}

/** Most lines of a LazyConfig's top-level block read (a dumped `lr_multiplier:` has ~10, `train:` ~20). */
const MAX_LAZY_LINES = 200;
/** fvcore's ParamScheduler.WHERE_EPSILON, in its comparisons of `where`. */
const WHERE_EPSILON = 1e-6;

/**
 * A top-level block of a dumped LazyConfig (`lr_multiplier:`), its keys by dotted path with their values
 * as text (`scheduler.milestones` → `[81944, 88773]`); a one-level flow map (`scheduler: {_target_: …,
 * end_value: 0.0}`) and `- 30000` list lines (joined as `[a, b]`) included. Undefined without the block.
 */
function lazyBlock(text: string, top: string): Map<string, string> | undefined {
  const m = new RegExp(`^${top}:[ \\t]*\\r?$`, 'm').exec(text);
  if (!m) return undefined;
  const lines = text.slice(m.index + m[0].length + 1).split('\n', MAX_LAZY_LINES);
  const keys = new Map<string, string>();
  const items = new Map<string, string[]>();
  const stack: Array<{ indent: number; key: string }> = [];
  let listKey: string | undefined;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    if (!/^[ \t]/.test(line)) break; // the block ends at the next top-level key
    const item = /^ {2,40}- ([-+\w.]{1,40})\s*$/.exec(line);
    if (item && listKey) { items.get(listKey)!.push(item[1]); continue; }
    const kv = /^( {2,40})([A-Za-z_]\w{0,60}):(?:[ \t]+(.{1,400}))?$/.exec(line);
    listKey = undefined;
    if (!kv) continue;
    const indent = kv[1].length;
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const path = [...stack.map((x) => x.key), kv[2]].join('.');
    const v = (kv[3] ?? '').trim();
    if (v === '') { stack.push({ indent, key: kv[2] }); listKey = path; items.set(path, []); continue; }
    const flow = /^\{(.{0,400})\}$/.exec(v);
    if (flow) {
      // A flow map of scalars (lists in it are not split on their commas: not needed here).
      for (const part of flow[1].split(',')) {
        const e = /^\s*([A-Za-z_]\w{0,60}):\s*(.{0,200}?)\s*$/.exec(part);
        if (e) keys.set(`${path}.${e[1]}`, e[2]);
      }
      continue;
    }
    keys.set(path, v);
  }
  for (const [k, v] of items) if (v.length && !keys.has(k)) keys.set(k, `[${v.join(', ')}]`);
  return keys;
}

/** A dumped value that is `train.max_iter` by OmegaConf interpolation (`${train.max_iter}`, `${...train.max_iter}`). */
const isMaxIterRef = (v: string | undefined): boolean => v !== undefined && /^['"]?\$\{\.{0,8}train\.max_iter\}['"]?$/.test(v.trim());

/** The fvcore scheduler under `prefix` (`scheduler.` of a WarmupParamScheduler, or the lr_multiplier itself) as a function of where ∈ [0, 1]. */
function fvcoreScheduler(k: Map<string, string>, prefix: string, maxIter: number): { at: (where: number) => number; kind: 'multistep' | 'cosine'; what: string } | undefined {
  const target = (k.get(`${prefix}_target_`) ?? '').replace(/^['"]|['"]$/g, '');
  const cls = target.slice(target.lastIndexOf('.') + 1);
  if (cls === 'MultiStepParamScheduler') {
    const values = numbers(k.get(`${prefix}values`));
    if (!values || values.length === 0) return undefined;
    const nu = k.get(`${prefix}num_updates`);
    let numUpdates = isMaxIterRef(nu) ? maxIter : numberOf(nu);
    let milestones = numbers(k.get(`${prefix}milestones`));
    if (nu !== undefined && numUpdates === undefined) return undefined;
    if (!milestones) {
      if (numUpdates === undefined) return undefined;
      // fvcore: equispaced, ceil(num_updates / len(values)) apart.
      const width = Math.ceil(numUpdates / values.length);
      milestones = values.slice(1).map((_, j) => width * (j + 1));
    } else if (numUpdates === undefined) {
      // fvcore: without num_updates, the last milestone is the end of the last range.
      if (milestones.length !== values.length || milestones.length === 0) return undefined;
      numUpdates = milestones[milestones.length - 1];
      milestones = milestones.slice(0, -1);
    }
    if (milestones.length !== values.length - 1 || !(numUpdates > 0)) return undefined;
    for (let j = 0; j < milestones.length; j++) if (!(milestones[j] < numUpdates) || (j > 0 && !(milestones[j] > milestones[j - 1]))) return undefined;
    const n = numUpdates;
    const ms = milestones;
    return {
      kind: 'multistep',
      at: (where) => values[ms.filter((m) => m <= Math.floor((where + WHERE_EPSILON) * n)).length],
      what: n === maxIter ? '' : `, milestones [${ms.join(', ')}] of ${n} updates spread over train.max_iter=${maxIter}`,
    };
  }
  if (cls === 'CosineParamScheduler') {
    const start = numberOf(k.get(`${prefix}start_value`));
    const end = numberOf(k.get(`${prefix}end_value`));
    if (start === undefined || end === undefined) return undefined;
    return { kind: 'cosine', at: (where) => end + 0.5 * (start - end) * (1 + Math.cos(Math.PI * where)), what: '' };
  }
  return undefined;
}

/** The planned LR of a dumped LazyConfig's `lr_multiplier` over `train.max_iter` (see the file's comment), or undefined. */
function lazyConfigSchedule(text: string, fileName: string): MmenginePlan | undefined {
  const train = lazyBlock(text, 'train');
  const lm = lazyBlock(text, 'lr_multiplier');
  if (!train || !lm) return undefined;
  const total = numberOf(train.get('max_iter'));
  if (!total || !Number.isInteger(total) || total <= 0 || total > MAX_CURVE_STEPS) return undefined;
  const target = (lm.get('_target_') ?? '').replace(/^['"]|['"]$/g, '');
  const warm = target.endsWith('.WarmupParamScheduler');
  const main = fvcoreScheduler(lm, warm ? 'scheduler.' : '', total);
  if (!main) return undefined;
  // WarmupParamScheduler: a CompositeParamScheduler of the warm-up (rescaled to its length) from
  // factor × main(0) to main(warmup_length), then the scheduler at the global where ("fixed"; with
  // rescale_interval, rescaled to the rest).
  const length = warm ? numberOf(lm.get('warmup_length')) : 0;
  const factor = warm ? numberOf(lm.get('warmup_factor')) : 0;
  const method = (lm.get('warmup_method') ?? 'linear').replace(/^['"]|['"]$/g, '');
  const rescale = /^true$/i.test(lm.get('rescale_interval') ?? '');
  if (length === undefined || factor === undefined || !(length >= 0 && length < 1) || (method !== 'linear' && method !== 'constant')) return undefined;
  const startValue = factor * main.at(0);
  const endValue = main.at(length);
  const curve = new Float64Array(total + 1);
  let warmIters = 0;
  for (let i = 0; i <= total; i++) {
    const where = i / total;
    if (warm && where + WHERE_EPSILON <= length) {
      warmIters = i + 1;
      curve[i] = method === 'constant' ? startValue : startValue + (endValue - startValue) * (where / length);
    } else {
      curve[i] = main.at(warm && rescale ? (where - length) / (1 - length) : where);
    }
  }
  const lr = perStep(curve, false);
  if (!lr) return undefined;
  // The steps as they fall on the run's iterations (a milestone of another num_updates is scaled).
  const changes: string[] = [];
  if (main.kind === 'multistep') {
    for (let i = warmIters + 1; i <= total && changes.length < 8; i++) if (curve[i] !== curve[i - 1]) changes.push(`×${Number(curve[i].toPrecision(3))} at step ${i}`);
  }
  const what = main.kind === 'cosine'
    ? `cosine to ${Number(lr[total].toPrecision(3))} of the peak`
    : changes.length ? `${warmIters > 0 && curve[warmIters] !== 1 ? `×${Number(curve[warmIters].toPrecision(3))} after it, ` : ''}${changes.join(', ')}` : 'constant';
  return {
    totalSteps: total, warmupSteps: warmIters,
    decay: main.kind === 'cosine' ? 'cosine' : changes.length ? 'multistep' : 'constant',
    minRatio: lr[total], curve: lr,
    source: `${fileName}: lr_multiplier (${warmIters > 0 ? `${method} warm-up ${warmIters} steps, ` : ''}${what}${main.what}), train.max_iter=${total}`,
  };
}

/**
 * Column-role inference: a plain function from column names (and a sample of their values) to a
 * role, a confidence and a reason per column. Names decide first; content adjusts the confidence
 * and fills gaps (an unnamed increasing integer column is probably the step).
 */
import type { ColumnInfo, ColumnRole } from './types';
import { COLUMN_ROLES } from './types';

/**
 * The roles a user can give a column ("Set Column Role…", the `scalingLens.columnRoles` setting,
 * whose package.json enum a test checks against this list): every role but 'other', which only the
 * inference gives (a column it could not place).
 */
export const USER_ROLES: readonly ColumnRole[] = COLUMN_ROLES.filter((r) => r !== 'other');
import { decimalNumber, own } from './collector';

export type { SampleValue } from './types';
import type { SampleValue } from './types';

/** Roles of which a file has at most one column. */
const SINGLE: ReadonlySet<ColumnRole> = new Set<ColumnRole>(['step', 'epoch', 'tokens', 'params', 'flops', 'run', 'time']);

interface Guess { role: ColumnRole; confidence: number; reason: string; rank: number }

/** `s` without leading and trailing `ch` (a loop: the regex /^"+|"+$/ is quadratic on long runs). */
function stripChar(s: string, ch: string, start = true): string {
  let i = 0;
  let j = s.length;
  if (start) while (i < j && s[i] === ch) i++;
  while (j > i && s[j - 1] === ch) j--;
  return s.slice(i, j);
}

/**
 * The unit of a FLOPs column from its name: `total train ZFLOPs` counts 10^21 FLOPs, PFLOPs 10^15, …
 * (1 for plain FLOPs). The sweep and run converters multiply by it.
 */
export function flopsUnit(name: string): number {
  const m = /(^|[^a-z])([kmgtpezy])flop/i.exec(name);
  if (!m) return 1;
  const p: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18, z: 1e21, y: 1e24 };
  return p[m[2].toLowerCase()] ?? 1;
}

/** Lower-case, quotes dropped, runs of non-alphanumerics (but '/') turned into '_'. */
export function normalizeName(name: string): string {
  let s = stripChar(name.trim(), '"');
  // W&B panel exports name columns "<run> - <metric>": the metric decides.
  const dash = s.lastIndexOf(' - ');
  if (dash >= 0) s = s.slice(dash + 3);
  return s.toLowerCase().replace(/[^a-z0-9/]+/g, '_').replace(/^_+|_+$/g, '').replace(/_*\/_*/g, '/');
}

const STEP_NAMES = new Set(['step', 'steps', 'global_step', 'globalstep', 'iter', 'iters', 'iteration',
  'iterations', 'num_steps', 'optimizer_step', 'train_step', 'trainer/global_step', 'update', 'updates',
  // fairseq's JSON log: `num_updates` counts the optimizer steps; its `update` is the epoch's progress (1.21).
  'num_updates',
  // Ray Tune's progress.csv / result.json: the trial's reports (an epoch each, usually).
  'training_iteration']);
// A Map: column names are user text, and `constructor in {}` is true.
const RUN_NAMES = new Map<string, number>([
  ['name', 0.85], ['run', 0.85], ['run_name', 0.9], ['run_id', 0.9], ['runid', 0.85], ['id', 0.6], ['experiment', 0.6],
  ['exp', 0.55], ['exp_name', 0.7], ['experiment_name', 0.7], ['wandb_run', 0.8],
]);
const PARAM_NAMES = new Set(['n', 'params', 'num_params', 'n_params', 'nparams', 'parameters', 'model_size',
  'model_params', 'param_count', 'num_parameters', 'n_parameters', 'non_embedding_params', 'size']);
const FLOP_NAMES = new Set(['c', 'compute', 'budget', 'compute_budget', 'flos', 'total_flos']);
/** A FLOPs name with a unit prefix and nothing else, or per GPU / per second: a throughput in a run log. */
const FLOP_RATE_RE = /^(?:[kmgtpe]flops?|(?:[kmgtpe]?flops?)(?:_per_gpu|_per_sec|_per_second|_s|\/s|ps))$/;
const TOKEN_NAMES = new Set(['d', 'data', 'data_size', 'dataset_size', 'num_input_tokens_seen']);

function byName(raw: string): Guess {
  const n = normalizeName(raw);
  const seg = n.includes('/') ? n.slice(n.lastIndexOf('/') + 1) : n;
  const words = n.split(/[_/]/);
  const has = (w: string): boolean => words.includes(w);
  if (/__(min|max)$/i.test(stripChar(raw.trim(), '"', false))) {
    return { role: 'ignore', confidence: 0.95, reason: 'W&B min/max band of another column', rank: 0 };
  }
  if (n === '') return { role: 'other', confidence: 0.3, reason: 'no column name', rank: 0 };
  // (OLMo files its running totals under `throughput/`: `throughput/total_tokens` is a count, not a rate.)
  const runningTotal = /^total_/.test(seg) && !/(^|_)(per|tok_s|mfu)(_|$)|per_sec|_s$/.test(seg);
  // (`/s` as a name's segment: per second, MaxText's `TFLOP/s/device` and `Tokens/s/device`.)
  if (!runningTotal && /(^|_|\/)(per|tok_s|throughput|mfu)(_|\/|$)|per_sec|_s$|\/s(\/|$)/.test(n) && !/(^|_)(time|elapsed)/.test(n)) {
    if (!/loss/.test(n)) return { role: 'other', confidence: 0.7, reason: `'${raw}' is a rate or ratio`, rank: 0 };
  }
  // Seen in real sweep tables (issue 9): FLOPs per update is a rate, not a step; the portion of a
  // run's steps elapsed is a fraction, not a time; `predict_*` are a trainer's held-out metrics.
  if (/flop/.test(n) && /(^|\/|_)(update|updates|step|steps|token|tokens|iter)$/.test(n) && /\/|_per_/.test(n)) {
    return { role: 'other', confidence: 0.75, reason: `'${raw}' is FLOPs per update (a rate), not a step or a total`, rank: 0 };
  }
  if (/(portion|fraction|frac|progress|percent|pct)/.test(n) && /step|epoch|train/.test(n)) {
    return { role: 'other', confidence: 0.75, reason: `'${raw}' is a fraction of the run, not a step or a time`, rank: 0 };
  }
  if (n === 'current_step' || n === 'current_steps' || n === 'cur_step') {
    return { role: 'step', confidence: 0.8, reason: `named '${raw}' (the checkpoint's step)`, rank: 2 };
  }
  if (/^predict[_/]/.test(n) && /loss/.test(n)) {
    return { role: 'eval_loss', confidence: 0.85, reason: `'${raw}' is a held-out (predict) loss, not the training loss`, rank: 2 };
  }
  if (/^predict[_/]/.test(n)) {
    return { role: 'other', confidence: 0.6, reason: `'${raw}' measures a prediction pass, not the run`, rank: 0 };
  }
  if (/(^|_)(peak|max|base|init|initial)_lr$/.test(n)) {
    return { role: 'lr', confidence: 0.85, reason: `named '${raw}' (the run's learning rate)`, rank: 2 };
  }
  if (STEP_NAMES.has(n) || STEP_NAMES.has(seg) || n === '_step') {
    const exact = n === 'step' || n === 'global_step' || n === 'trainer/global_step';
    return { role: 'step', confidence: exact ? 0.95 : 0.85, reason: `named '${raw}'`, rank: exact ? 3 : n === '_step' ? 1 : 2 };
  }
  if (n === 'epoch' || n === 'epochs' || seg === 'epoch') {
    return { role: 'epoch', confidence: 0.9, reason: `named '${raw}'`, rank: 2 };
  }
  // Marian NMT's training `Cost` (its --cost-type; per target word by default).
  if (n === 'cost') return { role: 'loss', confidence: 0.8, reason: `'${raw}' is the training cost (Marian's)`, rank: 2 };
  // OpenNMT-py's `xent`: the per-token cross-entropy its `ppl` is the exponential of (its training loss).
  if (seg === 'xent' || /(^|_)xent$/.test(n)) {
    if (/^(val|valid|validation|eval|test)_/.test(n)) return { role: 'eval_loss', confidence: 0.85, reason: `'${raw}' is a held-out cross-entropy (a held-out loss)`, rank: 2 };
    return { role: 'loss', confidence: 0.85, reason: `'${raw}' is the per-token cross-entropy (the training loss)`, rank: 2 };
  }
  if (/loss/.test(n)) {
    // DETR's `train_loss_ce_unscaled`: a term of the loss before its weight.
    if (/unscaled/.test(n)) {
      return { role: 'other', confidence: 0.7, reason: `'${raw}' is a term of the loss before its weight (unscaled), not the loss`, rank: 0 };
    }
    if (/scale|scaler/.test(n) || has('grad')) {
      return { role: 'other', confidence: 0.7, reason: `'${raw}' is a loss scale, not a loss`, rank: 0 };
    }
    // `train/max_loss_MAX`, `Max Train Loss`: the largest loss a run saw (a max aggregate), not its loss.
    if (has('max') || /_max$/.test(n)) {
      return { role: 'other', confidence: 0.75, reason: `'${raw}' is a maximum over the run (a max aggregate), not a loss`, rank: 0 };
    }
    // A mixture of experts' load-balancing terms (Megatron-DeepSpeed's `moe loss`, HF's `aux_loss`,
    // `router_z_loss`): a regulariser added to the loss, not the model's loss.
    // A DETR-style detector's `loss_class_aux`, `loss_bbox_aux_dn` (PaddleDetection's RT-DETR): the
    // same terms on the decoder's earlier layers (deep supervision), not experts' balancing.
    if (has('moe') || has('aux') || has('router') || has('balance') || has('balancing') || /(^|_)z_loss$/.test(n)) {
      const why = has('aux') && !has('moe') && !has('router') ? 'experts\' load balancing, or the loss on intermediate layers' : 'experts\' load balancing';
      return { role: 'other', confidence: 0.75, reason: `'${raw}' is an auxiliary loss (${why}), not the model's loss`, rank: 0 };
    }
    // Megatron's `lm loss PPL`, fairseq's `ppl`: the exponential of a loss, not one.
    if (has('ppl') || has('perplexity')) {
      return { role: 'other', confidence: 0.75, reason: `'${raw}' is a perplexity (the exponential of a loss), not a loss`, rank: 0 };
    }
    // (`valLoss`, `testLoss`: camelCase names run together once lowercased.)
    if (/(^|_|\/)(val|valid|validation|eval|evaluation|test|dev|heldout)(_|\/|$)|^val|^eval|^test/.test(n)) {
      return { role: 'eval_loss', confidence: 0.9, reason: `name '${raw}' says evaluation loss`, rank: 2 };
    }
    if (/epoch/.test(n)) {
      return { role: 'loss', confidence: 0.7, reason: `'${raw}' is a per-epoch average of the training loss`, rank: 1 };
    }
    return { role: 'loss', confidence: 0.9, reason: `name '${raw}' says training loss`, rank: 2 };
  }
  // Composer's time counters (LLM Foundry logs): `time/token` counts the tokens seen; batches and
  // samples (in all, or in this epoch) are counts, not a wall time.
  if (n === 'time/token') {
    return { role: 'tokens', confidence: 0.85, reason: `'${raw}' is Composer's count of tokens seen`, rank: 3 };
  }
  if (/^time\/(batch|sample|token)(_in_epoch)?$/.test(n)) {
    const what = seg.startsWith('batch') ? 'batches' : seg.startsWith('sample') ? 'samples' : 'tokens';
    return { role: 'other', confidence: 0.7, reason: `'${raw}' is Composer's count of ${what}${seg.endsWith('_in_epoch') ? ' in this epoch' : ''}, not a wall time`, rank: 0 };
  }
  // Composer's evaluation metric `metrics/eval/LanguageCrossEntropy` is the held-out loss.
  if (/crossentropy|cross_entropy/.test(n) && /(^|_|\/)(val|valid|validation|eval|evaluation|test)(_|\/|$)/.test(n)) {
    return { role: 'eval_loss', confidence: 0.8, reason: `'${raw}' is an evaluation cross-entropy (a held-out loss)`, rank: 1 };
  }
  if (/^(eval|val|test)[_/]/.test(n) && /runtime|time|duration/.test(n)) {
    return { role: 'other', confidence: 0.6, reason: `'${raw}' times an evaluation, not the run`, rank: 0 };
  }
  // A rate under a time namespace (Stable-Baselines3's `time/fps` beside its `time/time_elapsed`) is no wall time.
  if (/(^|_|\/)(fps|throughput)$|per_?sec(ond)?$/.test(n)) {
    return { role: 'other', confidence: 0.7, reason: `'${raw}' is a rate, not a wall time`, rank: 0 };
  }
  if (n === 'time/total_timesteps') {
    return { role: 'other', confidence: 0.7, reason: `'${raw}' is Stable-Baselines3's count of environment steps, not a wall time`, rank: 0 };
  }
  if (/(^|_|\/)(time|runtime|elapsed|timestamp|duration|wall|wallclock)(_|\/|$)/.test(n) || n === '_runtime' ||
      n === '_timestamp' || /^(time|elapsed)(_?(s|ms|sec|secs|seconds|min|h))?$/.test(n)) {
    return { role: 'time', confidence: 0.8, reason: `named '${raw}' (wall time)`, rank: /runtime|elapsed|^time/.test(n) ? 2 : 1 };
  }
  // A per-token metric (TRL's `mean_token_accuracy`, a token ratio or rate) is not a token count.
  if (/token/.test(n) && /(^|_|\/)(acc|accuracy|ratio|frac|fraction|rate|pct|percent|prob|probability|entropy|mean|avg|average)(_|\/|$)/.test(n)) {
    return { role: 'other', confidence: 0.75, reason: `'${raw}' is a per-token metric, not a token count`, rank: 0 };
  }
  if (/token/.test(n) && !/tokenizer/.test(n)) {
    return { role: 'tokens', confidence: 0.85, reason: `named '${raw}' (tokens seen)`, rank: /seen|consumed|total|^tokens$|^num_tokens$/.test(n) ? 3 : 2 };
  }
  if (TOKEN_NAMES.has(n)) {
    return { role: 'tokens', confidence: n === 'num_input_tokens_seen' ? 0.9 : 0.7, reason: `'${raw}' conventionally names the training tokens D`, rank: 1 };
  }
  if (/flop/.test(n) && has('log')) {
    return { role: 'other', confidence: 0.75, reason: `'${raw}' is a logarithm of the compute, not the compute`, rank: 0 };
  }
  if (/flop/.test(n) || FLOP_NAMES.has(n)) {
    const unit = flopsUnit(raw);
    const units = unit !== 1 ? ` (in units of ${unit.toExponential(0).replace('e+', 'e')} FLOPs)` : '';
    return { role: 'flops', confidence: /flop/.test(n) ? 0.9 : 0.75, reason: `'${raw}' names training compute C${units}`, rank: /flop/.test(n) ? (/total/.test(n) ? 3 : 2) : 1 };
  }
  if (PARAM_NAMES.has(n) || (/param/.test(n) && !/hyper/.test(n))) {
    return { role: 'params', confidence: n === 'size' || n === 'n' ? 0.7 : 0.9, reason: `'${raw}' names the parameter count N`, rank: n === 'size' ? 1 : 2 };
  }
  // nanochat prints `lrm: 0.32`, the learning-rate multiplier of its schedule: the LR's shape, which is what a schedule needs.
  if (n === 'lrm' || seg === 'lrm') {
    return { role: 'lr', confidence: 0.85, reason: `named '${raw}' (the learning-rate multiplier)`, rank: 2 };
  }
  // (`train_lr`: the MAE/DeiT `log.txt` lines, fairseq's epoch summaries; `x/lr0`: YOLOv5's results.csv, one per parameter group.)
  if (n === 'lr' || seg === 'lr' || /^lr\d{1,2}$/.test(seg) || /learning_rate/.test(n) || /^lr[_/-]/.test(n) || /^(train|training|current)_lr(_\d{1,2})?$/.test(n)) {
    return { role: 'lr', confidence: 0.9, reason: `named '${raw}' (learning rate)`, rank: 2 };
  }
  const run = RUN_NAMES.get(n);
  if (run !== undefined) {
    return { role: 'run', confidence: run, reason: `'${raw}' names the run`, rank: Math.round(run * 10) };
  }
  return { role: 'other', confidence: 0.5, reason: 'no known role for this name', rank: 0 };
}

interface Content { numeric: boolean; values: number[]; empty: boolean; text: number; seen: number; firstText?: string }

function content(sample: ReadonlyArray<SampleValue> | undefined): Content {
  const values: number[] = [];
  let numeric = true;
  let seen = 0;
  let text = 0;
  let firstText: string | undefined;
  for (const v of sample ?? []) {
    if (v === null || v === '') continue;
    seen++;
    if (typeof v === 'number') { values.push(v); continue; }
    const t = v.trim().toLowerCase();
    if (t === 'nan' || t === 'inf' || t === '-inf' || t === 'infinity' || t === '-infinity' || t === '+inf') continue;
    const x = decimalNumber(t);
    if (t === '' || Number.isNaN(x)) {
      text++;
      firstText ??= v.trim();
    } else values.push(x);
  }
  // A stray bad cell does not make a numeric column text: the numbers must be the majority.
  if (text > 0 && text >= values.length) numeric = false;
  return { numeric, values, empty: seen === 0, text, seen, firstText };
}

/** A cell's text for a reason: at most 40 characters. */
function clipCell(s: string): string {
  return s.length <= 40 ? s : `${s.slice(0, 40)}…`;
}

const NUMERIC_ROLES: ReadonlySet<ColumnRole> = new Set<ColumnRole>(['step', 'epoch', 'tokens', 'loss', 'eval_loss', 'lr', 'params', 'flops', 'time']);

/**
 * Roles of the columns `names`, judged from the names and a sample of values per column (numbers,
 * or raw cell text: text that is not a number marks the column non-numeric). `overrides` (by
 * column name) win with confidence 1.
 */
export function inferRoles(
  names: string[],
  sample: Record<string, ReadonlyArray<SampleValue>>,
  overrides?: Record<string, ColumnRole>,
): ColumnInfo[] {
  const guesses = names.map((name) => {
    const g = byName(name);
    const c = content(own(sample, name));
    const role = g.role;
    let { confidence, reason } = g;
    if (NUMERIC_ROLES.has(role) && !c.numeric) {
      const example = c.firstText === undefined ? '' : `, e.g. '${clipCell(c.firstText)}'`;
      return {
        ...g, role: 'other' as ColumnRole, confidence: 0.6, numeric: false, c, demoted: role,
        reason: `${reason}, but ${c.text} of ${c.seen} sampled cells hold text${example}`,
      };
    }
    if (role === 'step' && c.values.some((v) => !Number.isInteger(v) || v < 0)) {
      confidence *= 0.5; reason += '; some values are not whole numbers';
    }
    if ((role === 'loss' || role === 'eval_loss') && c.values.some((v) => v < 0)) {
      confidence *= 0.5; reason += '; some values are negative';
    }
    // A bare `data` is D in a sweep table, but beside a step it can be the data-loading seconds
    // (the MetricLogger of DeiT, MAE, DETR and torchvision's references prints `time: 1.7769  data:
    // 1.1464`): a count of tokens is never a fraction.
    if (role === 'tokens' && g.rank === 1 && normalizeName(name) === 'data' && c.values.some((v) => !Number.isInteger(v))) {
      return { ...g, role: 'other' as ColumnRole, confidence: 0.6, numeric: c.numeric, c, reason: `'${name}' holds fractions (${c.values.find((v) => !Number.isInteger(v))}): a time (a data-loading time), not a count of tokens` };
    }
    if (role === 'params' && c.values.length > 0 && c.values.every((v) => v < 1e4)) {
      confidence *= 0.6; reason += '; values are small (millions or billions as units?)';
    }
    if (role === 'run' && c.numeric && !c.empty) {
      confidence *= 0.7; reason += ' (numeric ids)';
    }
    if (role === 'other' && g.rank === 0 && !c.numeric) reason = 'text column';
    return { ...g, role, confidence, reason, numeric: c.numeric, c };
  });

  // Beside a step, a bare `tflops` / `TFLOPs` / `gflops_per_gpu` is the step's throughput (torchtitan
  // and Megatron-DeepSpeed print it on every step line), not the compute so far.
  if (guesses.some((g) => g.role === 'step')) {
    for (let i = 0; i < guesses.length; i++) {
      if (guesses[i].role !== 'flops' || !FLOP_RATE_RE.test(normalizeName(names[i]))) continue;
      guesses[i] = { ...guesses[i], role: 'other', confidence: 0.7, reason: `'${names[i]}' beside a step is a throughput (FLOP/s), not the compute so far` };
    }
  }

  // Beside a step that rises row after row (one run's log, not a sweep's table of runs), the tokens
  // seen never fall but at a restart: a tokens column that falls in a quarter of its sampled rows or
  // more is a count per step (verl's `perf/total_num_tokens`, the tokens of each step's batch).
  const falls = (v: readonly number[]): number => { let k = 0; for (let j = 1; j < v.length; j++) if (v[j] < v[j - 1]) k++; return k; };
  const stepGuess = guesses.find((g) => g.role === 'step');
  if (stepGuess && stepGuess.c.values.length >= 8 && falls(stepGuess.c.values) * 10 < stepGuess.c.values.length && !guesses.some((g) => g.role === 'run')) {
    for (let i = 0; i < guesses.length; i++) {
      const g = guesses[i];
      if (g.role !== 'tokens') continue;
      const v = g.c.values;
      const down = falls(v);
      if (v.length >= 8 && down * 4 >= v.length - 1) {
        const at = v.findIndex((x, k) => k > 0 && x < v[k - 1]);
        guesses[i] = { ...g, role: 'other', confidence: 0.7, reason: `'${names[i]}' falls from row to row while the step rises (${v[at - 1]} → ${v[at]}, in ${down} of ${v.length - 1} sampled rows): a count per step, not the tokens seen` };
      }
    }
  }

  // At most one column per single-valued role: the best-ranked keeps it.
  for (const role of SINGLE) {
    const idx = guesses.map((g, i) => (g.role === role ? i : -1)).filter((i) => i >= 0);
    if (idx.length < 2) continue;
    idx.sort((a, b) => guesses[b].rank - guesses[a].rank || guesses[b].confidence - guesses[a].confidence || a - b);
    for (const i of idx.slice(1)) {
      guesses[i] = { ...guesses[i], role: 'other', confidence: 0.5, reason: `another ${role} column ('${names[idx[0]]}') was preferred` };
    }
  }

  // MMEngine prints `base_lr` (the LR the schedule starts from) beside `lr` (the LR as scheduled): the
  // run's schedule is `lr`'s. (A base LR alone stays the LR.)
  const scheduled = guesses.findIndex((g, i) => g.role === 'lr' && normalizeName(names[i]) !== 'base_lr');
  if (scheduled >= 0) {
    for (let i = 0; i < guesses.length; i++) {
      if (guesses[i].role !== 'lr' || normalizeName(names[i]) !== 'base_lr') continue;
      guesses[i] = { ...guesses[i], role: 'other', confidence: 0.7, reason: `'${names[i]}' is the LR the schedule starts from; '${names[scheduled]}' is the LR as scheduled` };
    }
  }

  // No step by name: an unnamed first numeric column of increasing whole numbers is probably it.
  if (!guesses.some((g) => g.role === 'step')) {
    const first = guesses.findIndex((g) => g.role === 'other' && g.numeric && g.c.values.length >= 3);
    if (first === 0) {
      const v = guesses[0].c.values;
      if (v.every((x, i) => Number.isInteger(x) && x >= 0 && (i === 0 || x > v[i - 1]))) {
        guesses[0] = { ...guesses[0], role: 'step', confidence: 0.5, reason: 'first column, increasing whole numbers' };
      }
    }
  }

  const overridden = new Set<ColumnRole>();
  // Overrides come from settings keyed by column name: own properties only (a column `constructor`).
  const override = (name: string): ColumnRole | undefined => {
    const o = own(overrides, name);
    return typeof o === 'string' ? o : undefined;
  };
  for (const name of names) {
    const o = override(name);
    if (o && SINGLE.has(o)) overridden.add(o);
  }
  return guesses.map((g, i) => {
    const name = names[i];
    const o = override(name);
    if (o) return { name, role: o, confidence: 1, reason: 'set by the user', numeric: g.numeric };
    if (overridden.has(g.role)) {
      return { name, role: 'other', confidence: 0.5, reason: `the user chose another ${g.role} column`, numeric: g.numeric };
    }
    const info: ColumnInfo = { name, role: g.role, confidence: Math.round(g.confidence * 100) / 100, reason: g.reason, numeric: g.numeric };
    if ('demoted' in g && g.demoted !== undefined) info.textFor = g.demoted;
    return info;
  });
}

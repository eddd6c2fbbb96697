/**
 * Detectron2's LR plan, from the `config.yaml` it dumps beside `metrics.json` in its output folder
 * (or a config of its own YAML form), read as text: the `SOLVER:` block's `BASE_LR`, `MAX_ITER`,
 * `LR_SCHEDULER_NAME` (`WarmupMultiStepLR`: ×`GAMMA` at each of `STEPS`; `WarmupCosineLR`: a cosine
 * to `BASE_LR_END`) and its warm-up (`WARMUP_ITERS`, `WARMUP_FACTOR`, `WARMUP_METHOD` linear or
 * constant), as detectron2's `build_lr_scheduler` makes them (WarmupParamScheduler inside an
 * LRMultiplier). `metrics.json` logs at `"iteration": i` the LR iteration i trained at. Another
 * scheduler name: undefined (not guessed).
 */
import { perStep, type MmenginePlan } from './mmengine';

/** Most lines of a `SOLVER:` block read (a dumped config's has ~30). */
const MAX_BLOCK_LINES = 400;
/** Most iterations a planned curve holds (as MAX_STEPS in schedule.ts). */
const MAX_CURVE_STEPS = 1_000_000;

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
  if (!k) return undefined;
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

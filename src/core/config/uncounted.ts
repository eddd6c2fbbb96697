/**
 * Keys that change a model's size but that the count did not read: a size-like name (`ff_hidden`,
 * `mamba_d_state`, `attn_layer_period`, `kv_lora_rank` outside a DeepSeek config…) with a positive
 * integer value, non-attention layer types of hybrid models (`layer_types`, `layers_block_type`,
 * `hybrid_override_pattern`), and nested towers (`vision_config`, `audio_config`). Each becomes a
 * warning on its key, so a count that leaves something out says what.
 */
import type { Problem } from '../dataset';
import type { RawEntry } from './readers';

/** Name parts that make a numeric key a model-size key. */
const SIZE_PARTS = new Set([
  'ff', 'ffn', 'fc', 'mlp', 'hidden', 'inner', 'intermediate', 'expert', 'experts', 'head', 'heads', 'layer', 'layers',
  'embd', 'embed', 'emb', 'embedding', 'embeddings', 'dim', 'dims', 'width', 'vocab', 'state', 'ssm', 'conv', 'mamba',
  'rwkv', 'kv', 'lora', 'rank', 'channels', 'blocks', 'depth', 'd', 'model', 'nextn',
]);
/** Name parts that say the number is about something else (training, parallelism, positions, ids…). */
const OTHER_PARTS = new Set([
  'dropout', 'pdrop', 'eps', 'epsilon', 'id', 'ids', 'idx', 'index', 'std', 'init', 'initializer', 'range', 'scale', 'scaling',
  'factor', 'theta', 'base', 'seed', 'random', 'steps', 'step', 'iters', 'window', 'max', 'position', 'positions', 'ctx',
  'len', 'length', 'seq', 'batch', 'workers', 'rate', 'lr', 'bits', 'rotary', 'rope', 'pad', 'multiple', 'parallel',
  'pipeline', 'stage', 'recompute', 'checkpoint', 'checkpointing', 'offload', 'bucket', 'save', 'log', 'logging', 'eval',
  'print', 'world', 'devices', 'gpus', 'nodes', 'shard', 'chunk', 'micro', 'capacity', 'tp', 'pp', 'ep', 'dp', 'cp',
  'freeze', 'frozen', 'unfrozen', 'warmup', 'decay', 'interval', 'group', 'groups', 'coef', 'loss', 'aux', 'alpha',
  'temperature', 'top', 'topk', 'k', 'p', 'beams', 'tokens', 'token', 'labels', 'classes', 'sample', 'samples', 'fraction', 'verbose', 'divisible', 'by',
]);
const SKIP_SECTIONS = /^(rope_scaling|rope_parameters|quantization_config|task_specific_params|generation_config|auto_map|id2label|label2id|compression_config)$/;
/** Layer-type values that are ordinary attention + MLP blocks. */
const ATTENTION_LAYER = /^(full_attention|sliding_attention|attention|global|local|sliding_window|full|chunked_attention|\*|-)$/i;
/** Nested models of multimodal configs. */
const TOWER = /^(vision|audio|speech|image|visual|video|text|encoder|decoder|thinker|talker|perceiver|projector)_config$/;
const LAYER_TYPE_KEYS = new Set(['layer_types', 'layers_block_type', 'block_types', 'layer_type']);

function sizeLike(key: string): boolean {
  const parts = key.toLowerCase().replace(/-/g, '_').split('_').filter(Boolean);
  if (parts.some((p) => OTHER_PARTS.has(p))) return false;
  if (parts[0] === 'lora') return false; // LoRA adapters do not change the base model
  return parts.some((p) => SIZE_PARTS.has(p));
}

/**
 * Problems for size keys not in `used` (dotted paths). `towers`: report nested `*_config` sections
 * (vision/audio encoders) of a Hugging Face config.
 */
export function uncountedKeys(entries: RawEntry[], used: Set<string>, opts: { towers: boolean; counted?: Set<string> }): Problem[] {
  const problems: Problem[] = [];
  const seenSection = new Set<string>();
  const seenList = new Set<string>();
  for (const e of entries) {
    if (e.value === undefined) continue;
    const segs = e.segments;
    if (segs.slice(0, -1).some((s) => SKIP_SECTIONS.test(s))) continue;
    const at = { line: e.range.start.line, column: e.range.start.column };
    if (opts.towers && segs.length > 1 && TOWER.test(segs[0]) && !opts.counted?.has(segs[0])) {
      if (!seenSection.has(segs[0])) {
        seenSection.add(segs[0]);
        problems.push({ ...at, line: at.line, severity: 'warning', message: `${segs[0]}: a nested model (${segs[0].replace(/_config$/, '')} tower) that the parameter count does not include.` });
      }
      continue;
    }
    // List elements (`layer_types.3`): judge by the list's key.
    const listKey = segs.length >= 2 && /^[0-9]+$/.test(segs[segs.length - 1]) ? segs[segs.length - 2] : undefined;
    if (listKey !== undefined) {
      if (LAYER_TYPE_KEYS.has(listKey) && typeof e.value === 'string' && !ATTENTION_LAYER.test(e.value) && !seenList.has(listKey)) {
        seenList.add(listKey);
        problems.push({ ...at, severity: 'warning', message: `${listKey}: "${e.value}" layers (not attention + MLP blocks) are not counted; the parameter count treats every layer as a transformer block.` });
      }
      continue;
    }
    if (e.key === 'hybrid_override_pattern' && typeof e.value === 'string' && /[^*\-]/.test(e.value.replace(/\s/g, ''))) {
      problems.push({ ...at, severity: 'warning', message: `hybrid_override_pattern: a hybrid model (e.g. Mamba layers "M") whose non-attention layers are not counted.` });
      continue;
    }
    if (used.has(e.path)) continue;
    const v = e.value;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) continue;
    if (!sizeLike(e.key)) continue;
    problems.push({ ...at, severity: 'warning', message: `${e.key} = ${v}: looks like a model-size key, but Scaling Lens does not know what it sizes; the parameter count leaves it out.` });
  }
  return problems;
}

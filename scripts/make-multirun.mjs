// Writes a small multi-run workspace: 12 run folders of mixed layouts (Hugging Face Trainer,
// PyTorch Lightning, nanoGPT, torchtitan, LLM Foundry) whose losses follow one known law,
//   L(N, D) = E + A/N^alpha + B/D^beta   (Hoffmann et al. 2022's fitted values by default)
// with N = the model's exact parameter count (counted here from its shape, independently of the
// extension) and D = tokens seen, plus seeded multiplicative noise. Two folders are deliberately
// unusable (no config; no token count). `truth.json` lists the law and each run's expected size.
// Deterministic: mulberry32(seed).
//   node scripts/make-multirun.mjs [--out DIR] [--seed S] [--noise SD]
// Default: --out samples/multirun --seed 12 --noise 0.003.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seeded } from './seeded.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(opt('--out', join(root, 'samples', 'multirun')));
const SEED = Number(opt('--seed', '12'));
const NOISE = Number(opt('--noise', '0.003'));

export const LAW = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const law = (N, D) => LAW.E + LAW.A / N ** LAW.alpha + LAW.B / D ** LAW.beta;

const { rand, gauss } = seeded(SEED);

// ---- exact parameter counts, written from the architectures (GPT-2 / nanoGPT, Llama)
/** GPT-2 style: tied embeddings, learned positions (ctx, 0 for ALiBi), 4·d MLP, LayerNorm; biases when `bias`. */
function gpt2Params({ L, d, V, ctx, bias }) {
  const perLayerW = 4 * d * d + 8 * d * d;
  const perLayerB = bias ? 4 * d + 5 * d : 0;
  const norm = bias ? 2 * d : d;
  return V * d + ctx * d + L * (perLayerW + perLayerB + 2 * norm) + norm;
}
/** Llama style: untied embeddings, RMSNorm, SwiGLU of width ff, grouped-query attention. */
function llamaParams({ L, d, ff, V, heads, kv }) {
  const hd = d / heads;
  const attn = 2 * d * d + 2 * d * kv * hd;
  return 2 * V * d + L * (attn + 3 * d * ff + 2 * d) + d;
}

// ---- learning-rate schedules (peak 1e-3, warm-up 2 %)
function lrAt(kind, t, T) {
  const peak = 1e-3, warm = Math.max(1, Math.round(0.02 * T));
  if (t < warm) return (peak * (t + 1)) / warm;
  if (kind === 'constant') return peak;
  if (kind === 'wsd') {
    const decay = Math.round(0.8 * T);
    return t < decay ? peak : peak * Math.max(0.01, 1 - (t - decay) / (T - decay));
  }
  return 0.1 * peak + 0.45 * peak * (1 + Math.cos((Math.PI * (t - warm)) / (T - warm)));
}

/** The logged points of a run: every `every` steps up to `steps`, loss on the law at the tokens seen. */
function curve(N, tokensPerStep, steps, every, schedule) {
  const pts = [];
  for (let s = every; s <= steps; s += every) {
    const D = s * tokensPerStep;
    pts.push({ step: s, tokens: D, loss: law(N, D) * (1 + NOISE * gauss()), lr: lrAt(schedule, s, steps) });
  }
  return pts;
}
const f5 = (x) => +x.toFixed(5);

const truth = { law: LAW, seed: SEED, noise: NOISE, runs: [] };
function put(rel, name, text) {
  const dir = join(OUT, rel);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}
/** Steps for ≈ `ratio` tokens per parameter, and a logging interval giving ≈ 200 points. */
function plan(N, tokensPerStep, ratio) {
  const steps = Math.max(200, Math.round((ratio * N) / tokensPerStep / 200) * 200);
  return { steps, every: steps / 200 };
}

// ---- Hugging Face Trainer: config.json + trainer_state.json (num_input_tokens_seen logged)
function hfConfig(s) {
  return JSON.stringify({
    architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: s.d, intermediate_size: s.ff,
    num_hidden_layers: s.L, num_attention_heads: s.heads, num_key_value_heads: s.kv, vocab_size: s.V,
    max_position_embeddings: 2048, hidden_act: 'silu', rms_norm_eps: 1e-5, tie_word_embeddings: false,
    torch_dtype: 'bfloat16', transformers_version: '4.44.0',
  }, null, 2) + '\n';
}
function trainerState(pts, withTokens) {
  const log_history = pts.map((p) => ({
    epoch: f5(p.step / pts[pts.length - 1].step), grad_norm: f5(0.5 + rand()), learning_rate: +p.lr.toExponential(4), loss: f5(p.loss),
    ...(withTokens ? { num_input_tokens_seen: p.tokens } : {}), step: p.step,
  }));
  const last = pts[pts.length - 1].step;
  return JSON.stringify({ best_metric: null, epoch: 1.0, eval_steps: 500, global_step: last, is_local_process_zero: true, log_history, logging_steps: pts[0].step, max_steps: last, train_batch_size: 16 }, null, 2) + '\n';
}
function hfRun(rel, shape, ratio, schedule, { checkpoints = false, withTokens = true, usable = true } = {}) {
  const N = llamaParams(shape);
  const tps = 64 * 512; // 64 sequences of 512 tokens per step
  const { steps, every } = plan(N, tps, ratio);
  const pts = curve(N, tps, steps, every, schedule);
  if (checkpoints) {
    for (const frac of [0.5, 1]) {
      const upto = pts.filter((p) => p.step <= frac * steps);
      const ck = `${rel}/checkpoint-${upto[upto.length - 1].step}`;
      put(ck, 'config.json', hfConfig(shape));
      put(ck, 'trainer_state.json', trainerState(upto, withTokens));
    }
  } else {
    put(rel, 'config.json', hfConfig(shape));
    put(rel, 'trainer_state.json', trainerState(pts, withTokens));
  }
  truth.runs.push({ rel, layout: 'hf-trainer', total: N, active: N, tokens: pts[pts.length - 1].tokens, schedule, usable });
}

// ---- PyTorch Lightning: lightning_logs/version_N/ hparams.yaml + metrics.csv (tokens = step × batch × block)
function lightningRun(version, shape, ratio, schedule) {
  const rel = `lightning_logs/version_${version}`;
  const N = gpt2Params({ ...shape, bias: true });
  const batch = 32, block = shape.ctx;
  const tps = batch * block;
  const { steps, every } = plan(N, tps, ratio);
  const pts = curve(N, tps, steps, every, schedule);
  put(rel, 'hparams.yaml', `n_layer: ${shape.L}\nn_head: ${shape.d / 64}\nn_embd: ${shape.d}\nvocab_size: ${shape.V}\nblock_size: ${block}\nbatch_size: ${batch}\nmax_steps: ${steps}\nlearning_rate: 0.001\ndropout: 0.0\n`);
  const rows = ['epoch,step,train_loss,lr-AdamW'];
  for (const p of pts) rows.push(`0,${p.step},${f5(p.loss)},${p.lr.toExponential(4)}`);
  put(rel, 'metrics.csv', rows.join('\n') + '\n');
  truth.runs.push({ rel, layout: 'lightning', total: N, active: N, tokens: pts[pts.length - 1].tokens, schedule, usable: true });
}

// ---- nanoGPT: config .py + stdout log (iter N: loss …) or a JSONL log
function nanogptRun(rel, shape, ratio, schedule, format) {
  const V = 50304; // nanoGPT's default vocabulary (the config leaves it out)
  const N = gpt2Params({ L: shape.L, d: shape.d, V, ctx: shape.ctx, bias: false });
  const batch = 12, accum = 8;
  const tps = batch * accum * shape.ctx;
  const { steps, every } = plan(N, tps, ratio);
  const pts = curve(N, tps, steps, every, schedule);
  put(rel, 'train_config.py', [
    '# nanoGPT config (generated by scripts/make-multirun.mjs)',
    `out_dir = '${rel.split('/').pop()}'`, "dataset = 'openwebtext'",
    `n_layer = ${shape.L}`, `n_head = ${shape.d / 64}`, `n_embd = ${shape.d}`, `block_size = ${shape.ctx}`,
    'bias = False', 'dropout = 0.0',
    `batch_size = ${batch}`, `gradient_accumulation_steps = ${accum}`, `max_iters = ${steps}`, `lr_decay_iters = ${steps}`,
    `decay_lr = ${schedule === 'constant' ? 'False' : 'True'}`, 'learning_rate = 1e-3', '',
  ].join('\n'));
  if (format === 'stdout') {
    const lines = [`Overriding config with config/${rel.split('/').pop()}.py:`, `number of parameters: ${(N / 1e6).toFixed(2)}M`];
    for (const p of pts) lines.push(`iter ${p.step}: loss ${p.loss.toFixed(4)}, time 101.95ms, mfu 3.66%`);
    put(rel, 'train.log', lines.join('\n') + '\n');
  } else {
    put(rel, 'log.jsonl', pts.map((p) => JSON.stringify({ iter: p.step, loss: f5(p.loss), lr: +p.lr.toExponential(4) })).join('\n') + '\n');
  }
  truth.runs.push({ rel, layout: 'nanogpt', total: N, active: N, tokens: pts[pts.length - 1].tokens, schedule: format === 'stdout' ? 'unknown' : schedule, usable: true });
}

// ---- torchtitan: TOML with the model written out + a text log (step: N  loss: …)
function titanRun(rel, shape, ratio, schedule) {
  const N = llamaParams(shape);
  const batch = 16, seq = 512;
  const tps = batch * seq;
  const { steps, every } = plan(N, tps, ratio);
  const pts = curve(N, tps, steps, every, schedule);
  put(rel, 'train.toml', [
    '[job]', `description = "llama-style ${(N / 1e6).toFixed(1)}M (generated by scripts/make-multirun.mjs)"`, '',
    '[model]', 'name = "llama3"', `dim = ${shape.d}`, `n_layers = ${shape.L}`, `n_heads = ${shape.heads}`, `n_kv_heads = ${shape.kv}`,
    `vocab_size = ${shape.V}`, `intermediate_size = ${shape.ff}`, '',
    '[training]', `batch_size = ${batch}`, `seq_len = ${seq}`, `steps = ${steps}`, '',
  ].join('\n'));
  const lines = pts.map((p) => `step: ${p.step}  loss: ${p.loss.toFixed(4)}  lr: ${p.lr.toExponential(4)}  memory: 3.21GiB(8.1%)  tps: 41,233`);
  put(rel, 'train.log', lines.join('\n') + '\n');
  truth.runs.push({ rel, layout: 'torchtitan', total: N, active: N, tokens: pts[pts.length - 1].tokens, schedule, usable: true });
}

// ---- LLM Foundry: YAML (MPT, ALiBi, no biases) + a JSONL metrics log with tokens
function foundryRun(rel, shape, ratio, schedule) {
  const N = gpt2Params({ L: shape.L, d: shape.d, V: shape.V, ctx: 0, bias: false });
  const batch = 64, seq = 512;
  const tps = batch * seq;
  const { steps, every } = plan(N, tps, ratio);
  const pts = curve(N, tps, steps, every, schedule);
  put(rel, 'config.yaml', [
    '# LLM Foundry pretraining config (generated by scripts/make-multirun.mjs)', `max_seq_len: ${seq}`, '',
    'model:', '  name: mpt_causal_lm', `  d_model: ${shape.d}`, `  n_heads: ${shape.d / 64}`, `  n_layers: ${shape.L}`, '  expansion_ratio: 4',
    '  max_seq_len: ${max_seq_len}', `  vocab_size: ${shape.V}`, '  no_bias: true', '  attn_config:', '    alibi: true', '',
    `global_train_batch_size: ${batch}`, `max_duration: ${steps}ba`, '',
  ].join('\n'));
  put(rel, 'metrics.jsonl', pts.map((p) => JSON.stringify({ step: p.step, tokens: p.tokens, 'loss/train/total': f5(p.loss), 'lr-DecoupledAdamW/group0': +p.lr.toExponential(4) })).join('\n') + '\n');
  truth.runs.push({ rel, layout: 'yaml-config', total: N, active: N, tokens: pts[pts.length - 1].tokens, schedule, usable: true });
}

rmSync(OUT, { recursive: true, force: true });
const V = 8192;
hfRun('hf/llama-8m', { L: 6, d: 256, ff: 688, V, heads: 4, kv: 2 }, 20, 'cosine');
hfRun('hf/llama-32m', { L: 8, d: 512, ff: 1376, V, heads: 8, kv: 4 }, 10, 'constant', { checkpoints: true });
hfRun('hf/llama-56m', { L: 10, d: 640, ff: 1728, V, heads: 10, kv: 2 }, 30, 'wsd');
lightningRun(0, { L: 4, d: 128, V, ctx: 256 }, 40, 'constant');
lightningRun(1, { L: 4, d: 256, V, ctx: 256 }, 8, 'cosine');
lightningRun(2, { L: 8, d: 512, V, ctx: 256 }, 60, 'constant');
nanogptRun('nanogpt/out-small', { L: 6, d: 384, ctx: 256 }, 15, 'cosine', 'stdout');
nanogptRun('nanogpt/out-medium', { L: 8, d: 512, ctx: 256 }, 5, 'constant', 'jsonl');
titanRun('torchtitan/llama-24m', { L: 8, d: 448, ff: 1216, V, heads: 7, kv: 7 }, 25, 'cosine');
foundryRun('llm-foundry/mpt-90m', { L: 12, d: 768, V }, 5, 'cosine');
// Deliberately unusable: a log with no config; a Trainer state with no token count or batch size.
{
  const pts = curve(5e6, 16384, 2000, 10, 'cosine');
  put('scratch/no-config', 'train_log.jsonl', pts.map((p) => JSON.stringify({ step: p.step, loss: f5(p.loss) })).join('\n') + '\n');
  truth.runs.push({ rel: 'scratch/no-config', layout: 'log-only', usable: false });
}
hfRun('hf/llama-8m-no-tokens', { L: 6, d: 256, ff: 688, V, heads: 4, kv: 2 }, 10, 'cosine', { withTokens: false, usable: false });
truth.runs.sort((a, b) => a.rel.localeCompare(b.rel));
writeFileSync(join(OUT, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
console.log(`wrote ${truth.runs.length} run folders to ${OUT} (law E=${LAW.E} A=${LAW.A} B=${LAW.B} alpha=${LAW.alpha} beta=${LAW.beta}, seed ${SEED}, noise ${NOISE})`);

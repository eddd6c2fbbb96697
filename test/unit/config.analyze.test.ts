import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeConfig, stepsForTokensPerParam, type ConfigAnalysis } from '../../src/core/config';
import { REPLICATION_LAW, HOFFMANN_LAW, chinchillaLoss } from '../../src/core/fit/laws';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const SAMPLES = path.resolve(__dirname, '../../../samples/configs');
const analyze = (name: string, dir = FIX): ConfigAnalysis => {
  const a = analyzeConfig(fs.readFileSync(path.join(dir, name), 'utf8'), name);
  assert.ok(a, `${name} should be recognised as a training config`);
  return a;
};

test("nanoGPT train_gpt2.py: 12 × 1024 × 40 tokens per iter (grad accum already global), train.py's model defaults", () => {
  const a = analyze('config-train_gpt2.py');
  assert.equal(a.format, 'python');
  assert.equal(a.architecture, 'gpt2');
  assert.equal(a.breakdown.tokensPerStep, 491_520); // the file's own comment: 12 * 1024 * 5 * 8 = 491,520
  assert.equal(a.breakdown.steps, 600_000);
  assert.equal(a.tokens, 600_000 * 491_520); // "total number of tokens be 300B"
  assert.equal(a.breakdown.dataParallel, undefined, 'never multiplied by the GPU count');
  // No model keys in the file: n_layer 12, n_head 12, n_embd 768, bias False, vocab 50304 (padded).
  assert.equal(a.arch?.vocabSize, 50304);
  assert.equal(a.params?.total, 124_337_664 + 47 * 768);
  assert.ok(a.notes.some((n) => n.includes('50304')), 'says the vocabulary was assumed');
  assert.ok(a.notes.some((n) => n.includes('n_layer = 12')));
  assert.deepEqual(a.missing, []);
});

test('nanoGPT config with the model written out: GPT-2 small with bias = 124,439,808', () => {
  const a = analyze('config-gpt2-bias.py');
  assert.equal(a.params?.total, 124_439_808);
  assert.equal(a.params?.nonEmbedding, 84_934_656);
  assert.equal(a.tokens, 2000 * 8 * 16 * 1024);
  const N = 124_439_808;
  const D = 2000 * 8 * 16 * 1024;
  assert.equal(a.flops, 6 * N * D);
  assert.equal(a.flopsWithAttention, 6 * N * D + 6 * 12 * 1024 * 768 * D);
  assert.equal(a.tokensPerParam, D / N);
  assert.equal(a.predictedLoss, chinchillaLoss(REPLICATION_LAW, N, D));
  assert.equal(a.sources.vocab_size?.value, 50257, "the config's vocabulary wins over nanoGPT's default");
});

test("nanoGPT init_from = 'gpt2-xl' takes OpenAI's checkpoint shape", () => {
  const a = analyzeConfig("init_from = 'gpt2-xl'\nbatch_size = 1\ngradient_accumulation_steps = 32\nmax_iters = 20\n", 'finetune.py');
  assert.ok(a);
  assert.equal(a.params?.total, 1_557_611_200);
  assert.equal(a.tokens, 20 * 32 * 1024);
});

test('HF TrainingArguments + model YAML: per-device batch × accumulation × world size × steps × seq len', () => {
  const a = analyze('config-hf-trainer.yaml');
  assert.equal(a.architecture, 'llama');
  assert.equal(a.params?.total, 1_100_048_384); // TinyLlama-1.1B
  assert.equal(a.breakdown.globalBatch, 8 * 4 * 16);
  assert.equal(a.tokens, 50_000 * 8 * 4 * 16 * 2048);
  assert.equal(a.sources.seq_len?.key, 'max_seq_length');
  assert.equal(a.sources.max_steps?.path, 'training.max_steps');
  assert.deepEqual(a.missing, []);
});

test('llm-foundry YAML: max_duration "4800ba" × global_train_batch_size × ${max_seq_len} ≈ 2.5B tokens', () => {
  const a = analyze('config-llmfoundry-mpt-125m.yaml');
  assert.equal(a.tokens, 4800 * 256 * 2048);
  assert.equal(a.breakdown.seqLen, 2048);
  assert.equal(a.breakdown.globalBatch, 256);
  // MPT: no biases, learned positions (2048), tied embeddings, 4× MLP.
  assert.equal(a.params?.total, 50368 * 768 + 2048 * 768 + 12 * (12 * 768 * 768 + 2 * 768) + 768);
  // The eval loader's max_seq_len is not the training sequence length.
  assert.ok(!a.sources.seq_len?.path.startsWith('eval'));
});

test('Llama-2-7B config.json = 6,738,415,616, and says what it needs for tokens', () => {
  const a = analyze('config-llama-2-7b.json');
  assert.equal(a.format, 'json');
  assert.equal(a.architecture, 'llama');
  assert.equal(a.params?.total, 6_738_415_616);
  assert.equal(a.tokens, undefined);
  assert.equal(a.flops, undefined);
  assert.ok(a.missing.some((m) => m.includes('max_steps')));
  assert.ok(a.missing.some((m) => m.includes('batch')));
});

test('Mixtral-8x7B config.json: MoE, ≈46.7B total, ≈12.9B active; ratio uses active', () => {
  const a = analyze('config-mixtral-8x7b.json');
  assert.equal(a.architecture, 'moe');
  assert.equal(Math.round((a.params?.total ?? 0) / 1e8) / 10, 46.7);
  assert.equal(Math.round((a.params?.active ?? 0) / 1e8) / 10, 12.9);
  // Add a training budget: the ratio and FLOPs are per active parameter.
  const text = fs.readFileSync(path.join(FIX, 'config-mixtral-8x7b.json'), 'utf8').replace('"vocab_size": 32000', '"vocab_size": 32000,\n  "train_tokens": 1e12');
  const b = analyzeConfig(text, 'mixtral.json');
  assert.ok(b?.params);
  assert.equal(b.tokens, 1e12);
  assert.equal(b.tokensPerParam, 1e12 / b.params.active);
  assert.equal(b.flops, 6 * b.params.active * 1e12);
  assert.ok(b.notes.some((n) => n.includes('active')));
});

test('torchtitan TOML: [training] steps × batch_size × data_parallel_shard_degree × seq_len', () => {
  const a = analyze('config-torchtitan-custom.toml');
  assert.equal(a.format, 'toml');
  assert.equal(a.tokens, 20_000 * 4 * 8 * 8192);
  assert.equal(a.breakdown.dataParallel, 8);
  assert.equal(a.arch?.mlp.dFf, 8192); // 2/3·4·2048 = 5461 → ×1.5 = 8191 → multiple of 1024
  // Llama 3.2 1B's shape with an untied head: 1,235,814,400 + 128256·2048.
  assert.equal(a.params?.total, 1_235_814_400 + 128_256 * 2048);
});

test("torchtitan's llama3_8b.toml: the 8B flavor is 8,030,261,248 parameters; -1 shard degree counts as 1", () => {
  const a = analyze('config-torchtitan-llama3_8b.toml');
  assert.equal(a.params?.total, 8_030_261_248);
  assert.equal(a.tokens, 1000 * 1 * 8192);
  assert.ok(a.notes.some((n) => n.includes('-1')));
});

test('token budget key and epochs × dataset tokens', () => {
  const a = analyzeConfig('model:\n  n_layer: 2\n  d_model: 128\n  vocab_size: 1000\n  n_positions: 256\ntraining:\n  tokens: 5e8\n  max_steps: 10\n  batch_size: 4\n  seq_len: 256\n', 'x.yaml');
  assert.ok(a);
  assert.equal(a.tokens, 5e8);
  assert.ok(a.problems.some((p) => p.severity === 'info' && p.message.includes('tokens')), 'disagreement with steps × batch × seq noted');
  const e = analyzeConfig('model:\n  n_layer: 2\n  d_model: 128\n  vocab_size: 1000\ntraining:\n  num_train_epochs: 3\n  dataset_tokens: 2000000\n  max_steps: -1\n', 'x.yaml');
  assert.ok(e);
  assert.equal(e.tokens, 6_000_000);
});

test('explicit global batch wins; a mismatch with micro × accum × dp is a warning', () => {
  const a = analyzeConfig('n_layers: 2\nd_model: 64\nvocab_size: 100\nmax_seq_len: 128\nmax_steps: 10\nglobal_batch_size: 64\nmicro_batch_size: 4\ngradient_accumulation_steps: 2\nnum_devices: 4\n', 'x.yml');
  assert.ok(a);
  assert.equal(a.tokens, 10 * 64 * 128);
  const w = a.problems.find((p) => p.severity === 'warning');
  assert.ok(w);
  assert.equal(w.line, 6);
});

test('Megatron-style dashed keys', () => {
  const a = analyzeConfig('num-layers: 24\nhidden-size: 1024\nnum-attention-heads: 16\nseq-length: 2048\nmax-position-embeddings: 2048\nmicro-batch-size: 4\nglobal-batch-size: 512\ntrain-iters: 1000\npadded-vocab-size: 50304\n', 'megatron.yaml');
  assert.ok(a);
  assert.equal(a.tokens, 1000 * 512 * 2048);
  assert.equal(a.sources.n_layer?.key, 'num-layers');
  assert.ok(a.params);
});

test('unrelated YAML / JSON / TOML / Python are not training configs', () => {
  const unrelated: [string, string][] = [
    ['ci.yml', 'name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n'],
    ['docker-compose.yaml', 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n'],
    ['package.json', fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')],
    ['tsconfig.json', '{ "compilerOptions": { "strict": true, "target": "ES2022" } }'],
    ['Cargo.toml', '[package]\nname = "x"\nversion = "0.1.0"\n[dependencies]\nserde = "1"\n'],
    ['setup.py', 'from setuptools import setup\nsetup(name="x", version="1.0")\n'],
    ['script.py', 'import torch\nx = 3\ndef f():\n    return 1\n'],
    ['tokenizer_config.json', '{"model_max_length": 2048, "eval": {"batch_size": 8, "max_steps": 5}}'],
    ['request.json', '{"model": "gpt-4o", "max_tokens": 256, "top_k": 40, "temperature": 0.7}'],
    ['generation_config.json', '{"max_length": 4096, "top_k": 50, "num_beams": 1, "max_new_tokens": 512}'],
    ['hf_trainer_state.json', fs.readFileSync(path.join(FIX, 'hf_trainer_state.json'), 'utf8')],
  ];
  for (const [name, text] of unrelated) assert.equal(analyzeConfig(text, name), undefined, name);
});

test('stepsForTokensPerParam: the step count for ≈20 tokens per parameter, spelled like the old value', () => {
  const a = analyze('config-gpt2-bias.py');
  const fix = stepsForTokensPerParam(a, 20);
  assert.ok(fix);
  assert.equal(fix.key.key, 'max_iters');
  assert.equal(fix.newValue, Math.round((20 * 124_439_808) / (8 * 16 * 1024)));
  assert.equal(fix.newText, String(fix.newValue));
  // Applying it lands within one step's worth of the ratio.
  const ratio = (fix.newValue * 8 * 16 * 1024) / 124_439_808;
  assert.ok(Math.abs(ratio - 20) < (8 * 16 * 1024) / 124_439_808);

  const m = analyze('config-llmfoundry-mpt-125m.yaml');
  const f2 = stepsForTokensPerParam(m, 40);
  assert.ok(f2);
  assert.equal(f2.key.key, 'max_duration');
  assert.equal(f2.newText, `${f2.newValue}ba`);
  assert.equal(f2.newValue, Math.round((40 * m.params!.active) / (256 * 2048)));

  // MoE: per active parameter, on the token-budget key.
  const text = fs.readFileSync(path.join(FIX, 'config-mixtral-8x7b.json'), 'utf8').replace('"vocab_size": 32000', '"vocab_size": 32000,\n  "train_tokens": 1e12');
  const x = analyzeConfig(text, 'mixtral.json');
  assert.ok(x?.params);
  const f3 = stepsForTokensPerParam(x, 20);
  assert.equal(f3?.key.key, 'train_tokens');
  assert.equal(f3?.newValue, 20 * x.params.active);

  // Nothing to edit: a model-only config.
  assert.equal(stepsForTokensPerParam(analyze('config-llama-2-7b.json'), 20), undefined);
});

test('options: another law and another reference ratio', () => {
  const a = analyzeConfig(fs.readFileSync(path.join(FIX, 'config-hf-trainer.yaml'), 'utf8'), 'x.yaml', { law: HOFFMANN_LAW, lawName: 'Hoffmann 2022', referenceTokensPerParam: 25 });
  assert.ok(a?.params && a.tokens);
  assert.equal(a.predictedLoss, chinchillaLoss(HOFFMANN_LAW, a.params.total, a.tokens));
  assert.equal(a.lawName, 'Hoffmann 2022');
  assert.equal(a.reference.tokens, 25 * a.params.total);
});

test('bundled sample configs are recognised and complete', () => {
  const files = fs.readdirSync(SAMPLES).filter((f) => /\.(py|ya?ml|json|toml)$/.test(f));
  assert.ok(files.length >= 2);
  for (const f of files) {
    const a = analyze(f, SAMPLES);
    assert.ok(a.params, f);
    assert.ok(a.tokens, f);
    assert.deepEqual(a.problems.filter((p) => p.severity === 'error'), [], f);
  }
});

test('real Hugging Face config.json files give their published parameter counts', () => {
  const cases: [string, string, number][] = [
    ['gpt2', '{"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1, "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02, "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12, "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": null, "summary_first_dropout": 0.1, "summary_proj_to_labels": true, "summary_type": "cls_index", "summary_use_proj": true, "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}}, "vocab_size": 50257}', 124_439_808],
    // GPT-NeoX: rotary (no learned positions), biases, untied head.
    ['pythia-160m', '{"architectures": ["GPTNeoXForCausalLM"], "bos_token_id": 0, "eos_token_id": 0, "hidden_act": "gelu", "hidden_size": 768, "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-05, "max_position_embeddings": 2048, "model_type": "gpt_neox", "num_attention_heads": 12, "num_hidden_layers": 12, "rotary_emb_base": 10000, "rotary_pct": 0.25, "tie_word_embeddings": false, "torch_dtype": "float16", "transformers_version": "4.24.0", "use_cache": true, "use_parallel_residual": true, "vocab_size": 50304}', 162_322_944],
    // Qwen2: q/k/v biases, tied embeddings, GQA.
    ['qwen2-0.5b', '{"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864, "max_position_embeddings": 131072, "max_window_layers": 24, "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 131072, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.40.1", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}', 494_032_768],
    // Gemma: explicit head_dim, multi-query, tied by default.
    ['gemma-2b', '{"architectures": ["GemmaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 2, "eos_token_id": 1, "head_dim": 256, "hidden_act": "gelu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 16384, "max_position_embeddings": 8192, "model_type": "gemma", "num_attention_heads": 8, "num_hidden_layers": 18, "num_key_value_heads": 1, "pad_token_id": 0, "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 10000.0, "torch_dtype": "bfloat16", "transformers_version": "4.38.0.dev0", "vocab_size": 256000}', 2_506_172_416],
  ];
  for (const [name, text, expected] of cases) {
    const a = analyzeConfig(text, `${name}/config.json`);
    assert.ok(a, name);
    assert.equal(a.params?.total, expected, name);
  }
});

test("nanoGPT's shakespeare_char config: vocabulary 65 from its meta.pkl, 10.65M parameters as train.py prints", () => {
  const text = `out_dir = 'out-shakespeare-char'
eval_interval = 250 # keep frequent because we'll overfit
eval_iters = 200
log_interval = 10 # don't print too too often
always_save_checkpoint = False
wandb_log = False # override via command line if you like
wandb_project = 'shakespeare-char'
wandb_run_name = 'mini-gpt'
dataset = 'shakespeare_char'
gradient_accumulation_steps = 1
batch_size = 64
block_size = 256 # context of up to 256 previous characters
n_layer = 6
n_head = 6
n_embd = 384
dropout = 0.2
learning_rate = 1e-3 # with baby networks can afford to go a bit higher
max_iters = 5000
lr_decay_iters = 5000 # make equal to max_iters usually
min_lr = 1e-4 # learning_rate / 10 usually
beta2 = 0.99 # make a bit bigger because number of tokens per iter is small
warmup_iters = 100 # not super necessary potentially
`;
  const a = analyzeConfig(text, 'train_shakespeare_char.py');
  assert.ok(a?.params);
  assert.equal(a.arch?.vocabSize, 65);
  // train.py prints get_num_params(), which leaves out the position embeddings: "10.65M".
  assert.equal(((a.params.total - 256 * 384) / 1e6).toFixed(2), '10.65');
  assert.equal(a.tokens, 5000 * 64 * 256);
});

test('zero or negative sizes are reported and ignored, never turned into Infinity/NaN', () => {
  const a = analyzeConfig('n_layer = 12\nn_head = 0\nn_embd = 768\nbatch_size = -4\nmax_iters = 100\n', 'zero.py');
  assert.ok(a);
  const bad = a.problems.filter((p) => p.severity === 'warning').map((p) => p.line);
  assert.deepEqual(bad, [2, 4]);
  for (const v of [a.params?.total, a.tokens, a.flops, a.tokensPerParam, a.predictedLoss]) {
    assert.ok(v === undefined || Number.isFinite(v), String(v));
  }
  // A GPT-2-style count does not depend on the number of heads; it is still made.
  assert.equal(a.params?.total, 124_337_664 + 47 * 768);
  assert.equal(a.tokens, undefined, 'batch size unknown');
});

test("a Python training script without nanoGPT's names gets no nanoGPT defaults", () => {
  const a = analyzeConfig('import torch\nbatch_size = 32\nmax_steps = 1000\nseq_len = 512\nlr = 3e-4\n', 'train.py');
  assert.ok(a);
  assert.equal(a.params, undefined);
  assert.equal(a.tokens, 1000 * 32 * 512);
  assert.ok(a.missing.some((m) => m.startsWith('n_layer')));
  assert.ok(!a.notes.some((n) => n.includes('nanoGPT')));
});

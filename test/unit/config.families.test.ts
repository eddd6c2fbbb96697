import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeConfig, summaryRows, type ConfigAnalysis } from '../../src/core/config';
import { runConfig } from '../../src/cli/config';

const DIR = path.resolve(__dirname, '../../../test/fixtures/configs');
const analyze = (name: string): ConfigAnalysis => {
  const a = analyzeConfig(fs.readFileSync(path.join(DIR, name), 'utf8'), name);
  assert.ok(a, `${name} should be recognised`);
  return a;
};

/**
 * Real config.json files (test/fixtures/configs/, sources in test/fixtures/SOURCES.md) against
 * their published parameter counts. `total`/`active`: exact published numbers (HF
 * `num_parameters()` / safetensors totals, model cards, papers), checked to the parameter.
 * `rounded`: counts published only rounded (e.g. "3.3B"), checked to within one unit of their last digit; the exact
 * value we derive is checked as well (`derived`), from the module arithmetic in the comment.
 */
interface Case {
  file: string;
  family: string;
  total?: number;
  active?: number;
  /** Published non-embedding count (total − embedding), when a paper gives it. */
  nonEmbedding?: number;
  rounded?: { total: string; active?: string; digits: number };
  derived?: { total: number; active?: number };
  /** Parameters the published active count leaves out (gpt-oss's model card: the input embedding). */
  activeExcludes?: number;
}

const CASES: Case[] = [
  { file: 'llama-7b.json', family: 'llama', total: 6_738_415_616 },
  { file: 'llama-2-7b-hf.json', family: 'llama', total: 6_738_415_616 },
  { file: 'meta-llama-3-8b.json', family: 'llama', total: 8_030_261_248 },
  { file: 'llama-3.1-8b.json', family: 'llama', total: 8_030_261_248 },
  { file: 'llama-3.2-1b.json', family: 'llama', total: 1_235_814_400 },
  { file: 'mistral-7b-v0.1.json', family: 'mistral', total: 7_241_732_096 },
  // Active: 32 layers × 6 idle experts × 3·4096·14336 fewer; Mistral publishes "12.9B active".
  { file: 'mixtral-8x7b-v0.1.json', family: 'mixtral', total: 46_702_792_704, rounded: { total: '46.7', active: '12.9', digits: 1 }, derived: { total: 46_702_792_704, active: 12_879_925_248 } },
  { file: 'qwen2.5-0.5b.json', family: 'qwen2', total: 494_032_768 },
  { file: 'qwen1.5-moe-a2.7b.json', family: 'qwen2_moe', total: 14_315_784_192, active: 2_689_173_504 },
  // 28 × (attention 6,291,456 + q/k norms 256 + MLP 9,437,184 + norms 2048) + tied embedding 155,582,464 + 1024.
  { file: 'qwen3-0.6b.json', family: 'qwen3', total: 596_049_920, rounded: { total: '0.6', digits: 1 } },
  // 48 × (attention 18,874,368 + q/k norms 256 + 128 experts × 4,718,592 + router 262,144 + norms 4096) + 2 × 311,164,928 + 2048;
  // active: 8 of the 128 experts.
  { file: 'qwen3-30b-a3b.json', family: 'qwen3_moe', total: 30_532_122_624, rounded: { total: '30.5', active: '3.3', digits: 1 }, derived: { total: 30_532_122_624, active: 3_353_032_704 } },
  { file: 'deepseek-v2-lite.json', family: 'deepseek_v2', total: 15_706_484_224, active: 2_661_150_208 },
  { file: 'deepseek-v2.json', family: 'deepseek_v2', total: 235_741_434_880, rounded: { total: '236', active: '21', digits: 0 }, derived: { total: 235_741_434_880, active: 21_375_800_320 } },
  // 3 dense layers + 58 MoE layers (256 routed + 1 shared expert of 2048) with MLA (q_lora_rank 1536); the report's 671B / 37B.
  { file: 'deepseek-v3.json', family: 'deepseek_v3', rounded: { total: '671', active: '37', digits: 0 }, derived: { total: 671_026_404_352, active: 37_552_282_624 } },
  { file: 'gemma-2b.json', family: 'gemma', total: 2_506_172_416, nonEmbedding: 1_981_884_416 },
  { file: 'gemma-7b.json', family: 'gemma', total: 8_537_680_896, nonEmbedding: 7_751_248_896 },
  { file: 'gemma-2-2b.json', family: 'gemma2', total: 2_614_341_888, nonEmbedding: 2_024_517_888 },
  // Gemma 3 report: 302M embedding + 698M non-embedding parameters for the 1B model.
  { file: 'gemma-3-1b-pt.json', family: 'gemma3_text', total: 999_885_952, rounded: { total: '1.0', digits: 1 } },
  // Text decoder (Gemma3TextConfig defaults for heads, head_dim, vocabulary) + SigLIP tower 416,866,032 + projector 2,950,272.
  { file: 'gemma-3-4b-it.json', family: 'gemma3', total: 4_300_079_472 },
  { file: 'phi-3-mini-4k-instruct.json', family: 'phi3', total: 3_821_079_552 },
  { file: 'olmo-1b-hf.json', family: 'olmo', total: 1_176_764_416 },
  { file: 'olmo-2-1124-7b.json', family: 'olmo2', total: 7_298_617_344 },
  { file: 'olmoe-1b-7b-0924.json', family: 'olmoe', total: 6_919_161_856, rounded: { total: '6.9', active: '1.3', digits: 1 }, derived: { total: 6_919_161_856, active: 1_282_017_280 } },
  { file: 'pythia-160m.json', family: 'gpt_neox', total: 162_322_944, nonEmbedding: 85_056_000 },
  { file: 'falcon-7b.json', family: 'falcon', rounded: { total: '7', digits: 0 }, derived: { total: 6_921_720_704 } },
  { file: 'mpt-7b.json', family: 'mpt', rounded: { total: '6.7', digits: 1 }, derived: { total: 6_649_286_656 } },
  { file: 'gpt2.json', family: 'gpt2', total: 124_439_808 },
  // 24 × (attention 2880·4096 + 4096 + 2·(2880·512 + 512) + 4096·2880 + 2880 + 64 sinks = 26,550,144
  //   + 32 experts × (2880·5760 + 5760 + 2880·2880 + 2880) = 796,538,880 + router 2880·32 + 32 + norms 5760)
  //   + 2 × 201,088 × 2880 + 2880. The checkpoint's bytes agree to the byte (test below); the model card
  //   (arXiv 2508.10925) gives 20.91B total, 3.61B active without the input embedding (201,088 × 2880).
  { file: 'gpt-oss-20b.json', family: 'gpt_oss', total: 20_914_757_184, rounded: { total: '20.91', active: '3.61', digits: 2 }, derived: { total: 20_914_757_184, active: 4_187_440_704 }, activeExcludes: 201_088 * 2880 },
];

test('the table covers at least 15 real configs, every MoE with an active count', () => {
  assert.ok(CASES.length >= 15);
  assert.ok(CASES.filter((c) => c.total !== undefined).length >= 15, 'at least 15 exact published totals');
  for (const c of CASES) assert.ok(fs.existsSync(path.join(DIR, c.file)), c.file);
  const sources = fs.readFileSync(path.resolve(DIR, '../SOURCES.md'), 'utf8');
  for (const c of CASES) assert.ok(sources.includes(`configs/${c.file}`), `${c.file} has its source in SOURCES.md`);
});

for (const c of CASES) {
  test(`${c.file}: ${c.family}, ${c.total !== undefined ? c.total.toLocaleString('en-US') : `≈${c.rounded?.total}B`}${c.active !== undefined ? ` / ${c.active.toLocaleString('en-US')} active` : ''}`, () => {
    const a = analyze(c.file);
    assert.equal(a.family?.id, c.family);
    assert.deepEqual(a.notCounted, [], 'every size key counted');
    const p = a.params;
    assert.ok(p, 'counted');
    assert.equal(p.embedding + p.nonEmbedding + p.other + (p.extra ?? 0), p.total, 'the split adds up');
    if (c.total !== undefined) assert.equal(p.total, c.total);
    if (c.active !== undefined) assert.equal(p.active, c.active);
    if (c.nonEmbedding !== undefined) assert.equal(p.total - p.embedding, c.nonEmbedding);
    if (c.derived) {
      assert.equal(p.total, c.derived.total);
      if (c.derived.active !== undefined) assert.equal(p.active, c.derived.active);
    }
    if (c.rounded) {
      // Published rounded or truncated ("3.3B" for 3.35B): within one unit of the published last digit.
      const unit = 10 ** -c.rounded.digits;
      assert.ok(Math.abs(p.total / 1e9 - Number(c.rounded.total)) < unit, `${p.total} vs ${c.rounded.total}B`);
      const active = p.active - (c.activeExcludes ?? 0);
      if (c.rounded.active) assert.ok(Math.abs(active / 1e9 - Number(c.rounded.active)) < unit, `${active} vs ${c.rounded.active}B active`);
    }
    const moe = a.arch?.moe !== undefined;
    assert.equal(a.architecture === 'moe', moe);
    if (moe) {
      assert.ok(c.active !== undefined || c.rounded?.active !== undefined, 'every MoE has a published active count in the table');
      assert.ok(p.active < p.total);
    } else {
      assert.equal(p.active, p.total);
    }
  });
}

test('scaling-lens config FILE --json gives params.total and params.active exactly for every fixture', async () => {
  for (const c of CASES) {
    let out = '';
    const code = await runConfig([path.join(DIR, c.file), '--json'], { out: (s) => { out += s; }, err: () => {} });
    assert.equal(code, 0, c.file);
    const j = JSON.parse(out) as { params: { total: number; active: number }; family: { id: string } };
    const a = analyze(c.file);
    assert.equal(j.params.total, a.params?.total, c.file);
    assert.equal(j.params.active, a.params?.active, c.file);
    if (c.total !== undefined) assert.equal(j.params.total, c.total, c.file);
    if (c.active !== undefined) assert.equal(j.params.active, c.active, c.file);
    assert.equal(j.family.id, c.family);
  }
});

test('DeepSeek-V2-Lite: MLA without a q LoRA, 2 shared experts, the first layer dense', () => {
  const a = analyze('deepseek-v2-lite.json');
  const spec = a.arch!;
  assert.equal(spec.attention.kind, 'mla');
  assert.equal(spec.attention.kind === 'mla' ? spec.attention.qLoraRank : -1, undefined);
  assert.equal(spec.moe?.sharedDff, 2 * 1408);
  assert.deepEqual(spec.moe?.layers, Array.from({ length: 26 }, (_, i) => i + 1));
  // Layer 0: MLA 13,763,072 + dense SwiGLU 3·2048·10944 + 2 norms.
  const layer0 = 2048 * 16 * 192 + 2048 * 576 + 512 + 512 * 16 * 256 + 16 * 128 * 2048 + 3 * 2048 * 10944 + 2 * 2048;
  assert.equal(layer0, 81_007_104);
});

test('DeepSeek-V3: the multi-token-prediction module is reported apart, not in the total', () => {
  const a = analyze('deepseek-v3.json');
  const d = 7168;
  // One MoE block + enorm + hnorm + eh_proj (2d → d) + shared_head.norm.
  const mtp = a.params!.mtp!;
  const moeLayer = (a.params!.total - 1_853_358_080 - d - 3 * 583_483_392) / 58;
  assert.equal(moeLayer, 11_507_286_016);
  assert.equal(mtp, moeLayer + 2 * d * d + 3 * d);
  assert.ok(a.notes.some((n) => /Multi-token-prediction/.test(n) && /not in the total/.test(n)));
  assert.ok(a.notes.some((n) => /e_score_correction_bias/.test(n)), 'says the router bias is a buffer');
});

test("DeepSeek-V3 to the parameter: the checkpoint's published BF16 + FP8 counts are the model, its MTP module and the MTP layer's stored copies of the embedding and head", () => {
  // Hugging Face's safetensors metadata for deepseek-ai/DeepSeek-V3 (the "685B" of its model card):
  // {"BF16": 3,918,786,560, "F8_E4M3": 680,571,043,840, "F32": 41,555,600}, total 684,531,386,000.
  const a = analyze('deepseek-v3.json');
  const p = a.params!;
  const V = 129280, d = 7168;
  assert.equal(p.total + p.mtp! + 2 * V * d, 3_918_786_560 + 680_571_043_840);
  // The F32 tensors are not weights: one scale per 128×128 block of every FP8 matrix, and the
  // routers' e_score_correction_bias (a buffer in transformers) in the 58 MoE layers and the MTP layer.
  const blocks = (rows: number, cols: number): number => Math.ceil(rows / 128) * Math.ceil(cols / 128);
  const attention = blocks(1536, d) + blocks(128 * 192, 1536) + blocks(576, d) + blocks(128 * 256, 512) + blocks(d, 128 * 128);
  const mlp = (width: number): number => 2 * blocks(width, d) + blocks(d, width);
  const moeLayers = 58 + 1;
  assert.equal(3 * (attention + mlp(18432)) + moeLayers * (attention + 257 * mlp(2048) + 256), 41_555_600);
  // DeepSeek's README_WEIGHTS.md: the MTP module has "11.5B unique parameters" beside the shared
  // embedding and head: its transformer layer (11,507,286,016); eh_proj and the norms add 0.1B.
  assert.equal(p.mtp! - 2 * d * d - 3 * d, 11_507_286_016);
  assert.ok(a.notes.some((n) => n.includes(`holds ${(2 * V * d).toLocaleString('en-US')} more`)), a.notes.join('\n'));
});

test('checkpoints that store a tied output layer again: the stored total is the count plus one vocabulary × width matrix', () => {
  // Hugging Face safetensors totals: Qwen/Qwen3-0.6B 751,632,384 (BF16) and tiiuae/falcon-7b
  // 7,217,189,760, both with lm_head.weight written beside the embedding it is tied to;
  // num_parameters() counts the tied matrix once.
  const qwen = analyze('qwen3-0.6b.json');
  assert.equal(qwen.arch?.tiedEmbeddings, true);
  assert.equal(qwen.params!.total + 151936 * 1024, 751_632_384);
  // The model card's "0.44B non-embedding".
  assert.equal((qwen.params!.nonEmbedding / 1e9).toFixed(2), '0.44');
  const falcon = analyze('falcon-7b.json');
  assert.equal(falcon.arch?.tiedEmbeddings, true);
  assert.equal(falcon.params!.total + 65024 * 4544, 7_217_189_760);
  // Gemma 3 report, Table 1: the 1B model has 302M embedding and 698M non-embedding parameters.
  const g = analyze('gemma-3-1b-pt.json').params!;
  assert.equal(Math.round(g.embedding / 1e6), 302);
  assert.equal(Math.round((g.total - g.embedding) / 1e6), 698);
});

test('the hover rows (summaryRows) show the family, total and active side by side, and that FLOPs use the active count', () => {
  const base = JSON.parse(fs.readFileSync(path.join(DIR, 'qwen1.5-moe-a2.7b.json'), 'utf8')) as Record<string, unknown>;
  const a = analyzeConfig(JSON.stringify({ ...base, max_steps: 1000, global_batch_size: 8, seq_len: 2048 }, null, 2), 'config.json')!;
  const rows = new Map(summaryRows(a).map((r) => [r.label, r]));
  assert.equal(rows.get('Model')?.value, 'Qwen2-MoE (Qwen1.5-MoE) (qwen2_moe), mixture of experts');
  assert.equal(rows.get('Model')?.detail, "counted exactly as transformers' Qwen2MoeForCausalLM");
  const pr = rows.get('Parameters (total / active)');
  assert.equal(pr?.value, '14,315,784,192 / 2,689,173,504');
  assert.match(pr?.detail ?? '', /4 of 60 routed experts \+ the shared expert in 24 of 24 layers; 2\.38B without the input embedding \(a table lookup\), as some model cards count it; training FLOPs \(6·N·D\), tokens per parameter and the predicted loss use the active count/);
  assert.match(rows.get('FLOPs')?.detail ?? '', /^6·N·D, N = active parameters/);
  assert.equal(rows.get('FLOPs')?.value, (6 * 2_689_173_504 * 1000 * 8 * 2048).toExponential(2).replace('e+', 'e'));
  assert.match(rows.get('Tokens per parameter')?.detail ?? '', /^per active parameter/);
  // A dense model: one count, no active column.
  const dense = new Map(summaryRows(analyze('llama-3.2-1b.json')).map((r) => [r.label, r]));
  assert.equal(dense.get('Parameters')?.value, '1,235,814,400');
  assert.equal(dense.has('Parameters (total / active)'), false);
  // DeepSeek-V3: the MTP module on its own row, not in the total.
  const v3 = new Map(summaryRows(analyze('deepseek-v3.json')).map((r) => [r.label, r]));
  assert.equal(v3.get('MTP modules')?.value, '11,610,067,968');
  assert.match(v3.get('MTP modules')?.detail ?? '', /not in the total/);
});

test('Qwen2-MoE: decoder_sparse_step and mlp_only_layers make dense layers of intermediate_size', () => {
  const base = JSON.parse(fs.readFileSync(path.join(DIR, 'qwen1.5-moe-a2.7b.json'), 'utf8')) as Record<string, unknown>;
  const full = analyzeConfig(JSON.stringify(base), 'config.json')!.params!;
  const cfg = { ...base, decoder_sparse_step: 2, mlp_only_layers: [1, 5] };
  const a = analyzeConfig(JSON.stringify(cfg, null, 2), 'config.json')!;
  // Sparse layers: (i + 1) % 2 == 0 and not 1 or 5 → 3, 7, 9, …, 23 = 10 layers.
  assert.deepEqual(a.arch?.moe?.layers, [3, 7, 9, 11, 13, 15, 17, 19, 21, 23]);
  const d = 2048;
  const sparseMlp = 60 * 3 * d * 1408 + 3 * d * 5632 + d * 60 + d; // experts + shared expert + router + shared gate
  const denseMlp = 3 * d * 5632;
  assert.equal(full.total - a.params!.total, 14 * (sparseMlp - denseMlp));
  assert.equal(a.params!.total - a.params!.active, 10 * 56 * 3 * d * 1408);
});

test('an unknown model_type gets a problem on its key and no count', () => {
  const a = analyze('mamba-130m.json');
  assert.equal(a.params, undefined);
  assert.equal(a.architecture, 'unknown');
  const p = a.problems.find((x) => /model_type "mamba"/.test(x.message));
  assert.ok(p, 'a problem names the model_type');
  assert.equal(p.line, a.sources.model_type?.range.start.line ?? p.line);
  assert.equal(p.severity, 'warning');
  assert.deepEqual(a.notCounted, [p]);
});

test('keys that change the size but are not counted are problems naming them', () => {
  // A trainer YAML with a width the reader does not know (the issue's `ff_hidden: 2048`).
  const yaml = `model:
  n_layer: 12
  n_embd: 768
  n_head: 12
  vocab_size: 50257
  block_size: 1024
  ff_hidden: 2048
training:
  max_steps: 1000
  batch_size: 8
  num_workers: 4
  warmup_steps: 100
`;
  const a = analyzeConfig(yaml, 'train.yaml')!;
  assert.ok(a.params, 'still counted');
  assert.equal(a.countComplete, false);
  assert.equal(a.notCounted.length, 1, a.notCounted.map((p) => p.message).join('\n'));
  assert.match(a.notCounted[0].message, /^ff_hidden = 2048/);
  assert.equal(a.notCounted[0].line, 7);

  // A hybrid model's layer types, and a vision tower, in a family the counter knows.
  const base = JSON.parse(fs.readFileSync(path.join(DIR, 'qwen3-0.6b.json'), 'utf8')) as Record<string, unknown>;
  const hybrid = analyzeConfig(JSON.stringify({ ...base, layer_types: ['linear_attention', 'full_attention'], mamba_d_state: 16, vision_config: { hidden_size: 1152, num_hidden_layers: 27 } }, null, 2), 'config.json')!;
  const msgs = hybrid.notCounted.map((p) => p.message);
  assert.ok(msgs.some((m) => /layer_types: "linear_attention"/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^mamba_d_state = 16/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^vision_config: /.test(m)), msgs.join('\n'));
  // Attention-only layer types are ordinary blocks.
  const plain = analyzeConfig(JSON.stringify({ ...base, layer_types: Array(28).fill('full_attention') }), 'config.json')!;
  assert.deepEqual(plain.notCounted, []);
});

test("the real trainer configs and samples raise no 'not counted' problem", () => {
  const dirs = [path.resolve(DIR, '..'), path.resolve(DIR, '../../../samples/configs')];
  for (const dir of dirs) {
    for (const f of fs.readdirSync(dir).filter((x) => /^config-|\.(ya?ml|toml|py)$/.test(x) && fs.statSync(path.join(dir, x)).isFile())) {
      const a = analyzeConfig(fs.readFileSync(path.join(dir, f), 'utf8'), f);
      if (a) assert.deepEqual(a.notCounted, [], f);
    }
  }
});

test('MoE: FLOPs and tokens per parameter use the active count, and the finding says which count', () => {
  const base = JSON.parse(fs.readFileSync(path.join(DIR, 'qwen1.5-moe-a2.7b.json'), 'utf8')) as Record<string, unknown>;
  // A fine-tuning run of 1,000 steps × 8 × 2048 tokens: far below 10 tokens per active parameter.
  const a = analyzeConfig(JSON.stringify({ ...base, max_steps: 1000, global_batch_size: 8, seq_len: 2048 }, null, 2), 'config.json')!;
  const D = 1000 * 8 * 2048;
  assert.equal(a.tokens, D);
  assert.equal(a.paramsUsed, 'active');
  assert.equal(a.flops, 6 * 2_689_173_504 * D);
  assert.equal(a.tokensPerParam, D / 2_689_173_504);
  assert.ok(a.ratioFinding);
  assert.equal(a.ratioFinding.severity, 'warning');
  assert.match(a.ratioFinding.message, /N = 2\.69B active parameters of 14\.32B total/);
  assert.equal(a.ratioFinding.line, a.sources.max_steps?.range.start.line);

  const dense = analyzeConfig(JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(DIR, 'llama-3.2-1b.json'), 'utf8')), max_steps: 10, global_batch_size: 8, seq_len: 2048 }, null, 2), 'config.json')!;
  assert.equal(dense.paramsUsed, 'total');
  assert.match(dense.ratioFinding?.message ?? '', /N = 1\.24B total parameters/);
});

test('a trainer config with fine-grained and shared experts and dense first layers', () => {
  const toml = `[model]
dim = 1024
n_layers = 8
n_heads = 8
vocab_size = 32000
intermediate_size = 4096
moe_intermediate_size = 512
num_experts = 16
top_k = 2
n_shared_experts = 2
first_k_dense_replace = 2
[training]
steps = 100
batch_size = 4
seq_len = 1024
`;
  const a = analyzeConfig(toml, 'moe.toml')!;
  const d = 1024;
  const attn = 4 * d * d;
  const dense = attn + 3 * d * 4096 + 2 * d;
  const moe = attn + 16 * 3 * d * 512 + 3 * d * 1024 + d * 16 + 2 * d;
  assert.equal(a.params?.total, 2 * dense + 6 * moe + d + 2 * 32000 * d);
  assert.equal(a.params!.total - a.params!.active, 6 * 14 * 3 * d * 512);
  assert.deepEqual(a.notCounted, []);
});

test('hostile or broken config.json values: no hang, no prototype lookups, no fractional models', () => {
  const base = JSON.parse(fs.readFileSync(path.join(DIR, 'qwen1.5-moe-a2.7b.json'), 'utf8')) as Record<string, unknown>;
  const t0 = Date.now();
  const huge = analyzeConfig(JSON.stringify({ ...base, num_hidden_layers: 1e12, mlp_only_layers: Array.from({ length: 5000 }, (_, i) => i) }), 'config.json')!;
  assert.ok(Date.now() - t0 < 2000, 'answers at once');
  assert.equal(huge.params, undefined);
  assert.ok(huge.missing.some((m) => /plausible layer count/.test(m)), huge.missing.join('; '));

  for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const a = analyzeConfig(JSON.stringify({ ...base, model_type: type }), 'config.json')!;
    assert.equal(a.params, undefined, type);
    assert.ok(a.problems.some((p) => p.message.includes(`model_type "${type}" is not a family`)), type);
  }
  const half = analyzeConfig(JSON.stringify({ ...base, num_hidden_layers: 2.5 }), 'config.json')!;
  assert.equal(half.params, undefined);
  assert.ok(half.missing.includes('num_hidden_layers'));

  const yaml = analyzeConfig('model:\n  n_layer: 1000000000000\n  d_model: 512\n  n_head: 8\n  vocab_size: 1000\n  num_experts: 8\n  top_k: 2\n  intermediate_size: 1024\n', 'x.yaml')!;
  assert.equal(yaml.params, undefined);
  assert.ok(yaml.problems.some((p) => /more layers than any model/.test(p.message)));
});

test('a config.json without model_type is counted from its architectures class; an unknown class is a problem', () => {
  const cfg = JSON.parse(fs.readFileSync(path.join(DIR, 'llama-3.2-1b.json'), 'utf8')) as Record<string, unknown>;
  delete cfg.model_type;
  const a = analyzeConfig(JSON.stringify(cfg, null, 2), 'config.json')!;
  assert.equal(a.family?.id, 'llama');
  assert.equal(a.params?.total, 1_235_814_400);
  assert.ok(a.notes.some((n) => /from architectures "LlamaForCausalLM"/.test(n)));
  const jamba = analyzeConfig(JSON.stringify({ ...cfg, architectures: ['JambaForCausalLM'] }, null, 2), 'config.json')!;
  assert.equal(jamba.params, undefined);
  assert.ok(jamba.problems.some((p) => /^architectures "JambaForCausalLM" is not a family/.test(p.message)));
});

test('a Megatron/NeMo-style YAML with MoE keys is counted with its expert width and shared expert', () => {
  const yaml = `model:
  num_layers: 4
  hidden_size: 1024
  ffn_hidden_size: 4096
  num_attention_heads: 16
  num_query_groups: 4
  make_vocab_size_divisible_by: 128
  padded_vocab_size: 32000
  share_embeddings_and_output_weights: false
  add_bias_linear: false
  activation: swiglu
  position_embedding_type: rope
  num_moe_experts: 8
  moe_router_topk: 2
  moe_ffn_hidden_size: 512
  moe_shared_expert_intermediate_size: 1024
  seq_length: 2048
  global_batch_size: 64
  train_iters: 1000
`;
  const a = analyzeConfig(yaml, 'megatron_moe.yaml')!;
  assert.deepEqual(a.notCounted.map((p) => p.message), []);
  const d = 1024;
  const attn = d * d + 2 * d * 256 + d * d; // 16 heads of 64, 4 key/value groups
  const layer = attn + 8 * 3 * d * 512 + 3 * d * 1024 + d * 8 + 2 * d;
  assert.equal(a.params?.total, 4 * layer + d + 2 * 32000 * d);
  assert.equal(a.params!.total - a.params!.active, 4 * 6 * 3 * d * 512);
  assert.equal(a.tokens, 1000 * 64 * 2048);
  assert.equal(a.flops, 6 * a.params!.active * a.tokens!);
});

test('a YAML section holding a Hugging Face model config is counted by its family, like the config.json', () => {
  const cfg = JSON.parse(fs.readFileSync(path.join(DIR, 'qwen1.5-moe-a2.7b.json'), 'utf8')) as Record<string, unknown>;
  const lines = Object.entries(cfg).filter(([, v]) => typeof v !== 'object' || v === null).map(([k, v]) => `  ${k}: ${v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  const yaml = `model:\n${lines.join('\n')}\ntraining:\n  max_steps: 1000\n  global_batch_size: 8\n  seq_len: 2048\n`;
  const a = analyzeConfig(yaml, 'finetune.yaml')!;
  assert.equal(a.family?.id, 'qwen2_moe');
  assert.equal(a.params?.total, 14_315_784_192);
  assert.equal(a.params?.active, 2_689_173_504);
  assert.deepEqual(a.notCounted, []);
  assert.equal(a.tokens, 1000 * 8 * 2048);
});

test("gpt-oss to the byte: the checkpoints' sizes are the count with the expert matrices in MXFP4 and the rest in BF16", () => {
  // Every expert matrix (gate_up_proj, down_proj) is stored as MXFP4: 16 bytes of 4-bit values and one
  // scale byte per 32 weights (17/32 byte a weight); everything else (biases, sinks, router,
  // attention, norms, embedding, head) in BF16. gpt-oss-20b's model.safetensors.index.json
  // metadata.total_size is 13,761,264,768 bytes; gpt-oss-120b's tensors hold 65,248,815,744 bytes
  // (both as quoted in public repositories; the model card's 12.8 GiB and 60.8 GiB checkpoints).
  const base = JSON.parse(fs.readFileSync(path.join(DIR, 'gpt-oss-20b.json'), 'utf8')) as Record<string, unknown>;
  const d = 2880, ff = 2880;
  const bytes = (p: { total: number }, layers: number, experts: number): number => {
    const mx = layers * experts * (d * 2 * ff + ff * d);
    return (mx * 17) / 32 + 2 * (p.total - mx);
  };
  const small = analyze('gpt-oss-20b.json').params!;
  assert.equal(bytes(small, 24, 32), 13_761_264_768);
  // gpt-oss-120b: the same config with 36 layers and 128 experts.
  const big = analyzeConfig(JSON.stringify({ ...base, num_hidden_layers: 36, num_local_experts: 128, layer_types: Array.from({ length: 36 }, (_, i) => (i % 2 ? 'full_attention' : 'sliding_attention')) }, null, 2), 'config.json')!;
  assert.deepEqual(big.notCounted, []);
  const p = big.params!;
  assert.equal(p.total, 116_829_156_672);
  assert.equal(bytes(p, 36, 128), 65_248_815_744);
  // Model card: 116.83B total, 5.13B active (without the input embedding).
  assert.equal((p.total / 1e9).toFixed(2), '116.83');
  assert.equal(((p.active - 201_088 * d) / 1e9).toFixed(2), '5.13');
  // Sinks, attention biases, expert biases and the router bias are in the count.
  const a = analyze('gpt-oss-20b.json');
  assert.equal(a.arch?.attention.kind === 'mha' && a.arch.attention.sinks, true);
  assert.equal(a.arch?.moe?.routerBias, true);
  assert.ok(a.notes.some((n) => /MXFP4/.test(n)), a.notes.join('\n'));
  // The summary (the hover's and the CLI's) says the card's count beside its own.
  const row = summaryRows(a).find((r) => r.label === 'Parameters (total / active)');
  assert.match(row?.detail ?? '', /4\.19B active per token.*; 3\.61B without the input embedding/);
  // Tied embeddings: the table is also the output layer, so nothing is said apart.
  const tied = analyzeConfig(JSON.stringify({ ...base, tie_word_embeddings: true }, null, 2), 'config.json')!;
  assert.doesNotMatch(summaryRows(tied).find((r) => r.label === 'Parameters (total / active)')?.detail ?? '', /without the input embedding/);
  // The Hub's config.json also carries the MXFP4 quantization_config: no problem, the same count.
  const hub = analyzeConfig(JSON.stringify({ ...base, quantization_config: { modules_to_not_convert: ['model.layers.*.self_attn', 'model.layers.*.mlp.router', 'model.embed_tokens', 'lm_head'], quant_method: 'mxfp4' } }, null, 2), 'config.json')!;
  assert.deepEqual(hub.notCounted, []);
  assert.equal(hub.params?.total, small.total);
});

test('GLM-4.5-Air (glm4_moe): one dense layer, 45 MoE layers with a shared expert, q/k/v biases; the MTP layer is not built', () => {
  // The text model of GLM-4.5-Air as its config.json spells it (the same shape as GLM-4.5V's
  // text_config): no verbatim copy of the config.json was found to keep as a fixture.
  const cfg = {
    architectures: ['Glm4MoeForCausalLM'], model_type: 'glm4_moe', attention_bias: true, first_k_dense_replace: 1, head_dim: 128,
    hidden_size: 4096, intermediate_size: 10944, moe_intermediate_size: 1408, n_group: 1, n_routed_experts: 128, n_shared_experts: 1,
    norm_topk_prob: true, num_attention_heads: 96, num_experts_per_tok: 8, num_hidden_layers: 46, num_key_value_heads: 8,
    num_nextn_predict_layers: 1, partial_rotary_factor: 0.5, rms_norm_eps: 1e-5, routed_scaling_factor: 1.0, tie_word_embeddings: false,
    topk_group: 1, use_qk_norm: false, vocab_size: 151552,
  };
  const a = analyzeConfig(JSON.stringify(cfg, null, 2), 'config.json')!;
  assert.equal(a.family?.id, 'glm4_moe');
  assert.deepEqual(a.notCounted, []);
  const d = 4096, V = 151552;
  const attn = d * 96 * 128 + 96 * 128 + 2 * (d * 8 * 128 + 8 * 128) + 96 * 128 * d;
  const dense = attn + 3 * d * 10944 + 2 * d;
  const moe = attn + 128 * 3 * d * 1408 + d * 128 + 3 * d * 1408 + 2 * d;
  const p = a.params!;
  assert.equal(p.total, dense + 45 * moe + d + 2 * V * d);
  assert.equal(p.total, 106_852_245_504);
  assert.equal(p.total - p.active, 45 * 120 * 3 * d * 1408);
  // zai-org/GLM-4.5 README: "106 billion total parameters and 12 billion active parameters" (the
  // active count without the embedding and output layer).
  assert.equal(Math.floor(p.total / 1e9), 106);
  assert.equal(Math.round((p.active - 2 * V * d) / 1e9), 12);
  // The checkpoint's MTP layer (model.layers.46: a MoE block, enorm, hnorm, eh_proj, shared_head.norm) is reported apart.
  assert.equal(p.mtp, moe + 2 * d * d + 3 * d);
  assert.ok(a.notes.some((n) => /Multi-token-prediction/.test(n) && /not in the total/.test(n)));
  assert.ok(a.notes.some((n) => /e_score_correction_bias/.test(n)));
  // use_qk_norm adds a q and a k RMSNorm of head_dim per layer.
  const qk = analyzeConfig(JSON.stringify({ ...cfg, use_qk_norm: true }, null, 2), 'config.json')!;
  assert.equal(qk.params!.total - p.total, 46 * 2 * 128);
});

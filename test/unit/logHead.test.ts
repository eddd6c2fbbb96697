// What a text log printed of its own run (model size, tokens per step), read where no config gives it:
// the real nanochat and llm.c logs (test/fixtures/SOURCES.md), nanoGPT's rounded count, and lines that are not it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { printedModel } from '../../src/core/logHead';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { tmpDir } from './tmpUtil';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const nanochat = (): string => gunzipSync(readFileSync(join(fixtures, 'nanochat-d20-base-train.log.gz'))).toString('utf8');

test('printed model: nanochat\'s exact count and batch, llm.c\'s table, nanoGPT\'s rounded count, GPT-2 tutorials\' batch', () => {
  // nanochat d20 (real log): `Number of parameters: 560,988,160` on line 12, `Total batch size 524,288 => …` on line 11.
  assert.deepEqual(printedModel(nanochat().slice(0, 256 * 1024)), { params: 560_988_160, paramsLine: 12, paramsRounded: false, tokensPerStep: 524_288, tokensLine: 11 });
  const llmc = '| channels C            | 768                                                |\n| num_parameters        | 124475904                                          |\n';
  assert.deepEqual(printedModel(llmc), { params: 124_475_904, paramsLine: 2, paramsRounded: false });
  const nanogpt = 'Overriding config with config/train_gpt2.py:\ntokens per iteration will be: 491,520\nnumber of parameters: 123.59M\n';
  assert.deepEqual(printedModel(nanogpt), { params: 123_590_000, paramsLine: 3, paramsRounded: true, tokensPerStep: 491_520, tokensLine: 2 });
  assert.equal(printedModel('total desired batch size: 524288\n=> calculated gradient accumulation steps: 1\n').tokensPerStep, 524_288);
});

test('printed model: code that prints the count, a count in prose, and long hostile lines give nothing', () => {
  const script = 'print(f"number of parameters: {n_params/1e6:.2f}M")\nprint0(f"total desired batch size: {total_batch_size}")\n';
  assert.deepEqual(printedModel(script), {});
  assert.deepEqual(printedModel('the number of parameters: about a hundred million\n'), {});
  const t = Date.now();
  printedModel(`number of parameters: ${'1,'.repeat(100_000)}x\n${' \t'.repeat(100_000)}\n${'total desired batch size: '.repeat(10_000)}`);
  assert.ok(Date.now() - t < 2000, 'linear in the head');
});

test('Fit on a text log without a config: N and tokens per step from what it printed, on the token axis; a config beside it wins', async () => {
  const dir = tmpDir('sl-printed-');
  const log = join(dir, 'base_train.log');
  writeFileSync(log, nanochat());
  const a = await analyzeFile(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.configNote, 'N = 560,988,160 parameters as printed in base_train.log, line 12; 524,288 tokens per step as printed in base_train.log, line 11');
  assert.equal(a.state.options.xKind, 'tokens');
  assert.equal(a.state.fit?.prediction?.tokens, 21399 * 524_288);
  // A config beside the log that gives the model (nanoGPT's train_config.py) is used instead.
  writeFileSync(join(dir, 'train_config.py'), 'n_layer = 2\nn_head = 2\nn_embd = 128\nblock_size = 256\nvocab_size = 1000\nbatch_size = 4\ngradient_accumulation_steps = 1\n');
  const b = await analyzeFile(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.match(b.state.configNote ?? '', /^N = [\d,]+ parameters from train_config\.py/);
  assert.doesNotMatch(b.state.configNote ?? '', /560,988,160/);
});

test('printed model: Megatron\'s count per model-parallel rank summed over its ranks, its global batch × sequence length (real Megatron-DeepSpeed log)', () => {
  const text = gunzipSync(readFileSync(join(fixtures, 'megatron-deepspeed-qwen7b-500.log.gz'))).toString('utf8');
  const ranks = [...text.matchAll(/number of parameters on \(tensor, pipeline\) model parallel rank \((\d+), (\d+)\): (\d+)/g)];
  // Tensor parallel 4, data parallel 4: each of the 4 tensor ranks printed, some more than once.
  const distinct = new Map(ranks.map((m) => [`${m[1]},${m[2]}`, Number(m[3])]));
  assert.equal(distinct.size, 4);
  assert.ok(ranks.length >= 4);
  const sum = [...distinct.values()].reduce((a, b) => a + b, 0);
  const m = printedModel(text.slice(0, 256 * 1024));
  assert.equal(m.params, sum);
  assert.ok(Math.abs(sum / 7.6e9 - 1) < 0.01, `${sum}: Qwen2-7B's 7.6B`);
  assert.equal(m.paramsRanks, 4);
  const gbs = Number(/^ {2}global_batch_size \.+ (\d+)$/m.exec(text)![1]), seq = Number(/^ {2}seq_length \.+ (\d+)$/m.exec(text)![1]);
  assert.equal(m.tokensPerStep, gbs * seq);
  // A pipeline stage whose tensor ranks did not all print (one rank's stdout): no count from them.
  assert.equal(printedModel(' > number of parameters on (tensor, pipeline) model parallel rank (0, 0): 100\n > number of parameters on (tensor, pipeline) model parallel rank (1, 1): 100\n').params, undefined);
  // A batch that ramps up has no one number of tokens per step.
  assert.equal(printedModel('  global_batch_size ....... 16\n  rampup_batch_size ....... [4, 4, 1000]\n  seq_length ....... 2048\n').tokensPerStep, undefined);
});

test('printed model: OLMo\'s ModelConfig(…) counted as transformers\' OLMo (real 1B log: 1,176,764,416, as the OLMo-1B-hf config counts)', async () => {
  const text = gunzipSync(readFileSync(join(fixtures, 'olmo-1b-reproduction.log.gz'))).toString('utf8');
  const m = printedModel(text.slice(0, 256 * 1024));
  // The Hugging Face conversion of the same model (test/fixtures/configs/olmo-1b-hf.json) counts the same.
  const hf = (await import('../../src/core/config')).analyzeConfig(readFileSync(join(fixtures, 'configs', 'olmo-1b-hf.json'), 'utf8'), 'config.json')!;
  assert.equal(m.params, hf.params!.total);
  assert.equal(m.params, 1_176_764_416);
  assert.equal(m.paramsFromOlmoConfig, true);
  // A block the conversion does not count (biases, another activation): no count.
  const cfg = /model=ModelConfig\([^\n)]*\)/.exec(text)![0];
  assert.equal(printedModel(cfg.replace("include_bias=False", 'include_bias=True')).params, undefined);
  assert.equal(printedModel(cfg.replace("activation_type='swiglu'", "activation_type='gelu'")).params, undefined);
});

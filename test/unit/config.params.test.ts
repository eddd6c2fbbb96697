import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countParams, llamaFfnDim, type ArchSpec } from '../../src/core/config';

const gpt2Small = (bias: boolean, vocabSize = 50257): ArchSpec => ({
  family: 'gpt2', nLayer: 12, nHead: 12, dModel: 768, vocabSize, positions: 1024, tiedEmbeddings: true, bias,
});

test('GPT-2 small as nanoGPT builds it: 124,337,664 without bias, 124,439,808 with', () => {
  assert.equal(countParams(gpt2Small(false)).total, 124_337_664);
  assert.equal(countParams(gpt2Small(true)).total, 124_439_808);
});

test("GPT-2 small non-embedding = Kaplan's 12·n_layer·d_model², and the split adds up", () => {
  for (const bias of [false, true]) {
    const p = countParams(gpt2Small(bias));
    assert.equal(p.nonEmbedding, 12 * 12 * 768 * 768);
    assert.equal(p.nonEmbedding, 84_934_656);
    assert.equal(p.embedding, 50257 * 768 + 1024 * 768);
    assert.equal(p.embedding + p.nonEmbedding + p.other, p.total);
    assert.equal(p.active, p.total);
  }
});

test("nanoGPT's padded vocabulary 50304 adds 47 rows of 768", () => {
  assert.equal(countParams(gpt2Small(false, 50304)).total - countParams(gpt2Small(false)).total, 47 * 768);
});

test('GPT-2 XL (48 layers, 1600 wide, 25 heads) = 1,557,611,200 with biases', () => {
  // The published HF GPT2LMHeadModel count for gpt2-xl.
  const p = countParams({ family: 'gpt2', nLayer: 48, nHead: 25, dModel: 1600, vocabSize: 50257, positions: 1024, tiedEmbeddings: true, bias: true });
  assert.equal(p.total, 1_557_611_200);
});

test('Llama-2-7B = 6,738,415,616', () => {
  const p = countParams({ family: 'llama', nLayer: 32, nHead: 32, nKvHead: 32, dModel: 4096, dFf: 11008, vocabSize: 32000, tiedEmbeddings: false, bias: false });
  assert.equal(p.total, 6_738_415_616);
  assert.equal(p.embedding, 2 * 32000 * 4096);
});

test('grouped-query attention shrinks k and v only', () => {
  const base: ArchSpec = { family: 'llama', nLayer: 1, nHead: 32, dModel: 4096, dFf: 14336, vocabSize: 10, tiedEmbeddings: true, bias: false };
  const full = countParams(base).nonEmbedding;
  const gqa = countParams({ ...base, nKvHead: 8 }).nonEmbedding;
  assert.equal(full - gqa, 2 * 4096 * (4096 - 8 * 128));
});

test('Mixtral-8x7B ≈ 46.7 B total and ≈ 12.9 B active', () => {
  const p = countParams({
    family: 'llama', nLayer: 32, nHead: 32, nKvHead: 8, dModel: 4096, dFf: 14336, vocabSize: 32000,
    tiedEmbeddings: false, bias: false, experts: 8, expertsPerToken: 2,
  });
  assert.equal(p.total, 46_702_792_704);
  assert.equal(p.active, 12_879_925_248);
  assert.equal((p.total / 1e9).toFixed(1), '46.7');
  assert.equal((p.active / 1e9).toFixed(1), '12.9');
  // Six of the eight expert MLPs sit idle for each token.
  assert.equal(p.total - p.active, 32 * 6 * 3 * 4096 * 14336);
});

test("Meta/torchtitan SwiGLU width rule gives Llama 3's 14336, 28672 and 53248", () => {
  assert.equal(llamaFfnDim(4096, 1024, 1.3), 14336);
  assert.equal(llamaFfnDim(8192, 4096, 1.3), 28672);
  assert.equal(llamaFfnDim(16384, 4096, 1.2), 53248);
  assert.equal(llamaFfnDim(4096, 256), 11008); // Llama 2 7B: no multiplier
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runConfig } from '../../src/cli/config';
import { tmpDir } from './tmpUtil';

const FIX = path.resolve(__dirname, '../../../test/fixtures');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runConfig(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

test('config --json: one object with params, tokens, FLOPs, ratio, loss and key positions', async () => {
  const r = await run([path.join(FIX, 'config-gpt2-bias.py'), '--json']);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  const j = JSON.parse(r.out);
  assert.equal(j.architecture, 'gpt2');
  assert.deepEqual(Object.keys(j.params).slice(0, 4), ['total', 'active', 'embedding', 'nonEmbedding']);
  assert.equal(j.params.total, 124_439_808);
  assert.equal(j.params.nonEmbedding, 84_934_656);
  assert.equal(j.tokens, 2000 * 8 * 16 * 1024);
  assert.equal(j.flops, 6 * 124_439_808 * j.tokens);
  assert.equal(j.tokensPerParam, j.tokens / 124_439_808);
  assert.equal(typeof j.predictedLoss, 'number');
  assert.deepEqual({ line: j.sources.max_steps.line, column: j.sources.max_steps.column }, { line: 17, column: 0 });
  assert.equal(j.sources.max_steps.key, 'max_iters');
  assert.ok(Array.isArray(j.problems));
  assert.deepEqual(j.missing, []);
});

test('config (text): the hover table', async () => {
  const r = await run([path.join(FIX, 'config-mixtral-8x7b.json')]);
  assert.equal(r.code, 0);
  assert.match(r.out, /Mixtral \(mixtral\), mixture of experts/);
  assert.match(r.out, /Parameters \(total \/ active\)\s+46,702,792,704 \/ 12,879,925,248/);
  assert.match(r.out, /num_local_experts = 8 +\(line 18/);
});

test('config with too little says which keys are missing', async () => {
  const r = await run([path.join(FIX, 'config-llama-2-7b.json')]);
  assert.equal(r.code, 0);
  assert.match(r.out, /missing/);
  assert.match(r.out, /max_steps/);
  const j = JSON.parse((await run([path.join(FIX, 'config-llama-2-7b.json'), '--json'])).out);
  assert.equal(j.tokens, null);
  assert.ok(j.missing.length >= 2);
});

test('unreadable file: one line on stderr, non-zero exit', async () => {
  const r = await run([path.join(os.tmpdir(), 'no-such-config-scaling-lens.yaml')]);
  assert.notEqual(r.code, 0);
  assert.equal(r.out, '');
  assert.equal(r.err.trim().split('\n').length, 1);
  assert.match(r.err, /cannot read/);
  const d = await run([FIX]);
  assert.notEqual(d.code, 0);
  assert.equal(d.err.trim().split('\n').length, 1);
});

test('not a training config / broken file: one line on stderr, non-zero exit', async () => {
  const dir = tmpDir('sl-cfg-');
  try {
    const ci = path.join(dir, 'ci.yml');
    fs.writeFileSync(ci, 'on: [push]\njobs:\n  b:\n    steps:\n      - run: x\n');
    const r = await run([ci]);
    assert.equal(r.code, 1);
    assert.match(r.err, /not a training config/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"hidden_size": 4096,, ');
    const b = await run([bad]);
    assert.equal(b.code, 1);
    assert.match(b.err, /line 1/);
    assert.equal(b.err.trim().split('\n').length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad options exit 2', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['--bogus', 'x'])).code, 2);
  assert.equal((await run(['a', 'b'])).code, 2);
  assert.equal((await run(['--ratio', '-3', 'a'])).code, 2);
});

test('--ratio changes the reference', async () => {
  const j = JSON.parse((await run([path.join(FIX, 'config-hf-trainer.yaml'), '--json', '--ratio', '40'])).out);
  assert.equal(j.reference.tokensPerParam, 40);
  assert.equal(j.reference.tokens, 40 * j.params.active);
});

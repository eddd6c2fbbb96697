import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeConfig, detectConfigFormat, evalPythonLiteral, keyAt, readConfig } from '../../src/core/config';

const FIX = path.resolve(__dirname, '../../../test/fixtures');
const read = (name: string): string => fs.readFileSync(path.join(FIX, name), 'utf8');

/** 1-based line and 0-based column of the first occurrence of `needle` (found independently of the readers). */
function locate(text: string, needle: string, from = 0): { line: number; column: number } {
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `'${needle}' not in text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length };
}

test('safe evaluator: Python arithmetic on literals', () => {
  const v = (s: string, env = new Map<string, number | string | boolean | null>()) => {
    const r = evalPythonLiteral(s, env);
    assert.ok(r.ok, `${s}: ${r.ok ? '' : r.reason}`);
    return r.value;
  };
  assert.equal(v('5 * 8'), 40);
  assert.equal(v('1e-3'), 0.001);
  assert.equal(v('600_000'), 600000);
  assert.equal(v('2 ** 10'), 1024);
  assert.equal(v('-2 ** 2'), -4); // ** binds tighter than unary minus
  assert.equal(v('2 ** -1'), 0.5);
  assert.equal(v('2 ** 3 ** 2'), 512); // right-associative
  assert.equal(v('7 // 2'), 3);
  assert.equal(v('-7 // 2'), -4); // floor division
  assert.equal(v('-7 % 3'), 2); // sign of the divisor
  assert.equal(v('(1 + 2) * 3'), 9);
  assert.equal(v('1 + 2 * 3'), 7);
  assert.equal(v('10 / 4'), 2.5);
  assert.equal(v('0x10'), 16);
  assert.equal(v('True'), true);
  assert.equal(v('None'), null);
  assert.equal(v("'out-' + \"owt\""), 'out-owt');
  assert.equal(v('max_iters // 10', new Map([['max_iters', 5000]])), 500);
});

test('safe evaluator: calls, attributes, imports and unknown names are "not a literal", never run', () => {
  const marker = path.join(os.tmpdir(), `scaling-lens-evil-${process.pid}`);
  const evil = [
    `__import__('os').system('touch ${marker}')`,
    `open('${marker}', 'w').write('x')`,
    `exec("open('${marker}','w')")`,
    'os.environ["WORLD_SIZE"]',
    'int(8)',
    '[1, 2]',
    'x if y else z',
    'undefined_name * 2',
    "f'{n}'",
    'lambda: 1',
    '1 / 0',
    '1 +',
    '',
  ];
  for (const s of evil) {
    const r = evalPythonLiteral(s);
    assert.equal(r.ok, false, s);
  }
  // And through the whole file reader: the fixture's malicious lines read as not-literal.
  const entries = readConfig(read('config-gpt2-bias.py'), 'python').entries;
  const compile = entries.find((e) => e.key === 'compile');
  assert.ok(compile);
  assert.equal(compile.value, undefined);
  assert.ok(compile.notLiteral);
  assert.equal(entries.find((e) => e.key === 'wandb_run_name')?.value, undefined);
  assert.equal(entries.find((e) => e.key === 'indented'), undefined, 'indented lines are not top-level assignments');
  assert.equal(entries.find((e) => e.key === 'warmup_iters')?.value, 200, 'earlier names are visible');
  assert.equal(fs.existsSync(marker), false);
  assert.equal(fs.existsSync('/tmp/scaling-lens-pwned'), false);
});

test('a non-literal model key is reported on its line and not replaced by a default', () => {
  const text = "n_layer = int(os.environ['L'])\nmax_iters = 100\n";
  const a = analyzeConfig(text, 'train_x.py');
  assert.ok(a);
  assert.equal(a.params, undefined);
  assert.ok(a.missing.some((m) => m.startsWith('n_layer')));
  const p = a.problems.find((x) => x.message.startsWith('n_layer'));
  assert.ok(p);
  assert.equal(p.line, 1);
  assert.equal(p.severity, 'warning');
});

test('format detection by extension, then by content', () => {
  assert.equal(detectConfigFormat('a/b/train.yaml', ''), 'yaml');
  assert.equal(detectConfigFormat('x.YML', ''), 'yaml');
  assert.equal(detectConfigFormat('config.json', ''), 'json');
  assert.equal(detectConfigFormat('llama3_8b.toml', ''), 'toml');
  assert.equal(detectConfigFormat('train_gpt2.py', ''), 'python');
  assert.equal(detectConfigFormat('noext', '{"a": 1}'), 'json');
  assert.equal(detectConfigFormat('noext', '[training]\nsteps = 10\n'), 'toml');
  assert.equal(detectConfigFormat('noext', 'n_layer = 12\n'), 'python');
  assert.equal(detectConfigFormat('noext', 'model:\n  d_model: 3\n'), 'yaml');
  assert.equal(detectConfigFormat('notes.txt', 'hello world'), undefined);
});

/** For each format, a key's reported range is where the key is in the file. */
const POSITION_CASES: { file: string; role: string; key: string; needle: string; value: string }[] = [
  { file: 'config-train_gpt2.py', role: 'grad_accum', key: 'gradient_accumulation_steps', needle: 'gradient_accumulation_steps = 5 * 8', value: '5 * 8' },
  { file: 'config-train_gpt2.py', role: 'max_steps', key: 'max_iters', needle: 'max_iters = 600000', value: '600000' },
  { file: 'config-hf-trainer.yaml', role: 'max_steps', key: 'max_steps', needle: '  max_steps: 50000', value: '50000' },
  { file: 'config-hf-trainer.yaml', role: 'n_kv_head', key: 'num_key_value_heads', needle: '  num_key_value_heads: 4', value: '4' },
  { file: 'config-llmfoundry-mpt-125m.yaml', role: 'max_duration', key: 'max_duration', needle: 'max_duration: 4800ba', value: '4800ba' },
  { file: 'config-llmfoundry-mpt-125m.yaml', role: 'n_layer', key: 'n_layers', needle: '  n_layers: 12', value: '12' },
  { file: 'config-llama-2-7b.json', role: 'd_ff', key: 'intermediate_size', needle: '  "intermediate_size": 11008', value: '11008' },
  { file: 'config-mixtral-8x7b.json', role: 'experts', key: 'num_local_experts', needle: '  "num_local_experts": 8', value: '8' },
  { file: 'config-torchtitan-custom.toml', role: 'max_steps', key: 'steps', needle: 'steps = 20_000', value: '20_000' },
  { file: 'config-torchtitan-custom.toml', role: 'd_model', key: 'dim', needle: 'dim = 2048', value: '2048' },
  { file: 'config-torchtitan-llama3_8b.toml', role: 'seq_len', key: 'seq_len', needle: 'seq_len = 8192', value: '8192' },
];

for (const c of POSITION_CASES) {
  test(`position of ${c.key} in ${c.file}`, () => {
    const text = read(c.file);
    const a = analyzeConfig(text, c.file);
    assert.ok(a);
    const v = (a.sources as Record<string, { key: string; raw: string; range: { start: { line: number; column: number }; end: { line: number; column: number } }; valueRange: { start: { line: number; column: number }; end: { line: number; column: number } } }>)[c.role];
    assert.ok(v, `role ${c.role}`);
    assert.equal(v.key, c.key);
    const keyPos = locate(text, c.needle.trimStart().startsWith('"') ? `"${c.key}"` : c.key, text.indexOf(c.needle));
    assert.deepEqual(v.range.start, keyPos);
    const keyLen = c.needle.trimStart().startsWith('"') ? c.key.length + 2 : c.key.length;
    assert.deepEqual(v.range.end, { line: keyPos.line, column: keyPos.column + keyLen });
    const valPos = locate(text, c.value, text.indexOf(c.needle) + c.needle.indexOf(c.value, c.needle.indexOf(c.key) + c.key.length));
    assert.deepEqual(v.valueRange.start, valPos);
    assert.deepEqual(v.valueRange.end, { line: valPos.line, column: valPos.column + c.value.length });
    assert.equal(v.raw, c.value);
    // keyAt finds it on the key, on the value, and not one line above.
    assert.equal(keyAt(a, keyPos.line, keyPos.column)?.key, c.key);
    assert.equal(keyAt(a, keyPos.line, keyPos.column + 1)?.key, c.key);
    assert.equal(keyAt(a, valPos.line, valPos.column + 1)?.key, c.key);
    const above = keyAt(a, keyPos.line - 1, keyPos.column);
    assert.notEqual(above?.range.start.line, keyPos.line);
  });
}

test('a multi-line Python value spans its lines; comments are not part of it', () => {
  const text = read('config-gpt2-bias.py');
  const a = analyzeConfig(text, 'config-gpt2-bias.py');
  assert.ok(a);
  const g = a.sources.grad_accum;
  assert.ok(g);
  assert.equal(g.value, 16);
  const start = locate(text, 'gradient_accumulation_steps = (');
  assert.equal(g.valueRange.start.line, start.line);
  assert.equal(g.valueRange.end.line, start.line + 2);
  assert.equal(g.valueRange.end.column, 1);
  assert.equal(keyAt(a, start.line + 1, 6)?.key, 'gradient_accumulation_steps');
});

test('keyAt: off every recognised key gives nothing', () => {
  const text = read('config-hf-trainer.yaml');
  const a = analyzeConfig(text, 'config-hf-trainer.yaml');
  assert.ok(a);
  const lr = locate(text, 'learning_rate');
  assert.equal(keyAt(a, lr.line, lr.column + 2), undefined);
  assert.equal(keyAt(a, 1, 0), undefined); // a comment
  assert.equal(keyAt(a, 9999, 0), undefined);
});

test('malformed files give problems, not exceptions', () => {
  const cases: [string, string][] = [
    ['bad.yaml', 'model:\n  n_layer: 12\n  d_model: [1, 2\nmax_steps: 10\n  bad indent: :\n'],
    ['bad.json', '{"num_hidden_layers": 32, "hidden_size": 4096,, "vocab_size": }'],
    ['bad.toml', '[model]\nn_layers = 12\ndim = = 768\n[training\nsteps = 100\n'],
    ['bad.py', 'n_layer = (12\nmax_iters = 5\nbatch_size = "unterminated\n'],
    ['empty.yaml', ''],
    ['binary.json', '\u0000\u0001\u0002'],
  ];
  for (const [name, text] of cases) {
    const fmt = detectConfigFormat(name, text);
    assert.ok(fmt);
    assert.doesNotThrow(() => readConfig(text, fmt), name);
    assert.doesNotThrow(() => analyzeConfig(text, name), name);
  }
  assert.ok(readConfig(cases[0][1], 'yaml').problems.some((p) => p.severity === 'error' && p.line > 0));
  const json = readConfig(cases[1][1], 'json');
  assert.ok(json.problems.length > 0);
  assert.equal(json.problems[0].line, 1);
  assert.equal(json.entries.find((e) => e.key === 'num_hidden_layers')?.value, 32, 'what parsed is still read');
  const toml = readConfig(cases[2][1], 'toml');
  assert.ok(toml.problems.some((p) => p.severity === 'error' && p.line === 3), JSON.stringify(toml.problems));
  assert.equal(toml.entries.find((e) => e.path === 'model.n_layers')?.value, 12, 'line-scan fallback keeps the readable keys');
  // A broken TOML training config still analyses from what could be read, with the error kept.
  const a = analyzeConfig('[model]\ndim = 768\nn_layers = 12\nn_heads = 12\nvocab_size = 50257\n[training]\nsteps = 100\nbatch_size = 8\nseq_len = 1024\nbogus = [\n', 'x.toml');
  assert.ok(a);
  assert.ok(a.problems.some((p) => p.severity === 'error'));
  assert.equal(a.tokens, 100 * 8 * 1024);
});

test('TOML inline tables and YAML flow maps / anchors are read', () => {
  const t = analyzeConfig('model = { dim = 512, n_layers = 8, n_heads = 8, n_kv_heads = 8, vocab_size = 32000, ffn_hidden_size = 1376 }\n[training]\nsteps = 10\nbatch_size = 2\nseq_len = 128\n', 'x.toml');
  assert.ok(t);
  assert.equal(t.arch?.dModel, 512);
  assert.equal(t.sources.d_model?.range.start.line, 1, 'the inline table\'s line');
  assert.equal(t.tokens, 10 * 2 * 128);
  const yText = 'base: &shape {n_layer: 4, d_model: 256, vocab_size: 1000}\nmodel: *shape\ntrain: {max_steps: 50, batch_size: 8, seq_len: 64}\n';
  const y = analyzeConfig(yText, 'x.yaml');
  assert.ok(y);
  assert.equal(y.tokens, 50 * 8 * 64);
  const dm = y.sources.d_model;
  assert.ok(dm);
  assert.deepEqual(dm.range.start, locate(yText, 'd_model'));
  assert.equal(dm.raw, '256');
});

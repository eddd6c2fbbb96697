/**
 * Hostile training configs (issue 10), built at test time: alias bombs, self-referencing aliases,
 * string-doubling Python, prototype keys, absurd numbers, deep nesting, blank-line floods; and the
 * sinks their text reaches (terminal, hover Markdown, notifications). Each must end quickly with a
 * clear problem, never a hang, a stack overflow or a wrong number.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeConfig, detectConfigFormat, readConfig, summaryRows } from '../../src/core/config';
import { analyzeFile } from '../../src/core/pipeline';
import { runConfig } from '../../src/cli/config';
import { markdownCode, markdownText, notificationSafe, terminalSafe } from '../../src/core/escape';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-hostile-cfg-');

/** Runs `f`, asserting it returns within `ms` milliseconds. */
function within<T>(ms: number, what: string, f: () => T): T {
  const t = performance.now();
  const r = f();
  const took = performance.now() - t;
  assert.ok(took < ms, `${what}: ${took.toFixed(0)} ms`);
  return r;
}

const GPT = 'n_layer: 12\nn_head: 12\nd_model: 768\nvocab_size: 50257\nmax_steps: 1000\nseq_len: 1024\nbatch_size: 8\n';

function billionLaughs(levels: number, map: boolean): string {
  const L = 'abcdefghijklmnop';
  let s = map ? 'a: &a {x: 1, y: 2}\n' : 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < levels; i++) {
    const refs = Array.from({ length: 9 }, (_, k) => (map ? `k${k}: *${L[i - 1]}` : `*${L[i - 1]}`)).join(', ');
    s += map ? `${L[i]}: &${L[i]} {${refs}}\n` : `${L[i]}: &${L[i]} [${refs}]\n`;
  }
  return s;
}

// ---------------------------------------------------------------- item 1: YAML aliases

test('a YAML billion laughs (aliases of aliases) stops at the expansion budget', () => {
  for (const map of [false, true]) {
    const bomb = billionLaughs(9, map) + GPT;
    assert.ok(bomb.length < 1000, `${bomb.length} bytes`);
    const r = within(3000, 'bomb', () => readConfig(bomb, 'yaml'));
    if (map) {
      assert.match(r.problems.map((p) => p.message).join('\n'), /more than 20,000 keys once aliases are expanded \(an alias bomb\?\) \(expanding the alias on line \d+\)/);
      // On the line of the alias whose expansion ran out (a diagnostic there, a line in the CLI), not line 0.
      const line = r.problems.find((p) => /alias bomb/.test(p.message))?.line ?? 0;
      assert.ok(line >= 2 && line <= 9, `line ${line}`);
    }
    const a = within(3000, 'analyze bomb', () => analyzeConfig(bomb, 'bomb.yaml'));
    void a;
  }
});

test('a self-referencing alias is a cycle, not a stack overflow', () => {
  for (const text of ['a: &a\n  b: *a\n  n_layer: 12\n', 'a: &a\n  <<: *a\n  x: 1\n', '&a [*a]\n', 'x: &x {y: &y {z: *x, w: *y}}\n']) {
    const r = within(1000, text, () => readConfig(text, 'yaml'));
    assert.ok(r.problems.every((p) => !/stack/i.test(p.message)));
  }
  const r = readConfig('a: &a\n  b: *a\n  n_layer: 12\n', 'yaml');
  assert.deepEqual(r.entries.map((e) => e.path), ['a.n_layer']);
  assert.match(r.problems[0].message, /an alias refers to a map that contains it \(a cycle at a\.b\); not followed/);
});

test('many aliases resolve in linear time (one anchor pass, not one document walk per alias)', () => {
  assertLinear('aliases', (n) => {
    let s = 'base: &b {n_layer: 12}\n';
    for (let i = 0; i < n; i++) s += `k${i}: *b\n`;
    readConfig(s, 'yaml');
  }, 200);
});

// ------------------------------------------------------------- item 2: sniffing is linear

test('config-format sniffing is linear in blank lines', () => {
  assertLinear('blank lines', (n) => { detectConfigFormat('config', '\n'.repeat(n) + 'x'); }, 20_000);
  within(1000, '80k blank lines', () => detectConfigFormat('config', 'a\n' + '\n'.repeat(80_000) + 'x'));
  assert.equal(detectConfigFormat('config', '\n\n\nn_layer = 12\n'), 'python');
  assert.equal(detectConfigFormat('config', '\n\n[model]\ndim = 12\n'), 'toml');
  assert.equal(detectConfigFormat('config', '\n\nmodel:\n  dim: 12\n'), 'yaml');
  assertLinear('TOML header of spaces', (n) => { readConfig(`[${' '.repeat(n)}x\ny = 1\n`, 'toml'); }, 10_000);
  assertLinear('numeric string of spaces', (n) => { analyzeConfig(`n_layer: "1${' '.repeat(n)}x"\nd_model: 8\nvocab_size: 10\nmax_steps: 10\nseq_len: 8\n`, 'c.yaml'); }, 5_000);
});

// ---------------------------------------------------------- item 4: Python string doubling

test('a Python config doubling a string 27 times stops at the string budget', () => {
  let py = "s = 'ab'\n";
  for (let i = 0; i < 27; i++) py += 's = s + s\n';
  py += "n_layer = 12\nn_head = 12\nn_embd = 768\nmax_iters = 10\n";
  const r = within(2000, 'doubling', () => readConfig(py, 'python'));
  const s = r.entries.find((e) => e.key === 's');
  assert.equal(s?.value, undefined);
  assert.match(s?.notLiteral ?? '', /a string longer than 100,000 characters/);
  assert.equal(r.entries.find((e) => e.key === 'n_layer')?.value, 12, 'the rest of the file still reads');
  const deep = readConfig(`x = ${'('.repeat(5000)}1${')'.repeat(5000)}\ny = ${'-'.repeat(5000)}1\n`, 'python');
  assert.deepEqual(deep.entries.map((e) => e.notLiteral), ['nested more than 200 deep', 'nested more than 200 deep']);
});

// ------------------------------------------------------------ item 5: prototype-chain keys

test("dataset = 'constructor' (and init_from, flavor) are plain strings, not Object's methods", () => {
  const a = analyzeConfig("n_layer = 12\nn_head = 12\nn_embd = 768\ndataset = 'constructor'\ninit_from = 'toString'\nmax_iters = 100\n", 'train.py');
  assert.ok(a?.params);
  const text = JSON.stringify(a);
  assert.doesNotMatch(text, /function|undefined|\[native code\]/);
  assert.equal(a.arch?.vocabSize, 50304, "nanoGPT's default vocabulary, not a function");
  const t = analyzeConfig('[model]\nname = "llama3"\nflavor = "constructor"\n[training]\nsteps = 10\nseq_len = 2048\n', 'train.toml');
  assert.doesNotMatch(JSON.stringify(t ?? {}), /function|\[native code\]/);
});

// ---------------------------------------------------------- item 10: absurd numbers refused

test('n_layer = 1e30, fractional layer counts and absurd sizes are refused with a clear problem', () => {
  const all = (a: ReturnType<typeof analyzeConfig>): string => [...(a?.problems ?? []).map((p) => p.message), ...(a?.missing ?? [])].join('\n');
  const huge = analyzeConfig('n_layer = 1e30\nn_head = 12\nn_embd = 768\nmax_iters = 100\n', 'train.py');
  assert.ok(huge);
  assert.equal(huge.params, undefined);
  assert.match(all(huge), /n_layer = 1e\+?30: more layers than any model/);
  const shown = JSON.stringify(summaryRows(huge));
  assert.doesNotMatch(shown, /∞|NaN|Infinity/);
  const frac = analyzeConfig('model:\n  n_layer: 2.5\n  d_model: 768\n  vocab_size: 50257\ntrain:\n  max_steps: 100\n  seq_len: 1024\n', 'c.yaml');
  assert.ok(frac);
  assert.equal(frac.params, undefined);
  assert.match(all(frac), /n_layer = 2\.5: must be a whole number; ignored\./);
  const wide = analyzeConfig('model:\n  n_layer: 2\n  d_model: 1e30\n  vocab_size: 50257.5\ntrain:\n  max_steps: 100\n  seq_len: 1024\n', 'c.yaml');
  assert.ok(wide);
  assert.match(all(wide), /d_model = 1e30: implausibly large \(over 1e9\); ignored\./);
  assert.match(all(wide), /vocab_size = 50257\.5: must be a whole number; ignored\./);
  assert.doesNotMatch(JSON.stringify(summaryRows(wide)), /∞|NaN|Infinity/);
});

test('a model config whose sizes are 0, -0, 1e300 or overflow gets no count and a problem, never NaN or Infinity', () => {
  // Each case one mutation the config fuzzing found printing "NaN / NaN" or "∞ (InfinityT)" parameters,
  // or a predicted loss of Infinity (a width of 0 in the YAML family section).
  const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, '..', '..', '..', name), 'utf8');
  const cases: [file: string, from: string, to: string, said: RegExp][] = [
    ['test/fixtures/configs/gpt2.json', '"n_head": 12', '"n_head": 0', /attention heads \(0\) is not a positive whole number/],
    ['test/fixtures/configs/llama-3.1-8b.json', '"num_attention_heads": 32', '"num_attention_heads": -0', /attention heads \(0\) is not a positive whole number/],
    ['test/fixtures/configs/deepseek-v3.json', '"kv_lora_rank": 512', '"kv_lora_rank": 1e300', /kv_lora_rank \(1e\+300\) is not a positive whole number up to 1e\+15/],
    ['test/fixtures/configs/mixtral-8x7b-v0.1.json', '"num_local_experts": 8', '"num_local_experts": 0', /experts \(0\) is not a positive whole number/],
    ['test/fixtures/configs/mpt-7b.json', '"expansion_ratio": 4', '"expansion_ratio": 1e308', /MLP width \(beyond a 64-bit float\) is not a whole number/],
    ['samples/configs/llama-1b-pretrain.yaml', 'hidden_size: 2048', 'hidden_size: 0', /model width \(0\) is not a positive whole number/],
  ];
  for (const [file, from, to, said] of cases) {
    const text = fixture(file).replace(from, to);
    assert.notEqual(text, fixture(file), `${file}: ${from} replaced`);
    const a = analyzeConfig(text, path.basename(file));
    assert.ok(a, file);
    assert.equal(a.params, undefined, `${file} ${to}: ${JSON.stringify(a.params)}`);
    assert.equal(a.predictedLoss, undefined, `${file} ${to}`);
    const problems = a.problems.map((p) => p.message).join('\n');
    assert.match(problems, /no parameter count, as /, problems);
    assert.match(problems, said, problems);
    assert.doesNotMatch(JSON.stringify(summaryRows(a)), /∞|NaN|Infinity|counted exactly/);
  }
});

// ---------------------------------------------------------------- item 6: deep nesting

test('deeply nested JSON, TOML and YAML are refused quickly with a problem, not a stack overflow', () => {
  const cases: [string, string, 'json' | 'toml' | 'yaml'][] = [
    ['170 KB JSON array', '{"a":' + '['.repeat(85_000) + ']'.repeat(85_000) + '}', 'json'],
    ['JSON objects', '{"a":'.repeat(30_000) + '1' + '}'.repeat(30_000), 'json'],
    ['TOML arrays', 'x = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n', 'toml'],
    ['YAML flow', 'a: ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n', 'yaml'],
  ];
  for (const [what, text, format] of cases) {
    const r = within(2000, what, () => readConfig(text, format));
    assert.match(r.problems[0]?.message ?? '', /nested more than 256 deep; not read/, what);
  }
  // A 20 KB header 10,000 tables deep: read, but nothing past the depth limit.
  const header = '[' + Array(10_000).fill('a').join('.') + ']\nx = 1\n[model]\nn_layers = 2\n';
  const r = within(3000, 'TOML header', () => readConfig(header, 'toml'));
  assert.deepEqual(r.entries.map((e) => e.path), ['model.n_layers']);
  const yamlDeep = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
  within(2000, 'YAML indentation', () => readConfig(yamlDeep, 'yaml'));
});

test('a hostile config beside a log: the log is analysed without it, and a problem says why', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'run-'));
  const log = path.join(dir, 'metrics.csv');
  let csv = 'step,tokens,loss\n';
  for (let i = 1; i <= 50; i++) csv += `${i * 100},${i * 100 * 4096},${(2 + 10 / Math.sqrt(i)).toFixed(4)}\n`;
  fs.writeFileSync(log, csv);
  fs.writeFileSync(path.join(dir, 'config.yaml'), billionLaughs(9, true) + GPT);
  fs.writeFileSync(path.join(dir, 'train.json'), '{"a":' + '['.repeat(85_000) + ']'.repeat(85_000) + '}');
  fs.writeFileSync(path.join(dir, 'cyclic.yaml'), 'a: &a\n  b: *a\n');
  fs.writeFileSync(path.join(dir, 'model.toml'), '[' + Array(10_000).fill('a').join('.') + ']\nx = 1\n');
  const t = Date.now();
  const a = await analyzeFile(log);
  assert.ok(Date.now() - t < 20_000, `${Date.now() - t} ms`);
  assert.ok(a.state.fit, a.state.fitError);
  assert.equal(a.state.rows, 50);
  const problems = a.state.problems.map((p) => p.message).join('\n');
  assert.match(problems, /train\.json beside the log was not used: JSON: brackets nested more than 256 deep; not read/);
});

// --------------------------------------------------------- item 3: FIFOs, item 9: sinks

test('scaling-lens config on a named pipe fails at once, naming it', async (t) => {
  if (process.platform === 'win32') return t.skip('no mkfifo');
  const fifo = path.join(tmp, 'config.yaml');
  execFileSync('mkfifo', [fifo]);
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await runConfig([fifo], { out: (s) => out.push(s), err: (s) => err.push(s) });
  assert.equal(code, 1);
  assert.match(err.join(''), /config\.yaml: not a regular file: a named pipe \(FIFO\); not read/);
  assert.ok(Date.now() - started < 2000);
});

test('CLI config text output: no control characters from keys or values reach the terminal', async () => {
  const file = path.join(tmp, 'esc.yaml');
  fs.writeFileSync(file, `model:\n  n_layer: 12\n  d_model: 768\n  vocab_size: 50257\n  "\\e]52;c;aGk=\\a\\e[2J": 3\n  model_type: "gpt2\\e[31m"\ntrain:\n  max_steps: 100\n  seq_len: 1024\n`);
  const out: string[] = [];
  const code = await runConfig([file], { out: (s) => out.push(s), err: (s) => out.push(s) });
  assert.equal(code, 0, out.join(''));
  assert.doesNotMatch(out.join('').replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
  const json: string[] = [];
  await runConfig([file, '--json'], { out: (s) => json.push(s), err: (s) => json.push(s) });
  assert.doesNotMatch(json.join('').replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
  assert.equal(terminalSafe('a\u001b[2Jb\u009bc\td'), 'a\\x1b[2Jb\\x9bc\td');
});

test('hover Markdown: a key with a blank line, backticks or icons stays inside one code span', () => {
  const key = 'x\n\n[click](command:workbench.action.terminal.new) ![img](https://example.com/a.png) $(zap) `y`';
  const md = markdownCode(key);
  assert.equal(md.split('`').length, 3, 'one code span');
  assert.doesNotMatch(md, /\n/);
  assert.ok(md.length <= 122);
  assert.equal(markdownCode('   '), '` `');
});

test('hover text: links, images, HTML, entities and emphasis from a file are escaped; spaces stay breakable', () => {
  const t = markdownText('a [x](command:evil) ![i](https://e/x.png) <b>&nbsp;</b> *em* | cell\n\n# head');
  assert.doesNotMatch(t, /\n/);
  // Every special character is preceded by a backslash: nothing left for Markdown to interpret.
  for (const m of t.matchAll(/[[\]()<>*|#&!]/g)) assert.equal(t[m.index - 1], '\\', `${m[0]} at ${m.index} in ${t}`);
  // Ordinary spaces, not no-break spaces (a long value must wrap between words in a narrow hover).
  assert.doesNotMatch(t, /\u00a0|(?<!\\)&nbsp;/);
  assert.equal(markdownText('warmup-stable-decay: the stable phase').split(' ').length, 4);
});

test('notifications: a file named like a Markdown link does not become one', () => {
  const name = 'run [open](command:workbench.action.terminal.new).csv';
  const safe = notificationSafe(`${name}: not a training log`);
  assert.doesNotMatch(safe, /\]\(command:/);
  assert.match(safe, /open\]\u2060\(command:/);
  assert.equal(notificationSafe('a\nb\u001bc'), 'a b c');
});

// Reading eval results: per-attempt tables, (n, c) tables, lm-evaluation-harness samples files,
// thinking-budget tables; roles, overrides and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeEvals, passAtKCurve, readEvalText, looksLikeEval, type EvalData } from '../../src/core/evals';

const SAMPLES = path.join(__dirname, '..', '..', '..', 'samples', 'evals');
const sample = (name: string): EvalData => readEvalText(name, fs.readFileSync(path.join(SAMPLES, name), 'utf8'));
const role = (d: EvalData, name: string) => d.columns.find((c) => c.name === name)?.role;

/** Independent count of a per-attempt CSV with no quoting. */
function plainCounts(file: string): Map<string, { n: number; c: number }> {
  const out = new Map<string, { n: number; c: number }>();
  const lines = fs.readFileSync(path.join(SAMPLES, file), 'utf8').trim().split('\n').slice(1);
  for (const l of lines) {
    const [id, , ok] = l.split(',');
    const e = out.get(id) ?? { n: 0, c: 0 };
    e.n++;
    if (ok === 'true') e.c++;
    out.set(id, e);
  }
  return out;
}

test('per-attempt CSV: roles inferred, counts per problem match an independent tally', () => {
  const d = sample('passk_attempts.csv');
  assert.equal(d.kind, 'samples');
  assert.equal(role(d, 'problem_id'), 'problem');
  assert.equal(role(d, 'attempt'), 'attempt');
  assert.equal(role(d, 'correct'), 'correct');
  assert.equal(d.groups.length, 1);
  const g = d.groups[0];
  const want = plainCounts('passk_attempts.csv');
  assert.equal(g.problems.length, want.size);
  g.problems.forEach((id, i) => {
    assert.equal(g.n[i], want.get(id)?.n);
    assert.equal(g.c[i], want.get(id)?.c);
  });
  assert.equal(d.problems.length, 0);
});

test('(n, c) table with a model column: one group per model', () => {
  const d = sample('passk_counts.csv');
  assert.equal(d.kind, 'counts');
  assert.deepEqual(d.groups.map((g) => g.key), ['large-8b', 'small-1b']);
  for (const g of d.groups) {
    assert.equal(g.problems.length, 300);
    assert.ok(g.n.every((x) => x === 200));
  }
});

test('lm-evaluation-harness samples: doc_id, metric from `metrics`, one group per filter, repeats as attempts', () => {
  const d = sample('samples_gsm8k_repeats.jsonl');
  assert.equal(d.format, 'lm-eval');
  assert.equal(d.kind, 'samples');
  assert.deepEqual(d.groups.map((g) => g.key).sort(), ['flexible-extract', 'strict-match']);
  for (const g of d.groups) {
    assert.equal(g.problems.length, 24);
    assert.ok(g.n.every((x) => x === 12));
  }
  // flexible-extract accepts a superset: never fewer successes.
  const strict = d.groups.find((g) => g.key === 'strict-match')!;
  const flex = d.groups.find((g) => g.key === 'flexible-extract')!;
  strict.problems.forEach((id, i) => assert.ok(flex.c[flex.problems.indexOf(id)] >= strict.c[i]));
  assert.match(d.notes.join(' '), /metric "exact_match"/);
});

test('lm-eval: a fractional per-document metric over m responses is c = value·m; one 0/1 per document says pass@k is out of reach', () => {
  const lines = [
    { doc_id: 0, resps: [['a', 'b', 'c', 'd']], filtered_resps: [['a', 'b', 'c', 'd']], filter: 'create_test', metrics: ['pass@1'], 'pass@1': 0.25 },
    { doc_id: 1, resps: [['a', 'b', 'c', 'd']], filtered_resps: [['a', 'b', 'c', 'd']], filter: 'create_test', metrics: ['pass@1'], 'pass@1': 0.75 },
    { doc_id: 2, resps: [['a', 'b', 'c', 'd']], filtered_resps: [['a', 'b', 'c', 'd']], filter: 'create_test', metrics: ['pass@1'], 'pass@1': 0 },
  ].map((x) => JSON.stringify(x)).join('\n');
  const d = readEvalText('samples_humaneval.jsonl', lines);
  const g = d.groups[0];
  assert.deepEqual(Array.from(g.n), [4, 4, 4]);
  assert.deepEqual(Array.from(g.c), [1, 3, 0]);
  const one = [0, 1, 2].map((i) => JSON.stringify({ doc_id: i, target: '1', resps: [['x']], filtered_resps: ['x'], filter: 'strict-match', metrics: ['exact_match'], exact_match: i % 2 })).join('\n');
  const d1 = readEvalText('samples_gsm8k.jsonl', one);
  assert.match(d1.notes.join(' '), /one sample: .*cannot be estimated/);
});

test('thinking-budget table: percent accuracy, params, prompt and training tokens', () => {
  const d = sample('thinking_budget.csv');
  assert.equal(d.kind, 'budget');
  assert.equal(role(d, 'thinking_tokens'), 'budget');
  assert.equal(role(d, 'accuracy'), 'accuracy');
  assert.equal(role(d, 'params'), 'params');
  assert.equal(role(d, 'prompt_tokens'), 'prompt');
  assert.equal(role(d, 'train_tokens'), 'train_tokens');
  assert.equal(d.budget.length, 24);
  assert.ok(d.budget.every((r) => r.accuracy >= 0 && r.accuracy <= 1));
  assert.match(d.notes.join(' '), /percentage/);
  const a = analyzeEvals(d, { bootstrap: 0 });
  assert.equal(a.kind, 'budget');
  assert.equal(a.budget?.models.length, 3);
  assert.ok(a.budget?.models.every((m) => m.fit && m.fit.r2 > 0.95));
  assert.ok(a.budget?.compare);
  assert.equal(a.budget?.compare?.promptTokens, 400);
});

test('scores with a threshold, yes/no words, JSONL, and overrides', () => {
  const csv = 'task_id,sample,reward\nA,0,0.9\nA,1,0.2\nA,2,0.6\nB,0,0.1\nB,1,0.4\nB,2,0.0\n';
  const d = readEvalText('r.csv', csv);
  assert.equal(role(d, 'reward'), 'score');
  assert.deepEqual(Array.from(d.groups[0].c), [2, 0]);
  assert.match(d.notes.join(' '), /score ≥ 0.5/);
  const d7 = readEvalText('r.csv', csv, { threshold: 0.05 });
  assert.deepEqual(Array.from(d7.groups[0].c), [3, 2]);
  const words = 'question,verdict\nq1,PASS\nq1,fail\nq2,yes\n';
  assert.deepEqual(Array.from(readEvalText('w.csv', words).groups[0].c), [1, 1]);
  // Unknown names: the user says which column is which.
  const odd = 'foo,bar\nx,1\nx,0\ny,1\n';
  assert.throws(() => readEvalText('odd.csv', odd), /not a repeated-sampling eval.*foo → other/);
  const o = readEvalText('odd.csv', odd, { roleOverrides: { foo: 'problem', bar: 'correct' } });
  assert.deepEqual(Array.from(o.groups[0].n), [2, 1]);
  assert.equal(o.columns[0].reason, 'set by the user');
  const jsonl = '{"id": "p1", "passed": true, "model": "m"}\n{"id": "p1", "passed": false, "model": "m"}\n{"id": "p2", "passed": true, "model": "m"}\n';
  const j = readEvalText('r.jsonl', jsonl);
  assert.equal(j.format, 'jsonl');
  assert.deepEqual(Array.from(j.groups[0].c), [1, 1]);
  assert.equal(j.groups[0].model, 'm');
});

test('bad input: lines named, rows skipped, hostile keys harmless, binary refused', () => {
  const csv = 'problem,correct\np1,1\np1,maybe\n,1\np2,0,extra\np2,1\n';
  const d = readEvalText('bad.csv', csv);
  const msgs = d.problems.map((p) => p.message).join('\n');
  assert.match(msgs, /bad\.csv:3: "maybe" is not a correctness value/);
  assert.match(msgs, /bad\.csv:4: no problem id/);
  assert.match(msgs, /bad\.csv:5: 3 fields where the header has 2/);
  assert.deepEqual(Array.from(d.groups[0].n), [1, 1]);
  const evil = '{"__proto__": 1, "constructor": "x", "problem": "a", "correct": 1}\n{"problem": "a", "correct": 0}\nnot json\n';
  const e = readEvalText('evil.jsonl', evil);
  assert.deepEqual(Array.from(e.groups[0].n), [2]);
  assert.match(e.problems.map((p) => p.message).join(' '), /evil\.jsonl:3: not a JSON object/);
  assert.equal(({} as Record<string, unknown>).constructor, Object);
  assert.throws(() => readEvalText('b.bin', 'a\0b'), /binary/);
  assert.throws(() => readEvalText('e.csv', ''), /empty/);
  const counts = 'problem,n,c\np1,10,3\np2,5,9\n';
  const cd = readEvalText('c.csv', counts);
  assert.match(cd.problems.map((p) => p.message).join(' '), /c\.csv:3: needs whole numbers 0 ≤ c ≤ n/);
  assert.equal(looksLikeEval('train.csv', 'step,loss\n1,2.0\n2,1.9\n'), undefined);
  assert.equal(looksLikeEval('x.csv', 'problem_id,correct\na,1\n'), 'samples');
});

test('a sweep table whose N (parameters) and C (compute) columns look like n and c is not eval results', async () => {
  // Real: hadasah's scaling results (test/fixtures/SOURCES.md): loss, N, D, C, … one row per checkpoint.
  const file = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'hadasah_scaling_results_last_ckpt_only.csv');
  const head = fs.readFileSync(file, 'utf8').slice(0, 64 * 1024);
  assert.equal(looksLikeEval(path.basename(file), head), undefined);
  // Without a loss column, N and C alone: C far above N on every row is not "c correct of n attempts".
  assert.equal(looksLikeEval('s.csv', 'N,C,model\n93940416,9456351902178213888,a\n57234240,72017340536193024,b\n'), undefined);
  // Real counts (c ≤ n) without a problem column still are.
  assert.equal(looksLikeEval('k.csv', 'model,n,c\na,200,3\nb,200,122\n'), 'counts');
  // The user's roles win: n and c they set are counts whatever the values, and a table named only by them.
  assert.equal(looksLikeEval('s.csv', 'N,C,model\n93940416,9456351902178213888,a\n', { N: 'n', C: 'c' }), 'counts');
  assert.equal(looksLikeEval('u.csv', 'loss,q,v\n1,a,1\n2,a,0\n', { q: 'problem', v: 'correct' }), 'samples');
});

test('a budget column with a few values makes groups; one that varies per attempt is token usage', () => {
  const rows = ['problem,max_tokens,correct'];
  for (const b of [1024, 4096]) for (let p = 0; p < 3; p++) for (let a = 0; a < 4; a++) rows.push(`q${p},${b},${(p + a + b) % 3 === 0 ? 1 : 0}`);
  const d = readEvalText('b.csv', rows.join('\n'));
  assert.deepEqual(d.groups.map((g) => g.budget), [1024, 4096]);
  const used = ['problem,generated_tokens,correct'];
  for (let i = 0; i < 100; i++) used.push(`q${i % 5},${100 + i},${i % 2}`);
  const u = readEvalText('u.csv', used.join('\n'));
  assert.equal(u.groups.length, 1);
  assert.equal(u.groups[0].meanTokens, 100 + 49.5);
  assert.match(u.notes.join(' '), /varies per attempt/);
});

test('the analysis of a sample file equals the core numerics on the same counts (one pipeline)', () => {
  const d = sample('passk_attempts.csv');
  const a = analyzeEvals(d, { bootstrap: 50, seed: 3 });
  const g = a.passk![0];
  const direct = passAtKCurve(d.groups[0].n, d.groups[0].c, { bootstrap: 50, seed: 3 });
  assert.deepEqual(g.passAtK, direct.points);
  assert.equal(g.kMax, 64);
  assert.ok(g.forecast && g.forecast.at[g.forecast.at.length - 1].k === 640);
  assert.ok(g.backtest && g.backtest.fitK === 16);
  assert.throws(() => analyzeEvals(d, { law: 'budget' }), /--law budget needs a thinking-budget table/);
});

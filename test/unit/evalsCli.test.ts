// `scaling-lens fit FILE --law passk|budget`: the JSON shape, auto-detection, exit codes,
// and the same numbers as the core entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeEvals, readEvalText } from '../../src/core/evals';
import type { FromWorker } from '../../src/extension/workerProtocol';
import { tmpDir } from './tmpUtil';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples', 'evals');
const CLI = join(__dirname, '..', '..', 'src', 'cli.js');
function fit(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'fit', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('fit --law passk --json: passAtK [{k, value, lo, hi}], forecast {law, params, at}, backtest — equal to the core entry', () => {
  const file = join(SAMPLES, 'passk_attempts.csv');
  const r = fit([file, '--law', 'passk', '--json', '--bootstrap', '40', '--seed', '5']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.passAtK.length, 64);
  assert.deepEqual(Object.keys(j.passAtK[0]).sort(), ['hi', 'k', 'lo', 'value']);
  assert.ok(['beta', 'power'].includes(j.forecast.law));
  assert.equal(j.forecast.at[j.forecast.at.length - 1].k, 640);
  assert.ok(j.backtest.fitK === 16 && j.backtest.scores.length === 2);
  const core = analyzeEvals(readEvalText(file, fs.readFileSync(file, 'utf8')), { bootstrap: 40, seed: 5 });
  assert.deepEqual(j.passAtK, core.passk![0].passAtK);
  assert.deepEqual(j.forecast.params, core.passk![0].forecast!.params);
});

test('fit auto-detects eval files; --group picks the top-level group; loss logs still go to the loss laws', () => {
  const r = fit([join(SAMPLES, 'passk_counts.csv'), '--json', '--bootstrap', '0', '--group', 'small-1b']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.group, 'small-1b');
  assert.equal(j.passk.length, 2);
  assert.ok(Number.isNaN(Number(j.passAtK[0].lo)) || j.passAtK[0].lo === null);
  const text = fit([join(SAMPLES, 'samples_gsm8k_repeats.jsonl'), '--bootstrap', '0']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /strict-match: 24 problems/);
  assert.match(text.out, /backtest: fitted on k ≤ 3/);
  const loss = fit([join(__dirname, '..', '..', '..', 'test', 'fixtures', 'lightning_metrics.csv'), '--bootstrap', '0', '--json']);
  assert.equal(loss.code, 0, loss.err);
  assert.equal(JSON.parse(loss.out).law, 'run');
  const bad = fit([join(SAMPLES, 'passk_counts.csv'), '--group', 'nope']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /no group 'nope' \(groups: large-8b, small-1b\)/);
});

test('fit --law budget: one logistic per model and the think-or-train comparison', () => {
  const r = fit([join(SAMPLES, 'thinking_budget.csv'), '--law', 'budget', '--json', '--target-accuracy', '50', '--queries', '1e11']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.kind, 'budget');
  assert.equal(j.budget.models.length, 3);
  for (const m of j.budget.models) assert.deepEqual(Object.keys(m.fit.params).sort(), ['ceiling', 'floor', 'mid', 'slope']);
  assert.equal(j.budget.compare.targetAccuracy, 0.5);
  assert.equal(j.budget.compare.queries, 1e11);
  assert.ok(j.budget.compare.cheapest);
  const text = fit([join(SAMPLES, 'thinking_budget.csv'), '--queries', '1e3']);
  assert.match(text.out, /cheapest at 1000 queries: reasoner-1\.5b/);
});

test('eval fit errors: wrong law for the file, bad role, unreadable data exit non-zero with one line', () => {
  const wrong = fit([join(SAMPLES, 'thinking_budget.csv'), '--law', 'passk']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.err, /--law passk needs repeated samples/);
  const role = fit([join(SAMPLES, 'passk_counts.csv'), '--role', 'n=banana']);
  assert.equal(role.code, 2);
  const dir = tmpDir('sl-evals-');
  const none = join(dir, 'all-wrong.csv');
  fs.writeFileSync(none, 'problem,correct\np1,0\np1,0\np2,0\np2,0\np3,0\np3,0\n');
  const z = fit([none, '--law', 'passk', '--bootstrap', '0']);
  assert.equal(z.code, 0, z.err);
  assert.match(z.out, /not fitted: Beta-binomial: no attempt succeeded/);
  const missing = fit([join(dir, 'nope.csv'), '--law', 'passk']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no such file/);
  assert.doesNotMatch(missing.err, /at .*\.js/);
});

test('the one pipeline takes eval files: analyzeFile gives LogState.evals, JSON and Markdown from it', async () => {
  const { analyzeFile } = await import('../../src/core/pipeline');
  const { toMarkdown, fitToJson } = await import('../../src/core/summary');
  const { DEFAULT_ANALYZE_OPTIONS } = await import('../../src/core/options');
  const a = await analyzeFile(join(SAMPLES, 'passk_attempts.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.logKind, 'eval');
  assert.equal(a.state.evals?.kind, 'passk');
  assert.equal(a.state.options.law, 'passk');
  const md = toMarkdown(a.state);
  assert.match(md, /\| 64 \| 79\.0% \| — \|/);
  assert.match(md, /Beta-binomial \| alpha = 0\.41/);
  const j = fitToJson(a.state);
  assert.equal((j.passAtK as unknown[]).length, 64);
  // A training log is still a training log, and --law passk on it says why not.
  const run = await analyzeFile(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'lightning_metrics.csv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(run.state.evals, undefined);
  await assert.rejects(analyzeFile(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'lightning_metrics.csv'), { ...DEFAULT_ANALYZE_OPTIONS, law: 'passk' }), /not a repeated-sampling eval/);
});

test('train bigger or think longer takes the training tokens from a fitted law when asked (--train-law, the workspace law)', async () => {
  const { analyzeFile } = await import('../../src/core/pipeline');
  const { DEFAULT_ANALYZE_OPTIONS } = await import('../../src/core/options');
  const { computeOptimalTokens } = await import('../../src/core/evals');
  const { REPLICATION_LAW } = await import('../../src/core/fit/laws');
  const { fittedTrainLaw } = await import('../../src/cli/fit');
  // The sample table without its train_tokens column: every model's D comes from a law.
  const dir = tmpDir('sl-trainlaw-');
  const table = join(dir, 'budget_no_train_tokens.csv');
  const rows = fs.readFileSync(join(SAMPLES, 'thinking_budget.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const drop = rows[0].indexOf('train_tokens');
  assert.ok(drop > 0);
  fs.writeFileSync(table, rows.map((r) => r.filter((_, i) => i !== drop).join(',')).join('\n') + '\n');
  const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };
  const byDefaultEv = (await analyzeFile(table, opts)).state.evals!;
  const byDefault = byDefaultEv.budget!.compare!;
  assert.ok(byDefaultEv.sources.some((x) => /Besiroglu/.test(x)), 'the replication is cited when it gave the tokens');
  // With the table's own training tokens the replication gives nothing and is not cited.
  const withTokens = (await analyzeFile(join(SAMPLES, 'thinking_budget.csv'), opts)).state.evals!;
  assert.ok(withTokens.budget!.compare!.rows.every((r) => r.trainSource === 'from the table'));
  assert.ok(!withTokens.sources.some((x) => /Besiroglu/.test(x)), withTokens.sources.join('; '));
  assert.ok(withTokens.sources.some((x) => /Kaplan et al\. 2020/.test(x)) && withTokens.sources.some((x) => /Sardana et al\. 2023/.test(x)));
  for (const r of byDefault.rows) {
    assert.equal(r.trainTokens, computeOptimalTokens(REPLICATION_LAW, r.params));
    assert.match(r.trainSource, /replication/);
  }
  // A law of its own (here: Chinchilla-like exponents, far more data per parameter than the replication's).
  const law = { E: 1.7, A: 400, B: 400, alpha: 0.34, beta: 0.28 };
  const own = (await analyzeFile(table, opts, { trainLaw: { law, source: 'the law fitted to my_sweep.csv' } })).state.evals!.budget!.compare!;
  assert.ok(!(await analyzeFile(table, opts, { trainLaw: { law, source: 'x' } })).state.evals!.sources.some((x) => /Besiroglu/.test(x)));
  for (const r of own.rows) {
    assert.equal(r.trainTokens, computeOptimalTokens(law, r.params));
    assert.notEqual(r.trainTokens, computeOptimalTokens(REPLICATION_LAW, r.params));
    assert.equal(r.trainSource, 'compute-optimal for N (the law fitted to my_sweep.csv)');
  }
  // The editor's worker passes the law the extension chose (scalingLens.prediction.law: workspace).
  const { handleAnalyze } = await import('../../src/extension/worker');
  const got: FromWorker[] = [];
  await handleAnalyze({ type: 'analyze', id: 1, file: table, options: opts, roleOverrides: {}, trainLaw: { law, source: 'the law fitted to my_sweep.csv' }, cancelFlag: new SharedArrayBuffer(4) }, (m) => got.push(m));
  const res = got.find((m) => m.type === 'result');
  const viaWorker = res?.type === 'result' ? res.state.evals?.budget?.compare : undefined;
  assert.deepEqual(viaWorker?.rows, own.rows);
  // The CLI fits the sweep through the same pipeline and passes its law.
  const sweep = join(SAMPLES, '..', 'sweeps', 'chinchilla_sweep.csv');
  const r = fit([table, '--json', '--bootstrap', '0', '--train-law', sweep, '--drop-highest-loss', '5']);
  assert.equal(r.code, 0, r.err);
  const fitted = await fittedTrainLaw(sweep, { ...opts, dropHighestLoss: 5 });
  const cmp = JSON.parse(r.out).budget.compare;
  for (const row of cmp.rows) {
    assert.equal(row.trainTokens, computeOptimalTokens(fitted.law, row.params));
    assert.match(row.trainSource, /the law fitted to chinchilla_sweep\.csv/);
  }
  // A file no Chinchilla law fits is an error with one line, exit 1.
  const bad = fit([table, '--train-law', join(SAMPLES, 'passk_counts.csv')]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /--train-law .*passk_counts\.csv: no Chinchilla law fitted/);
  assert.equal(bad.err.trim().split('\n').length, 1);
  // On a pass@k file the flag has nothing to act on: said on stderr, the fit still made.
  const passk = fit([join(SAMPLES, 'passk_counts.csv'), '--json', '--bootstrap', '0', '--train-law', sweep, '--drop-highest-loss', '5']);
  assert.equal(passk.code, 0, passk.err);
  assert.match(passk.err, /--train-law applies to thinking-budget tables only; not used on this repeated-sampling eval/);
  assert.ok(JSON.parse(passk.out).passAtK.length > 0);
  assert.doesNotMatch(r.err, /applies to thinking-budget tables only/);
});

test('a thinking-budget row whose FLOPs overflow (a corrupt 1e300 in a cell) is skipped with its line; no Infinity is printed', () => {
  const dir = tmpDir('sl-budget-');
  const lines = fs.readFileSync(join(SAMPLES, 'thinking_budget.csv'), 'utf8').trimEnd().split('\n');
  // Line 4: its thinking tokens; line 20: its training tokens (2·N·t and 6·N·D beyond 1.8e308).
  lines[3] = lines[3].replace(/,400,1024,/, ',400,1e300,');
  lines[19] = lines[19].replace(/,18000000000000,/, ',1e300,');
  const file = join(dir, 'thinking_budget.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const r = fit([file, '--law', 'budget']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /thinking_budget\.csv:4: its FLOPs \(2·N·t a query\) are beyond a 64-bit float; row skipped/);
  assert.match(r.out, /thinking_budget\.csv:20: its FLOPs \(6·N·D to train\) are beyond a 64-bit float; row skipped/);
  assert.doesNotMatch(r.out, /Infinity|NaN/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Papa from 'papaparse';
import { discoverRuns, sweepCsv, classifySchedule, assembleSweep, walk, type RunInfo } from '../../src/core/runs';
import { fitRuns, RUNS_FIT_DEFAULTS } from '../../src/core/runs/fit';
import { compareCurves, downsampleIndices, fitEachRun, DEFAULT_BUCKETS } from '../../src/core/runs/curves';
import { parseLogFile } from '../../src/core/logs';
import { analyze, analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { paramsFor } from '../../src/core/fit/types';
import { analyzeConfig } from '../../src/core/config';
import { runSweep } from '../../src/cli/sweep';
import { handleRuns } from '../../src/extension/worker';
import { tmpDir } from './tmpUtil';

const ROOT = path.resolve(__dirname, '../../..');
const FIX = path.join(ROOT, 'test', 'fixtures');
const SCRIPT = path.join(ROOT, 'scripts', 'make-multirun.mjs');

interface Truth {
  law: { E: number; A: number; B: number; alpha: number; beta: number };
  runs: { rel: string; layout: string; total?: number; active?: number; tokens?: number; schedule?: string; usable: boolean }[];
}

function tmp(name: string): string {
  return tmpDir(`sl-runs-${name}-`);
}

/** A workspace of run folders of mixed layouts whose losses follow a known law (seeded). */
function workspace(seed: number): { dir: string; truth: Truth } {
  const dir = tmp(`ws${seed}`);
  execFileSync(process.execPath, [SCRIPT, '--out', dir, '--seed', String(seed)], { stdio: 'pipe' });
  return { dir, truth: JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as Truth };
}

const ws = workspace(3);

test('discovery: every run folder of every layout is found, with the exact model size of its config', async () => {
  const found = await discoverRuns(ws.dir);
  assert.deepEqual(found.runs.map((r) => r.rel), ws.truth.runs.map((r) => r.rel));
  assert.ok(found.runs.length >= 12);
  const layouts = new Set(found.runs.map((r) => r.layout));
  for (const l of ['hf-trainer', 'lightning', 'nanogpt', 'torchtitan', 'yaml-config', 'log-only']) assert.ok(layouts.has(l as RunInfo['layout']), `layout ${l}`);
  for (const t of ws.truth.runs) {
    const r = found.runs.find((x) => x.rel === t.rel)!;
    assert.equal(r.layout, t.layout, t.rel);
    assert.equal(r.usable, t.usable, `${t.rel}: ${r.problems.join('; ')}`);
    if (t.total === undefined) continue;
    // Equal to the config's own exact count (the config layer) and to the generator's independent count.
    assert.ok(r.config, t.rel);
    const cfg = analyzeConfig(fs.readFileSync(r.config, 'utf8'), r.config);
    assert.equal(r.params?.total, cfg?.params?.total, t.rel);
    assert.equal(r.params?.active, cfg?.params?.active, t.rel);
    assert.equal(r.params?.total, t.total, t.rel);
    if (t.usable) {
      assert.equal(r.tokens, t.tokens, `${t.rel} tokens (${r.tokensSource})`);
      assert.equal(r.tokensPerParam, t.tokens! / t.active!);
      assert.ok(r.loss! > ws.truth.law.E && r.loss! < 10);
    }
  }
});

test('discovery: a folder with a log but no readable model size or tokens is listed with the reason and left out', async () => {
  const found = await discoverRuns(ws.dir);
  const noConfig = found.runs.find((r) => r.rel === 'scratch/no-config')!;
  assert.equal(noConfig.usable, false);
  assert.equal(noConfig.params, undefined);
  assert.match(noConfig.problems.join('\n'), /No readable model size: no training or model config/);
  const noTokens = found.runs.find((r) => r.rel === 'hf/llama-8m-no-tokens')!;
  assert.equal(noTokens.usable, false);
  assert.ok(noTokens.params);
  assert.match(noTokens.problems.join('\n'), /num_input_tokens_seen/);
  const sweep = assembleSweep(found.runs);
  assert.deepEqual(sweep.excluded.map((e) => e.run).sort(), ['hf/llama-8m-no-tokens', 'scratch/no-config']);
  assert.equal(sweep.rows.length, found.runs.length - 2);
});

test('discovery: a Trainer output dir holding only checkpoints is one run, read from its latest checkpoint', async () => {
  const found = await discoverRuns(ws.dir);
  const r = found.runs.find((x) => x.rel === 'hf/llama-32m')!;
  assert.match(r.log, /checkpoint-(\d+)[\\/]trainer_state\.json$/);
  const ckpts = fs.readdirSync(path.join(ws.dir, 'hf/llama-32m')).map((d) => Number(/^checkpoint-(\d+)$/.exec(d)?.[1])).filter(Number.isFinite);
  assert.equal(ckpts.length, 2);
  assert.ok(r.log.includes(`checkpoint-${Math.max(...ckpts)}`));
  assert.equal(found.runs.filter((x) => x.rel.startsWith('hf/llama-32m')).length, 1);
});

test('fit across runs: Chinchilla Approach 3 recovers α and β within 0.03 from the final points (two seeds)', async () => {
  for (const w of [ws, workspace(8)]) {
    const found = await discoverRuns(w.dir);
    const fit = fitRuns(found.runs, { bootstrap: 0, budget: 1e21 });
    const f = fit.state.fit;
    assert.ok(f, fit.state.fitError);
    assert.equal(f.law, 'chinchilla');
    assert.equal(f.n, 10);
    const p = paramsFor(f, 'chinchilla')!;
    assert.ok(Math.abs(p.alpha - w.truth.law.alpha) < 0.03, `alpha ${p.alpha}`);
    assert.ok(Math.abs(p.beta - w.truth.law.beta) < 0.03, `beta ${p.beta}`);
    // The compute-optimal size for the budget, and the frontier curve.
    assert.ok(f.allocation && f.allocation.budget === 1e21 && f.allocation.N > 0);
    assert.ok(Math.abs(6 * f.allocation.N * f.allocation.D / 1e21 - 1) < 1e-6);
    assert.ok(f.curves.some((c) => c.kind === 'frontier'));
  }
});

test('fit across runs: whole curves of constant and WSD runs add valid points; decaying runs give their final point only', async () => {
  const found = await discoverRuns(ws.dir);
  const byRel = new Map(found.runs.map((r) => [r.rel, r]));
  assert.equal(byRel.get('lightning_logs/version_0')!.schedule, 'constant');
  assert.equal(byRel.get('hf/llama-56m')!.schedule, 'wsd');
  assert.equal(byRel.get('hf/llama-8m')!.schedule, 'decay');
  assert.equal(byRel.get('nanogpt/out-small')!.schedule, 'unknown');
  const sweep = assembleSweep(found.runs, { points: 'curves' });
  for (const r of found.runs.filter((x) => x.usable)) {
    const rows = sweep.rows.filter((x) => x.run === r.rel);
    if (r.schedule === 'constant' || r.schedule === 'wsd') {
      assert.ok(rows.length >= 8 && rows.every((x) => x.point === 'curve'), r.rel);
      // WSD: only the stable phase (the generator decays over the last 20 % of the steps; the first decay points are still within 5 % of the peak).
      if (r.schedule === 'wsd') assert.ok(Math.max(...rows.map((x) => x.step!)) < 0.85 * r.steps!, r.rel);
    } else {
      assert.deepEqual(rows.map((x) => x.point), ['final'], r.rel);
    }
  }
  const fit = fitRuns(found.runs, { bootstrap: 0, points: 'curves' });
  const f = fit.state.fit!;
  assert.equal(f.n, sweep.rows.length);
  const p = paramsFor(f, 'chinchilla')!;
  assert.ok(Math.abs(p.alpha - ws.truth.law.alpha) < 0.03, `alpha ${p.alpha}`);
  assert.ok(Math.abs(p.beta - ws.truth.law.beta) < 0.03, `beta ${p.beta}`);
});

test('schedule classification: constant, warmup-stable-decay, cosine, none', () => {
  const n = 100;
  const warm = (i: number) => Math.min(1, (i + 1) / 5);
  assert.equal(classifySchedule(Float64Array.from({ length: n }, (_, i) => 1e-3 * warm(i))).kind, 'constant');
  const wsd = classifySchedule(Float64Array.from({ length: n }, (_, i) => 1e-3 * warm(i) * (i < 80 ? 1 : 1 - (i - 80) / 20)));
  assert.equal(wsd.kind, 'wsd');
  assert.ok(wsd.stableEnd >= 79 && wsd.stableEnd <= 82);
  assert.equal(classifySchedule(Float64Array.from({ length: n }, (_, i) => 1e-3 * warm(i) * (0.55 + 0.45 * Math.cos(Math.PI * i / n)))).kind, 'decay');
  assert.equal(classifySchedule(undefined).kind, 'unknown');
  assert.equal(classifySchedule(new Float64Array([NaN, NaN])).kind, 'unknown');
});

test('isoFLOP across runs when budgets repeat; the CSV holds each row with its source path', async () => {
  // Three budgets × four sizes, each run a nanoGPT-style folder: config .py + JSONL log.
  const dir = tmp('iso');
  const law = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;
  const shapes = [[4, 256], [6, 384], [8, 512], [12, 768]];
  for (const C of [1e16, 4e16, 1.6e17]) {
    for (const [L, d] of shapes) {
      const runDir = path.join(dir, `C${C.toExponential(0)}`, `L${L}-d${d}`);
      fs.mkdirSync(runDir, { recursive: true });
      const cfgText = `n_layer = ${L}\nn_head = ${d / 64}\nn_embd = ${d}\nblock_size = 256\nbias = False\nbatch_size = 8\ngradient_accumulation_steps = 4\nmax_iters = 1000\n`;
      fs.writeFileSync(path.join(runDir, 'config.py'), cfgText);
      const N = analyzeConfig(cfgText, 'config.py')!.params!.total;
      const D = C / (6 * N);
      const lines: string[] = [];
      for (let k = 1; k <= 20; k++) lines.push(JSON.stringify({ step: k * 50, tokens: (D * k) / 20, loss: law(N, (D * k) / 20) }));
      fs.writeFileSync(path.join(runDir, 'log.jsonl'), lines.join('\n') + '\n');
    }
  }
  const found = await discoverRuns(dir);
  assert.equal(found.runs.length, 12);
  const fit = fitRuns(found.runs, { bootstrap: 0 });
  assert.ok(fit.isoflop?.fit, 'isoFLOP fit when budgets repeat');
  assert.equal(fit.isoflop!.fit!.law, 'isoflop');
  assert.ok(Number.isFinite(fit.isoflop!.fit!.params.a));
  const csv = sweepCsv(fit.sweep.rows);
  const parsed = Papa.parse<Record<string, string>>(csv.trim(), { header: true });
  assert.equal(parsed.data.length, 12);
  for (const row of parsed.data) {
    assert.ok(fs.existsSync(row.source), row.source);
    const run = found.runs.find((r) => r.rel === row.run)!;
    assert.equal(Number(row.params), run.params!.active);
    assert.equal(Number(row.tokens), run.tokens);
    assert.equal(row.point, 'final');
  }
});

test('CSV export escapes cells a spreadsheet would run as formulas', () => {
  const csv = sweepCsv([{ run: '=HYPERLINK("x")', source: '/w/=1+1/log.jsonl', line: 3, N: 1e6, totalParams: 1e6, D: 2e7, C: 1.2e14, loss: 3.2, point: 'final' }]);
  const row = Papa.parse<string[]>(csv.trim()).data[1];
  assert.equal(row[0], `'=HYPERLINK("x")`);
  assert.equal(row[1], '1000000');
});

test('walk: depth and count limits, symbolic links not followed, a named pipe never opened', async () => {
  const dir = tmp('walk');
  const run = path.join(dir, 'a', 'run');
  fs.mkdirSync(run, { recursive: true });
  fs.writeFileSync(path.join(run, 'config.py'), 'n_layer = 2\nn_head = 2\nn_embd = 128\nblock_size = 64\nbatch_size = 4\ngradient_accumulation_steps = 1\n');
  fs.writeFileSync(path.join(run, 'log.jsonl'), '{"iter": 10, "loss": 5.0}\n{"iter": 20, "loss": 4.5}\n');
  fs.symlinkSync(run, path.join(dir, 'link-to-run'));
  fs.symlinkSync(path.join(run, 'log.jsonl'), path.join(dir, 'a', 'linked.jsonl'));
  const fifo = spawnSync('mkfifo', [path.join(run, 'train.log')]);
  const found = await discoverRuns(dir);
  assert.deepEqual(found.runs.map((r) => r.rel), ['a/run']);
  assert.equal(found.runs[0].usable, true, found.runs[0].problems.join('; '));
  assert.equal(found.runs[0].tokens, 20 * 4 * 64);
  if (fifo.status === 0) assert.equal(found.runs[0].log, path.join(run, 'log.jsonl'));
  const shallow = await discoverRuns(dir, { limits: { maxDepth: 1 } });
  assert.equal(shallow.runs.length, 0);
  assert.match(shallow.problems.join('\n'), /deeper than 1 levels/);
  const few = await walk(dir, { maxDirs: 2 });
  assert.equal(few.dirs.length, 2);
  assert.match(few.truncated ?? '', /2 folders/);
  assert.deepEqual((await discoverRuns(path.join(dir, 'nope'))).problems, [`${path.join(dir, 'nope')}: no such folder`]);
});

test('discovery reuses unchanged runs from its cache and rereads a run whose log changed', async () => {
  const w = workspace(5);
  const cache = new Map();
  const first = await discoverRuns(w.dir, { cache });
  const second = await discoverRuns(w.dir, { cache });
  for (let i = 0; i < first.runs.length; i++) assert.equal(second.runs[i], first.runs[i]);
  const log = path.join(w.dir, 'nanogpt', 'out-medium', 'log.jsonl');
  fs.appendFileSync(log, JSON.stringify({ iter: 999999, loss: 2.5, lr: 1e-3 }) + '\n');
  const third = await discoverRuns(w.dir, { cache });
  const r = third.runs.find((x) => x.rel === 'nanogpt/out-medium')!;
  assert.equal(r.steps, 999999);
  assert.notEqual(r, first.runs.find((x) => x.rel === 'nanogpt/out-medium'));
  assert.equal(third.runs.find((x) => x.rel === 'hf/llama-8m'), first.runs.find((x) => x.rel === 'hf/llama-8m'));
});

test('real Lightning run (0Xero7/slm_training version_12): listed with its config\'s size, left out for want of a token count', async () => {
  const dir = tmp('real');
  const v = path.join(dir, 'lightning_logs', 'version_12');
  fs.mkdirSync(v, { recursive: true });
  fs.copyFileSync(path.join(FIX, 'runs-lightning-v12', 'hparams.yaml'), path.join(v, 'hparams.yaml'));
  fs.copyFileSync(path.join(FIX, 'runs-lightning-v12', 'metrics.csv'), path.join(v, 'metrics.csv'));
  const found = await discoverRuns(dir);
  assert.equal(found.runs.length, 1);
  const r = found.runs[0];
  assert.equal(r.layout, 'lightning');
  assert.equal(r.lossSeries, 'train_loss_step');
  const cfg = analyzeConfig(fs.readFileSync(path.join(v, 'hparams.yaml'), 'utf8'), 'hparams.yaml');
  assert.equal(r.params?.total, cfg?.params?.total);
  assert.equal(r.usable, false);
  assert.match(r.problems.join('\n'), /No token count/);
  assert.ok(r.steps! > 1000 && r.loss! > 0);
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runSweep(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

test('CLI sweep --json: runs with path, config, params, tokens, loss, ratio, problems; the fit; the CSV', async () => {
  const csvFile = path.join(tmp('csv'), 'sweep.csv');
  const r = await cli([ws.dir, '--json', '--bootstrap', '0', '--budget', '1e20', '--csv', csvFile]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.runs.length, ws.truth.runs.length);
  for (const run of j.runs) {
    for (const k of ['path', 'config', 'params', 'tokens', 'loss', 'tokensPerParam', 'problems']) assert.ok(k in run, k);
  }
  const hf = j.runs.find((x: { path: string }) => x.path === 'hf/llama-8m');
  assert.deepEqual(hf.params, { total: ws.truth.runs.find((t) => t.rel === 'hf/llama-8m')!.total, active: ws.truth.runs.find((t) => t.rel === 'hf/llama-8m')!.active });
  assert.equal(hf.config, path.join('hf', 'llama-8m', 'config.json'));
  for (const k of ['law', 'params', 'ci', 'objective', 'optimal']) assert.ok(k in j.fit, k);
  assert.equal(j.fit.law, 'chinchilla');
  assert.equal(j.fit.allocation.budget, 1e20);
  assert.ok(j.problems.some((p: string) => p.startsWith('scratch/no-config')));
  // Same answer as the core called directly.
  const direct = fitRuns((await discoverRuns(ws.dir)).runs, { bootstrap: 0, budget: 1e20 });
  assert.deepEqual(j.fit.params, direct.state.fit!.params);
  const rows = Papa.parse<Record<string, string>>(fs.readFileSync(csvFile, 'utf8').trim(), { header: true }).data;
  assert.equal(rows.length, 10);
  const kaplan = await cli([ws.dir, '--json', '--bootstrap', '0', '--law', 'kaplan']);
  assert.equal(JSON.parse(kaplan.out).fit.law, 'kaplan');
});

test('CLI sweep: text output, bad options exit 2, a folder without runs exits 1', async () => {
  const text = await cli([ws.dir, '--bootstrap', '0']);
  assert.equal(text.code, 0);
  assert.match(text.out, /12 runs found, 10 usable/);
  assert.match(text.out, /Chinchilla Approach 3/);
  // The fit's report is lines of its own, escaped once: never a block with its newlines shown as \x0a.
  assert.doesNotMatch(text.out, /\\x0a/);
  assert.match(text.out, /\n {2}law: Chinchilla Approach 3[^\n]*\n {2}points: 10 used/);
  assert.match(text.out, /\n {4}α +0\.\d+/);
  assert.equal((await cli([ws.dir, '--law', 'nope'])).code, 2);
  assert.equal((await cli([ws.dir, '--budget', '-1'])).code, 2);
  assert.equal((await cli([])).code, 2);
  const empty = await cli([tmp('empty')]);
  assert.equal(empty.code, 1);
  assert.match(empty.err, /no training runs found/);
});

/** A trainer_state.json of `steps` steps logged every 10, with or without num_input_tokens_seen. */
function trainerStateText(steps: number, tokensPerStep?: number): string {
  const log_history = [];
  for (let s = 10; s <= steps; s += 10) log_history.push({ learning_rate: 3e-4, loss: 2 + 40 / Math.sqrt(s), step: s, ...(tokensPerStep ? { num_input_tokens_seen: s * tokensPerStep } : {}) });
  return JSON.stringify({ global_step: steps, max_steps: steps, log_history });
}

test('Trainer runs: a mixture of experts lists total and active (real Qwen1.5-MoE config), tokens from training arguments when not logged', async () => {
  const dir = tmp('hfmoe');
  const moe = path.join(dir, 'moe', 'qwen-moe');
  fs.mkdirSync(moe, { recursive: true });
  fs.copyFileSync(path.join(FIX, 'configs', 'qwen1.5-moe-a2.7b.json'), path.join(moe, 'config.json'));
  fs.writeFileSync(path.join(moe, 'trainer_state.json'), trainerStateText(400, 65_536));
  // No num_input_tokens_seen: tokens = steps × the training arguments' batch (8 × 4 accumulation) × 512.
  const dense = path.join(dir, 'dense', 'no-logged-tokens');
  fs.mkdirSync(dense, { recursive: true });
  fs.copyFileSync(path.join(ws.dir, 'hf', 'llama-8m', 'config.json'), path.join(dense, 'config.json'));
  fs.writeFileSync(path.join(dense, 'trainer_state.json'), trainerStateText(300));
  fs.writeFileSync(path.join(dense, 'training_args.json'), JSON.stringify({ output_dir: 'out', per_device_train_batch_size: 8, gradient_accumulation_steps: 4, max_seq_length: 512, max_steps: 300 }));
  const found = await discoverRuns(dir);
  const m = found.runs.find((r) => r.rel === 'moe/qwen-moe')!;
  assert.equal(m.layout, 'hf-trainer');
  // Published counts of Qwen1.5-MoE-A2.7B (test/fixtures/SOURCES.md): 14,315,784,192 total, 2,689,173,504 active.
  assert.deepEqual(m.params, { total: 14_315_784_192, active: 2_689_173_504 });
  assert.equal(m.tokens, 400 * 65_536);
  assert.match(m.tokensSource!, /num_input_tokens_seen/);
  assert.equal(m.tokensPerParam, (400 * 65_536) / 2_689_173_504, 'tokens per parameter uses the active count');
  const d = found.runs.find((r) => r.rel === 'dense/no-logged-tokens')!;
  assert.equal(d.usable, true, d.problems.join('; '));
  assert.equal(d.tokens, 300 * 8 * 4 * 512);
  assert.match(d.tokensSource!, /steps × 16,384 tokens per step \(training_args\.json\)/);
  const j = JSON.parse((await cli([dir, '--json', '--bootstrap', '0'])).out);
  const mj = j.runs.find((x: { path: string }) => x.path === 'moe/qwen-moe');
  assert.deepEqual(mj.params, { total: 14_315_784_192, active: 2_689_173_504 });
  const text = (await cli([dir, '--bootstrap', '0'])).out;
  assert.match(text, /moe\/qwen-moe +1\.432e\+10\/2\.689e\+9 /);
});

test('a Lightning run logged only as TensorBoard event files (real file) is read through the event reader', async () => {
  const dir = tmp('tfev');
  const v = path.join(dir, 'lightning_logs', 'version_3');
  fs.mkdirSync(v, { recursive: true });
  fs.copyFileSync(path.join(FIX, 'tfevents', 'events.out.tfevents.1663763728.host.11228.0'), path.join(v, 'events.out.tfevents.1663763728.host.11228.0'));
  fs.writeFileSync(path.join(v, 'hparams.yaml'), 'n_layer: 2\nn_head: 2\nn_embd: 128\nvocab_size: 1000\nblock_size: 64\nbatch_size: 8\n');
  const found = await discoverRuns(dir);
  assert.equal(found.runs.length, 1, found.problems.join('; '));
  const r = found.runs[0];
  assert.equal(r.rel, 'lightning_logs/version_3');
  assert.equal(r.layout, 'lightning');
  assert.equal(r.lossSeries, 'Loss/train');
  assert.equal(r.steps, 99);
  assert.equal(r.tokens, 99 * 8 * 64);
  assert.equal(r.usable, true, r.problems.join('; '));
});

test('compare: 30 runs and a million points are downsampled (each bucket\'s extremes kept), on tokens, FLOPs and steps', async () => {
  const dir = tmp('many');
  const runs: RunInfo[] = [];
  const perRun = 33_334;
  for (let k = 0; k < 30; k++) {
    const runDir = path.join(dir, `run-${String(k).padStart(2, '0')}`);
    fs.mkdirSync(runDir);
    const lines: string[] = [];
    for (let s = 1; s <= perRun; s++) {
      // A spike at one step, to check that extremes survive downsampling.
      const spike = s === 20_000 ? 5 : 0;
      lines.push(`${s},${s * 4096},${(2 + 50 / Math.pow(s * 4096, 0.2) + spike).toFixed(5)}`);
    }
    fs.writeFileSync(path.join(runDir, 'metrics.csv'), 'step,tokens,loss\n' + lines.join('\n') + '\n');
    fs.writeFileSync(path.join(runDir, 'config.py'), `n_layer = ${2 + (k % 6)}\nn_head = 2\nn_embd = 128\nblock_size = 64\nbatch_size = 8\ngradient_accumulation_steps = 8\n`);
  }
  const found = await discoverRuns(dir);
  assert.equal(found.runs.length, 30);
  runs.push(...found.runs);
  const t0 = process.hrtime.bigint();
  const data = await compareCurves(runs);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`compare: ${data.totalPoints} points read and downsampled to ${data.shownPoints} in ${ms.toFixed(0)} ms`);
  assert.equal(data.totalPoints, 30 * perRun);
  assert.ok(data.shownPoints <= 30 * (2 * DEFAULT_BUCKETS + 2), String(data.shownPoints));
  assert.deepEqual(data.commonAxes, ['tokens', 'flops', 'step']);
  for (const c of data.curves) {
    const run = runs.find((r) => r.rel === c.rel)!;
    assert.equal(c.y.length, c.x.tokens!.length);
    assert.equal(c.x.step![0], 1);
    assert.equal(c.x.step![c.x.step!.length - 1], perRun);
    assert.ok(c.y.some((v) => v > 5), 'the spike survives');
    assert.equal(Math.min(...c.y), c.y[c.y.length - 1]);
    // FLOPs = 6·N·D with N the run's config count.
    assert.equal(c.x.flops![5], 6 * run.params!.active * c.x.tokens![5]);
  }
});

test('downsampling keeps everything below the bucket budget and the first/last point above it', () => {
  assert.deepEqual(downsampleIndices([3, 2, 1], 10), [0, 1, 2]);
  const y = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 50) + (i === 777 ? -9 : 0));
  const keep = downsampleIndices(y, 200);
  assert.ok(keep.length <= 402 && keep.length > 200);
  assert.equal(keep[0], 0);
  assert.equal(keep[keep.length - 1], y.length - 1);
  assert.ok(keep.includes(777));
  for (let i = 1; i < keep.length; i++) assert.ok(keep[i] > keep[i - 1]);
  // The start of the curve keeps detail for log axes (geometric bucket edges).
  assert.ok(keep.filter((i) => i < 100).length >= 10);
});

test('compare: each run\'s own fit is the single-run analysis of its log (same numbers as the pipeline\'s analyze)', async () => {
  const found = await discoverRuns(ws.dir);
  const some = found.runs.filter((r) => r.usable).slice(0, 3);
  const fits = await fitEachRun(some, 'tokens');
  assert.equal(fits.length, 3);
  for (const f of fits) {
    const run = some.find((r) => r.rel === f.rel)!;
    assert.ok(f.fit, f.error);
    assert.equal(f.fit.law, 'run');
    const log = await parseLogFile(run.log);
    const tps = run.tokensSource?.startsWith('steps') ? run.tokens! / run.steps! : 0;
    const direct = analyze(log, { ...RUNS_FIT_DEFAULTS, bootstrap: 0, law: 'run', xKind: 'tokens', series: run.lossSeries, tokensPerStep: tps, params: run.params!.active, useConfigs: false });
    assert.deepEqual(f.fit.params, direct.state.fit!.params);
  }
  const flops = await fitEachRun(some, 'flops');
  assert.ok(flops.every((f) => f.fit && f.fit.xKind === 'flops'));
});

test('an MLflow experiment folder is a set of runs: each run folder listed, its model size from its logged params', async () => {
  const dir = tmp('mlflow');
  const exp = path.join(dir, 'mlruns', '1');
  fs.mkdirSync(exp, { recursive: true });
  fs.writeFileSync(path.join(exp, 'meta.yaml'), 'experiment_id: "1"\nname: sweep\n');
  const shapes = [[2, 128], [4, 256]];
  for (const [L, d] of shapes) {
    const run = path.join(exp, `run${L}`);
    fs.mkdirSync(path.join(run, 'metrics'), { recursive: true });
    fs.mkdirSync(path.join(run, 'params'));
    fs.mkdirSync(path.join(run, 'tags'));
    fs.writeFileSync(path.join(run, 'meta.yaml'), `run_id: run${L}\nexperiment_id: "1"\nstatus: 3\n`);
    fs.writeFileSync(path.join(run, 'tags', 'mlflow.runName'), `gpt-L${L}`);
    const params: Record<string, string> = { n_layer: String(L), n_head: '2', n_embd: String(d), vocab_size: '1000', block_size: '64', batch_size: '8' };
    for (const [k, v] of Object.entries(params)) fs.writeFileSync(path.join(run, 'params', k), v);
    const lines: string[] = [];
    for (let s = 10; s <= 500; s += 10) lines.push(`${1700000000000 + s} ${(3 + 100 / s).toFixed(4)} ${s}`);
    fs.writeFileSync(path.join(run, 'metrics', 'train_loss'), lines.join('\n') + '\n');
  }
  const found = await discoverRuns(dir);
  assert.deepEqual(found.runs.map((r) => r.rel), ['mlruns/1/run2', 'mlruns/1/run4'], found.problems.join('; '));
  for (const r of found.runs) {
    assert.equal(r.layout, 'mlflow');
    assert.equal(r.usable, true, r.problems.join('; '));
    assert.equal(r.steps, 500);
    assert.equal(r.tokens, 500 * 8 * 64);
    const L = Number(r.rel.slice(-1));
    const cfg = analyzeConfig(JSON.stringify({ n_layer: L, n_head: 2, n_embd: L === 2 ? 128 : 256, vocab_size: 1000, block_size: 64, batch_size: 8 }), 'params.json');
    assert.equal(r.params?.total, cfg?.params?.total);
  }
});

test('one pipeline: the worker\'s runs requests give the CLI\'s runs and fit', async () => {
  const replies: unknown[] = [];
  const send = (m: { type: string; value?: unknown }) => { if (m.type === 'reply') replies.push(m.value); else if (m.type === 'error') replies.push(m); };
  await handleRuns({ type: 'runs.discover', id: 1, root: ws.dir, tokensPerStep: 0 }, send);
  const found = replies[0] as Awaited<ReturnType<typeof discoverRuns>>;
  assert.equal(found.runs.length, ws.truth.runs.length);
  await handleRuns({ type: 'runs.fit', id: 2, runs: found.runs, options: { bootstrap: 0, budget: 1e21 } }, send);
  const fit = replies[1] as ReturnType<typeof fitRuns>;
  const cli = JSON.parse((await cli2([ws.dir, '--json', '--bootstrap', '0', '--budget', '1e21'])).out);
  assert.deepEqual(fit.state.fit!.params, cli.fit.params);
  assert.deepEqual(fit.state.fit!.allocation, cli.fit.allocation);
  assert.deepEqual(found.runs.map((r) => r.params ?? null), cli.runs.map((r: { params: unknown }) => r.params));
});

async function cli2(args: string[]): Promise<{ out: string }> {
  let out = '';
  await runSweep(args, { out: (s) => { out += s; }, err: () => undefined });
  return { out };
}

test('one pipeline: every run\'s model size and tokens per step in the Runs view are what Fit on its log reads from the configs', async () => {
  const dir = tmp('samecfg');
  fs.cpSync(ws.dir, path.join(dir, 'ws'), { recursive: true });
  // HF: N from config.json, tokens per step from training_args.json beside it (no num_input_tokens_seen).
  const hf = path.join(dir, 'hf-args');
  fs.mkdirSync(hf, { recursive: true });
  fs.copyFileSync(path.join(ws.dir, 'hf', 'llama-8m', 'config.json'), path.join(hf, 'config.json'));
  fs.writeFileSync(path.join(hf, 'trainer_state.json'), trainerStateText(300));
  fs.writeFileSync(path.join(hf, 'training_args.json'), JSON.stringify({ output_dir: 'out', per_device_train_batch_size: 8, gradient_accumulation_steps: 4, max_seq_length: 512, max_steps: 300 }));
  // Two configs of different model sizes in one run folder: which is this run's cannot be told.
  const two = path.join(dir, 'two-configs');
  fs.mkdirSync(two, { recursive: true });
  fs.copyFileSync(path.join(ws.dir, 'hf', 'llama-8m', 'config.json'), path.join(two, 'config.json'));
  fs.writeFileSync(path.join(two, 'hparams.yaml'), 'n_layer: 12\nn_head: 12\nn_embd: 768\nvocab_size: 50257\nblock_size: 1024\nbatch_size: 8\n');
  fs.writeFileSync(path.join(two, 'trainer_state.json'), trainerStateText(300, 4096));
  // A text log with no config that printed its model size and batch (the real nanochat d20 log).
  const nc = path.join(dir, 'nanochat-d20');
  fs.mkdirSync(nc, { recursive: true });
  fs.writeFileSync(path.join(nc, 'base_train.log'), zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'nanochat-d20-base-train.log.gz'))));
  const found = await discoverRuns(dir);
  assert.ok(found.runs.length >= 11, `${found.runs.length} runs`);
  const cut = (s: string | undefined, re: RegExp) => { const m = re.exec(s ?? ''); return m ? Number(m[1].replace(/,/g, '')) : undefined; };
  for (const r of found.runs) {
    const a = await analyzeFile(r.log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
    const note = a.state.configNote;
    assert.equal(cut(note, /^N [=≈] ([\d,]+) parameters/), r.params?.active, `${r.rel}: Fit says "${note}", the Runs view N = ${r.params?.active}`);
    const viewTps = cut(r.tokensSource, /× ([\d,]+) tokens per step \((?!setting)/);
    if (viewTps !== undefined) assert.equal(cut(note, /[,;] ([\d,]+) tokens per step/), viewTps, `${r.rel}: Fit says "${note}", the Runs view "${r.tokensSource}"`);
  }
  const n = found.runs.find((r) => r.rel === 'nanochat-d20')!;
  assert.deepEqual([n.params?.active, n.tokens, n.usable], [560_988_160, 21399 * 524_288, true], n.problems.join('; '));
  const h = found.runs.find((r) => r.rel === 'hf-args')!;
  assert.equal(h.tokens, 300 * 8 * 4 * 512, h.problems.join('; '));
  const t = found.runs.find((r) => r.rel === 'two-configs')!;
  assert.equal(t.params, undefined);
  assert.ok(t.problems.some((p) => /config\.json \(N = [\d,]+\) and hparams\.yaml \(N = [\d,]+\) beside the log disagree/.test(p)), t.problems.join('; '));
});

// Live refit of a growing log (issue 16 item 1): the fit of the grown log starts from the previous
// optimum and gives the cold fit's answer (to the bit), with fewer objective evaluations; the
// worker does it by itself when the file only grew, and not after a rewrite. Also: the analysis
// steps that run over every row on each refit stay linear (a 200,000-step LR column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fitRunCurve } from '../../src/core/fit';
import { mulberry32, normal } from '../../src/core/fit/rng';
import { scheduleFromLog } from '../../src/core/fit/schedule';
import { analyze, analyzeFile } from '../../src/core/pipeline';
import { parseLogText } from '../../src/core/logs';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { CHART_BUCKETS, MAX_POINTS } from '../../src/core/analyze';
import { handleAnalyze } from '../../src/extension/worker';
import { paramsFor, type FitReport } from '../../src/core/fit/types';
import type { FromWorker } from '../../src/extension/workerProtocol';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-refit-');

function close(got: number, want: number, rel: number, what: string): void {
  assert.ok(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-12), `${what}: got ${got}, want ${want} (± ${rel})`);
}

/** The whole report but the work counts: warm equal to cold to the last bit (minimize1d's `near`). */
function sameFit(warm: FitReport, cold: FitReport): void {
  const { work: ww, ...w } = warm;
  const { work: cw, ...c } = cold;
  void ww; void cw;
  assert.deepEqual(w, c);
}

/** A noisy power-law run: L = 1.9 + 60 x^−0.25, x = tokens. */
function powerRun(n: number, seed: number): { x: number[]; y: number[] } {
  const rng = mulberry32(seed);
  const x: number[] = [], y: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t = i * 262144;
    x.push(t);
    y.push((1.9 + 60 * Math.pow(t, -0.25)) * (1 + 0.004 * normal(rng)));
  }
  return { x, y };
}

test('power-law run: the refit of the grown curve from the previous optimum is the cold fit, with fewer evaluations', () => {
  const { x, y } = powerRun(6000, 3);
  const before = fitRunCurve(x.slice(0, 5400), y.slice(0, 5400), { bootstrap: 40, seed: 1 });
  const cold = fitRunCurve(x, y, { bootstrap: 40, seed: 1 });
  const warm = fitRunCurve(x, y, { bootstrap: 40, seed: 1, warm: before.candidates });
  sameFit(warm, cold);
  assert.equal(cold.work?.warmStarted, 0);
  assert.equal(warm.work?.warmStarted, 1);
  assert.ok(warm.work!.evaluations < cold.work!.evaluations, `${warm.work!.evaluations} < ${cold.work!.evaluations}`);
  // Without the bootstrap (the fits alone) the saving is most of the search.
  const coldFits = fitRunCurve(x, y, { bootstrap: 0 }).work!.evaluations;
  const warmFits = fitRunCurve(x, y, { bootstrap: 0, warm: before.candidates }).work!.evaluations;
  assert.ok(warmFits < 0.7 * coldFits, `fits alone: ${warmFits} vs ${coldFits} evaluations`);
});

test('a previous optimum far from the new one still gives the cold answer (the search is not trapped)', () => {
  const { x, y } = powerRun(3000, 5);
  const cold = fitRunCurve(x, y, { bootstrap: 0 });
  // β twice as large as the truth, E and B off too: the bracket around it still holds the optimum.
  const warm = fitRunCurve(x, y, { bootstrap: 0, warm: [{ law: 'power', params: { E: 1, B: 300, beta: 0.5 } }] });
  sameFit(warm, cold);
  // A previous fit with non-finite parameters is ignored: a cold fit.
  const junk = fitRunCurve(x, y, { bootstrap: 0, warm: [{ law: 'power', params: { E: NaN, B: 1, beta: 0.3 } }] });
  assert.equal(junk.work?.warmStarted, 0);
  sameFit(junk, cold);
});

/** A run with a cosine LR schedule (logged LR column), steps from..to-1. */
function scheduledRows(from: number, to: number, T = 8000): string {
  const rng = mulberry32(from);
  let s = '';
  for (let k = from; k < to; k++) {
    const lr = 3e-4 * (k < 500 ? k / 500 : 0.1 + 0.45 * (1 + Math.cos((Math.PI * (k - 500)) / (T - 500))));
    const loss = 1.8 + 30 / Math.pow(k, 0.3) - 0.1 * (1 - lr / 3e-4) + 0.01 * normal(rng);
    s += `${k},${k * 524288},${loss.toFixed(5)},${lr.toExponential(4)}\n`;
  }
  return s;
}

test('scheduled run through the pipeline: the warm-started refit is the cold one; multi-power stays cold', () => {
  const options = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 10 };
  const head = 'step,tokens,train/loss,lr\n';
  const before = <FitReport>analyze(parseLogText(head + scheduledRows(1, 3000), 'run.csv'), options).state.fit!;
  const grown = parseLogText(head + scheduledRows(1, 3000) + scheduledRows(3000, 3200), 'run.csv');
  const cold = <FitReport>analyze(grown, options).state.fit!;
  const warm = <FitReport>analyze(grown, options, { warm: before }).state.fit!;
  assert.ok((cold.candidates ?? []).some((c) => c.law === 'lr-annealing'), 'the LR-annealing law was tried');
  sameFit(warm, cold);
  const laws = (cold.candidates ?? []).map((c) => c.law);
  assert.equal(warm.work?.warmStarted, laws.filter((l) => l !== 'multi-power').length);
  assert.ok(warm.work!.evaluations < cold.work!.evaluations, `${warm.work!.evaluations} < ${cold.work!.evaluations}`);
});

test('worker: a log that only grew is refitted from the previous optimum (same answer as a cold analysis); a rewritten one cold', async () => {
  const file = path.join(tmp, 'metrics.csv');
  const head = 'step,tokens,train/loss,lr\n';
  fs.writeFileSync(file, head + scheduledRows(1, 2500));
  const options = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 10 };
  let id = 0;
  const ask = async (opts = options): Promise<FitReport> => {
    const got: FromWorker[] = [];
    await handleAnalyze({ type: 'analyze', id: ++id, file, options: opts, roleOverrides: {}, cancelFlag: new SharedArrayBuffer(4) }, (m) => got.push(m));
    const r = got.find((m) => m.type === 'result');
    assert.ok(r && r.type === 'result' && r.state.fit, JSON.stringify(got.find((m) => m.type === 'error')));
    return r.state.fit as FitReport;
  };
  assert.equal((await ask()).work?.warmStarted, 0, 'first fit: cold');
  fs.appendFileSync(file, scheduledRows(2500, 2700));
  const warm = await ask();
  assert.ok(warm.work!.warmStarted >= 1, 'after an append: warm');
  sameFit(warm, (await analyzeFile(file, options)).state.fit as FitReport);
  // Other options: the previous optimum is not for this fit.
  assert.equal((await ask({ ...options, warmupPercent: 20 })).work?.warmStarted, 0, 'options changed: cold');
  // Rewritten from the start (another run in the same file): cold.
  fs.writeFileSync(file, head + scheduledRows(1, 2000).replace(/,1\.8/g, ',1.9'));
  assert.equal((await ask()).work?.warmStarted, 0, 'rewritten: cold');
});

test('a 200,000-step LR column: the schedule is read (no spread of a huge array), decay shape recognised', () => {
  const n = 200000, T = 250000;
  const steps = new Float64Array(n), lrs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = i + 1;
    steps[i] = k;
    lrs[i] = 3e-4 * (k < 2000 ? k / 2000 : 0.5 * (1 + Math.cos((Math.PI * (k - 2000)) / (T - 2000))));
  }
  const s = scheduleFromLog(steps, lrs);
  assert.ok(s, 'a schedule');
  assert.equal(s.kind, 'cosine');
  assert.ok(s.warmup > 1900 && s.warmup <= 2000, `warm-up ${s.warmup}`);
  close(s.total, T, 0.01, 'cosine end recognised from the logged part');
  // Steps past the per-step limit: no schedule, said without building anything first.
  steps[n - 1] = 5e6;
  assert.equal(scheduleFromLog(steps, lrs), undefined);
});

test('a run longer than the chart limit is fitted on points spread over the whole run (its newest rows count)', () => {
  const n = MAX_POINTS + 600_001;
  const small = parseLogText('step,tokens,train/loss\n1,1024,3.5\n2,2048,3.4\n3,3072,3.3\n', 'long.csv');
  const step = new Float64Array(n), tokens = new Float64Array(n), loss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    step[i] = i + 1; tokens[i] = (i + 1) * 1024;
    // The last quarter of the run falls to a lower floor: a fit on the first MAX_POINTS alone misses it.
    loss[i] = (i < 0.75 * n ? 2.0 : 1.7) + 40 * Math.pow(tokens[i], -0.3);
  }
  const log = { ...small, rows: n, data: { step, tokens, 'train/loss': loss }, lines: Uint32Array.from({ length: n }, (_, i) => i + 2) };
  const state = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 }).state;
  const fit = <FitReport>state.fit!;
  assert.ok(state.observed!.x.length <= 2 * CHART_BUCKETS + 2, `${state.observed!.x.length} points drawn`);
  assert.equal(state.observed!.x[state.observed!.x.length - 1], tokens[n - 1], 'the last point is drawn');
  assert.ok(fit.messages.some((m) => /every 2th fitted/.test(m)), fit.messages.join(' | '));
  // The floor the run reached at its end is in the fit: E at or below the late floor, not the early one.
  const { E } = paramsFor(fit, 'power')!;
  assert.ok(E < 1.85, `E = ${E}`);
});

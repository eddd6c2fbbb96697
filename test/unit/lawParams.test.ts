// Typed parameters per law: every report carries exactly the parameter keys its law declares
// (LAW_INFO / RUN_LAW_INFO), in the declared order, and its intervals only for those keys. The
// compiler checks the code that reads a key; this checks that the fitters write what they declare,
// so a fitter that renames or adds a key (the old `alpha_N` vs `alphaN`) fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chinchillaLoss, fitChinchilla, fitIsoflop, fitKaplan, fitRunCurve, kaplanLoss, REPLICATION_LAW } from '../../src/core/fit';
import { mulberry32, normal } from '../../src/core/fit/rng';
import { annealingAreas, lrAnnealingLoss } from '../../src/core/fit/lrlaw';
import { plannedSchedule } from '../../src/core/fit/schedule';
import {
  intervalOf, intervalText, LAW_INFO, outsideNote, paramValue, LAW_NAMES, paramKeys, paramLabel, paramRows, RUN_LAW_INFO, RUN_LAW_NAMES, type FitReport, type LawFit,
} from '../../src/core/fit/types';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { toMarkdown } from '../../src/core/summary';

const ROOT = join(__dirname, '..', '..', '..');

/** The report's keys are its law's declared list (Kaplan's L(C) pair only when it was fitted), in order. */
function assertDeclared(r: LawFit & { messages: string[] }, what: string): void {
  const keys = Object.keys(r.params);
  assert.ok(keys.length > 0, `${what}: not fitted: ${r.messages.join('; ')}`);
  const declared = paramKeys(r);
  const want = r.law === 'kaplan' && !('Cc' in r.params) ? declared.filter((k) => k !== 'Cc' && k !== 'alphaC') : declared;
  assert.deepEqual(keys, [...want], `${what}: params`);
  for (const [k, v] of paramRows(r)) assert.ok(Number.isFinite(v), `${what}: ${k} = ${v}`);
  // Intervals: only for declared keys (Chinchilla's also for the allocation exponents a, b).
  const ciAllowed = new Set<string>([...declared, ...(r.law === 'chinchilla' ? ['a', 'b'] : [])]);
  for (const k of Object.keys(r.ci)) assert.ok(ciAllowed.has(k), `${what}: interval for undeclared key ${k}`);
}

function sweepData() {
  const rng = mulberry32(5);
  const N: number[] = [], D: number[] = [], L: number[] = [], C: number[] = [];
  for (const budget of [1e18, 3e18, 1e19, 3e19]) {
    for (let k = 0; k < 7; k++) {
      const n = Math.sqrt(budget / 120) * Math.pow(10, (k - 3) / 3);
      const d = budget / (6 * n);
      N.push(n); D.push(d); C.push(budget);
      L.push(chinchillaLoss(REPLICATION_LAW, n, d) * Math.exp(0.002 * normal(rng)));
    }
  }
  return { N, D, L, C };
}

test('each sweep law\'s report has exactly the keys LAW_INFO declares, in order, with intervals only for them', () => {
  const { N, D, L, C } = sweepData();
  const reports: FitReport[] = [
    fitChinchilla(N, D, L, { bootstrap: 8, seed: 1 }),
    fitIsoflop(N, D, L, { budgets: C, bootstrap: 8 }),
    fitKaplan(N, D, L.map((_, i) => kaplanLoss({ Nc: 8.8e13, Dc: 5.4e13, alphaN: 0.076, alphaD: 0.095 }, N[i], D[i])), { bootstrap: 8 }),
  ];
  assert.deepEqual(reports.map((r) => r.law), ['chinchilla', 'isoflop', 'kaplan']);
  for (const r of reports) {
    assertDeclared(r, r.law);
    assert.ok(Object.keys(r.ci).length > 0, `${r.law}: the bootstrap gave no interval`);
  }
  // Kaplan's frontier law L(C) was fitted on this sweep: both of its keys are there.
  assert.ok('Cc' in reports[2].params && 'alphaC' in reports[2].params);
});

test('each single-run law\'s report (and every candidate) has exactly the keys RUN_LAW_INFO declares', () => {
  const plan = { totalSteps: 8000, warmupSteps: 200, decay: 'cosine' as const, minRatio: 0.1, source: 'synthetic cosine' };
  const sched = plannedSchedule(plan);
  const areas = annealingAreas(sched);
  const rng = mulberry32(3);
  const steps: number[] = [], loss: number[] = [];
  for (let s = 20; s <= plan.totalSteps; s += 20) {
    steps.push(s);
    loss.push(lrAnnealingLoss({ L0: 2.4, A: 8, alpha: 0.45, C: 3e-4, lambda: 0.999 }, areas.S1[s], areas.S2[s]) * (1 + 0.002 * normal(rng)));
  }
  const seen = new Set<string>();
  for (const runLaw of RUN_LAW_NAMES) {
    // Two planned passes (the passes law needs a run over repeated data that entered its second pass).
    const r = fitRunCurve(steps, loss, {
      xKind: 'step', steps, schedule: sched, runLaw, bootstrap: 4, seed: 1,
      epochs: { count: 2, source: 'a test' }, plannedEnd: { steps: plan.totalSteps, source: 'a test' },
    });
    assert.equal(r.law, 'run');
    assert.equal(r.runLaw, runLaw);
    assertDeclared(r, runLaw);
    // One interval per fitted parameter (the passes law's steps per pass is given by the run's plan, not fitted).
    assert.deepEqual(Object.keys(r.ci), Object.keys(r.params).filter((k) => !(runLaw === 'passes' && k === 'stepsPerPass')), `${runLaw}: one interval per parameter`);
    for (const c of r.candidates ?? []) assert.deepEqual(Object.keys(c.params), [...RUN_LAW_INFO[c.law].params], `candidate ${c.law}`);
    seen.add(r.runLaw!);
  }
  assert.equal(seen.size, RUN_LAW_NAMES.length);
});

test('the reports of real files through the pipeline carry their law\'s declared keys (sample sweep, groups, a run)', async () => {
  const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };
  const sweep = await analyzeFile(join(ROOT, 'samples', 'sweeps', 'chinchilla_sweep.csv'), opts);
  assert.ok(sweep.state.fit, sweep.state.fitError);
  assertDeclared(sweep.state.fit, 'chinchilla_sweep.csv');
  const kaplan = await analyzeFile(join(ROOT, 'samples', 'sweeps', 'chinchilla_sweep.csv'), { ...opts, law: 'kaplan' });
  assert.ok(kaplan.state.fit, kaplan.state.fitError);
  assertDeclared(kaplan.state.fit, 'chinchilla_sweep.csv (kaplan)');
  const groups = await analyzeFile(join(ROOT, 'test', 'fixtures', 'isoflops_open_athena.csv'), { ...opts, law: 'isoflop' });
  const fitted = (groups.state.groups ?? []).filter((g) => g.fit);
  assert.ok(fitted.length >= 5, `${fitted.length} isoFLOP groups fitted`);
  for (const g of fitted) assertDeclared(g.fit!, `isoflop group ${g.name}`);
  const run = await analyzeFile(join(ROOT, 'test', 'fixtures', 'lightning_metrics.csv'), opts);
  assert.ok(run.state.fit, run.state.fitError);
  assertDeclared(run.state.fit, 'lightning_metrics.csv');
});

test('every display label names a declared parameter (a label for a misspelt key would never show)', () => {
  for (const law of LAW_NAMES) {
    const declared = new Set<string>(LAW_INFO[law].params);
    for (const k of Object.keys(LAW_INFO[law].labels)) assert.ok(declared.has(k), `${law}: label for ${k}`);
  }
  for (const runLaw of RUN_LAW_NAMES) {
    const declared = new Set<string>(RUN_LAW_INFO[runLaw].params);
    for (const k of Object.keys(RUN_LAW_INFO[runLaw].labels)) assert.ok(declared.has(k), `${runLaw}: label for ${k}`);
  }
  assert.equal(paramLabel({ law: 'kaplan' }, 'alphaN'), 'α_N');
  assert.equal(paramLabel({ law: 'run', runLaw: 'multi-power' }, 'gamma'), 'γ');
  assert.equal(paramLabel({ law: 'chinchilla' }, 'toString'), 'toString');
});

test('an interval printed equal at both ends is said to be pinned, not printed as "x – x"; a real one keeps its ends', () => {
  const three = (v: number): string => v.toPrecision(3);
  assert.equal(intervalText([0.0010000001, 0.001], three), 'pinned at 0.00100 (no spread across the resamples)');
  assert.equal(intervalText([0, 0], three), 'pinned at 0.00 (no spread across the resamples)');
  assert.equal(intervalText([1.5, 2.25], three), '1.50 – 2.25');
  assert.equal(intervalText([1.5, 2.25], three, ', '), '1.50, 2.25');
  assert.equal(intervalText(undefined, three), undefined);
});

test('a bootstrap interval that leaves out the fitted value says so (a floor fitted at 0 whose resamples all move off it)', async () => {
  const three = (v: number): string => v.toPrecision(3);
  assert.match(outsideNote([0.02, 0.63], 0, three), /the fitted 0\.00 lies outside it: .* poorly determined/);
  assert.match(outsideNote([0.02, 0.63], 0.7, three), /the fitted 0\.700 lies outside it/);
  assert.equal(outsideNote([0.02, 0.63], 0.3, three), '');
  assert.equal(outsideNote([0.02, 0.63], 0.0200001, three), '', 'equal as printed is inside');
  assert.equal(outsideNote(undefined, 0, three), '');
  assert.equal(outsideNote([0.02, 0.63], undefined, three), '');
  // The real case: DeepSpeed-Chat's perplexity curve (15 evaluations) under the multi-power law, its L0 at its bound 0.
  const a = await analyzeFile(join(ROOT, 'test', 'fixtures', 'deepspeed-chat-opt-1.3b-sft.log.gz'), { ...DEFAULT_ANALYZE_OPTIONS, series: 'val_loss', runLaw: 'multi-power', bootstrap: 100 });
  const f = a.state.fit!;
  const ci = intervalOf(f, 'L0')!;
  const l0 = paramValue(f, 'L0')!;
  assert.ok(l0 < ci[0] || l0 > ci[1], `L0 ${l0} inside [${ci}]: the case this note is for is gone`);
  assert.match(toMarkdown(a.state), /\| L0 \| .* \| .* lies outside it/);
});

// Real consoles of Caffe (glog) and of a TensorFlow 1 Estimator (test/fixtures/SOURCES.md). Caffe's
// was read with a column "solver.cpp" (its glog prefix's file:line taken for a metric), no held-out
// loss, no LR and no planned end; the Estimator's was refused. Every expected value below comes from
// the files' own text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { detectFormat, parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES, rolesOf } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-caffe-');
/** The text up to (not with) the line holding `mark`, written to a file of its own: a run cut short. */
const cut = (text: string, mark: string, name: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text.slice(0, text.lastIndexOf('\n', text.indexOf(mark)) + 1));
  return file;
};
const fixture = (name: string) => {
  const file = path.join(FIXTURES, `${name}.gz`);
  return { file, text: zlib.gunzipSync(fs.readFileSync(file)).toString('utf8') };
};
const steps = (log: ParsedLog) => Array.from(log.data.step);
/** The value of `col` on the row of step `s`. */
const at = (log: ParsedLog, col: string, s: number) => log.data[col][steps(log).indexOf(s)];
/** Finite values of a column. */
const finite = (log: ParsedLog, col: string) => Array.from(log.data[col] ?? []).filter(Number.isFinite).length;
/** The 1-based line of the last match of `re` in `text`. */
const lineOf = (text: string, re: RegExp) => { const ls = text.split('\n'); for (let i = ls.length - 1; i >= 0; i--) if (re.test(ls[i])) return i + 1; return -1; };
type Fit = { prediction?: { step?: number }; series?: string; options?: { series?: string } };
const fit = async (file: string, extra: Record<string, unknown> = {}) => fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, ...extra })).state) as unknown as Fit;

test('Caffe (real, a regression net): a row per "Iteration N, loss", its LR, the test phase\'s loss at its iteration, max_iter the planned end, no "solver.cpp" column', async () => {
  const { file, text } = fixture('caffe-regression-solver.log');
  assert.equal(detectFormat('caffe.log', text.slice(0, 256 * 1024)), 'text');
  const log = await parseLogFile(file);
  const losses = [...text.matchAll(/\] Iteration (\d+), loss = (\S+)\n/g)];
  const lrs = [...text.matchAll(/\] Iteration (\d+), lr = (\S+)\n/g)];
  const tests = [...text.matchAll(/\] Iteration (\d+), Testing net \(#0\)\n[^\n]*\] +Test net output #0: loss = \S+ \(\* 1 = (\S+) loss\)\n/g)];
  assert.equal(losses.length, 201);
  assert.equal(lrs.length, 200);
  assert.equal(tests.length, 41);
  assert.deepEqual(log.columns.map((c) => c.name), ['step', 'eval_loss', 'loss', 'lr']);
  assert.deepEqual(rolesOf(log, ['loss', 'eval_loss', 'lr', 'solver.cpp']), { loss: 'loss', eval_loss: 'eval_loss', lr: 'lr', 'solver.cpp': undefined });
  assert.equal(log.rows, 201);
  assert.equal(finite(log, 'loss'), losses.length);
  assert.equal(finite(log, 'lr'), lrs.length);
  assert.equal(finite(log, 'eval_loss'), tests.length);
  for (const m of [losses[0], losses[1], losses[100], losses[200]]) assert.equal(at(log, 'loss', Number(m[1])), Number(m[2]));
  for (const m of [lrs[0], lrs[199]]) assert.equal(at(log, 'lr', Number(m[1])), Number(m[2]));
  // The test at iteration N is held out at N (before that iteration's training line, on its row).
  for (const m of [tests[0], tests[1], tests[40]]) assert.equal(at(log, 'eval_loss', Number(m[1])), Number(m[2]));
  assert.equal(at(log, 'eval_loss', 0), 2.65418);
  assert.equal(at(log, 'eval_loss', 500), 0.0346191);
  assert.equal(at(log, 'loss', 500), 0.0321405);
  assert.deepEqual(log.run?.plannedSteps, { steps: 20000, source: `Caffe's solver parameters, "max_iter: 20000" (line ${lineOf(text, /^max_iter: 20000$/)})` });
  assert.equal(lineOf(text, /^max_iter: 20000$/), 11);
  // The fit opens on the training loss and predicts at max_iter; from a log cut at iteration 10000
  // too (not at 10× its last step).
  const whole = await fit(file);
  assert.equal(whole.prediction?.step, 20000);
  assert.equal(whole.options?.series ?? whole.series, 'loss');
  const half = await fit(cut(text, '] Iteration 10000, loss', 'caffe-half.log'));
  assert.equal(half.prediction?.step, 20000);
  assert.equal(half.options?.series ?? half.series, 'loss');
});

test('Caffe (real, GoogLeNet resumed from its solverstate): the total loss, not a head named "loss"; both launches\' iterations; the last solver block\'s max_iter', async () => {
  const { file, text } = fixture('caffe-googlenet-resume.log');
  const log = await parseLogFile(file);
  const losses = [...text.matchAll(/\] Iteration (\d+), loss = (\S+)\n/g)];
  const lrs = [...text.matchAll(/\] Iteration (\d+), lr = (\S+)\n/g)];
  assert.equal(losses.length, 481);
  assert.equal(lrs.length, 480);
  assert.match(text, /Resuming from \S+snapshot_iter_10\.solverstate/);
  // The heads' `Train net output` lines are not columns; nothing from the glog prefix is.
  assert.deepEqual(log.columns.map((c) => c.name), ['step', 'loss', 'lr']);
  assert.equal(log.rows, 481);
  assert.equal(finite(log, 'loss'), 481);
  assert.equal(finite(log, 'lr'), 480);
  // Iteration 2: the total 9.3 (= 4.5939 + 4.2799 + 0.426202, the weighted heads), not the head "loss = 4.5939".
  assert.match(text, /Iteration 2, loss = 9\.3\n/);
  assert.equal(at(log, 'loss', 2), 9.3);
  assert.equal(at(log, 'lr', 2), 0.00998958);
  // The first launch ran iterations 0–8, the resumed one 10–960: one run, in order.
  const s = steps(log);
  assert.deepEqual(s.slice(0, 6), [0, 2, 4, 6, 8, 10]);
  assert.equal(s[s.length - 1], 960);
  assert.ok(s.every((v, i) => i === 0 || v > s[i - 1]));
  for (const m of [losses[5], losses[480]]) assert.equal(at(log, 'loss', Number(m[1])), Number(m[2]));
  assert.equal(at(log, 'lr', Number(lrs[479][1])), Number(lrs[479][2]));
  // Two solver blocks (each launch prints it): the last one's line.
  assert.equal([...text.matchAll(/^max_iter: 960$/gm)].length, 2);
  assert.deepEqual(log.run?.plannedSteps, { steps: 960, source: `Caffe's solver parameters, "max_iter: 960" (line ${lineOf(text, /^max_iter: 960$/)})` });
  assert.equal(lineOf(text, /^max_iter: 960$/), 5048);
  const j = await fit(cut(text, '] Iteration 480, loss', 'googlenet-half.log'));
  assert.equal(j.prediction?.step, 960);
  assert.equal(j.options?.series ?? j.series, 'loss');
});

test('Caffe: a test net of several weighted losses is their weighted sum; accuracies kept, an unweighted "loss…" output not; Caffe 1.0\'s speed in the iteration line', () => {
  const g = (t: string, msg: string) => `I0603 04:24:${t} 822 solver.cpp:332] ${msg}`;
  const text = [
    g('33.434690  ', 'Initializing solver from parameters: '),
    'base_lr: 0.01', 'max_iter: 1000', 'lr_policy: "step"',
    g('33.434700  ', 'Creating training net from net file: train_val.prototxt'),
    g('38.100000  ', 'Iteration 0, Testing net (#0)'),
    g('38.200000  ', '    Test net output #0: loss1/loss1 = 6.9 (* 0.3 = 2.07 loss)'),
    g('38.200001  ', '    Test net output #1: loss1/top-1 = 0.001'),
    g('38.200002  ', '    Test net output #2: loss3/loss3 = 6.91 (* 1 = 6.91 loss)'),
    g('38.200003  ', '    Test net output #3: accuracy = 0.0015'),
    g('38.500432  ', 'Iteration 0 (0 iter/s, 0.4s/20 iters), loss = 9.1'),
    g('38.500485  ', '    Train net output #0: loss1/loss1 = 7 (* 0.3 = 2.1 loss)'),
    g('38.500499  ', 'Iteration 0, lr = 0.01'),
    g('46.222429  ', 'Iteration 20 (2.5 iter/s, 8s/20 iters), loss = 8.5'),
    g('46.222519  ', 'Iteration 20, lr = 0.01'),
    '',
  ].join('\n');
  const log = parseLogText(text, 'caffe.log');
  assert.deepEqual(log.columns.map((c) => c.name), ['step', 'eval_loss', 'eval_accuracy', 'loss', 'lr']);
  assert.ok(Math.abs(at(log, 'eval_loss', 0) - (2.07 + 6.91)) < 1e-12);
  // (A column of no role the fit uses: named, its values not kept.)
  assert.equal(rolesOf(log, ['eval_accuracy']).eval_accuracy, 'other');
  assert.equal(at(log, 'loss', 0), 9.1);
  assert.equal(at(log, 'loss', 20), 8.5);
  assert.equal(at(log, 'lr', 20), 0.01);
  assert.equal(log.run?.plannedSteps?.steps, 1000);
  assert.equal(log.problems.filter((p) => /several loss outputs/.test(p.message)).length, 1);
  assert.match(log.problems.find((p) => /several loss outputs/.test(p.message))!.message, /\(line 9\)/);
});

test('TensorFlow 1 Estimator (real, BERT fine-tuning): "loss = X, step = N" rows, the evaluation dict held out at its global step, "Num steps" the planned end', async () => {
  const { file, text } = fixture('tf-estimator-bert-train.log');
  assert.equal(detectFormat('train.log', text.slice(0, 256 * 1024)), 'text');
  const log = await parseLogFile(file);
  const train = [...text.matchAll(/^INFO:tensorflow:loss = (\S+), step = (\d+)/gm)];
  assert.equal(train.length, 55);
  assert.ok([...text.matchAll(/global_step\/sec: /g)].length >= 50);
  assert.deepEqual(rolesOf(log, ['loss', 'eval_loss', 'eval_estimator_loss', 'global_step/sec', 'global_step']), {
    loss: 'loss', eval_loss: 'eval_loss', eval_estimator_loss: 'eval_loss', 'global_step/sec': undefined, global_step: undefined,
  });
  assert.equal(finite(log, 'loss'), 55);
  for (const m of [train[0], train[1], train[54]]) assert.equal(at(log, 'loss', Number(m[2])), Number(m[1]));
  assert.equal(at(log, 'loss', 100), 0.5186956);
  // The evaluation at global step 5468: its own eval_loss, and the Estimator's "loss" (the evaluation's too), not training loss.
  const ev = /Saving dict for global step (\d+): eval_accuracy = (\S+), eval_auc = \S+, eval_loss = (\S+), global_step = \d+, loss = (\S+)\n/.exec(text)!;
  assert.equal(ev[1], '5468');
  assert.equal(finite(log, 'eval_loss'), 1);
  assert.equal(at(log, 'eval_loss', 5468), Number(ev[3]));
  assert.equal(at(log, 'eval_estimator_loss', 5468), Number(ev[4]));
  assert.ok(Number(ev[2]) > 0 && rolesOf(log, ['eval_accuracy']).eval_accuracy === 'other');
  assert.ok(Number.isNaN(at(log, 'loss', 5468)));
  assert.equal(log.rows, 56);
  // The "***** Eval results *****" lines after it repeat the dict: no rows of their own.
  assert.match(text, /INFO:tensorflow:  eval_loss = 0\.7216634\n/);
  assert.deepEqual(log.run?.plannedSteps, { steps: 5468, source: `"Num steps = 5468" under "***** Running training *****" (line ${lineOf(text, /Num steps = 5468$/)})` });
  const j = await fit(file);
  assert.equal(j.prediction?.step, 5468);
  assert.equal(j.options?.series ?? j.series, 'loss');
  assert.equal((await fit(cut(text, 'loss = 0.16846885, step = 2500', 'tf-half.log'))).prediction?.step, 5468);
});

test('TensorFlow Estimator: a dict without eval_loss has its "loss" as the held-out loss; "Num steps" of an evaluation banner is no planned end; absl\'s glog prefix read', () => {
  const text = [
    'INFO:tensorflow:***** Running evaluation *****',
    'INFO:tensorflow:  Num steps = 40',
    'I0218 05:54:48.046169 140001 basic_session_run_hooks.py:262] loss = 2.5, step = 0',
    'INFO:tensorflow:global_step/sec: 3.1',
    'INFO:tensorflow:loss = 1.25, step = 100 (32.2 sec)',
    'INFO:tensorflow:Saving dict for global step 101: accuracy = 0.5, average_loss = 1.1, global_step = 101, loss = 140.8',
    '',
  ].join('\n');
  const log = parseLogText(text, 'train.log');
  assert.deepEqual(log.columns.map((c) => c.name), ['step', 'loss', 'eval_loss', 'eval_accuracy', 'eval_average_loss']);
  assert.equal(at(log, 'loss', 0), 2.5);
  assert.equal(at(log, 'eval_loss', 101), 140.8);
  assert.equal(at(log, 'eval_average_loss', 101), 1.1);
  assert.equal(log.run?.plannedSteps, undefined);
});

test('Caffe and Estimator lines: near-misses thousands of characters long are read in linear time', () => {
  const pre = 'I0821 09:21:15.397500  5405 solver.cpp:222] ';
  const lines = [
    `${pre}Iteration 1${'0'.repeat(20)}, loss = 1`,
    `${pre}Iteration 1 (${'('.repeat(50_000)}, loss = 1`,
    `${pre}    Test net output #0: ${'a'.repeat(50_000)} = 1 (* 1 = 1 loss)`,
    `${pre}    Test net output #0: loss = 1 (* ${'1'.repeat(50_000)}`,
    `INFO:tensorflow:loss = ${'1'.repeat(50_000)}, step = 1`,
    `INFO:tensorflow:Saving dict for global step 1: ${'a = 1, '.repeat(20_000)}`,
    `I0821 09:21:15.${'3'.repeat(50_000)}`,
    `${pre}Iteration 1, loss = 1`,
  ];
  const t0 = Date.now();
  const log = parseLogText(lines.join('\n') + '\n', 'caffe.log');
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(at(log, 'loss', 1), 1);
});

test('Caffe\'s printed solver plans the LR (sgd_solver.cpp\'s policies): a real GoogLeNet console\'s poly to max_iter matches every logged lr; a fixed policy is a known constant future', async () => {
  const { caffeSolverSchedule } = await import('../../src/core/fit/caffe');
  const { plannedLr } = await import('../../src/core/fit/schedule');
  const goog = fixture('caffe-googlenet-resume.log');
  // The last solver printed (the run resumed at iteration 10 prints it again), as the file says it.
  const block = goog.text.slice(goog.text.lastIndexOf('Initializing solver from parameters'));
  const maxIter = Number(/^max_iter: (\d+)$/m.exec(block)![1]);
  const power = Number(/^power: ([\d.]+)$/m.exec(block)![1]);
  const baseLr = Number(/^base_lr: ([\d.]+)$/m.exec(block)![1]);
  assert.match(block, /^lr_policy: "poly"$/m);
  const plan = caffeSolverSchedule(goog.text, 'train.log');
  assert.ok(plan);
  assert.equal(plan.totalSteps, maxIter);
  assert.equal(plan.decay, 'poly');
  // Every `Iteration N, lr = X` line of the launch read, against the plan × base_lr (printed to 6 digits).
  const logged = [...goog.text.slice(goog.text.lastIndexOf('Initializing solver from parameters')).matchAll(/Iteration (\d+), lr = ([\d.e-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.ok(logged.length > 100, `${logged.length}`);
  for (const [it, lr] of logged) {
    assert.ok(Math.abs(baseLr * plannedLr(plan, it) - lr) <= 1e-6 + 1e-5 * lr, `iteration ${it}: ${baseLr * plannedLr(plan, it)} planned, ${lr} logged`);
    assert.ok(Math.abs(plannedLr(plan, it) - Math.pow(1 - it / maxIter, power)) < 1e-12);
  }
  // Fitted from half-way, the future LR is the plan's, not a line guessed from the column.
  type J = { schedule: { source: string; futureKnown: boolean; total: number }; trust: { reasons: string[] } };
  const dir = fs.mkdtempSync(path.join(tmp, 'goog-'));
  fs.writeFileSync(path.join(dir, 'train.log'), goog.text);
  const half = fitToJson((await analyzeFile(path.join(dir, 'train.log'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as J;
  assert.match(half.schedule.source, /then as planned \(train\.log: Caffe's solver \(lr_policy "poly, power 0\.5", max_iter 960\)\)/);
  assert.ok(half.schedule.futureKnown);
  // A fixed policy (the regression solver): its future LR is known, not "not known … taken as its last value".
  const reg = fixture('caffe-regression-solver.log');
  assert.match(reg.text, /^lr_policy: "fixed"$/m);
  const regFile = path.join(dir, 'solver.log');
  fs.writeFileSync(regFile, reg.text);
  const r = fitToJson((await analyzeFile(regFile, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as J;
  assert.ok(!r.trust.reasons.some((x) => /the LR after step \d+ is not known/.test(x)), r.trust.reasons.join('\n'));
  assert.match(r.schedule.source, /Caffe's solver \(lr_policy "fixed", max_iter 20000\)/);
  // Policies read as Caffe computes them (step, multistep, exp, inv); a rising sigmoid is not a plan.
  const solver = (extra: string) => `I0101 00:00:00.000000  1 solver.cpp:44] Initializing solver from parameters: \nbase_lr: 0.1\nmax_iter: 1000\n${extra}\nnet: "a/b.prototxt"\nI0101 00:00:00.100000  1 solver.cpp:87] Creating training net\n`;
  const at = (extra: string, s: number) => plannedLr(caffeSolverSchedule(solver(extra))!, s);
  assert.equal(at('lr_policy: "step"\ngamma: 0.1\nstepsize: 300', 599), 0.1 ** 1);
  assert.ok(Math.abs(at('lr_policy: "step"\ngamma: 0.1\nstepsize: 300', 600) - 0.01) < 1e-15);
  assert.ok(Math.abs(at('lr_policy: "multistep"\ngamma: 0.5\nstepvalue: 200\nstepvalue: 700', 700) - 0.25) < 1e-15);
  assert.ok(Math.abs(at('lr_policy: "exp"\ngamma: 0.999', 10) - 0.999 ** 10) < 1e-15);
  assert.ok(Math.abs(at('lr_policy: "inv"\ngamma: 0.0001\npower: 0.75', 500) - (1 + 0.05) ** -0.75) < 1e-15);
  assert.equal(caffeSolverSchedule(solver('lr_policy: "sigmoid"\ngamma: 0.1\nstepsize: 300')), undefined);
});

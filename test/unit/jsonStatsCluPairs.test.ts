// Three real logs the reader refused or misread (test/fixtures/SOURCES.md): PySlowFast's console and its
// json_stats.log (refused; read as a CSV of the first line's comma-split fragments), the Flax NNX gemma
// example's console (refused: its `Finished training step 0.` and CLU's `[2000] train_loss=…` lines),
// and a hand-written loop's `ep: 0, batch: 20, …, loss: 10.98` lines (read as a CSV whose header was the
// first line's pairs). Every expected value below comes from the files' own text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { detectFormat, parseLogFile, type ParsedLog } from '../../src/core/logs';
import { scheduleFromConfigText } from '../../src/core/fit/schedule';
import { FIXTURES, rolesOf } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-jsonstats-');
const steps = (log: ParsedLog) => Array.from(log.data.step);
/** The value of `col` on the row of step `s`. */
const at = (log: ParsedLog, col: string, s: number) => log.data[col][steps(log).indexOf(s)];
const finite = (log: ParsedLog, col: string) => Array.from(log.data[col] ?? []).filter(Number.isFinite).length;
/** The json_stats objects of `lines` (after the `json_stats: ` marker). */
const stats = (lines: string[]) => lines.filter((l) => l.includes('json_stats: {')).map((l) => JSON.parse(l.slice(l.indexOf('json_stats: ') + 12)) as Record<string, string | number>);
const countOf = (v: string | number) => String(v).split('/').map(Number);

test("PySlowFast's console (real, 14 launches): the last launch's train_iter lines at (epoch − 1) × 316 + iter, 20 × 316 planned, val_epoch held out at its epoch's end, train_epoch means left out", async () => {
  const file = path.join(FIXTURES, 'slowfast-meccano', 'stdout.log.gz');
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const lines = text.split('\n');
  const launches = lines.map((l, i) => (l.includes('Train with config:') ? i : -1)).filter((i) => i >= 0);
  assert.equal(launches.length, 14);
  const last = stats(lines.slice(launches[launches.length - 1]));
  const train = last.filter((o) => String(o._type).startsWith('train_iter'));
  const vals = last.filter((o) => o._type === 'val_epoch');
  assert.deepEqual([train.length, vals.length], [620, 2]);
  // (The launch before the last logged iterations too: its rows are another run's.)
  assert.ok(stats(lines.slice(0, launches[launches.length - 1])).some((o) => String(o._type).startsWith('train_iter')));
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, train.length + vals.length, log.problems.map((p) => p.message).join('\n'));
  assert.equal(log.stats.runStarts?.length, 1);
  assert.deepEqual(rolesOf(log, ['loss', 'lr', 'step', 'val_top1_err', 'val_loss', 'dt_data']), { loss: 'loss', lr: 'lr', step: 'step', val_top1_err: 'other', val_loss: undefined, dt_data: 'other' });
  for (const o of train) {
    const [e] = countOf(o.epoch), [i, per] = countOf(o.iter);
    assert.equal(per, 316);
    assert.equal(at(log, 'loss', (e - 1) * per + i), o.loss);
    assert.equal(at(log, 'lr', (e - 1) * per + i), o.lr);
  }
  // Only the iterations' losses: the epochs' means (train_epoch) are no points of the curve.
  assert.equal(finite(log, 'loss'), train.length);
  // (The evaluation's error is no loss: its numbers are read by giving it a kept role.)
  const errs = await parseLogFile(file, { roleOverrides: { val_top1_err: 'eval_loss' } });
  for (const o of vals) assert.equal(at(errs, 'val_top1_err', countOf(o.epoch)[0] * 316), o.top1_err);
  assert.equal(finite(errs, 'val_top1_err'), vals.length);
  assert.equal(log.run?.plannedSteps?.steps, 20 * 316);
  assert.equal(log.run?.epochsLogged?.count, 20);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 316);
});

test("PySlowFast's json_stats.log (real: 20 train_epoch and 2 val_epoch lines): a text log, a row an epoch with its loss and LR, the evaluation on its epoch's row", async () => {
  const file = path.join(FIXTURES, 'slowfast-meccano', 'json_stats.log');
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(detectFormat('json_stats.log', text), 'text');
  const all = stats(text.split('\n'));
  const epochs = all.filter((o) => o._type === 'train_epoch');
  const vals = all.filter((o) => o._type === 'val_epoch');
  assert.deepEqual([epochs.length, vals.length], [20, 2]);
  const log = await parseLogFile(file);
  assert.equal(log.rows, epochs.length, log.problems.map((p) => p.message).join('\n'));
  assert.deepEqual(rolesOf(log, ['epoch', 'step', 'loss', 'lr']), { epoch: 'epoch', step: undefined, loss: 'loss', lr: 'lr' });
  const ep = Array.from(log.data.epoch);
  assert.deepEqual(ep, epochs.map((o) => countOf(o.epoch)[0]));
  epochs.forEach((o, k) => { assert.equal(log.data.loss[k], o.loss); assert.equal(log.data.lr[k], o.lr); });
  const errs = await parseLogFile(file, { roleOverrides: { val_top1_err: 'eval_loss' } });
  for (const o of vals) assert.equal(errs.data.val_top1_err[ep.indexOf(countOf(o.epoch)[0])], o.top1_err);
  assert.equal(finite(errs, 'val_top1_err'), vals.length);
  assert.equal(log.run?.plannedSteps?.steps, 20);
  assert.ok(log.problems.some((p) => /whole epochs only/.test(p.message)));
});

test("Flax NNX gemma example (real console, absl's glog prefix): Loss and LR from `Finished training step N.`, CLU's `[N] key=value` lines at N, eval_loss held out, its rates no metrics, num_train_steps the plan", async () => {
  const file = path.join(FIXTURES, 'flax-gemma-lm1b-output.w0.log');
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(detectFormat('output.w0.log', text), 'text');
  const log = await parseLogFile(file);
  const trained = [...text.matchAll(/\] Finished training step (\d+)\. Batch size: \d+, Loss: ([\d.]+), LR: ([\d.]+)$/gm)];
  const clu = [...text.matchAll(/logging_writer\.py:48\] \[(\d+)\] (.+)$/gm)];
  assert.equal(trained.length, 20);
  assert.ok(clu.length > 10);
  assert.deepEqual(rolesOf(log, ['Loss', 'LR', 'train_loss', 'eval_loss', 'steps_per_sec', 'uptime', 'train.py']),
    { Loss: 'loss', LR: 'lr', train_loss: 'loss', eval_loss: 'eval_loss', steps_per_sec: 'other', uptime: 'other', 'train.py': undefined });
  for (const m of trained) {
    assert.equal(at(log, 'Loss', Number(m[1])), Number(m[2]));
    assert.equal(at(log, 'LR', Number(m[1])), Number(m[3]));
  }
  // (Every CLU value at its step: the ones of no kept role read by giving them one.)
  const all = await parseLogFile(file, { roleOverrides: { steps_per_sec: 'eval_loss', uptime: 'eval_loss', train_accuracy: 'eval_loss', eval_accuracy: 'eval_loss', eval_perplexity: 'eval_loss' } });
  for (const m of clu) {
    for (const pair of m[2].split(', ')) {
      const [k, v] = pair.split('=');
      assert.equal(at(all, k, Number(m[1])), Number(v), `${k} at ${m[1]}`);
    }
  }
  // One row a step: the steps of both kinds of line.
  assert.equal(log.rows, new Set([...trained.map((m) => m[1]), ...clu.map((m) => m[1])]).size);
  // The printed TrainConfig(…) plans the run (its rsqrt decay is not printed: the plan's end and warm-up are).
  const plan = scheduleFromConfigText(text, 'output.w0.log');
  assert.deepEqual([plan?.totalSteps, plan?.warmupSteps], [500000, 1000]);
});

test("a hand-written loop's `ep: 0, batch: 20, time: …, ntokens: 485.20/513, loss: …` lines (real): a text log, not a CSV of its first line; batch the step, loss the training loss, ntokens not tokens", async () => {
  const file = path.join(FIXTURES, 'llm-pretrain-epbatch-train.log');
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(detectFormat('train.log', text), 'text');
  const rows = [...text.matchAll(/^ep: (\d+), batch: (\d+), time: ([\d.]+), ntokens: [\d.]+\/\d+, loss: ([\d.]+)$/gm)];
  assert.equal(rows.length, 13);
  const log = await parseLogFile(file);
  assert.equal(log.rows, rows.length);
  assert.deepEqual(steps(log), rows.map((m) => Number(m[2])));
  assert.deepEqual(Array.from(log.data.loss), rows.map((m) => Number(m[4])));
  assert.deepEqual(rolesOf(log, ['step', 'loss', 'epoch', 'ep', 'ntokens']), { step: 'step', loss: 'loss', epoch: 'epoch', ep: undefined, ntokens: undefined });
  assert.ok(!log.columns.some((c) => c.role === 'tokens'));
  // The same lines as a second epoch (`enumerate(loader)` starts the batch again): read on after the
  // first, not as a restart that drops it.
  const two = path.join(tmp, 'two-epochs.log');
  fs.writeFileSync(two, text + text.replace(/^ep: 0,/gm, 'ep: 1,'));
  const log2 = await parseLogFile(two);
  assert.equal(log2.rows, 2 * rows.length);
  assert.equal(log2.stats.superseded, 0);
  const last = Number(rows[rows.length - 1][2]);
  assert.deepEqual(steps(log2).slice(rows.length), rows.map((m) => last + Number(m[2])));
  assert.ok(log2.problems.some((p) => /counts within the epoch/.test(p.message)));
});

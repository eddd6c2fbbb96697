// Thirty-second session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - A torchtitan user's console, resumed and with validation on: the plan it printed (`total steps 30000
//   (warmup 12700)`, global batch × sequence length, the model size) is the schedule and the model, and
//   `validate step: N  loss: …` is the held-out loss (it had replaced the training loss of its step).
// - A Caffe user's console: the loss, the LR and the held-out `Test net output` losses by iteration,
//   `max_iter` the planned end (before: no eval, no LR, a column named `solver.cpp`).
// - A Flair user's training.log: its `iter N/M` counter within the epoch made the run's step (before, each
//   epoch looked like a restart and only the last epoch's 4 rows were kept).
// - A PaddlePaddle user's `workerlog.0` (no log extension: the menu had no Fit for it), 14 launches
//   appended: the last launch read, its `(total: 1060)` the planned end.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a torchtitan console with validation, a Caffe console, a Flair training.log and a PaddlePaddle workerlog.0, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fixtures = join(process.cwd(), 'test', 'fixtures');
  // (Named `0-…` to sort first: the explorer draws only the rows in view, and earlier scenarios fill runs/
  // with `a-…` folders: in the whole suite `a-titan` was below the view.)
  const titan = join(workspace, 'runs', '0-titan');
  mkdirSync(titan, { recursive: true });
  writeFileSync(join(titan, 'train.log'), gunzipSync(readFileSync(join(fixtures, 'torchtitan-resumed-validate-killed.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/0-titan/train.log', { timeout: 120_000, trust: true });
  assert.equal(await f.locator('#sl-series').inputValue(), 'loss');
  const options = await f.locator('#sl-series option').allInnerTexts();
  assert.ok(options.some((o) => /^val_loss/.test(o.trim())), `the validation is a series of its own: ${options.join(', ')}`);
  const body = await f.locator('body').innerText();
  assert.match(body, /torchtitan's "total steps 30000 \(warmup 12700\)"/, 'the printed plan is the schedule');
  assert.match(body, /196,608 tokens per step/);
  assert.doesNotMatch(body, /logged again|NaN|Infinity|undefined/);
  await shot('torchtitan-console');

  const caffe = join(workspace, 'runs', '0-caffe');
  mkdirSync(caffe, { recursive: true });
  writeFileSync(join(caffe, 'caffe.log'), gunzipSync(readFileSync(join(fixtures, 'caffe-regression-solver.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/0-caffe/caffe.log', { timeout: 120_000, trust: true });
  assert.equal(await g.locator('#sl-series').inputValue(), 'loss');
  const copts = await g.locator('#sl-series option').allInnerTexts();
  assert.ok(copts.some((o) => /^eval_loss/.test(o.trim())), copts.join(', '));
  assert.ok(!copts.some((o) => /solver\.cpp/.test(o)), copts.join(', '));
  assert.match(await g.locator('body').innerText(), /max_iter/);
  await shot('caffe-console');

  const flair = join(workspace, 'runs', '0-flair');
  mkdirSync(flair, { recursive: true });
  copyFileSync(join(fixtures, 'flair-training.log'), join(flair, 'training.log'));
  await wb.runCommand('View: Close All Editors');
  const h = await wb.fitFromExplorer('runs/0-flair/training.log', { timeout: 120_000, trust: true });
  assert.match(await h.locator('#sl-meta').innerText(), /^text · single run · 60 rows/);
  assert.doesNotMatch(await h.locator('body').innerText(), /NaN|Infinity|undefined/);
  await shot('flair-training-log');

  // (Beside the others, not in log/: the explorer draws a folder of one folder as one compact row.)
  const paddle = join(workspace, 'runs', '0-paddle');
  mkdirSync(paddle, { recursive: true });
  writeFileSync(join(paddle, 'workerlog.0'), gunzipSync(readFileSync(join(fixtures, 'paddle-custom-ner-workerlog.0.gz'))));
  await wb.runCommand('View: Close All Editors');
  const p = await wb.fitFromExplorer('runs/0-paddle/workerlog.0', { timeout: 120_000, trust: true });
  assert.match(await p.locator('#sl-meta').innerText(), /^text · single run · 105 rows/);
  assert.match(await p.locator('body').innerText(), /step: N \(total: 1060\)/, 'the planned end and where it comes from');
  await shot('paddle-workerlog');
}

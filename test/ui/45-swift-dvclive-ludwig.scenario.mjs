// Formats read for the first time in the twenty-first session (test/fixtures/SOURCES.md), fitted from
// the explorer like a user would: an ms-swift 3.x logging.jsonl, whose step is only the text
// "global_step/max_steps": "N/438" (every row was dropped: "no loss series found"; the real one found
// states no licence, so it is built here in its shape); a DVCLive evaluation-loss file (real), fitted
// as the training loss before; Ludwig's training_statistics.json (real), refused before; an AWD-LSTM
// console (word_language_model's format, real), refused before.
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'an ms-swift 3.x logging.jsonl mid-run (its step and planned end from "global_step/max_steps"), a DVCLive eval/loss.tsv (an evaluation loss) and a whole DVCLive folder, a Ludwig training_statistics.json, an AWD-LSTM console, each fitted from the explorer';

const FIX = join(process.cwd(), 'test', 'fixtures');

export default async function ({ wb, shot, assert, workspace }) {
  // ms-swift 3.x, 250 of its 438 steps logged, under its logged cosine.
  // (In the run's folder itself: a folder holding one folder is drawn compacted in the explorer.)
  mkdirSync(join(workspace, 'runs', 'a-swift'), { recursive: true });
  const lines = [];
  for (let s = 1; s <= 250; s = s === 1 ? 10 : s + 10) {
    const lr = 1e-4 * 0.5 * (1 + Math.cos((Math.PI * s) / 438));
    lines.push(JSON.stringify({ loss: +(0.12 + 3 / s ** 0.6).toFixed(8), grad_norm: 2.1, learning_rate: +lr.toExponential(3), token_acc: 0.9, epoch: +(s / 438).toFixed(8), 'global_step/max_steps': `${s}/438`, percentage: `${((100 * s) / 438).toFixed(2)}%`, elapsed_time: `${s * 5}s`, remaining_time: '30m 2s', 'memory(GiB)': 16.4, 'train_speed(iter/s)': 0.19 }));
    if (s % 100 === 0) lines.push(JSON.stringify({ eval_loss: +(0.14 + 3 / s ** 0.6).toFixed(8), eval_runtime: 148.4, epoch: +(s / 438).toFixed(8), 'global_step/max_steps': `${s}/438`, percentage: '22.83%', elapsed_time: '10m 52s', remaining_time: '36m 45s' }));
  }
  writeFileSync(join(workspace, 'runs', 'a-swift', 'logging.jsonl'), lines.join('\n') + '\n');
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-swift/logging.jsonl', { timeout: 120_000, trust: true });
  assert.match(await f.locator('#sl-meta').innerText(), /^jsonl · single run · 26 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'loss');
  const body = await f.locator('body').innerText();
  assert.match(body, /ms-swift's "global_step\/max_steps": "N\/438"/);
  assert.match(body, /Loss at step 438/);
  assert.doesNotMatch(body, /no loss series/);
  await shot('ms-swift-3-logging-jsonl');

  // DVCLive: the evaluation loss of a Hugging Face fine-tune, one file in the eval/ folder.
  await wb.reset();
  const dv = join(workspace, 'runs', 'a-dvclive', 'dvclive', 'plots', 'metrics', 'eval');
  mkdirSync(dv, { recursive: true });
  copyFileSync(join(FIX, 'dvclive-hf-lora', 'dvclive', 'plots', 'metrics', 'eval', 'loss.tsv'), join(dv, 'loss.tsv'));
  // Its folders are drawn compacted (plots/metrics/eval): opened by Quick Open, fitted from the palette.
  await wb.quickOpen('runs/a-dvclive/dvclive/plots/metrics/eval/loss.tsv');
  await wb.runCommand('Scaling Lens: Fit Scaling Law');
  const g = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /loss\.tsv/, timeout: 120_000 });
  await wb.waitForTrust(g);
  assert.match(await g.locator('#sl-meta').innerText(), /^csv · single run · 107 rows/);
  assert.equal(await g.locator('#sl-series').inputValue(), 'eval/loss');
  await shot('dvclive-eval-loss');

  // A whole DVCLive folder (its metrics.json marks it): one run, fitted by right-clicking the folder;
  // its training and evaluation losses joined by DVCLive's step.
  await wb.reset();
  cpSync(join(FIX, 'dvclive-hf-lora', 'dvclive'), join(workspace, 'runs', 'dvclive'), { recursive: true });
  const d = await wb.fitFromExplorer('runs/dvclive', { timeout: 120_000, trust: true });
  assert.match(await d.locator('#sl-meta').innerText(), /^dvclive · single run · 215 rows/);
  // Its logged LR, and the end its params.yaml plans (5 epochs).
  assert.match(await d.locator('body').innerText(), /num_train_epochs = 5 in params\.yaml/);
  assert.equal(await d.locator('#sl-series').inputValue(), 'loss');
  const dOptions = await d.locator('#sl-series option').allInnerTexts();
  assert.ok(dOptions.some((o) => o.startsWith('eval/loss')), dOptions.join(', '));
  await shot('dvclive-folder');

  // Ludwig: per-epoch lists by split and output feature.
  await wb.reset();
  mkdirSync(join(workspace, 'runs', 'a-ludwig'), { recursive: true });
  copyFileSync(join(FIX, 'ludwig-parallel-cnn', 'training_statistics.json'), join(workspace, 'runs', 'a-ludwig', 'training_statistics.json'));
  const h = await wb.fitFromExplorer('runs/a-ludwig/training_statistics.json', { timeout: 120_000, trust: true });
  assert.match(await h.locator('#sl-meta').innerText(), /^json · single run · 16 rows/);
  assert.equal(await h.locator('#sl-series').inputValue(), 'loss');
  const options = await h.locator('#sl-series option').allInnerTexts();
  for (const s of ['val_loss', 'test_loss']) assert.ok(options.some((o) => o.startsWith(s)), options.join(', '));
  assert.match(await h.locator('body').innerText(), /Epochs|epoch/);
  await shot('ludwig-training-statistics');

  // An AWD-LSTM console (real, 900 epochs): `| epoch E | B/663 batches | … loss …`, refused before.
  await wb.reset();
  mkdirSync(join(workspace, 'runs', 'a-awd'), { recursive: true });
  writeFileSync(join(workspace, 'runs', 'a-awd', 'run_fwm_ptb_141.out'), gunzipSync(readFileSync(join(FIX, 'fwm-awdlstm-ptb-141.out.gz'))));
  const w = await wb.fitFromExplorer('runs/a-awd/run_fwm_ptb_141.out', { timeout: 120_000, trust: true });
  assert.match(await w.locator('#sl-meta').innerText(), /^text · single run · 2,?700 rows/);
  assert.equal(await w.locator('#sl-series').inputValue(), 'loss');
  const wOptions = await w.locator('#sl-series option').allInnerTexts();
  assert.ok(wOptions.some((o) => o.startsWith('valid_loss')), wOptions.join(', '));
  await shot('awd-lstm-console');
}

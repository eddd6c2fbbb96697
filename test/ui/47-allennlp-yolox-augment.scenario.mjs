// The twenty-third session, like a user: AllenNLP serialization folders (real, test/fixtures/
// allennlp-bidaf-squad), refused before as "a folder with no TensorBoard event files, MLflow run or
// W&B run", fitted by right-clicking a run's folder and the folder of runs; and a YOLOX run still in
// training (the real fixture's last launch cut at epoch 150 of 300), whose trust verdict now names
// the augmentation its last 15 epochs switch off.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { showRunsView, findWebview, restoreSideView } from './runs-helpers.mjs';

export const title = 'an AllenNLP serialization folder and a folder of them fitted from the explorer; a YOLOX run mid-training says its augmentation stops at epoch 285; a spaCy console read and fitted; a Ray Tune experiment fitted as a set of trials';

const FIX = join(process.cwd(), 'test', 'fixtures');

export default async function ({ page, wb, shot, assert, workspace }) {
  cpSync(join(FIX, 'allennlp-bidaf-squad'), join(workspace, 'runs', 'a-allennlp'), { recursive: true });
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-allennlp/output', { timeout: 120_000, trust: true });
  assert.match(await f.locator('#sl-meta').innerText(), /^allennlp · single run · 19 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'training_loss');
  const body = await f.locator('body').innerText();
  assert.match(body, /metrics\.json: AllenNLP wrote it when training ended, after 19 of trainer\.num_epochs = 20/);
  assert.match(body, /"validation_loss" has risen/);
  await shot('allennlp-run-folder');

  // The folder of the three runs, in the Runs view: a group of three "AllenNLP folder" runs, compared on one chart.
  await wb.reset();
  const pane = await showRunsView(page);
  await wb.waitUntil('the a-allennlp group with 3 runs', async () => /^runs\/a-allennlp: 3 runs/.test((await pane.locator('.monaco-list-row[aria-label^="runs/a-allennlp:"]').first().getAttribute('aria-label').catch(() => '')) ?? ''), 120_000);
  await wb.contextMenu(pane.locator('.monaco-list-row[aria-label^="runs/a-allennlp:"]').first(), 'Compare Runs');
  const g = await findWebview(page, wb, 'body.sl-compare[data-rendered="true"]', 120_000);
  const legend = await g.locator('.sl-compare-legend li').allInnerTexts();
  assert.equal(legend.length, 3, legend.join('\n'));
  for (const r of ['output', 'output_elmo', 'output_elmo_gru']) assert.ok(legend.some((l) => l.includes(r)), legend.join('\n'));
  await shot('allennlp-runs-compared');
  await restoreSideView(page);

  // YOLOX mid-run: its last launch (300 epochs of 76 iterations) cut after epoch 150.
  await wb.reset();
  const text = gunzipSync(readFileSync(join(FIX, 'yolox-fire-voc-s-train_log.txt.gz'))).toString('utf8');
  const cut = text.indexOf('epoch: 151/300, iter: 10/76');
  assert.ok(cut > 0);
  mkdirSync(join(workspace, 'runs', 'a-yolox'), { recursive: true });
  writeFileSync(join(workspace, 'runs', 'a-yolox', 'train_log.txt'), text.slice(0, text.lastIndexOf('\n', cut) + 1));
  const y = await wb.fitFromExplorer('runs/a-yolox/train_log.txt', { timeout: 180_000, trust: true });
  await wb.waitUntil('the trust section', async () => (await y.locator('#sl-trust').count()) > 0, 60_000);
  const trust = await y.locator('#sl-trust').innerText();
  // (YOLOX's trainer turns it off from the epoch it prints as 285, after 284 × 76 = 21,584 steps.)
  assert.match(trust, /mosaic and mixup augmentation \(YOLOX\) stops after step 21,?584 \(no_aug_epochs = 15 of max_epoch = 300 in train_log\.txt's printed experiment: off from epoch 285 of 300, as YOLOX's trainer counts\)/);
  assert.match(await y.locator('#sl-goodness').innerText(), /Loss at step 22,?800|Loss at step 22\.8k/i);
  await y.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('yolox-augmentation-stops-ahead');

  // A spaCy console (real, ANSI colours as printed), refused before: its table read, the end where
  // spaCy saved its pipeline, the NER loss fitted.
  await wb.reset();
  mkdirSync(join(workspace, 'runs', 'a-spacy'), { recursive: true });
  cpSync(join(FIX, 'spacy-veld-ner', 'm1', 'train.log'), join(workspace, 'runs', 'a-spacy', 'train.log'));
  const sp = await wb.fitFromExplorer('runs/a-spacy/train.log', { timeout: 120_000, trust: true });
  assert.match(await sp.locator('#sl-meta').innerText(), /^text · single run · 18 rows/);
  assert.equal(await sp.locator('#sl-series').inputValue(), 'LOSS NER');
  const spBody = await sp.locator('body').innerText();
  assert.match(spBody, /the run reached its planned end, step 3,?400 \("Saved pipeline to output directory"/);
  // spaCy's note on its summed losses is one of the log's problems (an information, in the Problems view).
  assert.match(await sp.locator('#sl-meta').innerText(), /1 problem/);
  await shot('spacy-train-console');

  // A Ray Tune experiment (real, RLlib PPO, three trials): right-click its folder; a curve per trial.
  await wb.reset();
  // (Under a name that sorts early: the explorer of a whole run lists dozens of folders under runs/.)
  cpSync(join(FIX, 'raytune-rllib-ppo-cartpole', 'PPO_2024-11-14_02-03-47'), join(workspace, 'runs', 'a-raytune'), { recursive: true });
  const rt = await wb.fitFromExplorer('runs/a-raytune', { timeout: 120_000, trust: true });
  const rtOptions = await rt.locator('#sl-series option').allInnerTexts();
  for (const lr of ['0.0100', '0.0010', '0.0001']) assert.ok(rtOptions.some((o) => o.includes('total_loss') && o.includes(`lr=${lr}`)), rtOptions.join(', '));
  await shot('raytune-experiment');
}

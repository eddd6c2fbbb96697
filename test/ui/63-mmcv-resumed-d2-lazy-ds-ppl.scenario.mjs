// Thirty-third session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - An MMDetection 2.x user whose run resumed at epoch 22 of 36: its rows sit after the checkpoint
//   (steps 21,522 to 35,110), its printed cosine lr_config the plan to 36 × 976 (before: rows from step 50,
//   a finished run extrapolated as a third done, the plan refused).
// - A detectron2 user's LazyConfig output folder, killed at 6,652 of 92,187 iterations: train.max_iter and
//   lr_multiplier the plan (before: 10× the last step, the LR held).
// - A DeepSpeed user's console with held-out perplexities only (`'step':N, 'ppl': …`): ln(ppl) on DeepSpeed's
//   optimizer steps (before: refused).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a resumed MMDetection 2.x console, a detectron2 LazyConfig folder and a DeepSpeed perplexity console, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fixtures = join(process.cwd(), 'test', 'fixtures');
  // (Named `0-…` to sort first: the explorer draws only the rows in view.)
  const mm = join(workspace, 'runs', '0-mmdet2');
  mkdirSync(mm, { recursive: true });
  writeFileSync(join(mm, '20220403_152612.log'), gunzipSync(readFileSync(join(fixtures, 'mmdet2-swinb-htc-resumed', '20220403_152612.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/0-mmdet2/20220403_152612.log', { timeout: 120_000, trust: true });
  const body = await f.locator('body').innerText();
  assert.match(body, /steps 21522–35110/, 'the rows sit after the checkpoint');
  assert.match(body, /max_epochs=36 × 976 steps an epoch/, 'the printed plan to the end of the 36 epochs');
  assert.doesNotMatch(body, /differs from the log's LR column|NaN|Infinity|undefined/);
  await shot('mmdet2-resumed');

  const d2 = join(workspace, 'runs', '0-d2lazy');
  mkdirSync(d2, { recursive: true });
  writeFileSync(join(d2, 'metrics.json'), gunzipSync(readFileSync(join(fixtures, 'd2-swin-lazy-killed', 'metrics.json.gz'))));
  copyFileSync(join(fixtures, 'd2-swin-lazy-killed', 'config.yaml'), join(d2, 'config.yaml'));
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/0-d2lazy/metrics.json', { timeout: 120_000, trust: true });
  const gb = await g.locator('body').innerText();
  assert.match(gb, /train\.max_iter=92187/, 'the LazyConfig plans the end');
  assert.doesNotMatch(gb, /extrapolated to 10×|LitGPT|NaN|Infinity|undefined/);
  await shot('detectron2-lazyconfig');

  const ds = join(workspace, 'runs', '0-dsppl');
  mkdirSync(ds, { recursive: true });
  writeFileSync(join(ds, 'training.log'), gunzipSync(readFileSync(join(fixtures, 'ds-randomltd-gpt2-ppl-training.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const h = await wb.fitFromExplorer('runs/0-dsppl/training.log', { timeout: 120_000, trust: true });
  assert.equal(await h.locator('#sl-series').inputValue(), 'val_loss');
  assert.match(await h.locator('body').innerText(), /gradient_accumulation_steps\) = 524 optimizer steps/);
  await shot('deepspeed-perplexity');
}

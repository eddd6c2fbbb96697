// Thirty-third session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - An MMDetection 2.x user whose run resumed at epoch 22 of 36: its rows sit after the checkpoint
//   (steps 21,522 to 35,110), its printed cosine lr_config the plan to 36 × 976 (before: rows from step 50,
//   a finished run extrapolated as a third done, the plan refused).
// - A detectron2 user's LazyConfig output folder, killed at 6,652 of 92,187 iterations: train.max_iter and
//   lr_multiplier the plan (before: 10× the last step, the LR held).
// - A DeepSpeed user's console with held-out perplexities only (`'step':N, 'ppl': …`): ln(ppl) on DeepSpeed's
//   optimizer steps (before: refused).

export const title = 'a resumed MMDetection 2.x console, a detectron2 LazyConfig folder and a DeepSpeed perplexity console, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const f = await wb.fitFixture(workspace, 'mmdet2-swinb-htc-resumed/20220403_152612.log.gz', 'mmdet2', '20220403_152612.log', { trust: true });
  const body = await f.locator('body').innerText();
  assert.match(body, /steps 21522–35110/, 'the rows sit after the checkpoint');
  assert.match(body, /max_epochs=36 × 976 steps an epoch/, 'the printed plan to the end of the 36 epochs');
  assert.doesNotMatch(body, /differs from the log's LR column|NaN|Infinity|undefined/);
  await shot('mmdet2-resumed');

  const g = await wb.fitFixture(workspace, 'd2-swin-lazy-killed/metrics.json.gz', 'd2lazy', 'metrics.json', { trust: true, extra: [['d2-swin-lazy-killed/config.yaml', 'config.yaml']] });
  const gb = await g.locator('body').innerText();
  assert.match(gb, /train\.max_iter=92187/, 'the LazyConfig plans the end');
  assert.doesNotMatch(gb, /extrapolated to 10×|LitGPT|NaN|Infinity|undefined/);
  await shot('detectron2-lazyconfig');

  const h = await wb.fitFixture(workspace, 'ds-randomltd-gpt2-ppl-training.log.gz', 'dsppl', 'training.log', { trust: true });
  assert.equal(await h.locator('#sl-series').inputValue(), 'val_loss');
  assert.match(await h.locator('body').innerText(), /gradient_accumulation_steps\) = 524 optimizer steps/);
  await shot('deepspeed-perplexity');
}

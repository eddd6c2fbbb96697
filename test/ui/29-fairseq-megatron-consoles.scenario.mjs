// Real consoles of two more frameworks in the editor (test/fixtures/SOURCES.md): a fairseq log in its
// default format (a Namespace dump, the model printed, then `train_inner | epoch 001:  100 / 1132
// loss=…, num_updates=100, lr=…` lines; three invocations resumed one after another), and a
// Megatron-DeepSpeed log whose DeepSpeed `steps: N loss:` lines, evaluation lines and power-meter
// summaries sit between Megatron's iteration lines. Before, the first was read as a CSV of 0 rows
// and the second as 15 rows of an evaluation's "loss_value".
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'real fairseq, Megatron-DeepSpeed and OLMo consoles: their curves, planned ends and schedules read';

const fixture = (name) => gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', name)));

export default async function ({ wb, shot, assert, workspace }) {
  const fdir = join(workspace, 'runs', 'fairseq-iwslt');
  mkdirSync(fdir, { recursive: true });
  // Cut at half way (its first 1,640 lines: up to update 50,000), as while it still trains.
  const text = fixture('fairseq-iwslt14-staged.log.gz').toString('utf8');
  const lines = text.split('\n');
  const cut = lines.findIndex((l) => /num_updates=50000,/.test(l));
  assert.ok(cut > 0);
  writeFileSync(join(fdir, 'train.log'), lines.slice(0, cut + 1).join('\n') + '\n');
  const frame = await wb.fitFromExplorer('runs/fairseq-iwslt/train.log');
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 60_000);
  const summary = await frame.locator('#sl-summary').innerText();
  // The planned end from the last invocation's Namespace, and the LR ahead as it plans (inverse square root).
  assert.match(summary, /inverse_sqrt, warm-up (4000|4k|4\.00k) steps, ends at step (100000|100k)/, summary);
  assert.match(summary, /max_update=100000, warmup_updates=4000, lr_scheduler=inverse_sqrt/);
  const g = await frame.locator('#sl-goodness').innerText();
  assert.match(g, /Loss at (step )?100k( steps)?\s/, g);
  // 500 training lines read (every 100 updates to 50,000); the first 10% of them skipped (the warm-up's
  // 40 and 10 more), as the run makes 88 passes over its data.
  assert.match(g, /Points used\s+450/, g);
  await shot('fairseq-half-way-predicted-at-max-update');

  const mdir = join(workspace, 'runs', 'megatron-qwen7b');
  mkdirSync(mdir, { recursive: true });
  writeFileSync(join(mdir, 'qwen7b_baseline_500.log'), fixture('megatron-deepspeed-qwen7b-500.log.gz'));
  const mf = await wb.fitFromExplorer('runs/megatron-qwen7b/qwen7b_baseline_500.log');
  await wb.waitUntil('the Megatron fit', async () => /Points used\s+450/.test(await mf.locator('#sl-goodness').innerText()), 60_000);
  const ms = await mf.locator('body').innerText();
  assert.match(ms, /500 rows/, ms);
  // Its arguments block plans the schedule; N is the sum of its 4 tensor-parallel ranks' counts.
  assert.match(ms, /train_iters=500, lr_warmup_iters=50, lr_decay_style=cosine/);
  assert.match(await mf.locator('#sl-model-size').getAttribute('placeholder'), /^7\.62B \(config\)$/);
  assert.doesNotMatch(ms, /loss_value/);
  await shot('megatron-deepspeed-500-iterations');

  // An OLMo console (killed at step 1,010 of 15,000): blocks of indented metrics under `[step=N/T]`
  // lines, read where they were taken for a tab-separated table; its printed TrainConfig(…) plans the LR.
  const odir = join(workspace, 'runs', 'olmo-1b');
  mkdirSync(odir, { recursive: true });
  writeFileSync(join(odir, 'training.log'), fixture('olmo-1b-continue-killed.log.gz'));
  const of = await wb.fitFromExplorer('runs/olmo-1b/training.log');
  await wb.waitUntil('the OLMo fit', async () => (await of.locator('#sl-trust').count()) > 0, 60_000);
  const ob = await of.locator('body').innerText();
  assert.match(ob, /1,010 rows/, ob);
  assert.match(ob, /cosine, warm-up 500 steps, ends at step 15k/);
  assert.match(ob, /max_duration=15000, t_warmup=500, lr_scheduler=cosine_with_warmup/);
  assert.equal(await of.locator('#sl-series').inputValue(), 'train/CrossEntropyLoss');
  await shot('olmo-killed-run-predicted-at-its-planned-end');
}

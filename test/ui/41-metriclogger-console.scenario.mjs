// A real DeiT MetricLogger console (EViT on CUB-200, test/fixtures/SOURCES.md) from the explorer.
// Before the eighteenth session its `data:` (the data-loading seconds) was read as the run's tokens:
// the panel drew the loss against "tokens" of 0.0001 to 1.9 and the fit followed nothing (R² −0.01).
// Now against its steps (184 iterations an epoch, counted within each), with the evaluation
// summaries (`* Acc@1 … loss 5.426`) offered as the held-out loss.
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a real DeiT MetricLogger console: fitted against its steps (data: is a time), its evaluations held out';

export default async function ({ wb, shot, assert, workspace }) {
  // (A folder name early in the list: the explorer draws only the rows in view.)
  mkdirSync(join(workspace, 'runs', 'a-deit'), { recursive: true });
  copyFileSync(join(process.cwd(), 'test', 'fixtures', 'deit-metriclogger-evit.out.gz'), join(workspace, 'runs', 'a-deit', 'train.log.gz'));
  const frame = await wb.fitFromExplorer('runs/a-deit/train.log.gz', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await frame.locator('#sl-meta').innerText(), /^text · single run · 396 rows/);
  // The axis offered is the step: no "Tokens" from the data-loading time.
  const axes = await frame.locator('#sl-x option').allInnerTexts();
  assert.deepEqual(axes.map((a) => a.trim()), ['Steps']);
  assert.equal(await frame.locator('#sl-series').inputValue(), 'loss');
  const series = await frame.locator('#sl-series option').allInnerTexts();
  assert.ok(series.some((o) => /val_loss/.test(o)), series.join(', '));
  assert.match(await frame.locator('#sl-schedule').innerText(), /cosine/);
  await shot('deit-metriclogger-console');
}

// Thirtieth session, like someone learning to train: the logs of the two commonest tutorials, each a
// real one (test/fixtures/SOURCES.md) opened half-way through its run.
// - Karpathy's build-nanogpt `log/log.txt` (`0 train 10.955010`, `250 val 3.8210`, `250 hella 0.2487`):
//   refused before as no log this reader knows. Fitted on `train_loss`, `val_loss` beside it.
// - yunjey's pytorch-tutorial loop as the Udacity captioning project prints it (`Epoch [2/3], Step
//   [6000/12942], Loss: …`): read before as every step at x = its epoch, "planned end: step 3". Now each
//   line at its step, the end planned at 3 × 12,942 steps, where the panel predicts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = "build-nanogpt's log.txt and pytorch-tutorial's Epoch [e/E], Step [s/S] console, each half-way: read, fitted, the end planned";

const fixture = (name) => gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', name))).toString('utf8');

export default async function ({ wb, shot, assert, workspace }) {
  // (Named to sort first: the explorer draws only the rows in view, and earlier scenarios fill runs/.)
  const gpt = join(workspace, 'runs', 'a-build-nanogpt');
  mkdirSync(gpt, { recursive: true });
  const log = fixture('build-nanogpt-linear-lr-log.txt.gz').split('\n').filter((l) => l && Number(l.split(' ')[0]) <= 9000);
  writeFileSync(join(gpt, 'log.txt'), log.join('\n') + '\n');
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-build-nanogpt/log.txt', { timeout: 120_000, trust: true });
  await f.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
  assert.match(await f.locator('#sl-meta').innerText(), /^text · single run · 9,?001 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'train_loss');
  const series = await f.locator('#sl-series option').allInnerTexts();
  assert.ok(series.some((s) => /val_loss/.test(s)), series.join(', '));
  assert.ok(!series.some((s) => /hella/.test(s)), 'HellaSwag is an accuracy, no loss');
  assert.doesNotMatch(await f.locator('body').innerText(), /NaN|Infinity|undefined/);
  await shot('build-nanogpt-log');

  const cap = join(workspace, 'runs', 'a-captioning');
  mkdirSync(cap, { recursive: true });
  const lines = fixture('cvnd-captioning-training_log.txt.gz').split('\n');
  const half = lines.findIndex((l) => l.startsWith('Epoch [2/3], Step [6000/12942]'));
  assert.ok(half > 0);
  writeFileSync(join(cap, 'training_log.txt'), lines.slice(0, half + 1).join('\n') + '\n');
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/a-captioning/training_log.txt', { timeout: 120_000, trust: true });
  await g.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
  assert.match(await g.locator('#sl-meta').innerText(), /^text · single run · 18,?942 rows/);
  assert.equal(await g.locator('#sl-series').inputValue(), 'Loss');
  const body = await g.locator('body').innerText();
  assert.match(body, /predicted at the run's planned end, step 38826 \(the log's epoch counter/, body);
  assert.match(await g.locator('#sl-goodness').innerText(), /Loss at step 38\.8k/);
  assert.match(await g.locator('#sl-trust').innerText(), /makes 3 passes over its data/);
  assert.doesNotMatch(body, /NaN|Infinity|undefined/);
  await shot('captioning-console-half-way');
}

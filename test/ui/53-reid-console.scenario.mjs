// Twenty-ninth session, like a user training a person re-identification model with TransReID (or
// SOLIDER-REID, CLIP-ReID): its console `train_log.txt` (a real one, test/fixtures/SOURCES.md) read half-way,
// at epoch 60 of 120, as it is while still training. Before, the file was refused as no log this reader
// knows (`Epoch[1] Iter[20/186] Loss: …`: the counter's bracket follows its word).
// - Fitted from the explorer: 540 rows, each at the epochs before × 186 + its iteration, the loss named
//   `Loss`; the yacs config printed first (`MAX_EPOCHS: 120`) plans the end, where the panel predicts.
// - The verdict says the run makes 120 passes over its data and its LR ahead is not known.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'A TransReID console half-way: its Epoch[N] Iter[i/T] lines read and fitted, the printed config planning 120 epochs';

export default async function ({ wb, shot, assert, workspace }) {
  // (Named to sort first: the explorer draws only the rows in view, and earlier scenarios fill runs/.)
  const dir = join(workspace, 'runs', 'a-reid-swin-tiny');
  mkdirSync(dir, { recursive: true });
  const text = gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'transreid-swin-tiny-market1501-train_log.txt.gz'))).toString('utf8');
  const lines = text.split('\n');
  const half = lines.findIndex((l) => / Epoch 60 done\. /.test(l));
  assert.ok(half > 0);
  writeFileSync(join(dir, 'train_log.txt'), lines.slice(0, half + 1).join('\n') + '\n');
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-reid-swin-tiny/train_log.txt', { timeout: 120_000, trust: true });
  await f.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
  assert.match(await f.locator('#sl-meta').innerText(), /^text · single run · 540 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'Loss');
  const summary = await f.locator('#sl-summary').innerText();
  assert.match(summary, /planned end step 22320 \(max_epochs = 120 in train_log\.txt × 186 steps an epoch/, summary);
  // Predicted at the planned end (120 epochs × 186 iterations), not at 10× the last point.
  assert.match(await f.locator('#sl-goodness').innerText(), /Loss at step 22\.3k/);
  const trust = await f.locator('#sl-trust').innerText();
  assert.match(trust, /makes 120 passes over its data/);
  assert.doesNotMatch(await f.locator('body').innerText(), /NaN|Infinity|undefined/);
  await shot('reid-console-half-way');
  await f.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('reid-console-trust');
}

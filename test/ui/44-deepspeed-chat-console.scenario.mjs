// A console read for the first time in the twentieth session (test/fixtures/SOURCES.md): DeepSpeed-Chat's
// supervised fine-tuning log, whose only metric is the held-out perplexity after each epoch. It was
// refused ("not a training log this reader knows"); now its perplexity is the held-out loss (its log),
// DeepSpeed's `step=N, …, lr=[…]` lines its LR, and its 16 epochs of 460 steps its plan.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a DeepSpeed-Chat SFT console fitted from the explorer: its per-epoch perplexity as the held-out loss, under its logged cosine';

export default async function ({ wb, shot, assert, workspace }) {
  mkdirSync(join(workspace, 'runs', 'a-dschat'), { recursive: true });
  writeFileSync(join(workspace, 'runs', 'a-dschat', 'training.log'), gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'deepspeed-chat-opt-1.3b-sft.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-dschat/training.log', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await f.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await f.locator('#sl-meta').innerText(), /^text · single run · 737 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'val_loss');
  const body = await f.locator('body').innerText();
  assert.match(body, /cosine/);
  assert.match(body, /step 7360|7,360/);
  assert.doesNotMatch(body, /not a training log/);
  await shot('deepspeed-chat-console');
}

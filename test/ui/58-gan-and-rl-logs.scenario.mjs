// Thirty-first session, like two users of real public runs (test/fixtures/SOURCES.md):
// - One trained CycleGAN with pytorch-CycleGAN-and-pix2pix and fits its checkpoints/<name>/loss_log.txt,
//   which was refused before. Its rows sit at the images seen, the generator's whole objective G is
//   fitted, the train_opt.txt beside it plans 200 epochs, and the panel says a GAN's losses are not
//   expected to follow a scaling law.
// - One ran GRPO (TRL through Unsloth) and fits its trainer_state.json: its loss is β·KL, no learning
//   curve, and the trust section says so.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = "a CycleGAN loss_log.txt (its generator's loss G, 200 epochs planned) and a GRPO run (said to be no learning curve), from the explorer";

export default async function ({ wb, shot, assert, workspace }) {
  const fixtures = join(process.cwd(), 'test', 'fixtures');
  // (Named to sort first: the explorer draws only the rows in view, and earlier scenarios fill runs/.)
  const gan = join(workspace, 'runs', 'a-cyclegan');
  mkdirSync(gan, { recursive: true });
  for (const n of ['loss_log.txt', 'train_opt.txt']) copyFileSync(join(fixtures, 'cyclegan-remote-sensing', n), join(gan, n));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-cyclegan/loss_log.txt', { timeout: 120_000, trust: true });
  assert.match(await f.locator('#sl-meta').innerText(), /^text · single run · 115 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'G');
  const series = await f.locator('#sl-series option').allInnerTexts();
  assert.ok(series.some((o) => /cycle_A/.test(o)) && series.some((o) => /D_B/.test(o)), series.join(', '));
  assert.match(await f.locator('#sl-trust').innerText(), /200 passes over its data \(train_opt\.txt beside the log/);
  const body = await f.locator('body').innerText();
  assert.doesNotMatch(body, /NaN|Infinity|undefined/);
  await shot('cyclegan-loss-log');

  const rl = join(workspace, 'runs', 'a-grpo');
  mkdirSync(rl, { recursive: true });
  writeFileSync(join(rl, 'trainer_state.json'), gunzipSync(readFileSync(join(fixtures, 'grpo-unsloth-qwen-250-trainer_state.json.gz'))));
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/a-grpo/trainer_state.json', { timeout: 120_000, trust: true });
  assert.equal(await g.locator('#sl-series').inputValue(), 'loss');
  const trust = await g.locator('#sl-trust').innerText();
  assert.match(trust, /Not supported/);
  assert.match(trust, /a reinforcement-learning run \(a reward, "reward", beside the KL to the reference model, "kl" \(GRPO\)\)/);
  await shot('grpo-trust');
}

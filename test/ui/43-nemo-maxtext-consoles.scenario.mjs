// Two consoles read whole for the first time in the nineteenth session (test/fixtures/SOURCES.md): a
// real MaxText console, whose printed config now plans its LR, gives its tokens per step and its model
// size (before: "290 steps", no schedule, x = steps), and a real NeMo 2 console, whose checkpoint paths
// (`…val_loss=0.0000….ckpt`) had made 15 of its rows a restart and whose `Validation: iteration 20/20`
// had planned the run to step 20.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a MaxText console fitted against tokens with its printed schedule; a NeMo 2 console read whole, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  /** A fixture copied into a run folder of the workspace and fitted from the explorer, after closing the editors. */
  const fit = async (fixture, folder, name) => {
    mkdirSync(join(workspace, 'runs', folder), { recursive: true });
    copyFileSync(join(process.cwd(), 'test', 'fixtures', ...fixture.split('/')), join(workspace, 'runs', folder, name));
    await wb.runCommand('View: Close All Editors');
    return wb.fitFromExplorer(`runs/${folder}/${name}`, { timeout: 120_000 });
  };
  const trust = (frame) => wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);

  const f1 = await fit('maxtext-llama2-7b-console.log', 'a-maxtext', 'train.log');
  await trust(f1);
  assert.match(await f1.locator('#sl-meta').innerText(), /^text · single run · 30 rows/);
  assert.equal((await f1.locator('#sl-x').inputValue()), 'tokens');
  const body = await f1.locator('body').innerText();
  assert.match(body, /MaxText's schedule \(linear warm-up, then cosine\)/);
  assert.match(body, /196,608 tokens per step/);
  assert.doesNotMatch(body, /extrapolated to 10× the last point/);
  await shot('maxtext-console');

  const f2 = await fit('nemo2-evo2-finetune/train_evo2_console.log', 'a-nemo2', 'train.log');
  await trust(f2);
  assert.match(await f2.locator('#sl-meta').innerText(), /^text · single run · 100 rows/);
  assert.equal(await f2.locator('#sl-series').inputValue(), 'reduced_train_loss');
  const b2 = await f2.locator('body').innerText();
  assert.doesNotMatch(b2, /restart/);
  assert.match(b2, /step 99/);
  await shot('nemo2-console');
}

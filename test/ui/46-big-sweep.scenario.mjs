// A sweep table of 150,000 runs (a generated grid of 40 model sizes × 60 token counts): the panel
// draws it and its Chinchilla fit, then Kaplan's. `Math.min(...values)` overflowed the stack past
// about 120,000 values (the webview's colour scale by model size, Kaplan's curves); Kaplan's 400
// starts on every row took minutes at this size. The chart is sent 1 run in 8 (at most 20,000).
import { createRequire } from 'node:module';
import { writeFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'a sweep of 150,000 runs is drawn and fitted with Chinchilla and Kaplan';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { bigSweep } = createRequire(import.meta.url)(join(root, 'out/test/helpers/sweeps.js'));

export default async function ({ wb, shot, assert, workspace }) {
  const file = join(workspace, 'sweeps', 'big_sweep.csv');
  await writeFile(file, bigSweep(150_000));
  try {
    // (The explorer's folders are folded first: those opened by earlier scenarios push 'sweeps' out of its rendered rows.)
    const frame = await wb.fitFromExplorer('sweeps/big_sweep.csv', { timeout: 150_000 });
    const params = frame.locator('#sl-params');
    await params.waitFor({ timeout: 120_000 });
    const chin = await params.innerText();
    const alpha = Number(/α\s+([\d.]+)/.exec(chin)?.[1]);
    assert.ok(alpha > 0.3 && alpha < 0.38, `Chinchilla α on the generated sweep (0.34): ${chin}`);
    // The chart draws 1 run in 8 (at most 20,000 are sent to it); the fit uses all of them.
    assert.match(await frame.locator('body').innerText(), /150,000 rows.*chart: 18,750 of 150,000 drawn \(1 in 8\), the fit uses all/);
    await shot('chinchilla-150k-runs');
    await frame.locator('#sl-law').selectOption('kaplan');
    await wb.waitUntil('Kaplan parameters in the panel', async () => /α_N/.test(await params.innerText().catch(() => '')), 150_000);
    await frame.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
    const kap = await params.innerText();
    assert.match(kap, /α_N/);
    await shot('kaplan-150k-runs');
  } finally {
    await rm(file, { force: true });
  }
}

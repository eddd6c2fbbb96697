// Issues 3–5, like a user: ask for the compute-optimal allocation of a FLOP budget from the command
// palette, then add expected inference tokens (Sardana et al.) and a unique-data limit (Muennighoff et al.);
// issue 14: choose a thinking-budget table there and ask whether to train bigger or think longer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'allocation view: budget from the palette, inference-aware and repeated-data variants, train bigger or think longer from a thinking-budget table';

export default async function ({ page, wb, shot, assert, workspace }) {
  await wb.runCommand('Scaling Lens: Show Compute-Optimal Allocation…');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('5.76e23');
  await page.keyboard.press('Enter');
  const frame = await wb.waitForWebview({ selector: 'body.sl-panel[data-rendered="true"]', title: /Compute-optimal allocation/, timeout: 60_000 });
  const alloc = await frame.locator('#sl-allocation').innerText();
  // Chinchilla's own budget (70B on 1.4T tokens): the replication law puts the optimum near 20 tokens/param.
  const ratio = Number(/Tokens per parameter\s+([\d.]+)/.exec(alloc)?.[1]);
  assert.ok(ratio > 15 && ratio < 30, alloc);
  await shot('allocation');

  await frame.locator('#sl-inference').fill('1e13');
  await frame.locator('#sl-inference').press('Enter');
  await frame.locator('#sl-inference-result').waitFor({ timeout: 30_000 });
  await frame.locator('#sl-unique').fill('3e11');
  await frame.locator('#sl-unique').press('Enter');
  await frame.locator('#sl-repeated-result').waitFor({ timeout: 30_000 });
  const text = await frame.locator('#sl-summary').innerText();
  assert.match(text, /FLOPs saved\s+[\d.]+%/, text);
  assert.match(text, /Epochs\s+[\d.]+/);
  await shot('inference-and-repeated');

  // Train bigger or think longer: a thinking-budget table of the workspace, chosen in this view.
  await frame.locator('#sl-think-choose').click();
  const pick = page.locator('.quick-input-widget .quick-input-box input');
  await pick.waitFor({ state: 'visible', timeout: 10_000 });
  await pick.fill('thinking_budget');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'thinking_budget.csv' }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await frame.locator('#sl-think #sl-think-or-train').waitFor({ timeout: 60_000 });
  const think = await frame.locator('#sl-think').innerText();
  assert.match(think, /Thinking-budget table: thinking_budget\.csv/);
  assert.match(think, /Train bigger or think longer\? [\d.]+% accuracy, 1M queries/, think);
  assert.match(think, /★ cheapest/);
  assert.match(await frame.locator('#sl-flips').innerText(), /flips|stays the cheapest/);
  await shot('think-or-train');
  // More queries: compared again, and the budget's allocation is still there.
  await frame.locator('#sl-queries').fill('1e12');
  await frame.locator('#sl-queries').press('Enter');
  await wb.waitUntil('compared again at 1e12 queries', async () => /1T queries/.test(await frame.locator('#sl-think').innerText().catch(() => '')), 60_000);
  assert.match(await frame.locator('#sl-allocation').innerText(), /Tokens per parameter/);
  await shot('think-or-train-more-queries');

  // A table without training tokens: this view's law gives each model's compute-optimal D.
  const dir = join(workspace, 'think-untrained');
  mkdirSync(dir, { recursive: true });
  const rows = ['model,params,thinking_tokens,accuracy'];
  for (const [m, n, mid] of [['small', 1.5e9, 4000], ['large', 7e9, 800]]) {
    for (const t of [128, 256, 512, 1024, 2048, 4096, 8192, 16384]) rows.push(`${m},${n},${t},${(5 + 60 / (1 + Math.pow(mid / t, 1.2))).toFixed(2)}`);
  }
  writeFileSync(join(dir, 'budget_untrained.csv'), rows.join('\n') + '\n');
  await wb.waitUntil('the new table is known', async () => {
    await frame.locator('#sl-think-choose').click();
    await pick.waitFor({ state: 'visible', timeout: 10_000 });
    await pick.fill('budget_untrained');
    const found = await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'budget_untrained.csv' }).first().isVisible({ timeout: 3_000 }).catch(() => false);
    if (!found) await page.keyboard.press('Escape');
    return found;
  }, 60_000);
  await page.keyboard.press('Enter');
  await wb.waitUntil('compared with the law of this view', async () => /Training tokens: compute-optimal for N \(Besiroglu et al\. 2024/.test(await frame.locator('#sl-think').innerText().catch(() => '')), 60_000);
  await shot('think-or-train-law-tokens');
}

// Issues 3–5, like a user: ask for the compute-optimal allocation of a FLOP budget from the command
// palette, then add expected inference tokens (Sardana et al.) and a unique-data limit (Muennighoff et al.).
export const title = 'allocation view: budget from the palette, inference-aware and repeated-data variants';

export default async function ({ page, wb, shot, assert }) {
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
}

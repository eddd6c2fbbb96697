// Issue 4: the chart panel survives a window reload (its serializer restores it and refits).
export const title = 'panel survives a window reload';
export const fresh = true;

export default async function ({ page, wb, shot, assert }) {
  const row = await wb.explorerRow('runs/synthetic-125m/train_log.jsonl');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const before = await wb.waitForWebview({ selector: 'body.sl-panel[data-rendered="true"]', title: /train_log\.jsonl/, timeout: 60_000 });
  await shot('before-reload');
  // Mark the document: the panel found after the reload must be a new one, not this frame lingering
  // (the workbench from before the reload would also pass a "workbench ready" wait).
  await before.locator('body').evaluate((b) => { b.dataset.beforeReload = 'true'; });
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await wb.runCommand('Developer: Reload Window');
  await reloaded;
  await wb.waitForWorkbench();
  const frame = await wb.waitForWebview({ selector: 'body.sl-panel[data-rendered="true"]:not([data-before-reload])', title: /train_log\.jsonl/, timeout: 90_000 });
  assert.match(await frame.locator('h1').innerText(), /train_log\.jsonl/);
  assert.match(await frame.locator('#sl-params').innerText(), /[αβ]/);
  await shot('after-reload');
}

// Issue 4: the chart panel survives a window reload (its serializer restores it and refits).
export const title = 'panel survives a window reload';
export const fresh = true;

export default async function ({ wb, shot, assert }) {
  const row = await wb.explorerRow('runs/synthetic-125m/train_log.jsonl');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  await wb.waitForWebview({ selector: 'body.sl-panel[data-rendered="true"]', timeout: 60_000 });
  await shot('before-reload');
  await wb.runCommand('Developer: Reload Window');
  await wb.waitForWorkbench();
  const frame = await wb.waitForWebview({ selector: 'body.sl-panel[data-rendered="true"]', timeout: 90_000 });
  assert.match(await frame.locator('h1').innerText(), /train_log\.jsonl/);
  assert.match(await frame.locator('#sl-params').innerText(), /β/);
  await shot('after-reload');
}

// Open a run log, then F1 → "Scaling Lens: Fit Scaling Law" opens a webview panel for it.
export const title = 'command palette → Fit Scaling Law on the open log → webview panel';

export default async function ({ wb, shot, assert }) {
  await wb.openFile('runs/lightning-slm/metrics.csv');
  await shot('metrics-csv-open');
  const before = await wb.webviewCount();
  await wb.runCommand('Scaling Lens: Fit Scaling Law');
  await wb.waitUntil('a new webview', async () => (await wb.webviewCount()) > before, 60_000);
  const frame = await wb.waitForWebview({ timeout: 60_000 });
  assert.ok(await frame.locator('body').count(), 'the webview has a body');
  await shot('webview-panel-from-palette');
  assert.ok((await wb.tabLabels()).includes('metrics.csv'), 'the log stays open beside the panel');
}

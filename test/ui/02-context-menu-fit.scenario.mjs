// Like a user: right-click a CSV in the explorer, pick "Fit Scaling Law", and a webview panel
// opens whose inner document is there.
export const title = 'explorer context menu on a .csv → Fit Scaling Law → webview panel';

export default async function ({ page, wb, shot, assert }) {
  const before = await wb.webviewCount();
  const row = await wb.explorerRow('sweeps/chinchilla_sweep.csv');
  await shot('explorer-sweep-revealed');
  // Leave the menu open once for the screenshot, then pick the item.
  const items = await wb.contextMenu(row, 'Fit Scaling Law', { click: false, timeout: 60_000 });
  await shot('context-menu-open');
  assert.ok(items.includes('Fit Scaling Law'), `menu items: ${items.join(' | ')}`);
  await page.keyboard.press('Escape');
  await wb.contextMenu(row, 'Fit Scaling Law');

  const frame = await wb.waitForWebview({ timeout: 60_000 });
  assert.ok((await wb.webviewCount()) > before, 'a new webview opened');
  const tab = page.locator('.tabs-container .tab.active');
  await tab.waitFor({ state: 'visible' });
  const state = await frame.locator('body').evaluate((b) => ({ ready: b.ownerDocument.readyState, url: b.ownerDocument.URL }));
  assert.equal(state.ready, 'complete', 'the webview document has loaded');
  assert.match(state.url, /^vscode-webview:|index\.html|fake\.html/, `webview document url ${state.url}`);
  await shot('webview-panel-open');
}

// Issue 4: the chart follows the editor's colour theme (light, dark, high contrast) without a refit.
export const title = 'chart follows the colour theme';

async function pixelSum(frame) {
  return frame.locator('#sl-chart').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    for (let i = 0; i < d.length; i += 4) s += d[i] + d[i + 1] + d[i + 2];
    return s;
  });
}

const themeOf = (frame) => frame.locator('body').evaluate((b) =>
  ['vscode-high-contrast-light', 'vscode-high-contrast', 'vscode-light', 'vscode-dark'].find((c) => b.classList.contains(c)));

export default async function ({ wb, shot, assert }) {
  const row = await wb.explorerRow('runs/synthetic-125m/train_log.jsonl');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  let frame = await wb.waitForWebview({ selector: 'body.sl-panel[data-rendered="true"]', title: /train_log\.jsonl/, timeout: 60_000 });
  const before = { theme: await themeOf(frame), sum: await pixelSum(frame) };
  await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
  await wb.waitUntil('the webview to take the other theme', async () => (await themeOf(frame)) !== before.theme, 30_000);
  await frame.locator('body[data-rendered="true"]').waitFor({ timeout: 30_000 });
  const after = { theme: await themeOf(frame), sum: await pixelSum(frame) };
  assert.notEqual(after.theme, before.theme);
  assert.notEqual(after.sum, before.sum, 'the chart was redrawn in the new theme\'s colours');
  await shot(`theme-${after.theme}`);
  await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
  await wb.waitUntil('the theme back', async () => (await themeOf(frame)) === before.theme, 30_000);
}

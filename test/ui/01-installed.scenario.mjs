// The VSIX is installed in the real editor: its view container is in the activity bar and its
// commands are in the command palette under their manifest titles.
export const title = 'extension installed: activity bar entry and palette commands';

export default async function ({ page, wb, shot, assert }) {
  const container = page.locator('.activitybar .action-item .action-label[aria-label^="Scaling Lens"]');
  await container.waitFor({ state: 'visible', timeout: 30_000 });
  await shot('workbench-with-activity-bar-entry');

  const items = await wb.paletteItems('Scaling Lens:', { close: false });
  await shot('palette-scaling-lens-commands');
  await page.keyboard.press('Escape');
  assert.ok(items.includes('Scaling Lens: Fit Scaling Law'), `palette lists "Scaling Lens: Fit Scaling Law"; it listed: ${items.join(' | ')}`);
  assert.ok(items.includes('Scaling Lens: Open Chart Panel'), `palette lists "Scaling Lens: Open Chart Panel"; it listed: ${items.join(' | ')}`);
}

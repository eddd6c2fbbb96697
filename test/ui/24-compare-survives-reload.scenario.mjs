// Issue 9: the runs' compare panel survives a window reload like the chart panel does
// (19-panel-survives-reload): its serializer finds the runs it showed among the runs discovered
// again and draws them.
import { showRunsView, waitForRuns, runRow, restoring } from './runs-helpers.mjs';

export const title = 'compare panel survives a window reload: same runs, chart drawn again';
export const fresh = true;

const CHART = 'body.sl-compare[data-rendered="true"]';

export default restoring(async function ({ page, wb, shot, assert }) {
  const pane = await showRunsView(page);
  const names = ['version_0', 'llama-8m', 'out-medium'];
  await waitForRuns(pane, wb, names);
  await runRow(pane, names[0]).click();
  for (const n of names.slice(1)) await runRow(pane, n).click({ modifiers: [process.platform === 'darwin' ? 'Meta' : 'Control'] });
  await wb.runCommand('Scaling Lens: Compare Runs');
  const before = await wb.waitForWebview({ selector: CHART, title: /^Loss curves: 3 runs/, timeout: 90_000 });
  const legendBefore = await before.locator('.sl-compare-legend li').allInnerTexts();
  assert.equal(legendBefore.length, 3, legendBefore.join('\n'));
  await shot('before-reload');
  // Mark this document: the chart found after the reload must be a new one, not this frame lingering.
  await before.locator('body').evaluate((b) => { b.dataset.beforeReload = 'true'; });

  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await wb.runCommand('Developer: Reload Window');
  await reloaded;
  // The Scaling Lens container stays open across the reload (the explorer is hidden): wait for the
  // workbench itself, then for the restored panel.
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: 90_000 });
  const after = await wb.waitForWebview({ selector: `${CHART}:not([data-before-reload])`, title: /^Loss curves: 3 runs/, timeout: 120_000 });
  const legendAfter = await after.locator('.sl-compare-legend li').allInnerTexts();
  // The same runs, in the same order (sorted by model size), with the same N and ratios.
  assert.deepEqual(legendAfter, legendBefore);
  assert.equal(await after.locator('body').getAttribute('data-axis'), 'tokens');
  // The chart really has pixels (the webview's own check sets data-rendered="true" only then).
  assert.ok((await after.locator('#sl-compare-canvas').count()) === 1);
  await shot('after-reload');

  // Still a working chart after the restore: a fit per run on request.
  await after.locator('#sl-fit-each').click();
  await after.locator('body[data-fits="3"]').waitFor({ timeout: 90_000 });
  await shot('after-reload-fits');
});

// Issue 9: the runs' compare and fit-across panels survive a window reload like the chart panel does
// (19-panel-survives-reload): their serializers find the runs they showed among the runs discovered
// again and draw them (the fit across runs with the budget the user typed).
import { showRunsView, waitForRuns, runRow, findWebview, restoring } from './runs-helpers.mjs';

export const title = 'compare and fit-across panels survive a window reload: same runs, charts drawn again';
export const fresh = true;

const COMPARE = 'body.sl-compare[data-rendered="true"]';
const FIT = 'body.sl-panel[data-rendered="true"]';

export default restoring(async function ({ page, wb, shot, assert }) {
  const pane = await showRunsView(page);
  const names = ['version_0', 'llama-8m', 'out-medium'];
  await waitForRuns(pane, wb, [...names, 'multirun']);
  await runRow(pane, names[0]).click();
  for (const n of names.slice(1)) await runRow(pane, n).click({ modifiers: [process.platform === 'darwin' ? 'Meta' : 'Control'] });
  await wb.runCommand('Scaling Lens: Compare Runs');
  const compare = await wb.waitForWebview({ selector: COMPARE, title: /^Loss curves: 3 runs/, timeout: 90_000 });
  const legendBefore = await compare.locator('.sl-compare-legend li').allInnerTexts();
  assert.equal(legendBefore.length, 3, legendBefore.join('\n'));
  await shot('compare-before-reload');

  await runRow(pane, 'multirun').click();
  await wb.contextMenu(pane.locator('.monaco-list-row[aria-label^="multirun:"]').first(), 'Fit Across Runs');
  const fit = await findWebview(page, wb, `${FIT} #sl-params`, 90_000);
  await fit.locator('#sl-budget').fill('1e21');
  await fit.locator('#sl-budget').press('Enter');
  await wb.waitUntil('the optimum for 1e21 FLOPs', async () => /Optimal N for 1(\.0)?e21 FLOPs/.test(await fit.locator('#sl-summary').innerText().catch(() => '')), 60_000);
  const paramsBefore = await fit.locator('#sl-params').innerText();
  await shot('fit-across-before-reload');

  // Mark both documents: the charts found after the reload must be new ones, not these frames lingering.
  for (const f of [compare, fit]) await f.locator('body').evaluate((b) => { b.dataset.beforeReload = 'true'; });
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await wb.runCommand('Developer: Reload Window');
  await reloaded;
  // The Scaling Lens container stays open across the reload (the explorer is hidden): wait for the
  // workbench itself, then for the restored panels.
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: 90_000 });

  const fitAfter = await findWebview(page, wb, `${FIT}:not([data-before-reload]) #sl-params`, 120_000);
  // The same sweep, the same law, and the budget typed before the reload.
  assert.equal(await fitAfter.locator('#sl-params').innerText(), paramsBefore);
  await wb.waitUntil('the restored optimum for 1e21 FLOPs', async () => /Optimal N for 1(\.0)?e21 FLOPs/.test(await fitAfter.locator('#sl-summary').innerText().catch(() => '')), 60_000);
  await shot('fit-across-after-reload');

  // A tab not in view is restored when it is shown.
  const tab = page.locator('.tabs-container .tab', { hasText: 'Compare: 3 runs' }).first();
  await tab.click();
  const after = await wb.waitForWebview({ selector: `${COMPARE}:not([data-before-reload])`, title: /^Loss curves: 3 runs/, timeout: 120_000 });
  // The same runs, in the same order (sorted by model size), with the same N and ratios.
  assert.deepEqual(await after.locator('.sl-compare-legend li').allInnerTexts(), legendBefore);
  assert.equal(await after.locator('body').getAttribute('data-axis'), 'tokens');
  await shot('compare-after-reload');

  // Still a working chart after the restore: a fit per run on request.
  await after.locator('#sl-fit-each').click();
  await after.locator('body[data-fits="3"]').waitFor({ timeout: 90_000 });
  await shot('compare-after-reload-fits');
});

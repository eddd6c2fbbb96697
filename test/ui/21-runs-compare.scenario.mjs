// Issue 12: several runs selected in the Runs view open one chart, a curve per run on a common axis,
// coloured by model size, a legend with N and the ratio; each run's fit on request.
import { showRunsView, waitForRuns, runRow, findWebview, restoring } from './runs-helpers.mjs';

export const title = 'compare: five runs selected in the Runs view on one chart, then a fit per run';

export default restoring(async function ({ page, wb, shot, assert }) {
  const pane = await showRunsView(page);
  const names = ['version_0', 'version_1', 'version_2', 'llama-8m', 'out-medium'];
  await waitForRuns(pane, wb, names);
  await runRow(pane, names[0]).click();
  for (const n of names.slice(1)) await runRow(pane, n).click({ modifiers: [process.platform === 'darwin' ? 'Meta' : 'Control'] });
  await wb.runCommand('Scaling Lens: Compare Runs');
  const frame = await findWebview(page, wb, 'body.sl-compare[data-rendered="true"]');
  const legend = await frame.locator('.sl-compare-legend li').allInnerTexts();
  assert.equal(legend.length, 5, legend.join('\n'));
  // Sorted by model size, each with N and tokens per parameter.
  assert.match(legend[0], /version_0 · N 1\.87M · 40\.2 tok\/param/);
  assert.match(legend[4], /out-medium · N 51\.1M · 5\.01 tok\/param/);
  assert.equal(await frame.locator('body').getAttribute('data-axis'), 'tokens');
  await shot('compare-five-runs');

  await frame.locator('#sl-fit-each').click();
  await frame.locator('body[data-fits="5"]').waitFor({ timeout: 60_000 });
  assert.match((await frame.locator('.sl-compare-legend').innerText()), /fit β = /);
  await shot('compare-with-fits');

  await frame.locator('#sl-axis').selectOption('flops');
  await frame.locator('body[data-axis="flops"][data-fits="5"]').waitFor({ timeout: 60_000 });
  await shot('compare-on-flops');
});

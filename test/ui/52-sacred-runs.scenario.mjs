// Twenty-eighth session, like a user of Sacred: two real run folders of its FileStorageObserver
// (test/fixtures/sacred-jsb-chorales: metrics.json beside config.json and run.json). Before, the
// metrics.json was not a log at all (its first metric, an accuracy, fills the head before any loss).
// - Run 10: fitted from the explorer, its training loss against Sacred's step; its real 1e26 spikes
//   left out of the fit and marked at the chart's top edge; the notes say how Sacred's per-metric
//   counters line up.
// - Run 80 diverged (every loss NaN): the panel says there is nothing to fit and why.
// - The Runs view lists the folder of runs, run 10 as a "Sacred run".
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { showRunsView, restoreSideView } from './runs-helpers.mjs';

export const title = 'Sacred run folders: metrics.json read and fitted, its spikes marked, a diverged run said, the runs listed';

const FIX = join(process.cwd(), 'test', 'fixtures', 'sacred-jsb-chorales');

export default async function ({ page, wb, shot, assert, workspace }) {
  cpSync(FIX, join(workspace, 'runs', 'a-sacred'), { recursive: true });
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-sacred/10/metrics.json', { timeout: 120_000, trust: true });
  await f.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
  // (Sacred's note on its counters is the log's one problem, an information in the Problems view.)
  assert.match(await f.locator('#sl-meta').innerText(), /^json · single run · 300 rows · 1 problem/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'trainLoss');
  const body = await f.locator('body').innerText();
  assert.match(body, /left out \d+ isolated spikes?/);
  assert.doesNotMatch(body, /NaN|Infinity/);
  assert.ok(Number(await f.locator('body').getAttribute('data-spikes')) >= 1, 'the spikes are marked at the top edge');
  await shot('sacred-run-fitted');
  await wb.problems();
  const filter = page.locator('.viewpane-filter input').first();
  await filter.fill('a-sacred');
  try {
    await wb.waitUntil("Sacred's note in the Problems view", async () => (await wb.problems()).some((x) => x.severity === 'info' && /Sacred's metrics\.json: 6 metrics, joined by step/.test(x.text)), 60_000);
    await shot('sacred-note-in-problems');
  } finally {
    await filter.fill('');
  }

  await wb.runCommand('View: Close All Editors');
  const d = await wb.fitFromExplorer('runs/a-sacred/80/metrics.json', { timeout: 120_000, selector: '.sl-error' });
  assert.match(await d.locator('.sl-error').first().innerText(), /"trainLoss", "testLoss", "validLoss" have no finite value: NaN, infinite or missing in every row \(did the run diverge\?\)/);
  // The chart's empty axes say so, not read as an empty run.
  await d.locator('.sl-chart-empty').waitFor({ timeout: 30_000 });
  assert.equal(await d.locator('.sl-chart-empty').innerText(), 'Nothing to draw: no finite value to plot');
  await shot('sacred-run-diverged');

  await wb.reset();
  const pane = await showRunsView(page);
  const row = pane.locator('.monaco-list-row[aria-label^="runs/a-sacred"]').first();
  await wb.waitUntil('the a-sacred group', async () => (await row.count()) > 0, 120_000);
  await shot('sacred-runs-listed');
  await restoreSideView(page);
}

// Issue 12: a folder of runs becomes a sweep: fitted with Chinchilla Approach 3, the frontier drawn,
// the compute-optimal size for a typed budget; the law the sample runs were generated from comes back.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { showRunsView, waitForRuns, findWebview, restoring } from './runs-helpers.mjs';

export const title = 'fit across runs: the multirun folder as a sweep, the law recovered, the optimum for a typed budget';

export default restoring(async function ({ page, wb, shot, assert, workspace }) {
  const pane = await showRunsView(page);
  await waitForRuns(pane, wb, ['multirun']);
  const group = pane.locator('.monaco-list-row[aria-label^="multirun:"]').first();
  await wb.contextMenu(group, 'Fit Across Runs');
  const frame = await findWebview(page, wb, 'body.sl-panel[data-rendered="true"] #sl-params');
  const params = await frame.locator('#sl-params').innerText();
  const alpha = Number(/α\s+([\d.]+)/.exec(params)?.[1]);
  const beta = Number(/β\s+([\d.]+)/.exec(params)?.[1]);
  // samples/multirun follows α = 0.34, β = 0.28 (scripts/make-multirun.mjs).
  assert.ok(Math.abs(alpha - 0.34) < 0.03 && Math.abs(beta - 0.28) < 0.03, params);
  assert.match(await frame.locator('#sl-summary').innerText(), /Points used\s+10/);
  // The header says where the table came from: run folders, not a CSV file.
  assert.match(await frame.locator('body').innerText(), /run folders · sweep table · 10 rows/);
  await shot('fit-across-runs');

  await frame.locator('#sl-budget').fill('1e21');
  await frame.locator('#sl-budget').press('Enter');
  await wb.waitUntil('the optimum for 1e21 FLOPs', async () => /Optimal N for 1(\.0)?e21 FLOPs/.test(await frame.locator('#sl-summary').innerText().catch(() => '')), 60_000);
  const summary = await frame.locator('#sl-summary').innerText();
  assert.match(summary, /Optimal D/);
  await shot('optimum-for-budget');

  // Export CSV: the save dialog offers runs-sweep.csv in the workspace; accepted, the table is written
  // with each row's source (the sweep's CSV writer is loaded on demand, not at activation).
  const out = join(workspace, 'runs-sweep.csv');
  rmSync(out, { force: true });
  await frame.getByRole('button', { name: 'Export CSV' }).click();
  const input = page.locator('.quick-input-widget:not([style*="display: none"]) input.input');
  await input.waitFor({ timeout: 30_000 });
  await wb.waitUntil('the save dialog to offer runs-sweep.csv', async () => /runs-sweep\.csv$/.test(await input.inputValue().catch(() => '')), 30_000);
  await shot('export-csv-save-dialog');
  await input.press('Enter');
  await wb.waitUntil('runs-sweep.csv to be written', async () => existsSync(out), 30_000);
  const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/);
  assert.equal(lines.length, 11, `header + 10 rows: ${lines.length}`);
  assert.match(lines[0], /source/i, lines[0]);
  assert.ok(lines.slice(1).every((l) => /multirun/.test(l)), lines.slice(0, 3).join('\n'));
  await wb.waitUntil('the saved notification', async () => (await wb.notifications('Scaling Lens')).some((n) => /10 rows saved to runs-sweep\.csv/.test(n.text)), 30_000);
  rmSync(out, { force: true });
});

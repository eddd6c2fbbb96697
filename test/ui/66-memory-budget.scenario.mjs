// Thirty-ninth session, like a user with a log too big for the memory set aside for it: a log's kept
// columns are typed arrays, which no heap limit bounds, so scalingLens.memory.logMegabytes (1 GiB by
// default) caps them. With the setting at 16 MB, a 1,000,000-row CSV (20 MB of columns) is read up to a
// line end where they fit; the Problems panel says so on the first line left out, and the panel fits the
// rows read.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a log whose columns would need more than scalingLens.memory.logMegabytes: read in part, the warning on the first line left out';

export default async function ({ page, wb, shot, assert, workspace }) {
  const settingsFile = join(workspace, '.vscode', 'settings.json');
  const before = readFileSync(settingsFile, 'utf8');
  // (In a folder the workspace already has, early in its list: a new top-level folder is not always
  // shown by the explorer when this scenario runs first in a fresh editor.)
  const dir = join(workspace, 'runs', 'a-over-budget');
  mkdirSync(dir, { recursive: true });
  const rows = ['step,loss'];
  for (let k = 1; k <= 1_000_000; k++) rows.push(`${k},${(2 + 30 / Math.sqrt(k)).toFixed(6)}`);
  writeFileSync(join(dir, 'metrics.csv'), rows.join('\n') + '\n');
  // (JSON with comments: the key goes in before the closing brace.)
  writeFileSync(settingsFile, before.replace(/\}\s*$/, ',\n  "scalingLens.memory.logMegabytes": 16\n}\n'));
  try {
    await wb.runCommand('View: Close All Editors');
    const frame = await wb.fitFromExplorer('runs/a-over-budget/metrics.csv', { timeout: 150_000 });
    const body = frame.locator('body');
    await wb.waitUntil('the fit of the rows read', async () => /Points used/.test(await body.innerText().catch(() => '')), 120_000);
    // The Problems panel, filtered to this file (earlier scenarios leave many problems).
    await wb.problems();
    const filter = page.locator('.viewpane-filter input').first();
    await filter.fill('a-over-budget');
    try {
      const found = await wb.waitUntil('the budget warning', async () => (await wb.problems()).find((x) => x.severity === 'warning' && /a log may take/.test(x.text)), 60_000);
      assert.match(found.text, /this line and the \d+ MB after it are left out: the 2 columns kept from the whole \d+ MB would need about \d+ MB, more than the 16 MB a log may take \(the setting scalingLens\.memory\.logMegabytes; the CLI's --max-log-mb\)/);
      await shot('budget-warning-in-problems');
    } finally {
      await filter.fill('');
    }
  } finally {
    writeFileSync(settingsFile, before);
    rmSync(dir, { recursive: true, force: true });
  }
}

// A real Hugging Face Trainer console holding a sweep's 7 runs one after another (test/fixtures/SOURCES.md):
// the fit reads the last run and says the file holds others; "Split Runs into Files" from the explorer's
// menu writes each run beside the log in a folder of its own, and one of them fits as a run of its own.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { findWebview } from './runs-helpers.mjs';

export const title = 'a console of several runs: the fit says so, Split Runs into Files writes each beside it';

export default async function ({ page, wb, shot, assert, workspace }) {
  const dir = join(workspace, 'runs', 'sweep');
  mkdirSync(dir, { recursive: true });
  const text = gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'hf-console-sweep-7-runs.log.gz'))).toString('utf8');
  writeFileSync(join(dir, 'hp_search.log'), text);
  const frame = await wb.fitFromExplorer('runs/sweep/hp_search.log');
  // Said beside the fit, not only among the problems.
  await wb.waitUntil('the note on the runs', async () => /this file holds 7 runs one after another/.test(await frame.locator('body').innerText()), 60_000);
  assert.match(await frame.locator('body').innerText(), /the last is fitted; "Scaling Lens: Split Runs into Files"/);

  await wb.contextMenu(await wb.explorerRow('runs/sweep/hp_search.log'), 'Split Runs into Files', { timeout: 60_000 });
  const files = Array.from({ length: 7 }, (_, k) => join(dir, 'hp_search-runs', `run-${k + 1}`, 'hp_search.log'));
  await wb.waitUntil('the 7 run files', async () => files.every((f) => existsSync(f)), 60_000);
  await wb.waitUntil('the notification', async () => (await wb.notifications()).some((n) => /held 7 runs one after another/.test(n.text)), 30_000);
  assert.equal(files.map((f) => readFileSync(f, 'utf8')).join(''), text);
  await shot('seven-runs-written');
  // Its "Compare Runs": the 7 runs on one chart (a folder each is a run the Runs view lists).
  await page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'held 7 runs' }).getByRole('button', { name: 'Compare Runs' }).click();
  const cmp = await findWebview(page, wb, 'body.sl-compare[data-rendered="true"]');
  await wb.waitUntil('the 7 runs in the legend', async () => (await cmp.locator('.sl-compare-legend li').count()) === 7, 60_000);
  const legend = await cmp.locator('.sl-compare-legend li').allInnerTexts();
  legend.forEach((l, k) => assert.match(l, new RegExp(`^runs/sweep/hp_search-runs/run-${k + 1} · `), legend.join('\n')));
  await shot('seven-runs-compared');

  // The first run (305 dicts, 1,000 epochs) fits as a run of its own.
  await wb.runCommand('Collapse Folders in Explorer');
  const first = await wb.explorerRow('runs/sweep/hp_search-runs/run-1/hp_search.log');
  await wb.contextMenu(first, 'Fit Scaling Law', { timeout: 60_000 });
  // Its panel has the log's name too: found by what it read (305 rows), not by its title.
  let ff;
  await wb.waitUntil('the first run\'s panel', async () => {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = n - 1; i >= 0; i--) {
      const f = wb.webviewFrame(i);
      if (/single run · 305 rows/.test(await f.locator('body').innerText({ timeout: 1000 }).catch(() => ''))) { ff = f; return true; }
    }
    return false;
  }, 120_000);
  await wb.waitUntil('the first run\'s fit', async () => (await ff.locator('#sl-trust').count()) > 0, 60_000);
  const body = await ff.locator('body').innerText();
  assert.match(body, /305 rows/, body);
  assert.doesNotMatch(body, /runs one after another/);
  await shot('first-run-fitted');
}

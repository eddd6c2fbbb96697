// Issue 4: open a run's log; the status-bar item shows rows, the predicted loss and tokens/param;
// the Scaling Lens side view follows the active log and draws it; its button opens the full panel.
export const title = 'run log: status-bar item, side view following the log, open full panel';

export default async function ({ page, wb, shot, assert }) {
  await wb.openFile('runs/synthetic-125m/train_log.jsonl');
  const status = await wb.statusBarText(/rows/, 60_000);
  assert.match(status, /500 rows/);
  assert.match(status, /L\(/);
  assert.match(status, /tok\/param/);
  await shot('status-bar');

  await page.locator('.activitybar .action-item a[aria-label^="Scaling Lens"]').first().click();
  const frame = await wb.waitForWebview({ selector: 'body.sl-sideview[data-rendered="true"]', timeout: 60_000 });
  const numbers = await frame.locator('#sl-summary').innerText();
  assert.match(numbers, /Rows\s+500/);
  assert.match(numbers, /[αβ]/, 'a fitted exponent (the power law\'s β or the LR-aware law\'s α)');
  // The value says its axis: the planned end, 5,000 steps of 524,288 tokens — where the sample's log
  // ends, so it is the fit there (in-sample), said as such.
  assert.match(numbers, /Fitted loss at 2\.62B tokens \(last logged\)/);
  assert.match(await frame.locator('h2').innerText(), /train_log\.jsonl/);
  await shot('side-view');

  await frame.locator('#sl-open').click();
  const panel = await wb.waitForWebview({ selector: 'body.sl-panel[data-rendered="true"]', title: /train_log\.jsonl/, timeout: 60_000 });
  assert.match(await panel.locator('h1').innerText(), /train_log\.jsonl/);
  // The run's config beside the log gives N: the Chinchilla-optimal marker is described.
  assert.match(await panel.locator('#sl-summary').innerText(), /Chinchilla-optimal D/);
  await shot('full-panel-from-side-view');
}

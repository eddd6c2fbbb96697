// Issue 4, like a user: right-click the sweep table in the explorer → Fit Scaling Law; the panel's
// chart is drawn (a non-empty canvas) with the fitted parameters beside it; switch the x-axis and
// the scale from the panel's own controls, with the keyboard.
export const title = 'panel: right-click fit, chart drawn, summary values, switch x-axis and scale';

export default async function ({ page, wb, shot, assert }) {
  const row = await wb.explorerRow('sweeps/chinchilla_sweep.csv');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /chinchilla_sweep\.csv/, timeout: 90_000 });
  // The cancellable progress notification goes away once the fit is drawn.
  await wb.waitUntil('the progress toast to close', async () =>
    !(await wb.notifications('Scaling Lens')).some((n) => /Fitting|Reading/.test(n.text)), 15_000);
  await shot('sweep-fitted');
  // The canvas really has pixels (the webview checks getImageData and marks the body).
  const painted = await wb.paintedPixels(frame);
  assert.ok(painted > 1000, `painted pixels: ${painted}`);
  const params = await frame.locator('#sl-params').innerText();
  assert.match(params, /α/);
  assert.match(params, /β/);
  const E = Number(/\bE\s+([\d.]+)/.exec(params)?.[1]);
  assert.ok(Math.abs(E - 1.817) < 0.01, `E in the summary: ${params}`);
  assert.match(await frame.locator('#sl-goodness').innerText(), /Points used\s+240/);
  assert.equal(await frame.locator('body').getAttribute('data-xkind'), 'flops');

  // Switch the x-axis with the keyboard: focus the select, pick "Tokens".
  await frame.locator('#sl-x').focus();
  await frame.locator('#sl-x').selectOption('tokens');
  await frame.locator('body[data-xkind="tokens"][data-rendered="true"]').waitFor({ timeout: 60_000 });
  await shot('x-axis-tokens');
  // Toggle log-log → linear.
  await frame.locator('#sl-scale').focus();
  await page.keyboard.press('Enter');
  await frame.locator('body[data-logscale="false"][data-rendered="true"]').waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator('#sl-scale').innerText(), 'Linear');
  await shot('linear-axes');
  await frame.locator('#sl-scale').click();
  await frame.locator('body[data-logscale="true"]').waitFor({ timeout: 30_000 });

  // Type a FLOP budget: the compute-optimal allocation appears in the summary (≈20 tokens/param).
  await frame.locator('#sl-budget').fill('1e21');
  await frame.locator('#sl-budget').press('Enter');
  const goodness = frame.locator('#sl-goodness');
  await goodness.filter({ hasText: 'Optimal N for 1.0e21 FLOPs' }).waitFor({ timeout: 60_000 });
  const text = await goodness.innerText();
  const ratio = Number(/Tokens \/ parameter at optimum\s+([\d.]+)/.exec(text)?.[1]);
  assert.ok(ratio > 15 && ratio < 30, `tokens/param at the optimum: ${text}`);
  await shot('allocation-for-budget');
}

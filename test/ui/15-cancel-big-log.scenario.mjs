// Issues 2–4: a big log (~700 MB) is parsed off the editor's loop: while it is read the editor stays
// responsive (the command palette opens), the progress notification's Cancel stops the work, and the
// user is told so.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

export const title = 'big log: the editor stays responsive, Cancel stops the analysis';

async function writeBigCsv(file, rows) {
  const out = createWriteStream(file);
  out.write('step,tokens,train/loss,val/loss\n');
  const chunk = 20000;
  for (let s = 1; s <= rows; s += chunk) {
    let text = '';
    for (let k = s; k < s + chunk && k <= rows; k++) {
      const D = k * 524288;
      text += `${k},${D},${(2 + 500 / Math.pow(D, 0.3)).toFixed(6)},${k % 100 === 0 ? (2.02 + 500 / Math.pow(D, 0.3)).toFixed(6) : ''}\n`;
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export default async function ({ page, wb, shot, assert, workspace }) {
  const file = join(workspace, 'runs', 'big_run.csv');
  await writeBigCsv(file, 16_000_000);
  try {
    const row = await wb.explorerRow('runs/big_run.csv', 60_000);
    await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'big_run.csv' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await shot('reading-with-progress');
    // The editor answers while the worker reads: the command palette opens and closes.
    const t0 = Date.now();
    // A key pressed while the new panel's frame is still loading can land in that frame and not
    // reach the workbench (seen once on CI, the palette never opened): press it again, within the
    // same 5 s the editor has to answer.
    const palette = page.locator('.quick-input-widget');
    await page.keyboard.press('F1');
    if (!(await palette.waitFor({ state: 'visible', timeout: 2_500 }).then(() => true, () => false))) {
      await page.keyboard.press('F1');
      await palette.waitFor({ state: 'visible', timeout: Math.max(1, 5_000 - (Date.now() - t0)) });
    }
    const paletteMs = Date.now() - t0;
    await page.keyboard.press('Escape');
    assert.ok(paletteMs < 5_000, `palette took ${paletteMs} ms`);
    assert.ok(await toast.isVisible(), 'the analysis was still running while the palette opened');
    await toast.locator('a.monaco-button, .monaco-button', { hasText: 'Cancel' }).first().click();
    await wb.waitUntil('the cancellation message', async () =>
      (await wb.notifications('Scaling Lens')).some((n) => /big_run\.csv was cancelled/.test(n.text)), 30_000);
    // The panel says so instead of reading forever.
    const frame = wb.webviewFrame();
    await frame.locator('#sl-status', { hasText: 'was cancelled' }).waitFor({ timeout: 15_000 });
    await shot('cancelled');
  } finally {
    await rm(file, { force: true });
  }
}

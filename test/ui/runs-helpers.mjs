// Helpers shared by the Runs scenarios (issue 12): open the Runs view, find its rows, find a webview
// by what it holds (several webviews are open at once: the side view, the compare chart, panels).

/** Opens the Scaling Lens container with the Runs pane expanded; returns the pane locator. */
export async function showRunsView(page) {
  const pane = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Runs"]') }).first();
  // The activity bar button toggles the side bar: click it only when the container is not showing.
  if (!(await pane.isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Scaling Lens"]').first().click();
  await pane.waitFor({ state: 'visible', timeout: 30_000 });
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  // Give the runs the room: collapse the chart view above it.
  const other = page.locator('.pane-header[aria-label^="Scaling Law"]').first();
  if ((await other.count()) && (await other.getAttribute('aria-expanded')) === 'true') await other.click();
  return pane;
}

/** The Runs view row whose accessible label starts with `name:`. */
export function runRow(pane, name) {
  return pane.locator(`.monaco-list-row[aria-label^="${name}:"]`).first();
}

/** Waits for the Runs view to list `names`; returns the labels of every row. */
export async function waitForRuns(pane, wb, names, timeout = 90_000) {
  await wb.waitUntil(`the Runs view to list ${names.join(', ')}`, async () => {
    for (const n of names) if ((await runRow(pane, n).count()) === 0) return false;
    return true;
  }, timeout);
  return pane.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
}

/** The ready webview whose inner document matches `selector` (searching every webview). */
export async function findWebview(page, wb, selector, timeout = 60_000) {
  // Pinned by the frame's name (waitForWebview does it), not its position: after a window reload the
  // editor makes other webviews ready while this one is read, and index 0 then names another frame.
  return wb.waitForWebview({ selector, timeout });
}

/** Leaves the container as other scenarios expect it: the Scaling Law view expanded again. */
export async function restoreSideView(page) {
  const other = page.locator('.pane-header[aria-label^="Scaling Law"]').first();
  if ((await other.count()) && (await other.getAttribute('aria-expanded')) === 'false') await other.click();
}

/** Wraps a scenario so the layout is restored even when it fails. */
export function restoring(body) {
  return async (ctx) => {
    try {
      await body(ctx);
    } finally {
      await restoreSideView(ctx.page).catch(() => undefined);
    }
  };
}

/**
 * Waits for the Runs view to list `name`, scrolling its list meanwhile: the tree renders only the rows
 * in sight, and after a long session (runs added by earlier scenarios, the Problems panel open) a run
 * may be listed below them. Returns the row.
 */
export async function revealRun(page, pane, wb, name, timeout = 90_000) {
  const list = pane.locator('.monaco-list').first();
  let k = 0;
  await wb.waitUntil(`the Runs view to list ${name}`, async () => {
    if ((await runRow(pane, name).count()) > 0) return true;
    const box = await list.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      // Down a page at a time, then back to the top, and again.
      await page.mouse.wheel(0, k++ % 12 < 10 ? 300 : -3000);
    }
    return false;
  }, timeout);
  return runRow(pane, name);
}

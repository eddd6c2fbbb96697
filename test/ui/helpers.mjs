// Playwright helpers for driving the real VS Code workbench (code-server 4.139 / VS Code 1.139)
// like a user. Every helper waits on the DOM (never a fixed sleep) and fails with a message that
// says what it was waiting for. Selectors come from ../../../shared/REAL-EDITOR.md and were checked
// on this editor version.
//
// Use them through the scenario context (`ctx.wb.openFile('runs/a/metrics.csv')`, see `bind`) or
// directly (`openFile(page, 'runs/a/metrics.csv')`).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const DEFAULT_TIMEOUT = 20_000;

/** Is this browser on a Mac (keyboard shortcuts use Meta there)? code-server here runs on Linux. */
const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
const exact = (s) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);

/** Polls `probe` (may be async) until it returns a truthy value; throws `what` on timeout. */
export async function waitUntil(what, probe, timeout = DEFAULT_TIMEOUT, interval = 150) {
  const until = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > until) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastErr ? ` (last error: ${String(lastErr.message ?? lastErr).split('\n')[0]})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Waits until the workbench is usable: the workbench element, the explorer with at least one row,
 * and the extension host's status settled (no progress spinner in the explorer title).
 */
export async function waitForWorkbench(page, timeout = 90_000) {
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout });
  await waitUntil('the explorer to list the workspace',
    async () => (await page.locator('.explorer-folders-view .monaco-list-row').count()) > 0, timeout);
}

/** Makes sure the Explorer view is showing (Ctrl+Shift+E is intercepted by some browsers). */
export async function showExplorer(page) {
  if (await page.locator('.explorer-folders-view').isVisible()) return;
  await runCommand(page, 'View: Show Explorer');
  await page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
}

/**
 * Reveals `relPath` (slash-separated, relative to the workspace folder) in the explorer by
 * expanding each folder on the way, and returns the file's row locator.
 */
export async function explorerRow(page, relPath, timeout = DEFAULT_TIMEOUT) {
  await showExplorer(page);
  const parts = relPath.split('/').filter(Boolean);
  let row, parent;
  for (let i = 0; i < parts.length; i++) {
    // The row of this path, not the first row of that name (runs/a/train_log.jsonl and
    // runs/b/train_log.jsonl are both 'train_log.jsonl').
    const prefix = parts.slice(0, i + 1);
    let index = -1;
    // A row a scenario just wrote stays missing when the file watcher's event is lost (reproduced with
    // files.watcherExclude on the new folder; the CI failure first taken for one was the scroll below):
    // after 6 s, refresh the explorer once, as a user would (the palette's title is "Refresh Explorer",
    // no "File:").
    const since = Date.now();
    // (lastSeen: the highest list index rendered after the last scroll; -2 before the first.)
    let refreshed = false, lastSeen = -2;
    const look = async () => {
      const at = await explorerRowIndex(page, prefix);
      return at >= 0 || !parent ? at : explorerRowIndex(page, [parts[i]], parent);
    };
    await waitUntil(`explorer row '${prefix.join('/')}'`, async () => {
      index = await look();
      // Outside the rendered rows (earlier scenarios' folders fill runs/: seen in CI, 'a-over-budget'
      // under 40 others; or the list left scrolled down by an earlier look, a top-level folder above
      // it): a child is found from its parent's index once the parent itself is scrolled away. The list
      // is scrolled to its top first, then down a screen at a time, and to its top again at its end.
      if (index < 0) {
        const seen = await page.locator('.explorer-folders-view .monaco-list-row').evaluateAll((els) => Math.max(-1, ...els.map((e) => Number(e.getAttribute('data-index')))));
        const down = lastSeen > -2 && seen > lastSeen;
        lastSeen = down ? seen : -1;
        const box = await page.locator('.explorer-folders-view .monaco-list').first().boundingBox();
        if (box) {
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          if (down) await page.mouse.wheel(0, box.height * 0.6);
          // (To the top a screen at a time: one wheel of -1e5 did not move the list.)
          else for (let k = 0; k < 100 && (await page.locator('.explorer-folders-view .monaco-list-row[data-index="0"]').count()) === 0; k++) await page.mouse.wheel(0, -box.height);
          await page.waitForTimeout(150);
        }
        index = await look();
      }
      if (index < 0 && !refreshed && Date.now() - since > 6000) {
        refreshed = true;
        await runCommand(page, 'Refresh Explorer').catch(() => undefined);
        await showExplorer(page);
      }
      return index >= 0;
    }, Math.max(timeout, 45_000)).catch(() => {
      throw new Error(`explorer has no visible row '${parts[i]}' (revealing ${relPath})`);
    });
    row = page.locator(`.explorer-folders-view .monaco-list-row[data-index="${index}"]`);
    await row.waitFor({ state: 'visible', timeout });
    if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) !== 'true') {
      await row.click();
      // The row is found again on each look: a file watcher's refresh (files a scenario just wrote)
      // can move it to another index, and a click during the refresh can be lost (clicked again).
      let clicked = Date.now();
      await waitUntil(`folder '${parts[i]}' to expand`, async () => {
        const at = await explorerRowIndex(page, prefix);
        if (at < 0) return false;
        const now = page.locator(`.explorer-folders-view .monaco-list-row[data-index="${at}"]`);
        if ((await now.getAttribute('aria-expanded')) === 'true') { row = now; return true; }
        if (Date.now() - clicked > 5000) { await now.click().catch(() => undefined); clicked = Date.now(); }
        return false;
      }, timeout);
    }
    parent = { index: Number(await row.getAttribute('data-index')), level: Number(await row.getAttribute('aria-level')) };
  }
  return row;
}

/**
 * The list index (data-index) of the explorer row at `parts` (a path below the workspace folder),
 * following the tree: each part is a child (aria-level + 1) of the row found for the part before.
 * With `parent` ({ index, level }: a row found before, which may since be scrolled out of the rendered
 * rows), `parts` are below that row, the first a child of it. -1 while it is not shown.
 */
async function explorerRowIndex(page, parts, parent) {
  return page.locator('.explorer-folders-view .monaco-list-row').evaluateAll((els, { parts, parent }) => {
    const rows = els.map((e) => ({
      index: Number(e.getAttribute('data-index')), level: Number(e.getAttribute('aria-level')),
      name: (e.querySelector('.label-name')?.textContent ?? '').trim(),
    })).sort((x, y) => x.index - y.index);
    let from = 0, level = -1, found = -1;
    if (parent) {
      from = rows.findIndex((r) => r.index > parent.index);
      if (from < 0) return -1;
      level = parent.level;
    }
    for (let i = 0; i < parts.length; i++) {
      found = -1;
      if (i === 0 && !parent) {
        // The shallowest row of that name.
        for (let k = 0; k < rows.length; k++) if (rows[k].name === parts[0] && (found < 0 || rows[k].level < rows[found].level)) found = k;
      } else {
        for (let k = from; k < rows.length; k++) {
          if (rows[k].level <= level) break; // out of the parent's subtree
          if (rows[k].level === level + 1 && rows[k].name === parts[i]) { found = k; break; }
        }
      }
      if (found < 0) return -1;
      level = rows[found].level;
      from = found + 1;
    }
    return rows[found].index;
  }, { parts, parent });
}

/** Opens a workspace file from the explorer (single click opens it with enablePreview off). */
export async function openFile(page, relPath) {
  const row = await explorerRow(page, relPath);
  await row.click();
  const name = relPath.split('/').pop();
  await waitUntil(`an editor tab for ${name}`, () => activeTabLabel(page).then((l) => l === name));
}

/**
 * Opens a workspace file by Quick Open (Ctrl+P, its path typed): for files the explorer shows inside
 * compacted folders (a folder holding one folder is drawn as one row, `plots/metrics`).
 */
export async function quickOpen(page, relPath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
  await input.fill(relPath);
  const name = relPath.split('/').pop();
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await waitUntil(`Quick Open to list ${relPath}`, async () => (await first.count()) > 0 && (await first.innerText()).includes(name));
  await page.keyboard.press('Enter');
  await waitUntil(`an editor tab for ${name}`, () => activeTabLabel(page).then((l) => l === name));
}

/** Labels of all open editor tabs, in order. */
export async function tabLabels(page) {
  return page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

/** Label of the active editor tab ('' when none). */
export async function activeTabLabel(page) {
  const t = page.locator('.tabs-container .tab.active').first();
  return (await t.count()) ? ((await t.getAttribute('aria-label')) ?? '').trim() : '';
}

/** Texts of the items of the open context menu. */
export async function menuItems(page) {
  const labels = page.locator('.context-view .monaco-menu .action-label');
  return (await labels.allInnerTexts()).map((s) => s.trim()).filter(Boolean);
}

/**
 * Right-clicks `target` (a locator) until its context menu shows `item`, then clicks the item.
 * Menus fill only once the extension host registered the extension, and an open menu never
 * refreshes, so the right-click is retried. With `{ click: false }` it leaves the menu open and
 * returns its items.
 */
export async function contextMenu(page, target, item, { click = true, timeout = 30_000 } = {}) {
  const until = Date.now() + timeout;
  let seen = [];
  for (;;) {
    await target.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
    const entry = page.locator('.context-view .monaco-menu .action-label', { hasText: exact(item) }).first();
    try {
      await entry.waitFor({ state: 'visible', timeout: 1500 });
      if (!click) return menuItems(page);
      // Monaco menus ignore a mouse-up that comes too soon after they open: click, and if the
      // menu is still there, focus the item by hovering and confirm with Enter.
      await entry.click();
      if (!(await menu.waitFor({ state: 'hidden', timeout: 1500 }).then(() => true, () => false))) {
        await entry.hover();
        await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 5000 });
      }
      return seen;
    } catch {
      seen = await menuItems(page);
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {});
    }
    if (Date.now() > until) {
      throw new Error(`context menu never showed '${item}'; it had: ${seen.join(' | ') || '(nothing)'}`);
    }
  }
}

/** Opens the command palette (F1) with `text` typed and returns the visible rows' labels. */
export async function paletteItems(page, text, { close = true } = {}) {
  await openPalette(page);
  await page.keyboard.type(text);
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  const labels = (await rows.locator('.label-name').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  if (close) await closeQuickInput(page);
  return labels;
}

async function openPalette(page) {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) await closeQuickInput(page);
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
  await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
}

async function closeQuickInput(page) {
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

/**
 * Runs a command from the palette by its full title ("Scaling Lens: Fit Scaling Law"), retrying
 * until it is listed (an extension's commands appear once its manifest is loaded).
 */
export async function runCommand(page, title, { timeout = 30_000 } = {}) {
  const until = Date.now() + timeout;
  let seen = [];
  for (;;) {
    await openPalette(page);
    await page.keyboard.type(title);
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: exact(title) }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 2000 });
      await row.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
      return;
    } catch {
      seen = (await page.locator('.quick-input-widget .quick-input-list .label-name').allInnerTexts()).map((s) => s.trim());
      await closeQuickInput(page);
    }
    if (Date.now() > until) throw new Error(`command '${title}' not in the palette; it listed: ${seen.slice(0, 8).join(' | ') || '(nothing)'}`);
  }
}

/**
 * The inner document of a webview (panel or view) as a Playwright FrameLocator.
 * `index` picks among several ready webviews (-1 = the last one created).
 */
export function webviewFrame(page, index = -1) {
  const outer = page.locator('iframe.webview.ready');
  const pick = index === -1 ? outer.last() : outer.nth(index);
  return pick.contentFrame().frameLocator('iframe#active-frame');
}

/** How many pixels of a webview's canvas are painted (alpha ≠ 0): a chart really drawn, not an empty canvas. */
export async function paintedPixels(frame, selector = '#sl-chart') {
  return frame.locator(selector).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  });
}

/** Number of webviews whose outer frame finished loading. */
export async function webviewCount(page) {
  return page.locator('iframe.webview.ready').count();
}

/**
 * Waits until a webview's inner document has a body (and, when given, an element matching
 * `selector`, e.g. a marker like 'body[data-rendered]' the webview sets when it has drawn) and
 * returns its FrameLocator.
 */
export async function waitForWebview(page, { selector = 'body', index = -1, timeout = 30_000, title } = {}) {
  await waitUntil('a ready webview', async () => (await webviewCount(page)) > 0, timeout);
  if (index !== -1 || (selector === 'body' && !title)) {
    const frame = webviewFrame(page, index);
    await frame.locator(selector).first().waitFor({ state: 'attached', timeout });
    return frame;
  }
  // Several webviews may be open (panels, the side view, the runs' panels, and a closed panel's
  // frame the editor has not removed yet): the one wanted is the last one whose document has the
  // selector (and whose heading matches `title`), whatever order the editor created them in. It is
  // returned pinned by its frame's name, not its position: positions shift when a frame goes away.
  let found;
  await waitUntil(`a webview with ${selector}${title ? ` titled ${title}` : ''}`, async () => {
    const outer = page.locator('iframe.webview.ready');
    const n = await outer.count();
    for (let i = n - 1; i >= 0; i--) {
      const frame = webviewFrame(page, i);
      if ((await frame.locator(selector).count().catch(() => 0)) === 0) continue;
      if (title) {
        const h = await frame.locator('h1').first().innerText({ timeout: 1000 }).catch(() => '');
        if (!title.test(h)) continue;
      }
      const name = await outer.nth(i).getAttribute('name').catch(() => null);
      found = name ? page.locator(`iframe.webview.ready[name="${name}"]`).contentFrame().frameLocator('iframe#active-frame') : frame;
      return true;
    }
    return false;
  }, timeout, 300);
  return found;
}

/**
 * What a user does to fit a log: folds the explorer's folders (those opened so far push later rows
 * out of its rendered window), right-clicks `relPath`, picks Fit Scaling Law, and returns the panel
 * titled with the file's name once it has drawn (or once `selector` is in it: `.sl-error` for a file
 * with nothing to draw).
 */
export async function fitFromExplorer(page, relPath, { timeout = 120_000, trust = false, selector = 'body[data-rendered="true"]' } = {}) {
  await runCommand(page, 'Collapse Folders in Explorer');
  const row = await explorerRow(page, relPath);
  await contextMenu(page, row, 'Fit Scaling Law', { timeout: 60_000 });
  const name = relPath.split('/').pop().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = await waitForWebview(page, { selector, title: new RegExp(name), timeout });
  if (trust) await waitForTrust(frame);
  return frame;
}

/** Waits until a fit panel has drawn its "How far to trust this" section (the fit with its bootstrap done). */
export async function waitForTrust(frame, timeout = 90_000) {
  await waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, timeout);
}

/**
 * Shows the Problems panel and returns its rows: `{ severity, label, text }` per row. File rows
 * have severity 'file' (label "1 problems in file x.csv of folder ."); marker rows 'error',
 * 'warning' or 'info', with the aria-label "Error: <message> at line 3 and character 3. generated by <source>"
 * and the text "<message> <source> [Ln 3, Col 3]".
 */
export async function problems(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press(`${MOD}+Shift+M`);
    await panel.waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  }
  if (!(await panel.isVisible())) await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  await panel.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
  const rows = panel.locator('.monaco-list-row');
  const out = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const r = rows.nth(i);
    const label = (await r.getAttribute('aria-label')) ?? '';
    const sev = /^(Error|Warning|Info)\b/.exec(label);
    out.push({ severity: sev ? sev[1].toLowerCase() : 'file', label, text: (await r.innerText()).replace(/\s+/g, ' ').trim() });
  }
  return out;
}

/** The status bar's problems summary, e.g. "No Problems" or "Warnings: 2" (its aria-label). */
export async function statusBarProblems(page) {
  const a = page.locator('#status\\.problems a, #status\\.problems').first();
  await a.waitFor({ state: 'attached', timeout: DEFAULT_TIMEOUT });
  return (await a.getAttribute('aria-label')) ?? (await a.innerText());
}

/** Every status bar entry as `{ id, text, label }` (id is the entry's element id, e.g. 'scaling-lens.scaling-lens.0' style). */
export async function statusBarItems(page) {
  return page.locator('.statusbar-item').evaluateAll((els) => els.map((el) => ({
    id: el.id,
    text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
    label: el.querySelector('a')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
  })));
}

/** Text of the status bar entry whose text or label matches `re`, waiting for it to appear. */
export async function statusBarText(page, re, timeout = DEFAULT_TIMEOUT) {
  const hit = await waitUntil(`a status bar entry matching ${re}`, async () =>
    (await statusBarItems(page)).find((s) => re.test(s.text) || re.test(s.label)), timeout);
  return hit.text || hit.label;
}

/** Moves the cursor of the active text editor to 1-based `line`:`column` (via Go to Line). */
export async function gotoPosition(page, line, column = 1) {
  await page.locator('.editor-instance .monaco-editor').first().waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
  await page.keyboard.press(`${MOD}+G`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

/**
 * The hover text at 1-based `line`:`column` of the active editor (keyboard "Show Hover", so no
 * mouse geometry is involved). Waits until the hover has content; '' when none appears.
 */
export async function hoverText(page, line, column, { timeout = 10_000, contains } = {}) {
  await gotoPosition(page, line, column);
  const hover = page.locator('.monaco-hover:not(.hidden)');
  const until = Date.now() + timeout;
  let text = '';
  while (Date.now() < until) {
    await page.keyboard.press(`${MOD}+K`);
    await page.keyboard.press(`${MOD}+I`);
    try {
      await hover.first().waitFor({ state: 'visible', timeout: 2000 });
      text = (await hover.first().innerText()).trim();
      if (text && (!contains || text.includes(contains))) break;
    } catch { /* not yet */ }
    await page.keyboard.press('Escape');
  }
  return text;
}

/**
 * The notification toasts on screen: `{ severity: 'error'|'warning'|'info', text }`.
 * Pass `source` to keep only those whose text contains it (e.g. 'Scaling Lens').
 */
export async function notifications(page, source) {
  const list = await page.locator('.notifications-toasts .notification-toast').evaluateAll((els) => els.map((el) => {
    const icon = el.querySelector('.notification-list-item-icon');
    const cls = icon ? icon.className : '';
    const severity = /codicon-error/.test(cls) ? 'error' : /codicon-warning/.test(cls) ? 'warning' : 'info';
    const msg = el.querySelector('.notification-list-item-message');
    const src = el.querySelector('.notification-list-item-source');
    const text = [msg?.textContent, src?.textContent].filter(Boolean).join(' ');
    return { severity, text: text.replace(/\s+/g, ' ').trim() };
  }));
  return source ? list.filter((n) => n.text.includes(source)) : list;
}

/** Closes every editor, overlay and notification toast so the next scenario starts from a clean screen. */
export async function reset(page) {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors').catch(() => {});
  if (await page.locator('.notifications-toasts .notification-toast').count()) {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
  }
  await waitUntil('all editors to close', async () => (await page.locator('.tabs-container .tab').count()) === 0, 10_000).catch(() => {});
}

/**
 * The helpers with `page` bound, as handed to scenarios as `ctx.wb`:
 * wb.openFile(rel), wb.quickOpen(rel), wb.explorerRow(rel), wb.contextMenu(locator, item, opts), wb.menuItems(),
 * wb.runCommand(title), wb.paletteItems(text), wb.webviewFrame(i), wb.waitForWebview(opts), wb.fitFromExplorer(rel, { timeout, trust }), wb.waitForTrust(frame),
 * wb.webviewCount(), wb.problems(), wb.statusBarProblems(), wb.statusBarItems(), wb.statusBarText(re),
 * wb.hoverText(line, col, opts), wb.gotoPosition(line, col), wb.tabLabels(), wb.activeTabLabel(), wb.notifications(source),
 * wb.showExplorer(), wb.reset(), wb.waitUntil(what, probe, timeout).
 */
export function bind(page) {
  return {
    waitForWorkbench: (t) => waitForWorkbench(page, t),
    explorerRow: (rel, t) => explorerRow(page, rel, t),
    showExplorer: () => showExplorer(page),
    openFile: (rel) => openFile(page, rel),
    quickOpen: (rel) => quickOpen(page, rel),
    tabLabels: () => tabLabels(page),
    activeTabLabel: () => activeTabLabel(page),
    menuItems: () => menuItems(page),
    contextMenu: (target, item, o) => contextMenu(page, target, item, o),
    paletteItems: (text, o) => paletteItems(page, text, o),
    runCommand: (title, o) => runCommand(page, title, o),
    webviewFrame: (i) => webviewFrame(page, i),
    webviewCount: () => webviewCount(page),
    paintedPixels: (frame, sel) => paintedPixels(frame, sel),
    waitForWebview: (o) => waitForWebview(page, o),
    fitFromExplorer: (rel, o) => fitFromExplorer(page, rel, o),
    fitFixture: (workspace, rel, folder, name, o) => fitFixture(page, workspace, rel, folder, name, o),
    waitForTrust: (frame, t) => waitForTrust(frame, t),
    problems: () => problems(page),
    statusBarProblems: () => statusBarProblems(page),
    statusBarItems: () => statusBarItems(page),
    statusBarText: (re, t) => statusBarText(page, re, t),
    gotoPosition: (l, c) => gotoPosition(page, l, c),
    hoverText: (l, c, o) => hoverText(page, l, c, o),
    notifications: (source) => notifications(page, source),
    reset: () => reset(page),
    waitUntil,
  };
}

/**
 * A real Trainer state (a gzipped fixture) as its checkpoint at `step` wrote it, in
 * `<workspace>/runs/<folder>/trainer_state.json`: the log up to that step, global_step and epoch set.
 * Returns the whole run's log_history (for the truth after the checkpoint) and the file's workspace path.
 */
/**
 * A fixture's Trainer state as its checkpoint at `step` wrote it (trainerCheckpoint), fitted from the
 * explorer like a user, once the panel's trust section is drawn: { history, rel, frame }.
 */
export async function fitTrainerCheckpoint(wb, workspace, fixture, folder, step, epoch) {
  const { history, rel } = trainerCheckpoint(workspace, fixture, folder, step, epoch);
  const frame = await wb.fitFromExplorer(rel, { timeout: 90_000 });
  await waitForTrust(frame, 60_000);
  return { history, rel, frame };
}

export function trainerCheckpoint(workspace, fixture, folder, step, epoch) {
  const whole = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', `${fixture}.gz`))).toString('utf8'));
  const dir = path.join(workspace, 'runs', folder);
  fs.mkdirSync(dir, { recursive: true });
  const state = { ...whole, log_history: whole.log_history.filter((e) => e.step <= step), global_step: step, epoch };
  fs.writeFileSync(path.join(dir, 'trainer_state.json'), JSON.stringify(state, null, 2));
  return { history: whole.log_history, rel: `runs/${folder}/trainer_state.json` };
}


/**
 * A real fixture (`test/fixtures/<rel>`, gunzipped when it ends in .gz; `extra`: more fixtures copied
 * beside it, as [rel, name]) placed in the workspace as `runs/0-<folder>/<name>` (named `0-…` to sort
 * first: the explorer draws only the rows in view), every editor closed, and fitted from the explorer
 * like a user (fitFromExplorer's options). Returns the panel's frame.
 */
export async function fitFixture(page, workspace, rel, folder, name, { extra = [], ...opts } = {}) {
  const fixtures = path.join(process.cwd(), 'test', 'fixtures');
  const dir = path.join(workspace, 'runs', `0-${folder}`);
  fs.mkdirSync(dir, { recursive: true });
  const read = (r) => (r.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(path.join(fixtures, r))) : fs.readFileSync(path.join(fixtures, r)));
  fs.writeFileSync(path.join(dir, name), read(rel));
  for (const [r, n] of extra) fs.writeFileSync(path.join(dir, n), read(r));
  await runCommand(page, 'View: Close All Editors');
  return fitFromExplorer(page, `runs/0-${folder}/${name}`, { timeout: 120_000, ...opts });
}

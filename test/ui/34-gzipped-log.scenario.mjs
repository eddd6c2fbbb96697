// A gzipped log (test/fixtures/SOURCES.md: llm.c's GPT-2 124M run on FineWeb, kept as main.log.gz)
// in a run folder: the explorer offers Fit Scaling Law on it (detected by its inflated text), the
// panel reads every row with the LR column, the Runs view lists the run, and a damaged copy is
// read up to its damage with a warning in the panel.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { showRunsView, revealRun } from './runs-helpers.mjs';

export const title = 'a gzipped log: fitted from the explorer, listed in the Runs view, a damaged copy read up to its damage';

export default async function ({ page, wb, shot, assert, workspace }) {
  const fx = join(process.cwd(), 'test', 'fixtures', 'llmc-gpt2-124m-main.log.gz');
  const dir = join(workspace, 'runs', 'llmc-gpt2-124m');
  mkdirSync(dir, { recursive: true });
  copyFileSync(fx, join(dir, 'main.log.gz'));
  const frame = await wb.fitFromExplorer('runs/llmc-gpt2-124m/main.log.gz', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 90_000);
  assert.match(await frame.locator('#sl-meta').innerText(), /^text · single run · 19,561 rows/);
  assert.match(await frame.locator('#sl-schedule').innerText(), /the log's LR column \(19,?560 values/);
  await shot('gzipped-log-fitted');

  // The Runs view lists the run folder, its log the .gz.
  const pane = await showRunsView(page);
  const row = await revealRun(page, pane, wb, 'llmc-gpt2-124m');
  assert.match((await row.getAttribute('aria-label')) ?? '', /llmc-gpt2-124m/);
  await shot('gzipped-log-runs-view');

  // A copy cut off at 60% of its compressed bytes (a transfer that stopped): the rows before the
  // damage are fitted, and the panel says the rest could not be read.
  const bytes = readFileSync(fx);
  const cut = join(workspace, 'runs', 'llmc-cut');
  mkdirSync(cut, { recursive: true });
  writeFileSync(join(cut, 'main.log.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await wb.runCommand('View: Close All Editors');
  const f2 = await wb.fitFromExplorer('runs/llmc-cut/main.log.gz', { timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await f2.locator('#sl-trust').count()) > 0, 90_000);
  const meta = await f2.locator('#sl-meta').innerText();
  const rows = Number(/single run · ([\d,]+) rows/.exec(meta)?.[1].replace(/,/g, ''));
  assert.ok(rows > 5000 && rows < 19561, meta);
  await f2.locator('details.sl-details summary', { hasText: /problem/ }).first().click();
  assert.match(await f2.locator('.sl-problems').innerText(), /main\.log\.gz: the compressed data is damaged or cut off after [\d.]+ MB of text/);
  await shot('gzipped-log-damaged');
}

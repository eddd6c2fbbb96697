// Twenty-seventh session, like a user with a corrupt file: numbers at their extremes (found by the
// "numbers at their extremes" fuzz test) are said, never shown as NaN or Infinity.
// - A GPT-2 config.json whose n_head is 0 (the family builder used to divide by it: "NaN / NaN"
//   parameters in the hover): the hover and the Problems panel say why there is no count.
// - A sweep table with one tokens cell corrupted to 1e300 (its 6·N·D overflowed: "NaN tokens/param"):
//   the panel fits the rest, and its notes say which row was left out. Another with one size written in
//   billions (a stray value): left out and said.
// - A run log with one loss of 1e300 (its lowest smoothed loss came out negative, and the fit's floor
//   went to 3.7e297): the spike is left out of the fit and said; the chart marks it at the top edge
//   (its loss in the tooltip) instead of scaling its y axis to 1e300, which flattened the curve.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'corrupt numbers: a config with n_head 0 gets no count and says why; a sweep row of 1e300 tokens is left out and said';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function ({ page, wb, shot, assert, workspace }) {
  const config = readFileSync(join(ROOT, 'test', 'fixtures', 'configs', 'gpt2.json'), 'utf8').replace('"n_head": 12', '"n_head": 0');
  // (A folder of its own at the top: one under models/ is drawn compacted, and Quick Open may pick
  // another config.json that earlier scenarios opened.)
  mkdirSync(join(workspace, 'broken-gpt2'), { recursive: true });
  writeFileSync(join(workspace, 'broken-gpt2', 'config.json'), config);
  await wb.runCommand('View: Close All Editors');
  await wb.openFile('broken-gpt2/config.json');
  const line = config.split('\n').findIndex((l) => l.includes('"n_embd"')) + 1; // (n_head, refused, is not a source: no hover of ours on it)
  const hover = await wb.hoverText(line, 6, { contains: 'Scaling Lens', timeout: 60_000 });
  assert.match(hover, /no parameter count, as its attention heads \(0\) is not a positive whole number/);
  assert.doesNotMatch(hover, /NaN|Infinity|∞/);
  assert.match(hover, /GPT2LMHeadModel builds it, but no parameter count/);
  assert.doesNotMatch(hover, /counted exactly/);
  await shot('config-n-head-0-hover');
  await page.keyboard.press('Escape');
  // The Problems panel, filtered to this file (earlier scenarios leave some ninety problems, and the
  // panel draws only the rows in view); the filter is cleared after.
  await wb.problems();
  const filter = page.locator('.viewpane-filter input').first();
  await filter.fill('broken-gpt2');
  try {
    const rows = await wb.waitUntil('the no-count problem', async () => {
      const r = await wb.problems();
      return r.find((x) => x.severity === 'warning' && /attention heads \(0\) is not a positive whole number/.test(x.text)) ? r : undefined;
    }, 60_000);
    assert.ok(rows.every((x) => !/NaN|Infinity/.test(x.text)), JSON.stringify(rows));
    await shot('config-n-head-0-problem');
  } finally {
    await filter.fill('');
  }

  const lines = readFileSync(join(ROOT, 'samples', 'sweeps', 'isoflops_open_athena.csv'), 'utf8').split('\n');
  const cells = lines[3].split(',');
  cells[5] = '1e300';
  lines[3] = cells.join(',');
  writeFileSync(join(workspace, 'sweeps', 'a_corrupt_isoflops.csv'), lines.join('\n'));
  await wb.runCommand('View: Close All Editors');
  const frame = await wb.fitFromExplorer('sweeps/a_corrupt_isoflops.csv', { timeout: 150_000 });
  const body = frame.locator('body');
  await wb.waitUntil('the left-out note', async () => /1 of 947 rows left out/.test(await body.innerText().catch(() => '')), 120_000);
  const text = await body.innerText();
  assert.match(text, /1 of 947 rows left out: no finite, positive N and D, no finite loss, or FLOPs beyond a 64-bit float \(the first at line 4\)/);
  assert.doesNotMatch(text, /NaN|Infinity/);
  await shot('sweep-corrupt-row-left-out');

  // One size written in billions among raw counts ("6.8" for a 6.8B model): a stray value, left out
  // and said, instead of pulling the whole fit.
  const chin = readFileSync(join(ROOT, 'samples', 'sweeps', 'chinchilla_sweep.csv'), 'utf8').split('\n');
  const sizeAt = chin[0].split(',').indexOf('Model Size');
  const row = chin[1].split(',');
  row[sizeAt] = String(Number(row[sizeAt]) / 1e9);
  chin[1] = row.join(',');
  writeFileSync(join(workspace, 'sweeps', 'a_stray_chinchilla.csv'), chin.join('\n'));
  await wb.runCommand('View: Close All Editors');
  const sf = await wb.fitFromExplorer('sweeps/a_stray_chinchilla.csv', { timeout: 150_000 });
  await wb.waitUntil('the stray note', async () => /left out as stray/.test(await sf.locator('body').innerText().catch(() => '')), 120_000);
  assert.match(await sf.locator('body').innerText(), /1 of 245 rows left out as stray: a value over 10\^6× from every other row's, in other units or corrupt \(the first, parameters 6\.796 at line 2\)/);
  await shot('sweep-stray-size-left-out');

  const run = ['step,loss'];
  for (let k = 1; k <= 300; k++) run.push(`${10 * k},${k === 150 ? '1e300' : (2 + 8 / Math.sqrt(k)).toFixed(5)}`);
  mkdirSync(join(workspace, 'runs', 'a-corrupt-loss'), { recursive: true });
  writeFileSync(join(workspace, 'runs', 'a-corrupt-loss', 'metrics.csv'), run.join('\n') + '\n');
  await wb.runCommand('View: Close All Editors');
  const chart = await wb.fitFromExplorer('runs/a-corrupt-loss/metrics.csv', { timeout: 120_000 });
  await chart.locator('body[data-rendered="true"]').waitFor({ timeout: 60_000 });
  const summary = await chart.locator('#sl-summary').innerText();
  assert.doesNotMatch(summary, /NaN|Infinity/);
  assert.match(summary, /left out 1 isolated spike: a loss over 100× the median of its 10 neighbours/);
  assert.match(summary, /Backed by the data/);
  assert.ok((await wb.paintedPixels(chart)) > 0, 'the chart is painted');
  assert.equal(await chart.locator('body').getAttribute('data-spikes'), '1', 'the spike is marked at the top edge, not scaled to');
  await shot('run-with-a-1e300-loss');
}

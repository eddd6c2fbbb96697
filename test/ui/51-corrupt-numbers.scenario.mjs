// Twenty-seventh session, like a user with a corrupt file: numbers at their extremes (found by the
// "numbers at their extremes" fuzz test) are said, never shown as NaN or Infinity.
// - A GPT-2 config.json whose n_head is 0 (the family builder used to divide by it: "NaN / NaN"
//   parameters in the hover): the hover and the Problems panel say why there is no count.
// - A sweep table with one tokens cell corrupted to 1e300 (its 6·N·D overflowed: "NaN tokens/param"):
//   the panel fits the rest, and its notes say which row was left out.
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
  const rows = await wb.waitUntil('the no-count problem', async () => {
    const r = await wb.problems();
    return r.find((x) => x.severity === 'warning' && /attention heads \(0\) is not a positive whole number/.test(x.text)) ? r : undefined;
  }, 60_000);
  assert.ok(rows.length > 0);
  await shot('config-n-head-0-problem');

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
}

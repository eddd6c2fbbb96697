// Issue 9: a table of several sweeps is fitted per group. Open the isoFLOP collection in the panel,
// choose the isoFLOP law: every experiment's parabolas and frontier are overlaid, each in its
// colour, with a per-group table of a and b; pick one group and back to the overlay.
export const title = 'panel overlays the groups of the isoFLOP collection, each fitted on its own';

export default async function ({ wb, shot, assert }) {
  const row = await wb.explorerRow('sweeps/isoflops_open_athena.csv');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /isoflops_open_athena\.csv/, timeout: 120_000 });
  // The default law fits each experiment with Chinchilla's L(N, D): one row per group.
  const groups = frame.locator('#sl-groups tbody tr');
  await groups.first().waitFor({ timeout: 60_000 });
  assert.equal(await groups.count(), 8);
  // Choose the isoFLOP law with the keyboard-accessible select.
  await frame.locator('#sl-law').selectOption('isoflop');
  await frame.locator('body[data-xkind="params"][data-rendered="true"]').waitFor({ timeout: 120_000 });
  await frame.locator('#sl-groups thead', { hasText: 'a' }).waitFor({ timeout: 60_000 });
  const table = await frame.locator('#sl-groups').innerText();
  const line = table.split('\n').find((l) => l.includes('epochai_chinchilla'));
  assert.ok(line, table);
  const a = Number(line.split('\t').map((x) => x.trim()).filter(Boolean)[3]);
  assert.ok(a > 0.46 && a < 0.53, `Chinchilla a in the table: ${line}`);
  assert.equal(await frame.locator('#sl-group').inputValue(), 'all groups');
  await shot('isoflop-groups-overlay');
  // One group on its own: its own fit and parameters table.
  await frame.locator('#sl-group').selectOption('llama_3__raw_loss');
  await frame.locator('#sl-params').waitFor({ timeout: 60_000 });
  const params = await frame.locator('#sl-params').innerText();
  const b = Number(/\bb\s+([\d.]+)/.exec(params)?.[1]);
  assert.ok(Math.abs(b - 0.54) < 0.02, `Llama 3 b: ${params}`);
  await shot('isoflop-one-group');
  await frame.locator('#sl-group').selectOption('all groups');
  await frame.locator('#sl-groups').waitFor({ timeout: 60_000 });
}

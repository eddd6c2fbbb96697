// Issue 5, like a user: hover a key of a nanoGPT-style config and of a YAML config; see the
// under-training warning in Problems; apply the quick fix from the lightbulb menu (Ctrl+.).
export const title = 'config: hover in Python and YAML, diagnostic, quick fix';

export default async function ({ page, wb, shot, assert }) {
  await wb.openFile('configs/train_gpt2_medium_short.py');
  // n_layer is on line 9 of the sample.
  const hover = await wb.hoverText(9, 3, { contains: 'Scaling Lens', timeout: 60_000 });
  assert.match(hover, /354,599,936/);
  assert.match(hover, /Tokens per parameter/);
  assert.match(hover, /Predicted loss/);
  await shot('python-hover');
  await page.keyboard.press('Escape');

  const rows = await wb.waitUntil('the config warning', async () => {
    const r = await wb.problems();
    return r.find((x) => /Tokens per parameter is 2\.96/.test(x.text)) ? r : undefined;
  }, 60_000);
  assert.ok(rows.length > 0);
  await shot('config-problem');

  // Quick fix on max_iters (line 20): Ctrl+. then pick the "Set max_iters" action.
  // The lightbulb menu lists what the provider returned when it opened: if the editor had not the
  // focus or the diagnostics were not attached yet, close it and ask again (as a user would).
  const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Set max_iters' }).first();
  await wb.waitUntil('the "Set max_iters" quick fix', async () => {
    await wb.gotoPosition(20, 2);
    await page.keyboard.press('Control+.');
    if (await item.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return true;
    await page.keyboard.press('Escape');
    return false;
  }, 40_000, 500);
  await shot('quick-fix-menu');
  await item.click();
  await wb.waitUntil('max_iters rewritten', async () => {
    const text = await page.locator('.editor-instance .view-lines').first().innerText();
    return /max_iters = 13,?5\d\d|max_iters = 13_?5\d\d/.test(text.replace(/\u00a0/g, ' '));
  }, 20_000);
  await shot('quick-fix-applied');
  await page.keyboard.press('Control+Z');

  await wb.reset();
  await wb.openFile('configs/llama-1b-pretrain.yaml');
  const yamlHover = await wb.hoverText(8, 5, { contains: 'Scaling Lens', timeout: 30_000 });
  assert.match(yamlHover, /1,100,048,384/);
  assert.match(yamlHover, /1\.10B/);
  assert.match(yamlHover, /Tokens per parameter \| ?20|Tokens per parameter\s+20/);
  await shot('yaml-hover');
}

// Thirtieth session, like a user fine-tuning gpt-oss: its real config.json (test/fixtures/SOURCES.md)
// opened and a key hovered. Before, model_type "gpt_oss" was no family: no parameter count. Now the
// hover names the family and shows the total and active counts side by side, exactly as transformers'
// GptOssForCausalLM builds it (attention sinks, biases, the router's bias), and no key is left uncounted.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'config: a gpt-oss-20b config.json hover shows its family and 20.9B total / 4.19B active, no uncounted key';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'configs');

export default async function ({ page, wb, shot, assert, workspace }) {
  // (Beside the other sample configs: a folder of one folder is drawn as one row, compact.)
  const rel = 'configs/gpt-oss-20b/config.json';
  const text = readFileSync(join(FIXTURES, 'gpt-oss-20b.json'), 'utf8');
  mkdirSync(dirname(join(workspace, rel)), { recursive: true });
  writeFileSync(join(workspace, rel), text);
  await wb.runCommand('View: Close All Editors');
  await wb.explorerRow(rel, 30_000);
  await wb.openFile(rel);
  const line = text.split('\n').findIndex((l) => l.includes('"num_local_experts"')) + 1;
  const hover = await wb.hoverText(line, 6, { contains: 'Scaling Lens', timeout: 60_000 });
  assert.match(hover, /gpt-oss/);
  assert.match(hover, /gpt_oss/);
  assert.match(hover, /20,914,757,184 \/ 4,187,440,704/, 'total and active side by side');
  assert.match(hover, /4 of 32 routed experts/);
  assert.match(hover, /3\.61B without the input embedding/, "the model card's active count beside ours");
  assert.match(hover, /GptOssForCausalLM/);
  await shot('gpt-oss-hover');
  await page.keyboard.press('Escape');
  // Every size key is read: no "not counted" warning on the file.
  const rows = await wb.problems();
  assert.ok(!rows.some((r) => /gpt-oss-20b|config\.json/.test(r.text) && /not count|does not include/.test(r.text)), JSON.stringify(rows));
}

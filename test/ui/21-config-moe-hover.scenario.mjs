// Issue 11, like a user: open a Hugging Face MoE config.json (Qwen1.5-MoE-A2.7B, a real published
// config) and hover a key: the hover names the family and shows the total and active parameter
// counts side by side, exactly. An SSM's config.json (an architecture the counter does not know)
// gets a problem instead of a count.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'config: MoE config.json hover shows family, total and active; unknown model_type is a problem';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'configs');

export default async function ({ page, wb, shot, assert, workspace }) {
  const copy = (fixture, rel) => {
    const text = readFileSync(join(FIXTURES, fixture), 'utf8');
    mkdirSync(dirname(join(workspace, rel)), { recursive: true });
    writeFileSync(join(workspace, rel), text);
    return text;
  };
  const moe = copy('qwen1.5-moe-a2.7b.json', 'models/qwen1.5-moe-a2.7b/config.json');
  copy('mamba-130m.json', 'models/mamba-130m/config.json');

  await wb.explorerRow('models/qwen1.5-moe-a2.7b/config.json', 30_000);
  await wb.openFile('models/qwen1.5-moe-a2.7b/config.json');
  const line = moe.split('\n').findIndex((l) => l.includes('"num_experts"')) + 1;
  const hover = await wb.hoverText(line, 6, { contains: 'Scaling Lens', timeout: 60_000 });
  assert.match(hover, /Qwen2-MoE/);
  assert.match(hover, /qwen2_moe/);
  assert.match(hover, /14,315,784,192 \/ 2,689,173,504/, 'total and active side by side');
  assert.match(hover, /4 of 60 routed experts \+ the shared expert/);
  assert.match(hover, /Qwen2MoeForCausalLM/);
  await shot('moe-hover');
  await page.keyboard.press('Escape');

  await wb.explorerRow('models/mamba-130m/config.json', 30_000);
  await wb.openFile('models/mamba-130m/config.json');
  const rows = await wb.waitUntil('the unknown-architecture problem', async () => {
    const r = await wb.problems();
    // Rows are read while the panel may still be drawing: wait for the whole row (text and icon).
    return r.find((x) => x.severity === 'warning' && /model_type "mamba" is not a family/.test(x.text) && /no parameter count/.test(x.text)) ? r : undefined;
  }, 60_000);
  assert.ok(rows.some((x) => x.severity === 'warning' && /no parameter count/.test(x.text)), JSON.stringify(rows));
  await shot('unknown-model-type-problem');
}

// Issue 9, real sweeps: a W&B runs-table export (one row per run) opens as a sweep of runs. With the
// model shape in its config columns, N is counted per run and the panel's Series control chooses the
// loss column (an eval loss by default); the real export (hadasah/scaling_laws gshard.csv excerpt)
// has no width column, and the panel says why N is missing instead of inventing it.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'a W&B runs-table export opens as a sweep: its loss column chosen in the panel; a real export without width columns says why N is missing, and takes the size typed in the panel';

/** A runs export with the model shape in its config columns and no tokens column (written here). */
function writtenExport() {
  const head = '"Name","State","Created","Runtime","model.n_layers","model.d_model","model.n_heads","model.vocab_size","model.seq_len","batch_size","steps","train/step","eval/loss","train/loss"';
  const rows = [];
  let k = 0;
  for (const [layers, width] of [[4, 256], [6, 384], [8, 512], [12, 768]]) {
    for (const step of [1000, 2000, 4000, 8000]) {
      const loss = 2 + 8 / Math.pow(layers * width * width, 0.2) + 30 / Math.pow(step * 64 * 512, 0.2);
      rows.push(`"run-${k++}","finished","2024-01-01T00:00:00Z","100","${layers}","${width}","${width / 64}","32000","512","64","5000","${step}","${loss.toFixed(5)}","${(loss - 0.05).toFixed(5)}"`);
    }
  }
  return [head, ...rows].join('\n') + '\n';
}

export default async function ({ wb, shot, assert, workspace }) {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(workspace, 'wandb-export');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'runs_with_shapes.csv'), writtenExport());
  copyFileSync(join(here, '..', 'fixtures', 'hadasah_gshard_experts4.csv'), join(dir, 'gshard_runs.csv'));

  const row = await wb.explorerRow('wandb-export/runs_with_shapes.csv', 60_000);
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /runs_with_shapes\.csv/, timeout: 120_000 });
  const series = frame.locator('#sl-series');
  assert.equal(await series.inputValue(), 'eval/loss', 'an eval loss by default');
  // (The sample workspace drops the 5 highest losses before a sweep fit: 11 of the 16 runs are fitted.)
  const notes = () => frame.locator('.sl-note').allInnerTexts().then((t) => t.join('\n'));
  await wb.waitUntil('the notes say where N and D came from', async () => /N counted from the config columns/.test(await notes()) && /D = "train\/step"/.test(await notes()), 60_000);
  await shot('runs-export-eval-loss');
  // Choose the training loss with the Series control: the sweep is fitted again on it.
  await series.selectOption('train/loss');
  await wb.waitUntil('refitted on train/loss', async () => /loss from "train\/loss".*as chosen/.test(await notes()), 120_000);
  assert.equal(await frame.locator('#sl-series').inputValue(), 'train/loss');
  await shot('runs-export-train-loss');

  // The real export: no width or vocabulary column, so no model size; said, not invented.
  const real = await wb.explorerRow('wandb-export/gshard_runs.csv', 60_000);
  await wb.contextMenu(real, 'Fit Scaling Law', { timeout: 60_000 });
  const f2 = await wb.waitForWebview({ selector: 'body[data-rendered]', title: /gshard_runs\.csv/, timeout: 120_000 });
  const err = f2.locator('.sl-error[role="alert"]');
  await err.first().waitFor({ timeout: 60_000 });
  const text = await err.first().innerText();
  assert.match(text, /model size of the runs cannot be computed/);
  assert.match(text, /no d_model/);
  assert.ok((await f2.locator('#sl-series option').allInnerTexts()).some((o) => /c4\.jsonl/.test(o)), 'the eval perplexities are offered as loss columns');
  await shot('real-export-no-size');

  // The panel offers the size the table lacks: typed in, every run gets it and the sweep is fitted.
  const size = f2.locator('#sl-model-size');
  assert.equal(await size.getAttribute('placeholder'), "every run's");
  await size.fill('1.2e8');
  await size.press('Enter');
  await wb.waitUntil('fitted with the size typed in', async () =>
    !(await f2.locator('.sl-error[role="alert"]').allInnerTexts()).some((t) => /model size of the runs cannot be computed/.test(t))
    && /N = 120,000,000 for every run, as given/.test((await f2.locator('body').innerText())), 120_000);
  assert.equal(await f2.locator('#sl-model-size').inputValue(), '1.2e8');
  await shot('real-export-size-typed');
}

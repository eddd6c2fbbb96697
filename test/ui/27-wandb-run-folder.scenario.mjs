// Real data in the editor: a W&B run folder as the client writes it (AuroraEchos/TinyLM, its binary
// `run-<id>.wandb` transaction log, test/fixtures/SOURCES.md). Right-click the folder → Fit Scaling Law:
// the history is read from the binary log, the LR column gives the warm-up that is skipped, and the
// panel says how far to trust the fit (its backtests miss by 5%: not supported), in plain words.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a real W&B run folder (binary .wandb log): history read, warm-up from its LR, trust said';

export default async function ({ wb, shot, assert, workspace }) {
  const run = join(workspace, 'runs', 'run-20260211_121423-kj3gdsjx');
  mkdirSync(join(run, 'files'), { recursive: true });
  const fx = join(process.cwd(), 'test', 'fixtures', 'wandb-tinylm-run');
  writeFileSync(join(run, 'run-kj3gdsjx.wandb'), gunzipSync(readFileSync(join(fx, 'run-kj3gdsjx.wandb.gz'))));
  for (const f of ['config.yaml', 'wandb-summary.json']) copyFileSync(join(fx, 'files', f), join(run, 'files', f));

  const row = await wb.explorerRow('runs/run-20260211_121423-kj3gdsjx');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /run-20260211_121423-kj3gdsjx/, timeout: 120_000 });
  // One information problem (where the history came from): said in the singular.
  assert.match(await frame.locator('#sl-meta').innerText(), /^wandb · single run · 2,145 rows · 1 problem$/);
  assert.equal(await frame.locator('#sl-warmup').getAttribute('placeholder'), 'warm-up (15850)');
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 60_000);
  const trust = await frame.locator('#sl-trust').innerText();
  assert.match(trust, /Not supported \(\d reasons?\):\s[\s\S]*refitted on shorter prefixes, this law missed this run's later loss by [\d.]+% on average/);
  assert.match(await frame.locator('#sl-goodness').innerText(), /Fitted loss at step 107k \(last logged\)/);
  await shot('wandb-run-fitted');
}

// Real data in the editor: Karpathy's nanochat d20 base-training log (test/fixtures/SOURCES.md), whose
// last 20% of steps are a linear LR warm-down logged as `lrm`. Fit Scaling Law on the whole run: the
// model size comes from the log's own header, the law that meets the end of the run is the LR-annealing
// law (the power law ends 1.9% above the logged losses), and the predicted loss at the run's last step
// has a band that holds the losses logged there. Then the same run read half-way: predicted at its
// planned end, which its step lines state.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a real nanochat log with its warm-down: the law that meets the end, its band holding the logged loss';

export default async function ({ wb, shot, assert, workspace }) {
  const dir = join(workspace, 'runs', 'nanochat-d20');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'base_train.log'), gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'nanochat-d20-base-train.log.gz'))));
  const row = await wb.explorerRow('runs/nanochat-d20/base_train.log');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /base_train\.log/, timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 60_000);
  const summary = await frame.locator('#sl-summary').innerText();
  assert.match(summary, /Tissue et al\. 2024/, 'the LR-annealing law');
  assert.match(summary, /taken as the law that meets the end of the fitted range/);
  // N from the log's own header ("Number of parameters: 560,988,160"), no config beside it.
  assert.match(await frame.locator('#sl-model-size').getAttribute('placeholder'), /^561M \(config\)$/);
  const goodness = await frame.locator('#sl-goodness').innerText();
  // The run ended at its planned step: the value there is the fit, said as such (not a prediction).
  const m = /Fitted loss at 11\.2B tokens \(step 21\.4k, last logged\)\s+([\d.]+) \(([\d.]+) – ([\d.]+)\)/.exec(goodness);
  assert.ok(m, goodness);
  const [loss, lo, hi] = m.slice(1).map(Number);
  // The last 25 logged losses average 2.7348 (the backtest table's "actual").
  const actual = Number(/first 75%\s+step 21\.4k\s+[\d.]+\s+([\d.]+)/.exec(await frame.locator('#sl-trust').innerText())?.[1]);
  assert.ok(Math.abs(actual - 2.735) < 0.001, `actual ${actual}`);
  assert.ok(lo <= actual && actual <= hi + 0.0005, `band ${lo} – ${hi} against ${actual}`);
  assert.ok(Math.abs(loss / actual - 1) < 0.005, `${loss} against ${actual}`);
  await shot('nanochat-fitted-whole');
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('nanochat-trust');

  // The same run read half-way, as it is while still training (its first 11,000 lines): the step lines
  // (`step 10778/21400`) state the planned end, so the panel predicts the loss there — not only the fit
  // where the log stops — and says that the LR ahead is unknown.
  const text = gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'nanochat-d20-base-train.log.gz'))).toString('utf8');
  writeFileSync(join(dir, 'half_train.log'), text.split('\n').slice(0, 11000).join('\n') + '\n');
  const half = await wb.explorerRow('runs/nanochat-d20/half_train.log');
  await wb.contextMenu(half, 'Fit Scaling Law', { timeout: 60_000 });
  const live = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /half_train\.log/, timeout: 120_000 });
  await wb.waitUntil('the trust section of the half-way run', async () => (await live.locator('#sl-trust').count()) > 0, 60_000);
  const g = await live.locator('#sl-goodness').innerText();
  const p = /(?<!Fitted )Loss at 11\.2B tokens \(step 21\.4k\)\s+([\d.]+) \(([\d.]+) – ([\d.]+)\)/.exec(g);
  assert.ok(p, g);
  const [, plo, phi] = p.slice(1).map(Number);
  assert.ok(plo <= actual && actual <= phi, `band ${plo} – ${phi} against the run's real end ${actual}`);
  assert.match(await live.locator('#sl-trust').innerText(), /the LR after step 10778 is not known \(the run's planned end, step 21399, is; the LR's shape is not\)/);
  assert.match(await live.locator('#sl-summary').innerText(), /planned end step 21399 \(the log's step lines/);
  await shot('nanochat-half-way-predicted-at-planned-end');
}

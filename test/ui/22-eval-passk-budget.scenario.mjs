// Issue 14, like a user: fit a repeated-sampling eval file (pass@k with its interval, both forecasts
// and the backtest), then a thinking-budget table (one curve per model, train bigger or think longer),
// and raise the expected queries until the answer flips.
export const title = 'eval files: pass@k with forecasts, thinking-budget curves and train-bigger-or-think-longer';

async function fit(wb, rel) {
  await wb.reset();
  const name = rel.split('/').pop();
  const row = await wb.explorerRow(rel);
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  return wb.waitUntil(`${name}: a drawn eval chart`, async () => {
    for (let i = 0; i < await wb.webviewCount(); i++) {
      const frame = wb.webviewFrame(i);
      const body = frame.locator('body[data-rendered="true"]');
      if (await body.count() && (await body.innerText()).includes(name) && await frame.locator('#sl-summary').count()) return frame;
    }
    return undefined;
  }, 90_000);
}

export default async function ({ wb, shot, assert }) {
  // 1. Repeated samples: 100 problems × 64 attempts drawn from Beta(0.35, 1.8).
  const passk = await fit(wb, 'evals/passk_attempts.csv');
  const table = await passk.locator('#sl-passk').innerText();
  assert.match(table, /pass@k \(Chen et al\. 2021/);
  const at64 = /\n64\s+([\d.]+)%\s+([\d.]+)%\s+–\s+([\d.]+)%/.exec(table);
  assert.ok(at64, table);
  const [, v, lo, hi] = at64.map(Number);
  assert.ok(lo < v && v < hi && v > 60 && v < 95, table);
  const forecasts = await passk.locator('#sl-forecasts').innerText();
  assert.match(forecasts, /Beta-binomial \(Schaeffer et al\. 2025\)/);
  assert.match(forecasts, /power law \(Brown et al\. 2024\)/);
  assert.match(forecasts, /backtest: fitted on k ≤ 16/);
  const alpha = Number(/α = ([\d.]+)/.exec(forecasts)?.[1]);
  assert.ok(alpha > 0.2 && alpha < 0.6, `α ${alpha} (truth 0.35)`);
  await shot('passk-forecasts');

  // 2. The lm-evaluation-harness samples file: one group per filter.
  const lm = await fit(wb, 'evals/samples_gsm8k_repeats.jsonl');
  assert.ok(await lm.locator('#sl-group').count(), 'a group picker for the two filters');
  assert.match(await lm.locator('#sl-summary').innerText(), /24 problems, 288 attempts/);
  await shot('lm-eval-samples');

  // 3. Thinking-budget table: one logistic per model and the comparison.
  const budget = await fit(wb, 'evals/thinking_budget.csv');
  const fits = await budget.locator('#sl-budget-fits').innerText();
  for (const m of ['reasoner-1.5b', 'reasoner-7b', 'reasoner-32b']) assert.match(fits, new RegExp(m.replace('.', '\\.')));
  const compare = await budget.locator('#sl-think-or-train').innerText();
  assert.match(compare, /reasoner-1\.5b ★ cheapest/, compare);
  assert.match(await budget.locator('#sl-flips').innerText(), /from [\d.]+[KMBT]? queries on, reasoner-7b is cheaper than reasoner-1\.5b/);
  await shot('thinking-budget');

  // Many more queries: thinking longer on the small model stops paying; the 7B model wins.
  await budget.locator('#sl-queries').fill('1e12');
  await budget.locator('#sl-queries').press('Enter');
  await wb.waitUntil('the comparison at 1e12 queries', async () => /reasoner-7b ★ cheapest/.test(await budget.locator('#sl-think-or-train').innerText().catch(() => '')), 60_000);
  await shot('thinking-budget-1e12-queries');
}

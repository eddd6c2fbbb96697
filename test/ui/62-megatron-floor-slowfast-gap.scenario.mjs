// Thirty-third session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - A Megatron-LM user whose run stopped at iteration 344 of 500: its LR column is a cosine to a floor
//   of 10% of the peak (min_lr), continued to step 500 (before: a cosine to zero continued to step 535).
// - A PySlowFast user's stdout.log, 14 launches appended: its `json_stats` lines are the rows of the last
//   launch, at (epoch − 1) × 316 + iter, with 20 × 316 steps planned (before: refused).
// - A minGPT user's console pasted with `...` for iterations 200 to 992: its three backtests are one fit,
//   counted once and said (before: the same fit three times).

export const title = 'a Megatron-LM console whose LR decays to a floor, a PySlowFast stdout.log and a minGPT console with a gap, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const f = await wb.fitFixture(workspace, 'megatron-lm-llama3-1b-rank3-stdout.log.gz', 'megatron', 'stdout.log', { trust: true });
  const body = await f.locator('body').innerText();
  assert.match(body, /cosine decay to 10% of the peak continued to step 500/, 'the floor of the LR read from its column');
  assert.doesNotMatch(body, /step 535|NaN|Infinity|undefined/);
  await shot('megatron-cosine-floor');

  const g = await wb.fitFixture(workspace, 'slowfast-meccano/stdout.log.gz', 'slowfast', 'stdout.log', { trust: true });
  assert.equal(await g.locator('#sl-series').inputValue(), 'loss');
  const gb = await g.locator('body').innerText();
  assert.match(gb, /6320/, 'the planned end, 20 epochs of 316 iterations');
  assert.match(gb, /json_stats/);
  assert.doesNotMatch(gb, /NaN|Infinity|undefined/);
  await shot('slowfast-json-stats');

  const h = await wb.fitFixture(workspace, 'mingpt-chargpt-two-runs.md.gz', 'mingpt', 'train.log', { trust: true });
  const hb = await h.locator('body').innerText();
  assert.match(hb, /hold the same points \(none logged between their cuts\): one fit, counted once/);
  await shot('mingpt-backtest-gap');
}

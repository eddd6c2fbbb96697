// Thirty-fifth session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - A TinyLlama pre-training console (lit-gpt's 2023 `iter N step M: loss …` lines): its printed
//   `'max_iters': 1840000` is the planned end (before: no planned end, two columns made of "remaining
//   time … or … days"; the 16 micro-batches to an optimizer step are said among the file's problems).
// - CatBoost's catboost_training.json (in ~10,000 public repositories): fitted, its planned 200 iterations
//   reached (before: "not a training log this reader knows").
// - A timm console planned past a million steps (310 epochs of 10,009 iterations): predicted at its
//   planned end, the schedule-aware laws left out there and said why (before: predicted at step 1,000,000,
//   "the end of training is not stated").

export const title = 'a TinyLlama console, a CatBoost training JSON and a timm run planned past a million steps, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const f = await wb.fitFixture(workspace, 'tinyllama-wk120m-safari-pretrain.txt.gz', 'tinyllama', 'pretrain_log.txt', { trust: true });
  const body = await f.locator('body').innerText();
  assert.match(body, /max_iters/, 'the planned end from the printed max_iters');
  assert.match(body, /step 1\.84M/, 'the extrapolation to the planned end');
  assert.doesNotMatch(body, /remaining_time|NaN|Infinity|undefined/);
  await shot('tinyllama');

  const g = await wb.fitFixture(workspace, 'catboost-keiba-200it/catboost_training.json', 'catboost', 'catboost_training.json', { trust: true });
  const gb = await g.locator('body').innerText();
  assert.match(gb, /Logloss/, 'the learn set\'s Logloss fitted');
  assert.match(gb, /iteration_count/, 'the planned iterations');
  assert.doesNotMatch(gb, /not a training log/);
  await shot('catboost');

  const h = await wb.fitFixture(workspace, 'timm-vitae-s-killed-mlp.log.gz', 'timm', 'train.log', { trust: true });
  const hb = await h.locator('body').innerText();
  assert.match(hb, /3,?102,?789/, 'the planned end, past a million steps');
  assert.match(hb, /stop moving/, 'the schedule-aware laws left out past the schedule\'s reach');
  assert.doesNotMatch(hb, /end of training is not stated/);
  // (Thirty-sixth session: the LR note said "ends at step 1M" beside the planned end 3.1M.)
  assert.match(hb, /built up to step [\d.,]+[kM]? \(the most an LR schedule is built to\)/, 'the schedule\'s reach, not its end');
  assert.doesNotMatch(hb, /ends at step 1(\.00)?M/);
  await shot('timm-3m');
}

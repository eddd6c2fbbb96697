// Thirty-third session, like three users of real public runs (test/fixtures/SOURCES.md), from the explorer:
// - A Megatron-LM user whose run stopped at iteration 344 of 500: its LR column is a cosine to a floor
//   of 10% of the peak (min_lr), continued to step 500 (before: a cosine to zero continued to step 535).
// - A PySlowFast user's stdout.log, 14 launches appended: its `json_stats` lines are the rows of the last
//   launch, at (epoch − 1) × 316 + iter, with 20 × 316 steps planned (before: refused).
// - A minGPT user's console pasted with `...` for iterations 200 to 992: its three backtests are one fit,
//   counted once and said (before: the same fit three times).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a Megatron-LM console whose LR decays to a floor, a PySlowFast stdout.log and a minGPT console with a gap, from the explorer';

export default async function ({ wb, shot, assert, workspace }) {
  const fixtures = join(process.cwd(), 'test', 'fixtures');
  // (Named `0-…` to sort first: the explorer draws only the rows in view.)
  const mega = join(workspace, 'runs', '0-megatron');
  mkdirSync(mega, { recursive: true });
  writeFileSync(join(mega, 'stdout.log'), gunzipSync(readFileSync(join(fixtures, 'megatron-lm-llama3-1b-rank3-stdout.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/0-megatron/stdout.log', { timeout: 120_000, trust: true });
  const body = await f.locator('body').innerText();
  assert.match(body, /cosine decay to 10% of the peak continued to step 500/, 'the floor of the LR read from its column');
  assert.doesNotMatch(body, /step 535|NaN|Infinity|undefined/);
  await shot('megatron-cosine-floor');

  const sf = join(workspace, 'runs', '0-slowfast');
  mkdirSync(sf, { recursive: true });
  writeFileSync(join(sf, 'stdout.log'), gunzipSync(readFileSync(join(fixtures, 'slowfast-meccano', 'stdout.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const g = await wb.fitFromExplorer('runs/0-slowfast/stdout.log', { timeout: 120_000, trust: true });
  assert.equal(await g.locator('#sl-series').inputValue(), 'loss');
  const gb = await g.locator('body').innerText();
  assert.match(gb, /6320/, 'the planned end, 20 epochs of 316 iterations');
  assert.match(gb, /json_stats/);
  assert.doesNotMatch(gb, /NaN|Infinity|undefined/);
  await shot('slowfast-json-stats');

  const mg = join(workspace, 'runs', '0-mingpt');
  mkdirSync(mg, { recursive: true });
  writeFileSync(join(mg, 'train.log'), gunzipSync(readFileSync(join(fixtures, 'mingpt-chargpt-two-runs.md.gz'))));
  await wb.runCommand('View: Close All Editors');
  const h = await wb.fitFromExplorer('runs/0-mingpt/train.log', { timeout: 120_000, trust: true });
  const hb = await h.locator('body').innerText();
  assert.match(hb, /hold the same points \(none logged between their cuts\): one fit, counted once/);
  await shot('mingpt-backtest-gap');
}

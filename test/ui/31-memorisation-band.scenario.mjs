// Issue 15, honest bands on repeated data: a real CodeBERT classifier's Trainer state (10 epochs,
// test/fixtures/SOURCES.md) as its checkpoint at step 2,710 — the end of its fifth pass — wrote it.
// Its training loss went on to fall 200× (0.05 → 2.5e-4, memorisation); the band used to stop within
// 2× of the law's prediction. Now it is open to 0 from the sixth pass's start, says why, and holds
// the run's real last loss; the chart draws it open below.
import { fitTrainerCheckpoint } from './helpers.mjs';

export const title = 'a classifier\'s checkpoint half-way through 10 epochs: the band is open to 0 from the next pass and holds the real last loss';

export default async function ({ wb, shot, assert, workspace }) {
  const { history, frame } = await fitTrainerCheckpoint(wb, workspace, 'trainer-state-codebert-cls-10ep.json', 'codebert-checkpoint-2710', 2710, 5);
  const losses = history.filter((e) => e.loss !== undefined);
  const end = losses[losses.length - 1].loss;
  const g = await frame.locator('#sl-goodness').innerText();
  // Predicted at its planned end (max_steps 5,420), the band from 0.
  const p = /(?<!Fitted )Loss at step 5\.42k\s+([\d.e+-]+) \(([\d.e+-]+) – ([\d.e+-]+)\)/.exec(g);
  assert.ok(p, g);
  const [loss, lo, hi] = p.slice(1).map(Number);
  assert.equal(lo, 0, g);
  assert.ok(end < loss / 10 && lo <= end && end <= hi, `band ${lo} – ${hi} around ${loss} holds the run's real last loss ${end}`);
  const trust = await frame.locator('#sl-trust').innerText();
  assert.match(trust, /makes 10 passes over its data/);
  assert.match(trust, /open below to 0 from step 2710, where a new pass over the data begins/);
  await shot('memorisation-band-chart');
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('memorisation-band-trust');
}

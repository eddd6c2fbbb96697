// Issue 15, a fine-tune over 9 passes of its data: a real Qwen3-8B LoRA Trainer state
// (test/fixtures/SOURCES.md) as its checkpoint at step 3,343 (half its 6,687 planned steps) wrote it.
// The passes law's fixed drop per pass put the floor of its last planned pass below zero, and its
// prediction at the planned end was a negative loss (−977% from the real last loss). The drop is now
// a fraction of the loss above the floor: the panel shows ρ, says why, and its band holds the real
// last loss, above zero.
import { fitTrainerCheckpoint } from './helpers.mjs';

export const title = 'a 9-epoch LoRA checkpoint half-way: the drop per pass is a fraction, the prediction a loss, the band holds the real end';

export default async function ({ wb, shot, assert, workspace }) {
  const { history, frame } = await fitTrainerCheckpoint(wb, workspace, 'trainer-state-baize-qwen3-8b-lora-9ep.json', 'baize-checkpoint-3343', 3343, 4.5);
  const losses = history.filter((e) => e.loss !== undefined);
  const end = losses[losses.length - 1].loss;
  const params = await frame.locator('#sl-params').innerText();
  assert.match(params, /ρ \(kept per pass\)\s+0\.\d+/, params);
  // E ends at its bound 0 in the resamples: said, not printed as the interval "0 – 0".
  assert.match(params, /E\s+0\s+pinned at 0 \(no spread across the resamples\)/, params);
  const g = await frame.locator('#sl-goodness').innerText();
  const p = /(?<!Fitted )Loss at step 6\.69k\s+([\d.e+-]+) \(([\d.e+-]+) – ([\d.e+-]+)\)/.exec(g);
  assert.ok(p, g);
  const [loss, lo, hi] = p.slice(1).map(Number);
  assert.ok(loss > 0 && lo >= 0, g);
  assert.ok(lo <= end && end <= hi, `band ${lo} – ${hi} around ${loss} holds the run's real last loss ${end}`);
  const notes = (await frame.locator('.sl-note').allInnerTexts()).join('\n');
  assert.match(notes, /a fixed drop at each pass would have put the floor of the run's last planned pass below zero/, notes);
  await shot('passes-fraction-chart');
  await frame.locator('#sl-params').scrollIntoViewIfNeeded();
  await shot('passes-fraction-params');
}

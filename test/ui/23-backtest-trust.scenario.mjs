// Issue 15, like a user: a run that logs its learning rate (warm-up, then cosine decay) and stopped
// at 40% of its planned steps, with its config beside it (max_steps, warm-up, cosine). Fit Scaling
// Law: the panel predicts the loss at the end of training as configured, with the LR-aware law,
// and shows "How far to trust this": the backtest table and the held-out predictions as ghost curves.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a run with an LR column: the panel shows the backtests and predicts the planned end of training';

export default async function ({ wb, shot, assert, workspace }) {
  const dir = join(workspace, 'runs', 'cosine-lr-run');
  mkdirSync(dir, { recursive: true });
  const T = 20000, W = 500;
  const lrAt = (s) => (s < W ? (s + 1) / W : 0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * (s - W)) / (T - W))));
  // Loss from the LR-annealing law (Tissue et al. 2024) with small deterministic wiggles; logged to step 8000.
  let S1 = 0, m = 0, S2 = 0;
  const lines = [];
  for (let s = 1; s <= 8000; s++) {
    const eta = lrAt(s);
    S1 += eta;
    if (s > W) m = 0.999 * m + (lrAt(s - 1) - eta);
    S2 += m;
    if (s % 20 === 0) {
      const loss = (2.4 + 8 * Math.pow(S1, -0.45) - 3e-4 * S2) * (1 + 0.002 * Math.sin(s * 0.37));
      lines.push(JSON.stringify({ step: s, loss: Number(loss.toFixed(5)), lr: Number((6e-4 * eta).toExponential(4)) }));
    }
  }
  writeFileSync(join(dir, 'train_log.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'training_args.yaml'), `max_steps: ${T}\nwarmup_steps: ${W}\nlr_scheduler_type: cosine_with_min_lr\nlearning_rate: 6.0e-4\nmin_lr: 6.0e-5\n`);

  const row = await wb.explorerRow('runs/cosine-lr-run/train_log.jsonl');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /train_log\.jsonl/, timeout: 90_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 60_000);
  const trust = await frame.locator('#sl-trust').innerText();
  assert.match(trust, /How far to trust this/);
  const rows = await frame.locator('#sl-backtest tbody tr').count();
  assert.ok(rows >= 3, `backtest rows: ${rows}`);
  assert.match(trust, /first 25%[\s\S]*first 50%[\s\S]*first 75%/);
  // The band spans the scatter of the last logged losses' mean too (forty-third session).
  assert.match(trust, /at least ±[\d.]+ for the scatter of a mean of the last \d+ logged losses around the curve/);
  const goodness = await frame.locator('#sl-goodness').innerText();
  // The prediction is at the planned end (step 20,000), not 10× the last step.
  assert.match(goodness, /Loss at step 20(,000|k| thousand|\.0k)/i, goodness);
  // The target field says where "auto" extrapolated to (its placeholder cut to the field's width before).
  assert.match(await frame.locator('#sl-target').getAttribute('placeholder'), /^auto \((step )?20k\)$/);
  const summary = await frame.locator('#sl-summary').innerText();
  assert.match(summary, /Tissue et al\. 2024|lr-annealing|multi-power/, 'a law that follows the LR schedule was chosen');
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('backtest-table-and-ghost-curves');

  // "Skip first %": with the schedule known, its warm-up is skipped and the field says so (not a
  // silently ignored 10%); a value typed in is applied on top of the warm-up and the summary says it.
  const skip = frame.locator('#sl-warmup');
  assert.equal(await skip.inputValue(), '');
  assert.match(await skip.getAttribute('placeholder'), /^warm-up \(500\)$/);
  assert.match(await skip.getAttribute('title'), /exactly its warm-up is skipped \(500 steps\)/);
  assert.match(summary, /"skip first 10%" not applied: the LR schedule's warm-up is skipped instead/);
  await skip.fill('20');
  await skip.press('Enter');
  await frame.locator('#sl-summary').filter({ hasText: 'skipped the first 20% of the points as asked' }).waitFor({ timeout: 90_000 });
  assert.equal(await frame.locator('#sl-warmup').inputValue(), '20');
  await frame.locator('#sl-warmup').scrollIntoViewIfNeeded();
  await shot('skip-first-percent-applied-over-the-warm-up');

  // A checkpoint of a run that repeats its data (the sample's 30-epoch HF fine-tune, written after 9
  // epochs): the band does not trust the law's further fall, and "How far to trust this" says why.
  const state = JSON.parse(readFileSync(join(workspace, 'runs', 'hf-trainer', 'trainer_state.json'), 'utf8'));
  state.log_history = state.log_history.filter((e) => e.step <= 3609);
  state.global_step = 3609;
  state.epoch = 9;
  mkdirSync(join(workspace, 'runs', 'hf-checkpoint'), { recursive: true });
  writeFileSync(join(workspace, 'runs', 'hf-checkpoint', 'trainer_state.json'), JSON.stringify(state, null, 2));
  const ckpt = await wb.explorerRow('runs/hf-checkpoint/trainer_state.json');
  await wb.contextMenu(ckpt, 'Fit Scaling Law', { timeout: 60_000 });
  const panel = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /trainer_state\.json/, timeout: 90_000 });
  await wb.waitUntil('the trust section of the checkpoint', async () => (await panel.locator('#sl-trust').count()) > 0, 60_000);
  const repeated = await panel.locator('#sl-trust').innerText();
  assert.match(repeated, /makes 30 passes over its data/);
  assert.match(repeated, /widened for the repeated data: from the loss already reached \(0\.07\d*\)/);
  assert.match(await panel.locator('#sl-goodness').innerText(), /Loss at step 12(,030|\.0k|k)/i);
  await panel.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('repeated-data-band');
}

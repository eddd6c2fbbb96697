// Issue 15, honest bands for a held-out loss: a real LoRA SFT Trainer state (5 epochs,
// test/fixtures/SOURCES.md `trainer-state-mcfed-lora-sft-5ep`) as its checkpoint at step 1,400 of
// 2,815 wrote it. Its eval loss went on to rise (1.95 → 2.13: overfitting), which a falling law cannot
// follow; the panel says it has already begun (overfitting since step 500). The band on the eval loss is open above (not below to 0, as the training loss's is), says
// why, holds the run's real last eval loss, and the chart draws it running off the top.
import { fitTrainerCheckpoint, trainerCheckpoint } from './helpers.mjs';
import { showRunsView, revealRun, restoring } from './runs-helpers.mjs';

export const title = 'a LoRA fine-tune\'s checkpoint half-way through 5 epochs: its eval loss band is open above (overfitting) and holds the real last eval loss';

export default restoring(async function ({ page, wb, shot, assert, workspace }) {
  const { history, rel, frame } = await fitTrainerCheckpoint(wb, workspace, 'trainer-state-mcfed-lora-sft-5ep.json', 'lora-sft-checkpoint-1400', 1400, 2.5);
  const evals = history.filter((e) => e.eval_loss !== undefined);
  const end = evals[evals.length - 1].eval_loss;
  // Said first, whichever series is fitted: the eval loss has already turned up (its lowest at step 500).
  const found = await frame.locator('#sl-findings').innerText();
  assert.match(found, /"eval_loss" has risen [\d.]+% above its lowest \(1\.881 at step 500\) over the \d+ evaluations since, while the training loss "loss" fell [\d.]+%: the run is overfitting/);
  // The training loss first (the default series): open below to 0, never above.
  assert.equal(await frame.locator('#sl-series').inputValue(), 'loss');
  assert.doesNotMatch(await frame.locator('#sl-trust').innerText(), /open above/);
  // The eval loss, chosen with the Series control.
  await frame.locator('#sl-series').selectOption('eval_loss');
  await wb.waitUntil('refitted on eval_loss', async () => /series "eval_loss"/.test((await frame.locator('.sl-note').allInnerTexts()).join('\n')), 120_000);
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 60_000);
  const g = await frame.locator('#sl-goodness').innerText();
  // Predicted at its planned end (max_steps 2,815; the last logged step 2,800 is its 28th eval), the band open above.
  const p = /(?<!Fitted )Loss at step 2\.8\d*k\s+([\d.e+-]+) \(([\d.e+-]+) – ∞\)/.exec(g);
  assert.ok(p, g);
  const [loss, lo] = p.slice(1).map(Number);
  assert.ok(end > loss * 1.05 && lo <= end, `band ${lo} – ∞ around ${loss} holds the run's real last eval loss ${end}`);
  const trust = await frame.locator('#sl-trust').innerText();
  assert.match(trust, /makes 5 passes over its data/);
  assert.match(trust, /open above from step .*a held-out loss on repeated data can turn up at any later pass \(overfitting/);
  assert.doesNotMatch(trust, /open below to 0/);
  await shot('eval-loss-band-chart');
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('eval-loss-band-trust');

  // The finding's "line N" button shows the log at the evaluation it is about (the last of the rise).
  const go = frame.locator('#sl-findings button', { hasText: /^line \d+$/ }).first();
  const at = Number((await go.innerText()).slice(5));
  const lines = (await import('node:fs')).readFileSync(`${workspace}/${rel}`, 'utf8').split('\n');
  // (The line where the log_history entry of the checkpoint's last evaluation step opens.)
  const lastEval = evals.filter((e) => e.step <= 1400).pop().step;
  assert.equal(lines[at - 1].trim(), '{', `line ${at}: ${lines[at - 1]}`);
  assert.match(lines.slice(at, at + 12).join('\n'), new RegExp(`"step": ${lastEval}\\b`));
  await go.click();
  await wb.waitUntil('the log open at the finding\'s line', async () => /trainer_state\.json/.test(await wb.activeTabLabel()), 30_000);
  await wb.statusBarText(new RegExp(`^Ln ${at}, Col 1\\b`), 30_000);
  await shot('finding-go-to-line');

  // The Runs view says it on the run's row (the same rise: one selection with Fit).
  const pane = await showRunsView(page);
  const row = await revealRun(page, pane, wb, 'lora-sft-checkpoint-1400');
  assert.match(await row.innerText(), /eval_loss ↑3\.3\d?%/);
  assert.match(await row.getAttribute('aria-label'), /held-out loss eval_loss risen 3\.3\d? percent above its lowest, at step 500/);
  // A usable run (a model config and a batch size beside it) whose held-out loss turned up has its
  // icon coloured as a warning: seen when a narrow sidebar cuts the description. A run whose
  // held-out loss did not turn up keeps the plain icon.
  const sized = trainerCheckpoint(workspace, 'trainer-state-mcfed-lora-sft-5ep.json', 'lora-sft-sized-checkpoint-1400', 1400, 2.5);
  const sizedDir = `${workspace}/${sized.rel.replace(/\/trainer_state\.json$/, '')}`;
  const fsm = await import('node:fs');
  fsm.copyFileSync(`${process.cwd()}/test/fixtures/config-llama-2-7b.json`, `${sizedDir}/config.json`);
  fsm.writeFileSync(`${sizedDir}/training_args.json`, JSON.stringify({ per_device_train_batch_size: 8, gradient_accumulation_steps: 1, max_seq_length: 1024, max_steps: 2815 }));
  await wb.runCommand('Scaling Lens: Refresh Runs');
  const usable = await revealRun(page, pane, wb, 'lora-sft-sized-checkpoint-1400');
  assert.doesNotMatch(await usable.getAttribute('aria-label'), /Left out of fits/);
  const colour = async (r) => r.locator('.codicon-pulse').first().evaluate((e) => getComputedStyle(e).color);
  const warned = await colour(usable);
  assert.notEqual(warned, await colour(await revealRun(page, pane, wb, 'synthetic-125m')));
  await shot('runs-view-held-out-rise');
});

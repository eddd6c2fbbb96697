// Two trainers' own output in the editor. A real LLaMA-Factory `trainer_log.jsonl` (a 3-epoch QLoRA
// run, test/fixtures/SOURCES.md) read at step 3,000 of 8,712, as it is while still training: its
// `total_steps` column is the planned end, so the panel predicts the loss there, and its epoch column
// (1.03 at step 3,000) says the run makes three passes over its data, which the verdict and the band
// take in. Then a Composer / LLM Foundry console log (blocks `[batch=N/T]:` of `Train key: value`
// lines) fitted against its `time/token` counter.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'LLaMA-Factory trainer_log.jsonl mid-run (planned end, 3 passes), a Composer console log, a buffered HF Trainer console log (whole and mid-run: the passes law), a pasted terminal without bars';

export default async function ({ wb, shot, assert, workspace }) {
  const dir = join(workspace, 'runs', 'luojiu-qlora');
  mkdirSync(dir, { recursive: true });
  const lines = gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'llamafactory-luojiu-trainer_log.jsonl.gz'))).toString('utf8').split('\n').filter((l) => l);
  writeFileSync(join(dir, 'trainer_log.jsonl'), lines.slice(0, 600).join('\n') + '\n');
  const end = JSON.parse(lines[lines.length - 2]).loss;
  const row = await wb.explorerRow('runs/luojiu-qlora/trainer_log.jsonl');
  await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /trainer_log\.jsonl/, timeout: 120_000 });
  await wb.waitUntil('the trust section', async () => (await frame.locator('#sl-trust').count()) > 0, 60_000);
  const g = await frame.locator('#sl-goodness').innerText();
  // Predicted at the planned end (step 8,712), not fitted where the log stops.
  const p = /(?<!Fitted )Loss at step 8\.71k\s+([\d.]+) \(([\d.]+) – ([\d.]+)\)/.exec(g);
  assert.ok(p, g);
  const [, lo, hi] = p.slice(1).map(Number);
  assert.ok(lo <= end && end <= hi, `band ${lo} – ${hi} holds the run's real last loss ${end}`);
  const trust = await frame.locator('#sl-trust').innerText();
  assert.match(trust, /makes 3 passes over its data \(the log's "epoch" column, 1\.03 at step 3,000 of 8,712\)/);
  assert.match(await frame.locator('#sl-summary').innerText(), /planned end step 8712 \(the log's "total_steps" column/);
  await shot('llamafactory-mid-run-planned-end');
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('llamafactory-trust-three-passes');

  // Composer's console: 300 blocks of a 600-batch run, a printed config before them.
  const cdir = join(workspace, 'runs', 'foundry-125m');
  mkdirSync(cdir, { recursive: true });
  const out = ['[2025-08-06 10:02:48,297][composer.trainer.trainer][INFO] - Run name: foundry-125m', '******************************', 'Config:', 'composer_version: 0.31.0', '******************************'];
  for (let b = 1; b <= 300; b++) {
    const loss = (2.9 + 8 * Math.pow(b, -0.45) * (1 + 0.01 * Math.sin(b))).toFixed(4);
    out.push(`[batch=${b}/600]:`, `\t Train time/batch: ${b - 1}`, `\t Train time/token: ${524288 * (b - 1)}`, `\t Train loss/train/total: ${loss}`,
      `\t Train metrics/train/LanguageCrossEntropy: ${loss}`, `\t Train throughput/batches_per_sec: 0.51`, `\t Train lr-DecoupledAdamW/group0: 0.0006`);
  }
  writeFileSync(join(cdir, 'train.log'), out.join('\n') + '\n');
  const crow = await wb.explorerRow('runs/foundry-125m/train.log');
  await wb.contextMenu(crow, 'Fit Scaling Law', { timeout: 60_000 });
  const cf = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /train\.log/, timeout: 120_000 });
  await wb.waitUntil('the Composer fit', async () => /loss\/train\/total/.test(await cf.locator('#sl-summary').innerText()), 60_000);
  const s = await cf.locator('#sl-summary').innerText();
  // Against Composer's token counter, predicted at the block heads' planned end (batch 600 = 313M tokens).
  assert.match(await cf.locator('#sl-goodness').innerText(), /Loss at 313M tokens \(step 600\)/);
  assert.match(s, /planned end step 600 \(the log's step lines \("batch N\/600"/, s);
  await shot('composer-console-log');

  // A real Hugging Face Trainer console capture whose dicts were buffered (they come in bursts long
  // after their steps): read at the steps their printed epoch gives, said in the panel's notes.
  const hdir = join(workspace, 'runs', 'llama-sft');
  mkdirSync(hdir, { recursive: true });
  writeFileSync(join(hdir, 'train_log.txt'), gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'hf-console-llama-sft-buffered.txt.gz'))));
  const hrow = await wb.explorerRow('runs/llama-sft/train_log.txt');
  await wb.contextMenu(hrow, 'Fit Scaling Law', { timeout: 60_000 });
  const hf = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', title: /train_log\.txt/, timeout: 120_000 });
  await wb.waitUntil('the console log fit', async () => (await hf.locator('#sl-trust').count()) > 0, 60_000);
  const hs = await hf.locator('body').innerText();
  assert.match(hs, /text · single run · 170 rows/);
  assert.match(hs, /planned end step 1677 \(the Trainer's progress bar \("N\/1677"/);
  assert.match(hs, /makes 3 passes over its data/);
  await shot('hf-console-buffered');

  // The same capture while the run is in its second pass (its first 70%, named as a capture still being written: 112 rows, up to step 1,120):
  // the fitted range holds the drop at the second pass, so the passes law joins the candidates and
  // wins the backtests; the panel names it and shows the drop D it fitted and the steps of a pass.
  const mdir = join(workspace, 'runs', 'llama-sft-running');
  mkdirSync(mdir, { recursive: true });
  const whole = gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'hf-console-llama-sft-buffered.txt.gz')));
  writeFileSync(join(mdir, 'train-running.log'), whole.subarray(0, Math.floor(whole.length * 0.7)));
  const mf = await wb.fitFromExplorer('runs/llama-sft-running/train-running.log');
  await wb.waitUntil('the running capture fit', async () => /112 rows/.test(await mf.locator('body').innerText()) && (await mf.locator('#sl-trust').count()) > 0, 60_000);
  const ms = await mf.locator('body').innerText();
  assert.match(ms, /L = E \+ ρ\^k·B\/x\^β − D·k \(k: passes over the data completed\)/);
  // A fixed drop here (the floor of its last planned pass stays above zero): D is listed, not ρ.
  assert.doesNotMatch(ms, /ρ \(kept per pass\)/);
  assert.match(ms, /steps per pass\s+559/);
  assert.match(ms, /the drop at each new pass over the data: D = /);
  const mp = /(?<!Fitted )Loss at [\d.]+M tokens \(step 1\.68k\)\s+([\d.]+) \(([\d.]+) – ([\d.]+)\)/.exec(await mf.locator('#sl-goodness').innerText());
  assert.ok(mp, JSON.stringify(await mf.locator('#sl-goodness').innerText()));
  // The run's real last losses (steps 1,640 and 1,670 of the whole capture: 0.5936, 0.5822) lie in the band.
  assert.ok(Number(mp[2]) <= 0.5822 && 0.5936 <= Number(mp[3]), `band ${mp[2]} – ${mp[3]}`);
  await shot('hf-console-running-passes-law');
  await mf.getByText('steps per pass', { exact: true }).scrollIntoViewIfNeeded();
  await shot('hf-console-running-passes-parameters');

  // A terminal pasted into a file after the run (LLaMA-Factory's layout, as a public write-up shows it):
  // the Trainer's banner, the dicts with no bar before them (the bar was redrawn over), the final bar.
  // The steps come from the printed epoch × the banner's 222 steps over 3 epochs.
  const pdir = join(workspace, 'runs', 'pasted');
  mkdirSync(pdir, { recursive: true });
  const pasted = ['[INFO|trainer.py:2414] 2025-05-15 07:26:19,308 >> ***** Running training *****', '[INFO|trainer.py:2416] 2025-05-15 07:26:19,308 >>   Num Epochs = 3',
    '[INFO|trainer.py:2422] 2025-05-15 07:26:19,308 >>   Total optimization steps = 222'];
  for (let st = 5; st <= 220; st += 5) {
    const loss = (0.45 + 0.9 * Math.pow(st, -0.3) - 0.2 * Math.floor(st / 74) + 0.01 * Math.sin(st)).toFixed(4);
    pasted.push(`{'loss': ${loss}, 'grad_norm': 0.8, 'learning_rate': ${(5e-5 * (1 - st / 222)).toExponential(4)}, 'epoch': ${Number((st / 74).toFixed(2))}}`.padEnd(150));
  }
  pasted.push(`100%|${'█'.repeat(60)}| 222/222 [04:05<00:00,  1.06s/it]`, "{'train_runtime': 246.2454, 'train_samples_per_second': 7.2, 'train_steps_per_second': 0.902, 'train_loss': 0.74, 'epoch': 3.0}");
  writeFileSync(join(pdir, 'terminal.log'), pasted.join('\n') + '\n');
  const pf = await wb.fitFromExplorer('runs/pasted/terminal.log');
  await wb.waitUntil('the pasted terminal fit', async () => (await pf.locator('#sl-trust').count()) > 0, 60_000);
  const ps = await pf.locator('body').innerText();
  assert.match(ps, /text · single run · 44 rows/);
  assert.match(ps, /planned end step 222 \(the Trainer's banner \("Total optimization steps = 222", line 3\)/);
  assert.match(ps, /makes 3 passes over its data/);
  await shot('hf-console-pasted-terminal');
}

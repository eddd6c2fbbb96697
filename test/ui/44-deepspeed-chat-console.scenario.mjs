// A console read for the first time in the twentieth session (test/fixtures/SOURCES.md): DeepSpeed-Chat's
// supervised fine-tuning log, whose only metric is the held-out perplexity after each epoch. It was
// refused ("not a training log this reader knows"); now its perplexity is the held-out loss (its log),
// DeepSpeed's `step=N, …, lr=[…]` lines its LR, and its 16 epochs of 460 steps its plan. Then an MMCV
// text log of evaluations only (in the shape of two real ones, which state no licence): its fit says
// why there is no loss (the logger's interval is longer than an epoch), not "not a training log". Last,
// an MMEngine text log of an iteration-based run (MMSegmentation 1.x's shape), refused before, fitted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'a DeepSpeed-Chat SFT console fitted from the explorer (its per-epoch perplexity as the held-out loss, under its logged cosine); an MMCV log of evaluations only says why it has no loss; an MMEngine text log fitted; an interval that leaves out its fitted value says so';

export default async function ({ page, wb, shot, assert, workspace }) {
  mkdirSync(join(workspace, 'runs', 'a-dschat'), { recursive: true });
  writeFileSync(join(workspace, 'runs', 'a-dschat', 'training.log'), gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'deepspeed-chat-opt-1.3b-sft.log.gz'))));
  await wb.runCommand('View: Close All Editors');
  const f = await wb.fitFromExplorer('runs/a-dschat/training.log', { timeout: 120_000, trust: true });
  assert.match(await f.locator('#sl-meta').innerText(), /^text · single run · 737 rows/);
  assert.equal(await f.locator('#sl-series').inputValue(), 'val_loss');
  const body = await f.locator('body').innerText();
  assert.match(body, /cosine/);
  assert.match(body, /step 7360|7,360/);
  assert.doesNotMatch(body, /not a training log/);
  // The multi-power law's floor L0 sits at its bound 0 while every resample moves off it: the interval
  // says the fitted value lies outside it (printed bare, "0 | 0.02 – 0.63" read as a bug).
  const params = await f.locator('#sl-params').innerText();
  assert.match(params, /L0\s+0\s+[\d.e+-]+ – [\d.e+-]+ \(the fitted 0 lies outside it: the resamples fit this parameter elsewhere, so it is poorly determined\)/, params);
  await shot('deepspeed-chat-console');

  await wb.reset();
  mkdirSync(join(workspace, 'runs', 'a-mmdet-val-only'), { recursive: true });
  const cfg = ['2023-02-10 10:30:10,450 - mmdet - INFO - Config:', "runner = dict(type='EpochBasedRunner', max_epochs=50)", "log_config = dict(interval=25, hooks=[dict(type='TextLoggerHook')])", ''];
  const val = Array.from({ length: 6 }, (_, e) => `2023-02-10 10:3${e}:30,459 - mmdet - INFO - Epoch(val) [${e + 1}][13]\tbbox_mAP: 0.0${e}25, bbox_mAP_50: 0.0061, bbox_mAP_75: 0.0011`);
  writeFileSync(join(workspace, 'runs', 'a-mmdet-val-only', 'run.log'), [...cfg, ...val].join('\n') + '\n');
  // Not a log the explorer offers to fit: opened, then "Fit Scaling Law" from the palette offers the
  // open file first (before, only the other logs of the workspace, saying nothing of this one).
  await wb.openFile('runs/a-mmdet-val-only/run.log');
  await wb.runCommand('Scaling Lens: Fit Scaling Law');
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await first.waitFor({ state: 'visible', timeout: 30_000 });
  const firstText = await first.innerText();
  assert.match(firstText, /run\.log/);
  assert.match(firstText, /the open file, not recognised as a training log/);
  await shot('fit-which-log-open-file-first');
  await page.keyboard.press('Enter');
  const error = await wb.waitUntil('the fit\'s error', async () => {
    const e = (await wb.notifications('Scaling Lens')).filter((x) => x.severity === 'error');
    return e.length ? e.map((x) => x.text).join(' / ') : undefined;
  }, 60_000);
  assert.match(error, /metric lines are all evaluations \(line 5: Epoch\(val\) \[1\]\[13\] bbox_mAP/);
  assert.match(error, /every 25 iterations/);
  assert.doesNotMatch(error, /not a training log/);
  await shot('mmcv-val-only-error');

  await wb.reset();
  mkdirSync(join(workspace, 'runs', 'a-mmseg1'), { recursive: true });
  const iters = [];
  for (let it = 50; it <= 2000; it += 50) {
    const loss = 0.03 + 1.2 / Math.sqrt(it / 50), lr = 0.01 * (1 - it / 2000) ** 0.9 + 1e-4;
    iters.push(`2023/06/13 14:04:55 - mmengine - INFO - Iter(train) [${String(it).padStart(4)}/2000]  base_lr: 1.0000e-02 lr: ${lr.toExponential(4)}  eta: 0:02:56  time: 0.5850  data_time: 0.0178  memory: 3979  loss: ${loss.toFixed(4)}  decode.loss_ce: ${(0.7 * loss).toFixed(4)}`);
    if (it % 400 === 0) iters.push('2023/06/13 14:03:51 - mmengine - INFO - Iter(val) [11/11]    aAcc: 87.9000  mIoU: 51.3200  mAcc: 59.1200');
  }
  writeFileSync(join(workspace, 'runs', 'a-mmseg1', '20230613_134700.log'), iters.join('\n') + '\n');
  const g = await wb.fitFromExplorer('runs/a-mmseg1/20230613_134700.log', { timeout: 120_000, trust: true });
  assert.match(await g.locator('#sl-meta').innerText(), /^text · single run · 40 rows/);
  assert.equal(await g.locator('#sl-series').inputValue(), 'loss');
  assert.match(await g.locator('body').innerText(), /the log's LR column \(40 values, steps 50–2000\)/);
  await shot('mmengine-iter-log');
}

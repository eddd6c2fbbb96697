// Issue 15, bands that keep their promise on held-out losses (twenty-fourth session), in the editor:
// - a real Keras CSVLogger (test/fixtures/SOURCES.md `keras-csvlogger-mnist`) as it stood half-way
//   through its 30 epochs, its LR still at its first value: the panel says the LR can be cut at any
//   later epoch (Keras logs the LR from a callback such as ReduceLROnPlateau) and the band reaches
//   down to 0 (the LR was halved twice after, and the loss fell 2×); the run's real last training
//   loss is inside it;
// - a real Whisper-tiny Trainer state over a streamed dataset (`trainer-state-whisper-tiny-nob-100k`)
//   at its checkpoint at step 30,000: its passes over the data are counted from where its epoch went
//   up (num_train_epochs is sys.maxsize), and its eval loss's band is open above.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitTrainerCheckpoint } from './helpers.mjs';

export const title = 'a Keras CSVLogger half-way: the LR can be cut, the band open below; a streamed Trainer run: its passes counted';

export default async function ({ wb, shot, assert, workspace }) {
  const fx = (f) => join(process.cwd(), 'test', 'fixtures', f);
  const lines = readFileSync(fx('keras-csvlogger-mnist/training_log.csv'), 'utf8').trim().split('\n');
  const dir = join(workspace, 'runs', 'a-keras-mnist-halfway');
  mkdirSync(dir, { recursive: true });
  // The header and epochs 0–14, as CSVLogger had written them by then.
  writeFileSync(join(dir, 'training_log.csv'), `${lines.slice(0, 16).join('\n')}\n`);

  const frame = await wb.fitFromExplorer('runs/a-keras-mnist-halfway/training_log.csv', { timeout: 120_000, trust: true });
  // The training loss (the default series): predicted ahead, the band from 0.
  assert.equal(await frame.locator('#sl-series').inputValue(), 'loss');
  const trust = await frame.locator('#sl-trust').innerText();
  assert.match(trust, /the LR can be cut at any later epoch: Keras' CSVLogger logs the LR \("learning_rate"\), which Keras does only from a callback that sets it, most often ReduceLROnPlateau/);
  assert.match(trust, /open below to 0 after epoch 14, where the LR can be cut/);
  const g = await frame.locator('#sl-goodness').innerText();
  const p = /(?<!Fitted )Loss at epoch [\d.k]+\s+([\d.e+-]+) \(([\d.e+-]+) – ([\d.e+-]+)\)/.exec(g);
  assert.ok(p, g);
  assert.equal(Number(p[2]), 0, g);
  const lastLoss = Number(lines[lines.length - 1].split(',')[3]);
  assert.ok(Number(p[3]) >= lastLoss, `band 0 – ${p[3]} holds the run's real last training loss ${lastLoss}`);
  await shot('keras-lr-cuts-band');
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('keras-lr-cuts-trust');

  await wb.runCommand('View: Close All Editors');
  const { history, frame: f2 } = await fitTrainerCheckpoint(wb, workspace, 'trainer-state-whisper-tiny-nob-100k.json', 'a-whisper-streamed-30k', 30000, 3.0);
  assert.match(await f2.locator('#sl-trust').innerText(), /makes 12 passes over its data \(trainer_state\.json's "epoch": a dataset without a length whose stream started again 3 times by step 30,000, about every 8,300 steps; at that pace about 12 passes by step 100,000\)/);
  await f2.locator('#sl-series').selectOption('eval_loss');
  await wb.waitUntil('refitted on eval_loss', async () => /series "eval_loss"/.test((await f2.locator('.sl-note').allInnerTexts()).join('\n')), 120_000);
  await wb.waitForTrust(f2, 60_000);
  const g2 = await f2.locator('#sl-goodness').innerText();
  const q = /(?<!Fitted )Loss at step 100k\s+([\d.e+-]+) \(([\d.e+-]+) – ∞\)/.exec(g2);
  assert.ok(q, g2);
  const evals = history.filter((e) => e.eval_loss !== undefined);
  const end = evals[evals.length - 1].eval_loss;
  assert.ok(Number(q[2]) <= end && Number(q[1]) < end, `band ${q[2]} – ∞ around ${q[1]} holds the real last eval loss ${end}, above the prediction`);
  await shot('whisper-streamed-passes');
}

// Issue 15, "honest numbers": a law the user picks can predict a loss of zero or less at the target
// (the LR-annealing law's −C·S2 term outgrowing the rest). On a real nnU-Net log fitted on its first
// 30%, it predicted −0.371 with a "band" of [0, 0.352] that did not contain its own prediction. Such a
// prediction is now said to be no loss, and no band is drawn; auto already leaves such a fit out.
// (That nnU-Net cut no longer predicts below zero: its LR's end, a poly decay to epoch 1,000 read as a
// line to epoch 331 from a 7% fall, is no longer invented; a real MMDetection run from half-way is the case.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';

type J = { messages: string[]; prediction?: { loss: number; lo: number; hi: number }; trust: { supported: boolean; reasons: string[]; band: string }; law?: string };
const fitOf = async (file: string, fitUntil: number, extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS>) =>
  fitToJson((await analyzeFile(path.join(FIXTURES, file), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 30, seed: 1, fitUntil, ...extra })).state) as unknown as J;
const fit = (extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS>) => fitOf(path.join('mmengine-mmdet-rtmdet-tiny-drinks-40e', 'scalars.json'), 0.5, extra);

test('a chosen law that predicts a loss below zero (real MMDetection RTMDet run, lr-annealing from half-way): said, and no band', async () => {
  const j = await fit({ runLaw: 'lr-annealing' });
  assert.ok(j.prediction!.loss < 0, JSON.stringify(j.prediction));
  assert.ok(j.trust.reasons.some((r) => /^the lr-annealing law predicts a loss of -0\.\d+ at the target, not a loss: it breaks down before it$/.test(r)), JSON.stringify(j.trust.reasons));
  assert.ok(Number.isNaN(j.prediction!.lo) && Number.isNaN(j.prediction!.hi), JSON.stringify(j.prediction));
  assert.match(j.trust.band, /^none: the prediction is not a loss \(95% moving-block bootstrap/);
  assert.ok(j.messages.some((m) => m.startsWith('no band: the prediction is not a loss')));
  // auto, on the same cut: the law that breaks down is left out, the prediction is a loss with its band.
  const a = await fit({});
  assert.ok(a.prediction!.loss > 0 && a.prediction!.lo <= a.prediction!.loss && a.prediction!.loss <= a.prediction!.hi, JSON.stringify(a.prediction));
  assert.ok(!a.trust.reasons.some((r) => /not a loss/.test(r)));
});

test('the real nnU-Net log from its first 30%: its LR (a poly decay to epoch 1,000, 7% down by epoch 23) gets no invented end, and lr-annealing no loss below zero', async () => {
  const j = await fitOf('nnunet-v1-tbone-cegdl-cutoff-training_log.txt.gz', 0.3, { runLaw: 'lr-annealing' }) as J & { schedule?: { source: string; kind: string } };
  assert.equal(j.schedule?.kind, 'logged');
  assert.match(j.schedule!.source, /falling \(by 7% of its peak by epoch 23\): too little to tell the decay's shape or where it ends/);
  assert.ok(j.prediction!.loss > 0, JSON.stringify(j.prediction));
});

// Issue 15, "a schedule change ahead: say so": detectors stop their data augmentation for the last
// epochs of a run (Ultralytics' `close_mosaic`, YOLOX's `no_aug_epochs`), and the training loss falls
// then by an amount nothing before it shows. Read from the run's own record (MLflow params, YOLOX's
// printed experiment table) or a config beside it (args.yaml, an exp file), said, and the band left
// open below from there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { augmentationOffOfLog } from '../../src/core/fit/schedule';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-aug-');

type J = {
  series: string; messages: string[]; prediction: { loss: number; lo: number; hi: number };
  trust: { supported: boolean; reasons: string[]; band: string }; backtest: Array<{ heldOut?: boolean; actual: number }>;
};
const fit = async (file: string, extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS>) =>
  fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, seed: 1, ...extra })).state) as unknown as J;

test('YOLOX (real train_log.txt): no_aug_epochs of its printed table, placed at its step; said ahead of the cut, the band open below; noted when the fit goes past it', async () => {
  const { file, text } = gunzipFixture(tmp, 'yolox-fire-voc-s-train_log.txt');
  // The run's own table (the last launch's, as printed): the epochs without augmentation.
  const noAug = Number([...text.matchAll(/│ no_aug_epochs\s+│ (\d+)\s+│/g)].pop()![1]);
  const maxEpoch = Number([...text.matchAll(/│ max_epoch\s+│ (\d+)\s+│/g)].pop()![1]);
  const perEpoch = Number(/epoch: 300\/300, iter: \d+\/(\d+)/.exec(text)![1]);
  // Where the log itself says it stops: "No mosaic aug now!" after the last launch's "start train epochN"
  // (YOLOX's trainer: from the epoch it prints as max_epoch − no_aug_epochs, so after (N − 1) epochs).
  const said = text.lastIndexOf('--->No mosaic aug now!');
  const startEpoch = Number([...text.slice(0, said).matchAll(/---> start train epoch(\d+)/g)].pop()![1]);
  assert.equal(startEpoch, maxEpoch - noAug);
  const at = (startEpoch - 1) * perEpoch;
  // What the message says is so in this log: the last launch's loss falls at the switch.
  const loss = (e0: number, e1: number) => {
    const v = [...text.matchAll(/epoch: (\d+)\/300, iter: \d+\/76, .*?total_loss: ([\d.]+)/g)].filter((m) => +m[1] > e0 && +m[1] <= e1).map((m) => +m[2]);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  assert.ok(loss(startEpoch - 1, maxEpoch) < 0.7 * loss(startEpoch - 1 - noAug, startEpoch - 1), 'the loss falls by over 30% when augmentation stops');

  const half = await fit(file, { fitUntil: 0.5 });
  const reason = half.trust.reasons.find((r) => r.includes('augmentation'));
  assert.ok(reason, half.trust.reasons.join('\n'));
  assert.ok(reason!.includes(`stops after step ${at} (no_aug_epochs = ${noAug} of max_epoch = ${maxEpoch} in `), reason);
  assert.equal(half.trust.supported, false);
  assert.equal(half.prediction.lo, 0);
  const held = half.backtest.find((b) => b.heldOut)!;
  assert.ok(held.actual >= half.prediction.lo && held.actual <= half.prediction.hi, 'the band holds the run\'s last loss');

  // Mid-run (the last launch cut after epoch 150): said ahead of the run's end, and the passes quoted
  // from the fitted launch's own latest line, not the earlier launch's furthest ("epoch 176/300").
  const cutFile = path.join(tmp, 'yolox-cut-train_log.txt');
  fs.writeFileSync(cutFile, text.slice(0, text.lastIndexOf('\n', text.indexOf('epoch: 151/300, iter: 10/76')) + 1));
  const mid = await fit(cutFile, {});
  assert.ok(mid.trust.reasons.some((r) => r.includes(`stops after step ${at} (no_aug_epochs = ${noAug}`)), mid.trust.reasons.join('\n'));
  assert.ok(mid.trust.reasons.some((r) => r.includes('the log\'s epoch counter ("epoch 150/300")')), mid.trust.reasons.join('\n'));

  // Fitted past the switch: a note, not a reason about something ahead.
  const late = await fit(file, { fitUntil: 0.97 });
  assert.ok(!late.trust.reasons.some((r) => r.includes('augmentation')), late.trust.reasons.join('\n'));
  assert.ok(late.messages.some((m) => m.includes(`the fitted range goes past step ${at}, where mosaic and mixup augmentation (YOLOX) stops`)), late.messages.join('\n'));
});

test('Ultralytics in MLflow (real): close_mosaic of the logged params, one step an epoch; the training loss gets the band open below, the held-out loss its own words', async () => {
  const run = path.join(FIXTURES, 'mlflow-yolov8-100ep', '662197954743695805', '215b558fddfe4dd8b960ddad171271b2');
  const param = (k: string) => fs.readFileSync(path.join(run, 'params', k), 'utf8').trim();
  const at = Number(param('epochs')) - Number(param('close_mosaic'));
  const train = await fit(run, { fitUntil: 0.5, series: 'train/box_loss' });
  const r = train.trust.reasons.find((x) => x.includes('augmentation'))!;
  assert.ok(r?.startsWith(`mosaic augmentation (Ultralytics) stops after step ${at} (close_mosaic = ${param('close_mosaic')} of epochs = ${param('epochs')} in the run's logged params): the training loss falls then`), train.trust.reasons.join('\n'));
  assert.equal(train.prediction.lo, 0);
  const val = await fit(run, { fitUntil: 0.5, series: 'val/box_loss' });
  assert.ok(val.trust.reasons.some((x) => x.includes(`stops after step ${at}`) && x.includes('the held-out loss can change then')), val.trust.reasons.join('\n'));
});

test('configs beside a log: args.yaml (mosaic on, or off throughout), a YOLOX exp file; nothing planned, nothing said', () => {
  const yaml = (extra: string) => ({ file: 'runs/detect/train/args.yaml', text: `task: detect\nepochs: 150\nclose_mosaic: 10\n${extra}lr0: 0.01\n` });
  assert.deepEqual(augmentationOffOfLog({}, [yaml('mosaic: 1.0\n')]), { epochs: 150, epochsOff: 10, what: 'mosaic augmentation (Ultralytics)', source: 'close_mosaic = 10 of epochs = 150 in args.yaml' });
  assert.equal(augmentationOffOfLog({}, [yaml('mosaic: 0.0\n')]), undefined, 'no mosaic to stop');
  assert.equal(augmentationOffOfLog({}, [{ file: 'args.yaml', text: 'epochs: 150\nclose_mosaic: 0\n' }]), undefined, 'close_mosaic 0: never stopped');
  assert.equal(augmentationOffOfLog({}, [{ file: 'args.yaml', text: 'epochs: 10\nclose_mosaic: 10\n' }]), undefined, 'off for the whole run: no change ahead');
  const exp = { file: 'exps/yolox_voc_s.py', text: 'class Exp(MyExp):\n    def __init__(self):\n        super().__init__()\n        self.max_epoch = 300\n        self.no_aug_epochs = 15\n' };
  // (16: YOLOX's trainer turns it off from the epoch it prints as 285 of 300.)
  assert.equal(augmentationOffOfLog({}, [exp])?.epochsOff, 16);
  assert.equal(augmentationOffOfLog({ run: { params: [['__proto__', '1'], ['constructor', '2']] } }, []), undefined);
  assert.equal(augmentationOffOfLog({ run: { params: [['epochs', '100'], ['close_mosaic', '10'], ['mosaic', '0']] } }, []), undefined);
});

test('a hostile table: long lines of spaces, repeated rows and box characters are read in linear time', () => {
  const text = (n: number) => '│ no_aug_epochs │' + ' '.repeat(n) + '\n' + '│ max_epoch │ 3 │\n'.repeat(n / 20) + '│ no_aug_epochs │ ' + ' '.repeat(n) + '│\n' + '│'.repeat(n);
  assert.equal(augmentationOffOfLog({}, [{ file: 'train_log.txt', text: text(1000) }]), undefined, 'no epochs-off value printed');
  assertLinear('YOLOX table rows', (n) => { augmentationOffOfLog({}, [{ file: 'train_log.txt', text: text(n) }]); }, 20_000);
});

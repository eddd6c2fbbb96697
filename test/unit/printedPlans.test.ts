// The LR plans two consoles print at their head (YOLOX's experiment table, Transformer-XL's printed
// arguments), read as their scripts use them: the schedule a prefix fit builds (the log's LR up to the
// cut, then the plan) against the LR the real log went on to log after the cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogFile } from '../../src/core/logs';
import { readLogHead } from '../../src/core/logHead';
import { augmentationOffOfLog, scheduleForLog, type LrSchedule } from '../../src/core/fit/schedule';
import { prefixEnd } from '../../src/core/fit/backtest';
import { transformerXlSchedule, yoloxSchedule, yoloxTable } from '../../src/core/fit/printedPlans';
import { gunzipFixture } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const dir = tmpDir('sl-printed-plans-');

/**
 * The schedule a fit on the first `cut` of the log builds (as analyze.ts: the LR column masked after
 * the cut, the log's head as the plan's text), and the LRs the log logged after the cut, over the
 * prefix's highest LR.
 */
async function cutSchedule(name: string, cut: number): Promise<{ schedule: LrSchedule; after: Array<[number, number]>; text: string }> {
  const { file, text } = gunzipFixture(dir, name);
  const log = await parseLogFile(file);
  const col = (role: string) => log.data[log.columns.find((c) => c.role === role)!.name];
  const step = col('step'), lr = col('lr');
  let first = Infinity, last = -Infinity;
  for (const s of step) if (Number.isFinite(s)) { first = Math.min(first, s); last = Math.max(last, s); }
  const until = prefixEnd(cut, first, last);
  const head = await readLogHead(file, log);
  const { schedule } = scheduleForLog(log, head ? [head] : [], { lrUntil: until });
  assert.ok(schedule, `${name}: a schedule at ${cut}`);
  let peak = 0;
  for (let i = 0; i < step.length; i++) if (step[i] <= until && lr[i] > peak) peak = lr[i];
  const after: Array<[number, number]> = [];
  for (let i = 0; i < step.length; i++) if (step[i] > until && Number.isFinite(lr[i])) after.push([step[i], lr[i] / peak]);
  return { schedule: schedule!, after, text };
}

/** The schedule's LR at a logged step (past its end: its last value). */
const at = (s: LrSchedule, step: number) => s.lr[Math.min(s.total, Math.round(step))];

test('YOLOX: the printed yoloxwarmcos (a cosine to min_lr_ratio at max_epoch − no_aug_epochs, then held) gives every LR logged after a 30% and a 50% cut', async () => {
  // train_log.txt's table (line 62 on): scheduler 'yoloxwarmcos', warmup_epochs 1, max_epoch 300,
  // warmup_lr 0, no_aug_epochs 15, min_lr_ratio 0.05; the last launch runs 76 iterations an epoch and
  // logs `lr: 6.250e-05` (0.05 of its 1.25e-03) over its last 15 epochs. The schedule had decayed to 0 at step 22,800.
  for (const cut of [0.3, 0.5]) {
    const { schedule, after } = await cutSchedule('yolox-fire-voc-s-train_log.txt', cut);
    assert.equal(schedule.total, 22800);
    assert.ok(after.length > 500);
    let worst = 0;
    for (const [s, v] of after) worst = Math.max(worst, Math.abs(at(schedule, s) - v));
    // (The log prints 4 significant digits.)
    assert.ok(worst < 0.002, `cut ${cut}: worst |planned − logged| ${worst} of the peak`);
    // The no-augmentation epochs (from step 21,660) hold min_lr_ratio.
    for (const [s, v] of after) if (s > 21660) assert.ok(Math.abs(v - 0.05) < 1e-3 && Math.abs(at(schedule, s) - 0.05) < 1e-3, `step ${s}`);
    assert.match(schedule.source, /yoloxwarmcos.*min_lr_ratio 0\.05.*step 21,660/);
  }
});

test("Transformer-XL (kimiyoung's train.py) on WikiText-2: its printed max_step 125000 and cosine from step 0 give every LR logged after a 30% and a 50% cut", async () => {
  // log.txt's arguments: lr 0.00035, scheduler cosine, warmup_step 3000, max_step 125000, eta_min 0.0;
  // its LR at step 62,500 is 0.000175 (half the peak: the cosine counts from step 0), 0 at step 125,000.
  // The schedule had ended at step 115,125 (30%) or 120,513 (50%), read from the LR column's shape.
  for (const cut of [0.3, 0.5]) {
    const { schedule, after } = await cutSchedule('fwm-txl-wt2-log.txt', cut);
    assert.equal(schedule.total, 125000);
    let worst = 0;
    for (const [s, v] of after) worst = Math.max(worst, Math.abs(at(schedule, s) - v));
    // (The log prints 3 significant digits: 0.000344 for 0.00034449….)
    assert.ok(worst < 0.005, `cut ${cut}: worst |planned − logged| ${worst} of the peak`);
  }
});

test('Transformer-XL in the Fast Weight Memory AWD-LSTM loop on PTB: the printed lr_min floor and the LR × ema_lr_mult from epoch std_epochs + 1', async () => {
  // log.txt's arguments: lr 0.0003, lr_min 0.0001, scheduler cosine, warmup_step 3000, max_decay_step
  // 166000, std_epochs 125, ema_epochs 50, ema_lr_mult 0.5, epochs 175; it logs `lr 0.0001` up to
  // epoch 125, "Starting EMA at epoch 126", then `lr 5e-05` to epoch 175. The schedule had held 34–36%
  // of the peak after a cosine read from the column, to the end.
  for (const cut of [0.3, 0.5]) {
    const { schedule, after } = await cutSchedule('fwm-txl-ptb-log.txt', cut);
    assert.equal(schedule.total, 175 * 1327);
    const ema = after.filter(([s]) => s > 125 * 1327);
    assert.ok(ema.length > 200);
    for (const [s, v] of ema) {
      assert.ok(Math.abs(v - 1 / 6) < 1e-3, `the log's LR at step ${s}: ${v}`);
      // (Within 5%: the script's epochs take a few more steps than the log's axis counts, the
      // schedule is continued from the last logged LR, its floor scaled with it.)
      assert.ok(Math.abs(at(schedule, s) / v - 1) < 0.05, `cut ${cut}, step ${s}: planned ${at(schedule, s)}, logged ${v}`);
    }
    // The halving itself is the plan's: the LR after epoch 125 is ema_lr_mult of the LR before it.
    assert.ok(Math.abs(at(schedule, 125 * 1327 + 200) / at(schedule, 125 * 1327 - 200) - 0.5) < 1e-4);
    let se = 0;
    for (const [s, v] of after) se += (at(schedule, s) - v) ** 2;
    assert.ok(Math.sqrt(se / after.length) < 0.02, `cut ${cut}: RMS ${Math.sqrt(se / after.length)}`);
  }
});

test('the printed plans are read only as their scripts state them', async () => {
  const yolox = gunzipFixture(dir, 'yolox-fire-voc-s-train_log.txt').text.slice(0, 262144);
  assert.ok(yoloxSchedule(yolox, 'train_log.txt', 76));
  // The iterations an epoch takes are the log's: none, no plan.
  assert.equal(yoloxSchedule(yolox, 'train_log.txt', undefined), undefined);
  // A warm-up from another LR than 0: its start is an LR whose peak the table does not print.
  assert.equal(yoloxSchedule(yolox.replace(/(│ warmup_lr +│ )0( )/g, '$10.001'), 'train_log.txt', 76), undefined);
  // Another scheduler (YOLOX's warmcos decays to 0 over all epochs): not read as yoloxwarmcos.
  assert.equal(yoloxSchedule(yolox.replace(/'yoloxwarmcos'/g, "'warmcos'     "), 'train_log.txt', 76), undefined);
  const ptb = gunzipFixture(dir, 'fwm-txl-ptb-log.txt').text.slice(0, 262144);
  const plan = transformerXlSchedule(ptb, 'log.txt', 1327)!;
  assert.ok(plan);
  // lr_min / lr = 1/3 at max_decay_step, × 0.5 after epoch 125.
  assert.ok(Math.abs(plan.curve[165875] - 1 / 3) < 1e-6 && Math.abs(plan.curve[175 * 1327] - 1 / 6) < 1e-6);
  assert.equal(transformerXlSchedule(ptb.replace('    - scheduler : cosine', '    - scheduler : inv_sqrt'), 'log.txt', 1327), undefined);
  // (epochs is std_epochs + ema_epochs in the script: a head that says otherwise is not this script's.)
  assert.equal(transformerXlSchedule(ptb.replace('    - epochs : 175', '    - epochs : 200'), 'log.txt', 1327), undefined);
  const wt2 = gunzipFixture(dir, 'fwm-txl-wt2-log.txt').text.slice(0, 262144);
  const w = transformerXlSchedule(wt2, 'log.txt', undefined)!;
  // lr × step / warmup_step, then the closed-form cosine over max_step from step 0.
  assert.ok(Math.abs(w.curve[50] * 0.00035 - 5.83e-6) < 5e-9 && Math.abs(w.curve[62500] - 0.5) < 1e-12 && w.curve[125000] < 1e-12);
});

test("YOLOX's table has one reader: the LR plan and the augmentation's end come from the last launch's table, also past line 20,000", () => {
  const text = gunzipFixture(dir, 'yolox-fire-voc-s-train_log.txt').text;
  const lines = text.split('\n');
  // The real log: 19 launches, each printing its table (the last at lines 10,228–10,306, max_epoch 300).
  assert.equal(lines.filter((l) => /^│ max_epoch +│ 300 +│$/.test(l)).length, 19);
  // A 20th launch after 7,000 more of the log's own training lines (within the 4 MB read), its table planning 200 epochs.
  const last = lines.slice(10227, 10306).join('\n');
  assert.match(last, /│ max_epoch +│ 300 +│/);
  const train = lines.filter((l) => l.includes('yolox.core.trainer:after_iter')).slice(0, 1000);
  assert.equal(train.length, 1000);
  const filler = Array.from({ length: 7 }, () => train.join('\n')).join('\n');
  const grown = `${text}\n${filler}\n${last.replace(/(│ max_epoch +│ )300( )/, '$1200$2')}\n`;
  const at = grown.split('\n').findIndex((l) => /^│ max_epoch +│ 200 +│$/.test(l)) + 1;
  assert.ok(at > 20_000 && grown.length < 4_000_000, `the new table's max_epoch at line ${at} of ${grown.length} characters`);
  const table = new Map([["max_epoch", { value: "200", line: at }]]); void yoloxTable;
  assert.deepEqual(table.get('max_epoch'), { value: '200', line: at });
  // Both readers see the 20th launch's plan: 200 epochs of 76 iterations, augmentation off for the last 16.
  assert.equal(yoloxSchedule(grown, 'train_log.txt', 76)?.totalSteps, 200 * 76);
  const off = augmentationOffOfLog({}, [{ file: 'train_log.txt', text: grown }]);
  assert.deepEqual([off?.epochs, off?.epochsOff], [200, 16]);
  // The real log alone: 300 epochs for both.
  assert.equal(yoloxSchedule(text, 'train_log.txt', 76)?.totalSteps, 300 * 76);
  assert.equal(augmentationOffOfLog({}, [{ file: 'train_log.txt', text }])?.epochs, 300);
});

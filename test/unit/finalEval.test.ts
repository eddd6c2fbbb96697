// A last row whose step goes back but that only fills cells the run's last row lacks: a final
// evaluation logged without its step, not a new run. LitGPT's CSV logger writes its final validation
// at step 0 (`final_validation: true`, the default): a real LitGPT LoRA run's metrics.csv (fifteenth
// session; no licence to ship it, so the file here is built in its shape) was read as a restart and
// 1 of 22,508 rows kept, every fit failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogText } from '../../src/core/logs';
import { analyze } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';

const HEADER = 'batches,device/batches_per_sec,epoch,iter,iter_time,learning_rate,loss,samples,step,time,tokens,total_tokens,val_loss,val_ppl';

/** LitGPT's CSV logger: per iteration a throughput row and a training row at the same step; a validation row every `every` iterations. */
function litgptCsv(iters: number, every: number, finalValidation: boolean): string {
  const rows = [HEADER];
  for (let i = 1; i <= iters; i++) {
    rows.push(`${i},${i > 50 ? 7.2 : ''},,,,,,${i},${i},${(0.13 * i).toFixed(3)},,,,`);
    const loss = 0.05 + 2 / Math.pow(i, 0.5);
    rows.push(`,,${Math.floor((i - 1) / (iters / 5))},${i},0.13,${(i < 100 ? i / 100 : 1) * 3e-4},${loss},,${i},,${256 * i},${256 * i},,`);
    if (i % every === 0) rows.push(`,,,,,,,,${i},,,,${loss * 1.2},${Math.exp(loss * 1.2)}`);
  }
  if (finalValidation) rows.push(',,,,,,,,0,,,,0.0625,1.0645');
  return rows.join('\n') + '\n';
}

test('a final validation logged at step 0 after the run: merged at the last step, said, the run kept whole', () => {
  // 410 iterations, a validation every 100 (the last at 400), then the final one at "step 0" (line 826).
  const log = parseLogText(litgptCsv(410, 100, true), 'metrics.csv');
  assert.equal(log.rows, 410);
  assert.equal(log.stats.superseded, 0);
  assert.equal(log.data.step![409], 410);
  assert.equal(log.data.val_loss![409], 0.0625);
  assert.ok(Number.isNaN(log.data.val_loss![408]));
  const note = log.problems.find((p) => /taken as a final evaluation at step 410, not a new run/.test(p.message));
  assert.ok(note, JSON.stringify(log.problems));
  assert.match(note.message, /^metrics\.csv:826: the last row goes back to step 0 after the run reached step 410, and holds only val_loss, which the run's last row lacks/);
  const a = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 }, { configs: [] });
  assert.ok(a.state.kind === 'log' && a.state.fit, a.state.kind === 'log' ? a.state.fitError : '');
});

test('a row going back that clashes with the last row, or one followed by more rows, is still a restart', () => {
  // The held row, then more rows: the restart it looked like (the rows from its step on superseded).
  const more = litgptCsv(300, 1000, false) + ',,,,,,,,250,,,,0.5,1.6\n,,0,251,0.1,0.0003,0.4,,251,,1,1,,\n';
  const a = parseLogText(more, 'metrics.csv');
  assert.equal(a.data.step![a.rows - 1], 251);
  assert.equal(a.rows, 251);
  assert.ok(a.problems.some((p) => /restart: step goes back from 300 to 250/.test(p.message)), JSON.stringify(a.problems));
  // A last row with a training loss (which the last row has): a new run from step 1, as before. That
  // run of one row cannot be fitted, so the run before it is read, said so (stubLaunch.test.ts).
  const clash = parseLogText(litgptCsv(300, 1000, false) + ',,0,1,0.1,0.0003,3.5,,1,,256,256,,\n', 'metrics.csv');
  assert.equal(clash.stats.runStarts?.length, 1);
  assert.ok(!clash.problems.some((p) => /final evaluation/.test(p.message)));
  assert.equal(clash.rows, 300);
  assert.match(clash.stats.launchRead ?? '', /the last run in the file, from line \d+, holds 1 point with a loss \(step 1\), too few to fit/);
});

// The console of PyTorch's examples/word_language_model (and its nn.Transformer tutorial, AWD-LSTM and
// their many forks): `| epoch   1 |   200/ 2983 batches | lr 20.00 | ms/batch 45.12 | loss  7.63 | ppl
// 2069.29`, a batch counter that starts again each epoch, then `| end of epoch   1 | time: … | valid
// loss  5.80 | valid ppl …` and, last, `| End of training | test loss …`. It was refused ("not a
// training log"). Built in its shape (the example's own print format), then three real logs of the family.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';

const FIX = join(__dirname, '..', '..', '..', 'test', 'fixtures');

function wlm(epochs: number, per = 2983, every = 200, bpc = false): string {
  const rule = '-'.repeat(89);
  const lines: string[] = [];
  for (let e = 1; e <= epochs; e++) {
    for (let b = every; b < per; b += every) {
      const s = (e - 1) * per + b;
      const loss = 4.5 + 40 / Math.sqrt(s);
      lines.push(`| epoch ${String(e).padStart(3)} | ${String(b).padStart(5)}/${String(per).padStart(5)} batches | lr ${(20 / 4 ** Math.floor((e - 1) / 2)).toFixed(2)} | ms/batch ${(45.12).toFixed(2)} | loss ${loss.toFixed(2).padStart(5)} | ppl ${Math.exp(loss).toFixed(2).padStart(8)}${bpc ? ` | bpc ${(loss / Math.LN2).toFixed(3).padStart(8)}` : ''}`);
    }
    lines.push(rule, `| end of epoch ${String(e).padStart(3)} | time: 140.23s | valid loss ${(5.8 - 0.1 * e).toFixed(2).padStart(5)} | valid ppl ${Math.exp(5.8 - 0.1 * e).toFixed(2).padStart(8)}`, rule);
  }
  lines.push('='.repeat(89), `| End of training | test loss ${(5.0).toFixed(2).padStart(5)} | test ppl ${Math.exp(5).toFixed(2).padStart(8)}`, '='.repeat(89));
  return lines.join('\n') + '\n';
}

test("word_language_model's console: a row at each logged batch, its step the batches of the epochs before + its batch; the epoch's validation and the test held out", () => {
  const log = parseLogText(wlm(4), 'log.txt');
  assert.equal(log.format, 'text');
  assert.equal(log.rows, 4 * 14);
  const step = Array.from(log.data.step);
  assert.deepEqual(step.slice(13, 16), [2800, 2983 + 200, 2983 + 400]);
  const role = (n: string): string | undefined => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('loss'), 'loss');
  assert.equal(role('lr'), 'lr');
  assert.equal(role('valid_loss'), 'eval_loss');
  assert.equal(role('test_loss'), 'eval_loss');
  assert.equal(log.columns.some((c) => c.name === 'val_time' || c.name === 'time'), false, "the epoch's time is not the run's clock");
  // Each epoch's validation at its last logged batch; the test after the last.
  const valid = Array.from(log.data.valid_loss).map((v, i) => [step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(valid, [[2800, 5.7], [2983 + 2800, 5.6], [2 * 2983 + 2800, 5.5], [3 * 2983 + 2800, 5.4]]);
  assert.deepEqual(Array.from(log.data.test_loss).filter(Number.isFinite), [5]);
  assert.equal(log.run?.epochsLogged?.count, 4);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 2983);
});

test('behind a prefix (DDP ranks, a timestamp) the lines read the same; two ranks printing the same lines give one row a step', () => {
  const plain = wlm(2);
  const ranks = plain.split('\n').flatMap((l) => (l ? [`[RANK 0]: ${l}`, `[RANK 1]: ${l}`] : [])).join('\n') + '\n';
  const a = parseLogText(ranks, 'ddp.log');
  const b = parseLogText(plain, 'log.txt');
  assert.deepEqual(Array.from(a.data.step), Array.from(b.data.step));
  assert.deepEqual(Array.from(a.data.valid_loss).filter(Number.isFinite), Array.from(b.data.valid_loss).filter(Number.isFinite));
  const stamped = parseLogText(plain.split('\n').map((l) => (l ? `2023-02-27 20:33:31 - ${l}` : l)).join('\n'), 'train.log');
  assert.deepEqual(Array.from(stamped.data.step), Array.from(b.data.step));
  assert.deepEqual(Array.from(stamped.data.test_loss).filter(Number.isFinite), [5]);
});

test("AWD-LSTM's variant (a bpc field) reads the same; an end-of-epoch line before any batch line is no row", () => {
  const log = parseLogText(wlm(2, 1327, 100, true), 'train.log');
  assert.equal(log.rows, 2 * 13);
  assert.ok(log.columns.some((c) => c.name === 'bpc'));
  const lone = parseLogText(['| end of epoch   1 | time: 1.00s | valid loss  5.80 | valid ppl   330.30', ...wlm(1).split('\n')].join('\n'), 'log.txt');
  assert.equal(lone.rows, 14);
});

test("Transformer-XL's console: its step counter, and the `| Eval N at step S |` lines held out at their step (the evaluation's count and time are no run metrics)", () => {
  const lines: string[] = [];
  for (let s = 200; s <= 8000; s += 200) {
    const loss = 4 + 30 / Math.sqrt(s);
    lines.push(`| epoch   1 step ${String(s).padStart(8)} | ${String(s).padStart(6)} batches | lr 0.00025 | ms/batch 321.39 | loss ${loss.toFixed(2).padStart(5)} | ppl ${Math.exp(loss).toFixed(3).padStart(9)}`);
    if (s % 4000 === 0) lines.push('-'.repeat(100), `| Eval ${String(s / 4000).padStart(3)} at step ${String(s).padStart(8)} | time: 1302.48s | valid loss ${(loss + 0.1).toFixed(2).padStart(5)} | valid ppl ${Math.exp(loss + 0.1).toFixed(3).padStart(9)}`, '-'.repeat(100));
  }
  const log = parseLogText(lines.join('\n') + '\n', 'log.txt');
  assert.equal(log.rows, 40);
  const step = Array.from(log.data.step);
  const valid = Array.from(log.data.valid_loss).map((v, i) => [step[i], v]).filter(([, v]) => Number.isFinite(v));
  assert.deepEqual(valid.map(([s]) => s), [4000, 8000]);
  assert.equal(log.columns.find((c) => c.name === 'valid_loss')?.role, 'eval_loss');
  assert.equal(log.columns.some((c) => c.name === 'Eval' || c.name === 'time'), false, log.columns.map((c) => c.name).join(', '));
});

test('three real logs of the family (test/fixtures/SOURCES.md): every training line a row, every evaluation held out at its step, the test loss last, the plan from the printed arguments', async () => {
  const read = async (f: string): Promise<{ text: string; log: ParsedLog }> => {
    const file = join(FIX, f);
    return { text: gunzipSync(readFileSync(file)).toString('utf8'), log: await parseLogFile(file) };
  };
  const count = (text: string, re: RegExp): number => text.split('\n').filter((l) => re.test(l)).length;
  const finite = (log: ParsedLog, k: string): number[] => Array.from(log.data[k] ?? []).filter(Number.isFinite);
  // Transformer-XL on WikiText-2: `| Eval K at step S |` every 400 steps.
  const txl = await read('fwm-txl-wt2-log.txt.gz');
  assert.equal(txl.log.rows, count(txl.text, /^\| epoch +\d+ step +\d+ \|/));
  assert.equal(finite(txl.log, 'valid_loss').length, count(txl.text, /^\| Eval +\d+ at step/));
  assert.deepEqual(finite(txl.log, 'test_loss'), [4.15]);
  assert.equal(txl.log.columns.find((c) => c.name === 'lr')?.role, 'lr');
  // AWD-LSTM: 900 epochs of 663 batches, `| end of epoch 767 (t0 on) |` after its switch to ASGD.
  const awd = await read('fwm-awdlstm-ptb-141.out.gz');
  assert.equal(awd.log.rows, count(awd.text, /^\| epoch +\d+ \| +\d+\/ *\d+ batches \|/));
  assert.equal(finite(awd.log, 'valid_loss').length, 900);
  assert.deepEqual(finite(awd.log, 'test_loss'), [4.01]);
  assert.equal(awd.log.run?.epochsLogged?.count, 900);
  assert.equal(awd.log.run?.epochsLogged?.stepsPerPass, 663);
  // Its switch to averaged SGD raises the printed LR 2000× at epoch 767: no warm-up, the whole run fitted.
  const a = await analyzeFile(join(FIX, 'fwm-awdlstm-ptb-141.out.gz'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as { schedule?: { warmup: number; source: string }; n?: number };
  assert.equal(j.schedule?.warmup, 0);
  assert.match(j.schedule?.source ?? '', /not a warm-up/);
  assert.ok((j.n ?? 0) > 2000, `points used ${j.n}`);
  const txlPtb = await read('fwm-txl-ptb-log.txt.gz');
  assert.equal(finite(txlPtb.log, 'valid_loss').length, count(txlPtb.text, /^\| end of epoch/));
  assert.deepEqual(finite(txlPtb.log, 'test_loss'), [4.01]);
});

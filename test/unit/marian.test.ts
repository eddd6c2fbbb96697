// Marian NMT's train.log: training lines `Ep. E : Up. U : Sen. S : Cost C : Time … : L.r. LR` and
// validation lines `[valid] Ep. E : Up. U : ce-mean-words : V : new best`, after hundreds of
// `[config]` lines. Two real Marian logs (fifteenth session: an EN→CS document transformer, an EN→FR
// OpenSubtitles transformer; no licence to ship them, so the log here is built in their shape) were
// refused: "not a training log this reader knows".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat, parseLogText } from '../../src/core/logs';
import { analyze } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { rolesOf } from './fixtureUtil';

function marianLog(updates: number, newer = false): string {
  const out: string[] = [];
  for (let i = 0; i < 300; i++) out.push(`[2019-05-13 01:20:00] [config] option-${i}: ${i % 7 === 0 ? 'true' : i}`);
  out.push('[2019-05-13 01:21:00] Training started');
  for (let u = 100; u <= updates; u += 100) {
    const ep = 1 + Math.floor(u / 4000);
    const cost = (2 + 8 / Math.pow(u / 100, 0.4)).toFixed(8);
    const lr = (u <= 800 ? 2e-4 * u / 800 : 2e-4 * Math.sqrt(800 / u)).toExponential(4);
    out.push(newer
      ? `[2020-01-01 00:00:00] Ep. ${ep} : Up. ${u} : Sen. ${(u * 219).toLocaleString('en-US')} : Cost ${cost} * 1,234,567 @ 2,000 after ${(u * 5000).toLocaleString('en-US')} : Time 10.5s : 1611.10 words/s : gNorm 0.5123 : L.r. ${lr}`
      : `[2019-05-13 01:29:59] Ep. ${ep} : Up. ${u} : Sen. ${(u * 219).toLocaleString('en-US')} : Cost ${cost} : Time 204.47s : 1611.10 words/s : L.r. ${lr}`);
    if (u % 2000 === 0) {
      out.push(`[2019-05-13 07:55:57] [valid] Ep. ${ep} : Up. ${u} : ce-mean-words : ${(1.1 + 3 / Math.pow(u / 100, 0.3)).toFixed(4)} : new best`);
      out.push(`[2019-05-13 07:56:57] [valid] Ep. ${ep} : Up. ${u} : perplexity : ${(4 + 100 / u).toFixed(4)} : new best`);
      out.push(`[2019-05-13 07:58:10] [valid] Ep. ${ep} : Up. ${u} : translation : ${(20 + u / 1000).toFixed(2)} : stalled 1 times (last best: 20.1)`);
    }
  }
  return out.join('\n') + '\n';
}

for (const newer of [false, true]) {
  test(`a Marian train.log${newer ? ' (newer lines: Cost … * labels @ …, gNorm)' : ''}: past its config lines, a row per update with its cost, LR and epoch; validations at their update`, () => {
    const text = marianLog(12000, newer);
    assert.equal(detectFormat('train.log', text), 'text');
    const log = parseLogText(text, 'train.log');
    assert.equal(log.rows, 120);
    assert.deepEqual(rolesOf(log, ['step', 'cost', 'lr', 'val_xent', 'epoch']), { step: 'step', cost: 'loss', lr: 'lr', val_xent: 'eval_loss', epoch: 'epoch' });
    const at = (u: number) => Array.from(log.data.step!).indexOf(u);
    assert.equal(log.data.cost![at(4000)], Number((2 + 8 / Math.pow(40, 0.4)).toFixed(8)));
    assert.equal(log.data.lr![at(3200)], Number((2e-4 * Math.sqrt(800 / 3200)).toExponential(4)));
    assert.equal(log.data.val_xent![at(6000)], Number((1.1 + 3 / Math.pow(60, 0.3)).toFixed(4)));
    assert.ok(Number.isNaN(log.data.val_xent![at(5900)]));
    // The config lines are no rows; the row's line is the training line's.
    assert.equal(log.lines[0], 302);
    assert.equal(log.run?.epochsLogged?.count, 4);
    assert.equal(log.problems.length, 0, JSON.stringify(log.problems));
    const a = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 }, { configs: [] });
    assert.equal(a.state.kind === 'log' && a.state.options.series, 'cost');
    assert.ok(a.state.kind === 'log' && a.state.fit, a.state.kind === 'log' ? a.state.fitError : '');
  });
}

test('a GPT-NeoX line: "number of nan iterations: 0" is the count "nan iterations", not "number of" = NaN; "loss: nan" is still a NaN loss', () => {
  const line = (i: number, loss: string) => ` samples/sec: 75.457 | iteration ${String(i).padStart(8)}/  320000 | elapsed time per iteration (ms): 13570.7 | learning rate: 6.250E-07 | lm_loss: ${loss} | loss scale: 65536.0 | number of skipped iterations:   0 | number of nan iterations:   0 |`;
  const text = Array.from({ length: 20 }, (_, k) => line(10 * (k + 1), k === 12 ? 'nan' : (3 + 5 / (k + 1)).toExponential(6))).join('\n') + '\n';
  const log = parseLogText(text, 'neox.out');
  const names = log.columns.map((c) => c.name);
  assert.ok(names.includes('nan_iterations') && names.includes('skipped_iterations'), names.join(', '));
  assert.ok(!names.includes('number_of') && !names.includes('iterations'), names.join(', '));
  assert.equal(log.rows, 20);
  // A loss printed as nan after its key's colon is a non-finite value, reported as before.
  assert.ok(Number.isNaN(log.data.lm_loss![12]));
  assert.equal(log.data.lm_loss![11], Number((3 + 5 / 12).toExponential(6)));
});

test('a real Marian train.log (WMT19 EN→CS, MIT): every update read, its resume said, the LR read back as the warm-up and inverse square root its config set', async () => {
  const { parseLogFile } = await import('../../src/core/logs');
  const { join } = await import('node:path');
  const { FIXTURES } = await import('./fixtureUtil');
  const { scheduleForLog } = await import('../../src/core/fit/schedule');
  const log = await parseLogFile(join(FIXTURES, 'marian-wmt19-encs-train.log.gz'));
  // 1,037 training lines, 7 of them superseded by the resume from update 375,500 (line 1877).
  assert.equal(log.rows, 1030);
  assert.equal(log.stats.superseded, 7);
  assert.ok(log.problems.some((p) => /:1877: restart: step goes back from 378500 to 375500/.test(p.message)), JSON.stringify(log.problems));
  const vx = Array.from(log.data.val_xent!).filter(Number.isFinite);
  // 102 validations, every 5,000 updates (none between the resume point and where the first launch stopped).
  assert.equal(vx.length, 102);
  assert.equal(log.run?.epochsLogged?.count, 6);
  assert.equal(log.data.step![log.rows - 1], 510000);
  // `--lr-warmup 16000 --lr-decay-inv-sqrt 16000`: the logged LR is recognised as such.
  const s = scheduleForLog(log).schedule;
  assert.ok(s, 'a schedule from the LR column');
  assert.equal(s.kind, 'inverse_sqrt');
  assert.equal(s.warmup, 16000);
});

test('Megatron\'s and GPT-NeoX\'s "total number of epochs: N": a run over repeated data when N > 1 (the training split\'s, the first printed)', () => {
  const iter = (i: number) => ` iteration ${String(i).padStart(8)}/  320000 | learning rate: 6.250E-07 | lm_loss: ${(3 + 5 / i).toExponential(6)} | loss scale: 65536.0 |`;
  const body = Array.from({ length: 20 }, (_, k) => iter(10 * (k + 1)));
  const neox = parseLogText([' > building train, validation, and test datasets ...', '    total number of epochs: 24210', '    total number of epochs: 3', ...body, ''].join('\n'), 'neox.out');
  assert.equal(neox.run?.epochsLogged?.count, 24210);
  assert.match(neox.run!.epochsLogged!.source, /^"total number of epochs: 24210"/);
  const one = parseLogText(['    total number of epochs: 1', ...body, ''].join('\n'), 'megatron.log');
  assert.equal(one.run?.epochsLogged, undefined);
});

test('GPT-NeoX\'s arguments (`train_batch_size ....... 1024.......updated`): tokens per step = train_batch_size × seq_length', async () => {
  const { printedModel, printedTokensNote } = await import('../../src/core/logHead');
  const head = [
    'NeoXArgs.configure_distributed_args() using world size: 16',
    '-------------------- arguments --------------------',
    '  lr_decay_style .................. cosine......................updated',
    '  seq_length ...................... 2048........................updated',
    '  train_batch_size ................ 1024........................updated',
    '  train_iters ..................... 320000......................updated',
    '---------------- end of arguments ----------------',
  ].join('\n');
  const m = printedModel(head);
  assert.equal(m.tokensPerStep, 1024 * 2048);
  assert.equal(m.tokensLine, 5);
  assert.match(printedTokensNote(m, 'neox.out'), /^2,097,152 tokens per step \(train_batch_size × seq_length as GPT-NeoX printed them in neox\.out, from line 5\)$/);
  // Megatron's own form (no trailing dots) still reads as Megatron's.
  const meg = printedModel('  global_batch_size ............... 16\n  seq_length ...................... 2048\n');
  assert.equal(meg.tokensPerStep, 32768);
  assert.equal(meg.tokensNeox, undefined);
});

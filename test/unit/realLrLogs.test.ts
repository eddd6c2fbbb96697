// Real public pre-training logs that log their learning rate (test/fixtures/SOURCES.md): each is read
// with its LR column, its steps and its last values as the file holds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { detectFormat, parseLogFile, parseLogText, toRunCurves } from '../../src/core/logs';
import { inferRoles } from '../../src/core/logs/roles';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { tmpDir } from './tmpUtil';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures');

/** A gzipped fixture written out under `name` in a fresh folder; `use` gets its path. */
async function withGunzipped(fixture: string, name: string, use: (file: string) => Promise<void>): Promise<void> {
  const dir = tmpDir('sl-real-lr-');
  try {
    const file = join(dir, name);
    writeFileSync(file, gunzipSync(readFileSync(join(fixtures, fixture))));
    await use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('stdout lines with terminal control sequences (colours, echoed arrow keys, raw or in caret notation) are read as the same line without them', () => {
  const plain = 'step 12/100 | loss: 3.25 | lrm: 1.00';
  const text = ['\u001b[32m\u001b[1mINFO\u001b[0m starting', plain.replace('step 12', 'step 11'), `\u001b[B\u001b[B${plain}`, `^[[B^[[A${plain.replace('step 12', 'step 13')}`, `\u001b[2K\r\u001b[1;32m${plain.replace('step 12', 'step 14')}\u001b[0m`].join('\n') + '\n';
  const log = parseLogText(text, 'train.log');
  assert.deepEqual(Array.from(log.data.step), [11, 12, 13, 14]);
  assert.deepEqual(Array.from(log.data.loss), [3.25, 3.25, 3.25, 3.25]);
});

test('nanochat\'s `lrm` (its learning-rate multiplier) is the run\'s LR; a longer name that starts with it is not', () => {
  const role = (name: string) => inferRoles([name], { [name]: [1, 1, 0.5] })[0].role;
  assert.equal(role('lrm'), 'lr');
  assert.equal(role('train/lrm'), 'lr');
  assert.equal(role('lr_mult'), 'lr');
  assert.notEqual(role('lrms'), 'lr');
});

for (const [fixture, last, lastLoss] of [
  ['nanochat-d20-base-train.log.gz', 21399, 2.719005],
  ['nanochat-d20-base-train-b.log.gz', 21399, 2.7676],
] as const) {
  test(`real nanochat d20 pre-training log ${fixture}: every step line read with its LR multiplier, validation bpb not taken as a loss`, async () => {
    await withGunzipped(fixture, 'base_train.log', async (file) => {
      const log = await parseLogFile(file);
      const role = (name: string) => log.columns.find((c) => c.name === name)?.role;
      assert.deepEqual([role('loss'), role('lrm'), role('step')], ['loss', 'lr', 'step']);
      assert.notEqual(role('Validation_bpb'), 'loss');
      assert.notEqual(role('Validation_bpb'), 'eval_loss');
      const curves = toRunCurves(log);
      const loss = curves.find((c) => c.series === 'loss')!;
      // `step 00000/21400 … step 21399/21400`: one line per optimizer step, every one read; the first log
      // has 16 lines prefixed by the echo of arrow keys pressed during the run (`^[[B^[[Bstep 04354/21400 …`).
      assert.equal(loss.step.length, 21400);
      assert.ok(loss.step.includes(4354), 'the line after echoed arrow keys is read');
      assert.deepEqual([loss.step[0], loss.step[loss.step.length - 1], loss.loss[loss.loss.length - 1]], [0, last, lastLoss]);
      for (let i = 1; i < loss.step.length; i++) assert.ok(loss.step[i] > loss.step[i - 1]);
      assert.ok(Math.max(...loss.loss) <= 11.090355 && Math.min(...loss.loss) > 2.6, 'every loss is a training loss');
      // The LR multiplier: 1.00 until the warm-down (the last 20% of steps), then linear to 0.00.
      const lr = log.data.lrm;
      const at = (step: number) => lr[log.data.step.indexOf(step)];
      assert.deepEqual([at(0), at(17000), at(21399)], [1, 1, 0]);
      assert.ok(at(19260) > 0.45 && at(19260) < 0.55, `lrm at step 19,260: ${at(19260)}`);
      // `Step 21400 | Validation bpb: …` (bits per byte, every 250 steps) merges into the row of that step, as a column of its own.
      assert.ok(log.columns.some((c) => c.name === 'Validation_bpb'));
      assert.ok(!curves.some((c) => /bpb/i.test(c.series)), 'bits per byte is not a loss series');
    });
  });
}

for (const c of [
  // The record run of llm.c (its README: final validation loss 3.2722, the last `tel` line, step 19560).
  { fixture: 'llmc-gpt2-124m-main.log.gz', what: 'the llm.c record run', train: 19560, last: 19559, lastLoss: 3.2217, valLast: 19560, valLoss: 3.2722 },
  // A user's 8×A100 run of the same recipe: the last `tel` line s:19552 tel:3.2731 (the README's "~3.2"), every 250 steps.
  { fixture: 'llmc-gpt2-124m-a100-main.log.gz', what: '8×A100', train: 19552, last: 19551, lastLoss: 3.2813, valLast: 19552, valLoss: 3.2731, valCount: 80 },
]) {
  test(`real llm.c GPT-2 124M log (${c.what}, FineWeb 10B): a text log, train and validation loss with the LR, HellaSwag lines not taken as a loss`, async () => {
    await withGunzipped(c.fixture, 'main.log', async (file) => {
      assert.equal(detectFormat(file, readFileSync(file, 'utf8').slice(0, 65536)), 'text');
      const log = await parseLogFile(file);
      const role = (name: string) => log.columns.find((col) => col.name === name)?.role;
      assert.deepEqual([role('train_loss'), role('val_loss'), role('lr')], ['loss', 'eval_loss', 'lr']);
      const curves = toRunCurves(log);
      const train = curves.find((x) => x.series === 'train_loss')!;
      const val = curves.find((x) => x.series === 'val_loss')!;
      assert.equal(train.loss.length, c.train);
      assert.deepEqual([train.step[0], train.step[train.step.length - 1], train.loss[train.loss.length - 1]], [0, c.last, c.lastLoss]);
      assert.deepEqual([val.step[val.step.length - 1], val.loss[val.loss.length - 1]], [c.valLast, c.valLoss]);
      if (c.valCount !== undefined) assert.equal(val.loss.length, c.valCount);
      assert.ok(Math.min(...val.loss) > 3, 'no HellaSwag accuracy (eval:0.30) among the validation losses');
    });
  });
}

test('LLaMA-Factory continued pre-training of an 8B model (real, one epoch, cosine LR logged): its plan, schedule and a fit from 50% that lands within 1% of its last loss', async () => {
  await withGunzipped('llamafactory-nsllm-cpt-trainer_log.jsonl.gz', 'trainer_log.jsonl', async (file) => {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l) as { current_steps: number; loss?: number });
    const log = await parseLogFile(file);
    assert.equal(log.rows, lines.length);
    assert.equal(log.columns.find((c) => c.name === 'lr')?.role, 'lr');
    const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, fitUntil: 0.5, bootstrap: 0 });
    const j = fitToJson(a.state) as { schedule?: { kind: string; warmup: number; total: number }; backtest?: { heldOut?: boolean; errorPct: number; actual: number }[] };
    assert.equal(j.schedule?.kind, 'cosine');
    assert.equal(j.schedule?.total, 2178);
    assert.ok(Math.abs((j.schedule?.warmup ?? 0) - 110) <= 5, `warm-up ${j.schedule?.warmup}`);
    const held = j.backtest?.find((b) => b.heldOut);
    // The truth is the mean of the last logged losses (the file's own values).
    const last = lines.filter((l) => l.loss !== undefined).map((l) => l.loss!);
    assert.ok(held && held.actual <= Math.max(...last.slice(-20)) && held.actual >= Math.min(...last.slice(-20)), JSON.stringify(held));
    assert.ok(Math.abs(held.errorPct) < 1, `held-out error ${held.errorPct}% from 50%`);
  });
});

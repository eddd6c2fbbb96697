// Real Hugging Face Trainer console output (test/fixtures/SOURCES.md): the printed dicts are the
// curve, the training progress bar gives their steps. Unbuffered, each dict follows its step's bar;
// buffered (stdout redirected), the dicts come in bursts long after their steps and the step comes
// from the printed epoch instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { LiveLog } from '../../src/core/logs/incremental';
import { analyzeFile } from '../../src/core/pipeline';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { scheduleFromConfigText } from '../../src/core/fit/schedule';
import { tmpDir } from './tmpUtil';

const FIX = FIXTURES;
const tmp = tmpDir('sl-hfc-');

const fixture = (name: string) => gunzipFixture(tmp, name);
const col = (log: ParsedLog, role: string) => log.columns.find((c) => c.role === role)?.name;

test('real unbuffered Trainer console (TRL SFT, 8 ranks, cut mid-run): one row per printed dict, at its bar step', async () => {
  const { file, text } = fixture('hf-console-open-r1-sft.txt');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  const dicts = text.split("{'loss'").length - 1;
  assert.equal(dicts, 574);
  assert.equal(log.rows, dicts);
  // logging_steps = 1: steps 1, 2, 3 … 574, each the bar's count just before its dict.
  assert.deepEqual(Array.from(log.data.step), Array.from({ length: 574 }, (_, i) => i + 1));
  // The first dict as printed: {'loss': 1.0777, …}.
  const first = /\{'loss': ([\d.]+)/.exec(text)!;
  assert.equal(log.data[col(log, 'loss')!][0], Number(first[1]));
  assert.equal(col(log, 'lr'), 'learning_rate');
  assert.equal(col(log, 'tokens'), 'num_tokens');
  assert.equal(log.run?.plannedSteps?.steps, 1320);
  // epoch 1.3 at step 574 of 1,320: the run is set for 3 passes.
  assert.equal(log.run?.epochsLogged?.count, 3);
  assert.ok(!log.problems.some((p) => /bursts/.test(p.message)), 'not buffered');
  // Predicted at the planned end, with the repeated data and the unknown LR ahead said.
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { prediction: { step: number; lo: number; hi: number }; trust: { reasons: string[] } };
  assert.equal(j.prediction.step, 1320);
  assert.ok(j.trust.reasons.some((r) => /makes 3 passes over its data \(the Trainer's printed "epoch", 1\.3 at step 574 of 1,320\)/.test(r)), j.trust.reasons.join('\n'));
});

test('real buffered Trainer console (dicts in bursts after the bar moved on): steps from the printed epoch × the bar\'s total over the final epoch', async () => {
  const { file, text } = fixture('hf-console-llama-sft-buffered.txt');
  const log = await parseLogFile(file);
  const train = [...text.matchAll(/\{'loss': '([^']+)'.*?'epoch': '([^']+)'\}/g)];
  assert.equal(train.length, 167);
  // 1677 steps over 3 epochs: 559 a epoch; the k-th dict (every 10 steps) at step 10k, the last at 1,670.
  const steps = Array.from(log.data.step);
  const lossCol = col(log, 'loss')!;
  const trainSteps = steps.filter((_, i) => Number.isFinite(log.data[lossCol][i]));
  assert.equal(trainSteps.length, 167);
  assert.deepEqual(trainSteps.slice(0, 4), [10, 20, 30, 40]);
  assert.equal(trainSteps[166], 1670);
  for (let k = 1; k < trainSteps.length; k++) assert.ok(trainSteps[k] > trainSteps[k - 1], `steps increase at ${k}`);
  // The losses in the order printed.
  assert.deepEqual(Array.from(log.data[lossCol]).filter(Number.isFinite).slice(0, 3), train.slice(0, 3).map((m) => Number(m[1])));
  // The three evaluations (epoch 1, 2, 3) at the ends of the epochs, not at their own bar's count (280).
  const ev = col(log, 'eval_loss')!;
  assert.deepEqual(steps.filter((_, i) => Number.isFinite(log.data[ev][i])), [559, 1118, 1677]);
  assert.ok(log.problems.some((p) => /came in bursts.*epoch × 559 steps per epoch \(the bar's total 1677 over the final epoch 3\).*PYTHONUNBUFFERED=1/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test('a real TRL console buffered, its epoch printed to 2 decimals: the dicts on the logging interval of 10 steps (0.06 × 181 = 10.86 is step 10, not 11), the evaluation at its epoch', async () => {
  const log = await parseLogFile(path.join(FIXTURES, 'trl-sft-qwen-coder-buffered.log'));
  const steps = Array.from(log.data.step);
  const lossCol = col(log, 'loss')!, ev = col(log, 'eval_loss')!;
  assert.deepEqual(steps.filter((_, i) => Number.isFinite(log.data[lossCol][i])), Array.from({ length: 18 }, (_, k) => 10 * (k + 1)));
  // The evaluation, at epoch 0.55 of 181 steps (eval_steps 100).
  assert.deepEqual(steps.filter((_, i) => Number.isFinite(log.data[ev][i])), [100]);
  assert.ok(log.problems.some((p) => /came in bursts.*epoch × 181 steps per epoch \(the bar's total 181 over the final epoch 1\), rounded to the logging interval of 10 steps/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test('a buffered console log read while it grows gives the whole read\'s rows (held dicts counted in the live read)', async () => {
  const { text } = fixture('hf-console-llama-sft-buffered.txt');
  const file = path.join(tmp, 'live.txt');
  // Cut at a line end two thirds in, then the rest appended.
  const cut = text.lastIndexOf('\n', Math.floor(text.length * 0.66)) + 1;
  fs.writeFileSync(file, text.slice(0, cut));
  const live = new LiveLog(file);
  await live.read();
  fs.appendFileSync(file, text.slice(cut));
  const r = await live.read();
  const whole = await parseLogFile(file, { threads: 1 });
  assert.deepEqual(Array.from(r.log.data.step), Array.from(whole.data.step));
  assert.deepEqual(r.log.columns.map((c) => c.name), whole.columns.map((c) => c.name));
});

test('the buffered console read while still training (no closing summary): steps per epoch from the bar\'s count over the epoch, said to be approximate', async () => {
  const { text } = fixture('hf-console-llama-sft-buffered.txt');
  const bytes = Buffer.from(text, 'utf8');
  const file = path.join(tmp, 'running.txt');
  // The first 60% of the bytes: 55 training dicts printed, the run in its first epoch; some bursts end
  // mid-line, the bar refreshing after the last dict of the burst.
  fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const log = await parseLogFile(file);
  const lossCol = col(log, 'loss')!;
  const steps = Array.from(log.data.step).filter((_, i) => Number.isFinite(log.data[lossCol][i]));
  assert.equal(steps.length, 55);
  // Every 10 steps, as the whole log has them (559 a epoch): the estimate is within a step here.
  assert.deepEqual(steps, Array.from({ length: 55 }, (_, i) => 10 * (i + 1)));
  assert.ok(log.problems.some((p) => /epoch × 558\.7 steps per epoch \(the bar's count over the printed epoch, the smallest of the dicts: approximate\)/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test('progress bars whose postfix carries the loss: a real Lightning console (one line of refreshes, each step drawn twice, killed mid-epoch) is one row per step', async () => {
  const { file, text } = fixture('lightning-console-eagnet.out');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  // Steps 1 … 1,225 of epoch 0, once each (the count and the metrics' refresh of a step are one row).
  const steps = Array.from(log.data.step);
  assert.equal(steps[0], 1);
  assert.equal(steps[steps.length - 1], 1225);
  assert.equal(log.rows, new Set(steps).size);
  assert.ok(!log.problems.some((p) => /logged again/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  // The last refresh of step 1,225 as drawn.
  const last = [...text.matchAll(/\| 1225\/3999 \[[^\]]*train_total_loss=([\d.]+)\]/g)].pop()!;
  assert.equal(log.data.train_total_loss[log.rows - 1], Number(last[1]));
  assert.equal(log.columns.find((c) => c.name === 'v_num'), undefined);
});

test('postfix bars across epochs count on (Lightning\'s count restarts each epoch); a global_step= in the postfix (NeMo) is the step; a bar without an epoch gives the planned end', () => {
  const seg = (desc: string, n: number, T: number, post: string) => `${desc} ${Math.floor((100 * n) / T)}%|█    | ${n}/${T} [00:10<01:30, 10.9it/s, ${post}]`;
  // Three epochs of 50 batches, a refresh per batch (drawn twice), one line of `\r`s per epoch.
  let text = 'GPU available: True\n';
  for (let e = 0; e < 3; e++) {
    const parts: string[] = [];
    for (let b = 1; b <= 50; b++) {
      parts.push(seg(`Epoch ${e}:`, b, 50, 'v_num=0'), seg(`Epoch ${e}:`, b, 50, `v_num=0, train_loss=${(2 + 8 / Math.sqrt(50 * e + b)).toFixed(3)}`));
    }
    text += '\r' + parts.join('\r') + '\n';
  }
  const log = parseLogText(text, 'train.log');
  assert.equal(log.format, 'text');
  assert.deepEqual(Array.from(log.data.step), Array.from({ length: 150 }, (_, i) => i + 1));
  assert.equal(log.data.train_loss[149], Number((2 + 8 / Math.sqrt(150)).toFixed(3)));
  // NeMo: the step is the postfix's global_step (its key with a space kept whole).
  const nemo = Array.from({ length: 40 }, (_, i) => seg('Epoch 0: :', i + 1, 1000, `reduced_train_loss=${(3 - i / 100).toFixed(3)}, global_step=${i + 100}.0, consumed_samples=${(i + 100) * 32}.0, train_step_timing in s=1.02`)).join('\r') + '\n';
  const nl = parseLogText(nemo, 'nemo.log');
  assert.deepEqual(Array.from(nl.data.step).slice(0, 3), [100, 101, 102]);
  assert.ok(nl.columns.some((c) => c.name === 'train_step_timing_in_s'));
  // diffusers: `Steps:` over the whole run, its total the planned end; the percentage is not the step.
  const diff = Array.from({ length: 40 }, (_, i) => seg('Steps:', i + 1, 400, `lr=1e-05, step_loss=${(0.2 + 1 / Math.sqrt(i + 1)).toFixed(4)}`)).join('\n') + '\n';
  assert.equal(detectFormat('train.log', diff), 'text');
  const dl = parseLogText(diff, 'train.log');
  assert.deepEqual(Array.from(dl.data.step).slice(0, 3), [1, 2, 3]);
  assert.equal(dl.run?.plannedSteps?.steps, 400);
  assert.match(dl.run?.plannedSteps?.source ?? '', /the progress bar \("N\/400"/);
});

// The dicts without any bar before them: the script's stdout captured alone (`python train.py >
// train.log`: tqdm's bars go to stderr), or a terminal pasted after the bar was redrawn over (only its
// last state remains). Their steps: the printed epoch × the steps per epoch, from the Trainer's
// banner, a final bar's total, or the closing summary's run time × steps per second.
function bareConsole(opts: { banner: boolean; finalBar: boolean; summary: boolean; decimals?: number }): string {
  const out: string[] = [];
  if (opts.banner) {
    out.push('[INFO|trainer.py:2414] 2025-05-15 07:26:19,308 >> ***** Running training *****', '[INFO|trainer.py:2416] 2025-05-15 07:26:19,308 >>   Num Epochs = 3',
      '[INFO|trainer.py:2422] 2025-05-15 07:26:19,308 >>   Total optimization steps = 222');
  }
  // Logging every 5 steps of 74 a pass; the epoch printed to 2 decimals as older transformers do.
  for (let s = 5; s <= 220; s += 5) {
    const e = (s / 74).toFixed(opts.decimals ?? 2);
    out.push(`{'loss': ${(0.4 + 2 / Math.sqrt(s)).toFixed(4)}, 'grad_norm': 0.8, 'learning_rate': ${(5e-5 * (1 - s / 222)).toExponential(4)}, 'epoch': ${Number(e)}}`.padEnd(140));
    if (s % 74 === 0 || s === 75 || s === 150) out.push(`{'eval_loss': ${(0.5 + 2 / Math.sqrt(s)).toFixed(4)}, 'eval_runtime': 2.1, 'epoch': ${Number(e)}}`);
  }
  if (opts.finalBar) out.push(`100%|${'█'.repeat(40)}| 222/222 [04:05<00:00,  1.06s/it][INFO|trainer.py:3984] 2025-05-15 07:30:24,686 >> Saving model checkpoint to out/checkpoint-222`);
  if (opts.summary) out.push("{'train_runtime': 246.2454, 'train_samples_per_second': 7.2, 'train_steps_per_second': 0.902, 'train_loss': 0.74, 'epoch': 3.0}");
  return out.join('\n') + '\n';
}

test('Trainer dicts without progress bars: steps from the banner, a final bar or the closing summary, rounded to the logging interval', () => {
  const want = Array.from({ length: 44 }, (_, k) => 5 * (k + 1));
  for (const [name, o, source] of [
    ['banner (a pasted terminal)', { banner: true, finalBar: true, summary: true }, /the Trainer's banner \("Total optimization steps = 222", line 3\)/],
    ['final bar and summary', { banner: false, finalBar: true, summary: true }, /the Trainer's progress bar \("N\/222"/],
    ['stdout alone: the summary', { banner: false, finalBar: false, summary: true }, /the Trainer's closing summary \(train_runtime × train_steps_per_second ≈ 222/],
    ['full-precision epochs, the banner', { banner: true, finalBar: false, summary: false, decimals: 12 }, /the Trainer's banner/],
  ] as const) {
    const text = bareConsole(o);
    assert.equal(detectFormat('train.log', text), 'text', name);
    const log = parseLogText(text, 'train.log');
    const loss = log.columns.find((c) => c.role === 'loss')!.name;
    const steps = Array.from(log.data.step).filter((_, i) => Number.isFinite(log.data[loss][i]));
    assert.deepEqual(steps, want, name);
    assert.equal(log.run?.plannedSteps?.steps, 222, name);
    assert.match(log.run?.plannedSteps?.source ?? '', source, name);
    assert.equal(log.run?.epochsLogged?.count, 3, name);
    // An evaluation at the end of each pass lands on that pass's last logged step.
    const ev = log.columns.find((c) => c.role === 'eval_loss')!.name;
    assert.ok(Number.isFinite(log.data[ev][Array.from(log.data.step).indexOf(150)]), name);
    assert.ok(log.problems.some((p) => /no progress bar gives these Trainer lines their steps .* the printed epoch × 74 steps per epoch/.test(p.message)), name);
  }
});

test('a pasted terminal (banner, dicts, the final bar) through the one pipeline: predicted at the banner\'s planned end', async () => {
  const text = bareConsole({ banner: true, finalBar: true, summary: true });
  const file = path.join(tmp, 'pasted-train.log');
  fs.writeFileSync(file, text);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { prediction: { step: number }; error?: string };
  assert.equal(j.prediction.step, 222, j.error);
});

test('a bar-less console read as it grows: the banner gives its steps live as a whole read does; without one it is refused until the closing summary', async () => {
  const withBanner = bareConsole({ banner: true, finalBar: false, summary: true });
  const file = path.join(tmp, 'bare-live.log');
  const cut = withBanner.indexOf("{'loss'", withBanner.length / 2);
  fs.writeFileSync(file, withBanner.slice(0, cut));
  const live = new LiveLog(file);
  const first = await live.read();
  assert.ok(first.log.rows > 10 && first.log.rows < 44, `${first.log.rows} rows read mid-run`);
  assert.equal(first.log.run?.plannedSteps?.steps, 222);
  fs.appendFileSync(file, withBanner.slice(cut));
  const r = await live.read();
  const whole = await parseLogFile(file, { threads: 1 });
  assert.deepEqual(Array.from(r.log.data.step), Array.from(whole.data.step));
  // stdout alone, still running: nothing gives the steps yet (no banner, no summary): refused, saying why.
  const plain = bareConsole({ banner: false, finalBar: false, summary: true });
  const file2 = path.join(tmp, 'bare-live-2.log');
  const end = plain.lastIndexOf("{'train_runtime'");
  fs.writeFileSync(file2, plain.slice(0, end));
  const live2 = new LiveLog(file2);
  await assert.rejects(live2.read(), /carry no step, and neither the Trainer's banner/);
  fs.appendFileSync(file2, plain.slice(end));
  const done = await live2.read();
  assert.equal(done.log.rows, 44); // the evaluations share their steps' rows
  assert.equal(done.log.data.step[0], 5);
});

test('a dict printed before the first bar of a console that has bars: the bars give the steps, the early dict is dropped and said', () => {
  let text = "{'loss': 3.9, 'grad_norm': 9.1, 'learning_rate': 1e-06, 'epoch': 0.0}\n";
  for (let s = 10; s <= 300; s += 10) {
    text += `\r ${Math.round(s / 3)}%|███       | ${s}/300 [00:${String(s % 60).padStart(2, '0')}<00:20,  4.96it/s]{'loss': ${(1 + 5 / Math.sqrt(s)).toFixed(4)}, 'learning_rate': 5e-05, 'epoch': ${(s / 100).toFixed(2)}}\n`;
  }
  const log = parseLogText(text, 'train.log');
  assert.deepEqual(Array.from(log.data.step), Array.from({ length: 30 }, (_, k) => 10 * (k + 1)));
  assert.equal(log.run?.plannedSteps?.steps, 300);
  assert.ok(log.problems.some((p) => p.line === 1 && /before the training progress bar gives its step; dropped/.test(p.message)), log.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  assert.ok(!log.problems.some((p) => /no progress bar gives these Trainer lines/.test(p.message)));
});

test('real Unsloth terminal capture without bars (5 epochs, Apache-2.0): 60 dicts at steps 1 … 60, the banner\'s "Total steps" the planned end', async () => {
  const log = await parseLogFile(path.join(FIX, 'unsloth-console-araia.log'));
  assert.equal(log.rows, 60);
  assert.deepEqual(Array.from(log.data.step), Array.from({ length: 60 }, (_, k) => k + 1));
  assert.equal(log.run?.plannedSteps?.steps, 60);
  assert.match(log.run?.plannedSteps?.source ?? '', /the Trainer's banner \("Total steps = 60", line 22\)/);
  assert.ok((log.run?.epochsLogged?.count ?? 0) > 4, JSON.stringify(log.run?.epochsLogged));
});

test('real Unsloth excerpt whose epoch is printed more coarsely than its dicts come: counted in order, each at the step its LR gives', async () => {
  const log = await parseLogFile(path.join(FIX, 'unsloth-console-ia4devs-excerpt.log'));
  assert.equal(log.rows, 29);
  // The LR decays linearly from 2e-4 to 0 over the 1,250 steps: each dict's true step.
  const byLr = Array.from(log.data.learning_rate, (v) => Math.round(1250 * (1 - v / 2e-4)));
  assert.deepEqual(Array.from(log.data.step), byLr);
  assert.ok(log.problems.some((p) => /counted in order 1 step apart \(the epoch is printed more coarsely than the dicts come\)/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
  assert.ok(!log.problems.some((p) => /logged again/.test(p.message)));
});

test("a real TRL console's multi-line SFTConfig(…) repr (max_steps=-1, num_train_epochs=3, SchedulerType.CONSTANT_WITH_WARMUP) plans its LR to the banner's end; a plan the LR column contradicts still loses", async () => {
  const { file, text } = fixture('hf-console-open-r1-sft.txt');
  const lines = text.split('\n');
  const at = (l: string) => lines.indexOf(l) + 1;
  // The repr as printed, one field a line (lines 18–292 of the file), and the banner after it.
  assert.match(lines[17], /Training parameters SFTConfig\($/);
  assert.equal(at('max_steps=-1,'), 228);
  assert.equal(at('num_train_epochs=3,'), 234);
  assert.equal(at('lr_scheduler_type=SchedulerType.CONSTANT_WITH_WARMUP,'), 225);
  assert.equal(at('warmup_ratio=0.1,'), 289);
  assert.match(lines[661], /Total optimization steps = 1,320$/);
  // The repr alone states no step count (max_steps=-1): its plan's end is the one the log states.
  const repr = lines.slice(17, 292).join('\n');
  assert.equal(scheduleFromConfigText(repr, 'repr.txt'), undefined);
  const p = scheduleFromConfigText(repr, 'repr.txt', { plannedEnd: { steps: 1320, source: 'the banner' } });
  assert.deepEqual([p?.totalSteps, p?.warmupSteps, p?.decay], [1320, 132, 'constant']);
  type J = { schedule?: { source: string; kind: string; warmup?: number; total: number; futureKnown?: boolean }; trust: { reasons: string[] }; messages: string[] };
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, fitUntil: 0.5, bootstrap: 0 })).state) as unknown as J;
  // Constant after a warm-up of 10% of the 1,320 steps, as planned, to the end: the LR ahead is known.
  assert.equal(j.schedule?.kind, 'constant');
  assert.equal(j.schedule?.total, 1320);
  assert.equal(j.schedule?.warmup, 132);
  assert.equal(j.schedule?.futureKnown, true);
  assert.match(j.schedule!.source, /then as planned \(hf-console-open-r1-sft\.txt: max_steps=-1 \(line 228\), so num_train_epochs=3 \(line 234\): 1320 steps, as the Trainer's banner \("Total optimization steps = 1320", line 662\) says, .*warmup_ratio=0\.1, lr_scheduler_type=constant_with_warmup\)/);
  assert.ok(!j.trust.reasons.some((r) => /LR after step \d+ is not known/.test(r)), j.trust.reasons.join('\n'));
  // The same console with a linear decay printed: its LR column (1e-05 held to step 574) contradicts
  // it, and the column wins (the LR ahead is then not known, as before).
  const edited = path.join(tmp, 'hf-console-open-r1-sft-linear.txt');
  fs.writeFileSync(edited, text.replace('lr_scheduler_type=SchedulerType.CONSTANT_WITH_WARMUP,', 'lr_scheduler_type=SchedulerType.LINEAR,'));
  const k = fitToJson((await analyzeFile(edited, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as J;
  assert.ok(!/then as planned/.test(k.schedule!.source), k.schedule!.source);
  assert.ok(k.messages.some((m) => /lr_scheduler_type=linear: differs from the log's LR column by \d+% of the peak, not used for the LR schedule/.test(m)), k.messages.join('\n'));
  assert.ok(k.trust.reasons.some((r) => /LR after step 574 is not known/.test(r)), k.trust.reasons.join('\n'));
});

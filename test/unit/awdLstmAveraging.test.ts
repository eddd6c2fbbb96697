// Issue 15, "bands that keep their promise" and "a schedule change ahead": AWD-LSTM-style scripts
// (Salesforce's awd-lstm-lm and those built on it) switch their optimizer to averaged SGD, at a planned
// epoch (Fast Weight Memory's `asgdtime`) or when the validation loss stalls (NT-ASGD, `optimizer='sgd'`,
// `nonmono`), and divide the LR by 10 after the epochs in `when`; the loss falls after each by an amount
// no law fitted before it shows. The real FWM log's held-out band from half-way stopped above its end.
// Its script also prints a stale `valid loss` after the switch: the averaged model's is `valloss2 ppl`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { parseLogFile } from '../../src/core/logs';
import { optimizerChangesOfTexts } from '../../src/core/fit/schedule';
import { FIXTURES } from './fixtureUtil';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-awd-');

const FWM = path.join(FIXTURES, 'fwm-awdlstm-ptb-141.out.gz');
const text = zlib.gunzipSync(fs.readFileSync(FWM)).toString('utf8');
const lines = text.split('\n');

type J = {
  series: string; messages: string[]; prediction?: { loss: number; lo: number; hi: number };
  trust: { supported: boolean; reasons: string[]; band: string }; backtest: Array<{ heldOut?: boolean; actual: number; errorPct: number }>;
};
const fit = async (file: string, extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS>) =>
  fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 30, seed: 1, ...extra })).state) as unknown as J;
const heldOut = (j: J) => j.backtest.find((b) => b.heldOut)!;

test('FWM LSTM (real): after its switch to averaged SGD the printed "valid loss" repeats; the held-out loss is the log of "valloss2 ppl" there, said once', async () => {
  // What the message says is so in the log: every "(t0 on)" line prints the valid loss of the last
  // epoch before the switch, while valloss2 ppl falls.
  const t0 = lines.map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => l.includes('(t0 on)'));
  assert.equal(t0.length, 134);
  const printed = new Set(t0.map(({ l }) => /valid loss +([\d.]+)/.exec(l)![1]));
  const before = lines.filter((l) => /^\| end of epoch +\d+ \|/.test(l)).at(-1)!;
  assert.deepEqual([...printed], [/valid loss +([\d.]+)/.exec(before)![1]]);
  const ppl2 = t0.map(({ l }) => Number(/valloss2 ppl +([\d.]+)/.exec(l)![1]));
  assert.ok(ppl2[ppl2.length - 1] < ppl2[0] - 0.5);

  const log = await parseLogFile(FWM);
  // An epoch's summary joins the row of its last training line (the same step): the row before it.
  const rowOf = (n: number) => { let k = -1; for (let i = 0; i < log.rows; i++) if (log.lines[i] <= n) k = i; return k; };
  t0.forEach(({ n }, j) => assert.equal(log.data.valid_loss[rowOf(n)], Math.log(ppl2[j]), `line ${n}`));
  // Before the switch, the printed value stays.
  const pre = lines.findIndex((l) => l === before) + 1;
  assert.equal(log.data.valid_loss[rowOf(pre)], Number(/valid loss +([\d.]+)/.exec(before)![1]));
  const said = log.problems.filter((p) => /"valid loss" printed \(4\.07\) is the last one before the switch/.test(p.message));
  assert.equal(said.length, 1);
  assert.equal(said[0].line, t0[0].n);
  // The switch's own line: at the last training step before it.
  const sw = lines.findIndex((l) => l.startsWith('Switching to ASGD')) + 1;
  assert.equal(log.run?.averagedFrom?.line, sw);
  const stepCol = log.data.step;
  assert.equal(log.run?.averagedFrom?.step, Math.max(...Array.from(stepCol).filter((_, i) => log.lines[i] < sw)));
});

test('optimizerChangesOfTexts: a planned switch (asgdtime), NT-ASGD (optimizer sgd, nonmono) and the when epochs, from the printed Namespace only', () => {
  const fwm = optimizerChangesOfTexts([{ file: 'fwm.out', text: lines.slice(0, 40).join('\n') }]);
  assert.equal(fwm?.switchAfterEpoch, 766);
  assert.equal(fwm?.switchWhenStalls, undefined);
  assert.deepEqual(fwm?.lrDivEpochs, []);
  assert.match(fwm!.source, /^optimizer='adam', asgdtime=765 in fwm\.out's printed arguments \(line 28\)$/);
  // Salesforce's defaults for a word-level LSTM: SGD with NT-ASGD; char-level PTB adds --when 25 35.
  const sf = (args: string) => optimizerChangesOfTexts([{ file: 'log.txt', text: `Args: Namespace(alpha=2, batch_size=80, ${args}, tied=True, wdecay=1.2e-06)\n` }]);
  const nt = sf("epochs=500, lr=30, nonmono=5, optimizer='sgd', when=[-1]");
  assert.equal(nt?.switchWhenStalls, true);
  assert.equal(nt?.switchAfterEpoch, undefined);
  assert.match(nt!.source, /^optimizer='sgd', nonmono=5 in log\.txt's printed arguments \(line 1\)$/);
  assert.deepEqual(sf("epochs=50, nonmono=5, optimizer='sgd', when=[35, 25]")?.lrDivEpochs, [25, 35]);
  // Adam with no asgdtime and no when: nothing planned or possible.
  assert.equal(sf("epochs=50, nonmono=5, optimizer='adam', when=[-1]"), undefined);
  assert.deepEqual(sf("epochs=50, nonmono=5, optimizer='adam', when=[10]")?.lrDivEpochs, [10]);
  // Not such a script: no nonmono.
  assert.equal(sf("epochs=50, optimizer='sgd', when=[10]"), undefined);
  // Linear on hostile text.
  assertLinear('optimizerChangesOfTexts', (n) => {
    optimizerChangesOfTexts([{ file: 'x', text: `Namespace(nonmono=5, optimizer='sgd', when=[${'1, '.repeat(n)}` }]);
    optimizerChangesOfTexts([{ file: 'x', text: 'nonmono=\n'.repeat(n) }]);
  }, 5000);
});

test('FWM LSTM (real) from half-way: the planned switch is said, the bands are open below from it and hold the end; fitted whole, the switch lies inside the fitted range', async () => {
  const v = await fit(FWM, { series: 'valid_loss', fitUntil: 0.5 });
  const reason = v.trust.reasons.find((r) => r.startsWith('the optimizer switches to averaged SGD (ASGD) after step 508k (after epoch 766: optimizer=\'adam\', asgdtime=765'));
  assert.ok(reason, JSON.stringify(v.trust.reasons));
  // The truth: the averaged model's last evaluation, below what the first half's law predicts.
  assert.ok(Math.abs(heldOut(v).actual - Math.log(57.83)) < 1e-3, String(heldOut(v).actual));
  assert.ok(v.prediction!.loss > heldOut(v).actual);
  // Repeated data (900 epochs) opens it above too: open both ways, no band.
  assert.ok(Number.isNaN(v.prediction!.lo), JSON.stringify(v.prediction));
  assert.match(v.trust.band, /^none: open both ways.*open below to 0 after step 508k, where the optimizer or its LR changes$/);
  // The training loss: open below from the switch, bounded above, and holds the end (it fell 8% after the switch).
  const t = await fit(FWM, { series: 'loss', fitUntil: 0.5 });
  assert.ok(t.trust.reasons.some((r) => r.startsWith('the optimizer switches to averaged SGD (ASGD) after step 508k')));
  assert.equal(t.prediction!.lo, 0);
  assert.ok(Number.isFinite(t.prediction!.hi) && t.prediction!.hi >= heldOut(t).actual);
  // Fitted whole: nothing ahead, the fitted range is said to cross it.
  const w = await fit(FWM, { series: 'valid_loss' });
  assert.ok(!w.trust.reasons.some((r) => /averaged SGD/.test(r)), JSON.stringify(w.trust.reasons));
  assert.ok(w.messages.some((m) => m.startsWith('the fitted range goes past step 508k, where the optimizer switches to averaged SGD (ASGD)')));
});

test('NT-ASGD (optimizer sgd, nonmono) and when epochs: a switch at any later epoch until the log says it came; a planned LR cut ahead', async () => {
  // The real log with Salesforce's arguments instead of FWM's (its printed switch stays where it was).
  const nt = path.join(tmp, 'awd-ntasgd.out');
  fs.writeFileSync(nt, text.replace(/asgdtime=765, /g, '').replace(/optimizer='adam'/g, "optimizer='sgd'"));
  const half = await fit(nt, { series: 'valid_loss', fitUntil: 0.5 });
  assert.ok(half.trust.reasons.some((r) => /^a switch to averaged SGD \(NT-ASGD: when the validation loss stops improving\) can come at any later epoch \(optimizer='sgd', nonmono=5 in awd-ntasgd\.out's printed arguments \(line 28\)\)/.test(r)), JSON.stringify(half.trust.reasons));
  const trainHalf = await fit(nt, { series: 'loss', fitUntil: 0.5 });
  assert.equal(trainHalf.prediction!.lo, 0);
  // Fitted past the printed switch (epoch 766 of 900): it came; nothing more is possible.
  const late = await fit(nt, { series: 'loss', fitUntil: 0.9 });
  assert.ok(!late.trust.reasons.some((r) => /averaged SGD/.test(r)), JSON.stringify(late.trust.reasons));
  // Planned LR cuts (when): the one after the fitted range is said, at its epoch's end.
  const when = path.join(tmp, 'awd-when.out');
  fs.writeFileSync(when, text.replace(/when=\[-1\]/g, 'when=[200, 600]'));
  const w = await fit(when, { series: 'loss', fitUntil: 0.5 });
  assert.ok(w.trust.reasons.some((r) => r.startsWith('the LR is divided by 10 after step 398k (after epoch 600: optimizer=\'adam\', asgdtime=765, when=[200, 600]')), JSON.stringify(w.trust.reasons));
  assert.ok(w.messages.some((m) => m.startsWith('the fitted range goes past step 133k, where the LR is divided by 10')), JSON.stringify(w.messages));
  assert.equal(w.prediction!.lo, 0);
});

// A real OpenNMT-py console (test/fixtures/opennmt-yoruba-adr-transformer.txt.gz) prints the script it
// ran before training: `-train_steps 100000 … -decay_method noam -warmup_steps 8000 -learning_rate 2`
// (lines 29–31), then `Step N/100000; … lr: 0.00093; …`. OpenNMT-py's noam (onmt/utils/optimizers.py)
// is learning_rate · d^−½ · min(step^−½, step · warmup^−1.5): a linear warm-up to 8,000, then √(8000/step)
// of its peak. A prefix of the log knows its LR only up to the cut: after it, the schedule is the plan's.
// Read from the LR column alone, the 50% prefix had been a line reaching 0 at step 25,997 (the run
// logged 0.00064 at 19,000), and the 30% prefix (inside the warm-up) its LR held at the last value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogText } from '../../src/core/logs/parse';
import { scheduleForLog, lrAt, type LrSchedule } from '../../src/core/fit/schedule';
import { openNmtSchedule } from '../../src/core/fit/opennmt';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';

const text = (name: string) => zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, name))).toString('utf8');
const TF = text('opennmt-yoruba-adr-transformer.txt.gz');
/** The file's own step lines: step → the LR it logged (read here with a regex, not by the parser). */
const logged = new Map([...TF.matchAll(/INFO\] Step (\d+)\/100000; .*?; lr: ([\d.]+);/g)].map((m) => [Number(m[1]), Number(m[2])]));

/** The log as it stood at `cutStep`: its lines up to the last step line at or before it. */
function prefixAt(cutStep: number): string {
  const lines = TF.split('\n');
  let end = 0;
  lines.forEach((l, i) => { const m = /INFO\] Step (\d+)\/100000;/.exec(l); if (m && Number(m[1]) <= cutStep) end = i + 1; });
  return lines.slice(0, end).join('\n');
}

function scheduleOfPrefix(cutStep: number): LrSchedule {
  const t = prefixAt(cutStep);
  const log = parseLogText(t, 'onmt-transformer.txt');
  const s = scheduleForLog(log, [{ file: 'onmt-transformer.txt', text: t }]).schedule;
  assert.ok(s, 'a schedule');
  return s;
}

test("the real OpenNMT-py console's printed plan: noam, warm-up 8,000, 100,000 steps (lines 29–31)", () => {
  const lines = TF.split('\n');
  assert.match(lines[28], /-train_steps 100000 /);
  assert.match(lines[30], /-decay_method noam -warmup_steps 8000 -learning_rate 2 /);
  const p = openNmtSchedule(TF, 'onmt.txt');
  assert.ok(p);
  assert.equal(p.decay, 'inverse_sqrt');
  assert.equal(p.warmupSteps, 8000);
  assert.equal(p.totalSteps, 100000);
  assert.match(p.source, /"-decay_method noam" \(line 31\), "-warmup_steps 8000" \(line 31\), "-train_steps 100000" \(line 29\)/);
  // The formula against the file's LRs: 2 · 512^−½ · 8000^−½ = 0.000988 at the peak, and √(8000/s) of it after.
  const peak = 2 / Math.sqrt(512) / Math.sqrt(8000);
  for (const s of [9500, 12000, 15000, 19000]) assert.ok(Math.abs(logged.get(s)! - peak * Math.sqrt(8000 / s)) <= 0.000005 + 1e-12, `step ${s}`);
});

// The cut steps as the bench and `--fit-until` take them: 50 + f · (19,050 − 50).
for (const [f, cut] of [[0.5, 9550], [0.3, 5750]] as const) {
  test(`from ${f * 100}% (step ${cut}), the schedule after the cut follows the LR the log later logged`, () => {
    const s = scheduleOfPrefix(cut);
    assert.equal(s.kind, 'inverse_sqrt');
    assert.equal(s.warmup, 8000);
    assert.equal(s.total, 100000);
    assert.ok(s.futureKnown);
    const last = s.lastLogged!;
    assert.ok(last <= cut && logged.has(last));
    // Relative to the last LR the prefix logged (the schedule is relative to its peak; the prefix's may be short of it).
    for (const at of [8000, 12000, 15000, 19000]) {
      const want = logged.get(at)! / logged.get(last)!;
      const got = lrAt(s, at) / lrAt(s, last);
      assert.ok(Math.abs(got / want - 1) < 0.02, `step ${at}: schedule ${got.toFixed(4)}, log ${want.toFixed(4)}`);
    }
  });
}

test('the fit of the real transformer from 50% says where its schedule comes from', async () => {
  const j = fitToJson((await analyzeFile(path.join(FIXTURES, 'opennmt-yoruba-adr-transformer.txt.gz'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5, runLaw: 'lr-annealing' })).state) as unknown as { schedule: { kind: string; source: string } };
  assert.equal(j.schedule.kind, 'inverse_sqrt');
  assert.match(j.schedule.source, /then as planned \(.*OpenNMT-py's options "-decay_method noam" \(line 31\)/);
});

test('the real OpenNMT-py LSTM console (no printed options, constant LR 0.001) keeps its LR column', () => {
  const t = text('opennmt-yoruba-adr-lstm.txt.gz');
  assert.equal(openNmtSchedule(t, 'lstm.txt'), undefined);
  const s = scheduleForLog(parseLogText(t, 'lstm.txt'), [{ file: 'lstm.txt', text: t }]).schedule!;
  assert.equal(s.kind, 'constant');
  assert.equal(s.planned, undefined);
});

test("OpenNMT-py's other forms: a YAML config (2.x) and a printed Namespace; rsqrt; the exponential decay", () => {
  // (OpenNMT-py 2.x's config is YAML with the same option names; read before as a cosine over train_steps.)
  const yaml = openNmtSchedule('save_model: run/model\ntrain_steps: 200000\nwarmup_steps: 4000\ndecay_method: noam\nlearning_rate: 2\n', 'config.yaml');
  assert.ok(yaml);
  assert.deepEqual([yaml.decay, yaml.warmupSteps, yaml.totalSteps], ['inverse_sqrt', 4000, 200000]);
  const dump = openNmtSchedule("Namespace(accum_count=[2], decay_method='noam', decay_steps=10000, learning_rate=2.0, train_steps=50000, warmup_steps=6000)", 'train.log');
  assert.ok(dump);
  assert.deepEqual([dump.decay, dump.warmupSteps, dump.totalSteps], ['inverse_sqrt', 6000, 50000]);
  // rsqrt: 1/√max(step, warmup) — flat to the warm-up's end, then falling.
  const r = openNmtSchedule('python train.py -data d -decay_method rsqrt -warmup_steps 1000 -train_steps 4000', 'run.sh');
  assert.ok(r?.curve);
  assert.deepEqual([r.curve[0], r.curve[1000], r.curve[4000]], [1, 1, 0.5]);
  // Exponential (no decay_method): × learning_rate_decay at start_decay_steps and every decay_steps after.
  const e = openNmtSchedule('python train.py -train_steps 30000 -learning_rate_decay 0.5 -start_decay_steps 10000 -decay_steps 5000', 'run.sh');
  assert.ok(e?.curve);
  assert.deepEqual([e.curve[9999], e.curve[10000], e.curve[14999], e.curve[15000], e.curve[30000]], [1, 0.5, 0.5, 0.25, 0.5 ** 5]);
  // A commented-out command states nothing; OpenNMT-tf's start_decay_steps without a rate is not this decay.
  assert.equal(openNmtSchedule('# python train.py -decay_method noam -warmup_steps 8000', 'run.sh'), undefined);
  assert.equal(openNmtSchedule('params:\n  decay_type: noam_decay_v2\n  start_decay_steps: 0\ntrain:\n  train_steps: 1000000\n', 'tf.yml'), undefined);
});

test('the passes of the real LSTM console: those its 100,000 steps plan, and how far the log went', async () => {
  const t = text('opennmt-yoruba-adr-lstm.txt.gz');
  // The file's own lines: its loads of the first training shard, and its last step line.
  const loads = [...t.matchAll(/Loading dataset from data\/demo\.train\.0\.pt/g)].length;
  const steps = [...t.matchAll(/INFO\] Step (\d+)\/100000;/g)].map((m) => Number(m[1]));
  assert.equal(loads, 54);
  assert.equal(steps[steps.length - 1], 42150);
  const e = parseLogText(t, 'lstm.txt').run?.epochsLogged;
  assert.ok(e);
  // The count the fit uses is the planned passes (unchanged); the words say both.
  assert.equal(e.count, 125);
  assert.match(e.source, /; the 100,000 steps planned make 125 passes; the log reaches the 54th, at step 42,150$/);
});

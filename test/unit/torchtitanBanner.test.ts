// torchtitan's console states its plan when the trainer starts (`Trainer is initialized with local batch
// size 8, global batch size 16, gradient accumulation steps 2, sequence length 2048, total steps 2500
// (warmup 500)`) and its model size (`Model llama3 150M size: 75,516,672 total parameters`), in colours;
// its LR is not logged and its toml is not printed. Two real consoles (2026) were fitted to 10× their
// last step with a 10% skip, the resumed one skipping 100 steps of a warm-up that had ended 6,300 steps
// before (thirty-second session).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { plannedSchedule, scheduleForLog, scheduleFromConfigText, torchtitanBannerSchedule } from '../../src/core/fit/schedule';
import { printedModel } from '../../src/core/logHead';
import { FIXTURES } from './fixtureUtil';

const BASE = path.join(FIXTURES, 'torchtitan-attnres-baseline-train.log.gz');
const RESUMED = path.join(FIXTURES, 'torchtitan-vlm-resumed-train.log.gz');
const text = (f: string) => zlib.gunzipSync(fs.readFileSync(f)).toString('utf8');

/** The 1-based line of the first line matching `re`, and its match. */
function lineOf(t: string, re: RegExp): { line: number; m: RegExpExecArray } {
  const lines = t.split('\n');
  for (let i = 0; i < lines.length; i++) { const m = re.exec(lines[i]); if (m) return { line: i + 1, m }; }
  throw new Error(`no line matches ${re}`);
}

interface Json { schedule?: { kind: string; total: number; warmup: number; source: string }; prediction?: { step?: number }; messages: string[]; configNote?: string }

test('a real torchtitan console: its printed steps, warm-up, global batch × sequence length and model size are the plan', async () => {
  const t = text(BASE);
  const plan = lineOf(t, /global batch size (\d+), gradient accumulation steps \d+, sequence length (\d+), total steps (\d+) \(warmup (\d+)\)/);
  const [batch, seq, total, warm] = plan.m.slice(1).map(Number);
  const s = torchtitanBannerSchedule(t, 'train.log');
  assert.deepEqual([s?.totalSteps, s?.warmupSteps, s?.decay, s?.minRatio], [total, warm, 'linear', 0]);
  assert.match(s!.source, new RegExp(`^train\\.log, line ${plan.line}: torchtitan's "total steps ${total} \\(warmup ${warm}\\)"; its decay is not printed: torchtitan's default assumed`));
  const size = lineOf(t, /size: ([\d,]+) total parameters/);
  const printed = printedModel(t);
  assert.equal(printed.params, Number(size.m[1].replace(/,/g, '')));
  assert.equal(printed.paramsLine, size.line);
  assert.equal(printed.tokensPerStep, batch * seq);
  assert.equal(printed.tokensLine, plan.line);

  // The fit skips exactly the warm-up, and its half-way fit predicts at the planned end.
  const log = await parseLogFile(BASE);
  const steps = Array.from(log.data.step!);
  const inWarmup = steps.filter((v) => v <= warm).length;
  const j = fitToJson((await analyzeFile(BASE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as Json;
  assert.deepEqual([j.schedule?.kind, j.schedule?.total, j.schedule?.warmup], ['linear', total, warm]);
  assert.equal(j.prediction?.step, total);
  assert.ok(j.messages.some((m) => m === `skipped the warm-up: ${inWarmup} point(s) up to step ${warm} (warm-up from the LR schedule, and the first logged point)`), j.messages.join('\n'));
  assert.ok(!j.messages.some((m) => /ignored the first \d+ point\(s\) \(10% warm-up\)/.test(m)));
  assert.match(j.configNote ?? '', new RegExp(`N = ${size.m[1]} parameters as printed in .*line ${size.line}; ${(batch * seq).toLocaleString('en-US')} tokens per step \\(global batch size × sequence length as torchtitan printed them`));
});

test('a resumed torchtitan run: the warm-up ended long before its first step, so only that first point is skipped', async () => {
  const t = text(RESUMED);
  const starts = lineOf(t, /Training starts at step (\d+)/);
  const first = Number(starts.m[1]);
  const plan = lineOf(t, /total steps (\d+) \(warmup (\d+)\)/);
  const [total, warm] = plan.m.slice(1).map(Number);
  assert.ok(first > warm);
  const j = fitToJson((await analyzeFile(RESUMED, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as Json;
  assert.deepEqual([j.schedule?.total, j.schedule?.warmup], [total, warm]);
  assert.ok(j.messages.some((m) => m === `skipped the warm-up: 1 point(s) up to step ${first} (warm-up from the LR schedule, and the first logged point)`), j.messages.join('\n'));
});

test("torchtitan's toml beside the log wins over the console's plan; its decay is linear unless it says otherwise", async () => {
  const t = text(BASE);
  const log = await parseLogFile(BASE);
  const toml = '[lr_scheduler]\nwarmup_steps = 500\ndecay_type = "cosine"\nmin_lr_factor = 0.1\n\n[training]\nsteps = 2500\n';
  const r = scheduleForLog(log, [{ file: 'train.log', text: t }, { file: 'job.toml', text: toml }]);
  assert.equal(r.planned?.decay, 'cosine');
  assert.equal(r.planned?.minRatio, 0.1);
  assert.match(r.planned!.source, /^job\.toml: /);
  // No decay_type: torchtitan's LRScheduler default (linear from the end of the warm-up), not cosine.
  const plain = scheduleFromConfigText('[lr_scheduler]\nwarmup_steps = 200  # lr scheduler warm up\n\n[training]\nbatch_size = 1\nsteps = 1000\n', 'llama3_8b.toml');
  assert.deepEqual([plain?.totalSteps, plain?.warmupSteps, plain?.decay], [1000, 200, 'linear']);
  assert.match(plain!.source, /decay_type not stated: torchtitan's default, linear/);
  // The real preset (torchtitan's llama3_8b.toml): its `name`s are the model's and the optimizer's, not a decay.
  const preset = scheduleFromConfigText(fs.readFileSync(path.join(FIXTURES, 'config-torchtitan-llama3_8b.toml'), 'utf8'), 'llama3_8b.toml');
  assert.deepEqual([preset?.totalSteps, preset?.warmupSteps, preset?.decay], [1000, 200, 'linear']);
  assert.doesNotMatch(preset!.source, /name=/);
  // torchtitan's sqrt decay: 1 − √progress from the end of the warm-up (its lr_scheduler.py), to min_lr_factor.
  const sqrt = scheduleFromConfigText('[lr_scheduler]\nwarmup_steps = 10\ndecay_type = "sqrt"\nmin_lr_factor = 0.1\n[training]\nsteps = 110\n', 't.toml')!;
  assert.equal(sqrt.decay, 'sqrt');
  assert.match(sqrt.source, /decay_type=sqrt/);
  assert.doesNotMatch(sqrt.source, /not a shape/);
  const sl = plannedSchedule(sqrt).lr;
  assert.ok(Math.abs(sl[35] - (0.1 + 0.9 * (1 - Math.sqrt(0.25)))) < 1e-12 && Math.abs(sl[110] - 0.1) < 1e-12, `sqrt shape: ${sl[35]}, ${sl[110]}`);
  // With a decay_ratio, decay_type is the shape of the WSD's final decay (here the last 20 of the 100 after warm-up).
  const wsdCos = scheduleFromConfigText('[lr_scheduler]\nwarmup_steps = 10\ndecay_ratio = 0.2\ndecay_type = "cosine"\n[training]\nsteps = 110\n', 't.toml')!;
  assert.deepEqual([wsdCos.decay, wsdCos.decaySteps, wsdCos.decayShape], ['wsd', 20, 'cosine']);
  const wl = plannedSchedule(wsdCos).lr;
  assert.ok(wl[90] === 1 && Math.abs(wl[100] - 0.5) < 1e-12 && wl[110] === 0, `WSD cosine: ${wl[90]}, ${wl[100]}, ${wl[110]}`);
  assert.equal(scheduleFromConfigText('[lr_scheduler]\nwarmup_steps = 10\ndecay_ratio = 0.2\ndecay_type = "linear"\n[training]\nsteps = 110\n', 't.toml')!.decayShape, undefined);
  // A decay named that is no shape read here is said so, not passed off as the cosine used.
  assert.match(scheduleFromConfigText('[lr_scheduler]\nwarmup_steps = 10\ndecay_type = "step"\n[training]\nsteps = 100\n', 't.toml')!.source, /decay_type=step \(not a shape read here: cosine assumed\)/);
  // Another trainer's config with no decay type keeps the cosine assumed before.
  assert.equal(scheduleFromConfigText('max_steps: 1000\nwarmup_steps: 100\n', 'args.yaml')?.decay, 'cosine');
  // A plan that ends before the log's last step is another run's: not used.
  const short = t.replace(/total steps (\d+) \(warmup/, 'total steps 100 (warmup');
  assert.equal(scheduleForLog(log, [{ file: 'train.log', text: short }]).planned, undefined);
});

test("torchtitan's `validate step: N  loss: …` lines are the held-out loss at N, not the training loss logged again (real, resumed and killed)", async () => {
  const file = path.join(FIXTURES, 'torchtitan-resumed-validate-killed.log.gz');
  // (Colours dropped, as the reader drops them.)
  const lines = text(file).split('\n').map((l) => l.replace(/\x1b\[[\d;]*m/g, ''));
  const val = lines.map((l) => /validate step: (\d+)\s+loss:\s+([\d.]+)/.exec(l)).filter((m) => m !== null);
  const train = lines.map((l) => /- INFO - step:\s*(\d+)\s+loss:\s+([\d.]+)/.exec(l)).filter((m) => m !== null);
  assert.ok(val.length >= 2);
  const log = await parseLogFile(file);
  assert.equal(log.columns.find((c) => c.name === 'val_loss')?.role, 'eval_loss');
  assert.deepEqual(Array.from(log.data.loss), train.map((m) => Number(m![2])));
  const step = Array.from(log.data.step);
  for (const m of val) {
    const i = step.indexOf(Number(m![1]));
    assert.ok(i >= 0, `a row at step ${m![1]}`);
    assert.equal(log.data.val_loss[i], Number(m![2]));
    // The training loss at that step is the training line's.
    assert.equal(log.data.loss[i], Number(train.find((t) => t![1] === m![1])![2]));
  }
  assert.ok(!log.problems.some((p) => /logged again/.test(p.message)), log.problems.map((p) => p.message).join('\n'));
});

test('a resumed run logged from step 6,501 to 7,500: its backtests and --fit-until cut its logged span, not the run from step 0', async () => {
  const log = await parseLogFile(RESUMED);
  const step = Array.from(log.data.step);
  const first = step[0], last = step[step.length - 1];
  assert.ok(first > 0.8 * last);
  const j = fitToJson((await analyzeFile(RESUMED, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { backtest?: Array<{ fitFraction: number; axisFraction?: number; heldOut?: boolean }>; messages: string[] };
  // Before, a prefix of 25% of 7,500 steps ended before the log's first point: no backtest at all.
  const bt = (j.backtest ?? []).filter((b) => !b.heldOut);
  assert.deepEqual(bt.map((b) => b.fitFraction), [0.25, 0.5, 0.75]);
  // Each ends at a + f·(last − a), a the fitted range's first step (the first logged point is skipped).
  const a = (bt[0].axisFraction! * last - bt[0].fitFraction * last) / (1 - bt[0].fitFraction);
  assert.ok(a >= first && a <= step[2], `the span starts at ${a}`);
  for (const b of bt) assert.ok(Math.abs(b.axisFraction! - (a + b.fitFraction * (last - a)) / last) < 1e-9);
  assert.ok(!j.messages.some((m) => /too few points for backtests/.test(m)), j.messages.join('\n'));
  // --fit-until 0.5: half the logged steps fitted, the rest held out and scored.
  const h = fitToJson((await analyzeFile(RESUMED, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5 })).state) as unknown as { backtest?: Array<{ fitFraction: number; heldOut?: boolean }>; messages: string[] };
  const cut = first + 0.5 * (last - first);
  const fitted = step.filter((s) => s <= cut).length;
  assert.ok(h.messages.some((m) => m === `fitted up to step ${Number(cut.toPrecision(4))}; ${step.length - fitted} later point(s) held out`), h.messages.join('\n'));
  assert.ok(h.messages.some((m) => new RegExp(`fitted on 50% of the logged steps: the log starts at ${first}\\)$`).test(m)), h.messages.join('\n'));
  // A log from step 0 is cut from step 0 as before: the fractions of its last step.
  const base = fitToJson((await analyzeFile(BASE, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { backtest?: Array<{ axisFraction?: number }> };
  assert.ok((base.backtest ?? []).length > 0 && (base.backtest ?? []).every((b) => b.axisFraction === undefined));
});

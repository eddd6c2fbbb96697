// The LR a program's own plan gives after a prefix of a real run, against the LR the run logged later
// (test/fixtures/SOURCES.md). Each expected LR is the log's own, set against what the schedule built
// from the first 30% or 50% of its steps (and the config it printed or that lies beside it) says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile, type ParsedLog } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { readLogHead } from '../../src/core/logHead';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { scheduleForLog } from '../../src/core/fit/schedule';
import { paddleSegSchedule } from '../../src/core/fit/paddleseg';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

interface Json { schedule?: { kind: string; total: number; source: string } }

/** The (x, LR) pairs the log logged: its step, else its epoch. */
function logged(log: ParsedLog): Array<[number, number]> {
  const col = (role: string) => { const c = log.columns.find((k) => k.role === role); return c && log.data[c.name]; };
  const x = (col('step') ?? col('epoch'))!, lr = col('lr')!;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(lr[i])) out.push([x[i], lr[i]]);
  return out;
}

/**
 * The schedule from the first `cut` of the run (the LR known up to there, as a prefix fit knows it),
 * in the log's LR: the schedule is relative to the prefix's highest LR. Returns the largest gap, over
 * the LRs logged after the cut, between the schedule and the log, and where it was.
 */
function worstAfterCut(log: ParsedLog, texts: Array<{ text: string; file: string }>, cut: number): { gap: number; at: number; source: string } {
  const pts = logged(log);
  const first = pts[0][0], last = pts[pts.length - 1][0];
  const until = first + cut * (last - first);
  const { schedule } = scheduleForLog(log, texts, { lrUntil: until });
  assert.ok(schedule, 'a schedule');
  let peak = 0;
  for (const [x, v] of pts) if (x <= until && v > peak) peak = v;
  let gap = 0, at = NaN;
  for (const [x, v] of pts) {
    if (x <= until) continue;
    const d = Math.abs(schedule.lr[Math.min(schedule.total, Math.round(x))] * peak - v);
    if (d > gap) { gap = d; at = x; }
  }
  return { gap, at, source: schedule.source };
}

test('a real PaddleSeg console prints its config: PolynomialDecay, power 0.9, end_lr 0 over iters 120,000; from 50% (and 30%) of the run its LR is that poly, to 0 at its end, not a line', async () => {
  // paddleseg-ddrnet-trainer-log.txt, lines 1096–1107: `iters: 120000`, `lr_scheduler:` `end_lr: 0.0`,
  // `learning_rate: 0.01`, `power: 0.9`, `type: PolynomialDecay`. Its LR column (6 decimals) is
  // 0.01·(1 − it/120000)^0.9: 0.006156 at 50,000, 0.000072 at 119,500, 0.000000 at 120,000.
  const file = path.join(FIXTURES, 'paddleseg-ddrnet-trainer-log.txt.gz');
  const log = await parseLogFile(file);
  for (const [x, v] of logged(log)) assert.ok(Math.abs(v - 0.01 * Math.pow(1 - x / 120000, 0.9)) <= 1e-6, `the LR logged at ${x}: ${v}`);
  const head = (await readLogHead(file, log))!;
  const plan = paddleSegSchedule(head.text, 'trainer-log.txt')!;
  assert.equal(plan.totalSteps, 120000);
  assert.equal(plan.decay, 'poly');
  assert.match(plan.source, /^trainer-log\.txt, line 1096: PaddleSeg's config \(iters 120000, lr_scheduler PolynomialDecay, learning_rate 0\.01, power 0\.9, end_lr 0, decay_steps 120000 \(iters\)\)$/);
  for (const cut of [0.3, 0.5]) {
    // Before: a line through the prefix's LRs, to 0.075 (50%) or 0.086 (30%) of the peak at step 120,000.
    const w = worstAfterCut(log, [head], cut);
    assert.ok(w.gap <= 2e-6, `${cut}: ${w.gap} off the logged LR at step ${w.at} (${w.source})`);
  }
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil: 0.5, runLaw: 'lr-annealing' })).state) as unknown as Json;
  assert.equal(j.schedule?.kind, 'poly', j.schedule?.source);
  assert.equal(j.schedule?.total, 120000);
  assert.match(j.schedule?.source ?? '', /then as planned \(paddleseg-ddrnet-trainer-log\.txt\.gz, line 1096: PaddleSeg's config/);
});

test("PaddleSeg's plan as its config.py builds it: a warm-up of warmup_iters from warmup_start_lr, then the poly over the iterations left; another scheduler, or none, is no plan", () => {
  const cfg = (sched: string) => `batch_size: 2\niters: 1000\nlr_scheduler:\n${sched}model:\n  type: X\n`;
  const p = paddleSegSchedule(cfg('  learning_rate: 0.01\n  power: 0.9\n  type: PolynomialDecay\n  warmup_iters: 100\n  warmup_start_lr: 1.0e-05\n  end_lr: 0.0001\n'), 'x.yml')!;
  assert.equal(p.warmupSteps, 100);
  assert.ok(Math.abs(p.curve[0] - 0.001) < 1e-12 && Math.abs(p.curve[50] - (1e-5 + (0.01 - 1e-5) * 0.5) / 0.01) < 1e-12);
  // decay_steps = iters − warmup_iters = 900: at iteration 550, (0.01 − 0.0001)·(1 − 450/900)^0.9 + 0.0001.
  assert.ok(Math.abs(p.curve[550] - ((0.0099 * Math.pow(0.5, 0.9) + 0.0001) / 0.01)) < 1e-12);
  assert.ok(Math.abs(p.curve[1000] - 0.01) < 1e-12);
  assert.equal(p.minRatio, 0.01);
  assert.equal(paddleSegSchedule(cfg('  learning_rate: 0.01\n  type: CosineAnnealingDecay\n  T_max: 1000\n')), undefined);
  assert.equal(paddleSegSchedule('iters: 1000\n'), undefined);
});

test('a real YOLOv5 results.csv (hyp.yaml and opt.yaml beside it): from 30% and 50% of its epochs its plan gives the LR it logged later, epoch x at lr0 × lf(x − 1)', async () => {
  // Its x/lr0: 0.0033121, 0.0065139, 0.0095836 in the warm-up (warmup_epochs 3), 0.009406 at epochs 3
  // and 4, 0.009208 at 5, … 0.000496 at 49: lf(x) = (1 − x/50)(1 − 0.01) + 0.01, one epoch behind (YOLOv5
  // steps its LambdaLR at each epoch's end, from last_epoch = −1).
  const dir = path.join(FIXTURES, 'yolov5-lego-exp');
  const file = path.join(dir, 'results.csv');
  const log = await parseLogFile(file);
  const lf = (x: number) => (1 - x / 50) * 0.99 + 0.01;
  for (const [x, v] of logged(log)) if (x >= 4) assert.ok(Math.abs(v - 0.01 * lf(x - 1)) < 1e-9, `the LR logged at epoch ${x}: ${v}`);
  const texts = ['hyp.yaml', 'opt.yaml'].map((n) => ({ file: path.join(dir, n), text: fs.readFileSync(path.join(dir, n), 'utf8') }));
  for (const cut of [0.3, 0.5]) {
    // Before: from 30%, the plan refused (10% off the logged warm-up) and a line read to epoch 54; from
    // 50%, lf(x) one epoch ahead, 0.0323 of the peak at epoch 49 where the run logged 0.0518.
    const w = worstAfterCut(log, texts, cut);
    assert.ok(w.gap <= 1e-6, `${cut}: ${w.gap} off the logged LR at epoch ${w.at} (${w.source})`);
    assert.match(w.source, /then as planned \(hyp\.yaml: lr0=0\.01, lrf=0\.01, warmup_epochs=3\.0; opt\.yaml: epochs=50/);
  }
});

test('a real W&B run (TinyLM) whose LRs, to 16 digits, fall on a cosine to 10% of its peak: from half its steps, read as that cosine to its floor, not one to zero', async () => {
  // Its train/lr: 5e-4 at step 16,000 (the warm-up's end), 3.3298e-4 at 54,000, 5.0000077e-5 at
  // 107,100 and 5e-5 at its last step, 107,123: a cosine from 5e-4 to 5e-5 (its W&B summary's last
  // train/lr 5e-05). No config states the floor: the LRs do.
  const tmp = tmpDir('sl-progs-');
  try {
    const run = path.join(tmp, 'run-20260211_121423-kj3gdsjx');
    fs.mkdirSync(path.join(run, 'files'), { recursive: true });
    fs.writeFileSync(path.join(run, 'run-kj3gdsjx.wandb'), zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'wandb-tinylm-run', 'run-kj3gdsjx.wandb.gz'))));
    for (const f of ['config.yaml', 'wandb-summary.json']) fs.copyFileSync(path.join(FIXTURES, 'wandb-tinylm-run', 'files', f), path.join(run, 'files', f));
    const log = await parseLogFile(run);
    const pts = logged(log);
    assert.deepEqual(pts[pts.length - 1], [107123, 5e-5]);
    // Before: a cosine to zero ending at step 112,691, 0.0082 of the peak (4.1e-6) at step 107,123
    // where the run logged 5e-5 (0.1 of it), 4.6e-5 off.
    const w = worstAfterCut(log, [], 0.5);
    assert.ok(w.gap <= 2e-6, `${w.gap} off the logged LR at step ${w.at} (${w.source})`);
    assert.match(w.source, /cosine decay to 9\.9% of the peak continued to step 1072\d\d/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

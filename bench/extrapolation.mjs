// How far to trust a single run's extrapolation: every real log the repository ships, plus seeded
// synthetic curves under cosine, warm-up-stable-decay and constant schedules, each cut to its first
// 30% and 50% of steps, fitted, and its loss predicted at the last logged step. Per law: median and
// worst |error| of that prediction (against the mean of the final ≈2% of points), and how often the
// 95% band contains it. "today" is the law before schedules: E + B/x^β with a fixed 10% warm-up skip.
// Prints; never asserts.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = (p) => require(join(root, 'out', 'src', 'core', ...p.split('/')));
const { parseLogFile, toRunCurves } = out('logs/index.js');
const { fitRunCurve } = out('fit/run.js');
const { scheduleForLog, scheduleFromLog, plannedSchedule } = out('fit/schedule.js');
const { mulberry32, normal } = out('fit/rng.js');

const BOOT = Number(process.env.BENCH_BOOTSTRAP ?? 100);
const CUTS = [0.3, 0.5];
const LAWS = ['today', 'power', 'lr-annealing', 'multi-power', 'auto'];

// Real logs: [file, configs beside it (or the log's own head), note].
const real = [
  ['test/fixtures/hf_trainer_state.json', [], 'HF Trainer, 30 epochs, LR logged (constant)'],
  ['test/fixtures/jaong_cpt_trainer_state.json', [], 'HF Trainer CPT, LR logged (linear decay)'],
  ['test/fixtures/lightning_metrics.csv', [], 'Lightning, no LR'],
  ['test/fixtures/lightning_v8_metrics.csv', [], 'Lightning, no LR'],
  ['test/fixtures/lightning_v12_metrics.csv', [], 'Lightning, no LR'],
  ['test/fixtures/modded-nanogpt-speedrun-wsd.txt', ['test/fixtures/modded-nanogpt-speedrun-wsd.txt'], 'speedrun, schedule from the printed script (WSD)'],
  ['test/fixtures/modded-nanogpt-speedrun-valueembed.txt', ['test/fixtures/modded-nanogpt-speedrun-valueembed.txt'], 'speedrun, schedule from the printed script (WSD)'],
  ['test/fixtures/logs-resumed-run.jsonl', [], 'synthetic fixture'],
  ['test/fixtures/logs-nanogpt-stdout.txt', [], 'synthetic fixture'],
  ['samples/runs/synthetic-125m/train_log.jsonl', ['samples/runs/synthetic-125m/config.yaml'], 'sample: power law in D, cosine LR logged', false],
  ['samples/runs/hf-trainer/trainer_state.json', [], 'sample (same as the HF fixture)'],
  ['samples/runs/lightning-slm/metrics.csv', [], 'sample (same as the Lightning fixture)'],
];

/** A curve whose excess loss follows the LR with lag (SGD noise floor), not any fitted law. */
function synthetic(kind, seed) {
  const T = 12000, w = 300;
  const plan = { totalSteps: T, warmupSteps: w, decay: kind, minRatio: kind === 'cosine' ? 0.1 : 0, decaySteps: 2400, source: `synthetic ${kind}` };
  const sched = plannedSchedule(plan);
  const rng = mulberry32(seed);
  const step = [], loss = [], lr = [];
  let S1 = 0, ema = 0;
  for (let s = 1; s <= T; s++) {
    S1 += sched.lr[s];
    ema += (sched.lr[s] - ema) / 400;
    if (s % 10 === 0) {
      step.push(s); lr.push(6e-4 * sched.lr[s]);
      loss.push((2.6 + 6 * Math.pow(S1 + 50, -0.42) + 0.35 * ema) * (1 + 0.004 * normal(rng)));
    }
  }
  // The plan is known, as a config beside the log would state it; the LR column only up to the cut.
  const plannedFor = (cutStep) => scheduleFromLog(step.filter((s) => s <= cutStep), lr.filter((_, i) => step[i] <= cutStep), { planned: plan });
  return { name: `synthetic ${kind} #${seed}`, step, loss, logsLr: true, scheduleAt: plannedFor };
}

async function realCase([file, cfgs, note, isReal = true]) {
  const path = join(root, file);
  if (!existsSync(path)) return undefined;
  const log = await parseLogFile(path);
  const curves = toRunCurves(log);
  const lossCols = new Set(log.columns.filter((c) => c.role === 'loss').map((c) => c.name));
  const train = curves.filter((c) => lossCols.has(c.series));
  const curve = (train.length ? train : curves).reduce((a, b) => (b.loss.length > a.loss.length ? b : a), (train.length ? train : curves)[0]);
  if (!curve) return undefined;
  const texts = cfgs.map((f) => ({ text: readFileSync(join(root, f), 'utf8').slice(0, 262144), file: f }));
  // The schedule as known at the cut: the LR column up to it, a config's plan after it (no peeking).
  const stepCol = log.columns.find((c) => c.role === 'step');
  const scheduleAt = (cutStep) => {
    const data = { ...log.data };
    for (const c of log.columns) {
      if (c.role !== 'lr' || !data[c.name] || !stepCol) continue;
      const st = log.data[stepCol.name];
      data[c.name] = data[c.name].map((v, i) => (st[i] <= cutStep ? v : NaN));
    }
    return scheduleForLog({ columns: log.columns, data }, texts).schedule;
  };
  return {
    name: `${file.split('/').pop()} (${note})`, step: Array.from(curve.step), loss: Array.from(curve.loss),
    logsLr: log.columns.some((c) => c.role === 'lr'), scheduleAt, real: isReal,
  };
}

const cases = [];
for (const r of real) { const c = await realCase(r); if (c) cases.push(c); }
for (const kind of ['cosine', 'wsd', 'constant']) for (const seed of [1, 2, 3]) cases.push(synthetic(kind, seed));

const rows = [];
const t0 = Date.now();
for (const c of cases) {
  for (const cut of CUTS) {
    const schedule = c.scheduleAt(cut * c.step[c.step.length - 1]);
    c.schedule = c.schedule ?? schedule;
    for (const law of LAWS) {
      let r;
      try {
        r = law === 'today'
          ? fitRunCurve(c.step, c.loss, { xKind: 'step', runLaw: 'power', fitUntil: cut, bootstrap: BOOT, seed: 1, skipFraction: 0.1 })
          : fitRunCurve(c.step, c.loss, { xKind: 'step', steps: c.step, schedule, runLaw: law, fitUntil: cut, bootstrap: BOOT, seed: 1 });
      } catch (e) { rows.push({ c, cut, law, fail: String(e) }); continue; }
      const h = r.backtest?.find((b) => b.heldOut);
      if (!h || !r.prediction) { rows.push({ c, cut, law, fail: r.messages[r.messages.length - 1] }); continue; }
      const { lo, hi } = r.prediction;
      rows.push({
        c, cut, law, used: r.runLaw, err: h.errorPct, covered: Number.isFinite(lo) ? lo <= h.actual && h.actual <= hi : undefined,
        width: Number.isFinite(lo) ? (100 * (hi - lo)) / h.actual : NaN, supported: r.trust?.supported,
      });
    }
  }
}
const secs = (Date.now() - t0) / 1000;

const pct = (v) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}%` : 'n/a');
console.log(`${cases.length} curves (${cases.filter((c) => c.real).length} real logs), cuts ${CUTS.join(', ')}, bootstrap ${BOOT}, ${secs.toFixed(1)} s\n`);
console.log('per curve: error of the predicted last-step loss (band contains the truth: ✓/✗; ! = flagged as not supported)');
for (const c of cases) {
  const cells = [];
  for (const cut of CUTS) {
    cells.push(`${Math.round(cut * 100)}%: ` + LAWS.map((law) => {
      const r = rows.find((x) => x.c === c && x.cut === cut && x.law === law);
      if (!r || r.fail) return `${law} –`;
      return `${law}${law === 'auto' ? `(${r.used})` : ''} ${pct(r.err)}${r.covered === undefined ? '' : r.covered ? '✓' : '✗'}${r.supported === false ? '!' : ''}`;
    }).join('  '));
  }
  console.log(`  ${c.name}${c.schedule ? ` [schedule: ${c.schedule.kind}, warm-up ${c.schedule.warmup}, end ${c.schedule.total}]` : ' [no schedule]'}\n    ${cells.join('\n    ')}`);
}

function summary(filter, label) {
  console.log(`\n${label}`);
  console.log('  law           cut   n   median|err|  worst|err|  band coverage  median width');
  for (const law of LAWS) for (const cut of CUTS) {
    const rs = rows.filter((r) => r.law === law && r.cut === cut && !r.fail && filter(r.c));
    if (!rs.length) continue;
    const e = rs.map((r) => Math.abs(r.err)).sort((a, b) => a - b);
    const cov = rs.filter((r) => r.covered !== undefined);
    const w = rs.map((r) => r.width).filter(Number.isFinite).sort((a, b) => a - b);
    console.log(`  ${law.padEnd(13)} ${String(Math.round(cut * 100)).padStart(3)}% ${String(rs.length).padStart(3)}   ${e[Math.floor((e.length - 1) / 2)].toFixed(2).padStart(8)}%  ${e[e.length - 1].toFixed(2).padStart(9)}%  ${cov.length ? `${cov.filter((r) => r.covered).length}/${cov.length}`.padStart(9) : '      n/a'}      ${w.length ? w[Math.floor((w.length - 1) / 2)].toFixed(2) + '%' : 'n/a'}`);
  }
}
summary((c) => c.real, 'real logs');
summary((c) => c.real && c.logsLr, 'real logs that log their LR');
summary((c) => c.real && !!c.schedule, 'real logs with a schedule (logged or planned)');
summary((c) => !c.real, 'synthetic curves (cosine, WSD, constant; 3 seeds each)');
summary(() => true, 'all curves');

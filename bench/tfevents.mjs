// TensorBoard event-file benchmark: generates (once, cached in .bench/) an event file of the given
// size written the way PyTorch's SummaryWriter does it (one scalar per event: train/loss, lr,
// grad_norm every step, tokens as a TF2 double tensor, eval/loss every 100 steps) and a CSV with
// the same values, parses each in a child process (its own peak RSS) and prints MB/s, events/s and
// the ratio to the CSV path on the same content.
//   node bench/tfevents.mjs [--size-mb 200] [--repeat 2]      (npm run bench compiles out/ first)
// Best time of `repeat` runs each (the machine may be shared). Last line: one JSON object.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : def; };
const sizeMb = arg('--size-mb', 200);
const repeat = Math.max(1, arg('--repeat', 2) | 0);
if (!(sizeMb > 0)) { console.error('bench/tfevents.mjs: --size-mb needs a positive number'); process.exit(2); }
if (!existsSync(join(root, 'out/test/helpers/runWriters.js'))) {
  console.error('bench/tfevents.mjs: out/ is missing; run `npm run bench` (it compiles first)');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { tfRecord, fileVersionEvent, scalarEvent } = require(join(root, 'out/test/helpers/runWriters.js'));
const { mulberry32 } = require(join(root, 'out/src/core/fit/rng.js'));
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const evFile = join(dir, `tfevents_${sizeMb}mb`, 'events.out.tfevents.1733130000.bench.1.0');
const csvFile = join(dir, `tfevents_${sizeMb}mb.csv`);

/** Steps of a run: the same values go to both files (float32, as simple_value stores them). */
function* steps() {
  const r = mulberry32(7);
  for (let step = 1; ; step++) {
    const tokens = step * 524288;
    yield {
      step,
      loss: Math.fround(1.8 + 400 / Math.pow(tokens, 0.3) + (r() - 0.5) * 0.05),
      lr: Math.fround(3e-4 * Math.min(1, step / 2000)),
      grad: Math.fround(0.2 + r() * 1.5),
      tokens,
      val: step % 100 === 0 ? Math.fround(1.82 + 400 / Math.pow(tokens, 0.3)) : NaN,
    };
  }
}

async function generate() {
  if (existsSync(evFile) && existsSync(csvFile)) return false;
  mkdirSync(dirname(evFile), { recursive: true });
  const target = sizeMb * 1024 * 1024;
  const ev = createWriteStream(evFile + '.part');
  const csv = createWriteStream(csvFile + '.part');
  let written = 0;
  let evParts = [tfRecord(fileVersionEvent(1733130000))];
  let csvBuf = 'step,train/loss,lr,grad_norm,tokens_seen,eval/loss\n';
  let pending = 0;
  for (const s of steps()) {
    const w = 1733130000 + s.step * 0.25;
    const recs = [
      scalarEvent('train/loss', s.step, s.loss, { wallTime: w }),
      scalarEvent('lr', s.step, s.lr, { wallTime: w }),
      scalarEvent('grad_norm', s.step, s.grad, { wallTime: w }),
      scalarEvent('tokens_seen', s.step, s.tokens, { wallTime: w, form: 'tensor-double', plugin: s.step === 1 }),
    ];
    if (!Number.isNaN(s.val)) recs.push(scalarEvent('eval/loss', s.step, s.val, { wallTime: w }));
    for (const r of recs) { const b = tfRecord(r); evParts.push(b); pending += b.length; }
    csvBuf += `${s.step},${s.loss},${s.lr},${s.grad},${s.tokens},${Number.isNaN(s.val) ? '' : s.val}\n`;
    if (pending > 1 << 20) {
      written += pending;
      ev.write(Buffer.concat(evParts));
      csv.write(csvBuf);
      evParts = []; csvBuf = ''; pending = 0;
      for (const st of [ev, csv]) if (st.writableNeedDrain) await new Promise((res) => st.once('drain', res));
      if (written >= target) break;
    }
  }
  await new Promise((res) => ev.end(Buffer.concat(evParts), res));
  await new Promise((res) => csv.end(csvBuf, res));
  renameSync(evFile + '.part', evFile);
  renameSync(csvFile + '.part', csvFile);
  return true;
}

const child = `
const { parseLogFile } = require(${JSON.stringify(join(root, 'out/src/core/logs/index.js'))});
const t = process.hrtime.bigint();
const c0 = process.cpuUsage();
parseLogFile(process.argv[1]).then((log) => {
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cu = process.cpuUsage(c0);
  const cpuMs = (cu.user + cu.system) / 1000;
  const loss = log.data['train/loss'];
  process.stdout.write(JSON.stringify({ ms, cpuMs, rows: log.rows, values: log.stats.rowsRead, kept: Object.keys(log.data), problems: log.problems.length,
    lastLoss: loss ? loss[loss.length - 1] : null, maxRSSkB: process.resourceUsage().maxRSS }));
}, (e) => { console.error(e.message); process.exit(1); });`;

function parse(file) {
  const r = spawnSync(process.execPath, ['-e', child, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`parsing ${file} failed: ${(r.stderr || '').trim()}`);
  return JSON.parse(r.stdout);
}

const t0 = Date.now();
if (await generate()) console.log(`generated ${evFile} and ${csvFile} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const mb = (f) => statSync(f).size / (1024 * 1024);
const best = { tfevents: undefined, csv: undefined };
for (let k = 0; k < repeat; k++) {
  for (const [name, file] of [['tfevents', dirname(evFile)], ['csv', csvFile]]) {
    const o = parse(file);
    const b = best[name];
    best[name] = !b ? o : { ...o, ms: Math.min(b.ms, o.ms), cpuMs: Math.min(b.cpuMs, o.cpuMs), maxRSSkB: Math.max(b.maxRSSkB, o.maxRSSkB) };
  }
}
const ev = best.tfevents, cs = best.csv;
const evMb = mb(evFile), csvMb = mb(csvFile);
if (ev.rows !== cs.rows || ev.lastLoss !== cs.lastLoss) console.log(`WARNING: the two paths disagree: ${ev.rows} vs ${cs.rows} rows, last loss ${ev.lastLoss} vs ${cs.lastLoss}`);
const evPerS = ev.values / (ev.ms / 1000);
console.log(`event file: ${evMb.toFixed(1)} MB, ${ev.values} scalar events → ${ev.rows} rows (${ev.kept.join(', ')}), best of ${repeat}`);
console.log(`  tfevents  ${(ev.ms / 1000).toFixed(2)} s  ${(evMb / (ev.ms / 1000)).toFixed(0).padStart(4)} MB/s  ${(evPerS / 1e6).toFixed(2)} M events/s  ${(ev.rows / (ev.ms / 1000) / 1e6).toFixed(2)} M rows/s  peak RSS ${(ev.maxRSSkB / 1024).toFixed(0)} MB`);
console.log(`  csv       ${(cs.ms / 1000).toFixed(2)} s  ${(csvMb / (cs.ms / 1000)).toFixed(0).padStart(4)} MB/s  (${csvMb.toFixed(1)} MB, same values)  ${(cs.rows / (cs.ms / 1000) / 1e6).toFixed(2)} M rows/s  peak RSS ${(cs.maxRSSkB / 1024).toFixed(0)} MB`);
console.log(`  same content: the event file takes ${(ev.ms / cs.ms).toFixed(2)}× the CSV's time (${(evMb / csvMb).toFixed(2)}× its bytes)`);
// On a shared machine wall time includes waiting for a core; CPU time is what the parser itself used.
console.log(`  CPU time (user+sys): tfevents ${(ev.cpuMs / 1000).toFixed(2)} s = ${(evMb / (ev.cpuMs / 1000)).toFixed(0)} MB/s, ${(ev.values / (ev.cpuMs / 1000) / 1e6).toFixed(2)} M events/s; csv ${(cs.cpuMs / 1000).toFixed(2)} s = ${(csvMb / (cs.cpuMs / 1000)).toFixed(0)} MB/s; ratio ${(ev.cpuMs / cs.cpuMs).toFixed(2)}×  (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
console.log(JSON.stringify({
  bench: 'tfevents', date: new Date().toISOString(),
  machine: { cores: os.availableParallelism?.() ?? os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, load1: os.loadavg()[0] },
  sizeMb, repeat,
  tfevents: { mb: evMb, seconds: ev.ms / 1000, cpuSeconds: ev.cpuMs / 1000, mbPerS: evMb / (ev.ms / 1000), mbPerCpuS: evMb / (ev.cpuMs / 1000), eventsPerS: evPerS, eventsPerCpuS: ev.values / (ev.cpuMs / 1000), events: ev.values, rows: ev.rows, peakRssMb: ev.maxRSSkB / 1024 },
  csv: { mb: csvMb, seconds: cs.ms / 1000, cpuSeconds: cs.cpuMs / 1000, mbPerS: csvMb / (cs.ms / 1000), mbPerCpuS: csvMb / (cs.cpuMs / 1000), rows: cs.rows, peakRssMb: cs.maxRSSkB / 1024 },
  timeRatio: ev.ms / cs.ms, cpuRatio: ev.cpuMs / cs.cpuMs,
  ratio: 'time / the CSV read of the same values',
  results: [
    { name: 'scaling-lens tfevents', seconds: ev.ms / 1000, cpuSeconds: ev.cpuMs / 1000, mbPerS: evMb / (ev.ms / 1000), peakRssMb: ev.maxRSSkB / 1024, ratio: ev.ms / cs.ms },
    { name: 'scaling-lens csv, same values', seconds: cs.ms / 1000, cpuSeconds: cs.cpuMs / 1000, mbPerS: csvMb / (cs.ms / 1000), peakRssMb: cs.maxRSSkB / 1024, ratio: 1 },
  ],
}));

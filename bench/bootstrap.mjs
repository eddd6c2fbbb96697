// Bootstrap benchmark: 4,000 resamples of the Chinchilla fit (the replication's 240 points) and a
// seeded synthetic 10^5-row sweep with the default 200 resamples, on one thread and on every core
// (bootstrap.ts spreads resamples over worker threads; the intervals are the same on any count,
// which this bench checks too), and Kaplan's law on the same sweep (its starts screened or not). Prints wall time, the process's CPU time (all threads), and as its
// last line one JSON object with the figures. Never asserts.
//   node bench/bootstrap.mjs [--resamples 4000] [--rows 100000]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fit = require(join(root, 'out', 'src', 'core', 'fit', 'index.js'));
const { mulberry32, normal } = require(join(root, 'out', 'src', 'core', 'fit', 'rng.js'));
const { coreCount } = require(join(root, 'out', 'src', 'core', 'cores.js'));
const arg = (name, d) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : d; };
const B = arg('--resamples', 4000), rowsWanted = arg('--rows', 100000);

const lines = readFileSync(join(root, 'test', 'fixtures', 'chinchilla_svg_extracted.csv'), 'utf8').trim().split(/\r?\n/);
const head = lines[0].split(',');
const rows = lines.slice(1).map((l) => l.split(','));
const N = rows.map((r) => Number(r[head.indexOf('Model Size')]));
const D = rows.map((r, i) => Number(r[head.indexOf('Training FLOP')]) / (6 * N[i]));
const L = rows.map((r) => Number(r[head.indexOf('loss')]));

// A big sweep: 40 model sizes, 60 token counts (jittered), Chinchilla-like law, 2% noise.
const rng = mulberry32(1);
const sN = [], sD = [], sL = [];
for (let i = 0; i < rowsWanted; i++) {
  const n = 1e7 * Math.pow(10, (3 * Math.floor(rng() * 40)) / 40);
  const d = 1e9 * Math.pow(10, (3 * Math.floor(rng() * 60)) / 60) * (1 + 1e-4 * rng());
  sN.push(n); sD.push(d); sL.push((1.8 + 480 / n ** 0.34 + 2000 / d ** 0.37) * Math.exp(0.02 * normal(rng)));
}

function timed(f) {
  const cpu0 = process.cpuUsage();
  const t = process.hrtime.bigint();
  const r = f();
  const cpu = process.cpuUsage(cpu0);
  return { r, seconds: Number(process.hrtime.bigint() - t) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}
const results = [];
for (const [name, run] of [
  [`chinchilla-240pts-${B}-resamples`, (threads) => fit.fitChinchilla(N, D, L, { dropHighestLoss: 5, bootstrap: B, seed: 42, threads })],
  [`sweep-${rowsWanted}-rows-200-resamples`, (threads) => fit.fitChinchilla(sN, sD, sL, { bootstrap: 200, seed: 42, threads })],
]) {
  const byThreads = {};
  for (const threads of [1, coreCount()]) {
    const m = timed(() => run(threads));
    byThreads[threads] = m;
    console.log(`${name}, ${threads} thread${threads > 1 ? 's' : ''}: ${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU; α 95% [${m.r.ci.alpha[0].toFixed(5)}, ${m.r.ci.alpha[1].toFixed(5)}]`);
    results.push({
      name: `${name}, ${threads} thread${threads > 1 ? 's' : ''}`, threads, seconds: m.seconds, cpuSeconds: m.cpuSeconds, mbPerS: null,
      peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: m.seconds / (byThreads[1]?.seconds ?? m.seconds), alphaCi: m.r.ci.alpha,
    });
  }
  const [a, b] = Object.values(byThreads);
  if (b) console.log(`  same intervals on 1 and ${coreCount()} threads: ${JSON.stringify(a.r.ci) === JSON.stringify(b.r.ci) ? 'yes' : 'NO'}`);
}
// Kaplan's joint law on the same sweep: its 400 starts screened on 1,000 evenly spaced rows (the
// default) against every start on every row ('grid'), on the first 5,000 rows (the grid on all of
// them takes minutes); then the default on every row with 200 resamples.
{
  const n = Math.min(5000, rowsWanted);
  const grid = timed(() => fit.fitKaplan(sN.slice(0, n), sD.slice(0, n), sL.slice(0, n), { bootstrap: 0, strategy: 'grid' }));
  const fast = timed(() => fit.fitKaplan(sN.slice(0, n), sD.slice(0, n), sL.slice(0, n), { bootstrap: 0 }));
  const dObj = fast.r.objective - grid.r.objective;
  console.log(`kaplan-${n}-rows, every start on every row: ${grid.seconds.toFixed(2)} s; starts screened: ${fast.seconds.toFixed(2)} s (${(grid.seconds / fast.seconds).toFixed(1)}× faster), objective Δ ${dObj.toExponential(1)}`);
  results.push({ name: `kaplan-${n}-rows, grid`, threads: 1, seconds: grid.seconds, cpuSeconds: grid.cpuSeconds, mbPerS: null, peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: 1, objective: grid.r.objective });
  results.push({ name: `kaplan-${n}-rows, screened`, threads: 1, seconds: fast.seconds, cpuSeconds: fast.cpuSeconds, mbPerS: null, peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: fast.seconds / grid.seconds, objective: fast.r.objective });
  const full = timed(() => fit.fitKaplan(sN, sD, sL, { bootstrap: 200, seed: 42 }));
  console.log(`kaplan-${rowsWanted}-rows-200-resamples (screened starts, resamples on ${coreCount()} threads): ${full.seconds.toFixed(2)} s wall, ${full.cpuSeconds.toFixed(2)} s CPU; α_N 95% [${full.r.ci.alphaN[0].toFixed(5)}, ${full.r.ci.alphaN[1].toFixed(5)}]`);
  results.push({ name: `kaplan-${rowsWanted}-rows-200-resamples`, threads: coreCount(), seconds: full.seconds, cpuSeconds: full.cpuSeconds, mbPerS: null, peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: null, alphaNCi: full.r.ci.alphaN });
}
console.log(JSON.stringify({ bench: 'bootstrap', date: new Date().toISOString(), machine: { cores: coreCount(), cpu: os.cpus()[0]?.model, node: process.version, load1: os.loadavg()[0] }, ratio: 'time / the same bootstrap on one thread; peak RSS of the whole process so far', results }));
